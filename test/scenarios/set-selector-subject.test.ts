import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

describe('set selector', () => {
  it("replaces a Service's selector, so its endpoints follow the new pods", async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'blue', '--image=nginx', '--replicas=1');
    await c.run('create', 'deployment', 'green', '--image=nginx', '--replicas=1');
    await c.run('create', 'service', 'clusterip', 'web', '--tcp=80:80');
    await c.run('clock', 'advance', '30s');
    expect(await c.run('set', 'selector', 'service', 'web', 'app=green')).toEqual({
      code: 0,
      stdout: 'service/web selector updated\n',
      stderr: '',
    });
    const svc = JSON.parse((await c.run('get', 'service', 'web', '-o', 'json')).stdout);
    expect(svc.spec.selector).toEqual({ app: 'green' });
    await c.run('clock', 'advance', '5s');
    const green = JSON.parse((await c.run('get', 'pods', '-l', 'app=green', '-o', 'json')).stdout).items[0];
    const slices = JSON.parse((await c.run('get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o', 'json')).stdout).items;
    expect(slices.flatMap((s: { endpoints?: { addresses: string[] }[] }) => (s.endpoints ?? []).flatMap((e) => e.addresses))).toEqual([
      green.status.podIP,
    ]);
  });

  it('refuses what kubectl refuses: no selector, match expressions, other kinds, a stale --resource-version', async () => {
    const c = await manualCluster();
    await c.run('create', 'service', 'clusterip', 'web', '--tcp=80:80');
    await c.run('create', 'deployment', 'd', '--image=nginx');
    expect(await c.run('set', 'selector', 'service')).toEqual({
      code: 1,
      stdout: '',
      stderr: expect.stringContaining('error: You must provide one or more resources'),
    });
    expect(await c.run('set', 'selector')).toEqual({ code: 1, stdout: '', stderr: 'error: one selector is required\n' });
    expect(await c.run('set', 'selector', 'service', 'web', 'tier in (a,b)')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: match expression [{tier In [a b]}] not supported on this object\n',
    });
    expect((await c.run('set', 'selector', 'deployment', 'd', 'app=x')).stderr).toBe(
      'error: setting a selector is only supported for Services\n',
    );
    const stale = await c.run('set', 'selector', 'service', 'web', 'app=x', '--resource-version=1');
    expect(stale.stderr).toMatch(/^Error from server \(Conflict\): Operation cannot be fulfilled on services "web"/);
    expect(stale.code).toBe(1);
  });
});

describe('set subject', () => {
  it('adds users, groups and service accounts to a binding once; the new subjects get its access', async () => {
    const c = await manualCluster();
    await c.run('create', 'role', 'reader', '--verb=get', '--resource=pods');
    await c.run('create', 'rolebinding', 'readers', '--role=reader', '--user=alice');
    expect(
      await c.run('set', 'subject', 'rolebinding', 'readers', '--user=bob', '--user=alice', '--group=devs', '--serviceaccount=:ci'),
    ).toEqual({
      code: 0,
      stdout: 'rolebinding.rbac.authorization.k8s.io/readers subject updated\n',
      stderr: '',
    });
    const binding = JSON.parse((await c.run('get', 'rolebinding', 'readers', '-o', 'json')).stdout);
    expect(binding.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'bob' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'devs' },
      { kind: 'ServiceAccount', name: 'ci', namespace: 'default' },
    ]);
    expect((await c.run('auth', 'can-i', 'get', 'pods', '--as=bob')).stdout).toBe('yes\n');
    // nothing new: no write and nothing said
    expect(await c.run('set', 'subject', 'rolebinding', 'readers', '--user=bob')).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('refuses what kubectl refuses', async () => {
    const c = await manualCluster();
    await c.run('create', 'clusterrolebinding', 'admins', '--clusterrole=view', '--user=alice');
    await c.run('create', 'deployment', 'd', '--image=nginx');
    const fail = (stderr: string) => ({ code: 1, stdout: '', stderr });
    expect(await c.run('set', 'subject', 'clusterrolebinding', 'admins')).toEqual(
      fail('error: you must specify at least one value of user, group or serviceaccount\n'),
    );
    expect(await c.run('set', 'subject', 'clusterrolebinding', 'admins', '--serviceaccount=ci')).toEqual(
      fail('error: serviceaccount must be <namespace>:<name>\n'),
    );
    expect(await c.run('set', 'subject', 'clusterrolebinding', 'admins', '--serviceaccount=:ci')).toEqual(
      fail('error: serviceaccount must be <namespace>:<name>, namespace must be specified\n'),
    );
    expect(await c.run('set', 'subject', 'deployment', 'd', '--user=x')).toEqual(
      fail('error: deployments/d setting subjects is only supported for RoleBinding/ClusterRoleBinding\n'),
    );
    expect(await c.run('set', 'subject', 'clusterrolebinding', '--all', '-l', 'a=b', '--user=x')).toEqual(
      fail('error: cannot set --all and --selector at the same time\n'),
    );
  });
});
