import type { FieldError } from '../../util/errors';
import { registerKind } from './register';
import type { KObject } from '../../model/objects';
import { ageColumn, validateMeta, isOneOf } from './common';

export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
const BETA_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';

/** storageutil.IsDefaultAnnotation: either annotation set to "true". */
export function isDefaultStorageClass(sc: KObject): boolean {
  const a = sc.metadata.annotations ?? {};
  return a[DEFAULT_CLASS_ANNOTATION] === 'true' || a[BETA_DEFAULT_CLASS_ANNOTATION] === 'true';
}

registerKind('StorageClass', {
  columns: [
    { header: 'NAME', value: (o) => (isDefaultStorageClass(o) ? `${o.metadata.name} (default)` : o.metadata.name) },
    { header: 'PROVISIONER', value: (o) => o.provisioner ?? '' },
    { header: 'RECLAIMPOLICY', value: (o) => o.reclaimPolicy ?? 'Delete' },
    { header: 'VOLUMEBINDINGMODE', value: (o) => o.volumeBindingMode ?? 'Immediate' },
    { header: 'ALLOWVOLUMEEXPANSION', value: (o) => String(!!o.allowVolumeExpansion) },
    ageColumn,
  ],
  defaults(obj) {
    obj.reclaimPolicy ??= 'Delete';
    obj.volumeBindingMode ??= 'Immediate';
  },
  validate(obj) {
    const errs: FieldError[] = validateMeta(obj);
    if (!obj.provisioner) errs.push({ path: 'provisioner', type: 'Required value' });
    if (!isOneOf(['Delete', 'Retain'], obj.reclaimPolicy))
      errs.push({
        path: 'reclaimPolicy',
        type: 'Unsupported value',
        value: obj.reclaimPolicy,
        detail: 'supported values: "Delete", "Retain"',
      });
    if (!isOneOf(['Immediate', 'WaitForFirstConsumer'], obj.volumeBindingMode)) {
      errs.push({
        path: 'volumeBindingMode',
        type: 'Unsupported value',
        value: obj.volumeBindingMode,
        detail: 'supported values: "Immediate", "WaitForFirstConsumer"',
      });
    }
    return errs;
  },
  specFields: [
    'provisioner',
    'parameters',
    'reclaimPolicy',
    'volumeBindingMode',
    'allowVolumeExpansion',
    'mountOptions',
    'allowedTopologies',
  ],
});
