import { CliError } from '../util/errors';
import { compileJsonPath, findJsonPathResults, relaxedJsonPathExpression, type JsonPathTemplate } from './jsonpath';
import { compareGoStrings, goQuote } from './go-fmt';

/**
 * `kubectl get --sort-by=<jsonpath>` (kubectl/pkg/cmd/get/sorter.go): objects are ordered by
 * the first value the path selects, with Go's sort.Sort (not stable) so ties land where
 * kubectl puts them.
 */

interface SortEntry {
  /** the object's place in the sequence sorted */
  index: number;
  /** the first selected value; absent when the path selects nothing */
  key?: { value: unknown };
}

/**
 * Sorts like kubectl. `table: true` follows the default table output, where kubectl sorts
 * only two rows or more and swallows a bad path: its get prints nothing and says
 * "No resources found", so this returns no objects. Otherwise (-o json, name,
 * custom-columns…) a bad path is an error: `couldn't find any field with path "{.foo}" …`.
 */
export function sortByJsonPath(objects: unknown[], field: string, opts: { table?: boolean } = {}): unknown[] {
  return sortOrderByJsonPath(objects, field, opts).map((i) => objects[i]);
}

/**
 * The order sortByJsonPath puts a sequence in, as indexes into it: each object is read once,
 * for its sort key, and not kept (`get pods -A --sort-by=…` need not hold 150k pods).
 */
export function sortOrderByJsonPath(objects: Iterable<unknown>, field: string, opts: { table?: boolean } = {}): number[] {
  // a bad path only counts once the objects are known: the table ignores it for one row or none
  let path = field;
  let template: JsonPathTemplate | undefined;
  let invalid: unknown;
  try {
    try {
      path = relaxedJsonPathExpression(field);
    } catch (e) {
      if (!opts.table) throw e;
    }
    template = compileJsonPath(path);
  } catch (e) {
    invalid = e;
  }
  const entries: SortEntry[] = [];
  let found = false;
  for (const object of objects) {
    const index = entries.length;
    if (!template) {
      entries.push({ index });
      continue;
    }
    const results = findJsonPathResults(template, object, { allowMissingKeys: true });
    if (results.length > 0 && results[0].length > 0) {
      found = true;
      entries.push({ index, key: { value: results[0][0] } });
    } else entries.push({ index });
  }
  if (opts.table && entries.length <= 1) return entries.map((e) => e.index);
  if (!opts.table && entries.length === 0) return [];
  try {
    if (invalid) throw invalid;
    // kubectl has no schema to check the path against: it is valid if any object has the field
    if (!found) throw new CliError(`couldn't find any field with path ${goQuote(path)} in the list of objects`);
  } catch (e) {
    if (opts.table && e instanceof CliError) return [];
    throw e;
  }
  return sortEntriesLikeKubectl(entries, path, opts.table ? '[][][]reflect.Value' : '*unstructured.Unstructured');
}

function sortEntriesLikeKubectl(entries: SortEntry[], path: string, holder: string): number[] {
  const less = (a: SortEntry, b: SortEntry): boolean => {
    // kubectl's Less puts an object without the field first, even before another without it
    if (!a.key) return true;
    if (!b.key) return false;
    try {
      return isLess(a.key.value, b.key.value);
    } catch (e) {
      if (!(e instanceof UnsortableError)) throw e;
      // kubectl exits through klog here; the timestamped log header is left out
      throw new CliError(`Field ${path} in ${holder} is an unsortable type: interface, err: ${e.message}`, { raw: true });
    }
  };
  goSort(entries, less);
  return entries.map((e) => e.index);
}

class UnsortableError extends Error {}

/** sorter.go's isLess for unstructured values: numbers, strings (quantities by value), null first. */
function isLess(a: unknown, b: unknown): boolean {
  const aNil = a === null || a === undefined;
  const bNil = b === null || b === undefined;
  if (aNil || bNil) return aNil && !bNil;
  const kindA = goKind(a);
  const kindB = goKind(b);
  if (kindA === 'int64' || kindA === 'float64') {
    if (kindB !== kindA) throw new UnsortableError('unsortable interface: interface');
    return (a as number) < (b as number);
  }
  if (kindA === 'string') {
    if (kindB !== 'string') throw new UnsortableError('unsortable interface: interface');
    const qa = quantityValue(a as string);
    const qb = quantityValue(b as string);
    if (qa === undefined || qb === undefined) return compareGoStrings(a as string, b as string) < 0;
    return qa < qb;
  }
  throw new UnsortableError(`unsortable type: ${kindA}`);
}

function goKind(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? 'int64' : 'float64';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  return Array.isArray(value) ? '[]interface {}' : 'map[string]interface {}';
}

const DECIMAL_SUFFIX: Record<string, number> = { '': 0, n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/**
 * The value of a string resource.ParseQuantity accepts, or undefined. Written out rather than
 * reusing api/quantity because sorting must accept exactly what Go does: `+`, `1.`, `.5`, `1E`,
 * `1e+3`, but not ` 1` or `M`.
 */
function quantityValue(text: string): number | undefined {
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*)([+-]?[0-9]*)$/.exec(text);
  if (!m) return undefined;
  const [, sign, num, denom = '', letters, exponentDigits] = m;
  const negative = sign === '-';
  // parseQuantityString returns zero as soon as only zeros (or nothing) follow the sign
  if (/^0*$/.test(text.slice(sign.length))) return 0;
  if (num === '' && denom === '') return undefined;
  const suffix = letters + exponentDigits;
  const digits = `${num || '0'}.${denom || '0'}`;
  let value: number;
  if (suffix in DECIMAL_SUFFIX) {
    value = Number(`${digits}e${DECIMAL_SUFFIX[suffix]}`);
  } else if (suffix in BINARY_SUFFIX) {
    value = Number(digits) * 2 ** BINARY_SUFFIX[suffix];
  } else if (/^[eE][+-]?[0-9]+$/.test(suffix)) {
    value = Number(`${digits}e${suffix.slice(1)}`);
  } else {
    return undefined;
  }
  return negative ? -value : value;
}

// ---------------------------------------------------------------------------------------------
// Go's sort.Sort (pdqsort, Go 1.19+), ported so that equal keys end up in kubectl's order.

type Less<T> = (a: T, b: T) => boolean;

function goSort<T>(data: T[], less: Less<T>): void {
  const n = data.length;
  if (n <= 1) return;
  new GoSorter(data, less).pdqsort(0, n, bitsLen(n));
}

function bitsLen(x: number): number {
  return x === 0 ? 0 : Math.floor(Math.log2(x)) + 1;
}

const enum Hint {
  Unknown,
  Increasing,
  Decreasing,
}

class GoSorter<T> {
  constructor(
    private readonly data: T[],
    private readonly lessFn: Less<T>,
  ) {}

  private less(i: number, j: number): boolean {
    return this.lessFn(this.data[i], this.data[j]);
  }

  private swap(i: number, j: number): void {
    const t = this.data[i];
    this.data[i] = this.data[j];
    this.data[j] = t;
  }

  private insertionSort(a: number, b: number): void {
    for (let i = a + 1; i < b; i++) {
      for (let j = i; j > a && this.less(j, j - 1); j--) this.swap(j, j - 1);
    }
  }

  private siftDown(lo: number, hi: number, first: number): void {
    let root = lo;
    for (;;) {
      let child = 2 * root + 1;
      if (child >= hi) return;
      if (child + 1 < hi && this.less(first + child, first + child + 1)) child++;
      if (!this.less(first + root, first + child)) return;
      this.swap(first + root, first + child);
      root = child;
    }
  }

  private heapSort(a: number, b: number): void {
    const first = a;
    const hi = b - a;
    for (let i = Math.floor((hi - 1) / 2); i >= 0; i--) this.siftDown(i, hi, first);
    for (let i = hi - 1; i >= 0; i--) {
      this.swap(first, first + i);
      this.siftDown(0, i, first);
    }
  }

  pdqsort(a: number, b: number, limit: number): void {
    const maxInsertion = 12;
    let wasBalanced = true;
    let wasPartitioned = true;
    for (;;) {
      const length = b - a;
      if (length <= maxInsertion) {
        this.insertionSort(a, b);
        return;
      }
      if (limit === 0) {
        this.heapSort(a, b);
        return;
      }
      if (!wasBalanced) {
        this.breakPatterns(a, b);
        limit--;
      }
      let [pivot, hint] = this.choosePivot(a, b);
      if (hint === Hint.Decreasing) {
        this.reverseRange(a, b);
        pivot = b - 1 - (pivot - a);
        hint = Hint.Increasing;
      }
      if (wasBalanced && wasPartitioned && hint === Hint.Increasing && this.partialInsertionSort(a, b)) return;
      if (a > 0 && !this.less(a - 1, pivot)) {
        a = this.partitionEqual(a, b, pivot);
        continue;
      }
      const [mid, alreadyPartitioned] = this.partition(a, b, pivot);
      wasPartitioned = alreadyPartitioned;
      const leftLen = mid - a;
      const rightLen = b - mid;
      const balanceThreshold = Math.floor(length / 8);
      if (leftLen < rightLen) {
        wasBalanced = leftLen >= balanceThreshold;
        this.pdqsort(a, mid, limit);
        a = mid + 1;
      } else {
        wasBalanced = rightLen >= balanceThreshold;
        this.pdqsort(mid + 1, b, limit);
        b = mid;
      }
    }
  }

  private partition(a: number, b: number, pivot: number): [number, boolean] {
    this.swap(a, pivot);
    let i = a + 1;
    let j = b - 1;
    while (i <= j && this.less(i, a)) i++;
    while (i <= j && !this.less(j, a)) j--;
    if (i > j) {
      this.swap(j, a);
      return [j, true];
    }
    this.swap(i, j);
    i++;
    j--;
    for (;;) {
      while (i <= j && this.less(i, a)) i++;
      while (i <= j && !this.less(j, a)) j--;
      if (i > j) break;
      this.swap(i, j);
      i++;
      j--;
    }
    this.swap(j, a);
    return [j, false];
  }

  private partitionEqual(a: number, b: number, pivot: number): number {
    this.swap(a, pivot);
    let i = a + 1;
    let j = b - 1;
    for (;;) {
      while (i <= j && !this.less(a, i)) i++;
      while (i <= j && this.less(a, j)) j--;
      if (i > j) break;
      this.swap(i, j);
      i++;
      j--;
    }
    return i;
  }

  private partialInsertionSort(a: number, b: number): boolean {
    const maxSteps = 5;
    const shortestShifting = 50;
    let i = a + 1;
    for (let step = 0; step < maxSteps; step++) {
      while (i < b && !this.less(i, i - 1)) i++;
      if (i === b) return true;
      if (b - a < shortestShifting) return false;
      this.swap(i, i - 1);
      if (i - a >= 2) {
        for (let j = i - 1; j >= 1; j--) {
          if (!this.less(j, j - 1)) break;
          this.swap(j, j - 1);
        }
      }
      if (b - i >= 2) {
        for (let j = i + 1; j < b; j++) {
          if (!this.less(j, j - 1)) break;
          this.swap(j, j - 1);
        }
      }
    }
    return false;
  }

  private breakPatterns(a: number, b: number): void {
    const length = b - a;
    if (length < 8) return;
    // Go 1.23's sort package uses the shifts 13, 17, 5 (later releases changed them)
    let random = BigInt(length);
    const mask64 = (1n << 64n) - 1n;
    const next = (): bigint => {
      random ^= (random << 13n) & mask64;
      random ^= random >> 17n;
      random ^= (random << 5n) & mask64;
      return random;
    };
    const modulus = 2 ** bitsLen(length);
    const base = a + Math.floor(length / 4) * 2;
    for (let idx = base - 1; idx <= base + 1; idx++) {
      let other = Number(next() & BigInt(modulus - 1));
      if (other >= length) other -= length;
      this.swap(idx, a + other);
    }
  }

  private choosePivot(a: number, b: number): [number, Hint] {
    const shortestNinther = 50;
    const maxSwaps = 4 * 3;
    const l = b - a;
    const swaps = { count: 0 };
    let i = a + Math.floor(l / 4) * 1;
    let j = a + Math.floor(l / 4) * 2;
    let k = a + Math.floor(l / 4) * 3;
    if (l >= 8) {
      if (l >= shortestNinther) {
        i = this.medianAdjacent(i, swaps);
        j = this.medianAdjacent(j, swaps);
        k = this.medianAdjacent(k, swaps);
      }
      j = this.median(i, j, k, swaps);
    }
    if (swaps.count === 0) return [j, Hint.Increasing];
    if (swaps.count === maxSwaps) return [j, Hint.Decreasing];
    return [j, Hint.Unknown];
  }

  private order2(a: number, b: number, swaps: { count: number }): [number, number] {
    if (this.less(b, a)) {
      swaps.count++;
      return [b, a];
    }
    return [a, b];
  }

  private median(a: number, b: number, c: number, swaps: { count: number }): number {
    [a, b] = this.order2(a, b, swaps);
    [b] = this.order2(b, c, swaps);
    [, b] = this.order2(a, b, swaps);
    return b;
  }

  private medianAdjacent(a: number, swaps: { count: number }): number {
    return this.median(a - 1, a, a + 1, swaps);
  }

  private reverseRange(a: number, b: number): void {
    for (let i = a, j = b - 1; i < j; i++, j--) this.swap(i, j);
  }
}
