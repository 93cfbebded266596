import type { StoredEvent } from '../model/objects';
import { FNV_OFFSET, FNV_PRIME, fnv1a } from '../util/hash';

/**
 * State schema 4 stores events append-only: a command's events are grouped into buckets by
 * a hash of their object, and each bucket's events are one row (a JSON list of entries).
 * SQLite's cost is per row and per index entry, so 450k events per command cost about a
 * thousand row inserts instead of 450k keyed upserts; one object's events are all in its
 * bucket's rows. Equal events (the event recorder's "count + 1") are aggregated when read.
 * `seq` is the cluster-wide recording order, the tie-break among events last seen at once; an
 * entry that stands for several (folded when read, or compacted) keeps its first occurrence's
 * `seq` (it names the event) and its latest's as `lastSeq`.
 */
export type EventEntry = [
  namespace: string,
  kind: string,
  name: string,
  seq: number,
  uid: string,
  type: string,
  reason: string,
  message: string,
  source: string,
  host: string | null,
  count: number,
  firstTs: number,
  lastTs: number,
  lastSeq?: number | null,
  /** involvedObject.fieldPath, when the event is about part of the object (schema 4 rows may lack it) */
  fieldPath?: string,
];

const NAMESPACE = 0;
const KIND = 1;
const NAME = 2;
const SEQ = 3;
const UID = 4;
const REASON = 6;
const COUNT = 10;
const FIRST = 11;
const LAST = 12;
const LAST_SEQ = 13;
const FIELD_PATH = 14;

/** The recording order of the latest occurrence an entry stands for. */
function lastSeq(e: EventEntry): number {
  return e[LAST_SEQ] ?? e[SEQ];
}

/** kube-apiserver --event-ttl default: an event is gone an hour after it was last seen (its last write). */
export const EVENT_TTL_MS = 60 * 60 * 1000;

/** Buckets per state file: few enough that a big command writes ~1k rows, enough that one object's bucket is small. */
export const EVENT_BUCKETS = 1024;

/** FNV-1a of the object's namespace, kind and name. */
export function eventBucket(namespace: string, kind: string, name: string): number {
  let h = FNV_OFFSET;
  for (const text of [namespace, kind, name]) h = Math.imul(fnv1a(text, h), FNV_PRIME); // then the separator
  return (h >>> 0) % EVENT_BUCKETS;
}

export interface EventFilter {
  namespace?: string;
  kind?: string;
  name?: string;
  uid?: string;
  reason?: string;
  lastTs?: number;
}

export function matchesEvent(e: EventEntry, f: EventFilter): boolean {
  return (
    (f.name === undefined || e[NAME] === f.name) &&
    (f.kind === undefined || e[KIND] === f.kind) &&
    (f.namespace === undefined || e[NAMESPACE] === f.namespace) &&
    (f.uid === undefined || e[UID] === f.uid) &&
    (f.reason === undefined || e[REASON] === f.reason) &&
    (f.lastTs === undefined || e[LAST] === f.lastTs)
  );
}

/**
 * Equal events (same object, uid, type, reason and message) as one, counted, first seen at the
 * earliest and last seen at the latest; oldest first by last seen, then by recording order.
 * Entries come in groups that equal events never straddle (one bucket's); they are the caller's
 * to give away (freshly parsed): the first of each is updated in place.
 */
export function aggregateEvents(groups: Iterable<EventEntry[]>): EventEntry[] {
  const out: EventEntry[] = [];
  // a map per group stays small (a 150k-pod cluster's 750k events in one map cost seconds of GC)
  const byKey = new Map<string, EventEntry>();
  for (const group of groups) {
    for (const e of group) addEntry(byKey, e);
    for (const e of byKey.values()) out.push(e);
    byKey.clear();
  }
  return out.sort((a, b) => a[LAST] - b[LAST] || lastSeq(a) - lastSeq(b));
}

/** What makes entries one event: object (and part of it), uid, type, reason and message. */
function eventKey(e: EventEntry): string {
  return `${e[NAMESPACE]}\u0000${e[KIND]}\u0000${e[NAME]}\u0000${e[UID]}\u0000${e[5]}\u0000${e[REASON]}\u0000${e[7]}\u0000${e[FIELD_PATH] ?? ''}`;
}

function addEntry(byKey: Map<string, EventEntry>, e: EventEntry): void {
  const key = eventKey(e);
  const same = byKey.get(key);
  if (!same) {
    byKey.set(key, e);
    return;
  }
  same[COUNT] += e[COUNT];
  const latest = e[LAST] > same[LAST] || (e[LAST] === same[LAST] && lastSeq(e) > lastSeq(same)) ? e : same;
  same[LAST_SEQ] = lastSeq(latest);
  same[LAST] = latest[LAST];
  if (e[FIRST] < same[FIRST] || (e[FIRST] === same[FIRST] && e[SEQ] < same[SEQ])) {
    same[FIRST] = e[FIRST];
    same[SEQ] = e[SEQ];
  }
}

/** Aggregated entries still alive at `now` (the event TTL counts from the last time it was seen). */
export function liveEvents(entries: EventEntry[], now: number): EventEntry[] {
  return entries.filter((e) => e[LAST] + EVENT_TTL_MS > now);
}

/**
 * One bucket's stored rows (freshly parsed, given away) compacted at `now`: events that
 * expired go, and the entries of each live event become one (counted, first and last seen,
 * as reads aggregate them), in the bucket's first row. Undefined when that changes nothing.
 */
export function compactBucket(
  rows: { id: number; entries: EventEntry[] }[],
  now: number,
): { keep?: { id: number; entries: EventEntry[] }; remove: number[] } | undefined {
  let stored = 0;
  for (const r of rows) stored += r.entries.length;
  const live = liveEvents(aggregateEvents([rows.flatMap((r) => r.entries)]), now);
  if (rows.length === 1 && live.length === stored) return undefined;
  const ids = rows.map((r) => r.id);
  if (!live.length) return { remove: ids };
  return { keep: { id: ids[0], entries: live }, remove: ids.slice(1) };
}

/**
 * A container's start as the kubelet records it — Pulled, `Created container: NAME`, `Started
 * container NAME`: three events of one pod at one instant with consecutive seqs — is stored as
 * one entry (schema 8): the Pulled entry with this reason, the other two made again when read.
 * What a read returns is unchanged; a 150k-pod start writes 150,000 entries instead of 450,000.
 */
const STARTED = '$started';

/** The container a field path names (`spec.containers{app}` → app). */
function containerOf(fieldPath: string | undefined): string | undefined {
  const open = fieldPath?.indexOf('{') ?? -1;
  return open >= 0 && fieldPath!.endsWith('}') ? fieldPath!.slice(open + 1, -1) : undefined;
}

/** Whether b is the event after a, of the same object and container at the same instant, once. */
function next(a: EventEntry, b: EventEntry, reason: string, message: string): boolean {
  return (
    b[REASON] === reason &&
    b[7] === message &&
    b[SEQ] === a[SEQ] + 1 &&
    b[NAME] === a[NAME] &&
    b[NAMESPACE] === a[NAMESPACE] &&
    b[KIND] === a[KIND] &&
    b[UID] === a[UID] &&
    b[5] === a[5] &&
    b[8] === a[8] &&
    b[9] === a[9] &&
    b[COUNT] === 1 &&
    b[FIRST] === a[FIRST] &&
    b[LAST] === a[LAST] &&
    b[LAST_SEQ] == null &&
    b[FIELD_PATH] === a[FIELD_PATH] &&
    b.length === a.length
  );
}

/** One bucket's entries as stored: each container start as one entry. */
export function eventsText(entries: EventEntry[]): string {
  let out: EventEntry[] | undefined;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const container =
      e[REASON] === 'Pulled' && e[COUNT] === 1 && e[FIRST] === e[LAST] && e[LAST_SEQ] == null ? containerOf(e[FIELD_PATH]) : undefined;
    if (
      container !== undefined &&
      i + 2 < entries.length &&
      next(e, entries[i + 1], 'Created', `Created container: ${container}`) &&
      next(entries[i + 1], entries[i + 2], 'Started', `Started container ${container}`)
    ) {
      out ??= entries.slice(0, i);
      const started = e.slice() as EventEntry;
      started[REASON] = STARTED;
      out.push(started);
      i += 2;
    } else out?.push(e);
  }
  return JSON.stringify(out ?? entries);
}

/** One bucket's stored entries as recorded (a container start's entry made the three events again). */
export function parseEvents(text: string): EventEntry[] {
  const entries = JSON.parse(text) as EventEntry[];
  if (!text.includes(`"${STARTED}"`)) return entries;
  const out: EventEntry[] = [];
  for (const e of entries) {
    if (e[REASON] !== STARTED) {
      out.push(e);
      continue;
    }
    const container = containerOf(e[FIELD_PATH]);
    const pulled = e.slice() as EventEntry;
    pulled[REASON] = 'Pulled';
    const created = e.slice() as EventEntry;
    created[SEQ] = e[SEQ] + 1;
    created[REASON] = 'Created';
    created[7] = `Created container: ${container}`;
    const started = e.slice() as EventEntry;
    started[SEQ] = e[SEQ] + 2;
    started[REASON] = 'Started';
    started[7] = `Started container ${container}`;
    out.push(pulled, created, started);
  }
  return out;
}

export function storedEvent(e: EventEntry): StoredEvent {
  const [namespace, kind, name, seq, uid, type, reason, message, source, host, count, firstTimestamp, lastTimestamp] = e;
  const fieldPath = e[FIELD_PATH];
  return {
    involved: fieldPath ? { namespace, kind, name, uid, fieldPath } : { namespace, kind, name, uid },
    type: type as StoredEvent['type'],
    reason,
    message,
    source,
    host: host ?? undefined,
    seq,
    count,
    firstTimestamp,
    lastTimestamp,
  };
}
