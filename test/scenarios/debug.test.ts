import { describe, it, expect } from 'vitest';
import { advanceSeconds, clusterWith, kubesim, type Cluster } from '../support/cli';

const start = (manifest: string): Promise<Cluster> => clusterWith(manifest, (stderr) => expect(stderr).toBe(''));
const withStdin = (c: Cluster, stdin: string, ...args: string[]) => kubesim(c.state, args, { stdin, cwd: c.dir });
const json = async (c: Cluster, ...args: string[]) => JSON.parse((await c.run('get', ...args, '-o', 'json')).stdout);
const PROMPT = "If you don't see a command prompt, try pressing enter.\n";
const LEGACY =
  '--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example "--profile=general".\n';

const WEB = `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}, annotations: {note: x}}
spec:
  nodeName: node-2
  initContainers:
  - {name: init, image: busybox, command: [sh, -c, 'true']}
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'echo hi > /tmp/x; sleep 100000']
    livenessProbe: {exec: {command: ['true']}}
    readinessProbe: {exec: {command: ['true']}}
  - name: side
    image: busybox
    command: [sh, -c, 'sleep 100000']
`;

async function web(): Promise<Cluster> {
  const c = await start(WEB);
  await advanceSeconds(c, 10);
  return c;
}

describe('kubesim debug: an ephemeral container', () => {
  it('-i --image: added through pods/ephemeralcontainers, started by the kubelet, its shell reads stdin', async () => {
    const c = await web();
    const r = await withStdin(c, 'echo in $HOSTNAME\nls /tmp\n', 'debug', 'web', '-i', '--image=busybox', '--profile=general');
    expect(r.code).toBe(0);
    const name = /^Defaulting debug container name to (debugger-[bcdfghjklmnpqrstvwxz2456789]{5})\.\n/.exec(r.stdout)?.[1];
    expect(name).toBeDefined();
    // its own files (not the app's /tmp/x)
    expect(r.stdout.slice(r.stdout.indexOf('\n') + 1)).toBe('in web\n');
    expect(r.stderr).toBe(PROMPT);
    const pod = await json(c, 'pod', 'web');
    expect(pod.spec.ephemeralContainers).toEqual([
      {
        name,
        image: 'busybox',
        imagePullPolicy: 'Always',
        resources: {},
        securityContext: { capabilities: { add: ['SYS_PTRACE'] } },
        stdin: true,
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
    ]);
    expect(pod.status.ephemeralContainerStatuses).toHaveLength(1);
    expect(pod.status.ephemeralContainerStatuses[0]).toMatchObject({ name, ready: false, restartCount: 0, state: { running: {} } });
    expect(pod.status.ephemeralContainerStatuses[0].started).toBeUndefined();
    // the pod's readiness and READY column do not count it
    expect((await c.run('get', 'pod', 'web', '--no-headers')).stdout).toMatch(/^web\s+\d\/2\s+Running/);
    // the session is its log; it waits for more input (stdin stays open), and exec reaches it
    expect((await c.run('logs', 'web', '-c', name!)).stdout).toBe('in web\n');
    expect((await c.run('exec', 'web', '-c', name!, '--', 'cat', '/etc/hostname')).stdout).toBe('web\n');
    const described = (await c.run('describe', 'pod', 'web')).stdout;
    expect(described).toMatch(new RegExp(`Ephemeral Containers:\\n  ${name}:\\n`));
  });

  it('-c, -- COMMAND, --target, -q, --arguments-only, --env, --image-pull-policy; the profiles set its securityContext', async () => {
    const c = await web();
    expect(
      await c.run(
        'debug',
        'web',
        '--image=busybox',
        '-c',
        'dbg',
        '--target=app',
        '--profile=netadmin',
        '--',
        'sh',
        '-c',
        'echo two; sleep 5; echo three',
      ),
    ).toEqual({
      code: 0,
      stdout:
        'Targeting container "app". If you don\'t see processes from this container it may be because the container runtime doesn\'t support this feature.\n',
      stderr: '',
    });
    await advanceSeconds(c, 10);
    expect((await c.run('logs', 'web', '-c', 'dbg')).stdout).toBe('two\nthree\n');
    let pod = await json(c, 'pod', 'web');
    expect(pod.spec.ephemeralContainers[0]).toMatchObject({
      name: 'dbg',
      command: ['sh', '-c', 'echo two; sleep 5; echo three'],
      targetContainerName: 'app',
      securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } },
    });
    // it ran to its end and is not restarted
    expect(pod.status.ephemeralContainerStatuses[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(
      await c.run(
        'debug',
        'web',
        '-q',
        '--image=busybox:1.36',
        '--image-pull-policy=IfNotPresent',
        '--env=B=2',
        '--env=A=1',
        '--arguments-only',
        '--profile=restricted',
        '-c',
        'dbg2',
        '--',
        'x',
      ),
    ).toEqual({ code: 0, stdout: '', stderr: '' });
    pod = await json(c, 'pod', 'web');
    expect(pod.spec.ephemeralContainers[1]).toEqual({
      name: 'dbg2',
      image: 'busybox:1.36',
      imagePullPolicy: 'IfNotPresent',
      args: ['x'],
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
      resources: {},
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    });
    // the first one is unchanged
    expect(pod.spec.ephemeralContainers[0].name).toBe('dbg');
  });

  it('--target: the target is PID 1, its files at /proc/1/root as they were when the debug container started', async () => {
    const c = await web();
    await c.run(
      'debug',
      'web',
      '-q',
      '--image=busybox',
      '-c',
      'peek',
      '--target=app',
      '--profile=general',
      '--',
      'cat',
      '/proc/1/root/tmp/x',
    );
    await advanceSeconds(c, 10);
    expect((await c.run('logs', 'web', '-c', 'peek')).stdout).toBe('hi\n');
    // without a target, its own files only
    await c.run('debug', 'web', '-q', '--image=busybox', '-c', 'own', '--profile=general', '--', 'cat', '/proc/1/root/tmp/x');
    await advanceSeconds(c, 10);
    expect((await c.run('logs', 'web', '-c', 'own')).stdout).toBe("cat: can't open '/proc/1/root/tmp/x': No such file or directory\n");
  });

  it("the API server's checks: a name taken, a target that is not a container, a pod that does not exist", async () => {
    const c = await web();
    expect(await c.run('debug', 'web', '--image=busybox', '-c', 'app', '--profile=general')).toMatchObject({
      code: 1,
      stderr: 'The Pod "web" is invalid: spec.ephemeralContainers[0].name: Duplicate value: "app"\n',
    });
    expect(await c.run('debug', 'web', '--image=busybox', '-q', '--target=nope', '--profile=general')).toMatchObject({
      code: 1,
      stderr: 'The Pod "web" is invalid: spec.ephemeralContainers[0].targetContainerName: Not found: "nope"\n',
    });
    expect(await c.run('debug', 'nope', '--image=busybox', '--profile=general')).toMatchObject({
      code: 1,
      stderr: 'Error from server (NotFound): pods "nope" not found\n',
    });
    // a pod created with ephemeral containers is refused
    c.file(
      'eph.yaml',
      WEB.replace('name: web', 'name: eph').replace(
        '  containers:',
        '  ephemeralContainers:\n  - {name: e, image: busybox}\n  containers:',
      ),
    );
    expect((await c.run('apply', '-f', 'eph.yaml')).stderr).toMatch(/spec.ephemeralContainers: Forbidden: cannot be set on create/);
  });
});

describe('kubesim debug: Validate, in kubectl 1.32 words', () => {
  it.each([
    [['web'], 'you must specify --image when not using --copy-to.'],
    [['web', '--attach', '--profile=general'], 'you must specify --container or create a new container using --image in order to attach.'],
    [['web', '--copy-to=x'], 'you must specify --image, --set-image or command arguments.'],
    [['web', '--copy-to=x', '--', 'sh'], 'you must specify an existing container or a new image when specifying args.'],
    [['web', '--image=busybox', '--replace'], '--replace may only be used with --copy-to.'],
    [['web', '--image=busybox', '--same-node'], '--same-node may only be used with --copy-to.'],
    [['web', '--image=busybox', '--set-image=app=x'], '--set-image may only be used with --copy-to.'],
    [['web', '--image=Bad:Image'], 'invalid image name "Bad:Image": invalid reference format'],
    [['--image=busybox'], 'NAME or filename is required for debug'],
    [['web', '--image=busybox', '--image-pull-policy=Sometimes'], 'invalid image pull policy: Sometimes'],
    [['web', '--copy-to=x', '--set-image=app=UP'], 'invalid image name "UP" for container "app": invalid reference format'],
    [['web', '--copy-to=x', '--image=busybox', '--target=app'], '--target is incompatible with --copy-to. Use --share-processes instead.'],
    [['web', '--image=busybox', '-t'], '-i/--stdin is required for containers with -t/--tty=true'],
    [['web', '--image=busybox', '--profile=nope'], 'unknown profile: nope'],
  ])('debug %j', async (args, message) => {
    const c = await web();
    const r = await c.run('debug', ...args);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: ${message}\n`);
  });

  it('--profile=legacy (the default) says it is deprecated', async () => {
    const c = await web();
    expect(await c.run('debug', 'web', '--image=busybox', '-q')).toEqual({ code: 0, stdout: '', stderr: LEGACY });
  });
});

describe('kubesim debug --copy-to', () => {
  const spec = async (c: Cluster, name: string) =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pod JSON of any shape
    (await json(c, 'pod', name)) as { metadata: Record<string, unknown>; spec: Record<string, any> };

  it('a copy with a debug container: the profile drops labels, annotations and probes and shares processes (kubectl 1.32)', async () => {
    const c = await web();
    const r = await c.run('debug', 'web', '--copy-to=copy', '--image=busybox', '--profile=general', '-c', 'dbg', '--', 'sleep', '1000');
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    const copy = await spec(c, 'copy');
    expect(copy.metadata.labels).toBeUndefined();
    expect(copy.metadata.annotations).toBeUndefined();
    expect(copy.spec.shareProcessNamespace).toBe(true);
    expect(copy.spec.containers.map((x: { name: string }) => x.name)).toEqual(['app', 'side', 'dbg']);
    expect(copy.spec.containers[0].livenessProbe).toBeUndefined();
    expect(copy.spec.containers[2]).toMatchObject({
      image: 'busybox',
      command: ['sleep', '1000'],
      securityContext: { capabilities: { add: ['SYS_PTRACE'] } },
    });
    expect(copy.spec.initContainers.map((x: { name: string }) => x.name)).toEqual(['init']);
    // scheduled anew (not pinned to the original's node), and running
    await advanceSeconds(c, 10);
    expect((await c.run('get', 'pod', 'copy', '--no-headers')).stdout).toMatch(/copy\s+3\/3\s+Running/);
  });

  it('legacy keeps annotations and probes, drops labels; --keep-* keep them with another profile', async () => {
    const c = await web();
    await c.run('debug', 'web', '--copy-to=leg', '--image=busybox', '-q');
    const leg = await spec(c, 'leg');
    expect(leg.metadata.labels).toBeUndefined();
    expect((leg.metadata.annotations as Record<string, string>).note).toBe('x');
    expect(leg.spec.containers[0].livenessProbe).toBeDefined();
    expect(leg.spec.shareProcessNamespace).toBeUndefined();
    await c.run(
      'debug',
      'web',
      '--copy-to=kept',
      '--image=busybox',
      '-q',
      '--profile=general',
      '--keep-labels',
      '--keep-annotations',
      '--keep-liveness',
      '--keep-init-containers=false',
    );
    const kept = await spec(c, 'kept');
    expect(kept.metadata.labels).toEqual({ app: 'web' });
    expect((kept.metadata.annotations as Record<string, string>).note).toBe('x');
    expect(kept.spec.containers[0].livenessProbe).toBeDefined();
    expect(kept.spec.containers[0].readinessProbe).toBeUndefined();
    expect(kept.spec.initContainers).toBeUndefined();
  });

  it('--set-image, --container with a new command, --same-node, --share-processes=false, --replace', async () => {
    const c = await web();
    expect(await c.run('debug', 'web', '--copy-to=img', '--set-image=*=busybox:1.36,app=busybox:debug')).toEqual({
      code: 0,
      stdout: '',
      stderr: LEGACY,
    });
    const img = await spec(c, 'img');
    expect(img.spec.containers.map((x: { image: string }) => x.image)).toEqual(['busybox:debug', 'busybox:1.36']);
    // a --set-image-only copy keeps the labels: no profile is applied
    expect(img.metadata.labels).toEqual({ app: 'web' });
    await c.run(
      'debug',
      'web',
      '--copy-to=cmd',
      '-c',
      'side',
      '--same-node',
      '--share-processes=false',
      '-q',
      '--',
      'sh',
      '-c',
      'echo replaced',
    );
    const cmd = await spec(c, 'cmd');
    expect(cmd.spec.nodeName).toBe('node-2');
    expect(cmd.spec.shareProcessNamespace).toBe(false);
    expect(cmd.spec.containers[1]).toMatchObject({ name: 'side', command: ['sh', '-c', 'echo replaced'] });
    expect(cmd.spec.containers[1].args).toBeUndefined();
    await advanceSeconds(c, 10);
    expect((await c.run('logs', 'cmd', '-c', 'side')).stdout).toBe('replaced\n');
    await c.run('debug', 'web', '--copy-to=web2', '--image=busybox', '--replace', '-q', '--profile=general', '-c', 'dbg');
    expect(await c.run('get', 'pod', 'web')).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): pods "web" not found\n' });
    expect((await c.run('get', 'pod', 'web2', '--no-headers')).code).toBe(0);
  });

  it('-i attaches to the debug container of the copy once it runs', async () => {
    const c = await web();
    const r = await withStdin(
      c,
      'echo copied $HOSTNAME\n',
      'debug',
      'web',
      '--copy-to=live',
      '--image=busybox',
      '-i',
      '-q',
      '--profile=general',
      '-c',
      'sh',
    );
    expect(r).toEqual({ code: 0, stdout: 'copied live\n', stderr: '' });
  });
});

describe('kubesim debug node/NAME', () => {
  it('a pod on the node in its host namespaces with its root at /host, as each profile sets it (kubectl 1.32)', async () => {
    const c = await web();
    const r = await withStdin(c, 'cat /host/etc/hostname\n', 'debug', 'node/node-3', '-i', '--image=busybox', '--profile=sysadmin');
    const pod =
      /^Creating debugging pod (node-debugger-node-3-[bcdfghjklmnpqrstvwxz2456789]{5}) with container debugger on node node-3\.\n/.exec(
        r.stdout,
      )?.[1];
    expect(pod).toBeDefined();
    expect(r.stdout.slice(r.stdout.indexOf('\n') + 1)).toBe('node-3\n');
    const p = await json(c, 'pod', pod!);
    expect(p.spec).toMatchObject({
      nodeName: 'node-3',
      restartPolicy: 'Never',
      hostIPC: true,
      hostNetwork: true,
      hostPID: true,
      tolerations: [{ operator: 'Exists' }],
      // the ServiceAccount admission plugin adds the token volume, as on a cluster
      volumes: [
        { name: 'host-root', hostPath: { path: '/' } },
        { name: expect.stringMatching(/^kube-api-access-/), projected: expect.anything() },
      ],
    });
    expect(p.spec.containers[0]).toMatchObject({
      name: 'debugger',
      stdin: true,
      securityContext: { privileged: true },
      volumeMounts: [
        { mountPath: '/host', name: 'host-root' },
        { mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
      ],
    });
    expect(p.metadata.labels).toBeUndefined();
  });

  it.each([
    ['general', true, true, undefined],
    ['baseline', false, false, undefined],
    ['netadmin', true, false, { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } }],
    [
      'restricted',
      false,
      false,
      { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    ],
  ])('--profile=%s', async (profile, host, root, securityContext) => {
    const c = await web();
    const r = await c.run('debug', 'node/node-1', '--image=busybox', `--profile=${profile}`, '-c', 'dbg', '--', 'sleep', '1');
    const name = /Creating debugging pod (\S+) with container dbg on node node-1\./.exec(r.stdout)![1];
    const p = await json(c, 'pod', name);
    expect(!!p.spec.hostPID).toBe(host);
    expect(p.spec.volumes.some((v: { name: string }) => v.name === 'host-root')).toBe(root);
    expect(p.spec.containers[0].securityContext).toEqual(securityContext);
    expect(p.spec.containers[0].command).toEqual(['sleep', '1']);
  });

  it('a node that does not exist', async () => {
    const c = await web();
    expect(await c.run('debug', 'node/nope', '--image=busybox', '--profile=general')).toMatchObject({
      code: 1,
      stderr: 'Error from server (NotFound): nodes "nope" not found\n',
    });
  });
});

describe('kubesim debug -f', () => {
  it('the pod a manifest names gets the ephemeral container; --copy-to copies the pod as the file has it', async () => {
    const c = await web();
    c.file('web.yaml', WEB);
    const r = await c.run(
      'debug',
      '-f',
      'web.yaml',
      '--image=busybox',
      '-c',
      'dbg',
      '--profile=general',
      '--',
      'sh',
      '-c',
      'echo from file',
    );
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    const pod = await json(c, 'pod', 'web');
    expect(pod.spec.ephemeralContainers.map((x: { name: string }) => x.name)).toEqual(['dbg']);
    // the live pod was patched: its status and node are the kubelet's, not the file's
    expect(pod.status.ephemeralContainerStatuses[0].name).toBe('dbg');
    await advanceSeconds(c, 5);
    expect((await c.run('logs', 'web', '-c', 'dbg')).stdout).toBe('from file\n');
    // the copy is made from the file's pod (kubectl's builder does not fetch it)
    c.file('edited.yaml', WEB.replace('echo hi > /tmp/x; sleep 100000', 'echo edited; sleep 100000'));
    const copy = await c.run('debug', '-f', 'edited.yaml', '--copy-to=copy', '--set-image=side=busybox:1.36', '--profile=general');
    expect(copy).toEqual({ code: 0, stdout: '', stderr: '' });
    const copied = await json(c, 'pod', 'copy');
    expect(copied.spec.containers[0].command).toEqual(['sh', '-c', 'echo edited; sleep 100000']);
    expect(copied.spec.containers[1].image).toBe('busybox:1.36');
  });

  it('a node in the file gets a node debugging pod; other kinds, names beside -f and missing pods are refused', async () => {
    const c = await web();
    c.file('node.yaml', (await c.run('get', 'node', 'node-1', '-o', 'yaml')).stdout);
    const r = await c.run('debug', '-f', 'node.yaml', '--image=busybox', '--profile=general', '--', 'true');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Creating debugging pod node-debugger-node-1-[a-z0-9]{5} with container debugger on node node-1\.\n$/);
    c.file('deploy.yaml', (await c.run('create', 'deployment', 'd', '--image=nginx', '--dry-run=client', '-o', 'yaml')).stdout);
    expect(await c.run('debug', '-f', 'deploy.yaml', '--image=busybox', '--profile=general')).toMatchObject({
      code: 1,
      stderr: 'error: "apps/v1, Kind=Deployment" not supported by debug\n',
    });
    c.file('web.yaml', WEB);
    expect(await c.run('debug', 'web', '-f', 'web.yaml', '--image=busybox', '--profile=general')).toMatchObject({
      code: 1,
      stderr: 'error: resource/name arguments cannot be provided when a path is specified\n',
    });
    c.file('gone.yaml', WEB.replace('name: web,', 'name: gone,'));
    expect(await c.run('debug', '-f', 'gone.yaml', '--image=busybox', '--profile=general')).toMatchObject({
      code: 1,
      stderr: 'Error from server (NotFound): pods "gone" not found\n',
    });
    expect(await c.run('debug', '-f', 'web.yaml', '-n', 'other', '--image=busybox', '--profile=general')).toMatchObject({ code: 1 });
    expect((await c.run('debug', '-f', 'missing.yaml', '--image=busybox', '--profile=general')).stderr).toBe(
      'error: the path "missing.yaml" does not exist\n',
    );
  });
});
