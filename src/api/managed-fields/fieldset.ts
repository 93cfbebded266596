/**
 * Sets of field paths as structured-merge-diff (sigs.k8s.io/structured-merge-diff fieldpath)
 * keeps them, and their `FieldsV1` encoding in metadata.managedFields.
 *
 * A path element is held in its serialized form (fieldpath/serialize-pe.go):
 * `f:name` a struct field or map key, `k:{"name":"web"}` an associative list item by its
 * keys, `v:"x"` a set item by its value, `i:0` a list item by index.
 */
export type PathElement = string;
export type Path = readonly PathElement[];

const SEP = '\u0001';

export class FieldSet {
  private readonly paths = new Map<string, Path>();

  static of(paths: Iterable<Path>): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  private static keyed(entries: Iterable<[string, Path]>): FieldSet {
    const s = new FieldSet();
    for (const [k, p] of entries) s.paths.set(k, p);
    return s;
  }

  insert(path: Path): void {
    const key = path.join(SEP);
    if (!this.paths.has(key)) this.paths.set(key, [...path]);
  }

  has(path: Path): boolean {
    return this.paths.has(path.join(SEP));
  }

  get size(): number {
    return this.paths.size;
  }

  empty(): boolean {
    return this.paths.size === 0;
  }

  list(): Path[] {
    return [...this.paths.values()].sort(comparePaths);
  }

  union(other: FieldSet): FieldSet {
    const s = FieldSet.keyed(this.paths);
    for (const [k, p] of other.paths) if (!s.paths.has(k)) s.paths.set(k, p);
    return s;
  }

  difference(other: FieldSet): FieldSet {
    if (other.empty()) return this;
    return FieldSet.keyed([...this.paths].filter(([k]) => !other.paths.has(k)));
  }

  intersection(other: FieldSet): FieldSet {
    return FieldSet.keyed([...this.paths].filter(([k]) => other.paths.has(k)));
  }

  /** Drops every path at or under one of `prefixes` (fieldpath's RecursiveDifference of a prefix set). */
  withoutPrefixes(prefixes: Path[]): FieldSet {
    return FieldSet.keyed([...this.paths].filter(([, p]) => !prefixes.some((pre) => isPrefix(pre, p))));
  }

  /** Only the paths at or under `prefix`. */
  onlyUnder(prefix: Path): FieldSet {
    return FieldSet.keyed([...this.paths].filter(([, p]) => isPrefix(prefix, p)));
  }

  /** Whether a path at or under `prefix` is in the set. */
  hasUnder(prefix: Path): boolean {
    for (const p of this.paths.values()) if (isPrefix(prefix, p)) return true;
    return false;
  }

  equals(other: FieldSet): boolean {
    return this.size === other.size && [...this.paths.keys()].every((k) => other.paths.has(k));
  }

  /** The FieldsV1 JSON (fieldpath.Set.ToJSON): a member that also has children gets a `.` entry. */
  toFieldsV1(): Record<string, unknown> {
    interface Tree {
      member: boolean;
      children: Map<string, Tree>;
    }
    const root: Tree = { member: false, children: new Map() };
    for (const p of this.paths.values()) {
      let node = root;
      for (const pe of p) {
        let next = node.children.get(pe);
        if (!next) {
          next = { member: false, children: new Map() };
          node.children.set(pe, next);
        }
        node = next;
      }
      node.member = true;
    }
    const emit = (t: Tree, includeSelf: boolean): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      if (includeSelf && t.member && t.children.size) out['.'] = {};
      for (const k of [...t.children.keys()].sort(comparePathElements)) out[k] = emit(t.children.get(k)!, true);
      return out;
    };
    return emit(root, false);
  }

  static fromFieldsV1(v: unknown): FieldSet {
    const s = new FieldSet();
    const walk = (node: unknown, path: PathElement[]) => {
      if (!node || typeof node !== 'object') return;
      const entries = Object.entries(node as Record<string, unknown>);
      for (const [k, child] of entries) {
        if (k === '.') {
          if (path.length) s.insert(path);
          continue;
        }
        const p = [...path, k];
        const grand = child && typeof child === 'object' ? Object.keys(child as object) : [];
        if (!grand.length) s.insert(p);
        else walk(child, p);
      }
    };
    walk(v, []);
    return s;
  }
}

export function isPrefix(prefix: Path, path: Path): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== path[i]) return false;
  return true;
}

/** PathElement.Less: field names, then keys, then values, then indexes; each in its own order. */
const KIND_ORDER: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };
export function comparePathElements(a: PathElement, b: PathElement): number {
  const ka = KIND_ORDER[a[0]] ?? 4;
  const kb = KIND_ORDER[b[0]] ?? 4;
  if (ka !== kb) return ka - kb;
  if (a[0] === 'i') return Number(a.slice(2)) - Number(b.slice(2));
  return a < b ? -1 : a > b ? 1 : 0;
}

export function comparePaths(a: Path, b: Path): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = comparePathElements(a[i], b[i]);
    if (c) return c;
  }
  return a.length - b.length;
}

export const fieldPE = (name: string): PathElement => `f:${name}`;

/** A key path element: the keys in the schema's order with their values (`k:{"containerPort":80,"protocol":"TCP"}`). */
export function keyPE(fields: [string, unknown][]): PathElement {
  return `k:{${fields.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
}

export const valuePE = (v: unknown): PathElement => `v:${JSON.stringify(v)}`;

/** value.ToString: strings quoted (%q), the rest as JSON. */
function valueString(v: unknown): string {
  return JSON.stringify(v);
}

/** fieldpath.Path's String(), as conflict messages print it: `.spec.template.spec.containers[name="web"].image`. */
export function pathString(path: Path): string {
  return path
    .map((pe) => {
      const body = pe.slice(2);
      switch (pe[0]) {
        case 'f':
          return `.${body}`;
        case 'k': {
          const obj = JSON.parse(body) as Record<string, unknown>;
          return `[${Object.entries(obj)
            .map(([k, v]) => `${k}=${valueString(v)}`)
            .join(',')}]`;
        }
        case 'v':
          return `[=${valueString(JSON.parse(body))}]`;
        default:
          return `[${body}]`;
      }
    })
    .join('');
}
