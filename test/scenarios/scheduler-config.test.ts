import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import { kubesim, manualCluster, tempCluster } from '../support/cli';

/** A Deployment of `replicas` pods each requesting `cpu`, optionally naming a scheduler. */
function deployment(name: string, replicas: number, cpu: string, podSpecExtra = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
${podSpecExtra}      containers:
      - name: c
        image: nginx:1.27
        resources: {requests: {cpu: ${cpu}, memory: 128Mi}}
`;
}

const BIN_PACKING = `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: default-scheduler
  plugins:
    score:
      enabled:
      - name: NodeResourcesFit
        weight: 10
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: MostAllocated
        resources:
        - {name: cpu, weight: 1}
        - {name: memory, weight: 1}
`;

type Cluster = Awaited<ReturnType<typeof manualCluster>>;

async function nodesOf(c: Cluster, selector: string): Promise<string[]> {
  const r = await c.run('get', 'pods', '-l', selector, '-o', 'jsonpath={range .items[*]}{.spec.nodeName}{"\\n"}{end}');
  expect(r.code).toBe(0);
  return r.stdout.split('\n').filter(Boolean);
}

async function phases(c: Cluster, selector: string): Promise<string[]> {
  const r = await c.run('get', 'pods', '-l', selector, '-o', 'jsonpath={range .items[*]}{.status.phase}{"\\n"}{end}');
  return r.stdout.split('\n').filter(Boolean);
}

describe('scheduler configuration profiles (KubeSchedulerConfiguration v1)', () => {
  it('a MostAllocated profile packs pods onto one node where the default profile spreads them', async () => {
    const spread = await manualCluster(['--nodes', '4', '--cpu', '4', '--memory', '16Gi']);
    spread.file('web.yaml', deployment('web', 3, '1'));
    expect((await spread.run('apply', '-f', 'web.yaml')).code).toBe(0);
    expect(new Set(await nodesOf(spread, 'app=web')).size).toBe(3);

    const packed = await manualCluster(['--nodes', '4', '--cpu', '4', '--memory', '16Gi']);
    packed.file('sched.yaml', BIN_PACKING);
    const applied = await packed.run('scheduler', 'config', 'apply', '-f', 'sched.yaml');
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toBe('scheduler configuration applied: 1 profile(s): default-scheduler\n');
    packed.file('web.yaml', deployment('web', 3, '1'));
    expect((await packed.run('apply', '-f', 'web.yaml')).code).toBe(0);
    expect(new Set(await nodesOf(packed, 'app=web')).size).toBe(1);
  });

  it('RequestedToCapacityRatio with a rising shape packs; with a falling shape spreads', async () => {
    const shapes = {
      rising: '[{utilization: 0, score: 0}, {utilization: 100, score: 10}]',
      falling: '[{utilization: 0, score: 10}, {utilization: 100, score: 0}]',
    };
    const placed: Record<string, number> = {};
    for (const [name, shape] of Object.entries(shapes)) {
      const c = await manualCluster(['--nodes', '4', '--cpu', '4', '--memory', '16Gi']);
      c.file(
        'sched.yaml',
        `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- plugins:
    score:
      disabled: [{name: PodTopologySpread}, {name: NodeResourcesBalancedAllocation}]
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: RequestedToCapacityRatio
        resources: [{name: cpu, weight: 1}]
        requestedToCapacityRatio: {shape: ${shape}}
`,
      );
      const r = await c.run('scheduler', 'config', 'apply', '-f', 'sched.yaml');
      expect(r.stderr).toBe('');
      c.file('web.yaml', deployment('web', 3, '1'));
      expect((await c.run('apply', '-f', 'web.yaml')).code).toBe(0);
      placed[name] = new Set(await nodesOf(c, 'app=web')).size;
    }
    expect(placed).toEqual({ rising: 1, falling: 3 });
  });

  it('cluster create --scheduler-config sets the configuration from the start', async () => {
    const t = tempCluster();
    const file = t.file('sched.yaml', BIN_PACKING);
    const r = await kubesim(t.state, ['cluster', 'create', '--clock', 'manual', '--nodes', '3', '--scheduler-config', file]);
    expect(r.code).toBe(0);
    const view = await kubesim(t.state, ['scheduler', 'config', 'view', '-o', 'json']);
    const config = JSON.parse(view.stdout);
    const fit = config.profiles[0].pluginConfig.find((p: { name: string }) => p.name === 'NodeResourcesFit');
    expect(fit.args.scoringStrategy.type).toBe('MostAllocated');
    expect(config.profiles[0].plugins.score.enabled).toEqual([{ name: 'NodeResourcesFit', weight: 10 }]);
  });

  it('disabling the PodTopologySpread filter lets pods with an unsatisfiable DoNotSchedule constraint run', async () => {
    const constraint = `      topologySpreadConstraints:
      - {maxSkew: 1, topologyKey: example.com/rack, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: racked}}}
`;
    const c = await manualCluster(['--nodes', '2']);
    c.file('racked.yaml', deployment('racked', 2, '100m', constraint));
    expect((await c.run('apply', '-f', 'racked.yaml')).code).toBe(0);
    expect(await phases(c, 'app=racked')).toEqual(['Pending', 'Pending']);
    const events = await c.run('get', 'events', '--field-selector', 'reason=FailedScheduling', '-o', 'jsonpath={.items[0].message}');
    expect(events.stdout).toContain("node(s) didn't match pod topology spread constraints (missing required label)");

    c.file(
      'sched.yaml',
      `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- plugins:
    filter:
      disabled:
      - name: PodTopologySpread
`,
    );
    expect((await c.run('scheduler', 'config', 'apply', '-f', 'sched.yaml')).code).toBe(0);
    expect((await c.run('clock', 'advance', '1m')).code).toBe(0);
    expect(await phases(c, 'app=racked')).toEqual(['Running', 'Running']);
  });

  it('a second profile schedules only the pods that name it; a pod naming no profile waits with no event', async () => {
    const c = await manualCluster(['--nodes', '3']);
    c.file(
      'sched.yaml',
      `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: default-scheduler
- schedulerName: bin-packer
  pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy: {type: MostAllocated}
`,
    );
    const applied = await c.run('scheduler', 'config', 'apply', '-f', 'sched.yaml');
    expect(applied.stdout).toBe('scheduler configuration applied: 2 profile(s): default-scheduler, bin-packer\n');
    c.file('packed.yaml', deployment('packed', 2, '100m', '      schedulerName: bin-packer\n'));
    c.file('orphan.yaml', deployment('orphan', 1, '100m', '      schedulerName: my-scheduler\n'));
    expect((await c.run('apply', '-f', 'packed.yaml', '-f', 'orphan.yaml')).code).toBe(0);
    expect((await c.run('clock', 'advance', '1m')).code).toBe(0);
    expect(await phases(c, 'app=packed')).toEqual(['Running', 'Running']);
    expect(await phases(c, 'app=orphan')).toEqual(['Pending']);
    // the binding events come from the profile that scheduled the pod
    const scheduled = await c.run(
      'get',
      'events',
      '--field-selector',
      'reason=Scheduled',
      '-o',
      'jsonpath={range .items[*]}{.involvedObject.name} {.source.component}{"\\n"}{end}',
    );
    const lines = scheduled.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^packed-\S+ bin-packer$/);
    const all = await c.run('get', 'events', '-o', 'jsonpath={range .items[*]}{.involvedObject.kind}/{.involvedObject.name}{"\\n"}{end}');
    expect(all.stdout).toContain('ReplicaSet/orphan-');
    expect(all.stdout).not.toContain('Pod/orphan-');
    const describe = await c.run('describe', 'pods', '-l', 'app=orphan');
    expect(describe.stdout).not.toContain('FailedScheduling');
  });

  it("a profile's addedAffinity keeps every pod on matching nodes, with the scheduler's reason", async () => {
    const c = await manualCluster(['--nodes', '3']);
    expect((await c.run('label', 'node', 'node-2', 'pool=batch')).code).toBe(0);
    c.file(
      'sched.yaml',
      `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- pluginConfig:
  - name: NodeAffinity
    args:
      addedAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          nodeSelectorTerms:
          - matchExpressions: [{key: pool, operator: In, values: [batch]}]
`,
    );
    expect((await c.run('scheduler', 'config', 'apply', '-f', 'sched.yaml')).code).toBe(0);
    c.file('web.yaml', deployment('web', 3, '100m'));
    expect((await c.run('apply', '-f', 'web.yaml')).code).toBe(0);
    expect(await nodesOf(c, 'app=web')).toEqual(['node-2', 'node-2', 'node-2']);
    c.file('huge.yaml', deployment('huge', 1, '30'));
    expect((await c.run('apply', '-f', 'huge.yaml')).code).toBe(0);
    const events = await c.run('get', 'events', '--field-selector', 'reason=FailedScheduling', '-o', 'jsonpath={.items[*].message}');
    expect(events.stdout).toContain("2 node(s) didn't match scheduler-enforced node affinity");
  });

  it('without DefaultPreemption a high-priority pod preempts nothing and the message has no preemption part', async () => {
    const c = await manualCluster(['--nodes', '1', '--cpu', '2']);
    c.file(
      'sched.yaml',
      `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- plugins:
    postFilter:
      disabled:
      - name: DefaultPreemption
`,
    );
    expect((await c.run('scheduler', 'config', 'apply', '-f', 'sched.yaml')).code).toBe(0);
    c.file(
      'prio.yaml',
      `apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 1000
`,
    );
    c.file('low.yaml', deployment('low', 1, '1500m'));
    c.file('high.yaml', deployment('high', 1, '1500m', '      priorityClassName: high\n'));
    expect((await c.run('apply', '-f', 'prio.yaml', '-f', 'low.yaml')).code).toBe(0);
    expect((await c.run('clock', 'advance', '1m')).code).toBe(0);
    expect((await c.run('apply', '-f', 'high.yaml')).code).toBe(0);
    expect((await c.run('clock', 'advance', '1m')).code).toBe(0);
    expect(await phases(c, 'app=low')).toEqual(['Running']);
    expect(await phases(c, 'app=high')).toEqual(['Pending']);
    const events = await c.run('get', 'events', '--field-selector', 'reason=FailedScheduling', '-o', 'jsonpath={.items[*].message}');
    expect(events.stdout).toBe('0/1 nodes are available: 1 Insufficient cpu.');
  });

  it('view prints the defaults kube-scheduler fills in; reset goes back to them', async () => {
    const c = await manualCluster(['--nodes', '1']);
    const view = await c.run('scheduler', 'config', 'view');
    expect(view.code).toBe(0);
    expect(view.stdout).toContain('percentageOfNodesToScore: 0\n');
    expect(view.stdout).toContain('  schedulerName: default-scheduler\n');
    const config = JSON.parse((await c.run('scheduler', 'config', 'view', '-o', 'json')).stdout);
    expect(config.profiles[0].pluginConfig.map((p: { name: string }) => p.name)).toEqual([
      'DefaultPreemption',
      'InterPodAffinity',
      'NodeAffinity',
      'NodeResourcesBalancedAllocation',
      'NodeResourcesFit',
      'PodTopologySpread',
      'VolumeBinding',
    ]);
    expect(config.profiles[0].plugins.multiPoint.enabled.slice(0, 5)).toEqual([
      { name: 'SchedulingGates' },
      { name: 'PrioritySort' },
      { name: 'NodeUnschedulable' },
      { name: 'NodeName' },
      { name: 'TaintToleration', weight: 3 },
    ]);
    c.file('sched.yaml', BIN_PACKING);
    await c.run('scheduler', 'config', 'apply', '-f', 'sched.yaml');
    expect((await c.run('scheduler', 'config', 'view')).stdout).toContain('type: MostAllocated');
    expect((await c.run('scheduler', 'config', 'reset')).code).toBe(0);
    expect((await c.run('scheduler', 'config', 'view')).stdout).toBe(view.stdout);
  });

  describe("invalid configurations are refused with kube-scheduler's message and change nothing", () => {
    const cases: [string, string, string][] = [
      ['unknown field', 'profiles:\n- schedulerName: x\n  plugin: {}\n', 'strict decoding error: unknown field "profiles[0].plugin"'],
      [
        'percentage out of range',
        'percentageOfNodesToScore: 101\n',
        'percentageOfNodesToScore: Invalid value: 101: not in valid range [0-100]',
      ],
      [
        'duplicate scheduler names',
        'profiles:\n- schedulerName: a\n- schedulerName: a\n',
        'profiles[1].schedulerName: Duplicate value: "profiles[0].schedulerName"',
      ],
      ['missing scheduler name among several', 'profiles:\n- schedulerName: a\n- {}\n', 'profiles[1].schedulerName: Required value'],
      [
        'unknown plugin',
        'profiles:\n- plugins:\n    filter:\n      enabled: [{name: NoSuchPlugin}]\n',
        'initializing profiles: creating profile for scheduler name default-scheduler: FilterPlugin "NoSuchPlugin" does not exist',
      ],
      [
        'plugin at a point it does not extend',
        'profiles:\n- plugins:\n    score:\n      enabled: [{name: NodeName}]\n',
        'initializing profiles: creating profile for scheduler name default-scheduler: plugin "NodeName" does not extend ScorePlugin plugin',
      ],
      [
        'bad scoring strategy',
        'profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args: {scoringStrategy: {type: Packed}}\n',
        'initializing profiles: creating profile for scheduler name default-scheduler: initializing plugin "NodeResourcesFit": scoringStrategy.type: Unsupported value: "Packed": supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"',
      ],
      [
        'hardPodAffinityWeight out of range',
        'profiles:\n- pluginConfig:\n  - name: InterPodAffinity\n    args: {hardPodAffinityWeight: 101}\n',
        'profiles[0].pluginConfig[0].args.hardPodAffinityWeight: Invalid value: 101: not in valid range [0, 100]',
      ],
      [
        'removed plugin',
        'profiles:\n- plugins:\n    filter:\n      enabled: [{name: EBSLimits}]\n',
        'profiles[0].plugins.filter.enabled[0]: Invalid value: "EBSLimits": was invalid in version "kubescheduler.config.k8s.io/v1" (KubeSchedulerConfiguration is version "kubescheduler.config.k8s.io/v1")',
      ],
      [
        'System defaulting with constraints',
        'profiles:\n- pluginConfig:\n  - name: PodTopologySpread\n    args:\n      defaultingType: System\n      defaultConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}]\n',
        'profiles[0].pluginConfig[0].args.defaultingType: Invalid value: "System": when .defaultConstraints are not empty',
      ],
    ];
    for (const [name, body, message] of cases) {
      it(name, async () => {
        const c = await manualCluster(['--nodes', '1']);
        const before = (await c.run('scheduler', 'config', 'view')).stdout;
        c.file('bad.yaml', `apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n${body}`);
        const r = await c.run('scheduler', 'config', 'apply', '-f', 'bad.yaml');
        expect(r.code).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr).toBe(`error: invalid scheduler configuration "bad.yaml": ${message}\n`);
        expect((await c.run('scheduler', 'config', 'view')).stdout).toBe(before);
      });
    }

    it('a wrong apiVersion is not a KubeSchedulerConfiguration', async () => {
      const c = await manualCluster(['--nodes', '1']);
      c.file('bad.yaml', 'apiVersion: kubescheduler.config.k8s.io/v1beta3\nkind: KubeSchedulerConfiguration\n');
      const r = await c.run('scheduler', 'config', 'apply', '-f', 'bad.yaml');
      expect(r.stderr).toBe(
        'error: invalid scheduler configuration "bad.yaml": no kind "KubeSchedulerConfiguration" is registered for version "kubescheduler.config.k8s.io/v1beta3" in scheme\n',
      );
    });

    it('cluster create with a bad configuration creates nothing', async () => {
      const t = tempCluster();
      const file = t.file('bad.yaml', 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nparallelism: 0\n');
      const r = await kubesim(t.state, ['cluster', 'create', '--scheduler-config', file]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('parallelism: Invalid value: 0: should be an integer value greater than zero');
      expect(fs.existsSync(t.state) && fs.statSync(t.state).size > 0).toBe(false);
    });
  });
});
