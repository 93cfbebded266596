import { internString } from './intern';
import type { KObject } from '../model/objects';

/**
 * Pod rows read by their shape (issue #22, advread). A ReplicaSet's pod rows are one JSON text
 * but for a few string values (name, uid, resourceVersion, node, IPs), and those of other
 * ReplicaSets differ in a few more (generateName, image, the shared values' and template's ids):
 * a row's text is matched against the constant runs of a row of the same shape read before, and
 * the pod is made by a function of the shape (object literals, one compiled per structure) from
 * the row's strings and digits.
 * What the general read does after JSON.parse (StateFile.rowObject: shared parts and the
 * template spec filled in by mapPodParts and specFromTemplate, repeated strings interned by
 * internPodStrings) is done once, on the shape, and the strings equal to the shape's are its
 * strings: JSON.parse made ~20 strings and 6 placeholder objects a pod, then filled and interned
 * them. The pod is the one JSON.parse and those steps give (the same keys in the same order, the
 * same shared values and template parts, fresh objects and arrays elsewhere). A text with an
 * escape, or of no shape kept, is read the general way.
 */

const LITERAL = 0;
const STRING = 1;
const OBJECT = 2;
const ARRAY = 3;
const SHARED = 4;
const TEMPLATE = 5;

/** One value of a shape (one class: the readers' property loads stay monomorphic). */
class Part {
  constructor(
    readonly t: number,
    /** LITERAL: the value; STRING: the index of the value among the row's values (a string or digits) */
    readonly v: unknown,
    /** OBJECT: keys */
    readonly keys: string[] | undefined,
    /** OBJECT, ARRAY: values; TEMPLATE: [nodeName] or [] */
    readonly kids: Part[] | undefined,
    /** SHARED, TEMPLATE: the index of the value holding the id the placeholder names */
    readonly id: number,
  ) {}
}

interface Template {
  base: Record<string, unknown>;
  keys: string[];
}

/** a row's value cut out of its text: a string, or a number of digits only (ids) */
type Value = string | number;

type Make = (values: Value[], refs: unknown[], spec: typeof specOf) => KObject;

/**
 * specFromTemplate (object-store.ts): the template's keys, then nodeName (in its place when the
 * template has one), as an object literal made once per template.
 */
function specOf(template: Template, nodeName: unknown): Record<string, unknown> {
  let make = specMakers.get(template);
  if (!make) {
    const keys = template.keys;
    if (keys.includes('__proto__')) make = (base, n) => specOfKeys(keys, base, n);
    else {
      const fields = keys.map((k) => `${JSON.stringify(k)}:b[${JSON.stringify(k)}]`).join(',');
      const code = `return n === undefined ? {${fields}} : {${fields}${fields ? ',' : ''}"nodeName":n};`;
      make = compiled(code, () => new Function('b', 'n', code) as SpecMake);
    }
    specMakers.set(template, make);
  }
  return make(template.base, nodeName);
}

type SpecMake = (base: Record<string, unknown>, nodeName: unknown) => Record<string, unknown>;
const specMakers = new WeakMap<Template, SpecMake>();

function specOfKeys(keys: string[], base: Record<string, unknown>, nodeName: unknown): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  for (const k of keys) spec[k] = base[k];
  if (nodeName !== undefined) spec.nodeName = nodeName;
  return spec;
}

/** Functions made from code by their code (few: one per structure of pod, one per template's keys). */
const compiledByCode = new Map<string, unknown>();
function compiled<F>(code: string, make: () => F): F {
  let f = compiledByCode.get(code) as F | undefined;
  if (f === undefined) {
    // (bounded for a long `kubesim serve`)
    if (compiledByCode.size >= 256) compiledByCode.clear();
    f = make();
    compiledByCode.set(code, f);
  }
  return f;
}

export class RowShape {
  /** the values that differed between rows read by this shape; the others are in the runs */
  private readonly varying: boolean[];
  private fastRuns: string[] = [];
  private fastStrings: number[] = [];
  private readonly make: Make;
  /** per reference: the value holding the shared value's or the template's id, and which */
  private readonly refIds: number[];
  private readonly refTemplate: boolean[];

  constructor(
    /** the constant runs between the row's string values (n + 1 of them) */
    private readonly runs: string[],
    /** the values of the row the shape was made from, as they stand in the text (strings without their quotes) */
    private readonly raws: string[],
    /** which of them are numbers */
    private readonly numeric: boolean[],
    /** and as values (interned where the pod's strings are) */
    private readonly values: Value[],
    /** per string: interned when it is not the shape's */
    private readonly interned: boolean[],
    /** pairs (string, the IP whose string it takes when equal): sameIps */
    private readonly sameAs: number[],
    /** the pod's structure, or the shape this one is a copy of (its function and references taken) */
    root: Part | RowShape,
    /** the value holding the template's id */
    readonly templateAt: number | undefined,
  ) {
    this.varying = raws.map(() => false);
    this.merge();
    if (root instanceof RowShape) {
      ({ make: this.make, refIds: this.refIds, refTemplate: this.refTemplate } = root);
      return;
    }
    this.refIds = [];
    this.refTemplate = [];
    const code = `return ${this.code(root)};`;
    // the code is the row's keys as JSON string literals, its other literals as JSON and indexes:
    // nothing of the text runs as code
    const make = compiled(code, () => new Function('s', 'r', 'spec', code) as Make);
    this.make = make;
  }

  /** This shape with the values of a row it matched as its own, none varying yet (a ReplicaSet's). */
  specialize(values: Value[]): RowShape {
    const raws = values.map(String);
    return new RowShape(this.runs, raws, this.numeric, values, this.interned, this.sameAs, this, this.templateAt);
  }

  private code(p: Part): string {
    switch (p.t) {
      case LITERAL:
        return JSON.stringify(p.v);
      case STRING:
        return `s[${p.v as number}]`;
      case OBJECT:
        return `{${p.keys!.map((k, i) => `${JSON.stringify(k)}:${this.code(p.kids![i])}`).join(',')}}`;
      case ARRAY:
        return `[${p.kids!.map((k) => this.code(k)).join(',')}]`;
      case SHARED:
        this.refIds.push(p.id);
        this.refTemplate.push(false);
        return `r[${this.refIds.length - 1}]`;
      default: {
        this.refIds.push(p.id);
        this.refTemplate.push(true);
        return `spec(r[${this.refIds.length - 1}], ${p.kids!.length ? this.code(p.kids![0]) : 'undefined'})`;
      }
    }
  }

  /** The runs with the strings that have not varied in them. */
  private merge(): void {
    const runs: string[] = [];
    const strings: number[] = [];
    let run = this.runs[0];
    for (let k = 0; k < this.raws.length; k++) {
      if (this.varying[k]) {
        runs.push(run);
        strings.push(k);
        run = this.runs[k + 1];
      } else run += `${this.raws[k]}${this.numeric[k] ? '' : '"'}${this.runs[k + 1]}`;
    }
    runs.push(run);
    this.fastRuns = runs;
    this.fastStrings = strings;
  }

  /**
   * The row's strings when its text (without escapes) has this shape, else undefined: first with
   * the strings that have not varied as constant, then each string on its own (what differs
   * varies from then on).
   */
  match(text: string): Value[] | undefined {
    const out = this.values.slice();
    const runs = this.fastRuns;
    const strings = this.fastStrings;
    let pos = 0;
    let k = 0;
    for (; k < strings.length; k++) {
      // (a substring compared is ~2x faster than startsWith here)
      const run = runs[k];
      if (text.substring(pos, pos + run.length) !== run) break;
      pos += run.length;
      const at = strings[k];
      if (this.numeric[at]) {
        const end = digitsEnd(text, pos);
        if (end < 0) break;
        out[at] = Number(text.slice(pos, end));
        pos = end;
        continue;
      }
      const end = text.indexOf('"', pos);
      if (end < 0) return undefined;
      out[at] = this.stringAt(text, pos, end, at);
      pos = end + 1;
    }
    if (k < strings.length || pos + runs[k].length !== text.length || text.substring(pos) !== runs[k]) return this.matchEach(text);
    return this.same(out);
  }

  private stringAt(text: string, pos: number, end: number, k: number): string {
    // a slice of 13 characters or more is a view that keeps the whole text alive: parsed, it is a string of its own
    const s = end - pos < 13 ? text.slice(pos, end) : (JSON.parse(text.slice(pos - 1, end + 1)) as string);
    return this.interned[k] ? internString(s) : s;
  }

  private matchEach(text: string): Value[] | undefined {
    const { runs, raws } = this;
    const out = this.values.slice();
    const varied: number[] = [];
    let pos = 0;
    for (let k = 0; k < raws.length; k++) {
      const run = runs[k];
      if (!text.startsWith(run, pos)) return undefined;
      pos += run.length;
      const raw = raws[k];
      if (this.numeric[k]) {
        const end = digitsEnd(text, pos);
        if (end < 0) return undefined;
        const digits = text.slice(pos, end);
        pos = end;
        if (digits === raw) continue;
        out[k] = Number(digits);
        varied.push(k);
        continue;
      }
      if (text.startsWith(raw, pos) && text.charCodeAt(pos + raw.length) === 34) {
        pos += raw.length + 1;
        continue;
      }
      const end = text.indexOf('"', pos);
      if (end < 0) return undefined;
      out[k] = this.stringAt(text, pos, end, k);
      varied.push(k);
      pos = end + 1;
    }
    const last = runs[raws.length];
    if (pos + last.length !== text.length || !text.startsWith(last, pos)) return undefined;
    for (const k of varied) this.varying[k] = true;
    if (varied.length) this.merge();
    return this.same(out);
  }

  private same(out: Value[]): Value[] {
    const same = this.sameAs;
    for (let k = 0; k < same.length; k += 2) if (out[same[k]] === out[same[k + 1]]) out[same[k]] = out[same[k + 1]];
    return out;
  }

  /** The pod of a text this shape matched (undefined when a shared value or template is missing). */
  build(strings: Value[], shared: ReadonlyMap<number, unknown>, templates: ReadonlyMap<number, Template>): KObject | undefined {
    const ids = this.refIds;
    const refs = new Array<unknown>(ids.length);
    for (let k = 0; k < ids.length; k++) {
      const id = strings[ids[k]] as number;
      const v = this.refTemplate[k] ? templates.get(id) : shared.get(id);
      if (v === undefined) return undefined;
      refs[k] = v;
    }
    return this.make(strings, refs, specOf);
  }
}

/**
 * The shapes of the pod rows read last (a ReplicaSet's pods are read one after another), and
 * what reads a row by them. A shape is made from a pod row read the general way; while shapes
 * are tried more than they serve (rows of many shapes, or none), none is made.
 */
export class RowShapes {
  /** shapes made from rows read the general way: their values vary across ReplicaSets */
  private families: RowShape[] = [];
  /** shapes of the ReplicaSets read last, made from a family and a row */
  private shapes: RowShape[] = [];
  private tried = 0;
  private served = 0;

  read(
    text: string,
    shared: ReadonlyMap<number, unknown>,
    templates: ReadonlyMap<number, Template>,
  ): { obj: KObject; templateId: number | undefined } | undefined {
    if (this.families.length === 0 || text.includes('\\')) return undefined;
    let shape: RowShape | undefined;
    let strings = this.first(this.shapes, text);
    if (strings) shape = this.shapes[0];
    else {
      // a ReplicaSet's first pod read: its own shape from now on
      strings = this.first(this.families, text);
      if (!strings) return undefined;
      shape = this.families[0].specialize(strings);
      this.shapes.unshift(shape);
      if (this.shapes.length > 8) this.shapes.pop();
    }
    const obj = shape.build(strings, shared, templates);
    if (!obj) return undefined;
    this.served++;
    return { obj, templateId: shape.templateAt === undefined ? undefined : (strings[shape.templateAt] as number) };
  }

  /** The values of the text by the first of the shapes it matches, that shape moved first. */
  private first(shapes: RowShape[], text: string): Value[] | undefined {
    for (let i = 0; i < shapes.length; i++) {
      const shape = shapes[i];
      const values = shape.match(text);
      if (!values) continue;
      if (i > 0) {
        shapes.splice(i, 1);
        shapes.unshift(shape);
      }
      return values;
    }
    return undefined;
  }

  /** After a pod row was read the general way. */
  learn(text: string): void {
    if (this.tried >= 64 && this.tried * 4 > this.served) return;
    // (a try counts: rows no shape is made of are read the general way without one after a while)
    this.tried++;
    const shape = rowShape(text);
    if (!shape) return;
    this.families.unshift(shape);
    if (this.families.length > 8) this.families.pop();
  }
}

/**
 * The shape of a pod row's text, or undefined for one this does not read: a text with an escape,
 * or not as JSON.stringify writes it (the text made again from the parsed value must be it:
 * that also rules out a key twice).
 */
export function rowShape(text: string): RowShape | undefined {
  if (text.includes('\\')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const runs: string[] = [];
  const raws: string[] = [];
  const numeric: boolean[] = [];
  let run = '';
  let valid = true;
  // without escapes a string's text is its value
  const part = (v: unknown, fixed: boolean): Part => {
    if (typeof v === 'string') {
      if (fixed) {
        run += `"${v}"`;
        return new Part(LITERAL, v, undefined, undefined, 0);
      }
      runs.push(`${run}"`);
      raws.push(v);
      numeric.push(false);
      run = '';
      return new Part(STRING, raws.length - 1, undefined, undefined, 0);
    }
    if (Array.isArray(v)) {
      run += '[';
      const kids = v.map((e, i) => {
        if (i) run += ',';
        return part(e, false);
      });
      run += ']';
      return new Part(ARRAY, undefined, undefined, kids, 0);
    }
    if (v !== null && typeof v === 'object') {
      run += '{';
      const keys = Object.keys(v);
      // (an object literal's __proto__ sets the prototype)
      if (keys.includes('__proto__')) valid = false;
      const kids = keys.map((k, i) => {
        run += `${i ? ',' : ''}${JSON.stringify(k)}:`;
        return part((v as Record<string, unknown>)[k], v === value && (k === 'apiVersion' || k === 'kind'));
      });
      run += '}';
      return new Part(OBJECT, undefined, keys, kids, 0);
    }
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) {
      // digits only (ids, counts): a value, so that the pods of other ReplicaSets (other shared
      // values, another template) have this shape too
      runs.push(run);
      raws.push(String(v));
      numeric.push(true);
      run = '';
      return new Part(STRING, raws.length - 1, undefined, undefined, 0);
    }
    run += JSON.stringify(v);
    return new Part(LITERAL, v, undefined, undefined, 0);
  };
  const root = part(value, false);
  runs.push(run);
  if (!valid || root.t !== OBJECT) return undefined;
  let again = runs[0];
  for (let k = 0; k < raws.length; k++) again += `${raws[k]}${numeric[k] ? '' : '"'}${runs[k + 1]}`;
  if (again !== text) return undefined;
  return podShape(root, runs, raws, numeric);
}

function child(p: Part | undefined, key: string): Part | undefined {
  if (p?.t !== OBJECT) return undefined;
  const k = p.keys!.indexOf(key);
  return k < 0 ? undefined : p.kids![k];
}

function setChild(p: Part, key: string, to: Part): void {
  p.kids![p.keys!.indexOf(key)] = to;
}

/** The general read's steps after JSON.parse (StateFile.rowObject), on the shape. */
function podShape(root: Part, runs: string[], raws: string[], numeric: boolean[]): RowShape | undefined {
  const kind = child(root, 'kind');
  const md = child(root, 'metadata');
  if (kind?.t !== LITERAL || kind.v !== 'Pod' || md?.t !== OBJECT) return undefined;
  const interned = raws.map(() => false);
  const sameAs: number[] = [];
  let valid = true;
  /** a value the row's text holds in quotes */
  const isString = (p: Part | undefined): p is Part => p?.t === STRING && !numeric[p.v as number];
  const intern = (p: Part | undefined): void => {
    if (isString(p)) interned[p.v as number] = true;
  };
  // mapPodParts: an object naming a shared value by number is that value (an id that is not
  // digits names no shared value: the general read reports the row)
  const share = (p: Part, key: string): void => {
    const id = child(child(p, key), '$shared');
    if (id?.t === STRING && numeric[id.v as number]) setChild(p, key, new Part(SHARED, undefined, undefined, undefined, id.v as number));
    else if (id?.t === LITERAL && typeof id.v === 'number') valid = false;
  };
  share(md, 'labels');
  share(md, 'ownerReferences');
  const st = child(root, 'status');
  if (st?.t === OBJECT) {
    share(st, 'conditions');
    const statuses = child(st, 'containerStatuses');
    if (statuses?.t === ARRAY)
      for (const cs of statuses.kids!)
        if (cs.t === OBJECT) {
          share(cs, 'state');
          share(cs, 'lastState');
        }
  }
  // internPodStrings
  intern(child(md, 'creationTimestamp'));
  intern(child(md, 'generateName'));
  if (st?.t === OBJECT) {
    intern(child(st, 'startTime'));
    intern(child(st, 'hostIP'));
    for (const [list, ip] of [
      ['hostIPs', 'hostIP'],
      ['podIPs', 'podIP'],
    ] as const) {
      const l = child(st, list);
      const p = child(st, ip);
      if (l?.t === ARRAY && isString(p))
        for (const e of l.kids!) {
          const eip = child(e, 'ip');
          if (isString(eip)) sameAs.push(eip.v as number, p.v as number);
        }
    }
    const statuses = child(st, 'containerStatuses');
    if (statuses?.t === ARRAY) for (const cs of statuses.kids!) intern(child(cs, 'image'));
  }
  // the spec from its template
  let templateAt: number | undefined;
  const spec = child(root, 'spec');
  const ref = child(spec, '$template');
  if (ref) {
    if (ref.t !== STRING || !numeric[ref.v as number]) return undefined;
    templateAt = ref.v as number;
    const nodeName = child(spec, 'nodeName');
    setChild(root, 'spec', new Part(TEMPLATE, undefined, undefined, nodeName ? [nodeName] : [], templateAt));
  }
  if (!valid) return undefined;
  const values: Value[] = raws.map((r, k) => (numeric[k] ? Number(r) : interned[k] ? internString(r) : r));
  for (let k = 0; k < sameAs.length; k += 2) if (values[sameAs[k]] === values[sameAs[k + 1]]) values[sameAs[k]] = values[sameAs[k + 1]];
  return new RowShape(runs, raws, numeric, values, interned, sameAs, root, templateAt);
}

/** Where the digits at pos end (-1: none, or a leading zero JSON does not write). */
function digitsEnd(text: string, pos: number): number {
  let end = pos;
  for (let c = text.charCodeAt(end); c >= 48 && c <= 57; c = text.charCodeAt(++end));
  if (end === pos || (end - pos > 1 && text.charCodeAt(pos) === 48) || end - pos > 15) return -1;
  return end;
}
