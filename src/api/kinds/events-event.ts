import { kindInfoOrThrow, type Column } from '../registry';
import { registerKind } from './register';
import type { KObject } from '../../model/objects';
import type { CoreEvent } from '../../model/kinds';

/**
 * events.k8s.io/v1 Event: the core Events' storage seen through the newer API (kube-apiserver
 * serves both groups from pkg/registry/core/event's storage and converts, pkg/apis/events/v1
 * conversion.go): involvedObject is `regarding`, message `note`, reportingComponent
 * `reportingController`, and the fields the newer API deprecates carry their old values
 * (`deprecatedCount`, `deprecatedFirstTimestamp`, `deprecatedLastTimestamp`, `deprecatedSource`).
 */
interface EventsV1Event extends KObject<never, never> {
  action?: string;
  deprecatedCount?: number;
  deprecatedFirstTimestamp?: string | null;
  deprecatedLastTimestamp?: string | null;
  deprecatedSource?: CoreEvent['source'];
  eventTime: string | null;
  note?: string;
  reason?: string;
  regarding?: CoreEvent['involvedObject'];
  related?: CoreEvent['related'];
  reportingController?: string;
  reportingInstance?: string;
  series?: { count?: number; lastObservedTime?: string };
  type?: string;
}

/** A core Event as events.k8s.io/v1 serves it (keys in the order kubectl prints them: sorted). */
function fromCore(e: CoreEvent): EventsV1Event {
  const out: EventsV1Event = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: e.metadata, eventTime: e.eventTime ?? null };
  if (e.action) out.action = e.action;
  if (e.count) out.deprecatedCount = e.count;
  out.deprecatedFirstTimestamp = e.firstTimestamp ?? null;
  out.deprecatedLastTimestamp = e.lastTimestamp ?? null;
  if (e.source) out.deprecatedSource = e.source;
  if (e.message) out.note = e.message;
  if (e.reason) out.reason = e.reason;
  out.regarding = e.involvedObject;
  if (e.related) out.related = e.related;
  if (e.reportingComponent) out.reportingController = e.reportingComponent;
  if (e.reportingInstance) out.reportingInstance = e.reportingInstance;
  if (e.series) out.series = { count: e.series.count, lastObservedTime: e.series.lastObservedTime as unknown as string };
  if (e.type) out.type = e.type;
  return out;
}

/** And back: the table is printEvent's over the internal Event both groups convert to. */
function toCore(e: EventsV1Event): CoreEvent {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: e.metadata,
    involvedObject: e.regarding ?? {},
    ...(e.note !== undefined && { message: e.note }),
    ...(e.reason !== undefined && { reason: e.reason }),
    ...(e.type !== undefined && { type: e.type }),
    ...(e.deprecatedCount !== undefined && { count: e.deprecatedCount }),
    ...(e.deprecatedFirstTimestamp && { firstTimestamp: e.deprecatedFirstTimestamp }),
    ...(e.deprecatedLastTimestamp && { lastTimestamp: e.deprecatedLastTimestamp }),
    ...(e.deprecatedSource && { source: e.deprecatedSource }),
    ...(e.reportingController !== undefined && { reportingComponent: e.reportingController }),
    ...(e.reportingInstance !== undefined && { reportingInstance: e.reportingInstance }),
  } as CoreEvent;
}

const coreColumns = (): Column[] => kindInfoOrThrow('Event').columns;

registerKind('Event.events.k8s.io', {
  columns: coreColumns().map((c) => ({ ...c, value: (o: KObject, ctx) => c.value(toCore(o as EventsV1Event), ctx) })),
  // a stored (core) Event as this group serves it; one already converted is left as it is
  served: (o) => (o.apiVersion === 'events.k8s.io/v1' ? o : fromCore(o as CoreEvent)),
});
