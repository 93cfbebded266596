import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

function web(replicas: number, cpu = '500m'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: c, image: nginx, resources: {requests: {cpu: ${cpu}}}}]
`;
}

describe('kubesim capacity', () => {
  it('counts how many replicas fit with the scheduler itself, and the nodes of a shape to add', async () => {
    const c = await manualCluster(['--nodes', '3', '--cpu', '4']);
    c.file('web.yaml', web(30));
    const r = await c.run('capacity', '-f', 'web.yaml', '--node-shape', 'cpu=2,memory=8Gi,pods=110');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        'WORKLOAD         REPLICAS   FIT   MAX   FIRST FAILURE',
        'deployment/web   30         24    24    0/3 nodes are available: 3 Insufficient cpu.',
        // 6 more replicas of 500m: 3 CPUs, two 2-CPU nodes
        'Nodes of shape cpu=2,memory=8Gi,pods=110 to add for every replica to fit: 2',
        '',
      ].join('\n'),
    );
  });

  it('counts what the cluster already runs, and changes nothing', async () => {
    const c = await manualCluster(['--nodes', '2', '--cpu', '4']);
    c.file('web.yaml', web(4, '1'));
    expect((await c.run('apply', '-f', 'web.yaml')).code).toBe(0);
    const before = (await c.run('get', 'pods', '-o', 'name')).stdout;
    c.file('more.yaml', web(10, '1').replace('name: web}', 'name: more}'));
    const r = await c.run('capacity', '-f', 'more.yaml', '-o', 'json');
    const report = JSON.parse(r.stdout);
    expect(report.workloads).toEqual([
      { name: 'deployment/more', replicas: 10, fit: 4, max: 4, firstFailure: '0/2 nodes are available: 2 Insufficient cpu.' },
    ]);
    expect((await c.run('get', 'pods', '-o', 'name')).stdout).toBe(before);
  });

  it('a node shape with labels satisfies a nodeSelector the cluster cannot', async () => {
    const c = await manualCluster(['--nodes', '2']);
    c.file('gpu.yaml', web(3).replace('      containers:', '      nodeSelector: {accelerator: gpu}\n      containers:'));
    const r = await c.run('capacity', '-f', 'gpu.yaml', '--node-shape', 'cpu=4,memory=16Gi,labels=accelerator=gpu', '-o', 'json');
    const report = JSON.parse(r.stdout);
    expect(report.workloads[0].fit).toBe(0);
    expect(report.workloads[0].firstFailure).toBe("0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.");
    expect(report.nodesToAdd).toBe(1);
  });

  it('refuses what it cannot count', async () => {
    const c = await manualCluster(['--nodes', '1']);
    c.file('svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}\n');
    const svc = await c.run('capacity', '-f', 'svc.yaml');
    expect(svc.code).toBe(1);
    expect(svc.stderr).toBe(
      'error: service/s: capacity counts the pods of Deployments, ReplicaSets, StatefulSets, ReplicationControllers, Jobs and Pods\n',
    );
    c.file('web.yaml', web(1));
    const shape = await c.run('capacity', '-f', 'web.yaml', '--node-shape', 'cpu=lots');
    expect(shape.stderr).toBe(
      `error: invalid --node-shape cpu "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n`,
    );
    const none = await c.run('capacity');
    expect(none.stderr).toBe('error: must specify one of -f and -k\n');
  });
});
