import { remove, type Action } from '../reconcile/actions';
import { FOREGROUND_FINALIZER } from '../api/server';
import type { Controller } from '../reconcile/controller';
import type { KObject } from '../model/objects';
import type { ReadonlyObjectStore } from '../store/object-store';

/**
 * Cascading deletion: an object whose owners are all gone is deleted (background, ownerReferences
 * by uid, like kube's garbage collector); an owner deleted in the foreground (its
 * foregroundDeletion finalizer) has its dependents deleted the same way first, and goes once
 * none is left.
 */
export const garbageCollector: Controller = {
  name: 'garbage-collector',
  reconcileAll({ store }) {
    // owners only disappear by deletion (uids are never reused): after a pass that found every
    // object's owners, only objects written since, the dependents of objects deleted since and
    // the owners of those (one deleted in the foreground waits for its last dependent) can
    // have changed; the first pass of a process visits everything, unless the cluster was
    // loaded quiescent (resumedQuiescent: the last command's last pass found nothing)
    const cursor = cursors.get(store);
    // (a first pass asks the store's indexes for what is terminating or names a missing owner,
    // in the order a visit of every object would find them, without reading the others)
    const at = { drops: store.dropCount, at: store.writeLog.length };
    cursors.set(store, at);
    // a slot written several times is checked several times (cheaper than remembering which
    // were seen); one found orphaned is removed once
    const orphaned = new Set<KObject>();
    const actions: Action[] = [];
    const refOf = (o: KObject) => ({ kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name });
    const foreground = new Set<KObject>();
    // the owner list last found to have an owner (a ReplicaSet's pods share one list, and the
    // write log holds each pod's writes in runs): no owner is deleted during the walk
    let owned: unknown;
    const check = (obj: KObject) => {
      if (obj.metadata.deletionTimestamp && obj.metadata.finalizers?.includes(FOREGROUND_FINALIZER)) {
        if (foreground.has(obj)) return;
        foreground.add(obj);
        const dependents = store.ownedBy(obj.metadata.uid!);
        if (!dependents.length) actions.push(remove(refOf(obj)));
        for (const d of dependents) if (!d.metadata.deletionTimestamp) actions.push(remove(refOf(d), undefined, 'Foreground'));
        return;
      }
      const owners = obj.metadata.ownerReferences;
      if (!owners?.length || obj.metadata.deletionTimestamp || owners === owned) return;
      if (owners.every((r) => !store.getByUid(r.uid))) orphaned.add(obj);
      else owned = owners;
    };
    if (cursor) checkChangedSince(store, cursor, check);
    else for (const obj of store.orphanCandidates()) check(obj);
    for (const obj of orphaned) actions.push(remove(refOf(obj)));
    return actions;
  },
  resumedQuiescent({ store }) {
    cursors.set(store, { drops: store.dropCount, at: store.writeLog.length });
  },
};

const cursors = new WeakMap<ReadonlyObjectStore, { drops: number; at: number }>();

/** Calls `check` with each object written since the cursor, then the dependents and owners of each deleted since. */
function checkChangedSince(store: ReadonlyObjectStore, cursor: { drops: number; at: number }, check: (obj: KObject) => void): void {
  // (plain loops, not a generator: a yield per write was most of a 150k-pod apply's pass)
  const log = store.writeLog;
  const end = log.length;
  for (let i = cursor.at; i < end; i++) {
    const slot = log[i];
    if (!slot.removed) check(slot.obj);
  }
  for (let i = cursor.drops; i < store.dropCount; i++) {
    const gone = store.dropLog[i].obj;
    if (gone.metadata.uid) for (const dependent of store.ownedBy(gone.metadata.uid)) check(dependent);
    for (const ref of gone.metadata.ownerReferences ?? []) {
      const owner = store.getByUid(ref.uid);
      if (owner) check(owner);
    }
  }
}
