import type { KObject } from '../model/objects';
import { makeNode } from '../api/kinds/node';

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
