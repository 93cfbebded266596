import type { KObject } from '../model/objects';
import type { PodRowClass, Removal, Slot } from './object-store';

/** The pods of one scheduling class, namespace and deletion state among a load's row pods. */
export interface RowPodGroup {
  podClass: PodRowClass;
  namespace: string;
  terminating: boolean;
}

/**
 * The pods a load kept as rows with a scheduling class (ObjectStore.loadRow), as numbers in load
 * order (which is their slots' `seq` order): each one's group (class, namespace, deletion) and
 * node. The scheduler's snapshot counts them by node from these arrays (Snapshot.ofStore) instead
 * of walking 150,000 slots (reading a few fields of each scattered object was most of the build).
 * `live` says which are still as loaded: the store's write and drop logs are followed (`catchUp`)
 * and a pod written or deleted since is no longer one; `others` holds the pod slots that are not
 * (parsed at load, created or written since), which the snapshot reads as objects.
 */
export class RowPods {
  /** per pod, in load order */
  readonly slots: Slot[] = [];
  /** (typed arrays, grown by doubling: not scanned by the collector as a JS array is; `slots.length` used) */
  groupOf = new Int32Array(1024);
  /** index into nodeNames (-1: unbound) */
  nodeOf = new Int32Array(1024);
  /** 1 while the pod is as loaded */
  live = new Uint8Array(0);
  liveCount = 0;
  readonly groups: RowPodGroup[] = [];
  /** the node names (the pod index's table when the load read it: its ids are the nodes' numbers) */
  nodeNames: readonly string[] = [];
  /** nodeNames is this pod index table, not a list of our own */
  private table: readonly string[] | undefined = undefined;
  /** the pod slots known only as objects, alive or not (a reader skips removed ones) */
  readonly others = new Set<Slot>();
  private readonly nodeIds = new Map<string, number>();
  private readonly groupIds = new Map<PodRowClass, Map<string, number[]>>();
  private lastGroup: RowPodGroup | undefined = undefined;
  private lastGroupId = -1;
  private lastNode: string | undefined = undefined;
  private lastNodeId = -1;
  /** how far the write and drop logs were followed */
  private writesAt = 0;
  private dropsAt = 0;

  /**
   * A pod row loaded with its class (slot.rowIndex is set to its place); `nodeId` its node's number
   * in `nodeTable`, the pod index's node names, when the load read the index (no lookup by name).
   */
  add(
    slot: Slot,
    podClass: PodRowClass,
    namespace: string,
    terminating: boolean,
    nodeName: string,
    nodeId: number,
    nodeTable: readonly string[] | undefined,
  ): void {
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
    let node = -1;
    if (nodeName !== '' && nodeTable !== undefined && (nodeTable === this.table || this.slots.length === 0)) {
      this.table = this.nodeNames = nodeTable;
      node = nodeId;
    } else if (nodeName !== '') {
      if (this.table) this.ownNames();
      if (nodeName === this.lastNode) node = this.lastNodeId;
      else {
        const id = this.nodeIds.get(nodeName);
        if (id === undefined) {
          node = this.nodeNames.length;
          this.nodeIds.set(nodeName, node);
          (this.nodeNames as string[]).push(nodeName);
        } else node = id;
        this.lastNode = nodeName;
        this.lastNodeId = node;
      }
    }
    const i = this.slots.length;
    if (i === this.groupOf.length) {
      const groupOf = new Int32Array(i * 2);
      groupOf.set(this.groupOf);
      this.groupOf = groupOf;
      const nodeOf = new Int32Array(i * 2);
      nodeOf.set(this.nodeOf);
      this.nodeOf = nodeOf;
    }
    slot.rowIndex = i;
    this.slots.push(slot);
    this.groupOf[i] = this.lastGroupId;
    this.nodeOf[i] = node;
  }

  /** nodeNames as a list of our own (the pod index's table copied, its ids kept) to add names to. */
  private ownNames(): void {
    const names = [...this.table!];
    names.forEach((name, i) => this.nodeIds.set(name, i));
    this.nodeNames = names;
    this.table = undefined;
    this.lastNode = undefined;
  }

  /**
   * Brings `live` and `others` up to the store's logs: a row pod written or deleted since is no
   * longer live; a pod written is one of the others, a deleted one leaves them.
   */
  catchUp(writeLog: readonly Slot[], dropLog: readonly Removal[]): void {
    if (this.live.length !== this.slots.length) {
      // (the first call after the load: every row pod loaded since is as loaded)
      const live = new Uint8Array(this.slots.length).fill(1, this.live.length);
      live.set(this.live);
      this.liveCount += this.slots.length - this.live.length;
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
    if (i >= 0 && this.slots[i] === slot && this.live[i]) {
      this.live[i] = 0;
      this.liveCount--;
    }
  }
}
