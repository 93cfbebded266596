import {
  CelScalar,
  celFunc,
  celMethod,
  celUint,
  isCelList,
  isCelMap,
  isCelUint,
  listType,
  type CelFunc,
  type CelList,
  type CelValue,
} from '@bufbuild/cel';
import { RE2JS } from '@bufbuild/re2';
import { doubleFromString, formatDouble, intFromString, uintFromString } from './cel-values';
import { isCIDR, isIP } from './cel-ip';

/**
 * The functions kube's CEL environment (apiserver/pkg/cel/environment/base.go, v1.32) adds to
 * standard CEL, and overloads where cel-go answers differently from @bufbuild/cel:
 * - cel-go: `string(double)` is Go's %g; `int/uint/double(string)` fail with a type conversion
 *   error; ordering a NaN is an error; an int compares exactly against a double.
 * - cel-go's global `matches(string, regex)` (RE2, as the method form).
 * - cel-go ext.Sets: `sets.contains`, `sets.equivalent`, `sets.intersects`.
 * - kube library/lists.go: `isSorted`, `sum`, `min`, `max`, `indexOf`, `lastIndexOf` on lists.
 * - kube library/urls.go `isURL`; ip.go and cidr.go's `isIP`, `isCIDR` (cel-ip.ts; not the
 *   ip()/cidr() value types); quantity.go is cel-quantity.ts.
 */

const { INT, UINT, DOUBLE, STRING, BOOL, DYN } = CelScalar;
const LIST = listType(DYN);

type Num = bigint | number | { value: bigint };

function isNumber(v: CelValue): v is Num & CelValue {
  return typeof v === 'bigint' || typeof v === 'number' || isCelUint(v);
}

/** -1, 0 or 1 comparing two numbers of any CEL numeric type exactly; a NaN is cel-go's error. */
function compareNumbers(a: Num, b: Num): number {
  const x = typeof a === 'object' ? a.value : a;
  const y = typeof b === 'object' ? b.value : b;
  if (Number.isNaN(x) || Number.isNaN(y)) throw new Error('NaN values cannot be ordered');
  if (typeof x === 'number' && typeof y === 'number') return Math.sign(x - y);
  if (typeof x === 'bigint' && typeof y === 'bigint') return x < y ? -1 : x > y ? 1 : 0;
  // an integer against a double: compare the integer part exactly, then the fraction
  const [i, d, sign] = typeof x === 'bigint' ? [x, y as number, 1] : [y as bigint, x, -1];
  if (d === Infinity || d === -Infinity) return sign * (d > 0 ? -1 : 1);
  const whole = BigInt(Math.trunc(d));
  return sign * (i < whole ? -1 : i > whole ? 1 : Math.sign(Math.trunc(d) - d));
}

const ORDERINGS: [string, (c: number) => boolean][] = [
  ['_<_', (c) => c < 0],
  ['_<=_', (c) => c <= 0],
  ['_>_', (c) => c > 0],
  ['_>=_', (c) => c >= 0],
];
const MIXED: [typeof INT | typeof UINT | typeof DOUBLE, typeof INT | typeof UINT | typeof DOUBLE][] = [
  [DOUBLE, DOUBLE],
  [INT, DOUBLE],
  [DOUBLE, INT],
  [UINT, DOUBLE],
  [DOUBLE, UINT],
];

/** CEL equality of two values (numbers across types, lists and maps deeply), for the list and set functions. */
function celEquals(a: CelValue, b: CelValue): boolean {
  if (isNumber(a) && isNumber(b)) {
    const na = typeof a === 'number' && Number.isNaN(a);
    const nb = typeof b === 'number' && Number.isNaN(b);
    return !na && !nb && compareNumbers(a, b) === 0;
  }
  if (isCelList(a) && isCelList(b)) {
    if (a.size !== b.size) return false;
    for (let i = 0; i < a.size; i++) if (!celEquals(a.get(i)!, b.get(i)!)) return false;
    return true;
  }
  if (isCelMap(a) && isCelMap(b)) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !celEquals(v, b.get(k)!)) return false;
    return true;
  }
  return a === b;
}

function listOf(l: CelList): CelValue[] {
  return [...l];
}

/** kube lists.go's ordering of comparable elements. */
function compareElements(a: CelValue, b: CelValue): number {
  if (isNumber(a) && isNumber(b)) return compareNumbers(a, b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  throw new Error('no such overload');
}

function extreme(name: 'min' | 'max', l: CelList): CelValue {
  const items = listOf(l);
  if (!items.length) throw new Error(`${name} called on empty list`);
  return items.reduce((best, x) => ((name === 'min' ? compareElements(x, best) < 0 : compareElements(x, best) > 0) ? x : best));
}

function sum(l: CelList): CelValue {
  const items = listOf(l);
  if (!items.length) return 0n;
  if (items.every((x) => typeof x === 'bigint')) {
    const total = (items as bigint[]).reduce((a, b) => a + b, 0n);
    if (total > 2n ** 63n - 1n || total < -(2n ** 63n)) throw new Error('integer overflow');
    return total;
  }
  if (items.every((x) => typeof x === 'number')) return (items as number[]).reduce((a, b) => a + b, 0);
  throw new Error('no such overload');
}

function indexIn(l: CelList, x: CelValue, last: boolean): bigint {
  const items = listOf(l);
  const order = items.map((_, i) => i);
  if (last) order.reverse();
  for (const i of order) if (celEquals(items[i], x)) return BigInt(i);
  return -1n;
}

function isUrl(s: string): boolean {
  // kube urls.go: url.ParseRequestURI — an absolute URI or an absolute path
  if (s.startsWith('/')) return !/\s/.test(s);
  try {
    const u = new URL(s);
    return !!u.protocol && !/\s/.test(s);
  } catch {
    return false;
  }
}

export const KUBE_FUNCTIONS: CelFunc[] = [
  celFunc('string', [DOUBLE], STRING, formatDouble),
  celFunc('_%_', [INT, INT], INT, (x, y) => {
    // Go's remainder truncates like JS's; cel-go's checked modulus also overflows on MinInt64 % -1
    if (y === 0n) throw new Error('modulus by zero');
    if (x === -(2n ** 63n) && y === -1n) throw new Error('integer overflow');
    return x % y;
  }),
  celFunc('int', [STRING], INT, intFromString),
  celFunc('uint', [STRING], UINT, (s) => celUint(uintFromString(s))),
  celFunc('double', [STRING], DOUBLE, doubleFromString),
  ...ORDERINGS.flatMap(([op, test]) =>
    MIXED.map(([l, r]) => celFunc(op, [l, r], BOOL, (a, b) => test(compareNumbers(a as Num, b as Num)))),
  ),
  celFunc('sets.contains', [LIST, LIST], BOOL, (a, b) => listOf(b).every((x) => listOf(a).some((y) => celEquals(x, y)))),
  celFunc(
    'sets.equivalent',
    [LIST, LIST],
    BOOL,
    (a, b) =>
      listOf(b).every((x) => listOf(a).some((y) => celEquals(x, y))) && listOf(a).every((x) => listOf(b).some((y) => celEquals(x, y))),
  ),
  celFunc('sets.intersects', [LIST, LIST], BOOL, (a, b) => listOf(a).some((x) => listOf(b).some((y) => celEquals(x, y)))),
  celMethod('isSorted', LIST, [], BOOL, function () {
    const items = listOf(this);
    return items.every((x, i) => i === 0 || compareElements(items[i - 1], x) <= 0);
  }),
  celMethod('sum', LIST, [], DYN, function () {
    return sum(this) as never;
  }),
  celMethod('min', LIST, [], DYN, function () {
    return extreme('min', this) as never;
  }),
  celMethod('max', LIST, [], DYN, function () {
    return extreme('max', this) as never;
  }),
  celMethod('indexOf', LIST, [DYN], INT, function (x) {
    return indexIn(this, x, false);
  }),
  celMethod('lastIndexOf', LIST, [DYN], INT, function (x) {
    return indexIn(this, x, true);
  }),
  celFunc('matches', [STRING, STRING], BOOL, (s, re) => RE2JS.compile(re).test(s)),
  celFunc('isURL', [STRING], BOOL, isUrl),
  celFunc('isIP', [STRING], BOOL, isIP),
  celFunc('isCIDR', [STRING], BOOL, isCIDR),
];
