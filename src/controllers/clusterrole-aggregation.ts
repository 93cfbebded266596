import { quiet, update, type Action } from '../reconcile/actions';
import type { Controller } from '../reconcile/controller';
import type { ClusterRole } from '../model/kinds';
import type { PolicyRule } from '../model/k8s';
import type { ReadonlyObjectStore } from '../store/object-store';
import { aggregateRules } from '../api/kinds/clusterrole';
import { deepEqual } from '../api/merge';

/**
 * The rules a ClusterRole with an aggregationRule gets (kube-controller-manager's
 * clusterrole-aggregation controller): the rules of every other ClusterRole one of its
 * clusterRoleSelectors matches, in name order, each rule once.
 */
export function aggregatedRules(store: ReadonlyObjectStore, role: ClusterRole): PolicyRule[] {
  return aggregateRules(role, store.list('ClusterRole'));
}

export const clusterRoleAggregationController: Controller<'ClusterRole'> = {
  name: 'clusterrole-aggregation',
  kind: 'ClusterRole',
  dependsOn: ['ClusterRole'],
  reconcile(role, { store }): Action[] {
    if (!role.aggregationRule) return [quiet(Infinity)];
    const rules = aggregatedRules(store, role);
    if (deepEqual(rules, role.rules ?? [])) return [quiet(Infinity)];
    return [update({ ...role, rules }), quiet(Infinity)];
  },
};
