import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

/**
 * metadata.finalizers as the API server's generic registry honours them (registry/generic/
 * registry/store.go): a deleted object that still has a finalizer stays, Terminating, until an
 * update removes the last one; no finalizer can be added while it is being deleted (apimachinery
 * ValidateNoNewFinalizers); kubectl delete's wait reports what does not go.
 */
describe('finalizers', () => {
  it('a deleted ConfigMap with a finalizer stays until the finalizer is removed; delete waits, then says it timed out', async () => {
    const c = await manualCluster();
    await c.run('create', 'configmap', 'c', '--from-literal=a=b');
    await c.run('patch', 'configmap', 'c', '-p', '{"metadata":{"finalizers":["example.com/hold"]}}');
    const del = await c.run('delete', 'configmap', 'c');
    expect(del.stdout).toBe('configmap "c" deleted\n');
    expect(del.stderr).toBe('error: timed out waiting for the condition on configmaps/c\n');
    expect(del.code).toBe(1);
    const meta = await c.run(
      'get',
      'configmap',
      'c',
      '-o',
      'jsonpath={.metadata.deletionTimestamp} {.metadata.deletionGracePeriodSeconds}',
    );
    expect(meta.stdout).toBe('2025-01-01T00:00:00Z 0');
    // a second delete changes nothing
    expect((await c.run('delete', 'configmap', 'c', '--wait=false')).code).toBe(0);
    expect((await c.run('get', 'configmap', 'c', '-o', 'jsonpath={.metadata.finalizers}')).stdout).toBe('["example.com/hold"]');

    const added = await c.run('patch', 'configmap', 'c', '-p', '{"metadata":{"finalizers":["example.com/hold","example.com/more"]}}');
    expect(added.stderr).toBe(
      'The ConfigMap "c" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/more"}\n',
    );
    expect(added.code).toBe(1);

    expect((await c.run('patch', 'configmap', 'c', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]')).stdout).toBe(
      'configmap/c patched\n',
    );
    expect((await c.run('get', 'configmap', 'c')).stderr).toBe('Error from server (NotFound): configmaps "c" not found\n');
  });

  it('an object without finalizers, or only with those kubesim finishes itself, goes at once', async () => {
    const c = await manualCluster();
    await c.run('create', 'configmap', 'plain');
    const del = await c.run('delete', 'configmap', 'plain');
    expect([del.code, del.stderr]).toEqual([0, '']);
    expect((await c.run('get', 'configmap', 'plain')).code).toBe(1);
  });

  it('a pod with a finalizer is stopped by the kubelet and stays, Terminating with no grace left, until the finalizer goes', async () => {
    const c = await manualCluster();
    await c.run('run', 'p', '--image=nginx');
    await c.run('clock', 'advance', '20s');
    await c.run('patch', 'pod', 'p', '-p', '{"metadata":{"finalizers":["example.com/hold"]}}');
    expect((await c.run('delete', 'pod', 'p', '--wait=false')).stdout).toBe('pod "p" deleted\n');
    await c.run('clock', 'advance', '40s');
    // the kubelet stopped it (terminal phase) and asked for the deletion at once: the deletion moved to then
    const meta = await c.run(
      'get',
      'pod',
      'p',
      '-o',
      'jsonpath={.metadata.deletionTimestamp} {.metadata.deletionGracePeriodSeconds} {.status.phase}',
    );
    expect(meta.stdout).toBe('2025-01-01T00:00:21Z 0 Succeeded');
    await c.run('patch', 'pod', 'p', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]');
    expect((await c.run('get', 'pod', 'p')).stderr).toBe('Error from server (NotFound): pods "p" not found\n');
  });

  it('replace --force of an object a finalizer holds deletes it, then says its wait timed out and creates nothing', async () => {
    const c = await manualCluster();
    await c.run('create', 'configmap', 'c', '--from-literal=a=b');
    await c.run('patch', 'configmap', 'c', '-p', '{"metadata":{"finalizers":["example.com/hold"]}}');
    c.file('c.yaml', (await c.run('get', 'configmap', 'c', '-o', 'yaml')).stdout);
    const r = await c.run('replace', '--force', '-f', 'c.yaml');
    expect([r.stdout, r.stderr, r.code]).toEqual(['configmap "c" deleted\n', 'error: timed out waiting for the condition\n', 1]);
    expect((await c.run('get', 'configmap', 'c', '-o', 'jsonpath={.metadata.deletionTimestamp}')).stdout).toBe('2025-01-01T00:00:00Z');
  });
});
