import * as fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { deploymentYaml } from '../support/manifests';
import { manualCluster, type Cluster } from '../support/cli';
import { storeAfter } from '../support/observed-store';
import { observeEngines } from '../../src/engine/engine';
import type { ObjectStore } from '../../src/store/object-store';
import { StateFile } from '../../src/store/state-file';
import { CLASSES_ID, NAMESPACES_ID, NODES_ID, readRecord, recordName, recordUid, type IndexRecord } from '../../src/store/pod-index';
import { ResidentSession } from '../../src/engine/resident-session';
import { ApiRouter } from '../../src/serve/router';
import { routerCall } from '../support/api-router';

/**
 * The pod index (store/pod-index.ts): a load reads the pods' load columns from its chunks when
 * the last save wrote it (meta `pod-index` = meta `resourceVersion`), else scans the rows; a
 * save rewrites the chunks of the pods it wrote or deleted, or the whole index when it was stale.
 */

const APP = (name: string, replicas: number) =>
  deploymentYaml({ name, replicas, container: 'c', resources: '{requests: {cpu: 10m, memory: 16Mi}}' });

async function apps(): Promise<Cluster> {
  const c = await manualCluster(['--nodes', '3']);
  expect((await c.run('apply', '-f', c.file('apps.yaml', `${APP('a', 5)}---\n${APP('b', 7)}`))).code).toBe(0);
  await c.run('clock', 'advance', '20s');
  return c;
}

/** The pod slots a command's store had (as its last pass left it), as loaded from the file. */
async function loadedBy(c: Cluster, ...args: string[]): Promise<ObjectStore> {
  return storeAfter(c, ...args);
}

const meta = (db: Database.Database, key: string) =>
  (db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string) ?? undefined;

/** What a load made of each pod row, in load order (seq), from a fresh StateFile. */
function loadedPods(file: string): unknown[] {
  const { state } = StateFile.open(file);
  try {
    return state.transaction(() => {
      const store = state.load();
      const slots = [...store.slotsInInsertionOrder('Pod')];
      const first = slots[0]?.seq ?? 0;
      const all = [...store.kinds()].flatMap((k) => [...store.slotsInInsertionOrder(k)]);
      const owners = store.loadedRowPods()!.owners;
      return [
        all.map((s) => [s.rowid, s.seq - first]).sort((x, y) => x[0]! - y[0]!),
        slots.map((s) => ({
          rowid: s.rowid,
          namespace: s.namespace,
          name: s.name,
          uid: s.rowUid,
          rv: s.resourceVersion,
          node: s.rowNode,
          owners: owners.names[owners.ids[s.rowIndex]],
          terminating: s.rowTerminating,
          class: s.podClass && { template: s.podClass.template.id, labels: s.podClass.labels, terminal: s.podClass.terminal },
          parsed: s.parsed,
        })),
      ];
    });
  } finally {
    state.close();
  }
}

/** The same file's load without its pod index (a copy, stamp removed: the rows are scanned). */
function scannedPods(c: Cluster): unknown[] {
  const copy = `${c.state}.scan.db`;
  const db = new Database(c.state);
  db.exec(`VACUUM INTO '${copy}'`);
  db.close();
  const scan = new Database(copy);
  expect(scan.prepare("DELETE FROM meta WHERE key = 'pod-index'").run().changes).toBe(1);
  scan.close();
  try {
    return loadedPods(copy);
  } finally {
    fs.rmSync(copy);
  }
}

/**
 * The index's records, their table numbers read (readRecord), in row id order; and what each
 * pod row's columns say (INDEX_COLUMNS as a scan reads them): a save writes the records of the
 * pods it wrote from the values written, which must be what their rows read back.
 */
function indexRecords(file: string): { records: unknown[]; rows: unknown[] } {
  const db = new Database(file, { readonly: true });
  try {
    const table = (id: number) => JSON.parse(db.prepare('SELECT data FROM pod_index WHERE id = ?').pluck().get(id) as string) as string[];
    const [namespaces, nodes, classes] = [table(NAMESPACES_ID), table(NODES_ID), table(CLASSES_ID)];
    const records: unknown[] = [];
    for (const chunk of db.prepare('SELECT data FROM pod_index WHERE id >= 0 ORDER BY id').pluck().all() as Buffer[]) {
      const r = {} as IndexRecord;
      for (let at = readRecord(chunk, 0, r); at >= 0; at = readRecord(chunk, at, r))
        records.push([
          r.rowid,
          r.rv,
          namespaces[r.namespace],
          recordName(chunk, r.at),
          recordUid(chunk, r.at),
          nodes[r.node],
          classes[r.classId],
          r.controlled,
          r.terminating,
        ]);
    }
    const rows = db
      .prepare(
        "SELECT id, rv, namespace, name, uid, ifnull(node, ''), owners || char(10) || ifnull(sched, ''), controlled = 1, deleting = 1 FROM objects WHERE kind = 'Pod' ORDER BY id",
      )
      .raw()
      .all() as unknown[][];
    return { records, rows: rows.map((r) => [...r.slice(0, 7), r[7] === 1, r[8] === 1]) };
  } finally {
    db.close();
  }
}

describe('pod index', () => {
  const bits = StateFile.podIndexChunkBits;
  beforeEach(() => {
    // chunks of 4 row ids: a small cluster's pods span many
    StateFile.podIndexChunkBits = 2;
  });
  afterEach(() => {
    StateFile.podIndexChunkBits = bits;
    observeEngines(undefined);
  });

  it('is stamped by each save and loads the same slots as a scan, through scale, delete, drain and rollout', async () => {
    const c = await apps();
    const check = () => {
      const db = new Database(c.state, { readonly: true });
      expect(meta(db, 'pod-index')).toBe(meta(db, 'resourceVersion'));
      expect(db.prepare('SELECT count(*) FROM pod_index WHERE id >= 0').pluck().get()).toBeGreaterThan(3);
      db.close();
      const indexed = loadedPods(c.state);
      expect(indexed).toEqual(scannedPods(c));
    };
    check();
    const [a0] = (await c.run('get', 'pods', '-l', 'app=a', '-o', 'name')).stdout.split('\n');
    for (const args of [
      ['label', a0, 'seen=yes'],
      ['scale', 'deployment', 'b', '--replicas', '3'],
      ['clock', 'advance', '1m'],
      ['delete', a0],
      ['clock', 'advance', '1m'],
      ['drain', 'node-1', '--ignore-daemonsets'],
      ['rollout', 'restart', 'deployment/a'],
      ['clock', 'advance', '2m'],
      ['scale', 'deployment', 'b', '--replicas', '9'],
      ['clock', 'advance', '1m'],
    ]) {
      const r = await c.run(...args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      check();
    }
  });

  it("records the pods a save wrote as their rows read back, and the others' from their rows", async () => {
    // chunks of one row id: each chunk of a pod written is the pods written alone (made from the
    // values written, not read from the rows)
    StateFile.podIndexChunkBits = 0;
    const c = await apps();
    const [a0, a1] = (await c.run('get', 'pods', '-l', 'app=a', '-o', 'name')).stdout.split('\n');
    const check = () => {
      const { records, rows } = indexRecords(c.state);
      expect(records.length).toBeGreaterThan(0);
      expect(records).toEqual(rows);
    };
    check();
    for (const args of [
      ['label', a0, 'seen=yes'],
      // (held Terminating by its finalizer)
      ['patch', a1, '-p', '{"metadata":{"finalizers":["example.com/hold"]}}'],
      ['delete', a1, '--wait=false'],
      ['scale', 'deployment', 'b', '--replicas', '3'],
      ['clock', 'advance', '1m'],
      ['rollout', 'restart', 'deployment/a'],
      ['clock', 'advance', '2m'],
    ]) {
      const r = await c.run(...args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      check();
    }
    // chunks of 4 (pods written beside pods not) and of 1,024: the index made anew (from the rows
    // and the pods written), then a chunk of it
    const b = (await c.run('get', 'pods', '-l', 'app=b', '-o', 'name')).stdout.trim().split('\n');
    for (const bits of [2, 10]) {
      StateFile.podIndexChunkBits = bits;
      const db = new Database(c.state);
      db.exec("DELETE FROM meta WHERE key = 'pod-index'");
      db.close();
      for (const pod of b) {
        expect((await c.run('label', pod, `bits=${bits}`, '--overwrite')).code).toBe(0);
        check();
      }
    }
  });

  it('is read when its stamp is current (a changed record shows), and ignored when a row changed behind it', async () => {
    const c = await apps();
    const b = (await c.run('get', 'pods', '-l', 'app=b', '-o', 'name')).stdout.trim().split('\n');
    const nodes = new Map(
      [...(await loadedBy(c, 'label', 'node', 'node-1', 'x=1')).slotsInInsertionOrder('Pod')].map((s) => [s.name, s.rowNode]),
    );
    // the index's node table says node-9 where it says node-2: a load that reads it files the pods there
    let db = new Database(c.state);
    expect(db.prepare('UPDATE pod_index SET data = replace(data, \'"node-2"\', \'"node-9"\') WHERE id = -2').run().changes).toBe(1);
    db.close();
    const onNode2 = [...nodes].filter(([, node]) => node === 'node-2').map(([name]) => name);
    expect(onNode2.length).toBeGreaterThan(0);
    let store = await loadedBy(c, 'label', 'pod', b[0].replace('pod/', ''), 'seen=yes');
    const read = new Map([...store.slotsInInsertionOrder('Pod')].map((s) => [s.name, s.rowNode]));
    for (const name of onNode2) expect(read.get(name)).toBe('node-9');
    // another program wrote a row (and bumped the resourceVersion, as every kubesim write does): the rows are scanned
    db = new Database(c.state);
    db.exec("UPDATE objects SET rv = rv WHERE kind = 'Pod'; UPDATE meta SET value = value + 1 WHERE key = 'resourceVersion'");
    db.close();
    store = await loadedBy(c, 'label', 'node', 'node-1', 'x=2', '--overwrite');
    const scanned = new Map([...store.slotsInInsertionOrder('Pod')].map((s) => [s.name, s.rowNode]));
    expect(scanned).toEqual(nodes);
    // and that save wrote the index whole again
    db = new Database(c.state, { readonly: true });
    expect(meta(db, 'pod-index')).toBe(meta(db, 'resourceVersion'));
    expect(db.prepare('SELECT data FROM pod_index WHERE id = -2').pluck().get()).not.toContain('node-9');
    db.close();
    expect(loadedPods(c.state)).toEqual(scannedPods(c));
  });

  it('a chunk cut short with a current stamp is named corrupt, not loaded in part', async () => {
    const c = await apps();
    const db = new Database(c.state);
    expect(
      db.prepare('UPDATE pod_index SET data = substr(data, 1, length(data) - 3) WHERE id = (SELECT max(id) FROM pod_index)').run().changes,
    ).toBe(1);
    db.close();
    const r = await c.run('label', 'node', 'node-1', 'x=1');
    expect(r).toMatchObject({ code: 1, stderr: `error: ${c.state} is corrupt: the pod index does not match its tables\n` });
  });

  it('a file of the previous layout (no index) loads by its rows, and its next save writes the index', async () => {
    const c = await apps();
    const before = (await c.run('get', 'pods', '-o', 'json')).stdout;
    let db = new Database(c.state);
    db.exec("DROP TABLE pod_index; DELETE FROM meta WHERE key = 'pod-index'");
    db.close();
    const store = await loadedBy(c, 'label', 'node', 'node-1', 'x=1');
    expect(store.count('Pod')).toBe(12);
    expect((await c.run('get', 'pods', '-o', 'json')).stdout).toBe(before);
    db = new Database(c.state, { readonly: true });
    expect(meta(db, 'pod-index')).toBe(meta(db, 'resourceVersion'));
    db.close();
    expect(loadedPods(c.state)).toEqual(scannedPods(c));
  });

  it('kubesim serve keeps the index current and loads it again after another process wrote the file', async () => {
    const c = await apps();
    const b = (await c.run('get', 'pods', '-l', 'app=b', '-o', 'name')).stdout
      .trim()
      .split('\n')
      .map((p) => p.replace('pod/', ''));
    const resident = new ResidentSession(c.state);
    const router = new ApiRouter({ statePath: c.state, sessions: resident });
    const call = (method: string, name: string, body?: unknown) => {
      const res = routerCall(router, method, `/api/v1/namespaces/default/pods/${name}`, { body, type: 'application/merge-patch+json' });
      expect(res.status).toBe(200);
      return JSON.parse(res.body) as { metadata: { labels: Record<string, string> } };
    };
    const labelsOf = () =>
      resident.run((s) => [...s.store.slotsInInsertionOrder('Pod')].map((slot) => [slot.name, slot.obj.metadata.labels?.l] as const), {
        readOnly: true,
      });
    expect(call('PATCH', b[0], { metadata: { labels: { l: 'serve' } } }).metadata.labels.l).toBe('serve');
    let db = new Database(c.state, { readonly: true });
    expect(meta(db, 'pod-index')).toBe(meta(db, 'resourceVersion'));
    db.close();
    expect(loadedPods(c.state)).toEqual(scannedPods(c));
    const loads = resident.loads;
    expect((await c.run('label', 'pod', b[1], 'l=cli')).code).toBe(0);
    expect(call('GET', b[1]).metadata.labels.l).toBe('cli');
    expect(resident.loads).toBe(loads + 1);
    const labels = new Map(labelsOf());
    expect([labels.get(b[0]), labels.get(b[1])]).toEqual(['serve', 'cli']);
    expect((await c.run('delete', 'pod', b[2])).code).toBe(0);
    expect(call('GET', b[0]).metadata.labels.l).toBe('serve');
    expect(resident.run((s) => s.store.count('Pod'), { readOnly: true })).toBe(12);
    db = new Database(c.state, { readonly: true });
    expect(meta(db, 'pod-index')).toBe(meta(db, 'resourceVersion'));
    db.close();
    resident.close();
    expect(loadedPods(c.state)).toEqual(scannedPods(c));
  });
});
