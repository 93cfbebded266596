import { registerKind } from './register';
import { ROLE_COLUMNS, validateRole } from './rbac-common';

registerKind('Role', {
  columns: ROLE_COLUMNS,
  validate(obj) {
    return validateRole(obj, true);
  },
  specFields: ['rules'],
});
