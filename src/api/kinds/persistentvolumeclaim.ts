import { registerKind } from '../registry';
import type { KObject } from '../types';
import { ageColumn, nameColumn, validateMeta } from './common';

/**
 * A minimal PersistentVolumeClaim so StatefulSet volumeClaimTemplates have somewhere to
 * go; the storage work (binding, StorageClass, capacity) replaces this file.
 */
registerKind({
  kind: 'PersistentVolumeClaim',
  group: '',
  version: 'v1',
  plural: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  shortNames: ['pvc'],
  namespaced: true,
  columns: [
    nameColumn,
    { header: 'STATUS', value: (o) => o.status?.phase ?? 'Pending' },
    { header: 'VOLUME', value: (o) => o.spec?.volumeName ?? '' },
    { header: 'CAPACITY', value: (o) => o.status?.capacity?.storage ?? '' },
    { header: 'ACCESS MODES', value: (o) => accessModes(o) },
    { header: 'STORAGECLASS', value: (o) => o.spec?.storageClassName ?? '<unset>' },
    { header: 'VOLUMEATTRIBUTESCLASS', value: (o) => o.spec?.volumeAttributesClassName ?? '<unset>' },
    ageColumn,
    { header: 'VOLUMEMODE', wide: true, value: (o) => o.spec?.volumeMode ?? 'Filesystem' },
  ],
  defaults(obj) {
    obj.spec ??= {};
    obj.spec.volumeMode ??= 'Filesystem';
    obj.status ??= {};
    obj.status.phase ??= 'Pending';
  },
  validate(obj) {
    return validateMeta(obj);
  },
});

const SHORT: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };

function accessModes(o: KObject): string {
  const modes: string[] = o.status?.accessModes ?? [];
  return modes.map((m) => SHORT[m] ?? m).join(',');
}
