import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

const rc = (replicas = 3, extra = '') => `apiVersion: v1
kind: ReplicationController
metadata: {name: nginx}
spec:
  replicas: ${replicas}
${extra}  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers: [{name: nginx, image: nginx:1.27, ports: [{containerPort: 80}]}]
`;

describe('ReplicationController', () => {
  it('defaults its selector and labels from the template and keeps its replicas running', async () => {
    const c = await manualCluster();
    c.file('rc.yaml', rc());
    expect((await c.run('apply', '-f', 'rc.yaml')).stdout).toBe('replicationcontroller/nginx created\n');
    await c.run('clock', 'advance', '10s');
    const obj = JSON.parse((await c.run('get', 'rc', 'nginx', '-o', 'json')).stdout);
    expect(obj.spec.selector).toEqual({ app: 'nginx' });
    expect(obj.metadata.labels).toEqual({ app: 'nginx' });
    expect(obj.metadata.generation).toBe(1);
    expect(obj.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    expect((await c.run('get', 'rc', '-o', 'wide')).stdout).toBe(
      'NAME    DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES       SELECTOR\n' +
        'nginx   3         3         3       10s   nginx        nginx:1.27   app=nginx\n',
    );
    const pods = JSON.parse((await c.run('get', 'pods', '-l', 'app=nginx', '-o', 'json')).stdout).items;
    expect(pods).toHaveLength(3);
    expect(pods[0].metadata.ownerReferences[0]).toMatchObject({
      apiVersion: 'v1',
      kind: 'ReplicationController',
      name: 'nginx',
      controller: true,
    });
    // a deleted pod is replaced
    await c.run('delete', 'pod', pods[0].metadata.name, '--wait=false');
    await c.run('clock', 'advance', '40s');
    expect((await c.run('get', 'rc', 'nginx', '--no-headers')).stdout).toMatch(/^nginx\s+3\s+3\s+3\s/);
    expect((await c.run('get', 'all')).stdout).toContain('replicationcontroller/nginx   3         3         3       50s\n');
  });

  it('describes as kubectl does, with the replication-controller events', async () => {
    const c = await manualCluster();
    c.file('rc.yaml', rc(2));
    await c.run('apply', '-f', 'rc.yaml');
    await c.run('clock', 'advance', '10s');
    const d = (await c.run('describe', 'rc', 'nginx')).stdout;
    expect(d).toMatch(
      /^Name: {9}nginx\nNamespace: {4}default\nSelector: {5}app=nginx\nLabels: {7}app=nginx\nAnnotations: {2}<none>\nReplicas: {5}2 current \/ 2 desired\nPods Status: {2}2 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed\nPod Template:\n/,
    );
    expect(d).not.toContain('Controlled By');
    expect(d).toMatch(/Normal {2}SuccessfulCreate {2}10s {3}replication-controller {2}Created pod: nginx-/);
  });

  it('scales, is exposed and autoscaled, and its pods go with it', async () => {
    const c = await manualCluster();
    c.file('rc.yaml', rc());
    await c.run('apply', '-f', 'rc.yaml');
    await c.run('clock', 'advance', '10s');
    expect((await c.run('scale', 'rc', 'nginx', '--replicas=1')).stdout).toBe('replicationcontroller/nginx scaled\n');
    await c.run('clock', 'advance', '40s');
    expect(JSON.parse((await c.run('get', 'pods', '-o', 'json')).stdout).items).toHaveLength(1);
    expect((await c.run('expose', 'rc', 'nginx', '--port=80')).stdout).toBe('service/nginx exposed\n');
    expect(JSON.parse((await c.run('get', 'svc', 'nginx', '-o', 'json')).stdout).spec.selector).toEqual({ app: 'nginx' });
    expect((await c.run('autoscale', 'rc', 'nginx', '--max=5')).stdout).toBe('horizontalpodautoscaler.autoscaling/nginx autoscaled\n');
    await c.run('clock', 'advance', '30s');
    // the HPA raises the RC to its default minimum... of 1: it stays at 1 and reads the RC's pods
    expect((await c.run('get', 'hpa', 'nginx', '--no-headers')).stdout).toMatch(/ReplicationController\/nginx/);
    expect((await c.run('delete', 'rc', 'nginx')).stdout).toBe('replicationcontroller "nginx" deleted\n');
    await c.run('clock', 'advance', '60s');
    expect(JSON.parse((await c.run('get', 'pods', '-o', 'json')).stdout).items).toHaveLength(0);
  });

  it('refuses what the API server refuses', async () => {
    const c = await manualCluster();
    c.file('bad.yaml', rc(-1, '  selector: {app: other}\n'));
    const r = await c.run('apply', '-f', 'bad.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'The ReplicationController "nginx" is invalid: \n* spec.replicas: Invalid value: -1: must be greater than or equal to 0\n' +
        '* spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`\n',
    );
    c.file('never.yaml', rc(1).replace('containers:', 'restartPolicy: Never\n      containers:'));
    expect((await c.run('apply', '-f', 'never.yaml')).stderr).toBe(
      'The ReplicationController "nginx" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"\n',
    );
    expect((await c.run('get', 'rc')).stderr).toBe('No resources found in default namespace.\n');
  });
});
