import type { ReadonlyObjectStore } from '../store/object-store';
import { controllerOf, isJsonObject, type KObject } from '../model/objects';
import { isKind, type ControllerRevision, type Deployment, type ReplicaSet } from '../model/kinds';
import type { PodTemplateSpec } from '../model/k8s';
import { templatesEqualIgnoringHash } from './pod-template-hash';

/**
 * Revisions of workloads, as their controllers write them and rollout history/undo read them:
 * a Deployment's ReplicaSets numbered by annotation (deploymentutil), and the ControllerRevisions
 * of a StatefulSet or DaemonSet (pkg/controller/history).
 */

export const REVISION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE = 'kubernetes.io/change-cause';

export function revisionOf(rs: ReplicaSet | undefined): number {
  return Number(rs?.metadata.annotations?.[REVISION] ?? 0) || 0;
}

/** ReplicaSets the deployment controls, oldest first. */
export function ownedReplicaSets(d: Deployment, store: ReadonlyObjectStore): ReplicaSet[] {
  return store
    .ownedBy(d.metadata.uid!)
    .filter((o): o is ReplicaSet => isKind(o, 'ReplicaSet') && controllerOf(o)?.uid === d.metadata.uid)
    .sort(olderFirst);
}

/**
 * controller.ReplicaSetsByCreationTimestamp: older first, then by name, as Go compares strings
 * (bytes; RFC 3339 times of one format compare as their instants). Not localeCompare: its
 * first call in a process loads ICU's collator, 20-45 ms of every command that syncs a Deployment.
 */
export function olderFirst(a: ReplicaSet, b: ReplicaSet): number {
  const at = a.metadata.creationTimestamp ?? '';
  const bt = b.metadata.creationTimestamp ?? '';
  if (at !== bt) return at < bt ? -1 : 1;
  const an = a.metadata.name;
  const bn = b.metadata.name;
  return an < bn ? -1 : an > bn ? 1 : 0;
}

export function findNewReplicaSet(d: Deployment, all: ReplicaSet[]): ReplicaSet | undefined {
  return all.find((rs) => templatesEqualIgnoringHash(rs.spec?.template, d.spec?.template));
}

/** The revisions the object controls, oldest revision number first (name breaks ties). */
export function ownedRevisions(owner: KObject, store: ReadonlyObjectStore): ControllerRevision[] {
  const uid = owner.metadata.uid;
  if (!uid) return [];
  return store
    .ownedBy(uid)
    .filter((o): o is ControllerRevision => isKind(o, 'ControllerRevision') && controllerOf(o)?.uid === uid)
    .sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0) || (a.metadata.name < b.metadata.name ? -1 : 1));
}

/** A workload whose pods come from spec.template (StatefulSet, DaemonSet: what revisions record). */
export type TemplatedWorkload = KObject<{ template?: PodTemplateSpec }>;

/** What a revision stores: a patch that replaces the pod template. */
export function revisionData(owner: TemplatedWorkload): { spec: { template: PodTemplateSpec & { $patch: 'replace' } } } {
  return { spec: { template: { ...(owner.spec?.template ?? {}), $patch: 'replace' } } };
}

/** The pod template a revision holds (its data is JSON as stored: read with narrowing). */
export function revisionTemplate(revision: ControllerRevision): PodTemplateSpec {
  const data = revision.data;
  const spec = isJsonObject(data) ? data.spec : undefined;
  const stored = isJsonObject(spec) && isJsonObject(spec.template) ? spec.template : {};
  const { $patch: _, ...template } = stored;
  return template as PodTemplateSpec;
}
