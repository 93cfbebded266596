import { registerKind } from './register';
import { ageColumn, nameColumn, replicaCountColumns, validateMeta, podTemplateWideColumns, zeroValue } from './common';
import { defaultTemplate, validateSelectorAndTemplate } from './workload-common';

registerKind('ReplicaSet', {
  columns: [nameColumn, ...replicaCountColumns, ageColumn, ...podTemplateWideColumns()],
  defaults(obj) {
    obj.spec ??= zeroValue();
    obj.spec.replicas ??= 1;
    defaultTemplate(obj.spec);
    obj.status ??= { replicas: 0 };
  },
  validate(obj) {
    return [...validateMeta(obj), ...validateSelectorAndTemplate(obj)];
  },
});
