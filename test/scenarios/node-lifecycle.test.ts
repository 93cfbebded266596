import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

const pinned = (name: string, node: string, extra = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {app: web}}
spec: {nodeName: ${node}, containers: [{name: app, image: nginx:1.27}]${extra}}
---
`;

describe('node fail and recover', () => {
  it('marks a failed node NotReady after 50s, taints it and its pods go Ready=False', async () => {
    const c = await manualCluster();
    c.file('pods.yaml', pinned('a', 'node-1'));
    await c.run('apply', '-f', 'pods.yaml');
    await c.run('clock', 'advance', '10s');
    expect((await c.run('node', 'fail', 'node-1')).stdout).toBe('node/node-1 failed\n');
    await c.run('clock', 'advance', '49s');
    expect((await c.run('get', 'nodes', 'node-1')).stdout).toContain('node-1   Ready');
    await c.run('clock', 'advance', '1s');
    expect((await c.run('get', 'nodes', 'node-1')).stdout).toContain('node-1   NotReady');
    const node = JSON.parse((await c.run('get', 'node', 'node-1', '-o', 'json')).stdout);
    expect(node.status.conditions.find((x: { type: string }) => x.type === 'Ready')).toMatchObject({
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
    });
    expect(node.spec.taints.map((t: { key: string; effect: string }) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/unreachable:NoSchedule',
    ]);
    // as in kube, only the pod's Ready condition changes: containers still say ready (READY 1/1)
    const pod = JSON.parse((await c.run('get', 'pod', 'a', '-o', 'json')).stdout);
    expect(pod.status.conditions.find((x: { type: string }) => x.type === 'Ready').status).toBe('False');
    const events = (await c.run('get', 'events')).stdout;
    expect(events).toContain('Normal    NodeNotReady');
    expect(events).toContain('Node node-1 status is now: NodeNotReady');
    expect(events).toContain('Node is not ready');
  });

  it('evicts pods after the default 300s toleration and the ReplicaSet replaces them', async () => {
    const c = await manualCluster();
    c.file(
      'rs.yaml',
      pinned('web-a', 'node-1') +
        `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: nginx:1.27}]}
`,
    );
    await c.run('apply', '-f', 'rs.yaml');
    await c.run('clock', 'advance', '10s');
    await c.run('node', 'fail', 'node-1');
    await c.run('clock', 'advance', '50s');
    await c.run('clock', 'advance', '299s');
    expect((await c.run('get', 'pods')).stdout).toBe(
      'NAME    READY   STATUS    RESTARTS   AGE\nweb-a   1/1     Running   0          5m59s\n',
    );
    await c.run('clock', 'advance', '1s');
    const pods = (await c.run('get', 'pods')).stdout;
    expect(pods).toMatch(/^web-a +1\/1 +Terminating/m);
    expect(pods.split('\n').filter((l) => l.startsWith('web-')).length).toBe(2);
    expect((await c.run('get', 'events')).stdout).toContain('Marking for deletion Pod default/web-a');
    // the kubelet is gone, so the pod stays Terminating until the node comes back
    expect((await c.run('node', 'recover', 'node-1')).stdout).toBe('node/node-1 recovered\n');
    await c.run('clock', 'advance', '5s');
    expect((await c.run('get', 'pods', 'web-a')).stderr).toBe('Error from server (NotFound): pods "web-a" not found\n');
    const node = JSON.parse((await c.run('get', 'node', 'node-1', '-o', 'json')).stdout);
    expect(node.spec.taints).toBeUndefined();
    expect((await c.run('get', 'nodes', 'node-1')).stdout).toContain('node-1   Ready');
  });

  it('keeps pods that tolerate the unreachable taint while it evicts the others on the node', async () => {
    const c = await manualCluster();
    c.file(
      'pods.yaml',
      pinned('tough', 'node-1', ', tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute}]') +
        pinned('plain', 'node-1'),
    );
    await c.run('apply', '-f', 'pods.yaml');
    await c.run('clock', 'advance', '10s');
    await c.run('node', 'fail', 'node-1');
    await c.run('clock', 'advance', '1h');
    // the pod without the toleration shows the eviction happened; the tolerating one is untouched
    expect((await c.run('get', 'pods')).stdout).toBe(
      'NAME    READY   STATUS        RESTARTS   AGE\nplain   1/1     Terminating   0          60m\ntough   1/1     Running       0          60m\n',
    );
    const tough = JSON.parse((await c.run('get', 'pod', 'tough', '-o', 'json')).stdout);
    expect(tough.metadata.deletionTimestamp).toBeUndefined();
  });

  it('fails on an unknown node', async () => {
    const c = await manualCluster();
    expect(await c.run('node', 'fail', 'node-7')).toMatchObject({
      code: 1,
      stderr: 'Error from server (NotFound): nodes "node-7" not found\n',
    });
  });

  it("replaces a failed node's pods on other nodes after 50s + 300s; StatefulSet pod web-1 keeps its name and claim", async () => {
    const c = await manualCluster();
    c.file(
      'app.yaml',
      `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  replicas: 3
  serviceName: web
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: app, image: nginx:1.27}]}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`,
    );
    await c.run('apply', '-f', 'app.yaml');
    await c.run('clock', 'advance', '30s');
    const before = JSON.parse((await c.run('get', 'pod', 'web-1', '-o', 'json')).stdout);
    const failed = before.spec.nodeName as string;
    expect(failed).toBeTruthy();
    await c.run('node', 'fail', failed);
    await c.run('clock', 'advance', '350s');
    // kube leaves a StatefulSet pod on an unreachable node Terminating (at-most-one semantics)
    expect((await c.run('get', 'pod', 'web-1')).stdout).toMatch(/Terminating/);
    await c.run('delete', 'pod', 'web-1', '--force', '--grace-period=0');
    await c.run('clock', 'advance', '30s');
    const after = JSON.parse((await c.run('get', 'pod', 'web-1', '-o', 'json')).stdout);
    expect(after.spec.nodeName).not.toBe(failed);
    expect(after.spec.volumes.find((v: { name: string }) => v.name === 'data').persistentVolumeClaim.claimName).toBe('data-web-1');
    expect((await c.run('get', 'pvc', 'data-web-1')).code).toBe(0);
  });
});
