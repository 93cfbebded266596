import type { Pod } from '../model/kinds';
import type { PodCondition, PodStatus } from '../model/k8s';
import { event, remove, update, type Action } from '../reconcile/actions';
import type { Controller, ReconcileContext } from '../reconcile/controller';
import { toRFC3339 } from '../util/duration';
import { podPriority } from './priority-admission';
import { podInfoOf, type PodInfo } from './pod-info';
import { DefaultPreemption, pdbViews } from './preemption';
import { DEFAULT_PROFILES, loadSchedulerConfiguration } from './profile';
import { ScoreColumns, type Profile } from './framework';
import type { KubeSchedulerConfiguration } from './configuration';
import { newCycleRecord, Scheduler, type CycleRecord, type ScheduleResult } from './scheduler';
import { compactRecordText } from './scheduling-record';
import { COMPACT_RECORD_ANNOTATION } from '../api/scheduling-annotations';
import { keptSnapshot } from './snapshot';
import { CLUSTER_MEMORY_PREFIX, type ReadonlyObjectStore } from '../store/object-store';

export const SCHEDULER_NAME = 'default-scheduler';

/** Where the cluster's KubeSchedulerConfiguration is kept: the scheduler's memory (ObjectStore.recall). */
export const CONFIG_MEMORY = { controller: 'kube-scheduler', key: `${CLUSTER_MEMORY_PREFIX}configuration` } as const;
/** Set by `cluster create --record-scheduling`: every scheduling attempt is written on the pod. */
export const RECORD_MEMORY = { controller: 'kube-scheduler', key: `${CLUSTER_MEMORY_PREFIX}record-scheduling` } as const;

/** The pod's metadata with the cycle's compact record (api/scheduling-annotations) among its annotations. */
function withAnnotation(metadata: Pod['metadata'], record: string): Pod['metadata'] {
  return { ...metadata, annotations: { ...metadata.annotations, [COMPACT_RECORD_ANNOTATION]: record } };
}

const profilesMemo = new Map<string, ReadonlyMap<string, Profile>>();

/**
 * The scheduler's profiles by schedulerName: the default profile, or those of the
 * configuration `scheduler config apply` stored (validated when stored).
 */
export function schedulerProfiles(store: ReadonlyObjectStore): ReadonlyMap<string, Profile> {
  // memoized by the stored text: a pass asks for them once per pod, and parsing is the cost
  const text = store.recallText(CONFIG_MEMORY.controller, CONFIG_MEMORY.key);
  // `scheduler config reset` remembers null: the defaults again
  if (text === undefined || text === 'null') return DEFAULT_PROFILES;
  let profiles = profilesMemo.get(text);
  if (!profiles) profilesMemo.set(text, (profiles = loadSchedulerConfiguration(JSON.parse(text) as KubeSchedulerConfiguration).profiles));
  return profiles;
}

/** Event reasons the scheduler emits. */
export const REASON_SCHEDULED = 'Scheduled';
export const REASON_FAILED_SCHEDULING = 'FailedScheduling';
export const REASON_PREEMPTED = 'Preempted';

/** validation.NoteLengthLimit: event messages longer than this are cut with " ..." */
const NOTE_LENGTH_LIMIT = 1024;

function truncateMessage(message: string): string {
  return message.length <= NOTE_LENGTH_LIMIT ? message : `${message.slice(0, NOTE_LENGTH_LIMIT - 4)} ...`;
}

/**
 * Pods this scheduler is responsible for: unbound, not being deleted, naming one of its
 * profiles (a pod naming another scheduler waits for it, with no event), Pending, not gated.
 */
export function isWaitingForScheduling(pod: Pod, profiles: ReadonlyMap<string, Profile> = DEFAULT_PROFILES): boolean {
  const spec = pod.spec ?? {};
  if (spec.nodeName || pod.metadata.deletionTimestamp) return false;
  const profile = profiles.get(spec.schedulerName || SCHEDULER_NAME);
  if (!profile) return false;
  const phase = pod.status?.phase;
  if (phase && phase !== 'Pending') return false;
  // PreEnqueue (SchedulingGates): the API server already marked it SchedulingGated
  if (profile.schedulingGates && Array.isArray(spec.schedulingGates) && spec.schedulingGates.length) return false;
  return true;
}

/**
 * PrioritySort: higher priority first, then older, then by namespace/name for a stable order.
 * (Sorted as positions with their priorities and creation times read once: an object and a
 * `namespace/name` string per pod were most of the sort at 150,000 pods; the key is compared
 * as that string would be, built only for pods of different namespaces.)
 */
export function queueOrder(pods: Pod[]): Pod[] {
  const n = pods.length;
  const priority = new Float64Array(n);
  const created: string[] = new Array<string>(n);
  const order: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const pod = pods[i];
    priority[i] = podPriority(pod.spec);
    created[i] = pod.metadata.creationTimestamp ?? '';
    order[i] = i;
  }
  order.sort((a, b) => {
    if (priority[a] !== priority[b]) return priority[b] - priority[a];
    if (created[a] !== created[b]) return created[a] < created[b] ? -1 : 1;
    return compareKeys(pods[a].metadata, pods[b].metadata);
  });
  const out: Pod[] = new Array<Pod>(n);
  for (let i = 0; i < n; i++) out[i] = pods[order[i]];
  return out;
}

/** `${namespace ?? ''}/${name}` of a and b compared as strings. */
function compareKeys(a: Pod['metadata'], b: Pod['metadata']): number {
  const an = a.namespace ?? '';
  const bn = b.namespace ?? '';
  // (one namespace: the keys share their prefix up to the '/', so the names decide)
  const ak = an === bn ? a.name : `${an}/${a.name}`;
  const bk = an === bn ? b.name : `${bn}/${b.name}`;
  return ak < bk ? -1 : ak > bk ? 1 : 0;
}

function withCondition(conditions: PodCondition[] | undefined, condition: PodCondition): PodCondition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === condition.type);
  if (i >= 0) list[i] = condition;
  else list.push(condition);
  return list;
}

function podScheduledCondition(pod: Pod): PodCondition | undefined {
  return (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled');
}

/**
 * What the binding API stores: spec.nodeName and PodScheduled=True. `conditions` holds, for
 * the pass, the list each list of conditions becomes: the pods of a ReplicaSet share one list
 * before (the store shares equal parts) and so share one after, which the store then finds
 * shared already instead of hashing a new condition per pod.
 */
function boundPod(
  store: ReadonlyObjectStore,
  pod: Pod,
  nodeName: string,
  now: string,
  conditions: Map<PodCondition[] | undefined, PodCondition[]>,
  /** the compact scheduling record, when the cycle was recorded */
  annotations?: string,
): Pod {
  const before = pod.status?.conditions;
  let after = conditions.get(before);
  if (after === undefined) {
    const previous = podScheduledCondition(pod);
    const condition = {
      type: 'PodScheduled',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: previous?.status === 'True' ? previous.lastTransitionTime : now,
    };
    conditions.set(before, (after = withCondition(before, condition)));
  }
  // (Object.assign, not a spread: a status without `conditions` copied by `{ ...status, conditions }`
  // got a hidden class of its own per pod; the keys come out in the same order either way)
  const status: PodStatus = Object.assign({}, pod.status, { conditions: after });
  const spec = store.withNodeName(pod.spec, nodeName);
  // the cycle's record (--record-scheduling) goes on in the same copy: no second copy of the pod
  if (annotations === undefined) return { ...pod, spec, status };
  return { ...pod, metadata: withAnnotation(pod.metadata, annotations), spec, status };
}

/** handleSchedulingFailure's updatePod: PodScheduled=False/Unschedulable and the nomination. */
function unschedulablePod(pod: Pod, reason: string, message: string, nominatedNodeName: string, now: string): Pod {
  const previous = podScheduledCondition(pod);
  const condition = {
    type: 'PodScheduled',
    status: 'False',
    lastProbeTime: null,
    lastTransitionTime: previous?.status === 'False' ? previous.lastTransitionTime : now,
    reason,
    message,
  };
  const status: PodStatus = { ...pod.status, conditions: withCondition(pod.status?.conditions, condition) };
  if (nominatedNodeName) status.nominatedNodeName = nominatedNodeName;
  else delete status.nominatedNodeName;
  return { ...pod, status };
}

/** The pod with the cycle's compact record among its annotations, when the cycle was recorded. */
function recorded(pod: Pod, record: CycleRecord | undefined): Pod {
  return record ? { ...pod, metadata: withAnnotation(pod.metadata, compactRecordText(record)) } : pod;
}

function withoutNomination(pod: Pod): Pod {
  const status: PodStatus = { ...pod.status };
  delete status.nominatedNodeName;
  return { ...pod, status };
}

/** The DisruptionTarget condition preemption puts on a victim before deleting it. */
function preemptionTarget(pod: Pod, now: string, schedulerName: string): Pod {
  const condition = {
    type: 'DisruptionTarget',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: now,
    reason: 'PreemptionByScheduler',
    message: `${schedulerName}: preempting to accommodate a higher priority pod`,
  };
  return { ...pod, status: { ...pod.status, conditions: withCondition(pod.status?.conditions, condition) } };
}

const signatureCache = new WeakMap<Pod, string>();

/** Pods with equal signatures get equal results while the snapshot is unchanged. */
function schedulingSignature(pod: Pod): string {
  let s = signatureCache.get(pod);
  if (s === undefined) {
    s = JSON.stringify([pod.metadata.namespace, pod.metadata.labels, pod.status?.nominatedNodeName, pod.spec]);
    signatureCache.set(pod, s);
  }
  return s;
}

/**
 * One pass of kube-scheduler: every pod waiting for a node goes through a scheduling
 * cycle, highest priority first, against a snapshot that includes this pass's earlier
 * decisions. Bound pods get spec.nodeName + PodScheduled; the rest get PodScheduled=False
 * with the FailedScheduling message (only when it changed: the pass is level-based and
 * retried every time, so a new node, an uncordon or a deleted pod lets them in).
 */
export function schedulePendingPods(ctx: ReconcileContext): Action[] {
  const profiles = schedulerProfiles(ctx.store);
  const recording = ctx.store.recall<boolean>(RECORD_MEMORY.controller, RECORD_MEMORY.key) === true;
  const pending: Pod[] = [];
  for (const pod of ctx.store.unboundPods()) if (isWaitingForScheduling(pod, profiles)) pending.push(pod);
  if (pending.length === 0) return [];

  const now = toRFC3339(ctx.now);
  const snapshot = keptSnapshot(ctx.store);
  for (const pod of pending) {
    const info = podInfoOf(pod);
    const nominated = info.nominatedNodeName ? snapshot.nodeByName.get(info.nominatedNodeName) : undefined;
    if (nominated) snapshot.nominatedAtStart(info, nominated);
  }
  let pdbs: ReturnType<typeof pdbViews> | undefined;
  /** one framework per profile, sharing the snapshot and the queue (kube's profiles share both) */
  const schedulers = new Map<string, Scheduler>();
  const schedulerFor = (profile: Profile): Scheduler => {
    let s = schedulers.get(profile.schedulerName);
    if (!s) {
      const preemption = profile.preemption
        ? new DefaultPreemption(
            snapshot,
            ctx.random,
            (pdbs ??= pdbViews(ctx.store.values('PodDisruptionBudget'))),
            ctx.now,
            profile.preemption,
          )
        : undefined;
      schedulers.set(profile.schedulerName, (s = new Scheduler(profile, snapshot, ctx.random, preemption)));
    }
    return s;
  };

  const actions: Action[] = [];
  const queue = queueOrder(pending);
  /**
   * The newest version of each pending pod this pass changed, by its place in the queue, and
   * those places in the order first changed: each is written once, at the end, in that order.
   * (Arrays, not maps by uid: two maps of every pending pod were a tenth of the pass at 150,000
   * pods; a uid is looked up only for preemption, in a map made then.)
   */
  const changed: (Pod | undefined)[] = new Array<Pod | undefined>(queue.length);
  const changeOrder: number[] = [];
  const change = (at: number, pod: Pod): void => {
    if (changed[at] === undefined) changeOrder.push(at);
    changed[at] = pod;
  };
  let queuePlaces: Map<string, number> | undefined;
  const queuePlace = (uid: string): number | undefined => {
    if (!queuePlaces) {
      queuePlaces = new Map();
      for (let at = 0; at < queue.length; at++) queuePlaces.set(podInfoOf(queue[at]).uid, at);
    }
    return queuePlaces.get(uid);
  };
  const preempted = new Set<string>();
  /** unschedulable results by pod signature, valid while the snapshot stays at failuresVersion */
  const failures = new Map<string, ScheduleResult>();
  let failuresVersion = snapshot.version;
  const columns = recording ? new ScoreColumns() : undefined;
  /** each pod's conditions before its bind → after it, for this pass (at one instant) */
  const boundConditions = new Map<PodCondition[] | undefined, PodCondition[]>();

  for (let at = 0; at < queue.length; at++) {
    const original = queue[at];
    // (one PodInfo lookup, a hidden field's read on pods of many shapes, unless an update came first)
    const pod = changed[at] ?? original;
    const info = podInfoOf(pod);
    const profile = profiles.get(pod.spec?.schedulerName || SCHEDULER_NAME)!;
    const scheduler = schedulerFor(profile);
    let result: ScheduleResult | undefined;
    let signature: string | undefined;
    if (failuresVersion !== snapshot.version) {
      // (Map.clear allocates a new table even when empty: every bind changes the version)
      if (failures.size) failures.clear();
      failuresVersion = snapshot.version;
    }
    if (failures.size) {
      signature = schedulingSignature(pod);
      result = failures.get(signature);
    }
    // a cached failure has no record of its own: recording schedules every pod afresh
    // (written on the pod below, before the next cycle reuses the score columns, or dropped)
    const record: CycleRecord | undefined = recording ? newCycleRecord(columns) : undefined;
    if (record) result = undefined;
    result ??= scheduler.schedule(info, record);

    if (result.kind === 'bound') {
      // (the record is written before assume: it reads the cycle's columns, not the node's)
      const text = record && compactRecordText(record);
      snapshot.assume(info, result.node);
      change(at, boundPod(ctx.store, pod, result.node.name, now, boundConditions, text));
      actions.push(
        event(
          pod,
          'Normal',
          REASON_SCHEDULED,
          `Successfully assigned ${info.namespace}/${info.name} to ${result.node.name}`,
          profile.schedulerName,
        ),
      );
      continue;
    }
    if (!result.preemption && failuresVersion === snapshot.version) failures.set(signature ?? schedulingSignature(pod), result);
    if (result.waitingForVictims) continue;

    // PostFilter runs before the failure is reported: victims go first
    if (result.preemption)
      actions.push(
        ...preemptionActions(
          result.preemption.candidate.node.name,
          result.preemption.candidate.victims,
          result.preemption.lowerPriorityNominated,
          info,
          profile.schedulerName,
        ),
      );
    const currentNomination = pod.status?.nominatedNodeName ?? '';
    const nomination = result.nominatedNodeName ?? currentNomination;
    const condition = podScheduledCondition(pod);
    const sameMessage = condition?.status === 'False' && condition.reason === result.reason && condition.message === result.message;
    if (!sameMessage || nomination !== currentNomination)
      change(at, recorded(unschedulablePod(pod, result.reason, result.message, nomination, now), record));
    if (!sameMessage) actions.push(event(pod, 'Warning', REASON_FAILED_SCHEDULING, truncateMessage(result.message), profile.schedulerName));
    if (nomination !== currentNomination) {
      const previous = snapshot.nodeByName.get(currentNomination);
      if (previous) snapshot.unnominate(info, previous);
    }
  }
  for (const i of changeOrder) actions.push(update(changed[i]!));
  return actions;

  function preemptionActions(
    nodeName: string,
    victims: PodInfo[],
    lowerPriorityNominated: PodInfo[],
    preemptor: PodInfo,
    schedulerName: string,
  ): Action[] {
    const out: Action[] = [];
    for (const v of victims) {
      // graceful deletion already under way: no second delete
      if (v.terminating || preempted.has(v.uid)) continue;
      preempted.add(v.uid);
      out.push(update(preemptionTarget(v.pod, now, schedulerName)));
      out.push(remove({ kind: 'Pod', namespace: v.namespace, name: v.name, uid: v.uid }));
      out.push(event(v.pod, 'Normal', REASON_PREEMPTED, `Preempted by pod ${preemptor.uid} on node ${nodeName}`, schedulerName));
    }
    const node = snapshot.nodeByName.get(nodeName)!;
    // lower-priority pods nominated to the node may no longer fit there: let them look elsewhere
    for (const q of lowerPriorityNominated) {
      snapshot.unnominate(q, node);
      const place = queuePlace(q.uid);
      const current = place === undefined ? undefined : (changed[place] ?? queue[place]);
      if (current?.status?.nominatedNodeName) change(place!, withoutNomination(current));
    }
    snapshot.nominate(preemptor, node);
    return out;
  }
}

export const schedulerController: Controller = {
  name: 'scheduler',
  reconcileAll: schedulePendingPods,
};
