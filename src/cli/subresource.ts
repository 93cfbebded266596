/**
 * --subresource (get, patch, replace, edit, apply --server-side): the verb reads and writes a
 * subresource instead of the object. status is the object itself with only its status written
 * back; scale is an autoscaling/v1 Scale made from the replicas and the selector (the built-in
 * workloads, and custom resources whose CRD declares a scale subresource).
 */
import { CliError, ApiError } from '../util/errors';
import { isJsonObject, type KObject } from '../model/objects';
import { isKind, isScalable } from '../model/kinds';
import { labelSelectorString } from '../printers/describe/format';
import { kindInfo, type KindInfo } from '../api/registry';
import { readPath, scaleSubresource } from '../api/crd/custom-kinds';
import { statusOwnedBySubresource } from '../api/status-strategy';
import { scaleOf } from '../api/scale';

/** the subresources `kubectl get` accepts (get.go supportedSubresources) */
export const SUBRESOURCES = ['status', 'scale'] as const;
export type Subresource = string;

const BUILT_IN_SCALABLE = ['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController'];

/**
 * GetOptions.Validate's check: get refuses any other value before it asks the server. patch,
 * replace, edit and apply send any value to the server (which answers 404 for one it does not serve).
 */
export function parseGetSubresource(value: string | undefined): Subresource | undefined {
  if (!value) return undefined;
  if (!(SUBRESOURCES as readonly string[]).includes(value))
    throw new CliError(`invalid subresource value: "${value}". Must be one of [${SUBRESOURCES.join(' ')}]`);
  return value;
}

/** The builder's refusal of a subresource with a list (visitBySelector) */
export const BULK_SUBRESOURCE = 'subresource cannot be used when bulk resources are specified';

/** The API server's answer for a subresource a kind does not serve */
const notServed = () => new ApiError('NotFound', 404, 'Error from server (NotFound): the server could not find the requested resource');

function servesStatus(info: KindInfo | undefined): boolean {
  return !!info && statusOwnedBySubresource(info);
}

/** What GET on the subresource returns */
export function subresourceView(obj: KObject, sub: Subresource): KObject {
  const info = kindInfo(obj.kind);
  if (sub === 'status') {
    if (!servesStatus(info)) throw notServed();
    return obj;
  }
  if (sub !== 'scale') throw notServed();
  const scale = scaleOf(obj);
  if (!scale) throw notServed();
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
  // the object's status as the API holds it (a custom resource's is not typed here)
  const { status }: { status?: unknown } = obj;
  let statusReplicas: unknown = (isJsonObject(status) ? status.replicas : undefined) ?? 0;
  let selector: string | undefined;
  if (isKind(obj, 'ReplicationController')) selector = labelSelectorString({ matchLabels: obj.spec?.selector });
  else if (BUILT_IN_SCALABLE.includes(obj.kind) && isScalable(obj)) selector = labelSelectorString(obj.spec?.selector);
  else {
    const crdScale = info && scaleSubresource(info);
    statusReplicas = crdScale ? (readPath(obj, crdScale.statusReplicasPath) ?? 0) : 0;
    const text = crdScale?.labelSelectorPath ? readPath(obj, crdScale.labelSelectorPath) : undefined;
    selector = typeof text === 'string' ? text : undefined;
  }
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: scale.replicas },
    status: { replicas: statusReplicas, ...(selector !== undefined ? { selector } : {}) },
  } as KObject;
}

/** What a write of the edited subresource changes in the object: its status, or its replicas */
export function writeThrough(live: KObject, edited: KObject, sub: Subresource): KObject {
  if (sub === 'status') {
    subresourceView(live, sub);
    const { status }: { status?: unknown } = edited;
    return { ...live, status };
  }
  const scale = scaleOf(live);
  if (sub !== 'scale' || !scale) throw notServed();
  // the Scale as the user edited it: read as JSON
  const { spec }: { spec?: unknown } = edited;
  return scale.withReplicas((isJsonObject(spec) ? spec.replicas : undefined) as number);
}

/** `-o name` of what a subresource read returns: a Scale is scale.autoscaling/NAME */
export function subresourceName(obj: KObject): string | undefined {
  return obj.kind === 'Scale' ? `scale.autoscaling/${obj.metadata.name}` : undefined;
}
