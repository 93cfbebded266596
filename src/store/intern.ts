import { FNV_OFFSET, FNV_PRIME, fnv1a } from '../util/hash';
import type { KObject } from '../model/objects';

/**
 * One copy of each JSON-equal value: the pods of one controller carry the same labels,
 * owner references, conditions and container states, and sharing them instead of keeping
 * one copy per pod is more than a third of the store's heap at 150k pods (less to collect,
 * less to keep). Safe because a stored object is never edited in place — every writer
 * copies what it changes, the rule the shared pod specs already rely on — and because a
 * value is only ever replaced by one that prints the same.
 */
export class Interner {
  /** objects by hash of their JSON text (the texts themselves are not kept) */
  private readonly byHash = new Map<number, object[]>();
  /** arrays by their elements: shared objects by id, other values as JSON */
  private readonly arrays = new Map<string, unknown[]>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;

  share<T>(value: T): T {
    if (value === null || typeof value !== 'object') return value;
    const obj = value as object;
    if (this.ids.has(obj)) return value;
    if (Array.isArray(obj)) return this.shareArray(obj) as T;
    const hash = hashJson(obj, FNV_OFFSET) >>> 0;
    for (const c of this.byHash.get(hash) ?? []) if (sameJson(c, obj)) return c as T;
    this.remember(obj, hash);
    return value;
  }

  /** An object is the shared copy of its value from now on. */
  private remember(obj: object, hash: number): void {
    const candidates = this.byHash.get(hash);
    if (candidates) candidates.push(obj);
    else this.byHash.set(hash, [obj]);
    this.ids.set(obj, this.nextId++);
  }

  /**
   * An array is its elements: shared first, they name it without serialising it (a
   * writer that copies a list of conditions to change one leaves the others shared).
   */
  private shareArray(list: unknown[]): unknown[] {
    let key = '';
    for (let i = 0; i < list.length; i++) {
      const e = list[i];
      if (e !== null && typeof e === 'object') {
        const shared = this.share(e);
        list[i] = shared;
        key += `#${this.ids.get(shared)},`;
      } else key += `${JSON.stringify(e ?? null)},`;
    }
    const found = this.arrays.get(key);
    if (found) return found;
    this.arrays.set(key, list);
    this.ids.set(list, this.nextId++);
    return list;
  }

  /** Whether a value is the shared copy of its value (never edited in place: what is made of it may be kept). */
  has(value: object): boolean {
    return this.ids.has(value);
  }

  /** A pod's repeated parts, replaced by their shared copies (on the object being stored). */
  sharePodParts(pod: KObject): void {
    mapPodParts(pod, (v) => this.share(v), true);
  }

  /** A value read from the state file's shared table: the copy equal values map to from now on. */
  adopt(value: object): void {
    if (Array.isArray(value)) {
      this.shareArray(value);
      return;
    }
    this.remember(value, hashJson(value, FNV_OFFSET) >>> 0);
  }
}

const numberBits = new Float64Array(1);
const numberWords = new Uint32Array(numberBits.buffer);

function hashString(text: string, h: number): number {
  return Math.imul(fnv1a(text, Math.imul(h ^ 0x22, FNV_PRIME)) ^ 0x22, FNV_PRIME);
}

/**
 * FNV-1a over a JSON value's structure, without serialising it (JSON.stringify and a hash of
 * the text cost the store more than half its write time at 150k pods). Values sameJson calls
 * equal hash equal: keys with undefined values are skipped, as JSON.stringify skips them, and
 * -0 hashes as 0. Candidates are compared in full, so collisions only cost time.
 */
function hashJson(v: unknown, h: number): number {
  switch (typeof v) {
    case 'string':
      return hashString(v, h);
    case 'number':
      numberBits[0] = v === 0 ? 0 : v;
      return Math.imul(Math.imul(h ^ numberWords[0], FNV_PRIME) ^ numberWords[1], FNV_PRIME);
    case 'boolean':
      return Math.imul(h ^ (v ? 0x74 : 0x66), FNV_PRIME);
    case 'object': {
      if (v === null) return Math.imul(h ^ 0x6e, FNV_PRIME);
      if (Array.isArray(v)) {
        const items: readonly unknown[] = v;
        h = Math.imul(h ^ 0x5b, FNV_PRIME);
        for (let i = 0; i < items.length; i++) h = hashJson(items[i] ?? null, h);
        return Math.imul(h ^ 0x5d, FNV_PRIME);
      }
      h = Math.imul(h ^ 0x7b, FNV_PRIME);
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        const x = o[k];
        if (x === undefined) continue;
        h = hashJson(x, hashString(k, h));
      }
      return Math.imul(h ^ 0x7d, FNV_PRIME);
    }
    default:
      return Math.imul(h ^ 0x75, FNV_PRIME);
  }
}

/** Whether two JSON values serialise to the same text (same keys in the same order), without serialising. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    const as: readonly unknown[] = a;
    const bs: readonly unknown[] = b;
    for (let i = 0; i < as.length; i++) if (!sameJson(as[i] ?? null, bs[i] ?? null)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  // keys in step, skipping those whose value is undefined (JSON.stringify leaves them out);
  // a's by for-in, b's in one array: the four key arrays per comparison before were the
  // largest share of the store's garbage at 150k pods
  const bk = Object.keys(bo);
  let bi = 0;
  for (const k in ao) {
    if (ao[k] === undefined) continue;
    while (bi < bk.length && bo[bk[bi]] === undefined) bi++;
    if (bi >= bk.length || bk[bi] !== k || !sameJson(ao[k], bo[k])) return false;
    bi++;
  }
  while (bi < bk.length && bo[bk[bi]] === undefined) bi++;
  return bi === bk.length;
}

/**
 * The parts of a pod that pods share (labels, owner references, conditions, container
 * states): fn gets each one present and returns what takes its place. In place, or on
 * shallow copies of the levels on the way (the pod itself left as it was).
 */
export function mapPodParts(pod: KObject, fn: (value: object) => unknown, inPlace: boolean): KObject {
  // the pod as JSON (stored rows hold placeholders where the shared parts go): walked with narrowing
  const out: KObject = inPlace ? pod : { ...pod };
  const md = inPlace ? pod.metadata : { ...pod.metadata };
  if (isObject(md.labels)) md.labels = fn(md.labels) as Record<string, string>;
  if (isObject(md.ownerReferences)) md.ownerReferences = fn(md.ownerReferences) as KObject['metadata']['ownerReferences'];
  out.metadata = md;
  const st = pod.status;
  if (!isObject(st) || Array.isArray(st)) return out;
  const status = inPlace ? st : { ...st };
  if (isObject(status.conditions)) status.conditions = fn(status.conditions);
  const statuses: unknown = status.containerStatuses;
  if (Array.isArray(statuses)) {
    const list: unknown[] = inPlace ? statuses : statuses.slice();
    for (let i = 0; i < list.length; i++) {
      const cs = list[i];
      if (!isObject(cs)) continue;
      const c = inPlace ? cs : { ...cs };
      if (isObject(c.state)) c.state = fn(c.state);
      if (isObject(c.lastState)) c.lastState = fn(c.lastState);
      list[i] = c;
    }
    status.containerStatuses = list;
  }
  out.status = status;
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object';
}

/**
 * One string for the values a pod read from its row repeats from other pods' rows (JSON.parse
 * makes each anew): its creation and start times, generateName, host IP (and the IP lists'
 * entries equal to the IPs), container images. Kept until the command ends, a pod's strings are
 * a quarter of its heap, and every one of them is copied by the young collections.
 */
export function internPodStrings(pod: KObject): void {
  const md = pod.metadata as unknown as Record<string, unknown> | undefined;
  if (isObject(md)) {
    if (typeof md.creationTimestamp === 'string') md.creationTimestamp = internString(md.creationTimestamp);
    if (typeof md.generateName === 'string') md.generateName = internString(md.generateName);
  }
  const st = pod.status;
  if (!isObject(st) || Array.isArray(st)) return;
  if (typeof st.startTime === 'string') st.startTime = internString(st.startTime);
  if (typeof st.hostIP === 'string') st.hostIP = internString(st.hostIP);
  sameIps(st.hostIPs, st.hostIP);
  sameIps(st.podIPs, st.podIP);
  const statuses: unknown = st.containerStatuses;
  if (Array.isArray(statuses))
    for (const cs of statuses as unknown[]) if (isObject(cs) && typeof cs.image === 'string') cs.image = internString(cs.image);
}

/** An IP list's entries that equal the pod's IP field take its string. */
function sameIps(list: unknown, ip: unknown): void {
  if (typeof ip !== 'string' || !Array.isArray(list)) return;
  for (const e of list as unknown[]) if (isObject(e) && e.ip === ip) e.ip = ip;
}

const strings = new Map<string, string>();
export function internString(s: string): string {
  const found = strings.get(s);
  if (found !== undefined) return found;
  if (strings.size >= 100_000) strings.clear();
  strings.set(s, s);
  return s;
}

/**
 * JSON.stringify of a string many pods repeat (phase, owner uid, times, container names and
 * images, print statuses), kept: one Map lookup instead of a JSON.stringify each, for the
 * columns made at each pod write (pod-facts.ts, pod-print.ts). undefined for a non-string.
 */
export function quotedRepeated(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  let text = quoted.get(v);
  if (text === undefined) {
    if (quoted.size >= 10_000) quoted.clear();
    quoted.set(v, (text = JSON.stringify(v)));
  }
  return text;
}

const quoted = new Map<string, string>();
