import type { FieldError } from '../../util/errors';
import { registerKind } from './register';
import type { KObject } from '../../model/objects';
import { ageColumn, nameColumn, validateMeta, isOneOf } from './common';
import { isQuantity } from '../quantity';

export const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
const SHORT: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };

/** helper.GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, whatever the spec order. */
export function accessModesText(modes: string[] | undefined): string {
  const set = new Set(modes ?? []);
  return ACCESS_MODES.filter((m) => set.has(m))
    .map((m) => SHORT[m])
    .join(',');
}

export function validateAccessModes(modes: unknown, path: string, errs: FieldError[]): void {
  if (!Array.isArray(modes) || modes.length === 0) {
    errs.push({ path, type: 'Required value', detail: 'at least 1 access mode is required' });
    return;
  }
  for (const m of modes) {
    if (!ACCESS_MODES.includes(m))
      errs.push({
        path,
        type: 'Unsupported value',
        value: m,
        detail: 'supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
      });
  }
}

const VOLUME_SOURCES = [
  'hostPath',
  'local',
  'nfs',
  'csi',
  'iscsi',
  'fc',
  'awsElasticBlockStore',
  'gcePersistentDisk',
  'azureDisk',
  'azureFile',
  'cephfs',
  'rbd',
  'cinder',
  'flexVolume',
  'vsphereVolume',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'photonPersistentDisk',
  'quobyte',
  'glusterfs',
  'flocker',
];

registerKind('PersistentVolume', {
  columns: [
    nameColumn,
    { header: 'CAPACITY', value: (o) => String(o.spec?.capacity?.storage ?? '') },
    { header: 'ACCESS MODES', value: (o) => accessModesText(o.spec?.accessModes) },
    { header: 'RECLAIM POLICY', value: (o) => o.spec?.persistentVolumeReclaimPolicy ?? '' },
    { header: 'STATUS', value: (o) => (o.metadata.deletionTimestamp ? 'Terminating' : (o.status?.phase ?? '')) },
    { header: 'CLAIM', value: (o) => (o.spec?.claimRef ? `${o.spec.claimRef.namespace ?? ''}/${o.spec.claimRef.name ?? ''}` : '') },
    { header: 'STORAGECLASS', value: (o) => o.spec?.storageClassName ?? '' },
    { header: 'VOLUMEATTRIBUTESCLASS', value: (o) => o.spec?.volumeAttributesClassName ?? '<unset>' },
    { header: 'REASON', value: (o) => o.status?.reason ?? '' },
    ageColumn,
    { header: 'VOLUMEMODE', wide: true, value: (o) => o.spec?.volumeMode ?? '<unset>' },
  ],
  defaults(obj) {
    const spec = (obj.spec ??= {});
    spec.persistentVolumeReclaimPolicy ??= 'Retain';
    spec.volumeMode ??= 'Filesystem';
    obj.status ??= {};
    obj.status.phase ??= 'Pending';
  },
  validate(obj) {
    const errs: FieldError[] = validateMeta(obj);
    const spec = obj.spec ?? {};
    validateAccessModes(spec.accessModes, 'spec.accessModes', errs);
    const storage = spec.capacity?.storage;
    if (storage === undefined) errs.push({ path: 'spec.capacity', type: 'Required value' });
    else if (!isQuantity(storage))
      errs.push({
        path: 'spec.capacity[storage]',
        type: 'Invalid value',
        value: storage,
        detail: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      });
    if (!VOLUME_SOURCES.some((s) => spec[s as keyof typeof spec] !== undefined))
      errs.push({ path: 'spec', type: 'Required value', detail: 'must specify a volume type' });
    if (!isOneOf(['Retain', 'Delete', 'Recycle'], spec.persistentVolumeReclaimPolicy)) {
      errs.push({
        path: 'spec.persistentVolumeReclaimPolicy',
        type: 'Unsupported value',
        value: spec.persistentVolumeReclaimPolicy,
        detail: 'supported values: "Delete", "Recycle", "Retain"',
      });
    }
    return errs;
  },
});

export type PersistentVolume = KObject;
