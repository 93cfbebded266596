import { describe, it, expect } from 'vitest';
import { advanceSeconds, clusterWith, kubesim, type Cluster } from '../support/cli';

const start = (manifest: string): Promise<Cluster> => clusterWith(manifest, (stderr) => expect(stderr).toBe(''));
const withStdin = (c: Cluster, stdin: string, ...args: string[]) => kubesim(c.state, args, { stdin, cwd: c.dir });
const PROMPT = "If you don't see a command prompt, try pressing enter.\n";

const pod = (name: string, container: string, restartPolicy = 'Always') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  nodeName: node-1
  restartPolicy: ${restartPolicy}
  containers:
${container}`;

describe('kubesim attach', () => {
  it('prints what the container prints from now on, following virtual time until it ends', async () => {
    const c = await start(
      pod(
        'counter',
        `  - name: app
    image: busybox
    command: [sh, -c, 'for i in 1 2 3 4 5 6; do echo line $i; sleep 10; done']
`,
        'Never',
      ),
    );
    await advanceSeconds(c, 25);
    // lines 1-3 were printed before: attach shows what comes after
    const r = await c.run('attach', 'counter');
    expect(r).toMatchObject({ code: 0, stdout: 'line 4\nline 5\nline 6\n', stderr: PROMPT });
    // the clock followed the container to its end
    expect((await c.run('get', 'pod', 'counter', '--no-headers')).stdout).toMatch(/counter\s+0\/1\s+Completed/);
  });

  it('-i sends stdin to a container with stdin: true, whose process reads it (cat); stdinOnce closes it', async () => {
    const c = await start(
      pod(
        'cat',
        `  - name: app
    image: busybox
    command: [sh, -c, 'echo ready; cat; echo done']
    stdin: true
    stdinOnce: true
`,
        'Never',
      ),
    );
    await advanceSeconds(c, 5);
    expect((await c.run('logs', 'cat')).stdout).toBe('ready\n');
    const r = await withStdin(c, 'hello\nworld\n', 'attach', 'cat', '-i');
    expect(r).toMatchObject({ code: 0, stdout: 'hello\nworld\ndone\n', stderr: PROMPT });
    // the process read it: its log has it, in order, and it ended with 0
    expect((await c.run('logs', 'cat')).stdout).toBe('ready\nhello\nworld\ndone\n');
    expect((await c.run('get', 'pod', 'cat', '--no-headers')).stdout).toMatch(/Completed/);
  });

  it('a shell reading stdin runs each line as it comes; without stdinOnce stdin stays open for the next attach', async () => {
    const c = await start(
      pod(
        'shell',
        `  - name: app
    image: busybox
    command: [sh]
    stdin: true
`,
      ),
    );
    await advanceSeconds(c, 5);
    expect(await withStdin(c, 'echo one $HOSTNAME\nread x\nsecond\necho got $x\n', 'attach', 'shell', '-i', '-q')).toMatchObject({
      code: 0,
      stdout: 'one shell\ngot second\n',
      stderr: '',
    });
    // still running, waiting for more input: a second session adds to it
    expect((await c.run('get', 'pod', 'shell', '--no-headers')).stdout).toMatch(/1\/1\s+Running/);
    await advanceSeconds(c, 30);
    expect(await withStdin(c, 'exit 3\n', 'attach', 'shell', '-i', '-q')).toMatchObject({ code: 0, stdout: '' });
    const status = JSON.parse((await c.run('get', 'pod', 'shell', '-o', 'json')).stdout).status.containerStatuses[0];
    expect(status.state.waiting.reason).toBe('CrashLoopBackOff');
    expect(status.lastState.terminated).toMatchObject({ exitCode: 3, reason: 'Error', finishedAt: '2025-01-01T00:00:35Z' });
    // the whole session is the container's log (the restarted one starts without it)
    expect((await c.run('logs', 'shell', '-p')).stdout).toBe('one shell\ngot second\n');
  });

  it('stdin to a container without stdin: true is dropped, as the runtime does', async () => {
    const c = await start(
      pod(
        'nostdin',
        `  - name: app
    image: busybox
    command: [sh, -c, 'cat; echo cat ended; sleep 20; echo bye']
`,
      ),
    );
    await advanceSeconds(c, 5);
    const r = await withStdin(c, 'ignored\n', 'attach', 'nostdin', '-i');
    // (restartPolicy Always: the session ends with the instance it attached to, not at the restart)
    expect(r).toMatchObject({ code: 0, stdout: 'bye\n', stderr: PROMPT });
  });
});

describe('kubesim attach: kubectl 1.32 messages and errors', () => {
  const twoContainers = pod(
    'two',
    `  - name: app
    image: busybox
    command: [sh, -c, 'sleep 5; echo from app; sleep 100000']
  - name: side
    image: busybox
    command: [sh, -c, 'sleep 5; echo from side; sleep 100000']
    tty: true
`,
  );

  it('argument and flag errors', async () => {
    const c = await start(twoContainers);
    expect(await c.run('attach')).toMatchObject({ code: 1, stderr: 'error: at least 1 argument is required for attach\n' });
    expect(await c.run('attach', 'a', 'b', 'c')).toMatchObject({
      code: 1,
      stderr: 'error: expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw 3: [a b c]\n',
    });
    expect(await c.run('attach', 'two', '--pod-running-timeout=0s')).toMatchObject({
      code: 1,
      stderr: 'error: --pod-running-timeout must be higher than zero\n',
    });
    expect(await c.run('attach', 'nope')).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): pods "nope" not found\n' });
    expect(await c.run('attach', 'two', '-c', 'nope')).toMatchObject({
      code: 1,
      stderr: 'error: cannot attach to the container: container nope not found in pod two\n',
    });
  });

  it('the default container, -c, TYPE NAME, the TTY messages', async () => {
    const c = await start(twoContainers);
    await advanceSeconds(c, 2);
    expect(await c.run('attach', 'two', '--pod-running-timeout=10s', '-q')).toMatchObject({ code: 0, stdout: 'from app\n', stderr: '' });
    const first = await c.run('attach', 'pod', 'two');
    expect(first.stderr).toBe(`Defaulted container "app" out of: app, side\n${PROMPT}`);
    // -c names the container; a container with tty: true forces a TTY (output with CR LF is a raw terminal only)
    const side = await withStdin(c, '', 'attach', 'two', '-c', 'side', '-q');
    expect(side).toMatchObject({ code: 0, stderr: '' });
    // -t on a container that allocated no TTY
    expect((await c.run('attach', 'two', '-c', 'app', '-t')).stderr).toBe(
      `error: Unable to use a TTY - container app did not allocate one\n${PROMPT}`,
    );
    // -i -t with stdin that is not a terminal
    expect((await withStdin(c, '', 'attach', 'two', '-c', 'side', '-i', '-t')).stderr).toBe(
      `Unable to use a TTY - input is not a terminal or the right kind of file\n${PROMPT}`,
    );
  });

  it('a completed pod, a container not running yet', async () => {
    const c = await start(`${pod(
      'done',
      `  - name: app
    image: busybox
    command: [sh, -c, 'echo hi']
`,
    )}  restartPolicy: Never
---
${pod(
  'waiting',
  `  - name: app
    image: busybox:doesnotexist
`,
)}`);
    await advanceSeconds(c, 10);
    expect(await c.run('attach', 'done')).toMatchObject({
      code: 1,
      stderr: 'error: cannot attach a container in a completed pod; current phase is Succeeded\n',
    });
    expect(await c.run('attach', 'waiting')).toMatchObject({
      code: 1,
      stderr: `${PROMPT}error: unable to upgrade connection: container not found ("app")\n`,
    });
  });
});
