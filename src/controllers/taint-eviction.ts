import { event, remember, remove, requeueAt, update, type Action } from '../reconcile/actions';
import type { ReconcileContext } from '../reconcile/controller';
import type { KObject } from '../model/objects';
import type { Pod } from '../model/kinds';
import type * as t from '../model/k8s';
import { toRFC3339 } from '../util/duration';
import { isPodTerminal } from '../api/kinds/pod';
import { parseTaints, parseTolerations, toleratesTaint } from '../scheduler/taints';

const SOURCE = 'taint-eviction-controller';

/** A pod's scheduled deletion (the taint-eviction queue's work: CreatedAt and the time it fires), ms. */
interface ScheduledEviction {
  createdAt: number;
  fireAt: number;
}
/** What the controller holds in memory per node: pod uid → its scheduled deletion. */
type NodeEvictions = Record<string, ScheduledEviction>;

/**
 * v1helper.GetMatchingTolerations: every taint needs a toleration; for each taint the first
 * toleration that tolerates it is the one used.
 */
export function matchingTolerations(taints: t.Taint[], tolerations: t.Toleration[]): { allTolerated: boolean; used: t.Toleration[] } {
  const parsed = parseTolerations(tolerations);
  const used: t.Toleration[] = [];
  for (const taint of parseTaints(taints)) {
    const i = parsed.findIndex((toleration) => toleratesTaint(toleration, taint));
    if (i < 0) return { allTolerated: false, used: [] };
    used.push(tolerations[i]);
  }
  return { allTolerated: true, used };
}

/**
 * getMinTolerationTime (seconds): 0 with no tolerations or one of tolerationSeconds <= 0,
 * -1 (forever) when none sets tolerationSeconds, else the smallest.
 */
export function minTolerationSeconds(used: t.Toleration[]): number {
  if (used.length === 0) return 0;
  let min = Infinity;
  for (const { tolerationSeconds } of used) {
    if (tolerationSeconds === undefined || tolerationSeconds === null) continue;
    if (tolerationSeconds <= 0) return 0;
    min = Math.min(min, tolerationSeconds);
  }
  return min === Infinity ? -1 : min;
}

/**
 * The taint-eviction controller (pkg/controller/tainteviction, v1.32) for the pods of one
 * node: a pod that does not tolerate every NoExecute taint is deleted at once; one that
 * tolerates them for tolerationSeconds gets a deletion scheduled when the controller first
 * sees it (processPodOnNode: AddWork(startTime=now, triggerTime=now+minTolerationTime); a
 * later pass keeps the work already queued), so the deadline is when the taint was added
 * (its timeAdded, for the node lifecycle controller's taints) plus tolerationSeconds.
 * Removing the taints, or a pod tolerating forever, cancels the work with an event.
 */
export function taintEvictions(node: KObject, taints: t.Taint[], ctx: ReconcileContext): Action[] {
  const noExecute = taints.filter((taint) => taint.effect === 'NoExecute');
  const scheduled = ctx.store.recall<NodeEvictions>(SOURCE, node.metadata.uid!) ?? {};
  if (!noExecute.length && Object.keys(scheduled).length === 0) return [];
  const actions: Action[] = [];
  const stillScheduled: NodeEvictions = {};
  const pods = [...ctx.store.podsOnNode(node.metadata.name)].sort((a, b) =>
    `${a.metadata.namespace}/${a.metadata.name}` < `${b.metadata.namespace}/${b.metadata.name}` ? -1 : 1,
  );
  for (const pod of pods) {
    const work = scheduled[pod.metadata.uid!];
    const cancel = () => {
      if (work) actions.push(event(pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${podKey(pod)}`, SOURCE));
    };
    if (pod.metadata.deletionTimestamp || isPodTerminal(pod)) continue;
    if (!noExecute.length) {
      cancel();
      continue;
    }
    const { allTolerated, used } = matchingTolerations(noExecute, pod.spec?.tolerations ?? []);
    if (!allTolerated) {
      cancel();
      actions.push(...deleteByTaintManager(pod, ctx.now));
      continue;
    }
    const seconds = minTolerationSeconds(used);
    if (seconds < 0) {
      cancel();
      continue;
    }
    const due = work ?? { createdAt: ctx.now, fireAt: ctx.now + seconds * 1000 };
    if (due.fireAt <= ctx.now) {
      actions.push(...deleteByTaintManager(pod, ctx.now));
      continue;
    }
    stillScheduled[pod.metadata.uid!] = due;
    actions.push(requeueAt(due.fireAt));
  }
  if (JSON.stringify(stillScheduled) !== JSON.stringify(scheduled)) actions.push(remember(SOURCE, node.metadata.uid!, stillScheduled));
  return actions;
}

const podKey = (pod: KObject) => `${pod.metadata.namespace}/${pod.metadata.name}`;

/** addConditionAndDeletePod: DisruptionTarget (DeletionByTaintManager), then delete, after the "Marking for deletion" event. */
function deleteByTaintManager(pod: Pod, now: number): Action[] {
  const conditions: t.PodCondition[] = (pod.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
  conditions.push({
    type: 'DisruptionTarget',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: toRFC3339(now),
    reason: 'DeletionByTaintManager',
    message: 'Taint manager: deleting due to NoExecute taint',
  });
  return [
    event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${podKey(pod)}`, SOURCE),
    update({ ...pod, status: { ...pod.status, conditions } }),
    remove({ kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name }),
  ];
}
