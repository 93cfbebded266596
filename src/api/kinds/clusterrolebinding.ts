import { registerKind } from './register';
import { BINDING_COLUMNS, defaultBinding, validateBinding } from './rbac-common';

registerKind('ClusterRoleBinding', {
  columns: BINDING_COLUMNS,
  defaults: defaultBinding,
  validate(obj, old) {
    return validateBinding(obj, old, false);
  },
  specFields: ['roleRef', 'subjects'],
});
