import { registerKind } from '../registry';
import { RBAC_GROUP, ROLE_COLUMNS, validateRole } from './rbac-common';

registerKind({
  kind: 'ClusterRole',
  group: RBAC_GROUP,
  version: 'v1',
  plural: 'clusterroles',
  singular: 'clusterrole',
  shortNames: [],
  namespaced: false,
  columns: ROLE_COLUMNS,
  validate(obj) {
    return validateRole(obj, false);
  },
  specFields: ['rules', 'aggregationRule'],
});
