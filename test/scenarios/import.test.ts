import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, expect } from 'vitest';
import { kubesim, tempCluster } from '../support/cli';

// a dump as `kubectl get nodes,pods,deployments,replicasets,statefulsets,daemonsets,services,pdb,namespaces,secrets,events
// -A -o yaml` prints it for a 4-node cluster (one control-plane node), written by hand in kubectl's format: the
// Deployment's spec is `kubectl create deployment web --image=nginx:1.27 --replicas=3 --dry-run=client -o yaml`'s,
// defaulted as the API server stores it
const DUMP = fs.readFileSync(path.join(__dirname, '../fixtures/import/dump.yaml'), 'utf8');

async function imported() {
  const c = tempCluster();
  const file = c.file('dump.yaml', DUMP);
  const run = (...args: string[]) => kubesim(c.state, args, { cwd: c.dir });
  const r = await run('import', '-f', file, '--clock', 'manual');
  return { c, run, r };
}

describe('kubesim import', () => {
  it('rebuilds the cluster: nodes, workloads with their owners, pods Running where they ran, at their ages', async () => {
    const { run, r } = await imported();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(1)).toEqual([
      // kube-root-ca.crt is the root-CA publisher's in every namespace, not a placeholder
      'Placeholders for what the pods need and the dump lacks (empty but for the keys they read): secret/db-creds -n shop',
      'Skipped 1 Secret: never imported',
      'Skipped 1 Event: the simulated control plane makes its own',
      // a manual clock starts when the dump was taken (its latest heartbeat)
      expect.stringMatching(/^State: .*state\.db \(seed 1, manual clock, now 2026-11-30T12:00:00Z\)$/),
      '',
    ]);
    expect(r.stdout.split('\n')[0]).toMatch(/^Cluster imported from \S+dump\.yaml: /);
    expect(r.stdout.split(': ')[1].split('\n')[0]).toBe(
      `1 Namespace, 4 Node, 1 Secret, 1 Service, 1 Deployment, 1 StatefulSet, 1 DaemonSet, 2 ReplicaSet, 10 Pod, 1 PodDisruptionBudget`,
    );
    expect((await run('get', 'nodes')).stdout).toBe(
      [
        'NAME     STATUS   ROLES           AGE   VERSION',
        'cp-1     Ready    control-plane   29d   v1.32.2',
        'node-a   Ready    <none>          29d   v1.32.2',
        'node-b   Ready    <none>          29d   v1.32.2',
        'node-c   Ready    <none>          29d   v1.32.2',
        '',
      ].join('\n'),
    );
    // bound where they ran, with their IPs and ages; the pod that never fitted still does not
    expect((await run('get', 'pods', '-n', 'shop', '-o', 'wide')).stdout).toBe(
      [
        'NAME                  READY   STATUS    RESTARTS   AGE    IP            NODE     NOMINATED NODE   READINESS GATES',
        'big                   0/1     Pending   0          60m    <none>        <none>   <none>           <none>',
        'db-0                  1/1     Running   0          10d    10.244.1.13   node-a   <none>           <none>',
        'db-1                  1/1     Running   0          10d    10.244.2.8    node-b   <none>           <none>',
        'web-6d9f7b8c5-7xk2p   1/1     Running   0          2d2h   10.244.1.12   node-a   <none>           <none>',
        'web-6d9f7b8c5-b9q4m   1/1     Running   0          2d2h   10.244.2.7    node-b   <none>           <none>',
        'web-6d9f7b8c5-hz6wd   1/1     Running   0          2d2h   10.244.3.9    node-c   <none>           <none>',
        '',
      ].join('\n'),
    );
    const events = (await run('get', 'events', '-n', 'shop')).stdout;
    expect(events).toContain(
      'Warning   FailedScheduling   pod/big   0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu.',
    );
    // the controllers took the workloads over where they were: no new ReplicaSet, no pod replaced
    expect((await run('get', 'rs', '-n', 'shop')).stdout).toBe(
      [
        'NAME            DESIRED   CURRENT   READY   AGE',
        'web-5c8d7f9b4   0         0         0       10d',
        'web-6d9f7b8c5   3         3         3       2d2h',
        '',
      ].join('\n'),
    );
    expect(events).not.toMatch(/ScalingReplicaSet|SuccessfulCreate|SuccessfulDelete|Killing/);
    expect((await run('get', 'pods', '-n', 'kube-system', '-o', 'name')).stdout).toBe(
      'pod/node-exporter-4kq8z\npod/node-exporter-9rmtx\npod/node-exporter-c2w7n\npod/node-exporter-v5hbl\n',
    );
    // uids (which owner references name) and creation times are the real cluster's
    const dumpUid = /uid: (\S+)\n/.exec(DUMP.slice(DUMP.indexOf('kind: Deployment')))![1];
    expect(
      (await run('get', 'deployment', 'web', '-n', 'shop', '-o', 'jsonpath={.metadata.uid} {.metadata.creationTimestamp}')).stdout,
    ).toBe(`${dumpUid} 2026-11-20T09:00:00Z`);
  });

  it('rehearses a drain: the PDB holds, evicted pods come back elsewhere and start with the placeholder Secret', async () => {
    const { run } = await imported();
    const drain = await run('drain', 'node-a', '--ignore-daemonsets');
    expect(drain.code).toBe(0);
    expect(drain.stdout).toContain('evicting pod shop/web-6d9f7b8c5-7xk2p\n');
    expect(drain.stdout).toContain('node/node-a drained\n');
    await run('clock', 'advance', '2m');
    const pods = (await run('get', 'pods', '-n', 'shop', '-o', 'wide', '--no-headers')).stdout.trim().split('\n');
    const running = pods.filter((l) => / Running /.test(l) && /1\/1/.test(l));
    // db-0 came back on another node (its env reads the placeholder db-creds Secret), web is 3 again
    expect(running.map((l) => l.split(/\s+/)[0].replace(/-[a-z0-9]{5}$/, '-*'))).toEqual([
      'db-0',
      'db-1',
      'web-6d9f7b8c5-*',
      'web-6d9f7b8c5-*',
      'web-6d9f7b8c5-*',
    ]);
    expect(running.every((l) => !l.includes('node-a'))).toBe(true);
    // the StatefulSet's pods were relabelled to the simulated controller's revision: db-1 was not rolled
    expect(pods.find((l) => l.startsWith('db-1 '))).toMatch(/ 10d /);
  });

  it('refuses a dump without nodes, and a second import over a cluster, writing nothing', async () => {
    const c = tempCluster();
    const file = c.file('pods.yaml', 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: x}\n');
    const r = await kubesim(c.state, ['import', '-f', file]);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'error: the dump has no nodes: include them (kubectl get nodes,… -o yaml)\n' });
    expect(fs.existsSync(c.state)).toBe(false);
    const dump = c.file('dump.yaml', DUMP);
    expect((await kubesim(c.state, ['import', '-f', dump, '--clock', 'manual'])).code).toBe(0);
    const again = await kubesim(c.state, ['import', '-f', dump]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      `error: a cluster already exists in ${c.state}; use --force to replace it or 'kubesim cluster delete' first\n`,
    );
    expect((await kubesim(c.state, ['import', '-f', dump, '--clock', 'sundial'])).stderr).toBe(
      'error: invalid --clock "sundial": must be wall or manual\n',
    );
  });
});
