import { describe, it, expect } from 'vitest';
import { manualCluster, type Cluster } from '../support/cli';

/** A SimulationProfile manifest (spec as YAML flow text). */
function profile(name: string, spec: string): string {
  return `apiVersion: sim.kubesim.io/v1\nkind: SimulationProfile\nmetadata: {name: ${name}}\nspec: ${spec}\n`;
}

function deployment(name: string, replicas: number, annotations = '{}', image = 'nginx:1.27'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}, annotations: ${annotations}}
    spec:
      containers:
      - {name: app, image: "${image}", resources: {requests: {cpu: 10m, memory: 16Mi}}}
`;
}

async function apply(c: Cluster, name: string, yaml: string): Promise<void> {
  const r = await c.run('apply', '-f', c.file(name, yaml));
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}

/** Per pod (by name): seconds from its container's start to Ready, and from creation to the start (the image pull). */
async function timings(c: Cluster, selector: string): Promise<Map<string, { ready: number; pull: number }>> {
  const r = await c.run(
    'get',
    'pods',
    '-l',
    selector,
    '-o',
    'jsonpath={range .items[*]}{.metadata.name} {.metadata.creationTimestamp} {.status.containerStatuses[0].state.running.startedAt} {.status.conditions[?(@.type=="Ready")].lastTransitionTime}{"\\n"}{end}',
  );
  const out = new Map<string, { ready: number; pull: number }>();
  for (const line of r.stdout.trim().split('\n')) {
    const [name, created, started, ready] = line.split(' ');
    out.set(name, { ready: (Date.parse(ready) - Date.parse(started)) / 1000, pull: (Date.parse(started) - Date.parse(created)) / 1000 });
  }
  return out;
}

describe('SimulationProfile', () => {
  it('is a cluster-scoped kind of sim.kubesim.io: apply, get (wide), describe, delete', async () => {
    const c = await manualCluster();
    await apply(
      c,
      'p.yaml',
      profile(
        'slow',
        '{priority: 5, startupSeconds: {normal: {mean: 30, stddev: 5}}, imagePullSeconds: {uniform: {min: 2, max: 8}}, crashProbabilityPerHour: 0.1, nodeBoot: {seconds: {exponential: {mean: 60}}}}',
      ),
    );
    expect((await c.run('get', 'simulationprofiles')).stdout).toBe(
      'NAME   PRIORITY   STARTUP        CRASH/H   OOM/H    AGE\nslow   5          normal(30,5)   0.1       <none>   0s\n',
    );
    expect((await c.run('get', 'simprofile', '-o', 'wide')).stdout).toMatch(
      /^slow\s+5\s+normal\(30,5\)\s+0\.1\s+<none>\s+0s\s+uniform\(2,8\)\s+<none>\s+<none>\s+exp\(60\)$/m,
    );
    expect((await c.run('api-resources', '--api-group', 'sim.kubesim.io')).stdout).toMatch(
      /^simulationprofiles\s+simprofile\s+sim\.kubesim\.io\/v1\s+false\s+SimulationProfile$/m,
    );
    expect((await c.run('describe', 'simulationprofile', 'slow')).stdout).toMatch(
      /Startup Seconds:\n\s+Normal:\n\s+Mean:\s+30\n\s+Stddev:\s+5/,
    );
    expect((await c.run('delete', 'simulationprofile', 'slow')).stdout).toBe('simulationprofile.sim.kubesim.io "slow" deleted\n');
  });

  it('refuses an invalid profile with every field path, and stores nothing', async () => {
    const c = await manualCluster();
    const r = await c.run(
      'apply',
      '-f',
      c.file(
        'bad.yaml',
        profile(
          'bad',
          '{match: {images: [""]}, startupSeconds: {normal: {mean: -1}}, imagePullSeconds: {uniform: {min: 5, max: 2}}, readinessSeconds: {fixed: 1, exponential: {mean: 2}}, shutdownSeconds: {}, oomKillProbabilityPerHour: 1, nodeBoot: {nodeGroups: [workers]}}',
        ),
      ),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'The SimulationProfile "bad" is invalid: \n' +
        '* spec.match.images: Invalid value: [""]: must be a list of non-empty strings\n' +
        '* spec.imagePullSeconds.uniform.max: Invalid value: 2: must be greater than or equal to `min`\n' +
        '* spec.startupSeconds.normal.mean: Invalid value: -1: must be greater than or equal to 0\n' +
        '* spec.startupSeconds.normal.stddev: Required value\n' +
        '* spec.readinessSeconds: Invalid value: "fixed, exponential": must set exactly one of: fixed, uniform, normal, exponential\n' +
        '* spec.shutdownSeconds: Invalid value: "{}": must set exactly one of: fixed, uniform, normal, exponential\n' +
        '* spec.oomKillProbabilityPerHour: Invalid value: 1: must be at least 0 and less than 1 (a probability per hour of running)\n' +
        '* spec.nodeBoot.seconds: Required value\n',
    );
    expect((await c.run('get', 'simulationprofiles')).stderr).toBe('No resources found\n');
  });

  it('decodes a profile against its schema: an unknown field is refused, warned about or dropped as --validate says', async () => {
    const c = await manualCluster();
    const file = c.file('typo.yaml', profile('typo', '{startupSeconds: {gamma: 2}, match: {namespace: [prod]}}'));
    expect(await c.run('apply', '-f', file)).toMatchObject({
      code: 1,
      stderr: `Error from server (BadRequest): error when creating "${file}": SimulationProfile in version "v1" cannot be handled as a SimulationProfile: strict decoding error: unknown field "spec.match.namespace", unknown field "spec.startupSeconds.gamma"\n`,
    });
    // dropped, the distribution is empty: the kind's validation names what it needs
    expect((await c.run('apply', '-f', file, '--validate=false')).stderr).toBe(
      'The SimulationProfile "typo" is invalid: spec.startupSeconds: Invalid value: "{}": must set exactly one of: fixed, uniform, normal, exponential\n',
    );
  });

  it('draws each pod its own start-up and image pull times: the same seed gives the same timings, another seed others', async () => {
    const run = async (seed: string) => {
      const c = await manualCluster(['--seed', seed]);
      await apply(
        c,
        'p.yaml',
        profile('jitter', '{startupSeconds: {uniform: {min: 5, max: 25}}, imagePullSeconds: {exponential: {mean: 4}}}'),
      );
      await apply(c, 'web.yaml', deployment('web', 6));
      await c.run('clock', 'advance', '5m');
      return [...(await timings(c, 'app=web')).values()].map((t) => `${t.pull}/${t.ready}`).sort();
    };
    const a = await run('7');
    const b = await run('7');
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(6);
    for (const t of a) {
      const [pull, ready] = t.split('/').map(Number);
      expect(ready).toBeGreaterThanOrEqual(5);
      expect(ready).toBeLessThanOrEqual(25);
      expect(pull).toBeGreaterThan(0);
    }
    expect(await run('8')).not.toEqual(a);
  });

  it("gives a normal distribution's mean over many pods (drawn per pod from the seed: exact values)", async () => {
    const c = await manualCluster(['--nodes', '5']);
    await apply(c, 'p.yaml', profile('normal', '{startupSeconds: {normal: {mean: 30, stddev: 5}}}'));
    await apply(c, 'web.yaml', deployment('web', 200));
    await c.run('clock', 'advance', '3m');
    const ready = [...(await timings(c, 'app=web')).values()].map((t) => t.ready);
    expect(ready).toHaveLength(200);
    const mean = ready.reduce((a, b) => a + b, 0) / ready.length;
    const sd = Math.sqrt(ready.reduce((a, b) => a + (b - mean) ** 2, 0) / (ready.length - 1));
    // near 30 s and 5 s (the pods' timestamps are whole seconds; test/unit/simulation-profile.test.ts checks the draws themselves)
    expect(Math.abs(mean - 30)).toBeLessThan(1.5);
    expect(Math.abs(sd - 5)).toBeLessThan(1);
    // the draws are the seed's: these exact figures repeat
    expect(mean.toFixed(3)).toBe('29.190');
    expect(sd.toFixed(3)).toBe('4.645');
  });

  it("leaves a pod's own sim.kubesim.io annotations in charge, and matches by namespace, labels and image", async () => {
    const c = await manualCluster();
    await c.run('create', 'namespace', 'prod');
    await apply(
      c,
      'p.yaml',
      profile(
        'web',
        '{match: {namespaces: [default], podSelector: {matchLabels: {app: web}}, images: ["nginx:*"]}, startupSeconds: {fixed: 40}}',
      ),
    );
    await apply(c, 'web.yaml', deployment('web', 1));
    await apply(
      c,
      'own.yaml',
      deployment('own', 1, '{sim.kubesim.io/startup-seconds: "7"}')
        .replace(/app: own/g, 'app: web')
        .replace('name: own', 'name: own'),
    );
    await apply(c, 'other.yaml', deployment('other', 1, '{}', 'redis:7'));
    await c.run('clock', 'advance', '2m');
    const t = await timings(c, 'app');
    const byDeployment = new Map([...t].map(([name, v]) => [name.replace(/-[a-z0-9]+-[a-z0-9]+$/, ''), v.ready]));
    // `own` is labelled app=web too: the annotation wins over the profile's 40 s
    expect(Object.fromEntries(byDeployment)).toEqual({ web: 40, own: 7, other: 2 });
  });

  it('takes each field from the highest priority profile that sets it, then the more specific match, then name order', async () => {
    const c = await manualCluster();
    await apply(
      c,
      'p.yaml',
      [
        profile('a-fleet', '{startupSeconds: {fixed: 10}, imagePullSeconds: {fixed: 3}}'),
        profile('b-web', '{match: {podSelector: {matchLabels: {app: web}}}, startupSeconds: {fixed: 20}}'),
        profile('c-urgent', '{priority: 10, match: {images: ["busybox*"]}, startupSeconds: {fixed: 50}}'),
      ].join('---\n'),
    );
    await apply(c, 'web.yaml', deployment('web', 1));
    await apply(c, 'api.yaml', deployment('api', 1));
    await c.run('clock', 'advance', '2m');
    const t = [...(await timings(c, 'app'))].map(([name, v]) => [name.replace(/-[a-z0-9]+-[a-z0-9]+$/, ''), v]);
    // web: b-web's start-up (more specific than a-fleet), a-fleet's image pull (b-web sets none); api: a-fleet's both
    expect(Object.fromEntries(t)).toEqual({ api: { ready: 10, pull: 3 }, web: { ready: 20, pull: 3 } });
  });

  it('crashes containers at its rate per hour: exit 1 and CrashLoopBackOff, OOMKilled with 137', async () => {
    const c = await manualCluster();
    await apply(
      c,
      'p.yaml',
      [
        profile('crashy', '{match: {podSelector: {matchLabels: {app: crashy}}}, crashProbabilityPerHour: 0.99}'),
        profile('leaky', '{match: {podSelector: {matchLabels: {app: leaky}}}, oomKillProbabilityPerHour: 0.9}'),
      ].join('---\n'),
    );
    await apply(c, 'crashy.yaml', deployment('crashy', 1));
    await apply(c, 'leaky.yaml', deployment('leaky', 1));
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) {
      await c.run('clock', 'advance', '2m');
      const r = await c.run('get', 'pods', '-l', 'app=crashy', '--no-headers');
      seen.add(r.stdout.trim().split(/\s+/)[2]);
    }
    // two hours at a rate of −ln(0.01) ≈ 4.6 crashes an hour, each restart later (back-off up to 5 min)
    expect(seen).toContain('CrashLoopBackOff');
    const crashy = JSON.parse((await c.run('get', 'pods', '-l', 'app=crashy', '-o', 'json')).stdout).items[0].status.containerStatuses[0];
    expect(crashy.restartCount).toBeGreaterThanOrEqual(3);
    expect(crashy.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    const leaky = JSON.parse((await c.run('get', 'pods', '-l', 'app=leaky', '-o', 'json')).stdout).items[0].status.containerStatuses[0];
    expect(leaky.restartCount).toBeGreaterThanOrEqual(1);
    expect(leaky.lastState.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    // no profile, no crash
    await apply(c, 'calm.yaml', deployment('calm', 1));
    await c.run('clock', 'advance', '2h');
    expect((await c.run('get', 'pods', '-l', 'app=calm', '--no-headers')).stdout).toMatch(/1\/1\s+Running\s+0\s/);
  });

  it("draws the Cluster Autoscaler's new nodes' boot times (nodeBoot) instead of the group's provisionSeconds", async () => {
    const c = await manualCluster(['--nodes', '1', '--cpu', '2', '--memory', '8Gi']);
    await c.run('nodegroup', 'create', 'workers', '--max', '3', '--cpu', '2', '--memory', '8Gi', '--provision-seconds', '90');
    await apply(c, 'p.yaml', profile('boot', '{nodeBoot: {nodeGroups: [workers], seconds: {fixed: 300}}}'));
    const big = deployment('big', 3).replace('cpu: 10m', 'cpu: 1500m');
    await apply(c, 'big.yaml', big);
    await c.run('clock', 'advance', '200s');
    // past the group's 90 s, before the profile's 300 s
    expect((await c.run('get', 'nodes', '-o', 'name')).stdout).toBe('node/node-1\n');
    await c.run('clock', 'advance', '120s');
    expect((await c.run('get', 'nodes', '-o', 'name')).stdout).toBe('node/node-1\nnode/workers-1\nnode/workers-2\n');
  });
});
