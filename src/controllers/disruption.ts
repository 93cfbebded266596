import { event, requeueAt, update, type Action } from '../reconcile/actions';
import type { Controller, ReconcileContext } from '../reconcile/controller';
import { controllerOf } from '../model/objects';
import { isScalable, type Pod, type PodDisruptionBudget } from '../model/kinds';
import type { Condition, PodDisruptionBudgetStatus } from '../model/k8s';
import { podsForPdb } from '../api/kinds/poddisruptionbudget';
import { intOrPercent } from '../api/kinds/workload-common';
import { isPodReady } from '../api/kinds/pod';
import { fromRFC3339, toRFC3339 } from '../util/duration';

const SOURCE = 'controllermanager';
/** kube's DeletionTimeout: an evicted pod still not terminating after 2 min counts again */
const DISRUPTED_POD_TIMEOUT_MS = 2 * 60 * 1000;

export interface PdbHealth {
  expectedPods: number;
  desiredHealthy: number;
  currentHealthy: number;
  disruptionsAllowed: number;
}

/**
 * The scale of the controller that owns a pod, as the disruption controller's finders see
 * it: a ReplicaSet owned by a Deployment reports the Deployment's replicas.
 */
function controllerScale(pod: Pod, ctx: ReconcileContext): { uid: string; replicas: number } | undefined {
  const ref = controllerOf(pod);
  if (!ref) return undefined;
  const owner = ctx.store.getByUid(ref.uid);
  if (!isScalable(owner)) return undefined;
  if (owner.kind === 'ReplicaSet') {
    const deployRef = controllerOf(owner);
    const deploy = deployRef?.kind === 'Deployment' ? ctx.store.getByUid(deployRef.uid) : undefined;
    if (isScalable(deploy)) return { uid: deploy.metadata.uid!, replicas: deploy.spec?.replicas ?? 1 };
    return { uid: owner.metadata.uid!, replicas: owner.spec?.replicas ?? 1 };
  }
  if (owner.kind === 'StatefulSet' || owner.kind === 'ReplicationController')
    return { uid: owner.metadata.uid!, replicas: owner.spec?.replicas ?? 1 };
  return undefined;
}

/**
 * disruption.go getExpectedPodCount + countHealthyPods: integer minAvailable counts the
 * selected pods; a percentage or maxUnavailable needs the owning controllers' scale
 * (percentages round up). Healthy = Ready, not terminating, not just evicted.
 */
export function pdbHealth(
  pdb: PodDisruptionBudget,
  pods: Pod[],
  disrupted: Record<string, string>,
  ctx: ReconcileContext,
): PdbHealth | { error: string } {
  const { minAvailable, maxUnavailable } = pdb.spec ?? {};
  let expectedPods: number;
  let desiredHealthy: number;
  const scaleTotal = (): number | { error: string } => {
    const seen = new Map<string, number>();
    for (const pod of pods) {
      const scale = controllerScale(pod, ctx);
      if (!scale) return { error: `found no controllers for pod "${pod.metadata.name}"` };
      seen.set(scale.uid, scale.replicas);
    }
    return [...seen.values()].reduce((a, b) => a + b, 0);
  };
  if (maxUnavailable !== undefined && maxUnavailable !== null) {
    const total = scaleTotal();
    if (typeof total !== 'number') return total;
    expectedPods = total;
    desiredHealthy = Math.max(0, expectedPods - intOrPercent(maxUnavailable, expectedPods, true));
  } else if (typeof minAvailable === 'string' && minAvailable.endsWith('%')) {
    const total = scaleTotal();
    if (typeof total !== 'number') return total;
    expectedPods = total;
    desiredHealthy = intOrPercent(minAvailable, expectedPods, true);
  } else {
    expectedPods = pods.length;
    desiredHealthy = Number(minAvailable ?? 0);
  }
  const currentHealthy = pods.filter((p) => !p.metadata.deletionTimestamp && !disrupted[p.metadata.name] && isPodReady(p)).length;
  let disruptionsAllowed = currentHealthy - desiredHealthy;
  if (expectedPods <= 0 || disruptionsAllowed <= 0) disruptionsAllowed = 0;
  return { expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed };
}

/** DisruptionAllowed condition (SufficientPods / InsufficientPods / SyncFailed). */
function allowedCondition(
  previous: Condition | undefined,
  status: string,
  reason: string,
  message: string,
  generation: number | undefined,
  now: number,
): Condition {
  const same = previous && previous.status === status;
  return {
    type: 'DisruptionAllowed',
    status,
    observedGeneration: generation,
    lastTransitionTime: same ? previous.lastTransitionTime : toRFC3339(now),
    reason,
    message,
  };
}

/**
 * The disruption controller: keeps each PodDisruptionBudget's status up to date so the
 * eviction API can decide; drops evicted pods from disruptedPods once they terminate.
 */
export const disruptionController: Controller<'PodDisruptionBudget'> = {
  name: 'disruption',
  kind: 'PodDisruptionBudget',
  reconcile(pdb, ctx) {
    const actions: Action[] = [];
    const pods = podsForPdb(pdb, ctx);
    const disrupted: Record<string, string> = {};
    let nextExpiry = Infinity;
    for (const [name, at] of Object.entries(pdb.status?.disruptedPods ?? {})) {
      const pod = pods.find((p) => p.metadata.name === name);
      const expires = fromRFC3339(at) + DISRUPTED_POD_TIMEOUT_MS;
      if (!pod || pod.metadata.deletionTimestamp || expires <= ctx.now) continue;
      disrupted[name] = at;
      nextExpiry = Math.min(nextExpiry, expires);
    }
    if (nextExpiry !== Infinity) actions.push(requeueAt(nextExpiry));
    const health = pdbHealth(pdb, pods, disrupted, ctx);
    const previous = (pdb.status?.conditions ?? []).find((c) => c.type === 'DisruptionAllowed');
    // Partial: the SyncFailed status keeps whatever counts it had (none on a new PDB)
    let status: Partial<PodDisruptionBudgetStatus>;
    if ('error' in health) {
      // failSafe: no disruptions until the controller can compute the budget
      if (previous?.reason !== 'SyncFailed' || previous?.message !== health.error)
        actions.push(event(pdb, 'Warning', 'NoControllers', health.error, SOURCE));
      status = {
        ...(pdb.status ?? {}),
        disruptionsAllowed: 0,
        observedGeneration: pdb.metadata.generation,
        conditions: [allowedCondition(previous, 'False', 'SyncFailed', health.error, pdb.metadata.generation, ctx.now)],
      };
    } else {
      const allowed = health.disruptionsAllowed > 0;
      status = {
        ...(Object.keys(disrupted).length ? { disruptedPods: disrupted } : {}),
        disruptionsAllowed: health.disruptionsAllowed,
        currentHealthy: health.currentHealthy,
        desiredHealthy: health.desiredHealthy,
        expectedPods: health.expectedPods,
        observedGeneration: pdb.metadata.generation,
        conditions: [
          allowedCondition(
            previous,
            allowed ? 'True' : 'False',
            allowed ? 'SufficientPods' : 'InsufficientPods',
            '',
            pdb.metadata.generation,
            ctx.now,
          ),
        ],
      };
    }
    if (JSON.stringify(status) !== JSON.stringify(pdb.status)) actions.push(update({ ...pdb, status }));
    return actions;
  },
};
