import { remove, type Action } from '../engine/actions';
import type { Controller } from '../engine/controller';

/**
 * Background cascading deletion: an object whose owners are all gone is deleted
 * (ownerReferences by uid, like kube's garbage collector).
 */
export const garbageCollector: Controller = {
  name: 'garbage-collector',
  reconcileAll({ store }) {
    const actions: Action[] = [];
    for (const kind of store.kinds()) {
      for (const obj of store.values(kind)) {
        const owners = obj.metadata.ownerReferences;
        if (!owners?.length || obj.metadata.deletionTimestamp) continue;
        if (owners.every((r) => !store.getByUid(r.uid))) {
          actions.push(remove({ kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name }));
        }
      }
    }
    return actions;
  },
};
