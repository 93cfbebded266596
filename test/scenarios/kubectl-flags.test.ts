import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

// Flags of issue #19 (kubectl VERB --help is the specification): behaviour and refusals.
const configMaps = `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  labels: {app: web}
data: {a: "1"}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: db-config
  labels: {app: db}
data: {b: "2"}
`;

describe('-f/-k/-R on the verbs that read objects', () => {
  it('get -f prints the objects a manifest names, and refuses resource arguments beside it', async () => {
    const c = await manualCluster();
    const file = c.file('cms.yaml', configMaps);
    await c.run('apply', '-f', file);
    const r = await c.run('get', '-f', file, '-o', 'name');
    expect(r).toEqual({ code: 0, stdout: 'configmap/web-config\nconfigmap/db-config\n', stderr: '' });
    expect((await c.run('get', '-f', file, '-l', 'app=db', '-o', 'name')).stdout).toBe('configmap/db-config\n');
    const both = await c.run('get', 'pods', '-f', file);
    expect(both.code).toBe(1);
    expect(both.stderr).toBe('error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well\n');
  });

  it('get -f reports an object the cluster lacks, and --ignore-not-found prints nothing', async () => {
    const c = await manualCluster();
    const file = c.file('cms.yaml', configMaps);
    const missing = await c.run('get', '-f', file);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Error from server (NotFound): configmaps "web-config" not found');
    expect(await c.run('get', '-f', file, '--ignore-not-found')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await c.run('get', 'cm', 'nope', '--ignore-not-found')).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('describe -f describes what the manifest names', async () => {
    const c = await manualCluster();
    const file = c.file('cms.yaml', configMaps);
    await c.run('apply', '-f', file);
    const r = await c.run('describe', '-f', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Name:\s+web-config/);
    expect(r.stdout).toMatch(/Name:\s+db-config/);
    expect((await c.run('describe')).stderr).toBe(
      'error: You must specify the type of resource to describe. Use "kubesim api-resources" for a complete list of supported resources.\n',
    );
  });

  it('-R walks a directory tree for get and describe; edit, autoscale, expose and rollout status take -f', async () => {
    const c = await manualCluster();
    c.file('dir/a.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
    c.file('dir/sub/b.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n');
    await c.run('apply', '-f', 'dir', '-R');
    // without -R only the directory's own files are read
    expect((await c.run('get', '-f', 'dir', '-o', 'name')).stdout).toBe('configmap/a\n');
    expect((await c.run('get', '-f', 'dir', '-R', '-o', 'name')).stdout).toBe('configmap/a\nconfigmap/b\n');
    expect((await c.run('get', '-f', 'dir', '--recursive', '-o', 'name')).stdout).toBe('configmap/a\nconfigmap/b\n');
    expect((await c.run('describe', '-f', 'dir', '-R')).stdout.match(/^Name:\s+\S+/gm)).toEqual(['Name:         a', 'Name:         b']);
    const deploy = c.file('d.yaml', (await c.run('create', 'deployment', 'web', '--image=nginx', '--dry-run=client', '-o', 'yaml')).stdout);
    await c.run('apply', '-f', deploy);
    expect((await c.run('autoscale', '-f', deploy, '--max=3')).stdout).toBe('horizontalpodautoscaler.autoscaling/web autoscaled\n');
    expect((await c.run('expose', '-f', deploy, '--port=80')).stdout).toBe('service/web exposed\n');
    expect((await c.run('get', 'svc', 'web', '-o', 'jsonpath={.spec.selector}')).stdout).toBe('{"app":"web"}');
    expect((await c.run('rollout', 'status', '-f', deploy)).stdout).toContain('deployment "web" successfully rolled out\n');
    // edit -f opens the live object the manifest names
    const { kubesim } = await import('../support/cli');
    const edit = (editor: string) =>
      kubesim(c.state, ['edit', '-f', deploy], { cwd: c.dir, env: { KUBE_EDITOR: editor, PATH: process.env.PATH ?? '' } });
    expect((await edit('true')).stdout).toBe('Edit cancelled, no changes made.\n');
    expect((await edit("sed -i 's/replicas: 1$/replicas: 2/'")).stdout).toBe('deployment.apps/web edited\n');
    expect((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('2');
  });

  it('get --server-print=false prints the generic NAME and AGE columns; --chunk-size is checked', async () => {
    const c = await manualCluster();
    expect((await c.run('get', 'svc', '--server-print=false')).stdout).toBe('NAME         AGE\nkubernetes   0s\n');
    expect((await c.run('get', 'svc', '--chunk-size=x')).stderr).toContain('invalid argument "x" for "--chunk-size" flag');
  });
});

describe('apply and create -l: only matching objects are sent', () => {
  it('apply -l applies the matching objects only', async () => {
    const c = await manualCluster();
    const file = c.file('cms.yaml', configMaps);
    expect((await c.run('apply', '-f', file, '-l', 'app=web')).stdout).toBe('configmap/web-config created\n');
    expect((await c.run('get', 'cm', '-o', 'name')).stdout).not.toContain('db-config');
  });

  it('create -l creates the matching objects only, and --save-config stores what apply would', async () => {
    const c = await manualCluster();
    const file = c.file('cms.yaml', configMaps);
    expect((await c.run('create', '-f', file, '-l', 'app=db', '--save-config')).stdout).toBe('configmap/db-config created\n');
    const cm = JSON.parse((await c.run('get', 'cm', 'db-config', '-o', 'json')).stdout);
    expect(cm.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toContain('"db-config"');
    expect((await c.run('get', 'cm', 'web-config')).code).toBe(1);
  });

  it('a bad --validate value is refused before anything is written', async () => {
    const c = await manualCluster();
    const file = c.file('cms.yaml', configMaps);
    const r = await c.run('create', '-f', file, '--validate=maybe');
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: invalid - validate option "maybe"; must be one of: strict (or true), warn, ignore (or false)\n',
    });
    expect((await c.run('apply', '-f', file, '--validate=false')).code).toBe(0);
    expect((await c.run('create', 'namespace', 'x', '--validate=nope')).stderr).toContain('invalid - validate option "nope"');
  });

  it('apply --prune --all prunes without a selector; --prune-allowlist limits the kinds', async () => {
    const c = await manualCluster();
    const both = c.file('cms.yaml', configMaps);
    await c.run('apply', '-f', both);
    const one = c.file('one.yaml', configMaps.split('---')[0]);
    expect((await c.run('apply', '-f', one, '--prune', '--all', '--prune-allowlist=core/v1/Secret')).stdout).toBe(
      'configmap/web-config unchanged\n',
    );
    expect((await c.run('apply', '-f', one, '--prune', '--all', '--prune-allowlist=core/v1/ConfigMap')).stdout).toBe(
      'configmap/web-config unchanged\nconfigmap/db-config pruned\n',
    );
    expect((await c.run('apply', '-f', one, '--prune', '--all', '-l', 'app=web')).stderr).toBe(
      "error: setting 'all' parameter but found a non empty selector. \n",
    );
  });
});

describe('delete', () => {
  it('refuses --all with a selector, as kubectl does', async () => {
    const c = await manualCluster();
    for (const flag of ['-l', '--field-selector'])
      expect(await c.run('delete', 'pods', '--all', flag, 'a=b')).toEqual({
        code: 1,
        stdout: '',
        stderr: "error: setting 'all' parameter but found a non empty selector. \n",
      });
    expect((await c.run('delete', 'pod', 'x', '--now', '--grace-period=5')).stderr).toBe(
      'error: --now and --grace-period cannot be specified together\n',
    );
    expect((await c.run('delete', 'pod', 'x', '--force', '--grace-period=5')).stderr).toBe(
      'error: --force and --grace-period greater than 0 cannot be specified together\n',
    );
  });

  it('--field-selector picks the objects; --interactive asks and a "n" cancels', async () => {
    const c = await manualCluster();
    const file = c.file('cms.yaml', configMaps);
    await c.run('apply', '-f', file);
    const asked = await kubesimWithStdin(c, 'n\n', 'delete', 'cm', 'web-config', '-i');
    expect(asked.stdout).toBe(
      'You are about to delete the following 1 resource(s):\nconfigmap/web-config\nDo you want to continue? (y/n): deletion is cancelled\n',
    );
    expect((await c.run('get', 'cm', 'web-config')).code).toBe(0);
    expect((await c.run('delete', 'cm', '--field-selector', 'metadata.name=db-config')).stdout).toBe('configmap "db-config" deleted\n');
    expect((await c.run('get', 'cm', '-o', 'name')).stdout).toContain('web-config');
  });
});

describe('replace', () => {
  it('--grace-period and --timeout need --force; --force deletes and re-creates', async () => {
    const c = await manualCluster();
    const file = c.file('cms.yaml', configMaps.split('---')[0]);
    await c.run('create', '-f', file);
    expect((await c.run('replace', '-f', file, '--grace-period=5')).stderr).toBe('error: --grace-period must have --force specified\n');
    expect((await c.run('replace', '-f', file, '--timeout=5s')).stderr).toBe('error: --timeout must have --force specified\n');
    const uid = JSON.parse((await c.run('get', 'cm', 'web-config', '-o', 'json')).stdout).metadata.uid;
    expect((await c.run('replace', '-f', file, '--force')).stdout).toBe('configmap "web-config" deleted\nconfigmap/web-config replaced\n');
    expect(JSON.parse((await c.run('get', 'cm', 'web-config', '-o', 'json')).stdout).metadata.uid).not.toBe(uid);
  });
});

describe('autoscale and expose', () => {
  it('autoscale without --max fails as kubectl does', async () => {
    const c = await manualCluster();
    expect(await c.run('autoscale', 'deployment', 'web', '--min=2')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: required flag(s) "max" not set\n',
    });
  });

  it('expose refuses a node, reuses a Service’s ports, and applies --overrides', async () => {
    const c = await manualCluster();
    expect((await c.run('expose', 'node', 'node-1', '--port=80')).stderr).toBe('error: cannot expose a Node\n');
    await c.run('create', 'service', 'clusterip', 'api', '--tcp=8080:80');
    const svc = JSON.parse(
      (
        await c.run(
          'expose',
          'service',
          'api',
          '--name=api-copy',
          '--labels=team=x',
          '--overrides={"spec":{"sessionAffinity":"ClientIP"}}',
          '-o',
          'json',
        )
      ).stdout,
    );
    expect(svc.spec.ports).toEqual([expect.objectContaining({ port: 8080, protocol: 'TCP', targetPort: 8080 })]);
    expect(svc.spec.sessionAffinity).toBe('ClientIP');
    expect(svc.metadata.labels).toEqual({ team: 'x' });
    expect((await c.run('expose', 'service', 'api', '--session-affinity=Sticky')).stderr).toBe('error: unknown session affinity: Sticky\n');
  });
});

describe('run', () => {
  it('--expose --port creates the pod and a Service selecting it', async () => {
    const c = await manualCluster();
    expect((await c.run('run', 'web', '--image=nginx', '--port=80', '--expose')).stdout).toBe('pod/web created\nservice/web created\n');
    const svc = JSON.parse((await c.run('get', 'svc', 'web', '-o', 'json')).stdout);
    expect(svc.spec.selector).toEqual({ run: 'web' });
    expect(svc.spec.ports[0]).toMatchObject({ port: 80, targetPort: 80, protocol: 'TCP' });
  });

  it('--command -- CMD ARGS sets the command; without --command they are the args', async () => {
    const c = await manualCluster();
    const withCommand = JSON.parse(
      (await c.run('run', 'a', '--image=busybox', '--dry-run=client', '-o', 'json', '--command', '--', 'sleep', '10')).stdout,
    );
    expect(withCommand.spec.containers[0].command).toEqual(['sleep', '10']);
    const withArgs = JSON.parse((await c.run('run', 'b', '--image=busybox', '--dry-run=client', '-o', 'json', '--', 'sleep', '10')).stdout);
    expect(withArgs.spec.containers[0].args).toEqual(['sleep', '10']);
  });

  it('--restart sets the pod restartPolicy (Always by default), as run.go does', async () => {
    const c = await manualCluster();
    const policy = async (...flags: string[]) =>
      (await c.run('run', 'a', '--image=busybox', '--dry-run=client', '-o', 'jsonpath={.spec.restartPolicy}', ...flags)).stdout;
    expect(await policy()).toBe('Always');
    expect(await policy('--restart=Never')).toBe('Never');
    expect(await policy('--restart', 'OnFailure')).toBe('OnFailure');
    // a Never pod is not restarted: it ends Completed once its command exits
    expect((await c.run('run', 'once', '--image=busybox', '--restart=Never')).stdout).toBe('pod/once created\n');
    expect((await c.run('get', 'pod', 'once', '-o', 'jsonpath={.spec.restartPolicy}')).stdout).toBe('Never');
  });

  it('--overrides patches the generated pod; bad input is refused in kubectl’s words', async () => {
    const c = await manualCluster();
    const pod = JSON.parse(
      (await c.run('run', 'a', '--image=busybox', '--dry-run=client', '-o', 'json', '--overrides={"spec":{"nodeName":"node-2"}}')).stdout,
    );
    expect(pod.spec.nodeName).toBe('node-2');
    // kubectl v1.32's output for each (its UsageErrorf ones add where the help is)
    const usage = "\nSee 'kubesim run -h' for help and examples";
    const refusals: [string[], string][] = [
      [['--rm'], `--rm should only be used for attached containers${usage}`],
      [['--expose'], `--port must be set when exposing a service${usage}`],
      [['--restart=Bogus'], `invalid restart policy: Bogus${usage}`],
      [['--restart=never'], `invalid restart policy: never${usage}`],
      [['--image-pull-policy=Sometimes'], `invalid image pull policy: Sometimes${usage}`],
      [['-t'], `-i/--stdin is required for containers with -t/--tty=true${usage}`],
      [['--pod-running-timeout=0s'], `--pod-running-timeout must be higher than zero${usage}`],
      [
        ['-i', '--dry-run=client'],
        `--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)${usage}`,
      ],
      [['--port=abc'], 'strconv.Atoi: parsing "abc": invalid syntax'],
      [['--override-type=xml', '--overrides={}'], 'invalid override type: xml'],
    ];
    for (const [flags, message] of refusals)
      expect((await c.run('run', 'a', '--image=busybox', ...flags)).stderr).toBe(`error: ${message}\n`);
    // --attach is a pflag bool (kubectl 1.32: `invalid argument "maybe" for "--attach" flag: strconv.ParseBool: …`)
    expect((await c.run('run', 'a', '--image=busybox', '--attach=maybe')).stderr).toContain(
      'invalid argument "maybe" for "--attach" flag: strconv.ParseBool: parsing "maybe": invalid syntax\n',
    );
    expect((await c.run('get', 'pods', '-o', 'name')).stdout).toBe('');
  });
});

async function kubesimWithStdin(c: { state: string; dir: string }, stdin: string, ...args: string[]) {
  const { kubesim } = await import('../support/cli');
  return kubesim(c.state, args, { stdin, cwd: c.dir });
}

describe('rollout takes -f and -l', () => {
  it('restarts the deployments a selector picks, prints -o name, and follows the one a manifest names', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx');
    await c.run('create', 'deployment', 'api', '--image=nginx');
    await c.run('label', 'deployment', 'web', 'api', 'tier=front');
    expect((await c.run('rollout', 'restart', 'deployment', '-l', 'tier=front', '-o', 'name')).stdout).toBe(
      'deployment.apps/api\ndeployment.apps/web\n',
    );
    expect((await c.run('rollout', 'pause', 'deployment', '-l', 'tier=none')).stderr).toBe('error: no objects passed to pause\n');
    const file = c.file('web.yaml', (await c.run('get', 'deployment', 'web', '-o', 'yaml')).stdout);
    const status = await c.run('rollout', 'status', '-f', file, '--watch=false');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('deployment "web"');
    expect((await c.run('rollout', 'history', '-f', file)).stdout).toContain('deployment.apps/web');
  });
});

describe('label and annotate take -A and --field-selector', () => {
  it('labels the objects a field selector picks, in every namespace with -A', async () => {
    const c = await manualCluster();
    await c.run('create', 'namespace', 'shop');
    await c.run('create', 'configmap', 'a', '-n', 'shop');
    await c.run('create', 'configmap', 'a');
    await c.run('create', 'configmap', 'b');
    expect((await c.run('label', 'cm', '--field-selector', 'metadata.name=a', '-A', 'team=x')).stdout).toBe(
      'configmap/a labeled\nconfigmap/a labeled\n',
    );
    expect((await c.run('get', 'cm', '-A', '-l', 'team=x', '-o', 'name')).stdout).toBe('configmap/a\nconfigmap/a\n');
    expect((await c.run('annotate', 'cm', '--field-selector', 'metadata.name=b', 'note=y')).stdout).toBe('configmap/b annotated\n');
  });
});
