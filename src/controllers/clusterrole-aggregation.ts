import { quiet, update, type Action } from '../reconcile/actions';
import type { Controller } from '../reconcile/controller';
import type { Fields, KObject } from '../model/objects';
import type { ReadonlyObjectStore } from '../store/object-store';
import { fromLabelSelector, matches } from '../api/labels';
import { deepEqual } from '../api/merge';

/**
 * The rules a ClusterRole with an aggregationRule gets (kube-controller-manager's
 * clusterrole-aggregation controller): the rules of every other ClusterRole one of its
 * clusterRoleSelectors matches, in name order, each rule once.
 */
export function aggregatedRules(store: ReadonlyObjectStore, role: KObject): Fields[] {
  return aggregateRules(role, store.list('ClusterRole'));
}

/** aggregatedRules over a list of ClusterRoles (the bootstrap policy is aggregated before it is stored). */
export function aggregateRules(role: KObject, clusterRoles: readonly KObject[]): Fields[] {
  const selectors = ((role.aggregationRule?.clusterRoleSelectors ?? []) as Fields[]).map((s) => fromLabelSelector(s));
  const sources = clusterRoles
    .filter((other) => other.metadata.name !== role.metadata.name)
    .filter((other) => selectors.some((sel) => !!sel && matches(sel, other.metadata.labels)))
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  const rules: Fields[] = [];
  for (const source of sources)
    for (const r of (source.rules ?? []) as Fields[]) if (!rules.some((have) => deepEqual(have, r))) rules.push(r);
  return rules;
}

export const clusterRoleAggregationController: Controller<'ClusterRole'> = {
  name: 'clusterrole-aggregation',
  kind: 'ClusterRole',
  dependsOn: ['ClusterRole'],
  reconcile(role, { store }): Action[] {
    if (!role.aggregationRule) return [quiet(Infinity)];
    const rules = aggregatedRules(store, role);
    if (deepEqual(rules, role.rules ?? [])) return [quiet(Infinity)];
    return [update({ ...role, rules } as KObject), quiet(Infinity)];
  },
};
