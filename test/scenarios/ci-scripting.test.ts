import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

const configMap = (value: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data:
  key: ${value}
`;

describe('CI scripting: diff, exit codes and streams', () => {
  it('diff exits 0 and prints nothing when the live object matches', async () => {
    const c = await manualCluster();
    c.file('cm.yaml', configMap('one'));
    await c.run('apply', '-f', 'cm.yaml');
    expect(await c.run('diff', '-f', 'cm.yaml')).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('diff exits 1 with a unified diff of live against the applied result', async () => {
    const c = await manualCluster();
    c.file('cm.yaml', configMap('one'));
    await c.run('apply', '-f', 'cm.yaml');
    c.file('cm.yaml', configMap('two'));
    const r = await c.run('diff', '-f', 'cm.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'diff -u -N /tmp/LIVE-kubesim/v1.ConfigMap.default.cfg /tmp/MERGED-kubesim/v1.ConfigMap.default.cfg',
      '--- /tmp/LIVE-kubesim/v1.ConfigMap.default.cfg\t2025-01-01 00:00:00.000000000 +0000',
      '+++ /tmp/MERGED-kubesim/v1.ConfigMap.default.cfg\t2025-01-01 00:00:00.000000000 +0000',
    ]);
    expect(lines).toContain('-  key: one');
    expect(lines).toContain('+  key: two');
    // a diff changes nothing
    expect(JSON.parse((await c.run('get', 'cm', 'cfg', '-o', 'json')).stdout).data).toEqual({ key: 'one' });
  });

  it('diff shows a new object against an empty live file', async () => {
    const c = await manualCluster();
    c.file('cm.yaml', configMap('one'));
    const r = await c.run('diff', '-f', 'cm.yaml');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('--- /tmp/LIVE-kubesim/v1.ConfigMap.default.cfg\t1970-01-01 00:00:00.000000000 +0000\n');
    expect(r.stdout).toContain('\n+  key: one\n');
    expect((await c.run('get', 'cm', 'cfg')).code).toBe(1);
  });

  it('diff exits 2 when it cannot do its job (missing file, refused object)', async () => {
    const c = await manualCluster();
    const missing = await c.run('diff', '-f', 'nope.yaml');
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/^error: /);
    c.file('quota.yaml', 'apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\nspec: {hard: {configmaps: "0"}}\n');
    await c.run('apply', '-f', 'quota.yaml');
    c.file('cm.yaml', configMap('one'));
    const refused = await c.run('diff', '-f', 'cm.yaml');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      'Error from server (Forbidden): error when creating "cm.yaml": configmaps "cfg" is forbidden: exceeded quota: q, requested: configmaps=1, used: configmaps=1, limited: configmaps=0\n',
    );
  });

  it('an empty list goes to stderr and exits 0; data goes to stdout', async () => {
    const c = await manualCluster();
    expect(await c.run('get', 'deployments')).toEqual({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
    expect(await c.run('get', 'deployment', 'web')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error from server (NotFound): deployments.apps "web" not found\n',
    });
  });

  it('get -o json of several objects is a v1 List with items, as jq expects', async () => {
    const c = await manualCluster();
    const r = await c.run('get', 'nodes', '-o', 'json');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list.apiVersion).toBe('v1');
    expect(list.kind).toBe('List');
    expect(list.items.map((n: { metadata: { name: string } }) => n.metadata.name)).toEqual(['node-1', 'node-2', 'node-3']);
  });
});
