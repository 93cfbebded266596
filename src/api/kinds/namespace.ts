import { registerKind } from './register';
import { ageColumn, nameColumn, validateMeta } from './common';

registerKind('Namespace', {
  columns: [nameColumn, { header: 'STATUS', value: (o) => o.status?.phase ?? 'Active' }, ageColumn],
  defaults(obj) {
    obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
    obj.spec ??= { finalizers: ['kubernetes'] };
    obj.status ??= { phase: 'Active' };
  },
  validate(obj) {
    return validateMeta(obj, { nameIsLabel: true });
  },
  specFields: [],
});
