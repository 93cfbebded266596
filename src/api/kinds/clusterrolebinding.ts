import { registerKind } from '../registry';
import { BINDING_COLUMNS, RBAC_GROUP, defaultBinding, validateBinding } from './rbac-common';

registerKind({
  kind: 'ClusterRoleBinding',
  group: RBAC_GROUP,
  version: 'v1',
  plural: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  shortNames: [],
  namespaced: false,
  columns: BINDING_COLUMNS,
  defaults: defaultBinding,
  validate(obj, old) {
    return validateBinding(obj, old, false);
  },
  specFields: ['roleRef', 'subjects'],
});
