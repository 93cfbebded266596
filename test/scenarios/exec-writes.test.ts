import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
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

describe('kubesim cp', () => {
  it('copies a local file and directory into a container and back out, as kubectl cp does', async () => {
    const c = await start(pod('box'));
    await advanceSeconds(c, 5);
    c.file('notes.txt', 'hello\n');
    c.file('site/index.html', '<h1>hi</h1>\n');
    c.file('site/css/a.css', 'body{}\n');
    expect(await c.run('cp', 'notes.txt', 'box:/tmp/notes.txt')).toMatchObject({ code: 0, stdout: '', stderr: '' });
    // into an existing directory: under the source's own name
    expect(await c.run('cp', 'site', 'default/box:/tmp')).toMatchObject({ code: 0, stderr: '' });
    expect((await c.run('exec', 'box', '--', 'cat', '/tmp/notes.txt', '/tmp/site/index.html', '/tmp/site/css/a.css')).stdout).toBe(
      'hello\n<h1>hi</h1>\nbody{}\n',
    );
    await c.run('exec', 'box', '--', 'sh', '-c', 'echo changed >> /tmp/notes.txt');
    expect(await c.run('cp', 'box:/tmp/notes.txt', 'back/notes.txt')).toMatchObject({
      code: 0,
      stdout: "tar: removing leading '/' from member names\n",
    });
    expect(readFileSync(path.join(c.dir, 'back/notes.txt'), 'utf8')).toBe('hello\nchanged\n');
    await c.run('cp', 'box:/tmp/site', 'copy');
    expect(readFileSync(path.join(c.dir, 'copy/css/a.css'), 'utf8')).toBe('body{}\n');
  });

  it("refuses what kubectl refuses, in kubectl's words", async () => {
    const c = await start(pod('box'));
    await advanceSeconds(c, 5);
    c.file('f', 'x');
    expect(await c.run('cp', 'f')).toMatchObject({ code: 1, stderr: 'error: source and destination are required\n' });
    expect((await c.run('cp', 'a:/x', 'b:/y')).stderr).toBe('error: one of src or dest must be a local file specification\n');
    expect((await c.run('cp', 'f', 'g')).stderr).toBe('error: one of src or dest must be a remote file specification\n');
    expect((await c.run('cp', ':x', 'box:/tmp')).stderr).toBe(
      'error: filespec must match the canonical format: [[namespace/]pod:]file/path\n',
    );
    expect((await c.run('cp', 'f', 'box:')).stderr).toBe('error: filepath can not be empty\n');
    expect((await c.run('cp', 'nope', 'box:/tmp')).stderr).toBe("error: nope doesn't exist in local filesystem\n");
    expect((await c.run('cp', 'f', 'ghost:/tmp')).stderr).toBe('Error from server (NotFound): pods "ghost" not found\n');
    expect(await c.run('cp', 'f', 'box:/nowhere/f')).toMatchObject({
      code: 1,
      stderr: "tar: can't change directory to '/nowhere': No such file or directory\ncommand terminated with exit code 1\n",
    });
    expect(await c.run('cp', 'box:/tmp/missing', 'out')).toMatchObject({
      code: 1,
      stdout: "tar: removing leading '/' from member names\ntar: /tmp/missing: No such file or directory\n",
      stderr: 'command terminated with exit code 1\n',
    });
  });
});

describe("an emptyDir is one directory for the pod's containers", () => {
  const twoContainers = `apiVersion: v1
kind: Pod
metadata: {name: pair}
spec:
  nodeName: node-1
  containers:
  - name: writer
    image: busybox
    command: [sh, -c, 'sleep 2; echo from-writer > /shared/made; echo private > /tmp/own; sleep 3600']
    volumeMounts: [{name: cache, mountPath: /shared}]
  - name: reader
    image: busybox
    command: [sh, -c, 'sleep 3600']
    volumeMounts: [{name: cache, mountPath: /data}]
  - name: apart
    image: busybox
    command: [sh, -c, 'sleep 3600']
  volumes:
  - name: cache
    emptyDir: {}
`;

  it("what a container's process and exec write there the others see, at their own mount path; other paths stay the container's", async () => {
    const c = await start(twoContainers);
    await advanceSeconds(c, 10);
    expect(await c.run('exec', 'pair', '-c', 'reader', '--', 'cat', '/data/made')).toMatchObject({ code: 0, stdout: 'from-writer\n' });
    expect((await c.run('exec', 'pair', '-c', 'reader', '--', 'cat', '/tmp/own')).code).toBe(1);
    await c.run('exec', 'pair', '-c', 'writer', '--', 'sh', '-c', 'mkdir /shared/d && echo one > /shared/d/f');
    await c.run('exec', 'pair', '-c', 'reader', '--', 'sh', '-c', 'echo two > /data/back');
    await advanceSeconds(c, 30);
    expect((await c.run('exec', 'pair', '-c', 'reader', '--', 'cat', '/data/d/f')).stdout).toBe('one\n');
    expect((await c.run('exec', 'pair', '-c', 'writer', '--', 'cat', '/shared/back')).stdout).toBe('two\n');
    expect((await c.run('exec', 'pair', '-c', 'writer', '--', 'ls', '/shared')).stdout).toBe('back\nd\nmade\n');
    // a removal by one is seen by the other
    await c.run('exec', 'pair', '-c', 'writer', '--', 'rm', '/shared/d/f');
    expect((await c.run('exec', 'pair', '-c', 'reader', '--', 'ls', '/data/d')).stdout).toBe('');
    // a container that does not mount the volume sees none of it
    expect((await c.run('exec', 'pair', '-c', 'apart', '--', 'ls', '/data')).code).toBe(1);
  });
});
