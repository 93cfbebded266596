import { kindInfoOrThrow, type Column } from '../registry';
import type { FieldError } from '../../util/errors';
import { dns1123SubdomainErrors, qualifiedNameErrors } from '../labels';
import { validateMeta } from './common';
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

const coreColumns = (): Column[] => kindInfoOrThrow('Event').columns;

/**
 * An events.k8s.io/v1 Event as the core storage keeps it (Convert_v1_Event_To_core_Event): how one
 * written through this group is stored, and what the table prints (printEvent over the internal Event).
 */
function stored(e: EventsV1Event): CoreEvent {
  const out: Record<string, unknown> = { apiVersion: 'v1', kind: 'Event', metadata: e.metadata, involvedObject: e.regarding ?? {} };
  const copy = (to: string, value: unknown) => {
    if (value !== undefined && value !== null) out[to] = value;
  };
  copy('action', e.action);
  copy('count', e.deprecatedCount);
  copy('eventTime', e.eventTime);
  copy('firstTimestamp', e.deprecatedFirstTimestamp);
  copy('lastTimestamp', e.deprecatedLastTimestamp);
  copy('message', e.note);
  copy('reason', e.reason);
  copy('related', e.related);
  copy('reportingComponent', e.reportingController);
  copy('reportingInstance', e.reportingInstance);
  copy('series', e.series);
  copy('source', e.deprecatedSource);
  copy('type', e.type);
  return out as unknown as CoreEvent;
}

/**
 * ValidateEventCreate for a request of events.k8s.io/v1 (pkg/apis/core/validation/events.go): the
 * legacy checks every Event passes, then the strict ones this group adds (eventTime set, type
 * Normal or Warning, the deprecated fields unset). Paths are the internal (core) field names the
 * API server reports, but for reportingController.
 */
function validateCreate(e: EventsV1Event): FieldError[] {
  const errs = legacyErrors(e);
  const invalid = (path: string, detail: string) => errs.push({ path, type: 'Invalid value', value: '', detail });
  const required = (path: string) => errs.push({ path, type: 'Required value' });
  errs.push(...validateMeta(e));
  errs.push(...seriesErrors(e));
  if (!e.eventTime) required('eventTime');
  if (e.type !== 'Normal' && e.type !== 'Warning') invalid('type', `has invalid value: ${e.type ?? ''}`);
  if (e.deprecatedFirstTimestamp) invalid('firstTimestamp', 'needs to be unset');
  if (e.deprecatedLastTimestamp) invalid('lastTimestamp', 'needs to be unset');
  if (e.deprecatedCount) invalid('count', 'needs to be unset');
  if (e.deprecatedSource?.component || e.deprecatedSource?.host) invalid('source', 'needs to be unset');
  return errs;
}

/** validateV1EventSeries */
function seriesErrors(e: EventsV1Event): FieldError[] {
  const errs: FieldError[] = [];
  if (e.series) {
    if ((e.series.count ?? 0) < 2) errs.push({ path: 'series.count', type: 'Invalid value', value: '', detail: 'should be at least 2' });
    if (!e.series.lastObservedTime) errs.push({ path: 'series.lastObservedTime', type: 'Required value' });
  }
  return errs;
}

/** legacyValidateEvent: what every Event passes, through either group */
function legacyErrors(e: EventsV1Event): FieldError[] {
  const errs: FieldError[] = [];
  const invalid = (path: string, detail: string) => errs.push({ path, type: 'Invalid value', value: '', detail });
  const required = (path: string) => errs.push({ path, type: 'Required value' });
  const namespace = e.metadata?.namespace ?? '';
  const involvedNamespace = e.regarding?.namespace ?? '';
  const mismatch = () =>
    errs.push({
      path: 'involvedObject.namespace',
      type: 'Invalid value',
      value: involvedNamespace,
      detail: 'does not match event.namespace',
    });
  if (!e.eventTime) {
    if (!involvedNamespace ? namespace !== '' && namespace !== 'default' : namespace !== involvedNamespace) mismatch();
  } else {
    if (!involvedNamespace && namespace !== 'default' && namespace !== 'kube-system') mismatch();
    const controller = e.reportingController ?? '';
    if (!controller) required('reportingController');
    for (const detail of qualifiedNameErrors(controller))
      errs.push({ path: 'reportingController', type: 'Invalid value', value: controller, detail });
    const limited = (path: string, value: string | undefined, limit: number) => {
      if (!value) required(path);
      else if (value.length > limit) invalid(path, `can have at most ${limit} characters`);
    };
    limited('reportingInstance', e.reportingInstance, 128);
    limited('action', e.action, 128);
    limited('reason', e.reason, 128);
    if ((e.note ?? '').length > 1024) invalid('message', 'can have at most 1024 characters');
  }
  for (const detail of dns1123SubdomainErrors(namespace)) errs.push({ path: 'namespace', type: 'Invalid value', value: namespace, detail });
  return errs;
}

/**
 * ValidateEventUpdate for a request of events.k8s.io/v1: the legacy checks, the series when it
 * changed, and every field of the stored Event immutable (ValidateImmutableField on the internal
 * Event: the paths and values are the core ones, `message` for note, `involvedObject` for
 * regarding). The value is shown as field.Error prints it: a string quoted, a count bare, a time
 * by its String(), a struct by %#v; reason is checked twice there, which kubectl's and the
 * server's messages show once.
 */
function validateUpdate(e: EventsV1Event, old: CoreEvent): FieldError[] {
  const errs = legacyErrors(e);
  const before = fromCore(old);
  if (JSON.stringify(e.series ?? null) !== JSON.stringify(before.series ?? null)) errs.push(...seriesErrors(e));
  const now = stored(e) as unknown as Record<string, unknown>;
  const was = old as unknown as Record<string, unknown>;
  const immutable: [string, (v: unknown) => string][] = [
    ['involvedObject', goObjectReference],
    ['reason', goString],
    ['message', goString],
    ['source', (v) => goStruct('core.EventSource', ['Component', 'Host'], v)],
    ['firstTimestamp', goTime],
    ['lastTimestamp', goTime],
    ['count', (v) => String(v ?? 0)],
    ['type', goString],
    ['eventTime', goTime],
    ['action', goString],
    // a *ObjectReference: nil is the string "null" (quoted, as field.Error prints a nil pointer)
    ['related', (v) => (v ? goObjectReference(v) : '"null"')],
    ['reportingController', goString],
    ['reportingInstance', goString],
  ];
  // (the internal Event's ReportingController is the core v1 reportingComponent)
  const at = (o: Record<string, unknown>, path: string) => o[path === 'reportingController' ? 'reportingComponent' : path];
  for (const [path, show] of immutable) {
    const value = at(now, path);
    if (show(value) !== show(at(was, path))) errs.push({ path, type: 'Invalid value', goValue: show(value), detail: 'field is immutable' });
  }
  return errs;
}

function goString(v: unknown): string {
  return JSON.stringify(typeof v === 'string' ? v : '');
}

/** Go's %#v of a struct of string fields: `core.EventSource{Component:"", Host:""}` */
function goStruct(type: string, fields: string[], v: unknown): string {
  const o = (v ?? {}) as Record<string, unknown>;
  const key = (f: string) => (f === 'UID' ? 'uid' : f[0].toLowerCase() + f.slice(1));
  return `${type}{${fields.map((f) => `${f}:${goString(o[key(f)])}`).join(', ')}}`;
}

function goObjectReference(v: unknown): string {
  return goStruct('core.ObjectReference', ['Kind', 'Namespace', 'Name', 'UID', 'APIVersion', 'ResourceVersion', 'FieldPath'], v);
}

/** metav1.Time / MicroTime String(): Go's time.Time format (`2026-01-01 00:00:00 +0000 UTC`; unset is the zero time) */
function goTime(v: unknown): string {
  if (typeof v !== 'string' || !v) return '0001-01-01 00:00:00 +0000 UTC';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(v);
  if (!m) return v;
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  return `${m[1]} ${m[2]}${fraction ? `.${fraction}` : ''} +0000 UTC`;
}

registerKind('Event.events.k8s.io', {
  stored: (o) => stored(o as EventsV1Event),
  // only on a write through this group (server.ts asStored), with the stored (core) Event on an update
  validate: (o, old) => (old ? validateUpdate(o as EventsV1Event, old as CoreEvent) : validateCreate(o as EventsV1Event)),
  columns: coreColumns().map((c) => ({ ...c, value: (o: KObject, ctx) => c.value(stored(o as EventsV1Event), ctx) })),
  // a stored (core) Event as this group serves it; one already converted is left as it is
  served: (o) => (o.apiVersion === 'events.k8s.io/v1' ? o : fromCore(o as CoreEvent)),
});
