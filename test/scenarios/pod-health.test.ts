import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

type Cluster = Awaited<ReturnType<typeof manualCluster>>;

function pod(name: string, annotations: Record<string, string>, container: string, spec = ''): string {
  const ann = Object.entries(annotations)
    .map(([k, v]) => `    ${k}: "${v}"`)
    .join('\n');
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
${ann ? `  annotations:\n${ann}\n` : ''}spec:
  nodeName: node-1
${spec}  containers:
  - name: app
    image: nginx:1.27
${container}`;
}

async function start(manifest: string): Promise<Cluster> {
  const c = await manualCluster();
  c.file('pod.yaml', manifest);
  const r = await c.run('apply', '-f', 'pod.yaml');
  expect(r.stderr).toBe('');
  return c;
}

const status = async (c: Cluster, name: string) => JSON.parse((await c.run('get', 'pod', name, '-o', 'json')).stdout).status;
const at = async (c: Cluster, seconds: number) => {
  await c.run('clock', 'advance', `${seconds}s`);
};

describe('liveness probes', () => {
  it('restarts a container whose liveness probe fails every 20s with 10/20/40s back-off, visible in describe', async () => {
    const c = await start(
      pod(
        'live',
        { 'sim.kubesim.io/liveness-fail-after-seconds': '20' },
        '    livenessProbe: {httpGet: {path: /healthz, port: 80}, periodSeconds: 5, failureThreshold: 1}\n',
      ),
    );
    const restarts = async () => (await status(c, 'live')).containerStatuses[0].restartCount;
    // started at 1s (image pull); probes at 1, 6, 11, 16, 21: killed at 21
    await at(c, 20);
    expect(await restarts()).toBe(0);
    expect((await status(c, 'live')).containerStatuses[0].state.running).toBeDefined();
    await at(c, 1);
    expect((await status(c, 'live')).containerStatuses[0].state.waiting.reason).toBe('CrashLoopBackOff');
    await at(c, 9);
    expect(await restarts()).toBe(0);
    await at(c, 1); // 31s: back-off 10s over
    expect(await restarts()).toBe(1);
    await at(c, 39); // 70s: killed at 51, back-off 20s until 71
    expect(await restarts()).toBe(1);
    await at(c, 1);
    expect(await restarts()).toBe(2);
    await at(c, 59); // 130s: killed at 91, back-off 40s until 131
    expect(await restarts()).toBe(2);
    await at(c, 1);
    expect(await restarts()).toBe(3);
    const d = (await c.run('describe', 'pod', 'live')).stdout;
    expect(d).toMatch(/Warning +Unhealthy .* Liveness probe failed: HTTP probe failed with statuscode: 500/);
    expect(d).toMatch(/Normal +Killing .* Container app failed liveness probe, will be restarted/);
    expect(d).toMatch(/Warning +BackOff .* Back-off restarting failed container app/);
    expect(d).toMatch(/Restart Count: +3\n/);
  });
});

describe('readiness probes', () => {
  it('takes a container out of Ready while its readiness probe fails and back in after', async () => {
    const c = await start(
      pod('ready', { 'sim.kubesim.io/readiness-fail-between': '30s-90s' }, '    readinessProbe: {tcpSocket: {port: 80}}\n'),
    );
    const ready = async () => (await status(c, 'ready')).conditions.find((x: { type: string }) => x.type === 'Ready').status;
    // started at 1s; probes every 10s from 1s; failing from 31s; third failure at 51s
    await at(c, 50);
    expect(await ready()).toBe('True');
    await at(c, 1);
    expect(await ready()).toBe('False');
    expect((await c.run('get', 'pod', 'ready')).stdout).toContain('ready   0/1     Running   0');
    await at(c, 39);
    expect(await ready()).toBe('False');
    await at(c, 1);
    expect(await ready()).toBe('True');
    expect((await c.run('get', 'events')).stdout).toMatch(/Readiness probe failed: dial tcp 10\.244\.0\.2:80: connect: connection refused/);
  });

  it('holds readiness back until a startup probe succeeds', async () => {
    const c = await start(
      pod(
        'slow',
        { 'sim.kubesim.io/startup-seconds': '25' },
        '    startupProbe: {exec: {command: [cat, /ready]}, periodSeconds: 10, failureThreshold: 5}\n',
      ),
    );
    await at(c, 25);
    expect((await status(c, 'slow')).conditions.find((x: { type: string }) => x.type === 'Ready').status).toBe('False');
    await at(c, 6); // probes at 1, 11, 21, 31: success at 31 (the app is up at 26)
    expect((await status(c, 'slow')).conditions.find((x: { type: string }) => x.type === 'Ready').status).toBe('True');
  });
});

describe('crashes', () => {
  it('pod crash restarts the container with CrashLoopBackOff under restartPolicy Always', async () => {
    const c = await start(pod('web', {}, ''));
    await at(c, 5);
    expect((await c.run('pod', 'crash', 'web')).stdout).toBe('pod/web crashed\n');
    expect((await c.run('get', 'pod', 'web')).stdout).toContain('web    0/1     CrashLoopBackOff   0');
    const last = (await status(c, 'web')).containerStatuses[0].lastState.terminated;
    expect(last).toMatchObject({ exitCode: 1, reason: 'Error' });
    await at(c, 10);
    expect((await c.run('get', 'pod', 'web')).stdout).toMatch(/web +0\/1 +Running +1 \(10s ago\)/);
    await at(c, 2);
    expect((await c.run('get', 'pod', 'web')).stdout).toMatch(/web +1\/1 +Running +1 \(12s ago\)/);
  });

  it('backs off 10s doubling to a 300s cap, and starts again at 10s after a 10 minute run', async () => {
    const c = await start(pod('flaky', { 'sim.kubesim.io/crash-after-seconds': '5' }, ''));
    const gaps: number[] = [];
    let last = await status(c, 'flaky');
    // 5 s steps: each run lasts 5 s and each back-off at least 10 s, so no restart is missed
    for (let i = 0; i < 250 && gaps.length < 7; i++) {
      await at(c, 5);
      const s = await status(c, 'flaky');
      const running = s.containerStatuses[0].state.running;
      if (running && s.containerStatuses[0].restartCount !== last.containerStatuses[0].restartCount) {
        gaps.push((Date.parse(running.startedAt) - Date.parse(s.containerStatuses[0].lastState.terminated.finishedAt)) / 1000);
      }
      last = s;
    }
    expect(gaps).toEqual([10, 20, 40, 80, 160, 300, 300]);
    const long = await start(pod('steady', { 'sim.kubesim.io/crash-after-seconds': '700' }, ''));
    await long.run('clock', 'advance', '2000s');
    const s = await status(long, 'steady');
    // exits at 701 and 1411 (each after a 700 s run): each back-off is 10 s
    expect(s.containerStatuses[0].restartCount).toBe(2);
    expect(
      Date.parse(s.containerStatuses[0].state.running.startedAt) - Date.parse(s.containerStatuses[0].lastState.terminated.finishedAt),
    ).toBe(10_000);
  });

  it('a restart storm across a Deployment shows in get pods and events', async () => {
    const c = await manualCluster();
    c.file(
      'd.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: storm}
spec:
  replicas: 2
  selector: {matchLabels: {app: storm}}
  template:
    metadata: {labels: {app: storm}, annotations: {sim.kubesim.io/crash-after-seconds: "3"}}
    spec: {nodeName: node-2, containers: [{name: app, image: nginx:1.27}]}
`,
    );
    await c.run('apply', '-f', 'd.yaml');
    await c.run('clock', 'advance', '60s');
    const rows = (await c.run('get', 'pods')).stdout.trim().split('\n').slice(1);
    expect(rows.length).toBe(2);
    for (const row of rows) expect(row).toMatch(/storm-\S+ +0\/1 +CrashLoopBackOff +2 \(/);
    expect((await c.run('get', 'events')).stdout).toMatch(/Warning +BackOff +pod\/storm-\S+ +Back-off restarting failed container app/);
    // each restart checks the image first: pulled once, then already present (counted)
    const name = rows[0].split(/\s+/)[0];
    const described = (await c.run('describe', 'pod', name)).stdout;
    expect(described).toMatch(/Normal +Pulled +\d+s +kubelet +Successfully pulled image "nginx:1\.27" in 1s/);
    expect(described).toMatch(/Normal +Pulled +\d+s \(x2 over \d+s\) +kubelet +Container image "nginx:1\.27" already present on machine/);
  });

  it('an Always image is pulled again at every restart, after the back-off, which still doubles', async () => {
    const c = await manualCluster();
    c.file(
      'p.yaml',
      `apiVersion: v1
kind: Pod
metadata: {name: pulls, annotations: {sim.kubesim.io/crash-after-seconds: "5", sim.kubesim.io/image-pull-seconds: "2"}}
spec: {nodeName: node-1, containers: [{name: app, image: nginx:1.27, imagePullPolicy: Always}]}
`,
    );
    await c.run('apply', '-f', 'p.yaml');
    // pulled 0-2 s, exits at 7 s; back-off 10 s, pulled again 17-19 s, exits at 24 s; back-off 20 s
    await c.run('clock', 'advance', '18s');
    const waiting = JSON.parse((await c.run('get', 'pod', 'pulls', '-o', 'json')).stdout).status.containerStatuses[0];
    expect(waiting).toMatchObject({ restartCount: 0, state: { waiting: { reason: 'CrashLoopBackOff' } } });
    await c.run('clock', 'advance', '1s');
    const running = JSON.parse((await c.run('get', 'pod', 'pulls', '-o', 'json')).stdout).status.containerStatuses[0];
    expect(running).toMatchObject({ restartCount: 1, state: { running: { startedAt: '2025-01-01T00:00:19Z' } } });
    await c.run('clock', 'advance', '10s');
    const described = (await c.run('describe', 'pod', 'pulls')).stdout;
    expect(described).toMatch(/Normal +Pulling +\d+s \(x2 over \d+s\) +kubelet +Pulling image "nginx:1\.27"/);
    expect(described).toMatch(
      /Normal +Pulled +\d+s \(x2 over \d+s\) +kubelet +Successfully pulled image "nginx:1\.27" in 2s \(2s including waiting\)/,
    );
    expect(described).not.toMatch(/already present/);
    expect(JSON.parse((await c.run('get', 'pod', 'pulls', '-o', 'json')).stdout).status.containerStatuses[0].state.waiting.message).toMatch(
      /^back-off 20s restarting failed container=app/,
    );
  });

  it('a crashed container under restartPolicy Never leaves the pod in Error', async () => {
    const c = await start(pod('once', {}, '', '  restartPolicy: Never\n'));
    await at(c, 5);
    await c.run('pod', 'crash', 'once');
    expect((await c.run('get', 'pod', 'once')).stdout).toContain('once   0/1     Error    0');
    expect((await status(c, 'once')).phase).toBe('Failed');
  });

  it('pod crash refuses a pod that is not running', async () => {
    const c = await start(pod('web', {}, ''));
    expect(await c.run('pod', 'crash', 'web')).toMatchObject({ code: 1, stderr: 'error: pod web has no running container to crash\n' });
    expect(await c.run('pod', 'crash', 'nope')).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): pods "nope" not found\n' });
  });
});

describe('resources', () => {
  it('kills a container using more memory than its limit with OOMKilled (137) and restarts it', async () => {
    const c = await start(pod('hog', { 'sim.kubesim.io/memory-bytes': '128Mi' }, '    resources: {limits: {memory: 64Mi, cpu: 100m}}\n'));
    await at(c, 4);
    const s = await status(c, 'hog');
    expect(s.containerStatuses[0].lastState.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    expect(s.qosClass).toBe('Guaranteed');
  });

  it('evicts BestEffort pods first when the node runs out of memory', async () => {
    const c = await manualCluster();
    c.file(
      'pods.yaml',
      [
        pod('besteffort', { 'sim.kubesim.io/memory-bytes': '6Gi' }, ''),
        pod('burstable', { 'sim.kubesim.io/memory-bytes': '6Gi' }, '    resources: {requests: {memory: 1Gi}}\n'),
        pod('guaranteed', { 'sim.kubesim.io/memory-bytes': '6Gi' }, '    resources: {limits: {memory: 8Gi, cpu: "1"}}\n'),
      ].join('---\n'),
    );
    await c.run('apply', '-f', 'pods.yaml');
    await at(c, 5);
    const pods = (await c.run('get', 'pods')).stdout;
    expect(pods).toMatch(/^besteffort +0\/1 +Evicted/m);
    expect(pods).toMatch(/^burstable +1\/1 +Running/m);
    expect(pods).toMatch(/^guaranteed +1\/1 +Running/m);
    expect((await status(c, 'besteffort')).message).toContain('The node was low on resource: memory.');
    expect((await c.run('get', 'events')).stdout).toMatch(/Warning +Evicted +pod\/besteffort/);
  });

  it('evicts when a later command makes the pods on a node use more memory than it has', async () => {
    // the node's check is quiet once the pods settle, in the commands after too, until a pod on it is written
    const c = await manualCluster();
    c.file('pods.yaml', [pod('besteffort', {}, ''), pod('burstable', {}, '    resources: {requests: {memory: 1Gi}}\n')].join('---\n'));
    await c.run('apply', '-f', 'pods.yaml');
    await at(c, 5);
    expect((await c.run('annotate', 'pod', 'burstable', 'sim.kubesim.io/memory-bytes=9Gi')).code).toBe(0);
    expect((await c.run('get', 'pods')).stdout).toMatch(/^besteffort +1\/1 +Running/m);
    expect((await c.run('annotate', 'pod', 'besteffort', 'sim.kubesim.io/memory-bytes=9Gi')).code).toBe(0);
    const pods = (await c.run('get', 'pods')).stdout;
    expect(pods).toMatch(/^besteffort +0\/1 +Evicted/m);
    expect(pods).toMatch(/^burstable +1\/1 +Running/m);
  });

  it('top shows usage from the simulated metrics', async () => {
    const c = await start(pod('web', { 'sim.kubesim.io/cpu-millicores': '250', 'sim.kubesim.io/memory-bytes': '256Mi' }, ''));
    await at(c, 5);
    expect((await c.run('top', 'pods')).stdout).toBe('NAME   CPU(cores)   MEMORY(bytes)   \nweb    250m         256Mi           \n');
    const nodes = (await c.run('top', 'nodes')).stdout;
    expect(nodes.split('\n')[0]).toBe('NAME     CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   ');
    expect(nodes.split('\n')[1]).toBe('node-1   250m         6%       256Mi           1%          ');
    expect(await c.run('top', 'pods', '--sort-by', 'name')).toMatchObject({
      code: 1,
      stderr: 'error: --sort-by accepts only cpu or memory\n',
    });
  });
});
