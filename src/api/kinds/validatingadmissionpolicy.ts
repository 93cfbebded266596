import { registerKind } from './register';
import { ageColumn, nameColumn, validateMeta } from './common';
import { validateBindingSpec, validatePolicySpec } from '../validating-policy';

registerKind('ValidatingAdmissionPolicy', {
  columns: [
    nameColumn,
    { header: 'VALIDATIONS', value: (o) => String((o.spec?.validations ?? []).length) },
    { header: 'PARAMKIND', value: (o) => (o.spec?.paramKind ? `${o.spec.paramKind.apiVersion}/${o.spec.paramKind.kind}` : '<unset>') },
    ageColumn,
  ],
  defaults(obj) {
    obj.spec ??= {};
    obj.spec.failurePolicy ??= 'Fail';
    if (obj.spec.matchConstraints && typeof obj.spec.matchConstraints === 'object') {
      obj.spec.matchConstraints.matchPolicy ??= 'Equivalent';
      obj.spec.matchConstraints.namespaceSelector ??= {};
      obj.spec.matchConstraints.objectSelector ??= {};
    }
  },
  validate(obj) {
    return [...validateMeta(obj), ...validatePolicySpec(obj)];
  },
});

registerKind('ValidatingAdmissionPolicyBinding', {
  columns: [
    nameColumn,
    { header: 'POLICYNAME', value: (o) => o.spec?.policyName ?? '' },
    {
      header: 'PARAMREF',
      value: (o) =>
        o.spec?.paramRef
          ? o.spec.paramRef.namespace
            ? `${o.spec.paramRef.namespace}/${o.spec.paramRef.name}`
            : `${o.spec.paramRef.name ?? ''}`
          : '<unset>',
    },
    ageColumn,
  ],
  defaults(obj) {
    obj.spec ??= {};
    if (obj.spec.matchResources && typeof obj.spec.matchResources === 'object') {
      obj.spec.matchResources.matchPolicy ??= 'Equivalent';
      obj.spec.matchResources.namespaceSelector ??= {};
      obj.spec.matchResources.objectSelector ??= {};
    }
  },
  validate(obj) {
    return [...validateMeta(obj), ...validateBindingSpec(obj)];
  },
});
