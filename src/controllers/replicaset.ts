import { create, event, eventRecord, quiet, remove, requeueAt, update, type Action } from '../reconcile/actions';
import type { Controller, ReconcileContext } from '../reconcile/controller';
import { controllerOf, type KObject } from '../model/objects';
import { isKind, type ObjectOf, type Pod, type ReplicaSet, type ReplicationController } from '../model/kinds';
import type { ReplicaSetStatus } from '../model/k8s';
import { fromLabelSelector, fromMatchLabels, matches, type Requirement } from '../api/labels';
import { fromRFC3339 } from '../util/duration';
import { factsView, isActivePod, isActiveView, podFromTemplate, podView, rankPodsForDeletion, type PodView } from './pod-control';
import { rowFacts } from '../store/pod-facts';
import type { ReadonlyObjectStore, Slot } from '../store/object-store';

/**
 * What differs between the ReplicaSet controller and the replication manager, which is the same
 * controller run over ReplicationControllers (pkg/controller/replication wraps the ReplicaSet
 * controller with a conversion): the kind, its event source and the shape of its selector.
 */
interface ReplicatedKind<K extends 'ReplicaSet' | 'ReplicationController'> {
  name: string;
  kind: K;
  apiVersion: string;
  source: string;
  selector(obj: ObjectOf<K>): Requirement[];
}

/**
 * Pods the controller owns, adopting matching orphans (ownerReference with controller: true).
 * An owned pod loaded from its row and not written since is read from the row's columns
 * (factsView), unparsed: a 1,000-replica ReplicaSet counting its pods parses none of them.
 */
function claimPods(rs: KObject, selector: Requirement[], ctx: ReconcileContext): { owned: PodView[]; adopt: Pod[] } {
  const owned = ownedViews(rs.metadata.uid!, ctx.store);
  const adopt: Pod[] = [];
  if (!rs.metadata.deletionTimestamp && selector.length) {
    for (const pod of ctx.store.orphanPodsIn(rs.metadata.namespace ?? 'default')) {
      if (pod.metadata.deletionTimestamp || !isActivePod(pod)) continue;
      if (matches(selector, pod.metadata.labels)) adopt.push(pod);
    }
  }
  return { owned, adopt };
}

/**
 * The views of the pods an owner uid controls, as of its last reconcile, per store: the dependents'
 * list (ownedSlots, the same array until one is added or removed), each slot's write count when
 * viewed and its view (null: not a pod it controls). A view is made again only for a pod written
 * since: in a 150k-pod advance each pass reconciled every ReplicaSet whose pods moved, and made a
 * view of each of its 1,000 pods (1M views over 7 passes, for the 300k pod writes).
 */
interface OwnedViews {
  slots: readonly Slot[];
  writes: number[];
  views: (PodView | null)[];
}
const viewsByStore = new WeakMap<ReadonlyObjectStore, Map<string, OwnedViews>>();

function ownedViews(uid: string, store: ReadonlyObjectStore): PodView[] {
  let byOwner = viewsByStore.get(store);
  if (!byOwner) viewsByStore.set(store, (byOwner = new Map()));
  const slots = store.ownedSlots(uid);
  let memo = byOwner.get(uid);
  if (memo?.slots !== slots) {
    // a dependent added or removed: the list is new, and a view is made again only for a pod
    // written since (a rollout's passes each add or remove some of 1,000 pods: remaking every
    // view each time was ~8,400 views, each reading its row's facts, for ~2,000 pod writes)
    const before = memo;
    memo = { slots, writes: new Array<number>(slots.length).fill(-1), views: new Array<PodView | null>(slots.length).fill(null) };
    if (before) {
      const at = new Map<Slot, number>();
      for (let i = 0; i < before.slots.length; i++) at.set(before.slots[i], i);
      for (let i = 0; i < slots.length; i++) {
        const j = at.get(slots[i]);
        if (j === undefined) continue;
        memo.writes[i] = before.writes[j];
        memo.views[i] = before.views[j];
      }
    }
    byOwner.set(uid, memo);
  }
  const owned: PodView[] = [];
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i];
    let view = memo.views[i];
    if (memo.writes[i] !== slot.writes) {
      view = viewOf(slot, uid, store);
      memo.views[i] = view;
      memo.writes[i] = slot.writes;
    }
    if (view) owned.push(view);
  }
  return owned;
}

/** The slot's view when the pod's controller is the uid (from the row's facts while not written since load). */
function viewOf(slot: Slot, uid: string, store: ReadonlyObjectStore): PodView | null {
  const facts = rowFacts(slot, store);
  if (facts) return facts.controller === uid ? factsView(slot, facts) : null;
  const pod = slot.obj;
  if (!isKind(pod, 'Pod')) return null;
  return controllerOf(pod)?.uid === uid ? podView(pod) : null;
}

/**
 * ReplicaSet controller: keeps spec.replicas active pods, replacing deleted or failed
 * ones, deleting surplus in kube's ranking order, and reports status.
 */
function replicatedPodsController<K extends 'ReplicaSet' | 'ReplicationController'>(replicated: ReplicatedKind<K>): Controller<K> {
  const { kind, apiVersion, source: SOURCE } = replicated;
  // quiet until the ReplicaSet or its pods change: the engine's queue skips it till then, in
  // later commands too (at 150k pods the first pass of every command walked all of them)
  return { name: replicated.name, kind, reconcile, watchesDependents: 'Pod' };

  function reconcile(rs: ObjectOf<K>, ctx: ReconcileContext): Action[] {
    // nothing to do last time, and neither the ReplicaSet nor its pods (nor adoptable
    // orphans) changed since: nothing to do now (without minReadySeconds time plays no part)
    const version = ctx.store.dependentsVersion(rs.metadata.uid!, rs.metadata.namespace ?? '');
    const minReady = rs.spec?.minReadySeconds ?? 0;
    if (!minReady && (idleAt.get(rs) === version || wroteItsStatus(rs, version))) return [quiet(Infinity)];
    const actions: Action[] = [];
    const { owned, adopt } = claimPods(rs, replicated.selector(rs), ctx);
    for (const pod of adopt) {
      actions.push(
        update({
          ...pod,
          metadata: {
            ...pod.metadata,
            ownerReferences: [
              ...(pod.metadata.ownerReferences ?? []),
              {
                apiVersion,
                kind,
                name: rs.metadata.name,
                uid: rs.metadata.uid!,
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          },
        }),
      );
    }
    const pods = [...owned, ...adopt.map(podView)];
    const active = pods.filter(isActiveView);
    // failed pods (evicted, OOM with restartPolicy Never) are replaced but left in place, as in
    // kube: only the pod GC removes them, and only past 12,500 terminated pods
    // a ReplicaSet being deleted (foreground: its pods go first) manages no replicas
    const desired = rs.metadata.deletionTimestamp ? active.length : (rs.spec?.replicas ?? 1);
    const diff = active.length - desired;
    if (diff < 0) {
      // the creates of one reconcile hand over one pod object: a create copies what it stores
      // from its input and edits only that (server.ts create, template-pods.ts), so the input
      // is read, never written
      const pod = podFromTemplate(rs, rs.spec.template ?? {}, { specAsIs: true });
      const created = (stored: KObject) => [eventRecord(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${stored.metadata.name}`, SOURCE)];
      for (let i = 0; i < -diff; i++) actions.push(create(pod, created));
    } else if (diff > 0) {
      const perNode = new Map<string, number>();
      for (const p of active) if (p.nodeName) perNode.set(p.nodeName, (perNode.get(p.nodeName) ?? 0) + 1);
      for (const pod of rankPodsForDeletion(active, ctx.now, perNode).slice(0, diff)) {
        actions.push(remove({ kind: 'Pod', namespace: pod.namespace, name: pod.name }));
        actions.push(event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.name}`, SOURCE));
      }
    }
    const status = statusActions(rs, active, ctx);
    actions.push(...status);
    const sent = status[0];
    if (!minReady && actions.length === 1 && sent?.type === 'update' && sent.object.status)
      statusWritten.set(sent.object.status, { version, spec: rs.spec });
    if (actions.length) return actions;
    idleAt.set(rs, version);
    // without minReadySeconds nothing here depends on the time
    return minReady ? actions : [quiet(Infinity)];
  }
}

export const replicaSetController = replicatedPodsController({
  name: 'replicaset',
  kind: 'ReplicaSet',
  apiVersion: 'apps/v1',
  source: 'replicaset-controller',
  selector: (rs) => fromLabelSelector(rs.spec?.selector) ?? [],
});

/** The replication manager: a ReplicationController's selector is a plain label map. */
export const replicationManager = replicatedPodsController({
  name: 'replicationmanager',
  kind: 'ReplicationController',
  apiVersion: 'v1',
  source: 'replication-controller',
  selector: (rc) => fromMatchLabels(rc.spec?.selector),
});

/** isPodAvailable of a view: Ready for at least minReadySeconds */
function isAvailable(p: PodView, minReadySeconds: number, now: number): boolean {
  if (!p.ready) return false;
  if (!minReadySeconds) return true;
  return fromRFC3339(p.readySince) + minReadySeconds * 1000 <= now;
}

/** Objects (immutable versions) whose last reconcile did nothing, with the dependents' version then. */
const idleAt = new WeakMap<KObject, number>();

/**
 * Status objects this controller wrote as a reconcile's one action, with the dependents' version
 * and the spec then. The next reconcile (due because of that write) of the object as written, its
 * pods unchanged, would count the same pods into the same status: nothing to do. A trusted update
 * stores the action's spec and status objects as they are, so the object is known by them. (At
 * 150k pods, the pass after each round of status writes walked every ReplicaSet's pods again.)
 */
const statusWritten = new WeakMap<object, { version: number; spec: unknown }>();
function wroteItsStatus(rs: ReplicaSet | ReplicationController, version: number): boolean {
  const written = rs.status ? statusWritten.get(rs.status) : undefined;
  return written?.version === version && written.spec === rs.spec && !rs.metadata.deletionTimestamp;
}

function statusActions(rs: ReplicaSet | ReplicationController, active: PodView[], ctx: ReconcileContext): Action[] {
  const minReady = rs.spec?.minReadySeconds ?? 0;
  const templateLabels = Object.entries(rs.spec?.template?.metadata?.labels ?? {});
  // one walk over the pods (a ReplicaSet's pods share one labels object: checked once)
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  let labelsSeen: unknown;
  let labelsMatch = false;
  for (const p of active) {
    const labels = p.labels;
    if (labels !== labelsSeen || labelsSeen === undefined) {
      labelsSeen = labels;
      labelsMatch = templateLabels.every(([k, v]) => labels?.[k] === v);
    }
    if (labelsMatch) fullyLabeled++;
    if (!p.ready) continue;
    ready++;
    if (isAvailable(p, minReady, ctx.now)) available++;
  }
  const status = {
    replicas: active.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.metadata.generation,
  };
  const actions: Action[] = [];
  // a pod that is ready but not yet available becomes available after minReadySeconds
  if (minReady) {
    for (const p of active) {
      if (p.ready && !isAvailable(p, minReady, ctx.now)) {
        const readyAt = fromRFC3339(p.readySince);
        actions.push(requeueAt(readyAt + minReady * 1000));
      }
    }
  }
  const current: Partial<ReplicaSetStatus> = rs.status ?? {};
  // the counts compared as their JSON without zeros would be (the same keys in the same order)
  const same = (a: unknown, b: unknown) => a === b || ((a === undefined || a === 0) && (b === undefined || b === 0));
  if (
    !same(status.replicas, current.replicas) ||
    !same(status.fullyLabeledReplicas, current.fullyLabeledReplicas) ||
    !same(status.readyReplicas, current.readyReplicas) ||
    !same(status.availableReplicas, current.availableReplicas) ||
    !same(status.observedGeneration, current.observedGeneration)
  ) {
    // kube omits zero counts from status (omitempty), except replicas
    const next: Record<string, number | undefined> = { ...status };
    for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'] as const) if (!next[k]) delete next[k];
    actions.push(update({ ...rs, status: { ...(current.conditions ? { conditions: current.conditions } : {}), ...next } }));
  }
  return actions;
}
