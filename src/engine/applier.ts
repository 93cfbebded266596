import type { Random } from '../util/random';
import type { ObjectStore } from '../store/object-store';
import { createObject, deleteObject, updateObject } from '../api/server';
import { ApiError, serverInvalidMessage } from '../util/errors';
import type { Action } from '../reconcile/actions';
import { controllerOf } from '../model/objects';
import { evictPod } from '../api/eviction';

/** The one writer: turns controller actions into API writes. */
export function applyAction(store: ObjectStore, random: Random, now: number, action: Action): void {
  const ctx = { store, now, random };
  switch (action.type) {
    case 'create':
      try {
        const created = createObject(ctx, action.object, { trusted: true });
        for (const e of action.then?.(created) ?? []) store.recordEvent(e, now);
      } catch (e) {
        // admission denied a controller's create: the owner gets FailedCreate, as in kube
        const owner = controllerOf(action.object);
        if (!(e instanceof ApiError) || !owner) throw e;
        // the error's text as the server sends it (the controller logs err.Error(), not kubectl's rendering)
        const reason = e.details ? serverInvalidMessage(e.details) : e.message.replace(/^(Error from server \([A-Za-z]+\): |The )/, '');
        store.recordEvent(
          {
            involved: { kind: owner.kind, name: owner.name, namespace: action.object.metadata.namespace, uid: owner.uid },
            type: 'Warning',
            reason: 'FailedCreate',
            message: `Error creating: ${reason}`,
            source: `${owner.kind.toLowerCase()}-controller`,
          },
          now,
        );
      }
      return;
    case 'update':
      try {
        updateObject(ctx, action.object, { trusted: true });
      } catch (e) {
        // written since the controller read it: as in kube, the controller's write fails and
        // it tries again from the newer object (the engine's next pass) rather than the command
        if (!(e instanceof ApiError && e.reason === 'Conflict')) throw e;
      }
      return;
    case 'delete':
      try {
        deleteObject(ctx, action.ref.kind, action.ref.namespace, action.ref.name, {
          gracePeriodSeconds: action.gracePeriodSeconds,
          propagationPolicy: action.propagationPolicy,
        });
      } catch (e) {
        // already gone: level-based controllers may ask twice
        if (!(e instanceof ApiError && e.reason === 'NotFound')) throw e;
      }
      return;
    case 'evict':
      try {
        evictPod(ctx, action.ref.namespace ?? 'default', action.ref.name, { gracePeriodSeconds: action.gracePeriodSeconds });
      } catch (e) {
        // refused by a PDB (429) or already gone: the controller asks again on its next wake-up
        if (!(e instanceof ApiError && (e.code === 429 || e.reason === 'NotFound'))) throw e;
      }
      return;
    case 'event':
      store.recordEvent(action.event, now);
      return;
    case 'remember':
      store.remember(action.controller, action.uid, action.value);
      return;
    case 'requeueAt':
    case 'quiet':
      return;
  }
}
