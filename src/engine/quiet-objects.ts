import type { KObject } from '../model/objects';
import {
  bySlotName,
  scratchOf,
  slotSeqBound,
  type DependentBumps,
  type ObjectStore,
  type ReadonlyObjectStore,
  type Slot,
} from '../store/object-store';
import { FNV_OFFSET, fnv1a } from '../util/hash';

/** A `quiet` action's promise: nothing to do for `obj` (as stored after the reconcile) before `until`. */
interface Mark {
  slot: Slot;
  /** slot.writes when marked: the mark is of the object as it was then (read without parsing a row) */
  writes: number;
  until: number;
  /** the queue's generation it was made in (a reset starts a new one) */
  generation: number;
  /** with `watchesDependents`: ObjectStore.dependentsVersion of the object when it was marked */
  dependents: number;
}

/**
 * A queue's marks as the state file keeps them between commands: for each marked object, by
 * row id ascending, its row id, the resourceVersion it was quiet at, and the index of its time
 * in `times` (null: never). A mark holds in a later command only while its object's
 * resourceVersion and the fingerprint of the kinds the controller depends on (every object's
 * name and resourceVersion) are unchanged, whoever wrote the file in between — the same
 * conditions a mark holds under in one process. Row id order lets a later command match them
 * to its objects (loaded in row id order) in one walk, without a map of 150k row ids.
 */
export interface SavedQuiet {
  v: 2;
  deps: string;
  times: (number | null)[];
  /** flat triples (row id, resourceVersion, index in `times`); saved as binary (quietRowValue) */
  marks: ArrayLike<number>;
  /**
   * With `watchesDependents`: the dependents' kind in the file as saved, `count:max
   * resourceVersion` (see dependentsAsLoaded). The marks hold only if the file's objects of
   * that kind are still exactly those (any write gives a higher resourceVersion, a deletion a
   * lower count): the dependents' version counters are the process's, so writes by another
   * process are seen only this way.
   */
  dependents?: string;
  /**
   * With `dependsOnEach`: that kind's objects as saved, name and resourceVersion, flat, in name
   * order. The marks hold if the names are the same; the dependents of an object whose
   * resourceVersion moved are due.
   */
  each?: string[];
  /**
   * The kind's objects in the file as saved (`count:max resourceVersion`, see dependentsAsLoaded):
   * when they are still those, every mark forever and one for each object, the marks are taken
   * up without a walk of the objects (QuietObjects.lazy).
   */
  objects?: string;
}

/**
 * How a queue's controller reads beyond its own object and the kinds it depends on:
 * `watchesDependents` names the kind of the objects it owns (a ReplicaSet's pods), whose
 * writes end the mark of their owner only (ObjectStore.dependentsVersion: objects owned by it,
 * and orphans of its namespace it could adopt) instead of every mark.
 */
export interface QueueOptions {
  watchesDependents?: string;
  /** which of them are the object's, as a counter of their writes (default: ObjectStore.dependentsVersion, by owner) */
  dependentsVersion?: (store: ReadonlyObjectStore, slot: Slot) => number;
  /** see Controller.ownerOfDependent: the marks rechecked are those of the written dependents' owners */
  ownerOfDependent?: (dependent: KObject) => { namespace: string | undefined; name: string } | undefined;
  /** see Controller.dependsOnEach: an update of one of these wakes its dependents only */
  dependsOnEach?: { kind: string; dependents(store: ReadonlyObjectStore, name: string): Iterable<Slot> };
}

/**
 * The store's write log split by kind, one split per store shared by its queues: a queue reads the
 * writes of its kind (and of its dependsOnEach kind), not every write. Each queue with marks used
 * to walk the whole log every pass and read each written object's kind: at 15k pods a
 * `clock advance` visited 167k log entries (two Node queues, the Pod, ReplicaSet, APIService,
 * FlowSchema, ClusterRole queues) for its 30k writes, a cache miss on the pod object each.
 */
interface KindLogs {
  /** how far into the write log the split is */
  at: number;
  byKind: Map<string, Slot[]>;
}
const kindLogsByStore = new WeakMap<ReadonlyObjectStore, KindLogs>();

/** The store's writes of one kind so far, in write order (append-only, as the write log). */
function writesOfKind(store: ReadonlyObjectStore, kind: string): readonly Slot[] {
  const log = store.writeLog;
  let logs = kindLogsByStore.get(store);
  // (writes before the first queue of the store are no queue's news)
  if (!logs) kindLogsByStore.set(store, (logs = { at: log.length, byKind: new Map() }));
  const byKind = logs.byKind;
  for (; logs.at < log.length; logs.at++) {
    const slot = log[logs.at];
    const k = slot.obj.kind;
    const list = byKind.get(k);
    if (list) list.push(slot);
    else byKind.set(k, [slot]);
  }
  let list = byKind.get(kind);
  if (!list) byKind.set(kind, (list = []));
  return list;
}

/**
 * One kind controller's work queue in an engine: the objects to reconcile in a pass. An object
 * the controller declared quiet is left out until its time comes, it is written again, or an
 * object of a kind the controller depends on is written; every other object is reconciled every
 * pass, as without a queue. At 150k pods nearly all are quiet between the kubelet's steps, and a
 * pass that visited them all to skip them cost more than the steps themselves.
 */
export class QuietObjects {
  /**
   * This queue's index into each slot's scratch array, where it keeps the slot's mark (a Map of
   * 150k marks cost more than the passes it saved); taken at the first mark, from its kind's
   * count, so that the few queues that ever mark get the low indices and the arrays stay short.
   */
  private id = -1;
  /** marks of earlier generations are void (reset drops every mark at once) */
  private generation = 0;
  /** live marks */
  private count = 0;
  /** false from a restore until a mark is made, moved or ended: the saved marks still say it all */
  private marksChanged = true;
  /** with watchesDependents: the store's writes of that kind when the marks were last saved or restored */
  private dependentWrites = -1;

  /** Whether the state file's marks for this queue are out of date (its marks, or the dependents they were made at, moved). */
  get changed(): boolean {
    const owned = this.options.watchesDependents;
    return this.marksChanged || (owned !== undefined && this.store.kindWrites(owned) !== this.dependentWrites);
  }

  set changed(value: boolean) {
    this.marksChanged = value;
    if (!value && this.options.watchesDependents) this.dependentWrites = this.store.kindWrites(this.options.watchesDependents);
  }
  /**
   * Marks with a finite time, by time (objects stepped together share one: a few times hold
   * 150k pods), with how many of them are still live; a mark that ended or moved stays listed
   * until that time comes.
   */
  private byTime = new Map<number, { marks: Mark[]; live: number }>();
  /** the keys of byTime, earliest first */
  private times: number[] = [];
  /** objects not quiet; null: every object (no marks yet, or just reset) */
  private loud: Set<Slot> | null = null;
  /** how far into the store's writes of its kind (and of dependsOnEach's kind) this queue has looked */
  private cursor: number;
  private eachCursor: number;
  private deps: number;
  /** with dependsOnEach: how far into the store's drop log this queue has looked, and how many of that kind there were */
  private eachDrops: number;
  private eachCount: number;

  constructor(
    private readonly store: ObjectStore,
    private readonly kind: string,
    private readonly dependsOn: readonly string[],
    private readonly options: QueueOptions = {},
  ) {
    this.cursor = writesOfKind(store, kind).length;
    this.eachCursor = options.dependsOnEach ? writesOfKind(store, options.dependsOnEach.kind).length : 0;
    this.deps = this.dependencyWrites();
    this.eachDrops = store.dropLog.length;
    this.eachCount = options.dependsOnEach ? store.count(options.dependsOnEach.kind) : 0;
  }

  /**
   * Marks restored from the file and not looked at since, by Slot.seq − restoredFrom: quiet
   * forever, as loaded (writes 0, dependents 0). A restore made a mark object (and a scratch
   * array) for each of 150,000 pods, ~0.1 s of every command that ran the kubelet, plus their
   * copies by the young collections; now a mark is made when something asks for it (a pod
   * written, woken or reconciled) and the save writes the others back as they were.
   * Only for queues without watchesDependents (those compare each mark's dependents every pass).
   */
  private restoredBits: Uint8Array | undefined = undefined;
  private restoredFrom = 0;
  /**
   * Marks restored without a walk (issue #22: the walks of restore and saved were ~0.15 s of each
   * command running the kubelet at 150k pods): when the file's objects of the kind are those the
   * marks were saved for, each has one and all are quiet forever, a loaded object holds its
   * saved mark (found by row id in the saved marks) unless it was written or deleted before the
   * restore (`excluded`) or its mark was made since (`consumed`); the objects written before the
   * restore are the loud ones. A save then writes the saved marks again but those of the objects
   * touched since (`consumed`, `excluded`, the writes and deletions since: any other object is
   * still quiet as restored, never due, so it has no new mark), made anew.
   */
  private lazy:
    | {
        marks: ArrayLike<number>;
        excluded: Set<Slot>;
        consumed: Set<Slot>;
        /** the kind's writes and the store's drops at the restore, and a seq above those of the slots then */
        writes: number;
        seqBound: number;
        drops: number;
        /** every mark's time column 0 (as savedLazily writes them) in a typed array: runs of them are copied whole at the save */
        copied: boolean;
      }
    | undefined = undefined;

  /** Whether the slot holds a restored mark not made yet (see restoredBits, lazy). */
  private restoredOnly(slot: Slot): boolean {
    if (this.lazy) return this.lazyRestored(slot);
    const bits = this.restoredBits;
    if (bits === undefined) return false;
    const i = slot.seq - this.restoredFrom;
    return i >= 0 && i < bits.length && bits[i] === 1;
  }

  private markOf(slot: Slot): Mark | undefined {
    if (this.restoredOnly(slot)) {
      if (this.lazy) this.lazy.consumed.add(slot);
      else this.restoredBits![slot.seq - this.restoredFrom] = 0;
      const mark: Mark = { slot, writes: 0, until: Infinity, generation: this.generation, dependents: 0 };
      if (this.id < 0) this.id = this.store.newScratchIndex(this.kind);
      scratchOf(slot)[this.id] = mark;
      return mark;
    }
    if (this.id < 0) return undefined;
    const mark = slot.scratch?.[this.id] as Mark | undefined;
    return mark !== undefined && mark.generation === this.generation ? mark : undefined;
  }

  /** markOf without making a restored mark: whether the slot has one. */
  private marked(slot: Slot): boolean {
    if (this.restoredOnly(slot)) return true;
    if (this.id < 0) return false;
    const mark = slot.scratch?.[this.id] as Mark | undefined;
    return mark !== undefined && mark.generation === this.generation;
  }

  /**
   * The slots to reconcile now, in namespace/name order (the order a full pass would visit
   * them in), after taking in what was written since the last pass. `wake` gets the earliest
   * time a quiet object is due.
   */
  due(now: number, wake: (at: number) => void): readonly Slot[] {
    if (this.dependenciesMoved() || this.eachAddedOrRemoved(true)) this.reset();
    this.takeWrites();
    if (this.options.watchesDependents && this.count) this.takeDependentWrites();
    while (this.times.length) {
      const at = this.times[0];
      const entry = this.byTime.get(at)!;
      if (at > now && entry.live > 0) {
        wake(at);
        break;
      }
      popMin(this.times);
      this.byTime.delete(at);
      if (entry.live > 0)
        for (const mark of entry.marks) if (mark.until === at && this.markOf(mark.slot) === mark) this.unmark(mark.slot, mark);
    }
    const loud = this.loud;
    if (!loud) return this.store.sortedSlots(this.kind);
    // most objects due: one walk of the sorted list; few: sort just those (without asking for the
    // sorted list: a pod created since the last pass makes the store sort all 150k again)
    if (loud.size * 4 >= this.store.count(this.kind)) {
      const slots = this.store.sortedSlots(this.kind).filter((s) => loud.has(s));
      // deleted objects' slots are dropped here too (the other branch drops them as it meets them)
      if (loud.size > slots.length) this.loud = new Set(slots);
      return slots;
    }
    const slots: Slot[] = [];
    for (const s of loud) {
      if (s.removed) loud.delete(s);
      else slots.push(s);
    }
    return slots.sort(bySlotName);
  }

  /**
   * Takes in marks a previous command saved (before the first pass): each holds if its object
   * is as it was then; every other object is due. Without them the first pass of every command
   * re-checked all 150k pods of a large cluster to learn what the last command already knew.
   */
  restore(saved: SavedQuiet): void {
    if (
      saved?.v !== 2 ||
      !(Array.isArray(saved.marks) || saved.marks instanceof Uint32Array || saved.marks instanceof Float64Array) ||
      !Array.isArray(saved.times) ||
      saved.deps !== this.fingerprint()
    )
      return;
    const owned = this.options.watchesDependents;
    if (owned && saved.dependents !== this.store.dependentsAsLoaded(owned)) return;
    const moved = this.eachMovedSince(saved.each);
    if (!moved) return;
    const { marks, times } = saved;
    if (this.restoreLazily(saved, moved)) return;
    // (a restored mark is as of the load: dependents written since, by this command, end it at the first due())
    const take = (slot: Slot, j: number) => {
      if (slot.removed || slot.resourceVersion !== marks[j + 1]) return;
      const until = times[marks[j + 2]] ?? Infinity;
      const bits = this.restoredBits;
      const i = slot.seq - this.restoredFrom;
      if (bits && until === Infinity && slot.writes === 0 && i >= 0 && i < bits.length && !this.marked(slot)) {
        bits[i] = 1;
        this.count++;
      } else this.settled(slot, until, 0);
    };
    if (!owned) {
      // the kind's slots as loaded span these seqs (objects created since have higher ones)
      let from = Infinity;
      let to = -Infinity;
      for (const slot of this.store.slotsInInsertionOrder(this.kind)) {
        if (slot.seq < from) from = slot.seq;
        if (slot.seq > to) to = slot.seq;
      }
      if (to >= from) {
        this.restoredFrom = from;
        this.restoredBits = new Uint8Array(to - from + 1);
      }
    }
    // objects as loaded are in row id order, like the marks: one walk matches them
    let j = 0;
    let last = -Infinity;
    let inOrder = true;
    for (const slot of this.store.slotsInInsertionOrder(this.kind)) {
      const rowid = slot.rowid;
      if (rowid === undefined) continue;
      if (rowid < last) {
        inOrder = false;
        break;
      }
      last = rowid;
      while (j < marks.length && marks[j] < rowid) j += 3;
      if (j < marks.length && marks[j] === rowid) take(slot, j);
    }
    if (!inOrder) {
      // (an object deleted and created again in this command keeps its row: look them up instead)
      this.reset();
      const byRow = new Map<number, Slot>();
      for (const slot of this.store.slotsInInsertionOrder(this.kind)) if (slot.rowid !== undefined) byRow.set(slot.rowid, slot);
      for (let k = 0; k + 2 < marks.length; k += 3) {
        const slot = byRow.get(marks[k]);
        if (slot) take(slot, k);
      }
    }
    // the dependents of each object updated since the save (by this command or another) are due
    for (const name of moved) this.wakeDependents(name);
    if (!this.count) return;
    // (a set: its order is never read, so the kind's slots need not be sorted — 150,000 pods'
    // sort was 40-80 ms of each command that restores the kubelet's marks)
    const loud = new Set<Slot>();
    for (const s of this.store.slotsInInsertionOrder(this.kind)) if (!this.marked(s)) loud.add(s);
    this.loud = loud;
    // marks were checked against the objects as they are now, writes since load included
    this.cursor = writesOfKind(this.store, this.kind).length;
    if (this.options.dependsOnEach) this.eachCursor = writesOfKind(this.store, this.options.dependsOnEach.kind).length;
    this.deps = this.dependencyWrites();
    // (the saved marks all held only if none were dropped; else saving again forgets them)
    this.marksChanged = this.count * 3 !== marks.length;
    // (the marks are as of the load: dependents this command wrote before its first pass are news to the file)
    this.dependentWrites = 0;
  }

  /** The marks still standing, for the state file; undefined when there are none that hold. */
  saved(): SavedQuiet | undefined {
    if (this.dependenciesMoved() || !this.count || this.eachAddedOrRemoved(false)) return undefined;
    // objects of dependsOnEach's kind written since the last pass: their dependents' marks do not hold
    const stale = this.options.dependsOnEach ? this.eachWrittenSince() : undefined;
    const out = this.lazy ? this.savedLazily(stale) : this.savedByWalk(stale);
    if (!out) return undefined;
    if (this.options.watchesDependents) {
      // only marks whose dependents are as saved (a mark the last pass left stale is not saved)
      out.dependents = this.store.dependentsNow(this.options.watchesDependents);
    }
    if (this.options.dependsOnEach) out.each = this.eachVersions();
    if (!this.options.watchesDependents) out.objects = this.store.dependentsNow(this.kind);
    return out;
  }

  /** The marks of every object of the kind, by a walk of them. */
  private savedByWalk(stale: Set<Slot> | undefined): SavedQuiet | undefined {
    const times: (number | null)[] = [];
    const timeIndex = new Map<number, number>();
    // flat triples in a typed array (no array per mark: 150k of them at save time raised the peak;
    // pushed to a growing array they were a third of the save)
    const marks = new Float64Array(3 * this.store.count(this.kind));
    let n = 0;
    let sorted = true;
    for (const slot of this.store.slotsInInsertionOrder(this.kind)) {
      const until = this.savedUntil(slot, stale);
      if (until === undefined) continue;
      let t = timeIndex.get(until);
      if (t === undefined) {
        timeIndex.set(until, (t = times.length));
        times.push(until === Infinity ? null : until);
      }
      if (n && marks[n - 3] > slot.rowid!) sorted = false;
      marks[n++] = slot.rowid!;
      marks[n++] = slot.resourceVersion;
      marks[n++] = t;
    }
    if (!n) return undefined;
    return { v: 2, deps: this.fingerprint(), times, marks: sorted ? marks.subarray(0, n) : byRowId(marks.subarray(0, n)) };
  }

  /**
   * The marks restored lazily, saved again: the file's, but those of the objects touched since
   * the restore (their marks made, written, deleted) made anew; merged by row id.
   */
  private savedLazily(stale: Set<Slot> | undefined): SavedQuiet | undefined {
    const lazy = this.lazy!;
    const touched = new Set<Slot>(lazy.excluded);
    if (stale) for (const s of stale) touched.add(s);
    for (const s of lazy.consumed) touched.add(s);
    const log = writesOfKind(this.store, this.kind);
    for (let i = lazy.writes; i < log.length; i++) touched.add(log[i]);
    const drops = this.store.dropLog;
    for (let i = lazy.drops; i < drops.length; i++) if (drops[i].kind === this.kind) touched.add(drops[i].slot);
    const skip: number[] = [];
    const made: number[] = [];
    for (const slot of touched) {
      if (slot.rowid === undefined) continue;
      skip.push(slot.rowid);
      if (slot.removed) continue;
      const until = this.savedUntil(slot, stale);
      if (until !== undefined) made.push(slot.rowid, slot.resourceVersion, until);
    }
    skip.sort((a, b) => a - b);
    const extra = byRowId(made);
    // the file's marks are all forever (restoreLazily): time 0
    const times: (number | null)[] = [null];
    const timeIndex = new Map<number, number>([[Infinity, 0]]);
    let wide = !(lazy.marks instanceof Uint32Array);
    for (let k = 0; k < extra.length; k += 3) {
      const until = extra[k + 2];
      let t = timeIndex.get(until);
      if (t === undefined) {
        timeIndex.set(until, (t = times.length));
        times.push(until);
      }
      extra[k + 2] = t;
      if (!(extra[k] <= 0xffffffff && extra[k + 1] <= 0xffffffff && Number.isInteger(extra[k + 1]))) wide = true;
    }
    const { marks } = lazy;
    const out = wide ? new Float64Array(marks.length + extra.length) : new Uint32Array(marks.length + extra.length);
    let n = 0;
    if (lazy.copied) n = mergeCopying(marks as Uint32Array | Float64Array, skip, extra, out);
    else {
      let s = 0;
      let k = 0;
      for (let j = 0; j < marks.length; j += 3) {
        const rowid = marks[j];
        while (s < skip.length && skip[s] < rowid) s++;
        if (s < skip.length && skip[s] === rowid) continue;
        for (; k < extra.length && extra[k] < rowid; k += 3) {
          out[n++] = extra[k];
          out[n++] = extra[k + 1];
          out[n++] = extra[k + 2];
        }
        out[n++] = rowid;
        out[n++] = marks[j + 1];
        out[n++] = 0;
      }
      for (; k < extra.length; k += 3) {
        out[n++] = extra[k];
        out[n++] = extra[k + 1];
        out[n++] = extra[k + 2];
      }
    }
    if (!n) return undefined;
    return { v: 2, deps: this.fingerprint(), times, marks: out.subarray(0, n) };
  }

  /** A slot's mark as saved (its time; undefined: none that holds). */
  private savedUntil(slot: Slot, stale: Set<Slot> | undefined): number | undefined {
    if (this.restoredOnly(slot)) {
      // (as restored: quiet forever at writes 0; not made into a mark to be saved)
      if (slot.writes !== 0 || slot.rowid === undefined || stale?.has(slot)) return undefined;
      return Infinity;
    }
    const mark = this.markOf(slot);
    if (!mark || mark.writes !== slot.writes || slot.rowid === undefined || stale?.has(slot)) return undefined;
    if (this.options.watchesDependents && mark.dependents !== this.dependentsVersion(slot)) return undefined;
    return mark.until;
  }

  /**
   * restore when the file's objects of the kind are those the marks were saved for and each has a
   * mark (a settled cluster's kubelet: 150k pods): see `lazy`. The marks forever are kept as
   * read; those with a time (a rollout's pods between two steps of their kubelet: a few hundred)
   * are made now, their objects found by row id among the pods loaded from rows (a walk of the
   * 150k to restore them, then another to save, were ~0.13 s of a 1,000-replica `rollout status`).
   * False when the marks are not such (restore then walks the objects).
   */
  private restoreLazily(saved: SavedQuiet, moved: readonly string[]): boolean {
    const { marks: all, times } = saved;
    if (this.options.watchesDependents || this.count || this.lazy || this.restoredBits) return false;
    const loaded = this.store.dependentsAsLoaded(this.kind);
    if (saved.objects !== loaded || Number(loaded.slice(0, loaded.indexOf(':'))) * 3 !== all.length) return false;
    const found = this.timedMarks(all, times);
    if (!found) return false;
    const { timed, zeroTimes } = found;
    // (the lazy marks are those forever, as savedLazily writes the file's again)
    const marks = timed.length ? foreverMarks(all, timed) : all;
    // the objects written or deleted before the restore (this command's, before its first pass) hold no mark
    const excluded = new Set<Slot>();
    for (const slot of this.store.writeLog) if (slot.obj.kind === this.kind) excluded.add(slot);
    for (const gone of this.store.dropLog) if (gone.kind === this.kind) excluded.add(gone.slot);
    // (by row: an object deleted and created again in this command has its row id, the old slot deleted, the new written)
    const unmarked = new Set<number>();
    for (const slot of excluded) if (slot.rowid !== undefined && savedVersion(marks, slot.rowid) !== undefined) unmarked.add(slot.rowid);
    const count = marks.length / 3 - unmarked.size;
    if (!count && !timed.length) return true;
    const kindWrites = writesOfKind(this.store, this.kind).length;
    this.lazy = {
      marks,
      excluded,
      consumed: new Set(),
      writes: kindWrites,
      drops: this.store.dropLog.length,
      seqBound: slotSeqBound(),
      copied: zeroTimes && (marks instanceof Uint32Array || marks instanceof Float64Array),
    };
    this.count = count;
    const loud = new Set<Slot>();
    for (const s of excluded) if (!s.removed) loud.add(s);
    this.loud = loud;
    // (as restore's walk takes them: a mark holds for its object as it was saved, unwritten since;
    // consumed, so that a save makes it again rather than looking for it among the lazy marks)
    for (const { slot, version, until } of timed) {
      if (slot.removed || slot.resourceVersion !== version) continue;
      this.settled(slot, until, 0);
      this.lazy.consumed.add(slot);
    }
    // the dependents of each object updated since the save (by this command or another) are due
    for (const name of moved) this.wakeDependents(name);
    if (!this.count) {
      // (as restore leaves it when no mark holds: every object due)
      this.loud = null;
      return true;
    }
    this.cursor = kindWrites;
    if (this.options.dependsOnEach) this.eachCursor = writesOfKind(this.store, this.options.dependsOnEach.kind).length;
    this.deps = this.dependencyWrites();
    this.marksChanged = this.count * 3 !== all.length;
    this.dependentWrites = 0;
    return true;
  }

  /**
   * The saved marks with a time, with their objects (found by row id among the pods loaded from
   * rows) and their place `j` in the marks; undefined when the marks are not in row id order, when
   * one cannot be found so (restore walks the objects instead) or when they are too many for a
   * lazy restore to be worth it. One walk of the marks, reading each mark's time as a flag by its
   * index (the order check and the search for the timed ones were two walks of 150k marks, a
   * lookup of `times` each: 20-60 ms of a 1,000-replica `rollout status` at 150k pods, load ~8, its code
   * run once per command and mostly not optimized yet).
   */
  private timedMarks(marks: ArrayLike<number>, times: (number | null)[]): { timed: TimedMark[]; zeroTimes: boolean } | undefined {
    // (an index `times` has no entry for is forever, as `times[i] ?? Infinity` reads it)
    const timedAt = new Uint8Array(times.length);
    let anyTimed = false;
    for (let t = 0; t < times.length; t++)
      if ((times[t] ?? Infinity) !== Infinity) {
        timedAt[t] = 1;
        anyTimed = true;
      }
    const at: number[] = [];
    let last = 0;
    // (whether the marks forever all have time 0)
    let zeroTimes = true;
    for (let j = 0; j < marks.length; j += 3) {
      const rowid = marks[j];
      if (j !== 0 && !(rowid > last)) return undefined;
      last = rowid;
      if (anyTimed && timedAt[marks[j + 2]] === 1) {
        if (at.length * 8 >= marks.length) return undefined;
        at.push(j);
      } else if (marks[j + 2] !== 0) zeroTimes = false;
    }
    const out: TimedMark[] = [];
    for (const j of at) {
      const slot = this.store.loadedSlotOfRow(this.kind, marks[j]);
      if (!slot) return undefined;
      out.push({ slot, version: marks[j + 1], until: times[marks[j + 2]]!, j });
    }
    return { timed: out, zeroTimes };
  }

  /** Restored lazily: whether the slot still holds the mark the file saved for it. */
  private lazyRestored(slot: Slot): boolean {
    const lazy = this.lazy!;
    const rowid = slot.rowid;
    // (an object there at the restore and not written before it is a loaded one: its saved mark held then)
    if (rowid === undefined || slot.seq >= lazy.seqBound || lazy.excluded.has(slot) || lazy.consumed.has(slot)) return false;
    const version = savedVersion(lazy.marks, rowid);
    return version !== undefined && (slot.writes !== 0 || version === slot.resourceVersion);
  }

  /** Every object of the kinds the controller depends on, by name and resourceVersion. */
  private fingerprint(): string {
    let h = FNV_OFFSET;
    let n = 0;
    for (const kind of this.dependsOn) {
      for (const s of this.store.sortedSlots(kind)) {
        h = fnv1a(`${kind}\u0000${s.namespace}\u0000${s.name}\u0000${s.resourceVersionText}\u0001`, h);
        n++;
      }
    }
    return `${n}:${(h >>> 0).toString(16)}`;
  }

  /** Whether a write to a kind the controller depends on ended every quiet (checked before each reconcile). */
  dependenciesMoved(): boolean {
    return this.dependsOn.length > 0 && this.dependencyWrites() !== this.deps;
  }

  /** The object is due at the next pass, though nothing of it was written (what it depends on outside the store changed). */
  wake(slot: Slot): void {
    const mark = this.markOf(slot);
    if (mark) this.unmark(slot, mark);
  }

  /** Every object is due again. */
  reset(): void {
    this.changed = true;
    this.generation++;
    this.restoredBits = undefined;
    this.lazy = undefined;
    this.count = 0;
    this.byTime.clear();
    this.times = [];
    this.loud = null;
    this.deps = this.dependencyWrites();
  }

  /** After a reconcile: `slot` is quiet until `until` as it is stored now (`quiet` undefined: it is not). */
  settled(slot: Slot, until: number | undefined, dependents = this.options.watchesDependents ? this.dependentsVersion(slot) : 0): void {
    let mark = this.markOf(slot);
    if (until === undefined || slot.removed) {
      if (mark) this.unmark(slot, mark);
      return;
    }
    if (mark) {
      if (mark.writes === slot.writes && mark.until === until && mark.dependents === dependents) {
        this.loud?.delete(slot);
        return;
      }
      this.changed = true;
      mark.dependents = dependents;
      // the same mark moves to its new time (the old time's list keeps a stale reference)
      if (mark.until !== Infinity) this.byTime.get(mark.until)!.live--;
      mark.writes = slot.writes;
      mark.until = until;
    } else {
      mark = { slot, writes: slot.writes, until, generation: this.generation, dependents };
      if (this.id < 0) this.id = this.store.newScratchIndex(this.kind);
      scratchOf(slot)[this.id] = mark;
      this.count++;
      this.changed = true;
    }
    this.loud?.delete(slot);
    if (until === Infinity) return;
    const entry = this.byTime.get(until);
    if (entry) {
      entry.marks.push(mark);
      entry.live++;
    } else {
      this.byTime.set(until, { marks: [mark], live: 1 });
      pushMin(this.times, until);
    }
  }

  /** After a pass over every object: from now on only the loud ones and the writes are looked at. */
  endPass(visited: readonly Slot[]): void {
    if (this.loud || this.count === 0) return;
    const loud = new Set<Slot>();
    for (const s of visited) if (!s.removed && this.markOf(s)?.writes !== s.writes) loud.add(s);
    this.loud = loud;
  }

  /**
   * Marked objects whose dependents were written since they were marked are due. The first look
   * walks this kind's objects; later ones (by owner, ObjectStore.dependentsVersion) check those
   * whose counters moved since the last look (the store's DependentBumps: an owner's uid, found
   * among the kind's objects by uid; an orphan's namespace, every object of it). The walks of
   * 1,500 ReplicaSets and of 1,500 Deployments at each of a 1,000-replica rollout's 42 passes
   * at 150k pods (~20-40 ms, load ~8) were for the ~2 ReplicaSets and 1 Deployment whose
   * dependents moved.
   */
  private takeDependentWrites(): void {
    if (this.options.ownerOfDependent) return this.takeOwnersOfDependentWrites(this.options.ownerOfDependent);
    const bumps = this.store.dependentBumps;
    const seen = this.bumpsSeen;
    const byUid = this.slotsByUid;
    // (more moves than objects, as in a pass of a 150k-pod apply: the walk is the shorter look)
    const moves = seen?.log === bumps ? bumps.owners.length - seen.owners + bumps.orphans.length - seen.orphans : Infinity;
    if (moves <= this.store.count(this.kind) && byUid !== undefined && this.slotsByUidLoads === this.store.loadCount) {
      // (objects of the kind written since: filed under their uid now; a slot filed under another uid before is only checked for nothing)
      const writes = writesOfKind(this.store, this.kind);
      for (; this.slotsByUidWrites < writes.length; this.slotsByUidWrites++) fileByUid(byUid, writes[this.slotsByUidWrites]);
      for (let i = seen!.owners; i < bumps.owners.length; i++) {
        const slots = byUid.get(bumps.owners[i]);
        // (a slot deleted since is not among the kind's objects a walk visits)
        if (slots) for (const slot of slots) if (!slot.removed) this.checkDependents(slot);
      }
      if (seen!.orphans < bumps.orphans.length) {
        const namespaces = new Set(bumps.orphans.slice(seen!.orphans));
        for (const slot of this.store.slotsInInsertionOrder(this.kind)) if (namespaces.has(slot.namespace)) this.checkDependents(slot);
      }
    } else {
      const filed = new Map<string, Slot[]>();
      for (const slot of this.store.slotsInInsertionOrder(this.kind)) {
        this.checkDependents(slot);
        fileByUid(filed, slot);
      }
      // (a queue with its own dependentsVersion, or of pods — uids not filed —, walks every time)
      if (!this.options.dependentsVersion && this.kind !== 'Pod') {
        this.slotsByUid = filed;
        this.slotsByUidWrites = writesOfKind(this.store, this.kind).length;
        this.slotsByUidLoads = this.store.loadCount;
      }
    }
    this.bumpsSeen = { log: bumps, owners: bumps.owners.length, orphans: bumps.orphans.length };
  }

  /** with watchesDependents (by owner): the kind's slots by uid, kept from its writes, and how far into the store's DependentBumps the marks were checked */
  private slotsByUid: Map<string, Slot[]> | undefined = undefined;
  private slotsByUidWrites = 0;
  private slotsByUidLoads = 0;
  private bumpsSeen: { log: DependentBumps; owners: number; orphans: number } | undefined = undefined;

  /** A mark made before the slot's dependents moved ends. */
  private checkDependents(slot: Slot): void {
    const mark = this.markOf(slot);
    if (mark && mark.dependents !== this.dependentsVersion(slot)) this.unmark(slot, mark);
  }

  /**
   * With ownerOfDependent: the owners of the dependents written or deleted since the last look
   * (from the load on: marks restored from the file were made at the load's counters) are
   * rechecked, not every object of the kind.
   */
  private dependentsWritten = 0;
  private dependentsDropped = 0;
  private takeOwnersOfDependentWrites(ownerOf: NonNullable<QueueOptions['ownerOfDependent']>): void {
    const kind = this.options.watchesDependents!;
    // cluster-scoped owners (a pod's node) checked in this call, by name: nothing a check reads
    // moves during the call, so a second check does nothing (a 150k-pod apply's three writes a
    // pod named each of 5,000 nodes ~90 times)
    const checked = new Set<string>();
    const check = (dependent: KObject) => {
      const key = ownerOf(dependent);
      if (!key) return;
      if (key.namespace === undefined) {
        if (checked.has(key.name)) return;
        checked.add(key.name);
      }
      const owner = this.store.slotOf(this.kind, key.namespace, key.name);
      if (!owner || owner.removed) return;
      const mark = this.markOf(owner);
      if (mark && mark.dependents !== this.dependentsVersion(owner)) this.unmark(owner, mark);
    };
    const log = this.store.writeLog;
    for (; this.dependentsWritten < log.length; this.dependentsWritten++) {
      const slot = log[this.dependentsWritten];
      if (slot.obj.kind === kind) check(slot.obj);
    }
    const drops = this.store.dropLog;
    for (; this.dependentsDropped < drops.length; this.dependentsDropped++) {
      const dropped = drops[this.dependentsDropped];
      if (dropped.kind === kind) check(dropped.obj);
    }
  }

  /** (from the slot's uid, namespace and name: a mark checked at each pass and at the save parses no row) */
  private dependentsVersion(slot: Slot): number {
    if (this.options.dependentsVersion) return this.options.dependentsVersion(this.store, slot);
    return this.store.dependentsVersion(slot.uid, slot.namespace);
  }

  /** A written object is due unless the write was the controller's own and it declared quiet after it. */
  private takeWrites(): void {
    const log = writesOfKind(this.store, this.kind);
    const each = this.options.dependsOnEach;
    const eachLog = each ? writesOfKind(this.store, each.kind) : undefined;
    if (this.count || this.loud) {
      // (what either loop does only ends marks and adds to the loud: their order does not matter)
      if (eachLog) for (let i = this.eachCursor; i < eachLog.length; i++) this.wakeDependents(eachLog[i].name);
      for (let i = this.cursor; i < log.length; i++) {
        const s = log[i];
        const mark = this.markOf(s);
        if (mark && mark.writes === s.writes && !s.removed) continue;
        if (mark) this.unmark(s, mark);
        else if (!s.removed) this.loud?.add(s);
      }
    }
    this.cursor = log.length;
    if (eachLog) this.eachCursor = eachLog.length;
  }

  /** The slot's quiet (its mark) ends: it is due (unless gone). */
  private unmark(slot: Slot, mark: Mark): void {
    slot.scratch![this.id] = undefined;
    this.count--;
    this.changed = true;
    const entry = mark.until === Infinity ? undefined : this.byTime.get(mark.until);
    if (entry) entry.live--;
    if (!slot.removed) this.loud?.add(slot);
  }

  /**
   * Whether an object of dependsOnEach's kind was created or deleted since the last look (then
   * every object is due, as with dependsOn); `take` moves the look on.
   */
  private eachAddedOrRemoved(take: boolean): boolean {
    const each = this.options.dependsOnEach;
    if (!each) return false;
    const drops = this.store.dropLog;
    let moved = false;
    for (let i = this.eachDrops; i < drops.length && !moved; i++) if (drops[i].kind === each.kind) moved = true;
    const count = this.store.count(each.kind);
    if (count !== this.eachCount) moved = true;
    if (take) {
      this.eachDrops = drops.length;
      this.eachCount = count;
    }
    return moved;
  }

  /** The dependents of the dependsOnEach objects written since the last pass (not yet woken). */
  private eachWrittenSince(): Set<Slot> {
    const each = this.options.dependsOnEach!;
    const out = new Set<Slot>();
    const log = writesOfKind(this.store, each.kind);
    for (let i = this.eachCursor; i < log.length; i++) for (const d of each.dependents(this.store, log[i].name)) out.add(d);
    return out;
  }

  /** dependsOnEach's objects now, name and resourceVersion, in name order (SavedQuiet.each). */
  private eachVersions(): string[] {
    const out: string[] = [];
    for (const s of this.store.sortedSlots(this.options.dependsOnEach!.kind)) out.push(s.name, s.resourceVersionText ?? '');
    return out;
  }

  /**
   * Restoring: the names of the dependsOnEach objects whose resourceVersion moved since the
   * save (an empty list without the option); undefined when the marks cannot hold (the saved
   * list is missing or names other objects: one was created or deleted).
   */
  private eachMovedSince(saved: string[] | undefined): string[] | undefined {
    if (!this.options.dependsOnEach) return [];
    if (!Array.isArray(saved)) return undefined;
    const now = this.eachVersions();
    if (now.length !== saved.length) return undefined;
    const moved: string[] = [];
    for (let i = 0; i < now.length; i += 2) {
      if (now[i] !== saved[i]) return undefined;
      if (now[i + 1] !== saved[i + 1]) moved.push(now[i]);
    }
    return moved;
  }

  /** The marks of the objects that depend on the dependsOnEach object `name` end. */
  private wakeDependents(name: string): void {
    if (this.id < 0 && !this.restoredBits && !this.lazy) return;
    for (const slot of this.options.dependsOnEach!.dependents(this.store, name)) {
      const mark = this.markOf(slot);
      if (mark) this.unmark(slot, mark);
    }
  }

  private dependencyWrites(): number {
    let n = 0;
    for (const kind of this.dependsOn) n += this.store.kindWrites(kind);
    return n;
  }
}

/** Files a slot under its uid (once). */
function fileByUid(byUid: Map<string, Slot[]>, slot: Slot): void {
  const uid = slot.uid;
  const slots = byUid.get(uid);
  if (!slots) byUid.set(uid, [slot]);
  else if (!slots.includes(slot)) slots.push(slot);
}

/** The resourceVersion the saved marks (triples by row id) hold for the row id; undefined: none. */
function savedVersion(marks: ArrayLike<number>, rowid: number): number | undefined {
  let lo = 0;
  let hi = marks.length / 3;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const at = marks[mid * 3];
    if (at === rowid) return marks[mid * 3 + 1];
    if (at < rowid) lo = mid + 1;
    else hi = mid;
  }
  return undefined;
}

/** A saved mark with a time: its object, resourceVersion and time, and its place in the saved marks. */
interface TimedMark {
  slot: Slot;
  version: number;
  until: number;
  j: number;
}

/**
 * The saved marks (flat triples) but the timed ones, in the same order and array type: the runs
 * between them copied whole. (Their time column is left as saved: the lazy marks are all forever
 * and only their row ids and versions are read.)
 */
function foreverMarks(marks: ArrayLike<number>, timed: readonly TimedMark[]): ArrayLike<number> {
  const out =
    marks instanceof Uint32Array ? new Uint32Array(marks.length - 3 * timed.length) : new Float64Array(marks.length - 3 * timed.length);
  const typed = marks instanceof Uint32Array || marks instanceof Float64Array;
  let n = 0;
  let from = 0;
  const copy = (to: number) => {
    if (to > from) out.set(typed ? marks.subarray(from, to) : Array.prototype.slice.call(marks, from, to), n);
    n += to - from;
  };
  for (const { j } of timed) {
    copy(j);
    from = j + 3;
  }
  copy(marks.length);
  return out;
}

/**
 * savedLazily's merge when the file's marks are a typed array with time 0 throughout: the marks
 * but those of the rows in `skip` (sorted), with `extra`'s (sorted by row id, none of a row kept)
 * put in by row id; the runs between copied whole (a mark at a time was ~5-10 ms at 150k).
 * Returns the length written to `out`.
 */
export function mergeCopying(
  marks: Uint32Array | Float64Array,
  skip: readonly number[],
  extra: readonly number[],
  out: Uint32Array | Float64Array,
): number {
  let n = 0;
  let j = 0;
  /** copies the marks from j of rows below `rowid` */
  const copyBelow = (rowid: number) => {
    let lo = j / 3;
    let hi = marks.length / 3;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (marks[mid * 3] < rowid) lo = mid + 1;
      else hi = mid;
    }
    const end = lo * 3;
    if (end > j) {
      out.set(marks.subarray(j, end), n);
      n += end - j;
      j = end;
    }
  };
  let s = 0;
  for (let k = 0; k <= extra.length; k += 3) {
    const next = k < extra.length ? extra[k] : Infinity;
    for (; s < skip.length && skip[s] < next; s++) {
      copyBelow(skip[s]);
      if (j < marks.length && marks[j] === skip[s]) j += 3;
    }
    copyBelow(next);
    if (k < extra.length) {
      out[n++] = extra[k];
      out[n++] = extra[k + 1];
      out[n++] = extra[k + 2];
    }
  }
  return n;
}

/** Flat (row id, version, time) triples in row id order. */
function byRowId(marks: ArrayLike<number>): number[] {
  const order = Array.from({ length: marks.length / 3 }, (_, i) => i * 3).sort((a, b) => marks[a] - marks[b]);
  return order.flatMap((i) => [marks[i], marks[i + 1], marks[i + 2]]);
}

function pushMin(heap: number[], t: number): void {
  let i = heap.push(t) - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent] <= t) break;
    heap[i] = heap[parent];
    i = parent;
  }
  heap[i] = t;
}

function popMin(heap: number[]): number {
  const top = heap[0];
  const last = heap.pop()!;
  if (!heap.length) return top;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= heap.length) break;
    const r = l + 1;
    const c = r < heap.length && heap[r] < heap[l] ? r : l;
    if (heap[c] >= last) break;
    heap[i] = heap[c];
    i = c;
  }
  heap[i] = last;
  return top;
}

/**
 * A queue's saved marks as its state file meta row holds them: 8 bytes (the header's length,
 * then the marks' width: 4 for unsigned 32-bit integers, 8 for doubles when a value does not
 * fit), a JSON header (SavedQuiet without `marks`, with their count `n`), padding to 8, then the
 * marks, little-endian. 150k pods' 450k numbers as JSON text were ~2.4 MB that each command
 * running the kubelet parsed, and printed again after pushing them to a growing array (~0.1-0.2 s
 * of CPU); as binary they are read and written as they are. A JSON text row (what kubesim
 * wrote before) is still read.
 */
export function quietRowValue(saved: SavedQuiet): Buffer {
  const { marks, ...rest } = saved;
  let width = 4;
  // (a Uint32Array's values fit: savedLazily makes one when they do)
  if (!(marks instanceof Uint32Array))
    for (let i = 0; i < marks.length; i++) {
      const v = marks[i];
      if (!(v >= 0 && v <= 0xffffffff && Number.isInteger(v))) {
        width = 8;
        break;
      }
    }
  const header = Buffer.from(JSON.stringify({ ...rest, n: marks.length }));
  const start = 8 + Math.ceil(header.length / 8) * 8;
  const out = Buffer.alloc(start + marks.length * width);
  out.writeUInt32LE(header.length, 0);
  out.writeUInt32LE(width, 4);
  header.copy(out, 8);
  if (LITTLE_ENDIAN) {
    const view =
      width === 4
        ? new Uint32Array(out.buffer, out.byteOffset + start, marks.length)
        : new Float64Array(out.buffer, out.byteOffset + start, marks.length);
    view.set(marks);
  } else
    for (let i = 0; i < marks.length; i++) {
      if (width === 4) out.writeUInt32LE(marks[i], start + 4 * i);
      else out.writeDoubleLE(marks[i], start + 8 * i);
    }
  return out;
}

/** The marks a meta row holds (quietRowValue's binary, or JSON text); undefined when unreadable. */
export function savedQuietOfRow(value: string | Buffer | undefined): SavedQuiet | undefined {
  if (value === undefined) return undefined;
  try {
    if (typeof value === 'string') return JSON.parse(value) as SavedQuiet;
    const length = value.readUInt32LE(0);
    const width = value.readUInt32LE(4);
    const header = JSON.parse(value.toString('utf8', 8, 8 + length)) as Omit<SavedQuiet, 'marks'> & { n: number };
    const start = 8 + Math.ceil(length / 8) * 8;
    const n = header.n;
    if ((width !== 4 && width !== 8) || !Number.isInteger(n) || n < 0 || start + n * width !== value.length) return undefined;
    // (a copy: the view needs its own aligned buffer)
    const bytes = value.buffer.slice(value.byteOffset + start, value.byteOffset + value.length);
    let marks: Uint32Array | Float64Array = width === 4 ? new Uint32Array(bytes) : new Float64Array(bytes);
    if (!LITTLE_ENDIAN) {
      const data = new DataView(bytes);
      marks =
        width === 4
          ? Uint32Array.from({ length: n }, (_, i) => data.getUint32(4 * i, true))
          : Float64Array.from({ length: n }, (_, i) => data.getFloat64(8 * i, true));
    }
    const { n: _n, ...rest } = header;
    return { ...rest, marks };
  } catch {
    return undefined; // unreadable marks only cost the first pass its shortcut
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
