import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

const golden = (name: string) => fs.readFileSync(path.join(__dirname, '../fixtures/explain', name), 'utf8');

describe('explain prints the schema of a type or a field, as kubectl v1.32 explain does', () => {
  const cases: [string, string[]][] = [
    ['deployment.txt', ['deployment']],
    ['deployment.spec.replicas.txt', ['deploy.spec.replicas']],
    ['pods.spec.containers.resources.txt', ['pods.spec.containers.resources']],
    ['deployment.spec.strategy-recursive.txt', ['deployments.apps.spec.strategy', '--recursive']],
    ['service-recursive.txt', ['svc', '--recursive=true']],
    ['configmap-openapiv2.txt', ['cm', '--output=plaintext-openapiv2']],
    ['deployment.spec.replicas-openapiv2.txt', ['deploy.spec.replicas', '-o', 'plaintext-openapiv2']],
    ['deployment.spec.strategy-openapiv2-recursive.txt', ['Deployment.spec.strategy', '-o', 'plaintext-openapiv2', '--recursive']],
    // kubesim's own kinds (a field's own description comes before its type's, as kubectl prints an allOf)
    ['nodegroup.spec.template.txt', ['ng.spec.template']],
    ['simulationprofile-recursive.txt', ['simprofile', '--recursive']],
  ];
  for (const [file, args] of cases) {
    it(`explain ${args.join(' ')}`, async () => {
      const c = await manualCluster();
      expect(await c.run('explain', ...args)).toEqual({ code: 0, stdout: golden(file), stderr: '' });
    });
  }

  it('the plaintext layout: GROUP/KIND/VERSION, a wrapped DESCRIPTION, tab-separated fields with their descriptions', async () => {
    const c = await manualCluster();
    const out = (await c.run('explain', 'deployment')).stdout;
    expect(out).toMatch(
      /^GROUP: {6}apps\nKIND: {7}Deployment\nVERSION: {4}v1\n\nDESCRIPTION:\n {4}Deployment enables declarative updates for Pods and ReplicaSets.\n {4}\nFIELDS:\n {2}apiVersion\t<string>\n {4}APIVersion defines the versioned schema of this representation of an object.\n {4}Servers should convert recognized schemas to the latest internal value, and\n {4}may reject unrecognized values. More info:\n {4}https:\/\/git.k8s.io\/community\/contributors\/devel\/sig-architecture\/api-conventions.md#resources\n\n/,
    );
    // the core group has no GROUP line; a required field says so
    const pod = (await c.run('explain', 'pod.spec')).stdout;
    expect(pod.startsWith('KIND:       Pod\nVERSION:    v1\n\nFIELD: spec <PodSpec>\n\n\nDESCRIPTION:\n')).toBe(true);
    expect(pod).toContain('\n  containers\t<[]Container> -required-\n');
  });

  it('--api-version picks another served version of the kind', async () => {
    const c = await manualCluster();
    const v1 = (await c.run('explain', 'hpa.spec', '--api-version=autoscaling/v1')).stdout;
    expect(v1).toContain('VERSION:    v1\n');
    expect(v1).toContain('  targetCPUUtilizationPercentage\t<integer>\n');
    const v2 = (await c.run('explain', 'hpa.spec')).stdout;
    expect(v2).toContain('VERSION:    v2\n');
    expect(v2).toContain('  metrics\t<[]MetricSpec>\n');
  });

  it('refuses what kubectl refuses, in its words', async () => {
    const c = await manualCluster();
    const refusals: [string[], string, string?][] = [
      [['deploy.spec.foo.bar'], 'error: field "bar" does not exist\n', 'GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\n'],
      [['deploy.spec.foo', '-o', 'plaintext-openapiv2'], 'error: field "foo" does not exist\n'],
      [['foo'], 'error: the server doesn\'t have a resource type "foo"\n'],
      [['deploy', '--api-version=apps/v2'], 'error: couldn\'t find resource for "apps/v2, Resource=deployments"\n'],
      [['deploy', '--api-version=batch/v1'], 'error: GVR (batch/v1, Resource=deployments) not found in OpenAPI schema\n'],
      [['deploy', '--api-version=apps/v2', '-o', 'plaintext-openapiv2'], 'error: couldn\'t find resource for "apps/v2, Kind=Deployment"\n'],
      [['deploy', '--api-version=a/b/c'], 'error: unexpected GroupVersion string: a/b/c\n'],
      [['deploy', '-o', 'json'], 'error: unrecognized format: json\n'],
      [
        [],
        'error: You must specify the type of resource to explain. Use "kubesim api-resources" for a complete list of supported resources.\n',
      ],
      [['pods', 'svc'], 'error: We accept only this format: explain RESOURCE\n'],
    ];
    for (const [args, stderr, stdout = ''] of refusals)
      expect(await c.run('explain', ...args), args.join(' ')).toEqual({ code: 1, stdout, stderr });
  });
});
