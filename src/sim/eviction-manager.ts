import { event, quiet, requeueAt, update, type Action } from '../reconcile/actions';
import type { Controller, ReconcileContext } from '../reconcile/controller';
import { clone } from '../model/objects';
import type { Node, PodLike } from '../model/kinds';
import { intValue } from '../api/quantity';
import { fromRFC3339, toRFC3339 } from '../util/duration';
import { formatBytes } from '../api/quantity';
import { podUsageTotal, memoryRequestBytes, quickPodMemoryBytes } from './usage';
import { KUBELET_STOPPED } from '../api/kinds/node';
import { scratchOf, specFromTemplate, type ReadonlyObjectStore, type Slot } from '../store/object-store';
import { rowFacts, type PodFacts } from '../store/pod-facts';
import { HiddenField } from '../util/memo';

const SOURCE = 'kubelet';
/** kubelet --eviction-pressure-transition-period default */
const PRESSURE_TRANSITION_MS = 5 * 60 * 1000;
/** kubelet's default hard eviction threshold for memory.available */
const MEMORY_THRESHOLD = '100Mi';

function priority(pod: PodLike): number {
  return pod.spec?.priority ?? 0;
}

/**
 * rankMemoryPressure: pods whose use exceeds their request first (BestEffort requests
 * nothing, so it always does), then lower priority, then more use above the request.
 */
export function rankForMemoryEviction<P extends PodLike>(pods: P[], now: number): P[] {
  const over = (p: PodLike) => podUsageTotal(p, now).memoryBytes - memoryRequestBytes(p);
  return [...pods].sort(
    (a, b) =>
      Number(over(b) > 0) - Number(over(a) > 0) ||
      priority(a) - priority(b) ||
      over(b) - over(a) ||
      (a.metadata.name < b.metadata.name ? -1 : 1),
  );
}

/** Human bytes for the eviction message, as the kubelet prints quantities (`1Gi`, `2097152Ki`). */
function kiText(bytes: number): string {
  return bytes % 1024 === 0 ? formatBytes(bytes) : String(bytes);
}

/**
 * The kubelet's eviction manager for memory: when the pods on a node use more memory than
 * the node's allocatable, it reports MemoryPressure and evicts one pod per pass in rank
 * order (phase Failed, reason Evicted) until the pressure is gone. The condition clears
 * after the pressure transition period.
 */
export const nodePressureEviction: Controller<'Node'> = {
  name: 'eviction-manager',
  kind: 'Node',
  // what a node's check reads besides the node is its pods (their use does not move with time):
  // quiet until the node or a pod on it is written, in later commands too (the engine's queue)
  watchesDependents: 'Pod',
  dependentsVersion: (store, node) => store.podsOnNodeVersion(node.metadata.name),
  // (a pod's version moves only its node's counter, and spec.nodeName never changes once set)
  ownerOfDependent: (pod) => {
    const nodeName = (pod as PodLike).spec?.nodeName;
    return nodeName ? { namespace: undefined, name: nodeName } : undefined;
  },
  reconcile(node, ctx) {
    const actions = checkNode(node, ctx);
    return actions.length ? actions : [quiet(Infinity)];
  },
};

function checkNode(node: Node, ctx: ReconcileContext): Action[] {
  if (node.metadata.annotations?.[KUBELET_STOPPED]) return [];
  const actions: Action[] = [];
  const allocatable = allocatableMemory(node);
  if (!allocatable) return [];
  const used = nodeMemoryUsed(ctx.store, node.metadata.name, ctx.now);
  const pressure = used > allocatable;
  const condition = (node.status?.conditions ?? []).find((c) => c.type === 'MemoryPressure');
  if (pressure) {
    const pods = [...ctx.store.podsOnNode(node.metadata.name)].filter(
      (p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp,
    );
    if (condition && condition.status !== 'True') actions.push(setPressure(node, true, ctx.now));
    const victim = rankForMemoryEviction(pods, ctx.now)[0];
    const usage = podUsageTotal(victim, ctx.now).memoryBytes;
    const available = Math.max(0, allocatable - used);
    const container = victim.spec.containers[0]?.name ?? '';
    const request = memoryRequestBytes(victim);
    const message = `The node was low on resource: memory. Threshold quantity: ${MEMORY_THRESHOLD}, available: ${Math.floor(available / 1024)}Ki. Container ${container} was using ${kiText(usage)}, request is ${request ? kiText(request) : '0'}, has larger consumption of memory. `;
    const evicted = clone(victim);
    const status = (evicted.status ??= {});
    status.phase = 'Failed';
    status.reason = 'Evicted';
    status.message = message;
    for (const c of status.containerStatuses ?? []) c.ready = false;
    for (const c of status.conditions ?? []) if (c.type === 'Ready' || c.type === 'ContainersReady') c.status = 'False';
    actions.push(event(node, 'Warning', 'EvictionThresholdMet', 'Attempting to reclaim memory', SOURCE, node.metadata.name));
    actions.push(update(evicted));
    actions.push(event(victim, 'Warning', 'Evicted', message.trim(), SOURCE, node.metadata.name));
  } else if (condition?.status === 'True') {
    const clearAt = fromRFC3339(condition.lastTransitionTime) + PRESSURE_TRANSITION_MS;
    if (ctx.now >= clearAt) actions.push(setPressure(node, false, ctx.now));
    else actions.push(requeueAt(clearAt));
  }
  return actions;
}

/**
 * Memory the running pods on each node use. It depends on the pods only (never on the time), so
 * a node's sum is made from its pods the first time the node is checked and then moved by each
 * pod written since the last look (the store's write log); a pod's deletion drops its node's sum,
 * made again when the node is next checked. A node that is never checked is never summed (a
 * command on a settled cluster sums the nodes whose pods it changed), and a write of a pod on a
 * node not summed costs only the read of its node name. (Before, a first look summed nodes one
 * by one until half the pods were summed, then summed every pod again, and a deletion summed
 * every pod again: 150k pods twice per 150k-pod advance.)
 */
interface NodeSums {
  /** the memory used by the pods of each node summed (absent: not summed, or a pod on it deleted since) */
  used: Map<string, number>;
  /** where each pod's slot keeps what it was counted as (its scratch index) */
  index: number;
  /** how far into the store's write and drop logs the sums are */
  writes: number;
  drops: number;
}
/**
 * What a pod's slot was counted as (kept in the slot's scratch array): for every node summed,
 * each pod on it has one with that node, and the node's sum is their bytes'. One naming a node
 * not summed means nothing (the node's sum, when made, writes its pods' afresh).
 */
interface Counted {
  sums: NodeSums;
  node: string;
  bytes: number;
  /** the slot's write count when counted: a pod written twice in a pass is in the log twice, its slot holding the last */
  writes: number;
}
const sumsByStore = new WeakMap<ReadonlyObjectStore, NodeSums>();

function nodeMemoryUsed(store: ReadonlyObjectStore, nodeName: string, now: number): number {
  let sums = sumsByStore.get(store);
  if (!sums) {
    sums = { used: new Map(), index: store.newScratchIndex('Pod'), writes: store.writeLog.length, drops: store.dropCount };
    sumsByStore.set(store, sums);
  }
  const log = store.writeLog;
  for (; sums.writes < log.length; sums.writes++) {
    const slot = log[sums.writes];
    if (!slot.removed) countWrite(sums, slot, now);
  }
  for (; sums.drops < store.dropCount; sums.drops++) {
    const gone = store.dropLog[sums.drops];
    if (gone.kind === 'Pod') sums.used.delete((gone.obj as PodLike).spec?.nodeName ?? '');
  }
  let used = sums.used.get(nodeName);
  if (used === undefined) sums.used.set(nodeName, (used = sumNode(store, sums, nodeName, now)));
  return used;
}

/** A node's sum from its pods (rows unparsed: their facts), each pod's count kept. */
function sumNode(store: ReadonlyObjectStore, sums: NodeSums, node: string, now: number): number {
  let used = 0;
  for (const slot of store.podSlotsOnNode(node)) {
    const bytes = slotMemoryUsed(store, slot, now);
    used += bytes;
    const counted = slot.scratch?.[sums.index] as Counted | undefined;
    if (counted) {
      counted.sums = sums;
      counted.node = node;
      counted.bytes = bytes;
      counted.writes = slot.writes;
    } else scratchOf(slot)[sums.index] = { sums, node, bytes, writes: slot.writes } satisfies Counted;
  }
  return used;
}

/** A written slot (its object in memory): moves the sums of its node, and of the node it was counted on, when summed. */
function countWrite(sums: NodeSums, slot: Slot, now: number): void {
  const pod = slot.obj as PodLike;
  if (pod.kind !== 'Pod') return;
  let counted = slot.scratch?.[sums.index] as Counted | undefined;
  if (counted !== undefined && counted.sums !== sums) counted = undefined;
  if (counted !== undefined && counted.writes === slot.writes) return;
  const node = pod.spec?.nodeName ?? '';
  const was = counted !== undefined && counted.bytes !== 0 ? sums.used.get(counted.node) : undefined;
  if (was !== undefined) sums.used.set(counted!.node, was - counted!.bytes);
  const sum = sums.used.get(node);
  const bytes = sum === undefined ? 0 : podMemoryUsed(pod, now);
  if (sum !== undefined && bytes !== 0) sums.used.set(node, sum + bytes);
  if (counted !== undefined) {
    counted.node = node;
    counted.bytes = bytes;
    counted.writes = slot.writes;
  } else if (sum !== undefined) scratchOf(slot)[sums.index] = { sums, node, bytes, writes: slot.writes } satisfies Counted;
}

/**
 * The memory of a pod on a node's list: from its row's facts while it is not written since load
 * (its row stays unparsed), kept per facts as podMemoryUsed keeps it per object.
 */
const usedByFacts = new WeakMap<PodFacts, number>();
function slotMemoryUsed(store: ReadonlyObjectStore, slot: Slot, now: number): number {
  const facts = rowFacts(slot, store);
  if (!facts) return podMemoryUsed(slot.obj as PodLike, now);
  let used = usedByFacts.get(facts);
  if (used === undefined) usedByFacts.set(facts, (used = factsMemoryUsed(slot, facts, now)));
  return used;
}

/**
 * podMemoryUsed of the pod as far as its memory use reads it (usage.ts: phase, deletion,
 * annotations, the running containers, then the spec's containers), made from the row's columns:
 * the same functions count a row and an object. The spec only when the quick answer needs it.
 */
function factsMemoryUsed(slot: Slot, facts: PodFacts, now: number): number {
  const pod: PodLike = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: slot.name,
      namespace: slot.namespace,
      ...(facts.annotations ? { annotations: facts.annotations } : {}),
      ...(slot.rowTerminating ? { deletionTimestamp: 'set' } : {}),
    },
    status: {
      ...(facts.phase !== undefined ? { phase: facts.phase } : {}),
      containerStatuses: facts.containers.map((c) => ({
        name: c.name,
        image: c.image ?? '',
        imageID: '',
        ready: false,
        restartCount: c.restartCount,
        state: c.running ? { running: {} } : {},
      })),
    },
  } as PodLike;
  const quick = quickPodMemoryBytes(pod);
  if (quick !== undefined) return quick;
  pod.spec = specFromTemplate(slot.podClass!.template, slot.rowNode || undefined) as unknown as PodLike['spec'];
  return podUsageTotal(pod, now).memoryBytes;
}

/**
 * One pod's memory: most pods' needs no lookup; the others' is kept per pod object, so when one
 * pod on a node changes the others are not summed again.
 */
const usedByPod = new WeakMap<PodLike, number>();
function podMemoryUsed(pod: PodLike, now: number): number {
  const quick = quickPodMemoryBytes(pod);
  if (quick !== undefined) return quick;
  let used = usedByPod.get(pod);
  if (used === undefined) usedByPod.set(pod, (used = podUsageTotal(pod, now).memoryBytes));
  return used;
}

/** per node object: the quantity is parsed once, not every pass */
const allocatableOf = new HiddenField<number>('allocatable memory bytes');
function allocatableMemory(node: Node): number {
  let bytes = allocatableOf.get(node);
  if (bytes === undefined) allocatableOf.set(node, (bytes = intValue(node.status?.allocatable?.memory)));
  return bytes;
}

function setPressure(node: Node, on: boolean, now: number): Action {
  const next = clone(node);
  for (const c of next.status?.conditions ?? []) {
    if (c.type !== 'MemoryPressure') continue;
    c.status = on ? 'True' : 'False';
    c.reason = on ? 'KubeletHasInsufficientMemory' : 'KubeletHasSufficientMemory';
    c.message = on ? 'kubelet has insufficient memory available' : 'kubelet has sufficient memory available';
    c.lastTransitionTime = toRFC3339(now);
    c.lastHeartbeatTime = toRFC3339(now);
  }
  return update(next);
}
