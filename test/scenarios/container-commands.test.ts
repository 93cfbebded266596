import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

type Cluster = Awaited<ReturnType<typeof manualCluster>>;

async function start(manifest: string): Promise<Cluster> {
  const c = await manualCluster();
  c.file('m.yaml', manifest);
  const r = await c.run('apply', '-f', 'm.yaml');
  expect(r.stderr).toBe('');
  return c;
}
const status = async (c: Cluster, name: string) => JSON.parse((await c.run('get', 'pod', name, '-o', 'json')).stdout).status;
const advance = async (c: Cluster, seconds: number) => {
  await c.run('clock', 'advance', `${seconds}s`);
};

describe('containers run their commands', () => {
  // https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-a-liveness-command
  it('liveness-exec: the probe fails once /tmp/healthy is removed and the container is restarted after ~35s', async () => {
    const c = await start(`apiVersion: v1
kind: Pod
metadata:
  labels:
    test: liveness
  name: liveness-exec
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/busybox
    args:
    - /bin/sh
    - -c
    - touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600
    livenessProbe:
      exec:
        command:
        - cat
        - /tmp/healthy
      initialDelaySeconds: 5
      periodSeconds: 5
`);
    await advance(c, 30);
    expect((await status(c, 'liveness-exec')).containerStatuses[0].restartCount).toBe(0);
    // started at 1s (image pull); rm at 31s; the probes at 31, 36 and 41 fail: killed at 41
    await advance(c, 10);
    expect((await status(c, 'liveness-exec')).containerStatuses[0].state.running).toBeDefined();
    await advance(c, 1);
    const s = (await status(c, 'liveness-exec')).containerStatuses[0];
    expect(s.state.waiting?.reason ?? s.state.running).toBeTruthy();
    expect(s.lastState.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    const events = (await c.run('get', 'events', '--field-selector', 'involvedObject.name=liveness-exec', '-o', 'json')).stdout;
    expect(events).toContain("Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory");
    expect(events).toContain('Container liveness failed liveness probe, will be restarted');
  });

  it('exit codes: a container that exits 3 under restartPolicy Never fails with Error; exit 0 completes', async () => {
    const c = await start(`apiVersion: v1
kind: Pod
metadata:
  name: fails
spec:
  restartPolicy: Never
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'echo working; sleep 5; exit 3']
---
apiVersion: v1
kind: Pod
metadata:
  name: works
spec:
  restartPolicy: Never
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'sleep 5']
`);
    await advance(c, 5);
    expect((await status(c, 'fails')).phase).toBe('Running');
    await advance(c, 2);
    const failed = await status(c, 'fails');
    expect(failed.phase).toBe('Failed');
    expect(failed.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    const worked = await status(c, 'works');
    expect(worked.phase).toBe('Succeeded');
    expect(worked.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });

  it('restartPolicy Always: a command that exits goes into CrashLoopBackOff with lastState.terminated', async () => {
    const c = await start(`apiVersion: v1
kind: Pod
metadata:
  name: crashy
spec:
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'exit 2']
`);
    await advance(c, 3);
    const s = await status(c, 'crashy');
    expect(s.containerStatuses[0].state.waiting.reason).toBe('CrashLoopBackOff');
    expect(s.containerStatuses[0].lastState.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
    expect((await c.run('get', 'pod', 'crashy')).stdout).toMatch(/crashy\s+0\/1\s+CrashLoopBackOff/);
  });

  it('a server loop keeps running; annotations still decide when they are set', async () => {
    const c = await start(`apiVersion: v1
kind: Pod
metadata:
  name: loop
spec:
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'while true; do echo tick; sleep 1; done']
---
apiVersion: v1
kind: Pod
metadata:
  name: scripted
  annotations:
    sim.kubesim.io/crash-after-seconds: "20"
spec:
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'exit 0']
`);
    await advance(c, 3600);
    const loop = await status(c, 'loop');
    expect(loop.containerStatuses[0]).toMatchObject({ restartCount: 0, ready: true });
    expect((await status(c, 'scripted')).containerStatuses[0].restartCount).toBeGreaterThan(0);
    expect((await status(c, 'scripted')).containerStatuses[0].lastState.terminated.exitCode).toBe(1);
  });
});
