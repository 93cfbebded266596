import { registerKind } from '../registry';
import { RBAC_GROUP, ROLE_COLUMNS, validateRole } from './rbac-common';

registerKind({
  kind: 'Role',
  group: RBAC_GROUP,
  version: 'v1',
  plural: 'roles',
  singular: 'role',
  shortNames: [],
  namespaced: true,
  columns: ROLE_COLUMNS,
  validate(obj) {
    return validateRole(obj, true);
  },
  specFields: ['rules'],
});
