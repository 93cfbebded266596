import type { KObject, StoredEvent } from '../model/objects';
import type { ObjectOf, Pod } from '../model/kinds';
import type { ObjectReader } from '../model/object-reader';
import { tabwrite } from './tabwriter';
import { describeGeneric } from './describe/generic';

const MAX_ANNOTATION_LEN = 140;

export interface DescribeContext {
  now: number;
  /** the objects describe looks up besides the one it prints (related ReplicaSets, a node's pods…): the caller's */
  store: ObjectReader;
  /** events for an object (by kind/namespace/name/uid) */
  events(obj: KObject): StoredEvent[];
  /** for a Pending pod: the cheapest change that would let it fit (kubesim's own line, not kubectl's) */
  schedulingHint?(pod: Pod): string | undefined;
}

/**
 * kubectl's PrefixWriter: lines at an indent level, cells separated by '\t', all run
 * through one tabwriter (minwidth 0, padding 2) at the end, as describe.go does.
 */
export class DescribeWriter {
  private text = '';
  write(level: number, format: string): void {
    this.text += '  '.repeat(level) + format;
  }
  line(level: number, ...cells: string[]): void {
    this.write(level, `${cells.join('\t')}\n`);
  }
  /** The opening most describers share: Name, Namespace, Labels, Annotations. */
  nameAndMeta(obj: KObject): void {
    this.line(0, 'Name:', obj.metadata.name);
    this.line(0, 'Namespace:', obj.metadata.namespace ?? '');
    this.map(0, 'Labels', obj.metadata.labels);
    this.annotations(0, obj.metadata.annotations);
  }
  /** `Labels:  a=b` then continuation lines for further entries, like printLabelsMultiline. */
  map(level: number, title: string, map: Record<string, string> | undefined, opts: { skip?: (k: string) => boolean } = {}): void {
    const keys = Object.keys(map ?? {})
      .filter((k) => !opts.skip?.(k))
      .sort();
    if (!keys.length) {
      this.line(level, `${title}:`, '<none>');
      return;
    }
    keys.forEach((k, i) => this.line(level, i === 0 ? `${title}:` : '', `${k}=${map![k]}`));
  }
  annotations(level: number, map: Record<string, string> | undefined): void {
    const keys = Object.keys(map ?? {})
      .filter((k) => k !== 'kubectl.kubernetes.io/last-applied-configuration')
      .sort();
    if (!keys.length) {
      this.line(level, 'Annotations:', '<none>');
      return;
    }
    keys.forEach((k, i) => {
      const title = i === 0 ? 'Annotations:' : '';
      const value = map![k].replace(/\n$/, '');
      // printAnnotationsMultiline: long or multi-line values go below the key, cut at 140
      if (value.length + k.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
        this.line(level, title, `${k}:`);
        for (const s of value.split('\n'))
          this.line(level, '', `  ${s.length > MAX_ANNOTATION_LEN - 2 ? `${s.slice(0, MAX_ANNOTATION_LEN - 2)}...` : s}`);
      } else this.line(level, title, `${k}: ${value}`);
    });
  }
  raw(text: string): void {
    this.text += text;
  }
  toString(): string {
    return tabwrite(this.text, { minwidth: 0, padding: 2 });
  }
}

/** A describer's refusal of one object (kubectl prints `error: …` after describing the others, exit 1). */
export class DescribeError extends Error {}

export type Describer<O extends KObject = KObject> = (obj: O, ctx: DescribeContext) => string;

const describers = new Map<string, () => Describer>();

/**
 * Per-kind describers live in printers/describe/<kind>.ts and register here, typed for their kind:
 * describeObject hands a describer only objects whose kind it registered for.
 */
export function registerDescriber<K extends string>(kind: K, load: () => Describer<ObjectOf<K>>): void {
  describers.set(kind, load as () => Describer);
}

export function describeObject(obj: KObject, ctx: DescribeContext): string {
  const d = describers.get(obj.kind);
  if (d) return d()(obj, ctx);
  // kubectl's DescriberFn: a describer of the kind's own, else the generic one
  return describeGeneric(obj, ctx);
}
