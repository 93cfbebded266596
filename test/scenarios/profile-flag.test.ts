import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

describe('--profile and --profile-output', () => {
  it('cpu writes the command’s CPU profile (a V8 .cpuprofile) to --profile-output', async () => {
    const c = await manualCluster();
    const r = await c.run('get', 'nodes', '-o', 'name', '--profile=cpu', '--profile-output=get.cpuprofile');
    expect(r.stdout).toBe('node/node-1\nnode/node-2\nnode/node-3\n');
    const profile = JSON.parse(fs.readFileSync(path.join(c.dir, 'get.cpuprofile'), 'utf8'));
    expect(Array.isArray(profile.nodes)).toBe(true);
    expect(profile.endTime).toBeGreaterThanOrEqual(profile.startTime);
  });

  it('heap writes a heap snapshot; none (the default) writes nothing', async () => {
    const c = await manualCluster();
    await c.run('get', 'ns', '-o', 'name', '--profile', 'heap', '--profile-output', 'heap.heapsnapshot');
    expect(JSON.parse(fs.readFileSync(path.join(c.dir, 'heap.heapsnapshot'), 'utf8')).snapshot).toBeDefined();
    await c.run('get', 'ns', '-o', 'name');
    expect(fs.existsSync(path.join(c.dir, 'profile.pprof'))).toBe(false);
    expect((await c.run('get', 'ns', '--profile=disk')).stderr).toBe("error: unknown profile 'disk'\n");
  });
});
