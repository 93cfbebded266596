import { toRFC3339 } from '../util/duration';
import { clone, type KObject } from '../model/objects';
import type { Pod } from '../model/kinds';
import type { PodSpec, PodTemplateSpec } from '../model/k8s';
import { isPodReady, isPodTerminating, podCondition } from '../api/kinds/pod';

/** A pod from a controller's template (controller.GetPodFromTemplate): generateName, labels, ownerReference. */
export function podFromTemplate(
  owner: KObject,
  template: PodTemplateSpec,
  opts: {
    name?: string;
    generateName?: string;
    extraLabels?: Record<string, string>;
    /**
     * the template's spec as it is, for a caller that hands the pod straight to a create action
     * and edits nothing in it (the create copies the object before admission edits it): a
     * ReplicaSet's 150,000 pods were copied twice
     */
    specAsIs?: boolean;
  } = {},
): Pod {
  const meta = template.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(opts.name ? { name: opts.name } : { name: '', generateName: opts.generateName ?? `${owner.metadata.name}-` }),
      namespace: owner.metadata.namespace,
      labels: { ...(meta.labels ?? {}), ...(opts.extraLabels ?? {}) },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ownerReferences: [
        {
          apiVersion: owner.apiVersion,
          kind: owner.kind,
          name: owner.metadata.name,
          uid: owner.metadata.uid!,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: opts.specAsIs && template.spec ? template.spec : clone(template.spec ?? ({} as PodSpec)),
  };
  return pod;
}

export function isActivePod(pod: Pod): boolean {
  return !isPodTerminating(pod) && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
}

/**
 * kube's ActivePodsWithRanks ordering for scale-down: pods earlier in the result are
 * deleted first (unassigned < assigned; Pending < Unknown < Running; not ready < ready;
 * lower deletion cost; more pods on the same node; ready for less time; more restarts; newer).
 */
export function rankPodsForDeletion(pods: Pod[], now: number, podsPerNode: Map<string, number>): Pod[] {
  const phaseRank = (p: Pod) => (p.status?.phase === 'Pending' ? 0 : p.status?.phase === 'Unknown' ? 1 : 2);
  const cost = (p: Pod) => Number(p.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost'] ?? 0) || 0;
  const readySince = (p: Pod) => Date.parse(podCondition(p, 'Ready')?.lastTransitionTime ?? '') || now;
  const restarts = (p: Pod) => (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
  return [...pods].sort((a, b) => {
    const aAssigned = a.spec?.nodeName ? 1 : 0;
    const bAssigned = b.spec?.nodeName ? 1 : 0;
    if (aAssigned !== bAssigned) return aAssigned - bAssigned;
    if (phaseRank(a) !== phaseRank(b)) return phaseRank(a) - phaseRank(b);
    const ar = isPodReady(a) ? 1 : 0;
    const br = isPodReady(b) ? 1 : 0;
    if (ar !== br) return ar - br;
    if (cost(a) !== cost(b)) return cost(a) - cost(b);
    const an = podsPerNode.get(a.spec?.nodeName ?? '') ?? 0;
    const bn = podsPerNode.get(b.spec?.nodeName ?? '') ?? 0;
    if (an !== bn) return bn - an;
    if (ar && br && readySince(a) !== readySince(b)) return readySince(b) - readySince(a);
    if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
    const ac = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
    const bc = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
    if (ac !== bc) return bc - ac;
    return a.metadata.name < b.metadata.name ? 1 : -1;
  });
}

/** The fields every workload condition has (DeploymentCondition, ReplicaSetCondition, JobCondition…). */
export interface WorkloadCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
}

export function conditionNow(
  type: string,
  status: string,
  now: number,
  reason?: string,
  message?: string,
  previous?: WorkloadCondition,
): WorkloadCondition {
  const same = previous && previous.status === status;
  return {
    type,
    status,
    ...(previous?.lastUpdateTime !== undefined || type === 'Progressing' || type === 'Available'
      ? { lastUpdateTime: same && previous?.reason === reason && previous?.message === message ? previous?.lastUpdateTime : toRFC3339(now) }
      : {}),
    lastTransitionTime: same ? previous!.lastTransitionTime : toRFC3339(now),
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}
