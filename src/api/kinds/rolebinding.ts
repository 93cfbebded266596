import { registerKind } from './register';
import { BINDING_COLUMNS, defaultBinding, validateBinding } from './rbac-common';

registerKind('RoleBinding', {
  columns: BINDING_COLUMNS,
  defaults: defaultBinding,
  validate(obj, old) {
    return validateBinding(obj, old, true);
  },
  specFields: ['roleRef', 'subjects'],
});
