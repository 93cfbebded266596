import { registerAdmissionPlugin } from '../admission';
import { isDefaultStorageClass } from '../kinds/storageclass';
import { isKind } from '../../model/kinds';

/**
 * DefaultStorageClass (plugin/pkg/admission/storage/storageclass/setdefault): a new
 * PersistentVolumeClaim with no storageClassName gets the default class. With several
 * defaults the newest wins (v1.26+); an explicit "" means "no class" and is kept.
 */
registerAdmissionPlugin({
  name: 'DefaultStorageClass',
  admit(ctx, _info, obj, old) {
    if (!isKind(obj, 'PersistentVolumeClaim') || old) return;
    if (obj.spec?.storageClassName !== undefined && obj.spec?.storageClassName !== null) return;
    const defaults = ctx.store
      .list('StorageClass')
      .filter(isDefaultStorageClass)
      .sort(
        (a, b) =>
          (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') ||
          a.metadata.name.localeCompare(b.metadata.name),
      );
    if (!defaults.length) return;
    obj.spec = { ...(obj.spec ?? {}), storageClassName: defaults[0].metadata.name };
  },
  // claims only
  templatePods: { reads: [], same: () => true },
});
