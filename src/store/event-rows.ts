import type { EventRecord, StoredEvent } from '../model/objects';
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
  // each text, then the separator (no array of the three: ~450,000 buckets in a 150k advance)
  let h = Math.imul(fnv1a(namespace, FNV_OFFSET), FNV_PRIME);
  h = Math.imul(fnv1a(kind, h), FNV_PRIME);
  h = Math.imul(fnv1a(name, h), FNV_PRIME);
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

/**
 * The events every pod of a big cluster has, stored without their constant parts (schema 9):
 * tagged entries, a number first where an entry has its namespace. A template (below) is one
 * kind of event, type Normal, seen once (count 1, first seen = last seen), whose message is a
 * fixed text around one variable part: `[tag, namespace, name, seq, uid, variable part, at]`,
 * then the host and the field path when the template has them. A 150k-pod apply records
 * 150,000 each of SuccessfulCreate, Scheduled and Pulling (~100 characters each stored so, not
 * ~200). A container start (Pulled, Created, Started at one instant, see STARTED) of type Normal
 * of a pod is `[2, namespace, name, seq, uid, Pulled's message, source, host, at, fieldPath]`.
 * Anything else, or an entry that differs from its template in any part, is stored as it is.
 */
interface Template {
  tag: number;
  kind: string;
  reason: string;
  source: string;
  /** the message before the variable part (NAMESPACE_PART and NAME_PART stand for the object's), and after it */
  before: readonly string[];
  after: string;
  /** whether the event names a host (else it has none) and a field path */
  host: boolean;
  fieldPath: boolean;
}
const START_TAG = 2;
const NAMESPACE_PART = '\u0000namespace';
const NAME_PART = '\u0000name';
const TEMPLATES: Template[] = [
  {
    tag: 1,
    kind: 'Pod',
    reason: 'Scheduled',
    source: 'default-scheduler',
    before: ['Successfully assigned ', NAMESPACE_PART, '/', NAME_PART, ' to '],
    after: '',
    host: false,
    fieldPath: false,
  },
  {
    tag: 3,
    kind: 'ReplicaSet',
    reason: 'SuccessfulCreate',
    source: 'replicaset-controller',
    before: ['Created pod: '],
    after: '',
    host: false,
    fieldPath: false,
  },
  {
    tag: 4,
    kind: 'Pod',
    reason: 'Pulling',
    source: 'kubelet',
    before: ['Pulling image "'],
    after: '"',
    host: true,
    fieldPath: true,
  },
];
const TEMPLATE_BY_REASON = new Map(TEMPLATES.map((t) => [t.reason, t]));
const TEMPLATE_BY_TAG = new Map(TEMPLATES.map((t) => [t.tag, t]));

/** The entry in its template's tagged form, when the form makes exactly the entry again. */
function tagged(e: EventEntry): unknown[] | undefined {
  const t = TEMPLATE_BY_REASON.get(e[REASON]);
  if (!t || e[KIND] !== t.kind || e[5] !== 'Normal' || e[8] !== t.source || e[COUNT] !== 1 || e[FIRST] !== e[LAST]) return undefined;
  if (t.fieldPath ? e.length !== 15 || e[LAST_SEQ] !== null || typeof e[FIELD_PATH] !== 'string' : e.length !== 13) return undefined;
  if (!t.host && e[9] !== null) return undefined;
  const message = e[7];
  // (compared in place: the prefix is not made as a string per entry)
  let at = 0;
  for (const part of t.before) {
    const text = part === NAMESPACE_PART ? e[NAMESPACE] : part === NAME_PART ? e[NAME] : part;
    if (!message.startsWith(text, at)) return undefined;
    at += text.length;
  }
  const end = message.length - t.after.length;
  if (end < at || !message.endsWith(t.after)) return undefined;
  const out: unknown[] = [t.tag, e[NAMESPACE], e[NAME], e[SEQ], e[UID], message.slice(at, end), e[FIRST]];
  if (t.host) out.push(e[9]);
  if (t.fieldPath) out.push(e[FIELD_PATH]);
  return out;
}

/** The message before the variable part, of the object named. */
function prefix(t: Template, namespace: string, name: string): string {
  let out = '';
  for (const part of t.before) out += part === NAMESPACE_PART ? namespace : part === NAME_PART ? name : part;
  return out;
}

/** A tagged entry as recorded. */
function untagged(t: Template, e: unknown[]): EventEntry {
  const [, namespace, name, seq, uid, part, at] = e as [number, string, string, number, string, string, number];
  const entry: EventEntry = [
    namespace,
    t.kind,
    name,
    seq,
    uid,
    'Normal',
    t.reason,
    `${prefix(t, namespace, name)}${part}${t.after}`,
    t.source,
    t.host ? (e[7] as string | null) : null,
    1,
    at,
    at,
  ];
  if (t.fieldPath) entry.push(null, e[t.host ? 8 : 7] as string);
  return entry;
}

/** One list's entries as stored (a row's text): those of a template and each container start tagged (see above). */
export function eventsText(entries: EventEntry[]): string {
  const held = new HeldEvents(true);
  for (const e of entries) held.add(e);
  return held.take()[0]?.[1] ?? '[]';
}

/** Whether an entry may be the Pulled of a container start (the two entries after it decide). */
function mayStart(e: EventEntry): boolean {
  return (
    e[REASON] === 'Pulled' && e[COUNT] === 1 && e[FIRST] === e[LAST] && e[LAST_SEQ] == null && containerOf(e[FIELD_PATH]) !== undefined
  );
}

/** Whether `text` is in `s` at `at` (indexOf: startsWith with a position is ~2x slower in node 20). */
function isAt(s: string, text: string, at: number): boolean {
  return s.indexOf(text, at) === at;
}

/** A held entry stored as it is, or made at once (`tagged`, a start of another type), in `parts`. */
const AS_IS = 0;

/**
 * Entries held until they are written, as the columns of what their stored entries will be
 * (made text per bucket when taken: nothing per entry is kept but its fields, and no text is
 * made before the row is). An event the recorder gives that a template takes is held so
 * without an entry of its own (`record`); a container start's Pulled and Created wait for the
 * entry after them (`pending`): the three are one stored entry when they come in a row
 * (consecutive seqs, so nothing of another object between them), else each is stored as it
 * is, as is what `take` finds pending. A bucket's row is the text `eventsText` makes of its
 * entries. `bytes` estimates the text of the entries as recorded (what it was when they were
 * held as arrays: it decides when the log writes, and so which rows are written).
 */
export class HeldEvents {
  bytes = 0;
  /** the held entries in recording order: bucket, tag (AS_IS, a template's or START_TAG) and fields by tag */
  private buckets: number[] = [];
  private tags: number[] = [];
  private namespaces: string[] = [];
  private names: string[] = [];
  private seqs: number[] = [];
  private uids: string[] = [];
  /** the message's variable part (a template's), Pulled's message (a start's) or the stored entry (AS_IS) */
  private parts: unknown[] = [];
  private ats: number[] = [];
  private hosts: (string | null)[] = [];
  private fieldPaths: string[] = [];
  private sources: string[] = [];
  private pending: EventEntry[] = [];
  private pendingBucket = 0;
  /** the last object's bucket (a container start records three events of one pod in a row) */
  private lastNamespace = '';
  private lastKind = '';
  private lastName = '';
  private lastBucket = -1;

  /** oneList: every entry in one list (bucket 0), as `eventsText` encodes them */
  constructor(private readonly oneList = false) {}

  private bucketOf(namespace: string, kind: string, name: string): number {
    if (this.oneList) return 0;
    if (name === this.lastName && kind === this.lastKind && namespace === this.lastNamespace && this.lastBucket >= 0)
      return this.lastBucket;
    this.lastNamespace = namespace;
    this.lastKind = kind;
    this.lastName = name;
    return (this.lastBucket = eventBucket(namespace, kind, name));
  }

  private hold(
    bucket: number,
    tag: number,
    namespace: string,
    name: string,
    seq: number,
    uid: string,
    part: unknown,
    at: number,
    host: string | null,
    fieldPath: string,
    source: string,
  ): void {
    this.buckets.push(bucket);
    this.tags.push(tag);
    this.namespaces.push(namespace);
    this.names.push(name);
    this.seqs.push(seq);
    this.uids.push(uid);
    this.parts.push(part);
    this.ats.push(at);
    this.hosts.push(host);
    this.fieldPaths.push(fieldPath);
    this.sources.push(source);
  }

  private holdAsIs(bucket: number, stored: unknown[]): void {
    this.hold(bucket, AS_IS, '', '', 0, '', stored, 0, null, '', '');
  }

  /**
   * An event as the event log records it (seq, instant): stored as `add` would store its entry,
   * held without an entry when it is one of a template's.
   */
  record(e: EventRecord, namespace: string, seq: number, at: number): void {
    const involved = e.involved;
    const t = TEMPLATE_BY_REASON.get(e.reason);
    const fieldPath = involved.fieldPath;
    const host = e.host ?? null;
    if (
      t !== undefined &&
      this.pending.length === 0 &&
      involved.kind === t.kind &&
      e.type === 'Normal' &&
      e.source === t.source &&
      (t.fieldPath ? !!fieldPath : !fieldPath) &&
      (t.host || host === null) &&
      Number.isFinite(seq) &&
      Number.isFinite(at)
    ) {
      const part = variablePart(t, namespace, involved.name, e.message);
      if (part !== undefined) {
        this.bytes += recordBytes(e, namespace, host, fieldPath);
        const bucket = this.bucketOf(namespace, involved.kind, involved.name);
        this.hold(bucket, t.tag, namespace, involved.name, seq, involved.uid ?? '', part, at, host, fieldPath ?? '', '');
        return;
      }
    }
    const entry: EventEntry = [
      namespace,
      involved.kind,
      involved.name,
      seq,
      involved.uid ?? '',
      e.type,
      e.reason,
      e.message,
      e.source,
      host,
      1,
      at,
      at,
    ];
    // (no lastSeq yet: null holds its place before the field path)
    if (fieldPath) entry.push(null, fieldPath);
    this.add(entry);
  }

  /** An entry, after those added before it. */
  add(e: EventEntry): void {
    this.bytes += entryBytes(e);
    this.feed(e, this.bucketOf(e[NAMESPACE], e[KIND], e[NAME]));
  }

  private feed(e: EventEntry, bucket: number): void {
    const pending = this.pending;
    if (pending.length) {
      const container = containerOf(pending[0][FIELD_PATH]);
      if (pending.length === 1 && next(pending[0], e, 'Created', `Created container: ${container}`)) {
        pending.push(e);
        return;
      }
      this.pending = [];
      if (pending.length === 2 && next(pending[1], e, 'Started', `Started container ${container}`)) {
        this.holdStart(bucket, pending[0]);
        return;
      }
      // not a start: its Pulled stored as it is, what came after it taken again
      this.holdAsIs(this.pendingBucket, pending[0]);
      if (pending.length === 2) this.feed(pending[1], this.pendingBucket);
    }
    const short = tagged(e);
    if (short) this.holdAsIs(bucket, short);
    else if (mayStart(e)) {
      this.pending = [e];
      this.pendingBucket = bucket;
    } else this.holdAsIs(bucket, e);
  }

  /** A container start, from its Pulled entry: `[2, namespace, name, seq, uid, message, source, host, at, fieldPath]` when of type Normal of a pod (schema 9), else the entry with reason STARTED. */
  private holdStart(bucket: number, e: EventEntry): void {
    if (e[KIND] === 'Pod' && e[5] === 'Normal' && e.length === 15) {
      this.hold(bucket, START_TAG, e[NAMESPACE], e[NAME], e[SEQ], e[UID], e[7], e[FIRST], e[9], e[FIELD_PATH]!, e[8]);
      return;
    }
    const started = e.slice() as EventEntry;
    started[REASON] = STARTED;
    this.holdAsIs(bucket, started);
  }

  /** The stored entry of held entry i. */
  private stored(i: number): unknown {
    const tag = this.tags[i];
    if (tag === AS_IS) return this.parts[i];
    if (tag === START_TAG) {
      return [
        START_TAG,
        this.namespaces[i],
        this.names[i],
        this.seqs[i],
        this.uids[i],
        this.parts[i],
        this.sources[i],
        this.hosts[i],
        this.ats[i],
        this.fieldPaths[i],
      ];
    }
    const t = TEMPLATE_BY_TAG.get(tag)!;
    const out: unknown[] = [tag, this.namespaces[i], this.names[i], this.seqs[i], this.uids[i], this.parts[i], this.ats[i]];
    if (t.host) out.push(this.hosts[i]);
    if (t.fieldPath) out.push(this.fieldPaths[i]);
    return out;
  }

  /**
   * Held entries' row text (indexes in `order` from `start` to `end`): their stored entries made
   * at once, JSON.stringify of the list (entries of a template or a start made text by hand, in
   * templates, were ~10% slower; made text while held, a tree of strings kept for seconds).
   */
  private rowText(order: ArrayLike<number>, start: number, end: number): string {
    const list: unknown[] = [];
    for (let k = start; k < end; k++) list.push(this.stored(order[k]));
    return JSON.stringify(list);
  }

  /** Entries of one bucket that match (for lookups before they are written). */
  find(bucket: number, filter: EventFilter): EventEntry[] {
    const ofBucket: number[] = [];
    for (let i = 0; i < this.buckets.length; i++) if (this.buckets[i] === bucket) ofBucket.push(i);
    const entries = parseEvents(this.rowText(ofBucket, 0, ofBucket.length));
    if (bucket === this.pendingBucket) entries.push(...this.pending);
    return entries.filter((e) => matchesEvent(e, filter));
  }

  /** The rows held, by bucket (in bucket order), as stored text; nothing is held after. */
  take(): [bucket: number, text: string][] {
    // what waits for a start's next entry is stored as it is
    for (const e of this.pending) this.holdAsIs(this.pendingBucket, e);
    this.pending = [];
    const buckets = this.buckets;
    const n = buckets.length;
    // the entries by bucket, each bucket's in recording order (a counting sort)
    const from = new Int32Array(EVENT_BUCKETS + 1);
    for (let i = 0; i < n; i++) from[buckets[i] + 1]++;
    for (let b = 0; b < EVENT_BUCKETS; b++) from[b + 1] += from[b];
    const order = new Int32Array(n);
    const at = from.slice();
    for (let i = 0; i < n; i++) order[at[buckets[i]]++] = i;
    const rows: [number, string][] = [];
    for (let b = 0; b < EVENT_BUCKETS; b++) {
      if (from[b] === from[b + 1]) continue;
      rows.push([b, this.rowText(order, from[b], from[b + 1])]);
    }
    this.buckets = [];
    this.tags = [];
    this.namespaces = [];
    this.names = [];
    this.seqs = [];
    this.uids = [];
    this.parts = [];
    this.ats = [];
    this.hosts = [];
    this.fieldPaths = [];
    this.sources = [];
    this.bytes = 0;
    return rows;
  }
}

/** The variable part of a template's message, undefined when the template would not make the message again. */
function variablePart(t: Template, namespace: string, name: string, message: string): string | undefined {
  let from = 0;
  for (const part of t.before) {
    const text = part === NAMESPACE_PART ? namespace : part === NAME_PART ? name : part;
    if (!isAt(message, text, from)) return undefined;
    from += text.length;
  }
  const end = message.length - t.after.length;
  if (end < from || (t.after !== '' && !isAt(message, t.after, end))) return undefined;
  return message.slice(from, end);
}

/** About the length of an entry's JSON: its strings and ~16 characters for each other field. */
function entryBytes(e: EventEntry): number {
  let n = 2;
  for (const v of e) n += typeof v === 'string' ? v.length + 3 : 16;
  return n;
}

/** entryBytes of the entry an event is recorded as (seq, count, first and last seen: 16 each). */
function recordBytes(e: EventRecord, namespace: string, host: string | null, fieldPath: string | undefined): number {
  const involved = e.involved;
  let n = 2 + 4 * 16 + namespace.length + involved.kind.length + involved.name.length + (involved.uid ?? '').length;
  n += e.type.length + e.reason.length + e.message.length + e.source.length + 8 * 3;
  n += host === null ? 16 : host.length + 3;
  if (fieldPath) n += 16 + fieldPath.length + 3;
  return n;
}

/** A container start's three entries from its Pulled entry (reason and seq aside). */
function startEntries(pulled: EventEntry, out: EventEntry[]): void {
  const container = containerOf(pulled[FIELD_PATH]);
  pulled[REASON] = 'Pulled';
  const created = pulled.slice() as EventEntry;
  created[SEQ] = pulled[SEQ] + 1;
  created[REASON] = 'Created';
  created[7] = `Created container: ${container}`;
  const started = pulled.slice() as EventEntry;
  started[SEQ] = pulled[SEQ] + 2;
  started[REASON] = 'Started';
  started[7] = `Started container ${container}`;
  out.push(pulled, created, started);
}

/** One bucket's stored entries as recorded (tagged and container start entries made whole again). */
export function parseEvents(text: string): EventEntry[] {
  const entries = JSON.parse(text) as (EventEntry | unknown[])[];
  let out: EventEntry[] | undefined;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const tag = e[0];
    if (typeof tag === 'string' && e[REASON] !== STARTED) {
      out?.push(e as EventEntry);
      continue;
    }
    out ??= entries.slice(0, i) as EventEntry[];
    const template = typeof tag === 'number' ? TEMPLATE_BY_TAG.get(tag) : undefined;
    if (template) out.push(untagged(template, e));
    else if (tag === START_TAG) {
      const [, namespace, name, seq, uid, message, source, host, at, fieldPath] = e as [
        number,
        string,
        string,
        number,
        string,
        string,
        string,
        string | null,
        number,
        string,
      ];
      startEntries([namespace, 'Pod', name, seq, uid, 'Normal', 'Pulled', message, source, host, 1, at, at, null, fieldPath], out);
    } else if (typeof tag === 'string') startEntries(e.slice() as EventEntry, out);
    else throw new Error(`unknown stored event entry tag ${String(tag)}`);
  }
  return out ?? (entries as EventEntry[]);
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
