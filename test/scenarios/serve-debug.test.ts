import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, it, expect } from 'vitest';
import { kubesim, tempCluster } from '../support/cli';

/**
 * The real kubectl v1.32's `debug` against `kubesim serve`: its strategic merge patch of
 * pods/ephemeralcontainers, and the node debugging pod it creates. Skipped without kubectl.
 */
const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
const bin = path.resolve(__dirname, '../../bin/kubesim');
const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/**
 * A default cluster with the pod of `yaml` applied, served at 10× speed (a running container's
 * start-up passes while kubectl waits): the real kubectl against it, with stdin `input`.
 */
async function servedPod(prefix: string, yaml: string) {
  const t = tempCluster(prefix);
  expect((await kubesim(t.state, ['cluster', 'create'])).code).toBe(0);
  t.file('pod.yaml', yaml);
  expect((await kubesim(t.state, ['apply', '-f', path.join(t.dir, 'pod.yaml')])).code).toBe(0);
  const kubeconfig = path.join(t.dir, 'kubeconfig');
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--speed', '10', '--kubeconfig', kubeconfig], {
    env: { ...process.env, KUBESIM_STATE: t.state },
  });
  running.push(child);
  await new Promise<void>((resolve) => child.stdout!.on('data', () => resolve()));
  const kubectl = (input: string, ...args: string[]) =>
    spawnSync(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', path.join(t.dir, 'c'), ...args], {
      encoding: 'utf8',
      timeout: 60_000,
      input,
    });
  return { child, kubectl };
}

describe.skipIf(!fs.existsSync(KUBECTL))('kubectl.1.32 debug against kubesim serve', () => {
  it('adds ephemeral containers through pods/ephemeralcontainers (in order, checked as the API server checks them); the kubelet runs them', async () => {
    const t = tempCluster('kubesim-serve-debug-');
    expect((await kubesim(t.state, ['cluster', 'create', '--clock', 'manual'])).code).toBe(0);
    t.file(
      'web.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - {name: app, image: busybox, command: [sleep, "100000"]}\n',
    );
    expect((await kubesim(t.state, ['apply', '-f', path.join(t.dir, 'web.yaml')])).code).toBe(0);
    expect((await kubesim(t.state, ['clock', 'advance', '10s'])).code).toBe(0);
    const kubeconfig = path.join(t.dir, 'kubeconfig');
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--kubeconfig', kubeconfig], {
      env: { ...process.env, KUBESIM_STATE: t.state },
    });
    running.push(child);
    await new Promise<void>((resolve) => child.stdout!.on('data', () => resolve()));
    const kubectl = (...args: string[]) =>
      spawnSync(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', path.join(t.dir, 'c'), ...args], {
        encoding: 'utf8',
        timeout: 60_000,
      });
    expect(kubectl('debug', 'web', '--image=busybox', '-c', 'one', '--profile=general', '--', 'sh', '-c', 'echo from one')).toMatchObject({
      status: 0,
      stderr: '',
    });
    expect(kubectl('debug', 'web', '--image=busybox', '-c', 'two', '--profile=netadmin', '--', 'sleep', '1000')).toMatchObject({
      status: 0,
    });
    expect(kubectl('debug', 'web', '--image=busybox', '-c', 'app', '--profile=general')).toMatchObject({
      status: 1,
      stderr: 'The Pod "web" is invalid: spec.ephemeralContainers[2].name: Duplicate value: "app"\n',
    });
    expect(
      kubectl('get', 'pod', 'web', '-o', 'jsonpath={.spec.ephemeralContainers[*].name} {.spec.ephemeralContainers[1].securityContext}')
        .stdout,
    ).toBe('one two {"capabilities":{"add":["NET_ADMIN","NET_RAW"]}}');
    expect((await kubesim(t.state, ['clock', 'advance', '10s'])).code).toBe(0);
    expect((await kubesim(t.state, ['logs', 'web', '-c', 'one'])).stdout).toBe('from one\n');
    expect(kubectl('logs', 'web', '-c', 'one').stdout).toBe('from one\n');
    // a node: the pod kubectl makes, run by kubesim
    const node = kubectl('debug', 'node/node-2', '--image=busybox', '--profile=sysadmin', '--', 'cat', '/host/etc/hostname');
    const name = /Creating debugging pod (node-debugger-node-2-\w{5}) with container debugger on node node-2\./.exec(node.stdout)![1];
    expect((await kubesim(t.state, ['clock', 'advance', '10s'])).code).toBe(0);
    expect((await kubesim(t.state, ['logs', name])).stdout).toBe('node-2\n');
    child.kill('SIGTERM');
  });

  it('kubectl attach -i sends stdin to a container with stdin: true over the WebSocket stream; stdinOnce closes it', async () => {
    const { child, kubectl } = await servedPod(
      'kubesim-serve-attach-',
      "apiVersion: v1\nkind: Pod\nmetadata: {name: cat}\nspec:\n  restartPolicy: Never\n  containers:\n  - {name: app, image: busybox, command: [sh, -c, 'echo ready; cat; echo done'], stdin: true, stdinOnce: true}\n",
    );
    // the container runs once its (virtual) start-up is over: wait for it as kubectl wait does
    expect(kubectl('', 'wait', '--for=condition=Ready', 'pod/cat', '--timeout=60s').status).toBe(0);
    const r = kubectl('hello\nworld\n', 'attach', 'cat', '-i');
    expect(r).toMatchObject({
      status: 0,
      stdout: 'hello\nworld\ndone\n',
      stderr: "If you don't see a command prompt, try pressing enter.\n",
    });
    expect(kubectl('', 'logs', 'cat').stdout).toBe('ready\nhello\nworld\ndone\n');
    child.kill('SIGTERM');
  });

  it('kubectl attach ends with the container instance it attached to: a restartPolicy Always container that exits ends the session', async () => {
    const { child, kubectl } = await servedPod(
      'kubesim-serve-attach-always-',
      "apiVersion: v1\nkind: Pod\nmetadata: {name: once}\nspec:\n  containers:\n  - {name: app, image: busybox, command: [sh, -c, 'sleep 100; echo bye']}\n",
    );
    // (at 10x speed the container exits 10 s after it is Ready: kubectl's wait and its attach each
    // start a process, which on a loaded machine took more than the 1 s a `sleep 10` left)
    expect(kubectl('', 'wait', '--for=condition=Ready', 'pod/once', '--timeout=60s').status).toBe(0);
    // the kubelet's stream is that process's: its output until it exits, then the end (the restarted
    // container prints `bye` again 100 s later, which this session does not get)
    expect(kubectl('', 'attach', 'once')).toMatchObject({ status: 0, stdout: 'bye\n' });
    child.kill('SIGTERM');
  });
});
