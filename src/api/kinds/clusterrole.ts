import { registerKind } from './register';
import { ROLE_COLUMNS, validateRole } from './rbac-common';
import type { ClusterRole } from '../../model/kinds';
import type { PolicyRule } from '../../model/k8s';
import { fromLabelSelector, matches } from '../labels';
import { deepEqual } from '../merge';

registerKind('ClusterRole', {
  columns: ROLE_COLUMNS,
  validate(obj) {
    return validateRole(obj, false);
  },
  specFields: ['rules', 'aggregationRule'],
});

/**
 * The rules a ClusterRole with an aggregationRule gets from these ClusterRoles (the
 * clusterrole-aggregation controller): the rules of every other role one of its clusterRoleSelectors
 * matches, in name order, each rule once.
 */
export function aggregateRules(role: ClusterRole, clusterRoles: readonly ClusterRole[]): PolicyRule[] {
  const selectors = (role.aggregationRule?.clusterRoleSelectors ?? []).map((s) => fromLabelSelector(s));
  const sources = clusterRoles
    .filter((other) => other.metadata.name !== role.metadata.name)
    .filter((other) => selectors.some((sel) => !!sel && matches(sel, other.metadata.labels)))
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  const rules: PolicyRule[] = [];
  for (const source of sources) for (const r of source.rules ?? []) if (!rules.some((have) => deepEqual(have, r))) rules.push(r);
  return rules;
}
