import { create, event, eventRecord, remove, requeueAt, update, type Action } from '../reconcile/actions';
import type { Controller, ReconcileContext } from '../reconcile/controller';
import { clone, controllerOf } from '../model/objects';
import { isKind, type DaemonSet, type Node, type Pod } from '../model/kinds';
import type { DaemonSetStatus, NodeSelectorRequirement, NodeSelectorTerm, PodSpec, Toleration } from '../model/k8s';
import { matches, fromMatchLabels, type Requirement } from '../api/labels';
import { isPodAvailable, isPodReady, podCondition } from '../api/kinds/pod';
import { intOrPercent } from '../api/kinds/workload-common';
import { fromRFC3339 } from '../util/duration';
import { computeTemplateHash } from '../api/pod-template-hash';
import { syncRevisions } from './controller-history';
import { isActivePod, podFromTemplate } from './pod-control';
import { toleratesAll } from './node-lifecycle';

const SOURCE = 'daemonset-controller';
export const REVISION_LABEL = 'controller-revision-hash';

/** AddOrUpdateDaemonPodTolerations: what every DaemonSet pod tolerates, so it runs through node trouble. */
export function daemonPodTolerations(podSpec: PodSpec): Toleration[] {
  const auto: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (podSpec.hostNetwork) auto.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  const tolerations = [...(podSpec.tolerations ?? [])];
  for (const t of auto) if (!tolerations.some((x) => x.key === t.key && x.effect === t.effect)) tolerations.push(t);
  return tolerations;
}

function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  const exprs = (list: NodeSelectorRequirement[] | undefined, value: (key: string) => Record<string, string>) =>
    (list ?? []).every((e) =>
      matches([{ key: e.key, operator: e.operator as Requirement['operator'], values: e.values ?? [] }], value(e.key)),
    );
  return (
    exprs(term.matchExpressions, () => labels) &&
    exprs(term.matchFields, (key): Record<string, string> => (key === 'metadata.name' ? { [key]: node.metadata.name } : {}))
  );
}

/** nodeSelector and required node affinity (terms are ORed, expressions within a term ANDed). */
export function nodeMatchesPodPlacement(podSpec: PodSpec, node: Node): boolean {
  if (!matches(fromMatchLabels(podSpec.nodeSelector), node.metadata.labels)) return false;
  const terms = podSpec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms && terms.length && !terms.some((t) => termMatches(t, node))) return false;
  return true;
}

/**
 * NodeShouldRunDaemonPod: `shouldRun` for a new pod (placement + NoSchedule/NoExecute taints
 * tolerated), `shouldContinueRunning` for an existing one (only NoExecute taints matter).
 */
export function nodeShouldRunDaemonPod(podSpec: PodSpec, node: Node): { shouldRun: boolean; shouldContinueRunning: boolean } {
  if (!nodeMatchesPodPlacement(podSpec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = daemonPodTolerations(podSpec);
  const taints = node.spec?.taints ?? [];
  const shouldRun = toleratesAll(
    tolerations,
    taints.filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'),
  );
  const shouldContinueRunning = toleratesAll(
    tolerations,
    taints.filter((t) => t.effect === 'NoExecute'),
  );
  return { shouldRun, shouldContinueRunning };
}

/** The pod for one node: template + revision labels, DaemonSet tolerations, pinned to the node. */
function daemonPod(ds: DaemonSet, nodeName: string, hash: string): Pod {
  const pod = podFromTemplate(ds, ds.spec.template, {
    extraLabels: { [REVISION_LABEL]: hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) },
  });
  pod.spec.tolerations = daemonPodTolerations(pod.spec);
  // kube pins the pod with node affinity on metadata.name and lets the scheduler bind it
  pod.spec.affinity = {
    ...(pod.spec.affinity ?? {}),
    nodeAffinity: {
      ...(pod.spec.affinity?.nodeAffinity ?? {}),
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }],
      },
    },
  };
  pod.spec.nodeName = nodeName;
  return pod;
}

export function daemonSetHash(ds: DaemonSet): string {
  return computeTemplateHash(ds.spec?.template ?? {}, ds.status?.collisionCount);
}

/**
 * DaemonSet controller: one pod per node that should run it; pods on nodes that should
 * not are deleted; RollingUpdate replaces old-revision pods within maxUnavailable (or
 * surges with maxSurge), OnDelete only when a pod is deleted.
 */
export const daemonSetController: Controller<'DaemonSet'> = {
  name: 'daemonset',
  kind: 'DaemonSet',
  reconcile(ds, ctx) {
    if (ds.metadata.deletionTimestamp) return [];
    const actions: Action[] = [];
    const hash = daemonSetHash(ds);
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const owned = ctx.store.ownedBy(ds.metadata.uid!).filter((p): p is Pod => isKind(p, 'Pod') && controllerOf(p)?.uid === ds.metadata.uid);
    const byNode = new Map<string, Pod[]>();
    for (const pod of owned) {
      if (pod.status?.phase === 'Failed' && !pod.metadata.deletionTimestamp) {
        // a failed daemon pod is deleted and replaced
        actions.push(remove({ kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name }, 0));
        actions.push(
          event(
            ds,
            'Warning',
            'FailedDaemonPod',
            `Found failed daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${pod.spec?.nodeName}, will try to kill it`,
            SOURCE,
          ),
        );
        continue;
      }
      if (!isActivePod(pod)) continue;
      const node = pod.spec?.nodeName ?? '';
      byNode.set(node, [...(byNode.get(node) ?? []), pod]);
    }
    const createPod = (nodeName: string) =>
      actions.push(
        create(daemonPod(ds, nodeName, hash), (pod) => [
          eventRecord(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, SOURCE),
        ]),
      );
    const deletePod = (pod: Pod) => {
      actions.push(remove({ kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name }));
      actions.push(event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, SOURCE));
    };
    const available = (p: Pod) => isPodAvailable(p, minReady, ctx.now);
    const isNew = (p: Pod) => p.metadata.labels?.[REVISION_LABEL] === hash;
    const inUse = new Set(owned.map((p) => `${ds.metadata.name}-${p.metadata.labels?.[REVISION_LABEL] ?? ''}`));
    actions.push(...syncRevisions(ds, ctx.store, `${ds.metadata.name}-${hash}`, { [REVISION_LABEL]: hash }, inUse));

    let desired = 0;
    let current = 0;
    let misscheduled = 0;
    const nodesToUpdate: { node: string; pods: Pod[] }[] = [];
    for (const node of ctx.store.list('Node')) {
      const name = node.metadata.name;
      const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(ds.spec.template.spec ?? ({} as PodSpec), node);
      const pods = byNode.get(name) ?? [];
      byNode.delete(name);
      if (shouldRun) desired++;
      if (shouldRun && pods.length === 0) createPod(name);
      else if (shouldContinueRunning && pods.length) {
        if (shouldRun) current++;
        else misscheduled++;
        // at most one pod of each revision per node (two only while a surge replaces one)
        const order = (list: Pod[]) =>
          [...list].sort(
            (x, y) =>
              Number(available(y)) - Number(available(x)) ||
              (x.metadata.creationTimestamp! < y.metadata.creationTimestamp! ? -1 : x.metadata.name < y.metadata.name ? -1 : 1),
          );
        const fresh = order(pods.filter(isNew));
        const old = order(pods.filter((p) => !isNew(p)));
        const surge =
          ds.spec.updateStrategy?.type === 'RollingUpdate' &&
          intOrPercent(ds.spec.updateStrategy.rollingUpdate?.maxSurge ?? 0, 1, true) > 0;
        for (const p of [...fresh.slice(1), ...old.slice(1)]) deletePod(p);
        if (fresh.length && old.length && !surge) deletePod(old[0]);
        const keep = [...fresh.slice(0, 1), ...(surge || !fresh.length ? old.slice(0, 1) : [])];
        if (shouldRun) nodesToUpdate.push({ node: name, pods: keep });
      } else if (pods.length) {
        misscheduled++;
        for (const p of pods) deletePod(p);
      }
    }
    // pods on nodes that no longer exist go with their node (pod GC); nothing to do here
    if (ds.spec.updateStrategy?.type === 'RollingUpdate')
      actions.push(...rollingUpdate(ds, nodesToUpdate, desired, hash, available, createPod, deletePod));
    actions.push(...statusActions(ds, owned, desired, current, misscheduled, hash, minReady, ctx));
    return actions;
  },
};

function rollingUpdate(
  ds: DaemonSet,
  nodes: { node: string; pods: Pod[] }[],
  desired: number,
  hash: string,
  available: (p: Pod) => boolean,
  createPod: (node: string) => void,
  deletePod: (p: Pod) => void,
): Action[] {
  const ru = ds.spec.updateStrategy?.rollingUpdate ?? {};
  const maxSurge = intOrPercent(ru.maxSurge ?? 0, desired, true);
  const maxUnavailable = maxSurge > 0 ? 0 : intOrPercent(ru.maxUnavailable ?? 1, desired, true);
  const isNew = (p: Pod) => p.metadata.labels?.[REVISION_LABEL] === hash;
  let unavailable = desired - nodes.filter((n) => n.pods.some(available)).length;
  if (maxSurge === 0) {
    for (const { pods } of nodes) {
      const old = pods.find((p) => !isNew(p));
      if (!old || pods.some(isNew)) continue;
      if (!available(old)) deletePod(old);
      else if (unavailable < maxUnavailable) {
        deletePod(old);
        unavailable++;
      }
    }
    return [];
  }
  let surging = nodes.filter((n) => n.pods.some(isNew) && n.pods.some((p) => !isNew(p))).length;
  for (const { node, pods } of nodes) {
    const old = pods.find((p) => !isNew(p));
    if (!old) continue;
    const fresh = pods.find(isNew);
    if (fresh) {
      if (available(fresh)) deletePod(old);
    } else if (!available(old)) deletePod(old);
    else if (surging < maxSurge) {
      createPod(node);
      surging++;
    }
  }
  return [];
}

function statusActions(
  ds: DaemonSet,
  owned: Pod[],
  desired: number,
  current: number,
  misscheduled: number,
  hash: string,
  minReady: number,
  ctx: ReconcileContext,
): Action[] {
  const actions: Action[] = [];
  const scheduled = owned.filter((p) => isActivePod(p) && p.spec?.nodeName);
  const ready = scheduled.filter(isPodReady);
  const availableCount = scheduled.filter((p) => isPodAvailable(p, minReady, ctx.now)).length;
  if (minReady) {
    for (const p of ready) {
      if (!isPodAvailable(p, minReady, ctx.now)) {
        const readyAt = fromRFC3339(podCondition(p, 'Ready')?.lastTransitionTime);
        actions.push(requeueAt(readyAt + minReady * 1000));
      }
    }
  }
  const status: DaemonSetStatus = {
    currentNumberScheduled: current,
    desiredNumberScheduled: desired,
    numberMisscheduled: misscheduled,
    numberReady: Math.min(ready.length, desired),
    observedGeneration: ds.metadata.generation,
    updatedNumberScheduled: new Set(scheduled.filter((p) => p.metadata.labels?.[REVISION_LABEL] === hash).map((p) => p.spec.nodeName)).size,
    numberAvailable: Math.min(availableCount, desired),
    numberUnavailable: Math.max(0, desired - availableCount),
  };
  // omitempty, as the API returns it
  for (const k of ['updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'] as const) if (!status[k]) delete status[k];
  if (ds.status?.collisionCount !== undefined) status.collisionCount = ds.status.collisionCount;
  if (JSON.stringify(status) !== JSON.stringify(ds.status)) actions.push(update({ ...clone(ds), status }));
  return actions;
}
