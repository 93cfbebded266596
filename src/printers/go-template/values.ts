/**
 * The values a Go template sees, modelled on reflect.Value for what kubectl feeds it:
 * the object decoded as map[string]interface{} (apimachinery's json: integral numbers are
 * int64, others float64), template literals (int, float64, string, bool), and what the
 * builtins return (int from len, uint8 from index of a string).
 *
 * Map and slice elements are `interface{}`: a GoIface around the concrete value, or around
 * nothing for JSON null. `undefined` is the invalid reflect.Value (a missing key), which Go
 * prints as `<no value>` at the top and treats as nil when passed on.
 */

export type IntType = 'int' | 'int64' | 'uint8';

export class GoInt {
  constructor(
    readonly value: bigint,
    readonly type: IntType,
  ) {}
}

export class GoFloat {
  constructor(readonly value: number) {}
}

/** A complex128 constant (`{{1+2i}}`). */
export class GoComplex {
  constructor(
    readonly re: number,
    readonly im: number,
  ) {}
}

/** map[string]interface{} over unstructured JSON content. */
export class GoMap {
  constructor(readonly entries: Record<string, unknown>) {}
}

/** []interface{} over unstructured JSON content. */
export class GoSlice {
  constructor(readonly items: unknown[]) {}
}

/** An interface{} value: a map or slice element; `elem` null is a nil interface (JSON null). */
export class GoIface {
  constructor(readonly elem: Concrete | null) {}
}

export type Concrete = string | boolean | GoInt | GoFloat | GoComplex | GoMap | GoSlice;
export type Value = Concrete | GoIface;

/** The concrete value of unstructured content; null for JSON null (a nil interface). */
export function fromData(raw: unknown): Concrete | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string' || typeof raw === 'boolean') return raw;
  if (typeof raw === 'number') return Number.isInteger(raw) && Math.abs(raw) < 2 ** 63 ? new GoInt(BigInt(raw), 'int64') : new GoFloat(raw);
  if (Array.isArray(raw)) return new GoSlice(raw);
  if (typeof raw === 'object') return new GoMap(raw as Record<string, unknown>);
  return String(raw);
}

/** The element of a map or slice, typed interface{} as in map[string]interface{}. */
export function elementOf(raw: unknown): GoIface {
  return new GoIface(fromData(raw));
}

export function mapIndex(m: GoMap, key: string): GoIface | undefined {
  return Object.prototype.hasOwnProperty.call(m.entries, key) && m.entries[key] !== undefined ? elementOf(m.entries[key]) : undefined;
}

/** reflect's Kind, by which the builtins and the printer switch. */
export type Kind = 'invalid' | 'bool' | 'int' | 'uint' | 'float' | 'complex' | 'string' | 'map' | 'slice' | 'interface';

export function kindOf(v: Value | undefined): Kind {
  if (v === undefined) return 'invalid';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof GoInt) return v.type === 'uint8' ? 'uint' : 'int';
  if (v instanceof GoFloat) return 'float';
  if (v instanceof GoComplex) return 'complex';
  if (v instanceof GoMap) return 'map';
  if (v instanceof GoSlice) return 'slice';
  return 'interface';
}

/** Go's type name, as errors and %T print it. */
export function typeName(v: Value): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof GoInt) return v.type;
  if (v instanceof GoFloat) return 'float64';
  if (v instanceof GoComplex) return 'complex128';
  if (v instanceof GoMap) return 'map[string]interface {}';
  if (v instanceof GoSlice) return '[]interface {}';
  return 'interface {}';
}

/** indirectInterface: the value inside an interface; undefined (invalid) for a nil one. */
export function indirectInterface(v: Value | undefined): Concrete | undefined {
  if (v instanceof GoIface) return v.elem ?? undefined;
  return v;
}

/** text/template's indirect: through interfaces, reporting a nil one. */
export function indirect(v: Value | undefined): { value: Value | undefined; isNil: boolean } {
  if (v instanceof GoIface) return v.elem === null ? { value: v, isNil: true } : { value: v.elem, isNil: false };
  return { value: v, isNil: false };
}

/** Length of a string in bytes, of a map in keys, of a slice in items. */
export function lengthOf(v: string | GoMap | GoSlice): number {
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
  if (v instanceof GoMap) return Object.keys(v.entries).filter((k) => v.entries[k] !== undefined).length;
  return v.items.length;
}

/** text/template's isTrue: the zero value of its type is false; ok false for kinds with no truth. */
export function isTrue(v: Value | undefined): { truth: boolean; ok: boolean } {
  if (v === undefined) return { truth: false, ok: true };
  if (typeof v === 'boolean') return { truth: v, ok: true };
  if (typeof v === 'string' || v instanceof GoMap || v instanceof GoSlice) return { truth: lengthOf(v) > 0, ok: true };
  if (v instanceof GoInt) return { truth: v.value !== 0n, ok: true };
  if (v instanceof GoFloat) return { truth: v.value !== 0, ok: true };
  if (v instanceof GoComplex) return { truth: v.re !== 0 || v.im !== 0, ok: true };
  return { truth: v.elem !== null, ok: true };
}
