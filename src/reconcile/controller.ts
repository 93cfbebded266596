import type { ObjectOf } from '../model/kinds';
import type { KObject } from '../model/objects';
import type { ReadonlyObjectStore, Slot } from '../store/object-store';
import type { Random } from '../util/random';
import type { Action } from './actions';

/** What a controller sees: the world as it is now, read-only (it changes it by the actions it returns). */
export interface ReconcileContext {
  store: ReadonlyObjectStore;
  /** virtual now, ms since the epoch */
  now: number;
  /** the cluster's seeded PRNG (tie-breaks, simulated latencies) */
  random: Random;
}

/**
 * A controller is level-based: it looks at the current state and returns actions.
 * Either `kind` + `reconcile` (called once per object of that kind per pass, in
 * namespace/name order), or `reconcileAll` for controllers that work on a queue
 * (the scheduler). Running a pass twice must change nothing the second time.
 */
export interface Controller<Kind extends string = string> {
  name: string;
  kind?: Kind;
  /** `obj` is the typed object of `kind` (a Controller<'Deployment'> reconciles a Deployment) */
  reconcile?(obj: ObjectOf<Kind>, ctx: ReconcileContext): Action[];
  /** kinds whose writes end every `quiet` this controller declared (what its reconcile reads besides the object) */
  dependsOn?: string[];
  /**
   * A cluster-scoped kind whose objects each concern only some of this controller's objects
   * (the kubelet's Node: the pods bound to it): an update of one ends the `quiet` of those
   * (`dependents`) only, where `dependsOn` would end them all; creating or deleting one ends
   * them all. (Not for a kind the controller's own reconcile writes: a write in the middle of a
   * pass takes effect at the next pass.)
   */
  dependsOnEach?: { kind: string; dependents(store: ReadonlyObjectStore, name: string): Iterable<Slot> };
  /**
   * The kind of the objects this controller's objects own (a ReplicaSet's Pods): a write of one
   * ends only its owner's `quiet` (and an orphan's, every quiet in its namespace: it may be
   * adopted), where `dependsOn` would end them all.
   */
  watchesDependents?: string;
  /**
   * which dependents are the object's, as a counter of their writes (default: those it owns,
   * ReadonlyObjectStore.dependentsVersion), from its slot's namespace and name (asked of every
   * marked object at each save: reading `slot.obj` would parse every row of the kind)
   */
  dependentsVersion?(store: ReadonlyObjectStore, slot: Slot): number;
  /**
   * With a custom dependentsVersion: the one object (of this controller's kind, by namespace and
   * name) whose counter a version of a dependent (as written or deleted) moves, if any (the
   * eviction manager's: the pod's node). The queue then
   * rechecks the owners of the dependents written or deleted since its last look, not every
   * object of its kind each pass (5,000 nodes × 42 passes of a 1,000-replica rollout status).
   * It must name every object whose dependentsVersion such a write can change.
   */
  ownerOfDependent?(dependent: KObject): { namespace: string | undefined; name: string } | undefined;
  reconcileAll?(ctx: ReconcileContext): Action[];
  /**
   * The cluster was loaded as the last command left it, quiescent (Engine.resumeQuiescent): a
   * pass over what was loaded would do nothing, so a reconcileAll may look only at what is
   * written or deleted from here on.
   */
  resumedQuiescent?(ctx: ReconcileContext): void;
}
