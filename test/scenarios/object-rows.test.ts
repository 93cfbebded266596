import { afterEach, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import Database from 'better-sqlite3';
import { manualCluster, type Cluster } from '../support/cli';
import { storeAfter } from '../support/observed-store';
import { deploymentYaml } from '../support/manifests';
import { observeEngines } from '../../src/engine/engine';

/**
 * The rows of kinds other than pods (Nodes, Leases, Deployments, ReplicaSets…) load as slots
 * indexed from their columns (kind, namespace, name, uid, rv, and `owners`, `controlled`,
 * `deleting` written with every row) and are parsed when first read, like pod rows: a command
 * that touches one Deployment of a 5,000-node cluster does not parse 5,000 Nodes and Leases.
 */

/** Deployments a and b (one pod each, node-1 and node-2), all Running. */
async function twoApps(): Promise<Cluster> {
  const c = await manualCluster(['--nodes', '2']);
  const app = (name: string, node: string) => deploymentYaml({ name, podSpec: `nodeSelector: {kubernetes.io/hostname: ${node}}` });
  expect((await c.run('apply', '-f', c.file('apps.yaml', `${app('a', 'node-1')}---\n${app('b', 'node-2')}`))).code).toBe(0);
  await c.run('clock', 'advance', '20s');
  return c;
}

/** Runs a command and says, per object of the kinds other than pods (`Kind/name`), whether it was parsed by its end (its save included). */
async function parsedBy(c: Cluster, ...args: string[]): Promise<Map<string, boolean>> {
  const store = await storeAfter(c, ...args);
  const parsed = new Map<string, boolean>();
  for (const kind of store.kinds())
    if (kind !== 'Pod') for (const s of store.slotsInInsertionOrder(kind)) parsed.set(`${kind}/${s.name}`, s.parsed);
  return parsed;
}

const podOf = async (c: Cluster, app: string) =>
  (await c.run('get', 'pods', '-l', `app=${app}`, '-o', 'name')).stdout.trim().replace('pod/', '');

/** An older kubesim's rows: no columns but the pods'. */
function dropObjectColumns(state: string): void {
  const db = new Database(state);
  db.exec("UPDATE objects SET owners = NULL, controlled = NULL, deleting = NULL WHERE kind <> 'Pod'");
  db.close();
}

describe('rows of other kinds', () => {
  afterEach(() => observeEngines(undefined));

  it('a write command parses the objects it and its controllers read, not the others', async () => {
    const c = await twoApps();
    const parsed = await parsedBy(c, 'label', 'pod', await podOf(c, 'a'), 'seen=yes');
    // the controllers woken by one pod of a: its ReplicaSet, its node (the kubelet's, the eviction manager's)
    expect(parsed.get('Node/node-1')).toBe(true);
    // b's Deployment, ReplicaSet, node and lease had nothing to do (their queues' marks checked
    // by slot at each pass and at the save), nor a's Deployment
    expect(parsed.get('Node/node-2')).toBe(false);
    expect(parsed.get('Lease/node-2')).toBe(false);
    expect(parsed.get('Deployment/b')).toBe(false);
    expect(parsed.get('Deployment/a')).toBe(false);
    expect([...parsed].filter(([key, p]) => key.startsWith('ReplicaSet/b-') && p)).toEqual([]);
    expect([...parsed].filter(([key]) => key.startsWith('ReplicaSet/b-'))).toHaveLength(1);
  });

  it('indexes them by owner from their columns: deleting a Deployment deletes its ReplicaSet and pod', async () => {
    const c = await twoApps();
    expect((await c.run('delete', 'deployment', 'b')).code).toBe(0);
    await c.run('clock', 'advance', '40s');
    expect((await c.run('get', 'replicasets', '-o', 'name')).stdout).toMatch(/^replicaset.apps\/a-[a-z0-9]+\n$/);
    expect((await c.run('get', 'pods', '-o', 'name')).stdout).toMatch(/^pod\/a-[a-z0-9]+-[a-z0-9]+\n$/);
  });

  it('a file of an older kubesim (no such columns) parses them at load, and its next save fills them in', async () => {
    const c = await twoApps();
    const columns = () => {
      const db = new Database(c.state, { readonly: true });
      const rows = db.prepare("SELECT kind, name, owners, controlled, deleting FROM objects WHERE kind <> 'Pod' ORDER BY id").all();
      db.close();
      return rows;
    };
    const written = columns();
    // (the save writes them: a ReplicaSet's owner is its Deployment, its controller)
    expect(written).toContainEqual({
      kind: 'ReplicaSet',
      name: expect.stringMatching(/^a-/),
      owners: expect.stringMatching(/^\["[^"]+"\]$/),
      controlled: 1,
      deleting: 0,
    });
    expect(written).toContainEqual({ kind: 'Node', name: 'node-2', owners: '[]', controlled: 0, deleting: 0 });
    dropObjectColumns(c.state);
    const parsedFirst = await parsedBy(c, 'label', 'pod', await podOf(c, 'a'), 'seen=yes');
    expect(parsedFirst.get('Deployment/b')).toBe(true);
    expect(columns()).toEqual(written);
    const parsedThen = await parsedBy(c, 'label', 'pod', await podOf(c, 'a'), 'seen=again', '--overwrite');
    expect(parsedThen.get('Deployment/b')).toBe(false);
  });

  it('names a row that cannot be read when it is read, and changes nothing', async () => {
    const c = await twoApps();
    const db = new Database(c.state);
    db.prepare("UPDATE objects SET data = '{broken' WHERE kind = 'Node' AND name = 'node-2'").run();
    db.close();
    const broken = { code: 1, stdout: '', stderr: `error: ${c.state} is corrupt: Node node-2 cannot be read\n` };
    // (a command that reads only node-1's objects does not meet it: it is never parsed)
    expect(await c.run('label', 'pod', await podOf(c, 'a'), 'seen=yes')).toMatchObject({ code: 0 });
    expect(await c.run('get', 'nodes')).toEqual(broken);
    const before = fs.readFileSync(c.state);
    // met by a controller after the command printed what it did, which is then not done: that is not printed
    expect(await c.run('label', 'pod', await podOf(c, 'b'), 'seen=yes')).toEqual(broken);
    expect(fs.readFileSync(c.state)).toEqual(before);
    // an older kubesim's row (no columns) is parsed at load: any command meets it
    dropObjectColumns(c.state);
    expect(await c.run('label', 'pod', await podOf(c, 'a'), 'seen=again', '--overwrite')).toEqual(broken);
  });
});
