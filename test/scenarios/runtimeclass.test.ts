import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

const gvisor = `apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: {name: gvisor}
handler: runsc
overhead: {podFixed: {cpu: 250m, memory: 120Mi}}
scheduling:
  nodeSelector: {sandbox: gvisor}
  tolerations: [{key: sandbox, operator: Equal, value: gvisor, effect: NoSchedule}]
`;
const pod = (name: string, extra = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  runtimeClassName: gvisor
${extra}  containers: [{name: app, image: nginx}]
`;

describe('RuntimeClass', () => {
  it('gives a pod its overhead and scheduling, so it lands on the sandbox node', async () => {
    const c = await manualCluster();
    c.file('rc.yaml', gvisor);
    expect((await c.run('apply', '-f', 'rc.yaml')).stdout).toBe('runtimeclass.node.k8s.io/gvisor created\n');
    expect((await c.run('get', 'runtimeclass')).stdout).toBe('NAME     HANDLER   AGE\ngvisor   runsc     0s\n');
    await c.run('label', 'node', 'node-3', 'sandbox=gvisor');
    await c.run('taint', 'node', 'node-3', 'sandbox=gvisor:NoSchedule');
    c.file('pod.yaml', pod('app'));
    await c.run('apply', '-f', 'pod.yaml');
    await c.run('clock', 'advance', '10s');
    const p = JSON.parse((await c.run('get', 'pod', 'app', '-o', 'json')).stdout);
    expect(p.spec.overhead).toEqual({ cpu: '250m', memory: '120Mi' });
    expect(p.spec.nodeSelector).toEqual({ sandbox: 'gvisor' });
    expect(p.spec.tolerations).toContainEqual({ key: 'sandbox', operator: 'Equal', value: 'gvisor', effect: 'NoSchedule' });
    expect(p.spec.nodeName).toBe('node-3');
    expect(p.status.phase).toBe('Running');
    expect((await c.run('describe', 'node', 'node-3')).stdout).toMatch(/default\s+app\s+250m \(6%\)/);
  });

  it('refuses a pod whose overhead or node selector disagrees with its RuntimeClass', async () => {
    const c = await manualCluster();
    c.file('rc.yaml', gvisor);
    await c.run('apply', '-f', 'rc.yaml');
    c.file('over.yaml', pod('over', '  overhead: {cpu: 100m}\n'));
    expect(await c.run('apply', '-f', 'over.yaml')).toMatchObject({
      code: 1,
      stderr:
        'Error from server (Forbidden): error when creating "over.yaml": pods "over" is forbidden: pod rejected: Pod\'s Overhead doesn\'t match RuntimeClass\'s defined Overhead\n',
    });
    c.file('sel.yaml', pod('sel', '  nodeSelector: {sandbox: kata}\n'));
    expect((await c.run('apply', '-f', 'sel.yaml')).stderr).toBe(
      'Error from server (Forbidden): error when creating "sel.yaml": pods "sel" is forbidden: conflict: runtimeClass.scheduling.nodeSelector[sandbox] = gvisor; pod.spec.nodeSelector[sandbox] = kata\n',
    );
    c.file(
      'plain.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: plain}\nspec:\n  overhead: {cpu: 100m}\n  containers: [{name: app, image: nginx}]\n',
    );
    expect((await c.run('apply', '-f', 'plain.yaml')).stderr).toBe(
      'Error from server (Forbidden): error when creating "plain.yaml": pods "plain" is forbidden: pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead\n',
    );
  });

  it('a pod naming a missing RuntimeClass is admitted but never gets a sandbox, until the class exists', async () => {
    const c = await manualCluster();
    c.file('pod.yaml', pod('app'));
    expect((await c.run('apply', '-f', 'pod.yaml')).stdout).toBe('pod/app created\n');
    await c.run('clock', 'advance', '30s');
    expect((await c.run('get', 'pod', 'app', '--no-headers')).stdout).toMatch(/^app\s+0\/1\s+ContainerCreating\s/);
    expect((await c.run('describe', 'pod', 'app')).stdout).toMatch(
      /Warning {2}FailedCreatePodSandBox {2}30s {3}kubelet\s+Failed to create pod sandbox: runtimeclass\.node\.k8s\.io "gvisor" not found/,
    );
    c.file('rc.yaml', 'apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata: {name: gvisor}\nhandler: runsc\n');
    await c.run('apply', '-f', 'rc.yaml');
    await c.run('clock', 'advance', '10s');
    expect((await c.run('get', 'pod', 'app', '--no-headers')).stdout).toMatch(/^app\s+1\/1\s+Running\s/);
  });

  it('validates the handler', async () => {
    const c = await manualCluster();
    c.file('bad.yaml', 'apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata: {name: bad}\nhandler: Run_SC\n');
    expect((await c.run('apply', '-f', 'bad.yaml')).stderr).toMatch(
      /^The RuntimeClass "bad" is invalid: handler: Invalid value: "Run_SC": a lowercase RFC 1123 label/,
    );
  });
});
