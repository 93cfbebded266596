import type { Node } from '../model/kinds';
import { cpuMilli, quantityValue, type HostPort, type PodInfo } from './pod-info';
import { parseTaints, type Taint } from './taints';
import { countedName, type CountedName } from '../api/scheduling-annotations';

/** framework.ImageStateSummary: an image's size and on how many nodes it is. */
export interface ImageState {
  size: number;
  numNodes: number;
}

/** The parts of a Node the scheduler reads, computed once per node object. */
interface NodeStatic {
  labels: Record<string, string>;
  unschedulable: boolean;
  taints: Taint[];
  allocMilliCpu: number;
  allocMemory: number;
  allocEphemeralStorage: number;
  allowedPodNumber: number;
  allocScalar: Map<string, number> | undefined;
  images: { names: string[]; size: number }[];
}

const staticCache = new WeakMap<Node, NodeStatic>();

/** What NodeStatic reads of a Node's status. */
type StatusParts = Pick<
  NodeStatic,
  'allocMilliCpu' | 'allocMemory' | 'allocEphemeralStorage' | 'allowedPodNumber' | 'allocScalar' | 'images'
>;

/**
 * per status object: Nodes that share theirs (the scheduler's saved stubs share equal ones,
 * node-stubs.ts) read it once (its parts are read, never changed)
 */
const statusCache = new WeakMap<object, StatusParts>();

function statusParts(status: Node['status']): StatusParts {
  const cached = typeof status === 'object' && status !== null;
  let parts = cached ? statusCache.get(status) : undefined;
  if (parts) return parts;
  const alloc: Record<string, string | number> = status?.allocatable ?? status?.capacity ?? {};
  let allocScalar: Map<string, number> | undefined;
  for (const name of Object.keys(alloc)) {
    if (name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || name === 'pods') continue;
    (allocScalar ??= new Map()).set(name, quantityValue(alloc[name]));
  }
  const images = (Array.isArray(status?.images) ? status.images : []).map((i) => ({
    names: Array.isArray(i?.names) ? i.names.map(String) : [],
    size: Number(i?.sizeBytes ?? 0),
  }));
  parts = {
    allocMilliCpu: cpuMilli(alloc.cpu),
    allocMemory: quantityValue(alloc.memory),
    allocEphemeralStorage: quantityValue(alloc['ephemeral-storage']),
    allowedPodNumber: quantityValue(alloc.pods),
    allocScalar,
    images,
  };
  if (cached) statusCache.set(status, parts);
  return parts;
}

function nodeStatic(node: Node): NodeStatic {
  let s = staticCache.get(node);
  if (s) return s;
  s = {
    labels: node.metadata.labels ?? {},
    unschedulable: !!node.spec?.unschedulable,
    taints: parseTaints(node.spec?.taints),
    ...statusParts(node.status),
  };
  staticCache.set(node, s);
  return s;
}

/**
 * The numbers NodeResourcesFit and BalancedAllocation read of every node of a snapshot, one
 * typed array per field indexed by NodeInfo.index, kept by the snapshot's own NodeInfos as pods
 * are added and removed (a clone, which preemption changes, writes none). The node search and
 * the scorers' loops over hundreds of nodes per pod read these numbers instead of following a
 * pointer to each node's object (at 5,000 nodes, 75 M node visits for 150,000 pods).
 */
export class NodeColumns {
  readonly allocMilliCpu: Float64Array;
  readonly allocMemory: Float64Array;
  readonly allocEphemeralStorage: Float64Array;
  readonly allowedPodNumber: Float64Array;
  readonly reqMilliCpu: Float64Array;
  readonly reqMemory: Float64Array;
  readonly reqEphemeralStorage: Float64Array;
  readonly nonZeroMilliCpu: Float64Array;
  readonly nonZeroMemory: Float64Array;
  /** pods.length */
  readonly podCount: Float64Array;
  /** bumped whenever the node's numbers change (from 1: a stamp 0 is never current; see prioritizeAndSelect's nodeLocalTotals) */
  readonly generation: Uint32Array;
  /** the nodes whose generation was bumped, in order: bump number b at changed[b % CHANGES_KEPT] (the last CHANGES_KEPT kept) */
  readonly changed = new Int32Array(CHANGES_KEPT);
  /** generation bumps so far */
  changes = 0;
  private readonly memos: { owner: string; a: number; b: number; memo: NodeScoreMemo }[] = [];
  /**
   * What lets the node search pass a pod's whole range at once (everyNodeFits): the nodes that
   * have no room for one more pod, counted exactly, and a lower bound of every node's free
   * milli-CPU, memory and ephemeral storage (lowered as nodes fill). Known from the first ask
   * on; a node that frees room (a pod taken out) leaves the bound low until the next miss scans
   * again. Without these the search checked 500 nodes per pod at 5,000 nodes (75 M checks for
   * 150,000 pods) to find every one fit.
   */
  private roomKnown = false;
  private roomFreed = false;
  private noPodRoom = 0;
  private leastFreeMilliCpu = 0;
  private leastFreeMemory = 0;
  private leastFreeEphemeralStorage = 0;

  constructor(size: number) {
    this.generation = new Uint32Array(size).fill(1);
    this.allocMilliCpu = new Float64Array(size);
    this.allocMemory = new Float64Array(size);
    this.allocEphemeralStorage = new Float64Array(size);
    this.allowedPodNumber = new Float64Array(size);
    this.reqMilliCpu = new Float64Array(size);
    this.reqMemory = new Float64Array(size);
    this.reqEphemeralStorage = new Float64Array(size);
    this.nonZeroMilliCpu = new Float64Array(size);
    this.nonZeroMemory = new Float64Array(size);
    this.podCount = new Float64Array(size);
  }

  /**
   * Whether NodeResourcesFit's column check (the node search's, scheduler.ts `search`) passes
   * every node for these requests: room for one more pod on each, and the requests within the
   * least free of each resource (a request of 0 or less fits anywhere, as in the check).
   */
  everyNodeFits(milliCpu: number, memory: number, ephemeralStorage: number): boolean {
    if (!this.roomKnown || (this.roomFreed && !this.fitsRoom(milliCpu, memory, ephemeralStorage))) this.findRoom();
    return this.fitsRoom(milliCpu, memory, ephemeralStorage);
  }

  private fitsRoom(milliCpu: number, memory: number, ephemeralStorage: number): boolean {
    // (NaN anywhere fails these: the node search then checks node by node, as before)
    return (
      this.noPodRoom === 0 &&
      (milliCpu <= 0 || milliCpu <= this.leastFreeMilliCpu) &&
      (memory <= 0 || memory <= this.leastFreeMemory) &&
      (ephemeralStorage <= 0 || ephemeralStorage <= this.leastFreeEphemeralStorage)
    );
  }

  private findRoom(): void {
    let noPodRoom = 0;
    let cpu = Infinity;
    let memory = Infinity;
    let ephemeral = Infinity;
    for (let i = 0; i < this.generation.length; i++) {
      if (!(this.podCount[i] + 1 <= this.allowedPodNumber[i])) noPodRoom++;
      cpu = Math.min(cpu, this.allocMilliCpu[i] - this.reqMilliCpu[i]);
      memory = Math.min(memory, this.allocMemory[i] - this.reqMemory[i]);
      ephemeral = Math.min(ephemeral, this.allocEphemeralStorage[i] - this.reqEphemeralStorage[i]);
    }
    this.noPodRoom = noPodRoom;
    this.leastFreeMilliCpu = cpu;
    this.leastFreeMemory = memory;
    this.leastFreeEphemeralStorage = ephemeral;
    this.roomKnown = true;
    this.roomFreed = false;
  }

  /** A node's allocatable written: the room is found again at the next ask. */
  allocatableWritten(): void {
    this.roomKnown = false;
  }

  /** Node i's requests and pod count are to become these (NodeInfo.writeColumns): the room kept follows. */
  requestsWritten(i: number, milliCpu: number, memory: number, ephemeralStorage: number, podCount: number): void {
    if (!this.roomKnown) return;
    const allowed = this.allowedPodNumber[i];
    const before = this.podCount[i];
    this.noPodRoom += (podCount + 1 <= allowed ? 0 : 1) - (before + 1 <= allowed ? 0 : 1);
    if (milliCpu < this.reqMilliCpu[i] || memory < this.reqMemory[i] || ephemeralStorage < this.reqEphemeralStorage[i])
      this.roomFreed = true;
    this.leastFreeMilliCpu = Math.min(this.leastFreeMilliCpu, this.allocMilliCpu[i] - milliCpu);
    this.leastFreeMemory = Math.min(this.leastFreeMemory, this.allocMemory[i] - memory);
    this.leastFreeEphemeralStorage = Math.min(this.leastFreeEphemeralStorage, this.allocEphemeralStorage[i] - ephemeralStorage);
  }

  /**
   * The memo of `owner`'s per-node score for pods whose inputs to it are `a` and `b` (a
   * resource scorer's pod requests): pods of one template ask for the same memo pod after pod.
   */
  memo(owner: string, a: number, b: number): NodeScoreMemo {
    const memos = this.memos;
    for (let i = 0; i < memos.length; i++) {
      const m = memos[i];
      if (m.a === a && m.b === b && m.owner === owner) return m.memo;
    }
    // (a few request sizes are common; any number of them costs at most MEMOS_KEPT memos)
    if (memos.length >= MEMOS_KEPT) memos.shift();
    const memo = new NodeScoreMemo(this.generation.length);
    memos.push({ owner, a, b, memo });
    return memo;
  }
}

const MEMOS_KEPT = 16;
/** NodeColumns.changed's length: generation bumps a reader can catch up on (one or two a pod) */
export const CHANGES_KEPT = 1024;

/**
 * One scorer's score of each node for pods of equal requests, valid while the node's generation
 * is the stamp. Unrecorded cycles add up the kept sums of these scorers instead (prioritizeAndSelect's
 * addNodeLocalTotals) and ask them only for nodes changed since; a recorded cycle
 * (--record-scheduling) wants each plugin's score of every node, and reads them here.
 */
export class NodeScoreMemo {
  readonly stamp: Uint32Array;
  readonly score: Float64Array;
  /**
   * The scores again as bytes, for scorers whose scores are whole numbers 0–100 (LeastAllocated,
   * BalancedAllocation): a recorded cycle's column of them is a range of this array, which the
   * recorder encodes as it is (see PodScorer.byNode)
   */
  readonly bytes: Uint8Array;

  constructor(size: number) {
    this.stamp = new Uint32Array(size);
    this.score = new Float64Array(size);
    this.bytes = new Uint8Array(size);
  }

  /**
   * The score of each of the nodes at `index` into `out`: the kept one where the node has not
   * changed since (its generation in `columns`), else `compute(node index)`, kept. A node changes
   * once or twice per pod, so `compute` is asked of few of the hundreds of nodes visited.
   */
  scoreAll(
    columns: NodeColumns,
    count: number,
    index: ArrayLike<number>,
    out: number[] | Float64Array,
    compute: (n: number) => number,
  ): void {
    const generation = columns.generation;
    const stamp = this.stamp;
    const score = this.score;
    for (let i = 0; i < count; i++) {
      const n = index[i];
      const g = generation[n];
      if (stamp[n] === g) {
        out[i] = score[n];
        continue;
      }
      out[i] = score[n] = this.bytes[n] = compute(n);
      stamp[n] = g;
    }
  }
}

/**
 * framework.NodeInfo: a node with the aggregate of the pods on it (including pods the
 * scheduler has assumed in this pass). Plugins read only this and their cycle state, so a
 * clone can stand for "the node without these victims" during preemption dry runs.
 */
export class NodeInfo {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly unschedulable: boolean;
  readonly taints: Taint[];
  readonly allocMilliCpu: number;
  readonly allocMemory: number;
  readonly allocEphemeralStorage: number;
  readonly allowedPodNumber: number;
  readonly allocScalar: Map<string, number> | undefined;
  /** (nodeStatic's: a snapshot reads them twice per node, and a WeakMap lookup was ~1 µs each) */
  private readonly imageList: { names: string[]; size: number }[];

  reqMilliCpu = 0;
  reqMemory = 0;
  reqEphemeralStorage = 0;
  reqScalar: Map<string, number> | undefined = undefined;
  nonZeroMilliCpu = 0;
  nonZeroMemory = 0;
  private podList: PodInfo[] = [];
  /** pods.length, known while the list is not made (see makePods) */
  podCount = 0;
  /**
   * Set by a snapshot that makes the node's pod list when it is first read (Snapshot.ofStore: the
   * pods of a settled cluster are counted into the node's sums, not made one by one)
   */
  makePods: ((node: NodeInfo) => void) | undefined = undefined;
  usedPorts: HostPort[] = [];
  /** image name → state, from node.status.images */
  imageStates: Map<string, ImageState> | undefined = undefined;
  /** pending pods that preemption nominated to this node (status.nominatedNodeName) */
  nominatedPods: PodInfo[] = [];
  /** the name as prefix and counter, parsed once for scheduling records (undefined: not yet) */
  private countedNameMemo: CountedName | undefined = undefined;

  constructor(
    readonly node: Node,
    /** position in the snapshot's node list; topology arrays are indexed by it */
    readonly index: number,
    /** the snapshot's columns this node's numbers are kept in (none for a clone or a node outside a snapshot) */
    private readonly columns?: NodeColumns,
  ) {
    const s = nodeStatic(node);
    this.name = node.metadata.name;
    this.labels = s.labels;
    this.unschedulable = s.unschedulable;
    this.taints = s.taints;
    this.allocMilliCpu = s.allocMilliCpu;
    this.allocMemory = s.allocMemory;
    this.allocEphemeralStorage = s.allocEphemeralStorage;
    this.allowedPodNumber = s.allowedPodNumber;
    this.allocScalar = s.allocScalar;
    this.imageList = s.images;
    if (columns) {
      columns.allocMilliCpu[index] = this.allocMilliCpu;
      columns.allocMemory[index] = this.allocMemory;
      columns.allocEphemeralStorage[index] = this.allocEphemeralStorage;
      columns.allowedPodNumber[index] = this.allowedPodNumber;
      columns.allocatableWritten();
    }
  }

  get countedName(): CountedName {
    if (this.countedNameMemo === undefined) this.countedNameMemo = countedName(this.name);
    return this.countedNameMemo;
  }

  /** node.status.images, for the snapshot to count image spread across nodes */
  images(): { names: string[]; size: number }[] {
    return this.imageList;
  }

  /** The pods on the node, in the order they were added (made now if the snapshot left that for later). */
  get pods(): PodInfo[] {
    if (this.makePods) this.makePods(this);
    return this.podList;
  }

  set pods(list: PodInfo[]) {
    this.podList = list;
    this.podCount = list.length;
  }

  addPod(p: PodInfo): void {
    this.pods.push(p);
    this.addShare(p, 1);
  }

  removePod(p: PodInfo): boolean {
    const i = this.pods.indexOf(p);
    if (i < 0) return false;
    this.pods.splice(i, 1);
    this.removeShare(p);
    return true;
  }

  /** The pod's requests, count and host ports added to the node's, without its place in the list (a snapshot's node whose list is not made). */
  addShare(p: PodInfo, times: number): void {
    this.podCount += times;
    this.update(p, times);
    for (let i = 0; i < times; i++) for (const port of p.hostPorts) this.usedPorts.push(port);
  }

  /** The pod's share taken out of the node's (see addShare). */
  removeShare(p: PodInfo): void {
    this.podCount--;
    this.update(p, -1);
    for (const port of p.hostPorts) {
      const j = this.usedPorts.findIndex((u) => u.ip === port.ip && u.protocol === port.protocol && u.port === port.port);
      if (j >= 0) this.usedPorts.splice(j, 1);
    }
  }

  private update(p: PodInfo, sign: number): void {
    const r = p.requests;
    this.reqMilliCpu += sign * r.milliCpu;
    this.reqMemory += sign * r.memory;
    this.reqEphemeralStorage += sign * r.ephemeralStorage;
    if (r.scalar) {
      const m = (this.reqScalar ??= new Map());
      for (const [k, v] of r.scalar) m.set(k, (m.get(k) ?? 0) + sign * v);
    }
    this.nonZeroMilliCpu += sign * p.nonZeroMilliCpu;
    this.nonZeroMemory += sign * p.nonZeroMemory;
    this.writeColumns();
  }

  /**
   * The shares of `pods` pods without host ports or extended resources at once, their requests
   * summed by the caller (Snapshot.addRowPods: a node's row pods, the columns written once).
   */
  addPlainShares(
    pods: number,
    milliCpu: number,
    memory: number,
    ephemeralStorage: number,
    nonZeroMilliCpu: number,
    nonZeroMemory: number,
  ): void {
    this.podCount += pods;
    this.reqMilliCpu += milliCpu;
    this.reqMemory += memory;
    this.reqEphemeralStorage += ephemeralStorage;
    this.nonZeroMilliCpu += nonZeroMilliCpu;
    this.nonZeroMemory += nonZeroMemory;
    this.writeColumns();
  }

  private writeColumns(): void {
    const c = this.columns;
    if (c) {
      const i = this.index;
      c.requestsWritten(i, this.reqMilliCpu, this.reqMemory, this.reqEphemeralStorage, this.podCount);
      c.reqMilliCpu[i] = this.reqMilliCpu;
      c.reqMemory[i] = this.reqMemory;
      c.reqEphemeralStorage[i] = this.reqEphemeralStorage;
      c.nonZeroMilliCpu[i] = this.nonZeroMilliCpu;
      c.nonZeroMemory[i] = this.nonZeroMemory;
      c.podCount[i] = this.podCount;
      c.generation[i]++;
      c.changed[c.changes++ % CHANGES_KEPT] = i;
    }
  }

  /** NodeInfo.Snapshot(): an independent copy that preemption can remove victims from. */
  clone(): NodeInfo {
    const c = new NodeInfo(this.node, this.index);
    c.reqMilliCpu = this.reqMilliCpu;
    c.reqMemory = this.reqMemory;
    c.reqEphemeralStorage = this.reqEphemeralStorage;
    c.reqScalar = this.reqScalar ? new Map(this.reqScalar) : undefined;
    c.nonZeroMilliCpu = this.nonZeroMilliCpu;
    c.nonZeroMemory = this.nonZeroMemory;
    c.pods = this.pods.slice();
    c.usedPorts = this.usedPorts.slice();
    c.imageStates = this.imageStates;
    c.nominatedPods = this.nominatedPods;
    return c;
  }
}
