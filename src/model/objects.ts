/**
 * Kubernetes objects are kept as the JSON the API server would hold. Kind-specific
 * fields are read through the helpers in src/api/kinds; `any` is allowed on
 * spec/status because manifests are user data that validation checks field by field.
 */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  generateName?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
}

export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  status?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [field: string]: any;
}

/** A pointer to an object, as events and actions carry it. */
export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
  apiVersion?: string;
  /** the part of the object an event is about: `spec.containers{web}` for a container's */
  fieldPath?: string;
}

export function refOf(obj: KObject): ObjectRef {
  return { kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name, uid: obj.metadata.uid, apiVersion: obj.apiVersion };
}

export function controllerOf(obj: KObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller);
}

/** Deep copy of JSON data; several times faster than structuredClone on small objects (hot path). */
export function clone<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = clone(value[i]);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const k in value as Record<string, unknown>) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = clone(v);
  }
  return out as T;
}

export type EventType = 'Normal' | 'Warning';

export interface EventRecord {
  involved: ObjectRef;
  type: EventType;
  reason: string;
  message: string;
  /** component that reported it: deployment-controller, default-scheduler, kubelet… */
  source: string;
  /** node name, for kubelet events */
  host?: string;
}

export interface StoredEvent extends EventRecord {
  /** recording order of the first occurrence (cluster-wide) */
  seq: number;
  count: number;
  firstTimestamp: number;
  lastTimestamp: number;
}

/** A nested part of an object (container, condition, port…): user JSON, checked by validation. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Fields = Record<string, any>;
