import { registerKind } from '../registry';
import { BINDING_COLUMNS, RBAC_GROUP, defaultBinding, validateBinding } from './rbac-common';

registerKind({
  kind: 'RoleBinding',
  group: RBAC_GROUP,
  version: 'v1',
  plural: 'rolebindings',
  singular: 'rolebinding',
  shortNames: [],
  namespaced: true,
  columns: BINDING_COLUMNS,
  defaults: defaultBinding,
  validate(obj, old) {
    return validateBinding(obj, old, true);
  },
  specFields: ['roleRef', 'subjects'],
});
