import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

// ObjectMeta's labels, annotations and finalizers are `omitempty` in the API server's JSON:
// an empty map or list is stored and served as no field at all.
describe('empty labels, annotations and finalizers are no field', () => {
  it('a create that sends them empty stores none of them', async () => {
    const c = await manualCluster();
    c.file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {}, annotations: {}, finalizers: []}\n');
    await c.run('create', '-f', 'cm.yaml');
    const meta = JSON.parse((await c.run('get', 'cm', 'a', '-o', 'json')).stdout).metadata;
    expect(Object.keys(meta).sort()).toEqual(['creationTimestamp', 'name', 'namespace', 'resourceVersion', 'uid']);
  });

  it('an update that empties them, by a user or by a controller, leaves no field', async () => {
    const c = await manualCluster();
    c.file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, finalizers: [example.com/hold]}\n');
    await c.run('create', '-f', 'cm.yaml');
    await c.run('patch', 'cm', 'a', '--type=json', '-p', '[{"op":"replace","path":"/metadata/finalizers","value":[]}]');
    expect((await c.run('get', 'cm', 'a', '-o', 'jsonpath={.metadata}')).stdout).not.toContain('finalizers');
    // the Job controller removes its tracking finalizer from a pod that finished
    await c.run('create', 'job', 'j', '--image=busybox', '--', 'sh', '-c', 'echo hi');
    await c.run('clock', 'advance', '30s');
    const pod = JSON.parse((await c.run('get', 'pods', '-l', 'job-name=j', '-o', 'json')).stdout).items[0];
    expect(pod.status.phase).toBe('Succeeded');
    expect(pod.metadata).not.toHaveProperty('finalizers');
  });
});
