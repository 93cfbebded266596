import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

const deployment = (name: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, labels: {tier: ${name}}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: app, image: nginx}]}
`;

describe('kubesim wait', () => {
  it('--for forms as kubectl v1.32 parses them, refused before anything is read', async () => {
    const c = await manualCluster();
    const refusals: [string, string][] = [
      ['--for=bogus', 'unrecognized condition: "bogus"'],
      [
        '--for=jsonpath={.a}=1=2',
        "jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'",
      ],
      ['--for=jsonpath={.a}=', "jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3"],
    ];
    for (const [flag, message] of refusals)
      expect(await c.run('wait', 'pod/x', flag)).toEqual({ code: 1, stdout: '', stderr: `error: ${message}\n` });
    expect((await c.run('wait', 'pod/x')).stderr).toBe('error: unrecognized condition: ""\n');
    expect((await c.run('wait', 'pods', '--for=delete')).stderr).toBe('error: resource(s) were provided, but no name was specified\n');
  });

  it('--for=jsonpath takes one value: == inside a filter, quotes trimmed, any value without =, errors on several', async () => {
    const c = await manualCluster();
    c.file('web.yaml', deployment('web', 2));
    await c.run('apply', '-f', 'web.yaml');
    const ready = `--for=jsonpath={.status.conditions[?(@.type=="Available")].status}="True"`;
    expect(await c.run('wait', 'deploy/web', ready)).toEqual({ code: 0, stdout: 'deployment.apps/web condition met\n', stderr: '' });
    expect((await c.run('wait', 'deploy/web', '--for=jsonpath=.status.readyReplicas')).stdout).toBe('deployment.apps/web condition met\n');
    expect((await c.run('wait', 'deploy/web', '--for=jsonpath={.spec.template.spec.containers[*].name}=x')).stdout).toBe('');
    expect((await c.run('wait', 'deploy/web', '--for=jsonpath={.spec.template}=x')).stderr).toBe(
      'error: jsonpath leads to a nested object or list which is not supported\n',
    );
    const pods = await c.run('wait', 'pods', '--all', '--for=jsonpath={.status.conditions[*].type}', '--timeout=0');
    expect(pods.stderr).toBe('error: given jsonpath expression matches more than one value\n');
  });

  it('--for=create waits until the object exists, and times out in kubectl’s words', async () => {
    const c = await manualCluster();
    c.file('web.yaml', deployment('web', 1));
    expect(await c.run('wait', '--for=create', 'deploy/web', '--timeout=5s')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: timed out waiting for the condition\n',
    });
    await c.run('apply', '-f', 'web.yaml');
    expect((await c.run('wait', '--for=create', '-f', 'web.yaml')).stdout).toBe('deployment.apps/web condition met\n');
  });

  it('--timeout=0 checks once; -o prints the object that met the condition; --field-selector selects', async () => {
    const c = await manualCluster();
    c.file('two.yaml', `${deployment('web', 1)}---\n${deployment('api', 1)}`);
    await c.run('apply', '-f', 'two.yaml');
    expect(await c.run('wait', 'deploy/web', '--for=condition=Available', '--timeout=0')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: condition not met for deployments/web\n',
    });
    const printed = await c.run(
      'wait',
      'deploy',
      '--all',
      '--for=condition=Available',
      '-o',
      'jsonpath={.metadata.name} {.status.readyReplicas};',
    );
    expect(printed).toEqual({ code: 0, stdout: 'api 1;web 1;', stderr: '' });
    expect((await c.run('wait', 'deploy', '--field-selector=metadata.name=api', '--for=condition=Available', '-o', 'name')).stdout).toBe(
      'deployment.apps/api\n',
    );
    expect((await c.run('wait', '-f', 'two.yaml', '--for=condition=Available', '--template={{.metadata.name}},')).stdout).toBe('web,api,');
    expect((await c.run('wait', 'deploy/none', '--for=condition=Available')).stderr).toBe(
      'Error from server (NotFound): deployments.apps "none" not found\n',
    );
  });

  it('--for=delete skips what is already gone; -R reads a directory of manifests', async () => {
    const c = await manualCluster();
    c.file('dir/sub/web.yaml', deployment('web', 1));
    await c.run('apply', '-f', 'dir', '-R');
    expect((await c.run('wait', '-f', 'dir', '--for=condition=Available')).stdout).toBe('deployment.apps/web condition met\n');
    expect((await c.run('wait', '-f', 'dir', '-R=false', '--for=condition=Available')).stderr).toBe('error: no matching resources found\n');
    expect(await c.run('wait', 'deploy/gone', '--for=delete')).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('--local checks the manifests themselves, once', async () => {
    const c = await manualCluster();
    c.file('web.yaml', deployment('web', 1));
    expect((await c.run('wait', '--local', '-f', 'web.yaml', '--for=create')).stdout).toBe('deployment.apps/web condition met\n');
    expect((await c.run('wait', '--local', '-f', 'web.yaml', '--for=jsonpath={.spec.replicas}=1', '-o', 'name')).stdout).toBe(
      'deployment.apps/web\n',
    );
    expect((await c.run('wait', '--local', '-f', 'web.yaml', '--for=condition=Available')).stderr).toBe(
      'error: condition not met for deployments/web\n',
    );
  });
});
