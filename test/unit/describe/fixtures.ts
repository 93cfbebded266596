import { ObjectStore } from '../../../src/store/object-store';
import type { DescribeContext } from '../../../src/printers/describe';
import type { KObject, StoredEvent } from '../../../src/model/objects';
import type { Deployment, Pod, ReplicaSet } from '../../../src/model/kinds';
import type { PodSpec, PodTemplateSpec } from '../../../src/model/k8s';
import '../../../src/printers/describe/index';

/** 2024-05-01T12:00:00Z: the virtual "now" of every describe test. */
export const NOW = Date.parse('2024-05-01T12:00:00Z');

export const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A store holding the objects, and a context whose events come from the given list. */
export function contextWith(objects: KObject[], events: StoredEvent[] = []): DescribeContext {
  const store = new ObjectStore();
  for (const o of objects) store.load(o);
  return {
    now: NOW,
    store,
    events: (obj) => events.filter((e) => e.involved.kind === obj.kind && e.involved.name === obj.metadata.name),
  };
}

let nextSeq = 1;

export function event(
  involved: KObject,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  source: string,
  firstMinutesAgo: number,
  count = 1,
  lastMinutesAgo = firstMinutesAgo,
): StoredEvent {
  return {
    seq: nextSeq++,
    involved: { kind: involved.kind, namespace: involved.metadata.namespace, name: involved.metadata.name, uid: involved.metadata.uid },
    type,
    reason,
    message,
    source,
    count,
    firstTimestamp: NOW - firstMinutesAgo * 60_000,
    lastTimestamp: NOW - lastMinutesAgo * 60_000,
  };
}

/** The web pod template, with the parts the fixtures build on (labels, spec) always there. */
const template = (hash?: string): PodTemplateSpec & { metadata: { labels: Record<string, string> }; spec: PodSpec } => ({
  metadata: { labels: { app: 'web', ...(hash ? { 'pod-template-hash': hash } : {}) } },
  spec: {
    containers: [
      {
        name: 'nginx',
        image: 'nginx:1.25',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        resources: { limits: { memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
        readinessProbe: {
          httpGet: { path: '/', port: 80, scheme: 'HTTP' },
          timeoutSeconds: 1,
          periodSeconds: 10,
          successThreshold: 1,
          failureThreshold: 3,
        },
      },
    ],
    restartPolicy: 'Always',
  },
});

export const deployment: Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'default',
    uid: 'dep-1',
    creationTimestamp: minutesAgo(30),
    labels: { app: 'web' },
    annotations: { 'deployment.kubernetes.io/revision': '2' },
  },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    template: template(),
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    minReadySeconds: 0,
  },
  status: {
    replicas: 3,
    updatedReplicas: 3,
    readyReplicas: 3,
    availableReplicas: 3,
    conditions: [
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
    ],
  },
};

const rsOwner = [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'dep-1', controller: true, blockOwnerDeletion: true }];

export const oldReplicaSet: ReplicaSet = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: 'web-5b8c6d9f4',
    namespace: 'default',
    uid: 'rs-old',
    creationTimestamp: minutesAgo(30),
    labels: { app: 'web', 'pod-template-hash': '5b8c6d9f4' },
    ownerReferences: rsOwner,
  },
  spec: {
    replicas: 0,
    selector: { matchLabels: { app: 'web', 'pod-template-hash': '5b8c6d9f4' } },
    template: {
      ...template('5b8c6d9f4'),
      spec: { ...template().spec, containers: [{ ...template().spec.containers[0], image: 'nginx:1.24' }] },
    },
  },
  status: { replicas: 0 },
};

export const newReplicaSet: ReplicaSet = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: 'web-7d4b9c8f6d',
    namespace: 'default',
    uid: 'rs-new',
    creationTimestamp: minutesAgo(10),
    labels: { app: 'web', 'pod-template-hash': '7d4b9c8f6d' },
    annotations: { 'deployment.kubernetes.io/revision': '2' },
    ownerReferences: rsOwner,
  },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': '7d4b9c8f6d' } }, template: template('7d4b9c8f6d') },
  status: { replicas: 3, readyReplicas: 3, availableReplicas: 3 },
};

const podOwner = [
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b9c8f6d', uid: 'rs-new', controller: true, blockOwnerDeletion: true },
];

/** A running web pod: `index` picks its name suffix, IP and node. */
export function webPod(suffix: string, ip: string, node: string, opts: { ready?: boolean; createdMinutesAgo?: number } = {}): Pod {
  const ready = opts.ready ?? true;
  const created = minutesAgo(opts.createdMinutesAgo ?? 10);
  const t = template('7d4b9c8f6d');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `web-7d4b9c8f6d-${suffix}`,
      namespace: 'default',
      uid: `pod-${suffix}`,
      creationTimestamp: created,
      labels: t.metadata.labels,
      ownerReferences: podOwner,
    },
    spec: {
      ...t.spec,
      nodeName: node,
      priority: 0,
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    },
    status: {
      phase: 'Running',
      hostIP: '172.18.0.2',
      podIP: ip,
      podIPs: [{ ip }],
      startTime: created,
      qosClass: 'Burstable',
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'True' },
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: ready ? 'True' : 'False' },
        { type: 'ContainersReady', status: ready ? 'True' : 'False' },
        { type: 'PodScheduled', status: 'True' },
      ],
      containerStatuses: [
        {
          name: 'nginx',
          image: 'nginx:1.25',
          imageID: 'docker.io/library/nginx@sha256:6f0a1c4c',
          containerID: `containerd://${suffix}0a1b2c3d`,
          ready,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: created } },
        },
      ],
    },
  };
}
