import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';
import { pinnedWebPodYaml, webReplicaSetWithPdbYaml } from '../support/manifests';

/** Three pods of ReplicaSet `web`, one per node (adopted bare pods pinned with nodeName), and a PDB. */
function webOnThreeNodes(pdb: string, extraPods = ''): string {
  return (
    pinnedWebPodYaml('web-a', 'node-1') +
    pinnedWebPodYaml('web-b', 'node-2') +
    pinnedWebPodYaml('web-c', 'node-3') +
    extraPods +
    webReplicaSetWithPdbYaml(pdb)
  );
}

async function cluster(manifest: string) {
  const c = await manualCluster();
  c.file('app.yaml', manifest);
  const r = await c.run('apply', '-f', 'app.yaml');
  expect(r.stderr).toBe('');
  await c.run('clock', 'advance', '10s');
  return c;
}

describe('PodDisruptionBudget', () => {
  it('reports expected, desired and current healthy pods and the disruptions allowed', async () => {
    const c = await cluster(webOnThreeNodes('minAvailable: 2'));
    const r = await c.run('get', 'pdb');
    expect(r.stdout).toBe(
      'NAME   MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\nweb    2               N/A               1                     10s\n',
    );
    const status = JSON.parse((await c.run('get', 'pdb', 'web', '-o', 'json')).stdout).status;
    expect(status).toMatchObject({ currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3, observedGeneration: 1 });
    expect(status.conditions[0]).toMatchObject({ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods' });
  });

  it('describes a budget the way kubectl does', async () => {
    const c = await cluster(webOnThreeNodes('minAvailable: 2'));
    const d = (await c.run('describe', 'pdb', 'web')).stdout;
    // kubectl writes `Events:  <none>` into the same tabwriter block as the status lines
    expect(d).toBe(
      'Name:           web\nNamespace:      default\nMin available:  2\nSelector:       app=web\nStatus:\n    Allowed disruptions:  1\n    Current:              3\n    Desired:              2\n    Total:                3\nEvents:                   <none>\n',
    );
  });

  it('rounds a maxUnavailable percentage up against the controller scale', async () => {
    const c = await cluster(webOnThreeNodes('maxUnavailable: "50%"'));
    const status = JSON.parse((await c.run('get', 'pdb', 'web', '-o', 'json')).stdout).status;
    // 50% of 3 rounds up to 2 unavailable: desired 1, allowed 2
    expect(status).toMatchObject({ expectedPods: 3, desiredHealthy: 1, disruptionsAllowed: 2 });
  });

  it('rejects a budget that sets both minAvailable and maxUnavailable', async () => {
    const c = await manualCluster();
    c.file(
      'pdb.yaml',
      'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: bad}\nspec: {minAvailable: 1, maxUnavailable: 1, selector: {matchLabels: {app: web}}}\n',
    );
    const r = await c.run('apply', '-f', 'pdb.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('minAvailable and maxUnavailable cannot be both set');
    expect((await c.run('get', 'pdb')).stderr).toBe('No resources found in default namespace.\n');
  });
});

describe('create poddisruptionbudget and create quota', () => {
  it('make the objects kubectl makes, and drain honours the budget', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3');
    await c.run('clock', 'advance', '10s');
    expect(await c.run('create', 'pdb', 'web', '--selector=app=web', '--min-available=3')).toEqual({
      code: 0,
      stdout: 'poddisruptionbudget.policy/web created\n',
      stderr: '',
    });
    expect((await c.run('get', 'pdb', 'web')).stdout).toMatch(/^web +3 +N\/A +0 +0s$/m);
    const node = JSON.parse((await c.run('get', 'pods', '-o', 'json')).stdout).items[0].spec.nodeName;
    const drain = await c.run('drain', node, '--timeout=20s');
    expect(drain.code).toBe(1);
    expect(drain.stderr).toMatch(/Cannot evict pod as it would violate the pod's disruption budget/);
    expect(await c.run('create', 'quota', 'small', '--hard=pods=4,cpu=1000m,memory=1024Mi', '--scopes=NotTerminating')).toEqual({
      code: 0,
      stdout: 'resourcequota/small created\n',
      stderr: '',
    });
    const quota = JSON.parse((await c.run('get', 'quota', 'small', '-o', 'json')).stdout);
    expect(quota.spec).toEqual({ hard: { cpu: '1', memory: '1Gi', pods: '4' }, scopes: ['NotTerminating'] });
    expect((await c.run('describe', 'quota', 'small')).stdout).toMatch(/pods +3 +4/);
  });

  it('refuse what kubectl refuses, with its words', async () => {
    const c = await manualCluster();
    const refused = async (...args: string[]) => (await c.run('create', ...args)).stderr;
    expect(await refused('pdb', 'x', '--min-available=1')).toBe('error: a selector must be specified\n');
    expect(await refused('pdb', 'x', '--selector=a=b')).toBe('error: one of min-available or max-unavailable must be specified\n');
    expect(await refused('pdb', 'x', '--selector=a=b', '--min-available=1', '--max-unavailable=1')).toBe(
      'error: min-available and max-unavailable cannot be both specified\n',
    );
    expect(await refused('pdb', 'x', '--selector=a=b', '--max-unavailable=10Gb')).toBe(
      'error: invalid format specified for max-unavailable\n',
    );
    expect(await refused('pdb', 'x', '--selector=a!=b', '--min-available=1')).toBe('error: "!=" is not a valid label selector operator\n');
    expect(await refused('quota', 'q', '--hard=cpu')).toBe('error: Invalid argument syntax cpu, expected <resource>=<value>\n');
    expect(await refused('quota', 'q', '--hard=cpu=lots')).toBe(
      "error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n",
    );
    expect((await c.run('get', 'pdb,quota')).stderr).toBe('No resources found in default namespace.\n');
  });

  it("print kubectl's manifests with --dry-run=client -o yaml", async () => {
    const c = await manualCluster();
    expect(
      (
        await c.run(
          'create',
          'pdb',
          'x',
          '--selector=a,!b,c notin (z,y),d=e',
          '--max-unavailable=25%',
          '-n',
          'shop',
          '--dry-run=client',
          '-o',
          'yaml',
        )
      ).stdout,
    ).toBe(`apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  creationTimestamp: null
  name: x
  namespace: shop
spec:
  maxUnavailable: 25%
  selector:
    matchExpressions:
    - key: a
      operator: Exists
    - key: b
      operator: DoesNotExist
    - key: c
      operator: NotIn
      values:
      - "y"
      - z
    matchLabels:
      d: e
status:
  currentHealthy: 0
  desiredHealthy: 0
  disruptionsAllowed: 0
  expectedPods: 0
`);
    expect((await c.run('create', 'quota', 'q', '--hard=requests.storage=0.5Gi,pods=2', '--dry-run=client', '-o', 'yaml')).stdout)
      .toBe(`apiVersion: v1
kind: ResourceQuota
metadata:
  creationTimestamp: null
  name: q
spec:
  hard:
    pods: "2"
    requests.storage: 512Mi
status: {}
`);
  });
});

describe('evict', () => {
  it('evicts a pod while the budget allows it and refuses with 429 when it does not', async () => {
    const c = await cluster(webOnThreeNodes('minAvailable: 2'));
    const first = await c.run('evict', 'web-a');
    expect(first).toMatchObject({ code: 0, stdout: 'pod/web-a evicted\n', stderr: '' });
    const second = await c.run('evict', 'web-b');
    expect(second.code).toBe(1);
    expect(second.stderr).toBe("Error from server (TooManyRequests): Cannot evict pod as it would violate the pod's disruption budget.\n");
    const pod = JSON.parse((await c.run('get', 'pod', 'web-b', '-o', 'json')).stdout);
    expect(pod.metadata.deletionTimestamp).toBeUndefined();
  });

  it('refuses a pod that more than one budget selects', async () => {
    const c = await cluster(webOnThreeNodes('minAvailable: 1'));
    c.file(
      'pdb2.yaml',
      'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web2}\nspec: {maxUnavailable: 1, selector: {matchLabels: {app: web}}}\n',
    );
    await c.run('apply', '-f', 'pdb2.yaml');
    const r = await c.run('evict', 'web-a');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'Error from server (InternalError): This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.\n',
    );
  });
});

describe('cordon and uncordon', () => {
  it('cordons and uncordons a node with kubectl output and taints', async () => {
    const c = await manualCluster();
    expect((await c.run('cordon', 'node-1')).stdout).toBe('node/node-1 cordoned\n');
    expect((await c.run('cordon', 'node-1')).stdout).toBe('node/node-1 already cordoned\n');
    const nodes = (await c.run('get', 'nodes')).stdout;
    expect(nodes).toContain('node-1   Ready,SchedulingDisabled');
    const node = JSON.parse((await c.run('get', 'node', 'node-1', '-o', 'json')).stdout);
    expect(node.spec.taints).toEqual([{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]);
    expect((await c.run('uncordon', 'node-1')).stdout).toBe('node/node-1 uncordoned\n');
    expect((await c.run('uncordon', 'node-1')).stdout).toBe('node/node-1 already uncordoned\n');
  });

  it('writes nothing on --dry-run=client and fails on an unknown node', async () => {
    const c = await manualCluster();
    expect((await c.run('cordon', 'node-2', '--dry-run=client')).stdout).toBe('node/node-2 cordoned (dry run)\n');
    expect((await c.run('get', 'nodes', 'node-2')).stdout).not.toContain('SchedulingDisabled');
    const r = await c.run('cordon', 'node-9');
    expect(r).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): nodes "node-9" not found\n' });
  });
});

describe('drain', () => {
  it('drains a node whose pod the budget lets go, one eviction, never below minAvailable', async () => {
    const c = await cluster(webOnThreeNodes('minAvailable: 2'));
    const r = await c.run('drain', 'node-1');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('node/node-1 cordoned\nevicting pod default/web-a\npod/web-a evicted\nnode/node-1 drained\n');
    expect(r.code).toBe(0);
    const pods = JSON.parse((await c.run('get', 'pods', '-o', 'json')).stdout).items;
    const ready = pods.filter((p: { status: { conditions?: { type: string; status: string }[] } }) =>
      p.status.conditions?.some((x) => x.type === 'Ready' && x.status === 'True'),
    );
    expect(ready.length).toBeGreaterThanOrEqual(2);
    expect(pods.some((p: { spec: { nodeName?: string } }) => p.spec.nodeName === 'node-1')).toBe(false);
  });

  it('retries a budget-blocked eviction every 5s and times out naming the pods still there', async () => {
    const c = await cluster(webOnThreeNodes('minAvailable: 3'));
    const r = await c.run('drain', 'node-1', '--timeout', '30s');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('node/node-1 cordoned\n' + 'evicting pod default/web-a\n'.repeat(7));
    const retry = `error when evicting pods/"web-a" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.\n`;
    const timeout = 'error when evicting pods/"web-a" -n "default": global timeout reached: 30s';
    expect(r.stderr).toBe(
      retry.repeat(6) +
        `There are pending pods in node "node-1" when an error occurred: ${timeout}\n` +
        'pod/web-a\n' +
        `error: unable to drain node "node-1" due to error: ${timeout}, continuing command...\n` +
        'There are pending nodes to be drained:\n node-1\n' +
        `error: ${timeout}\n`,
    );
    const get = await c.run('get', 'pods');
    expect(get.stdout).toBe(
      'NAME    READY   STATUS    RESTARTS   AGE\nweb-a   1/1     Running   0          40s\nweb-b   1/1     Running   0          40s\nweb-c   1/1     Running   0          40s\n',
    );
    // the cordon stays, as with kubectl
    expect((await c.run('get', 'nodes', 'node-1')).stdout).toContain('SchedulingDisabled');
  });

  it('refuses a node with a bare pod, evicting nothing, unless --force', async () => {
    const bare =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: lonely}\nspec: {nodeName: node-1, containers: [{name: app, image: nginx:1.27}]}\n---\n';
    const c = await cluster(webOnThreeNodes('minAvailable: 2', bare));
    const r = await c.run('drain', 'node-1');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('node/node-1 cordoned\n');
    const reason = 'cannot delete Pods that declare no controller (use --force to override): default/lonely';
    expect(r.stderr).toBe(
      `error: unable to drain node "node-1" due to error: ${reason}, continuing command...\nThere are pending nodes to be drained:\n node-1\nerror: ${reason}\n`,
    );
    // both rows there and still Running (not.toContain('Terminating') alone would pass on an empty stdout)
    const rows = (await c.run('get', 'pods', 'lonely', 'web-a')).stdout;
    expect(rows).toMatch(/^lonely +1\/1 +Running /m);
    expect(rows).toMatch(/^web-a +1\/1 +Running /m);
    const forced = await c.run('drain', 'node-1', '--force');
    expect(forced.code).toBe(0);
    expect(forced.stderr).toBe('Warning: deleting Pods that declare no controller: default/lonely\n');
    expect(forced.stdout).toBe(
      'node/node-1 already cordoned\nevicting pod default/lonely\nevicting pod default/web-a\npod/lonely evicted\npod/web-a evicted\nnode/node-1 drained\n',
    );
  });

  it('refuses DaemonSet pods unless --ignore-daemonsets, which leaves them running', async () => {
    const ds = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: kube-system}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: agent, image: agent:1.0}]}
---
`;
    const c = await cluster(webOnThreeNodes('minAvailable: 2', ds));
    const agent = JSON.parse((await c.run('get', 'pods', '-n', 'kube-system', '-o', 'json')).stdout).items.find(
      (p: { spec: { nodeName: string } }) => p.spec.nodeName === 'node-1',
    );
    const name = `kube-system/${agent.metadata.name}`;
    const refused = await c.run('drain', 'node-1');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `error: unable to drain node "node-1" due to error: cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): ${name}, continuing command...\n`,
    );
    const ok = await c.run('drain', 'node-1', '--ignore-daemonsets');
    expect(ok.code).toBe(0);
    expect(ok.stderr).toBe(`Warning: ignoring DaemonSet-managed Pods: ${name}\n`);
    expect(ok.stdout).toContain('pod/web-a evicted\nnode/node-1 drained\n');
    expect((await c.run('get', 'pods', '-n', 'kube-system', agent.metadata.name)).stdout).toContain('Running');
  });

  it('refuses pods with emptyDir unless --delete-emptydir-data', async () => {
    const scratch =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: scratch, labels: {app: web}}\nspec: {nodeName: node-1, volumes: [{name: tmp, emptyDir: {}}], containers: [{name: app, image: nginx:1.27}]}\n---\n';
    const c = await cluster(webOnThreeNodes('maxUnavailable: 3', scratch));
    const r = await c.run('drain', 'node-1', '--force');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratch');
    const ok = await c.run('drain', 'node-1', '--force', '--delete-emptydir-data');
    expect(ok.code).toBe(0);
  });

  it('prints the evictions without making them on --dry-run=client', async () => {
    const c = await cluster(webOnThreeNodes('minAvailable: 2'));
    const r = await c.run('drain', 'node-1', '--dry-run=client');
    expect(r.stdout).toBe('node/node-1 cordoned (dry run)\nevicting pod default/web-a (dry run)\nnode/node-1 drained (dry run)\n');
    expect((await c.run('get', 'nodes', 'node-1')).stdout).not.toContain('SchedulingDisabled');
    expect((await c.run('get', 'pod', 'web-a')).stdout).toContain('Running');
  });

  it('checks the budget but changes nothing on --dry-run=server', async () => {
    const c = await cluster(webOnThreeNodes('minAvailable: 2'));
    const r = await c.run('drain', 'node-1', '--dry-run=server');
    expect(r.stdout).toBe(
      'node/node-1 cordoned (server dry run)\nevicting pod default/web-a (server dry run)\nnode/node-1 drained (server dry run)\n',
    );
    expect((await c.run('get', 'pod', 'web-a')).stdout).toContain('Running');
  });

  it('deletes without consulting the budget with --disable-eviction', async () => {
    const c = await cluster(webOnThreeNodes('minAvailable: 3'));
    const r = await c.run('drain', 'node-1', '--disable-eviction');
    expect(r.stdout).toBe('node/node-1 cordoned\npod/web-a deleted\nnode/node-1 drained\n');
    expect(r.code).toBe(0);
  });

  it('drains only the pods --pod-selector picks', async () => {
    const other =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: other}\nspec: {nodeName: node-1, containers: [{name: app, image: nginx:1.27}]}\n---\n';
    const c = await cluster(webOnThreeNodes('minAvailable: 2', other));
    const r = await c.run('drain', 'node-1', '--pod-selector', 'app=web');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('node/node-1 cordoned\nevicting pod default/web-a\npod/web-a evicted\nnode/node-1 drained\n');
  });

  it('rejects bad input before writing anything', async () => {
    const c = await manualCluster();
    expect(await c.run('drain')).toMatchObject({
      code: 1,
      stderr: "error: USAGE: drain NODE [flags]\nSee 'kubesim drain -h' for help and examples\n",
    });
    expect(await c.run('drain', 'node-1', '--timeout', 'soon')).toMatchObject({
      code: 1,
      stderr:
        'error: invalid argument "soon" for "--timeout" flag: time: invalid duration "soon"\nSee \'kubesim drain --help\' for usage.\n',
    });
    expect(await c.run('drain', 'node-1', '--pod-selector', 'a in (')).toMatchObject({
      code: 1,
      stderr: 'error: --pod-selector=<pod_selector> must be a valid label selector\n',
    });
    expect(await c.run('drain', 'node-9')).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): nodes "node-9" not found\n' });
    expect((await c.run('get', 'nodes')).stdout).not.toContain('SchedulingDisabled');
  });
});
