import { canonicalizeQuantities } from './quantity-exact';
import { storageInUse } from './admission/storage-object-in-use-protection';
import { alreadyExists, ApiError, conflict, invalid, notFound, type FieldError } from '../util/errors';
import { toRFC3339 } from '../util/duration';
import { HiddenField } from '../util/memo';
import type { Random } from '../util/random';
import type { ObjectStore, ReadonlyObjectStore } from '../store/object-store';
import { allKinds, checkVerb, kindInfo, kindInfoOfObject, kindInfoOrThrow, resourceName, type KindInfo } from './registry';
import { loggedWrite } from './request-log';
import { clone, type KObject } from '../model/objects';
import { isKind } from '../model/kinds';
import { deepEqual } from './merge';
import { admit, admitDelete } from './admission';
import { fromTemplatePod, metadataText, rememberTemplatePod, templatePodOwner } from './template-pods';
import { checkFieldTypes } from './decode';
import { decodeRequestFields, type FieldValidation } from './field-validation';
import { syncCustomKinds } from './crd/custom-kinds';
import { createResetsStatus, statusOwnedBySubresource } from './status-strategy';
import { recordUpdate, typeRefFor, type Writer } from './managed-fields/managed-fields';
import type { TypeRef } from './managed-fields/typed';
import { customKindSchema } from './crd/published-schema';
import './admission/index';
import './kinds/index';

/** The API server's write path: defaulting, admission, validation, metadata bookkeeping. */
export interface ApiContext {
  store: ObjectStore;
  now: number;
  random: Random;
  /**
   * The API server's authorizer for the user making the request: throws Forbidden when the user
   * may not. Undefined for the cluster's own controllers and for kubectl's admin, who may do anything.
   */
  authorize?: (verbs: string[], info: KindInfo, namespace: string | undefined, name: string) => void;
}

/** What the API's checks that write nothing need (a controller's context is one: it cannot write). */
export interface ReadContext {
  store: ReadonlyObjectStore;
  now: number;
}

/** kubectl's --dry-run: client-side nothing reaches the server; server-side every write is sent with dryRun (WriteOptions). */
export type DryRun = 'none' | 'client' | 'server';

export interface WriteOptions {
  /** server-side dry run: everything but the write */
  dryRun?: boolean;
  /** controllers' writes skip validation (they build valid objects) but not defaulting or admission */
  trusted?: boolean;
  /** kubectl's --validate as the fieldValidation parameter (unset: the server's default, Warn); false when no server decodes the object (client-side dry run) */
  fieldValidation?: FieldValidation | false;
  /** the PATCH body this write applies: a strict refusal quotes it */
  patch?: unknown;
  /** a write of a subresource: status (only status changes, kubectl --subresource=status), a CSR's approval, a namespace's finalize (only spec.finalizers changes) */
  subresource?: 'status' | 'approval' | 'finalize' | 'ephemeralcontainers';
  /** the field manager metadata.managedFields records for this write (the API server's default: the client's name, `kubectl`) */
  fieldManager?: string;
  /** the subresource the write went through, as managedFields records it (`kubectl scale` writes /scale) */
  managerSubresource?: 'scale';
  /** server-side apply computed metadata.managedFields already: take them as they are */
  presetManagedFields?: boolean;
  /**
   * an object read back from a real cluster (`kubesim import`), as an etcd restore puts it back:
   * its uid and creationTimestamp are kept and admission does not run again (it was admitted
   * there). Implies trusted.
   */
  restore?: boolean;
}

/** The largest request body the API server reads (genericapiserver's MaxRequestBodyBytes, 3 MiB). */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

/** The body as the API server's decoder leaves it (unknown fields dropped or refused). */
function decodeBody(ctx: ApiContext, input: KObject, opts: WriteOptions): KObject {
  if (opts.trusted) return input;
  if (opts.fieldValidation !== false && Buffer.byteLength(JSON.stringify(opts.patch ?? input)) > MAX_REQUEST_BODY_BYTES)
    throw new ApiError(
      'RequestEntityTooLarge',
      413,
      `Error from server (RequestEntityTooLarge): Request entity too large: limit is ${MAX_REQUEST_BODY_BYTES}`,
    );
  checkFieldTypes(input);
  if (opts.fieldValidation === false) return input;
  return decodeRequestFields(ctx.store, input, { directive: opts.fieldValidation, patch: opts.patch });
}

const CRD = 'CustomResourceDefinition';

/** A CRD write changes what the API serves: its resource appears, changes or (deleted) goes. */
function afterCrdWrite(ctx: ApiContext, kind: string): void {
  if (kind === CRD) syncCustomKinds(ctx.store.list(CRD));
}

function checkNamespace(ctx: ApiContext, info: KindInfo, obj: KObject): void {
  if (!info.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  if (!obj.metadata.namespace) obj.metadata.namespace = 'default';
  const ns = ctx.store.get('Namespace', undefined, obj.metadata.namespace);
  if (!ns) throw notFound('namespaces', obj.metadata.namespace);
  if (ns.status?.phase === 'Terminating') {
    throw new ApiError(
      'Forbidden',
      403,
      `Error from server (Forbidden): ${resourceName(info)} "${obj.metadata.name || obj.metadata.generateName}" is forbidden: unable to create new content in namespace ${obj.metadata.namespace} because it is being terminated`,
    );
  }
}

/**
 * A refused write leaves no trace: the PRNG draws it made on the way (generateName, uid, a
 * Service's clusterIP or nodePort) are taken back, so the next object gets what it would have
 * got without the failed command. Controllers' trusted writes are not refused and skip this.
 */
function withoutTraceIfRefused<T>(ctx: ApiContext, opts: WriteOptions, write: () => T): T {
  if (opts.trusted) return write();
  const drawn = ctx.random.snapshot();
  try {
    return write();
  } catch (e) {
    ctx.random.restore(drawn);
    throw e;
  }
}

/** Creates an object; returns what was stored (or would be, on dry run). */
export function createObject(ctx: ApiContext, input: KObject, opts: WriteOptions = {}): KObject {
  return loggedWrite('POST', kindInfo(input.kind), input.metadata?.namespace ?? 'default', input.metadata?.name, input, () =>
    withoutTraceIfRefused(ctx, opts, () => create(ctx, input, opts)),
  );
}

function create(ctx: ApiContext, input: KObject, opts: WriteOptions): KObject {
  const info = kindInfoOrThrow(input.kind);
  ctx.authorize?.(['create'], info, info.namespaced ? input.metadata.namespace || 'default' : undefined, input.metadata.name ?? '');
  // after authorization, as the API server's filters run before its routes
  checkVerb(info, 'create');
  // a controller's pods of one template after the first: admitted as the first was (./template-pods.ts)
  const owner = templatePodOwner(input, opts);
  const admitted = owner ? fromTemplatePod(ctx, input, owner) : undefined;
  // any kind: spec and status are opaque to the generic write path
  const obj: KObject = admitted ?? asStored(ctx, clone(decodeBody(ctx, input, opts)), opts);
  // decoded as the API server decodes it (controllers build from stored, decoded objects)
  if (!opts.trusted) canonicalizeQuantities(obj);
  obj.metadata = obj.metadata ?? ({} as KObject['metadata']);
  dropEmptyMetadata(obj.metadata);
  checkNamespace(ctx, info, obj);
  if (!obj.metadata.name && obj.metadata.generateName) {
    // names.SimpleNameGenerator: generateName + 5 random chars; retry on the rare clash (the
    // name found free needs no second lookup: a ReplicaSet's 150,000 creates did two)
    do obj.metadata.name = obj.metadata.generateName + ctx.random.string(5);
    while (ctx.store.get(obj.kind, obj.metadata.namespace, obj.metadata.name));
    // (for the admission below: a template pod is not admitted again, and the mark on each of
    // 150,000 pods' metadata was a property defined, a map transition, per create)
    if (!admitted) NAMED_BY_SERVER.set(obj.metadata, true);
  } else if (ctx.store.get(obj.kind, obj.metadata.namespace, obj.metadata.name)) throw alreadyExists(resourceName(info), obj.metadata.name);
  delete obj.metadata.resourceVersion;
  // a controller may give an object it derives from another a uid of its own making (the
  // kubelet's node Lease): no draw from the cluster's PRNG, so adding it shifts no other name
  obj.metadata.uid = opts.trusted && input.metadata?.uid ? input.metadata.uid : ctx.random.uuid();
  obj.metadata.creationTimestamp =
    opts.restore && input.metadata?.creationTimestamp ? input.metadata.creationTimestamp : toRFC3339(ctx.now);
  delete obj.metadata.deletionTimestamp;
  if (tracksGeneration(info)) obj.metadata.generation = 1;
  // the status subresource owns status: a create starts without one (PrepareForCreate; a Node keeps it)
  if (!opts.trusted && createResetsStatus(info)) delete obj.status;
  let memoable = false;
  if (!admitted) {
    const before = owner ? metadataText(obj) : undefined;
    info.defaults?.(obj, ctx);
    // the field manager runs on the decoded, defaulted object, before mutating admission (what
    // admission adds has no manager)
    if (!opts.trusted && !opts.presetManagedFields) {
      delete (obj.metadata as { managedFields?: unknown }).managedFields;
      recordUpdate(info, managedFieldsType(info), undefined, obj, writerOf(opts), ctx.now);
    }
    if (!opts.restore) admit(ctx, info, obj, undefined, opts);
    if (!opts.trusted) {
      const errors = info.validate?.(obj, undefined, ctx) ?? [];
      if (errors.length) throw invalid(info.kind, obj.metadata.name, errors, info.group);
    }
    memoable = before !== undefined && metadataText(obj) === before;
  }
  if (opts.dryRun) return obj;
  obj.metadata.resourceVersion = ctx.store.nextResourceVersion();
  ctx.store.put(obj);
  if (memoable) rememberTemplatePod(ctx, input, owner!, obj);
  afterCrdWrite(ctx, obj.kind);
  return obj;
}

/**
 * An object written through another group's view of its kind (an events.k8s.io/v1 Event) as the
 * shared storage keeps it (a core v1 Event), after the checks that group's API makes on it
 * (the view's validate: ValidateEventCreate's strict events.k8s.io rules on a create,
 * ValidateEventUpdate's against the stored object on an update).
 */
function asStored(ctx: ApiContext, obj: KObject, opts: WriteOptions, current?: KObject): KObject {
  const view = kindInfoOfObject(obj);
  if (!view?.viewOf || !view.stored) return obj;
  if (!opts.trusted) {
    // (an update's checks compare with the object as stored: ValidateEventUpdate's immutable fields)
    const errors = view.validate?.(obj, current, ctx) ?? [];
    if (errors.length) throw invalid(view.kind, obj.metadata?.name ?? '', errors, view.group);
  }
  return view.stored(obj);
}

/**
 * ObjectMeta's labels, annotations and finalizers are `omitempty`: an empty map or list (sent by
 * a client, or left by a controller that removed the last finalizer) is stored and served as no
 * field, as the API server's JSON encoding drops it.
 */
function dropEmptyMetadata(meta: KObject['metadata']): void {
  if (meta.finalizers?.length === 0) delete meta.finalizers;
  if (meta.labels && isEmptyMap(meta.labels)) delete meta.labels;
  if (meta.annotations && isEmptyMap(meta.annotations)) delete meta.annotations;
}

function isEmptyMap(map: Record<string, string>): boolean {
  for (const _ in map) return false;
  return true;
}

/** Who metadata.managedFields says made a user's write: --field-manager, else the client's name. */
function writerOf(opts: WriteOptions): Writer {
  const subresource = opts.subresource ?? opts.managerSubresource;
  return { manager: opts.fieldManager ?? 'kubectl', ...(subresource ? { subresource } : {}) };
}

/** The schema field sets are computed with: the built-in kind's, or the custom resource's. */
export function managedFieldsType(info: KindInfo): TypeRef {
  return typeRefFor(info, info.crd ? customKindSchema(info, info.version) : undefined);
}

/**
 * Objects whose name the server generated here: mutating admission runs before naming in kube.
 * (On the metadata object, not in a WeakSet: an entry per created pod, 150,000 in a big apply,
 * that every collection had to walk.)
 */
const NAMED_BY_SERVER = new HiddenField<true>('named by the server');

/**
 * The name admission errors show: kube's mutating admission runs before the name is generated,
 * so its errors name the generateName prefix (`pods "web-7d4b9-" is forbidden: …`).
 */
export function nameBeforeGeneration(obj: KObject): string {
  return NAMED_BY_SERVER.get(obj.metadata) && obj.metadata.generateName ? obj.metadata.generateName : obj.metadata.name;
}

/**
 * Which kinds carry metadata.generation in v1.32: the controller-managed APIs (apps, batch,
 * policy, autoscaling, networking, admissionregistration), not core objects like ConfigMap or Pod.
 */
const GENERATION_GROUPS = new Set([
  'apps',
  'batch',
  'policy',
  'autoscaling',
  'networking.k8s.io',
  'admissionregistration.k8s.io',
  'kubesim.io',
  'apiextensions.k8s.io',
]);
function tracksGeneration(info: KindInfo): boolean {
  return info.tracksGeneration ?? GENERATION_GROUPS.has(info.group);
}

/** The top-level fields of an object of any kind (spec, or data, rules… for kinds without one). */
type TopLevelFields = Record<string, unknown>;

function specJson(info: KindInfo, obj: TopLevelFields): string {
  return JSON.stringify((info.specFields ?? ['spec']).map((f) => obj[f]));
}

function specChanged(info: KindInfo, obj: TopLevelFields, current: TopLevelFields, trusted: boolean): boolean {
  const fields = info.specFields ?? ['spec'];
  // a controller's status write hands back the stored spec itself
  if (fields.every((f) => obj[f] === current[f])) return false;
  if (trusted) return specJson(info, obj) !== specJson(info, current);
  return !deepEqual(
    fields.map((f) => obj[f]),
    fields.map((f) => current[f]),
  );
}

/**
 * Replaces an object. With `input.metadata.resourceVersion` set, it must match the
 * stored one (optimistic concurrency). Generation goes up when the spec changes.
 * Returns the stored object, or the existing one when nothing changed.
 */
export function updateObject(ctx: ApiContext, input: KObject, opts: WriteOptions = {}): KObject {
  // kubectl PATCHes (apply, label, scale…) or PUTs the whole object (replace)
  return loggedWrite(
    opts.patch !== undefined ? 'PATCH' : 'PUT',
    kindInfo(input.kind),
    input.metadata?.namespace ?? 'default',
    input.metadata?.name,
    opts.patch ?? input,
    () => withoutTraceIfRefused(ctx, opts, () => update(ctx, input, opts)),
  );
}

function update(ctx: ApiContext, input: KObject, opts: WriteOptions): KObject {
  const info = kindInfoOrThrow(input.kind);
  const ns = info.namespaced ? input.metadata.namespace || 'default' : undefined;
  // kubectl sends an update (replace) or a patch (apply, label, set, scale…): either verb lets it through
  ctx.authorize?.(['update', 'patch'], info, ns, input.metadata.name);
  checkVerb(info, opts.patch !== undefined ? 'patch' : 'update');
  const current: KObject | undefined = ctx.store.get(input.kind, ns, input.metadata.name);
  if (!current) throw notFound(resourceName(info), input.metadata.name);
  if (input.metadata.resourceVersion && input.metadata.resourceVersion !== current.metadata.resourceVersion) {
    throw conflict(resourceName(info), input.metadata.name);
  }
  // any kind: spec and status are opaque to the generic write path
  let obj: KObject = opts.trusted
    ? { ...input, metadata: { ...input.metadata } }
    : asStored(ctx, clone(decodeBody(ctx, input, opts)), opts, current);
  if (!opts.trusted) canonicalizeQuantities(obj);
  if (!opts.trusted && statusOwnedBySubresource(info)) {
    // the status subresource writes status alone; the object's own writes leave status be
    // (PrepareForUpdate; controllers' trusted writes carry both); a CSR's approval subresource writes only status.conditions
    if (opts.subresource === 'status') obj = { ...clone(current), status: obj.status };
    else if (opts.subresource === 'ephemeralcontainers') {
      // pods/ephemeralcontainers writes spec.ephemeralContainers alone (podEphemeralContainersStrategy)
      const requested = (obj.spec as { ephemeralContainers?: unknown } | undefined)?.ephemeralContainers;
      const spec = { ...(clone(current.spec) as Record<string, unknown>) };
      if (requested === undefined || requested === null) delete spec.ephemeralContainers;
      else spec.ephemeralContainers = requested;
      obj = { ...clone(current), spec };
    } else if (opts.subresource === 'approval') {
      const status: { conditions?: unknown } = { ...clone(current.status ?? {}) };
      const conditions = (obj.status as { conditions?: unknown } | undefined)?.conditions;
      if (conditions === undefined) delete status.conditions;
      else status.conditions = conditions;
      obj = { ...clone(current), status };
    } else if (current.status === undefined) delete obj.status;
    else obj.status = clone(current.status);
  }
  obj.metadata.namespace = ns;
  if (!ns) delete obj.metadata.namespace;
  dropEmptyMetadata(obj.metadata);
  // immutable bookkeeping comes from the stored object
  obj.metadata.uid = current.metadata.uid;
  obj.metadata.creationTimestamp = current.metadata.creationTimestamp;
  if (!obj.metadata.deletionTimestamp && current.metadata.deletionTimestamp) {
    obj.metadata.deletionTimestamp = current.metadata.deletionTimestamp;
    obj.metadata.deletionGracePeriodSeconds = current.metadata.deletionGracePeriodSeconds;
  }
  obj.metadata.resourceVersion = current.metadata.resourceVersion;
  // (not added as undefined to a copy without one: a key added to a spread copy costs V8 ~1 µs,
  // once per pod write at 150k pods; an absent key and an undefined one print and compare alike)
  if (obj.metadata.generation !== current.metadata.generation) obj.metadata.generation = current.metadata.generation;
  if (!opts.trusted) info.defaults?.(obj, ctx);
  if (!opts.trusted && isKind(current, 'Namespace')) finalizersStrategy(obj, current, input, opts);
  // the API server keeps managedFields itself (server-side apply hands in the ones it computed)
  const meta = obj.metadata as { managedFields?: unknown };
  if (!opts.trusted && !opts.presetManagedFields) {
    const kept = (current.metadata as { managedFields?: unknown }).managedFields;
    if (kept === undefined) delete meta.managedFields;
    else meta.managedFields = kept;
  }
  // a no-op update writes nothing (controllers are trusted to send only real changes: the
  // comparison is the hottest line at 150k pods, and the engine test checks idempotence)
  // (untrusted: in any key order, as the API server compares decoded objects)
  if (!opts.trusted && deepEqual(obj, current)) return current;
  // only kinds with a generation need the comparison (Pods, the bulk of the writes, have none)
  if (current.metadata.generation !== undefined && specChanged(info, obj, current, !!opts.trusted)) {
    obj.metadata.generation = (current.metadata.generation ?? 0) + 1;
  }
  if (!opts.trusted) {
    if (!opts.presetManagedFields) recordUpdate(info, managedFieldsType(info), current, obj, writerOf(opts), ctx.now);
    admit(ctx, info, obj, current, opts);
    const errors = [...newFinalizersWhileDeleting(obj, current), ...(info.validate?.(obj, current, ctx) ?? [])];
    if (errors.length) throw invalid(info.kind, obj.metadata.name, errors, info.group);
  }
  if (opts.dryRun) return obj;
  if (shouldDeleteDuringUpdate(obj, current)) {
    // the update that removed the last finalizer of an object being deleted deletes it
    ctx.store.drop(obj.kind, ns, obj.metadata.name, ctx.store.nextResourceVersion());
    return obj;
  }
  obj.metadata.resourceVersion = ctx.store.nextResourceVersion();
  ctx.store.put(obj);
  afterCrdWrite(ctx, obj.kind);
  return obj;
}

/**
 * Finalizers kubesim's own controllers finish by deleting the object themselves (the volume
 * protection controllers, the garbage collector's foreground and orphan policies, the Job
 * controller's pod tracking): an object holding only these is deleted as those flows do.
 * Any other finalizer (an operator's, a user's) keeps a deleted object until it is removed.
 */
const FINISHED_BY_KUBESIM: ReadonlySet<string> = new Set([
  'kubernetes.io/pvc-protection',
  'kubernetes.io/pv-protection',
  'foregroundDeletion', // FOREGROUND_FINALIZER (declared below)
  'orphan',
  'batch.kubernetes.io/job-tracking',
]);

function pendingFinalizers(obj: KObject): string[] {
  return (obj.metadata.finalizers ?? []).filter((f) => !FINISHED_BY_KUBESIM.has(f));
}

/**
 * registry/generic/registry/store.go ShouldDeleteDuringUpdate: no finalizers left, a delete
 * requested, and no grace period (or 0) on the stored object. (Namespaces have their own flow:
 * their finalizers are spec.finalizers, and the namespace controller deletes them.)
 */
function shouldDeleteDuringUpdate(obj: KObject, current: KObject): boolean {
  if (obj.metadata.finalizers?.length || !current.metadata.finalizers?.length || isKind(current, 'Namespace')) return false;
  return !!current.metadata.deletionTimestamp && (current.metadata.deletionGracePeriodSeconds ?? 0) === 0;
}

/**
 * A delete that leaves the object, Terminating: stored as a new revision with its deletion at
 * `at` and `grace` seconds (and any other metadata the delete sets, such as a finalizer).
 */
function markDeleting(ctx: ApiContext, current: KObject, at: number, grace: number, more: Partial<KObject['metadata']> = {}): KObject {
  const obj = {
    ...current,
    metadata: { ...current.metadata, deletionTimestamp: toRFC3339(at), deletionGracePeriodSeconds: grace, ...more },
  };
  obj.metadata.resourceVersion = ctx.store.nextResourceVersion();
  ctx.store.put(obj);
  return obj;
}

/** When a delete asked the object to go, if one did. */
function deletionTime(obj: KObject): number | undefined {
  const at = obj.metadata.deletionTimestamp;
  return at ? Date.parse(at) : undefined;
}

/** apimachinery ValidateNoNewFinalizers: while an object is being deleted its finalizers can only be removed. */
function newFinalizersWhileDeleting(obj: KObject, current: KObject): FieldError[] {
  if (!current.metadata.deletionTimestamp) return [];
  const old = new Set(current.metadata.finalizers ?? []);
  const added = [...new Set((obj.metadata.finalizers ?? []).filter((f) => !old.has(f)))].sort();
  if (!added.length) return [];
  const shown = `[]string{${added.map((f) => JSON.stringify(f)).join(', ')}}`;
  return [
    {
      path: 'metadata.finalizers',
      type: 'Forbidden',
      detail: `no new finalizers can be added if the object is being deleted, found new finalizers ${shown}`,
    },
  ];
}

/**
 * A namespace's spec.finalizers change only through its finalize subresource (PUT
 * /api/v1/namespaces/NAME/finalize): namespaceStrategy.PrepareForUpdate keeps the stored ones,
 * namespaceFinalizeStrategy takes the request's.
 */
function finalizersStrategy(obj: KObject, current: KObject, input: KObject, opts: WriteOptions): void {
  const stored = (current.spec as { finalizers?: string[] } | undefined)?.finalizers;
  const requested = (input.spec as { finalizers?: unknown } | undefined)?.finalizers;
  const spec = { ...((obj.spec as Record<string, unknown> | undefined) ?? {}) };
  const finalizers = opts.subresource === 'finalize' ? requested : stored;
  // omitempty: no finalizers is no field
  if (!Array.isArray(finalizers) || !finalizers.length) delete spec.finalizers;
  else spec.finalizers = clone(finalizers);
  // (status is the stored one already: namespaces' status is owned by their status subresource)
  obj.spec = spec;
}

/** What happens to an object's dependents (kubectl --cascade: background, foreground, orphan). */
export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

/** The finalizer an owner waits under while the garbage collector deletes its dependents first. */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  dryRun?: boolean;
  propagationPolicy?: PropagationPolicy;
  /** a user's DELETE request, which goes through admission (webhooks); controllers' and the eviction API's deletes do not */
  admit?: boolean;
}

/**
 * Deletes an object. A pod bound to a node goes Terminating (deletionTimestamp) and the
 * simulated kubelet removes it after its containers stop; a namespace goes Terminating
 * until the namespace controller has emptied it; everything else goes at once and the
 * garbage collector deletes its dependents (background propagation, kubectl's default).
 */
export function deleteObject(
  ctx: ApiContext,
  kind: string,
  namespace: string | undefined,
  name: string,
  opts: DeleteOptions = {},
): KObject {
  return loggedWrite('DELETE', kindInfo(kind), namespace || 'default', name, undefined, () =>
    removeObject(ctx, kind, namespace, name, opts),
  );
}

function removeObject(ctx: ApiContext, kind: string, namespace: string | undefined, name: string, opts: DeleteOptions): KObject {
  const info = kindInfoOrThrow(kind);
  const ns = info.namespaced ? namespace || 'default' : undefined;
  ctx.authorize?.(['delete'], info, ns, name);
  checkVerb(info, 'delete');
  const current = ctx.store.get(kind, ns, name);
  if (!current) throw notFound(resourceName(info), name);
  if (opts.admit) admitDelete(ctx, info, current);
  if (opts.dryRun) return current;
  const uid = current.metadata.uid;
  if (opts.propagationPolicy === 'Orphan' && uid) {
    // the garbage collector's orphaning: dependents lose their reference to it and stay
    for (const dep of ctx.store.ownedBy(uid)) {
      const refs = (dep.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      const { ownerReferences: _, ...metadata } = dep.metadata;
      ctx.store.put({
        ...dep,
        metadata: { ...metadata, ...(refs.length ? { ownerReferences: refs } : {}), resourceVersion: ctx.store.nextResourceVersion() },
      });
    }
  }
  if (uid && current.metadata.finalizers?.includes(FOREGROUND_FINALIZER)) {
    // the garbage collector asks again once the dependents are gone: finalize
    if (!ctx.store.ownedBy(uid).length) ctx.store.drop(kind, ns, name, ctx.store.nextResourceVersion());
    return current;
  }
  if (opts.propagationPolicy === 'Foreground' && uid && kind !== 'Pod' && kind !== 'Namespace' && ctx.store.ownedBy(uid).length) {
    // it stays, Terminating, until the garbage collector has deleted its dependents
    if (current.metadata.deletionTimestamp) return current;
    return markDeleting(ctx, current, ctx.now, 0, { finalizers: [...(current.metadata.finalizers ?? []), FOREGROUND_FINALIZER] });
  }
  if (
    (kind === 'PersistentVolumeClaim' || kind === 'PersistentVolume') &&
    (current.metadata.deletionTimestamp || storageInUse(current, ctx.store))
  ) {
    // StorageObjectInUseProtection's finalizer: Terminating until nothing uses it (pv-binder/pv-reclaimer finish it)
    if (current.metadata.deletionTimestamp) {
      if (!storageInUse(current, ctx.store)) ctx.store.drop(kind, ns, name, ctx.store.nextResourceVersion());
      return current;
    }
    return markDeleting(ctx, current, ctx.now, 0);
  }
  if (isKind(current, 'Pod')) {
    const grace = opts.gracePeriodSeconds ?? current.spec?.terminationGracePeriodSeconds ?? 30;
    const node = current.spec?.nodeName ? ctx.store.get('Node', undefined, current.spec.nodeName) : undefined;
    const finished = current.status?.phase === 'Succeeded' || current.status?.phase === 'Failed';
    if (node && grace > 0 && !finished) {
      if (current.metadata.deletionTimestamp) {
        // a shorter grace period on a second delete shortens the wait, as the API server does
        const remaining = Date.parse(current.metadata.deletionTimestamp) - ctx.now;
        if (remaining <= grace * 1000) return current;
      }
      return markDeleting(ctx, current, ctx.now + grace * 1000, grace);
    }
  }
  if (isKind(current, 'Namespace')) {
    if (['default', 'kube-system', 'kube-public'].includes(name)) {
      throw new ApiError(
        'Forbidden',
        403,
        `Error from server (Forbidden): namespaces "${name}" is forbidden: this namespace may not be deleted`,
      );
    }
    // registry/core/namespace/storage: the first delete starts termination; the namespace goes
    // only once its spec.finalizers are empty (the namespace controller's finalize), and a
    // delete before then is refused
    const finalized = !(current.spec?.finalizers ?? []).length;
    if (current.status?.phase === 'Terminating') {
      if (!finalized)
        throw new ApiError(
          'Conflict',
          409,
          `Error from server (Conflict): Operation cannot be fulfilled on namespaces "${name}": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.`,
        );
      ctx.store.drop('Namespace', undefined, name, ctx.store.nextResourceVersion());
      return current;
    }
    const obj = clone(current);
    obj.metadata.deletionTimestamp = toRFC3339(ctx.now);
    obj.status = { ...(obj.status ?? {}), phase: 'Terminating' };
    obj.metadata.resourceVersion = ctx.store.nextResourceVersion();
    ctx.store.put(obj);
    return obj;
  }
  if (pendingFinalizers(current).length) {
    // registry/generic/registry/store.go updateForGracefulDeletionAndFinalizers: with finalizers
    // pending it stays, Terminating (deletion grace 0), until an update removes the last one
    if (current.metadata.deletionTimestamp && current.metadata.deletionGracePeriodSeconds === 0) return current;
    // a delete with no grace left moves the deletion to now (BeforeDelete: only ever earlier)
    return markDeleting(ctx, current, Math.min(ctx.now, deletionTime(current) ?? ctx.now), 0);
  }
  if (kind === CRD) {
    // the CRD's resources go with it (the API server's CRD finalizer deletes them first)
    const served = allKinds().find((k) => k.crd === name);
    if (served)
      for (const cr of ctx.store.list(served.kind))
        ctx.store.drop(served.kind, cr.metadata.namespace, cr.metadata.name, ctx.store.nextResourceVersion());
  }
  // a deletion is a revision of its own (etcd's): watches place the DELETED event at it
  ctx.store.drop(kind, ns, name, ctx.store.nextResourceVersion());
  afterCrdWrite(ctx, kind);
  return current;
}
