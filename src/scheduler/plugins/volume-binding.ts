import type { Volume } from '../../model/k8s';
import type { Plugin } from '../framework';
import { SKIP, unresolvable, unschedulable } from '../status';

export const VOLUME_BINDING = 'VolumeBinding';
export const ERR_REASON_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const ERR_REASON_NODE_CONFLICT = 'node(s) had volume node affinity conflict';

/**
 * VolumeBinding (pkg/scheduler/framework/plugins/volumebinding), reduced to what kubesim
 * models: a missing or deleting claim and an unbound Immediate claim reject every node in
 * PreFilter; a bound volume with node affinity restricts the pod to its node; an unbound
 * WaitForFirstConsumer claim whose class provisions nothing needs an Available volume.
 * Binding and provisioning themselves are the PV controller's (src/controllers/pv-binder.ts).
 */
const NO_VOLUMES: readonly Volume[] = [];

export const volumeBinding: Plugin = {
  name: VOLUME_BINDING,
  preFilter(pod, snapshot) {
    // (no list made for a pod without claims: PreFilter runs once per pod)
    let claims: string[] | undefined;
    for (const v of pod.pod.spec?.volumes ?? NO_VOLUMES)
      if (v.persistentVolumeClaim?.claimName) (claims ??= []).push(v.persistentVolumeClaim.claimName);
    if (!claims) return SKIP;
    const store = snapshot.store;
    const pinnedNodes: string[][] = [];
    let needsStaticVolume = false;
    for (const name of claims) {
      const claim = store.get('PersistentVolumeClaim', pod.namespace, name);
      if (!claim) return unresolvable(VOLUME_BINDING, `persistentvolumeclaim "${name}" not found`);
      if (claim.metadata.deletionTimestamp) return unresolvable(VOLUME_BINDING, `persistentvolumeclaim "${name}" is being deleted`);
      if (claim.spec?.volumeName) {
        const pv = store.get('PersistentVolume', undefined, claim.spec.volumeName);
        const terms = pv?.spec.nodeAffinity?.required?.nodeSelectorTerms ?? [];
        const hostnames = terms.flatMap((t) =>
          (t.matchExpressions ?? [])
            .filter((e) => e.key === 'kubernetes.io/hostname' && e.operator === 'In')
            .flatMap((e) => e.values ?? []),
        );
        if (hostnames.length) pinnedNodes.push(hostnames);
        continue;
      }
      const sc = claim.spec?.storageClassName ? store.get('StorageClass', undefined, claim.spec.storageClassName) : undefined;
      if (sc?.volumeBindingMode !== 'WaitForFirstConsumer') return unresolvable(VOLUME_BINDING, ERR_REASON_UNBOUND_IMMEDIATE);
      if (sc.provisioner === 'kubernetes.io/no-provisioner') {
        const available = store
          .list('PersistentVolume')
          .some((pv) => pv.status?.phase === 'Available' && pv.spec?.storageClassName === sc.metadata.name);
        if (!available) needsStaticVolume = true;
      }
    }
    if (!pinnedNodes.length && !needsStaticVolume) return SKIP;
    return {
      filter(node) {
        if (pinnedNodes.some((names) => !names.includes(node.name))) return unresolvable(VOLUME_BINDING, ERR_REASON_NODE_CONFLICT);
        if (needsStaticVolume) return unschedulable(VOLUME_BINDING, ERR_REASON_BIND_CONFLICT);
        return null;
      },
    };
  },
};
