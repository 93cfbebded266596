import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

const WARNING = 'Warning: v1 ComponentStatus is deprecated in v1.19+\n';

describe('componentstatuses (v1, deprecated): the control plane answers healthy, made on each request and stored nowhere', () => {
  it('get cs lists the scheduler, the controller manager and etcd as kubectl prints them, with the deprecation warning', async () => {
    const c = await manualCluster();
    expect(await c.run('get', 'cs')).toEqual({
      code: 0,
      stdout:
        'NAME                 STATUS    MESSAGE   ERROR\n' +
        'controller-manager   Healthy   ok        \n' +
        'etcd-0               Healthy   ok        \n' +
        'scheduler            Healthy   ok        \n',
      stderr: WARNING,
    });
    expect((await c.run('get', 'componentstatus', 'etcd-0', '-o', 'yaml')).stdout).toBe(
      'apiVersion: v1\nconditions:\n- message: ok\n  status: "True"\n  type: Healthy\nkind: ComponentStatus\nmetadata:\n  creationTimestamp: null\n  name: etcd-0\n',
    );
    // rest.go Get answers a name it does not probe with a plain error: a 500 without a reason, even with --ignore-not-found
    expect(await c.run('get', 'cs', 'nope', '--ignore-not-found')).toEqual({
      code: 1,
      stdout: '',
      stderr: `${WARNING}Error from server: Component not found: nope\n`,
    });
    expect((await c.run('describe', 'cs', 'scheduler')).stdout).toMatch(/^Name:\s+scheduler\n[\s\S]*Conditions:\n\s+Message:\s+ok\n/);
  });

  it("is a get/list resource of the core group in api-resources, in a real server's place, and explained from its schema", async () => {
    const c = await manualCluster();
    const rows = (await c.run('api-resources', '-o', 'wide')).stdout.split('\n');
    expect(rows.slice(1, 4).map((r) => r.split(/\s+/).slice(0, 6))).toEqual([
      ['bindings', 'v1', 'true', 'Binding', 'create', ''],
      ['componentstatuses', 'cs', 'v1', 'false', 'ComponentStatus', 'get,list'],
      ['configmaps', 'cm', 'v1', 'true', 'ConfigMap', 'create,delete,deletecollection,get,list,patch,update,watch'],
    ]);
    expect((await c.run('explain', 'cs.conditions.status')).stdout).toContain('FIELD: status <string>\n');
  });
});
