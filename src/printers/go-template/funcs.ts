import { sprint, sprintf, sprintln, type FmtArg } from './fmt';
import {
  elementOf,
  type GoComplex,
  GoIface,
  GoInt,
  GoSlice,
  indirect,
  indirectInterface,
  isTrue,
  kindOf,
  lengthOf,
  mapIndex,
  typeName,
  GoMap,
  type Concrete,
  type Value,
} from './values';
import { compareGoStrings } from '../go-fmt';

/**
 * text/template's builtins (funcs.go) and the two kubectl adds in cli-runtime's
 * printers/template.go (`exists`, `base64decode`). Each declares Go's parameter types,
 * which decide how arguments are checked and what the error says; a function's Go error
 * is thrown as a FuncError and reported as `error calling NAME: …`.
 */

/** reflect.Value (the raw argument), interface{} (nil or a concrete value), or string. */
export type ParamType = 'value' | 'any' | 'string';

export interface GoFunc {
  params: ParamType[];
  variadic: boolean;
  builtin: boolean;
  call(args: unknown[]): Value | undefined;
}

export class FuncError extends Error {}

/** The panic a builtin hits when asked the type of an invalid reflect.Value. */
const ZERO_VALUE_TYPE = 'reflect: call of reflect.Value.Type on zero Value';

function builtin(params: ParamType[], variadic: boolean, call: GoFunc['call']): GoFunc {
  return { params, variadic, builtin: true, call };
}

function truth(v: Value | undefined): boolean {
  return isTrue(indirectInterface(v)).truth;
}

function fmtArgs(args: unknown[]): FmtArg[] {
  return args as FmtArg[];
}

export const FUNCS: Record<string, GoFunc> = {
  // and/or short-circuit in the executor; these bodies serve only their signatures
  and: builtin(['value', 'value'], true, (args) => args[args.length - 1] as Value),
  or: builtin(['value', 'value'], true, (args) => args[args.length - 1] as Value),
  call: builtin(['value', 'value'], true, (args) => callFunction(args[0] as string, args[1] as Value | undefined)),
  html: builtin(['any'], true, (args) => htmlEscape(evalArgs(fmtArgs(args)))),
  index: builtin(['value', 'value'], true, (args) => index(args[0] as Value | undefined, args.slice(1) as (Value | undefined)[])),
  slice: builtin(['value', 'value'], true, (args) => slice(args[0] as Value | undefined, args.slice(1) as (Value | undefined)[])),
  js: builtin(['any'], true, (args) => jsEscape(evalArgs(fmtArgs(args)))),
  len: builtin(['value'], false, (args) => length(args[0] as Value | undefined)),
  not: builtin(['value'], false, (args) => !truth(args[0] as Value | undefined)),
  print: builtin(['any'], true, (args) => sprint(fmtArgs(args))),
  printf: builtin(['string', 'any'], true, (args) => sprintf(args[0] as string, fmtArgs(args.slice(1)))),
  println: builtin(['any'], true, (args) => sprintln(fmtArgs(args))),
  urlquery: builtin(['any'], true, (args) => queryEscape(evalArgs(fmtArgs(args)))),
  eq: builtin(['value', 'value'], true, (args) => eq(args[0] as Value | undefined, args.slice(1) as (Value | undefined)[])),
  ge: builtin(['value', 'value'], false, (args) => !lt(args[0] as Value | undefined, args[1] as Value | undefined)),
  gt: builtin(['value', 'value'], false, (args) => !le(args[0] as Value | undefined, args[1] as Value | undefined)),
  le: builtin(['value', 'value'], false, (args) => le(args[0] as Value | undefined, args[1] as Value | undefined)),
  lt: builtin(['value', 'value'], false, (args) => lt(args[0] as Value | undefined, args[1] as Value | undefined)),
  ne: builtin(['value', 'value'], false, (args) => !eq(args[0] as Value | undefined, [args[1] as Value | undefined])),
  // kubectl's own (cli-runtime printers/template.go)
  exists: {
    params: ['any', 'any'],
    variadic: true,
    builtin: false,
    call: (args) => exists(args[0] as Concrete | null, args.slice(1) as (Concrete | null)[]),
  },
  base64decode: { params: ['string'], variadic: false, builtin: false, call: (args) => base64decode(args[0] as string) },
};

function callFunction(name: string, fn: Value | undefined): Value {
  const v = indirectInterface(fn);
  if (v === undefined) throw new FuncError('call of nil');
  throw new FuncError(`non-function ${name} of type ${typeName(v)}`);
}

/** indexArg: an integer index within [0, cap]. */
function indexArg(index: Value | undefined, cap: number): number {
  if (index === undefined) throw new FuncError('cannot index slice/array with nil');
  if (!(index instanceof GoInt)) throw new FuncError(`cannot index slice/array with type ${typeName(index)}`);
  const x = index.value;
  if (x < 0n || x > BigInt(cap)) throw new FuncError(`index out of range: ${x}`);
  return Number(x);
}

function index(item: Value | undefined, indexes: (Value | undefined)[]): Value | undefined {
  let current: Value | undefined = indirectInterface(item);
  if (current === undefined) throw new FuncError('index of untyped nil');
  for (const raw of indexes) {
    const idx = indirectInterface(raw);
    const { value, isNil } = indirect(current);
    if (isNil) throw new FuncError('index of nil pointer');
    current = value!;
    if (typeof current === 'string' || current instanceof GoSlice) {
      const len = lengthOf(current);
      const x = indexArg(idx, len);
      // Go 1.23's index leaves x == len to reflect, which panics
      if (x === len) throw new FuncError(`reflect: ${typeof current === 'string' ? 'string' : 'slice'} index out of range`);
      current = typeof current === 'string' ? new GoInt(BigInt(Buffer.from(current, 'utf8')[x]), 'uint8') : elementOf(current.items[x]);
    } else if (current instanceof GoMap) {
      if (idx === undefined) throw new FuncError('value is nil; should be of type string');
      if (typeof idx !== 'string') throw new FuncError(`value has type ${typeName(idx)}; should be string`);
      current = mapIndex(current, idx) ?? new GoIface(null);
    } else {
      throw new FuncError(`can't index item of type ${typeName(current)}`);
    }
  }
  return current;
}

function slice(item: Value | undefined, indexes: (Value | undefined)[]): Value {
  const v = indirectInterface(item);
  if (v === undefined) throw new FuncError('slice of untyped nil');
  if (indexes.length > 3) throw new FuncError(`too many slice indexes: ${indexes.length}`);
  let cap: number;
  if (typeof v === 'string') {
    if (indexes.length === 3) throw new FuncError('cannot 3-index slice a string');
    cap = lengthOf(v);
  } else if (v instanceof GoSlice) {
    cap = v.items.length;
  } else {
    throw new FuncError(`can't slice item of type ${typeName(v)}`);
  }
  const idx = [0, lengthOf(v), cap];
  indexes.forEach((x, i) => (idx[i] = indexArg(indirectInterface(x), cap)));
  if (idx[0] > idx[1]) throw new FuncError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1] > idx[2]) throw new FuncError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (typeof v === 'string') return Buffer.from(v, 'utf8').subarray(idx[0], idx[1]).toString('utf8');
  return new GoSlice(v.items.slice(idx[0], idx[1]));
}

function length(item: Value | undefined): GoInt {
  const { value, isNil } = indirect(item);
  if (isNil) throw new FuncError('len of nil pointer');
  if (value === undefined) throw new FuncError(ZERO_VALUE_TYPE);
  if (typeof value === 'string' || value instanceof GoMap || value instanceof GoSlice) return new GoInt(BigInt(lengthOf(value)), 'int');
  throw new FuncError(`len of type ${typeName(value)}`);
}

// --- comparison (funcs.go: eq, lt and friends)

type BasicKind = 'bool' | 'int' | 'uint' | 'float' | 'complex' | 'string' | 'invalid';

function basicKind(v: Concrete | undefined): BasicKind {
  const k = kindOf(v);
  return k === 'bool' || k === 'int' || k === 'uint' || k === 'float' || k === 'complex' || k === 'string' ? k : 'invalid';
}

const errBadComparisonType = 'invalid type for comparison';
const errBadComparison = 'incompatible types for comparison';

function intOf(v: Concrete | undefined): bigint {
  return (v as GoInt).value;
}

function eq(arg1: Value | undefined, arg2: (Value | undefined)[]): boolean {
  const a = indirectInterface(arg1);
  if (arg2.length === 0) throw new FuncError('missing argument for comparison');
  const k1 = basicKind(a);
  for (const arg of arg2) {
    const b = indirectInterface(arg);
    const k2 = basicKind(b);
    let truth = false;
    if (k1 !== k2) {
      // integers compare regardless of the sign of their types
      if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) truth = intOf(a) === intOf(b);
      else if (a !== undefined && b !== undefined) throw new FuncError(errBadComparison);
    } else if (k1 === 'invalid') {
      // maps and slices: nil only equals nil, and Go can compare neither
      if (a !== undefined && b !== undefined) {
        if (typeName(a) !== typeName(b))
          throw new FuncError(`non-comparable types ${sprintf('%s', [a])}: ${typeName(a)}, ${typeName(b)}: ${sprint([b])}`);
        throw new FuncError(`non-comparable type ${sprintf('%s', [b])}: ${typeName(b)}`);
      }
      truth = a === undefined && b === undefined;
    } else if (k1 === 'complex') {
      truth = (a as GoComplex).re === (b as GoComplex).re && (a as GoComplex).im === (b as GoComplex).im;
    } else if (k1 === 'float' || k1 === 'int' || k1 === 'uint') {
      truth = numberOf(a!) === numberOf(b!);
    } else {
      truth = a === b;
    }
    if (truth) return true;
  }
  return false;
}

function numberOf(v: Concrete): bigint | number {
  return v instanceof GoInt ? v.value : (v as { value: number }).value;
}

function lt(arg1: Value | undefined, arg2: Value | undefined): boolean {
  const a = indirectInterface(arg1);
  const k1 = basicKind(a);
  if (k1 === 'invalid') throw new FuncError(errBadComparisonType);
  const b = indirectInterface(arg2);
  const k2 = basicKind(b);
  if (k2 === 'invalid') throw new FuncError(errBadComparisonType);
  if (k1 !== k2) {
    if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) return intOf(a) < intOf(b);
    throw new FuncError(errBadComparison);
  }
  if (k1 === 'bool' || k1 === 'complex') throw new FuncError(errBadComparisonType);
  if (k1 === 'string') return compareGoStrings(a as string, b as string) < 0;
  return numberOf(a!) < numberOf(b!);
}

function le(arg1: Value | undefined, arg2: Value | undefined): boolean {
  return lt(arg1, arg2) || eq(arg1, [arg2]);
}

// --- escaping (text/template's HTMLEscaper, JSEscaper, URLQueryEscaper)

/** evalArgs: one string argument as is, anything else through fmt.Sprint (a nil as `<no value>`). */
function evalArgs(args: FmtArg[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  const printable = args.map((a) => (a === null ? '<no value>' : a));
  return sprint(printable);
}

function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => ({ '\0': '\ufffd', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    switch (ch) {
      case '\\':
        out += '\\\\';
        continue;
      case "'":
        out += "\\'";
        continue;
      case '"':
        out += '\\"';
        continue;
      case '<':
        out += '\\u003C';
        continue;
      case '>':
        out += '\\u003E';
        continue;
      case '&':
        out += '\\u0026';
        continue;
      case '=':
        out += '\\u003D';
        continue;
    }
    if (r < 0x20) out += `\\u00${r.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (r >= 0x80 && !/[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]/u.test(ch)) out += `\\u${r.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

/** url.QueryEscape: unreserved bytes kept, space as `+`, the rest %XX. */
function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

// --- kubectl's functions

/** cli-runtime's exists: whether `index item indices…` would find something non-nil. */
function exists(item: Concrete | null, indices: (Concrete | null)[]): boolean {
  let v: Value | undefined = item ?? undefined;
  for (const i of indices) {
    const { value, isNil } = indirect(v);
    if (isNil || value === undefined) return false;
    if (typeof value === 'string' || value instanceof GoSlice) {
      if (!(i instanceof GoInt)) return false;
      const len = lengthOf(value);
      if (i.value < 0n || i.value >= BigInt(len)) return false;
      const x = Number(i.value);
      v = typeof value === 'string' ? new GoInt(BigInt(Buffer.from(value, 'utf8')[x]), 'uint8') : elementOf(value.items[x]);
    } else if (value instanceof GoMap) {
      const key = i ?? '';
      if (typeof key !== 'string') return false;
      v = mapIndex(value, key) ?? new GoIface(null);
    } else {
      return false;
    }
  }
  const { value, isNil } = indirect(v);
  return !isNil && value !== undefined;
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** base64.StdEncoding.DecodeString with Go's CorruptInputError offsets; \r and \n are skipped. */
function base64decode(text: string): string {
  const src = Buffer.from(text, 'utf8');
  const out: number[] = [];
  const corrupt = (at: number): never => {
    throw new FuncError(`base64 decode failed: illegal base64 data at input byte ${at}`);
  };
  let si = 0;
  while (si < src.length) {
    const dbuf: number[] = [];
    let dlen = 4;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Buffer.from(out).toString('utf8');
        corrupt(si - j);
      }
      const c = src[si++];
      const d = BASE64_ALPHABET.indexOf(String.fromCharCode(c));
      if (d >= 0) {
        dbuf[j] = d;
        continue;
      }
      if (c === 0x0a || c === 0x0d) {
        j--;
        continue;
      }
      if (c !== 0x3d) corrupt(si - 1);
      // padding: only after two or three characters of the quantum
      if (j === 0 || j === 1) corrupt(si - 1);
      if (j === 2) {
        while (si < src.length && (src[si] === 0x0a || src[si] === 0x0d)) si++;
        if (si === src.length) corrupt(src.length);
        if (src[si] !== 0x3d) corrupt(si - 1);
        si++;
      }
      while (si < src.length && (src[si] === 0x0a || src[si] === 0x0d)) si++;
      if (si < src.length) corrupt(si);
      dlen = j;
      break;
    }
    const val = (dbuf[0] << 18) | (dbuf[1] << 12) | ((dbuf[2] ?? 0) << 6) | (dbuf[3] ?? 0);
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    out.push(...bytes.slice(0, dlen - 1));
  }
  return Buffer.from(out).toString('utf8');
}
