import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

// kubectl 1.32 prune.go: each pruned object gets its DELETE (--cascade, --grace-period) and a
// `pruned` line; nothing waits for it to go, --wait included (verified against kubesim serve: a
// finalizer-held ConfigMap, --wait=true --timeout=5s, returned at once, exit 0)
const DEPRECATED =
  /^W\d{4} \d{2}:\d{2}:\d{2}\.\d{6} +\d+ prune\.go:71\] Deprecated: kubectl apply will no longer prune non-namespaced resources by default when used with the --namespace flag in a future release\. To preserve the current behaviour, list the resources you want to target explicitly in the --prune-allowlist flag\.\n$/;

describe('apply --prune of an object a finalizer holds', () => {
  it('prints pruned and exits 0 without waiting; the object stays Terminating and is pruned again next time', async () => {
    const c = await manualCluster();
    c.file(
      'both.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: held, labels: {app: p}, finalizers: [example.com/hold]}\n---\n' +
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: keep, labels: {app: p}}\n---\n' +
        'apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: p}}\nspec: {containers: [{name: web, image: nginx:1.27}]}\n---\n' +
        'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: robot, labels: {app: p}}\n',
    );
    c.file('keep.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: keep, labels: {app: p}}\n');
    await c.run('apply', '-f', 'both.yaml');
    const before = (await c.run('clock')).stdout;
    const r = await c.run('apply', '--prune', '-l', 'app=p', '--wait=true', '--timeout=5s', '-f', 'keep.yaml');
    // the default allowlist, in its order (ConfigMap … Pod …): a ServiceAccount is not on it and stays
    expect([r.code, r.stdout]).toEqual([0, 'configmap/keep unchanged\nconfigmap/held pruned\npod/web pruned\n']);
    expect((await c.run('get', 'sa', 'robot', '-o', 'name')).stdout).toBe('serviceaccount/robot\n');
    // the default allowlist: klog's deprecation warning (prune.GetRESTMappings, the namespace always set)
    expect(r.stderr).toMatch(DEPRECATED);
    // no virtual time went by waiting: the pod is in its grace period still
    expect((await c.run('clock')).stdout).toBe(before);
    expect((await c.run('get', 'pod', 'web', '--no-headers')).stdout).toMatch(/^web +\d\/1 +Terminating /);
    expect((await c.run('get', 'cm', 'held', '-o', 'jsonpath={.metadata.finalizers}')).stdout).toBe('["example.com/hold"]');
    expect((await c.run('get', 'cm', 'held', '-o', 'jsonpath={.metadata.deletionTimestamp}')).stdout).not.toBe('');
    // still listed and labelled: the next prune deletes it again (a no-op DELETE) and says so
    await c.run('clock', 'advance', '1m');
    expect(await c.run('apply', '--prune', '-l', 'app=p', '--prune-allowlist=core/v1/ConfigMap', '-f', 'keep.yaml')).toEqual({
      code: 0,
      stdout: 'configmap/keep unchanged\nconfigmap/held pruned\n',
      stderr: '',
    });
    // its finalizer removed, it goes
    await c.run('patch', 'cm', 'held', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]');
    expect((await c.run('get', 'cm', 'held')).stderr).toBe('Error from server (NotFound): configmaps "held" not found\n');
  });
});
