import { describe, expect, test } from 'vitest';
import { describeObject } from '../../../src/printers/describe';
import { makeNode } from '../../../src/api/kinds/node';
import { nodeLease } from '../../../src/api/kinds/lease';
import type { KObject } from '../../../src/model/objects';
import type { Service } from '../../../src/model/kinds';
import { contextWith, deployment, event, minutesAgo, newReplicaSet, NOW, oldReplicaSet, webPod } from './fixtures';

const lines = (...text: string[]) => `${text.join('\n')}\n`;

/** The web pod with env, probes, mounts, volumes, one OOM restart and three events. */
function restartedPod(): { pod: KObject; events: ReturnType<typeof event>[] } {
  const pod = webPod('x2k9p', '10.244.0.5', 'node-1');
  pod.metadata.annotations = { 'sim.kubesim.io/startup-seconds': '2' };
  const c = pod.spec.containers[0];
  c.env = [
    { name: 'MODE', value: 'prod' },
    { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
    { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
  ];
  c.livenessProbe = { exec: { command: ['cat', '/tmp/healthy'] }, initialDelaySeconds: 5, periodSeconds: 5 };
  c.volumeMounts = [
    { name: 'config', mountPath: '/etc/web', readOnly: true },
    { name: 'cache', mountPath: '/cache' },
  ];
  pod.spec.volumes = [
    { name: 'config', configMap: { name: 'web-config' } },
    { name: 'cache', emptyDir: {} },
  ];
  const status = pod.status!.containerStatuses![0];
  status.restartCount = 1;
  status.lastState = { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: minutesAgo(10), finishedAt: minutesAgo(4) } };
  status.state = { running: { startedAt: minutesAgo(4) } };
  const events = [
    event(pod, 'Normal', 'Scheduled', 'Successfully assigned default/web-7d4b9c8f6d-x2k9p to node-1', 'default-scheduler', 10),
    event(pod, 'Normal', 'Pulled', 'Container image "nginx:1.25" already present on machine', 'kubelet', 10, 2, 4),
    event(pod, 'Warning', 'OOMKilling', 'Memory cgroup out of memory', 'kubelet', 4),
  ];
  return { pod, events };
}

describe('describe pod', () => {
  test('a running pod with a restart shows containers, probes, env, mounts, conditions, volumes and events as kubectl lays them out', () => {
    const { pod, events } = restartedPod();
    expect(describeObject(pod, contextWith([pod], events))).toBe(
      lines(
        'Name:         web-7d4b9c8f6d-x2k9p',
        'Namespace:    default',
        'Priority:     0',
        'Node:         node-1/172.18.0.2',
        'Start Time:   Wed, 01 May 2024 11:50:00 +0000',
        'Labels:       app=web',
        '              pod-template-hash=7d4b9c8f6d',
        'Annotations:  sim.kubesim.io/startup-seconds: 2',
        'Status:       Running',
        'IP:           10.244.0.5',
        'IPs:',
        '  IP:           10.244.0.5',
        'Controlled By:  ReplicaSet/web-7d4b9c8f6d',
        'Containers:',
        '  nginx:',
        '    Container ID:   containerd://x2k9p0a1b2c3d',
        '    Image:          nginx:1.25',
        '    Image ID:       docker.io/library/nginx@sha256:6f0a1c4c',
        '    Port:           80/TCP',
        '    Host Port:      0/TCP',
        '    State:          Running',
        '      Started:      Wed, 01 May 2024 11:56:00 +0000',
        '    Last State:     Terminated',
        '      Reason:       OOMKilled',
        '      Exit Code:    137',
        '      Started:      Wed, 01 May 2024 11:50:00 +0000',
        '      Finished:     Wed, 01 May 2024 11:56:00 +0000',
        '    Ready:          True',
        '    Restart Count:  1',
        '    Limits:',
        '      memory:  256Mi',
        '    Requests:',
        '      cpu:      100m',
        '      memory:   128Mi',
        '    Liveness:   exec [cat /tmp/healthy] delay=5s timeout=1s period=5s #success=1 #failure=3',
        '    Readiness:  http-get http://:80/ delay=0s timeout=1s period=10s #success=1 #failure=3',
        '    Environment:',
        '      MODE:         prod',
        '      POD_NAME:     web-7d4b9c8f6d-x2k9p (v1:metadata.name)',
        "      DB_PASSWORD:  <set to the key 'password' in secret 'db'>  Optional: false",
        '    Mounts:',
        '      /cache from cache (rw)',
        '      /etc/web from config (ro)',
        'Conditions:',
        '  Type                        Status',
        '  PodReadyToStartContainers   True ',
        '  Initialized                 True ',
        '  Ready                       True ',
        '  ContainersReady             True ',
        '  PodScheduled                True ',
        'Volumes:',
        '  config:',
        '    Type:      ConfigMap (a volume populated by a ConfigMap)',
        '    Name:      web-config',
        '    Optional:  false',
        '  cache:',
        "    Type:        EmptyDir (a temporary directory that shares a pod's lifetime)",
        '    Medium:      ',
        '    SizeLimit:   <unset>',
        'QoS Class:       Burstable',
        'Node-Selectors:  <none>',
        'Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s',
        '                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s',
        'Events:',
        '  Type     Reason      Age               From               Message',
        '  ----     ------      ----              ----               -------',
        '  Normal   Scheduled   10m               default-scheduler  Successfully assigned default/web-7d4b9c8f6d-x2k9p to node-1',
        '  Normal   Pulled      4m (x2 over 10m)  kubelet            Container image "nginx:1.25" already present on machine',
        '  Warning  OOMKilling  4m                kubelet            Memory cgroup out of memory',
      ),
    );
  });

  test('an unscheduled pod shows Node <none>, an empty IP cell, a Waiting container and Events <none> in the same column', () => {
    const pod: KObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'lonely', namespace: 'default', uid: 'l1', creationTimestamp: minutesAgo(1) },
      spec: {
        priority: 0,
        priorityClassName: 'batch-low',
        containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 3600'] }],
        tolerations: [{ operator: 'Exists' }],
      },
      status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False' }] },
    };
    expect(describeObject(pod, contextWith([pod]))).toBe(
      lines(
        'Name:                 lonely',
        'Namespace:            default',
        'Priority:             0',
        'Priority Class Name:  batch-low',
        'Node:                 <none>',
        'Labels:               <none>',
        'Annotations:          <none>',
        'Status:               Pending',
        'IP:                   ',
        'IPs:                  <none>',
        'Containers:',
        '  app:',
        '    Image:      busybox:1.36',
        '    Port:       <none>',
        '    Host Port:  <none>',
        '    Command:',
        '      sh',
        '      -c',
        '      sleep 3600',
        '    Environment:  <none>',
        '    Mounts:       <none>',
        'Conditions:',
        '  Type           Status',
        '  PodScheduled   False ',
        'Volumes:         <none>',
        'QoS Class:       BestEffort',
        'Node-Selectors:  <none>',
        'Tolerations:     op=Exists',
        'Events:          <none>',
      ),
    );
  });

  test('a terminating pod shows how long it has been terminating and its grace period', () => {
    const pod = webPod('x2k9p', '10.244.0.5', 'node-1');
    pod.metadata.deletionTimestamp = minutesAgo(0.5);
    pod.metadata.deletionGracePeriodSeconds = 30;
    const text = describeObject(pod, contextWith([pod]));
    expect(text).toContain('\nStatus:                    Terminating (lasts 30s)\nTermination Grace Period:  30s\n');
  });
});

describe('describe deployment and replicaset', () => {
  const pods = [webPod('x2k9p', '10.244.0.5', 'node-1'), webPod('b7kqz', '10.244.1.4', 'node-2'), webPod('m4n8r', '10.244.2.3', 'node-3')];
  const ctx = contextWith(
    [deployment, oldReplicaSet, newReplicaSet, ...pods],
    [
      event(deployment, 'Normal', 'ScalingReplicaSet', 'Scaled up replica set web-7d4b9c8f6d from 0 to 1', 'deployment-controller', 10),
      event(deployment, 'Normal', 'ScalingReplicaSet', 'Scaled down replica set web-5b8c6d9f4 from 3 to 0', 'deployment-controller', 8),
    ],
  );

  test('a rolled-out deployment lists its pod template, conditions and every old ReplicaSet, even one scaled to 0', () => {
    expect(describeObject(deployment, ctx)).toBe(
      lines(
        'Name:                   web',
        'Namespace:              default',
        'CreationTimestamp:      Wed, 01 May 2024 11:30:00 +0000',
        'Labels:                 app=web',
        'Annotations:            deployment.kubernetes.io/revision: 2',
        'Selector:               app=web',
        'Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable',
        'StrategyType:           RollingUpdate',
        'MinReadySeconds:        0',
        'RollingUpdateStrategy:  25% max unavailable, 25% max surge',
        'Pod Template:',
        '  Labels:  app=web',
        '  Containers:',
        '   nginx:',
        '    Image:      nginx:1.25',
        '    Port:       80/TCP',
        '    Host Port:  0/TCP',
        '    Limits:',
        '      memory:  256Mi',
        '    Requests:',
        '      cpu:         100m',
        '      memory:      128Mi',
        '    Readiness:     http-get http://:80/ delay=0s timeout=1s period=10s #success=1 #failure=3',
        '    Environment:   <none>',
        '    Mounts:        <none>',
        '  Volumes:         <none>',
        '  Node-Selectors:  <none>',
        '  Tolerations:     <none>',
        'Conditions:',
        '  Type           Status  Reason',
        '  ----           ------  ------',
        '  Available      True    MinimumReplicasAvailable',
        '  Progressing    True    NewReplicaSetAvailable',
        'OldReplicaSets:  web-5b8c6d9f4 (0/0 replicas created)',
        'NewReplicaSet:   web-7d4b9c8f6d (3/3 replicas created)',
        'Events:',
        '  Type    Reason             Age   From                   Message',
        '  ----    ------             ----  ----                   -------',
        '  Normal  ScalingReplicaSet  10m   deployment-controller  Scaled up replica set web-7d4b9c8f6d from 0 to 1',
        '  Normal  ScalingReplicaSet  8m    deployment-controller  Scaled down replica set web-5b8c6d9f4 from 3 to 0',
      ),
    );
  });

  test('a deployment with no ReplicaSets yet prints neither OldReplicaSets nor NewReplicaSet', () => {
    const fresh = { ...deployment, status: {} };
    const text = describeObject(fresh, contextWith([fresh]));
    expect(text).toContain('Replicas:               3 desired | 0 updated | 0 total | 0 available | 0 unavailable\n');
    expect(text).not.toContain('ReplicaSet');
    expect(text.endsWith('  Tolerations:     <none>\nEvents:            <none>\n')).toBe(true);
  });

  test('a ReplicaSet shows its controller, replica counts and pod phases; Events <none> aligns with the template', () => {
    expect(describeObject(newReplicaSet, ctx)).toBe(
      lines(
        'Name:           web-7d4b9c8f6d',
        'Namespace:      default',
        'Selector:       app=web,pod-template-hash=7d4b9c8f6d',
        'Labels:         app=web',
        '                pod-template-hash=7d4b9c8f6d',
        'Annotations:    deployment.kubernetes.io/revision: 2',
        'Controlled By:  Deployment/web',
        'Replicas:       3 current / 3 desired',
        'Pods Status:    3 Running / 0 Waiting / 0 Succeeded / 0 Failed',
        'Pod Template:',
        '  Labels:  app=web',
        '           pod-template-hash=7d4b9c8f6d',
        '  Containers:',
        '   nginx:',
        '    Image:      nginx:1.25',
        '    Port:       80/TCP',
        '    Host Port:  0/TCP',
        '    Limits:',
        '      memory:  256Mi',
        '    Requests:',
        '      cpu:         100m',
        '      memory:      128Mi',
        '    Readiness:     http-get http://:80/ delay=0s timeout=1s period=10s #success=1 #failure=3',
        '    Environment:   <none>',
        '    Mounts:        <none>',
        '  Volumes:         <none>',
        '  Node-Selectors:  <none>',
        '  Tolerations:     <none>',
        'Events:            <none>',
      ),
    );
  });
});

describe('describe node', () => {
  test('a node lists its lease, conditions, resources, non-terminated pods with shares of allocatable, and the totals', () => {
    const node = makeNode('node-1', 0, { cpu: '4', memory: '16Gi', pods: 110, zone: 'zone-a' }, NOW - 3 * 3600_000);
    node.metadata.uid = 'node-uid-1';
    node.metadata.creationTimestamp = minutesAgo(180);
    node.metadata.annotations = { 'node.alpha.kubernetes.io/ttl': '0' };
    const batch: KObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'batch-1', namespace: 'jobs', uid: 'b1', creationTimestamp: minutesAgo(3) },
      spec: {
        nodeName: 'node-1',
        containers: [
          { name: 'c', image: 'busybox', resources: { limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } } },
        ],
      },
      status: { phase: 'Running' },
    };
    const finished: KObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'done', namespace: 'jobs', uid: 'd1', creationTimestamp: minutesAgo(3) },
      spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'busybox' }] },
      status: { phase: 'Succeeded' },
    };
    const objects = [
      node,
      nodeLease(node, NOW),
      webPod('x2k9p', '10.244.0.5', 'node-1'),
      webPod('b7kqz', '10.244.0.6', 'node-1', { createdMinutesAgo: 95 }),
      batch,
      finished,
    ];
    const ctx = contextWith(objects, [event(node, 'Normal', 'NodeReady', 'Node node-1 status is now: NodeReady', 'node-controller', 180)]);
    expect(describeObject(node, ctx)).toBe(
      lines(
        'Name:               node-1',
        'Roles:              <none>',
        'Labels:             beta.kubernetes.io/arch=amd64',
        '                    beta.kubernetes.io/os=linux',
        '                    kubernetes.io/arch=amd64',
        '                    kubernetes.io/hostname=node-1',
        '                    kubernetes.io/os=linux',
        '                    topology.kubernetes.io/zone=zone-a',
        'Annotations:        node.alpha.kubernetes.io/ttl: 0',
        'CreationTimestamp:  Wed, 01 May 2024 09:00:00 +0000',
        'Taints:             <none>',
        'Unschedulable:      false',
        'Lease:',
        '  HolderIdentity:  node-1',
        '  AcquireTime:     <unset>',
        '  RenewTime:       Wed, 01 May 2024 12:00:00 +0000',
        'Conditions:',
        '  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message',
        '  ----             ------  -----------------                 ------------------                ------                       -------',
        '  MemoryPressure   False   Wed, 01 May 2024 12:00:00 +0000   Wed, 01 May 2024 09:00:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available',
        '  DiskPressure     False   Wed, 01 May 2024 12:00:00 +0000   Wed, 01 May 2024 09:00:00 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure',
        '  PIDPressure      False   Wed, 01 May 2024 12:00:00 +0000   Wed, 01 May 2024 09:00:00 +0000   KubeletHasSufficientPID      kubelet has sufficient PID available',
        '  Ready            True    Wed, 01 May 2024 12:00:00 +0000   Wed, 01 May 2024 09:00:00 +0000   KubeletReady                 kubelet is posting ready status',
        'Addresses:',
        '  InternalIP:  172.18.0.2',
        '  Hostname:    node-1',
        'Capacity:',
        '  cpu:                4',
        '  ephemeral-storage:  100Gi',
        '  memory:             16Gi',
        '  pods:               110',
        'Allocatable:',
        '  cpu:                4',
        '  ephemeral-storage:  100Gi',
        '  memory:             16Gi',
        '  pods:               110',
        'System Info:',
        '  Machine ID:                 be54663319e1ecae5859eef4565ed931',
        '  System UUID:                675ff1cd-fb05-4c82-f4fa-6098ff26a6b1',
        '  Boot ID:                    7aa18ce4-3389-efa2-2e6a-c611b519fb81',
        '  Kernel Version:             6.1.0-kubesim',
        '  OS Image:                   kubesim simulated node',
        '  Operating System:           linux',
        '  Architecture:               amd64',
        '  Container Runtime Version:  containerd://1.7.24',
        '  Kubelet Version:            v1.32.0',
        'PodCIDR:                      10.244.0.0/24',
        'PodCIDRs:                     10.244.0.0/24',
        'Non-terminated Pods:          (3 in total)',
        '  Namespace                   Name                    CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age',
        '  ---------                   ----                    ------------  ----------  ---------------  -------------  ---',
        '  default                     web-7d4b9c8f6d-b7kqz    100m (2%)     0 (0%)      128Mi (0%)       256Mi (1%)     95m',
        '  default                     web-7d4b9c8f6d-x2k9p    100m (2%)     0 (0%)      128Mi (0%)       256Mi (1%)     10m',
        '  jobs                        batch-1                 500m (12%)    500m (12%)  1Gi (6%)         1Gi (6%)       3m',
        'Allocated resources:',
        '  (Total limits may be over 100 percent, i.e., overcommitted.)',
        '  Resource           Requests     Limits',
        '  --------           --------     ------',
        '  cpu                700m (17%)   500m (12%)',
        '  memory             1280Mi (7%)  1536Mi (9%)',
        '  ephemeral-storage  0 (0%)       0 (0%)',
        'Events:',
        '  Type    Reason     Age   From             Message',
        '  ----    ------     ----  ----             -------',
        '  Normal  NodeReady  3h    node-controller  Node node-1 status is now: NodeReady',
      ),
    );
  });

  test('a cordoned, failed node shows its taints sorted by effect and stops renewing its lease when the kubelet stopped', () => {
    const node = makeNode('node-2', 1, { cpu: '4', memory: '16Gi', pods: 110 }, NOW - 3600_000);
    node.metadata.creationTimestamp = minutesAgo(60);
    node.metadata.labels = { 'node-role.kubernetes.io/worker': '', 'kubernetes.io/role': 'edge' };
    node.metadata.annotations = { 'sim.kubesim.io/kubelet-stopped': minutesAgo(5) };
    node.spec.unschedulable = true;
    node.spec.taints = [
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: minutesAgo(4) },
      { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
    ];
    const text = describeObject(node, contextWith([node, nodeLease(node, NOW)]));
    expect(text).toContain(
      lines(
        'Taints:             node.kubernetes.io/unreachable:NoExecute',
        '                    dedicated=gpu:NoSchedule',
        '                    node.kubernetes.io/unreachable:NoSchedule',
        '                    node.kubernetes.io/unschedulable:NoSchedule',
        'Unschedulable:      true',
      ),
    );
    expect(text).toMatch(/^Roles: {14}edge,worker\n/m);
    // the last 10 s lease renewal before the kubelet stopped, 5 minutes ago
    expect(text).toContain('\n  RenewTime:       Wed, 01 May 2024 11:55:00 +0000\n');
  });
});

describe('describe service', () => {
  const nodePort: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', uid: 's1', labels: { app: 'web' } },
    spec: {
      type: 'NodePort',
      selector: { app: 'web' },
      clusterIP: '10.96.45.12',
      clusterIPs: ['10.96.45.12'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 80, nodePort: 30080 }],
      sessionAffinity: 'None',
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
    },
    status: { loadBalancer: {} },
  };

  test('a NodePort service lists ready pod endpoints by IP, three at most, then how many more', () => {
    const pods = ['a', 'b', 'c', 'd', 'e'].map((s, i) => webPod(s.repeat(5), `10.244.${i}.7`, 'node-1', { ready: s !== 'b' }));
    expect(describeObject(nodePort, contextWith([nodePort, ...pods]))).toBe(
      lines(
        'Name:                     web',
        'Namespace:                default',
        'Labels:                   app=web',
        'Annotations:              <none>',
        'Selector:                 app=web',
        'Type:                     NodePort',
        'IP Family Policy:         SingleStack',
        'IP Families:              IPv4',
        'IP:                       10.96.45.12',
        'IPs:                      10.96.45.12',
        'Port:                     http  80/TCP',
        'TargetPort:               80/TCP',
        'NodePort:                 http  30080/TCP',
        'Endpoints:                10.244.0.7:80,10.244.2.7:80,10.244.3.7:80 + 1 more...',
        'Session Affinity:         None',
        'External Traffic Policy:  Cluster',
        'Internal Traffic Policy:  Cluster',
        'Events:                   <none>',
      ),
    );
  });

  test('a ClusterIP service with no selected pods has Endpoints <none>; with only unready pods the cell is empty', () => {
    const svc: Service = {
      ...nodePort,
      spec: {
        ...nodePort.spec,
        type: 'ClusterIP',
        externalTrafficPolicy: undefined,
        ports: [{ port: 443, protocol: 'TCP', targetPort: 8443 }],
      },
    };
    const expected = (endpoints: string) =>
      lines(
        'Name:                     web',
        'Namespace:                default',
        'Labels:                   app=web',
        'Annotations:              <none>',
        'Selector:                 app=web',
        'Type:                     ClusterIP',
        'IP Family Policy:         SingleStack',
        'IP Families:              IPv4',
        'IP:                       10.96.45.12',
        'IPs:                      10.96.45.12',
        'Port:                     <unset>  443/TCP',
        'TargetPort:               8443/TCP',
        `Endpoints:                ${endpoints}`,
        'Session Affinity:         None',
        'Internal Traffic Policy:  Cluster',
        'Events:                   <none>',
      );
    expect(describeObject(svc, contextWith([svc]))).toBe(expected('<none>'));
    const unready = webPod('aaaaa', '10.244.0.9', 'node-1', { ready: false });
    expect(describeObject(svc, contextWith([svc, unready]))).toBe(expected(''));
  });

  test('the Endpoints object written by the endpoints controller is used when present', () => {
    const endpoints: KObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'web', namespace: 'default' },
      subsets: [{ addresses: [{ ip: '10.244.1.2' }, { ip: '10.244.2.2' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
    };
    expect(describeObject(nodePort, contextWith([nodePort, endpoints]))).toContain(
      '\nEndpoints:                10.244.1.2:8080,10.244.2.2:8080\n',
    );
  });
});

describe('describe namespace', () => {
  test('a namespace without quotas or limit ranges says so', () => {
    const ns: KObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'default', labels: { 'kubernetes.io/metadata.name': 'default' } },
      status: { phase: 'Active' },
    };
    expect(describeObject(ns, contextWith([ns]))).toBe(
      lines(
        'Name:         default',
        'Labels:       kubernetes.io/metadata.name=default',
        'Annotations:  <none>',
        'Status:       Active',
        '',
        'No resource quota.',
        '',
        'No LimitRange resource.',
      ),
    );
  });

  test('quotas and limit ranges of the namespace are tabulated', () => {
    const ns: KObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' }, status: { phase: 'Active' } };
    const quota: KObject = {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'compute', namespace: 'team' },
      spec: { hard: { 'requests.cpu': '2', pods: '10' } },
      status: { hard: { 'requests.cpu': '2', pods: '10' }, used: { 'requests.cpu': '500m', pods: '3' } },
    };
    const limits: KObject = {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'defaults', namespace: 'team' },
      spec: { limits: [{ type: 'Container', default: { cpu: '500m' }, max: { memory: '1Gi' } }] },
    };
    expect(describeObject(ns, contextWith([ns, quota, limits]))).toBe(
      lines(
        'Name:         team',
        'Labels:       <none>',
        'Annotations:  <none>',
        'Status:       Active',
        '',
        'Resource Quotas',
        '  Name:         compute',
        '  Resource      Used  Hard',
        '  --------      ---   ---',
        '  pods          3     10',
        '  requests.cpu  500m  2',
        '',
        'Resource Limits',
        ' Type       Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio',
        ' ----       --------  ---  ---  ---------------  -------------  -----------------------',
        ' Container  cpu       -    -    500m             500m           -',
        ' Container  memory    -    1Gi  1Gi              1Gi            -',
      ),
    );
  });
});

describe('describe hpa (describeHorizontalPodAutoscalerV2)', () => {
  test('writes every metric type with its current value, the behavior and the target pods', () => {
    const hpa: KObject = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'api', namespace: 'shop', creationTimestamp: '2024-05-01T11:00:00Z', annotations: { team: 'a' } },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'api' },
        maxReplicas: 5,
        metrics: [
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '512Mi' } } },
          {
            type: 'ContainerResource',
            containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 60 } },
          },
          { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '100' } } },
          {
            type: 'Object',
            object: {
              metric: { name: 'hits' },
              describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' },
              target: { type: 'Value', value: '2k' },
            },
          },
          { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } },
        ],
        behavior: { scaleDown: { stabilizationWindowSeconds: 60, policies: [{ type: 'Pods', value: 1, periodSeconds: 30 }] } },
      },
      status: {
        currentReplicas: 3,
        desiredReplicas: 4,
        currentMetrics: [
          { type: 'Resource', resource: { name: 'memory', current: { averageValue: '268435456' } } },
          {
            type: 'ContainerResource',
            containerResource: { name: 'cpu', container: 'app', current: { averageUtilization: 75, averageValue: '0.15' } },
          },
        ],
      },
    };
    expect(describeObject(hpa, contextWith([hpa]))).toBe(
      lines(
        'Name:                                                                     api',
        'Namespace:                                                                shop',
        'Labels:                                                                   <none>',
        'Annotations:                                                              team: a',
        'CreationTimestamp:                                                        Wed, 01 May 2024 11:00:00 +0000',
        'Reference:                                                                StatefulSet/api',
        'Metrics:                                                                  ( current / target )',
        '  resource memory on pods:                                                268435456 / 512Mi',
        '  resource cpu of container "app" on pods  (as a percentage of request):  75% (150m) / 60%',
        '  "rps" on pods:                                                          <unknown> / 100',
        '  "hits" on Ingress/main (target value):                                  <unknown> / 2k',
        '  "queue" (target average value):                                         <unknown> / 30',
        'Min replicas:                                                             <unset>',
        'Max replicas:                                                             5',
        'Behavior:',
        '  Scale Down:',
        '    Stabilization Window: 60 seconds',
        '    Select Policy: Max',
        '    Policies:',
        '      - Type: Pods  Value: 1  Period: 30 seconds',
        // a line without a tab ends the tabwriter's column block (Go's text/tabwriter)
        'StatefulSet pods:   3 current / 4 desired',
        'Events:             <none>',
      ),
    );
  });
});

describe('describe pv, storageclass, priorityclass', () => {
  test('a local PersistentVolume with node affinity, as describePersistentVolume writes it', () => {
    const pv: KObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'local-1', finalizers: ['kubernetes.io/pv-protection'] },
      spec: {
        capacity: { storage: '10Gi' },
        accessModes: ['ReadOnlyMany', 'ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: 'local',
        volumeMode: 'Filesystem',
        claimRef: { namespace: 'shop', name: 'data' },
        local: { path: '/mnt/disks/ssd1' },
        nodeAffinity: {
          required: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  { key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1', 'node-2'] },
                  { key: 'disk', operator: 'Exists' },
                ],
              },
            ],
          },
        },
      },
      status: { phase: 'Bound' },
    };
    expect(describeObject(pv, contextWith([pv]))).toBe(
      lines(
        'Name:              local-1',
        'Labels:            <none>',
        'Annotations:       <none>',
        'Finalizers:        [kubernetes.io/pv-protection]',
        'StorageClass:      local',
        'Status:            Bound',
        'Claim:             shop/data',
        'Reclaim Policy:    Retain',
        'Access Modes:      RWO,ROX',
        'VolumeMode:        Filesystem',
        'Capacity:          10Gi',
        'Node Affinity:     ',
        '  Required Terms:  ',
        '    Term 0:        kubernetes.io/hostname in [node-1, node-2]',
        '                   disk exists',
        'Message:           ',
        'Source:',
        '    Type:  LocalVolume (a persistent volume backed by local storage on a node)',
        '    Path:  /mnt/disks/ssd1',
        'Events:    <none>',
      ),
    );
  });

  test('the default StorageClass and a PriorityClass', () => {
    const sc: KObject = {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'fast', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'rancher.io/local-path',
      parameters: { type: 'ssd' },
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    };
    expect(describeObject(sc, contextWith([sc]))).toBe(
      lines(
        'Name:                  fast',
        'IsDefaultClass:        Yes',
        'Annotations:           storageclass.kubernetes.io/is-default-class=true',
        'Provisioner:           rancher.io/local-path',
        'Parameters:            type=ssd',
        'AllowVolumeExpansion:  True',
        'MountOptions:          <none>',
        'ReclaimPolicy:         Delete',
        'VolumeBindingMode:     WaitForFirstConsumer',
        'Events:                <none>',
      ),
    );
    const pc: KObject = {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: 'high' },
      value: 1000,
      globalDefault: false,
      preemptionPolicy: 'Never',
      description: 'batch that may wait',
    };
    expect(describeObject(pc, contextWith([pc]))).toBe(
      lines(
        'Name:              high',
        'Value:             1000',
        'GlobalDefault:     false',
        'PreemptionPolicy:  Never',
        'Description:       batch that may wait',
        'Annotations:       <none>',
        'Events:            <none>',
      ),
    );
  });
});
