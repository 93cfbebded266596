import { nodeBootMs } from '../sim/simulation-profile';
import { create, event, eventRecord, evict, remove, requeueAt, update, type Action } from '../reconcile/actions';
import type { Controller, ReconcileContext } from '../reconcile/controller';
import { clone, type KObject } from '../model/objects';
import type { Node, NodeGroup, NodeGroupStatus, Pod } from '../model/kinds';
import { NODEGROUP_LABEL } from '../api/kinds/nodegroup';
import { pdbsForPod } from '../api/kinds/poddisruptionbudget';
import { isPodReady, isPodTerminal, podCondition } from '../api/kinds/pod';
import { podsForDeletion, type DrainOptions } from '../api/drain';
import { checkEviction } from '../api/eviction';
import { ApiError } from '../util/errors';
import { fromRFC3339, toRFC3339 } from '../util/duration';
import { isWaitingForScheduling, queueOrder, SCHEDULER_NAME, schedulerProfiles } from '../scheduler/controller';
import { runPreFilter } from '../scheduler/framework';
import { Snapshot } from '../scheduler/snapshot';
import { cpuMilli, podInfoOf, quantityValue } from '../scheduler/pod-info';
import { makeNode, podCidrIndex } from '../api/kinds/node';

/**
 * The Cluster Autoscaler (kubernetes/autoscaler cluster-autoscaler, default flags) over
 * NodeGroup objects. Scale-up: pods the scheduler marked PodScheduled=False/Unschedulable
 * are bin-packed (with the scheduler's own filters) onto the nodes already being
 * provisioned, then onto template nodes of each group; the group that helps the most pods
 * grows by the nodes it needs (up to max), and they register after provisionSeconds.
 * Scale-down: a group node whose CPU and memory requests are both under 50% of allocatable,
 * whose pods can all be evicted (the drain filters and PDB budgets) and placed on other
 * nodes, for 10 minutes, is tainted ToBeDeletedByClusterAutoscaler, cordoned, drained
 * through the Eviction API and deleted. Groups below minSize are grown to it.
 *
 * What kube keeps in the autoscaler's memory lives on the objects, so every command (a
 * separate process) continues where the last stopped: the nodes being provisioned and the
 * last scale-up in the NodeGroup's status, when a node became unneeded in a node annotation,
 * when its drain started in the taint's value (unix seconds, as CA writes it).
 */
export const SCALE_DOWN_UNNEEDED_MS = 10 * 60_000;
/** --scale-down-delay-after-add */
export const SCALE_DOWN_DELAY_AFTER_ADD_MS = 10 * 60_000;
/** --scale-down-utilization-threshold */
export const SCALE_DOWN_UTILIZATION_THRESHOLD = 0.5;
/** --max-pod-eviction-time: a drain that cannot finish in this time is given up */
export const MAX_POD_EVICTION_MS = 2 * 60_000;
/** the actuator's wait between eviction attempts a PDB refused */
export const EVICTION_RETRY_MS = 5_000;
export const TO_BE_DELETED_TAINT = 'ToBeDeletedByClusterAutoscaler';
export const UNNEEDED_SINCE_ANNOTATION = 'autoscaling.kubesim.io/unneeded-since';
export const SCALE_DOWN_DISABLED_ANNOTATION = 'cluster-autoscaler.kubernetes.io/scale-down-disabled';
export const SAFE_TO_EVICT_ANNOTATION = 'cluster-autoscaler.kubernetes.io/safe-to-evict';
export const SOURCE = 'cluster-autoscaler';

/** Event reasons, as cluster-autoscaler records them. */
export const REASON_TRIGGERED_SCALE_UP = 'TriggeredScaleUp';
export const REASON_SCALED_UP_GROUP = 'ScaledUpGroup';
export const REASON_SCALE_DOWN = 'ScaleDown';
export const REASON_SCALE_DOWN_EMPTY = 'ScaleDownEmpty';
export const REASON_SCALE_DOWN_FAILED = 'ScaleDownFailed';

/** How the autoscaler drains: the drain filters with DaemonSet pods left alone, nothing forced. */
const DRAIN_OPTIONS: DrainOptions = {
  force: false,
  ignoreDaemonSets: true,
  deleteEmptyDirData: false,
  disableEviction: false,
  gracePeriodSeconds: -1,
  timeoutMs: MAX_POD_EVICTION_MS,
  skipWaitForDeleteTimeoutSeconds: 0,
  dryRun: 'none',
};

interface Provisioning {
  count: number;
  /** RFC 3339: when the nodes register */
  readyAt: string;
}

/** A NodeGroup with the nodes it owns, and the status this pass computes for it. */
interface GroupState {
  group: NodeGroup;
  name: string;
  min: number;
  max: number;
  nodes: Node[];
  provisioning: Provisioning[];
  lastScaleUpTime: number | undefined;
  nodesCreated: number;
}

export const clusterAutoscaler: Controller = {
  name: 'cluster-autoscaler',
  reconcileAll(ctx) {
    const groupObjects = ctx.store.list('NodeGroup');
    if (!groupObjects.length) return [];
    const groups = groupObjects.map((g) => groupState(g, ctx));
    const actions: Action[] = [];
    // nodes registering now change what the scheduler can do: let it run before deciding more
    const registered = registerProvisionedNodes(groups, ctx, actions);
    const grown = registered || enforceMinSize(groups, ctx, actions);
    const scaledUp = grown || scaleUp(groups, ctx, actions);
    if (!scaledUp) scaleDown(groups, ctx, actions);
    for (const g of groups) {
      const status = statusOf(g);
      if (JSON.stringify(status) !== JSON.stringify(g.group.status ?? {})) actions.push(update({ ...g.group, status }));
      for (const p of g.provisioning) actions.push(requeueAt(fromRFC3339(p.readyAt)));
    }
    return actions;
  },
};

function groupState(group: NodeGroup, ctx: ReconcileContext): GroupState {
  const name = group.metadata.name;
  const nodes = ctx.store.list('Node').filter((n) => n.metadata.labels?.[NODEGROUP_LABEL] === name);
  const status: NodeGroupStatus = group.status ?? {};
  return {
    group,
    name,
    min: Number(group.spec?.minSize ?? 0),
    max: Number(group.spec?.maxSize ?? 0),
    nodes,
    provisioning: Array.isArray(status.provisioning) ? status.provisioning.map((p: Provisioning) => ({ ...p })) : [],
    lastScaleUpTime: status.lastScaleUpTime ? fromRFC3339(status.lastScaleUpTime) : undefined,
    nodesCreated: Number(status.nodesCreated ?? 0),
  };
}

const isDeleting = (node: Node) => (node.spec?.taints ?? []).some((t) => t.key === TO_BE_DELETED_TAINT);
const provisioningCount = (g: GroupState) => g.provisioning.reduce((n, p) => n + p.count, 0);
/** The cloud provider's target size: registered nodes not being removed plus those on the way. */
const targetSize = (g: GroupState) => g.nodes.filter((n) => !isDeleting(n)).length + provisioningCount(g);

function isNodeReady(node: Node): boolean {
  return (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function statusOf(g: GroupState): NodeGroupStatus {
  const status: NodeGroupStatus = {
    targetSize: targetSize(g),
    currentSize: g.nodes.length,
    readyNodes: g.nodes.filter((n) => isNodeReady(n) && !isDeleting(n)).length,
    nodesCreated: g.nodesCreated,
  };
  if (g.provisioning.length) status.provisioning = g.provisioning;
  if (g.lastScaleUpTime !== undefined) status.lastScaleUpTime = toRFC3339(g.lastScaleUpTime);
  return status;
}

/** A node as the group's template describes it (what the cloud provider would start). */
function templateNode(g: GroupState, name: string, index: number, now: number): Node {
  const template = g.group.spec?.template ?? {};
  const node = makeNode(
    name,
    index,
    {
      cpu: String(template.cpu ?? '4'),
      memory: String(template.memory ?? '16Gi'),
      pods: Number(template.pods ?? 110),
      labels: { ...(template.labels ?? {}), [NODEGROUP_LABEL]: g.name },
    },
    now,
  );
  if (Array.isArray(template.taints) && template.taints.length) node.spec.taints = clone(template.taints);
  return node;
}

/** The podCIDR indexes (podCidrIndex) new nodes may take. */
function freeNodeIndexes(ctx: ReconcileContext): () => number {
  const used = new Set<number>();
  for (const n of ctx.store.values('Node')) {
    const index = podCidrIndex(String(n.spec?.podCIDR ?? ''));
    if (index !== undefined) used.add(index);
  }
  let next = 0;
  return () => {
    while (used.has(next)) next++;
    used.add(next);
    return next;
  };
}

/** Provisioning that is due: the nodes register (Ready at once, as a kubelet that just joined). */
function registerProvisionedNodes(groups: GroupState[], ctx: ReconcileContext, actions: Action[]): boolean {
  let any = false;
  let nextIndex: (() => number) | undefined;
  for (const g of groups) {
    const due = g.provisioning.filter((p) => fromRFC3339(p.readyAt) <= ctx.now);
    if (!due.length) continue;
    g.provisioning = g.provisioning.filter((p) => !due.includes(p));
    nextIndex ??= freeNodeIndexes(ctx);
    for (let i = 0; i < due.reduce((n, p) => n + p.count, 0); i++) {
      let name: string;
      do name = `${g.name}-${++g.nodesCreated}`;
      while (ctx.store.get('Node', undefined, name));
      const node = templateNode(g, name, nextIndex(), ctx.now);
      g.nodes.push(node);
      actions.push(
        create(node, (created) => [
          eventRecord(created, 'Normal', 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`, 'node-controller'),
        ]),
      );
      any = true;
    }
  }
  return any;
}

function scaleUpActions(g: GroupState, count: number, ctx: ReconcileContext, actions: Action[]): { from: number; to: number } {
  const from = targetSize(g);
  const provisionMs = Number(g.group.spec?.provisionSeconds ?? 0) * 1000;
  // a SimulationProfile's nodeBoot draws each new node's boot time (by its ordinal in the group)
  const ordinal = g.nodesCreated + provisioningCount(g);
  const boots = Array.from({ length: count }, (_, k) => nodeBootMs(g.group, String(ordinal + k + 1), ctx.store));
  if (boots.every((b) => b === undefined)) g.provisioning.push({ count, readyAt: toRFC3339(ctx.now + provisionMs) });
  else for (const b of boots) g.provisioning.push({ count: 1, readyAt: toRFC3339(ctx.now + (b ?? provisionMs)) });
  g.lastScaleUpTime = ctx.now;
  const to = from + count;
  actions.push(
    event(
      g.group,
      'Normal',
      REASON_SCALED_UP_GROUP,
      `Scale-up: setting group ${g.name} size to ${to} instead of ${from} (max: ${g.max})`,
      SOURCE,
    ),
  );
  return { from, to };
}

/** --enforce-node-group-min-size: a group below its minimum grows to it. */
function enforceMinSize(groups: GroupState[], ctx: ReconcileContext, actions: Action[]): boolean {
  let any = false;
  for (const g of groups) {
    const missing = g.min - targetSize(g);
    if (missing > 0) {
      scaleUpActions(g, missing, ctx, actions);
      any = true;
    }
  }
  return any;
}

/** Pods the scheduler gave up on for now; those waiting for preemption victims are not ours. */
function unschedulablePods(ctx: ReconcileContext): Pod[] {
  const pods: Pod[] = [];
  const profiles = schedulerProfiles(ctx.store);
  for (const pod of ctx.store.values('Pod')) {
    if (!isWaitingForScheduling(pod, profiles) || pod.status?.nominatedNodeName) continue;
    const scheduled = podCondition(pod, 'PodScheduled');
    if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') pods.push(pod);
  }
  return queueOrder(pods);
}

/**
 * First-fit of `pods` onto `nodes` (in the given order) with the scheduler's PreFilter and
 * Filter plugins, over the pods already bound to them. Returns pod uid → node name.
 */
function binPack(ctx: ReconcileContext, nodes: Node[], bound: Pod[], pods: Pod[]): Map<string, string> {
  const placed = new Map<string, string>();
  if (!nodes.length) return placed;
  const snapshot = new Snapshot(ctx.store, nodes, bound);
  const order = nodes.map((n) => snapshot.nodeByName.get(n.metadata.name)!);
  const profiles = schedulerProfiles(ctx.store);
  for (const pod of pods) {
    const info = podInfoOf(pod);
    // the autoscaler simulates the pod's own scheduler profile
    const pre = runPreFilter(profiles.get(pod.spec?.schedulerName || SCHEDULER_NAME)!, info, snapshot);
    if ('rejected' in pre) continue;
    const target = order.find((n) => (!pre.nodeNames || pre.nodeNames.has(n.name)) && pre.filters.run(n) === null);
    if (!target) continue;
    snapshot.assume(info, target);
    placed.set(info.uid, target.name);
  }
  return placed;
}

/**
 * One scale-up per pass: pods the nodes on their way will take are not counted again (so
 * the pass is idempotent); of the rest, the group that helps the most pods (then needs the
 * fewest nodes, then by name) grows by the nodes the packing used.
 */
function scaleUp(groups: GroupState[], ctx: ReconcileContext, actions: Action[]): boolean {
  const pending = unschedulablePods(ctx);
  if (!pending.length) return false;
  const upcoming: Node[] = [];
  for (const g of groups) {
    let i = 0;
    for (const p of g.provisioning)
      for (let k = 0; k < p.count; k++) upcoming.push(templateNode(g, `${g.name}-upcoming-${++i}`, 0, ctx.now));
  }
  const covered = binPack(ctx, upcoming, [], pending);
  const remaining = pending.filter((p) => !covered.has(podInfoOf(p).uid));
  if (!remaining.length) return false;
  let best: { g: GroupState; nodes: number; pods: Pod[] } | undefined;
  for (const g of groups) {
    const room = g.max - targetSize(g);
    if (room <= 0) continue;
    const candidates = Array.from({ length: room }, (_, i) => templateNode(g, `${g.name}-template-${i + 1}`, 0, ctx.now));
    const placed = binPack(ctx, candidates, [], remaining);
    if (!placed.size) continue;
    const nodes = new Set(placed.values()).size;
    const helped = remaining.filter((p) => placed.has(podInfoOf(p).uid));
    if (!best || helped.length > best.pods.length || (helped.length === best.pods.length && nodes < best.nodes))
      best = { g, nodes, pods: helped };
  }
  if (!best) return false;
  const { from, to } = scaleUpActions(best.g, best.nodes, ctx, actions);
  const info = `[{${best.g.name} ${from}->${to} (max: ${best.g.max})}]`;
  for (const pod of best.pods) actions.push(event(pod, 'Normal', REASON_TRIGGERED_SCALE_UP, `pod triggered scale-up: ${info}`, SOURCE));
  return true;
}

function requestedFraction(ctx: ReconcileContext, node: Node): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const pod of ctx.store.podsOnNode(node.metadata.name)) {
    if (isPodTerminal(pod)) continue;
    const r = podInfoOf(pod).requests;
    cpu += r.milliCpu;
    memory += r.memory;
  }
  const alloc: Record<string, string> = node.status?.allocatable ?? node.status?.capacity ?? {};
  const allocCpu = cpuMilli(alloc.cpu);
  const allocMemory = quantityValue(alloc.memory);
  return { cpu: allocCpu ? cpu / allocCpu : 1, memory: allocMemory ? memory / allocMemory : 1 };
}

/**
 * Why the node cannot go, or the pods that would have to move. The drain filters decide
 * which pods block (bare pods, local storage); CA's own rules add safe-to-evict=false,
 * kube-system pods without a PDB, and PDBs without enough disruptions left.
 */
function removablePods(ctx: ReconcileContext, node: Node): Pod[] | undefined {
  const list = podsForDeletion(ctx, node.metadata.name, DRAIN_OPTIONS);
  if (list.errors.length) return undefined;
  const pods = list.pods.filter((p) => !isPodTerminal(p) && !p.metadata.deletionTimestamp);
  const budget = new Map<string, number>();
  for (const pod of pods) {
    if (pod.metadata.annotations?.[SAFE_TO_EVICT_ANNOTATION] === 'false') return undefined;
    const pdbs = pdbsForPod(pod, ctx);
    if (pod.metadata.namespace === 'kube-system' && !pdbs.length) return undefined;
    if (pdbs.length > 1) return undefined;
    if (pdbs.length === 1 && isPodReady(pod)) {
      const uid = pdbs[0].metadata.uid!;
      const left = budget.get(uid) ?? Number(pdbs[0].status?.disruptionsAllowed ?? 0);
      if (left <= 0) return undefined;
      budget.set(uid, left - 1);
    }
  }
  return pods;
}

/** Every pod that must move fits somewhere else (the scheduler's filters, other nodes as they are). */
function podsFitElsewhere(ctx: ReconcileContext, node: Node, pods: Pod[]): boolean {
  if (!pods.length) return true;
  const others = ctx.store.list('Node').filter((n) => n.metadata.name !== node.metadata.name && isNodeReady(n));
  const names = new Set(others.map((n) => n.metadata.name));
  const bound = [...ctx.store.values('Pod')].filter((p) => names.has(p.spec?.nodeName ?? '') && !isPodTerminal(p));
  // the pods are simulated unbound, as the scheduler would see their replacements
  const moving = pods.map((p) => ({
    ...p,
    spec: { ...p.spec, nodeName: undefined },
    status: { ...p.status, nominatedNodeName: undefined },
  }));
  return binPack(ctx, others, bound, moving).size === pods.length;
}

const withAnnotation = (node: Node, key: string, value: string | undefined): KObject => {
  const annotations = { ...(node.metadata.annotations ?? {}) };
  if (value === undefined) delete annotations[key];
  else annotations[key] = value;
  const next: KObject = { ...node, metadata: { ...node.metadata, annotations } };
  if (!Object.keys(annotations).length) delete next.metadata.annotations;
  return next;
};

/**
 * Scale-down: drains already under way continue; otherwise unneeded times are tracked and
 * one node whose time is up (and whose group is above min, out of the delay after a
 * scale-up) starts its removal. One removal at a time keeps the simulation of "the pods fit
 * elsewhere" true.
 */
function scaleDown(groups: GroupState[], ctx: ReconcileContext, actions: Action[]): void {
  const draining = groups.flatMap((g) => g.nodes.filter(isDeleting).map((node) => ({ g, node })));
  for (const { g, node } of draining) continueRemoval(g, node, ctx, actions);
  let started = draining.length > 0;
  for (const g of groups) {
    for (const node of g.nodes) {
      if (isDeleting(node)) continue;
      const since = node.metadata.annotations?.[UNNEEDED_SINCE_ANNOTATION];
      const pods = unneededPods(ctx, node);
      if (!pods) {
        if (since !== undefined) actions.push(update(withAnnotation(node, UNNEEDED_SINCE_ANNOTATION, undefined)));
        continue;
      }
      if (since === undefined) {
        actions.push(update(withAnnotation(node, UNNEEDED_SINCE_ANNOTATION, toRFC3339(ctx.now))));
        actions.push(requeueAt(ctx.now + SCALE_DOWN_UNNEEDED_MS));
        continue;
      }
      const eligibleAt = Math.max(
        fromRFC3339(since) + SCALE_DOWN_UNNEEDED_MS,
        (g.lastScaleUpTime ?? -Infinity) + SCALE_DOWN_DELAY_AFTER_ADD_MS,
      );
      if (ctx.now < eligibleAt) {
        actions.push(requeueAt(eligibleAt));
        continue;
      }
      if (started || targetSize(g) <= g.min) continue;
      startRemoval(g, node, pods, ctx, actions);
      started = true;
    }
  }
}

/** The pods to move when the node is unneeded (under the threshold, all pods movable), else undefined. */
function unneededPods(ctx: ReconcileContext, node: Node): Pod[] | undefined {
  if (node.metadata.annotations?.[SCALE_DOWN_DISABLED_ANNOTATION] === 'true' || !isNodeReady(node) || node.spec?.unschedulable)
    return undefined;
  const used = requestedFraction(ctx, node);
  if (used.cpu >= SCALE_DOWN_UTILIZATION_THRESHOLD || used.memory >= SCALE_DOWN_UTILIZATION_THRESHOLD) return undefined;
  const pods = removablePods(ctx, node);
  if (!pods || !podsFitElsewhere(ctx, node, pods)) return undefined;
  return pods;
}

const percent = (v: number) => `${Math.round(v * 100)}%`;

function startRemoval(g: GroupState, node: Node, pods: Pod[], ctx: ReconcileContext, actions: Action[]): void {
  const used = requestedFraction(ctx, node);
  const next = clone(node);
  next.spec ??= {};
  next.spec.unschedulable = true;
  next.spec.taints = [
    ...(next.spec.taints ?? []),
    { key: TO_BE_DELETED_TAINT, value: String(Math.floor(ctx.now / 1000)), effect: 'NoSchedule' },
  ];
  actions.push(update(next));
  const toMove = pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(',');
  if (pods.length)
    actions.push(
      event(
        g.group,
        'Normal',
        REASON_SCALE_DOWN,
        `Scale-down: removing node ${node.metadata.name}, utilization: cpu ${percent(used.cpu)}, memory ${percent(used.memory)}, pods to reschedule: ${toMove}`,
        SOURCE,
      ),
    );
  else actions.push(event(g.group, 'Normal', REASON_SCALE_DOWN_EMPTY, `Scale-down: removing empty node ${node.metadata.name}`, SOURCE));
  // the write makes the engine run another pass at this instant: the drain starts there
  actions.push(event(node, 'Normal', REASON_SCALE_DOWN, 'marked the node as toBeDeleted/unschedulable', SOURCE));
}

function drainStartedAt(node: Node): number {
  const taint = (node.spec?.taints ?? []).find((t) => t.key === TO_BE_DELETED_TAINT);
  const seconds = Number(taint?.value);
  return Number.isFinite(seconds) ? seconds * 1000 : 0;
}

/**
 * The actuator's drain: evict every pod the drain filters allow (a PDB refusal is retried
 * every 5 s), wait for them to go, delete the node; give up after --max-pod-eviction-time.
 */
function continueRemoval(g: GroupState, node: Node, ctx: ReconcileContext, actions: Action[]): void {
  const name = node.metadata.name;
  const list = podsForDeletion(ctx, name, DRAIN_OPTIONS);
  const left = list.pods.filter((p) => !isPodTerminal(p));
  if (!list.errors.length && !left.length) {
    actions.push(remove({ kind: 'Node', name }));
    actions.push(event(node, 'Normal', REASON_SCALE_DOWN, 'node removed by cluster autoscaler', SOURCE));
    actions.push(event(g.group, 'Normal', REASON_SCALE_DOWN, `Scale-down: node ${name} removed with drain`, SOURCE));
    return;
  }
  const toEvict = left.filter((p) => !p.metadata.deletionTimestamp);
  const giveUpAt = drainStartedAt(node) + MAX_POD_EVICTION_MS;
  if (list.errors.length || (toEvict.length && ctx.now >= giveUpAt)) {
    const next = clone(node);
    next.spec.taints = (next.spec.taints ?? []).filter((t) => t.key !== TO_BE_DELETED_TAINT);
    if (!next.spec.taints.length) delete next.spec.taints;
    delete next.spec.unschedulable;
    actions.push(update(withAnnotation(next, UNNEEDED_SINCE_ANNOTATION, undefined)));
    actions.push(event(node, 'Warning', REASON_SCALE_DOWN_FAILED, 'failed to drain the node, aborting ScaleDown', SOURCE));
    return;
  }
  let refused = false;
  const budget = new Map<string, number>();
  for (const pod of toEvict) {
    if (!evictionAllowed(ctx, pod, budget)) {
      refused = true;
      continue;
    }
    actions.push(evict({ kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid }));
    actions.push(event(pod, 'Normal', REASON_SCALE_DOWN, 'deleting pod for node scale down', SOURCE));
  }
  if (refused) actions.push(requeueAt(Math.min(ctx.now + EVICTION_RETRY_MS, giveUpAt)));
  else if (toEvict.length) actions.push(requeueAt(giveUpAt));
}

/** The Eviction API's answer without writing (dry run), with this pass's evictions counted against each PDB. */
function evictionAllowed(ctx: ReconcileContext, pod: Pod, budget: Map<string, number>): boolean {
  try {
    checkEviction(ctx, pod.metadata.namespace ?? 'default', pod.metadata.name);
  } catch (e) {
    if (e instanceof ApiError) return false;
    throw e;
  }
  const pdb = pdbsForPod(pod, ctx)[0];
  if (!pdb || !isPodReady(pod) || pod.status?.phase === 'Pending') return true;
  const uid = pdb.metadata.uid!;
  const left = budget.get(uid) ?? Number(pdb.status?.disruptionsAllowed ?? 0);
  if (left <= 0) return false;
  budget.set(uid, left - 1);
  return true;
}
