import { isKind, type Lease, type Node, type PodLike } from '../../model/kinds';
import { registerDescriber, DescribeWriter, type DescribeContext } from '../describe';
import { byNamespaceName } from '../../model/object-reader';
import { orEmpty, type KObject } from '../../model/objects';
import { kubeletStoppedAt } from '../../api/kinds/node';
import { lastBeat, NODE_LEASE_NAMESPACE } from '../../api/kinds/lease';
import { kindInfoOrThrow, servedObject } from '../../api/registry';
import { fromRFC3339, humanDuration } from '../../util/duration';
import { rfc1123z, writeEvents, writeTaints } from './format';
import {
  addQuantity,
  canonicalQuantity,
  parseQuantityExact,
  quantityMilli,
  quantityString,
  quantityValue,
  ZERO_QUANTITY,
  type Quantity,
} from '../../api/quantity-exact';

/** The kubelet re-posts unchanged conditions every 5 min. */
const STATUS_REPORT_MS = 5 * 60_000;
const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

type ResourceTotals = Map<string, Quantity>;

/** findNodeRoles: `node-role.kubernetes.io/<role>` and `kubernetes.io/role=<role>` labels. */
function nodeRoleList(node: KObject): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort();
}

function addTo(totals: ResourceTotals, list: Record<string, string | number> | undefined): void {
  for (const [name, value] of Object.entries(list ?? {}))
    totals.set(name, addQuantity(totals.get(name) ?? ZERO_QUANTITY, parseQuantityExact(value)));
}

/**
 * resourcehelper.PodRequests / PodLimits: the containers' sum, at least each init
 * container's own amount (plus the sidecars started before it), plus pod overhead.
 */
function podResources(pod: PodLike, kind: 'requests' | 'limits'): ResourceTotals {
  const totals: ResourceTotals = new Map();
  for (const c of pod.spec?.containers ?? []) addTo(totals, c.resources?.[kind]);
  const sidecars: ResourceTotals = new Map();
  for (const c of pod.spec?.initContainers ?? []) {
    if (c.restartPolicy === 'Always') {
      addTo(totals, c.resources?.[kind]);
      addTo(sidecars, c.resources?.[kind]);
      continue;
    }
    const during: ResourceTotals = new Map(sidecars);
    addTo(during, c.resources?.[kind]);
    for (const [name, q] of during) if (q.nano > (totals.get(name)?.nano ?? 0n)) totals.set(name, q);
  }
  addTo(totals, pod.spec?.overhead);
  return totals;
}

function percent(part: number, whole: number): number {
  return whole ? Math.trunc((part / whole) * 100) : 0;
}

/** describeNodeResource: the Non-terminated Pods table and the Allocated resources totals. */
function describeNodeResource(w: DescribeWriter, node: Node, pods: PodLike[], now: number): void {
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const nodeAllocatable = node.status?.allocatable ?? {};
  const allocatable: Record<string, string> = Object.keys(nodeAllocatable).length ? nodeAllocatable : (node.status?.capacity ?? {});
  const allocatableCpu = quantityMilli(parseQuantityExact(allocatable.cpu));
  const allocatableMemory = quantityValue(parseQuantityExact(allocatable.memory));
  const requests: ResourceTotals = new Map();
  const limits: ResourceTotals = new Map();
  const cell = (q: Quantity | undefined, whole: number, value: (q: Quantity) => number) =>
    `${quantityString(q ?? ZERO_QUANTITY)} (${percent(value(q ?? ZERO_QUANTITY), whole)}%)`;
  for (const pod of pods) {
    const req = podResources(pod, 'requests');
    const lim = podResources(pod, 'limits');
    for (const [name, q] of req) requests.set(name, addQuantity(requests.get(name) ?? ZERO_QUANTITY, q));
    for (const [name, q] of lim) limits.set(name, addQuantity(limits.get(name) ?? ZERO_QUANTITY, q));
    const age = pod.metadata.creationTimestamp ? humanDuration(now - fromRFC3339(pod.metadata.creationTimestamp)) : '<unknown>';
    w.write(
      1,
      `${pod.metadata.namespace ?? ''}\t${pod.metadata.name}\t\t${cell(req.get('cpu'), allocatableCpu, quantityMilli)}\t${cell(lim.get('cpu'), allocatableCpu, quantityMilli)}\t${cell(req.get('memory'), allocatableMemory, quantityValue)}\t${cell(lim.get('memory'), allocatableMemory, quantityValue)}\t${age}\n`,
    );
  }
  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  const row = (name: string, value: (q: Quantity) => number) => {
    const whole = value(parseQuantityExact(allocatable[name]));
    w.write(1, `${name}\t${cell(requests.get(name), whole, value)}\t${cell(limits.get(name), whole, value)}\n`);
  };
  row('cpu', quantityMilli);
  row('memory', quantityValue);
  row('ephemeral-storage', quantityValue);
  const names = Object.keys(allocatable).sort();
  for (const name of names.filter((n) => n.startsWith('hugepages-'))) row(name, quantityValue);
  for (const name of names.filter((n) => !n.startsWith('hugepages-') && !STANDARD_CONTAINER_RESOURCES.has(n) && n !== 'pods')) {
    w.write(1, `${name}\t${quantityString(requests.get(name) ?? ZERO_QUANTITY)}\t${quantityString(limits.get(name) ?? ZERO_QUANTITY)}\n`);
  }
}

/** kubectl's describeNode. */
export function describeNode(node: Node, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  const spec = node.spec ?? {};
  const status = node.status ?? {};
  const conditions = status.conditions ?? [];
  const stoppedAt = kubeletStoppedAt(node);
  const beatsUntil = Math.min(ctx.now, stoppedAt ?? ctx.now);
  w.write(0, `Name:\t${node.metadata.name}\n`);
  const roles = nodeRoleList(node);
  w.write(0, `Roles:\t${roles.length ? roles.join(',') : '<none>'}\n`);
  w.map(0, 'Labels', node.metadata.labels);
  w.annotations(0, node.metadata.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(node.metadata.creationTimestamp)}\n`);
  writeTaints(w, 0, 'Taints', spec.taints);
  w.write(0, `Unschedulable:\t${spec.unschedulable === true}\n`);
  // the kubelet's Lease in kube-node-lease, as a read returns it (renewTime kept current)
  const stored = ctx.store.get('Lease', NODE_LEASE_NAMESPACE, node.metadata.name);
  if (!stored) w.write(0, `Lease:\tFailed to get lease: leases.coordination.k8s.io "${node.metadata.name}" not found\n`);
  else {
    const served = servedObject(kindInfoOrThrow('Lease'), stored, ctx);
    const lease: Partial<Lease> = isKind(served, 'Lease') ? served : {};
    w.write(0, 'Lease:\n');
    w.write(1, `HolderIdentity:\t${lease.spec?.holderIdentity ?? '<unset>'}\n`);
    w.write(1, `AcquireTime:\t${lease.spec?.acquireTime ? rfc1123z(lease.spec.acquireTime) : '<unset>'}\n`);
    w.write(1, `RenewTime:\t${lease.spec?.renewTime ? rfc1123z(lease.spec.renewTime) : '<unset>'}\n`);
  }
  if (conditions.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of conditions) {
      const stored = fromRFC3339(c.lastHeartbeatTime);
      const heartbeat = c.status === 'Unknown' || !stored ? c.lastHeartbeatTime : lastBeat(stored, beatsUntil, STATUS_REPORT_MS);
      w.write(
        1,
        `${c.type} \t${c.status} \t${rfc1123z(heartbeat)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`,
      );
    }
  }
  w.write(0, 'Addresses:\n');
  for (const a of status.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`);
  for (const [title, list = {}] of [
    ['Capacity', status.capacity],
    ['Allocatable', status.allocatable],
  ] as const) {
    const names = Object.keys(list).sort();
    if (!names.length) continue;
    w.write(0, `${title}:\n`);
    for (const name of names) w.write(0, `  ${name}:\t${canonicalQuantity(list[name])}\n`);
  }
  const info = orEmpty(status.nodeInfo);
  w.write(0, 'System Info:\n');
  w.write(0, `  Machine ID:\t${info.machineID ?? ''}\n`);
  w.write(0, `  System UUID:\t${info.systemUUID ?? ''}\n`);
  w.write(0, `  Boot ID:\t${info.bootID ?? ''}\n`);
  w.write(0, `  Kernel Version:\t${info.kernelVersion ?? ''}\n`);
  w.write(0, `  OS Image:\t${info.osImage ?? ''}\n`);
  w.write(0, `  Operating System:\t${info.operatingSystem ?? ''}\n`);
  w.write(0, `  Architecture:\t${info.architecture ?? ''}\n`);
  w.write(0, `  Container Runtime Version:\t${info.containerRuntimeVersion ?? ''}\n`);
  w.write(0, `  Kubelet Version:\t${info.kubeletVersion ?? ''}\n`);
  if (spec.podCIDR) w.write(0, `PodCIDR:\t${spec.podCIDR}\n`);
  const podCIDRs = spec.podCIDRs ?? [];
  if (podCIDRs.length) w.write(0, `PodCIDRs:\t${podCIDRs.join(',')}\n`);
  if (spec.providerID) w.write(0, `ProviderID:\t${spec.providerID}\n`);
  const pods = [...ctx.store.podsOnNode(node.metadata.name)]
    .filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed')
    .sort(byNamespaceName);
  describeNodeResource(w, node, pods, ctx.now);
  writeEvents(w, ctx.events(node), ctx.now);
  return w.toString();
}

registerDescriber('Node', () => describeNode);
