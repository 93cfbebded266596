import { create, event, eventRecord, remove, update, type Action } from '../reconcile/actions';
import type { Controller, ReconcileContext } from '../reconcile/controller';
import { clone, controllerOf } from '../model/objects';
import { isKind, type PersistentVolumeClaim, type Pod, type StatefulSet } from '../model/kinds';
import type { PodSpec, StatefulSetStatus, Volume, VolumeClaimTemplate } from '../model/k8s';
import { isPodAvailable, isPodReady } from '../api/kinds/pod';
import { computeTemplateHash } from '../api/pod-template-hash';
import { podFromTemplate } from './pod-control';
import { syncRevisions } from './controller-history';

const SOURCE = 'statefulset-controller';
export const REVISION_LABEL = 'controller-revision-hash';
/** the label a StatefulSet's ControllerRevision carries its hash in */
const REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

export function statefulSetRevision(sts: StatefulSet): string {
  return `${sts.metadata.name}-${computeTemplateHash(sts.spec?.template ?? {}, sts.status?.collisionCount ?? 0)}`;
}

/** `web-3` → 3 for pods of StatefulSet `web`; -1 otherwise. */
export function podOrdinal(sts: StatefulSet, pod: Pod): number {
  const prefix = `${sts.metadata.name}-`;
  const rest = pod.metadata.name.startsWith(prefix) ? pod.metadata.name.slice(prefix.length) : '';
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : -1;
}

/** `data-web-0`: one claim per template per pod, kept when the pod or set goes (Retain). */
export function claimName(claim: VolumeClaimTemplate, podName: string): string {
  return `${claim.metadata!.name}-${podName}`;
}

const isRunningAndReady = (p: Pod) => p.status?.phase === 'Running' && isPodReady(p);
const isTerminating = (p: Pod) => !!p.metadata.deletionTimestamp;

function newPod(sts: StatefulSet, ordinal: number, revision: string, spec: PodSpec | undefined): Pod {
  const name = `${sts.metadata.name}-${ordinal}`;
  const pod = podFromTemplate(sts, sts.spec.template, {
    name,
    extraLabels: { [REVISION_LABEL]: revision, [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal) },
  });
  if (spec) pod.spec = clone(spec);
  pod.spec.hostname = name;
  if (sts.spec.serviceName) pod.spec.subdomain = sts.spec.serviceName;
  const claims = sts.spec.volumeClaimTemplates ?? [];
  if (claims.length) {
    const volumes: Volume[] = (pod.spec.volumes ?? []).filter((v) => !claims.some((c) => c.metadata!.name === v.name));
    for (const c of claims) volumes.push({ name: c.metadata!.name!, persistentVolumeClaim: { claimName: claimName(c, name) } });
    pod.spec.volumes = volumes;
  }
  delete pod.spec.nodeName;
  return pod;
}

function newClaim(sts: StatefulSet, claim: VolumeClaimTemplate, podName: string): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: claimName(claim, podName),
      namespace: sts.metadata.namespace,
      labels: { ...(claim.metadata?.labels ?? {}), ...(sts.spec.selector?.matchLabels ?? {}) },
      ...(claim.metadata?.annotations ? { annotations: { ...claim.metadata.annotations } } : {}),
    },
    spec: clone(claim.spec ?? {}),
    status: { phase: 'Pending' },
  };
}

/**
 * StatefulSet controller (stateful_set_control.go, simplified): pods `<set>-<ordinal>` with
 * stable hostnames and claims; OrderedReady creates in order waiting for each to be Running
 * and Ready and removes from the top one at a time, Parallel does both at once; RollingUpdate
 * replaces pods from the highest ordinal down to the partition, one at a time.
 */
export const statefulSetController: Controller<'StatefulSet'> = {
  name: 'statefulset',
  kind: 'StatefulSet',
  reconcile(sts, ctx) {
    if (sts.metadata.deletionTimestamp) return [];
    const actions: Action[] = [];
    const replicas = sts.spec?.replicas ?? 1;
    const updateRevision = statefulSetRevision(sts);
    const currentRevision = sts.status?.currentRevision ?? updateRevision;
    const monotonic = sts.spec.podManagementPolicy !== 'Parallel';
    const minReady = sts.spec.minReadySeconds ?? 0;
    const owned = ctx.store
      .ownedBy(sts.metadata.uid!)
      .filter((p): p is Pod => isKind(p, 'Pod') && controllerOf(p)?.uid === sts.metadata.uid);
    const byOrdinal = new Map<number, Pod>();
    for (const pod of owned) {
      const ord = podOrdinal(sts, pod);
      if (ord >= 0) byOrdinal.set(ord, pod);
    }
    const partition = sts.spec.updateStrategy?.type === 'RollingUpdate' ? (sts.spec.updateStrategy.rollingUpdate?.partition ?? 0) : 0;
    const revisionFor = (ord: number) =>
      sts.spec.updateStrategy?.type === 'RollingUpdate' && ord < partition ? currentRevision : updateRevision;
    const deletePod = (pod: Pod) => {
      actions.push(remove({ kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name }));
      actions.push(
        event(sts, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful`, SOURCE),
      );
    };
    const status = () => statusActions(sts, owned, updateRevision, currentRevision, replicas, minReady, ctx);
    const inUse = new Set([currentRevision, updateRevision, ...owned.map((p) => p.metadata.labels?.[REVISION_LABEL] ?? '')]);
    actions.push(
      ...syncRevisions(
        sts,
        ctx.store,
        updateRevision,
        { [REVISION_HASH_LABEL]: updateRevision.slice(sts.metadata.name.length + 1) },
        inUse,
      ),
    );

    // 1. the pods that should exist, in ordinal order
    for (let ord = 0; ord < replicas; ord++) {
      const pod = byOrdinal.get(ord);
      if (pod && pod.status?.phase === 'Failed' && !isTerminating(pod)) {
        deletePod(pod);
        if (monotonic) return [...actions, ...status()];
        continue;
      }
      if (!pod) {
        const revision = revisionFor(ord);
        const sibling = revision !== updateRevision ? owned.find((p) => p.metadata.labels?.[REVISION_LABEL] === revision) : undefined;
        const podName = `${sts.metadata.name}-${ord}`;
        for (const claim of sts.spec.volumeClaimTemplates ?? []) {
          if (ctx.store.get('PersistentVolumeClaim', sts.metadata.namespace, claimName(claim, podName))) continue;
          actions.push(create(newClaim(sts, claim, podName)));
          actions.push(
            event(
              sts,
              'Normal',
              'SuccessfulCreate',
              `create Claim ${claimName(claim, podName)} Pod ${podName} in StatefulSet ${sts.metadata.name} success`,
              SOURCE,
            ),
          );
        }
        actions.push(
          create(newPod(sts, ord, revision, sibling?.spec), (p) => [
            eventRecord(
              sts,
              'Normal',
              'SuccessfulCreate',
              `create Pod ${p.metadata.name} in StatefulSet ${sts.metadata.name} successful`,
              SOURCE,
            ),
          ]),
        );
        if (monotonic) return [...actions, ...status()];
        continue;
      }
      if (monotonic && (isTerminating(pod) || !isRunningAndReady(pod))) return [...actions, ...status()];
    }

    // 2. condemned pods (ordinal ≥ replicas), highest first
    const condemned = [...byOrdinal.entries()].filter(([ord]) => ord >= replicas).sort((a, b) => b[0] - a[0]);
    for (const [, pod] of condemned) {
      if (isTerminating(pod)) {
        if (monotonic) return [...actions, ...status()];
        continue;
      }
      deletePod(pod);
      if (monotonic) return [...actions, ...status()];
    }

    // 3. rolling update: highest ordinal first, down to the partition, one at a time
    if (sts.spec.updateStrategy?.type === 'RollingUpdate') {
      for (let ord = replicas - 1; ord >= partition; ord--) {
        const pod = byOrdinal.get(ord);
        if (!pod) break;
        if (pod.metadata.labels?.[REVISION_LABEL] !== updateRevision && !isTerminating(pod)) {
          deletePod(pod);
          break;
        }
        if (isTerminating(pod) || !isRunningAndReady(pod)) break;
      }
    }
    return [...actions, ...status()];
  },
};

function statusActions(
  sts: StatefulSet,
  owned: Pod[],
  updateRevision: string,
  currentRevision: string,
  replicas: number,
  minReady: number,
  ctx: ReconcileContext,
): Action[] {
  const live = owned.filter((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded');
  const counted = live.filter((p) => !isTerminating(p));
  const updated = counted.filter((p) => p.metadata.labels?.[REVISION_LABEL] === updateRevision).length;
  const allUpdated = updated === replicas && counted.length === replicas;
  const current = allUpdated ? updateRevision : currentRevision;
  const status: StatefulSetStatus = {
    availableReplicas: counted.filter((p) => isPodAvailable(p, minReady, ctx.now)).length,
    collisionCount: sts.status?.collisionCount ?? 0,
    currentReplicas: counted.filter((p) => p.metadata.labels?.[REVISION_LABEL] === current).length,
    currentRevision: current,
    observedGeneration: sts.metadata.generation,
    readyReplicas: counted.filter(isPodReady).length,
    replicas: counted.length,
    updateRevision,
    updatedReplicas: updated,
  };
  for (const k of ['currentReplicas', 'readyReplicas', 'updatedReplicas'] as const) if (!status[k]) delete status[k];
  if (JSON.stringify(status) === JSON.stringify(sts.status)) return [];
  return [update({ ...clone(sts), status })];
}
