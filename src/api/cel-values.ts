/**
 * CEL's scalar types and their arithmetic, comparison and conversion overloads, as
 * cel-go implements them (common/types/int.go, uint.go, double.go, string.go,
 * overflow.go, err.go):
 * - int is a signed 64-bit integer, held as a bigint; uint an unsigned 64-bit one,
 *   held as a CelUint; double a float64, held as a JS number.
 * - int and uint arithmetic is checked: a result out of range is the error
 *   "integer overflow" / "unsigned integer overflow"; division and modulus truncate
 *   toward zero and a zero divisor is "division by zero" / "modulus by zero".
 * - double arithmetic follows IEEE 754 (1.0 / 0.0 is +Inf) and has no `%`.
 * - The three never mix in arithmetic (`1 + 1.0` has no overload); they do compare
 *   and test equal across types (kube enables cel.CrossTypeNumericComparisons).
 */

export class CelEvalError extends Error {}

export class CelUint {
  constructor(readonly value: bigint) {}
  toString(): string {
    return String(this.value);
  }
}

export const MIN_INT = -(2n ** 63n);
export const MAX_INT = 2n ** 63n - 1n;
export const MAX_UINT = 2n ** 64n - 1n;

export type CelNumber = bigint | CelUint | number;

const intOverflow = () => new CelEvalError('integer overflow');
const uintOverflow = () => new CelEvalError('unsigned integer overflow');
/** cel-go's error when the operand types have no overload (types.MaybeNoSuchOverloadErr). */
export const noSuchOverload = () => new CelEvalError('no such overload');

export function checkedInt(v: bigint): bigint {
  if (v < MIN_INT || v > MAX_INT) throw intOverflow();
  return v;
}

export function checkedUint(v: bigint): CelUint {
  if (v < 0n || v > MAX_UINT) throw uintOverflow();
  return new CelUint(v);
}

export function isCelNumber(v: unknown): v is CelNumber {
  return typeof v === 'bigint' || typeof v === 'number' || v instanceof CelUint;
}

/**
 * A value read from object data. kube converts an object to CEL by its OpenAPI schema:
 * `type: integer` fields (replicas, ports, …: int32/int64) become int and `type: number`
 * fields double; quantities are strings. kubesim has no schema at hand, and the built-in
 * kinds a policy sees have no `number` fields, so an integral JSON number reads as int
 * and any other number as double.
 */
export function fromData(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) && Number.isSafeInteger(v) ? BigInt(v) : v;
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

type ArithmeticOp = '+' | '-' | '*' | '/' | '%';

function intArithmetic(op: ArithmeticOp, x: bigint, y: bigint): bigint {
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      if (y === 0n) throw new CelEvalError('division by zero');
      return x / y; // bigint division truncates toward zero, as Go's does
    case '%':
      if (y === 0n) throw new CelEvalError('modulus by zero');
      // Go's MinInt64 % -1 is 0, but cel-go reports it as overflow (overflow.go moduloInt64Checked)
      if (x === MIN_INT && y === -1n) throw intOverflow();
      return x % y;
  }
}

function doubleArithmetic(op: ArithmeticOp, x: number, y: number): number {
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return x / y;
    case '%':
      throw new CelEvalError('no such overload: _%_');
  }
}

/** The types that implement an operator (cel-go's traits); another left operand has no overload at all. */
function hasTrait(op: ArithmeticOp, v: unknown): boolean {
  if (typeof v === 'bigint' || v instanceof CelUint) return true;
  if (typeof v === 'number') return op !== '%';
  return op === '+' && (typeof v === 'string' || Array.isArray(v));
}

export function arithmetic(op: ArithmeticOp, l: unknown, r: unknown): unknown {
  if (!hasTrait(op, l)) throw new CelEvalError(`no such overload: _${op}_`);
  if (typeof l === 'bigint' && typeof r === 'bigint') return checkedInt(intArithmetic(op, l, r));
  if (l instanceof CelUint && r instanceof CelUint) return checkedUint(intArithmetic(op, l.value, r.value));
  if (typeof l === 'number' && typeof r === 'number') return doubleArithmetic(op, l, r);
  if (typeof l === 'string' && typeof r === 'string') return l + r;
  if (Array.isArray(l) && Array.isArray(r)) return [...l, ...r];
  throw noSuchOverload();
}

export function negate(v: unknown): unknown {
  if (typeof v === 'bigint') return checkedInt(-v);
  if (typeof v === 'number') return -v;
  throw new CelEvalError('no such overload: -_');
}

/** -1, 0 or 1 comparing two numbers of any CEL numeric type, exactly (no rounding through float64). */
function compareNumbers(a: CelNumber, b: CelNumber): number {
  const x = a instanceof CelUint ? a.value : a;
  const y = b instanceof CelUint ? b.value : b;
  if (typeof x === 'number' && typeof y === 'number') return Math.sign(x - y);
  if (typeof x === 'bigint' && typeof y === 'bigint') return x < y ? -1 : x > y ? 1 : 0;
  // an int against a double: compare the integer part exactly, then the fraction
  const [i, d, sign] = typeof x === 'bigint' ? [x, y as number, 1] : [y as bigint, x as number, -1];
  if (d === Infinity || d === -Infinity) return sign * (d > 0 ? -1 : 1);
  const whole = BigInt(Math.trunc(d));
  const c = i < whole ? -1 : i > whole ? 1 : Math.sign(Math.trunc(d) - d);
  return sign * c;
}

function isNaNValue(v: unknown): boolean {
  return typeof v === 'number' && Number.isNaN(v);
}

/** Ordering for `< <= > >=`: numbers (across types), strings and bools, as cel-go's Compare. */
export function compare(op: string, l: unknown, r: unknown): number {
  if (isCelNumber(l) && isCelNumber(r)) {
    if (isNaNValue(l) || isNaNValue(r)) throw new CelEvalError('NaN values cannot be ordered');
    return compareNumbers(l, r);
  }
  if (typeof l === 'string' && typeof r === 'string') return l < r ? -1 : l > r ? 1 : 0;
  if (typeof l === 'boolean' && typeof r === 'boolean') return Number(l) - Number(r);
  if (isCelNumber(l) || typeof l === 'string' || typeof l === 'boolean') throw noSuchOverload();
  throw new CelEvalError(`no such overload: _${op}_`);
}

/** Numeric equality across int, uint and double (NaN equals nothing); undefined when either side is not a number. */
export function numbersEqual(a: unknown, b: unknown): boolean | undefined {
  if (!isCelNumber(a) || !isCelNumber(b)) return undefined;
  if (isNaNValue(a) || isNaNValue(b)) return false;
  return compareNumbers(a, b) === 0;
}

function typeOf(v: unknown): string {
  if (typeof v === 'bigint') return 'int';
  if (v instanceof CelUint) return 'uint';
  if (typeof v === 'number') return 'double';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (v === null || v === undefined) return 'null_type';
  return Array.isArray(v) ? 'list' : 'map';
}

const conversionError = (v: unknown, to: string) => new CelEvalError(`type conversion error from '${typeOf(v)}' to '${to}'`);

/** Go's strconv.ParseInt/ParseUint(s, 10, 64) syntax: an optional sign and decimal digits. */
function parseInteger(s: string, signed: boolean): bigint | undefined {
  return (signed ? /^[+-]?\d+$/ : /^\+?\d+$/).test(s) ? BigInt(s) : undefined;
}

export function toInt(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (v instanceof CelUint) return checkedInt(v.value);
  if (typeof v === 'number') {
    // overflow.go doubleToInt64Checked: the bounds themselves are out of range
    if (!Number.isFinite(v) || v <= -(2 ** 63) || v >= 2 ** 63) throw intOverflow();
    return BigInt(Math.trunc(v));
  }
  if (typeof v === 'string') {
    const n = parseInteger(v, true);
    if (n !== undefined && n >= MIN_INT && n <= MAX_INT) return n;
  }
  throw conversionError(v, 'int');
}

export function toUint(v: unknown): CelUint {
  if (v instanceof CelUint) return v;
  if (typeof v === 'bigint') return checkedUint(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0 || v >= 2 ** 64) throw uintOverflow();
    return new CelUint(BigInt(Math.trunc(v)));
  }
  if (typeof v === 'string') {
    const n = parseInteger(v, false);
    if (n !== undefined && n <= MAX_UINT) return new CelUint(n);
  }
  throw conversionError(v, 'uint');
}

export function toDouble(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof CelUint) return Number(v.value);
  if (typeof v === 'string') {
    const s = v.replace(/^([+-]?)(inf|infinity)$/i, '$1Infinity').replace(/^[+-]?nan$/i, 'NaN');
    if (/^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|Infinity|NaN)$/.test(s)) return Number(s);
  }
  throw conversionError(v, 'double');
}

/** Go's fmt %g for a float64, as cel-go's string(double): shortest digits, exponent form below 1e-4 or from 1e6 (strconv's %g rule). */
function formatDouble(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (!Number.isFinite(d)) return d > 0 ? '+Inf' : '-Inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const [mantissa, e] = d.toExponential().split('e');
  const exponent = Number(e);
  if (exponent < -4 || exponent >= 6) return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return String(d);
}

export function toCelString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || v instanceof CelUint || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return formatDouble(v);
  throw conversionError(v, 'string');
}
