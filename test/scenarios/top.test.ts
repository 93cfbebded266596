import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

/** Two pods on node-1 with known usage (sim.kubesim.io knobs), running after the clock moves. */
async function clusterWithUsage() {
  const c = await manualCluster();
  const pod = (name: string, node: string, cpu: string, mem: string, containers: string[]) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {app: ${name}}
  annotations: {sim.kubesim.io/cpu-millicores: "${cpu}", sim.kubesim.io/memory-bytes: "${mem}"}
spec:
  nodeName: ${node}
  containers:
${containers.map((n) => `  - {name: ${n}, image: nginx}`).join('\n')}
`;
  c.file('pods.yaml', [pod('web', 'node-1', '300', '256Mi', ['app', 'sidecar']), pod('db', 'node-2', '100', '1Gi', ['db'])].join('---\n'));
  expect((await c.run('apply', '-f', 'pods.yaml')).code).toBe(0);
  await c.run('clock', 'advance', '5s');
  return c;
}

describe('kubesim top', () => {
  it('top pod --sum adds a total row under the usage columns, as kubectl prints it', async () => {
    const c = await clusterWithUsage();
    expect(await c.run('top', 'pod', '--sum')).toEqual({
      code: 0,
      stdout: [
        'NAME   CPU(cores)   MEMORY(bytes)   ',
        'db     100m         1024Mi          ',
        'web    300m         256Mi           ',
        '       ________     ________        ',
        '       400m         1280Mi          ',
        '',
      ].join('\n'),
      stderr: '',
    });
    const containers = await c.run('top', 'pod', '--sum', '--containers', '-A', '--sort-by=cpu');
    expect(containers.stdout).toBe(
      [
        'NAMESPACE   POD   NAME      CPU(cores)   MEMORY(bytes)   ',
        'default     web   app       150m         128Mi           ',
        'default     web   sidecar   150m         128Mi           ',
        'default     db    db        100m         1024Mi          ',
        '                            ________     ________        ',
        '                            400m         1280Mi          ',
        '',
      ].join('\n'),
    );
  });

  it('top pod --field-selector filters like a pod list; a NAME with a selector is refused', async () => {
    const c = await clusterWithUsage();
    expect((await c.run('top', 'pod', '--field-selector', 'spec.nodeName=node-2', '--no-headers')).stdout).toBe('db    100m   1024Mi   \n');
    expect(await c.run('top', 'pod', 'web', '-l', 'app=web')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: only one of NAME or selector can be provided\n',
    });
    expect((await c.run('top', 'pod', '--field-selector', 'spec.bogus=x')).stderr).toContain('field label not supported: spec.bogus');
  });

  it('top pod with pods but no metrics says why, as kubectl verifyEmptyMetrics does', async () => {
    const c = await manualCluster();
    c.file(
      'stuck.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: stuck}\nspec:\n  nodeSelector: {disk: none}\n  containers: [{name: a, image: nginx}]\n',
    );
    expect((await c.run('apply', '-f', 'stuck.yaml')).code).toBe(0);
    // younger than metricsCreationDelay (2m): not scraped yet
    expect(await c.run('top', 'pod')).toEqual({ code: 1, stdout: '', stderr: 'error: metrics not available yet\n' });
    expect(await c.run('top', 'pod', 'stuck')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error from server (NotFound): podmetrics.metrics.k8s.io "default/stuck" not found\n',
    });
    await c.run('clock', 'advance', '3m');
    expect((await c.run('top', 'pod')).stderr).toBe('error: Metrics not available for pod default/stuck, age: 3m0s\n');
    // no pods at all: nothing to explain
    expect(await c.run('top', 'pod', '-n', 'kube-public')).toEqual({
      code: 0,
      stdout: '',
      stderr: 'No resources found in kube-public namespace.\n',
    });
  });

  it('top node --show-capacity measures against capacity instead of allocatable', async () => {
    const c = await clusterWithUsage();
    // a node whose kubelet reserves most of its 4 CPU / 16Gi: 100m of 1 CPU is 10%, of 4 CPU 2%
    c.file(
      'node.yaml',
      'apiVersion: v1\nkind: Node\nmetadata: {name: node-2}\nstatus:\n  capacity: {cpu: "4", memory: 16Gi, pods: "110"}\n  allocatable: {cpu: "1", memory: 2Gi, pods: "110"}\n',
    );
    // (the node's status is the kubelet's: a write of the Node itself keeps the stored one)
    expect((await c.run('replace', '--subresource=status', '-f', 'node.yaml')).stderr).toBe('');
    const allocatable = await c.run('top', 'node', 'node-2');
    expect(allocatable.stdout).toBe(
      'NAME     CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   \nnode-2   100m         10%      1024Mi          50%         \n',
    );
    const capacity = await c.run('top', 'node', 'node-2', '--show-capacity');
    expect(capacity.stdout).toBe(
      'NAME     CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   \nnode-2   100m         2%       1024Mi          6%          \n',
    );
    expect((await c.run('top', 'node', 'node-2', '-l', 'x=y')).stderr).toBe('error: only one of NAME or --selector can be provided\n');
  });

  it('--use-protocol-buffers is accepted (the wire format changes nothing shown) and checked as a bool', async () => {
    const c = await clusterWithUsage();
    expect((await c.run('top', 'node', '--use-protocol-buffers=false')).stdout).toBe((await c.run('top', 'node')).stdout);
    expect((await c.run('top', 'pod', '--use-protocol-buffers=maybe')).stderr).toContain(
      'invalid argument "maybe" for "--use-protocol-buffers" flag',
    );
  });
});
