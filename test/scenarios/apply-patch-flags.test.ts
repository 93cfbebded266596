import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
`;

async function scaledBehindApply() {
  const c = await manualCluster();
  c.file('d.yaml', DEPLOY);
  c.file('d3.yaml', DEPLOY.replace('replicas: 2', 'replicas: 3'));
  await c.run('apply', '-f', 'd.yaml');
  // the live object moves away from what was last applied
  await c.run('scale', 'deploy', 'web', '--replicas=5');
  return c;
}

describe('apply --overwrite and --openapi-patch (patcher.go, strategicpatch.CreateThreeWayMergePatch)', () => {
  it('--overwrite (the default) resolves a conflict with the manifest', async () => {
    const c = await scaledBehindApply();
    expect((await c.run('apply', '-f', 'd3.yaml')).stdout).toBe('deployment.apps/web configured\n');
    expect((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('3');
  });

  it('--overwrite=false refuses a patch of a field changed since the last apply, and writes nothing', async () => {
    const c = await scaledBehindApply();
    const r = await c.run('apply', '-f', 'd3.yaml', '--overwrite=false', '--openapi-patch=false');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^error: error when applying patch:\n\nto:\nResource: "apps\/v1, Resource=deployments", GroupVersionKind: "apps\/v1, Kind=Deployment"\nName: "web", Namespace: "default"\nfor: "d3.yaml": error when patching "d3.yaml": creating patch with:\noriginal:\n\{"apiVersion":"apps\/v1",/,
    );
    expect(r.stderr).toContain('\nfor:: patch:\n');
    expect(r.stderr).toContain('spec:\n  replicas: 3\n\nconflicts with changes made from original to current:\n');
    expect(r.stderr).toContain('\n  replicas: 5\n');
    expect(r.stderr).not.toContain('warning:');
    expect((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('5');
  });

  it('with --openapi-patch (the default) kubectl warns as the OpenAPI v3 and v2 patches fail first', async () => {
    const c = await scaledBehindApply();
    const r = await c.run('apply', '-f', 'd3.yaml', '--overwrite=false');
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n');
    expect(lines[0]).toBe('warning: error calculating patch from openapi v3 spec: patch:');
    expect(lines.filter((l) => l.startsWith('warning: error calculating patch from openapi spec: patch:'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('error: error when applying patch:'))).toHaveLength(1);
  });

  it('--overwrite=false: an unchanged manifest is unchanged; any change conflicts on the last-applied annotation itself', async () => {
    const c = await manualCluster();
    c.file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: "1"}\n');
    await c.run('apply', '-f', 'cm.yaml');
    expect(await c.run('apply', '-f', 'cm.yaml', '--overwrite=false')).toEqual({
      code: 0,
      stdout: 'configmap/cfg unchanged\n',
      stderr: '',
    });
    // the patch sets the annotation, which the live object has and the last-applied configuration has not
    c.file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: "1", b: "2"}\n');
    const r = await c.run('apply', '-f', 'cm.yaml', '--overwrite=false', '--openapi-patch=false');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'conflicts with changes made from original to current:\nmetadata:\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: |\n',
    );
  });

  it('a custom resource gets a JSON merge patch, which does not look at --overwrite', async () => {
    const c = await manualCluster();
    c.file(
      'crd.yaml',
      `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
`,
    );
    await c.run('apply', '-f', 'crd.yaml');
    c.file('w.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 1}\n');
    await c.run('apply', '-f', 'w.yaml');
    await c.run('patch', 'widget', 'w', '--type=merge', '-p', '{"spec":{"size":5}}');
    c.file('w.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 3}\n');
    expect((await c.run('apply', '-f', 'w.yaml', '--overwrite=false')).stdout).toBe('widget.example.com/w configured\n');
  });

  it('checks the values as pflag does', async () => {
    const c = await manualCluster();
    c.file('d.yaml', DEPLOY);
    expect((await c.run('apply', '-f', 'd.yaml', '--openapi-patch=maybe')).stderr).toMatch(
      /^error: invalid argument "maybe" for "--openapi-patch" flag: strconv.ParseBool: parsing "maybe": invalid syntax\n/,
    );
  });
});
