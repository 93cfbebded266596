import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { manualCluster } from '../support/cli';
import { deploymentYaml } from '../support/manifests';
import { Session } from '../../src/engine/session';

/**
 * Read-only commands (get, describe, events, top, rollout history, cluster info, clock, dns)
 * on a cluster the last command left quiescent run no controllers, save nothing and read
 * only the kinds they show. They must print exactly what catching up first would print.
 */

/** Whether a read-only command would take the shortcut now (and that it loads nothing up front). */
function takesShortcut(state: string): boolean {
  return Session.run({ statePath: state }, (s) => s.readOnly, { readOnly: true });
}

/** Forgets the quiescent mark: the next command catches up as every command did before. */
function forgetMark(state: string): void {
  const db = new Database(state);
  db.prepare("DELETE FROM meta WHERE key = 'quiescent'").run();
  db.close();
}

function setMeta(state: string, key: string, value: string): void {
  const db = new Database(state);
  db.prepare('UPDATE meta SET value = ? WHERE key = ?').run(value, key);
  db.close();
}

function meta(state: string, key: string): string | undefined {
  const db = new Database(state, { readonly: true });
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  db.close();
  return row?.value;
}

const MIXED = `${deploymentYaml({ replicas: 3, resources: '{requests: {cpu: 100m, memory: 64Mi}}' })}---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: huge}
spec:
  containers:
  - name: c
    image: busybox
    resources: {requests: {cpu: "64"}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec:
  template:
    metadata:
      annotations: {sim.kubesim.io/run-seconds: "5"}
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
`;

describe('read-only commands on a quiescent cluster', () => {
  // 50 commands, half of them catching up a whole cluster: over a minute on a loaded machine
  it('print exactly what they print after catching up, and write nothing', async () => {
    const c = await manualCluster(['--nodes', '3']);
    await c.run('apply', '-f', c.file('mixed.yaml', MIXED));
    await c.run('clock', 'advance', '30s');
    const pod = (await c.run('get', 'pods', '-l', 'app=web', '-o', 'name')).stdout.split('\n')[0].replace('pod/', '');
    const reads: string[][] = [
      ['get', 'pods', '-o', 'wide'],
      ['get', 'all'],
      ['get', 'deploy,rs,svc,endpointslices', '-o', 'yaml'],
      ['get', 'pods', '--field-selector', 'status.phase=Pending'],
      ['get', 'events'],
      ['describe', 'pod', pod],
      ['describe', 'pod', 'huge'],
      ['describe', 'node', 'node-1'],
      ['describe', 'deployment', 'web'],
      ['describe', 'job', 'once'],
      ['events'],
      ['top', 'nodes'],
      ['top', 'pods'],
      ['rollout', 'history', 'deployment/web'],
      ['cluster', 'info'],
      ['clock'],
      ['dns', 'web'],
      ['get', 'pods', 'nope'],
      ['get', 'pods', '-l', 'app=web', '-A', '--no-headers'],
      ['get', 'pods', '-n', 'kube-system'],
      ['get', 'nodes', '--show-labels'],
      ['get', 'nodes', '-l', 'nothing=here'],
      ['get', 'svc', '-A', '-o', 'wide'],
      ['get', 'pods', '-o', 'name'],
      ['get', 'pods', '--sort-by', '.metadata.creationTimestamp'],
    ];
    for (const args of reads) {
      forgetMark(c.state);
      const caughtUp = await c.run(...args);
      expect(takesShortcut(c.state)).toBe(true);
      const before = fs.readFileSync(c.state);
      const quick = await c.run(...args);
      expect({ args, ...quick }).toEqual({ args, ...caughtUp });
      expect(fs.readFileSync(c.state)).toEqual(before);
    }
  }, 180_000);

  it('is left when anything changed since: an object, the clock, or time reaching what is due', async () => {
    const c = await manualCluster(['--nodes', '2']);
    await c.run('create', 'deployment', 'web', '--image=nginx', '--replicas=2');
    // pods are being created: the next step (image pulled) is due in 1 s of virtual time
    expect(takesShortcut(c.state)).toBe(true);
    expect((await c.run('get', 'pods')).stdout).toMatch(/ContainerCreating/);

    // another writer (a resourceVersion the mark was not written with): that command caught
    // up and left a new mark
    const rv = meta(c.state, 'resourceVersion')!;
    setMeta(c.state, 'resourceVersion', String(Number(rv) + 1));
    expect(takesShortcut(c.state)).toBe(false);
    expect(takesShortcut(c.state)).toBe(true);

    // the clock moved to when something is due (as wall-clock time does between commands): the
    // command catches up first, and the pods start
    const mark = JSON.parse(meta(c.state, 'quiescent')!) as { next: number | null; clock: string };
    expect(mark.next).toBe(JSON.parse(mark.clock).virtualNow + 1000);
    const clock = JSON.parse(mark.clock) as { virtualNow: number };
    const moved = JSON.stringify({ ...clock, virtualNow: mark.next });
    setMeta(c.state, 'quiescent', JSON.stringify({ ...mark, clock: moved }));
    setMeta(c.state, 'clock', moved);
    expect((await c.run('get', 'pods')).stdout).not.toMatch(/ContainerCreating/);
    expect(takesShortcut(c.state)).toBe(true);

    // a write command rewrites the mark
    await c.run('scale', 'deployment/web', '--replicas=3');
    expect(takesShortcut(c.state)).toBe(true);
    expect((await c.run('get', 'deploy', 'web')).stdout).toMatch(/web +0\/3 +3 /);
  });

  it('a file without the mark (older kubesim) or with a damaged one catches up as before', async () => {
    const c = await manualCluster(['--nodes', '1']);
    await c.run('create', 'deployment', 'web', '--image=nginx');
    forgetMark(c.state);
    expect(takesShortcut(c.state)).toBe(false);
    await c.run('get', 'pods');
    expect(takesShortcut(c.state)).toBe(true);
    setMeta(c.state, 'quiescent', '{not json');
    expect(takesShortcut(c.state)).toBe(false);
    expect((await c.run('get', 'pods')).code).toBe(0);
    expect(takesShortcut(c.state)).toBe(true);
  });

  it('is not taken while a controller keeps acting without writing (a ReplicaSet retrying refused pods)', async () => {
    const c = await manualCluster(['--nodes', '1']);
    await c.run('create', 'namespace', 'locked');
    await c.run('label', 'namespace', 'locked', 'pod-security.kubernetes.io/enforce=restricted');
    await c.run('create', 'deployment', 'web', '--image=nginx', '-n', 'locked');
    const failures = async () => ((await c.run('get', 'events', '-n', 'locked')).stdout.match(/FailedCreate/g) ?? []).length;
    expect(takesShortcut(c.state)).toBe(false);
    // each command retries the creation, as before: a read does not freeze the retries
    const first = await failures();
    expect(await failures()).toBeGreaterThan(first);
  });

  it("reads the pods' templates and shared values only when it reads a pod", async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image', 'nginx:1.27', '--replicas', '2');
    await c.run('clock', 'advance', '10s');
    const deployments = await c.run('get', 'deployments', '-o', 'wide');
    expect(deployments.stdout).toMatch(/^web\s+2\/2/m);
    // unreadable tables: only a command that reads a pod finds out
    const db = new Database(c.state);
    db.exec("UPDATE templates SET data = '{'; UPDATE shared SET data = '{'");
    db.close();
    expect(takesShortcut(c.state)).toBe(true);
    expect(await c.run('get', 'deployments', '-o', 'wide')).toEqual(deployments);
    const pods = await c.run('get', 'pods');
    expect(pods.code).toBe(1);
    expect(pods.stderr).toMatch(/is corrupt/);
  });
});
