import type { KObject } from '../model/objects';
import type { ObjectStore, Slot } from '../store/object-store';
import { allKinds } from '../api/registry';
import type { LoggedChange } from '../engine/resident-session';

/**
 * What watches are served from: the server's copy of every object (kind → namespace/name →
 * object) as of the last resourceVersion it saw, and the changes since it started, each with
 * the resourceVersion it happened at — kube-apiserver's watch cache in small. The server feeds
 * it the store after every write it makes and whenever the state file's resourceVersion moves
 * (a CLI command, the controllers' catch-up), so every writer's changes reach open watches.
 */
export interface Change {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KObject;
  /** the object before (MODIFIED): a watch whose selector it leaves sees DELETED */
  old?: KObject;
  rv: number;
}

/** how many changes are kept for watches that resume from a resourceVersion (older ones get 410 Expired) */
const HISTORY = 50_000;

const keyOf = (o: KObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export class ChangeFeed {
  private readonly objects = new Map<string, Map<string, KObject>>();
  private history: Change[] = [];
  /** the oldest resourceVersion a watch may resume from */
  oldestRv = 0;
  /** the resourceVersion the copy is at */
  rv = 0;
  private readonly listeners = new Set<(changes: Change[]) => void>();
  /** how much of each store's drop log the feed has read (a store loaded afresh starts at 0) */
  private readonly dropCursor = new WeakMap<ObjectStore, number>();
  /** how much of each store's write log the feed has compared (a store it never compared has none: all is compared) */
  private readonly writeCursor = new WeakMap<ObjectStore, number>();

  /** Takes the store's objects as the starting point (nothing before it can be replayed). */
  prime(store: ObjectStore): void {
    for (const info of allKinds()) {
      if (info.kind === 'Event') continue;
      const byKey = new Map<string, KObject>();
      for (const o of store.list(info.kind)) byKey.set(keyOf(o), o);
      this.objects.set(info.kind, byKey);
    }
    this.rv = this.oldestRv = store.resourceVersion;
    this.dropCursor.set(store, store.dropLog.length);
    this.writeCursor.set(store, store.writeLog.length);
  }

  /**
   * Compares the store with the copy, records and announces what changed — first each write
   * other processes logged since the copy (so two commands between two polls are two changes),
   * then whatever the log did not hold.
   */
  observe(store: ObjectStore, logged: LoggedChange[] = [], written: KObject[] = []): Change[] {
    if (store.resourceVersion === this.rv) return [];
    const changes: Change[] = this.replay(logged);
    changes.push(...this.writesAndRemovals(store, written));
    const cursor = this.writeCursor.get(store);
    if (cursor === undefined) this.compareAll(store, changes);
    else this.compareWritten(store, cursor, changes);
    this.writeCursor.set(store, store.writeLog.length);
    changes.sort((a, b) => a.rv - b.rv);
    this.rv = store.resourceVersion;
    this.history.push(...changes);
    if (this.history.length > HISTORY) {
      const dropped = this.history.splice(0, this.history.length - HISTORY);
      this.oldestRv = dropped[dropped.length - 1].rv;
    }
    if (changes.length) for (const listener of [...this.listeners]) listener(changes);
    return changes;
  }

  /**
   * A store the feed has not seen before (the file loaded afresh): every object of every kind
   * compared with the copy, and what the copy holds that the store does not is deleted — only a
   * copy the logs did not explain (a reload that found objects gone) places a deletion at the
   * store's resourceVersion.
   */
  private compareAll(store: ObjectStore, changes: Change[]): void {
    const deleteRv = store.resourceVersion;
    for (const info of allKinds()) {
      if (info.kind === 'Event') continue;
      const known = this.known(info.kind);
      const seen = new Set<string>();
      for (const o of store.list(info.kind)) {
        seen.add(keyOf(o));
        this.compare(known, o, deleteRv, changes);
      }
      for (const [key, o] of known) {
        if (seen.has(key)) continue;
        known.delete(key);
        changes.push({ type: 'DELETED', object: { ...o, metadata: { ...o.metadata, resourceVersion: String(deleteRv) } }, rv: deleteRv });
      }
    }
  }

  /**
   * A store the feed has compared before (the server's kept one): only the objects written
   * since — the store's write log from the feed's cursor — can differ from the copy; its
   * deletions came from the drop log (removals). A write is proportional to what it changed,
   * not to the cluster (a PATCH on 15k pods walked all of them).
   */
  private compareWritten(store: ObjectStore, from: number, changes: Change[]): void {
    const log = store.writeLog;
    const done = new Set<Slot>();
    for (let i = from; i < log.length; i++) {
      const slot = log[i];
      // a slot written twice is compared once (its object now); a deleted one is the drop log's
      if (slot.removed || done.has(slot)) continue;
      done.add(slot);
      const o = slot.obj;
      if (o.kind === 'Event') continue;
      this.compare(this.known(o.kind), o, store.resourceVersion, changes);
    }
  }

  private known(kind: string): Map<string, KObject> {
    let known = this.objects.get(kind);
    if (!known) this.objects.set(kind, (known = new Map()));
    return known;
  }

  /** The object against the copy's: ADDED, MODIFIED, or a new uid (DELETED then ADDED); the copy takes it. */
  private compare(known: Map<string, KObject>, o: KObject, fallbackRv: number, changes: Change[]): void {
    const key = keyOf(o);
    const before = known.get(key);
    if (before && before.metadata.resourceVersion === o.metadata.resourceVersion) return;
    known.set(key, o);
    const rv = Number(o.metadata.resourceVersion ?? fallbackRv);
    if (!before || before.metadata.uid !== o.metadata.uid) {
      if (before) changes.push({ type: 'DELETED', object: before, rv });
      changes.push({ type: 'ADDED', object: o, rv });
    } else changes.push({ type: 'MODIFIED', object: o, old: before, rv });
  }

  /**
   * Each object this server stored since the copy (`written`, in the order it was stored: every
   * resourceVersion, so a pod created, run, completed and deleted between two looks is ADDED,
   * MODIFIED…, DELETED as the API server's watch cache sends it) and this store's deletions since
   * the feed last read its drop log, merged in resourceVersion order. A deletion is DELETED with
   * the object's last state at the resourceVersion it took, as etcd's watch sends it. Done before
   * the comparison with the store (which then finds the copy current), so a name deleted and
   * created again is DELETED then ADDED.
   */
  private writesAndRemovals(store: ObjectStore, written: KObject[]): Change[] {
    const changes: Change[] = [];
    const log = store.dropLog;
    const steps: { rv: number; write?: KObject; drop?: number }[] = [];
    for (const o of written) {
      const rv = Number(o.metadata.resourceVersion);
      if (o.kind !== 'Event' && rv > this.rv) steps.push({ rv, write: o });
    }
    for (let i = this.dropCursor.get(store) ?? 0; i < log.length; i++) steps.push({ rv: log[i].rv, drop: i });
    this.dropCursor.set(store, log.length);
    // (stable: a write kept in the order stored; a deletion takes a resourceVersion of its own)
    steps.sort((a, b) => a.rv - b.rv);
    for (const step of steps) {
      if (step.write) this.compare(this.known(step.write.kind), step.write, step.rv, changes);
      else this.removal(log[step.drop!], changes);
    }
    return changes;
  }

  private removal(entry: ObjectStore['dropLog'][number], changes: Change[]): void {
    const { kind, namespace, name, obj, rv } = entry;
    if (rv <= this.rv || kind === 'Event') return;
    const known = this.objects.get(kind);
    const key = `${namespace}/${name}`;
    const before = known?.get(key);
    // an object the copy never held (created and deleted between two looks, unrecorded) is no change to it
    if (!before || Number(before.metadata.resourceVersion) >= rv) return;
    known!.delete(key);
    // written since the copy (a write not recorded), then deleted: the write first (MODIFIED), as the watch cache saw it
    const lastWrite = Number(obj.metadata.resourceVersion);
    if (before.metadata.uid === obj.metadata.uid && lastWrite > Number(before.metadata.resourceVersion))
      changes.push({ type: 'MODIFIED', object: obj, old: before, rv: lastWrite });
    changes.push({ type: 'DELETED', object: { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } }, rv });
  }

  /** Logged writes after the copy's resourceVersion, as changes to the copy, in resourceVersion order. */
  private replay(logged: LoggedChange[]): Change[] {
    const changes: Change[] = [];
    const rows = logged.filter((r) => r.rv > this.rv && r.kind !== 'Event').sort((a, b) => a.rv - b.rv);
    for (const row of rows) {
      let known = this.objects.get(row.kind);
      if (!known) this.objects.set(row.kind, (known = new Map()));
      const key = `${row.namespace}/${row.name}`;
      const before = known.get(key);
      const o = row.object;
      if (!o) {
        if (!before) continue;
        known.delete(key);
        changes.push({
          type: 'DELETED',
          object: { ...before, metadata: { ...before.metadata, resourceVersion: String(row.rv) } },
          rv: row.rv,
        });
        continue;
      }
      if (before && before.metadata.resourceVersion === o.metadata.resourceVersion) continue;
      known.set(key, o);
      if (!before || before.metadata.uid !== o.metadata.uid) {
        if (before) changes.push({ type: 'DELETED', object: before, rv: row.rv });
        changes.push({ type: 'ADDED', object: o, rv: row.rv });
      } else changes.push({ type: 'MODIFIED', object: o, old: before, rv: row.rv });
    }
    return changes;
  }

  /** The objects of a kind as of `rv` (what a watch without a resourceVersion starts with). */
  current(kind: string): KObject[] {
    return [...(this.objects.get(kind)?.values() ?? [])];
  }

  /** Changes after `rv`, or undefined when they are no longer kept (410 Expired). */
  since(rv: number): Change[] | undefined {
    if (rv < this.oldestRv) return undefined;
    return this.history.filter((c) => c.rv > rv);
  }

  subscribe(listener: (changes: Change[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
