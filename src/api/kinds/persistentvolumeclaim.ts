import type { FieldError } from '../../util/errors';
import { registerKind } from './register';
import type { KObject } from '../../model/objects';
import { ageColumn, nameColumn, validateMeta } from './common';
import { accessModesText, validateAccessModes } from './persistentvolume';
import { isQuantity } from '../quantity';

/** kubectl's printPersistentVolumeClaim: capacity and access modes show once bound. */
function boundOnly(o: KObject<{ volumeName?: string }>, value: () => string): string {
  return o.spec?.volumeName ? value() : '';
}

registerKind('PersistentVolumeClaim', {
  columns: [
    nameColumn,
    { header: 'STATUS', value: (o) => (o.metadata.deletionTimestamp ? 'Terminating' : (o.status?.phase ?? 'Pending')) },
    { header: 'VOLUME', value: (o) => o.spec?.volumeName ?? '' },
    { header: 'CAPACITY', value: (o) => boundOnly(o, () => String(o.status?.capacity?.storage ?? '')) },
    { header: 'ACCESS MODES', value: (o) => boundOnly(o, () => accessModesText(o.status?.accessModes)) },
    { header: 'STORAGECLASS', value: (o) => o.spec?.storageClassName ?? '' },
    { header: 'VOLUMEATTRIBUTESCLASS', value: (o) => o.spec?.volumeAttributesClassName ?? '<unset>' },
    ageColumn,
    { header: 'VOLUMEMODE', wide: true, value: (o) => o.spec?.volumeMode ?? '<unset>' },
  ],
  defaults(obj) {
    obj.spec ??= {};
    obj.spec.volumeMode ??= 'Filesystem';
    obj.status ??= {};
    obj.status.phase ??= 'Pending';
  },
  validate(obj, old) {
    const errs: FieldError[] = validateMeta(obj);
    const spec = obj.spec ?? {};
    validateAccessModes(spec.accessModes, 'spec.accessModes', errs);
    const storage = spec.resources?.requests?.storage;
    if (storage === undefined) errs.push({ path: 'spec.resources[storage]', type: 'Required value' });
    else if (!isQuantity(storage))
      errs.push({
        path: 'spec.resources[storage]',
        type: 'Invalid value',
        value: storage,
        detail: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      });
    if (
      old &&
      old.spec?.volumeName &&
      JSON.stringify({ ...old.spec, resources: undefined }) !== JSON.stringify({ ...spec, resources: undefined })
    ) {
      errs.push({
        path: 'spec',
        type: 'Forbidden',
        detail: 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
      });
    }
    return errs;
  },
});
