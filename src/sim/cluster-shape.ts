import type { KObject } from '../model/objects';
import { makeNode } from '../api/kinds/node';
import { toRFC3339 } from '../util/duration';

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
  /** where a manual clock starts (`kubesim import`: when the dump was taken); default 2025-01-01 */
  start?: number;
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
  // the bootstrap superuser role, bound to system:masters and to kubeadm's admin group (the other
  // default roles are in bootstrap-policy.ts)
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

/**
 * The group/versions a v1.32 API server serves itself, with the priorities kube-apiserver gives
 * them (pkg/controlplane/apiserver/aggregator.go and the kube-specific table): Local APIServices,
 * registered on start and always available.
 */
const BUILT_IN_API_SERVICES: [group: string, version: string, groupPriority: number, versionPriority: number][] = [
  ['', 'v1', 18000, 1],
  ['admissionregistration.k8s.io', 'v1', 16700, 15],
  ['apiextensions.k8s.io', 'v1', 16700, 15],
  ['apiregistration.k8s.io', 'v1', 18000, 15],
  ['apps', 'v1', 17800, 15],
  ['authentication.k8s.io', 'v1', 17700, 15],
  ['authorization.k8s.io', 'v1', 17600, 15],
  ['autoscaling', 'v1', 17500, 15],
  ['autoscaling', 'v2', 17500, 30],
  ['batch', 'v1', 17400, 15],
  ['certificates.k8s.io', 'v1', 17300, 15],
  ['coordination.k8s.io', 'v1', 16500, 15],
  ['discovery.k8s.io', 'v1', 16200, 15],
  ['events.k8s.io', 'v1', 17750, 15],
  ['flowcontrol.apiserver.k8s.io', 'v1', 16100, 21],
  ['networking.k8s.io', 'v1', 17200, 15],
  ['node.k8s.io', 'v1', 16300, 15],
  ['policy', 'v1', 17100, 15],
  ['rbac.authorization.k8s.io', 'v1', 17000, 15],
  ['scheduling.k8s.io', 'v1', 16600, 15],
  ['storage.k8s.io', 'v1', 16800, 15],
];

export function builtInAPIServices(now: number): KObject[] {
  return BUILT_IN_API_SERVICES.map(([group, version, groupPriorityMinimum, versionPriority]) => ({
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: `${version}.${group}`, labels: { 'kube-aggregator.kubernetes.io/automanaged': 'onstart' } },
    spec: { group, version, groupPriorityMinimum, versionPriority },
    status: {
      conditions: [
        {
          type: 'Available',
          status: 'True',
          lastTransitionTime: toRFC3339(now),
          reason: 'Local',
          message: 'Local APIServices are always available',
        },
      ],
    },
  }));
}
