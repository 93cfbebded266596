import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

const ds = (extra = '', image = 'agent:1.0', strategy = '') => `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
${strategy}  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: ${image}}]
${extra}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type KObjectLike = { revision: number; metadata: { name: string; labels: Record<string, string>; ownerReferences: any[] }; data: any };

const podsOf = async (c: Awaited<ReturnType<typeof manualCluster>>, label: string) =>
  JSON.parse((await c.run('get', 'pods', '-l', label, '-o', 'json')).stdout).items as {
    metadata: { name: string; labels: Record<string, string> };
    spec: { nodeName: string; tolerations: unknown[] };
  }[];

describe('DaemonSet', () => {
  it('runs one pod per node with the DaemonSet tolerations and shows kubectl columns', async () => {
    const c = await manualCluster();
    c.file('ds.yaml', ds());
    expect((await c.run('apply', '-f', 'ds.yaml')).stdout).toBe('daemonset.apps/agent created\n');
    await c.run('clock', 'advance', '10s');
    const pods = await podsOf(c, 'app=agent');
    expect(pods.map((p) => p.spec.nodeName).sort()).toEqual(['node-1', 'node-2', 'node-3']);
    expect(pods[0].spec.tolerations).toContainEqual({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' });
    expect(pods[0].spec.tolerations).toContainEqual({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' });
    const d = (await c.run('describe', 'ds', 'agent')).stdout;
    expect(d).toContain('Desired Number of Nodes Scheduled:               3\n');
    expect(d).toContain('Pods Status:                                     3 Running / 0 Waiting / 0 Succeeded / 0 Failed\n');
    expect(d).toContain('Pod Template:\n');
    expect((await c.run('get', 'ds')).stdout).toBe(
      'NAME    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE\nagent   3         3         3       3            3           <none>          10s\n',
    );
  });

  it('follows nodeSelector and taints, and a new node gets a pod', async () => {
    const c = await manualCluster();
    await c.run('label', 'node', 'node-2', 'disk=ssd');
    await c.run('label', 'node', 'node-3', 'disk=ssd');
    await c.run('taint', 'node', 'node-3', 'dedicated=gpu:NoSchedule');
    c.file('ds.yaml', ds('      nodeSelector: {disk: ssd}\n'));
    await c.run('apply', '-f', 'ds.yaml');
    await c.run('clock', 'advance', '5s');
    expect((await podsOf(c, 'app=agent')).map((p) => p.spec.nodeName)).toEqual(['node-2']);
    c.file('node.yaml', 'apiVersion: v1\nkind: Node\nmetadata: {name: node-4, labels: {disk: ssd}}\n');
    await c.run('apply', '-f', 'node.yaml');
    await c.run('clock', 'advance', '5s');
    expect((await podsOf(c, 'app=agent')).map((p) => p.spec.nodeName).sort()).toEqual(['node-2', 'node-4']);
  });

  it('rolls a new template out one node at a time (maxUnavailable 1)', async () => {
    const c = await manualCluster();
    c.file('ds.yaml', ds());
    await c.run('apply', '-f', 'ds.yaml');
    await c.run('clock', 'advance', '10s');
    c.file('ds2.yaml', ds('', 'agent:2.0'));
    await c.run('apply', '-f', 'ds2.yaml');
    const during = await podsOf(c, 'app=agent');
    const terminating = JSON.parse((await c.run('get', 'pods', '-o', 'json')).stdout).items.filter(
      (p: { metadata: { deletionTimestamp?: string } }) => p.metadata.deletionTimestamp,
    );
    // one old pod goes; its node gets a new-template pod while it terminates
    expect(terminating.length).toBe(1);
    expect(during.length).toBe(4);
    await c.run('clock', 'advance', '60s');
    const after = await podsOf(c, 'app=agent');
    expect(after.length).toBe(3);
    const images = JSON.parse((await c.run('get', 'pods', '-o', 'json')).stdout).items.map(
      (p: { spec: { containers: { image: string }[] } }) => p.spec.containers[0].image,
    );
    expect(images).toEqual(['agent:2.0', 'agent:2.0', 'agent:2.0']);
    expect((await c.run('get', 'ds')).stdout).toContain('agent   3         3         3       3            3');
  });

  it('leaves old pods alone with OnDelete until they are deleted', async () => {
    const c = await manualCluster();
    c.file('ds.yaml', ds('', 'agent:1.0', '  updateStrategy: {type: OnDelete}\n'));
    await c.run('apply', '-f', 'ds.yaml');
    await c.run('clock', 'advance', '10s');
    c.file('ds2.yaml', ds('', 'agent:2.0', '  updateStrategy: {type: OnDelete}\n'));
    await c.run('apply', '-f', 'ds2.yaml');
    await c.run('clock', 'advance', '60s');
    expect((await c.run('get', 'ds')).stdout).toContain('agent   3         3         3       0            3');
  });

  it('rejects an invalid update strategy', async () => {
    const c = await manualCluster();
    c.file('ds.yaml', ds('', 'agent:1.0', '  updateStrategy: {type: Sometimes}\n'));
    const r = await c.run('apply', '-f', 'ds.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('spec.updateStrategy.type: Unsupported value: "Sometimes": supported values: "OnDelete", "RollingUpdate"');
  });
});

const sts = (replicas: number, opts: { image?: string; policy?: string; partition?: number } = {}) => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  replicas: ${replicas}
  serviceName: web
  podManagementPolicy: ${opts.policy ?? 'OrderedReady'}
  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: ${opts.partition ?? 0}}}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: ${opts.image ?? 'nginx:1.27'}}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`;

describe('rollout status', () => {
  it('follows a StatefulSet as kubectl does (partition 0 by default) and a DaemonSet', async () => {
    const c = await manualCluster();
    c.file('sts.yaml', sts(3));
    await c.run('apply', '-f', 'sts.yaml');
    expect(await c.run('rollout', 'status', 'statefulset/web')).toEqual({
      code: 0,
      stdout:
        'Waiting for 3 pods to be ready...\nWaiting for 2 pods to be ready...\nWaiting for 1 pods to be ready...\npartitioned roll out complete: 3 new pods have been updated...\n',
      stderr: '',
    });
    c.file('ds.yaml', ds());
    await c.run('apply', '-f', 'ds.yaml');
    await c.run('clock', 'advance', '10s');
    c.file('ds2.yaml', ds('', 'agent:2.0'));
    await c.run('apply', '-f', 'ds2.yaml');
    const r = await c.run('rollout', 'status', 'ds/agent');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Waiting for daemon set "agent" rollout to finish: 1 out of 3 new pods have been updated...');
    expect(r.stdout).toMatch(
      /Waiting for daemon set "agent" rollout to finish: 2 of 3 updated pods are available...\ndaemon set "agent" successfully rolled out\n$/,
    );
    c.file('ds3.yaml', ds('', 'agent:3.0', '  updateStrategy: {type: OnDelete}\n'));
    await c.run('apply', '-f', 'ds3.yaml');
    expect(await c.run('rollout', 'status', 'ds/agent')).toMatchObject({
      code: 1,
      stderr: 'error: rollout status is only available for RollingUpdate strategy type\n',
    });
  });
});

describe('ControllerRevisions', () => {
  it('record each template of a StatefulSet; rollout history and undo use them, renumbering the one rolled back to', async () => {
    const c = await manualCluster();
    c.file('sts.yaml', sts(2));
    await c.run('apply', '-f', 'sts.yaml');
    await c.run('rollout', 'status', 'sts/web');
    c.file('sts2.yaml', sts(2, { image: 'nginx:1.28' }));
    await c.run('apply', '-f', 'sts2.yaml');
    await c.run('rollout', 'status', 'sts/web');
    const revisions = () => c.run('get', 'controllerrevisions');
    const rows = (await revisions()).stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^NAME +CONTROLLER +REVISION +AGE$/);
    expect(
      rows
        .slice(1)
        .map((r) => r.split(/\s+/).slice(1, 3).join(' '))
        .sort(),
    ).toEqual(['statefulset.apps/web 1', 'statefulset.apps/web 2']);
    const first = JSON.parse((await c.run('get', 'controllerrevisions', '-o', 'json')).stdout).items.find(
      (r: KObjectLike) => r.revision === 1,
    );
    expect(first.metadata.name).toMatch(/^web-[0-9a-z]+$/);
    expect(first.metadata.ownerReferences[0]).toMatchObject({
      kind: 'StatefulSet',
      name: 'web',
      controller: true,
      blockOwnerDeletion: true,
    });
    expect(first.metadata.labels['controller.kubernetes.io/hash']).toBe(first.metadata.name.slice('web-'.length));
    expect(first.data.spec.template.$patch).toBe('replace');
    expect(first.data.spec.template.spec.containers[0].image).toBe('nginx:1.27');
    expect((await c.run('rollout', 'history', 'statefulset/web')).stdout).toBe(
      'statefulset.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n',
    );
    expect((await c.run('rollout', 'history', 'sts/web', '--revision=1')).stdout).toMatch(
      /^statefulset\.apps\/web with revision #1\nPod Template:\n[\s\S]*Image: +nginx:1\.27\n/,
    );
    expect(await c.run('rollout', 'undo', 'sts/web')).toEqual({ code: 0, stdout: 'statefulset.apps/web rolled back\n', stderr: '' });
    await c.run('rollout', 'status', 'sts/web');
    expect(JSON.parse((await c.run('get', 'pod', 'web-1', '-o', 'json')).stdout).spec.containers[0].image).toBe('nginx:1.27');
    // the revision rolled back to is the newest now: 2, 3
    expect((await c.run('rollout', 'history', 'sts/web')).stdout).toBe(
      'statefulset.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n',
    );
    expect((await c.run('rollout', 'undo', 'sts/web', '--to-revision=3')).stdout).toBe(
      'statefulset.apps/web skipped rollback (current template already matches revision 3)\n',
    );
    expect(await c.run('rollout', 'undo', 'sts/web', '--to-revision=9')).toMatchObject({
      code: 1,
      stderr: 'error: unable to find specified revision 9 in history\n',
    });
    // they go with their StatefulSet
    await c.run('delete', 'sts', 'web');
    expect((await revisions()).stderr).toBe('No resources found in default namespace.\n');
  });

  it("record a DaemonSet's templates, keep revisionHistoryLimit unused ones, and undo needs an earlier one", async () => {
    const c = await manualCluster();
    c.file('ds.yaml', ds('', 'agent:1.0', '  revisionHistoryLimit: 1\n'));
    await c.run('apply', '-f', 'ds.yaml');
    expect(await c.run('rollout', 'undo', 'ds/agent')).toMatchObject({ code: 1, stderr: 'error: no last revision to roll back to\n' });
    for (const image of ['agent:2.0', 'agent:3.0']) {
      c.file('ds.yaml', ds('', image, '  revisionHistoryLimit: 1\n'));
      await c.run('apply', '-f', 'ds.yaml');
      await c.run('rollout', 'status', 'ds/agent');
    }
    const items = JSON.parse((await c.run('get', 'controllerrevisions', '-o', 'json')).stdout).items as KObjectLike[];
    // revision 1 went: one unused revision is kept besides the one in use
    expect(items.map((r) => r.revision).sort()).toEqual([2, 3]);
    expect(items.find((r) => r.revision === 3)!.metadata.labels['controller-revision-hash']).toMatch(/^[0-9a-z]+$/);
    expect((await c.run('rollout', 'undo', 'daemonset/agent')).stdout).toBe('daemonset.apps/agent rolled back\n');
    expect(JSON.parse((await c.run('get', 'ds', 'agent', '-o', 'json')).stdout).spec.template.spec.containers[0].image).toBe('agent:2.0');
  });
});

describe('StatefulSet', () => {
  it('creates ordinal pods in order with stable hostnames and claims', async () => {
    const c = await manualCluster();
    c.file('sts.yaml', sts(3));
    await c.run('apply', '-f', 'sts.yaml');
    // OrderedReady: only web-0 until it is Running and Ready
    expect(
      JSON.parse((await c.run('get', 'pods', '-o', 'json')).stdout).items.map((p: { metadata: { name: string } }) => p.metadata.name),
    ).toEqual(['web-0']);
    const pod = JSON.parse((await c.run('get', 'pod', 'web-0', '-o', 'json')).stdout);
    expect(pod.spec.hostname).toBe('web-0');
    expect(pod.spec.subdomain).toBe('web');
    expect(pod.metadata.labels['statefulset.kubernetes.io/pod-name']).toBe('web-0');
    expect(pod.metadata.labels['apps.kubernetes.io/pod-index']).toBe('0');
    expect(pod.spec.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'data-web-0' } });
    expect((await c.run('get', 'pvc', '-o', 'name')).stdout).toBe('persistentvolumeclaim/data-web-0\n');
    expect((await c.run('get', 'events')).stdout).toContain('create Claim data-web-0 Pod web-0 in StatefulSet web success');
    const d = (await c.run('describe', 'sts', 'web')).stdout;
    expect(d).toContain('Replicas:           3 desired | 1 total\n');
    expect(d).toMatch(/Volume Claims:\n {2}Name: +data\n/);
    expect(d).toContain('Access Modes:  [ReadWriteOnce]');
  });

  it('rejects an unknown podManagementPolicy', async () => {
    const c = await manualCluster();
    c.file('sts.yaml', sts(1, { policy: 'Whenever' }));
    const r = await c.run('apply', '-f', 'sts.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('spec.podManagementPolicy: Unsupported value: "Whenever": supported values: "OrderedReady", "Parallel"');
  });

  it('creates all pods at once with Parallel', async () => {
    const c = await manualCluster();
    c.file('sts.yaml', sts(3, { policy: 'Parallel' }));
    await c.run('apply', '-f', 'sts.yaml');
    expect(
      JSON.parse((await c.run('get', 'pods', '-o', 'json')).stdout).items.map((p: { metadata: { name: string } }) => p.metadata.name),
    ).toEqual(['web-0', 'web-1', 'web-2']);
    expect((await c.run('get', 'sts')).stdout).toBe('NAME   READY   AGE\nweb    0/3     0s\n');
  });

  it('orders creation and scale-down, rolls updates from the top down to the partition, and keeps claims', async () => {
    const c = await manualCluster();
    const names = async () =>
      JSON.parse((await c.run('get', 'pods', '-o', 'json')).stdout).items.map((p: { metadata: { name: string } }) => p.metadata.name);
    const wait = (seconds: string) => c.run('clock', 'advance', seconds);
    c.file('sts.yaml', sts(3));
    await c.run('apply', '-f', 'sts.yaml');
    expect(await names()).toEqual(['web-0']);
    // OrderedReady: web-1 only once web-0 is Ready (image pull 1 s + startup 2 s)
    await wait('2s');
    expect(await names()).toEqual(['web-0']);
    await wait('1s');
    expect(await names()).toEqual(['web-0', 'web-1']);
    await wait('27s');
    expect((await c.run('get', 'sts')).stdout).toBe('NAME   READY   AGE\nweb    3/3     30s\n');

    c.file('sts2.yaml', sts(3, { image: 'nginx:1.28', partition: 1 }));
    await c.run('apply', '-f', 'sts2.yaml');
    const terminating = async () =>
      JSON.parse((await c.run('get', 'pods', '-o', 'json')).stdout)
        .items.filter((p: { metadata: { deletionTimestamp?: string } }) => p.metadata.deletionTimestamp)
        .map((p: { metadata: { name: string } }) => p.metadata.name);
    expect(await terminating()).toEqual(['web-2']);
    await wait('60s');
    const images = JSON.parse((await c.run('get', 'pods', '-o', 'json')).stdout).items.map(
      (p: { metadata: { name: string }; spec: { containers: { image: string }[] } }) => `${p.metadata.name}=${p.spec.containers[0].image}`,
    );
    // the partition keeps web-0 on the old revision
    expect(images).toEqual(['web-0=nginx:1.27', 'web-1=nginx:1.28', 'web-2=nginx:1.28']);

    c.file('sts3.yaml', sts(1, { image: 'nginx:1.28', partition: 1 }));
    await c.run('apply', '-f', 'sts3.yaml');
    expect(await terminating()).toEqual(['web-2']);
    await wait('30s');
    expect(await names()).toEqual(['web-0']);
    expect((await c.run('get', 'pvc', '-o', 'name')).stdout).toBe(
      'persistentvolumeclaim/data-web-0\npersistentvolumeclaim/data-web-1\npersistentvolumeclaim/data-web-2\n',
    );
    await c.run('delete', 'sts', 'web');
    await c.run('clock', 'advance', '30s');
    expect((await c.run('get', 'pvc', '-o', 'name')).stdout.split('\n').filter(Boolean).length).toBe(3);
  });
});
