import { event, evict, remember, requeueAt, type Action } from '../reconcile/actions';
import type { Controller, ReconcileContext } from '../reconcile/controller';
import { controllerOf } from '../model/objects';
import type { Pod } from '../model/kinds';
import { parseQuantityExact } from '../api/quantity-exact';
import { checkEviction } from '../api/eviction';
import { fromRFC3339 } from '../util/duration';
import {
  cappedRecommendation,
  controllingVpa,
  isVpa,
  updateMode,
  type RecommendedContainerResources,
  type VerticalPodAutoscaler,
} from '../api/vpa';

/**
 * The VPA updater (kubernetes/autoscaler vertical-pod-autoscaler v1.3.1 pkg/updater): every
 * minute (--updater-interval), for each VPA in Recreate or Auto mode, it evicts the pods whose
 * requests should change (priority/update_priority_calculator.go), most wanted first, through the
 * Eviction API, so PodDisruptionBudgets hold; the admission controller (src/api/admission/vpa.ts)
 * gives the replacement pods the recommended requests. Its own limit
 * (eviction/pods_eviction_restriction.go): no eviction from a group of fewer than --min-replicas
 * (2, or the VPA's updatePolicy.minReplicas) live pods, and at most --eviction-tolerance (half)
 * of a group's configured replicas down at once. --eviction-rate-limit is off by default
 * upstream, and so here.
 */
export const UPDATER_INTERVAL_MS = 60_000;
const SOURCE = 'vpa-updater';
const MIN_REPLICAS = 2;
const EVICTION_TOLERANCE = 0.5;
/** --pod-update-threshold */
const MIN_CHANGE_PRIORITY = 0.1;
/** --in-recommendation-bounds-eviction-lifetime-threshold */
const POD_LIFETIME_UPDATE_THRESHOLD_MS = 12 * 3600_000;
/** --evict-after-oom-threshold */
const EVICT_AFTER_OOM_MS = 10 * 60_000;

export const vpaUpdater: Controller<'VerticalPodAutoscaler'> = {
  name: SOURCE,
  kind: 'VerticalPodAutoscaler',
  reconcile(obj, ctx) {
    if (!isVpa(obj) || !obj.metadata.uid) return [];
    const lastRun = ctx.store.recall<number>(SOURCE, obj.metadata.uid);
    if (lastRun !== undefined && ctx.now < lastRun + UPDATER_INTERVAL_MS) return [requeueAt(lastRun + UPDATER_INTERVAL_MS)];
    const mode = updateMode(obj);
    const actions = mode === 'Recreate' || mode === 'Auto' ? evictions(obj, ctx) : [];
    return [...actions, remember(SOURCE, obj.metadata.uid, ctx.now), requeueAt(ctx.now + UPDATER_INTERVAL_MS)];
  },
};

interface PodPriority {
  outsideRecommendedRange: boolean;
  scaleUp: boolean;
  resourceDiff: number;
}

interface GroupStats {
  configured: number;
  pending: number;
  running: number;
  evictionTolerance: number;
  evicted: number;
}

/** RunOnce for one VPA: its live pods in update order, each evicted while the restriction and the PDBs allow. */
function evictions(vpa: VerticalPodAutoscaler, ctx: ReconcileContext): Action[] {
  // the updater's pod lister: scheduled pods that have not finished, and are not being deleted
  const livePods = ctx.store
    .list('Pod', vpa.metadata.namespace)
    .filter(
      (p) =>
        !!p.spec?.nodeName &&
        p.status?.phase !== 'Succeeded' &&
        p.status?.phase !== 'Failed' &&
        !p.metadata.deletionTimestamp &&
        controllingVpa(p, ctx.store)?.metadata.uid === vpa.metadata.uid,
    );
  const groups = evictionGroups(vpa, livePods, ctx);
  const canEvict = (pod: Pod) => {
    const stats = groups.get(groupKey(pod));
    if (!stats) return false;
    if (pod.status?.phase === 'Pending') return true;
    if (stats.running - stats.evicted > stats.configured - stats.evictionTolerance) return true;
    return stats.running === stats.configured && stats.evictionTolerance === 0 && stats.evicted === 0;
  };
  const queue: { pod: Pod; priority: PodPriority }[] = [];
  for (const pod of livePods.filter(canEvict)) {
    const priority = wantsUpdate(vpa, pod, ctx.now);
    if (priority) queue.push({ pod, priority });
  }
  // byPriorityDesc: pods that grow first, then the larger change (then by name, for a stable order)
  queue.sort(
    (a, b) =>
      Number(b.priority.scaleUp) - Number(a.priority.scaleUp) ||
      b.priority.resourceDiff - a.priority.resourceDiff ||
      (a.pod.metadata.name < b.pod.metadata.name ? -1 : 1),
  );
  const actions: Action[] = [];
  const budgetSpent = new Map<string, number>();
  for (const { pod } of queue) {
    if (!canEvict(pod)) continue;
    if (!evictionAllowed(pod, ctx, budgetSpent)) continue;
    actions.push(
      evict({ kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid }),
      event(pod, 'Normal', 'EvictedByVPA', 'Pod was evicted by VPA Updater to apply resource recommendation.', SOURCE),
      event(vpa, 'Normal', 'EvictedPod', `VPA Updater evicted Pod ${pod.metadata.name} to apply resource recommendation.`, SOURCE),
    );
    if (pod.status?.phase !== 'Pending') groups.get(groupKey(pod))!.evicted++;
  }
  return actions;
}

/**
 * What the Eviction API would answer (src/api/eviction.ts), counting the disruptions this pass
 * already spent: a refused eviction (the PDB's 429) is logged upstream and the pod stays.
 */
function evictionAllowed(pod: Pod, ctx: ReconcileContext, spent: Map<string, number>): boolean {
  try {
    const { budget } = checkEviction(ctx, pod.metadata.namespace!, pod.metadata.name);
    if (!budget) return true;
    const key = budget.metadata.uid ?? budget.metadata.name;
    const used = spent.get(key) ?? 0;
    if (used >= (budget.status?.disruptionsAllowed ?? 0)) return false;
    spent.set(key, used + 1);
    return true;
  } catch {
    return false;
  }
}

function groupKey(pod: Pod): string {
  const ref = controllerOf(pod);
  return ref ? `${ref.kind}/${ref.name}` : '';
}

/** NewPodsEvictionRestriction: per controller of the pods, its configured replicas and how many may go. */
function evictionGroups(vpa: VerticalPodAutoscaler, pods: Pod[], ctx: ReconcileContext): Map<string, GroupStats> {
  const byCreator = new Map<string, Pod[]>();
  for (const pod of pods) {
    const key = groupKey(pod);
    if (!key) continue; // a pod no controller manages is never evicted
    byCreator.set(key, [...(byCreator.get(key) ?? []), pod]);
  }
  const required = vpa.spec?.updatePolicy?.minReplicas ?? MIN_REPLICAS;
  const groups = new Map<string, GroupStats>();
  for (const [key, replicas] of byCreator) {
    if (replicas.length < required) continue; // "Too few replicas"
    const ref = controllerOf(replicas[0])!;
    const configured = ref.kind === 'Job' ? replicas.length : configuredReplicas(ref.kind, ref.name, vpa.metadata.namespace, ctx);
    if (!configured) continue; // "has no replicas config"
    const pending = replicas.filter((p) => p.status?.phase === 'Pending').length;
    groups.set(key, {
      configured,
      pending,
      running: replicas.length - pending,
      evictionTolerance: Math.trunc(configured * EVICTION_TOLERANCE),
      evicted: 0,
    });
  }
  return groups;
}

/** getReplicaCount: spec.replicas of a ReplicaSet, ReplicationController or StatefulSet; a DaemonSet's available pods. */
function configuredReplicas(kind: string, name: string, namespace: string | undefined, ctx: ReconcileContext): number {
  if (kind === 'ReplicaSet' || kind === 'ReplicationController' || kind === 'StatefulSet') {
    const owner = ctx.store.get(kind, namespace, name);
    const spec = owner?.spec as { replicas?: number } | undefined;
    return spec?.replicas ?? 0;
  }
  if (kind === 'DaemonSet') return ctx.store.get('DaemonSet', namespace, name)?.status?.numberAvailable ?? 0;
  return 0;
}

/**
 * UpdatePriorityCalculator.AddPod: a pod is updated when a request is outside the recommended
 * [lowerBound, upperBound] (or missing), when a container was OOM-killed within 10 minutes of
 * starting, or when it has run 12 h and its requests differ from the target by 10% or more.
 */
function wantsUpdate(vpa: VerticalPodAutoscaler, pod: Pod, now: number): PodPriority | undefined {
  const recommendation = cappedRecommendation(vpa, pod);
  const priority = updatePriority(pod, recommendation ?? []);
  const observed = observedContainers(pod);
  const quickOOM = (pod.status?.containerStatuses ?? []).some((cs) => {
    if (observed && !observed.has(cs.name)) return false;
    const terminated = cs.lastState?.terminated;
    return (
      terminated?.reason === 'OOMKilled' &&
      !!terminated.startedAt &&
      !!terminated.finishedAt &&
      fromRFC3339(terminated.finishedAt) - fromRFC3339(terminated.startedAt) < EVICT_AFTER_OOM_MS
    );
  });
  if (!priority.outsideRecommendedRange && !quickOOM) {
    if (!pod.status?.startTime) return undefined;
    if (now < fromRFC3339(pod.status.startTime) + POD_LIFETIME_UPDATE_THRESHOLD_MS) return undefined;
    if (priority.resourceDiff < MIN_CHANGE_PRIORITY) return undefined;
  }
  if (quickOOM && priority.resourceDiff === 0) return undefined;
  return priority;
}

/** The vpaObservedContainers annotation's names, when the admission controller wrote one. */
function observedContainers(pod: Pod): Set<string> | undefined {
  const value = pod.metadata.annotations?.vpaObservedContainers;
  return value === undefined ? undefined : new Set(value.split(', ').filter(Boolean));
}

/** defaultPriorityProcessor.GetUpdatePriority */
function updatePriority(pod: Pod, recommendation: RecommendedContainerResources[]): PodPriority {
  let outsideRecommendedRange = false;
  let scaleUp = false;
  const totalRequest = new Map<string, number>();
  const totalRecommended = new Map<string, number>();
  const observed = observedContainers(pod);
  const milli = (v: string) => {
    const q = parseQuantityExact(v);
    return Number((q.nano + 999_999n) / 1_000_000n);
  };
  for (const container of pod.spec?.containers ?? []) {
    if (observed && !observed.has(container.name)) continue;
    const rec = recommendation.find((r) => r.containerName === container.name);
    if (!rec) continue;
    for (const [resource, recommended] of Object.entries(rec.target)) {
      totalRecommended.set(resource, (totalRecommended.get(resource) ?? 0) + milli(recommended));
      const request = container.resources?.requests?.[resource];
      if (request !== undefined) {
        totalRequest.set(resource, (totalRequest.get(resource) ?? 0) + milli(request));
        if (milli(recommended) > milli(request)) scaleUp = true;
        const lower = rec.lowerBound?.[resource];
        const upper = rec.upperBound?.[resource];
        const requestNano = parseQuantityExact(request).nano;
        if (
          (lower !== undefined && requestNano < parseQuantityExact(lower).nano) ||
          (upper !== undefined && requestNano > parseQuantityExact(upper).nano)
        )
          outsideRecommendedRange = true;
      } else {
        // no request: treated as 0, upstream's "namespace default request" note
        scaleUp = true;
        outsideRecommendedRange = true;
      }
    }
  }
  let resourceDiff = 0;
  for (const [resource, recommended] of totalRecommended) {
    const request = Math.max(totalRequest.get(resource) ?? 0, 1);
    resourceDiff += Math.abs(request - recommended) / request;
  }
  return { outsideRecommendedRange, scaleUp, resourceDiff };
}
