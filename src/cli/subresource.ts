/**
 * --subresource=status|scale (kubectl patch): the verb reads and writes the subresource
 * instead of the object. status is the object itself with only its status written back; scale
 * is an autoscaling/v1 Scale made from spec.replicas, status.replicas and the selector.
 */
import { CliError, ApiError } from '../util/errors';
import type { KObject } from '../model/objects';
import { labelSelectorString } from '../printers/describe/format';

export const SUBRESOURCES = ['status', 'scale'] as const;
export type Subresource = (typeof SUBRESOURCES)[number];

const SCALABLE = ['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController'];
/** built-in kinds served without a status subresource */
const WITHOUT_STATUS = ['ConfigMap', 'Secret', 'ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding', 'Endpoints'];

/** PatchOptions.Validate's check */
export function parseSubresource(value: string | undefined): Subresource | undefined {
  if (!value) return undefined;
  if (!(SUBRESOURCES as readonly string[]).includes(value))
    throw new CliError(`invalid subresource value: "${value}". Must be one of [${SUBRESOURCES.join(' ')}]`);
  return value as Subresource;
}

/** The API server's answer for a subresource a kind does not serve */
const notServed = () => new ApiError('NotFound', 404, 'Error from server (NotFound): the server could not find the requested resource');

/** What GET on the subresource returns */
export function subresourceView(obj: KObject, sub: Subresource): KObject {
  if (sub === 'status') {
    if (WITHOUT_STATUS.includes(obj.kind)) throw notServed();
    return obj;
  }
  if (!SCALABLE.includes(obj.kind)) throw notServed();
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
  const selector = obj.kind === 'ReplicationController' ? { matchLabels: obj.spec?.selector } : obj.spec?.selector;
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 1 },
    status: { replicas: obj.status?.replicas ?? 0, selector: labelSelectorString(selector) },
  } as KObject;
}

/** What a write of the edited subresource changes in the object: its status, or its replicas */
export function writeThrough(live: KObject, edited: KObject, sub: Subresource): KObject {
  if (sub === 'status') return { ...live, status: edited.status };
  return { ...live, spec: { ...live.spec, replicas: edited.spec?.replicas } };
}
