import { event, update, type Action } from '../reconcile/actions';
import type { ReconcileContext } from '../reconcile/controller';
import { clone, type KObject } from '../model/objects';
import { isKind, type ConfigMap, type Node, type Pod, type Secret } from '../model/kinds';
import type { Container, ContainerStatus, PodCondition, PodSpec, PodStatus, Volume } from '../model/k8s';
import type { ReadonlyObjectStore } from '../store/object-store';
import { fromRFC3339, toRFC3339 } from '../util/duration';
import { newContainerStatus } from './container-status';

/**
 * What the kubelet checks before it can start a pod's containers: the volumes it must
 * mount (ConfigMap, Secret, projected, PersistentVolumeClaim) and, per container, the
 * ConfigMap/Secret references in env and envFrom. Messages are the kubelet's own.
 */

const SOURCE = 'kubelet';

/** Whether the ConfigMap or Secret has the key (asked for every pod that mounts kube-root-ca.crt: no set of keys made each time). */
function hasDataKey(obj: ConfigMap | Secret, key: string): boolean {
  // binaryData is a ConfigMap's alone
  return (
    (!!obj.data && Object.hasOwn(obj.data, key)) || (isKind(obj, 'ConfigMap') && !!obj.binaryData && Object.hasOwn(obj.binaryData, key))
  );
}

function lookup(store: ReadonlyObjectStore, kind: 'ConfigMap' | 'Secret', namespace: string, name: string): ConfigMap | Secret | undefined {
  return store.get(kind, namespace, name);
}

const label = (kind: 'ConfigMap' | 'Secret') => (kind === 'ConfigMap' ? 'configmap' : 'secret');

/** kuberuntime makeEnvironmentVariables: the first reference that cannot be resolved. */
export function containerConfigError(pod: KObject, container: Container, store: ReadonlyObjectStore): string | undefined {
  const ns = pod.metadata.namespace ?? 'default';
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const kind = from.configMapRef ? 'ConfigMap' : 'Secret';
    if (!lookup(store, kind, ns, ref.name ?? '') && !ref.optional) return `${label(kind)} "${ref.name}" not found`;
  }
  for (const env of container.env ?? []) {
    const ref = env.valueFrom?.configMapKeyRef ?? env.valueFrom?.secretKeyRef;
    if (!ref) continue;
    const kind = env.valueFrom?.configMapKeyRef ? 'ConfigMap' : 'Secret';
    const obj = lookup(store, kind, ns, ref.name ?? '');
    if (!obj) {
      if (!ref.optional) return `${label(kind)} "${ref.name}" not found`;
      continue;
    }
    if (!hasDataKey(obj, ref.key) && !ref.optional) return `couldn't find key ${ref.key} in ${kind} ${ns}/${ref.name}`;
  }
  return undefined;
}

/** The values a container's environment gets from ConfigMaps/Secrets (secrets decoded), for describe and curl. */
export function resolvedEnv(pod: KObject, container: Container, store: ReadonlyObjectStore): Record<string, string> {
  const ns = pod.metadata.namespace ?? 'default';
  const out: Record<string, string> = {};
  const value = (obj: ConfigMap | Secret, key: string) =>
    obj.kind === 'Secret' ? Buffer.from(String(obj.data?.[key] ?? ''), 'base64').toString() : String(obj.data?.[key] ?? '');
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    const obj = ref && lookup(store, from.configMapRef ? 'ConfigMap' : 'Secret', ns, ref.name ?? '');
    if (obj) for (const k of Object.keys(obj.data ?? {}).sort()) out[`${from.prefix ?? ''}${k}`] = value(obj, k);
  }
  for (const env of container.env ?? []) {
    if (env.value !== undefined) out[env.name] = String(env.value);
    const ref = env.valueFrom?.configMapKeyRef ?? env.valueFrom?.secretKeyRef;
    const obj = ref && lookup(store, env.valueFrom?.configMapKeyRef ? 'ConfigMap' : 'Secret', ns, ref.name ?? '');
    if (obj && hasDataKey(obj, ref.key)) out[env.name] = value(obj, ref.key);
  }
  return out;
}

/** A ConfigMap or Secret a pod cannot start without, and the keys it reads from it. */
export interface ConfigReference {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  keys: string[];
}

/** Every ConfigMap/Secret the pod spec's volumes, env and envFrom need (optional ones left out). */
export function configReferences(spec: PodSpec): ConfigReference[] {
  const refs: ConfigReference[] = [];
  for (const v of spec.volumes ?? [])
    for (const s of volumeSources(v)) if (!s.optional) refs.push({ kind: s.kind, name: s.name, keys: (s.items ?? []).map((i) => i.key) });
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    for (const from of c.envFrom ?? []) {
      const ref = from.configMapRef ?? from.secretRef;
      if (ref && !ref.optional) refs.push({ kind: from.configMapRef ? 'ConfigMap' : 'Secret', name: ref.name ?? '', keys: [] });
    }
    for (const env of c.env ?? []) {
      const ref = env.valueFrom?.configMapKeyRef ?? env.valueFrom?.secretKeyRef;
      if (ref && !ref.optional)
        refs.push({ kind: env.valueFrom?.configMapKeyRef ? 'ConfigMap' : 'Secret', name: ref.name ?? '', keys: [ref.key] });
    }
  }
  return refs.filter((r) => r.name);
}

/** The sources of a ConfigMap/Secret/projected volume, as (kind, name, items, optional). */
interface VolumeSource {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  items?: { key: string }[];
  optional?: boolean;
}
function volumeSources(volume: Volume): VolumeSource[] {
  if (volume.configMap)
    return [{ kind: 'ConfigMap', name: volume.configMap.name ?? '', items: volume.configMap.items, optional: volume.configMap.optional }];
  if (volume.secret)
    return [{ kind: 'Secret', name: volume.secret.secretName ?? '', items: volume.secret.items, optional: volume.secret.optional }];
  if (volume.projected) {
    return (volume.projected.sources ?? []).flatMap((s): VolumeSource[] =>
      s.configMap
        ? [{ kind: 'ConfigMap', name: s.configMap.name ?? '', items: s.configMap.items, optional: s.configMap.optional }]
        : s.secret
          ? [{ kind: 'Secret', name: s.secret.name ?? '', items: s.secret.items, optional: s.secret.optional }]
          : [],
    );
  }
  return [];
}

/** The kubelet's FailedMount message for the first volume that cannot be set up, if any. */
export function volumeMountError(pod: Pod, store: ReadonlyObjectStore): string | undefined {
  const ns = pod.metadata.namespace ?? 'default';
  for (const volume of pod.spec?.volumes ?? []) {
    for (const src of volumeSources(volume)) {
      const obj = lookup(store, src.kind, ns, src.name);
      if (!obj) {
        if (src.optional) continue;
        return `MountVolume.SetUp failed for volume "${volume.name}" : ${label(src.kind)} "${src.name}" not found`;
      }
      for (const item of src.items ?? []) {
        if (!hasDataKey(obj, item.key) && !src.optional)
          return `MountVolume.SetUp failed for volume "${volume.name}" : ${label(src.kind)} references non-existent config key: ${item.key}`;
      }
    }
    const claimName = volume.persistentVolumeClaim?.claimName;
    if (claimName) {
      const claim = store.get('PersistentVolumeClaim', ns, claimName);
      const problem = !claim
        ? `failed to fetch PVC from API server: persistentvolumeclaims "${claimName}" not found`
        : claim.status?.phase !== 'Bound' || !claim.spec?.volumeName
          ? 'PVC is not bound'
          : undefined;
      if (problem)
        return `Unable to attach or mount volumes: unmounted volumes=[${volume.name}], unattached volumes=[], failed to process volumes=[${volume.name}]: error processing PVC ${ns}/${claimName}: ${problem}`;
    }
  }
  return undefined;
}

/**
 * What keeps the kubelet from creating the pod's sandbox: a volume it cannot mount
 * (FailedMount), then a RuntimeClass that does not exist (LookupRuntimeHandler's NotFound,
 * reported by createPodSandbox as FailedCreatePodSandBox).
 */
function sandboxProblem(pod: Pod, store: ReadonlyObjectStore): { reason: string; message: string } | undefined {
  const mount = volumeMountError(pod, store);
  if (mount) return { reason: 'FailedMount', message: mount };
  const runtimeClass = pod.spec?.runtimeClassName;
  if (runtimeClass && !store.get('RuntimeClass', undefined, runtimeClass))
    return {
      reason: 'FailedCreatePodSandBox',
      message: `Failed to create pod sandbox: runtimeclass.node.k8s.io "${runtimeClass}" not found`,
    };
  return undefined;
}

/**
 * The kubelet's wait for a sandbox: while a volume cannot be mounted or the RuntimeClass is
 * missing the pod stays Pending with its containers ContainerCreating (no sandbox yet), and a
 * warning is recorded when the wait starts. Returns undefined when the pod may start.
 */
export function waitForVolumes(pod: Pod, node: Node, ctx: ReconcileContext): Action[] | undefined {
  if (pod.status?.startTime) return undefined;
  const problem = sandboxProblem(pod, ctx.store);
  if (!problem) return undefined;
  const containers: Container[] = pod.spec.containers ?? [];
  const status: PodStatus = clone(pod.status ?? {});
  const conditions: PodCondition[] = status.conditions ?? [];
  if (conditions.some((c) => c.type === 'PodReadyToStartContainers')) return [];
  const at = toRFC3339(ctx.now);
  const unready = `containers with unready status: [${containers.map((c) => c.name).join(' ')}]`;
  const cond = (type: string, value: string, reason?: string, message?: string): PodCondition => ({
    type,
    status: value,
    lastProbeTime: null,
    lastTransitionTime: at,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  });
  const scheduled = conditions.find((c) => c.type === 'PodScheduled');
  status.conditions = [
    cond('PodReadyToStartContainers', 'False'),
    cond('Initialized', 'True'),
    cond('Ready', 'False', 'ContainersNotReady', unready),
    cond('ContainersReady', 'False', 'ContainersNotReady', unready),
    ...(scheduled ? [scheduled] : []),
  ];
  status.containerStatuses = containers.map((c) => newContainerStatus(c, 'ContainerCreating'));
  status.phase = 'Pending';
  return [update({ ...pod, status }), event(pod, 'Warning', problem.reason, problem.message, SOURCE, node.metadata.name)];
}

/**
 * When a pod that waited for its volumes can start: now (its containers start from here),
 * otherwise undefined and the kubelet uses the time it was bound.
 */
export function volumesReadyAt(pod: Pod, now: number): number | undefined {
  if (pod.status?.startTime) return fromRFC3339(pod.status.startTime);
  const waited = (pod.status?.conditions ?? []).some((c) => c.type === 'PodReadyToStartContainers' && c.status === 'False');
  return waited ? now : undefined;
}

/**
 * CreateContainerConfigError: the image is there but the container cannot be created while
 * an env reference is missing; it is created once the reference resolves. Returns the held
 * container status, or the timeline to start from (now) when a held container may start.
 */
export function holdForConfig(
  pod: KObject,
  container: Container,
  cs: ContainerStatus,
  pullDone: number,
  now: number,
  store: ReadonlyObjectStore,
  ev: (type: 'Normal' | 'Warning', reason: string, message: string) => void,
): { held: ContainerStatus } | { startAt: number } | undefined {
  const waiting = cs.state?.waiting;
  if (!waiting || (waiting.reason !== 'ContainerCreating' && waiting.reason !== 'CreateContainerConfigError') || now < pullDone)
    return undefined;
  const problem = containerConfigError(pod, container, store);
  if (problem) {
    if (waiting.reason === 'CreateContainerConfigError' && waiting.message === problem) return { held: cs };
    ev('Warning', 'Failed', `Error: ${problem}`);
    return { held: { ...cs, state: { waiting: { reason: 'CreateContainerConfigError', message: problem } } } };
  }
  if (waiting.reason !== 'CreateContainerConfigError') return undefined;
  cs.state = { waiting: { reason: 'ContainerCreating' } };
  return { startAt: now };
}

/** A pod whose volume wait just ended starts afresh: its placeholder container statuses go. */
export function afterVolumeWait(pod: Pod): Pod {
  if (pod.status?.startTime || !pod.status?.containerStatuses) return pod;
  const waited = (pod.status.conditions ?? []).some((c) => c.type === 'PodReadyToStartContainers' && c.status === 'False');
  if (!waited) return pod;
  const status = { ...pod.status };
  delete status.containerStatuses;
  return { ...pod, status };
}
