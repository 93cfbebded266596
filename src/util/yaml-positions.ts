import type * as YAML from 'yaml';
import { onDemand } from './on-demand';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = onDemand('yaml', () => require('yaml') as typeof import('yaml'));

/** 1-based, as editors and SARIF's region count them. */
export interface SourcePosition {
  line: number;
  column: number;
}

export type FieldPath = (string | number)[];

/** Where the fields of one object sit in its file: the position of a path's deepest field that is there. */
export interface ObjectLocator {
  kind?: string;
  name?: string;
  namespace?: string;
  locate(path: FieldPath): SourcePosition;
}

/**
 * The objects of a YAML (or JSON) stream with the positions of their fields, in file order (a
 * `kind: List` gives one per item). Kept apart from the decoding (util/yaml-to-json reads the
 * values as kubectl does); this reads only where things are, with the yaml library's source
 * ranges and a LineCounter, so a finding can point at `spec.template.spec.containers[0]` in the
 * file the user wrote. A document the library cannot read gives no locator.
 */
export function objectLocators(text: string): ObjectLocator[] {
  const Y = yaml();
  const lineCounter = new Y.LineCounter();
  const out: ObjectLocator[] = [];
  let docs: YAML.Document.Parsed[];
  try {
    docs = Y.parseAllDocuments(text, { lineCounter }) as YAML.Document.Parsed[];
  } catch {
    return out;
  }
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const locator = (root: YAML.YAMLMap): ObjectLocator => {
    const scalar = (key: string, parent: unknown = root): string | undefined => {
      if (!Y.isMap(parent)) return undefined;
      const v = parent.get(key, true);
      return Y.isScalar(v) && v.value !== null && v.value !== undefined ? String(v.value as string) : undefined;
    };
    const meta = root.get('metadata', true);
    return {
      kind: scalar('kind'),
      name: scalar('name', meta),
      namespace: scalar('namespace', meta),
      locate(path) {
        let node: unknown = root;
        let best = at(root.range?.[0] ?? 0);
        for (const step of path) {
          if (Y.isMap(node)) {
            const pair = node.items.find((p) => Y.isScalar(p.key) && String(p.key.value as string) === String(step));
            if (!pair) break;
            const key = pair.key as YAML.Scalar;
            if (key.range) best = at(key.range[0]);
            node = pair.value;
          } else if (Y.isSeq(node) && typeof step === 'number') {
            const item: unknown = node.items[step];
            if (!Y.isNode(item)) break;
            if (item.range) best = at(item.range[0]);
            node = item;
          } else break;
        }
        return best;
      },
    };
  };
  for (const doc of docs) {
    const root = doc.contents;
    if (!Y.isMap(root)) continue;
    const items = root.get('items', true);
    const kind = root.get('kind', true);
    if (Y.isScalar(kind) && (kind.value as unknown) === 'List' && Y.isSeq(items)) {
      for (const item of items.items) if (Y.isMap(item)) out.push(locator(item));
    } else out.push(locator(root));
  }
  return out;
}
