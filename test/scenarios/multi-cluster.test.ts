import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { kubesim } from '../support/cli';
import { deploymentYaml } from '../support/manifests';

/** A fake home (never the real one) and a runner that leaves KUBESIM_STATE unset. */
function home() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-home-'));
  const run = (...args: string[]) => kubesim('', args, { env: { HOME: dir, KUBESIM_STATE: '' }, cwd: dir });
  return { dir, run, config: path.join(dir, '.kubesim', 'config') };
}

const deployment = deploymentYaml({ replicas: 4, resources: '{requests: {cpu: "1500m", memory: 256Mi}}' });

describe('contexts and multiple clusters', () => {
  it('cluster create NAME adds a context, switches to it and keeps the state in ~/.kubesim/NAME.db', async () => {
    const h = home();
    const r = await h.run('cluster', 'create', 'prod-eu', '--clock', 'manual');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`State: ${path.join(h.dir, '.kubesim', 'prod-eu.db')}`);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('Switched to context "prod-eu".');
    expect(fs.existsSync(path.join(h.dir, '.kubesim', 'prod-eu.db'))).toBe(true);
    expect((await h.run('config', 'current-context')).stdout).toBe('prod-eu\n');
  });

  it('--context picks the cluster: each shows its own nodes and its own objects', async () => {
    const h = home();
    await h.run('cluster', 'create', 'prod-eu', '--nodes', '2', '--cpu', '2', '--clock', 'manual');
    await h.run('cluster', 'create', 'prod-us', '--nodes', '3', '--cpu', '8', '--clock', 'manual');
    expect((await h.run('get', 'nodes', '-o', 'name', '--context', 'prod-eu')).stdout).toBe('node/node-1\nnode/node-2\n');
    expect((await h.run('get', 'nodes', '-o', 'name', '--context', 'prod-us')).stdout).toBe('node/node-1\nnode/node-2\nnode/node-3\n');
    fs.writeFileSync(path.join(h.dir, 'web.yaml'), deployment);
    await h.run('apply', '-f', 'web.yaml', '--context', 'prod-eu');
    expect((await h.run('get', 'deploy', '-o', 'name', '--context', 'prod-eu')).stdout).toBe('deployment.apps/web\n');
    const us = await h.run('get', 'deploy', '--context', 'prod-us');
    expect(us).toEqual({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
  });

  it('the same manifest schedules differently on clusters with different node shapes', async () => {
    const h = home();
    await h.run('cluster', 'create', 'prod-eu', '--nodes', '2', '--cpu', '2', '--clock', 'manual');
    await h.run('cluster', 'create', 'prod-us', '--nodes', '4', '--cpu', '4', '--clock', 'manual');
    fs.writeFileSync(path.join(h.dir, 'web.yaml'), deployment);
    for (const ctx of ['prod-eu', 'prod-us'])
      expect((await h.run('apply', '-f', 'web.yaml', '--context', ctx)).stdout).toBe('deployment.apps/web created\n');
    await h.run('clock', 'advance', '30s', '--context', 'prod-eu');
    await h.run('clock', 'advance', '30s', '--context', 'prod-us');
    const eu = await h.run('get', 'pods', '--context', 'prod-eu', '--field-selector', 'status.phase=Pending', '-o', 'name');
    const us = await h.run('get', 'pods', '--context', 'prod-us', '--field-selector', 'status.phase=Pending', '-o', 'name');
    // 2 nodes of 2 CPU hold one 1500m pod each; 4 nodes of 4 CPU hold all four
    expect(eu.stdout.trim().split('\n')).toHaveLength(2);
    expect(us.stdout).toBe('');
    expect((await h.run('get', 'deploy', '--context', 'prod-eu')).stdout).toMatch(/^web +2\/4 /m);
    expect((await h.run('get', 'deploy', '--context', 'prod-us')).stdout).toMatch(/^web +4\/4 /m);
  });

  it('get-contexts marks the current context and shows each namespace', async () => {
    const h = home();
    await h.run('cluster', 'create', 'a', '--clock', 'manual');
    await h.run('cluster', 'create', 'b', '--clock', 'manual');
    expect((await h.run('config', 'set-context', '--current', '--namespace=team')).stdout).toBe('Context "b" modified.\n');
    expect((await h.run('config', 'get-contexts')).stdout).toBe(
      'CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE\n          a      a                    default\n*         b      b                    team\n',
    );
    expect((await h.run('config', 'get-contexts', '-o', 'name')).stdout).toBe('a\nb\n');
  });

  it('a context namespace is the default namespace and -n still wins', async () => {
    const h = home();
    await h.run('cluster', 'create', 'a', '--clock', 'manual');
    await h.run('create', 'namespace', 'team');
    await h.run('config', 'set-context', '--current', '--namespace=team');
    expect((await h.run('create', 'configmap', 'cfg')).stdout).toBe('configmap/cfg created\n');
    expect((await h.run('get', 'configmap', 'cfg', '-n', 'team', '-o', 'name')).stdout).toBe('configmap/cfg\n');
    const r = await h.run('get', 'configmap', 'cfg', '-n', 'default');
    expect(r.stderr).toBe('Error from server (NotFound): configmaps "cfg" not found\n');
  });

  it('use-context switches clusters and delete-context removes one', async () => {
    const h = home();
    await h.run('cluster', 'create', 'a', '--nodes', '1', '--clock', 'manual');
    await h.run('cluster', 'create', 'b', '--nodes', '2', '--clock', 'manual');
    expect((await h.run('config', 'use-context', 'a')).stdout).toBe('Switched to context "a".\n');
    expect((await h.run('get', 'nodes', '-o', 'name')).stdout).toBe('node/node-1\n');
    const del = await h.run('config', 'delete-context', 'b');
    expect(del.stdout).toBe(`deleted context b from ${h.config}\n`);
    expect(del.stderr).toBe('');
    expect((await h.run('config', 'get-contexts', '-o', 'name')).stdout).toBe('a\n');
    const current = await h.run('config', 'delete-context', 'a');
    expect(current.stderr).toBe('warning: this removed your active context, use "kubesim config use-context" to select a different one\n');
  });

  it('an unknown context is an error in kubectl words, for every command', async () => {
    const h = home();
    await h.run('cluster', 'create', 'a', '--clock', 'manual');
    const r = await h.run('get', 'pods', '--context', 'nope');
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'Error in configuration: context was not found for specified context: nope\n' });
    const use = await h.run('config', 'use-context', 'nope');
    expect(use).toEqual({ code: 1, stdout: '', stderr: 'error: no context exists with the name: "nope"\n' });
    const del = await h.run('config', 'delete-context', 'nope');
    expect(del.stderr).toBe(`error: cannot delete context nope, not in ${h.config}\n`);
    expect((await h.run('config', 'get-contexts', 'nope')).stderr).toBe('error: context nope not found\n');
  });

  it('a missing config file means no contexts, not an error', async () => {
    const h = home();
    expect(await h.run('config', 'get-contexts')).toEqual({
      code: 0,
      stdout: 'CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE\n',
      stderr: '',
    });
    expect(await h.run('config', 'current-context')).toEqual({ code: 1, stdout: '', stderr: 'error: current-context is not set\n' });
    const r = await h.run('get', 'pods', '--context', 'prod');
    expect(r.stderr).toBe('Error in configuration: context was not found for specified context: prod\n');
    expect(r.code).toBe(1);
  });

  it('a config file that is not YAML is reported with its path', async () => {
    const h = home();
    fs.mkdirSync(path.dirname(h.config), { recursive: true });
    fs.writeFileSync(h.config, 'contexts: [unclosed\n');
    const r = await h.run('get', 'pods');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^error: error loading config file "${h.config.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}": `));
  });

  it('--state and KUBESIM_STATE take precedence over the current context', async () => {
    const h = home();
    await h.run('cluster', 'create', 'a', '--nodes', '1', '--clock', 'manual');
    const other = path.join(h.dir, 'other.db');
    await kubesim(other, ['cluster', 'create', '--nodes', '2', '--clock', 'manual'], { env: { HOME: h.dir } });
    expect((await kubesim(other, ['get', 'nodes', '-o', 'name'], { env: { HOME: h.dir } })).stdout).toBe('node/node-1\nnode/node-2\n');
    expect((await h.run('get', 'nodes', '-o', 'name', '--state', other)).stdout).toBe('node/node-1\nnode/node-2\n');
    expect((await kubesim(other, ['get', 'nodes', '-o', 'name', '--context', 'a'], { env: { HOME: h.dir } })).stdout).toBe('node/node-1\n');
  });

  it('cluster delete NAME removes its state and its context', async () => {
    const h = home();
    await h.run('cluster', 'create', 'gone', '--clock', 'manual');
    expect((await h.run('cluster', 'delete', 'gone')).code).toBe(0);
    expect(fs.existsSync(path.join(h.dir, '.kubesim', 'gone.db'))).toBe(false);
    expect((await h.run('config', 'get-contexts', '-o', 'name')).stdout).toBe('');
  });
});
