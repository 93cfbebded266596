import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { advanceSeconds, clusterWith, type Cluster } from '../support/cli';

/**
 * `get pods` as a table reads each pod row's `print` column (schema 10, store/pod-print.ts), not
 * its text: the rows must print as the pods do. The same commands are run with the columns as a
 * save writes them and with them cleared (NULL: each pod is read from its text, as before).
 */

const MANIFEST = `apiVersion: v1
kind: Pod
metadata: {name: crashy, labels: {app: crashy}}
spec:
  containers: [{name: app, image: busybox, command: [sh, -c, 'exit 2']}]
---
apiVersion: v1
kind: Pod
metadata: {name: init-error}
spec:
  restartPolicy: Never
  initContainers: [{name: check, image: busybox, command: [sh, -c, 'sleep 3; exit 2']}]
  containers: [{name: app, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: init-crash}
spec:
  initContainers:
  - {name: ok, image: busybox, command: [sh, -c, 'true']}
  - {name: check, image: busybox, command: [sh, -c, 'exit 1']}
  containers: [{name: app, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: init-slow}
spec:
  initContainers: [{name: wait, image: busybox, command: [sh, -c, 'sleep 3600']}]
  containers: [{name: app, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: sidecar}
spec:
  initContainers: [{name: log, image: busybox, restartPolicy: Always, command: [sh, -c, 'exit 3']}]
  containers: [{name: app, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: done}
spec:
  restartPolicy: Never
  containers: [{name: app, image: busybox, command: [sh, -c, 'exit 0']}]
---
apiVersion: v1
kind: Pod
metadata: {name: failed}
spec:
  restartPolicy: Never
  containers: [{name: app, image: busybox, command: [sh, -c, 'exit 7']}]
---
apiVersion: v1
kind: Pod
metadata: {name: pending, labels: {tier: x}}
spec:
  nodeSelector: {disk: none}
  containers: [{name: app, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: gated}
spec:
  schedulingGates: [{name: example.com/wait}]
  containers: [{name: app, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: gates}
spec:
  readinessGates: [{conditionType: example.com/ok}]
  containers: [{name: app, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: held}
spec:
  containers: [{name: app, image: nginx, lifecycle: {preStop: {sleep: {seconds: 8}}}}]
---
apiVersion: v1
kind: Namespace
metadata: {name: other}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: other}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, team: team-web-with-a-long-enough-label-value}}
    spec:
      containers: [{name: c, image: nginx:1.27}]
`;

const GETS: string[][] = [
  ['get', 'pods', '-A'],
  ['get', 'pods', '-A', '-o', 'wide'],
  ['get', 'pods', '-A', '--show-labels', '-L', 'app,team'],
  ['get', 'pods', '--no-headers'],
  ['get', 'pods', '-n', 'other', '-o', 'wide'],
  ['get', 'pods', '-A', '-l', 'app'],
  ['get', 'pods', '-A', '-l', 'app=web'],
  ['get', 'pods', '-A', '--field-selector', 'spec.nodeName=node-1'],
  ['get', 'pods', '-A', '--field-selector', 'spec.nodeName=', '-o', 'wide'],
  ['get', 'pods', '-A', '--field-selector', 'status.phase=Running,metadata.namespace!=kube-system'],
  ['get', 'pods', '--server-print=false'],
  ['get', 'pods', '-A', '-o', 'name'],
  ['get', 'pods', '-A', '-l', 'app=web', '--field-selector', 'status.phase=Running', '-o', 'name'],
  ['describe', 'node', 'node-1'],
];

async function cluster(): Promise<Cluster> {
  const c = await clusterWith(MANIFEST, (stderr) => expect(stderr).toBe(''));
  await advanceSeconds(c, 45);
  // (its preStop hook holds it Terminating)
  expect((await c.run('delete', 'pod', 'held', '--wait=false')).code).toBe(0);
  await advanceSeconds(c, 2);
  return c;
}

async function outputs(c: Cluster): Promise<string[]> {
  const out: string[] = [];
  for (const args of GETS) {
    const r = await c.run(...args);
    expect(r.stderr).toBe('');
    out.push(r.stdout);
  }
  return out;
}

describe('pod print columns', () => {
  it('get pods prints from the rows what it prints from the pods, in every state', async () => {
    const c = await cluster();
    const fast = await outputs(c);
    // the states the STATUS column has here
    const table = fast[0];
    for (const status of [
      'CrashLoopBackOff',
      'Init:Error',
      'Init:CrashLoopBackOff',
      'Init:0/1',
      'Completed',
      'Error',
      'Pending',
      'SchedulingGated',
      'Terminating',
      'Running',
    ])
      expect(table).toContain(` ${status} `);
    expect(table).toMatch(/ago\)/);
    expect(fast[1]).toMatch(/gates .* 0\/1\n/);
    const db = new Database(c.state);
    expect(db.prepare("SELECT count(*) FROM objects WHERE kind = 'Pod' AND print IS NULL").pluck().get()).toBe(0);
    db.exec('UPDATE objects SET print = NULL');
    db.close();
    expect(await outputs(c)).toEqual(fast);
  });

  it('a table of pods and -o name do not read their texts; -o yaml and a cleared column do', async () => {
    const c = await cluster();
    const before = (await c.run('get', 'pods', '-n', 'other')).stdout;
    const names = (await c.run('get', 'pods', '-n', 'other', '-o', 'name')).stdout;
    expect(names).toMatch(/^pod\/web-/);
    const db = new Database(c.state);
    // the rows' texts unreadable: only the print columns can make the table
    db.exec("UPDATE objects SET data = 'not json' WHERE kind = 'Pod' AND namespace = 'other'");
    expect(await c.run('get', 'pods', '-n', 'other')).toMatchObject({ code: 0, stdout: before });
    expect(await c.run('get', 'pods', '-n', 'other', '-o', 'name')).toMatchObject({ code: 0, stdout: names });
    expect((await c.run('get', 'pods', '-n', 'other', '-o', 'yaml')).stderr).toMatch(/is corrupt: Pod other\/web-.* cannot be read/);
    db.exec("UPDATE objects SET print = NULL WHERE kind = 'Pod' AND namespace = 'other'");
    db.close();
    expect((await c.run('get', 'pods', '-n', 'other')).stderr).toMatch(/is corrupt: Pod other\/web-.* cannot be read/);
  });

  it("a schema 9 file gets its pods' print column, as a save writes it", async () => {
    const c = await cluster();
    const before = await outputs(c);
    const db = new Database(c.state);
    const print = () => db.prepare("SELECT name, print FROM objects WHERE kind = 'Pod' ORDER BY name").all();
    const written = print();
    expect(written).toHaveLength(14);
    db.exec(`ALTER TABLE objects DROP COLUMN print; UPDATE meta SET value = '9' WHERE key = 'schema'`);
    expect(await outputs(c)).toEqual(before);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'schema'").get()).toEqual({ value: '10' });
    expect(print()).toEqual(written);
    db.close();
  });
});
