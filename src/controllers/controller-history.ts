import { create, remove, update, type Action } from '../reconcile/actions';
import type { ReadonlyObjectStore } from '../store/object-store';
import type { KObject } from '../model/objects';
import type * as t from '../model/k8s';
import { ownedRevisions, revisionData } from '../api/revisions';

/**
 * ControllerRevisions of a StatefulSet or DaemonSet (pkg/controller/history, the sets'
 * getStatefulSetRevisions / constructHistory): one per pod template, named `<owner>-<hash>`,
 * numbered in the order the templates were last used, at most revisionHistoryLimit kept
 * beyond those still in use.
 */

/**
 * The actions that make `name` the newest revision (a new one, or an old one renumbered on
 * rollback) and drop the oldest unused ones past the history limit. `inUse`: revision names
 * pods or the status still refer to.
 */
export function syncRevisions(
  owner: KObject<{ template: t.PodTemplateSpec; revisionHistoryLimit?: number }>,
  store: ReadonlyObjectStore,
  name: string,
  labels: Record<string, string>,
  inUse: Set<string>,
): Action[] {
  const revisions = ownedRevisions(owner, store);
  const actions: Action[] = [];
  const newest = revisions.length ? (revisions[revisions.length - 1].revision ?? 0) : 0;
  const existing = revisions.find((r) => r.metadata.name === name);
  if (!existing) {
    const ref = {
      apiVersion: owner.apiVersion,
      kind: owner.kind,
      name: owner.metadata.name,
      uid: owner.metadata.uid!,
      controller: true,
      blockOwnerDeletion: true,
    };
    const annotations = { ...(owner.metadata.annotations ?? {}) };
    actions.push(
      create({
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: {
          name,
          namespace: owner.metadata.namespace,
          labels: { ...(owner.spec?.template?.metadata?.labels ?? {}), ...labels },
          ...(Object.keys(annotations).length ? { annotations } : {}),
          ownerReferences: [ref],
        },
        data: revisionData(owner),
        revision: newest + 1,
      }),
    );
  } else if ((existing.revision ?? 0) !== newest) {
    // a rollback to an earlier template: that revision becomes the newest
    actions.push(update({ ...existing, revision: newest + 1 }));
  }
  // truncateHistory: beyond the limit, the oldest revisions nothing uses go
  const limit: number = owner.spec?.revisionHistoryLimit ?? 10;
  const history = revisions.filter((r) => r.metadata.name !== name && !inUse.has(r.metadata.name));
  for (const r of history.slice(0, Math.max(0, history.length - limit))) {
    actions.push(remove({ kind: 'ControllerRevision', namespace: r.metadata.namespace, name: r.metadata.name }));
  }
  return actions;
}
