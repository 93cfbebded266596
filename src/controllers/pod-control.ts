import { toRFC3339 } from '../util/duration';
import { clone, type KObject } from '../model/objects';
import type { Pod } from '../model/kinds';
import type { PodSpec, PodTemplateSpec } from '../model/k8s';
import { isPodTerminating, podCondition } from '../api/kinds/pod';
import type { Slot } from '../store/object-store';
import type { PodFacts } from '../store/pod-facts';

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
 * What the ReplicaSet controller reads of each of its pods (counts, ranking for deletion): made
 * from the object (podView) or, for a pod loaded from its row and not written since, from the
 * row's columns (factsView), so that counting 1,000 pods parses none of them.
 */
export interface PodView {
  namespace: string;
  name: string;
  /** spec.nodeName ('' when unbound) */
  nodeName: string;
  phase: string | undefined;
  terminating: boolean;
  labels: Record<string, string> | undefined;
  /** the Ready condition is True, and its lastTransitionTime */
  ready: boolean;
  readySince: string | undefined;
  /** the controller.kubernetes.io/pod-deletion-cost annotation */
  deletionCost: string | undefined;
  restarts: number;
  creationTimestamp: string | undefined;
}

const DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

export function podView(pod: Pod): PodView {
  const ready = podCondition(pod, 'Ready');
  return {
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name,
    nodeName: pod.spec?.nodeName ?? '',
    phase: pod.status?.phase,
    terminating: isPodTerminating(pod),
    labels: pod.metadata.labels,
    ready: ready?.status === 'True',
    readySince: ready?.lastTransitionTime ?? undefined,
    deletionCost: pod.metadata.annotations?.[DELETION_COST],
    restarts: (pod.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0),
    creationTimestamp: pod.metadata.creationTimestamp,
  };
}

/** A pod slot's view from its row's columns (its scheduling class's labels, its facts). */
export function factsView(slot: Slot, facts: PodFacts): PodView {
  return {
    namespace: slot.namespace,
    name: slot.name,
    nodeName: slot.rowNode,
    phase: facts.phase,
    terminating: slot.rowTerminating,
    labels: slot.podClass?.labels,
    ready: facts.ready,
    readySince: facts.readySince,
    deletionCost: facts.annotations?.[DELETION_COST],
    restarts: facts.containers.reduce((n, c) => n + c.restartCount, 0),
    creationTimestamp: facts.creationTimestamp,
  };
}

/** isActivePod of a view */
export function isActiveView(p: PodView): boolean {
  return !p.terminating && p.phase !== 'Succeeded' && p.phase !== 'Failed';
}

/**
 * kube's ActivePodsWithRanks ordering for scale-down: pods earlier in the result are
 * deleted first (unassigned < assigned; Pending < Unknown < Running; not ready < ready;
 * lower deletion cost; more pods on the same node; ready for less time; more restarts; newer).
 */
export function rankPodsForDeletion<V extends PodView>(pods: V[], now: number, podsPerNode: Map<string, number>): V[] {
  const phaseRank = (p: PodView) => (p.phase === 'Pending' ? 0 : p.phase === 'Unknown' ? 1 : 2);
  const cost = (p: PodView) => Number(p.deletionCost ?? 0) || 0;
  const readySince = (p: PodView) => Date.parse(p.readySince ?? '') || now;
  return [...pods].sort((a, b) => {
    const aAssigned = a.nodeName ? 1 : 0;
    const bAssigned = b.nodeName ? 1 : 0;
    if (aAssigned !== bAssigned) return aAssigned - bAssigned;
    if (phaseRank(a) !== phaseRank(b)) return phaseRank(a) - phaseRank(b);
    const ar = a.ready ? 1 : 0;
    const br = b.ready ? 1 : 0;
    if (ar !== br) return ar - br;
    if (cost(a) !== cost(b)) return cost(a) - cost(b);
    const an = podsPerNode.get(a.nodeName) ?? 0;
    const bn = podsPerNode.get(b.nodeName) ?? 0;
    if (an !== bn) return bn - an;
    if (ar && br && readySince(a) !== readySince(b)) return readySince(b) - readySince(a);
    if (a.restarts !== b.restarts) return b.restarts - a.restarts;
    const ac = Date.parse(a.creationTimestamp ?? '') || 0;
    const bc = Date.parse(b.creationTimestamp ?? '') || 0;
    if (ac !== bc) return bc - ac;
    return a.name < b.name ? 1 : -1;
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
