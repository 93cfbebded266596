import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

type Cluster = Awaited<ReturnType<typeof manualCluster>>;
const canI = async (c: Cluster, ...args: string[]) => (await c.run('auth', 'can-i', ...args)).stdout.trim();

describe('the default ClusterRoles and their aggregation', () => {
  it('has admin, edit and view aggregated from the system:aggregate-to-* roles', async () => {
    const c = await manualCluster();
    const names = (await c.run('get', 'clusterroles', '-o', 'name')).stdout.split('\n');
    expect(names).toEqual(
      expect.arrayContaining([
        'clusterrole.rbac.authorization.k8s.io/admin',
        'clusterrole.rbac.authorization.k8s.io/edit',
        'clusterrole.rbac.authorization.k8s.io/view',
        'clusterrole.rbac.authorization.k8s.io/system:aggregate-to-view',
        'clusterrole.rbac.authorization.k8s.io/system:basic-user',
      ]),
    );
    const view = JSON.parse((await c.run('get', 'clusterrole', 'view', '-o', 'json')).stdout);
    const source = JSON.parse((await c.run('get', 'clusterrole', 'system:aggregate-to-view', '-o', 'json')).stdout);
    expect(view.rules).toEqual(source.rules);
    const edit = JSON.parse((await c.run('get', 'clusterrole', 'edit', '-o', 'json')).stdout);
    // edit = aggregate-to-edit + view (labelled aggregate-to-edit), admin = aggregate-to-admin + edit
    expect(edit.rules.length).toBeGreaterThan(view.rules.length);
    expect(edit.rules).toEqual(expect.arrayContaining(view.rules));
  });

  it('answers auth can-i for bindings to view and edit as a cluster does', async () => {
    const c = await manualCluster();
    await c.run('create', 'namespace', 'dev');
    await c.run('create', 'rolebinding', 'jane-view', '--clusterrole=view', '--user=jane', '-n', 'dev');
    await c.run('create', 'rolebinding', 'joe-edit', '--clusterrole=edit', '--user=joe', '-n', 'dev');
    await c.run('create', 'rolebinding', 'ann-admin', '--clusterrole=admin', '--user=ann', '-n', 'dev');
    expect(await canI(c, 'list', 'pods', '-n', 'dev', '--as=jane')).toBe('yes');
    expect(await canI(c, 'get', 'deployments.apps', '-n', 'dev', '--as=jane')).toBe('yes');
    expect(await canI(c, 'create', 'pods', '-n', 'dev', '--as=jane')).toBe('no');
    expect(await canI(c, 'get', 'secrets', '-n', 'dev', '--as=jane')).toBe('no');
    expect(await canI(c, 'list', 'pods', '-n', 'default', '--as=jane')).toBe('no');
    expect(await canI(c, 'create', 'deployments.apps', '-n', 'dev', '--as=joe')).toBe('yes');
    expect(await canI(c, 'get', 'secrets', '-n', 'dev', '--as=joe')).toBe('yes');
    expect(await canI(c, 'create', 'rolebindings', '-n', 'dev', '--as=joe')).toBe('no');
    expect(await canI(c, 'create', 'rolebindings', '-n', 'dev', '--as=ann')).toBe('yes');
    // system:basic-user and system:discovery hold for every authenticated user
    expect(await canI(c, 'create', 'selfsubjectaccessreviews.authorization.k8s.io', '--as=nobody')).toBe('yes');
    expect(await canI(c, 'get', '/version', '--as=nobody')).toBe('yes');
    expect(await canI(c, 'get', '/metrics', '--as=nobody')).toBe('no');
  });

  it('adds the rules of a newly labelled role to the aggregated ones, and drops them when it goes', async () => {
    const c = await manualCluster();
    await c.run('create', 'namespace', 'dev');
    await c.run('create', 'rolebinding', 'jane-view', '--clusterrole=view', '--user=jane', '-n', 'dev');
    expect(await canI(c, 'list', 'widgets.example.com', '-n', 'dev', '--as=jane')).toBe('no');
    // a CRD's install bundle ships such a role for its resources
    c.file(
      'role.yaml',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: widget-reader}\nrules: [{apiGroups: [example.com], resources: [widgets], verbs: [get, list, watch]}]\n',
    );
    await c.run('apply', '-f', 'role.yaml');
    expect(await canI(c, 'list', 'widgets.example.com', '-n', 'dev', '--as=jane')).toBe('no');
    await c.run('label', 'clusterrole', 'widget-reader', 'rbac.authorization.k8s.io/aggregate-to-view=true');
    expect(await canI(c, 'list', 'widgets.example.com', '-n', 'dev', '--as=jane')).toBe('yes');
    await c.run('delete', 'clusterrole', 'widget-reader');
    expect(await canI(c, 'list', 'widgets.example.com', '-n', 'dev', '--as=jane')).toBe('no');
  });
});
