import { create, event, eventRecord, remove, update, type Action } from '../reconcile/actions';
import type { Controller, ReconcileContext } from '../reconcile/controller';
import { refOf } from '../model/objects';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../model/kinds';
import { intValue } from '../api/quantity';
import { fromLabelSelector, matches } from '../api/labels';
import { podsUsingClaim, storageInUse } from '../api/admission/storage-object-in-use-protection';

const SOURCE = 'persistentvolume-controller';
export const ANN = {
  bindCompleted: 'pv.kubernetes.io/bind-completed',
  boundByController: 'pv.kubernetes.io/bound-by-controller',
  provisionedBy: 'pv.kubernetes.io/provisioned-by',
  storageProvisioner: 'volume.kubernetes.io/storage-provisioner',
  betaStorageProvisioner: 'volume.beta.kubernetes.io/storage-provisioner',
  selectedNode: 'volume.kubernetes.io/selected-node',
} as const;
/** StorageClass provisioner for statically provisioned local volumes: nothing is ever provisioned. */
const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

const claimClass = (pvc: PersistentVolumeClaim): string => pvc.spec?.storageClassName ?? '';
const requested = (pvc: PersistentVolumeClaim): number => intValue(pvc.spec?.resources?.requests?.storage ?? 0);

/** findBestMatchForClaim: the smallest Available volume of the claim's class that fits. */
export function findMatchingVolume(pvc: PersistentVolumeClaim, volumes: Iterable<PersistentVolume>): PersistentVolume | undefined {
  const want = requested(pvc);
  const modes: string[] = pvc.spec?.accessModes ?? [];
  const selector = fromLabelSelector(pvc.spec?.selector);
  let best: PersistentVolume | undefined;
  for (const pv of volumes) {
    if (pv.metadata.deletionTimestamp) continue;
    const ref = pv.spec?.claimRef;
    const preBound =
      ref &&
      ref.name === pvc.metadata.name &&
      (ref.namespace ?? 'default') === pvc.metadata.namespace &&
      (!ref.uid || ref.uid === pvc.metadata.uid);
    if (ref && !preBound) continue;
    if (!ref && pv.status?.phase !== 'Available') continue;
    if ((pv.spec?.storageClassName ?? '') !== claimClass(pvc)) continue;
    if ((pv.spec?.volumeMode ?? 'Filesystem') !== (pvc.spec?.volumeMode ?? 'Filesystem')) continue;
    if (!modes.every((m) => (pv.spec?.accessModes ?? []).includes(m))) continue;
    const size = intValue(pv.spec?.capacity?.storage ?? 0);
    if (size < want) continue;
    if (selector && !matches(selector, pv.metadata.labels)) continue;
    if (preBound) return pv;
    if (
      !best ||
      size < intValue(best.spec.capacity!.storage) ||
      (size === intValue(best.spec.capacity!.storage) && pv.metadata.name < best.metadata.name)
    )
      best = pv;
  }
  return best;
}

function bindActions(pvc: PersistentVolumeClaim, pv: PersistentVolume): Action[] {
  const byController = !pv.spec?.claimRef;
  const claimRef = {
    kind: 'PersistentVolumeClaim',
    namespace: pvc.metadata.namespace,
    name: pvc.metadata.name,
    uid: pvc.metadata.uid,
    apiVersion: 'v1',
    resourceVersion: pvc.metadata.resourceVersion,
  };
  const boundPv: PersistentVolume = {
    ...pv,
    metadata: {
      ...pv.metadata,
      ...(byController ? { annotations: { ...(pv.metadata.annotations ?? {}), [ANN.boundByController]: 'yes' } } : {}),
    },
    spec: { ...pv.spec, claimRef: pv.spec?.claimRef?.uid ? pv.spec.claimRef : claimRef },
    status: { ...(pv.status ?? {}), phase: 'Bound' },
  };
  const boundPvc: PersistentVolumeClaim = {
    ...pvc,
    metadata: {
      ...pvc.metadata,
      annotations: {
        ...(pvc.metadata.annotations ?? {}),
        [ANN.bindCompleted]: 'yes',
        ...(pvc.spec?.volumeName ? {} : { [ANN.boundByController]: 'yes' }),
      },
    },
    spec: { ...pvc.spec, volumeName: pv.metadata.name },
    status: {
      ...(pvc.status ?? {}),
      phase: 'Bound',
      accessModes: [...(pv.spec?.accessModes ?? [])],
      capacity: { ...(pv.spec?.capacity ?? {}) },
    },
  };
  return [update(boundPv), update(boundPvc)];
}

/** Events while a claim waits are level-triggered: once when the claim is first seen is enough. */
function firstSync(pvc: PersistentVolumeClaim, ctx: ReconcileContext): boolean {
  return Date.parse(pvc.metadata.creationTimestamp ?? '') === ctx.now && !ctx.store.events.has(refOf(pvc), undefined, ctx.now);
}

/** A dynamically provisioned volume for the claim, pre-bound to it (the provisioner's output). */
function provisionedVolume(pvc: PersistentVolumeClaim, sc: StorageClass, node: string | undefined): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: `pvc-${pvc.metadata.uid}`,
      annotations: { [ANN.provisionedBy]: sc.provisioner },
      finalizers: ['kubernetes.io/pv-protection'],
    },
    spec: {
      accessModes: [...(pvc.spec?.accessModes ?? [])],
      capacity: { storage: pvc.spec?.resources?.requests?.storage as string },
      claimRef: {
        kind: 'PersistentVolumeClaim',
        namespace: pvc.metadata.namespace,
        name: pvc.metadata.name,
        uid: pvc.metadata.uid,
        apiVersion: 'v1',
        resourceVersion: pvc.metadata.resourceVersion,
      },
      hostPath: {
        path: `/var/local-path-provisioner/pvc-${pvc.metadata.uid}_${pvc.metadata.namespace}_${pvc.metadata.name}`,
        type: 'DirectoryOrCreate',
      },
      ...(node
        ? {
            nodeAffinity: {
              required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] },
            },
          }
        : {}),
      persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
      storageClassName: sc.metadata.name,
      volumeMode: pvc.spec?.volumeMode ?? 'Filesystem',
    },
    status: { phase: 'Pending' },
  };
}

/**
 * The PersistentVolume controller's claim side (pkg/controller/volume/persistentvolume):
 * binds a claim to the smallest matching Available volume, else provisions one through
 * its StorageClass — at once for Immediate classes, once a pod using the claim is on a
 * node for WaitForFirstConsumer (the scheduler's selected-node). A claim of class "" only
 * binds statically.
 */
export const persistentVolumeClaimBinder: Controller<'PersistentVolumeClaim'> = {
  name: 'pv-binder',
  kind: 'PersistentVolumeClaim',
  reconcile(pvc, ctx) {
    // pvc-protection: a claim deleted while in use goes once no pod mounts it
    if (pvc.metadata.deletionTimestamp)
      return storageInUse(pvc, ctx.store)
        ? []
        : [remove({ kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace, name: pvc.metadata.name })];
    if (pvc.status?.phase === 'Bound' && pvc.spec?.volumeName) {
      const pv = ctx.store.get('PersistentVolume', undefined, pvc.spec.volumeName);
      if (pv && pv.spec?.claimRef?.uid === pvc.metadata.uid) return [];
      if (!pv) {
        return [
          update({ ...pvc, status: { ...pvc.status, phase: 'Lost' } }),
          event(pvc, 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!', SOURCE),
        ];
      }
    }
    if (pvc.status?.phase === 'Lost') return [];
    if (pvc.spec?.volumeName) {
      const pv = ctx.store.get('PersistentVolume', undefined, pvc.spec.volumeName);
      return pv && (!pv.spec?.claimRef || pv.spec.claimRef.uid === pvc.metadata.uid || !pv.spec.claimRef.uid) ? bindActions(pvc, pv) : [];
    }
    const className = claimClass(pvc);
    const sc = className ? ctx.store.get('StorageClass', undefined, className) : undefined;
    const waitForConsumer = sc?.volumeBindingMode === 'WaitForFirstConsumer';
    let node: string | undefined = pvc.metadata.annotations?.[ANN.selectedNode];
    if (waitForConsumer && !node) {
      node = podsUsingClaim(pvc, ctx.store).find((p) => p.spec?.nodeName)?.spec.nodeName;
      if (!node) {
        return firstSync(pvc, ctx)
          ? [event(pvc, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding', SOURCE)]
          : [];
      }
    }
    const match = findMatchingVolume(pvc, ctx.store.values('PersistentVolume'));
    if (match) return bindActions(pvc, match);
    if (!className) {
      return firstSync(pvc, ctx)
        ? [event(pvc, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set', SOURCE)]
        : [];
    }
    if (!sc) {
      return firstSync(pvc, ctx)
        ? [event(pvc, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`, SOURCE)]
        : [];
    }
    if (sc.provisioner === NO_PROVISIONER) {
      return firstSync(pvc, ctx)
        ? [event(pvc, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set', SOURCE)]
        : [];
    }
    if (ctx.store.get('PersistentVolume', undefined, `pvc-${pvc.metadata.uid}`)) return [];
    const annotated: PersistentVolumeClaim = {
      ...pvc,
      metadata: {
        ...pvc.metadata,
        annotations: {
          ...(pvc.metadata.annotations ?? {}),
          [ANN.storageProvisioner]: sc.provisioner,
          [ANN.betaStorageProvisioner]: sc.provisioner,
          ...(waitForConsumer && node ? { [ANN.selectedNode]: node } : {}),
        },
      },
    };
    const provisioner = `${sc.provisioner}_${'kubesim'}`;
    return [
      update(annotated),
      event(
        pvc,
        'Normal',
        'ExternalProvisioning',
        `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that your external provisioner is running and correctly registered.`,
        SOURCE,
      ),
      event(
        pvc,
        'Normal',
        'Provisioning',
        `External provisioner is provisioning volume for claim "${pvc.metadata.namespace}/${pvc.metadata.name}"`,
        provisioner,
      ),
      create(provisionedVolume(pvc, sc, waitForConsumer ? node : undefined), (pv) => [
        eventRecord(pvc, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pv.metadata.name}`, provisioner),
      ]),
    ];
  },
};

/**
 * The volume side: a new volume becomes Available; a bound volume whose claim is gone is
 * Released, then deleted (reclaim policy Delete) or kept (Retain) until an admin acts.
 */
export const persistentVolumeReclaimer: Controller<'PersistentVolume'> = {
  name: 'pv-reclaimer',
  kind: 'PersistentVolume',
  reconcile(pv, ctx) {
    // pv-protection: a volume deleted while bound goes once its claim is gone
    if (pv.metadata.deletionTimestamp)
      return storageInUse(pv, ctx.store) ? [] : [remove({ kind: 'PersistentVolume', name: pv.metadata.name })];
    const ref = pv.spec?.claimRef;
    const phase = pv.status?.phase;
    if (!ref) return phase === 'Available' ? [] : [update({ ...pv, status: { ...(pv.status ?? {}), phase: 'Available' } })];
    const claim = ctx.store.get('PersistentVolumeClaim', ref.namespace ?? 'default', ref.name ?? '');
    const claimGone = ref.uid && (!claim || claim.metadata.uid !== ref.uid);
    if (!claimGone) {
      // pre-bound by an admin (claimRef without uid) and waiting for its claim
      if (phase === 'Pending' || phase === undefined) return [update({ ...pv, status: { ...(pv.status ?? {}), phase: 'Available' } })];
      return [];
    }
    if (pv.spec?.persistentVolumeReclaimPolicy === 'Delete') return [remove({ kind: 'PersistentVolume', name: pv.metadata.name })];
    if (phase === 'Released') return [];
    return [update({ ...pv, status: { ...(pv.status ?? {}), phase: 'Released' } })];
  },
};
