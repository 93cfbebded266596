import { describe, it, expect } from 'vitest';
import { advanceSeconds, clusterWith, type Cluster } from '../support/cli';

const start = (manifest: string): Promise<Cluster> => clusterWith(manifest, (stderr) => expect(stderr).toBe(''));
const advance = advanceSeconds;
const podStatus = async (c: Cluster, name: string) => JSON.parse((await c.run('get', 'pod', name, '-o', 'json')).stdout).status;

describe('termination messages', () => {
  // https://kubernetes.io/docs/tasks/debug/debug-application/determine-reason-pod-failure/
  it('the kubernetes.io example: what the container wrote to /dev/termination-log is lastState.terminated.message', async () => {
    const c = await start(`apiVersion: v1
kind: Pod
metadata:
  name: termination-demo
spec:
  containers:
  - name: termination-demo-container
    image: debian
    command: ["/bin/sh"]
    args: ["-c", "sleep 10 && echo Sleep expired > /dev/termination-log"]
`);
    await advance(c, 12);
    const r = await c.run(
      'get',
      'pod',
      'termination-demo',
      '-o',
      'go-template={{range .status.containerStatuses}}{{.lastState.terminated.message}}{{end}}',
    );
    expect(r.stdout).toBe('Sleep expired\n');
    const describe = (await c.run('describe', 'pod', 'termination-demo')).stdout;
    expect(describe).toMatch(/Last State:\s+Terminated\n\s+Reason:\s+Completed\n\s+Message:\s+Sleep expired\n/);
  });

  it('FallbackToLogsOnError: a failed container without a message file gets its last 80 log lines; File (the default) none', async () => {
    const script = 'i=1; while [ $i -le 100 ]; do echo "line $i"; i=$((i+1)); done; exit 3';
    const c = await start(`apiVersion: v1
kind: Pod
metadata: {name: fallback}
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: busybox
    command: [sh, -c, '${script}']
    terminationMessagePolicy: FallbackToLogsOnError
---
apiVersion: v1
kind: Pod
metadata: {name: file}
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: busybox
    command: [sh, -c, '${script}']
---
apiVersion: v1
kind: Pod
metadata: {name: custom-path}
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: busybox
    command: [sh, -c, 'echo "out of disk" > /tmp/why; exit 1']
    terminationMessagePath: /tmp/why
    terminationMessagePolicy: FallbackToLogsOnError
`);
    await advance(c, 5);
    const fallback = (await podStatus(c, 'fallback')).containerStatuses[0].state.terminated;
    expect(fallback).toMatchObject({ exitCode: 3, reason: 'Error' });
    const lines = Array.from({ length: 80 }, (_, k) => `line ${k + 21}\n`).join('');
    expect(fallback.message).toBe(lines);
    expect((await podStatus(c, 'file')).containerStatuses[0].state.terminated.message).toBeUndefined();
    expect((await podStatus(c, 'custom-path')).containerStatuses[0].state.terminated.message).toBe('out of disk\n');
  });
});

describe('lifecycle hooks', () => {
  // https://kubernetes.io/docs/tasks/configure-pod-container/attach-handler-lifecycle-event/
  it('the kubernetes.io lifecycle-events example: postStart writes its message; preStop runs before the container stops', async () => {
    const c = await start(`apiVersion: v1
kind: Pod
metadata:
  name: lifecycle-demo
spec:
  containers:
  - name: lifecycle-demo-container
    image: nginx
    lifecycle:
      postStart:
        exec:
          command: ["/bin/sh", "-c", "echo Hello from the postStart handler > /usr/share/message"]
      preStop:
        exec:
          command: ["/bin/sh","-c","nginx -s quit; while killall -0 nginx; do sleep 1; done"]
`);
    await advance(c, 5);
    expect((await c.run('exec', 'lifecycle-demo', '--', 'cat', '/usr/share/message')).stdout).toBe('Hello from the postStart handler\n');
    expect((await c.run('delete', 'pod', 'lifecycle-demo', '--wait=false')).code).toBe(0);
    // the hook returns at once (nginx -s quit): the pod goes after the shutdown time, not the 30 s grace period
    await advance(c, 2);
    expect((await c.run('get', 'pods')).stderr).toBe('No resources found in default namespace.\n');
  });

  it('a failing postStart hook gets the container killed and restarted (FailedPostStartHook)', async () => {
    const c = await start(`apiVersion: v1
kind: Pod
metadata: {name: bad-hook}
spec:
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'sleep 3600']
    lifecycle:
      postStart:
        exec: {command: [sh, -c, 'sleep 2; exit 1']}
`);
    await advance(c, 4);
    const s = (await podStatus(c, 'bad-hook')).containerStatuses[0];
    expect(s.state.waiting.reason).toBe('CrashLoopBackOff');
    // started at 1 s, the hook returned at 3 s
    expect(s.lastState.terminated).toMatchObject({
      exitCode: 137,
      reason: 'Error',
      startedAt: '2025-01-01T00:00:01Z',
      finishedAt: '2025-01-01T00:00:03Z',
    });
    const events = (await c.run('events', '--for', 'pod/bad-hook')).stdout;
    expect(events).toMatch(/Warning\s+FailedPostStartHook\s+Pod\/bad-hook\s+PostStartHook failed\n/);
    expect(events).toMatch(/Normal\s+Killing\s+Pod\/bad-hook\s+FailedPostStartHook\n/);
  });

  it('preStop: a hook that sleeps holds the pod in Terminating; a failing one is reported (FailedPreStopHook)', async () => {
    const c = await start(`apiVersion: v1
kind: Pod
metadata: {name: slow}
spec:
  containers:
  - name: app
    image: nginx
    lifecycle:
      preStop:
        exec: {command: [sh, -c, 'sleep 5']}
---
apiVersion: v1
kind: Pod
metadata: {name: sleeper}
spec:
  containers:
  - name: app
    image: nginx
    lifecycle:
      preStop:
        sleep: {seconds: 8}
---
apiVersion: v1
kind: Pod
metadata: {name: failing}
spec:
  containers:
  - name: app
    image: nginx
    lifecycle:
      preStop:
        exec: {command: [sh, -c, 'echo no such thing >&2; exit 3']}
`);
    await advance(c, 5);
    await c.run('delete', 'pod', 'slow', 'sleeper', 'failing', '--wait=false');
    await advance(c, 4);
    const names = async () => (await c.run('get', 'pods', '-o', 'name')).stdout.split('\n').filter(Boolean).sort();
    // failing: the hook returns at once, the container stops 1 s later; slow: 5 s + 1 s; sleeper: 8 s + 1 s
    expect(await names()).toEqual(['pod/sleeper', 'pod/slow']);
    await advance(c, 2);
    expect(await names()).toEqual(['pod/sleeper']);
    await advance(c, 3);
    expect(await names()).toEqual([]);
    const events = (await c.run('events', '--for', 'pod/failing')).stdout;
    expect(events).toMatch(/Warning\s+FailedPreStopHook\s+Pod\/failing\s+PreStopHook failed\n/);
    expect((await c.run('events', '--for', 'pod/slow')).stdout).not.toContain('FailedPreStopHook');
  });
});
