/**
 * metadata.managedFields as the API server keeps them (k8s.io/apimachinery/pkg/util/
 * managedfields and structured-merge-diff's merge.Updater): who set which field, by an
 * Update (create, replace, patch, edit…) or an Apply (server-side apply).
 */
import { ApiError } from '../../util/errors';
import { toRFC3339 } from '../../util/duration';
import type { KObject } from '../../model/objects';
import type { KindInfo } from '../registry';
import { builtinSchema } from '../openapi/builtin-schemas';
import type { KindSchema } from '../openapi/schema';
import { FieldSet, pathString, fieldPE, type Path } from './fieldset';
import { compare, createdFieldsV1, merge, removePaths, toFieldSet, type TypeRef } from './typed';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

interface Managed {
  entry: Omit<ManagedFieldsEntry, 'fieldsV1'>;
  set: FieldSet;
}

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** stripmeta.go: fields no manager owns. */
const STRIPPED: Path[] = [
  ['f:apiVersion'],
  ['f:kind'],
  ['f:metadata', 'f:name'],
  ['f:metadata', 'f:namespace'],
  ['f:metadata', 'f:creationTimestamp'],
  ['f:metadata', 'f:selfLink'],
  ['f:metadata', 'f:uid'],
  ['f:metadata', 'f:clusterName'],
  ['f:metadata', 'f:generation'],
  ['f:metadata', 'f:managedFields'],
  ['f:metadata', 'f:resourceVersion'],
  ['f:metadata', 'f:deletionTimestamp'],
  ['f:metadata', 'f:deletionGracePeriodSeconds'],
];

/** stripmeta takes these out by Difference (exact paths): `metadata` itself too, not what is under it. */
const STRIPPED_SET = FieldSet.of([['f:metadata'], ...STRIPPED]);

const STRIPPED_META = new Set(STRIPPED.filter((p) => p.length === 2).map((p) => p[1].slice(2)));

/** The fields a create through the main resource does not own: stripmeta's and status. */
function strippedOnCreate(names: readonly string[]): boolean {
  if (names.length === 1) return names[0] === 'apiVersion' || names[0] === 'kind' || names[0] === 'status';
  return names.length === 2 && names[0] === 'metadata' && STRIPPED_META.has(names[1]);
}

/** What a write through the API is: its manager, and the subresource it went through. */
export interface Writer {
  manager: string;
  subresource?: 'status' | 'scale' | 'approval' | 'finalize' | 'ephemeralcontainers';
}

export function apiVersionOf(info: KindInfo): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

function rootRef(info: KindInfo, doc: KindSchema | undefined): TypeRef {
  return { doc, schema: doc?.root, kind: info.kind, names: [], custom: !!info.crd };
}

/** The kind's schema for field sets: the built-in one, or the custom resource's passed in. */
export function typeRefFor(info: KindInfo, custom?: KindSchema): TypeRef {
  return rootRef(info, custom ?? builtinSchema(info.group, info.version, info.kind));
}

/**
 * The part of an object a write through `subresource` may own (the reset-fields strategies):
 * status only through /status, spec.replicas only through /scale, a CSR's conditions through
 * /approval, everything else otherwise.
 */
function ownable(set: FieldSet, subresource: Writer['subresource']): FieldSet {
  const s = set.difference(STRIPPED_SET);
  if (subresource === 'status') return s.onlyUnder(['f:status']);
  if (subresource === 'scale') return s.onlyUnder(['f:spec', 'f:replicas']);
  // csrApprovalStrategy.GetResetFields: spec and status.certificate
  if (subresource === 'approval') return s.withoutPrefixes([['f:spec'], ['f:status', 'f:certificate']]);
  return s.withoutPrefixes([['f:status']]);
}

function decode(obj: KObject | undefined): Managed[] {
  const entries = (obj?.metadata as { managedFields?: ManagedFieldsEntry[] } | undefined)?.managedFields ?? [];
  return entries.map(({ fieldsV1, ...entry }) => ({ entry, set: FieldSet.fromFieldsV1(fieldsV1) }));
}

function sameManager(a: Managed['entry'], b: Managed['entry']): boolean {
  return (
    a.manager === b.manager &&
    a.operation === b.operation &&
    (a.subresource ?? '') === (b.subresource ?? '') &&
    (a.operation === 'Apply' || a.apiVersion === b.apiVersion)
  );
}

/** Encodes, drops empty sets and sorts as sortEncodedManagedFields does: operation, time, manager, apiVersion. */
function encode(managed: Managed[]): ManagedFieldsEntry[] {
  return managed
    .filter((m) => !m.set.empty())
    .sort(
      (a, b) =>
        cmp(a.entry.operation, b.entry.operation) ||
        cmp(a.entry.time, b.entry.time) ||
        cmp(a.entry.manager, b.entry.manager) ||
        cmp(a.entry.apiVersion, b.entry.apiVersion),
    )
    .map(({ entry, set }) => {
      const { subresource, ...rest } = entry;
      return { ...rest, fieldsType: 'FieldsV1', fieldsV1: set.toFieldsV1(), ...(subresource ? { subresource } : {}) };
    });
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function setManagedFields(obj: KObject, entries: ManagedFieldsEntry[]): void {
  const meta = obj.metadata as KObject['metadata'] & { managedFields?: ManagedFieldsEntry[] };
  if (entries.length) meta.managedFields = entries;
  else delete meta.managedFields;
}

function withoutMeta(obj: KObject | undefined): unknown {
  if (!obj) return {};
  const { managedFields: _m, ...metadata } = obj.metadata as KObject['metadata'] & { managedFields?: unknown };
  return { ...obj, metadata };
}

/**
 * Records an Update by `writer` that turned `live` (undefined for a create) into `obj`: the
 * writer owns what it added or changed, and no one else does any more (managedFieldsUpdater
 * and merge.Updater.Update). Sets obj.metadata.managedFields.
 */
export function recordUpdate(info: KindInfo, ref: TypeRef, live: KObject | undefined, obj: KObject, writer: Writer, now: number): void {
  if (!live && !writer.subresource) {
    // a create: everything it added to the zero-valued object but what no one owns (the fast path of the general case below)
    const fieldsV1 = createdFieldsV1(withoutMeta(obj), ref, strippedOnCreate);
    const entry: ManagedFieldsEntry = {
      manager: writer.manager,
      operation: 'Update',
      apiVersion: apiVersionOf(info),
      time: toRFC3339(now),
      fieldsType: 'FieldsV1',
      fieldsV1,
    };
    setManagedFields(obj, Object.keys(fieldsV1).length ? [entry] : []);
    return;
  }
  const managed = decode(live);
  const c = compare(withoutMeta(live), withoutMeta(obj), ref);
  const touched = ownable(c.added.union(c.modified), writer.subresource);
  const removed = c.removed;
  for (const m of managed) m.set = m.set.difference(touched).difference(removed);
  const self: Managed['entry'] = {
    manager: writer.manager,
    operation: 'Update',
    apiVersion: apiVersionOf(info),
    time: toRFC3339(now),
    fieldsType: 'FieldsV1',
    ...(writer.subresource ? { subresource: writer.subresource } : {}),
  };
  if (!touched.empty()) {
    const mine = managed.find((m) => sameManager(m.entry, self));
    if (mine) {
      mine.set = mine.set.union(touched);
      mine.entry = self;
    } else managed.push({ entry: self, set: touched });
  }
  setManagedFields(obj, encode(managed));
}

/** A server-side apply's conflicts: the fields another manager set to a different value. */
export interface Conflict {
  manager: Managed['entry'];
  path: Path;
}

/** printManager: `"kubectl-client-side-apply" using apps/v1` for an Update, the name alone for an Apply. */
function printManager(e: Managed['entry']): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

/** How kubectl shows a StatusError (kubectl's apply wraps the bare message in its own text). */
export const CONFLICT_PREFIX = 'Error from server (Conflict): ';

/** The API server's 409 for apply conflicts (fieldmanager NewConflictError's message). */
export function conflictError(conflicts: Conflict[]): ApiError {
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0].manager)}: ${pathString(conflicts[0].path)}`;
  } else {
    const byManager = new Map<string, Path[]>();
    for (const c of conflicts) {
      const key = printManager(c.manager);
      byManager.set(key, [...(byManager.get(key) ?? []), c.path]);
    }
    const lines: string[] = [];
    for (const key of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${key}:`);
      for (const p of byManager.get(key)!) lines.push(`- ${pathString(p)}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError('Conflict', 409, `${CONFLICT_PREFIX}${message}`);
}

export interface ApplyResult {
  /** the object after the apply, managedFields set; undefined when the apply changes nothing */
  object: KObject;
  changed: boolean;
}

/**
 * Server-side apply of `config` by `manager` onto `live` (merge.Updater.Apply with the API
 * server's last-applied wrappers): the manager owns exactly the configuration's fields;
 * fields it owned before and no longer applies go unless someone else owns them; a field
 * another manager owns with a different value is a conflict unless `force`.
 */
export function applyConfig(
  info: KindInfo,
  ref: TypeRef,
  live: KObject | undefined,
  config: KObject,
  writer: Writer,
  force: boolean,
  now: number,
): ApplyResult {
  const managed = decode(live);
  const self: Managed['entry'] = {
    manager: writer.manager,
    operation: 'Apply',
    apiVersion: apiVersionOf(info),
    time: toRFC3339(now),
    fieldsType: 'FieldsV1',
    ...(writer.subresource ? { subresource: writer.subresource } : {}),
  };
  const configSet = ownable(toFieldSet(withoutMeta(config), ref), writer.subresource);
  const liveValue = withoutMeta(live) as KObject;
  let merged = merge(liveValue, withoutMeta(config), ref) as KObject;
  const previous = managed.find((m) => sameManager(m.entry, self));
  // prune: what this manager applied last time and no longer does, unless another manager has it
  if (previous) {
    const others = managed.filter((m) => m !== previous);
    const owned = (p: Path) => configSet.hasUnder(p) || others.some((m) => m.set.hasUnder(p));
    const dropped = previous.set
      .difference(configSet)
      .list()
      .filter((p) => !owned(p));
    merged = structuredClone(merged);
    removePaths(merged, dropped, ref);
    pruneEmptyParents(merged, dropped, ref, (p) => owned(p));
  }
  const c = compare(liveValue, merged, ref);
  const changedFields = c.modified.union(c.added);
  const conflicts: Conflict[] = [];
  for (const m of managed) {
    if (m === previous) continue;
    for (const p of m.set.intersection(changedFields).list()) conflicts.push({ manager: m.entry, path: p });
  }
  if (conflicts.length && !force) {
    // lastAppliedManager: kubectl may take over what its client-side apply last applied, unchanged since
    const allowed = writer.manager === 'kubectl' && live ? allowedFromLastApplied(live, ref) : undefined;
    const remaining = allowed ? conflicts.filter((x) => !allowed.has(x.path)) : conflicts;
    if (remaining.length) throw conflictError(remaining);
  }
  for (const m of managed) {
    if (m === previous) continue;
    m.set = m.set.difference(changedFields).difference(c.removed);
  }
  const next = managed.filter((m) => m !== previous);
  next.push({ entry: self, set: configSet });
  const object = merged as KObject;
  object.metadata = { ...object.metadata };
  const unchangedSets = previous ? previous.set.equals(configSet) && !conflicts.length : false;
  const changed = !unchangedSets || !c.added.empty() || !c.modified.empty() || !c.removed.empty();
  if (!changed && live) {
    return { object: live, changed: false };
  }
  // lastAppliedUpdater: kubectl's apply keeps a client-side last-applied annotation current
  if (writer.manager === 'kubectl' && object.metadata.annotations?.[LAST_APPLIED_ANNOTATION]) {
    object.metadata.annotations = { ...object.metadata.annotations, [LAST_APPLIED_ANNOTATION]: lastAppliedText(config) };
  }
  setManagedFields(object, encode(next));
  return { object, changed: true };
}

/** After pruning, a map or list left empty that no one owns anything under goes too. */
function pruneEmptyParents(obj: unknown, dropped: Path[], ref: TypeRef, owned: (p: Path) => boolean): void {
  const parents = new Map<string, Path>();
  for (const p of dropped) for (let i = p.length - 1; i > 0; i--) parents.set(p.slice(0, i).join('\u0001'), p.slice(0, i));
  const sorted = [...parents.values()].sort((a, b) => b.length - a.length);
  for (const p of sorted) {
    if (owned(p)) continue;
    const v = valueAtPlain(obj, p);
    const empty = Array.isArray(v) ? !v.length : v && typeof v === 'object' && !Object.keys(v).length;
    if (empty) removePaths(obj, [p], ref);
  }
}

function valueAtPlain(obj: unknown, p: Path): unknown {
  let v = obj;
  for (const pe of p) {
    if (!pe.startsWith('f:') || !v || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[pe.slice(2)];
  }
  return v;
}

/** The fields of the last-applied configuration whose live value it still matches (allowedConflictsFromLastApplied). */
function allowedFromLastApplied(live: KObject, ref: TypeRef): FieldSet | undefined {
  const text = live.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
  if (!text) return undefined;
  let last: KObject;
  try {
    last = JSON.parse(text) as KObject;
  } catch {
    return undefined;
  }
  if (last.apiVersion !== live.apiVersion) return undefined;
  const set = toFieldSet(last, ref);
  const c = compare(last, withoutMeta(live), ref);
  return set.difference(c.modified).difference(c.added).difference(c.removed);
}

/** The annotation's text: the configuration as sorted-key JSON and a newline, without the annotation. */
export function lastAppliedText(config: KObject): string {
  const copy = structuredClone(config);
  if (copy.metadata?.annotations) {
    const { [LAST_APPLIED_ANNOTATION]: _a, ...rest } = copy.metadata.annotations;
    copy.metadata.annotations = rest;
    if (!Object.keys(rest).length) delete copy.metadata.annotations;
  }
  return `${JSON.stringify(sortKeys(copy))}\n`;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

const LAST_APPLIED_PATH: Path = ['f:metadata', 'f:annotations', fieldPE(LAST_APPLIED_ANNOTATION)];

/** csaupgrade.FindFieldsOwners: the entries of `operation` that own the last-applied annotation. */
export function lastAppliedOwners(obj: KObject, operation: 'Apply' | 'Update'): string[] {
  return decode(obj)
    .filter((m) => m.entry.operation === operation && m.set.has(LAST_APPLIED_PATH))
    .map((m) => m.entry.manager);
}

/**
 * csaupgrade.UpgradeManagedFields: the client-side managers' fields move into the
 * server-side manager's Apply entry (made from the first client-side entry if it has none).
 * Returns whether anything changed.
 */
export function upgradeManagedFields(obj: KObject, csaManagers: string[], ssaManager: string): boolean {
  let managed = decode(obj);
  const before = JSON.stringify(encode(managed));
  for (const csa of [...new Set(csaManagers)].sort()) {
    const isCsa = (m: Managed) => m.entry.manager === csa && m.entry.operation === 'Update' && !m.entry.subresource;
    let target = managed.find((m) => m.entry.manager === ssaManager && m.entry.operation === 'Apply' && !m.entry.subresource);
    if (!target) {
      target = managed.find(isCsa);
      if (!target) continue;
      target.entry = { ...target.entry, manager: ssaManager, operation: 'Apply' };
    }
    const source = managed.find((m) => isCsa(m) && m.entry.apiVersion === target.entry.apiVersion);
    if (source) target.set = target.set.union(source.set);
    managed = managed.filter((m) => !isCsa(m));
  }
  const after = encode(managed);
  if (JSON.stringify(after) === before) return false;
  setManagedFields(obj, after);
  return true;
}
