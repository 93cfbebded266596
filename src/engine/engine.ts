import { monotonicMs } from '../clock/clock';
import type { ObjectStore, Slot } from '../store/object-store';
import type { Random } from '../util/random';
import type { Action } from '../reconcile/actions';
import type { Controller, ReconcileContext } from '../reconcile/controller';
import type { KObject } from '../model/objects';
import { onDemand } from '../util/on-demand';
import type { QuietObjects, SavedQuiet } from './quiet-objects';
import { byNamespaceName } from '../model/object-reader';
import { unlogged } from '../api/request-log';

// the write path (api/server and its admission plugins): loaded when a first action is applied
// eslint-disable-next-line @typescript-eslint/no-require-imports
const applier = onDemand('engine/applier', () => require('./applier') as typeof import('./applier'));

// eslint-disable-next-line @typescript-eslint/no-require-imports
const quietObjects = onDemand('engine/quiet-objects', () => require('./quiet-objects') as typeof import('./quiet-objects'));

const MAX_PASSES_PER_INSTANT = 200;

/**
 * Who watches the simulation from outside the commands (kubesim scenario run): its invariants
 * are checked after every pass, and its traffic samples the cluster before virtual time jumps
 * (between two instants nothing changes, so what is there now is what each tick before the
 * jump would see). One per process: a scenario runs its commands one after another.
 */
export interface EngineObserver {
  /** after each controller pass, with the store as that pass left it */
  passed?(engine: Engine): void;
  /** before now moves from engine.now to `target`, with the cluster settled at now */
  advancing?(engine: Engine, target: number): void;
}
let observer: EngineObserver | undefined;

/** Installs (or, with undefined, removes) the process's engine observer. */
export function observeEngines(o: EngineObserver | undefined): void {
  observer = o;
}
/** A guard against a controller that keeps asking for wake-ups forever within one catch-up. */
const MAX_WAKEUPS_PER_RUN = 200_000;

/**
 * Runs controllers until nothing changes at virtual now ("quiescence"), and jumps
 * the clock from one requested wake-up to the next for waiting commands.
 */
export class Engine {
  now: number;
  private nextWakeup: number | undefined;

  /** the controllers, or how to get them when a pass first runs (a read-only command runs none) */
  private controllerList: Controller[] | (() => Controller[]);

  constructor(
    readonly store: ObjectStore,
    readonly random: Random,
    controllers: Controller[] | (() => Controller[]),
    now: number,
  ) {
    this.controllerList = controllers;
    this.now = now;
  }

  get controllers(): Controller[] {
    if (typeof this.controllerList === 'function') this.controllerList = this.controllerList();
    return this.controllerList;
  }

  /** Stops running these controllers (by name): kubesim lint's scratch cluster runs only what its checks read. */
  dropControllers(names: string[]): void {
    const dropped = new Set(names);
    this.controllerList = this.controllers.filter((c) => !dropped.has(c.name));
  }

  context(): ReconcileContext {
    return { store: this.store, now: this.now, random: this.random };
  }

  /** Applies actions that a command (not a controller) asks for. */
  apply(actions: Action[]): void {
    for (const a of actions) this.applyOne(a);
  }

  /** Runs passes at the current instant until a pass writes nothing. */
  settle(): void {
    // nothing written or recorded since a pass did nothing here: another would do nothing again
    // (a write command on a quiescent cluster that changed nothing, a wait's first check)
    if (this.quiescent()) return;
    this.settledAt = undefined;
    for (let pass = 0; pass < MAX_PASSES_PER_INSTANT; pass++) {
      const before = this.store.writeCount;
      const events = this.store.eventCount;
      const draws = this.random.draws;
      this.nextWakeup = undefined;
      // the controllers' reads and writes are not requests kubectl makes (kubectl -v logs)
      unlogged(() => this.runPass());
      observer?.passed?.(this);
      if (this.store.writeCount === before) {
        // a pass that wrote nothing but still acted (a ReplicaSet retrying a refused pod
        // creation records FailedCreate and draws a name each pass) ends the settle, yet the
        // next pass would act again: not quiescent
        if (this.store.eventCount === events && this.random.draws === draws) this.settledAt = { now: this.now, writes: before, events };
        return;
      }
    }
  }

  /**
   * Takes up a cluster the last command left quiescent, with nothing due before `next`, as the
   * state it saved still says (Session.run): the catch-up's pass would do nothing, so it is not
   * run — at 150k pods that pass visits every Deployment, ReplicaSet and the pods they own.
   */
  resumeQuiescent(next: number | undefined): void {
    this.nextWakeup = next !== undefined && next > this.now ? next : undefined;
    this.settledAt = { now: this.now, writes: this.store.writeCount, events: this.store.eventCount };
    for (const c of this.controllers) c.resumedQuiescent?.(this.context());
  }

  /** The instant, write and event counts of the last settle's pass that did nothing. */
  private settledAt: { now: number; writes: number; events: number } | undefined;

  /**
   * Whether the cluster is quiescent at now: the last settle ended with a pass that wrote,
   * recorded and drew nothing, here, and nothing was written or recorded since — so a pass
   * now would do nothing, and nothing is due before pendingWakeup().
   */
  quiescent(): boolean {
    const at = this.settledAt;
    return at !== undefined && at.now === this.now && at.writes === this.store.writeCount && at.events === this.store.eventCount;
  }

  /**
   * Moves now to `target` without a pass, when the cluster is quiescent and nothing is due
   * before it (a pass there would change nothing, as a read-only command on a quiescent file
   * assumes); false, and nothing moved, otherwise.
   */
  idleUntil(target: number): boolean {
    const at = this.settledAt;
    if (!at || !this.quiescent() || target < this.now) return false;
    if (this.nextWakeup !== undefined && this.nextWakeup <= target) return false;
    this.moveTo(target);
    at.now = target;
    return true;
  }

  /**
   * The object is due for its controllers at the next pass though it was not written: what
   * their reconcile reads about it changed outside the objects (exec wrote in a container's
   * files, which the kubelet's exec probes read). Marks of queues not made yet are restored
   * from the file first, then this one is dropped.
   */
  wakeObject(kind: string, namespace: string | undefined, name: string): void {
    const slot = this.store.slotOf(kind, namespace, name);
    if (!slot) return;
    for (const c of this.controllers) {
      if (c.kind !== kind || !c.reconcile) continue;
      this.queueOf(c as Controller & { kind: string }).wake(slot);
    }
  }

  /** After a save was committed: the quiet marks written are what the file holds now. */
  markQuietSaved(): void {
    for (const queue of this.queues.values()) queue.changed = false;
  }

  /** Catches the cluster up to `target`, stopping at every wake-up on the way. */
  runUntil(target: number): void {
    this.settle();
    let wakeups = 0;
    while (this.nextWakeup !== undefined && this.nextWakeup <= target && wakeups++ < MAX_WAKEUPS_PER_RUN) {
      this.moveTo(Math.max(this.now, this.nextWakeup));
      this.wakeups++;
      this.settle();
    }
    if (target > this.now) {
      this.moveTo(target);
      this.settle();
    }
  }

  /** The next time something is due, if any (after settle()). */
  pendingWakeup(): number | undefined {
    return this.nextWakeup;
  }

  /**
   * Steps to the next wake-up (but not past `limit`) and settles there.
   * Returns false when nothing is scheduled before `limit` (the clock is then at `limit`).
   */
  step(limit: number): boolean {
    const next = this.nextWakeup;
    if (next === undefined || next > limit) {
      if (limit > this.now) {
        this.moveTo(limit);
        this.settle();
      }
      return false;
    }
    this.moveTo(Math.max(this.now, next));
    this.wakeups++;
    this.settle();
    return true;
  }

  /** Moves virtual now forward, telling the observer first (the cluster is settled at the old now). */
  moveTo(target: number): void {
    if (target > this.now) observer?.advancing?.(this, target);
    this.now = target;
  }

  /** KUBESIM_PROFILE=1: time per controller and pass counts, printed by the CLI on exit. */
  readonly profile = process.env.KUBESIM_PROFILE ? new Map<string, { ms: number; cpuMs: number; calls: number }>() : undefined;

  /** Passes run and wake-ups stepped to by this engine (tests bound a command's work with them). */
  passes = 0;
  wakeups = 0;

  private runPass(): void {
    this.passes++;
    for (const c of this.controllers) {
      const started = this.profile ? monotonicMs() : 0;
      // (CPU beside wall: on a shared machine the wall time is mostly waiting)
      const cpu = this.profile ? process.cpuUsage() : undefined;
      this.runController(c);
      if (this.profile) {
        const p = this.profile.get(c.name) ?? { ms: 0, cpuMs: 0, calls: 0 };
        p.ms += monotonicMs() - started;
        const used = process.cpuUsage(cpu);
        p.cpuMs += (used.user + used.system) / 1000;
        p.calls++;
        this.profile.set(c.name, p);
      }
    }
  }

  private runController(c: Controller): void {
    if (c.reconcileAll) {
      this.apply(c.reconcileAll(this.context()));
    }
    if (c.reconcile && c.kind) {
      const ctx = this.context();
      const queue = this.queueOf(c as Controller & { kind: string });
      const due = queue.due(this.now, (at) => this.wakeAt(at));
      // namespace/name order keeps event order and name generation deterministic
      let visit = due;
      let last: KObject | undefined;
      for (let i = 0; ; i++) {
        if (last && queue.dependenciesMoved()) {
          // what the skipped objects depend on changed: the rest of the pass looks at them all
          // (those after the last one visited: a suffix of namespace/name order, found by
          // bisection; a filter over all of them each time was quadratic when every reconcile
          // writes a dependency, as the node-lease controller's Lease per Node does)
          queue.reset();
          visit = this.store.sortedSlots(c.kind);
          i = firstAfter(visit, last);
        }
        if (i >= visit.length) break;
        // an earlier reconcile in this pass may have replaced it (the slot holds what is there
        // now) or deleted it (and maybe created another under the name)
        const listed = visit[i];
        const slot = listed.removed ? this.store.slotOf(c.kind, listed.obj.metadata.namespace, listed.obj.metadata.name) : listed;
        if (!slot) continue;
        last = slot.obj;
        const actions = c.reconcile(slot.obj, ctx);
        this.store.reconcilingSlot(c.kind, slot);
        this.apply(actions);
        this.store.reconcilingSlot(c.kind, undefined);
        const final = actions[actions.length - 1];
        queue.settled(slot, final?.type === 'quiet' ? final.until : undefined);
      }
      queue.endPass(visit === due ? due : this.store.sortedSlots(c.kind));
    }
  }

  /** A kind controller's work queue, made at its first use with the marks the file saved. */
  private queueOf(c: Controller & { kind: string }): QuietObjects {
    let queue = this.queues.get(c);
    if (!queue) {
      this.queues.set(
        c,
        (queue = new (quietObjects().QuietObjects)(this.store, c.kind, c.dependsOn ?? [], {
          watchesDependents: c.watchesDependents,
          dependsOnEach: c.dependsOnEach,
          dependentsVersion: c.dependentsVersion,
          ownerOfDependent: c.ownerOfDependent,
        })),
      );
      const saved = this.savedQuiet?.(c.name);
      if (saved) queue.restore(saved);
    }
    return queue;
  }

  /**
   * Per kind controller, the objects it said need nothing before a time (the `quiet` action):
   * a pass reconciles only the others. At 150k pods this saves the kubelet 150k visits per pass.
   */
  private readonly queues = new Map<Controller, QuietObjects>();

  /** Where a controller's queue finds the marks a previous command saved (read when the queue is made). */
  savedQuiet?: (controller: string) => SavedQuiet | undefined;

  /**
   * Each queue's marks to keep for the next command, by controller name: only controllers that
   * ran and whose marks changed since they were restored (a read-only command rewrites none).
   */
  quietToSave(): Map<string, SavedQuiet | undefined> {
    const out = new Map<string, SavedQuiet | undefined>();
    for (const [c, queue] of this.queues) if (queue.changed) out.set(c.name, queue.saved());
    return out;
  }

  private wakeAt(at: number): void {
    if (at > this.now && at !== Infinity && (this.nextWakeup === undefined || at < this.nextWakeup)) this.nextWakeup = at;
  }

  private applyOne(a: Action): void {
    if (a.type === 'requeueAt' || a.type === 'quiet') {
      this.wakeAt(a.type === 'quiet' ? a.until : a.at);
      return;
    }
    applier().applyAction(this.store, this.random, this.now, a);
  }
}

/** The index of the first slot after `obj` in namespace/name order (`sorted` is in that order). */
function firstAfter(sorted: readonly Slot[], obj: KObject): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (byNamespaceName(sorted[mid].obj, obj) > 0) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
