import type { StoredEvent } from '../api/types';

/**
 * State schema 4 keeps all events of one object in one row: a JSON array of tuples. One row
 * per object instead of one per event, written once per command, is what makes 450k events
 * per command affordable (SQLite's cost is per row and per index, not per byte).
 * `seq` is the cluster-wide recording order, the tie-break among events last seen at once.
 */
export type EventTuple = [seq: number, uid: string, type: string, reason: string, message: string, source: string, host: string | null, count: number, firstTs: number, lastTs: number];

const SEQ = 0;
const UID = 1;
const TYPE = 2;
const REASON = 3;
const MESSAGE = 4;
const COUNT = 7;
const FIRST = 8;
const LAST = 9;

/** Oldest first by last seen, then by recording order (as the one-row-per-event table sorted). */
export function byLastSeen(a: EventTuple, b: EventTuple): number {
  return a[LAST] - b[LAST] || a[SEQ] - b[SEQ];
}

/** Beyond this many events, an object's list gets an index for aggregation (a ReplicaSet's "Created pod: …" events). */
const INDEX_FROM = 16;

function aggregationKey(t: EventTuple): string {
  return `${t[UID]}\u0000${t[TYPE]}\u0000${t[REASON]}\u0000${t[MESSAGE]}`;
}

/**
 * One object's events, aggregated like the event recorder's: an event equal to one already
 * there (uid, type, reason, message) counts it up and moves its last timestamp instead.
 */
export class ObjectEvents {
  private index: Map<string, EventTuple> | undefined;

  constructor(readonly list: EventTuple[] = []) {}

  add(e: EventTuple): void {
    const same = this.find(e);
    if (!same) {
      this.list.push(e);
      this.index?.set(aggregationKey(e), e);
      return;
    }
    // lists merged when read may come in any order
    same[COUNT] += e[COUNT];
    if (e[LAST] > same[LAST]) same[LAST] = e[LAST];
    if (e[FIRST] < same[FIRST]) {
      same[FIRST] = e[FIRST];
      same[SEQ] = e[SEQ];
    }
  }

  private find(e: EventTuple): EventTuple | undefined {
    if (!this.index && this.list.length > INDEX_FROM) {
      this.index = new Map();
      for (const t of this.list) this.index.set(aggregationKey(t), t);
    }
    if (this.index) return this.index.get(aggregationKey(e));
    for (const t of this.list) {
      if (t[REASON] === e[REASON] && t[MESSAGE] === e[MESSAGE] && t[UID] === e[UID] && t[TYPE] === e[TYPE]) return t;
    }
    return undefined;
  }
}

/**
 * A stored list with a newer batch of the same object's events added (the SQL function the
 * state file merges rows with). Most batches repeat nothing stored, and are appended as text.
 */
export function mergeEventRows(stored: string, added: string): string {
  const batch = JSON.parse(added) as EventTuple[];
  if (stored === '[]') return added;
  // the aggregation key's fields are adjacent in a tuple, so a repeat shows in the text
  if (!batch.some((e) => stored.includes(JSON.stringify(e.slice(UID, MESSAGE + 1)).slice(1, -1)))) return `${stored.slice(0, -1)},${added.slice(1)}`;
  const events = new ObjectEvents(JSON.parse(stored) as EventTuple[]);
  for (const e of batch) events.add(e);
  return JSON.stringify(events.list);
}

export function storedEvent(namespace: string, kind: string, name: string, t: EventTuple): StoredEvent {
  const [, uid, type, reason, message, source, host, count, firstTimestamp, lastTimestamp] = t;
  return {
    involved: { namespace, kind, name, uid },
    type: type as StoredEvent['type'],
    reason,
    message,
    source,
    host: host ?? undefined,
    count,
    firstTimestamp,
    lastTimestamp,
  };
}
