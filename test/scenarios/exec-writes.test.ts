import { describe, it, expect } from 'vitest';
import { advanceSeconds, clusterWith, type Cluster } from '../support/cli';

const start = (manifest: string): Promise<Cluster> => clusterWith(manifest, (stderr) => expect(stderr).toBe(''));
const podLine = async (c: Cluster, name: string) => (await c.run('get', 'pod', name, '--no-headers')).stdout.replace(/\s+/g, ' ').trim();

const pod = (name: string, probe = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  nodeName: node-1
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'touch /tmp/healthy; sleep 3600']
${probe}`;

describe('files exec writes are kept for the container', () => {
  it('a file written by one exec is there for the next exec, in a later command; removed by a later exec', async () => {
    const c = await start(pod('box'));
    await advanceSeconds(c, 5);
    expect(await c.run('exec', 'box', '--', 'sh', '-c', 'echo x > /tmp/f; mkdir -p /data/sub && echo y > /data/sub/g')).toMatchObject({
      code: 0,
      stdout: '',
      stderr: '',
    });
    await advanceSeconds(c, 30);
    expect((await c.run('exec', 'box', '--', 'cat', '/tmp/f', '/data/sub/g')).stdout).toBe('x\ny\n');
    expect((await c.run('exec', 'box', '--', 'ls', '/data')).stdout).toBe('sub\n');
    await c.run('exec', 'box', '--', 'rm', '-r', '/data');
    expect(await c.run('exec', 'box', '--', 'ls', '/data')).toMatchObject({ code: 1 });
    expect((await c.run('exec', 'box', '--', 'cat', '/tmp/f')).stdout).toBe('x\n');
  });

  it('exec probes see what exec wrote: removing the liveness file restarts the container, which starts without the exec files', async () => {
    const c = await start(
      pod(
        'live',
        `    livenessProbe:
      exec: {command: [cat, /tmp/healthy]}
      periodSeconds: 5
      failureThreshold: 3
`,
      ),
    );
    await advanceSeconds(c, 10);
    expect(await podLine(c, 'live')).toBe('live 1/1 Running 0 10s');
    await c.run('exec', 'live', '--', 'sh', '-c', 'echo kept > /tmp/note; rm /tmp/healthy');
    await advanceSeconds(c, 9);
    expect(await podLine(c, 'live')).toBe('live 1/1 Running 0 19s');
    await advanceSeconds(c, 20);
    const status = JSON.parse((await c.run('get', 'pod', 'live', '-o', 'json')).stdout).status.containerStatuses[0];
    expect(status.restartCount).toBe(1);
    expect((await c.run('events', '--for', 'pod/live')).stdout).toMatch(
      /Liveness probe failed: cat: can't open '\/tmp\/healthy': No such file or directory/,
    );
    // the new container starts from the image and its command again: /tmp/healthy is back, the note is gone
    expect(await c.run('exec', 'live', '--', 'cat', '/tmp/note')).toMatchObject({
      code: 1,
      stderr: "cat: can't open '/tmp/note': No such file or directory\ncommand terminated with exit code 1\n",
    });
    expect((await c.run('exec', 'live', '--', 'ls', '/tmp')).stdout).toBe('healthy\n');
  });

  it('a readiness file created by exec makes the pod Ready at the next probe', async () => {
    const c = await start(`apiVersion: v1
kind: Pod
metadata: {name: gate}
spec:
  nodeName: node-1
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'sleep 3600']
    readinessProbe:
      exec: {command: [cat, /tmp/ready]}
      periodSeconds: 10
`);
    await advanceSeconds(c, 30);
    expect(await podLine(c, 'gate')).toBe('gate 0/1 Running 0 30s');
    await c.run('exec', 'gate', '--', 'touch', '/tmp/ready');
    await advanceSeconds(c, 15);
    expect(await podLine(c, 'gate')).toBe('gate 1/1 Running 0 45s');
  });
});
