import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

describe('logs -f of a loop that prints forever', () => {
  it('follows an hour of virtual time at most in a cluster that never goes quiet (not a day), or --request-timeout', async () => {
    const c = await manualCluster();
    await c.run('run', 'tick', '--image', 'busybox', '--', 'sh', '-c', 'while true; do echo tick; sleep 1; done');
    // an HPA keeps something scheduled forever
    await c.run('create', 'deployment', 'web', '--image', 'nginx');
    await c.run('autoscale', 'deployment/web', '--max', '3', '--cpu-percent', '50');
    await c.run('clock', 'advance', '10s');
    const short = await c.run('logs', '-f', 'tick', '--request-timeout', '30s');
    expect(short.code).toBe(0);
    expect(short.stdout.split('\n').length - 1).toBeLessThanOrEqual(40);
    expect(short.stdout.split('\n').length - 1).toBeGreaterThanOrEqual(35);
    const before = Date.parse((await c.run('clock')).stdout.split(' ')[0]);
    const long = await c.run('logs', '-f', 'tick');
    expect(long.code).toBe(0);
    const after = Date.parse((await c.run('clock')).stdout.split(' ')[0]);
    expect(after - before).toBe(3_600_000);
    const lines = long.stdout.split('\n').length - 1;
    expect(lines).toBeGreaterThan(3_600);
    expect(lines).toBeLessThan(3_700);
  });
});

describe('logs --all-pods and the global --request-timeout', () => {
  it("reads every pod of a workload with --all-pods, prefixed (kubectl's Complete sets --prefix)", async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image', 'busybox', '--replicas', '2', '--', 'sh', '-c', 'echo hi from $HOSTNAME');
    await c.run('clock', 'advance', '10s');
    const one = await c.run('logs', 'deploy/web');
    expect(one.stderr).toMatch(/^Found 2 pods, using pod\/web-/);
    expect(one.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    const all = await c.run('logs', 'deploy/web', '--all-pods');
    expect(all.code).toBe(0);
    expect(all.stderr).toBe('');
    const lines = all.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^\[pod\/(web-[a-z0-9-]+)\/busybox\] hi from \1$/);
    expect(new Set(lines).size).toBe(2);
  });

  it('bounds -f by the global --request-timeout wherever it is given, and refuses a bad one as kubectl does', async () => {
    const c = await manualCluster();
    await c.run('run', 'tick', '--image', 'busybox', '--', 'sh', '-c', 'while true; do echo tick; sleep 1; done');
    await c.run('clock', 'advance', '10s');
    const before = await c.run('--request-timeout', '20s', 'logs', '-f', 'tick');
    expect(before.code).toBe(0);
    expect(before.stdout.split('\n').length - 1).toBeLessThanOrEqual(30);
    const bad = await c.run('logs', '-f', 'tick', '--request-timeout', 'soon');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('Invalid timeout value. Timeout must be a single integer in seconds');
  });
});

describe('logs of a container that exits between two whole seconds', () => {
  it('reads up to the exact exit, not the whole second its finishedAt keeps (the current instance and --previous)', async () => {
    const c = await manualCluster();
    await c.run('run', 'once', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo start; sleep 0.5; echo done');
    await c.run('run', 'again', '--image=busybox', '--restart=OnFailure', '--', 'sh', '-c', 'echo start; sleep 0.25; echo done; exit 1');
    await c.run('clock', 'advance', '15s');
    expect((await c.run('get', 'pod', 'once', '-o', 'jsonpath={.status.containerStatuses[0].state.terminated.finishedAt}')).stdout).toBe(
      '2025-01-01T00:00:01Z',
    );
    expect(await c.run('logs', 'once', '--timestamps')).toEqual({
      code: 0,
      stdout: '2025-01-01T00:00:01Z start\n2025-01-01T00:00:01.5Z done\n',
      stderr: '',
    });
    expect((await c.run('get', 'pod', 'again', '-o', 'jsonpath={.status.containerStatuses[0].restartCount}')).stdout).toBe('1');
    expect((await c.run('logs', 'again', '--previous')).stdout).toBe('start\ndone\n');
    expect((await c.run('logs', 'again')).stdout).toBe('start\ndone\n');
  });
});
