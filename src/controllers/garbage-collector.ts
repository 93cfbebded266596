import { remove, type Action } from '../engine/actions';
import type { Controller } from '../engine/controller';
import type { KObject } from '../api/types';
import type { ObjectStore } from '../store/object-store';

/**
 * Background cascading deletion: an object whose owners are all gone is deleted
 * (ownerReferences by uid, like kube's garbage collector).
 */
export const garbageCollector: Controller = {
  name: 'garbage-collector',
  reconcileAll({ store }) {
    const actions: Action[] = [];
    // owners only disappear by deletion (uids are never reused): an object seen with a live
    // owner stays fine until something is deleted, so steady passes skip the owner lookups
    let memo = seen.get(store);
    if (!memo || memo.drops !== store.dropCount) seen.set(store, (memo = { drops: store.dropCount, ownerAlive: new WeakSet() }));
    for (const kind of store.kinds()) {
      for (const obj of store.values(kind)) {
        const owners = obj.metadata.ownerReferences;
        if (!owners?.length || obj.metadata.deletionTimestamp || memo.ownerAlive.has(obj)) continue;
        if (owners.every((r) => !store.getByUid(r.uid))) {
          actions.push(remove({ kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name }));
        } else {
          memo.ownerAlive.add(obj);
        }
      }
    }
    return actions;
  },
};

const seen = new WeakMap<ObjectStore, { drops: number; ownerAlive: WeakSet<KObject> }>();
