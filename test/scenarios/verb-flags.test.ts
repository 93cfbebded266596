import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kubesim, manualCluster } from '../support/cli';

// The remaining kubectl flags of events, scale, label/annotate, rollout history, wait, diff (issue #19).

describe('events --chunk-size and --show-managed-fields', () => {
  it('lists the same events whatever the chunk size, and checks both values', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx');
    await c.run('clock', 'advance', '5s');
    const all = await c.run('events');
    expect(all.stdout).toContain('ScalingReplicaSet');
    expect(await c.run('events', '--chunk-size=1')).toEqual(all);
    expect((await c.run('events', '--chunk-size=x')).stderr).toContain('invalid argument "x" for "--chunk-size" flag');
    expect((await c.run('events', '-o', 'name', '--show-managed-fields')).code).toBe(0);
    expect((await c.run('events', '-o', 'yaml', '--show-managed-fields=nope')).stderr).toContain(
      'invalid argument "nope" for "--show-managed-fields" flag',
    );
  });
});

describe('scale --resource-version and --timeout', () => {
  it('--resource-version is a precondition, for one object only', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx');
    await c.run('create', 'deployment', 'api', '--image=nginx');
    const rv = (await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.metadata.resourceVersion}')).stdout;
    expect(await c.run('scale', 'deploy', 'web', '--replicas=2', '--resource-version=1')).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: Expected resource version to be 1, was ${rv}\n`,
    });
    expect(await c.run('scale', 'deploy', '--all', '--replicas=2', `--resource-version=${rv}`)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: cannot use --resource-version with multiple resources\n',
    });
    expect((await c.run('scale', 'deploy', 'web', '--replicas=2', `--resource-version=${rv}`)).stdout).toBe('deployment.apps/web scaled\n');
  });

  it('--timeout waits in virtual time until the new size is reached, or says it timed out', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx');
    expect(await c.run('scale', 'deploy', 'web', '--replicas=3', '--timeout=1m')).toEqual({
      code: 0,
      stdout: 'deployment.apps/web scaled\n',
      stderr: '',
    });
    expect((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.status.replicas}')).stdout).toBe('3');
    // the ReplicaSet creates pods at once but a StatefulSet waits for each to be Ready: 2s is too short for 5
    c.file(
      'sts.yaml',
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: db, image: nginx}]}\n',
    );
    await c.run('apply', '-f', 'sts.yaml');
    expect(await c.run('scale', 'sts', 'db', '--replicas=5', '--timeout=2s')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: timed out waiting for "db" to be synced\n',
    });
    expect((await c.run('get', 'sts', 'db', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('5');
    expect((await c.run('scale', 'deploy', 'web', '--replicas=1', '--timeout=x')).stderr).toContain(
      'invalid argument "x" for "--timeout" flag: time: invalid duration "x"\n',
    );
  });
});

describe('label/annotate --list and --resource-version', () => {
  const pod = `apiVersion: v1
kind: Pod
metadata:
  name: foo
  labels: {b: "2", a: "1"}
  annotations: {x: "y"}
spec:
  containers: [{name: c, image: nginx}]
`;
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: d, labels: {b: "2"}}
spec:
  selector: {matchLabels: {b: "2"}}
  template:
    metadata: {labels: {b: "2"}}
    spec: {containers: [{name: c, image: nginx}]}
`;

  it('--list prints the map as it would be, without writing; a header per object when several may be listed', async () => {
    // outputs as kubectl v1.32 prints them for the same --local files (keys sorted here; Go's map order is random)
    const c = await manualCluster();
    c.file('one.yaml', pod);
    c.file('two.yaml', deployment);
    expect(await c.run('label', '--local', '-f', 'one.yaml', 'z=3', '--list')).toEqual({ code: 0, stdout: 'a=1\nb=2\nz=3\n', stderr: '' });
    expect((await c.run('label', '--local', '-f', 'one.yaml', '-f', 'two.yaml', '--list')).stdout).toBe(
      'Listing labels for Pod./foo:\n a=1\n b=2\nListing labels for Deployment.apps/d:\n b=2\n',
    );
    expect((await c.run('annotate', '--local', '-f', 'one.yaml', '-f', 'two.yaml', '--list')).stdout).toBe(
      'Listing annotations for Pod./foo:\n x=y\nListing annotations for Deployment.apps/d:\n',
    );
    expect((await c.run('annotate', '--local', '-f', 'one.yaml', 'k=v', '--list', '-o', 'yaml')).stdout).toBe('k=v\nx=y\n');
    expect(await c.run('label', '--local', '-f', 'one.yaml', '--list', '-o', 'yaml')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: --list and --output may not be specified together\n',
    });
    await c.run('apply', '-f', 'one.yaml');
    expect((await c.run('label', 'pod', 'foo', 'c=3', '--list')).stdout).toBe('a=1\nb=2\nc=3\n');
    expect((await c.run('get', 'pod', 'foo', '-o', 'jsonpath={.metadata.labels}')).stdout).toBe('{"a":"1","b":"2"}');
  });

  it('--resource-version makes the update conditional, for a single resource', async () => {
    const c = await manualCluster();
    c.file('one.yaml', pod);
    await c.run('apply', '-f', 'one.yaml');
    const rv = (await c.run('get', 'pod', 'foo', '-o', 'jsonpath={.metadata.resourceVersion}')).stdout;
    expect((await c.run('label', 'pod', 'foo', 'c=3', `--resource-version=${rv}`)).stdout).toBe('pod/foo labeled\n');
    expect(await c.run('annotate', 'pod', 'foo', 'k=v', `--resource-version=${rv}`)).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'Error from server (Conflict): Operation cannot be fulfilled on pods "foo": the object has been modified; please apply your changes to the latest version and try again\n',
    });
    expect((await c.run('label', 'pods', '--all', 'c=4', '--resource-version=1')).stderr).toBe(
      'error: --resource-version may only be used with a single resource\n',
    );
  });
});

describe('rollout history -o', () => {
  it('prints the ReplicaSet of each revision, or of the one asked for, with any printer', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx:1.26');
    await c.run('set', 'image', 'deployment/web', 'nginx=nginx:1.27');
    await c.run('clock', 'advance', '30s');
    const names = (await c.run('get', 'rs', '-o', 'name', '--sort-by=.metadata.annotations.deployment\\.kubernetes\\.io/revision')).stdout;
    expect((await c.run('rollout', 'history', 'deployment/web', '-o', 'name')).stdout).toBe(names);
    const second = await c.run(
      'rollout',
      'history',
      'deployment/web',
      '--revision=2',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
    );
    expect(second).toEqual({ code: 0, stdout: 'nginx:1.27', stderr: '' });
    expect(
      (
        await c.run(
          'rollout',
          'history',
          'deployment/web',
          '--template',
          '{{index .metadata.annotations "deployment.kubernetes.io/revision"}},',
        )
      ).stdout,
    ).toBe('1,2,');
    expect((await c.run('rollout', 'history', 'deployment/web', '--revision=9', '-o', 'yaml')).stderr).toBe(
      'error: unable to find the specified revision\n',
    );
  });

  it('prints a StatefulSet with each revision applied', async () => {
    const c = await manualCluster();
    c.file(
      'sts.yaml',
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: db, image: "redis:7"}]}\n',
    );
    await c.run('apply', '-f', 'sts.yaml');
    await c.run('set', 'image', 'sts/db', 'db=redis:8');
    const r = await c.run('rollout', 'history', 'sts/db', '-o', 'jsonpath={.kind}/{.spec.template.spec.containers[0].image} ');
    expect(r.stdout).toBe('StatefulSet/redis:7 StatefulSet/redis:8 ');
  });
});

describe('diff -l, --prune, --concurrency, --show-managed-fields, --field-manager', () => {
  const cm = (name: string, app: string, value: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, labels: {app: ${app}}}\ndata: {v: "${value}"}\n`;

  it('-l diffs only the matching objects; --prune adds what apply --prune would delete', async () => {
    const c = await manualCluster();
    c.file('all.yaml', [cm('web', 'web', '1'), cm('db', 'db', '1'), cm('old', 'web', '1')].join('---\n'));
    await c.run('apply', '-f', 'all.yaml');
    c.file('next.yaml', [cm('web', 'web', '2'), cm('db', 'db', '2')].join('---\n'));
    const selected = await c.run('diff', '-f', 'next.yaml', '-l', 'app=web', '--concurrency=4', '--field-manager=ci');
    expect(selected.code).toBe(1);
    expect(selected.stdout).toContain('diff -u -N /tmp/LIVE-kubesim/v1.ConfigMap.default.web /tmp/MERGED-kubesim/v1.ConfigMap.default.web');
    expect(selected.stdout).not.toContain('ConfigMap.default.db');
    expect(selected.stdout).not.toContain('ConfigMap.default.old');
    const pruned = await c.run('diff', '-f', 'next.yaml', '-l', 'app=web', '--prune');
    expect(pruned.stdout).toContain(
      'diff -u -N /tmp/LIVE-kubesim/v1.ConfigMap.default.old /tmp/MERGED-kubesim/v1.ConfigMap.default.old\n--- /tmp/LIVE-kubesim/v1.ConfigMap.default.old',
    );
    expect(pruned.stdout).toMatch(
      /\+\+\+ \/tmp\/MERGED-kubesim\/v1\.ConfigMap\.default\.old\t1970-01-01 00:00:00\.000000000 \+0000\n@@ -1,\d+ \+0,0 @@\n-apiVersion: v1\n/,
    );
    expect((await c.run('diff', '-f', 'next.yaml', '--prune', '--prune-allowlist=core/v1/Secret')).stdout).not.toContain('default.old');
    expect((await c.run('diff', '-f', 'next.yaml', '--concurrency=x')).stderr).toContain('invalid argument "x" for "--concurrency" flag');
    expect((await c.run('diff', '-f', 'next.yaml', '--show-managed-fields=x')).stderr).toContain('for "--show-managed-fields" flag');
  });

  it("--help describes -f and -R in kubectl diff's words (FileNameFlags)", async () => {
    const help = (await (await manualCluster()).run('diff', '--help')).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('Filename, directory, or URL to files contains the configuration to diff');
    expect(help).toContain(
      'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.',
    );
  });
});

describe('edit --output-patch, -o, --windows-line-endings, --template', () => {
  const edit = (c: Awaited<ReturnType<typeof manualCluster>>, editor: string, ...args: string[]) =>
    kubesim(c.state, ['edit', ...args], { env: { KUBE_EDITOR: editor, PATH: process.env.PATH ?? '' } });

  it('prints the patch it sends, then the edited object in the -o format', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2');
    const r = await edit(c, "sed -i '0,/replicas: 2/s//replicas: 4/'", 'deploy/web', '--output-patch');
    expect(r).toEqual({ code: 0, stdout: 'Patch: {"spec":{"replicas":4}}\ndeployment.apps/web edited\n', stderr: '' });
    const json = await edit(c, 'sed -i \'s/"replicas": 4/"replicas": 5/\'', 'deploy/web', '-o', 'json');
    expect(JSON.parse(json.stdout).spec.replicas).toBe(5);
    expect((await edit(c, 'true', 'deploy/web', '--template={{.metadata.name}}')).stderr).toBe(
      "error: the flag 'output' must be one of yaml|json\n",
    );
  });

  it('--windows-line-endings hands the editor CRLF lines and reads them back', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2');
    await edit(c, `cp -f --target-directory=${c.dir}`, 'deploy/web', '--windows-line-endings');
    const seen = fs.readFileSync(path.join(c.dir, 'web.yaml'), 'utf8');
    expect(seen).toContain('\r\napiVersion: apps/v1\r\n');
    expect(seen.replace(/\r\n/g, '')).not.toContain('\n');
    expect((await edit(c, "sed -i 's/replicas: 2/replicas: 3/'", 'deploy/web', '--windows-line-endings')).stdout).toBe(
      'deployment.apps/web edited\n',
    );
    expect((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('3');
  });
});

describe('patch --subresource', () => {
  it('scale patches the replicas through an autoscaling/v1 Scale; status writes only the status', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx', '--replicas=1');
    await c.run('clock', 'advance', '10s');
    const scale = await c.run(
      'patch',
      'deploy',
      'web',
      '--subresource=scale',
      '--type=merge',
      '-p',
      '{"spec":{"replicas":2}}',
      '-o',
      'json',
    );
    const printed = JSON.parse(scale.stdout);
    expect(printed).toMatchObject({ apiVersion: 'autoscaling/v1', kind: 'Scale', spec: { replicas: 2 }, status: { selector: 'app=web' } });
    expect((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('2');
    const status = await c.run(
      'patch',
      'deploy',
      'web',
      '--subresource=status',
      '--type=merge',
      '-p',
      '{"spec":{"replicas":7},"status":{"observedGeneration":99}}',
    );
    expect(status.stdout).toBe('deployment.apps/web patched\n');
    expect((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('2');
  });

  it('sends other values to the server (v1.32 patch does not check them), which serves no such subresource', async () => {
    const c = await manualCluster();
    await c.run('create', 'configmap', 'cm', '--from-literal=a=1');
    expect((await c.run('patch', 'cm', 'cm', '--subresource=spec', '-p', '{}')).stderr).toBe(
      'Error from server (NotFound): the server could not find the requested resource\n',
    );
    expect((await c.run('patch', 'cm', 'cm', '--subresource=scale', '-p', '{"spec":{"replicas":2}}')).stderr).toBe(
      'Error from server (NotFound): the server could not find the requested resource\n',
    );
  });
});

describe('the rollout verbs without a resource (rollout_*.go Validate)', () => {
  it('say "required resource not specified", as kubectl v1.32 does', async () => {
    const c = await manualCluster();
    for (const verb of ['status', 'history', 'undo', 'restart', 'pause', 'resume'])
      expect(await c.run('rollout', verb)).toEqual({ code: 1, stdout: '', stderr: 'error: required resource not specified\n' });
  });
});

describe('create generators without NAME or a required flag', () => {
  it('name the required flags first, as cobra checks them before the command runs', async () => {
    const c = await manualCluster();
    expect(await c.run('create', 'cronjob')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: required flag(s) "image", "schedule" not set\n',
    });
    expect((await c.run('create', 'deployment')).stderr).toBe('error: required flag(s) "image" not set\n');
    expect((await c.run('create', 'deployment', '--image=nginx')).stderr).toBe(
      "error: exactly one NAME is required, got 0\nSee 'kubesim create deployment -h' for help and examples\n",
    );
  });
});
