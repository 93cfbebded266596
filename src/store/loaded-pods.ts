/**
 * The pods a store loaded from rows (ObjectStore.loadRow), in load order, with what their rows
 * said of their node and owners as numbers: what the store's on-demand indexes (object-store.ts
 * `JoinIndex`, `KindIndex`) read to find a key's loaded pods, or a name's, without a walk of the
 * 150k slots.
 *
 * A key's loaded pods were found by reading every slot's `rowNode` / `rowOwners` (~1 ms a walk at
 * 150k pods), and after 8 walks by filing all of them under their keys in Maps and arrays (~40 ms
 * for the nodes, ~50 for the names): `rollout status` of 1,000 replicas, whose 750 deletions each
 * ask for a node, spent ~180 ms there. Here each pod is one id per column, and the first ask
 * sorts the positions by id once (a counting sort of small integers, ~1 ms at 150k); a key's pods
 * are then its ids' positions, in load order.
 */
import type { Slot } from './object-store';

/** One column of the loaded pods: per pod the id of its key (a node name, or an owner uid list). */
export class LoadedKeys {
  /** per loaded pod (load order), its key's id */
  private readonly ids: number[] = [];
  /** per id, its key: a string, or a list of keys (a pod's owner uids, one array per distinct list at load) */
  private readonly keyOfId: (string | readonly string[])[] = [];
  private readonly idOfKey = new Map<string | readonly string[], number>();
  private lastKey: string | readonly string[] | undefined = undefined;
  private lastId = -1;
  /** the positions sorted by id (stable: load order within an id) and where each id's start; remade when pods were loaded since */
  private order: Int32Array | undefined = undefined;
  private start: Int32Array | undefined = undefined;
  /** every key named, with the ids naming it; remade when ids were added since */
  private idsByKey: Map<string, number[]> | undefined = undefined;
  private idsByKeyFor = 0;

  get count(): number {
    return this.ids.length;
  }

  /** The next loaded pod's key(s). (Pods of one owner come in runs, and share their owners' array: one compare.) */
  add(key: string | readonly string[]): void {
    let id = this.lastId;
    if (key !== this.lastKey) {
      id = this.idOfKey.get(key) ?? -1;
      if (id < 0) {
        id = this.keyOfId.length;
        this.keyOfId.push(key);
        this.idOfKey.set(key, id);
      }
      this.lastKey = key;
      this.lastId = id;
    }
    this.ids.push(id);
    this.order = undefined;
  }

  /** Whether any loaded pod's row named the key. */
  named(key: string): boolean {
    return this.keyIds().has(key);
  }

  /** Every key a loaded pod's row named (each once). */
  keys(): IterableIterator<string> {
    return this.keyIds().keys();
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
    if (this.order !== undefined && this.start !== undefined) return { order: this.order, start: this.start };
    const ids = this.ids;
    const start = new Int32Array(this.keyOfId.length + 1);
    for (let i = 0; i < ids.length; i++) start[ids[i] + 1]++;
    for (let id = 1; id < start.length; id++) start[id] += start[id - 1];
    const next = start.slice(0, -1);
    const order = new Int32Array(ids.length);
    for (let i = 0; i < ids.length; i++) order[next[ids[i]]++] = i;
    this.start = start;
    return { order: (this.order = order), start };
  }
}

const NONE: ArrayLike<number> = [];

/** The pod slots loaded from rows, in load order, with their node and owners columns. */
export class LoadedPods {
  readonly slots: Slot[] = [];
  readonly nodes = new LoadedKeys();
  readonly owners = new LoadedKeys();
  /** whether row ids rose with each pod loaded (a load's order: then `byRowid` searches) */
  private rising = true;

  add(slot: Slot, node: string, owners: readonly string[]): void {
    const slots = this.slots;
    if (slots.length !== 0 && !(slot.rowid! > slots[slots.length - 1].rowid!)) this.rising = false;
    slots.push(slot);
    this.nodes.add(node);
    this.owners.add(owners);
  }

  /** The slots at these positions, in their order. */
  at(positions: ArrayLike<number>): Slot[] {
    const out = new Array<Slot>(positions.length);
    for (let i = 0; i < positions.length; i++) out[i] = this.slots[positions[i]];
    return out;
  }

  /** The loaded pod of a row id (undefined: none was loaded from it; null: cannot tell, row ids did not rise). */
  byRowid(rowid: number): Slot | undefined | null {
    if (!this.rising) return null;
    const slots = this.slots;
    let lo = 0;
    let hi = slots.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = slots[mid].rowid!;
      if (at === rowid) return slots[mid];
      if (at < rowid) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }
}
