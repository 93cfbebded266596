import { registerKind } from '../registry';
import { ageColumn, nameColumn, validateMeta, podTemplateWideColumns } from './common';
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
  columns: [
    nameColumn,
    { header: 'DESIRED', value: (o) => String(o.spec?.replicas ?? 0) },
    { header: 'CURRENT', value: (o) => String(o.status?.replicas ?? 0) },
    { header: 'READY', value: (o) => String(o.status?.readyReplicas ?? 0) },
    ageColumn,
    ...podTemplateWideColumns(),
  ],
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
