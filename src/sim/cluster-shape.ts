import { toRFC3339 } from '../util/duration';
import type { KObject } from '../model/objects';
import type { Node } from '../model/kinds';
import type { NodeCondition } from '../model/k8s';
import { stableHex } from '../util/hash';

/** What `cluster create` takes: the node shape and the cluster-wide knobs. */
export interface ClusterShape {
  nodes: number;
  cpu: string;
  memory: string;
  pods: number;
  zones: string[];
  seed: number;
  clock: 'wall' | 'manual';
  namePrefix: string;
}

export const DEFAULT_SHAPE: ClusterShape = {
  nodes: 3,
  cpu: '4',
  memory: '16Gi',
  pods: 110,
  zones: ['zone-a', 'zone-b', 'zone-c'],
  seed: 1,
  clock: 'wall',
  namePrefix: 'node-',
};

export const KUBELET_VERSION = 'v1.32.0';

/** A Node as a kubelet would register it (capacity, allocatable, labels, Ready condition, podCIDR). */
export function makeNode(
  name: string,
  index: number,
  shape: Pick<ClusterShape, 'cpu' | 'memory' | 'pods'> & { zone?: string; labels?: Record<string, string> },
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

/** 10.244.N.0/24 per node, like kube-controller-manager's range allocator on a /16. */
export function podCidrFor(index: number): string {
  return `10.${244 + Math.floor(index / 256)}.${index % 256}.0/24`;
}

export function nodeIpFor(index: number): string {
  return `172.18.${Math.floor((index + 2) / 256)}.${(index + 2) % 256}`;
}

export function defaultClusterObjects(shape: ClusterShape, now: number): KObject[] {
  const ns = (name: string): KObject => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
  const objects: KObject[] = [ns('default'), ns('kube-node-lease'), ns('kube-public'), ns('kube-system')];
  // the service account controller's default account in each (it would make them in the first pass)
  for (const name of ['default', 'kube-node-lease', 'kube-public', 'kube-system'])
    objects.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } });
  objects.push({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.0.1',
      clusterIPs: ['10.96.0.1'],
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    },
    status: { loadBalancer: {} },
  });
  for (const pc of [
    {
      name: 'system-cluster-critical',
      value: 2000000000,
      description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
    },
    {
      name: 'system-node-critical',
      value: 2000001000,
      description: 'Used for system critical pods that must not be moved from their current node.',
    },
  ]) {
    objects.push({
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: pc.name },
      value: pc.value,
      description: pc.description,
      preemptionPolicy: 'PreemptLowerPriority',
    });
  }
  // the bootstrap superuser role, bound to system:masters and to kubeadm's admin group; the other
  // default roles (admin, edit, view, system:*) are not there
  const rbacDefaults = {
    labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
    annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
  };
  objects.push({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'cluster-admin', ...rbacDefaults },
    rules: [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['*'] },
    ],
  } as unknown as KObject);
  // kubeadm (and so kind) v1.29+ give kubectl's admin user the kubeadm:cluster-admins group rather than system:masters
  for (const [name, group, meta] of [
    ['cluster-admin', 'system:masters', rbacDefaults],
    ['kubeadm:cluster-admins', 'kubeadm:cluster-admins', {}],
  ] as const) {
    objects.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name, ...meta },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
    } as unknown as KObject);
  }
  // the default StorageClass (like kind's `standard`, but Immediate so claims bind at once)
  objects.push({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'rancher.io/local-path',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  });
  for (let i = 0; i < shape.nodes; i++) {
    const name = `${shape.namePrefix}${i + 1}`;
    objects.push(makeNode(name, i, { ...shape, zone: shape.zones.length ? shape.zones[i % shape.zones.length] : undefined }, now));
  }
  return objects;
}
