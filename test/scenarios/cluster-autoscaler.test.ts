import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';
import { deploymentYaml } from '../support/manifests';
import type { TrafficReport } from '../../src/sim/traffic';

type Cluster = Awaited<ReturnType<typeof manualCluster>>;

/** A 500m-request web Deployment behind a Service: four fit on a 2-CPU node. */
const WEB = `${deploymentYaml({ replicas: 2, resources: '{requests: {cpu: 500m, memory: 256Mi}, limits: {cpu: "1"}}' })}---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
`;

function deployment(name: string, replicas: number, cpu: string, extra = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: ${name}
        image: nginx:1.27
        resources: {requests: {cpu: ${cpu}, memory: 128Mi}}
${extra}`;
}

/** One 2-CPU node and a `workers` group of 2-CPU nodes that take 90 s to provision. */
async function smallClusterWithGroup(max = 5): Promise<Cluster> {
  const c = await manualCluster(['--nodes', '1', '--cpu', '2', '--memory', '8Gi']);
  expect(
    (await c.run('nodegroup', 'create', 'workers', '--max', String(max), '--cpu', '2', '--memory', '8Gi', '--provision-seconds', '90'))
      .code,
  ).toBe(0);
  return c;
}

const nodeNames = async (c: Cluster) => (await c.run('get', 'nodes', '-o', 'name')).stdout.trim().split('\n');
const podNodes = async (c: Cluster, selector: string) =>
  (await c.run('get', 'pods', '-l', selector, '-o', 'jsonpath={range .items[*]}{.spec.nodeName}{"\\n"}{end}')).stdout.trim().split('\n');

describe('cluster autoscaler scale-up', () => {
  it('adds nodes when a traffic spike makes the HPA add pods that do not fit, and the pods start once the nodes are provisioned', async () => {
    const c = await smallClusterWithGroup();
    await c.run('apply', '-f', c.file('web.yaml', WEB));
    await c.run('autoscale', 'deployment/web', '--min', '2', '--max', '10', '--cpu-percent', '50');
    await c.run('clock', 'advance', '60s');
    const r = await c.run(
      'traffic',
      'run',
      '--service',
      'web',
      '--rps',
      '50',
      '--spike',
      '4000@30s-900s',
      '--duration',
      '4m',
      '-o',
      'json',
    );
    expect(r.code).toBe(0);
    const ticks = (JSON.parse(r.stdout) as TrafficReport).ticks;
    // 4 pods fill node-1; the HPA goes 2 → 4 → 8 → 10, the rest wait for nodes
    expect(Math.max(...ticks.map((t) => t.pods_total))).toBe(10);
    const pendingFor = ticks.filter((t) => t.pods_total > t.pods_ready).length;
    expect(pendingFor).toBeGreaterThan(20);
    // the first new node registers 90 s after the first scale-up, then its pods start
    const firstExtra = ticks.find((t) => t.pods_ready > 4)!;
    const firstPending = ticks.find((t) => t.pods_total > 4)!;
    expect(firstExtra.t - firstPending.t).toBeGreaterThanOrEqual(90);
    expect(ticks[ticks.length - 1]).toMatchObject({ pods_total: 10, pods_ready: 10 });

    expect(await nodeNames(c)).toEqual(['node/node-1', 'node/workers-1', 'node/workers-2']);
    expect((await c.run('get', 'nodegroups')).stdout).toMatch(/^workers\s+0\s+5\s+2\s+2\s+2\s+8Gi\s/m);
    expect((await c.run('get', 'nodes', '-l', 'autoscaling.kubesim.io/nodegroup=workers', '-o', 'name')).stdout).toBe(
      'node/workers-1\nnode/workers-2\n',
    );
    const events = (await c.run('events')).stdout;
    expect(events).toMatch(
      /Normal\s+ScaledUpGroup\s+NodeGroup\/workers\s+Scale-up: setting group workers size to 1 instead of 0 \(max: 5\)/,
    );
    expect(events).toMatch(
      /Normal\s+ScaledUpGroup\s+NodeGroup\/workers\s+Scale-up: setting group workers size to 2 instead of 1 \(max: 5\)/,
    );
    expect(events).toMatch(/Normal\s+TriggeredScaleUp\s+Pod\/web-\S+\s+pod triggered scale-up: \[\{workers 0->1 \(max: 5\)\}\]/);
    expect(events).toMatch(/Normal\s+RegisteredNode\s+Node\/workers-1\s+Node workers-1 event: Registered Node workers-1 in Controller/);
  });

  it('sizes one scale-up to the pods waiting, counts nodes already on their way, and does not go past max', async () => {
    const c = await smallClusterWithGroup(2);
    await c.run('apply', '-f', c.file('batch.yaml', deployment('batch', 10, '900m')));
    // node-1 takes 2; 8 wait; each new node takes 2, so 4 would be needed but max is 2
    expect((await c.run('get', 'nodegroup', 'workers', '-o', 'jsonpath={.status.targetSize}')).stdout).toBe('2');
    const events = (await c.run('events')).stdout;
    expect(events.match(/TriggeredScaleUp/g)).toHaveLength(4);
    expect(events).toMatch(/pod triggered scale-up: \[\{workers 0->2 \(max: 2\)\}\]/);
    await c.run('clock', 'advance', '89s');
    expect(await nodeNames(c)).toEqual(['node/node-1']);
    await c.run('clock', 'advance', '1s');
    expect(await nodeNames(c)).toEqual(['node/node-1', 'node/workers-1', 'node/workers-2']);
    await c.run('clock', 'advance', '10s');
    expect((await c.run('get', 'deploy', 'batch')).stdout).toMatch(/^batch\s+6\/10\s/m);
    expect((await c.run('get', 'nodegroups', '--no-headers')).stdout).toMatch(/^workers\s+0\s+2\s+2\s+2\s/);
  });

  it('does not scale up for a pod that no group node could hold', async () => {
    const c = await smallClusterWithGroup();
    await c.run('apply', '-f', c.file('huge.yaml', deployment('huge', 1, '3')));
    await c.run('clock', 'advance', '5m');
    expect(await nodeNames(c)).toEqual(['node/node-1']);
    expect((await c.run('get', 'nodegroup', 'workers', '-o', 'jsonpath={.status.targetSize}')).stdout).toBe('0');
    expect((await c.run('events')).stdout).not.toMatch(/TriggeredScaleUp/);
  });

  it('grows a group to its minimum size after the provision delay', async () => {
    const c = await manualCluster(['--nodes', '1']);
    await c.run('nodegroup', 'create', 'base', '--min', '2', '--max', '4', '--provision-seconds', '30');
    expect((await c.run('get', 'nodegroups')).stdout).toMatch(/^base\s+2\s+4\s+2\s+0\s/m);
    await c.run('clock', 'advance', '30s');
    expect(await nodeNames(c)).toEqual(['node/base-1', 'node/base-2', 'node/node-1']);
    expect((await c.run('get', 'nodegroups')).stdout).toMatch(/^base\s+2\s+4\s+2\s+2\s/m);
    // empty, but at the minimum: never scaled down
    await c.run('clock', 'advance', '30m');
    expect(await nodeNames(c)).toEqual(['node/base-1', 'node/base-2', 'node/node-1']);
  });

  it('reports an unknown node group like any missing object, and leaves nodes of unknown groups alone', async () => {
    const c = await smallClusterWithGroup();
    expect(await c.run('get', 'nodegroup', 'nope')).toMatchObject({
      code: 1,
      stderr: 'Error from server (NotFound): nodegroups.autoscaling.kubesim.io "nope" not found\n',
    });
    expect(await c.run('delete', 'nodegroup', 'nope')).toMatchObject({
      code: 1,
      stderr: 'Error from server (NotFound): nodegroups.autoscaling.kubesim.io "nope" not found\n',
    });
    expect(await c.run('nodegroup', 'create', 'workers', '--max', '3')).toMatchObject({
      code: 1,
      stderr: 'Error from server (AlreadyExists): nodegroups.autoscaling.kubesim.io "workers" already exists\n',
    });
    await c.run('label', 'node', 'node-1', 'autoscaling.kubesim.io/nodegroup=ghost');
    await c.run('clock', 'advance', '30m');
    expect(await nodeNames(c)).toEqual(['node/node-1']);
  });
});

describe('cluster autoscaler scale-down', () => {
  /**
   * node-1 runs web (3 × 500m) and one api pod (400m); the second api pod triggers a
   * scale-up and lands on workers-1. Scaling web to 2 leaves room for it on node-1, so
   * workers-1 (20% requested) becomes unneeded.
   */
  async function underusedWorker(pdb: string): Promise<Cluster> {
    const c = await smallClusterWithGroup();
    await c.run('apply', '-f', c.file('web.yaml', deployment('web', 3, '500m')));
    await c.run('apply', '-f', c.file('api.yaml', deployment('api', 2, '400m')));
    await c.run(
      'apply',
      '-f',
      c.file(
        'pdb.yaml',
        `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: api}\nspec:\n  ${pdb}\n  selector: {matchLabels: {app: api}}\n`,
      ),
    );
    await c.run('clock', 'advance', '2m');
    expect(await podNodes(c, 'app=api')).toEqual(['node-1', 'workers-1']);
    await c.run('scale', 'deployment/web', '--replicas', '2');
    await c.run('clock', 'advance', '10s');
    return c;
  }

  it('removes a node that is underutilised for 10 minutes: taint, cordon, evict through the PDB, delete', async () => {
    const c = await underusedWorker('maxUnavailable: 1');
    // unneeded once the third web pod has stopped (the kubelet gives it a terminal phase just
    // before it is removed at 00:02:01, so the second shows 00:02:00); the 10 m delay after the
    // scale-up at 00:00 passes first
    await c.run('clock', 'advance', '9m50s');
    expect(await nodeNames(c)).toContain('node/workers-1');
    expect(
      (await c.run('get', 'node', 'workers-1', '-o', 'jsonpath={.metadata.annotations.autoscaling\\.kubesim\\.io/unneeded-since}')).stdout,
    ).toBe('2025-01-01T00:02:00Z');
    await c.run('clock', 'advance', '10s');
    // eviction (shutdown takes its grace), then the node goes
    await c.run('clock', 'advance', '1m');
    expect(await nodeNames(c)).toEqual(['node/node-1']);
    expect(await podNodes(c, 'app=api')).toEqual(['node-1', 'node-1']);
    const events = (await c.run('events')).stdout;
    expect(events).toMatch(/Normal\s+ScaleDown\s+Node\/workers-1\s+marked the node as toBeDeleted\/unschedulable/);
    expect(events).toMatch(/Normal\s+ScaleDown\s+Pod\/api-\S+\s+deleting pod for node scale down/);
    expect(events).toMatch(/Normal\s+ScaleDown\s+Node\/workers-1\s+node removed by cluster autoscaler/);
    expect(events).toMatch(
      /Normal\s+ScaleDown\s+NodeGroup\/workers\s+Scale-down: removing node workers-1, utilization: cpu 20%, memory 2%, pods to reschedule: default\/api-\S+/,
    );
    expect((await c.run('get', 'nodegroups', '--no-headers')).stdout).toMatch(/^workers\s+0\s+5\s+0\s+0\s/);
  });

  it('keeps an underutilised node while a PDB allows no disruption, and removes it 10 minutes after the PDB allows one', async () => {
    const c = await underusedWorker('minAvailable: 2');
    await c.run('clock', 'advance', '30m');
    expect(await nodeNames(c)).toEqual(['node/node-1', 'node/workers-1']);
    expect((await c.run('events')).stdout).not.toMatch(/ScaleDown/);
    await c.run(
      'apply',
      '-f',
      c.file(
        'pdb.yaml',
        'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: api}\nspec:\n  minAvailable: 1\n  selector: {matchLabels: {app: api}}\n',
      ),
    );
    await c.run('clock', 'advance', '9m');
    expect(await nodeNames(c)).toEqual(['node/node-1', 'node/workers-1']);
    await c.run('clock', 'advance', '2m');
    expect(await nodeNames(c)).toEqual(['node/node-1']);
    expect((await c.run('get', 'deploy', 'api')).stdout).toMatch(/^api\s+2\/2\s/m);
  });

  it('never removes a node running a pod without a controller', async () => {
    const c = await smallClusterWithGroup();
    await c.run('apply', '-f', c.file('web.yaml', deployment('web', 4, '500m')));
    await c.run(
      'apply',
      '-f',
      c.file(
        'lonely.yaml',
        'apiVersion: v1\nkind: Pod\nmetadata: {name: lonely, labels: {run: lonely}}\nspec:\n  containers:\n  - {name: lonely, image: "nginx:1.27", resources: {requests: {cpu: 100m}}}\n',
      ),
    );
    await c.run('clock', 'advance', '2m');
    expect(await podNodes(c, 'run=lonely')).toEqual(['workers-1']);
    await c.run('scale', 'deployment/web', '--replicas', '1');
    await c.run('clock', 'advance', '30m');
    expect(await nodeNames(c)).toEqual(['node/node-1', 'node/workers-1']);
  });
});
