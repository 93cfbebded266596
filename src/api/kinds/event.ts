import { kindInfo, registerKind } from '../registry';
import type { Fields, KObject, StoredEvent } from '../types';
import { fromRFC3339, humanDuration, toRFC3339 } from '../../util/duration';
import { stableHex } from '../../util/hash';

/**
 * A stored (aggregated) event as the core/v1 Event the API serves. Named as client-go's
 * recorder names them, `<object>.<first timestamp in ns, hex>`; the recording order fills the
 * nanoseconds, so events first seen in the same millisecond keep distinct names.
 */
export function eventObject(e: StoredEvent): KObject {
  const info = kindInfo(e.involved.kind);
  const namespace = e.involved.namespace ?? 'default';
  const nanos = BigInt(e.firstTimestamp) * 1_000_000n + BigInt(e.seq % 1_000_000);
  const name = `${e.involved.name}.${nanos.toString(16)}`;
  const uid = stableHex(`event/${namespace}/${name}`, 32);
  const involvedObject: Fields = { apiVersion: info ? (info.group ? `${info.group}/${info.version}` : info.version) : 'v1', kind: e.involved.kind, name: e.involved.name };
  if (!info || info.namespaced) involvedObject.namespace = e.involved.namespace;
  if (e.involved.uid) involvedObject.uid = e.involved.uid;
  const first = toRFC3339(e.firstTimestamp);
  return {
    apiVersion: 'v1',
    count: e.count,
    eventTime: null,
    firstTimestamp: first,
    involvedObject,
    kind: 'Event',
    lastTimestamp: toRFC3339(e.lastTimestamp),
    message: e.message,
    metadata: {
      creationTimestamp: first,
      name,
      namespace,
      // the same event seen again is an update of it
      resourceVersion: String(e.seq + e.count - 1),
      uid: `${uid.slice(0, 8)}-${uid.slice(8, 12)}-${uid.slice(12, 16)}-${uid.slice(16, 20)}-${uid.slice(20)}`,
    },
    reason: e.reason,
    reportingComponent: e.source,
    reportingInstance: e.host ?? '',
    source: e.host ? { component: e.source, host: e.host } : { component: e.source },
    type: e.type,
  };
}

/** printEvent's times: since the last (first) timestamp. */
function since(ts: string | undefined, now: number): string {
  return ts ? humanDuration(now - fromRFC3339(ts)) : '<unknown>';
}

/** formatEventSource: component, then the host or reporting instance when there is one. */
function eventSource(o: KObject): string {
  const component = o.source?.component || o.reportingComponent || '';
  const host = o.source?.host || o.reportingInstance || '';
  return host ? `${component}, ${host}` : component;
}

/**
 * Events live in their own table (append-mostly, aggregated by count), not among the objects;
 * `get events` reads them through eventObject. Columns as kubectl's event printer (printEvent).
 */
registerKind({
  kind: 'Event',
  group: '',
  version: 'v1',
  plural: 'events',
  singular: 'event',
  shortNames: ['ev'],
  namespaced: true,
  columns: [
    { header: 'LAST SEEN', value: (o, ctx) => since(o.lastTimestamp ?? o.firstTimestamp, ctx.now) },
    { header: 'TYPE', value: (o) => o.type ?? '' },
    { header: 'REASON', value: (o) => o.reason ?? '' },
    { header: 'OBJECT', value: (o) => (o.involvedObject?.name ? `${String(o.involvedObject.kind).toLowerCase()}/${o.involvedObject.name}` : String(o.involvedObject?.kind ?? '').toLowerCase()) },
    { header: 'SUBOBJECT', wide: true, value: (o) => o.involvedObject?.fieldPath ?? '' },
    { header: 'SOURCE', wide: true, value: eventSource },
    { header: 'MESSAGE', value: (o) => String(o.message ?? '').trim() },
    { header: 'FIRST SEEN', wide: true, value: (o, ctx) => since(o.firstTimestamp, ctx.now) },
    { header: 'COUNT', wide: true, value: (o) => String(o.count || 1) },
    { header: 'NAME', wide: true, value: (o) => o.metadata.name },
  ],
});
