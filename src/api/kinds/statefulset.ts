import { registerKind } from './register';
import { orEmpty } from '../../model/objects';
import type { PodLike, StatefulSet } from '../../model/kinds';
import { ageColumn, containersColumn, imagesColumn, nameColumn, validateMeta, validateNonNegativeInt, zeroValue } from './common';
import { defaultTemplate, validateSelectorAndTemplate } from './workload-common';

const templateContainers = (o: StatefulSet) => o.spec?.template?.spec?.containers;

registerKind('StatefulSet', {
  columns: [
    nameColumn,
    { header: 'READY', value: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}` },
    ageColumn,
    containersColumn(templateContainers),
    imagesColumn(templateContainers),
  ],
  defaults(obj) {
    const spec = (obj.spec ??= zeroValue());
    spec.replicas ??= 1;
    spec.podManagementPolicy ??= 'OrderedReady';
    spec.revisionHistoryLimit ??= 10;
    spec.updateStrategy ??= {};
    spec.updateStrategy.type ??= 'RollingUpdate';
    if (spec.updateStrategy.type === 'RollingUpdate') {
      spec.updateStrategy.rollingUpdate ??= {};
      spec.updateStrategy.rollingUpdate.partition ??= 0;
    }
    spec.persistentVolumeClaimRetentionPolicy ??= {};
    spec.persistentVolumeClaimRetentionPolicy.whenDeleted ??= 'Retain';
    spec.persistentVolumeClaimRetentionPolicy.whenScaled ??= 'Retain';
    for (const claim of Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : []) {
      if (!claim || typeof claim !== 'object') continue;
      claim.apiVersion ??= 'v1';
      claim.kind ??= 'PersistentVolumeClaim';
      claim.spec ??= {};
      claim.spec.volumeMode ??= 'Filesystem';
      claim.status ??= { phase: 'Pending' };
    }
    defaultTemplate(spec);
    obj.status ??= { replicas: 0, availableReplicas: 0 };
  },
  validate(obj) {
    const errs = [...validateMeta(obj), ...validateSelectorAndTemplate(obj)];
    const spec = orEmpty(obj.spec);
    validateNonNegativeInt(spec.minReadySeconds, 'spec.minReadySeconds', errs);
    if (!['OrderedReady', 'Parallel'].includes(spec.podManagementPolicy ?? '')) {
      errs.push({
        path: 'spec.podManagementPolicy',
        type: 'Unsupported value',
        value: spec.podManagementPolicy,
        detail: 'supported values: "OrderedReady", "Parallel"',
      });
    }
    const strategy = orEmpty(spec.updateStrategy);
    if (!['RollingUpdate', 'OnDelete'].includes(strategy.type ?? '')) {
      errs.push({
        path: 'spec.updateStrategy.type',
        type: 'Unsupported value',
        value: strategy.type,
        detail: 'supported values: "OnDelete", "RollingUpdate"',
      });
    }
    validateNonNegativeInt(strategy.rollingUpdate?.partition, 'spec.updateStrategy.rollingUpdate.partition', errs);
    if (spec.template?.spec?.restartPolicy && spec.template.spec.restartPolicy !== 'Always') {
      errs.push({
        path: 'spec.template.spec.restartPolicy',
        type: 'Unsupported value',
        value: spec.template.spec.restartPolicy,
        detail: 'supported values: "Always"',
      });
    }
    (Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : []).forEach((claim, i) => {
      if (!claim?.metadata?.name)
        errs.push({
          path: `spec.volumeClaimTemplates[${i}].metadata.name`,
          type: 'Required value',
          detail: 'name or generateName is required',
        });
    });
    return errs;
  },
});

/** The DNS name a StatefulSet pod gets through its governing headless Service. */
export function statefulPodFqdn(pod: PodLike, clusterDomain = 'cluster.local'): string | undefined {
  if (!pod.spec?.hostname || !pod.spec?.subdomain) return undefined;
  return `${pod.spec.hostname}.${pod.spec.subdomain}.${pod.metadata.namespace}.svc.${clusterDomain}`;
}
