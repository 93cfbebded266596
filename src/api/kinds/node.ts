import { registerKind } from './register';
import { KUBERNETES_VERSION } from '../../model/kubernetes-version';
import type { KObject } from '../../model/objects';
import type { Node } from '../../model/kinds';
import type { NodeCondition, NodeSpec, NodeStatus } from '../../model/k8s';

/** A node as helpers shared with printers and controllers read it (a Node, or any KObject). */
type NodeLike = KObject<NodeSpec, NodeStatus>;
import { ageColumn, nameColumn, orNone, validateMeta } from './common';
import { toRFC3339, fromRFC3339 } from '../../util/duration';
import { stableHex } from '../../util/hash';

/** Annotation `kubesim node fail` sets: the node's kubelet stops (no status updates, no heartbeats). */
export const KUBELET_STOPPED = 'sim.kubesim.io/kubelet-stopped';

/** When a heartbeat-less node's kubelet stopped (the `node fail` annotation holds the time). */
export function kubeletStoppedAt(node: KObject): number | undefined {
  const v = node.metadata.annotations?.[KUBELET_STOPPED];
  if (v === undefined) return undefined;
  return fromRFC3339(v) || 0;
}

export function nodeCondition(node: NodeLike, type: string): NodeCondition | undefined {
  return (node.status?.conditions ?? []).find((c) => c.type === type);
}

export function isNodeReady(node: NodeLike): boolean {
  return nodeCondition(node, 'Ready')?.status === 'True';
}

/** kubectl's node STATUS: Ready / NotReady / Unknown, plus SchedulingDisabled when cordoned. */
export function nodeStatusText(node: NodeLike): string {
  const ready = nodeCondition(node, 'Ready');
  const parts = [!ready || ready.status === 'Unknown' ? (ready ? 'NotReady' : 'Unknown') : ready.status === 'True' ? 'Ready' : 'NotReady'];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

export function nodeRoles(node: KObject): string {
  const roles: string[] = [];
  for (const [k, v] of Object.entries((node.metadata.labels ?? {}) as Record<string, string>)) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.push(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role') roles.push(v);
  }
  return roles.length ? roles.sort().join(',') : '<none>';
}

export function nodeAddress(node: NodeLike, type: string): string | undefined {
  return (node.status?.addresses ?? []).find((a) => a.type === type)?.address;
}

export const KUBELET_VERSION = KUBERNETES_VERSION;

/** A Node as a kubelet would register it (capacity, allocatable, labels, Ready condition, podCIDR). */
export function makeNode(
  name: string,
  index: number,
  shape: { cpu: string; memory: string; pods: number; zone?: string; labels?: Record<string, string> },
  now: number,
): Node {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    ...(shape.zone ? { 'topology.kubernetes.io/zone': shape.zone } : {}),
    ...(shape.labels ?? {}),
  };
  const resources = { cpu: shape.cpu, memory: shape.memory, pods: String(shape.pods), 'ephemeral-storage': '100Gi' };
  const ts = toRFC3339(now);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels },
    spec: { podCIDR: podCidrFor(index), podCIDRs: [podCidrFor(index)] },
    status: {
      capacity: { ...resources },
      allocatable: { ...resources },
      conditions: nodeConditions(ts),
      addresses: [
        { type: 'InternalIP', address: nodeIpFor(index) },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: {
        machineID: stableHex(`machine/${name}`, 32),
        systemUUID: uuidFrom(stableHex(`system/${name}`, 32)),
        bootID: uuidFrom(stableHex(`boot/${name}`, 32)),
        architecture: 'amd64',
        operatingSystem: 'linux',
        osImage: 'kubesim simulated node',
        kernelVersion: '6.1.0-kubesim',
        containerRuntimeVersion: 'containerd://1.7.24',
        kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: KUBELET_VERSION,
      },
    },
  };
}

function uuidFrom(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function nodeConditions(ts: string): NodeCondition[] {
  const c = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: ts,
    lastTransitionTime: ts,
    reason,
    message,
  });
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

/**
 * Where the /24s of node pod CIDRs come from, in order: 10.244.0.0 up to 10.255.255.0 (the
 * first 3,072 nodes, as kube-controller-manager's range allocator gives them from 10.244.0.0/16
 * on), then the rest of 10.0.0.0/8 but the Services' 10.96.0.0/12 — a cluster that big is made
 * with a cluster CIDR that holds it. (Counting on from 10.255 gave 10.256.x.y and beyond.)
 */
const POD_CIDR_SPANS: readonly { from: number; octets: number }[] = [
  { from: 244, octets: 12 },
  { from: 112, octets: 132 },
  { from: 0, octets: 96 },
];
/** how many nodes can have a pod CIDR (a /24 each) */
export const MAX_POD_CIDRS = POD_CIDR_SPANS.reduce((n, s) => n + s.octets * 256, 0);

/** The node's /24 by its index (see POD_CIDR_SPANS). */
export function podCidrFor(index: number): string {
  let left = index;
  for (const span of POD_CIDR_SPANS) {
    if (left < span.octets * 256) return `10.${span.from + Math.floor(left / 256)}.${left % 256}.0/24`;
    left -= span.octets * 256;
  }
  throw new Error(`no pod CIDR left for node index ${index} (at most ${MAX_POD_CIDRS})`);
}

/** podCidrFor's inverse: the index a 10.x.y.0/24 pod CIDR stands for (undefined for any other). */
export function podCidrIndex(cidr: string): number | undefined {
  const m = /^10\.(\d+)\.(\d+)\.0\/24$/.exec(cidr);
  if (!m) return undefined;
  const [second, third] = [Number(m[1]), Number(m[2])];
  if (third > 255) return undefined;
  let before = 0;
  for (const span of POD_CIDR_SPANS) {
    if (second >= span.from && second < span.from + span.octets) return before + (second - span.from) * 256 + third;
    before += span.octets * 256;
  }
  return undefined;
}

export function nodeIpFor(index: number): string {
  return `172.18.${Math.floor((index + 2) / 256)}.${(index + 2) % 256}`;
}

registerKind('Node', {
  columns: [
    nameColumn,
    { header: 'STATUS', value: nodeStatusText },
    { header: 'ROLES', value: nodeRoles },
    ageColumn,
    { header: 'VERSION', value: (o) => o.status?.nodeInfo?.kubeletVersion ?? '' },
    { header: 'INTERNAL-IP', wide: true, value: (o) => orNone(nodeAddress(o, 'InternalIP')) },
    { header: 'EXTERNAL-IP', wide: true, value: (o) => orNone(nodeAddress(o, 'ExternalIP')) },
    { header: 'OS-IMAGE', wide: true, value: (o) => o.status?.nodeInfo?.osImage ?? '' },
    { header: 'KERNEL-VERSION', wide: true, value: (o) => o.status?.nodeInfo?.kernelVersion ?? '' },
    { header: 'CONTAINER-RUNTIME', wide: true, value: (o) => o.status?.nodeInfo?.containerRuntimeVersion ?? '' },
  ],
  defaults(obj, ctx) {
    obj.spec ??= {};
    obj.status ??= {};
    // a Node applied from a manifest registers like a kubelet would: defaults for what it omits
    if (!obj.status.allocatable || !obj.status.conditions || !obj.status.nodeInfo) {
      const index = ctx.store.count('Node');
      const cap = obj.status.capacity ?? obj.status.allocatable ?? {};
      const template = makeNode(
        obj.metadata.name,
        index,
        { cpu: cap.cpu ?? '4', memory: cap.memory ?? '16Gi', pods: Number(cap.pods ?? 110) },
        ctx.now,
      );
      obj.metadata.labels = { ...template.metadata.labels, ...(obj.metadata.labels ?? {}) };
      obj.spec = { ...template.spec, ...obj.spec };
      obj.status = {
        ...template.status,
        ...obj.status,
        allocatable: obj.status.allocatable ?? obj.status.capacity ?? template.status!.allocatable,
        capacity: obj.status.capacity ?? obj.status.allocatable ?? template.status!.capacity,
      };
    }
  },
  validate(obj) {
    return validateMeta(obj);
  },
  specFields: [],
});
