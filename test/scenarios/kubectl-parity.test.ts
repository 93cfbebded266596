import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

// Issue #19 "kubectl parity": controller, kubelet and scheduler behaviours as a v1.32 cluster shows them.

type Cluster = Awaited<ReturnType<typeof manualCluster>>;

function deployment(
  name: string,
  replicas: number,
  image: string,
  strategy = '\n  strategy:\n    rollingUpdate: {maxSurge: 3, maxUnavailable: 2}',
): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}${strategy}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: nginx
        image: ${image}
`;
}

/** `get rs` as [image, DESIRED] rows, newest ReplicaSet first. */
async function replicaSets(c: Cluster): Promise<[string, number][]> {
  const items = JSON.parse((await c.run('get', 'rs', '-o', 'json')).stdout).items;
  return items
    .sort(
      (a: { metadata: { annotations: Record<string, string> } }, b: { metadata: { annotations: Record<string, string> } }) =>
        Number(b.metadata.annotations['deployment.kubernetes.io/revision']) -
        Number(a.metadata.annotations['deployment.kubernetes.io/revision']),
    )
    .map((r: { spec: { replicas: number; template: { spec: { containers: { image: string }[] } } } }) => [
      r.spec.template.spec.containers[0].image,
      r.spec.replicas,
    ]);
}

describe('proportional scaling of a Deployment in the middle of a rollout', () => {
  it('spreads a scale-up and a scale-down over the old and new ReplicaSets (the docs example: 10 → 15 gives 3 old, 2 new)', async () => {
    const c = await manualCluster();
    c.file('d.yaml', deployment('nginx-deployment', 10, 'nginx:1.14.2'));
    await c.run('apply', '-f', 'd.yaml');
    await c.run('rollout', 'status', 'deployment/nginx-deployment');
    await c.run('set', 'image', 'deployment/nginx-deployment', 'nginx=nginx:doesnotexist');
    await c.run('clock', 'advance', '30s');
    // the rollout is stuck: 13 pods at most (maxSurge 3), 8 of the old ones available (maxUnavailable 2)
    expect(await replicaSets(c)).toEqual([
      ['nginx:doesnotexist', 5],
      ['nginx:1.14.2', 8],
    ]);
    expect((await c.run('scale', 'deployment/nginx-deployment', '--replicas=15')).stdout).toBe('deployment.apps/nginx-deployment scaled\n');
    expect(await replicaSets(c)).toEqual([
      ['nginx:doesnotexist', 7],
      ['nginx:1.14.2', 11],
    ]);
    const events = (await c.run('events', '--for', 'deployment/nginx-deployment')).stdout;
    expect(events).toMatch(/Scaled up replica set nginx-deployment-\w+ from 8 to 11\n/);
    expect(events).toMatch(/Scaled up replica set nginx-deployment-\w+ from 5 to 7\n/);
    // no further rollout step: 18 pods is maxSurge over 15, and the new ones are not available
    await c.run('clock', 'advance', '1m');
    expect(await replicaSets(c)).toEqual([
      ['nginx:doesnotexist', 7],
      ['nginx:1.14.2', 11],
    ]);
    const yaml = (await c.run('get', 'rs', '-o', 'yaml')).stdout;
    expect(yaml.match(/deployment\.kubernetes\.io\/desired-replicas: "15"/g)).toHaveLength(2);
    expect(yaml.match(/deployment\.kubernetes\.io\/max-replicas: "18"/g)).toHaveLength(2);

    // down to 5 (max 8): 11*8/18 → 5 old, 7*8/18 → 3 new; then the rollout may go on, as
    // 5 available old pods are 2 over the new minimum of 3: old 5 → 3, new 3 → 5
    await c.run('scale', 'deployment/nginx-deployment', '--replicas=5');
    const after = (await c.run('events', '--for', 'deployment/nginx-deployment')).stdout.split('\n').slice(-5).join('\n');
    expect(after).toMatch(
      /Scaled down replica set nginx-deployment-\w+ from 11 to 5\n.*Scaled down replica set nginx-deployment-\w+ from 7 to 3\n.*Scaled down replica set nginx-deployment-\w+ from 5 to 3\n.*Scaled up replica set nginx-deployment-\w+ from 3 to 5\n$/,
    );
    expect(await replicaSets(c)).toEqual([
      ['nginx:doesnotexist', 5],
      ['nginx:1.14.2', 3],
    ]);
  });

  it('scales a paused rollout proportionally too, and resuming finishes it', async () => {
    const c = await manualCluster();
    c.file('d.yaml', deployment('web', 4, 'nginx:1.27', '\n  strategy:\n    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}'));
    await c.run('apply', '-f', 'd.yaml');
    await c.run('rollout', 'status', 'deployment/web');
    await c.run('set', 'image', 'deployment/web', 'nginx=nginx:1.28');
    await c.run('rollout', 'pause', 'deployment/web');
    await c.run('clock', 'advance', '30s');
    const before = await replicaSets(c);
    expect(before.reduce((n, [, r]) => n + r, 0)).toBe(5);
    const [[, newBefore], [, oldBefore]] = before;
    expect(newBefore).toBeGreaterThan(0);
    expect(oldBefore).toBeGreaterThan(0);
    await c.run('scale', 'deployment/web', '--replicas=8');
    // 9 = 8 + maxSurge 1 (25% of 8 rounded up would be 2, but maxSurge is an int here)
    const after = await replicaSets(c);
    expect(after.reduce((n, [, r]) => n + r, 0)).toBe(9);
    expect(after[0][1]).toBeGreaterThan(newBefore);
    expect(after[1][1]).toBeGreaterThan(oldBefore);
    await c.run('rollout', 'resume', 'deployment/web');
    expect((await c.run('rollout', 'status', 'deployment/web')).stdout).toMatch(/successfully rolled out\n$/);
    expect(await replicaSets(c)).toEqual([
      ['nginx:1.28', 8],
      ['nginx:1.27', 0],
    ]);
  });
});

describe('NoExecute taints and tolerationSeconds (taint-eviction controller)', () => {
  const pods = `apiVersion: v1
kind: Pod
metadata: {name: minute}
spec:
  nodeName: node-1
  tolerations: [{key: maint, operator: Exists, effect: NoExecute, tolerationSeconds: 60}]
  containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: forever}
spec:
  nodeName: node-1
  tolerations: [{key: maint, operator: Exists, effect: NoExecute}]
  containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: plain}
spec:
  nodeName: node-1
  containers: [{name: c, image: nginx}]
`;
  const status = async (c: Cluster) =>
    Object.fromEntries(
      (await c.run('get', 'pods', '--no-headers')).stdout
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/))
        .map((f) => [f[0], f[2]]),
    );

  it('evicts a pod tolerationSeconds after the taint was added, one that does not tolerate it at once, and keeps one that tolerates it forever', async () => {
    const c = await manualCluster();
    c.file('pods.yaml', pods);
    await c.run('apply', '-f', 'pods.yaml');
    await c.run('clock', 'advance', '10s');
    expect((await c.run('taint', 'nodes', 'node-1', 'maint=yes:NoExecute')).stdout).toBe('node/node-1 tainted\n');
    expect(await status(c)).toEqual({ forever: 'Running', minute: 'Running', plain: 'Terminating' });
    await c.run('clock', 'advance', '59s');
    expect(await status(c)).toEqual({ forever: 'Running', minute: 'Running' });
    await c.run('clock', 'advance', '1s');
    expect(await status(c)).toEqual({ forever: 'Running', minute: 'Terminating' });
    const events = (await c.run('events')).stdout;
    expect(events).toMatch(/\n60s\s+Normal\s+TaintManagerEviction\s+Pod\/plain\s+Marking for deletion Pod default\/plain\n/);
    expect(events).toMatch(/\n0s\s+Normal\s+TaintManagerEviction\s+Pod\/minute\s+Marking for deletion Pod default\/minute\n/);
    const minute = JSON.parse((await c.run('get', 'pod', 'minute', '-o', 'json')).stdout);
    expect(minute.status.conditions.find((x: { type: string }) => x.type === 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: 'DeletionByTaintManager',
      message: 'Taint manager: deleting due to NoExecute taint',
    });
    await c.run('clock', 'advance', '1h');
    expect(await status(c)).toEqual({ forever: 'Running' });
  });

  it('removing the taint cancels the scheduled deletion; tainting again starts a new tolerationSeconds', async () => {
    const c = await manualCluster();
    c.file('pods.yaml', pods.split('---')[0]);
    await c.run('apply', '-f', 'pods.yaml');
    await c.run('taint', 'nodes', 'node-1', 'maint=yes:NoExecute');
    await c.run('clock', 'advance', '40s');
    await c.run('taint', 'nodes', 'node-1', 'maint:NoExecute-');
    expect((await c.run('events', '--for', 'pod/minute')).stdout).toMatch(
      /TaintManagerEviction\s+Pod\/minute\s+Cancelling deletion of Pod default\/minute\n$/,
    );
    await c.run('clock', 'advance', '40s');
    await c.run('taint', 'nodes', 'node-1', 'maint=again:NoExecute');
    await c.run('clock', 'advance', '59s');
    expect(await status(c)).toEqual({ minute: 'Running' });
    await c.run('clock', 'advance', '1s');
    expect(await status(c)).toEqual({ minute: 'Terminating' });
  });

  it("a failed node's pods go 300s after the unreachable taint's timeAdded (the default toleration), not later", async () => {
    const c = await manualCluster();
    c.file('pods.yaml', pods.split('---')[2]);
    await c.run('apply', '-f', 'pods.yaml');
    await c.run('clock', 'advance', '10s');
    await c.run('node', 'fail', 'node-1');
    await c.run('clock', 'advance', '50s');
    const node = JSON.parse((await c.run('get', 'node', 'node-1', '-o', 'json')).stdout);
    expect(node.spec.taints[0]).toEqual({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2025-01-01T00:01:00Z' });
    await c.run('clock', 'advance', '299s');
    expect(await status(c)).toEqual({ plain: 'Running' });
    await c.run('clock', 'advance', '1s');
    expect(await status(c)).toEqual({ plain: 'Terminating' });
  });
});

describe("the kubelet's admission of pods bound with spec.nodeName", () => {
  const pinned = (name: string, requests: string, extra = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  nodeName: node-1${extra}
  containers: [{name: c, image: nginx, resources: {requests: {${requests}}}}]
---
`;

  it('fails a pod that does not fit the allocatable with OutOfcpu and the kubelet message; the pods admitted before it run', async () => {
    const c = await manualCluster();
    c.file('pods.yaml', pinned('big-a', 'cpu: "3"') + pinned('big-b', 'cpu: "3"') + pinned('small', 'cpu: 500m'));
    await c.run('apply', '-f', 'pods.yaml');
    await c.run('clock', 'advance', '10s');
    const pods = (await c.run('get', 'pods')).stdout;
    expect(pods).toMatch(/\nbig-a\s+1\/1\s+Running\s+0\s+10s\n/);
    expect(pods).toMatch(/\nbig-b\s+0\/1\s+OutOfcpu\s+0\s+10s\n/);
    expect(pods).toMatch(/\nsmall\s+1\/1\s+Running\s+0\s+10s\n/);
    const describe = (await c.run('describe', 'pod', 'big-b')).stdout;
    expect(describe).toContain('Status:           Failed\nReason:           OutOfcpu\n');
    expect(describe).toContain(
      "Message:          Pod was rejected: Node didn't have enough resource: cpu, requested: 3000, used: 3000, capacity: 4000\n",
    );
    expect(describe).toMatch(
      /Warning\s+OutOfcpu\s+10s\s+kubelet\s+Node didn't have enough resource: cpu, requested: 3000, used: 3000, capacity: 4000\n/,
    );
  });

  it('counts memory in bytes (OutOfmemory) and the pod count (OutOfpods)', async () => {
    const c = await manualCluster(['--pods', '2', '--memory', '4Gi']);
    c.file(
      'pods.yaml',
      pinned('fat', 'memory: 3Gi') + pinned('fatter', 'memory: 2Gi') + pinned('one', 'cpu: 10m') + pinned('two', 'cpu: 10m'),
    );
    await c.run('apply', '-f', 'pods.yaml');
    const status = (name: string) => c.run('get', 'pod', name, '-o', 'jsonpath={.status.reason}|{.status.message}');
    expect((await status('fat')).stdout).toBe('|');
    expect((await status('fatter')).stdout).toBe(
      `OutOfmemory|Pod was rejected: Node didn't have enough resource: memory, requested: 2147483648, used: 3221225472, capacity: 4294967296`,
    );
    expect((await status('one')).stdout).toBe('|');
    expect((await status('two')).stdout).toBe(
      "OutOfpods|Pod was rejected: Node didn't have enough resource: pods, requested: 1, used: 2, capacity: 2",
    );
  });

  it('rejects a pod whose nodeSelector the node does not match (NodeAffinity); scheduled pods are placed where they fit', async () => {
    const c = await manualCluster();
    c.file('pods.yaml', pinned('picky', 'cpu: 10m', '\n  nodeSelector: {disk: ssd}'));
    await c.run('apply', '-f', 'pods.yaml');
    expect((await c.run('get', 'pod', 'picky', '-o', 'jsonpath={.status.reason}|{.status.message}')).stdout).toBe(
      "NodeAffinity|Pod was rejected: Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector",
    );
    c.file(
      'd.yaml',
      deployment('web', 4, 'nginx', '\n  strategy: {}').replace('image: nginx', 'image: nginx\n        resources: {requests: {cpu: "3"}}'),
    );
    await c.run('apply', '-f', 'd.yaml');
    await c.run('clock', 'advance', '10s');
    const web = (await c.run('get', 'pods', '-l', 'app=web', '--no-headers')).stdout.trim().split('\n');
    expect(web.filter((l) => /Running/.test(l))).toHaveLength(3);
    expect(web.filter((l) => /Pending/.test(l))).toHaveLength(1);
    expect(web.some((l) => /OutOf/.test(l))).toBe(false);
  });
});

describe('pods with schedulingGates', () => {
  it('show SchedulingGated (PodScheduled=False) until every gate is removed, then get scheduled; gates cannot be added', async () => {
    const c = await manualCluster();
    c.file(
      'gated.yaml',
      `apiVersion: v1
kind: Pod
metadata: {name: gated}
spec:
  schedulingGates: [{name: example.com/foo}, {name: example.com/bar}]
  containers: [{name: c, image: nginx}]
`,
    );
    await c.run('apply', '-f', 'gated.yaml');
    await c.run('clock', 'advance', '1m');
    expect((await c.run('get', 'pods')).stdout).toBe(
      'NAME    READY   STATUS            RESTARTS   AGE\ngated   0/1     SchedulingGated   0          60s\n',
    );
    expect(JSON.parse((await c.run('get', 'pod', 'gated', '-o', 'jsonpath={.status.conditions}')).stdout)).toEqual([
      {
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime: null,
        reason: 'SchedulingGated',
        message: 'Scheduling is blocked due to non-empty scheduling gates',
      },
    ]);
    expect((await c.run('describe', 'pod', 'gated')).stdout).toMatch(
      /Status:\s+Pending\n[\s\S]*PodScheduled\s+False \n[\s\S]*Events:\s+<none>\n/,
    );
    expect(
      await c.run('patch', 'pod', 'gated', '--type=json', '-p', '[{"op":"add","path":"/spec/schedulingGates/-","value":{"name":"x"}}]'),
    ).toMatchObject({
      code: 1,
      stderr: `The Pod "gated" is invalid: spec.schedulingGates[2].name: Forbidden: only deletion is allowed, but found new scheduling gate 'x'\n`,
    });
    await c.run('patch', 'pod', 'gated', '--type=json', '-p', '[{"op":"remove","path":"/spec/schedulingGates/0"}]');
    await c.run('clock', 'advance', '10s');
    expect((await c.run('get', 'pods', '--no-headers')).stdout).toMatch(/^gated\s+0\/1\s+SchedulingGated\s/);
    await c.run('patch', 'pod', 'gated', '--type=json', '-p', '[{"op":"remove","path":"/spec/schedulingGates"}]');
    await c.run('clock', 'advance', '10s');
    expect((await c.run('get', 'pods', '--no-headers')).stdout).toMatch(/^gated\s+1\/1\s+Running\s/);
    expect((await c.run('get', 'pod', 'gated', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].status}')).stdout).toBe(
      'True',
    );
    expect((await c.run('events', '--for', 'pod/gated')).stdout).toMatch(
      /Normal\s+Scheduled\s+Pod\/gated\s+Successfully assigned default\/gated to node-\d/,
    );
  });
});

describe('kubectl apply with retainKeys fields and a volume without a source', () => {
  it('switches a Deployment from RollingUpdate to Recreate, and a sourceless volume is an emptyDir', async () => {
    const c = await manualCluster();
    const manifest = (strategy: string, volume: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2${strategy}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      volumes: [${volume}]
      containers: [{name: c, image: nginx, volumeMounts: [{name: data, mountPath: /data}]}]
`;
    c.file('d.yaml', manifest('', '{name: data}'));
    await c.run('apply', '-f', 'd.yaml');
    const get = async (path: string) => (await c.run('get', 'deploy', 'web', '-o', `jsonpath={${path}}`)).stdout;
    expect(await get('.spec.strategy')).toBe('{"rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"},"type":"RollingUpdate"}');
    expect(await get('.spec.template.spec.volumes')).toBe('[{"emptyDir":{},"name":"data"}]');
    c.file('d.yaml', manifest('\n  strategy: {type: Recreate}', '{name: data, configMap: {name: cm, optional: true}}'));
    expect(await c.run('apply', '-f', 'd.yaml')).toEqual({ code: 0, stdout: 'deployment.apps/web configured\n', stderr: '' });
    expect(await get('.spec.strategy')).toBe('{"type":"Recreate"}');
    expect(await get('.spec.template.spec.volumes')).toBe('[{"configMap":{"defaultMode":420,"name":"cm","optional":true},"name":"data"}]');
    expect(
      await c.run('patch', 'deploy', 'web', '-p', '{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":{"maxSurge":1}}}}'),
    ).toMatchObject({ code: 1, stderr: 'Error from server (BadRequest): invalid patch format of retainKeys\n' });
  });
});
