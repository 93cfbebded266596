import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

// The remaining kubectl flags of events, scale, label/annotate, rollout history, wait, diff (issue #19).

describe('events --chunk-size and --show-managed-fields', () => {
  it('lists the same events whatever the chunk size, and checks both values', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx');
    await c.run('clock', 'advance', '5s');
    const all = await c.run('events');
    expect(all.stdout).toContain('ScalingReplicaSet');
    expect(await c.run('events', '--chunk-size=1')).toEqual(all);
    expect((await c.run('events', '--chunk-size=x')).stderr).toContain('invalid argument "x" for "--chunk-size" flag');
    expect((await c.run('events', '-o', 'name', '--show-managed-fields')).code).toBe(0);
    expect((await c.run('events', '-o', 'yaml', '--show-managed-fields=nope')).stderr).toContain(
      'invalid argument "nope" for "--show-managed-fields" flag',
    );
  });
});

describe('scale --resource-version and --timeout', () => {
  it('--resource-version is a precondition, for one object only', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx');
    await c.run('create', 'deployment', 'api', '--image=nginx');
    const rv = (await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.metadata.resourceVersion}')).stdout;
    expect(await c.run('scale', 'deploy', 'web', '--replicas=2', '--resource-version=1')).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: Expected resource version to be 1, was ${rv}\n`,
    });
    expect(await c.run('scale', 'deploy', '--all', '--replicas=2', `--resource-version=${rv}`)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: cannot use --resource-version with multiple resources\n',
    });
    expect((await c.run('scale', 'deploy', 'web', '--replicas=2', `--resource-version=${rv}`)).stdout).toBe('deployment.apps/web scaled\n');
  });

  it('--timeout waits in virtual time until the new size is reached, or says it timed out', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx');
    expect(await c.run('scale', 'deploy', 'web', '--replicas=3', '--timeout=1m')).toEqual({
      code: 0,
      stdout: 'deployment.apps/web scaled\n',
      stderr: '',
    });
    expect((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.status.replicas}')).stdout).toBe('3');
    // the ReplicaSet creates pods at once but a StatefulSet waits for each to be Ready: 2s is too short for 5
    c.file(
      'sts.yaml',
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: db, image: nginx}]}\n',
    );
    await c.run('apply', '-f', 'sts.yaml');
    expect(await c.run('scale', 'sts', 'db', '--replicas=5', '--timeout=2s')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: timed out waiting for "db" to be synced\n',
    });
    expect((await c.run('get', 'sts', 'db', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('5');
    expect((await c.run('scale', 'deploy', 'web', '--replicas=1', '--timeout=x')).stderr).toContain(
      'invalid argument "x" for "--timeout" flag: time: invalid duration "x"\n',
    );
  });
});
