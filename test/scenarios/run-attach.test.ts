import { describe, it, expect } from 'vitest';
import { kubesim, manualCluster, type Cluster } from '../support/cli';

const PROMPT = "If you don't see a command prompt, try pressing enter.\n";
const withStdin = (c: Cluster, stdin: string, ...args: string[]) => kubesim(c.state, args, { stdin, cwd: c.dir });

/** A cluster with a ready nginx Deployment behind Service `web`. */
async function withWeb(): Promise<Cluster> {
  const c = await manualCluster();
  await c.run('create', 'deployment', 'web', '--image=nginx', '--port=80');
  await c.run('expose', 'deployment', 'web', '--port=80');
  await c.run('clock', 'advance', '30s');
  return c;
}

describe('kubesim run -i/--attach/--rm (kubectl 1.32 RunOptions.Run)', () => {
  it('the CI idiom: wget through a Service, the output printed, the pod deleted after', async () => {
    const c = await withWeb();
    const r = await c.run('run', 'tmp', '--rm', '-i', '--restart=Never', '--image=busybox', '--', 'wget', '-qO-', 'http://web');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^Hostname: web-[a-z0-9]+-[a-z0-9]{5}\nIP: 10\.244\.\d+\.\d+\nGET \/ HTTP\/1\.1\nHost: web\npod "tmp" deleted\n$/,
    );
    expect(r.stderr).toBe('');
    // no `pod/tmp created` line: with attach kubectl prints the output instead
    expect(r.stdout).not.toContain('created');
    expect((await c.run('clock', 'advance', '1s')).code).toBe(0);
    expect((await c.run('get', 'pod', 'tmp')).stderr).toBe('Error from server (NotFound): pods "tmp" not found\n');
  });

  it('nslookup in sh -c answers from the cluster DNS', async () => {
    const c = await withWeb();
    const ip = (await c.run('get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}')).stdout;
    const r = await c.run('run', '-i', '--rm', 't', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'nslookup web');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain(`Name:\tweb.default.svc.cluster.local\nAddress: ${ip}\n`);
    expect(r.stdout.endsWith('pod "t" deleted\n')).toBe(true);
  });

  it('stdin piped to -i reaches cat (stdin and stdinOnce set on the container)', async () => {
    const c = await manualCluster();
    const r = await withStdin(c, 'hi\nthere\n', 'run', '-i', '--rm', 'c', '--image=busybox', '--restart=Never', '--', 'cat');
    expect(r).toMatchObject({ code: 0, stdout: 'hi\nthere\npod "c" deleted\n', stderr: PROMPT });
    // without --rm the pod stays, Completed, with the fields kubectl's generator sets
    const kept = await withStdin(c, 'x\n', 'run', '-i', 'k', '--image=busybox', '--restart=Never', '--', 'cat');
    expect(kept).toMatchObject({ code: 0, stdout: 'x\n' });
    const spec = JSON.parse((await c.run('get', 'pod', 'k', '-o', 'json')).stdout).spec;
    expect(spec.containers[0]).toMatchObject({ stdin: true, stdinOnce: true });
    expect(spec.containers[0].tty).toBeUndefined();
    expect((await c.run('get', 'pod', 'k', '--no-headers')).stdout).toMatch(/^k\s+0\/1\s+Completed\s+0/);
  });

  it('--restart=Never returns the container exit code, with kubectl’s message on stderr and no error: prefix', async () => {
    const c = await manualCluster();
    // the container is attached to while it runs: its stderr stays on stderr
    const r = await c.run(
      'run',
      '-i',
      '--rm',
      'e',
      '--image=busybox',
      '--restart=Never',
      '--',
      'sh',
      '-c',
      'sleep 3; echo out; echo err >&2; exit 3',
    );
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('out\npod "e" deleted\n');
    expect(r.stderr).toBe(`${PROMPT}err\npod default/e terminated (Error)\n`);
    // the termination message follows the reason (kubectl prints it on the next line)
    const m = await c.run(
      'run',
      '-i',
      'm',
      '--image=busybox',
      '--restart=Never',
      '--',
      'sh',
      '-c',
      'echo boom > /dev/termination-log; exit 4',
    );
    expect(m).toMatchObject({ code: 4, stdout: '', stderr: 'pod default/m terminated (Error)\nboom\n' });
  });

  it('a pod that ends before it is ready: its whole log is printed (logOpts), stdout and stderr as the log has them', async () => {
    const c = await manualCluster();
    const r = await c.run('run', '--attach', 'quick', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo one; echo two >&2');
    expect(r).toMatchObject({ code: 0, stdout: 'one\ntwo\n', stderr: '' });
  });

  it('a pod that never runs: timed out after --pod-running-timeout of virtual time; --rm still deletes it', async () => {
    const c = await manualCluster();
    const r = await c.run(
      'run',
      '-i',
      '--rm',
      'bad',
      '--image=busybox:doesnotexist',
      '--restart=Never',
      '--pod-running-timeout=20s',
      '--',
      'true',
    );
    expect(r).toMatchObject({ code: 1, stdout: 'pod "bad" deleted\n', stderr: 'error: timed out waiting for the condition\n' });
    expect((await c.run('clock')).stdout).toContain('2025-01-01T00:00:20Z');
    // the default is a minute; without --rm the pod is left as it is
    const kept = await c.run('run', '--attach', 'stuck', '--image=busybox:doesnotexist', '--', 'true');
    expect(kept).toMatchObject({ code: 1, stdout: '', stderr: 'error: timed out waiting for the condition\n' });
    expect((await c.run('clock')).stdout).toContain('2025-01-01T00:01:20Z');
    expect((await c.run('get', 'pod', 'stuck', '--no-headers')).stdout).toMatch(/ImagePullBackOff|ErrImagePull/);
  });

  it('--restart=Always (the default) with a command that ends before the start-up time: never Ready, so the wait times out', async () => {
    // kubectl 1.32 against kubesim serve, --pod-running-timeout=8s: 8 s of waiting (podRunningAndReady never true:
    // the container exits before it is Ready and restarts), then this error, exit 1, and no `pod/NAME created` line
    const c = await manualCluster();
    const r = await c.run('run', 'short', '-i', '--image=busybox', '--pod-running-timeout=8s', '--', 'sh', '-c', 'echo hi');
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'error: timed out waiting for the condition\n' });
    expect((await c.run('clock')).stdout).toContain('2025-01-01T00:00:08Z');
    expect((await c.run('get', 'pod', 'short', '--no-headers')).stdout).toMatch(/^short +0\/1 +CrashLoopBackOff /);
  });

  it('-q prints neither the prompt hint nor the deletion; -t without a terminal says so', async () => {
    const c = await manualCluster();
    const q = await withStdin(c, 'a\n', 'run', '-i', '-q', '--rm', 'q', '--image=busybox', '--restart=Never', '--', 'cat');
    expect(q).toMatchObject({ code: 0, stdout: 'a\n', stderr: '' });
    const t = await withStdin(c, 'b\n', 'run', '-it', '--rm', 't', '--image=busybox', '--restart=Never', '--', 'cat');
    expect(t).toMatchObject({
      code: 0,
      stdout: 'b\npod "t" deleted\n',
      stderr: `Unable to use a TTY - input is not a terminal or the right kind of file\n${PROMPT}`,
    });
  });

  it('--attach=false with -i creates the pod and returns; --leave-stdin-open does not wait for the exit code', async () => {
    const c = await manualCluster();
    expect(await c.run('run', '-i', '--attach=false', 'detached', '--image=busybox', '--restart=Never', '--', 'true')).toMatchObject({
      code: 0,
      stdout: 'pod/detached created\n',
    });
    const open = await c.run('run', '-i', '--leave-stdin-open', 'open', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'exit 5');
    expect(open.code).toBe(0);
    const spec = JSON.parse((await c.run('get', 'pod', 'open', '-o', 'json')).stdout).spec;
    expect(spec.containers[0].stdin).toBe(true);
    expect(spec.containers[0].stdinOnce).toBeUndefined();
  });

  it('--restart=OnFailure waits for success: a container that succeeds returns 0', async () => {
    const c = await manualCluster();
    const r = await c.run('run', '-i', '--rm', 'ok', '--image=busybox', '--restart=OnFailure', '--', 'sh', '-c', 'sleep 5; echo done');
    expect(r).toMatchObject({ code: 0, stdout: 'done\npod "ok" deleted\n', stderr: PROMPT });
  });

  it('--expose with --rm deletes the Service too', async () => {
    const c = await manualCluster();
    const r = await c.run('run', '-i', '--rm', 'svc', '--image=busybox', '--port=80', '--expose', '--restart=Never', '--', 'echo', 'hi');
    expect(r).toMatchObject({ code: 0, stdout: 'service/svc created\nhi\npod "svc" deleted\nservice "svc" deleted\n' });
    expect((await c.run('get', 'svc', 'svc')).code).toBe(1);
  });
});

describe('a deleted pod whose container never ran (the kubelet status manager’s TerminatePod)', () => {
  it('ends Failed with the container terminated as ContainerStatusUnknown (137), then goes', async () => {
    const c = await manualCluster();
    await c.run('run', 'bad', '--image=busybox:doesnotexist', '--restart=Never');
    await c.run('clock', 'advance', '10s');
    expect((await c.run('get', 'pod', 'bad', '--no-headers')).stdout).toMatch(/ImagePullBackOff/);
    expect((await c.run('delete', 'pod', 'bad', '--wait=false')).stdout).toBe('pod "bad" deleted\n');
    const rows = await c.run(
      'get',
      'pod',
      'bad',
      '-w',
      '--request-timeout=5s',
      '-o',
      'jsonpath={.status.phase} {.status.containerStatuses[0].state.terminated.reason} {.status.containerStatuses[0].state.terminated.exitCode} {.status.conditions[?(@.type=="Ready")].reason}{"\\n"}',
    );
    expect(rows.stdout.split('\n')).toContain('Failed ContainerStatusUnknown 137 PodFailed');
    expect((await c.run('get', 'pod', 'bad')).code).toBe(1);
  });
});
