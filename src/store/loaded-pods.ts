/**
 * The pods a store loaded from rows (ObjectStore.loadRow), in load order (their slots' `seq`
 * order), as columns of numbers: per pod its slot, its node's id, its owner list's id and, for a
 * pod with a scheduling class, its group (class, namespace, deletion). One set of columns read by
 * both the store's on-demand indexes and the scheduler's snapshot:
 *
 * - the indexes (object-store.ts `JoinIndex`, `KindIndex`) find a key's loaded pods, or a name's,
 *   without a walk of the 150k slots: the first ask sorts the positions by id once (a counting
 *   sort of small integers, ~1 ms at 150k); a key's pods are then its ids' positions, in load
 *   order (reading every slot's node and owners was ~1 ms a walk, filing them all ~90 ms);
 * - the snapshot (Snapshot.ofStore `addRowPods`) counts the pods with a class by node from the
 *   node and group columns instead of reading 150,000 scattered slots. `live` says which are still
 *   as loaded: the store's write and drop logs are followed (`catchUp`) and a pod written or
 *   deleted since is no longer one; `others` holds the pod slots that are not (parsed at load,
 *   loaded without a class, created or written since), which the snapshot reads as objects.
 *
 * A node's id is its number in the pod index's node table when the load read the index (no
 * lookup by name per pod); the columns are typed arrays grown by doubling (not scanned by the
 * collector as a JS array is).
 */
import type { KObject } from '../model/objects';
import type { PodRowClass, Removal, Slot } from './object-store';

/** One column of the loaded pods: per pod the id of its key (a node name, or an owner uid list). */
export class LoadedKeys<K extends string | readonly string[] = string | readonly string[]> {
  /** per loaded pod (load order), its key's id; `count` used */
  ids = new Int32Array(1024);
  count = 0;
  /** per id, its key: a string, or a list of keys (a pod's owner uids, one array per distinct list at load) */
  private keyOfId: K[] = [];
  /** keyOfId is this table given to `addId` (not ours: copied before a key is added by value) */
  private table: readonly K[] | undefined = undefined;
  private readonly idOfKey = new Map<K, number>();
  private lastKey: K | undefined = undefined;
  private lastId = -1;
  /** the positions sorted by id (stable: load order within an id) and where each id's start; remade when pods were loaded since */
  private order: Int32Array | undefined = undefined;
  private start: Int32Array | undefined = undefined;
  private sortedFor = -1;
  /** every key named, with the ids naming it; remade when ids were added since */
  private idsByKey: Map<string, number[]> | undefined = undefined;
  private idsByKeyFor = -1;

  /** per id, its key */
  get names(): readonly K[] {
    return this.keyOfId;
  }

  /** The next loaded pod's key(s). (Pods of one owner come in runs, and share their owners' array: one compare.) */
  add(key: K): void {
    let id = this.lastId;
    if (key !== this.lastKey) {
      if (this.table !== undefined) this.own();
      id = this.idOfKey.get(key) ?? -1;
      if (id < 0) {
        id = this.keyOfId.length;
        this.keyOfId.push(key);
        this.idOfKey.set(key, id);
      }
      this.lastKey = key;
      this.lastId = id;
    }
    this.push(id);
  }

  /** The next loaded pod's key as its number in `table` (the pod index's: the same table for a whole load). */
  addId(id: number, table: readonly K[]): void {
    if (table === this.table) this.push(id);
    else if (this.keyOfId.length === 0) {
      this.keyOfId = table as K[];
      this.table = table;
      this.push(id);
    } else this.add(table[id]);
  }

  /** keyOfId as a list of our own (the table copied, its ids kept) to add keys to. */
  private own(): void {
    this.keyOfId = [...this.table!];
    this.keyOfId.forEach((key, id) => this.idOfKey.set(key, id));
    this.table = undefined;
  }

  /** Room for this many pods in all. */
  reserve(length: number): void {
    if (length <= this.ids.length) return;
    const ids = new Int32Array(length);
    ids.set(this.ids);
    this.ids = ids;
  }

  private push(id: number): void {
    if (this.count === this.ids.length) {
      const ids = new Int32Array(this.count * 2);
      ids.set(this.ids);
      this.ids = ids;
    }
    this.ids[this.count++] = id;
  }

  /** Whether any loaded pod's row named the key. */
  named(key: string): boolean {
    const ids = this.keyIds().get(key);
    if (ids === undefined) return false;
    // (a table given to addId may name keys no pod has)
    const { start } = this.sorted();
    return ids.some((id) => start[id + 1] > start[id]);
  }

  /** Every key a loaded pod's row named (each once). */
  *keys(): IterableIterator<string> {
    const { start } = this.sorted();
    for (const [key, ids] of this.keyIds()) if (ids.some((id) => start[id + 1] > start[id])) yield key;
  }

  /** The positions (load order) of the pods whose row named the key. */
  positions(key: string): ArrayLike<number> {
    const ids = this.keyIds().get(key);
    if (ids === undefined) return NONE;
    const { order, start } = this.sorted();
    if (ids.length === 1) return order.subarray(start[ids[0]], start[ids[0] + 1]);
    let n = 0;
    for (const id of ids) n += start[id + 1] - start[id];
    const out = new Int32Array(n);
    n = 0;
    for (const id of ids) {
      out.set(order.subarray(start[id], start[id + 1]), n);
      n += start[id + 1] - start[id];
    }
    return out.sort();
  }

  private keyIds(): Map<string, number[]> {
    if (this.idsByKey !== undefined && this.idsByKeyFor === this.keyOfId.length) return this.idsByKey;
    const byKey = new Map<string, number[]>();
    this.keyOfId.forEach((keys, id) => {
      for (const key of typeof keys === 'string' ? [keys] : keys) {
        const ids = byKey.get(key);
        if (ids === undefined) byKey.set(key, [id]);
        else if (ids[ids.length - 1] !== id) ids.push(id);
      }
    });
    this.idsByKeyFor = this.keyOfId.length;
    return (this.idsByKey = byKey);
  }

  private sorted(): { order: Int32Array; start: Int32Array } {
    if (this.order !== undefined && this.start !== undefined && this.sortedFor === this.count)
      return { order: this.order, start: this.start };
    const ids = this.ids;
    const n = this.count;
    const start = new Int32Array(this.keyOfId.length + 1);
    for (let i = 0; i < n; i++) start[ids[i] + 1]++;
    for (let id = 1; id < start.length; id++) start[id] += start[id - 1];
    const next = start.slice(0, -1);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[next[ids[i]]++] = i;
    this.start = start;
    this.sortedFor = n;
    return { order: (this.order = order), start };
  }
}

const NONE: ArrayLike<number> = [];

/** The pods of one scheduling class, namespace and deletion state among a load's row pods. */
export interface RowPodGroup {
  podClass: PodRowClass;
  namespace: string;
  terminating: boolean;
}

/**
 * Makes the slot of a pod loaded lazily (LoadedPods.addLazy) from its columns: its namespace,
 * its record's chunk and offset (name and uid), row id, resourceVersion and row parser.
 */
export type LazySlotMaker = (
  namespace: string,
  keys: Buffer,
  keyAt: number,
  rowid: number,
  resourceVersion: number,
  parse: (slot: Slot) => KObject,
) => Slot;

/** The pod slots loaded from rows, in load order, with their columns (see the file's comment). */
export class LoadedPods {
  /**
   * per pod, in load order (`Slot.rowIndex` is a slot's place), its slot; null until made for a
   * pod loaded lazily (addLazy: made when first reached, `slot`): a slot per pod at load was most
   * of a 150k load's retained memory (160 bytes each) and of the collections it caused.
   */
  private readonly made: (Slot | null)[] = [];
  readonly nodes = new LoadedKeys<string>();
  readonly owners = new LoadedKeys<readonly string[]>();
  /** per pod, its group (-1: loaded without a scheduling class); `count` used */
  groupOf = new Int32Array(1024);
  readonly groups: RowPodGroup[] = [];
  /** 1 while a pod with a group is as loaded (made by catchUp) */
  live = new Uint8Array(0);
  liveCount = 0;
  /** the pod slots known only as objects, alive or not (a reader skips removed ones) */
  readonly others = new Set<Slot>();
  /**
   * per pod, its row id (what `byRowid` searches; the pod index's are 32-bit). (Integer columns:
   * a number read from a Float64Array and stored in a slot's field made the field a double, a
   * box per slot.)
   */
  private rowids = new Uint32Array(1024);
  /** per lazily loaded pod (the others' are not set), what its slot is made from: resourceVersion, seq, record's chunk and offset */
  private versions = new Float64Array(1024);
  private seqs = new Int32Array(1024);
  private chunkOf = new Int32Array(1024);
  private keyAt = new Int32Array(1024);
  /** the chunks lazily loaded pods' records are in, and the row parser of each */
  private readonly chunks: Buffer[] = [];
  private readonly parsers: ((slot: Slot) => KObject)[] = [];
  /** whether row ids rose with each pod loaded (a load's order: then `byRowid` searches) */
  private rising = true;
  private readonly groupIds = new Map<PodRowClass, Map<string, number[]>>();
  private lastGroup: RowPodGroup | undefined = undefined;
  private lastGroupId = -1;
  /** how far the write and drop logs were followed */
  private writesAt = 0;
  private dropsAt = 0;

  constructor(
    /** makes a lazily loaded pod's slot (the store's: addLazy is refused without one) */
    private readonly maker?: LazySlotMaker,
  ) {}

  /** how many pods were loaded */
  get count(): number {
    return this.made.length;
  }

  /** per pod, its node's number in `nodeNames` */
  get nodeOf(): Int32Array {
    return this.nodes.ids;
  }

  /** the node names by number (the pod index's table when the load read it) */
  get nodeNames(): readonly string[] {
    return this.nodes.names;
  }

  /** The slot of the pod at a place (made now if it was loaded lazily and not reached yet). */
  slot(i: number): Slot {
    return this.made[i] ?? this.make(i);
  }

  /** The slot at a place if it is made (null: a lazily loaded pod not reached yet). */
  madeAt(i: number): Slot | null {
    return this.made[i];
  }

  /** The seq of the pod at a place (its slot's, without making it: a lazily loaded pod's from its column). */
  seqAt(i: number): number {
    const slot = this.made[i];
    return slot !== null ? slot.seq : this.seqs[i];
  }

  /** The resourceVersion of a lazily loaded pod not made yet (madeAt null): its row's, as its slot would say. */
  lazyVersion(i: number): number {
    return this.versions[i];
  }

  /**
   * A pod row loaded (slot.rowIndex is set to its place): its node by name, or (`nodeTable`) by
   * its number `nodeId` in the pod index's node names; its group from its class (none: one of
   * the `others`).
   */
  add(
    slot: Slot,
    nodeName: string,
    owners: readonly string[],
    podClass?: PodRowClass,
    namespace = '',
    terminating = false,
    nodeId = -1,
    nodeTable?: readonly string[],
  ): void {
    const i = this.addColumns(slot.rowid!, nodeName, owners, podClass, namespace, terminating, nodeId, nodeTable);
    if (podClass === undefined) this.others.add(slot);
    slot.rowIndex = i;
    this.made.push(slot);
  }

  /**
   * A pod row loaded without its slot (made when first reached, `slot`): a pod with a scheduling
   * class, not terminating, its name and uid in its pod index record (`keys` at `keyAt`), its node
   * its number in the index's node names; its row id 32-bit, its seq 31-bit (`takes`). Returns its place.
   */
  addLazy(
    rowid: number,
    resourceVersion: number,
    seq: number,
    owners: readonly string[],
    podClass: PodRowClass,
    namespace: string,
    nodeId: number,
    nodeTable: readonly string[],
    keys: Buffer,
    keyAt: number,
    parse: (slot: Slot) => KObject,
  ): number {
    const i = this.addColumns(rowid, nodeTable[nodeId], owners, podClass, namespace, false, nodeId, nodeTable);
    if (i >= this.versions.length) {
      const length = this.rowids.length;
      this.versions = grown(this.versions, length);
      this.seqs = grown(this.seqs, length);
      this.chunkOf = grown(this.chunkOf, length);
      this.keyAt = grown(this.keyAt, length);
    }
    const chunks = this.chunks;
    let chunk = chunks.length - 1;
    if (chunk < 0 || chunks[chunk] !== keys || this.parsers[chunk] !== parse) {
      chunk = chunks.push(keys) - 1;
      this.parsers.push(parse);
    }
    this.versions[i] = resourceVersion;
    this.seqs[i] = seq;
    this.chunkOf[i] = chunk;
    this.keyAt[i] = keyAt;
    this.made.push(null);
    return i;
  }

  /** Room for this many more pods (the columns made to hold them, not grown by doubling on the way). */
  reserve(more: number): void {
    const length = this.made.length + more;
    if (length > this.groupOf.length) {
      this.groupOf = grown(this.groupOf, length);
      this.rowids = grown(this.rowids, length);
    }
    if (this.maker !== undefined && length > this.versions.length) {
      this.versions = grown(this.versions, length);
      this.seqs = grown(this.seqs, length);
      this.chunkOf = grown(this.chunkOf, length);
      this.keyAt = grown(this.keyAt, length);
    }
    this.nodes.reserve(length);
    this.owners.reserve(length);
  }

  /** Whether a pod of this row id and seq can be loaded lazily (a maker was given, and its columns hold them). */
  takes(rowid: number, seq: number): boolean {
    return this.maker !== undefined && rowid >= 0 && rowid <= 0xffffffff && seq <= 0x7fffffff;
  }

  /** A lazily loaded pod's slot, as loadRow would have made it. */
  private make(i: number): Slot {
    const group = this.groups[this.groupOf[i]];
    const chunk = this.chunkOf[i];
    const slot = this.maker!(group.namespace, this.chunks[chunk], this.keyAt[i], this.rowids[i], this.versions[i], this.parsers[chunk]);
    slot.rowNode = this.nodes.names[this.nodes.ids[i]] as string;
    slot.podClass = group.podClass;
    slot.rowTerminating = false;
    slot.facts = '';
    slot.seq = this.seqs[i];
    slot.rowIndex = i;
    this.made[i] = slot;
    return slot;
  }

  /** The columns of the next pod loaded; its place. */
  private addColumns(
    rowid: number,
    nodeName: string,
    owners: readonly string[],
    podClass: PodRowClass | undefined,
    namespace: string,
    terminating: boolean,
    nodeId: number,
    nodeTable: readonly string[] | undefined,
  ): number {
    const i = this.made.length;
    if (i !== 0 && !(rowid > this.rowids[i - 1])) this.rising = false;
    if (nodeTable !== undefined && nodeId >= 0) this.nodes.addId(nodeId, nodeTable);
    else this.nodes.add(nodeName);
    this.owners.add(owners);
    let group = -1;
    if (podClass !== undefined) {
      const last = this.lastGroup;
      // (pods of one ReplicaSet mostly come in a run)
      if (last === undefined || last.podClass !== podClass || last.namespace !== namespace || last.terminating !== terminating) {
        let byNamespace = this.groupIds.get(podClass);
        if (!byNamespace) this.groupIds.set(podClass, (byNamespace = new Map()));
        let ids = byNamespace.get(namespace);
        if (!ids) byNamespace.set(namespace, (ids = [-1, -1]));
        const t = terminating ? 1 : 0;
        if (ids[t] < 0) {
          ids[t] = this.groups.length;
          this.groups.push({ podClass, namespace, terminating });
        }
        this.lastGroupId = ids[t];
        this.lastGroup = this.groups[ids[t]];
      }
      group = this.lastGroupId;
    }
    if (i === this.groupOf.length) {
      this.groupOf = grown(this.groupOf, i * 2);
      this.rowids = grown(this.rowids, i * 2);
    }
    this.groupOf[i] = group;
    this.rowids[i] = rowid;
    return i;
  }

  /** The slots at these positions, in their order. */
  at(positions: ArrayLike<number>): Slot[] {
    const out = new Array<Slot>(positions.length);
    for (let i = 0; i < positions.length; i++) out[i] = this.slot(positions[i]);
    return out;
  }

  /** The loaded pod of a row id (undefined: none was loaded from it; null: cannot tell, row ids did not rise). */
  byRowid(rowid: number): Slot | undefined | null {
    if (!this.rising) return null;
    const rowids = this.rowids;
    let lo = 0;
    let hi = this.made.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = rowids[mid];
      if (at === rowid) return this.slot(mid);
      if (at < rowid) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /**
   * Brings `live` and `others` up to the store's logs: a row pod written or deleted since is no
   * longer live; a pod written is one of the others, a deleted one leaves them.
   */
  catchUp(writeLog: readonly Slot[], dropLog: readonly Removal[]): void {
    const n = this.made.length;
    if (this.live.length !== n) {
      // (the first call after the load: every pod with a group loaded since is as loaded)
      const live = new Uint8Array(n);
      live.set(this.live);
      const groupOf = this.groupOf;
      let added = 0;
      for (let i = this.live.length; i < n; i++) if (groupOf[i] >= 0) added += live[i] = 1;
      this.liveCount += added;
      this.live = live;
    }
    for (let i = this.writesAt; i < writeLog.length; i++) {
      const slot = writeLog[i];
      if (slot.removed || (slot.obj as KObject).kind !== 'Pod') continue;
      this.leave(slot);
      this.others.add(slot);
    }
    this.writesAt = writeLog.length;
    for (let i = this.dropsAt; i < dropLog.length; i++) {
      const slot = dropLog[i].slot;
      if (dropLog[i].kind !== 'Pod' || !slot) continue;
      this.leave(slot);
      this.others.delete(slot);
    }
    this.dropsAt = dropLog.length;
  }

  private leave(slot: Slot): void {
    const i = slot.rowIndex;
    if (i >= 0 && this.made[i] === slot && this.live[i]) {
      this.live[i] = 0;
      this.liveCount--;
    }
  }
}

/** A column made `length` long, its values kept. */
function grown<T extends Float64Array | Int32Array | Uint32Array>(column: T, length: number): T {
  const out = new (column.constructor as new (n: number) => T)(length);
  out.set(column);
  return out;
}
