import { allKinds } from '../api/registry';
import { remove, update, type Action } from '../reconcile/actions';
import type { Controller } from '../reconcile/controller';
import type { KObject } from '../model/objects';
import type { NamespaceCondition } from '../model/k8s';
import { toRFC3339 } from '../util/duration';

/** The finalizer the namespace lifecycle controller owns (spec.finalizers, not metadata.finalizers). */
export const NAMESPACE_FINALIZER = 'kubernetes';

/**
 * The conditions the namespace deleter keeps on a Terminating namespace, in its order, with the
 * reason and message of their "ok" variant (pkg/controller/namespace/deletion/status_condition_utils.go).
 */
const CONDITIONS: [type: string, okReason: string, okMessage: string][] = [
  ['NamespaceDeletionDiscoveryFailure', 'ResourcesDiscovered', 'All resources successfully discovered'],
  ['NamespaceDeletionGroupVersionParsingFailure', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
  ['NamespaceDeletionContentFailure', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
  ['NamespaceContentRemaining', 'ContentRemoved', 'All content successfully removed'],
  ['NamespaceFinalizersRemaining', 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'],
];

/** A condition as the deleter computes it, before its lastTransitionTime is settled. */
type FreshCondition = Required<Omit<NamespaceCondition, 'lastTransitionTime'>>;

/**
 * Empties a Terminating namespace (the namespace controller's deleter): deletes everything in
 * it; while some content is still going (pods in their grace period, objects waiting on
 * finalizers) it says so in the namespace's conditions; once nothing is left it removes its
 * `kubernetes` finalizer from spec.finalizers (the finalize subresource) and deletes the
 * namespace, which the API server then removes.
 */
export const namespaceController: Controller<'Namespace'> = {
  name: 'namespace',
  kind: 'Namespace',
  reconcile(ns, { store, now }) {
    if (ns.status?.phase !== 'Terminating') return [];
    const name = ns.metadata.name;
    const finalizers: string[] = ns.spec?.finalizers ?? [];
    // finalized: the API server removes it once no other finalizer is left (another one keeps it Terminating)
    if (!finalizers.includes(NAMESPACE_FINALIZER)) return finalizers.length ? [] : [remove({ kind: 'Namespace', name })];
    const deletes: Action[] = [];
    const remaining = new Map<string, number>();
    const finalizersRemaining = new Map<string, number>();
    for (const info of allKinds()) {
      if (!info.namespaced) continue;
      for (const obj of store.list(info.kind, name)) {
        if (!obj.metadata.deletionTimestamp) {
          deletes.push(remove({ kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name }));
          continue;
        }
        // gvr.Resource + "." + gvr.Group: "pods." for the core group
        const resource = `${info.plural}.${info.group}`;
        remaining.set(resource, (remaining.get(resource) ?? 0) + 1);
        for (const f of obj.metadata.finalizers ?? []) finalizersRemaining.set(f, (finalizersRemaining.get(f) ?? 0) + 1);
      }
    }
    // what the deletes of this pass leave is counted on the next pass, once they are applied
    if (deletes.length) return deletes;
    if (remaining.size) {
      const conditions = updatedConditions(ns.status?.conditions ?? [], contentConditions(remaining, finalizersRemaining), now);
      return conditions ? [update({ ...ns, status: { ...ns.status, conditions } })] : [];
    }
    // finalize: spec.finalizers without ours, then the delete that removes the namespace
    const others = finalizers.filter((f) => f !== NAMESPACE_FINALIZER);
    const finalized: KObject = { ...ns, spec: { ...ns.spec, finalizers: others } };
    return others.length ? [update(finalized)] : [update(finalized), remove({ kind: 'Namespace', name })];
  },
};

/** ProcessContentTotals: the remaining resources and finalizers, each list sorted for stable updates. */
function contentConditions(remaining: Map<string, number>, finalizers: Map<string, number>): FreshCondition[] {
  const conditions: FreshCondition[] = [];
  const resources = [...remaining].map(([r, n]) => `${r} has ${n} resource instances`).sort();
  conditions.push({
    type: 'NamespaceContentRemaining',
    status: 'True',
    reason: 'SomeResourcesRemain',
    message: `Some resources are remaining: ${resources.join(', ')}`,
  });
  if (finalizers.size) {
    const byFinalizer = [...finalizers].map(([f, n]) => `${f} in ${n} resource instances`).sort();
    conditions.push({
      type: 'NamespaceFinalizersRemaining',
      status: 'True',
      reason: 'SomeFinalizersRemain',
      message: `Some content in the namespace has finalizers remaining: ${byFinalizer.join(', ')}`,
    });
  }
  return conditions;
}

/**
 * updateConditions: every condition type in the deleter's order, the ok variant where nothing
 * failed; a condition's lastTransitionTime moves only when its status does. Undefined when
 * nothing changed (no write, so the controller settles).
 */
function updatedConditions(old: NamespaceCondition[], fresh: FreshCondition[], now: number): NamespaceCondition[] | undefined {
  const conditions = old.map((c) => ({ ...c }));
  let changed = false;
  for (const [type, okReason, okMessage] of CONDITIONS) {
    const next = fresh.find((c) => c.type === type) ?? { type, status: 'False', reason: okReason, message: okMessage };
    const existing = conditions.find((c) => c.type === type);
    if (!existing) {
      conditions.push({ type, status: next.status, lastTransitionTime: toRFC3339(now), reason: next.reason, message: next.message });
      changed = true;
    } else if (existing.status !== next.status || existing.reason !== next.reason || existing.message !== next.message) {
      if (existing.status !== next.status) existing.lastTransitionTime = toRFC3339(now);
      Object.assign(existing, { status: next.status, reason: next.reason, message: next.message });
      changed = true;
    }
  }
  return changed ? conditions : undefined;
}
