import { create, event, quiet, remove, requeueAt, update, type Action } from '../reconcile/actions';
import type { Controller, ReconcileContext } from '../reconcile/controller';
import { clone } from '../model/objects';
import type { Deployment, ReplicaSet } from '../model/kinds';
import type { DeploymentStatus } from '../model/k8s';
import { fromRFC3339, toRFC3339 } from '../util/duration';
import { intOrPercent } from '../api/kinds/workload-common';
import { computeTemplateHash } from '../api/pod-template-hash';
import { CHANGE_CAUSE, findNewReplicaSet, ownedReplicaSets, REVISION, revisionOf } from '../api/revisions';
import { conditionNow } from './pod-control';
import { sameJson } from '../store/intern';
import { isScalingEvent, replicasAnnotations, scaleSteps } from './deployment-scale';

const SOURCE = 'deployment-controller';

/** maxSurge rounds up, maxUnavailable rounds down; both 0 → maxUnavailable 1 (ResolveFenceposts). */
export function resolveFenceposts(d: Deployment): { maxSurge: number; maxUnavailable: number } {
  const replicas = d.spec?.replicas ?? 1;
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  const maxSurge = intOrPercent(ru.maxSurge ?? '25%', replicas, true);
  let maxUnavailable = intOrPercent(ru.maxUnavailable ?? '25%', replicas, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

const sum = (list: ReplicaSet[], f: (rs: ReplicaSet) => number) => list.reduce((n, rs) => n + f(rs), 0);
const specReplicas = (rs: ReplicaSet) => rs.spec?.replicas ?? 0;

/**
 * Deployment controller (pkg/controller/deployment): new ReplicaSet per template,
 * RollingUpdate within maxSurge/maxUnavailable or Recreate, revisions, history cleanup,
 * pause, progress deadline, status and conditions.
 */
export const deploymentController: Controller<'Deployment'> = {
  name: 'deployment',
  kind: 'Deployment',
  // a sync that does nothing takes no time into account (the progress deadline asks for a
  // requeue, an action): quiet until the Deployment or one of its ReplicaSets is written, in
  // later commands too (the engine's queue; the first pass of every command visited them all)
  watchesDependents: 'ReplicaSet',
  reconcile(d, ctx) {
    return quietUntilWakeup(d, syncDeployment(d, ctx));
  },
};

/**
 * A sync that only asks to be woken (a rollout waiting for its progress deadline) wrote nothing:
 * until then a sync that finds neither the Deployment nor its ReplicaSets written asks the same
 * again (time plays no other part), so it is quiet until the earliest wake-up, as the engine's
 * queue keeps it. It was visited at every pass of a rollout (1,491 syncs a pass at 150k pods).
 * Not under Recreate: its sync also reads the old ReplicaSets' pods, which no mark watches.
 */
function quietUntilWakeup(d: Deployment, actions: Action[]): Action[] {
  if (!actions.length) return [quiet(Infinity)];
  if (d.spec?.strategy?.type === 'Recreate') return actions;
  let until = Infinity;
  for (const a of actions) {
    if (a.type !== 'requeueAt') return actions;
    until = Math.min(until, a.at);
  }
  return [quiet(until)];
}

function syncDeployment(d: Deployment, ctx: ReconcileContext): Action[] {
  if (d.metadata.deletionTimestamp) return [];
  const actions: Action[] = [];
  const all = ownedReplicaSets(d, ctx.store);
  let newRS = findNewReplicaSet(d, all);
  const oldRSs = all.filter((rs) => rs !== newRS);
  const paused = !!d.spec?.paused;
  const replicas = d.spec?.replicas ?? 1;
  const maxOldRevision = Math.max(0, ...oldRSs.map(revisionOf));
  // syncDeployment: a paused deployment, or one whose spec.replicas changed (an active
  // ReplicaSet's desired-replicas annotation differs), only scales (sync), never rolls out
  const scalingEvent = paused || isScalingEvent(d, all);
  let createdNew = false;
  /** the new ReplicaSet as this reconcile's revision update writes it (its resourceVersion will be stale) */
  let annotated: ReplicaSet | undefined;

  // the new ReplicaSet: create it, or make it the newest revision (rollback re-uses an old one)
  if (!newRS && !scalingEvent) {
    newRS = newReplicaSet(d, maxOldRevision + 1);
    const initial = d.spec?.strategy?.type === 'Recreate' ? 0 : newRSReplicas(d, all, undefined);
    newRS.spec.replicas = initial;
    actions.push(create(newRS));
    if (initial > 0)
      actions.push(event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${newRS.metadata.name} from 0 to ${initial}`, SOURCE));
    createdNew = true;
  } else if (newRS) {
    const wantRevision = revisionOf(newRS) > maxOldRevision ? revisionOf(newRS) : maxOldRevision + 1;
    const annotations = { ...(newRS.metadata.annotations ?? {}) };
    let changed = false;
    if (revisionOf(newRS) !== wantRevision) {
      annotations[REVISION] = String(wantRevision);
      changed = true;
    }
    const cause = d.metadata.annotations?.[CHANGE_CAUSE];
    if (cause !== undefined && annotations[CHANGE_CAUSE] !== cause) {
      annotations[CHANGE_CAUSE] = cause;
      changed = true;
    }
    if (changed) {
      newRS = { ...newRS, metadata: { ...newRS.metadata, annotations } };
      actions.push(update(newRS));
      annotated = newRS;
    }
  }

  let scaledSomething = false;
  /** scaleReplicaSet; with syncAnnotations the desired/max-replicas annotations are written even when the size stays */
  const scale = (rs: ReplicaSet, to: number, syncAnnotations = false) => {
    const from = specReplicas(rs);
    const annotations = { ...(rs.metadata.annotations ?? {}), ...replicasAnnotations(d) };
    if (from === to && (!syncAnnotations || JSON.stringify(annotations) === JSON.stringify(rs.metadata.annotations ?? {}))) return rs;
    const scaled = { ...rs, metadata: { ...rs.metadata, annotations }, spec: { ...rs.spec, replicas: to } };
    // after the revision update (kube scales the object that update returned): written
    // over it, not checked against the resourceVersion it had before
    if (rs === annotated) delete scaled.metadata.resourceVersion;
    actions.push(update(scaled));
    if (from === to) return scaled;
    actions.push(
      event(
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`,
        SOURCE,
      ),
    );
    scaledSomething = true;
    return scaled;
  };

  if (scalingEvent) {
    for (const step of scaleSteps(d, newRS, oldRSs)) {
      const scaled = scale(step.rs, step.replicas, step.syncAnnotations);
      if (step.rs === newRS) newRS = scaled;
    }
  } else if (!createdNew && newRS) {
    if (d.spec?.strategy?.type === 'Recreate') {
      for (const rs of oldRSs) if (specReplicas(rs) > 0) scale(rs, 0);
      const oldPodsRunning =
        oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0) ||
        oldRSs.some((rs) => ctx.store.ownedBy(rs.metadata.uid!).some((p) => p.kind === 'Pod'));
      if (!oldPodsRunning && !scaledSomething) newRS = scale(newRS, replicas);
    } else {
      const target = newRSReplicas(d, all, newRS);
      if (target !== specReplicas(newRS)) newRS = scale(newRS, target);
      else reconcileOldReplicaSets(d, newRS, oldRSs, scale);
    }
  }

  if (!createdNew && newRS && !paused) actions.push(...cleanupHistory(d, oldRSs, newRS));
  actions.push(...statusActions(d, newRS, oldRSs, createdNew, ctx));
  return actions;
}

function newReplicaSet(d: Deployment, revision: number): ReplicaSet {
  const collision = d.status?.collisionCount;
  const hash = computeTemplateHash(d.spec.template, collision);
  const template = clone(d.spec.template);
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash } };
  const selector = clone(d.spec.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), 'pod-template-hash': hash };
  const annotations: Record<string, string> = { ...replicasAnnotations(d), [REVISION]: String(revision) };
  const cause = d.metadata.annotations?.[CHANGE_CAUSE];
  if (cause !== undefined) annotations[CHANGE_CAUSE] = cause;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: { ...(d.spec.template.metadata?.labels ?? {}), 'pod-template-hash': hash },
      annotations,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: d.metadata.name,
          uid: d.metadata.uid!,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
  };
}

/** NewRSNewReplicas for RollingUpdate: scale up within maxSurge, never past spec.replicas. */
function newRSReplicas(d: Deployment, all: ReplicaSet[], newRS: ReplicaSet | undefined): number {
  const replicas = d.spec?.replicas ?? 1;
  if (d.spec?.strategy?.type === 'Recreate') return replicas;
  const current = newRS ? specReplicas(newRS) : 0;
  if (current > replicas) return replicas;
  if (current === replicas) return current;
  const { maxSurge } = resolveFenceposts(d);
  const currentPodCount = sum(all, specReplicas);
  const maxTotalPods = replicas + maxSurge;
  if (currentPodCount >= maxTotalPods) return current;
  const scaleUp = Math.min(maxTotalPods - currentPodCount, replicas - current);
  return current + scaleUp;
}

/** reconcileOldReplicaSets: scale old RSs down without going under minAvailable. */
function reconcileOldReplicaSets(
  d: Deployment,
  newRS: ReplicaSet,
  oldRSs: ReplicaSet[],
  scale: (rs: ReplicaSet, to: number) => ReplicaSet,
): void {
  const replicas = d.spec?.replicas ?? 1;
  const oldPods = sum(oldRSs, specReplicas);
  if (oldPods === 0) return;
  const allPods = oldPods + specReplicas(newRS);
  const { maxUnavailable } = resolveFenceposts(d);
  const minAvailable = replicas - maxUnavailable;
  const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return;
  // first unhealthy old replicas (oldest RS first), then available ones down to minAvailable
  let cleaned = 0;
  const current = new Map(oldRSs.map((rs) => [rs.metadata.uid, specReplicas(rs)]));
  for (const rs of oldRSs) {
    if (cleaned >= maxScaledDown) break;
    const have = current.get(rs.metadata.uid)!;
    const unhealthy = have - (rs.status?.availableReplicas ?? 0);
    if (have === 0 || unhealthy <= 0) continue;
    const down = Math.min(maxScaledDown - cleaned, unhealthy);
    current.set(rs.metadata.uid, have - down);
    cleaned += down;
  }
  const available =
    sum(oldRSs, (rs) => Math.min(rs.status?.availableReplicas ?? 0, current.get(rs.metadata.uid)!)) +
    (newRS.status?.availableReplicas ?? 0);
  let toScaleDown = Math.min(available - minAvailable, maxScaledDown - cleaned);
  for (const rs of oldRSs) {
    if (toScaleDown <= 0) break;
    const have = current.get(rs.metadata.uid)!;
    if (have === 0) continue;
    const down = Math.min(have, toScaleDown);
    current.set(rs.metadata.uid, have - down);
    toScaleDown -= down;
  }
  for (const rs of oldRSs) if (current.get(rs.metadata.uid) !== specReplicas(rs)) scale(rs, current.get(rs.metadata.uid)!);
}

/** Deletes fully scaled-down old ReplicaSets beyond revisionHistoryLimit, oldest revision first. */
function cleanupHistory(d: Deployment, oldRSs: ReplicaSet[], newRS: ReplicaSet): Action[] {
  const limit = d.spec?.revisionHistoryLimit ?? 10;
  const idle = oldRSs
    .filter((rs) => specReplicas(rs) === 0 && (rs.status?.replicas ?? 0) === 0 && rs !== newRS)
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  const excess = idle.length - limit;
  return excess > 0
    ? idle.slice(0, excess).map((rs) => remove({ kind: 'ReplicaSet', namespace: rs.metadata.namespace, name: rs.metadata.name }))
    : [];
}

function statusActions(
  d: Deployment,
  newRS: ReplicaSet | undefined,
  oldRSs: ReplicaSet[],
  createdNew: boolean,
  ctx: ReconcileContext,
): Action[] {
  const all = newRS && !createdNew ? [newRS, ...oldRSs] : oldRSs;
  const replicas = d.spec?.replicas ?? 1;
  const { maxUnavailable } = resolveFenceposts(d);
  const available = sum(all, (rs) => rs.status?.availableReplicas ?? 0);
  const total = sum(all, specReplicas);
  const status: DeploymentStatus & { replicas: number; updatedReplicas: number; readyReplicas: number } = {
    observedGeneration: d.metadata.generation,
    replicas: sum(all, (rs) => rs.status?.replicas ?? 0),
    updatedReplicas: newRS && !createdNew ? (newRS.status?.replicas ?? 0) : 0,
    readyReplicas: sum(all, (rs) => rs.status?.readyReplicas ?? 0),
    availableReplicas: available,
    unavailableReplicas: Math.max(total - available, 0),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  const previous = d.status?.conditions ?? [];
  const prevAvailable = previous.find((c) => c.type === 'Available');
  const prevProgressing = previous.find((c) => c.type === 'Progressing');
  const availableCond =
    available >= replicas - maxUnavailable
      ? conditionNow('Available', 'True', ctx.now, 'MinimumReplicasAvailable', 'Deployment has minimum availability.', prevAvailable)
      : conditionNow(
          'Available',
          'False',
          ctx.now,
          'MinimumReplicasUnavailable',
          'Deployment does not have minimum availability.',
          prevAvailable,
        );
  const actions: Action[] = [];
  let progressing = prevProgressing;
  const rsName = newRS?.metadata.name ?? '';
  const complete = !!newRS && !createdNew && status.updatedReplicas === replicas && status.replicas === replicas && available === replicas;
  const deadline = d.spec?.progressDeadlineSeconds ?? 600;
  if (d.spec?.paused) {
    if (prevProgressing?.reason !== 'DeploymentPaused')
      progressing = conditionNow('Progressing', 'Unknown', ctx.now, 'DeploymentPaused', 'Deployment is paused', prevProgressing);
  } else if (prevProgressing?.reason === 'DeploymentPaused') {
    progressing = conditionNow('Progressing', 'Unknown', ctx.now, 'DeploymentResumed', 'Deployment is resumed', prevProgressing);
  } else if (createdNew) {
    progressing = conditionNow(
      'Progressing',
      'True',
      ctx.now,
      'NewReplicaSetCreated',
      `Created new replica set "${rsName}"`,
      prevProgressing,
    );
  } else if (complete) {
    if (
      prevProgressing?.reason !== 'NewReplicaSetAvailable' ||
      prevProgressing.message !== `ReplicaSet "${rsName}" has successfully progressed.`
    ) {
      progressing = conditionNow(
        'Progressing',
        'True',
        ctx.now,
        'NewReplicaSetAvailable',
        `ReplicaSet "${rsName}" has successfully progressed.`,
        prevProgressing,
      );
    }
  } else if (newRS) {
    const prevStatus = d.status ?? {};
    const madeProgress =
      status.updatedReplicas > (prevStatus.updatedReplicas ?? 0) ||
      status.replicas < (prevStatus.replicas ?? 0) ||
      available > (prevStatus.availableReplicas ?? 0) ||
      status.readyReplicas > (prevStatus.readyReplicas ?? 0);
    const lastUpdate = fromRFC3339(prevProgressing?.lastUpdateTime);
    if (!prevProgressing) {
      progressing = conditionNow(
        'Progressing',
        'True',
        ctx.now,
        'FoundNewReplicaSet',
        `Found new replica set "${rsName}"`,
        prevProgressing,
      );
    } else if (madeProgress || prevProgressing.reason === 'NewReplicaSetAvailable') {
      progressing = {
        ...conditionNow('Progressing', 'True', ctx.now, 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`, prevProgressing),
        lastUpdateTime: toRFC3339(ctx.now),
      };
    } else if (prevProgressing.reason !== 'ProgressDeadlineExceeded') {
      if (ctx.now >= lastUpdate + deadline * 1000) {
        progressing = conditionNow(
          'Progressing',
          'False',
          ctx.now,
          'ProgressDeadlineExceeded',
          `ReplicaSet "${rsName}" has timed out progressing.`,
          prevProgressing,
        );
        actions.push(event(d, 'Warning', 'ProgressDeadlineExceeded', `Deployment "${d.metadata.name}" has timed out progressing.`, SOURCE));
      } else actions.push(requeueAt(lastUpdate + deadline * 1000));
    }
  }
  // kube lists Available before Progressing once both exist
  status.conditions = [availableCond, ...(progressing ? [progressing] : [])];
  const annotations = { ...(d.metadata.annotations ?? {}) };
  if (newRS && !createdNew && annotations[REVISION] !== String(revisionOf(newRS))) annotations[REVISION] = String(revisionOf(newRS));
  if (createdNew && newRS) annotations[REVISION] = newRS.metadata.annotations![REVISION];
  const cleanStatus = Object.fromEntries(
    Object.entries(status).filter(([k, v]) => v !== 0 || k === 'observedGeneration' || k === 'replicas'),
  );
  // (the annotations are the Deployment's with at most the revision set: it alone can differ, and
  // their JSON, kubectl's last-applied configuration among them, was made twice a reconcile)
  // (compared as JSON text is, without making the text: ~40% of a sync)
  if (!sameJson(cleanStatus, d.status ?? {}) || annotations[REVISION] !== d.metadata.annotations?.[REVISION]) {
    actions.unshift(update({ ...d, metadata: { ...d.metadata, annotations }, status: cleanStatus }));
  }
  return actions;
}
