import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

describe('namespace spec.finalizers and termination', () => {
  it('a namespace is created with the kubernetes finalizer, added to any it names', async () => {
    const c = await manualCluster();
    await c.run('create', 'namespace', 'shop');
    expect((await c.run('get', 'ns', 'shop', '-o', 'jsonpath={.spec.finalizers} {.status.phase}')).stdout).toBe('["kubernetes"] Active');
    c.file('ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: held}\nspec: {finalizers: [example.com/hold]}\n');
    await c.run('apply', '-f', 'ns.yaml');
    expect((await c.run('get', 'ns', 'held', '-o', 'jsonpath={.spec.finalizers}')).stdout).toBe('["example.com/hold","kubernetes"]');
  });

  it('Terminating while content goes, with the deleter conditions; a second delete is refused; then the namespace is gone', async () => {
    const c = await manualCluster();
    await c.run('create', 'namespace', 'shop');
    c.file(
      'pod.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, annotations: {sim.kubesim.io/shutdown-seconds: "20"}}\nspec: {containers: [{name: web, image: nginx:1.27}]}\n',
    );
    await c.run('apply', '-f', 'pod.yaml');
    await c.run('create', 'configmap', 'settings', '-n', 'shop');
    await c.run('clock', 'advance', '5s');
    expect((await c.run('delete', 'namespace', 'shop', '--wait=false')).stdout).toBe('namespace "shop" deleted\n');
    const ns = JSON.parse((await c.run('get', 'ns', 'shop', '-o', 'json')).stdout);
    expect(ns.status.phase).toBe('Terminating');
    expect(ns.spec.finalizers).toEqual(['kubernetes']);
    expect(ns.status.conditions.map((x: Record<string, string>) => [x.type, x.status, x.reason, x.message])).toEqual([
      ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered', 'All resources successfully discovered'],
      ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
      ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
      ['NamespaceContentRemaining', 'True', 'SomeResourcesRemain', 'Some resources are remaining: pods. has 1 resource instances'],
      ['NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'],
    ]);
    // the ConfigMap went at once, the pod is in its grace period
    expect((await c.run('get', 'configmaps', '-n', 'shop')).stderr).toBe('No resources found in shop namespace.\n');
    const again = await c.run('delete', 'namespace', 'shop');
    expect([again.code, again.stderr]).toEqual([
      1,
      'Error from server (Conflict): Operation cannot be fulfilled on namespaces "shop": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.\n',
    ]);
    expect((await c.run('get', 'ns', 'shop', '--no-headers')).stdout).toMatch(/^shop +Terminating/);
    await c.run('clock', 'advance', '30s');
    expect((await c.run('get', 'ns', 'shop')).stderr).toBe('Error from server (NotFound): namespaces "shop" not found\n');
  });

  it('another finalizer in spec.finalizers keeps an emptied namespace Terminating after the controller removes its own', async () => {
    const c = await manualCluster();
    c.file('ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: held}\nspec: {finalizers: [example.com/hold]}\n');
    await c.run('apply', '-f', 'ns.yaml');
    expect((await c.run('delete', 'namespace', 'held', '--wait=false')).code).toBe(0);
    await c.run('clock', 'advance', '10s');
    expect((await c.run('get', 'ns', 'held', '-o', 'jsonpath={.status.phase} {.spec.finalizers}')).stdout).toBe(
      'Terminating ["example.com/hold"]',
    );
  });

  it('spec.finalizers change only through the finalize subresource (PUT /api/v1/namespaces/NAME/finalize)', async () => {
    const c = await manualCluster();
    c.file('ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: held}\nspec: {finalizers: [example.com/hold]}\n');
    await c.run('apply', '-f', 'ns.yaml');
    expect((await c.run('delete', 'namespace', 'held', '--wait=false')).code).toBe(0);
    await c.run('clock', 'advance', '10s');
    // an update of the namespace itself keeps the stored finalizers (namespaceStrategy.PrepareForUpdate)
    const ns = JSON.parse((await c.run('get', 'ns', 'held', '-o', 'json')).stdout);
    c.file('emptied.json', JSON.stringify({ ...ns, spec: { finalizers: [] } }));
    expect((await c.run('replace', '-f', 'emptied.json')).code).toBe(0);
    expect((await c.run('get', 'ns', 'held', '-o', 'jsonpath={.spec.finalizers}')).stdout).toBe('["example.com/hold"]');
    // a finalizer name that is neither standard nor qualified is refused (validateFinalizerName)
    c.file('bad.json', JSON.stringify({ ...ns, spec: { finalizers: ['hold'] } }));
    const bad = await c.run('replace', '--raw', '/api/v1/namespaces/held/finalize', '-f', 'bad.json');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      'Namespace "held" is invalid: spec.finalizers[0]: Invalid value: "hold": name is neither a standard finalizer name nor is it fully qualified\n',
    );
    expect((await c.run('get', 'ns', 'held', '-o', 'jsonpath={.spec.finalizers}')).stdout).toBe('["example.com/hold"]');
    // the finalize subresource empties them, and the namespace controller then removes the namespace
    const finalized = await c.run('replace', '--raw', '/api/v1/namespaces/held/finalize', '-f', 'emptied.json');
    expect(finalized.code).toBe(0);
    const body = JSON.parse(finalized.stdout);
    expect([body.kind, body.spec.finalizers, body.status.phase]).toEqual(['Namespace', undefined, 'Terminating']);
    expect((await c.run('get', 'ns', 'held')).stderr).toBe('Error from server (NotFound): namespaces "held" not found\n');
  });
});
