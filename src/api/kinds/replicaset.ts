import { registerKind } from '../registry';
import { ageColumn, nameColumn, replicaCountColumns, validateMeta, podTemplateWideColumns } from './common';
import { defaultTemplate, validateSelectorAndTemplate } from './workload-common';

registerKind({
  kind: 'ReplicaSet',
  group: 'apps',
  version: 'v1',
  plural: 'replicasets',
  singular: 'replicaset',
  shortNames: ['rs'],
  namespaced: true,
  inAll: true,
  columns: [nameColumn, ...replicaCountColumns, ageColumn, ...podTemplateWideColumns()],
  defaults(obj) {
    obj.spec ??= {};
    obj.spec.replicas ??= 1;
    defaultTemplate(obj.spec);
    obj.status ??= { replicas: 0 };
  },
  validate(obj) {
    return [...validateMeta(obj), ...validateSelectorAndTemplate(obj)];
  },
});
