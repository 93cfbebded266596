import { registerKind } from './register';
import { ageColumn, nameColumn, validateMeta } from './common';
import { qualifiedNameErrors } from '../labels';
import type { FieldError } from '../../util/errors';

/** helper.IsStandardFinalizerName: the finalizer names that need no domain. */
const STANDARD_FINALIZERS = ['kubernetes', 'orphan', 'foregroundDeletion'];

/** core validation's validateFinalizerName for each of spec.finalizers (ValidateNamespace, ValidateNamespaceFinalizeUpdate). */
function finalizerErrors(finalizers: unknown): FieldError[] {
  if (!Array.isArray(finalizers)) return [];
  return finalizers.flatMap((name: unknown, i) => {
    const path = `spec.finalizers[${i}]`;
    if (typeof name !== 'string') return [];
    const errs: FieldError[] = qualifiedNameErrors(name).map((detail) => ({ path, type: 'Invalid value', value: name, detail }));
    if (!name.includes('/') && !STANDARD_FINALIZERS.includes(name))
      errs.push({
        path,
        type: 'Invalid value',
        value: name,
        detail: 'name is neither a standard finalizer name nor is it fully qualified',
      });
    return errs;
  });
}

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
    return [...validateMeta(obj, { nameIsLabel: true }), ...finalizerErrors(obj.spec?.finalizers)];
  },
  specFields: [],
});
