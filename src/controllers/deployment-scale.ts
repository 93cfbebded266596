import type { Deployment, ReplicaSet } from '../model/kinds';
import { intOrPercent } from '../api/kinds/workload-common';
import { olderFirst } from '../api/revisions';

/**
 * The deployment controller's scaling-event path (pkg/controller/deployment sync.go
 * `scale` with deployment/util `GetProportion`/`getReplicaSetFraction`): when
 * spec.replicas changes in the middle of a rollout (or while paused), the change is
 * spread over the active ReplicaSets in proportion to their size, so a rollout neither
 * speeds up nor slows down because of it.
 */

export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';

const specReplicas = (rs: ReplicaSet): number => rs.spec?.replicas ?? 0;
const deploymentReplicas = (d: Deployment): number => d.spec?.replicas ?? 1;

export const isRollingUpdate = (d: Deployment): boolean => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

/** MaxSurge: 0 for Recreate, else maxSurge resolved against spec.replicas (rounded up). */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  return intOrPercent(d.spec?.strategy?.rollingUpdate?.maxSurge ?? '25%', deploymentReplicas(d), true);
}

/** The annotations SetReplicasAnnotations writes on every ReplicaSet it scales. */
export function replicasAnnotations(d: Deployment): Record<string, string> {
  return { [DESIRED_REPLICAS]: String(deploymentReplicas(d)), [MAX_REPLICAS]: String(deploymentReplicas(d) + maxSurge(d)) };
}

/** getIntFromAnnotation: an absent or non-integer annotation is "not found". */
function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const value = rs.metadata.annotations?.[key];
  return value !== undefined && /^[+-]?\d+$/.test(value) ? Number(value) : undefined;
}

/** FilterActiveReplicaSets: the ReplicaSets with spec.replicas > 0. */
export const activeReplicaSets = (list: (ReplicaSet | undefined)[]): ReplicaSet[] =>
  list.filter((rs): rs is ReplicaSet => !!rs && specReplicas(rs) > 0);

/** isScalingEvent: an active ReplicaSet's desired-replicas annotation differs from spec.replicas. */
export function isScalingEvent(d: Deployment, all: ReplicaSet[]): boolean {
  return activeReplicaSets(all).some((rs) => {
    const desired = intAnnotation(rs, DESIRED_REPLICAS);
    return desired !== undefined && desired !== deploymentReplicas(d);
  });
}

/** FindActiveOrLatest: the only active ReplicaSet, or the newest one when none is active; undefined when several are active. */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => olderFirst(b, a));
  const active = activeReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/** IsSaturated: the new ReplicaSet has, wants and has available all of spec.replicas. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const replicas = deploymentReplicas(d);
  return (
    specReplicas(rs) === replicas && intAnnotation(rs, DESIRED_REPLICAS) === replicas && (rs.status?.availableReplicas ?? 0) === replicas
  );
}

/**
 * getReplicaSetFraction: the share of a scaling event this ReplicaSet gets, from its size
 * times the deployment's new max size over the max size it was scaled for (its
 * max-replicas annotation, or status.replicas when that is missing).
 */
export function getReplicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  const replicas = deploymentReplicas(d);
  if (replicas === 0) return -specReplicas(rs);
  const deploymentMaxReplicas = replicas + maxSurge(d);
  let annotatedMax = intAnnotation(rs, MAX_REPLICAS);
  // a missing (or zero) annotation falls back to the deployment's current size; the min/max
  // in getProportion keeps the result within bounds even if that is not a true proportion
  if (!annotatedMax) annotatedMax = d.status?.replicas ?? 0;
  if (!annotatedMax) return 0;
  // integer.RoundToInt32 rounds half away from zero; the size here is never negative
  return Math.round((specReplicas(rs) * deploymentMaxReplicas) / annotatedMax) - specReplicas(rs);
}

/** GetProportion: the fraction, capped by what is left to add (scaling up) or remove (scaling down). */
export function getProportion(rs: ReplicaSet | undefined, d: Deployment, replicasToAdd: number, replicasAdded: number): number {
  if (!rs || specReplicas(rs) === 0 || replicasToAdd === 0 || replicasToAdd === replicasAdded) return 0;
  const fraction = getReplicaSetFraction(rs, d);
  const allowed = replicasToAdd - replicasAdded;
  return replicasToAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/**
 * One ReplicaSet write of `scale`. `syncAnnotations`: scaleReplicaSet (writes the
 * desired/max-replicas annotations even when the size stays); otherwise
 * scaleReplicaSetAndRecordEvent (writes only a size change).
 */
export interface ScaleStep {
  rs: ReplicaSet;
  replicas: number;
  syncAnnotations: boolean;
}

/** sync.go `scale`: the ReplicaSet writes of a scaling event, in the order kube makes them. */
export function scaleSteps(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ScaleStep[] {
  const replicas = deploymentReplicas(d);
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest) {
    return specReplicas(activeOrLatest) === replicas ? [] : [{ rs: activeOrLatest, replicas, syncAnnotations: false }];
  }
  // a saturated new ReplicaSet (adopted mid-rollout): the old ones go to zero
  if (isSaturated(d, newRS)) return activeReplicaSets(oldRSs).map((rs) => ({ rs, replicas: 0, syncAnnotations: false }));
  if (!isRollingUpdate(d)) return [];

  const all = activeReplicaSets([...oldRSs, newRS]);
  const allowedSize = replicas > 0 ? replicas + maxSurge(d) : 0;
  const replicasToAdd = allowedSize - all.reduce((n, rs) => n + specReplicas(rs), 0);
  // larger first; among equal sizes newer first when scaling up (ReplicaSetsBySizeNewer),
  // older first when scaling down (ReplicaSetsBySizeOlder)
  if (replicasToAdd > 0) all.sort((a, b) => specReplicas(b) - specReplicas(a) || olderFirst(b, a));
  else if (replicasToAdd < 0) all.sort((a, b) => specReplicas(b) - specReplicas(a) || olderFirst(a, b));

  let replicasAdded = 0;
  const sizes = all.map((rs) => {
    const proportion = getProportion(rs, d, replicasToAdd, replicasAdded);
    replicasAdded += proportion;
    return specReplicas(rs) + proportion;
  });
  // leftovers from rounding go to (or come from) the first, largest ReplicaSet
  if (all.length > 0 && replicasToAdd !== 0) sizes[0] = Math.max(0, sizes[0] + replicasToAdd - replicasAdded);
  return all.map((rs, i) => ({ rs, replicas: sizes[i], syncAnnotations: true }));
}
