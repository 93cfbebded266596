import { ApiError, CliError } from '../util/errors';
import type { KObject } from './types';

interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

const SUPPORTED: Record<string, (o: KObject) => string> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
  'status.phase': (o) => o.status?.phase ?? '',
  'spec.nodeName': (o) => o.spec?.nodeName ?? '',
  'spec.schedulerName': (o) => o.spec?.schedulerName ?? '',
  'spec.restartPolicy': (o) => o.spec?.restartPolicy ?? '',
  'spec.unschedulable': (o) => String(!!o.spec?.unschedulable),
  'status.podIP': (o) => o.status?.podIP ?? '',
  'type': (o) => o.type ?? '',
};

/** `--field-selector status.phase=Running,spec.nodeName!=node-1` */
export function parseFieldSelector(text: string, kind: string, resource: string): FieldRequirement[] {
  const reqs: FieldRequirement[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([A-Za-z.]+)\s*(==|!=|=)\s*(.*)$/.exec(part);
    if (!m) throw new CliError(`invalid selector: '${text}'; can't understand '${part}'`);
    const field = m[1];
    const podOrNode = kind === 'Pod' || kind === 'Node';
    const known = SUPPORTED[field] && (field.startsWith('metadata.') || podOrNode || (field === 'type' && kind === 'Secret') || (field === 'status.phase' && kind === 'Namespace'));
    if (!known) {
      throw new ApiError('BadRequest', 400, `Error from server (BadRequest): Unable to find "${resource}" that match label selector "", field selector "${text}": field label not supported: ${field}`);
    }
    reqs.push({ field, op: m[2] === '!=' ? '!=' : '=', value: m[3] });
  }
  return reqs;
}

export function matchesFields(reqs: FieldRequirement[], obj: KObject): boolean {
  return reqs.every((r) => (SUPPORTED[r.field](obj) === r.value) === (r.op === '='));
}
