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
const advance = async (c: Cluster, seconds: number) => {
  await c.run('clock', 'advance', `${seconds}s`);
};
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
