import { kindInfo } from '../registry';
import { registerKind } from './register';
import type { KObject, StoredEvent } from '../../model/objects';
import type { CoreEvent } from '../../model/kinds';
import type { ObjectReference } from '../../model/k8s';
import { fromRFC3339, humanDuration, toRFC3339 } from '../../util/duration';
import { stableHex } from '../../util/hash';
import { boundedMemo } from '../../util/memo';

/**
 * A stored (aggregated) event as the core/v1 Event the API serves. Named as client-go's
 * recorder names them, `<object>.<first timestamp in ns, hex>`; the recording order fills the
 * nanoseconds, so events first seen in the same millisecond keep distinct names.
 */
export function eventObject(e: StoredEvent): KObject {
  const info = kindInfo(e.involved.kind);
  const namespace = e.involved.namespace ?? 'default';
  const name = eventName(e);
  const involvedObject: ObjectReference = { apiVersion: info ? (info.group ? `${info.group}/${info.version}` : info.version) : 'v1' };
  if (e.involved.fieldPath) involvedObject.fieldPath = e.involved.fieldPath;
  involvedObject.kind = e.involved.kind;
  involvedObject.name = e.involved.name;
  if (!info || info.namespaced) involvedObject.namespace = e.involved.namespace;
  if (e.involved.uid) involvedObject.uid = e.involved.uid;
  const first = timestamp(e.firstTimestamp);
  return {
    apiVersion: 'v1',
    count: e.count,
    eventTime: null,
    firstTimestamp: first,
    involvedObject,
    kind: 'Event',
    lastTimestamp: timestamp(e.lastTimestamp),
    message: e.message,
    metadata: {
      creationTimestamp: first,
      name,
      namespace,
      // the same event seen again is an update of it
      resourceVersion: String(e.seq + e.count - 1),
      uid: eventUid(namespace, name, e.seq),
    },
    reason: e.reason,
    reportingComponent: e.source,
    reportingInstance: e.host ?? '',
    source: e.host ? { component: e.source, host: e.host } : { component: e.source },
    type: e.type,
  };
}

function eventName(e: StoredEvent): string {
  return `${e.involved.name}.${nanosHex(e.firstTimestamp, e.seq % 1_000_000)}`;
}

/**
 * Events in the order the API server lists them: by key, namespace then name, so an object's
 * events come together, oldest first (`kubectl get events` does not sort them by time).
 */
export function inListOrder(events: StoredEvent[]): StoredEvent[] {
  const keyed = events.map((e) => ({ e, namespace: e.involved.namespace ?? 'default', name: eventName(e) }));
  keyed.sort((a, b) =>
    a.namespace !== b.namespace ? (a.namespace < b.namespace ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  return keyed.map((k) => k.e);
}

/** hex of ms × 10^6 + nanos without BigInt (ms × 10^6 passes 2^53): as two parts, 2^24 apart. */
function nanosHex(ms: number, nanos: number): string {
  const high = Math.floor(ms / 2 ** 24);
  let low = (ms % 2 ** 24) * 1_000_000 + nanos;
  const carry = Math.floor(low / 2 ** 24);
  low -= carry * 2 ** 24;
  const top = high * 1_000_000 + carry;
  return top ? top.toString(16) + low.toString(16).padStart(6, '0') : low.toString(16);
}

/** A uid that repeats for the same event: its name's hash and its recording order. */
function eventUid(namespace: string, name: string, seq: number): string {
  const h = stableHex(`${namespace}/${name}`, 8);
  const s = seq.toString(16).padStart(16, '0').slice(-16);
  return `${h}-${s.slice(0, 4)}-4${s.slice(4, 7)}-8${s.slice(7, 10)}-${s.slice(10)}${h.slice(0, 6)}`;
}

/** RFC 3339 text of an instant, and back: events of one cluster share a few thousand instants. */
const timestamp = boundedMemo(toRFC3339);
const instant = boundedMemo(fromRFC3339);

/** printEvent's times: since the last (first) timestamp. */
function since(ts: string | undefined, now: number): string {
  return ts ? humanDuration(now - instant(ts)) : '<unknown>';
}

/**
 * printEvent's FIRST SEEN and LAST SEEN: an event of the newer API (no first or last timestamp,
 * an eventTime; a series' lastObservedTime) is dated by those instead.
 */
function firstSeen(o: CoreEvent, now: number): string {
  return o.firstTimestamp ? since(o.firstTimestamp, now) : since(o.eventTime ? String(o.eventTime) : undefined, now);
}
function lastSeen(o: CoreEvent, now: number): string {
  if (o.series) return since(o.series.lastObservedTime ? String(o.series.lastObservedTime) : undefined, now);
  return o.lastTimestamp ? since(o.lastTimestamp, now) : firstSeen(o, now);
}

/** formatEventSource: component, then the host or reporting instance when there is one. */
function eventSource(o: CoreEvent): string {
  const component = o.source?.component || o.reportingComponent || '';
  const host = o.source?.host || o.reportingInstance || '';
  return host ? `${component}, ${host}` : component;
}

/**
 * Events live in their own table (append-mostly, aggregated by count), not among the objects;
 * `get events` reads them through eventObject. Columns as kubectl's event printer (printEvent).
 */
registerKind('Event', {
  columns: [
    { header: 'LAST SEEN', value: (o, ctx) => lastSeen(o, ctx.now) },
    { header: 'TYPE', value: (o) => o.type ?? '' },
    { header: 'REASON', value: (o) => o.reason ?? '' },
    {
      header: 'OBJECT',
      value: (o) =>
        o.involvedObject?.name
          ? `${String(o.involvedObject.kind).toLowerCase()}/${o.involvedObject.name}`
          : String(o.involvedObject?.kind ?? '').toLowerCase(),
    },
    { header: 'SUBOBJECT', wide: true, value: (o) => o.involvedObject?.fieldPath ?? '' },
    { header: 'SOURCE', wide: true, value: eventSource },
    { header: 'MESSAGE', value: (o) => String(o.message ?? '').trim() },
    { header: 'FIRST SEEN', wide: true, value: (o, ctx) => firstSeen(o, ctx.now) },
    { header: 'COUNT', wide: true, value: (o) => String(o.series?.count ?? (o.count || 1)) },
    { header: 'NAME', wide: true, value: (o) => o.metadata.name },
  ],
});
