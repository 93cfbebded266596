import { isKind, type Node, type Pod } from '../model/kinds';
import { isJsonObject, type KObject } from '../model/objects';
import type { ReadonlyObjectStore } from '../store/object-store';
import type { CapacityReport, WorkloadCapacity } from '../model/capacity-report';
import { Random } from '../util/random';
import { schedulerProfiles, SCHEDULER_NAME } from './controller';
import { podInfoOf } from './pod-info';
import { Scheduler } from './scheduler';
import { Snapshot } from './snapshot';

/** A node shape to add: allocatable and labels (`--node-shape cpu=8,memory=32Gi,pods=110,labels=k=v;k2=v2`). */
export interface NodeShape {
  cpu: string;
  memory: string;
  pods: string;
  labels: Record<string, string>;
}

/** One workload of the input: its replicas as pods, all alike. */
export interface CapacityWorkload {
  /** kind/name as kubectl names it */
  name: string;
  replicas: number;
  pod: Pod;
}

/** A probe stops here: "at least this many". */
export const MAX_PROBE = 10_000;
/** The most nodes of the shape the answer looks for. */
export const MAX_NODES = 10_000;

/** The pods that workloads create, from a Deployment, ReplicaSet, StatefulSet, ReplicationController, Job or Pod. */
export function workloadOf(obj: KObject): CapacityWorkload | string {
  const kind = obj.kind;
  const name = `${kind.toLowerCase()}/${obj.metadata.name}`;
  const namespace = obj.metadata.namespace ?? 'default';
  let template: { metadata?: { labels?: Record<string, string> }; spec?: Pod['spec'] } | undefined;
  let replicas = 1;
  // the workload as a manifest gives it (not validated): its spec read as untyped JSON
  const spec = isJsonObject(obj.spec) ? obj.spec : undefined;
  switch (kind) {
    case 'Pod':
      template = { metadata: obj.metadata, spec: isKind(obj, 'Pod') ? obj.spec : undefined };
      break;
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'ReplicationController':
      template = spec?.template as typeof template;
      replicas = typeof spec?.replicas === 'number' ? spec.replicas : 1;
      break;
    case 'Job':
      template = spec?.template as typeof template;
      replicas = typeof spec?.parallelism === 'number' ? spec.parallelism : 1;
      break;
    default:
      return `${name}: capacity counts the pods of Deployments, ReplicaSets, StatefulSets, ReplicationControllers, Jobs and Pods`;
  }
  if (!template?.spec?.containers) return `${name}: no pod template`;
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: obj.metadata.name, namespace, labels: { ...(template.metadata?.labels ?? {}) }, uid: `capacity/${name}` },
    spec: { ...template.spec, schedulerName: template.spec.schedulerName || SCHEDULER_NAME },
    status: { phase: 'Pending' },
  };
  return { name, replicas, pod };
}

function shapeNode(shape: NodeShape, i: number): Node {
  const name = `capacity-node-${i}`;
  const resources = { cpu: shape.cpu, memory: shape.memory, pods: shape.pods, 'ephemeral-storage': '100Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', ...shape.labels },
    },
    spec: {},
    status: { allocatable: resources, capacity: resources, conditions: [{ type: 'Ready', status: 'True' }] },
  } as Node;
}

/**
 * Places the workloads' replicas one after another with the scheduler's own cycle on a copy
 * of the cluster (nothing of the cluster changes): how many fit, and with `extra` nodes of a shape.
 */
function place(
  store: ReadonlyObjectStore,
  workloads: CapacityWorkload[],
  extraNodes: Node[],
  probe: boolean,
): { fits: number[]; max: number[]; failures: (string | undefined)[] } {
  const nodes = [...(store.values('Node') as Iterable<Node>), ...extraNodes];
  const bound: Pod[] = [];
  for (const p of store.values('Pod') as Iterable<Pod>) {
    const phase = p.status?.phase;
    if (p.spec?.nodeName && phase !== 'Succeeded' && phase !== 'Failed') bound.push(p);
  }
  const snapshot = new Snapshot(store, nodes, bound);
  const profiles = schedulerProfiles(store);
  const fits: number[] = [];
  const max: number[] = [];
  const failures: (string | undefined)[] = [];
  for (const w of workloads) {
    const profile = profiles.get(w.pod.spec!.schedulerName!);
    if (!profile) {
      fits.push(0);
      max.push(0);
      failures.push(`no scheduler profile is named "${w.pod.spec!.schedulerName}"`);
      continue;
    }
    const scheduler = new Scheduler(profile, snapshot, Random.fromSeed(0), undefined);
    let placed = 0;
    let failure: string | undefined;
    const limit = probe ? Math.max(w.replicas, MAX_PROBE) : w.replicas;
    for (let i = 0; i < limit; i++) {
      const pod = { ...w.pod, metadata: { ...w.pod.metadata, name: `${w.pod.metadata.name}-${i}`, uid: `${w.pod.metadata.uid}/${i}` } };
      const info = podInfoOf(pod);
      const result = scheduler.schedule(info);
      if (result.kind !== 'bound') {
        failure = result.message;
        break;
      }
      snapshot.assume(info, result.node);
      placed++;
    }
    fits.push(Math.min(placed, w.replicas));
    max.push(placed);
    failures.push(failure);
  }
  return { fits, max, failures };
}

/**
 * cluster-capacity's question for each workload (how many replicas fit on the cluster as
 * it is), and how many nodes of a shape to add for all of them to run.
 */
export function capacity(store: ReadonlyObjectStore, workloads: CapacityWorkload[], shape?: NodeShape): CapacityReport {
  // each workload alone on the cluster as it is: its own maximum
  const report: WorkloadCapacity[] = workloads.map((w) => {
    const alone = place(store, [w], [], true);
    return { name: w.name, replicas: w.replicas, fit: 0, max: alone.max[0], firstFailure: alone.failures[0] };
  });
  // all together, in input order: how many of the requested replicas fit
  const together = place(store, workloads, [], false);
  together.fits.forEach((f, i) => (report[i].fit = f));
  if (!shape) return { workloads: report, maxNodes: MAX_NODES };
  const fitsWith = (k: number) => {
    const r = place(
      store,
      workloads,
      Array.from({ length: k }, (_, i) => shapeNode(shape, i + 1)),
      false,
    );
    return r.fits.every((f, i) => f === workloads[i].replicas);
  };
  if (fitsWith(0)) return { workloads: report, nodesToAdd: 0, maxNodes: MAX_NODES };
  // exponential then binary search (more nodes never make a placement fail)
  let hi = 1;
  while (hi <= MAX_NODES && !fitsWith(hi)) hi *= 2;
  if (hi > MAX_NODES) {
    if (!fitsWith(MAX_NODES)) return { workloads: report, nodesToAdd: undefined, maxNodes: MAX_NODES };
    hi = MAX_NODES;
  }
  let lo = Math.floor(hi / 2);
  while (lo + 1 < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (fitsWith(mid)) hi = mid;
    else lo = mid;
  }
  return { workloads: report, nodesToAdd: hi, maxNodes: MAX_NODES };
}

/**
 * Whether one more pod of the workload would fit on the cluster as it is (its scheduler's own
 * cycle on a copy; nothing changes): undefined when it would, else the FailedScheduling message.
 * kubesim lint asks it for a Deployment's surge pod before simulating the rolling update.
 */
export function oneMoreFits(store: ReadonlyObjectStore, workload: CapacityWorkload): string | undefined {
  const { fits, failures } = place(store, [{ ...workload, replicas: 1 }], [], false);
  return fits[0] === 1 ? undefined : (failures[0] ?? 'does not fit');
}
