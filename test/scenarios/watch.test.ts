import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';
import { main } from '../../src/cli/main';
import { BufferIO } from '../../src/cli/io';
import type { RealTime } from '../../src/clock/clock';

type Cluster = Awaited<ReturnType<typeof manualCluster>>;

/** One 2-CPU node, a `workers` group (60 s to provision) and a Deployment that needs one more node. */
async function clusterNeedingANode(): Promise<Cluster> {
  const c = await manualCluster(['--nodes', '1', '--cpu', '2', '--memory', '8Gi']);
  await c.run('nodegroup', 'create', 'workers', '--max', '3', '--cpu', '2', '--memory', '8Gi', '--provision-seconds', '60');
  await c.run('create', 'deployment', 'web', '--image', 'nginx:1.27', '--replicas', '3');
  await c.run('set', 'resources', 'deployment/web', '--requests', 'cpu=800m');
  await c.run('rollout', 'status', 'deployment/web', '--timeout', '10s');
  return c;
}

/**
 * Real time that moves only when the watch sleeps, by exactly what it asked for; `at[ms]` runs
 * once that much real time has passed (a command typed meanwhile, a Ctrl-C). No wall clock.
 */
function scriptedRealTime(at: Record<number, () => unknown> = {}): { realTime: RealTime; sleeps: number[] } {
  const sleeps: number[] = [];
  let now = 0;
  return {
    sleeps,
    realTime: {
      now: () => now,
      async sleep(ms: number) {
        sleeps.push(ms);
        const before = now;
        now += ms;
        // each scripted moment runs once, in the sleep that reaches it
        for (const moment of Object.keys(at).map(Number)) if (before < moment && moment <= now) await at[moment]();
        // a watch that never stops would sleep forever here
        if (sleeps.length > 100) throw new Error('the watch did not stop');
      },
    },
  };
}

/** Runs kubesim in-process with the given real clock. */
async function withRealTime(state: string, args: string[], realTime: RealTime) {
  const io = new BufferIO({ KUBESIM_STATE: state });
  io.realTime = realTime;
  const code = await main(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** Runs kubesim in-process with a terminal-like IO (isTTY) and extra environment. */
async function onTerminal(state: string, args: string[], env: Record<string, string> = {}) {
  const io = new BufferIO({ KUBESIM_STATE: state, ...env });
  io.isTTY = true;
  const code = await main(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('kubesim watch', () => {
  it('runs the cluster for --until of virtual time with --no-pace and prints a frame, one line per event, and the final frame', async () => {
    const c = await clusterNeedingANode();
    const r = await c.run('watch', '--until', '2m', '--no-pace');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const frames = r.stdout.split(/^(?=kubesim watch {2})/m);
    expect(frames).toHaveLength(2);
    expect(frames[0]).toMatch(/^kubesim watch {2}2025-01-01T00:00:10Z {2}\(\+0s, as fast as possible\)\n/);
    expect(frames[0]).toMatch(/^NODES\nNAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\nnode-1\s+Ready\s/m);
    expect(frames[0]).toMatch(/^workers\s+0\s+3\s+1\s+0\s+2\s+8Gi\s/m);
    expect(frames[0]).toMatch(/^web-\S+\s+0\/1\s+Pending\s+0\s+\d+s\s+<none>$/m);
    // the event log between the frames: the node registers 60 s after the scale-up (00:00:05), then the pod starts
    expect(frames[0]).toMatch(
      /^2025-01-01T00:01:05Z\s+Normal\s+RegisteredNode\s+node\/workers-1\s+Node workers-1 event: Registered Node workers-1 in Controller$/m,
    );
    expect(frames[0]).toMatch(
      /^2025-01-01T00:01:05Z\s+Normal\s+Scheduled\s+pod\/web-\S+\s+Successfully assigned default\/web-\S+ to workers-1$/m,
    );
    expect(frames[1]).toMatch(/^kubesim watch {2}2025-01-01T00:02:10Z {2}\(\+2m0s, as fast as possible\)\n/);
    expect(frames[1]).toMatch(/^web\s+3\/3\s+3\s+3\s/m);
    expect(frames[1]).toMatch(/^workers-1\s+Ready\s/m);
    expect(r.stdout).not.toMatch(/\x1b\[/);
    // the time it ran is saved
    expect((await c.run('clock')).stdout).toMatch(/^2025-01-01T00:02:10Z/);
  });

  it('redraws in place with colours on a terminal, and prints plainly with NO_COLOR', async () => {
    const c = await clusterNeedingANode();
    const tty = await onTerminal(c.state, ['watch', '--until', '30s', '--no-pace']);
    expect(tty.code).toBe(0);
    const redraws = tty.stdout.split('\x1b[H\x1b[2J');
    expect(redraws[0]).toBe('');
    expect(redraws.length).toBeGreaterThan(2);
    expect(tty.stdout).toContain('\x1b[32mRunning\x1b[39m');
    expect(tty.stdout).toContain('\x1b[33mPending\x1b[39m');
    const plain = await onTerminal(c.state, ['watch', '--until', '30s', '--no-pace'], { NO_COLOR: '1' });
    expect(plain.stdout).not.toMatch(/\x1b\[/);
    expect(plain.stdout.match(/^kubesim watch /gm)).toHaveLength(2);
  });

  it('paces virtual time at --speed against real time, one tick per 500 ms, each tick its own transaction', async () => {
    const c = await clusterNeedingANode();
    // a command run between two ticks (at 00:00:10.5, after the first sleep's tick) is part of the next one
    const clock = scriptedRealTime({ 1000: () => c.run('scale', 'deployment/web', '--replicas', '1') });
    const r = await withRealTime(c.state, ['watch', '--until', '2s', '--speed', '1x'], clock.realTime);
    expect(r.code).toBe(0);
    expect(clock.sleeps).toEqual([500, 500, 500, 500]);
    const frames = r.stdout.split(/^(?=kubesim watch {2})/m);
    expect(frames).toHaveLength(2);
    expect(frames[0]).toMatch(/^kubesim watch {2}2025-01-01T00:00:10Z {2}\(\+0s, speed 1x\)\n/);
    expect(frames[0]).toMatch(
      /^2025-01-01T00:00:10Z\s+Normal\s+ScalingReplicaSet\s+deployment\/web\s+Scaled down replica set web-\S+ from 3 to 1$/m,
    );
    expect(frames[1]).toMatch(/^kubesim watch {2}2025-01-01T00:00:12Z {2}\(\+2s, speed 1x\)\n/);
    expect(frames[1]).toMatch(/^web\s+1\/1\s/m);
    expect((await c.run('clock')).stdout).toMatch(/^2025-01-01T00:00:12Z/);
  });

  it('stops cleanly on Ctrl-C with the time that passed saved', async () => {
    const c = await clusterNeedingANode();
    const others = process.listeners('SIGINT');
    for (const l of others) process.removeListener('SIGINT', l);
    try {
      const clock = scriptedRealTime({ 1000: () => process.emit('SIGINT') });
      const r = await withRealTime(c.state, ['watch', '--speed', '100x'], clock.realTime);
      expect(r.code).toBe(0);
      // Ctrl-C during the second sleep: one more tick records the time that passed and draws the last frame
      expect(clock.sleeps).toEqual([500, 500]);
      expect(r.stdout.match(/^kubesim watch /gm)).toHaveLength(2);
      expect(r.stdout).toMatch(/^kubesim watch {2}2025-01-01T00:01:50Z {2}\(\+1m40s, speed 100x\)\n/m);
      expect(process.listenerCount('SIGINT')).toBe(0);
      // 1 s of real time at 100x is 100 s of virtual time: the new node (60 s to provision) is there
      expect((await c.run('clock')).stdout).toMatch(/^2025-01-01T00:01:50Z/);
      expect((await c.run('get', 'nodes', '-o', 'name')).stdout).toBe('node/node-1\nnode/workers-1\n');
    } finally {
      for (const l of others) process.on('SIGINT', l);
    }
  });

  it('rejects an invalid --until or --speed, and --no-pace without --until, before running anything', async () => {
    const c = await manualCluster();
    expect(await c.run('watch', '--until', 'soon', '--no-pace')).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'error: invalid argument "soon" for "--until" flag: time: invalid duration "soon"\nSee \'kubesim watch --help\' for usage.\n',
    });
    expect(await c.run('watch', '--until', '0s')).toMatchObject({
      code: 1,
      stderr: 'error: invalid argument "0s" for "--until" flag: must be greater than 0\n',
    });
    expect(await c.run('watch', '--speed', 'fast', '--until', '1m')).toMatchObject({
      code: 1,
      stderr: 'error: invalid argument "fast" for "--speed" flag: expected a multiplier such as 1x, 10x or 0.5x\n',
    });
    expect(await c.run('watch', '--speed', '0')).toMatchObject({
      code: 1,
      stderr: 'error: --no-pace (or --speed 0) needs --until: without pacing the watch would never stop\n',
    });
    expect((await c.run('clock')).stdout).toMatch(/^2025-01-01T00:00:00Z/);
  });
});

describe('kubesim get -w', () => {
  it('prints the list, then one line per change in virtual time, until nothing more is scheduled', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image', 'nginx:1.27', '--replicas', '2');
    const r = await c.run('get', 'pods', '-w');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('NAME                   READY   STATUS              RESTARTS   AGE');
    expect(lines.slice(1, 3).every((l) => /^web-\S+ {3}0\/1 {5}ContainerCreating {3}0 {10}0s$/.test(l))).toBe(true);
    // each change is aligned on its own, as kubectl's flushed tabwriter does
    expect(lines.slice(3)).toEqual([
      expect.stringMatching(/^web-\S+ {3}0\/1 {3}Running {3}0 {5}1s$/),
      expect.stringMatching(/^web-\S+ {3}0\/1 {3}Running {3}0 {5}1s$/),
      expect.stringMatching(/^web-\S+ {3}1\/1 {3}Running {3}0 {5}3s$/),
      expect.stringMatching(/^web-\S+ {3}1\/1 {3}Running {3}0 {5}3s$/),
    ]);
    expect((await c.run('clock')).stdout).toMatch(/^2025-01-01T00:00:03Z/);
  });

  it('shows every write of one instant, each resourceVersion in order: a Job pod completes, loses its tracking finalizer and goes (grace 0)', async () => {
    const job = (c: Cluster) =>
      c.file(
        'job.yaml',
        'apiVersion: batch/v1\nkind: Job\nmetadata: {name: quick}\nspec:\n  ttlSecondsAfterFinished: 0\n  template:\n' +
          '    metadata: {annotations: {sim.kubesim.io/run-seconds: "0"}}\n' +
          '    spec: {terminationGracePeriodSeconds: 0, restartPolicy: Never, containers: [{name: c, image: busybox}]}\n',
      );
    const c = await manualCluster();
    await c.run('apply', '-f', job(c));
    // at 1s the pod runs and exits, the Job controller removes its finalizer, the TTL controller
    // deletes the Job and the garbage collector the pod, with no grace: all in one step
    const r = await c.run('get', 'pods', '-w', '--output-watch-events');
    expect(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((l) =>
          l
            .split(/\s+/)
            .filter((_, i) => i !== 1)
            .join(' '),
        ),
    ).toEqual([
      'EVENT READY STATUS RESTARTS AGE',
      'ADDED 0/1 ContainerCreating 0 0s',
      'MODIFIED 0/1 Completed 0 1s',
      'MODIFIED 0/1 Completed 0 1s',
      'DELETED 0/1 Completed 0 1s',
    ]);
    const again = await manualCluster();
    await again.run('apply', '-f', job(again));
    const states = await again.run(
      'get',
      'pods',
      '-w',
      '-o',
      'jsonpath={.metadata.resourceVersion} {.status.phase} {.metadata.finalizers}{"\\n"}',
    );
    const lines = states.stdout.trimEnd().split('\n');
    const tracked = (l: string) => `${l.split(' ')[1]}${l.includes('batch.kubernetes.io/job-tracking') ? ' tracked' : ''}`;
    expect(lines.map(tracked)).toEqual(['Pending tracked', 'Succeeded tracked', 'Succeeded', 'Succeeded']);
    const rvs = lines.map((l) => Number(l.split(' ')[0]));
    expect(rvs[1]).toBeGreaterThan(rvs[0]);
    expect(rvs[2]).toBeGreaterThan(rvs[1]);
  });

  it('with --watch-only and --output-watch-events prints only the changes, and stops at --request-timeout', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image', 'nginx:1.27', '--replicas', '1');
    await c.run('clock', 'advance', '10s');
    await c.run('delete', 'pod', '--all', '--wait=false');
    const r = await c.run('get', 'pods', '--watch-only', '--output-watch-events', '--request-timeout', '20s');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^EVENT\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    // the replacement already exists (it was created with the deletion): it only changes
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 4).join(' '))).toEqual([
      // the kubelet writes the stopped containers and the terminal phase before the pod goes (1.27+)
      expect.stringMatching(/^MODIFIED web-\S+ 0\/1 Completed$/),
      expect.stringMatching(/^MODIFIED web-\S+ 0\/1 Running$/),
      expect.stringMatching(/^DELETED web-\S+ 0\/1 Completed$/),
      expect.stringMatching(/^MODIFIED web-\S+ 1\/1 Running$/),
    ]);
    expect((await c.run('clock')).stdout).toMatch(/^2025-01-01T00:00:30Z/);
  });

  // what kubectl 1.32 printed for these against kubesim serve: each object on its own, a
  // WatchEvent {type, object} with --output-watch-events (one compact JSON line; YAML with ---
  // between), and custom-columns' header once
  it('prints structured output object by object: custom-columns with one header, watch events as WatchEvents', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image', 'nginx:1.27', '--replicas', '2');
    const columns = await c.run('get', 'pods', '-w', '-o', 'custom-columns=NAME:.metadata.name,PHASE:.status.phase');
    const rows = columns.stdout.trimEnd().split('\n');
    expect(rows.filter((l) => l.startsWith('NAME'))).toHaveLength(1);
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.at(-1)).toMatch(/^web-\S+\s+Running$/);

    const c2 = await manualCluster();
    await c2.run('create', 'deployment', 'web', '--image', 'nginx:1.27', '--replicas', '2');
    const events = await c2.run(
      'get',
      'pods',
      '-w',
      '--output-watch-events',
      '-o',
      'custom-columns=T:.type,N:.object.metadata.name,P:.metadata.name',
    );
    const lines = events.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^T\s+N\s+P$/);
    expect(lines.slice(1, 3).map((l) => l.split(/\s+/))).toEqual([
      ['ADDED', expect.stringMatching(/^web-/), '<none>'],
      ['ADDED', expect.stringMatching(/^web-/), '<none>'],
    ]);
    expect(lines.slice(3).every((l) => l.startsWith('MODIFIED '))).toBe(true);

    const c3 = await manualCluster();
    await c3.run('create', 'deployment', 'web', '--image', 'nginx:1.27', '--replicas', '2');
    const json = (await c3.run('get', 'pods', '-w', '--output-watch-events', '-o', 'json')).stdout.trimEnd().split('\n');
    expect(json.length).toBeGreaterThan(2);
    for (const line of json)
      expect(line).toMatch(/^\{"type":"(ADDED|MODIFIED)","object":\{"apiVersion":"v1","kind":"Pod","metadata":\{"creationTimestamp":/);
    expect(JSON.parse(json[0]).object.metadata.name).toMatch(/^web-/);

    const c4 = await manualCluster();
    await c4.run('create', 'deployment', 'web', '--image', 'nginx:1.27', '--replicas', '2');
    const yaml = (await c4.run('get', 'pods', '-w', '--output-watch-events', '-o', 'yaml')).stdout;
    const docs = yaml.split('---\n');
    expect(docs.length).toBe(json.length);
    expect(docs.every((d) => d.startsWith('object:\n  apiVersion: v1\n') && /\ntype: (ADDED|MODIFIED)\n$/.test(d))).toBe(true);
    // -o name names the event's object
    const c5 = await manualCluster();
    await c5.run('create', 'deployment', 'web', '--image', 'nginx:1.27', '--replicas', '1');
    const names = (await c5.run('get', 'pods', '-w', '--output-watch-events', '-o', 'name')).stdout.trimEnd().split('\n');
    expect(names.every((n) => /^pod\/web-\S+$/.test(n))).toBe(true);
  });

  it('watches events: each new one as it is recorded, a repeated one as MODIFIED with its count', async () => {
    const c = await manualCluster();
    await c.run('run', 'crash', '--image', 'busybox', '--annotations', 'sim.kubesim.io/crash-after-seconds=5');
    await c.run('clock', 'advance', '3s');
    const r = await c.run(
      'get',
      'events',
      '--watch-only',
      '--output-watch-events',
      '--field-selector',
      'involvedObject.name=crash',
      '-o',
      'wide',
      '--request-timeout',
      '30s',
    );
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split(/\s{2,}/));
    expect(rows[0].slice(0, 4)).toEqual(['EVENT', 'LAST SEEN', 'TYPE', 'REASON']);
    // the container exits at 6 s, restarts after its 10 s back-off and a 1 s pull (busybox is
    // busybox:latest, pulled again at every start: imagePullPolicy Always), exits again
    expect(rows.slice(1).map((cells) => `${cells[0]} ${cells[3]}`)).toEqual([
      'ADDED BackOff',
      'MODIFIED Pulling',
      'MODIFIED Pulled',
      'MODIFIED Created',
      'MODIFIED Started',
      'MODIFIED BackOff',
    ]);
    expect(rows.at(-1)!.at(-2)).toBe('2');
  });

  it('kubectl events --watch: the list, then each event recorded or seen again, in recording order', async () => {
    const c = await manualCluster();
    await c.run('run', 'crash', '--image', 'nginx:1.27', '--annotations', 'sim.kubesim.io/crash-after-seconds=5');
    await c.run('clock', 'advance', '3s');
    const r = await c.run('events', '-w', '--for', 'pod/crash', '--request-timeout', '40s');
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split(/\s{2,}/));
    expect(rows[0]).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    // exits at 6 s; restarts at 16 s (10 s back-off) and 36 s (20 s); the image is on the node by then
    const restart = ['Pulled', 'Created', 'Started'];
    expect(rows.slice(1).map((cells) => cells[2])).toEqual([
      'Scheduled',
      'Pulling',
      'Pulled',
      'Created',
      'Started',
      'BackOff',
      ...restart,
      'BackOff',
      ...restart,
    ]);
    expect(rows.at(-3)![4]).toBe('Container image "nginx:1.27" already present on machine');
    expect((await c.run('clock')).stdout).toMatch(/^2025-01-01T00:00:43Z/);
  });

  it('shows a node group growing as nodes register', async () => {
    const c = await clusterNeedingANode();
    const r = await c.run('get', 'nodes', '-w', '--request-timeout', '2m');
    expect(r.stdout).toMatch(/^workers-1 {3}Ready {3}<none> {3}0s {4}v1\.32\.0$/m);
  });

  it('refuses several resource types and an invalid --request-timeout', async () => {
    const c = await manualCluster();
    expect(await c.run('get', 'pods,deploy', '-w')).toMatchObject({
      code: 1,
      stderr: 'error: watch is only supported on individual resources and resource collections - more than 1 resource was found\n',
    });
    expect(await c.run('get', 'pods', '-w', '--request-timeout', 'later')).toMatchObject({
      code: 1,
      stderr:
        'error: Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)\n',
    });
  });
});
