import { registerKind } from './register';
import { ageColumn, nameColumn, validateMeta } from './common';

registerKind('Namespace', {
  columns: [nameColumn, { header: 'STATUS', value: (o) => o.status?.phase ?? 'Active' }, ageColumn],
  defaults(obj) {
    obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
    // PrepareForCreate requires the `kubernetes` finalizer (added to any the namespace names);
    // PrepareForUpdate keeps the stored ones: only the namespace controller's finalize removes it
    obj.spec ??= {};
    if (obj.status?.phase !== 'Terminating') {
      const finalizers: string[] = Array.isArray(obj.spec.finalizers) ? obj.spec.finalizers : [];
      if (!finalizers.includes('kubernetes')) obj.spec.finalizers = [...finalizers, 'kubernetes'];
    }
    obj.status ??= { phase: 'Active' };
  },
  validate(obj) {
    return validateMeta(obj, { nameIsLabel: true });
  },
  specFields: [],
});
