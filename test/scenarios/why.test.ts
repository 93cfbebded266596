import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

type Cluster = Awaited<ReturnType<typeof manualCluster>>;

/** Five nodes: node-3 tainted, node-5 cordoned; a 3-replica web Deployment. */
async function cluster(extra: string[] = []): Promise<Cluster> {
  const c = await manualCluster(['--nodes', '5', ...extra]);
  expect((await c.run('taint', 'node', 'node-3', 'dedicated=gpu:NoSchedule')).code).toBe(0);
  expect((await c.run('cordon', 'node-5')).code).toBe(0);
  expect((await c.run('create', 'deployment', 'web', '--image', 'nginx', '--replicas', '3')).code).toBe(0);
  return c;
}

async function podNames(c: Cluster, selector: string): Promise<string[]> {
  const r = await c.run('get', 'pods', '-l', selector, '-o', 'jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName}{"\\n"}{end}');
  return r.stdout.split('\n').filter(Boolean);
}

describe('kubesim why', () => {
  it("explains a bound pod: the node it is on, each plugin's score, the nodes filtered out by reason", async () => {
    const c = await cluster();
    const [line] = await podNames(c, 'app=web');
    const [name, node] = line.split(' ');
    const r = await c.run('why', `pod/${name}`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(
      new RegExp(`^Pod default/${name}: scheduled to node-\\d by default-scheduler \\(evaluated against the cluster as it is now`),
    );
    expect(lines).toContain('Scores of the top 3 of 3 feasible node(s) (normalized × weight; * chosen):');
    expect(r.stdout).toMatch(/^PLUGIN +WEIGHT +node-\d\* +node-\d +node-\d$/m);
    expect(r.stdout).toMatch(/^TaintToleration +3 +300 +300 +300$/m);
    expect(r.stdout).toMatch(/^TOTAL +\d+ +\d+ +\d+$/m);
    expect(r.stdout).toContain('Filtered out: 2 of 5 node(s) evaluated (5 in the cluster):\n');
    expect(r.stdout).toContain('  1 node(s) had untolerated taint {dedicated: gpu} (TaintToleration): node-3\n');
    expect(r.stdout).toContain('  1 node(s) were unschedulable (NodeUnschedulable): node-5\n');
    // re-evaluated without the pod, the best node is where the other two replicas are not
    expect(node).toMatch(/^node-[124]$/);
  });

  it("explains a Pending pod with the FailedScheduling message and each node's rejection", async () => {
    const c = await cluster();
    c.file(
      'big.yaml',
      `apiVersion: v1
kind: Pod
metadata: {name: big}
spec:
  containers: [{name: c, image: nginx, resources: {requests: {cpu: "50"}}}]
`,
    );
    expect((await c.run('apply', '-f', 'big.yaml')).code).toBe(0);
    const event = await c.run(
      'get',
      'events',
      '--field-selector',
      'involvedObject.name=big,reason=FailedScheduling',
      '-o',
      'jsonpath={.items[0].message}',
    );
    const r = await c.run('why', 'big');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(
      'Pod default/big: no node fits for default-scheduler (evaluated against the cluster as it is now; `cluster create --record-scheduling` keeps each decision as it was made)',
    );
    // the same reasons as FailedScheduling, without the preemption part why does not try
    expect(event.stdout.startsWith(lines[1])).toBe(true);
    expect(lines[1]).toBe(
      '0/5 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable, 3 Insufficient cpu.',
    );
    expect(r.stdout).toContain('  3 Insufficient cpu (NodeResourcesFit): node-1, node-2, node-4\n');
  });

  it("-o json gives the explanation in kube-scheduler-simulator's shape", async () => {
    const c = await cluster();
    const [line] = await podNames(c, 'app=web');
    const r = await c.run('why', line.split(' ')[0], '-o', 'json');
    const x = JSON.parse(r.stdout);
    expect(x.source).toBe('now');
    expect(x.schedulerName).toBe('default-scheduler');
    expect(x.weights).toEqual({
      TaintToleration: 3,
      NodeAffinity: 2,
      NodeResourcesFit: 1,
      PodTopologySpread: 2,
      InterPodAffinity: 2,
      NodeResourcesBalancedAllocation: 1,
      ImageLocality: 1,
    });
    expect(x.explanation.filter['node-5']).toEqual({ NodeUnschedulable: 'node(s) were unschedulable' });
    expect(x.explanation.filter['node-1'].NodeUnschedulable).toBe('passed');
    expect(Object.keys(x.explanation.finalScore).sort()).toEqual(['node-1', 'node-2', 'node-4']);
    expect(x.explanation.selectedNode).toMatch(/^node-[124]$/);
  });

  it("cluster create --record-scheduling writes each attempt on the pod under the simulator's annotation keys", async () => {
    const c = await cluster(['--record-scheduling']);
    for (const line of await podNames(c, 'app=web')) {
      const [name, node] = line.split(' ');
      const pod = JSON.parse((await c.run('get', 'pod', name, '-o', 'json')).stdout);
      const a = pod.metadata.annotations;
      expect(a['kube-scheduler-simulator.sigs.k8s.io/selected-node']).toBe(node);
      // kept compact on the pod, served as the simulator's annotations only
      expect(a['sim.kubesim.io/scheduling-record']).toBeUndefined();
      const filter = JSON.parse(a['kube-scheduler-simulator.sigs.k8s.io/filter-result']);
      expect(filter['node-3'].TaintToleration).toBe('node(s) had untolerated taint {dedicated: gpu}');
      const final = JSON.parse(a['kube-scheduler-simulator.sigs.k8s.io/finalscore-result']);
      const total = (n: string) => Object.values(final[n] as Record<string, string>).reduce((s, v) => s + Number(v), 0);
      // the chosen node has the highest total
      for (const other of Object.keys(final)) expect(total(node)).toBeGreaterThanOrEqual(total(other));
      expect(JSON.parse(a['kube-scheduler-simulator.sigs.k8s.io/score-result'])[node]).toBeDefined();
      const why = await c.run('why', name);
      expect(why.stdout.split('\n')[0]).toBe(
        `Pod default/${name}: scheduled to ${node} by default-scheduler (recorded when it was scheduled)`,
      );
    }
  });

  it('a recorded attempt and the same attempt evaluated now give the same explanation', async () => {
    const big =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: big}\nspec:\n  containers: [{name: c, image: nginx, resources: {requests: {cpu: "50"}}}]\n';
    const explained: unknown[] = [];
    for (const extra of [['--record-scheduling'], []]) {
      const c = await cluster(extra);
      c.file('big.yaml', big);
      expect((await c.run('apply', '-f', 'big.yaml')).code).toBe(0);
      explained.push(JSON.parse((await c.run('why', 'big', '-o', 'json')).stdout).explanation);
    }
    expect(explained[0]).toEqual(explained[1]);
    expect(Object.keys((explained[0] as { filter: object }).filter)).toHaveLength(5);
  });

  it('without --record-scheduling no annotation is written', async () => {
    const c = await cluster();
    const r = await c.run('get', 'pods', '-o', 'jsonpath={.items[*].metadata.annotations}');
    expect(r.stdout).not.toContain('kube-scheduler-simulator');
  });

  it('refuses what it cannot explain', async () => {
    const c = await cluster();
    const missing = await c.run('why', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
    const kind = await c.run('why', 'deployment/web');
    expect(kind.code).toBe(1);
    expect(kind.stderr).toBe('error: why explains pods, not deployment\n');
    c.file(
      'orphan.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: orphan}\nspec:\n  schedulerName: other\n  containers: [{name: c, image: nginx}]\n',
    );
    await c.run('apply', '-f', 'orphan.yaml');
    const other = await c.run('why', 'orphan');
    expect(other.stderr).toBe('error: no scheduler profile is named "other": the pod waits for a scheduler kubesim does not run\n');
  });
});
