import { movedTimestamp } from './wire';

/**
 * The JSON text of served objects with their timestamps moved to the client's clock, written
 * straight from the stored object: the same text as JSON.stringify(shiftTimestamps(obj)), without
 * the deep copy shiftTimestamps makes of every object. A LIST of 150,000 pods copied every pod
 * (~40 objects and arrays each) and then serialised the copies; here the parts many pods share
 * (labels, owner references, conditions, container states: the store's interned values, and the
 * fields of a pod spec's template) are serialised once per clock offset and their text reused,
 * and only what is the pod's own is walked.
 */

/** What the store says of its values: which are shared between objects, and a pod spec's template. */
export interface SharedParts {
  isShared(value: object): boolean;
  readonly templateOf: { get(spec: object): { base: Record<string, unknown> } | undefined };
}

/** A quoted RFC 3339 timestamp in JSON text (what shiftTimestamps moves, as a string token). */
const QUOTED_TIMESTAMP = /"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)"/g;

/**
 * JSON text with the string values that are timestamps moved (what shiftTimestamps moves): a
 * match is a whole string token when its opening quote is not escaped (an even number of
 * backslashes before it) and it is not a key (a `:` after it) — shiftTimestamps moves values only.
 */
export function moveTimestampsInJson(text: string, offsetMs: number): string {
  // most parts hold no time: a search for the end of one is cheaper than the expression's
  if (Math.abs(offsetMs) < 1000 || !text.includes('Z"')) return text;
  return text.replace(QUOTED_TIMESTAMP, (match: string, stamp: string, at: number, whole: string) => {
    if (whole.charCodeAt(at + match.length) === 58 /* : */) return match;
    let slashes = 0;
    while (at - slashes - 1 >= 0 && whole.charCodeAt(at - slashes - 1) === 92 /* \ */) slashes++;
    if (slashes % 2) return match;
    return `"${movedTimestamp(stamp, offsetMs)}"`;
  });
}

/** keys as JSON, made once (a LIST writes the same few hundred keys millions of times) */
const quotedKeys = new Map<string, string>();

function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < 10_000) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/** how deep objects are walked (the object, and its sections: metadata, spec, status) */
const WALKED_DEPTH = 2;

export class ServedJson {
  private offsetMs = 0;
  /** the text of shared values, for the offset they were written with */
  private texts = new WeakMap<object, string>();
  private textsFor = Number.NaN;

  /** The JSON text of `value` with its timestamps moved by `offsetMs`; `shared`: the store's shared values. */
  text(value: unknown, offsetMs: number, shared?: SharedParts): string {
    // shiftTimestamps moves by whole seconds: offsets that round alike write alike
    const effective = Math.abs(offsetMs) < 1000 ? 0 : Math.round(offsetMs / 1000) * 1000;
    if (effective !== this.textsFor) {
      this.texts = new WeakMap();
      this.textsFor = effective;
    }
    this.offsetMs = offsetMs;
    return this.write(value, shared, 0) ?? 'null';
  }

  /** A value's text (undefined: none, as JSON.stringify leaves out an undefined property). */
  private write(v: unknown, shared: SharedParts | undefined, depth: number): string | undefined {
    switch (typeof v) {
      case 'string': {
        const moved = v.length >= 20 && v.charCodeAt(10) === 84 /* T */ ? movedTimestamp(v, this.offsetMs) : v;
        return JSON.stringify(moved);
      }
      case 'number':
        return Number.isFinite(v) ? String(v) : 'null';
      case 'boolean':
        return v ? 'true' : 'false';
      case 'object':
        return v === null ? 'null' : this.object(v, shared, depth);
      default:
        // undefined, functions and symbols, as JSON.stringify leaves them; a bigint throws there too
        return typeof v === 'bigint' ? JSON.stringify(v) : undefined;
    }
  }

  private object(v: object, shared: SharedParts | undefined, depth: number): string {
    if (shared?.isShared(v)) return this.sharedText(v);
    // below the object's own sections the rest is JSON.stringify's (native: faster than a walk in JS), moved after
    if (depth >= WALKED_DEPTH || typeof (v as { toJSON?: unknown }).toJSON === 'function')
      return moveTimestampsInJson(JSON.stringify(v), this.offsetMs);
    if (Array.isArray(v)) {
      const items: readonly unknown[] = v;
      if (!items.length) return '[]';
      let out = '[';
      for (let i = 0; i < items.length; i++) out += `${i ? ',' : ''}${this.write(items[i], shared, depth + 1) ?? 'null'}`;
      return `${out}]`;
    }
    const o = v as Record<string, unknown>;
    const template = shared?.templateOf.get(o);
    if (template) {
      const text = this.fromTemplate(o, template.base);
      if (text !== undefined) return text;
    }
    let out = '{';
    let first = true;
    for (const k of Object.keys(o)) {
      const text = this.write(o[k], shared, depth + 1);
      if (text === undefined) continue;
      out += first ? `${quotedKey(k)}:${text}` : `,${quotedKey(k)}:${text}`;
      first = false;
    }
    return `${out}}`;
  }

  /**
   * A pod spec made from its template: the template's fields (their text made once), then the
   * pod's nodeName (undefined: the spec is not the template's fields and a nodeName, in that order).
   */
  private fromTemplate(spec: Record<string, unknown>, base: Record<string, unknown>): string | undefined {
    const keys = Object.keys(spec);
    const baseKeys = Object.keys(base);
    const extra = keys.length - baseKeys.length;
    if (extra < 0 || extra > 1 || (extra === 1 && keys[keys.length - 1] !== 'nodeName')) return undefined;
    for (let i = 0; i < baseKeys.length; i++) if (keys[i] !== baseKeys[i] || spec[keys[i]] !== base[baseKeys[i]]) return undefined;
    const text = this.sharedText(base);
    if (!extra) return text;
    const node = this.write(spec.nodeName, undefined, WALKED_DEPTH);
    if (node === undefined) return text;
    return `${text.length > 2 ? `${text.slice(0, -1)},` : '{'}"nodeName":${node}}`;
  }

  private sharedText(v: object): string {
    let text = this.texts.get(v);
    if (text === undefined) {
      text = moveTimestampsInJson(JSON.stringify(v), this.offsetMs);
      this.texts.set(v, text);
    }
    return text;
  }
}
