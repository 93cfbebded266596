import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

const renewTimes = async (c: Awaited<ReturnType<typeof manualCluster>>) =>
  (await c.run('get', 'leases', '-n', 'kube-node-lease', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.renewTime} {end}'))
    .stdout;

describe('Lease', () => {
  it('each node has a heartbeat Lease in kube-node-lease, renewed every 10 s while its kubelet runs', async () => {
    const c = await manualCluster();
    expect((await c.run('get', 'leases', '-A')).stdout).toBe(
      'NAMESPACE         NAME     HOLDER   AGE\n' +
        'kube-node-lease   node-1   node-1   0s\n' +
        'kube-node-lease   node-2   node-2   0s\n' +
        'kube-node-lease   node-3   node-3   0s\n',
    );
    const lease = JSON.parse((await c.run('get', 'lease', 'node-1', '-n', 'kube-node-lease', '-o', 'json')).stdout);
    const node = JSON.parse((await c.run('get', 'node', 'node-1', '-o', 'json')).stdout);
    expect(lease.spec).toEqual({ holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2025-01-01T00:00:00.000000Z' });
    expect(lease.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Node', name: 'node-1', uid: node.metadata.uid }]);
    await c.run('clock', 'advance', '25s');
    expect(await renewTimes(c)).toBe(
      'node-1=2025-01-01T00:00:20.000000Z node-2=2025-01-01T00:00:20.000000Z node-3=2025-01-01T00:00:20.000000Z ',
    );
    await c.run('node', 'fail', 'node-2');
    await c.run('clock', 'advance', '60s');
    expect(await renewTimes(c)).toBe(
      'node-1=2025-01-01T00:01:20.000000Z node-2=2025-01-01T00:00:20.000000Z node-3=2025-01-01T00:01:20.000000Z ',
    );
    expect((await c.run('describe', 'node', 'node-2')).stdout).toContain(
      'Lease:\n  HolderIdentity:  node-2\n  AcquireTime:     <unset>\n  RenewTime:       Wed, 01 Jan 2025 00:00:20 +0000\n',
    );
  });

  it('a node lease goes with its node and comes back when deleted', async () => {
    const c = await manualCluster();
    await c.run('delete', 'lease', 'node-3', '-n', 'kube-node-lease');
    expect((await c.run('get', 'lease', 'node-3', '-n', 'kube-node-lease', '-o', 'name')).stdout).toBe(
      'lease.coordination.k8s.io/node-3\n',
    );
    await c.run('delete', 'node', 'node-3');
    await c.run('clock', 'advance', '5s');
    expect((await c.run('get', 'leases', '-n', 'kube-node-lease', '-o', 'name')).stdout).toBe(
      'lease.coordination.k8s.io/node-1\nlease.coordination.k8s.io/node-2\n',
    );
  });

  it('stores leader-election leases and refuses invalid ones', async () => {
    const c = await manualCluster();
    c.file(
      'lease.yaml',
      'apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata: {name: my-controller}\nspec: {holderIdentity: pod-a, leaseDurationSeconds: 15}\n',
    );
    expect((await c.run('apply', '-f', 'lease.yaml')).stdout).toBe('lease.coordination.k8s.io/my-controller created\n');
    expect((await c.run('get', 'lease')).stdout).toBe('NAME            HOLDER   AGE\nmy-controller   pod-a    0s\n');
    c.file(
      'bad.yaml',
      'apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata: {name: bad}\nspec: {leaseDurationSeconds: 0, leaseTransitions: -1}\n',
    );
    expect(await c.run('apply', '-f', 'bad.yaml')).toMatchObject({
      code: 1,
      stderr:
        'The Lease "bad" is invalid: \n* spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0\n* spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0\n',
    });
  });
});
