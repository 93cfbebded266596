import { ApiError, CliError } from '../util/errors';
import { createObject, updateObject, type ApiContext } from '../api/server';
import { computedObject, kindInfo, qualifiedName, resolveManifestKind, servedObject, type KindInfo } from '../api/registry';
import { matches, type Selector } from '../api/labels';
import type { ReadonlyObjectStore } from '../store/object-store';
import { clone, type KObject } from '../model/objects';
import { threeWayMerge } from '../api/merge';
import { createChangeMap, createThreeWayMergePatch, goJsonMarshal, mergingMapsHaveConflicts } from '../api/three-way-patch';
import { toYaml } from '../printers/serialize';
import type { FieldValidation } from '../api/field-validation';
import type { Manifest } from '../api/manifest-parser';
import { applyPatch } from '../api/server-side-apply';
import { CONFLICT_PREFIX, lastAppliedOwners, upgradeManagedFields } from '../api/managed-fields/managed-fields';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export type ApplyResult = 'created' | 'configured' | 'unchanged';

/** Finds the kind for a manifest or fails with kubectl's mapping error. */
export function kindForManifest(m: Manifest): KindInfo {
  const info = resolveManifestKind(m.object.apiVersion, m.object.kind);
  if (!info) {
    const ns = m.object.metadata?.namespace ?? '';
    throw new CliError(
      `resource mapping not found for name: "${m.object.metadata?.name ?? ''}" namespace: "${ns}" from "${m.source}": no matches for kind "${m.object.kind}" in version "${m.object.apiVersion}"\nensure CRDs are installed first`,
    );
  }
  return info;
}

/** The namespace an object goes to: its own, else -n, else default; a clash with -n is refused. */
export function targetNamespace(info: KindInfo, obj: KObject, namespace: string, explicit: boolean): string | undefined {
  if (!info.namespaced) return undefined;
  const own = obj.metadata?.namespace;
  if (own && explicit && own !== namespace) {
    throw new CliError(
      `the namespace from the provided object "${own}" does not match the namespace "${namespace}". You must pass '--namespace=${own}' to perform this operation.`,
    );
  }
  return own || namespace;
}

/** Server errors as kubectl apply prints them: `Error from server (Reason): error when creating "f.yaml": …`. */
export function wrapApplyError(e: unknown, verb: string, source: string): unknown {
  if (!(e instanceof ApiError) || e.reason === 'Invalid') return e;
  const body = e.message.replace(/^Error from server \([A-Za-z]+\): /, '');
  return new ApiError(e.reason, e.code, `Error from server (${e.reason}): error when ${verb} "${source}": ${body}`);
}

/** kubectl apply (client-side): create with last-applied, or a three-way merge onto the live object. */
export function applyManifest(
  api: ApiContext,
  m: Manifest,
  ns: string | undefined,
  opts: { dryRun: boolean; fieldValidation?: FieldValidation | false; fieldManager?: string },
  patching: PatchOptions = {},
  /**
   * false: the manifest as it is, without the last-applied annotation — kubectl diff's merged side
   * (diff.go InfoObject.Merged: GetModifiedConfiguration(obj.LocalObj, false, …), and a create of
   * LocalObj), so it keeps the live object's old annotation
   */
  annotate = true,
): { result: ApplyResult; object: KObject; line: string } {
  const info = kindForManifest(m);
  const manifest = clone(m.object);
  if (ns) manifest.metadata.namespace = ns;
  else delete manifest.metadata.namespace;
  const name = manifest.metadata.name;
  if (!name)
    throw new CliError(
      `error when retrieving current configuration of:\n${resourceInfoText(info, '', ns)}\nfrom server for: "${m.source}": resource name may not be empty`,
    );
  // (a computed kind's GET makes its objects: componentstatuses' then get the patch refused)
  const found = info.computed ? computedObject(info, api.now, name) : api.store.get(info.kind, ns, name);
  // (another group's view of the storage, events.k8s.io Events, GETs and patches the object in its own form)
  const live = found && info.viewOf ? servedObject(info, found, { now: api.now, store: api.store }) : found;
  // (diff: a create sends LocalObj as it is; a patch is computed from GetModifiedConfiguration's
  // encoding, which always has an annotations map, without last-applied)
  const annotated = annotate ? withLastApplied(manifest) : live ? withoutLastApplied(manifest) : manifest;
  const display = qualifiedName(info, name);
  if (live && info.crd) readInManifestVersion(api, info, live, m, ns);
  // what the request's answer is: the object in the group it was written through
  const answer = (o: KObject) => (info.viewOf ? servedObject(info, o, { now: api.now, store: api.store }) : o);
  if (!live) {
    try {
      const object = answer(createObject(api, annotated, opts));
      return { result: 'created', object, line: display };
    } catch (e) {
      throw wrapApplyError(e, 'creating', m.source);
    }
  }
  const originalText = live.metadata.annotations?.[LAST_APPLIED];
  // apply.go applyOneObject, before its patch (not on a client-side dry run: the caller leaves it unset)
  if (originalText === undefined) patching.missingLastApplied?.(`${info.plural}/${name}`);
  const original = originalText ? (JSON.parse(originalText) as KObject) : undefined;
  const { merged, changed } = threeWayMerge(original, annotated, live, info.kind);
  if (!changed) return { result: 'unchanged', object: live, line: display };
  // the strategic merge patch kubectl sends: the server's refusals quote it
  const patch = createThreeWayMergePatch(original, annotated, live, info.kind);
  if (patching.overwrite === false && !info.crd) refuseConflicts(info, m, { originalText, annotated, live, patch }, patching);
  try {
    const object = answer(updateObject(api, merged as KObject, { ...opts, patch }));
    // kubectl says configured for any patch it sends, even one the server makes nothing of
    // (`creationTimestamp: null` from a --dry-run manifest: kubernetes/kubernetes#66450)
    return { result: 'configured', object, line: display };
  } catch (e) {
    // apply.go applyOneObject: AddSourceToErr("applying patch:\n<patch>\nto:\n<info>\nfor:", source, err) around
    // the Patcher's own AddSourceToErr("patching", …): kubectl 1.32 prints the patch and the object it
    // was for (a conflict too: the Patcher retries it on a fresh read, but a stale
    // metadata.resourceVersion in the manifest is in every patch it sends)
    throw wrapApplyError(
      wrapApplyError(e, 'patching', m.source),
      `applying patch:\n${goJsonMarshal(patch)}\nto:\n${resourceInfoText(info, name, ns)}\nfor:`,
      m.source,
    );
  }
}

/** apply's --overwrite and --openapi-patch (both true by default), and where kubectl's patch warnings go */
export interface PatchOptions {
  overwrite?: boolean;
  openapiPatch?: boolean;
  warn?: (line: string) => void;
  /** where kubectl says a live object (`configmaps/x`, info.ObjectName) has no last-applied annotation */
  missingLastApplied?: (objectName: string) => void;
}

/**
 * --overwrite=false: CreateThreeWayMergePatch refuses a patch that sets a field the live object
 * changed since the last apply (MergingMapsHaveConflicts). Custom resources get a JSON merge
 * patch, which does not look at --overwrite. With --openapi-patch (the default) kubectl first
 * builds the patch from the OpenAPI v3 and then the v2 schema, and warns as each attempt fails,
 * before the baked-in types fail the same way (patcher.go patchSimple).
 */
function refuseConflicts(
  info: KindInfo,
  m: Manifest,
  objects: { originalText: string | undefined; annotated: KObject; live: KObject; patch: Record<string, unknown> },
  patching: PatchOptions,
): void {
  const original = objects.originalText ? (JSON.parse(objects.originalText) as KObject) : {};
  const changed = createChangeMap(original, objects.live, info.kind);
  if (!mergingMapsHaveConflicts(objects.patch, changed, info.kind)) return;
  // mergepatch.NewErrConflict, with ToYAMLOrError's YAML of both maps
  const conflict = `patch:\n${toYaml(objects.patch)}\nconflicts with changes made from original to current:\n${toYaml(changed)}\n`;
  if (patching.openapiPatch !== false) {
    patching.warn?.(`warning: error calculating patch from openapi v3 spec: ${conflict}`);
    patching.warn?.(`warning: error calculating patch from openapi spec: ${conflict}`);
  }
  // the bytes kubectl had: the annotation as stored, and the encoded objects (json.Encoder adds a newline)
  const created = `creating patch with:\noriginal:\n${objects.originalText ?? ''}\nmodified:\n${goJsonMarshal(objects.annotated)}\n\ncurrent:\n${goJsonMarshal(objects.live)}\n\nfor:`;
  const name = objects.live.metadata.name;
  throw new CliError(
    `error when applying patch:\n\nto:\n${resourceInfoText(info, name, objects.live.metadata.namespace)}\nfor: "${m.source}": error when patching "${m.source}": ${created}: ${conflict}`,
  );
}

/** resource.Info's String(): the mapping, then the name and namespace */
/**
 * kubectl reads the live object in the manifest's version first: for a custom resource stored in
 * another version that read goes through the CRD's converter, and a conversion webhook that
 * cannot be reached fails the apply there (kubectl's AddSourceToErr on the GET's error).
 */
function readInManifestVersion(api: ApiContext, info: KindInfo, live: KObject, m: Manifest, ns: string | undefined): void {
  const version = String(m.object.apiVersion ?? '').split('/')[1];
  try {
    servedObject(info, live, { now: api.now, store: api.store, version });
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    const body = e.message.replace(/^Error from server(?: \([A-Za-z]+\))?: /, '');
    throw new ApiError(
      e.reason,
      e.code,
      `Error from server: error when retrieving current configuration of:\n${resourceInfoText(info, live.metadata.name, ns, version)}\nfrom server for: "${m.source}": ${body}`,
    );
  }
}

function resourceInfoText(info: KindInfo, name: string, namespace: string | undefined, version = info.version): string {
  const gv = `${info.group}/${version}`;
  return `Resource: "${gv}, Resource=${info.plural}", GroupVersionKind: "${gv}, Kind=${info.kind}"\nName: "${name}", Namespace: "${namespace ?? ''}"`;
}

/** kubectl stores the manifest itself (sorted-key JSON plus a newline), minus the annotation. */
export function withLastApplied(manifest: KObject): KObject {
  const copy = clone(manifest);
  const forAnnotation = clone(manifest);
  // kubectl leaves an empty annotations map behind in what it stores
  forAnnotation.metadata.annotations = { ...(forAnnotation.metadata.annotations ?? {}) };
  delete forAnnotation.metadata.annotations[LAST_APPLIED];
  copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [LAST_APPLIED]: `${JSON.stringify(sortedKeys(forAnnotation))}\n` };
  return copy;
}

/** The manifest as GetModifiedConfiguration encodes it with annotate=false: an annotations map, without last-applied. */
function withoutLastApplied(manifest: KObject): KObject {
  const copy = clone(manifest);
  copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}) };
  delete copy.metadata.annotations[LAST_APPLIED];
  return copy;
}

function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortedKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** The key apply and diff remember a visited object by, for --prune */
export const objectKey = (kind: string, namespace: string | undefined, name: string) => `${kind}/${namespace ?? ''}/${name}`;

/**
 * apply --prune's (and diff --prune's) candidates: objects kubectl apply made (they carry
 * last-applied), matching -l, in the namespaces the manifests touched (cluster-scoped kinds
 * everywhere), of the allow-listed kinds, that the manifests no longer name.
 */
export function pruneCandidates(
  store: ReadonlyObjectStore,
  applied: KObject[],
  selector: Selector,
  allowlist: KindInfo[],
  seen: Set<string>,
): { info: KindInfo; obj: KObject }[] {
  const kinds = allowlist.length ? allowlist : defaultPruneKinds();
  // pruneAll: each namespace the manifests touched (a Go set: kubesim takes them in name order),
  // every namespaced kind of the list in its order; then the cluster-scoped kinds
  const namespaces = [...new Set(applied.map((o) => o.metadata.namespace).filter((n): n is string => !!n))].sort();
  const found: { info: KindInfo; obj: KObject }[] = [];
  const prune = (info: KindInfo, namespace: string | undefined) => {
    for (const obj of store.list(info.kind, namespace)) {
      if (!obj.metadata.annotations?.[LAST_APPLIED] || !matches(selector, obj.metadata.labels)) continue;
      if (seen.has(objectKey(info.kind, obj.metadata.namespace, obj.metadata.name))) continue;
      found.push({ info, obj });
    }
  };
  for (const namespace of namespaces) for (const info of kinds) if (info.namespaced) prune(info, namespace);
  for (const info of kinds) if (!info.namespaced) prune(info, undefined);
  return found;
}

/**
 * kubectl's default prune allowlist (prune.go defaultNamespacedPruneResources, then
 * defaultNonNamespacedPruneResources): only these kinds are pruned without --prune-allowlist.
 */
const DEFAULT_PRUNE_KINDS = [
  'ConfigMap',
  'Endpoints',
  'PersistentVolumeClaim',
  'Pod',
  'ReplicationController',
  'Secret',
  'Service',
  'Job',
  'CronJob',
  'Ingress',
  'DaemonSet',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'Namespace',
  'PersistentVolume',
];

function defaultPruneKinds(): KindInfo[] {
  return DEFAULT_PRUNE_KINDS.map((kind) => kindInfo(kind)!);
}

/** --prune-allowlist entries are <group/version/kind>, `core/v1/ConfigMap` for the core group (prune.ParseResources). */
export function pruneAllowlistKind(gvk: string): KindInfo {
  const parts = gvk.split('/');
  if (parts.length !== 3) throw new CliError(`invalid GroupVersionKind format: ${gvk}, please follow <group/version/kind>`);
  const [group, version, kind] = parts;
  const info = kindInfo(kind);
  if (!info || info.group !== (group === 'core' ? '' : group) || (info.version !== version && !info.otherVersions?.includes(version)))
    throw new CliError(`invalid GroupVersionKind format: ${gvk}, please follow <group/version/kind>`);
  return info;
}

/** kubectl's hint after a server-side apply conflict (apply.go) */
export const SSA_CONFLICT_HINT = `Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts`;

/** kubectl apply's server-side field manager unless --field-manager says otherwise */
export const SSA_MANAGER = 'kubectl';
const LAST_APPLIED_MANAGER = 'kubectl-last-applied';

/**
 * kubectl apply --server-side: the manifest sent as an apply patch; then, as kubectl does
 * after it, the last-applied annotation kept under its own Apply manager and the
 * client-side apply managers' fields migrated to the server-side manager, followed by the
 * apply again so what only client-side apply had set and the manifest dropped goes.
 */
export function serverSideApplyManifest(
  api: ApiContext,
  m: Manifest,
  ns: string | undefined,
  opts: { dryRun: boolean; fieldValidation?: FieldValidation | false; fieldManager: string; force: boolean },
): { object: KObject; line: string } {
  const info = kindForManifest(m);
  const config = clone(m.object);
  if (ns) config.metadata.namespace = ns;
  else delete config.metadata.namespace;
  const name = config.metadata.name;
  if (!name) {
    if (config.metadata.generateName) throw new CliError(`from ${config.metadata.generateName}: cannot use generate name with apply`);
    throw new CliError('resource name may not be empty');
  }
  const send = (body: KObject, manager: string) =>
    applyPatch(api, body, { dryRun: opts.dryRun, fieldValidation: opts.fieldValidation, fieldManager: manager, force: opts.force });
  let object: KObject;
  try {
    object = send(config, opts.fieldManager);
  } catch (e) {
    // apply.go wraps the server's error (fmt.Errorf, no longer a StatusError) with its hint
    if (e instanceof ApiError && e.reason === 'Conflict' && e.message.startsWith(`${CONFLICT_PREFIX}Apply failed`))
      throw new CliError(`${e.message.slice(CONFLICT_PREFIX.length)}\n${SSA_CONFLICT_HINT}`);
    throw e;
  }
  if (!opts.dryRun) {
    const annotation = object.metadata.annotations?.[LAST_APPLIED];
    if (opts.fieldManager === SSA_MANAGER && annotation !== undefined && !lastAppliedOwners(object, 'Apply').length) {
      const justAnnotation = {
        apiVersion: config.apiVersion,
        kind: config.kind,
        metadata: { name, ...(ns ? { namespace: ns } : {}), annotations: { [LAST_APPLIED]: annotation } },
      } as KObject;
      object = applyPatch(api, justAnnotation, { fieldManager: LAST_APPLIED_MANAGER, fieldValidation: opts.fieldValidation });
    }
    const migrated = clone(object);
    if (upgradeManagedFields(migrated, lastAppliedOwners(object, 'Update'), opts.fieldManager)) {
      // the JSON patch of metadata.managedFields csaupgrade sends; then the apply again
      updateObject(api, migrated, { presetManagedFields: true });
      object = send(config, opts.fieldManager);
    }
  }
  return { object, line: qualifiedName(info, name) };
}
