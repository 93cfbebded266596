import type { PropagationPolicy } from '../api/server';
import type { EventRecord, KObject, ObjectRef } from '../model/objects';

/**
 * What a controller may ask for. Controllers never write; the engine's applier
 * turns these into store writes, so every change goes through one path.
 */
export type Action =
  /** create; metadata.generateName gets a seeded 5-char suffix; `then` names events after the created object */
  | { type: 'create'; object: KObject; then?: (created: KObject) => EventRecord[] }
  /** replace the object (metadata/spec/status); no-op when nothing changed */
  | { type: 'update'; object: KObject }
  /** delete: pods with a grace period go Terminating first, other kinds go at once */
  | { type: 'delete'; ref: ObjectRef; gracePeriodSeconds?: number; propagationPolicy?: PropagationPolicy }
  /** the Eviction subresource (src/api/eviction.ts, the path drain takes); a PDB refusal (429) leaves the pod be */
  | { type: 'evict'; ref: ObjectRef; gracePeriodSeconds?: number }
  | { type: 'event'; event: EventRecord }
  /** keep what a kube controller holds in process memory about an object (ObjectStore.recall reads it) */
  | { type: 'remember'; controller: string; uid: string; value: unknown }
  /** run again at this virtual time (ms) */
  | { type: 'requeueAt'; at: number }
  /**
   * The last action of a reconcile: nothing to do for this object, as it is once the actions
   * before this one are applied, before `until` (Infinity: not until it changes) unless an
   * object of the controller's `dependsOn` kinds is written. The engine skips it until then
   * (and wakes at `until`, as requeueAt).
   */
  | { type: 'quiet'; until: number };

export const create = (object: KObject, then?: (created: KObject) => EventRecord[]): Action => ({ type: 'create', object, then });

/** An event record for `then` callbacks and other places that build events before applying. */
export function eventRecord(obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string, source: string): EventRecord {
  return {
    involved: {
      kind: obj.kind,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name,
      uid: obj.metadata.uid,
      apiVersion: obj.apiVersion,
    },
    type,
    reason,
    message,
    source,
  };
}
export const update = (object: KObject): Action => ({ type: 'update', object });
export const remove = (ref: ObjectRef, gracePeriodSeconds?: number, propagationPolicy?: PropagationPolicy): Action => ({
  type: 'delete',
  ref,
  gracePeriodSeconds,
  propagationPolicy,
});
export const evict = (ref: ObjectRef, gracePeriodSeconds?: number): Action => ({ type: 'evict', ref, gracePeriodSeconds });
export const remember = (controller: string, uid: string, value: unknown): Action => ({ type: 'remember', controller, uid, value });
export const requeueAt = (at: number): Action => ({ type: 'requeueAt', at });
export const quiet = (until: number): Action => ({ type: 'quiet', until });
export function event(
  obj: KObject | ObjectRef,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  source: string,
  host?: string,
  fieldPath?: string,
): Action {
  const involved: ObjectRef =
    'metadata' in obj
      ? {
          kind: obj.kind,
          namespace: obj.metadata.namespace,
          name: obj.metadata.name,
          uid: obj.metadata.uid,
          apiVersion: obj.apiVersion,
          fieldPath,
        }
      : fieldPath
        ? { ...obj, fieldPath }
        : obj;
  return { type: 'event', event: { involved, type, reason, message, source, host } };
}
