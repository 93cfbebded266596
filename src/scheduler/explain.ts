import type { Node, Pod } from '../model/kinds';
import type { ReadonlyObjectStore } from '../store/object-store';
import { Random } from '../util/random';
import { isWaitingForScheduling, schedulerProfiles, SCHEDULER_NAME } from './controller';
import { podInfoOf, type PodInfo } from './pod-info';
import { newCycleRecord, Scheduler, type CycleRecord, type ScheduleResult } from './scheduler';
import { explanationOf, recordedExplanation } from './scheduling-record';
import type { PodExplanation } from '../model/scheduling-explanation';
import { Snapshot } from './snapshot';
import type { Profile } from './framework';

/**
 * Explains a pod's placement: the recorded cycle when there is one, else one scheduling
 * cycle run now against the cluster without the pod (a bound pod is taken off its node),
 * with a PRNG of its own so that nothing of the cluster's changes. Preemption is not tried.
 */
export function explainPod(store: ReadonlyObjectStore, pod: Pod): PodExplanation | { error: string } {
  const profiles = schedulerProfiles(store);
  const schedulerName = pod.spec?.schedulerName || SCHEDULER_NAME;
  const profile = profiles.get(schedulerName);
  if (!profile) return { error: `no scheduler profile is named "${schedulerName}": the pod waits for a scheduler kubesim does not run` };
  const weights = Object.fromEntries(profile.scores.map((s) => [s.plugin.name, s.weight]));
  const nodes = [...store.values('Node')];
  const recorded = recordedExplanation(pod);
  if (recorded) return { explanation: recorded, source: 'recorded', schedulerName, weights, nodes: nodes.length };
  if (!pod.spec?.nodeName && !isWaitingForScheduling(pod, profiles))
    return { error: `pod "${pod.metadata.name}" is not waiting for the scheduler (it is gated, terminating or finished)` };
  const { record, result } = cycleNow(store, profile, pod, nodes);
  return {
    explanation: explanationOf(record),
    source: 'now',
    schedulerName,
    weights,
    message: result.kind === 'unschedulable' ? result.message : undefined,
    nodes: nodes.length,
  };
}

/**
 * One scheduling cycle for the pod against the cluster as it is (the pod itself off its node),
 * on the given nodes, with a PRNG of its own: nothing of the cluster's changes.
 */
export function cycleNow(
  store: ReadonlyObjectStore,
  profile: Profile,
  pod: Pod,
  nodes: Node[],
): { record: CycleRecord; result: ScheduleResult; snapshot: Snapshot; info: PodInfo } {
  const uid = pod.metadata.uid;
  const bound: Pod[] = [];
  for (const p of store.values('Pod')) {
    const phase = p.status?.phase;
    if (p.spec?.nodeName && p.metadata.uid !== uid && phase !== 'Succeeded' && phase !== 'Failed') bound.push(p);
  }
  const snapshot = new Snapshot(store, nodes, bound);
  const unbound: Pod = pod.spec?.nodeName ? { ...pod, spec: { ...pod.spec, nodeName: undefined } } : pod;
  const info = podInfoOf(unbound);
  const record = newCycleRecord();
  const result = new Scheduler(profile, snapshot, Random.fromSeed(0), undefined).schedule(info, record);
  return { record, result, snapshot, info };
}
