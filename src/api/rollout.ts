import { CliError } from '../util/errors';
import { clone, orEmpty, type KObject } from '../model/objects';
import { isKind, type ControllerRevision, type Deployment, type KindMap, type KindName, type ReplicaSet } from '../model/kinds';
import type { PodTemplateSpec } from '../model/k8s';
import type { ReadonlyObjectStore } from '../store/object-store';
import {
  CHANGE_CAUSE,
  findNewReplicaSet,
  ownedReplicaSets,
  ownedRevisions,
  revisionOf,
  revisionTemplate,
  type TemplatedWorkload,
} from './revisions';
import { templatesEqualIgnoringHash } from './pod-template-hash';
import { deepEqual } from './merge';

/** kubectl's rollout status viewers: a message, and whether the rollout is done. */
export interface RolloutState {
  message: string;
  done: boolean;
}

type StatusViewer = (obj: KObject, store: ReadonlyObjectStore) => RolloutState;
const viewers = new Map<string, StatusViewer>();

/** A kind's status viewer (Deployment, DaemonSet and StatefulSet below), handed objects of that kind only. */
export function registerStatusViewer<K extends KindName>(
  kind: K,
  viewer: (obj: KindMap[K], store: ReadonlyObjectStore) => RolloutState,
): void {
  viewers.set(kind, (obj, store) => viewer(obj as KindMap[K], store));
}

export function statusViewer(kind: string): StatusViewer {
  const v = viewers.get(kind);
  if (!v) throw new CliError(`no status viewer has been implemented for ${kind}`);
  return v;
}

/** DeploymentStatusViewer.Status (kubectl/pkg/polymorphichelpers/rollout_status.go). */
registerStatusViewer('Deployment', (d) => {
  const name = d.metadata.name;
  const st = orEmpty(d.status);
  if ((d.metadata.generation ?? 0) <= (st.observedGeneration ?? 0)) {
    const progressing = (st.conditions ?? []).find((c) => c.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') throw new CliError(`deployment "${name}" exceeded its progress deadline`);
    const replicas = d.spec?.replicas ?? 1;
    const updated = st.updatedReplicas ?? 0;
    if (updated < replicas)
      return {
        done: false,
        message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...`,
      };
    if ((st.replicas ?? 0) > updated)
      return {
        done: false,
        message: `Waiting for deployment "${name}" rollout to finish: ${(st.replicas ?? 0) - updated} old replicas are pending termination...`,
      };
    if ((st.availableReplicas ?? 0) < updated)
      return {
        done: false,
        message: `Waiting for deployment "${name}" rollout to finish: ${st.availableReplicas ?? 0} of ${updated} updated replicas are available...`,
      };
    return { done: true, message: `deployment "${name}" successfully rolled out` };
  }
  return { done: false, message: 'Waiting for deployment spec update to be observed...' };
});

/** DaemonSetStatusViewer.Status. */
registerStatusViewer('DaemonSet', (ds) => {
  const name = ds.metadata.name;
  const st = orEmpty(ds.status);
  if (ds.spec?.updateStrategy?.type !== 'RollingUpdate')
    throw new CliError('rollout status is only available for RollingUpdate strategy type');
  if ((ds.metadata.generation ?? 0) <= (st.observedGeneration ?? 0)) {
    const desired = st.desiredNumberScheduled ?? 0;
    const updated = st.updatedNumberScheduled ?? 0;
    if (updated < desired)
      return {
        done: false,
        message: `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...`,
      };
    if ((st.numberAvailable ?? 0) < desired)
      return {
        done: false,
        message: `Waiting for daemon set "${name}" rollout to finish: ${st.numberAvailable ?? 0} of ${desired} updated pods are available...`,
      };
    return { done: true, message: `daemon set "${name}" successfully rolled out` };
  }
  return { done: false, message: 'Waiting for daemon set spec update to be observed...' };
});

/**
 * StatefulSetStatusViewer.Status: with the default strategy (RollingUpdate, partition 0)
 * a finished rollout reads "partitioned roll out complete".
 */
registerStatusViewer('StatefulSet', (sts) => {
  const st = orEmpty(sts.status);
  const strategy = orEmpty(sts.spec?.updateStrategy);
  if (strategy.type !== 'RollingUpdate') throw new CliError('rollout status is only available for RollingUpdate strategy type');
  if (!st.observedGeneration || (sts.metadata.generation ?? 0) > st.observedGeneration)
    return { done: false, message: 'Waiting for statefulset spec update to be observed...' };
  const replicas = sts.spec?.replicas;
  if (replicas !== undefined && (st.readyReplicas ?? 0) < replicas)
    return { done: false, message: `Waiting for ${replicas - (st.readyReplicas ?? 0)} pods to be ready...` };
  if (strategy.rollingUpdate) {
    const partition = strategy.rollingUpdate.partition;
    if (replicas !== undefined && partition !== undefined && (st.updatedReplicas ?? 0) < replicas - partition) {
      return {
        done: false,
        message: `Waiting for partitioned roll out to finish: ${st.updatedReplicas ?? 0} out of ${replicas - partition} new pods have been updated...`,
      };
    }
    return { done: true, message: `partitioned roll out complete: ${st.updatedReplicas ?? 0} new pods have been updated...` };
  }
  if (st.updateRevision !== st.currentRevision)
    return {
      done: false,
      message: `waiting for statefulset rolling update to complete ${st.updatedReplicas ?? 0} pods at revision ${st.updateRevision}...`,
    };
  return {
    done: true,
    message: `statefulset rolling update complete ${st.currentReplicas ?? 0} pods at revision ${st.currentRevision}...`,
  };
});

export interface HistoryEntry {
  revision: number;
  changeCause?: string;
  template: PodTemplateSpec;
  /** what `rollout history -o` prints (HistoryViewer.GetHistory): the ReplicaSet, or the object with this revision applied */
  object: KObject;
}

/** Revisions from the deployment's ReplicaSets, ascending. */
export function deploymentHistory(d: Deployment, store: ReadonlyObjectStore): HistoryEntry[] {
  return ownedReplicaSets(d, store)
    .map((rs) => ({
      revision: revisionOf(rs),
      changeCause: rs.metadata.annotations?.[CHANGE_CAUSE],
      template: rs.spec.template ?? {},
      object: rs,
    }))
    .filter((e) => e.revision > 0)
    .sort((a, b) => a.revision - b.revision);
}

/**
 * kubectl rollout undo (DeploymentRollbacker): the template of the target revision (default:
 * the one before the current) becomes the deployment's template. Returns the new deployment,
 * or a `skipped` message when the template already matches.
 */
export function rollbackDeployment(d: Deployment, store: ReadonlyObjectStore, toRevision: number): { object?: KObject; skipped?: string } {
  if (d.spec?.paused) {
    throw new CliError(
      `you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${d.metadata.name}' and try again`,
    );
  }
  const all = ownedReplicaSets(d, store);
  let target: ReplicaSet | undefined;
  if (toRevision > 0) {
    target = all.find((rs) => revisionOf(rs) === toRevision);
    if (!target) throw new CliError(`unable to find specified revision ${toRevision} in history`);
  } else {
    const current = findNewReplicaSet(d, all);
    const currentRevision = revisionOf(current);
    const previous = all.filter((rs) => revisionOf(rs) < currentRevision || !current).sort((a, b) => revisionOf(b) - revisionOf(a));
    target = previous.find((rs) => rs !== current);
    if (!target) throw new CliError(`no rollout history found for deployment "${d.metadata.name}"`);
  }
  if (templatesEqualIgnoringHash(target.spec.template, d.spec.template)) {
    return { skipped: `skipped rollback (current template already matches revision ${revisionOf(target)})` };
  }
  const next = clone(d);
  const template = clone(target.spec.template ?? {});
  if (template.metadata?.labels) delete template.metadata.labels['pod-template-hash'];
  next.spec.template = template;
  const cause = target.metadata.annotations?.[CHANGE_CAUSE];
  next.metadata.annotations = { ...(next.metadata.annotations ?? {}) };
  if (cause !== undefined) next.metadata.annotations[CHANGE_CAUSE] = cause;
  else delete next.metadata.annotations[CHANGE_CAUSE];
  return { object: next };
}

/** `rollout history` entries for any kind it serves: ReplicaSets for a Deployment, ControllerRevisions for the others. */
export function workloadHistory(obj: TemplatedWorkload, store: ReadonlyObjectStore): HistoryEntry[] {
  if (isKind(obj, 'Deployment')) return deploymentHistory(obj, store);
  return ownedRevisions(obj, store).map((r) => ({
    revision: r.revision ?? 0,
    changeCause: r.metadata.annotations?.[CHANGE_CAUSE],
    template: revisionTemplate(r),
    // applyStatefulSetHistory/applyDaemonSetHistory: the revision's data patched over the live object
    object: { ...clone(obj), spec: { ...clone(obj.spec), template: revisionTemplate(r) } },
  }));
}

/**
 * kubectl rollout undo for a StatefulSet or DaemonSet (StatefulSetRollbacker,
 * DaemonSetRollbacker): the template of the target ControllerRevision (default: the second
 * newest) becomes the object's template, or `skipped` when it already is.
 */
export function rollbackFromRevisions(
  obj: TemplatedWorkload,
  store: ReadonlyObjectStore,
  toRevision: number,
): { object?: KObject; skipped?: string } {
  const history = ownedRevisions(obj, store);
  let target: ControllerRevision | undefined;
  if (toRevision === 0) {
    if (history.length <= 1) throw new CliError('no last revision to roll back to');
    target = history[history.length - 2];
  } else {
    target = history.find((r) => r.revision === toRevision);
    if (!target) throw new CliError(`unable to find specified revision ${toRevision} in history`);
  }
  const template = revisionTemplate(target);
  if (deepEqual(template, obj.spec?.template))
    return { skipped: `skipped rollback (current template already matches revision ${toRevision})` };
  return { object: { ...obj, spec: { ...obj.spec, template: clone(template) } } };
}
