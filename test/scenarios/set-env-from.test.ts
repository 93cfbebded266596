import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: c
        image: nginx
        resources: {limits: {cpu: 1500m, memory: 64Mi}}
`;

async function withSources() {
  const c = await manualCluster();
  c.file('d.yaml', DEPLOY);
  await c.run('apply', '-f', 'd.yaml');
  await c.run('create', 'configmap', 'app', '--from-literal=db.host=db', '--from-literal=PORT=80');
  await c.run('create', 'secret', 'generic', 'pw', '--from-literal=password=s3cret');
  return c;
}

const envOf = async (c: Awaited<ReturnType<typeof withSources>>) =>
  JSON.parse((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].env}')).stdout);

describe('set env --from, --keys, --prefix, --resolve, --overwrite (kubectl set_env.go)', () => {
  it('--from=configmap/NAME adds a reference for each key, named by keyToEnvName with a warning', async () => {
    const c = await withSources();
    expect(await c.run('set', 'env', 'deploy/web', '--from=configmap/app')).toEqual({
      code: 0,
      stdout: 'deployment.apps/web env updated\n',
      stderr: 'Warning: key db.host transferred to DB_HOST\n',
    });
    expect(await envOf(c)).toEqual([
      { name: 'PORT', valueFrom: { configMapKeyRef: { name: 'app', key: 'PORT' } } },
      { name: 'DB_HOST', valueFrom: { configMapKeyRef: { name: 'app', key: 'db.host' } } },
    ]);
  });

  it('--keys picks keys, --prefix names every variable set (arguments too)', async () => {
    const c = await withSources();
    await c.run('set', 'env', 'deploy/web', '--from=secret/pw', '--keys=password', '--prefix=APP_', 'MODE=prod');
    expect(await envOf(c)).toEqual([
      { name: 'APP_MODE', value: 'prod' },
      { name: 'APP_PASSWORD', valueFrom: { secretKeyRef: { name: 'pw', key: 'password' } } },
    ]);
  });

  it('--list shows references; --resolve their values, and what it could not read on stderr', async () => {
    const c = await withSources();
    c.file(
      'd.yaml',
      DEPLOY.replace(
        'resources: {limits',
        'env:\n        - {name: GONE, valueFrom: {configMapKeyRef: {name: missing, key: k}}}\n        - {name: NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}\n        - {name: CPU, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}\n        resources: {limits',
      ),
    );
    expect((await c.run('apply', '-f', 'd.yaml')).stderr).toBe('');
    await c.run('set', 'env', 'deploy/web', '--from=configmap/app', '--keys=PORT');
    await c.run('set', 'env', 'deploy/web', '--from=secret/pw');
    expect((await c.run('set', 'env', 'deploy/web', '--list')).stdout).toBe(
      '# Deployment web, container c\n# GONE from configmap missing, key k\n# NAME from field path metadata.name\n# CPU from resource field limits.cpu\n# PORT from configmap app, key PORT\n# PASSWORD from secret pw, key password\n',
    );
    expect(await c.run('set', 'env', 'deploy/web', '--list', '--resolve')).toEqual({
      code: 0,
      stdout: '# Deployment web, container c\n# GONE from configmap missing, key k\nNAME=web\nCPU=2\nPORT=80\nPASSWORD=s3cret\n',
      stderr: 'error retrieving reference for GONE: configmaps "missing" not found\n',
    });
  });

  it('--overwrite=false refuses to change a variable that has another value', async () => {
    const c = await withSources();
    await c.run('set', 'env', 'deploy/web', 'MODE=dev');
    expect(await c.run('set', 'env', 'deploy/web', 'MODE=prod', '--overwrite=false')).toEqual({
      code: 1,
      stdout: '',
      stderr: "error: deployments/web 'MODE' already has a value (dev), and --overwrite is false\n",
    });
    expect((await c.run('set', 'env', 'deploy/web', 'MODE=dev', 'NEW=1', '--overwrite=false')).code).toBe(0);
    expect(await envOf(c)).toEqual([
      { name: 'MODE', value: 'dev' },
      { name: 'NEW', value: '1' },
    ]);
  });

  it('refuses --keys without --from, a kind other than configmap or secret, and a missing source', async () => {
    const c = await withSources();
    expect((await c.run('set', 'env', 'deploy/web', '--keys=a')).stderr).toBe(
      'error: when specifying --keys, a configmap or secret must be provided with --from\n',
    );
    expect((await c.run('set', 'env', 'deploy/web', '--from=deploy/web')).stderr).toBe('error: unsupported resource specified in --from\n');
    expect((await c.run('set', 'env', 'deploy/web', '--from=configmap/nope')).stderr).toBe(
      'Error from server (NotFound): configmaps "nope" not found\n',
    );
  });
});
