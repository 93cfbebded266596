/**
 * Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource):
 * `250m`, `1.5`, `512Mi`, `1G`, `1e3`. Values are kept as milli-units (integers) so
 * sums of requests are exact.
 */
const SUFFIX: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
  Ei: 1024 ** 6,
};

const QUANTITY_RE = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

export function isQuantity(value: unknown): boolean {
  return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && QUANTITY_RE.test(value.trim()));
}

/** Quantity in base units (cores, bytes). Throws on a malformed quantity. */
export function parseQuantity(value: string | number): number {
  if (typeof value === 'number') return value;
  const m = QUANTITY_RE.exec(String(value).trim());
  if (!m) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  const base = Number(m[1]);
  if (m[3] !== undefined) return base * 10 ** Number(m[3]);
  return base * SUFFIX[m[2] ?? ''];
}

/** Quantity in milli-units, rounded up like resource.Quantity.MilliValue. */
export function milliValue(value: string | number | undefined): number {
  if (value === undefined || value === null || value === '') return 0;
  return Math.ceil(parseQuantity(value) * 1000 - 1e-6);
}

/** Bytes (or whole units), rounded up like resource.Quantity.Value. */
export function intValue(value: string | number | undefined): number {
  if (value === undefined || value === null || value === '') return 0;
  return Math.ceil(parseQuantity(value) - 1e-9);
}

/** Formats a CPU amount in millicores the way kubectl shows it: `250m`, `2`. */
export function formatCpuMilli(milli: number): string {
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Formats bytes with the largest exact binary suffix, like Quantity.String for BinarySI. */
export function formatBytes(bytes: number): string {
  if (bytes === 0) return '0';
  const units: [string, number][] = [
    ['Ei', 1024 ** 6],
    ['Pi', 1024 ** 5],
    ['Ti', 1024 ** 4],
    ['Gi', 1024 ** 3],
    ['Mi', 1024 ** 2],
    ['Ki', 1024],
  ];
  for (const [suffix, size] of units) if (bytes % size === 0) return `${bytes / size}${suffix}`;
  return String(bytes);
}
