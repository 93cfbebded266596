import { event, quiet, requeueAt, update, type Action } from '../reconcile/actions';
import type { Controller, ReconcileContext } from '../reconcile/controller';
import { clone } from '../model/objects';
import type { Node, PodLike } from '../model/kinds';
import { intValue } from '../api/quantity';
import { fromRFC3339, toRFC3339 } from '../util/duration';
import { formatBytes } from '../api/quantity';
import { podUsageTotal, memoryRequestBytes, quickPodMemoryBytes } from './usage';
import { KUBELET_STOPPED } from '../api/kinds/node';
import { scratchOf, specFromTemplate, type ObjectStore, type ReadonlyObjectStore, type Slot } from '../store/object-store';
import { parsePodFacts, rowFacts, type PodFacts } from '../store/pod-facts';
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
  dependentsVersion: (store, node) => store.podsOnNodeVersion(node.name),
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
 * pod written or deleted since the last look (the store's write and drop logs). A node that is
 * never checked is never summed (a command on a settled cluster sums the nodes whose pods it
 * changed), and a write of a pod on a node not summed costs only the read of its node name.
 * The sums are saved with the cluster (`nodeMemoryToSave`) and taken up by the next command when
 * the file's pods are still those the save left: then a node's first check moves its saved sum by
 * the pods written since load, each counted as its row was at load, instead of reading the facts
 * of every pod on it (~30 rows a node, ~2,000 nodes in a 1,000-replica rollout). (Before, a first
 * look summed nodes one by one until half the pods were summed, then summed every pod again, and
 * a deletion summed every pod again: 150k pods twice per 150k-pod advance.)
 */
interface NodeSums {
  /** the memory used by the pods of each node summed (absent: not summed, or a pod on it whose count is unknown deleted since) */
  used: Map<string, number>;
  /** where each pod's slot keeps what it was counted as (its scratch index) */
  index: number;
  /** how far into the store's write and drop logs the sums are */
  writes: number;
  drops: number;
  /**
   * whether the sums began as the file's: a pod loaded from its row and not counted since is
   * then counted as its row was at load (see loadedCount)
   */
  fromFile: boolean;
  /** what the last save of this store wrote */
  saved?: string;
}
/**
 * What a pod's slot was counted as (kept in the slot's scratch array): for every node summed,
 * each pod on it has one with that node (or, for sums from the file, is a loaded pod counted as
 * loaded), and the node's sum is their bytes'. One naming a node not summed means nothing (the
 * node's sum, when made, writes its pods' afresh).
 */
interface Counted {
  sums: NodeSums;
  node: string;
  bytes: number;
  /** the slot's write count when counted: a pod written twice in a pass is in the log twice, its slot holding the last */
  writes: number;
}
const sumsByStore = new WeakMap<ReadonlyObjectStore, NodeSums>();
/** where a store's saved sums are read from (Session: the state file's meta), read at the first check */
const savedByStore = new WeakMap<ReadonlyObjectStore, () => string | undefined>();

/** The sums as saved: the file's pods they hold for (ObjectStore.dependentsAsLoaded('Pod')), then each node's, by name. */
interface SavedNodeMemory {
  pods: string;
  nodes: [string, number][];
}

/** stores whose saved sums do not hold for their pods (known once a loaded pod was first written) */
const noSavedSums = new WeakSet<ReadonlyObjectStore>();

/**
 * Tells the eviction manager where the sums the last save left are (read only if a node is
 * checked or a loaded pod written), and has the store tell it of each loaded object's first write.
 */
export function nodeMemorySaved(store: ObjectStore, read: () => string | undefined): void {
  savedByStore.set(store, read);
  noSavedSums.delete(store);
  store.loadedListeners.set('eviction-manager', (slot, loaded) => {
    if (loaded.kind === 'Pod') countLoaded(store, slot, loaded as PodLike);
  });
}

/**
 * A loaded pod about to be written the first time: for sums from the file, its count as loaded is
 * taken from the object as loaded (what loadedCount would read back from the row's facts when the
 * eviction manager next catches up: a SQL read and parse a pod, 150k in a 150k-pod advance).
 */
function countLoaded(store: ReadonlyObjectStore, slot: Slot, loaded: PodLike): void {
  let sums = sumsByStore.get(store);
  if (sums === undefined) {
    // (sums from the file begin at the logs' start whenever made; others are made at a first check)
    if (noSavedSums.has(store)) return;
    if (!savedSums(store)) {
      noSavedSums.add(store);
      return;
    }
    sums = nodeSums(store);
  }
  if (!sums.fromFile) return;
  const counted = slot.scratch?.[sums.index] as Counted | undefined;
  if (counted !== undefined && counted.sums === sums) return;
  // (memory use does not move with time: podUsageTotal reads now only for traffic CPU, with a store)
  const bytes = podMemoryUsed(loaded, 0);
  const node = bytes === 0 ? '' : (loaded.spec?.nodeName ?? '');
  scratchOf(slot)[sums.index] = { sums, node, bytes, writes: 0 } satisfies Counted;
}

/**
 * The sums to save with the cluster (JSON), brought up to the store's writes; undefined when this
 * command summed nothing (a saved text stays: it holds only while the file's pods are its pods).
 */
export function nodeMemoryToSave(store: ReadonlyObjectStore, now: number): string | undefined {
  const sums = sumsByStore.get(store);
  if (!sums) return undefined;
  catchUp(store, sums, now);
  const nodes = [...sums.used].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const text = JSON.stringify({ pods: store.dependentsNow('Pod'), nodes } satisfies SavedNodeMemory);
  // (kubesim serve saves after each request: the same sums are not written again)
  if (text === sums.saved) return undefined;
  return (sums.saved = text);
}

function nodeSums(store: ReadonlyObjectStore): NodeSums {
  let sums = sumsByStore.get(store);
  if (sums) return sums;
  const saved = savedSums(store);
  sums = saved
    ? { used: new Map(saved.nodes), index: store.newScratchIndex('Pod'), writes: 0, drops: 0, fromFile: true }
    : { used: new Map(), index: store.newScratchIndex('Pod'), writes: store.writeLog.length, drops: store.dropCount, fromFile: false };
  sumsByStore.set(store, sums);
  return sums;
}

/** The saved sums, if they hold for the pods as loaded (any write or deletion of a pod by another process changes what they hold for). */
function savedSums(store: ReadonlyObjectStore): SavedNodeMemory | undefined {
  const text = savedByStore.get(store)?.();
  if (!text) return undefined;
  try {
    const saved = JSON.parse(text) as SavedNodeMemory;
    return saved.pods === store.dependentsAsLoaded('Pod') && Array.isArray(saved.nodes) ? saved : undefined;
  } catch {
    return undefined; // unreadable: the nodes are summed from their pods
  }
}

function nodeMemoryUsed(store: ReadonlyObjectStore, nodeName: string, now: number): number {
  const sums = nodeSums(store);
  catchUp(store, sums, now);
  let used = sums.used.get(nodeName);
  if (used === undefined) sums.used.set(nodeName, (used = sumNode(store, sums, nodeName, now)));
  return used;
}

/** Moves the sums by the pods written and deleted since the last look. */
function catchUp(store: ReadonlyObjectStore, sums: NodeSums, now: number): void {
  const log = store.writeLog;
  for (; sums.writes < log.length; sums.writes++) {
    const slot = log[sums.writes];
    if (!slot.removed) countWrite(store, sums, slot, now);
  }
  for (; sums.drops < store.dropCount; sums.drops++) {
    const gone = store.dropLog[sums.drops];
    if (gone.kind !== 'Pod') continue;
    const counted = countedOf(store, sums, gone.slot, now);
    if (counted === undefined) sums.used.delete((gone.obj as PodLike).spec?.nodeName ?? '');
    else if (counted.bytes !== 0) {
      const was = sums.used.get(counted.node);
      if (was !== undefined) sums.used.set(counted.node, was - counted.bytes);
    }
  }
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

/**
 * What a slot is counted as in these sums: its own count, or for sums from the file a loaded
 * pod's count as its row was at load (its node's saved sum holds it); undefined when not
 * counted or when that cannot be read.
 */
function countedOf(store: ReadonlyObjectStore, sums: NodeSums, slot: Slot, now: number): Counted | undefined {
  const counted = slot.scratch?.[sums.index] as Counted | undefined;
  if (counted !== undefined && counted.sums === sums) return counted;
  return sums.fromFile ? loadedCount(store, sums, slot, now) : undefined;
}

/**
 * A loaded pod as the saved sums counted it: its memory as its row was at load (written since, that
 * row's facts), on its node (spec.nodeName never changes once set; a pod that used memory at load
 * was bound). Kept as the slot's count. Undefined when the slot was not loaded from a row with a
 * scheduling class, or its row cannot be read (the caller then drops the node's sum).
 */
function loadedCount(store: ReadonlyObjectStore, sums: NodeSums, slot: Slot, now: number): Counted | undefined {
  if (!slot.loadedVersion) return undefined;
  let bytes: number | undefined;
  if (slot.resourceVersion === slot.loadedVersion) bytes = slotMemoryUsed(store, slot, now);
  else if (slot.rowUid !== '') {
    // (loaded with a scheduling class: rowTerminating is the row's deletion)
    const text = store.loadedRowFactsText(slot);
    const facts = text === undefined ? undefined : parsePodFacts(text);
    if (facts) {
      const pod = factsPod(slot, facts);
      bytes = quickPodMemoryBytes(pod);
      if (bytes === undefined) {
        // the containers as the spec names them: a write does not change a pod's list of containers
        pod.spec = (slot.obj as PodLike).spec;
        bytes = podUsageTotal(pod, now).memoryBytes;
      }
    }
  }
  if (bytes === undefined) return undefined;
  const node = bytes === 0 ? '' : ((slot.obj as PodLike).spec?.nodeName ?? '');
  const counted: Counted = { sums, node, bytes, writes: 0 };
  scratchOf(slot)[sums.index] = counted;
  return counted;
}

/** A written slot (its object in memory): moves the sums of its node, and of the node it was counted on, when summed. */
function countWrite(store: ReadonlyObjectStore, sums: NodeSums, slot: Slot, now: number): void {
  const pod = slot.obj as PodLike;
  if (pod.kind !== 'Pod') return;
  let counted = slot.scratch?.[sums.index] as Counted | undefined;
  if (counted !== undefined && counted.sums !== sums) counted = undefined;
  if (counted === undefined && sums.fromFile && slot.loadedVersion) {
    counted = loadedCount(store, sums, slot, now);
    // a loaded pod whose count at load is unknown: its node's saved sum cannot be moved
    if (counted === undefined) sums.used.delete(pod.spec?.nodeName ?? '');
  }
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

/** The pod as far as its memory use reads it (usage.ts: phase, deletion, annotations, the running containers), made from the row's columns. */
function factsPod(slot: Slot, facts: PodFacts): PodLike {
  return {
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
}

/**
 * podMemoryUsed of the pod made from the row's columns (factsPod): the same functions count a row
 * and an object. The spec only when the quick answer needs it.
 */
function factsMemoryUsed(slot: Slot, facts: PodFacts, now: number): number {
  const pod = factsPod(slot, facts);
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
