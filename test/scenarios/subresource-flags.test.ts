import { describe, expect, it } from 'vitest';
import { kubesim, manualCluster } from '../support/cli';

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

async function withDeployment() {
  const c = await manualCluster();
  c.file('d.yaml', DEPLOY);
  expect((await c.run('apply', '-f', 'd.yaml')).code).toBe(0);
  return c;
}

describe('--subresource on get, edit, replace and apply (kubectl v1.32)', () => {
  it('get reads the scale subresource as the API server tables a Scale: NAME DESIRED AVAILABLE AGE', async () => {
    const c = await withDeployment();
    expect((await c.run('get', 'deploy', 'web', '--subresource', 'scale')).stdout).toBe(
      'NAME   DESIRED   AVAILABLE   AGE\nweb    2         2           0s\n',
    );
    expect((await c.run('get', 'deploy', 'web', '--subresource=scale', '-o', 'name')).stdout).toBe('scale.autoscaling/web\n');
    expect(
      (await c.run('get', 'deploy', 'web', '--subresource=scale', '-o', 'jsonpath={.kind} {.spec.replicas} {.status.selector}')).stdout,
    ).toBe('Scale 2 app=web');
    // status is the object itself
    expect((await c.run('get', 'deploy', 'web', '--subresource=status', '-o', 'jsonpath={.kind}')).stdout).toBe('Deployment');
  });

  it('get refuses another subresource, a list, and a kind that does not serve it', async () => {
    const c = await withDeployment();
    expect(await c.run('get', 'deploy', 'web', '--subresource', 'foo')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: invalid subresource value: "foo". Must be one of [status scale]\n',
    });
    expect((await c.run('get', 'deploy', '--subresource', 'scale')).stderr).toBe(
      'error: subresource cannot be used when bulk resources are specified\n',
    );
    await c.run('create', 'configmap', 'cfg', '--from-literal=a=b');
    const r = await c.run('get', 'cm', 'cfg', '--subresource', 'scale');
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): the server could not find the requested resource\n' });
    // kinds served without a status subresource (api/status-strategy's table): NetworkPolicy has none in v1.32
    c.file('np.yaml', 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\nspec: {podSelector: {}}\n');
    await c.run('apply', '-f', 'np.yaml');
    expect((await c.run('get', 'networkpolicy', 'deny', '--subresource', 'status')).stderr).toBe(
      'Error from server (NotFound): the server could not find the requested resource\n',
    );
  });

  it('edit --subresource=scale edits the Scale and writes only the replicas', async () => {
    const c = await withDeployment();
    const r = await kubesim(c.state, ['edit', 'deploy', 'web', '--subresource=scale'], {
      cwd: c.dir,
      env: { KUBE_EDITOR: "sed -i 's/replicas: 2/replicas: 4/'", PATH: process.env.PATH ?? '' },
    });
    expect(r.stdout).toBe('scale.autoscaling/web edited\n');
    expect((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('4');
  });

  it('replace --subresource=scale changes the replicas only; status keeps the spec', async () => {
    const c = await withDeployment();
    c.file('d5.yaml', DEPLOY.replace('replicas: 2', 'replicas: 5').replace('image: nginx', 'image: nginx:1.27'));
    expect((await c.run('replace', '-f', 'd5.yaml', '--subresource=scale')).stdout).toBe('scale.autoscaling/web replaced\n');
    expect((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}')).stdout).toBe(
      '5 nginx',
    );
    expect((await c.run('replace', '-f', 'd5.yaml', '--subresource=status')).stdout).toBe('deployment.apps/web replaced\n');
    expect((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('5');
    expect((await c.run('replace', '-f', 'd5.yaml', '--subresource=foo')).stderr).toBe(
      'Error from server (NotFound): error when replacing "d5.yaml": the server could not find the requested resource\n',
    );
  });

  it('apply takes --subresource only with --server-side', async () => {
    const c = await withDeployment();
    expect(await c.run('apply', '-f', 'd.yaml', '--subresource=scale')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: --subresource can only be specified for --server-side\n',
    });
    c.file('d3.yaml', DEPLOY.replace('replicas: 2', 'replicas: 3').replace('app: web}}\n  template', 'app: web}}\n  template'));
    expect((await c.run('apply', '-f', 'd3.yaml', '--server-side', '--subresource=scale')).stdout).toBe(
      'deployment.apps/web serverside-applied\n',
    );
    expect((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('3');
  });
});
