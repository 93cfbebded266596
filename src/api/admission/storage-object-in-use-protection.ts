import { registerAdmissionPlugin } from '../admission';
import type { KObject } from '../../model/objects';
import { isKind, type Pod } from '../../model/kinds';
import type { ReadonlyObjectStore } from '../../store/object-store';
import type { ObjectReader } from '../../model/object-reader';

/** The finalizers StorageObjectInUseProtection puts on new claims and volumes. */
export const PVC_PROTECTION = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION = 'kubernetes.io/pv-protection';

/**
 * StorageObjectInUseProtection (plugin/pkg/admission/storage/storageobjectinuseprotection):
 * a new PersistentVolumeClaim or PersistentVolume gets its protection finalizer, so deleting
 * one still in use leaves it Terminating until nothing uses it.
 */
registerAdmissionPlugin({
  name: 'StorageObjectInUseProtection',
  admit(_ctx, info, obj, old) {
    if (old) return;
    const finalizer = info.kind === 'PersistentVolumeClaim' ? PVC_PROTECTION : info.kind === 'PersistentVolume' ? PV_PROTECTION : undefined;
    if (!finalizer) return;
    const finalizers: string[] = obj.metadata.finalizers ?? [];
    if (!finalizers.includes(finalizer)) obj.metadata.finalizers = [...finalizers, finalizer];
  },
  // claims and volumes only
  templatePods: { reads: [], same: () => true },
});

/** The pods (not finished) in the claim's namespace that mount it. */
export function podsUsingClaim(pvc: KObject, store: ObjectReader): Pod[] {
  const out: Pod[] = [];
  for (const pod of store.values('Pod')) {
    if (pod.metadata.namespace !== pvc.metadata.namespace) continue;
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    if ((pod.spec.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === pvc.metadata.name)) out.push(pod);
  }
  return out.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

/**
 * Whether a protected claim or volume must wait before it goes: a claim while a pod mounts
 * it on a node (the pvc-protection controller), a volume while it is bound to a claim that exists.
 */
export function storageInUse(obj: KObject, store: ReadonlyObjectStore): boolean {
  // only scheduled pods count: the kubelet will not start a pod whose claim is being deleted
  if (isKind(obj, 'PersistentVolumeClaim'))
    return obj.metadata.finalizers?.includes(PVC_PROTECTION) === true && podsUsingClaim(obj, store).some((p) => p.spec?.nodeName);
  if (!isKind(obj, 'PersistentVolume') || !obj.metadata.finalizers?.includes(PV_PROTECTION)) return false;
  const ref = obj.spec?.claimRef;
  const claim = ref ? store.get('PersistentVolumeClaim', ref.namespace ?? 'default', ref.name ?? '') : undefined;
  return obj.status?.phase === 'Bound' && !!claim && (!ref?.uid || claim.metadata.uid === ref.uid);
}
