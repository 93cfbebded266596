import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

describe('apply with a stale resourceVersion', () => {
  it('is refused with the patch kubectl sent and the object it was for, and changes nothing', async () => {
    const c = await manualCluster();
    c.file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {a: "1", b: "2"}\n');
    await c.run('apply', '-f', 'cm.yaml');
    c.file('stale.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web, resourceVersion: "1"}\ndata: {a: "3"}\n');
    const r = await c.run('apply', '-f', 'stale.yaml');
    const lastApplied =
      '{\\"apiVersion\\":\\"v1\\",\\"data\\":{\\"a\\":\\"3\\"},\\"kind\\":\\"ConfigMap\\",\\"metadata\\":{\\"annotations\\":{},\\"name\\":\\"web\\",\\"namespace\\":\\"default\\",\\"resourceVersion\\":\\"1\\"}}\\n';
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: [
        'Error from server (Conflict): error when applying patch:',
        `{"data":{"a":"3","b":null},"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"${lastApplied}"},"resourceVersion":"1"}}`,
        'to:',
        'Resource: "/v1, Resource=configmaps", GroupVersionKind: "/v1, Kind=ConfigMap"',
        'Name: "web", Namespace: "default"',
        // the Patcher's AddSourceToErr("patching") inside apply's (kubectl 1.32 against kubesim serve prints the same)
        'for: "stale.yaml": error when patching "stale.yaml": Operation cannot be fulfilled on configmaps "web": the object has been modified; please apply your changes to the latest version and try again',
        '',
      ].join('\n'),
    });
    expect((await c.run('get', 'cm', 'web', '-o', 'jsonpath={.data}')).stdout).toBe('{"a":"1","b":"2"}');
  });
});

describe('apply of an object without a name', () => {
  it('fails on the Get as kubectl does, naming the mapping as resource.Info prints it', async () => {
    const c = await manualCluster();
    c.file(
      'noname.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {labels: {a: b}}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {}\n',
    );
    const r = await c.run('apply', '-f', 'noname.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      [
        'error: error when retrieving current configuration of:',
        'Resource: "/v1, Resource=configmaps", GroupVersionKind: "/v1, Kind=ConfigMap"',
        'Name: "", Namespace: "default"',
        'from server for: "noname.yaml": resource name may not be empty',
        'error: error when retrieving current configuration of:',
        'Resource: "apps/v1, Resource=deployments", GroupVersionKind: "apps/v1, Kind=Deployment"',
        'Name: "", Namespace: "default"',
        'from server for: "noname.yaml": resource name may not be empty',
        '',
      ].join('\n'),
    );
  });
});
