import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

const metricsApiService = `apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1beta1.metrics.k8s.io}
spec:
  group: metrics.k8s.io
  version: v1beta1
  groupPriorityMinimum: 100
  versionPriority: 100
  insecureSkipTLSVerify: true
  service: {name: metrics-server, namespace: kube-system}
`;

const metricsServer = `apiVersion: apps/v1
kind: Deployment
metadata: {name: metrics-server, namespace: kube-system}
spec:
  replicas: 1
  selector: {matchLabels: {k8s-app: metrics-server}}
  template:
    metadata: {labels: {k8s-app: metrics-server}}
    spec:
      containers: [{name: metrics-server, image: registry.k8s.io/metrics-server/metrics-server:v0.7.2, ports: [{name: https, containerPort: 10250}]}]
---
apiVersion: v1
kind: Service
metadata: {name: metrics-server, namespace: kube-system}
spec:
  selector: {k8s-app: metrics-server}
  ports: [{name: https, port: 443, targetPort: https}]
`;

const available = async (c: Awaited<ReturnType<typeof manualCluster>>) =>
  JSON.parse((await c.run('get', 'apiservice', 'v1beta1.metrics.k8s.io', '-o', 'json')).stdout).status.conditions[0];

describe('APIService', () => {
  it('lists the Local APIServices a v1.32 cluster serves', async () => {
    const c = await manualCluster();
    const lines = (await c.run('get', 'apiservices')).stdout.split('\n');
    expect(lines[0]).toBe('NAME                              SERVICE   AVAILABLE   AGE');
    expect(lines[1]).toBe('v1.                               Local     True        0s');
    expect(lines).toContain('v2.autoscaling                    Local     True        0s');
    expect(lines.length).toBe(23);
  });

  it("follows its service's endpoints: ServiceNotFound, MissingEndpoints, then available", async () => {
    const c = await manualCluster();
    c.file('apiservice.yaml', metricsApiService);
    expect((await c.run('apply', '-f', 'apiservice.yaml')).stdout).toBe(
      'apiservice.apiregistration.k8s.io/v1beta1.metrics.k8s.io created\n',
    );
    expect(await available(c)).toMatchObject({
      type: 'Available',
      status: 'False',
      reason: 'ServiceNotFound',
      message: 'service/metrics-server in "kube-system" is not present',
    });
    expect((await c.run('get', 'apiservice', 'v1beta1.metrics.k8s.io')).stdout).toBe(
      'NAME                     SERVICE                      AVAILABLE                 AGE\nv1beta1.metrics.k8s.io   kube-system/metrics-server   False (ServiceNotFound)   0s\n',
    );
    c.file('server.yaml', metricsServer);
    await c.run('apply', '-f', 'server.yaml');
    expect(await available(c)).toMatchObject({
      status: 'False',
      reason: 'MissingEndpoints',
      message: 'endpoints for service/metrics-server in "kube-system" have no addresses with port name "https"',
    });
    await c.run('clock', 'advance', '10s');
    expect(await available(c)).toMatchObject({ status: 'True', reason: 'Passed', message: 'all checks passed' });
    expect((await c.run('get', 'apiservice', 'v1beta1.metrics.k8s.io')).stdout).toContain('kube-system/metrics-server   True        10s');
  });

  it('refuses a name that is not version.group, with the aggregator text', async () => {
    const c = await manualCluster();
    c.file('bad.yaml', metricsApiService.replace('name: v1beta1.metrics.k8s.io', 'name: metrics'));
    const r = await c.run('apply', '-f', 'bad.yaml');
    expect([r.code, r.stderr]).toEqual([
      1,
      'The APIService "metrics" is invalid: metadata.name: Invalid value: "metrics": must be `spec.version+"."+spec.group`: "v1beta1.metrics.k8s.io"\n',
    ]);
  });

  it('keeps kubesim top working without a metrics APIService (kubesim is its own metrics pipeline)', async () => {
    const c = await manualCluster();
    expect((await c.run('top', 'nodes')).code).toBe(0);
  });
});
