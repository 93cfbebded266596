import { isQuantity } from './quantity';
import { boundedMemo } from '../util/memo';
import { isJsonObject, type KObject } from '../model/objects';
/**
 * resource.Quantity as the API server stores it and kubectl describe prints it: exact values
 * (nano units, BigInt), the format a quantity was written in (Quantity.Format), Add keeping
 * the receiver's format, and String() in canonical form (`0.5` → `500m`, `1024Mi` → `1Gi`,
 * `1500` → `1500`).
 */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** value × 10^9 */
  nano: bigint;
  format: QuantityFormat;
}

const QUANTITY_RE = /^([+-]?)(\d+\.?\d*|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;
const DECIMAL_EXPONENT: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_POWER: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_SUFFIX: Record<number, string> = {
  [-9]: 'n',
  [-6]: 'u',
  [-3]: 'm',
  0: '',
  3: 'k',
  6: 'M',
  9: 'G',
  12: 'T',
  15: 'P',
  18: 'E',
};
const BINARY_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const NANO = 1_000_000_000n;

export const ZERO_QUANTITY: Quantity = { nano: 0n, format: 'DecimalSI' };

/** resource.ParseQuantity; values finer than nano round up, as the API server stores them. */
export function parseQuantityExact(value: string | number | undefined | null): Quantity {
  if (value === undefined || value === null || value === '') return ZERO_QUANTITY;
  const m = QUANTITY_RE.exec(String(value).trim());
  if (!m) return ZERO_QUANTITY;
  const [, sign, number, suffix, exponent] = m;
  const [intPart, fracPart = ''] = number.split('.');
  let digits = BigInt(`${intPart || '0'}${fracPart}`);
  let power10 = 9 - fracPart.length;
  let format: QuantityFormat = 'DecimalSI';
  if (exponent !== undefined) {
    format = 'DecimalExponent';
    power10 += Number(exponent);
  } else if (suffix && BINARY_POWER[suffix]) {
    format = 'BinarySI';
    digits *= 1024n ** BigInt(BINARY_POWER[suffix]);
  } else power10 += DECIMAL_EXPONENT[suffix ?? ''];
  let nano: bigint;
  if (power10 >= 0) nano = digits * 10n ** BigInt(power10);
  else {
    const divisor = 10n ** BigInt(-power10);
    nano = digits / divisor + (digits % divisor ? 1n : 0n);
  }
  return { nano: sign === '-' ? -nano : nano, format };
}

/** Quantity.Add: a zero receiver takes the addend's format. */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  return { nano: a.nano + b.nano, format: a.nano === 0n ? b.format : a.format };
}

/** MilliValue (rounded up). */
export function quantityMilli(q: Quantity): number {
  return Number(ceilDiv(q.nano, 1_000_000n));
}

/** Value (rounded up). */
export function quantityValue(q: Quantity): number {
  return Number(ceilDiv(q.nano, NANO));
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b > 0n ? q + 1n : q;
}

/** Quantity.String(): CanonicalizeBytes. */
export function quantityString(q: Quantity): string {
  if (q.nano === 0n) return '0';
  const negative = q.nano < 0n;
  const abs = negative ? -q.nano : q.nano;
  const sign = negative ? '-' : '';
  let format = q.format;
  // small or fractional binary values print as decimal so nothing is rounded
  if (format === 'BinarySI' && (abs < 1024n * NANO || abs % NANO !== 0n)) format = 'DecimalSI';
  if (format === 'BinarySI') {
    let amount = abs / NANO;
    let power = 0;
    while (amount % 1024n === 0n && power < BINARY_SUFFIX.length - 1) {
      amount /= 1024n;
      power++;
    }
    return `${sign}${amount}${BINARY_SUFFIX[power]}`;
  }
  let mantissa = abs;
  let exponent = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  // the exponent goes down to a multiple of 3 (int64Amount.AsCanonicalBytes)
  const remainder = ((exponent % 3) + 3) % 3;
  mantissa *= 10n ** BigInt(remainder);
  exponent -= remainder;
  if (format === 'DecimalExponent') return `${sign}${mantissa}${exponent === 0 ? '' : `e${exponent}`}`;
  while (exponent > 18) {
    mantissa *= 1000n;
    exponent -= 3;
  }
  return `${sign}${mantissa}${DECIMAL_SUFFIX[exponent]}`;
}

/** A quantity from an object as `kubectl describe` shows it (`0.5` → `500m`). */
export function canonicalQuantity(value: string | number | undefined | null): string {
  return quantityString(parseQuantityExact(value));
}

/**
 * The quantities an object holds, in the form the API server stores them: it decodes each into
 * a resource.Quantity and encodes it back canonical (`cpu: 1000m` reads back `"1"`, `memory:
 * 1024Mi` as `1Gi`, `cpu: 0.5` as `500m`). Values that are not quantities are left for
 * validation to report. Edits in place.
 */
export function canonicalizeQuantities(obj: KObject): void {
  // the object as decoded, before validation: every field is read as unknown JSON
  const spec = obj.spec;
  if (!isJsonObject(spec)) return;
  switch (obj.kind) {
    case 'Pod':
      return podSpecQuantities(spec);
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet':
    case 'Job':
      return podSpecQuantities(at(spec, 'template', 'spec'));
    case 'StatefulSet':
      podSpecQuantities(at(spec, 'template', 'spec'));
      for (const t of arrayOf(spec.volumeClaimTemplates)) resourcesQuantities(at(t, 'spec', 'resources'));
      return;
    case 'CronJob':
      return podSpecQuantities(at(spec, 'jobTemplate', 'spec', 'template', 'spec'));
    case 'PersistentVolumeClaim':
      return resourcesQuantities(spec.resources);
    case 'PersistentVolume':
      return listQuantities(spec.capacity);
    case 'ResourceQuota':
      return listQuantities(spec.hard);
    case 'LimitRange':
      for (const l of arrayOf(spec.limits))
        for (const f of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) listQuantities(at(l, f));
      return;
  }
}

function podSpecQuantities(spec: unknown): void {
  if (!isJsonObject(spec)) return;
  for (const list of [spec.containers, spec.initContainers]) for (const c of arrayOf(list)) resourcesQuantities(at(c, 'resources'));
  listQuantities(spec.overhead);
  for (const v of arrayOf(spec.volumes)) {
    const dir = at(v, 'emptyDir');
    if (isJsonObject(dir) && isQuantity(dir.sizeLimit)) dir.sizeLimit = canonicalOf(dir.sizeLimit as string | number);
  }
}

function resourcesQuantities(resources: unknown): void {
  if (!isJsonObject(resources)) return;
  listQuantities(resources.requests);
  listQuantities(resources.limits);
}

/** A ResourceList (name → quantity). */
function listQuantities(list: unknown): void {
  if (!isJsonObject(list)) return;
  for (const name of Object.keys(list)) if (isQuantity(list[name])) list[name] = canonicalOf(list[name] as string | number);
}

function arrayOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The value at a path of fields, or undefined where the path leaves JSON objects. */
function at(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const key of path) v = isJsonObject(v) ? v[key] : undefined;
  return v;
}

/** a few distinct values recur (every replica of a template): their canonical forms are kept */
const canonicalOf = boundedMemo((v: string | number) => canonicalQuantity(v), 1000);
