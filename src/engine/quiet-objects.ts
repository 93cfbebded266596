import type { KObject } from '../api/types';
import { byNamespaceName, type ObjectStore, type Slot } from '../store/object-store';

/** A `quiet` action's promise: nothing to do for `obj` (as stored after the reconcile) before `until`. */
interface Mark {
  slot: Slot;
  obj: KObject;
  until: number;
}

/**
 * One kind controller's work queue in an engine: the objects to reconcile in a pass. An object
 * the controller declared quiet is left out until its time comes, it is written again, or an
 * object of a kind the controller depends on is written; every other object is reconciled every
 * pass, as without a queue. At 150k pods nearly all are quiet between the kubelet's steps, and a
 * pass that visited them all to skip them cost more than the steps themselves.
 */
export class QuietObjects {
  private marks = new Map<Slot, Mark>();
  /** marks with a finite time, earliest first; one replaced or ended stays until it reaches the top */
  private heap: Mark[] = [];
  /** objects not quiet; null: every object (no marks yet, or just reset) */
  private loud: Set<Slot> | null = null;
  /** how far into the store's write log this queue has looked */
  private cursor: number;
  private deps: number;

  constructor(
    private readonly store: ObjectStore,
    private readonly kind: string,
    private readonly dependsOn: readonly string[],
  ) {
    this.cursor = store.writeLog.length;
    this.deps = this.dependencyWrites();
  }

  /**
   * The slots to reconcile now, in namespace/name order (the order a full pass would visit
   * them in), after taking in what was written since the last pass. `wake` gets the earliest
   * time a quiet object is due.
   */
  due(now: number, wake: (at: number) => void): readonly Slot[] {
    if (this.dependenciesMoved()) this.reset();
    this.takeWrites();
    while (this.heap.length) {
      const top = this.heap[0];
      const live = this.marks.get(top.slot) === top;
      if (live && top.until > now) break;
      popMin(this.heap);
      if (live) this.wakeUp(top.slot);
    }
    if (this.heap.length) wake(this.heap[0].until);
    const all = this.store.sortedSlots(this.kind);
    const loud = this.loud;
    if (!loud) return all;
    // most objects due: one walk of the sorted list; few: sort just those
    if (loud.size * 4 >= all.length) return all.filter((s) => loud.has(s));
    const slots: Slot[] = [];
    for (const s of loud) {
      if (s.removed) loud.delete(s);
      else slots.push(s);
    }
    return slots.sort((a, b) => byNamespaceName(a.obj, b.obj));
  }

  /** Whether a write to a kind the controller depends on ended every quiet (checked before each reconcile). */
  dependenciesMoved(): boolean {
    return this.dependsOn.length > 0 && this.dependencyWrites() !== this.deps;
  }

  /** Every object is due again. */
  reset(): void {
    this.marks.clear();
    this.heap = [];
    this.loud = null;
    this.deps = this.dependencyWrites();
  }

  /** After a reconcile: `slot` is quiet until `until` as it is stored now (`quiet` undefined: it is not). */
  settled(slot: Slot, until: number | undefined): void {
    if (until === undefined || slot.removed) {
      if (this.marks.delete(slot)) this.loud?.add(slot);
      return;
    }
    const mark = { slot, obj: slot.obj, until };
    this.marks.set(slot, mark);
    this.loud?.delete(slot);
    if (until !== Infinity) pushMin(this.heap, mark);
  }

  /** After a pass over every object: from now on only the loud ones and the writes are looked at. */
  endPass(visited: readonly Slot[]): void {
    if (this.loud || this.marks.size === 0) return;
    const loud = new Set<Slot>();
    for (const s of visited) if (!s.removed && this.marks.get(s)?.obj !== s.obj) loud.add(s);
    this.loud = loud;
  }

  /** A written object is due unless the write was the controller's own and it declared quiet after it. */
  private takeWrites(): void {
    const log = this.store.writeLog;
    if (this.marks.size || this.loud) {
      for (let i = this.cursor; i < log.length; i++) {
        const s = log[i];
        if (s.obj.kind !== this.kind) continue;
        const mark = this.marks.get(s);
        if (mark && mark.obj === s.obj && !s.removed) continue;
        if (mark) this.marks.delete(s);
        if (!s.removed) this.loud?.add(s);
      }
    }
    this.cursor = log.length;
  }

  private wakeUp(slot: Slot): void {
    this.marks.delete(slot);
    if (!slot.removed) this.loud?.add(slot);
  }

  private dependencyWrites(): number {
    let n = 0;
    for (const kind of this.dependsOn) n += this.store.kindWrites(kind);
    return n;
  }
}

function pushMin(heap: Mark[], m: Mark): void {
  let i = heap.push(m) - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent].until <= m.until) break;
    heap[i] = heap[parent];
    i = parent;
  }
  heap[i] = m;
}

function popMin(heap: Mark[]): void {
  const last = heap.pop()!;
  if (!heap.length) return;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= heap.length) break;
    const r = l + 1;
    const c = r < heap.length && heap[r].until < heap[l].until ? r : l;
    if (heap[c].until >= last.until) break;
    heap[i] = heap[c];
    i = c;
  }
  heap[i] = last;
}
