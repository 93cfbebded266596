import { ApiError, CliError } from '../util/errors';
import type { KObject } from '../model/objects';
import type { CoreEvent } from '../model/kinds';

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
  /** reads the field from an object of the selector's kind */
  of: (o: KObject) => string;
}

/**
 * The fields the selectors below read, from whichever kind has them: a Pod's or a Node's spec and
 * status, a Namespace's phase, a Secret's type (parseFieldSelector allows each field only on its kinds).
 */
type Selectable = KObject<
  { nodeName?: string; schedulerName?: string; restartPolicy?: string; unschedulable?: boolean },
  { phase?: string; podIP?: string }
> & { type?: string };

const SUPPORTED: Record<string, (o: Selectable) => string> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
  'status.phase': (o) => o.status?.phase ?? '',
  'spec.nodeName': (o) => o.spec?.nodeName ?? '',
  'spec.schedulerName': (o) => o.spec?.schedulerName ?? '',
  'spec.restartPolicy': (o) => o.spec?.restartPolicy ?? '',
  'spec.unschedulable': (o) => String(!!o.spec?.unschedulable),
  'status.podIP': (o) => o.status?.podIP ?? '',
  type: (o) => o.type ?? '',
};

/** The fields the API server indexes for events (core/v1 event field label conversion). */
const EVENT_FIELDS: Record<string, (o: CoreEvent) => string> = {
  'involvedObject.kind': (o) => o.involvedObject?.kind ?? '',
  'involvedObject.namespace': (o) => o.involvedObject?.namespace ?? '',
  'involvedObject.name': (o) => o.involvedObject?.name ?? '',
  'involvedObject.uid': (o) => o.involvedObject?.uid ?? '',
  'involvedObject.apiVersion': (o) => o.involvedObject?.apiVersion ?? '',
  'involvedObject.resourceVersion': (o) => o.involvedObject?.resourceVersion ?? '',
  'involvedObject.fieldPath': (o) => o.involvedObject?.fieldPath ?? '',
  reason: (o) => o.reason ?? '',
  reportingComponent: (o) => o.reportingComponent ?? '',
  source: (o) => o.source?.component ?? '',
  type: (o) => o.type ?? '',
};

/**
 * events.k8s.io/v1's field labels, as its conversion maps them to the core Event's fields both
 * groups' storage selects on (pkg/apis/events/v1 conversion.go AddFieldLabelConversionsForEvent):
 * `regarding.*` is `involvedObject.*`, `reportingController` is `reportingComponent`; any other
 * label, the core spellings included, is "field label not supported".
 */
const EVENTS_V1_FIELD_LABELS: Record<string, string> = {
  reason: 'reason',
  'regarding.kind': 'involvedObject.kind',
  'regarding.namespace': 'involvedObject.namespace',
  'regarding.name': 'involvedObject.name',
  'regarding.uid': 'involvedObject.uid',
  'regarding.apiVersion': 'involvedObject.apiVersion',
  'regarding.resourceVersion': 'involvedObject.resourceVersion',
  'regarding.fieldPath': 'involvedObject.fieldPath',
  reportingController: 'reportingComponent',
  source: 'source',
  type: 'type',
  'metadata.namespace': 'metadata.namespace',
  'metadata.name': 'metadata.name',
};

/**
 * The reader of a field on objects of the kind. parseFieldSelector allows a field only on the
 * kinds that have it, so the object is read as one of those.
 */
function fieldValue(field: string, kind: string): ((o: KObject) => string) | undefined {
  const event = kind === 'Event' ? EVENT_FIELDS[field] : undefined;
  if (event) return (o) => event(o as CoreEvent);
  const read = kind !== 'Event' || field.startsWith('metadata.') ? SUPPORTED[field] : undefined;
  return read && ((o) => read(o as Selectable));
}

/**
 * `--field-selector status.phase=Running,spec.nodeName!=node-1`; `group` is the API group the
 * request names (events.k8s.io's Events select by their own labels, converted to the core ones).
 */
export function parseFieldSelector(text: string, kind: string, resource: string, group = ''): FieldRequirement[] {
  const reqs: FieldRequirement[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z.]+)\s*(==|!=|=)\s*(.*)$/.exec(part);
    if (!m) throw new CliError(`invalid selector: '${text}'; can't understand '${part}'`);
    const field = m[1];
    const podOrNode = kind === 'Pod' || kind === 'Node';
    const eventsV1 = kind === 'Event' && group === 'events.k8s.io';
    const internal = eventsV1 ? (Object.hasOwn(EVENTS_V1_FIELD_LABELS, field) ? EVENTS_V1_FIELD_LABELS[field] : undefined) : field;
    const known =
      internal === undefined
        ? false
        : kind === 'Event'
          ? !!fieldValue(internal, kind)
          : SUPPORTED[field] &&
            (field.startsWith('metadata.') ||
              podOrNode ||
              (field === 'type' && kind === 'Secret') ||
              (field === 'status.phase' && kind === 'Namespace'));
    if (!known) {
      throw new ApiError(
        'BadRequest',
        400,
        `Error from server (BadRequest): Unable to find "${resource}" that match label selector "", field selector "${text}": field label not supported: ${field}`,
      );
    }
    reqs.push({ field, op: m[2] === '!=' ? '!=' : '=', value: m[3], of: fieldValue(internal!, kind)! });
  }
  return reqs;
}

export function matchesFields(reqs: FieldRequirement[], obj: KObject): boolean {
  return reqs.every((r) => (r.of(obj) === r.value) === (r.op === '='));
}
