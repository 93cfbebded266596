import { ROOT_CA_CONFIGMAP } from '../controllers/root-ca-publisher';
import { clone, type KObject } from '../model/objects';
import { isKind, type DaemonSet, type Node, type Pod, type StatefulSet } from '../model/kinds';
import type { PodSpec, PodTemplateSpec } from '../model/k8s';
import { createObject, deleteObject, type ApiContext } from '../api/server';
import { kindInfo } from '../api/registry';
import { KUBELET_STOPPED, nodeConditions, podCidrFor } from '../api/kinds/node';
import { fromRFC3339, toRFC3339 } from '../util/duration';
import { CliError } from '../util/errors';
import { configReferences } from '../sim/pod-config';
import { statefulSetRevision } from '../controllers/statefulset';
import { daemonSetHash } from '../controllers/daemonset';

/**
 * `kubesim import`: a cluster rebuilt from what `kubectl get … -A -o yaml` printed for a real one,
 * as an etcd restore would put it back (uids, owners and creation times kept, no admission), so
 * that the simulated controllers take the workloads over where the real ones left them: pods stay
 * bound where they ran, Running for as long as they had been.
 */

/** Kinds the simulated control plane makes for itself: a dump's copies would only disagree with them. */
const REGENERATED = new Set(['Event', 'Endpoints', 'EndpointSlice', 'Lease', 'ControllerRevision', 'ComponentStatus', 'Binding']);

/** Owners before what they own, what pods need (namespaces, nodes, claims, accounts) before pods. */
const ORDER = [
  'Namespace',
  'CustomResourceDefinition',
  'PriorityClass',
  'StorageClass',
  'PersistentVolume',
  'Node',
  'ServiceAccount',
  'ConfigMap',
  'Secret',
  'PersistentVolumeClaim',
  'Service',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'CronJob',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'Pod',
];
const rank = (kind: string) => (ORDER.includes(kind) ? ORDER.indexOf(kind) : ORDER.length);

/** Marks the ConfigMaps/Secrets/ServiceAccounts import made up because the dump's pods name them. */
export const PLACEHOLDER_ANNOTATION = 'kubesim.io/import-placeholder';

export interface ImportPlan {
  /** in creation order */
  objects: KObject[];
  /** kind → count of what the dump held and is not imported, with why */
  skipped: { kind: string; count: number; why: string }[];
  /** the latest time the dump records: about when it was taken */
  dumpTime: number | undefined;
}

/** Decides what of a dump is imported and how; pure (the dump is not changed). */
export function planImport(dump: KObject[]): ImportPlan {
  const skipped = new Map<string, { kind: string; count: number; why: string }>();
  const skip = (kind: string, why: string) => {
    const key = `${kind}\0${why}`;
    const entry = skipped.get(key) ?? { kind, count: 0, why };
    entry.count++;
    skipped.set(key, entry);
  };
  const kept: KObject[] = [];
  const customKinds = new Set(
    dump.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => (o as { spec?: { names?: { kind?: string } } }).spec?.names?.kind),
  );
  dump.forEach((obj, i) => {
    if (!obj.metadata?.name) throw new CliError(`the dump's ${obj.kind} (item ${i + 1}) has no metadata.name`);
    if (obj.kind === 'Secret') return skip('Secret', 'never imported');
    if (REGENERATED.has(obj.kind)) return skip(obj.kind, 'the simulated control plane makes its own');
    if (!kindInfo(obj.kind) && !customKinds.has(obj.kind)) return skip(obj.kind, 'not a kind the simulated API serves');
    if (isKind(obj, 'Pod') && obj.metadata.deletionTimestamp) return skip('Pod', 'terminating');
    kept.push(obj);
  });
  const uids = new Set(kept.map((o) => o.metadata.uid).filter(Boolean));
  const objects = kept.map((o) => restored(o, uids));
  objects.push(...placeholders(objects));
  nodesRunning(objects);
  objects.sort((a, b) => rank(a.kind) - rank(b.kind));
  return {
    objects,
    skipped: [...skipped.values()].sort((a, b) => rank(a.kind) - rank(b.kind) || a.kind.localeCompare(b.kind)),
    dumpTime: latestTime(dump),
  };
}

/** An object as it is put back: no resourceVersion, owners only among what is imported, generation 1. */
function restored(obj: KObject, uids: Set<string | undefined>): KObject {
  const copy = clone(obj);
  const meta = copy.metadata as KObject['metadata'] & { selfLink?: string };
  delete meta.resourceVersion;
  delete meta.selfLink;
  // an owner left out of the dump would have the garbage collector delete its dependents
  if (meta.ownerReferences) {
    meta.ownerReferences = meta.ownerReferences.filter((r) => uids.has(r.uid));
    if (!meta.ownerReferences.length) delete meta.ownerReferences;
  }
  // the new cluster starts every object at generation 1: a status that had caught up says so
  const status = copy.status as { observedGeneration?: number } | undefined;
  if (status && typeof status === 'object' && 'observedGeneration' in status) {
    if (status.observedGeneration === obj.metadata.generation) status.observedGeneration = 1;
    else delete status.observedGeneration;
  }
  return copy;
}

/** The pod spec of a pod or of a workload's template. */
function podSpecIn(obj: KObject): PodSpec | undefined {
  if (isKind(obj, 'Pod')) return obj.spec;
  if (isKind(obj, 'CronJob')) return obj.spec?.jobTemplate?.spec?.template?.spec;
  const template = (obj.spec as { template?: PodTemplateSpec } | undefined)?.template;
  return ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController'].includes(obj.kind)
    ? template?.spec
    : undefined;
}

/**
 * What the dump's pods need and the dump does not hold: Secrets (never imported), ConfigMaps and
 * ServiceAccounts it left out. Each is made empty but for the keys the pods read, so that a pod
 * a controller makes on the new cluster starts as it did on the old one.
 */
function placeholders(objects: KObject[]): KObject[] {
  const have = new Set(objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`));
  const made = new Map<string, KObject & { data?: Record<string, string> }>();
  const annotations = { [PLACEHOLDER_ANNOTATION]: 'true' };
  for (const obj of objects) {
    const spec = podSpecIn(obj);
    if (!spec) continue;
    const namespace = obj.metadata.namespace ?? 'default';
    const account = spec.serviceAccountName ?? spec.serviceAccount;
    if (account && account !== 'default' && !have.has(`ServiceAccount/${namespace}/${account}`)) {
      const key = `ServiceAccount/${namespace}/${account}`;
      if (!made.has(key)) made.set(key, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: account, namespace, annotations } });
    }
    for (const ref of configReferences(spec)) {
      const key = `${ref.kind}/${namespace}/${ref.name}`;
      // the root-CA publisher makes kube-root-ca.crt in every namespace, with the cluster's CA
      if (have.has(key) || (ref.kind === 'ConfigMap' && ref.name === ROOT_CA_CONFIGMAP)) continue;
      let placeholder = made.get(key);
      if (!placeholder) {
        placeholder = {
          apiVersion: 'v1',
          kind: ref.kind,
          metadata: { name: ref.name, namespace, annotations },
          ...(ref.kind === 'Secret' ? { type: 'Opaque' } : {}),
          data: {},
        };
        made.set(key, placeholder);
      }
      for (const k of ref.keys) placeholder.data![k] = '';
    }
  }
  return [...made.values()].sort((a, b) =>
    (a.kind + a.metadata.namespace + a.metadata.name).localeCompare(b.kind + b.metadata.namespace + b.metadata.name),
  );
}

/**
 * Nodes as the simulated kubelet keeps them: a Ready node heartbeats from now on; a node that was
 * not Ready stays down (as after `kubesim node fail`). A node without a podCIDR gets one.
 */
function nodesRunning(objects: KObject[]): void {
  objects
    .filter((o): o is Node => isKind(o, 'Node'))
    .forEach((node, index) => {
      node.spec ??= {};
      if (!node.spec.podCIDR) {
        node.spec.podCIDR = podCidrFor(index);
        node.spec.podCIDRs = [node.spec.podCIDR];
      }
      const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready')?.status === 'True';
      if (!ready) node.metadata.annotations = { ...(node.metadata.annotations ?? {}), [KUBELET_STOPPED]: '' };
    });
}

const TIME_FIELD = /(Time|Timestamp|At)$/;

/** The latest RFC 3339 time anywhere in the dump (creation, transition, heartbeat, start times). */
function latestTime(dump: KObject[]): number | undefined {
  let latest: number | undefined;
  const walk = (value: unknown, key: string) => {
    if (typeof value === 'string') {
      if (TIME_FIELD.test(key)) {
        const t = fromRFC3339(value);
        if (Number.isFinite(t) && t > 0 && (latest === undefined || t > latest)) latest = t;
      }
    } else if (Array.isArray(value)) for (const v of value) walk(v, key);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  for (const obj of dump) walk(obj, '');
  return latest;
}

export interface ImportResult {
  /** kind → how many were created */
  created: Map<string, number>;
  /** objects a new cluster has already (namespaces, the kubernetes Service…): kept as they are */
  existing: number;
}

/**
 * Creates the plan's objects on a new cluster, at its virtual now. StatefulSet and DaemonSet pods
 * are relabelled with the revision the simulated controller computes for their owner's template,
 * so pods that ran the current template are not rolled again.
 */
export function importObjects(api: ApiContext, plan: ImportPlan): ImportResult {
  const created = new Map<string, number>();
  let existing = 0;
  const now = toRFC3339(api.now);
  // revision label renames per owner uid: the real controller's hash → the simulated one's
  const revisions = new Map<string, { from: string; to: string; generation?: string }>();
  if (plan.objects.some((o) => o.kind === 'StorageClass') && api.store.get('StorageClass', undefined, 'standard'))
    deleteObject(api, 'StorageClass', undefined, 'standard');
  for (const input of plan.objects) {
    if (
      api.store.get(input.kind, input.metadata.namespace ?? (kindInfo(input.kind)?.namespaced ? 'default' : undefined), input.metadata.name)
    ) {
      existing++;
      continue;
    }
    let obj = input;
    if (isKind(obj, 'Node') && !obj.metadata.annotations?.[KUBELET_STOPPED]) {
      obj = clone(obj);
      (obj as Node).status = { ...(obj as Node).status, conditions: nodeConditions(now) };
    } else if (isKind(obj, 'Node')) {
      obj = clone(obj);
      obj.metadata.annotations![KUBELET_STOPPED] = now;
    }
    if (isKind(obj, 'StatefulSet')) obj = relabelledStatefulSet(api, obj, revisions);
    if (isKind(obj, 'DaemonSet')) obj = recordDaemonSetRevision(api, obj, revisions);
    if (isKind(obj, 'Pod')) obj = relabelledPod(obj, revisions);
    createObject(api, obj, { trusted: true, restore: true });
    created.set(obj.kind, (created.get(obj.kind) ?? 0) + 1);
  }
  return { created, existing };
}

const REVISION_LABEL = 'controller-revision-hash';

/** The StatefulSet with its revisions renamed to the simulated controller's; its pods follow. */
function relabelledStatefulSet(api: ApiContext, sts: StatefulSet, revisions: Map<string, { from: string; to: string }>): StatefulSet {
  const stored = createObject(api, sts, { trusted: true, restore: true, dryRun: true }) as StatefulSet;
  const to = statefulSetRevision(stored);
  const from = sts.status?.updateRevision;
  if (!from || !sts.metadata.uid) return sts;
  revisions.set(sts.metadata.uid, { from, to });
  const copy = clone(sts);
  copy.status = { ...copy.status!, updateRevision: to, ...(copy.status?.currentRevision === from ? { currentRevision: to } : {}) };
  return copy;
}

/** A DaemonSet's pods of its current generation are its current revision's. */
function recordDaemonSetRevision(
  api: ApiContext,
  ds: DaemonSet,
  revisions: Map<string, { from: string; to: string; generation?: string }>,
): DaemonSet {
  const stored = createObject(api, ds, { trusted: true, restore: true, dryRun: true }) as DaemonSet;
  if (ds.metadata.uid)
    revisions.set(ds.metadata.uid, { from: '', to: daemonSetHash(stored), generation: String(ds.metadata.generation ?? 1) });
  return ds;
}

function relabelledPod(pod: Pod, revisions: Map<string, { from: string; to: string; generation?: string }>): Pod {
  const owner = pod.metadata.ownerReferences?.find((r) => r.controller);
  const rename = owner && revisions.get(owner.uid);
  const labels = pod.metadata.labels;
  if (!rename || !labels) return pod;
  if (rename.generation !== undefined) {
    // DaemonSet: the pod-template-generation label says which template a pod runs
    if (labels['pod-template-generation'] !== rename.generation) return pod;
    return { ...pod, metadata: { ...pod.metadata, labels: { ...labels, [REVISION_LABEL]: rename.to, 'pod-template-generation': '1' } } };
  }
  if (labels[REVISION_LABEL] !== rename.from) return pod;
  return { ...pod, metadata: { ...pod.metadata, labels: { ...labels, [REVISION_LABEL]: rename.to } } };
}
