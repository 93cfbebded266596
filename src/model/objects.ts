/**
 * The object model: Kubernetes objects as the JSON the API server would hold.
 *
 * Typing. `KObject<Spec, Status>` is an object of any kind; each kind kubesim serves has an alias
 * built from the Kubernetes v1.32 API types generated from third_party/kubernetes-openapi
 * (./generated, `npm run gen-types`; re-exported under plain names by ./k8s.ts) and kubesim's
 * own simulation fields (./kinds.ts). `isKind(obj, 'Deployment')` narrows a KObject to its kind; the store's
 * `get`/`list` return the kind's alias when the kind is a literal.
 *
 * Where untyped JSON is allowed (the decode boundary): manifest parsing and validation (a kind's
 * `validate` reads what the user wrote, field by field, before it is known to match the type),
 * the state file's JSON, merge/patch/jsonpath/printers of arbitrary fields, and kustomize, which
 * walk arbitrary JSON. There, read `JsonObject`/`unknown` and narrow (`isJsonObject`, `isKind`).
 * Everywhere else (controllers, scheduler, sim) reads typed fields. No code names `any`.
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

/**
 * An object of any kind. `Spec`/`Status` are the kind's typed spec and status (the aliases in
 * ./kinds); a plain `KObject`, whose kind is known only at run time, has them as `unknown`:
 * narrow it to its kind (`isKind`, `isKindIn`) or read it as JSON (`isJsonObject`) first.
 */
export interface KObject<Spec = unknown, Status = unknown> {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: Spec;
  status?: Status;
  /** top-level fields of kinds without spec (ConfigMap.data, Role.rules…): typed on their own aliases */
  [field: string]: unknown;
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
    const items: readonly unknown[] = value;
    const out: unknown[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) out[i] = clone(items[i]);
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

/** An optional part of an object, or an empty one to read optional fields from (`status ?? {}`, typed). */
export function orEmpty<T extends object>(part: T | undefined): Partial<T> {
  return part ?? {};
}

/** Narrows JSON read as `unknown` to an object whose fields can be walked. */
export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** JSON as parsed from a manifest or the state file, before it is known to be a valid object. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}
