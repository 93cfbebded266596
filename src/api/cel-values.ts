import { celUint, isCelList, isCelMap, isCelUint, isCelType, type CelInput, type CelValue } from '@bufbuild/cel';
import { isReflectMessage } from '@bufbuild/protobuf/reflect';
import { OptionalBinding, optionalFromInput } from './cel-optional';

/**
 * The glue between kubesim's values and @bufbuild/cel's, and cel-go's wording of runtime errors
 * (common/types/err.go, overflow.go, int.go, uint.go, double.go, string.go).
 */

export class CelEvalError extends Error {}

/** A CEL uint in a result (an unsigned 64-bit integer). */
export class CelUint {
  constructor(readonly value: bigint) {}
  toString(): string {
    return String(this.value);
  }
}

/** A number the schema types as `number`: a CEL double even when integral (`1` in a `type: number` field). */
export class CelDouble {
  constructor(readonly value: number) {}
}

export const MIN_INT = -(2n ** 63n);
export const MAX_INT = 2n ** 63n - 1n;
export const MAX_UINT = 2n ** 64n - 1n;

/**
 * A value read from object data. kube converts an object to CEL by its OpenAPI schema:
 * `type: integer` fields (replicas, ports, …: int32/int64) become int and `type: number`
 * fields double; quantities are strings. The built-in kinds a policy sees have no `number`
 * fields, so an integral JSON number reads as int and any other number as double.
 */
export function toCelInput(v: unknown): CelInput {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? BigInt(v) : v;
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof CelUint) return celUint(v.value);
  if (v instanceof CelDouble) return v.value;
  if (v instanceof OptionalBinding) return optionalFromInput(v.value === undefined ? undefined : toCelInput(v.value)) as CelInput;
  // a value of a library type (a Quantity) handed back from an earlier result, as a policy's variables are
  if (isReflectMessage(v)) return v;
  if (Array.isArray(v)) return v.map(toCelInput);
  if (typeof v === 'object') {
    const m = new Map<string, CelInput>();
    for (const [k, x] of Object.entries(v)) if (x !== undefined) m.set(k, toCelInput(x));
    return m;
  }
  return null;
}

/** A CEL result as a plain value: lists as arrays, maps as objects, uints as CelUint, types as their names; a library type's value (a Quantity) stays as it is. */
export function fromCelValue(v: CelValue): unknown {
  if (isCelUint(v)) return new CelUint(v.value);
  if (isReflectMessage(v)) return v;
  if (isCelList(v)) return [...v].map(fromCelValue);
  if (isCelMap(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v) out[String(isCelUint(k) ? k.value : k)] = fromCelValue(x);
    return out;
  }
  if (isCelType(v)) return v.name;
  return v;
}

/** The value JSON shows for a CEL value (an int beyond 2^53 stays exact as a string, as cel-go's JSON conversion does). */
export function toJson(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : String(v);
  if (v instanceof CelUint) return toJson(v.value);
  if (Array.isArray(v)) return v.map(toJson);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)]));
  return v;
}

/**
 * The types that implement an operator's trait (cel-go's traits.AdderType, …). cel-go calls the
 * left operand's implementation when it has the trait, which answers `no such overload` for a
 * right operand of another type; without the trait the dispatcher answers `no such overload: <fn>`.
 */
const TRAITS: Record<string, string[]> = {
  '_+_': ['int', 'uint', 'double', 'string', 'list', 'bytes', 'google.protobuf.Timestamp', 'google.protobuf.Duration'],
  '_-_': ['int', 'uint', 'double', 'google.protobuf.Timestamp', 'google.protobuf.Duration'],
  '_*_': ['int', 'uint', 'double'],
  '_/_': ['int', 'uint', 'double'],
  '_%_': ['int', 'uint'],
  '-_': ['int', 'double', 'google.protobuf.Duration'],
  '_<_': ['int', 'uint', 'double', 'string', 'bool', 'bytes', 'google.protobuf.Timestamp', 'google.protobuf.Duration'],
};
TRAITS['_<=_'] = TRAITS['_>_'] = TRAITS['_>=_'] = TRAITS['_<_'];

/** @bufbuild/cel's runtime error text as cel-go words the same error. */
export function celGoError(message: string): string {
  const overload = /^found no matching overload for '?([^' ]+)'? applied to '(?:([^.(]+)\.)?\(([^,)]*)/.exec(message);
  if (overload) {
    const [, fn, target, first] = overload;
    const lhs = (target ?? first).trim();
    return TRAITS[fn]?.includes(lhs) ? 'no such overload' : `no such overload: ${fn}`;
  }
  if (/^int overflow/.test(message)) return 'integer overflow';
  if (/^uint overflow/.test(message)) return 'unsigned integer overflow';
  if (/divide by zero$/.test(message)) return 'division by zero';
  if (/modulus by zero$/.test(message)) return 'modulus by zero';
  const key = /^field not found: (.*)$/.exec(message);
  if (key) return `no such key: ${key[1]}`;
  const index = /^index (-?\d+) out of bounds \[0, (\d+)\)$/.exec(message);
  if (index) return `index out of bounds: ${index[1]}`;
  return message;
}

const conversionError = (to: string) => new CelEvalError(`type conversion error from 'string' to '${to}'`);

/** Go's strconv.ParseInt/ParseUint(s, 10, 64) syntax: an optional sign and decimal digits. */
function parseInteger(s: string, signed: boolean): bigint | undefined {
  return (signed ? /^[+-]?\d+$/ : /^\+?\d+$/).test(s) ? BigInt(s) : undefined;
}

/** int(string), as cel-go's String.ConvertToType. */
export function intFromString(s: string): bigint {
  const n = parseInteger(s, true);
  if (n !== undefined && n >= MIN_INT && n <= MAX_INT) return n;
  throw conversionError('int');
}

/** uint(string). */
export function uintFromString(s: string): bigint {
  const n = parseInteger(s, false);
  if (n !== undefined && n <= MAX_UINT) return n;
  throw conversionError('uint');
}

/** double(string): Go's strconv.ParseFloat syntax (inf, infinity and nan in any case). */
export function doubleFromString(v: string): number {
  const s = v.replace(/^([+-]?)(inf|infinity)$/i, '$1Infinity').replace(/^[+-]?nan$/i, 'NaN');
  if (/^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|Infinity|NaN)$/.test(s)) return Number(s);
  throw conversionError('double');
}

/** Go's fmt %g for a float64, as cel-go's string(double): shortest digits, exponent form below 1e-4 or from 1e6 (strconv's %g rule). */
export function formatDouble(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (!Number.isFinite(d)) return d > 0 ? '+Inf' : '-Inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const [mantissa, e] = d.toExponential().split('e');
  const exponent = Number(e);
  if (exponent < -4 || exponent >= 6) return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return String(d);
}
