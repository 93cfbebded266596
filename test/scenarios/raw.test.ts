import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

describe('get|create|replace|delete --raw (answered in-process by the API router kubesim serve uses)', () => {
  it('copies the response body to stdout and reports Status errors as kubectl does', async () => {
    const c = await manualCluster();
    const version = await c.run('get', '--raw', '/version');
    expect(version.code).toBe(0);
    expect(JSON.parse(version.stdout)).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.0' });
    expect(await c.run('get', '--raw', '/api/v1/namespaces/default/pods/nope')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error from server (NotFound): pods "nope" not found\n',
    });
    c.file('cm.json', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'raw' }, data: { a: '1' } }));
    const created = await c.run('create', '--raw', '/api/v1/namespaces/default/configmaps', '-f', 'cm.json');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'raw', namespace: 'default' } });
    expect((await c.run('create', '--raw', '/api/v1/namespaces/default/configmaps', '-f', 'cm.json')).stderr).toBe(
      'Error from server (AlreadyExists): configmaps "raw" already exists\n',
    );
    c.file('cm2.json', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'raw' }, data: { a: '2' } }));
    expect((await c.run('replace', '--raw', '/api/v1/namespaces/default/configmaps/raw', '-f', 'cm2.json')).code).toBe(0);
    expect((await c.run('get', 'cm', 'raw', '-o', 'jsonpath={.data.a}')).stdout).toBe('2');
    expect((await c.run('delete', '--raw', '/api/v1/namespaces/default/configmaps/raw')).code).toBe(0);
    expect((await c.run('get', 'cm', 'raw')).code).toBe(1);
    const table = await c.run('get', '--raw', '/api/v1/nodes');
    expect(JSON.parse(table.stdout).items.map((n: { metadata: { name: string } }) => n.metadata.name)).toEqual([
      'node-1',
      'node-2',
      'node-3',
    ]);
  });

  it('checks its flags as kubectl does and authorizes as the command user', async () => {
    const c = await manualCluster();
    expect((await c.run('get', 'pods', '--raw', '/api/v1/pods')).stderr).toBe(
      'error: arguments may not be passed when --raw is specified\n',
    );
    expect((await c.run('get', '--raw', 'api/v1')).stderr).toBe(
      'error: --raw must be a valid URL path: parse "api/v1": invalid URI for request\n',
    );
    expect((await c.run('get', '--raw', '/api/v1/pods', '-o', 'json')).stderr).toBe('error: --raw and --output are mutually exclusive\n');
    expect((await c.run('create', '--raw', '/api/v1/namespaces/default/configmaps')).stderr).toBe('error: must specify one of -f and -k\n');
    expect(await c.run('get', '--raw', '/api/v1/pods', '--as', 'jane')).toMatchObject({
      code: 1,
      stderr:
        'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" at the cluster scope\n',
    });
  });
});
