import { allKinds } from '../api/registry';
import { remove, type Action } from '../reconcile/actions';
import type { Controller } from '../reconcile/controller';

/** Empties a Terminating namespace, then removes it (the namespace lifecycle controller). */
export const namespaceController: Controller<'Namespace'> = {
  name: 'namespace',
  kind: 'Namespace',
  reconcile(ns, { store }) {
    if (ns.status?.phase !== 'Terminating') return [];
    const actions: Action[] = [];
    let remaining = 0;
    for (const info of allKinds()) {
      if (!info.namespaced) continue;
      for (const obj of store.list(info.kind, ns.metadata.name)) {
        remaining++;
        if (!obj.metadata.deletionTimestamp)
          actions.push(remove({ kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name }));
      }
    }
    if (remaining === 0) {
      // finalizer done: the namespace object itself goes (force past the Terminating step)
      actions.push(remove({ kind: 'Namespace', name: ns.metadata.name }));
    }
    return actions;
  },
};
