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
