import { isJsonObject, type KObject, type ObjectRef, type StoredEvent, type EventRecord } from '../model/objects';
import { isKind, type ObjectOf, type Pod } from '../model/kinds';
import type { PodSpec } from '../model/k8s';
import { Interner, sameJson } from './intern';
import { HiddenField } from '../util/memo';
import { byNamespaceName, type ObjectReader } from '../model/object-reader';
import type { PodFacts } from './pod-facts';
import { LoadedPods, type LoadedKeys } from './loaded-pods';
import { recordName, recordUid } from './pod-index';
export { sameJson } from './intern';

export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

/** ObjectStore.remember keys not of an object but of the cluster (a controller's configuration). */
export const CLUSTER_MEMORY_PREFIX = '@';
/**
 * One deletion, at the resourceVersion it took: as in etcd, a delete is a revision of its own,
 * and the DELETED event a watch gets carries the object's last state at that resourceVersion.
 */
export interface Removal {
  kind: string;
  namespace: string;
  name: string;
  /** the object as it was when it went (its resourceVersion is still the last write's) */
  obj: KObject;
  rv: number;
  /** its slot (removed; its scratch entries still say what readers counted it as) */
  slot: Slot;
}

/**
 * What the state file knows of a row without parsing it (its key columns and the `node` and
 * `owners` columns pods have): enough to index the object. The object itself is parsed from the
 * row text the first time something reads it (`Slot.obj`).
 */
export interface RowHeader {
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  resourceVersion: number;
  /** spec.nodeName ('' when unbound) */
  nodeName: string;
  /** metadata.ownerReferences' uids, and whether one of them is the controller */
  ownerUids: readonly string[];
  controlled: boolean;
  /** metadata.deletionTimestamp is set */
  terminating: boolean;
  /** a pod's scheduling class (schema 6 `sched` column); undefined: not known without the object */
  podClass?: PodRowClass;
  /** read from the pod index: the node names table and the pod's node's number in it (LoadedPods) */
  nodeTable?: readonly string[];
  nodeId?: number;
  /** read from the pod index: its chunk and the record's offset there, which hold `name` and `uid` (not set) */
  keys?: Buffer;
  keyAt?: number;
}

/**
 * What the scheduler reads of a pod besides its name, uid, node and deletion (schema 6 `sched`
 * column): its spec's template, its labels and whether it ended (phase Succeeded or Failed).
 * Pods of one ReplicaSet in one phase share one (the state file makes one per distinct column
 * text), so the scheduler works out their requests, ports and terms once for all of them.
 */
export interface PodRowClass {
  template: SpecTemplate;
  labels: Record<string, string> | undefined;
  terminal: boolean;
}

/**
 * Turns a stored row into its object (StateFile.load: shared parts and the spec template filled
 * in). The load does not keep a pod row's text: the reader reads it by row id when the pod is
 * first read, inside the command's transaction (or, in kubesim serve, a request's: the store is
 * loaded again when another process wrote the file), so the row is the one the load indexed.
 */
export type RowReader = (rowid: number) => { obj: KObject; template?: SpecTemplate };

/**
 * One object's place in the store. Indexes hold slots, not objects, so replacing an object
 * (the common write: a status change) swaps `obj` and touches an index only when the field
 * it keys on (node, owners, uid) changed.
 *
 * A slot loaded from a row it was not asked to parse yet (a pod of a write command: `label pod`
 * on 150k pods reads one) holds how to read the row (its text is read by row id), and `obj`
 * parses it at its first read; until then its name, namespace and resourceVersion come from the
 * row's columns, so that sorting, indexing and the work queues' saved marks read no object.
 */
export class Slot {
  /** the object; or, until its row is parsed, what reads and parses the row (one field: 150k slots at load) */
  private current: KObject | ((slot: Slot) => KObject) | undefined;
  /** the resourceVersion of the unparsed row */
  private rowVersion = 0;
  /**
   * Bumped by every write of the object (not by parsing its row): "not written since" is this
   * number unchanged, which a reader checks without parsing the row (the work queues' marks).
   */
  writes = 0;
  /** set when the object is deleted (stale slots in cached lists are skipped) */
  removed = false;
  /** ObjectStore.saves when the slot was last added to the store's dirty set (-1: never) */
  dirtyAt = -1;
  /**
   * What readers that follow the write log keep per object (a work queue's mark, the eviction
   * manager's count), each at the index the store gave it (newScratchIndex): an array entry
   * costs less than a Map or WeakMap entry per object, or a property added to the slot.
   */
  scratch: unknown[] | undefined = undefined;
  /**
   * A pod loaded from a row with a scheduling class: the class and what the row's columns say of
   * the pod (uid, spec.nodeName, deletion), until the object is written (a parse changes nothing
   * of it). The scheduler's pass reads these instead of parsing every bound pod. (Fields of the
   * slot rather than an object of their own: one object less per pod at load.)
   */
  podClass: PodRowClass | undefined = undefined;
  /** the row's uid ('' for none, or not loaded from a row), once read from the keys */
  private uidText = '';
  /**
   * The name; or, for a pod loaded from the pod index, the chunk of its record (at `keyAt`), where
   * its name and uid are read when first asked (pod-index.ts `recordName`): most of 150k pods'
   * never are, and their 300k strings were ~10% of a load's CPU and the young collections' work.
   */
  private nameOrKeys: string | Buffer;
  private keyAt = 0;
  /** a pod row's spec.nodeName, as loaded (what the node index files it under when asked) */
  rowNode = '';
  rowTerminating = false;
  /**
   * With podClass: the row's `facts` column (pod-facts.ts, `rowFacts`): '' until first asked
   * for (it is in the file: ObjectStore.rowFactsText), then what it says (undefined:
   * unreadable, or not from a row).
   */
  facts: '' | PodFacts | undefined = undefined;
  /**
   * Its place in its kind's insertion order (a walk of slotsInInsertionOrder meets slots by
   * rising seq): a reader that keeps objects across passes orders them as a new walk would.
   */
  seq = 0;
  /** its place in the store's LoadedPods (a pod loaded from a row); -1: none */
  rowIndex = -1;

  constructor(
    /** the object's namespace ('' for cluster-scoped ones) and name, which a write never changes */
    readonly namespace: string,
    name: string,
    /** the state file's row id, when the object was loaded from one */
    public rowid: number | undefined,
  ) {
    this.nameOrKeys = name;
  }

  /** the object's name (a write never changes it) */
  get name(): string {
    const name = this.nameOrKeys;
    return typeof name === 'string' ? name : this.readKeys(name);
  }

  /** the row's uid, for any slot loaded from a row (filed in the uid index when a lookup misses); '' otherwise */
  get rowUid(): string {
    const name = this.nameOrKeys;
    if (typeof name !== 'string') this.readKeys(name);
    return this.uidText;
  }

  set rowUid(uid: string) {
    this.uidText = uid;
  }

  /** The name and uid read from the record; the name. */
  private readKeys(keys: Buffer): string {
    const name = recordName(keys, this.keyAt);
    this.uidText = recordUid(keys, this.keyAt);
    this.nameOrKeys = name;
    return name;
  }

  static of(obj: KObject, rowid: number | undefined): Slot {
    const slot = new Slot(obj.metadata.namespace ?? '', obj.metadata.name, rowid);
    slot.current = obj;
    return slot;
  }

  /** The slot of a pod loaded lazily (LoadedPods.addLazy), made when first reached: its object read from its row when first read. */
  static ofRecord(
    namespace: string,
    keys: Buffer,
    keyAt: number,
    rowid: number,
    resourceVersion: number,
    reader: (slot: Slot) => KObject,
  ): Slot {
    const slot = new Slot(namespace, '', rowid);
    slot.nameOrKeys = keys;
    slot.keyAt = keyAt;
    slot.current = reader;
    slot.rowVersion = resourceVersion;
    return slot;
  }

  /** A slot whose object is read from its row when first read. */
  static unparsed(header: RowHeader, rowid: number, reader: (slot: Slot) => KObject): Slot {
    const slot = new Slot(header.namespace, header.name, rowid);
    if (header.keys !== undefined) {
      slot.nameOrKeys = header.keys;
      slot.keyAt = header.keyAt!;
    }
    slot.current = reader;
    slot.rowVersion = header.resourceVersion;
    return slot;
  }

  get obj(): KObject {
    const current = this.current;
    return typeof current === 'function' ? this.parse(current) : current!;
  }

  set obj(obj: KObject) {
    this.current = obj;
    this.podClass = undefined;
    this.facts = undefined;
    this.writes++;
  }

  /** Whether the object has been read (or written) since load; false: it is still only its row in the file. */
  get parsed(): boolean {
    return this.current !== undefined && typeof this.current !== 'function';
  }

  /** the resourceVersion of the row it was loaded from (0: not loaded from a row), kept after writes */
  get loadedVersion(): number {
    return this.rowVersion;
  }

  /** metadata.resourceVersion as a number, without parsing the row. */
  get resourceVersion(): number {
    const current = this.current;
    return current === undefined || typeof current === 'function' ? this.rowVersion : Number(current.metadata.resourceVersion ?? 0);
  }

  private parse(reader: (slot: Slot) => KObject): KObject {
    const obj = reader(this);
    this.current = obj;
    return obj;
  }

  /** metadata.uid ('' when none), without parsing the row. */
  get uid(): string {
    const current = this.current;
    return current === undefined || typeof current === 'function' ? this.rowUid : (current.metadata.uid ?? '');
  }

  /** metadata.resourceVersion as the object has it (a string), without parsing the row. */
  get resourceVersionText(): string | undefined {
    const current = this.current;
    return current === undefined || typeof current === 'function' ? String(this.rowVersion) : current.metadata.resourceVersion;
  }
}

/**
 * A slot's scratch array, made on first use with room for four readers (an array grown from
 * empty takes 17 entries: ~25 MB over 150k slots).
 */
/** Higher than the seq of every slot made so far: a slot with a lower one existed then. */
export function slotSeqBound(): number {
  return KindIndex.seqBound();
}

export function scratchOf(slot: Slot): unknown[] {
  return (slot.scratch ??= [undefined, undefined, undefined, undefined]);
}

function newSlot(obj: KObject, rowid: number | undefined): Slot {
  return Slot.of(obj, rowid);
}

/**
 * A pod spec minus nodeName, shared by every pod stamped from the same template (150k
 * pods of 1,500 ReplicaSets hold 1,500 copies of containers, tolerations… instead of
 * 150k). The state file stores it once and pods refer to it by id.
 */
export interface SpecTemplate {
  /** JSON.stringify(base): what identifies the template */
  text: string;
  base: Record<string, unknown>;
  keys: string[];
  /** row id in the state file, once written */
  id?: number;
}

/** Where a lazily read store finds its objects (StateFile.load). */
export interface LazySource {
  kinds(): string[];
  /** reads every object of the kind into the store */
  load(kind: string): void;
  /**
   * the kind's objects (of one namespace) in list order, not kept; `nodeName`: pods, only those
   * bound to it as their rows' node column says (and any whose column is unknown)
   */
  stream(kind: string, namespace?: string, nodeName?: string): IterableIterator<{ obj: KObject; rowid?: number }>;
  /** pods (of one namespace, on one node) in list order as the table printer reads them (pod-print.ts), not kept */
  streamPrinted(namespace?: string, nodeName?: string): IterableIterator<KObject>;
  /** one streamed object read again, by its row id */
  reread(rowid: number): KObject;
  /** the object of that key, read from its row, not kept (undefined: none) */
  fetch(kind: string, namespace: string, name: string): KObject | undefined;
  /** how many objects of the kind there are, without reading them */
  count(kind: string): number;
}

/**
 * What controllers, the scheduler and the simulated kubelet see of the cache
 * (ReconcileContext.store): reads, and scratch space on slots for their own marks. None of it
 * writes: they return actions, which the engine's applier makes through the API server's
 * write path (api/server.ts), the cache's only writer besides the session's load.
 */
export interface ReadonlyObjectStore extends ObjectReader {
  getByUid(uid: string): KObject | undefined;
  count(kind: string): number;
  kinds(): string[];
  unboundPods(): IterableIterator<Pod>;
  orphanPodsIn(namespace: string): Pod[];
  orphanCandidates(): IterableIterator<KObject>;
  podsOnNodeVersion(nodeName: string): number;
  podSlotsOnNode(nodeName: string): Iterable<Slot>;
  ownedSlots(uid: string): readonly Slot[];
  rowFactsText(slot: Slot): string | undefined;
  loadedRowFactsText(slot: Slot): string | undefined;
  dependentsAsLoaded(kind: string): string;
  dependentsNow(kind: string): string;
  dependentsVersion(ownerUid: string, namespace: string): number;
  kindWrites(kind: string): number;
  /** objects loaded (not written) into the store so far: what the write log does not show */
  readonly loadCount: number;
  readonly dropCount: number;
  readonly dropLog: readonly Removal[];
  /** the last resourceVersion given out (a write or deletion since changes it) */
  readonly resourceVersion: number;
  recall<T>(controller: string, uid: string): T | undefined;
  /** the memory as it is kept (JSON text), for a caller that memoizes what it derives from it */
  recallText(controller: string, uid: string): string | undefined;
  readonly events: Pick<EventLog, 'has'>;
  sortedSlots(kind: string): readonly Slot[];
  /** A kind's slots as loaded, then as created (see ObjectStore.slotsInInsertionOrder). */
  slotsInInsertionOrder(kind: string): Iterable<Slot>;
  newScratchIndex(kind: string): number;
  readonly writeLog: readonly Slot[];
  withNodeName(spec: PodSpec, nodeName: string): PodSpec;
  /** The pods loaded as rows, brought up to the write and drop logs (see loadedRowPods). */
  loadedRowPods(): LoadedPods | undefined;
}

/**
 * The cluster's objects in memory for one command: loaded from the state file at the
 * start, written back (only what changed) in one transaction at the end. Objects are
 * treated as immutable: readers never modify them, writers store a new object.
 * Indexes kept up to date on every write: by kind, pods by node, objects by owner uid.
 */
export class ObjectStore implements ReadonlyObjectStore {
  private byKind = new Map<string, KindIndex>();
  private byUid = new Map<string, Slot>();
  /**
   * Whether rows were loaded whose uids are not in byUid yet (each row's uid is its slot's
   * `rowUid`; the first miss walks the slots and files them): a lookup by uid is nearly always for an owner (a ReplicaSet, a Deployment, loaded
   * as objects), so a big cluster's pod uids — fresh strings that each need hashing — are filed
   * only when a lookup misses.
   */
  private uidsPending = false;
  /** the pods loaded from rows, with their node and owners columns (what the indexes below file them by when asked) */
  private readonly loadedPods = new LoadedPods(Slot.ofRecord);
  private podsByNodeIndex = new JoinIndex(this.loadedPods, this.loadedPods.nodes);
  private byOwnerIndex = new JoinIndex(this.loadedPods, this.loadedPods.owners);
  /** ownedBy's name order per owner uid, until a dependent is added or removed (updates keep it) */
  private ownedSorted = new Map<string, Slot[]>();
  /** per-key write counters: pods on a node, dependents of an owner uid, orphan pods of a namespace */
  private nodeVersions = new Map<string, number>();
  private ownerVersions = new Map<string, number>();
  private orphanVersions = new Map<string, number>();
  /** the keys of ownerVersions and orphanVersions in the order their counters moved (see DependentBumps) */
  private bumpLog: DependentBumps = { owners: [], orphans: [] };
  private sortedSlotCache = new Map<string, Slot[]>();
  /** objects with a deletionTimestamp */
  private terminating = new Set<Slot>();
  /** pods with no controller ownerReference, by namespace: what ReplicaSets may adopt */
  private orphanPods = new Map<string, Set<Slot>>();
  /** slots written (created or updated) since load, in first-write order */
  readonly dirty = new Set<Slot>();
  /** saves since load: a slot is in `dirty` when its dirtyAt is this (a status write's second put looks up no Set entry) */
  private saves = 0;
  /** keys deleted since load */
  readonly deleted = new Map<string, { kind: string; namespace: string; name: string; rowid?: number }>();
  /** every write in order (a change feed: consumers keep their own cursor into it) */
  readonly writeLog: Slot[] = [];
  /**
   * Told of each object as it is stored (writeLog's slots hold only an object's latest state): a
   * watch that shows every write, each resourceVersion, sets it while it runs.
   */
  writeObserver?: (obj: KObject) => void;
  /**
   * Told of an object loaded from a row when it is first replaced, with the object as loaded, by
   * name of the reader (the eviction manager and the kubelet's node counts take a pod out of their
   * saved sums as it was from it, not from its row's facts read again by row id: one SQL read and
   * parse a pod of a 150k-pod advance).
   */
  readonly loadedListeners = new Map<string, (slot: Slot, loaded: KObject) => void>();
  private templatesByText = new Map<string, SpecTemplate>();
  private templatesByContainers = new WeakMap<object, SpecTemplate>();
  private lastTemplateOfOwner = new Map<string, SpecTemplate>();
  /** which template a pod spec object was built from (each store its own field, so stores never mix them) */
  readonly templateOf = new HiddenField<SpecTemplate>('pod template');
  private readonly interner = new Interner();
  /** where events go: the state file's table once loaded from one, else memory */
  events: EventLog = new MemoryEventLog();
  /** bumped on every write, lets the engine tell whether a pass changed anything */
  writeCount = 0;
  /**
   * What kube's controllers keep in process memory (the HPA's recent recommendations and scale
   * events), as JSON text by `controller/uid`: saved with the cluster so the next command, a new
   * process, goes on from it. No object's field, so no output shows it.
   */
  private memory = new Map<string, string>();
  memoryChanged = false;
  /** writes (and deletions) per kind */
  private kindWriteCounts = new Map<string, number>();
  /** every deletion in order, each at its resourceVersion (the watch cache and the change log read it) */
  readonly dropLog: Removal[] = [];
  /** bumped on every deletion (the garbage collector rechecks owners only after one) */
  get dropCount(): number {
    return this.dropLog.length;
  }
  /**
   * eventCount and dropCount at the last save (both stay 0 for a command's store, saved once):
   * a store kept between requests (kubesim serve) counts what the next save has to write from them
   */
  savedEventCount = 0;
  savedDropCount = 0;
  resourceVersion: number;

  constructor(resourceVersion = 1) {
    this.resourceVersion = resourceVersion;
  }

  /**
   * Kinds still in the state file, read when first asked for (see StateFile.load's `lazy`).
   * Such a store is read-only: a write would be saved without the kinds never read.
   */
  private lazy: (LazySource & { read: Set<string>; podsStreamed?: boolean; fetched: Map<string, KObject | undefined> }) | undefined;

  readLazily(source: LazySource): void {
    this.lazy = { ...source, read: new Set(), fetched: new Map() };
  }

  /**
   * list(), but for a kind a lazily read store has not read: each object read from the state
   * file as it is reached and not kept (`get pods` on 150k pods need not hold them all).
   */
  *listOnce(kind: string, namespace?: string): IterableIterator<KObject> {
    if (this.lazy && !this.lazy.read.has(kind)) {
      const seen: KObject[] | undefined = this.readObserver ? [] : undefined;
      for (const { obj } of this.lazy.stream(kind, namespace)) {
        seen?.push(obj);
        yield obj;
      }
      if (seen) this.readObserver?.(kind, namespace, undefined, seen);
    } else yield* this.list(kind, namespace);
  }

  /**
   * listOnce, each object with a way to read it again later: from the state file by its row id
   * when it was streamed (`get --sort-by` keeps the keys and these, not 150k pods), else itself.
   */
  *listOnceRereadable(kind: string, namespace?: string): IterableIterator<{ obj: KObject; again: () => KObject }> {
    const lazy = this.lazy;
    if (lazy && !lazy.read.has(kind)) {
      const seen: KObject[] | undefined = this.readObserver ? [] : undefined;
      for (const { obj, rowid } of lazy.stream(kind, namespace)) {
        seen?.push(obj);
        // made apart: a closure made here would keep obj (V8 keeps the loop's variables together)
        yield { obj, again: rowid === undefined ? keep(obj) : rereadRow(lazy, rowid) };
      }
      if (seen) this.readObserver?.(kind, namespace, undefined, seen);
    } else for (const obj of this.list(kind, namespace)) yield { obj, again: keep(obj) };
  }

  /**
   * listOnce of pods for a table: those the store has not read are read as the table printer
   * reads them (a pod of the printed columns, pod-print.ts `podPrintPod`), not as objects.
   * `nodeName`: only the pods bound to it. undefined when read as objects (the kind is loaded,
   * or reads are observed).
   */
  listPrinted(kind: string, namespace?: string, nodeName?: string): IterableIterator<KObject> | undefined {
    const lazy = this.lazy;
    if (kind !== 'Pod' || !lazy || lazy.read.has(kind) || this.readObserver) return undefined;
    return lazy.streamPrinted(namespace, nodeName);
  }

  /** Whether objects are read as they are asked for (and the store may not be written). */
  get readOnly(): boolean {
    return this.lazy !== undefined;
  }

  private need(kind: string): void {
    const lazy = this.lazy;
    if (lazy === undefined || lazy.read.has(kind)) return;
    lazy.read.add(kind);
    lazy.load(kind);
  }

  /** For lookups that may find any kind (by uid, by owner). */
  private needAll(): void {
    if (this.lazy) for (const kind of this.lazy.kinds()) this.need(kind);
  }

  private refuseWrite(kind: string): void {
    if (this.lazy) throw new Error(`internal error: a read-only command wrote a ${kind}`);
  }

  /** Loads an object as stored; not a write. */
  load(obj: KObject, rowid?: number): void {
    const slot = newSlot(obj, rowid);
    if (obj.kind === 'Pod') {
      this.sharePod(obj);
      this.loadedPods.others.add(slot);
    }
    this.insert(slot);
    this.countLoaded(obj.kind, Number(obj.metadata.resourceVersion ?? 0));
  }

  /**
   * Loads a stored row without reading its text: indexed from its header, read and parsed by
   * `read` when something first reads the object (then shared as `load` shares it). Not a write.
   */
  loadRow(header: RowHeader, rowid: number, read: RowReader): void {
    if (header.kind === 'Pod' && this.loadLazily(header, rowid, read)) return;
    const slot = Slot.unparsed(header, rowid, this.rowParser(read));
    if (header.kind !== 'Pod') {
      // (filed by uid now, as a parsed object is: a few thousand, and most uid lookups are of owners)
      this.index(slot, header.kind, header.uid, undefined, false, header.ownerUids);
      slot.rowUid = header.uid;
      if (header.terminating) this.terminating.add(slot);
      this.countLoaded(header.kind, header.resourceVersion);
      return;
    }
    slot.rowNode = header.nodeName;
    if (header.podClass) {
      slot.podClass = header.podClass;
      slot.rowTerminating = header.terminating;
      slot.facts = '';
    }
    this.indexLoadedPod(slot, header);
    if (header.keys !== undefined) this.uidsPending = true;
    else if (header.uid) {
      slot.rowUid = header.uid;
      this.uidsPending = true;
    }
    if (header.terminating) this.terminating.add(slot);
    this.countLoaded(header.kind, header.resourceVersion);
  }

  /**
   * Loads a pod row without a slot (made when something first reaches it: LoadedPods.addLazy),
   * when nothing at load needs one: a pod of the pod index with a scheduling class, controlled
   * (not an orphan) and not terminating (not in those sets), the kind's loaded pods still an
   * array (KindSlots.takesLoaded), its node and owners not filed yet. Whether it was.
   */
  private loadLazily(header: RowHeader, rowid: number, read: RowReader): boolean {
    const { podClass, keys, nodeTable, nodeId } = header;
    if (
      podClass === undefined ||
      keys === undefined ||
      nodeTable === undefined ||
      nodeId === undefined ||
      nodeTable[nodeId] !== header.nodeName
    )
      return false;
    return this.loadIndexedPod(
      rowid,
      header.resourceVersion,
      header.namespace,
      nodeId,
      nodeTable,
      header.ownerUids,
      podClass,
      header.controlled,
      header.terminating,
      keys,
      header.keyAt!,
      read,
    );
  }

  /**
   * loadLazily from a pod index record's columns (StateFile.loadIndexed: no header filled per
   * pod); false when the pod needs its slot now (loadRow it then).
   */
  loadIndexedPod(
    rowid: number,
    resourceVersion: number,
    namespace: string,
    nodeId: number,
    nodeTable: readonly string[],
    owners: readonly string[],
    podClass: PodRowClass,
    controlled: boolean,
    terminating: boolean,
    keys: Buffer,
    keyAt: number,
    read: RowReader,
  ): boolean {
    if (!controlled || terminating) return false;
    const pods = this.loadedPods;
    const kind = (this.podKind ??= this.kindIndex('Pod'));
    if (!pods.takes(rowid, KindIndex.seqBound()) || !kind.slots.takesLoaded(pods.count) || this.podsByNodeIndex.files(nodeTable[nodeId]))
      return false;
    for (const owner of owners) if (this.byOwnerIndex.files(owner)) return false;
    const seq = kind.addUnfiledLazy(resourceVersion);
    pods.addLazy(rowid, resourceVersion, seq, owners, podClass, namespace, nodeId, nodeTable, keys, keyAt, this.rowParser(read));
    if (this.ownedSorted.size !== 0) for (const owner of owners) this.ownedSorted.delete(owner);
    this.uidsPending = true;
    const loaded = (this.podsLoaded ??= this.loadedKinds.get('Pod'));
    if (loaded === undefined) this.countLoaded('Pod', resourceVersion);
    else {
      this.loadCount++;
      loaded.count++;
      if (resourceVersion > loaded.maxVersion) loaded.maxVersion = resourceVersion;
    }
    return true;
  }

  /** the Pod kind's index and loaded count, once there (loadIndexedPod: not looked up per pod) */
  private podKind: KindIndex | undefined = undefined;
  private podsLoaded: { count: number; maxVersion: number } | undefined = undefined;

  /** Room for this many more pods loaded from rows (the pod index's records: its columns made once, not grown). */
  expectPods(count: number): void {
    this.loadedPods.reserve(count);
  }

  /**
   * The pods loaded as rows with their columns (LoadedPods: the scheduler's snapshot counts them
   * by node from it), and those known as objects, brought up to the write and drop logs;
   * undefined when they are not every pod of the store (a store loaded twice: its readers walk
   * the slots instead).
   */
  loadedRowPods(): LoadedPods | undefined {
    this.need('Pod');
    const rows = this.loadedPods;
    rows.catchUp(this.writeLog, this.dropLog);
    let others = 0;
    for (const slot of rows.others) if (!slot.removed) others++;
    return rows.liveCount + others === (this.byKind.get('Pod')?.size ?? 0) ? rows : undefined;
  }

  /** Reads a row's `facts` column as loaded (StateFile.load sets it; undefined: not available). */
  factsSource: ((rowid: number, resourceVersion: number) => string | undefined) | undefined = undefined;

  /** A pod slot's facts column from the file, as loaded (undefined: not available, read the object). */
  rowFactsText(slot: Slot): string | undefined {
    return slot.rowid === undefined || !this.factsSource ? undefined : this.factsSource(slot.rowid, slot.resourceVersion);
  }

  /** A pod slot's facts column as its row had it at load, written since or not (undefined: not available). */
  loadedRowFactsText(slot: Slot): string | undefined {
    const version = slot.loadedVersion;
    return slot.rowid === undefined || !version || !this.factsSource ? undefined : this.factsSource(slot.rowid, version);
  }

  /** pod rows, and other rows, parsed since load (KUBESIM_PROFILE prints them) */
  rowsParsed = 0;
  otherRowsParsed = 0;

  private parser: { read: RowReader; parse: (slot: Slot) => KObject } | undefined;

  /** One parse function per reader (not a closure per slot). */
  private rowParser(read: RowReader): (slot: Slot) => KObject {
    if (this.parser?.read === read) return this.parser.parse;
    const parse = (slot: Slot): KObject => {
      const { obj, template } = read(slot.rowid!);
      // the node's one string of the load (StateFile.loadRows), not the row text's copy: lookups by
      // it (the kubelet's node, the eviction manager's sums) hash it once a node, not once a pod
      const spec = obj.spec as { nodeName?: unknown } | undefined;
      if (slot.rowNode !== '' && spec?.nodeName === slot.rowNode) spec.nodeName = slot.rowNode;
      if (template && isJsonObject(obj.spec)) this.templateOf.set(obj.spec, template);
      if (obj.kind === 'Pod') {
        this.sharePod(obj);
        this.rowsParsed++;
      } else this.otherRowsParsed++;
      return obj;
    };
    this.parser = { read, parse };
    return parse;
  }

  loadCount = 0;

  private countLoaded(kind: string, rv: number): void {
    this.loadCount++;
    const loaded = this.loadedKinds.get(kind);
    if (!loaded) this.loadedKinds.set(kind, { count: 1, maxVersion: rv });
    else {
      loaded.count++;
      if (rv > loaded.maxVersion) loaded.maxVersion = rv;
    }
  }

  /** per kind, how many objects were loaded and their highest resourceVersion */
  private loadedKinds = new Map<string, { count: number; maxVersion: number }>();

  /**
   * A kind's objects as loaded, `count:highest resourceVersion`: equal to dependentsNow(kind) at
   * the save that wrote the file only if no object of the kind was written or deleted since
   * (resourceVersions only grow: a write, or a new object, has a higher one; a deletion lowers
   * the count). A queue's saved marks that depend on the kind's objects hold only then.
   */
  dependentsAsLoaded(kind: string): string {
    const loaded = this.loadedKinds.get(kind);
    return `${loaded?.count ?? 0}:${loaded?.maxVersion ?? 0}`;
  }

  /** The kind's objects now, as dependentsAsLoaded will see them after a save (a walk of the kind). */
  dependentsNow(kind: string): string {
    // (asked at a save by each queue watching the kind and by the eviction manager's sums: one walk per state)
    const known = this.dependentsNowMemo.get(kind);
    if (known?.writes === this.writeCount && known.loads === this.loadCount) return known.value;
    const value = this.walkDependents(kind);
    this.dependentsNowMemo.set(kind, { writes: this.writeCount, loads: this.loadCount, value });
    return value;
  }

  private readonly dependentsNowMemo = new Map<string, { writes: number; loads: number; value: string }>();

  private walkDependents(kind: string): string {
    const slots = this.byKind.get(kind)?.slots;
    if (slots === undefined) return '0:0';
    if (slots.versionKnown) return `${slots.size}:${slots.maxVersion}`;
    const { count, max } = slots.versions();
    slots.maxVersion = max;
    slots.versionKnown = true;
    return `${count}:${max}`;
  }

  /**
   * Told of each get and list while set: kubectl -v (api/request-log.ts) logs a command's reads
   * as the API requests kubectl would make for them.
   */
  readObserver?: (kind: string, namespace: string | undefined, name: string | undefined, result: unknown) => void;

  get<K extends string>(kind: K, namespace: string | undefined, name: string): ObjectOf<K> | undefined {
    const lazy = this.lazy;
    if (lazy !== undefined && !lazy.read.has(kind)) {
      // a kind not read: that one row (`get pod NAME` need not load 150k pods' index entries),
      // kept so that asking again gives the same object
      const key = objectKey(kind, namespace, name);
      let obj = lazy.fetched.get(key);
      if (obj === undefined && !lazy.fetched.has(key)) lazy.fetched.set(key, (obj = lazy.fetch(kind, namespace || '', name)));
      this.readObserver?.(kind, namespace, name, obj);
      return obj as ObjectOf<K> | undefined;
    }
    this.need(kind);
    const hint = this.reconciling;
    const slot =
      hint !== undefined && hint.name === name && hint.namespace === (namespace || '') && this.reconcilingKind === kind && !hint.removed
        ? hint
        : this.byKind.get(kind)?.get(namespace, name);
    if (slot) {
      this.lastGotKind = kind;
      this.lastGot = slot;
    }
    const obj = slot?.obj as ObjectOf<K> | undefined;
    this.readObserver?.(kind, namespace, name, obj);
    return obj;
  }

  /**
   * The slot the last `get` found and its kind: an update reads the object, then puts its new
   * version, and `put` takes the slot from here instead of a second lookup by name (among
   * 150,000 pods a lookup is a cache miss or two: ~5% of the kubelet's writes).
   */
  private lastGot: Slot | undefined = undefined;
  private lastGotKind = '';
  /**
   * The slot a controller is reconciling (Engine), which `get` finds without a lookup by name: the
   * update of what it reconciled reads it again (the kubelet's 300k pod writes of a 150k-pod
   * advance, each a lookup among 150k names; its `get` of the node in between is `lastGot`).
   */
  private reconciling: Slot | undefined = undefined;
  private reconcilingKind = '';

  /** Sets (or with undefined, clears) the slot a controller is reconciling. */
  reconcilingSlot(kind: string, slot: Slot | undefined): void {
    this.reconciling = slot;
    this.reconcilingKind = kind;
  }

  /** The slot holding the object's kind, namespace and name now (the last one `get` found, if it is that one). */
  private slotFor(obj: KObject): Slot | undefined {
    const last = this.lastGot;
    if (
      last !== undefined &&
      !last.removed &&
      last.name === obj.metadata.name &&
      last.namespace === (obj.metadata.namespace || '') &&
      this.lastGotKind === obj.kind
    )
      return last;
    return this.byKind.get(obj.kind)?.get(obj.metadata.namespace, obj.metadata.name);
  }

  /** The slot an object is held in (the engine's work queues keep slots). */
  slotOf(kind: string, namespace: string | undefined, name: string): Slot | undefined {
    this.need(kind);
    return this.byKind.get(kind)?.get(namespace, name);
  }

  getByUid(uid: string): KObject | undefined {
    this.needAll();
    return this.slotByUid(uid)?.obj;
  }

  /** The slot holding the object with this uid (byUid, then the pods whose uids are not filed yet). */
  private slotByUid(uid: string): Slot | undefined {
    const slot = this.byUid.get(uid);
    if (slot !== undefined || !this.uidsPending) return slot;
    this.filePendingUids();
    return this.byUid.get(uid);
  }

  /** Files the row pods' uids in byUid as a load would have, less what happened since (a slot dropped, or written with another uid). */
  private filePendingUids(): void {
    this.uidsPending = false;
    for (const kind of this.byKind.values()) {
      for (const slot of kind.slots) {
        const uid = slot.rowUid;
        if (uid === '' || (slot.parsed && slot.obj.metadata.uid !== uid) || this.byUid.has(uid)) continue;
        this.byUid.set(uid, slot);
      }
    }
  }

  /** All objects of a kind (optionally in one namespace), in stable namespace/name order. */
  list<K extends string>(kind: K, namespace?: string): ObjectOf<K>[] {
    this.need(kind);
    const m = this.byKind.get(kind);
    if (!m) {
      this.readObserver?.(kind, namespace, undefined, []);
      return [];
    }
    const out: ObjectOf<K>[] = [];
    // (by the slot's namespace, so that the other namespaces' pods are not parsed; '' matches
    // only an object whose metadata says '', as it did when this compared the objects)
    for (const slot of m.slots) {
      if (namespace !== undefined && (slot.namespace !== namespace || (namespace === '' && slot.obj.metadata.namespace !== ''))) continue;
      out.push(slot.obj as ObjectOf<K>);
    }
    out.sort(byNamespaceName);
    this.readObserver?.(kind, namespace, undefined, out);
    return out;
  }

  /**
   * The slots of a kind in namespace/name order, cached until an object of the kind is
   * added or removed (updates keep the order): the engine walks this each pass. A slot
   * removed since has `removed` set.
   */
  sortedSlots(kind: string): readonly Slot[] {
    this.need(kind);
    let slots = this.sortedSlotCache.get(kind);
    if (!slots) {
      slots = [...(this.byKind.get(kind)?.slots ?? [])].sort(bySlotName);
      this.sortedSlotCache.set(kind, slots);
    }
    return slots;
  }

  private scratchCounts = new Map<string, number>();

  /**
   * A new index into the scratch arrays of a kind's slots, for one reader. Counted per kind: the
   * kubelet's queue and the eviction manager, the only readers of pod slots, take 0 and 1 (with
   * one count for every kind the pod queue's index came after the ReplicaSet's, Deployment's,
   * Node's… queues: each pod's array grew to ~27 entries, 240 bytes a pod, 36 MB at 150k).
   */
  newScratchIndex(kind: string): number {
    const index = this.scratchCounts.get(kind) ?? 0;
    this.scratchCounts.set(kind, index + 1);
    return index;
  }

  /** A kind's slots as loaded, then as created (row id order for the loaded ones). */
  slotsInInsertionOrder(kind: string): Iterable<Slot> {
    this.need(kind);
    return this.byKind.get(kind)?.slots ?? [];
  }

  /**
   * The slot loaded from the kind's row `rowid` (deleted since or not), by a binary search of the
   * pods loaded from rows; undefined: no such pod; null: cannot tell (another kind, or row ids did
   * not rise at load): walk slotsInInsertionOrder instead.
   */
  loadedSlotOfRow(kind: string, rowid: number): Slot | undefined | null {
    if (kind !== 'Pod') return null;
    this.need(kind);
    return this.loadedPods.byRowid(rowid);
  }

  /** Unsorted iteration (creation order), for hot paths where order does not show. */
  *values<K extends string>(kind: K): IterableIterator<ObjectOf<K>> {
    this.need(kind);
    const m = this.byKind.get(kind);
    if (m) for (const slot of m.slots) yield slot.obj as ObjectOf<K>;
  }

  count(kind: string): number {
    if (this.lazy && !this.lazy.read.has(kind)) return this.lazy.count(kind);
    return this.byKind.get(kind)?.size ?? 0;
  }

  kinds(): string[] {
    this.needAll();
    return [...this.byKind.keys()].sort();
  }

  *podsOnNode(nodeName: string): IterableIterator<Pod> {
    if (!nodeName) return;
    if (this.lazy && !this.lazy.read.has('Pod') && !this.lazy.podsStreamed) {
      // one node's pods from a store that has not read them (describe node): the rows whose node
      // column is the node's, keeping none; asked again (describe nodes), it reads them all
      this.lazy.podsStreamed = true;
      for (const { obj } of this.lazy.stream('Pod', undefined, nodeName))
        if (isKind(obj, 'Pod') && obj.spec?.nodeName === nodeName) yield obj;
      return;
    }
    this.need('Pod');
    const set = this.podsByNodeIndex.get(nodeName);
    if (set) for (const slot of set) yield slot.obj as Pod;
  }

  /** Pods without spec.nodeName (what the scheduler looks at), creation order. */
  *unboundPods(): IterableIterator<Pod> {
    this.need('Pod');
    const set = this.podsByNodeIndex.get('');
    if (set) for (const slot of set) yield slot.obj as Pod;
  }

  /** The slots of the pods bound to the node, unparsed (a work queue wakes them when the node is written). */
  podSlotsOnNode(nodeName: string): Iterable<Slot> {
    if (!nodeName) return [];
    this.need('Pod');
    return this.podsByNodeIndex.get(nodeName) ?? [];
  }

  /** Changes whenever a pod on the node is written or removed (for per-node memos). */
  podsOnNodeVersion(nodeName: string): number {
    return this.nodeVersions.get(nodeName) ?? 0;
  }

  /** Changes whenever an object owned by the uid, or an orphan pod in the namespace, is written or removed. */
  dependentsVersion(ownerUid: string, namespace: string): number {
    return (this.ownerVersions.get(ownerUid) ?? 0) + (this.orphanVersions.get(namespace) ?? 0);
  }

  /** Which dependentsVersion counters moved, in order (see DependentBumps). */
  get dependentBumps(): DependentBumps {
    return this.bumpLog;
  }

  /** Pods without a controlling owner in a namespace (adoption candidates), name order. */
  orphanPodsIn(namespace: string): Pod[] {
    this.need('Pod');
    const set = this.orphanPods.get(namespace);
    return set ? [...set].map((s) => s.obj as Pod).sort(byNamespaceName) : [];
  }

  /**
   * The objects being deleted or naming an owner uid that no object has, in the order a walk of
   * every kind (kinds(), then values()) meets them: what the garbage collector checks, found from
   * the indexes (a walk of every object parsed every pod of the file).
   */
  *orphanCandidates(): IterableIterator<KObject> {
    this.needAll();
    const found = new Set<Slot>(this.terminating);
    for (const [uid, slots] of this.byOwnerIndex.nonEmpty()) if (!this.slotByUid(uid)) for (const slot of slots) found.add(slot);
    if (!found.size) return;
    for (const kind of this.kinds()) {
      for (const slot of this.byKind.get(kind)!.slots) {
        if (!found.has(slot)) continue;
        yield slot.obj;
        if (found.delete(slot) && !found.size) return;
      }
    }
  }

  ownedBy(uid: string): KObject[] {
    return this.ownedSlots(uid).map((s) => s.obj);
  }

  /** The slots of the objects ownedBy returns, in its order, unparsed (the ReplicaSet reads its pods' facts). */
  ownedSlots(uid: string): readonly Slot[] {
    this.needAll();
    let slots = this.ownedSorted.get(uid);
    if (!slots) {
      const set = this.byOwnerIndex.get(uid);
      if (!set) return [];
      this.ownedSorted.set(uid, (slots = [...set].sort(bySlotName)));
    }
    return slots;
  }

  nextResourceVersion(): string {
    this.resourceVersion += 1;
    return String(this.resourceVersion);
  }

  /** A template read from the state file. */
  addTemplate(template: SpecTemplate): void {
    this.templatesByText.set(template.text, template);
    if (template.base.containers && typeof template.base.containers === 'object')
      this.templatesByContainers.set(template.base.containers, template);
  }

  /** A value from the state file's shared table: equal pod parts written later share it. */
  adoptShared(value: object): void {
    this.interner.adopt(value);
  }

  /**
   * Whether a value is one of the pod parts many pods share (labels, owner references,
   * conditions, container states): kubesim serve keeps the JSON it makes of them.
   */
  isShared(value: object): boolean {
    return this.interner.has(value);
  }

  /** Known templates (for the state file's clean-up). */
  templates(): IterableIterator<SpecTemplate> {
    return this.templatesByText.values();
  }

  /** A pod's spec fields and repeated parts shared with the pods like it. */
  private sharePod(obj: KObject): void {
    this.shareSpec(obj);
    this.interner.sharePodParts(obj);
  }

  /**
   * Points a pod's spec at its template's shared fields (replacing obj.spec by an equal
   * object). Only when nodeName, the one per-pod field, is absent or last, so key order
   * (and so every printed form of the pod) stays as it was.
   */
  private shareSpec(obj: KObject): void {
    const spec = obj.spec;
    if (!isJsonObject(spec) || this.templateOf.get(spec)) return;
    const keys = Object.keys(spec);
    const nodeAt = keys.indexOf('nodeName');
    if (nodeAt >= 0 && nodeAt !== keys.length - 1) return;
    const n = nodeAt >= 0 ? keys.length - 1 : keys.length;
    // a binding or status write keeps the spec's fields: recognise them without JSON
    const known = spec.containers && typeof spec.containers === 'object' ? this.templatesByContainers.get(spec.containers) : undefined;
    if (known && known.keys.length === n && known.keys.every((k, i) => keys[i] === k && spec[k] === known.base[k])) {
      this.templateOf.set(spec, known);
      return;
    }
    const base: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) base[keys[i]] = spec[keys[i]];
    // a controller stamps equal pods one after another: compare with its last template first
    const owner = obj.metadata.ownerReferences?.find((r) => r.controller)?.uid;
    const previous = owner ? this.lastTemplateOfOwner.get(owner) : undefined;
    let template = previous && sameJson(previous.base, base) ? previous : undefined;
    if (!template) {
      const text = JSON.stringify(base);
      template = this.templatesByText.get(text);
      if (!template) {
        template = { text, base, keys: keys.slice(0, n) };
        this.addTemplate(template);
      }
      if (owner) this.lastTemplateOfOwner.set(owner, template);
    }
    if (template.base === base) {
      this.templateOf.set(spec, template);
      return;
    }
    const shared = specFromTemplate(template, nodeAt >= 0 ? spec.nodeName : undefined);
    obj.spec = shared;
    this.templateOf.set(shared, template);
  }

  /**
   * A pending pod's spec with nodeName set last, as the binding API adds it: built from the
   * spec's template when it has one, so that storing it finds the template by its containers
   * (shareSpec). Writes nothing: the scheduler calls it on its read-only view.
   */
  withNodeName(spec: PodSpec, nodeName: string): PodSpec {
    const template = this.templateOf.get(spec);
    // (Object.assign, as boundPod's status: a spread copy adding a key got a hidden class of its own per pod)
    if (!template || spec.nodeName !== undefined) return Object.assign({}, spec, { nodeName });
    return specFromTemplate(template, nodeName) as unknown as PodSpec;
  }

  /** Stores an object (new or replacing), keeping indexes; callers set metadata first. */
  put(obj: KObject): void {
    this.refuseWrite(obj.kind);
    if (obj.kind === 'Pod') this.sharePod(obj);
    const slot = this.slotFor(obj);
    if (slot) {
      const prev = slot.obj;
      if (slot.writes === 0 && slot.loadedVersion !== 0 && this.loadedListeners.size)
        for (const told of this.loadedListeners.values()) told(slot, prev);
      // (the counters only have to move: a status write bumps the same node's and owners' once)
      const counted = sameCounters(prev, obj);
      if (!counted) this.touch(prev);
      this.reindex(slot, prev, obj);
      const before = slot.resourceVersion;
      slot.obj = obj;
      this.byKind.get(obj.kind)?.slots.written(before, slot.resourceVersion);
      if (slot.dirtyAt !== this.saves) {
        slot.dirtyAt = this.saves;
        this.dirty.add(slot);
      }
      this.writeLog.push(slot);
      this.touch(obj);
    } else {
      const fresh = newSlot(obj, undefined);
      if (this.deleted.size) {
        // re-created after a deletion in this command: it takes over the deleted row
        const key = objectKey(obj.kind, obj.metadata.namespace, obj.metadata.name);
        fresh.rowid = this.deleted.get(key)?.rowid;
        this.deleted.delete(key);
      }
      this.insert(fresh);
      this.sortedSlotCache.delete(obj.kind);
      fresh.dirtyAt = this.saves;
      this.dirty.add(fresh);
      this.writeLog.push(fresh);
      this.touch(obj);
    }
    this.writeCount++;
    this.bump(this.kindWriteCounts, obj.kind);
    this.writeObserver?.(obj);
  }

  /** Changes whenever an object of the kind is written or dropped. */
  kindWrites(kind: string): number {
    return this.kindWriteCounts.get(kind) ?? 0;
  }

  /**
   * Removes an object at a resourceVersion of its own (the caller takes it with
   * nextResourceVersion, as it sets one before put): a deletion is a change watches must place.
   */
  drop(kind: string, namespace: string | undefined, name: string, resourceVersion: string): KObject | undefined {
    this.refuseWrite(kind);
    const slot = this.byKind.get(kind)?.delete(namespace, name);
    if (!slot) return undefined;
    const obj = slot.obj;
    this.touch(obj);
    if (obj.metadata.uid && this.byUid.get(obj.metadata.uid) === slot) this.byUid.delete(obj.metadata.uid);
    if (isKind(obj, 'Pod')) {
      this.leaveNode(slot, obj.spec?.nodeName ?? '');
      this.orphanPods.get(obj.metadata.namespace ?? '')?.delete(slot);
    }
    for (const ref of obj.metadata.ownerReferences ?? []) this.leaveOwner(slot, ref.uid);
    this.terminating.delete(slot);
    slot.removed = true;
    this.sortedSlotCache.delete(kind);
    this.dirty.delete(slot);
    this.deleted.set(objectKey(kind, namespace, name), { kind, namespace: namespace ?? '', name, rowid: slot.rowid });
    this.writeCount++;
    this.bump(this.kindWriteCounts, kind);
    this.dropLog.push({ kind, namespace: namespace ?? '', name, obj, rv: Number(resourceVersion), slot });
    if (kind === 'Namespace') this.events.forgetNamespace(name);
    return obj;
  }

  /**
   * After a save was committed: nothing is left to write. The counters go on (the engine and
   * controllers compare them over time); what a next save writes is counted from here.
   */
  markSaved(): void {
    this.saves++;
    this.dirty.clear();
    this.deleted.clear();
    this.memoryChanged = false;
    this.savedEventCount = this.eventCount;
    this.savedDropCount = this.dropCount;
  }

  /** Whether anything was written, deleted, remembered or recorded since load (or the last save). */
  get unsaved(): boolean {
    return this.dirty.size > 0 || this.deleted.size > 0 || this.memoryChanged || this.eventCount !== this.savedEventCount;
  }

  /** A controller's memory of an object, or (with an `@name` key) its own (a fresh copy: change it, then remember it). */
  recall<T>(controller: string, uid: string): T | undefined {
    const text = this.memory.get(`${controller}/${uid}`);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  recallText(controller: string, uid: string): string | undefined {
    // (the kubelet asks for exec's writes at each step of each pod: most clusters have none, and no key is made)
    if (!this.memoryOf.has(controller)) return undefined;
    return this.memory.get(`${controller}/${uid}`);
  }

  /** the controllers with an entry in `memory` (some may be gone: a key is never taken out of it) */
  private memoryOf = new Set<string>();

  remember(controller: string, uid: string, value: unknown): void {
    this.refuseWrite('controller memory');
    const key = `${controller}/${uid}`;
    const text = JSON.stringify(value);
    if (this.memory.get(key) === text) return;
    this.memory.set(key, text);
    this.memoryOf.add(controller);
    this.memoryChanged = true;
    this.writeCount++;
  }

  loadMemory(saved: Record<string, string>): void {
    this.memory = new Map(Object.entries(saved));
    // (every part of a key before a '/' may be its controller's name)
    this.memoryOf = new Set();
    for (const key of Object.keys(saved))
      for (let at = key.indexOf('/'); at >= 0; at = key.indexOf('/', at + 1)) this.memoryOf.add(key.slice(0, at));
  }

  /** The memory to save: what objects still here have, sorted by key. */
  memoryToSave(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const key of [...this.memory.keys()].sort()) {
      const uid = key.slice(key.indexOf('/') + 1);
      // memory of an object goes with it; `@name` is the controller's own, kept while the cluster lives
      if (uid.startsWith(CLUSTER_MEMORY_PREFIX) || this.slotByUid(uid)) out[key] = this.memory.get(key)!;
    }
    return out;
  }

  /** events recorded since load */
  eventCount = 0;

  recordEvent(event: EventRecord, at: number): void {
    this.refuseWrite('Event');
    this.eventCount++;
    this.events.record(event, at);
  }

  private insert(slot: Slot): void {
    const obj = slot.obj;
    const pod = isKind(obj, 'Pod');
    this.index(slot, obj.kind, obj.metadata.uid, pod ? (obj.spec?.nodeName ?? '') : undefined, pod && isOrphan(obj), NO_UIDS);
    for (const ref of obj.metadata.ownerReferences ?? []) this.joinOwner(slot, ref.uid);
    if (obj.metadata.deletionTimestamp) this.terminating.add(slot);
  }

  /** Adds a new slot to the indexes (nodeName: a pod's, else undefined). */
  private index(
    slot: Slot,
    kind: string,
    uid: string | undefined,
    nodeName: string | undefined,
    orphan: boolean,
    ownerUids: readonly string[],
  ): void {
    this.kindIndex(kind).add(slot);
    if (uid) this.byUid.set(uid, slot);
    if (nodeName !== undefined) {
      this.joinNode(slot, nodeName);
      if (orphan) this.addTo(this.orphanPods, slot.namespace, slot);
    }
    for (const owner of ownerUids) this.joinOwner(slot, owner);
  }

  /**
   * Adds a pod slot loaded from a row to the indexes: by name, node and owner only when first
   * asked (KindIndex.addUnfiled, JoinIndex.addLoaded, from the LoadedPods columns).
   */
  private indexLoadedPod(slot: Slot, header: RowHeader): void {
    const node = header.nodeName;
    const owners = header.ownerUids;
    this.loadedPods.add(slot, node, owners, header.podClass, header.namespace, header.terminating, header.nodeId, header.nodeTable);
    this.kindIndex('Pod').addUnfiled(slot);
    this.podsByNodeIndex.addLoaded(node, slot);
    if (!header.controlled) this.addTo(this.orphanPods, slot.namespace, slot);
    for (const owner of owners) {
      this.byOwnerIndex.addLoaded(owner, slot);
      if (this.ownedSorted.size !== 0) this.ownedSorted.delete(owner);
    }
  }

  private kindIndex(kind: string): KindIndex {
    let m = this.byKind.get(kind);
    if (!m)
      this.byKind.set(
        kind,
        (m = new KindIndex(
          kind === 'Pod' ? (namespace, name) => this.findLoadedPod(namespace, name) : undefined,
          kind === 'Pod' ? this.loadedPods : undefined,
        )),
      );
    return m;
  }

  /**
   * The row id of a pod's row in the state file (undefined: none; null: cannot tell, outside the
   * command's transaction). Set by StateFile.load.
   */
  podRowid: ((namespace: string, name: string) => number | undefined | null) | undefined = undefined;

  /**
   * A pod loaded from a row, by name, without filing 150k names: its row's id from the state file
   * (a point query on the key index), then its slot by row id. null: cannot tell (walk instead).
   * A pod created since load is filed by name; one deleted since is no longer among the kind's
   * slots (KindIndex checks).
   */
  private findLoadedPod(namespace: string, name: string): Slot | undefined | null {
    const rowid = this.podRowid?.(namespace, name);
    if (rowid === undefined || rowid === null) return rowid === undefined && this.podRowid !== undefined ? undefined : null;
    return this.loadedPods.byRowid(rowid);
  }

  /** Moves a slot between index entries for the fields that changed from prev to next. */
  private reindex(slot: Slot, prev: KObject, next: KObject): void {
    if (!prev.metadata.deletionTimestamp !== !next.metadata.deletionTimestamp) {
      if (next.metadata.deletionTimestamp) this.terminating.add(slot);
      else this.terminating.delete(slot);
    }
    if (prev.metadata.uid !== next.metadata.uid) {
      if (prev.metadata.uid && this.byUid.get(prev.metadata.uid) === slot) this.byUid.delete(prev.metadata.uid);
      if (next.metadata.uid) this.byUid.set(next.metadata.uid, slot);
    }
    if (isKind(next, 'Pod') && isKind(prev, 'Pod')) {
      const from = prev.spec?.nodeName ?? '';
      const to = next.spec?.nodeName ?? '';
      if (from !== to) {
        this.leaveNode(slot, from);
        this.joinNode(slot, to);
      }
      const wasOrphan = isOrphan(prev);
      if (wasOrphan !== isOrphan(next) || prev.metadata.namespace !== next.metadata.namespace) {
        if (wasOrphan) this.orphanPods.get(prev.metadata.namespace ?? '')?.delete(slot);
        if (isOrphan(next)) this.addTo(this.orphanPods, next.metadata.namespace ?? '', slot);
      }
    }
    const before = prev.metadata.ownerReferences;
    const after = next.metadata.ownerReferences;
    if (before !== after && !sameOwnerUids(before, after)) {
      for (const ref of before ?? []) this.leaveOwner(slot, ref.uid);
      for (const ref of after ?? []) this.joinOwner(slot, ref.uid);
    }
  }

  private joinOwner(slot: Slot, uid: string): void {
    this.byOwnerIndex.add(uid, slot);
    // (none is sorted while a load indexes 150k pods: no lookup per pod)
    if (this.ownedSorted.size !== 0) this.ownedSorted.delete(uid);
  }

  private leaveOwner(slot: Slot, uid: string): void {
    if (this.byOwnerIndex.get(uid)?.delete(slot)) this.ownedSorted.delete(uid);
  }

  private joinNode(slot: Slot, nodeName: string): void {
    this.podsByNodeIndex.add(nodeName, slot);
  }

  private leaveNode(slot: Slot, nodeName: string): void {
    this.podsByNodeIndex.delete(nodeName, slot);
  }

  /** Bumps the counters an object (an old or new version of it) is counted under. */
  private touch(obj: KObject): void {
    let bumps = this.bumpLog;
    if (bumps.owners.length + bumps.orphans.length >= MAX_DEPENDENT_BUMPS) bumps = this.bumpLog = { owners: [], orphans: [] };
    if (isKind(obj, 'Pod')) {
      if (obj.spec?.nodeName) this.bump(this.nodeVersions, obj.spec.nodeName);
      if (isOrphan(obj)) {
        const namespace = obj.metadata.namespace ?? '';
        this.bump(this.orphanVersions, namespace);
        bumps.orphans.push(namespace);
      }
    }
    const owners = obj.metadata.ownerReferences;
    if (owners)
      for (const ref of owners) {
        this.bump(this.ownerVersions, ref.uid);
        bumps.owners.push(ref.uid);
      }
  }

  /** One map per kind of counter, keyed by the object's own strings (no key string built per write). */
  private bump(versions: Map<string, number>, key: string): void {
    versions.set(key, (versions.get(key) ?? 0) + 1);
  }

  private addTo(index: Map<string, Set<Slot>>, key: string, slot: Slot): void {
    let set = index.get(key);
    if (!set) index.set(key, (set = new Set()));
    set.add(slot);
  }
}

/** A pod spec with the template's (shared) fields and the pod's own nodeName. */
export function specFromTemplate(template: SpecTemplate, nodeName: unknown): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  for (const k of template.keys) spec[k] = template.base[k];
  if (nodeName !== undefined) spec.nodeName = nodeName;
  return spec;
}

const NO_UIDS: readonly string[] = [];

/** byNamespaceName for slots, without reading their objects. */
export function bySlotName(a: Slot, b: Slot): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function isOrphan(pod: KObject): boolean {
  return !pod.metadata.ownerReferences?.some((r) => r.controller);
}

/** Whether `touch` bumps the same counters for both versions (node, orphan namespace, owners): those of one write. */
function sameCounters(prev: KObject, next: KObject): boolean {
  const owners = prev.metadata.ownerReferences;
  if (owners !== next.metadata.ownerReferences || prev.kind !== next.kind) return false;
  if (!isKind(prev, 'Pod')) return true;
  return prev.spec?.nodeName === (next as Pod).spec?.nodeName && (!owners || prev.metadata.namespace === next.metadata.namespace);
}

function sameOwnerUids(a: KObject['metadata']['ownerReferences'], b: KObject['metadata']['ownerReferences']): boolean {
  if ((a?.length ?? 0) !== (b?.length ?? 0)) return false;
  for (let i = 0; i < (a?.length ?? 0); i++) if (a![i].uid !== b![i].uid) return false;
  return true;
}

/**
 * One kind's slots, by namespace then name — a lookup hashes the name string the caller
 * already holds (its hash is cached on it) rather than a freshly joined "ns/name" key, which
 * was most of a get at 150k pods — and in insertion order for iteration.
 */
/**
 * Slots by key (pods by node, objects by owner uid), each key's in the order they joined it. A
 * key's slots are an array until something asks for them or one leaves (then a Set, in the same
 * order; a key is in one of the two maps, never both): a load files 150k pods under 5,000 nodes
 * and 1,500 owners, and a command then asks for a few (label pod: 1 node's pods, delete pod 3,
 * drain 32, scale 51), so filling 6,500 Sets was ~10% of a 150k load.
 *
 * Pods loaded from rows are not filed at all until asked for (addLoaded; filing 150k slots under
 * their keys was another ~8% of the load): the first ask of a key files the loaded pods whose row
 * said that key (`LoadedKeys.positions`: no walk of the slots) ahead of the key's later joins, as
 * a load would have. A slot leaves a key only after an ask of that key (`get`), so the loaded pods
 * of a key not asked for yet are all still under it.
 */
class JoinIndex {
  private readonly sets = new Map<string, Set<Slot>>();
  private readonly joined = new Map<string, Slot[]>();
  /** keys whose loaded slots are filed (every key once filedAll) */
  private readonly walked = new Set<string>();
  private filedAll = false;
  /** per key not walked yet, the slots taken out of it since (`delete`): its walk leaves them out */
  private readonly left = new Map<string, Set<Slot>>();

  constructor(
    /** the pods loaded from rows */
    private readonly loaded: LoadedPods,
    /** their column this index files them by */
    private readonly keys: LoadedKeys,
  ) {}

  add(key: string, slot: Slot): void {
    const set = this.sets.get(key);
    if (set) set.add(slot);
    else {
      const joined = this.joined.get(key);
      if (joined) joined.push(slot);
      else this.joined.set(key, [slot]);
    }
  }

  /** A slot loaded from a row (`keys` has it): filed now only under a key already filed, else when the key is first asked for. */
  addLoaded(key: string, slot: Slot): void {
    if (this.files(key)) this.add(key, slot);
  }

  /** Whether a slot loaded now under the key is filed now (not when the key is first asked for). */
  files(key: string): boolean {
    return this.filedAll || (this.walked.size !== 0 && this.walked.has(key));
  }

  /** A key's slots as a Set (made from those that joined it, the first time). */
  get(key: string): Set<Slot> | undefined {
    if (!this.filedAll && this.keys.count !== 0 && !this.walked.has(key)) this.walk(key);
    const joined = this.joined.get(key);
    if (joined === undefined) return this.sets.get(key);
    this.joined.delete(key);
    const set = new Set(joined);
    this.sets.set(key, set);
    return set;
  }

  /**
   * Takes a slot out of a key's. A key not walked yet is not walked for it (a pod deleted from each
   * of 1,000 nodes made the slots of their ~30,000 pods, LoadedPods.slot): the slot leaves the
   * slots that joined the key since, and the walk leaves it out (`left`), as it would have been
   * taken out of the walked key's slots.
   */
  delete(key: string, slot: Slot): void {
    if (this.filedAll || this.keys.count === 0 || this.walked.has(key) || !this.keys.named(key)) {
      this.get(key)?.delete(slot);
      return;
    }
    const joined = this.joined.get(key);
    const at = joined === undefined ? -1 : joined.indexOf(slot);
    if (at >= 0) {
      joined!.splice(at, 1);
      if (joined!.length === 0) this.joined.delete(key);
    }
    if (slot.rowIndex < 0) return;
    const left = this.left.get(key);
    if (left === undefined) this.left.set(key, new Set([slot]));
    else left.add(slot);
  }

  /** Every key that has slots, with them as they are (arrays not made Sets: for reading only). */
  *nonEmpty(): IterableIterator<[string, Iterable<Slot>]> {
    if (!this.filedAll) this.fileAll();
    for (const entry of this.sets) if (entry[1].size) yield entry;
    // (an array is never empty: made with its first slot, a Set before any leaves)
    yield* this.joined;
  }

  /**
   * Files the loaded slots of one key. (A key no row named is not remembered as walked: the owner
   * index is asked for the dependents of each pod deleted, which own nothing.)
   */
  private walk(key: string): void {
    if (!this.keys.named(key)) return;
    this.walked.add(key);
    let slots = this.loaded.at(this.keys.positions(key));
    const left = this.left.get(key);
    if (left !== undefined) {
      this.left.delete(key);
      slots = slots.filter((slot) => !left.has(slot));
    }
    this.fileAhead(key, slots);
  }

  private fileAll(): void {
    for (const key of this.keys.keys()) if (!this.walked.has(key)) this.walk(key);
    this.filedAll = true;
    this.walked.clear();
  }

  /** Puts a key's loaded slots ahead of those that joined it since (it has no Set yet: only an ask makes one, after its walk). */
  private fileAhead(key: string, slots: Slot[]): void {
    if (slots.length === 0) return;
    const since = this.joined.get(key);
    this.joined.set(key, since ? slots.concat(since) : slots);
  }
}

/**
 * A kind's slots in insertion order, as a Set keeps them; but the pods loaded from rows while
 * nothing else was added (a load's pods) are the store's LoadedPods places 0..loaded-1, a
 * deleted one marked `gone`: adding 150k slots to a Set (its growth, each slot's identity hash)
 * was ~8% of a 150k load's CPU, and a lazily loaded pod has no slot until it is reached.
 */
class KindSlots implements Iterable<Slot> {
  /** the pods loaded first: places 0..loaded-1 of `pods` (the store's LoadedPods, for the Pod kind) */
  private loaded = 0;
  /** per loaded place, 1 when deleted since (grown when one is) */
  private gone = new Uint8Array(0);
  private readonly rest = new Set<Slot>();
  /** no slot joins the loaded ones once one went to `rest` */
  private closed = false;
  size = 0;
  /**
   * The highest resourceVersion of the slots (0 if none above 0), while `versionKnown`: kept as
   * slots are added and written, so that dependentsNow need not walk 150k pods at each save; a
   * deletion or a write of the highest to a lower one forgets it until the next walk.
   */
  maxVersion = 0;
  versionKnown = true;

  constructor(private readonly pods?: LoadedPods) {}

  add(slot: Slot): void {
    if (this.has(slot)) return;
    this.closed = true;
    this.rest.add(slot);
    this.size++;
    this.written(0, slot.resourceVersion);
  }

  /** Whether the pod loaded at this LoadedPods place joins the loaded ones (nothing else was added, and it is the next). */
  takesLoaded(i: number): boolean {
    return !this.closed && this.pods !== undefined && i === this.loaded;
  }

  /** A pod loaded from a row (not in the kind yet, its LoadedPods place set): one of the loaded ones while nothing else was added. */
  addLoaded(slot: Slot): void {
    if (!this.takesLoaded(slot.rowIndex)) return this.add(slot);
    this.addLoadedAt(slot.resourceVersion);
  }

  /** The pod at the next LoadedPods place (takesLoaded), with its resourceVersion. */
  addLoadedAt(resourceVersion: number): void {
    this.loaded++;
    this.size++;
    this.written(0, resourceVersion);
  }

  /** A slot's resourceVersion went from `before` (0: new) to `after`. */
  written(before: number, after: number): void {
    if (after > this.maxVersion) this.maxVersion = after;
    else if (before === this.maxVersion && after !== before) this.versionKnown = false;
  }

  private isLoaded(slot: Slot): boolean {
    const i = slot.rowIndex;
    return i >= 0 && i < this.loaded && this.pods!.madeAt(i) === slot && !(i < this.gone.length && this.gone[i]);
  }

  has(slot: Slot): boolean {
    return this.isLoaded(slot) || this.rest.has(slot);
  }

  delete(slot: Slot): void {
    if (slot.resourceVersion >= this.maxVersion) this.versionKnown = false;
    if (this.isLoaded(slot)) {
      if (this.gone.length < this.loaded) {
        const gone = new Uint8Array(this.loaded);
        gone.set(this.gone);
        this.gone = gone;
      }
      this.gone[slot.rowIndex] = 1;
      this.size--;
    } else if (this.rest.delete(slot)) this.size--;
  }

  /** How many slots, and their highest resourceVersion (0 if none above 0), without making the lazily loaded pods' slots. */
  versions(): { count: number; max: number } {
    let count = 0;
    let max = 0;
    const pods = this.pods;
    const gone = this.gone;
    for (let i = 0; i < this.loaded; i++) {
      if (i < gone.length && gone[i]) continue;
      const slot = pods!.madeAt(i);
      const rv = slot === null ? pods!.lazyVersion(i) : slot.resourceVersion;
      count++;
      if (rv > max) max = rv;
    }
    for (const slot of this.rest) {
      count++;
      const rv = slot.resourceVersion;
      if (rv > max) max = rv;
    }
    return { count, max };
  }

  /** (live, as a Set's: a slot added while iterating is met, one deleted before it is reached is not) */
  *[Symbol.iterator](): IterableIterator<Slot> {
    const pods = this.pods;
    for (let i = 0; i < this.loaded; i++) {
      if (i < this.gone.length && this.gone[i]) continue;
      yield pods!.slot(i);
    }
    yield* this.rest;
  }
}

class KindIndex {
  private readonly byNamespace = new Map<string, Map<string, Slot>>();
  /**
   * Slots loaded from rows and not yet filed by name (addUnfiled): a command on 150k pods looks
   * up a few by name (label pod: one), and filing 150k fresh name strings was ~10% of a load.
   * A lookup that misses the names walks the slots instead, until MAX_NAME_WALKS walks have
   * been made; then every slot is filed.
   */
  private unfiled = 0;
  private nameWalks = 0;
  /** lookups asked of findUnfiled */
  private finds = 0;

  readonly slots: KindSlots;

  constructor(
    /**
     * Finds an unfiled slot by name without a walk (pods: the row of that key in the state file,
     * ObjectStore.findLoadedPod); null when it cannot tell (no file, or outside its transaction).
     * What it finds is checked against the slots (one deleted since is not found).
     */
    private readonly findUnfiled?: (namespace: string, name: string) => Slot | undefined | null,
    /** (pods: the store's loaded pods, whose places are the kind's loaded slots) */
    pods?: LoadedPods,
  ) {
    this.slots = new KindSlots(pods);
  }

  get size(): number {
    return this.slots.size;
  }

  get(namespace: string | undefined, name: string): Slot | undefined {
    const ns = namespace || '';
    const filed = this.byNamespace.get(ns)?.get(name);
    if (filed !== undefined || this.unfiled === 0) return filed;
    // (a point query is ~1.5 µs, filing 150k names ~60 ms: after as many lookups as a quarter of the
    // slots, delete pods --all, every name is filed)
    const find = this.findUnfiled !== undefined && ++this.finds <= Math.max(MAX_NAME_WALKS, this.slots.size >> 2);
    const found = find ? this.findUnfiled!(ns, name) : null;
    if (found === undefined) return undefined;
    if (found !== null) return found.name === name && found.namespace === ns && this.slots.has(found) ? found : undefined;
    if ((this.findUnfiled !== undefined && !find) || ++this.nameWalks > MAX_NAME_WALKS) {
      this.fileAll();
      return this.byNamespace.get(ns)?.get(name);
    }
    // (a filed slot of this key would have been found: the slot found is the key's only one)
    for (const slot of this.slots) if (slot.name === name && slot.namespace === ns) return slot;
    return undefined;
  }

  /** (one counter for every store: only the order within a kind shows) */
  private static nextSeq = 0;

  /** Higher than the seq of every slot made so far. */
  static seqBound(): number {
    return KindIndex.nextSeq;
  }

  add(slot: Slot): void {
    slot.seq = KindIndex.nextSeq++;
    this.file(slot);
    this.slots.add(slot);
  }

  /** Adds a slot loaded from a row, filed by name when a lookup first needs it (see `unfiled`). */
  addUnfiled(slot: Slot): void {
    slot.seq = KindIndex.nextSeq++;
    this.slots.addLoaded(slot);
    this.unfiled++;
  }

  /** Adds a pod loaded lazily, at the next LoadedPods place (slots.takesLoaded), unfiled as addUnfiled; its seq. */
  addUnfiledLazy(resourceVersion: number): number {
    this.slots.addLoadedAt(resourceVersion);
    this.unfiled++;
    return KindIndex.nextSeq++;
  }

  delete(namespace: string | undefined, name: string): Slot | undefined {
    const slot = this.get(namespace, name);
    if (!slot) return undefined;
    const names = this.byNamespace.get(slot.namespace);
    if (names?.get(name) === slot) names.delete(name);
    else this.unfiled--;
    this.slots.delete(slot);
    return slot;
  }

  private file(slot: Slot): void {
    const namespace = slot.namespace;
    let names = this.byNamespace.get(namespace);
    if (!names) this.byNamespace.set(namespace, (names = new Map()));
    names.set(slot.name, slot);
  }

  private fileAll(): void {
    for (const slot of this.slots) this.file(slot);
    this.unfiled = 0;
  }
}

/**
 * The owner uids and orphan pods' namespaces whose dependentsVersion counters moved, in order (an
 * entry per move): a work queue that watches its objects' dependents rechecks the marks of the
 * objects named since its last look instead of walking every object of its kind each pass. A
 * full log is replaced by a new one (a reader holding the old one looks at everything again).
 */
export interface DependentBumps {
  readonly owners: string[];
  readonly orphans: string[];
}

/** (a reader behind by more walks its objects once) */
const MAX_DEPENDENT_BUMPS = 1 << 16;

/** Lookups by name a kind's unfiled slots answer by a walk (each ~1-2 ms at 150k pods) before they are filed. */
const MAX_NAME_WALKS = 8;

/**
 * The cluster's event log. With a state file behind it, events are appended inside the
 * command's transaction (a bounded amount is held in memory before being written).
 */
export interface EventLog {
  record(event: EventRecord, at: number): void;
  /** Whether an event (with this reason, last seen at this instant) was recorded for the object. */
  has(involved: ObjectRef, reason?: string, at?: number): boolean;
  /** A namespace is gone: its events go with it (the namespace controller deletes them with everything else). */
  forgetNamespace(namespace: string): void;
}

/** The log of a store with no state file behind it (unit tests). */
export class MemoryEventLog implements EventLog {
  readonly recorded: (EventRecord & { at: number })[] = [];

  record(event: EventRecord, at: number): void {
    this.recorded.push({ ...event, at });
  }

  forgetNamespace(namespace: string): void {
    const kept = this.recorded.filter((e) => (e.involved.namespace ?? 'default') !== namespace);
    this.recorded.splice(0, this.recorded.length, ...kept);
  }

  has(involved: ObjectRef, reason?: string, at?: number): boolean {
    return this.recorded.some(
      (e) =>
        e.involved.uid === involved.uid &&
        e.involved.kind === involved.kind &&
        (reason === undefined || e.reason === reason) &&
        (at === undefined || e.at === at),
    );
  }
}

export type { StoredEvent };

function keep(obj: KObject): () => KObject {
  return () => obj;
}

function rereadRow(source: LazySource, rowid: number): () => KObject {
  return () => source.reread(rowid);
}
