import { describe, expect, it } from 'vitest';
import { manualCluster } from '../../support/cli';
import { deploymentYaml } from '../../support/manifests';
import { countIndexes, termGroups } from './fixtures';
import { StateFile } from '../../../src/store/state-file';
import type { ObjectStore } from '../../../src/store/object-store';
import { keptSnapshot, MAX_REQUEST_SIZES, requestSizes, Snapshot } from '../../../src/scheduler/snapshot';
import type { Node, Pod } from '../../../src/model/kinds';
import { Random } from '../../../src/util/random';
import { node as nodeObject } from './fixtures';

/**
 * A snapshot built from pods loaded as rows (Snapshot.ofStore) counts them by scheduling class
 * into their nodes' sums, term groups and count indexes, and makes a node's PodInfos only when its
 * pods are read: before and after the changes a refresh takes in (pods deleted, made terminating,
 * created and bound) it must read as a snapshot made from every parsed pod.
 */

/** What plugins read of a snapshot, in a form to compare (the count indexes first: reading the nodes' pods makes them). */
function state(s: Snapshot) {
  const { web, any } = countIndexes(s);
  const counts = { web: [...web.perNode], webByZone: [...web.domainCounts('topology.kubernetes.io/zone')], any: [...any.perNode] };
  return {
    ...counts,
    antiAffinity: termGroups(s.requiredAntiAffinityGroups),
    scoring: termGroups(s.scoringTermGroups),
    nodes: s.nodes.map((n) => ({
      name: n.name,
      podCount: n.podCount,
      pods: n.pods.map((p) => `${p.name}${p.terminating ? ' (terminating)' : ''}`),
      cpu: n.reqMilliCpu,
      memory: n.reqMemory,
      nonZero: [n.nonZeroMilliCpu, n.nonZeroMemory],
      ports: n.usedPorts,
      columns: [s.columns.reqMilliCpu[n.index], s.columns.reqMemory[n.index], s.columns.podCount[n.index]],
    })),
  };
}

/** A snapshot made from every bound pod's object (each parsed, a PodInfo each). */
function fromObjects(store: ObjectStore): Snapshot {
  const bound = [...store.values('Pod')].filter((p) => p.spec?.nodeName && !['Succeeded', 'Failed'].includes(p.status?.phase ?? ''));
  return new Snapshot(store, [...store.values('Node')], bound);
}

const deployment = (name: string, replicas: number, spec: string) =>
  deploymentYaml({ name, replicas, container: 'c', resources: '{requests: {cpu: 100m, memory: 64Mi}}', podSpec: spec.trimStart() });

const WEB_SPEC = `      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - {labelSelector: {matchLabels: {app: web}}, topologyKey: kubernetes.io/hostname}`;
const DB_SPEC = `      affinity:
        podAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 10
            podAffinityTerm: {labelSelector: {matchLabels: {app: web}}, topologyKey: topology.kubernetes.io/zone}`;
const PORT_SPEC = `      nodeSelector: {kubernetes.io/hostname: node-1}`;

/** web (3, one per node, one held terminating), db (4, preferring web's zones), port (2 on node-1), settled. */
async function settled(): Promise<{ file: string; terminating: string }> {
  const c = await manualCluster(['--nodes', '3']);
  const manifest = [deployment('web', 3, WEB_SPEC), deployment('db', 4, DB_SPEC), deployment('port', 2, PORT_SPEC)].join('---\n');
  expect((await c.run('apply', '-f', c.file('apps.yaml', manifest))).code).toBe(0);
  await c.run('clock', 'advance', '20s');
  const web = (await c.run('get', 'pods', '-l', 'app=web', '-o', 'name')).stdout.trim().split('\n');
  const held = web[0].replace('pod/', '');
  expect((await c.run('patch', 'pod', held, '-p', '{"metadata":{"finalizers":["example.com/hold"]}}')).code).toBe(0);
  // (held Terminating by its finalizer: the clock is not advanced past its grace period)
  expect((await c.run('delete', 'pod', held, '--wait=false')).code).toBe(0);
  return { file: c.state, terminating: held };
}

function inStore<T>(file: string, fn: (store: ObjectStore) => T): T {
  const { state } = StateFile.open(file);
  try {
    return state.transaction(() => fn(state.load()));
  } finally {
    state.close();
  }
}

function write(store: ObjectStore, p: Pod): void {
  p.metadata.resourceVersion = store.nextResourceVersion();
  store.put(p);
}

describe('the scheduler snapshot of pods loaded as rows', () => {
  it('counts them by class and makes a node’s pods when they are read', async () => {
    const { file, terminating } = await settled();
    inStore(file, (store) => {
      const s = keptSnapshot(store);
      // no pod was parsed, no node's list made
      expect([...store.slotsInInsertionOrder('Pod')].filter((slot) => slot.podClass === undefined)).toEqual([]);
      expect([...s.unmade]).toEqual([1, 1, 1]);
      // (web's replacement of the terminating pod has no node: anti-affinity)
      expect(s.nodes.reduce((n, node) => n + node.podCount, 0)).toBe(9);
      const expected = state(fromObjects(store));
      expect(expected.nodes.flatMap((n) => n.pods)).toContain(`${terminating} (terminating)`);
      expect(state(s)).toEqual(expected);
      expect([...s.unmade]).toEqual([0, 0, 0]);
    });
  });

  it('counts from the load’s row pods those not written since, and the others as objects in store order', async () => {
    const { file } = await settled();
    inStore(file, (store) => {
      // written and deleted before the first pass: no longer as loaded (LoadedPods.catchUp)
      const pods = [...store.values('Pod')];
      const db = pods.filter((p) => p.metadata.labels?.app === 'db');
      const port = pods.filter((p) => p.metadata.labels?.app === 'port');
      store.drop('Pod', 'default', db[0].metadata.name, store.nextResourceVersion());
      write(store, { ...db[1], metadata: { ...db[1].metadata, deletionTimestamp: '2025-01-01T00:00:00Z' } });
      // (the first of node-1's port pods, written: among its row pods by its place in the store)
      write(store, { ...port[0], metadata: { ...port[0].metadata, labels: { ...port[0].metadata.labels, extra: 'x' } } });
      write(store, { ...port[1], metadata: { ...port[1].metadata, name: 'new-port', uid: 'uid-new-port', resourceVersion: undefined } });
      const rows = store.loadedRowPods()!;
      expect(rows.liveCount).toBe(rows.count - 3);
      const s = keptSnapshot(store);
      expect([...s.unmade]).toEqual([1, 1, 1]);
      expect(state(s)).toEqual(state(fromObjects(store)));
      // a store whose LoadedPods are not all its pods is walked slot by slot, to the same snapshot
      const walked = Snapshot.ofStore(Object.assign(Object.create(store) as ObjectStore, { loadedRowPods: () => undefined }));
      expect(state(walked)).toEqual(state(fromObjects(store)));
    });
  });

  it('makes no row pod’s slot for a pass that reads no node’s pods, its refresh finding the pods written by place', async () => {
    const { file } = await settled();
    const names = inStore(file, (store) => [...store.values('Pod')].map((p) => p.metadata.name));
    const [db1, db2] = names.filter((name) => name.startsWith('db-'));
    // (the port pods are node-1's last: taking one out passes the node's others)
    const port = names.filter((name) => name.startsWith('port-'));
    for (const read of [false, true]) {
      inStore(file, (store) => {
        const rows = store.loadedRowPods()!;
        const made = () => [...Array(rows.count).keys()].filter((i) => rows.madeAt(i) !== null).map((i) => rows.slot(i).name);
        const lazy = made();
        const s = keptSnapshot(store);
        expect(made()).toEqual(lazy);
        if (read) state(s);
        // a port pod deleted and a db pod made terminating, on nodes not made (or, read, made)
        store.drop('Pod', 'default', port[port.length - 1], store.nextResourceVersion());
        const pod = store.get('Pod', 'default', db1)!;
        write(store, { ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2025-01-01T00:00:00Z' } });
        expect(keptSnapshot(store)).toBe(s);
        // (the deletion walked port's ReplicaSet's pods, the store's owner index: none of the other pods of their nodes)
        const notPort = (list: string[]) => list.filter((name) => !name.startsWith('port-')).sort();
        if (!read) expect(notPort(made())).toEqual(notPort([...lazy, db1]));
        // a pod taken out by its uid alone (a refresh not told its slot)
        const other = store.get('Pod', 'default', db2)!;
        store.drop('Pod', 'default', db2, store.nextResourceVersion());
        s.refresh([], [{ uid: other.metadata.uid!, nodeName: other.spec!.nodeName }]);
        expect(state(s)).toEqual(state(fromObjects(store)));
        expect(keptSnapshot(store)).toBe(s);
        expect(state(s)).toEqual(state(fromObjects(store)));
      });
    }
  });

  it('takes in pods deleted, made terminating and bound while nodes are not made, then read', async () => {
    const { file } = await settled();
    for (const early of [false, true]) {
      inStore(file, (store) => {
        const s = keptSnapshot(store);
        // indexes made before the changes are kept by them; made after, they count what is left
        if (early) countIndexes(s);
        const pods = [...store.values('Pod')];
        const db = pods.filter((p) => p.metadata.labels?.app === 'db');
        const port = pods.filter((p) => p.metadata.labels?.app === 'port');
        store.drop('Pod', 'default', db[0].metadata.name, store.nextResourceVersion());
        write(store, { ...db[1], metadata: { ...db[1].metadata, deletionTimestamp: '2025-01-01T00:00:00Z' } });
        write(store, { ...port[0], status: { ...port[0].status, phase: 'Succeeded' } });
        write(store, {
          ...port[1],
          metadata: { ...port[1].metadata, name: 'new-port', uid: 'uid-new-port', resourceVersion: undefined },
        });
        const kept = keptSnapshot(store);
        expect(kept).toBe(s);
        // one node read first: the indexes count its pods one by one, the others' by class
        const second = s.nodes[1].pods.length;
        expect(s.unmade[1]).toBe(0);
        expect(second).toBeGreaterThan(0);
        expect(state(s)).toEqual(state(fromObjects(store)));
      });
    }
  });
});

const JOB = `apiVersion: batch/v1
kind: Job
metadata: {name: done}
spec:
  completions: 2
  parallelism: 2
  template:
    metadata: {annotations: {sim.kubesim.io/run-seconds: '1'}}
    spec:
      restartPolicy: Never
      containers: [{name: work, image: busybox:1.36}]
`;

/**
 * Deployments of plain pods (two namespaces, one request size a fraction of a byte), pods with
 * (anti-)affinity terms and host ports, a Job's ended pods and a pod held Terminating, settled, on 5 nodes.
 */
async function mixed(): Promise<string> {
  const c = await manualCluster(['--nodes', '5']);
  const plain = (name: string, replicas: number, resources: string) => deploymentYaml({ name, replicas, container: 'c', resources });
  const ported = `apiVersion: apps/v1
kind: Deployment
metadata: {name: ported}
spec:
  replicas: 3
  selector: {matchLabels: {app: ported}}
  template:
    metadata: {labels: {app: ported}}
    spec:
      containers: [{name: c, image: nginx:1.27, ports: [{containerPort: 80, hostPort: 8080}], resources: {requests: {cpu: 50m}}}]
`;
  const manifest = [
    plain('small', 12, '{requests: {cpu: 100m, memory: 64Mi}}'),
    plain('odd', 9, '{requests: {cpu: 10m, memory: 1001m, ephemeral-storage: 1Ki}}'),
    plain('bare', 6, '{}'),
    deployment('web', 3, WEB_SPEC),
    deployment('db', 4, DB_SPEC),
    ported,
    JOB,
  ].join('---\n');
  expect((await c.run('apply', '-f', c.file('apps.yaml', manifest))).code).toBe(0);
  expect((await c.run('create', 'namespace', 'other')).code).toBe(0);
  expect(
    (await c.run('apply', '-n', 'other', '-f', c.file('other.yaml', plain('small', 7, '{requests: {cpu: 100m, memory: 64Mi}}')))).code,
  ).toBe(0);
  await c.run('clock', 'advance', '30s');
  const small = (await c.run('get', 'pods', '-l', 'app=small', '-o', 'name')).stdout.trim().split('\n');
  const held = small[0].replace('pod/', '');
  expect((await c.run('patch', 'pod', held, '-p', '{"metadata":{"finalizers":["example.com/hold"]}}')).code).toBe(0);
  expect((await c.run('delete', 'pod', held, '--wait=false')).code).toBe(0);
  return c.state;
}

/** Random changes to the store's pods and nodes, as commands make them between load and a scheduling pass. */
function change(store: ObjectStore, random: Random, round: number, nodesToo = true): void {
  const pods = [...store.slotsInInsertionOrder('Pod')].map((slot) => slot.obj as Pod);
  const nodes = [...store.values('Node')] as Node[];
  const pick = <T>(list: T[]): T => list[random.int(list.length)];
  for (let k = random.int(6); k > 0; k--) {
    const p = pick(pods);
    const choice = random.int(6);
    if (store.get('Pod', p.metadata.namespace, p.metadata.name) === undefined) continue;
    if (choice === 0) store.drop('Pod', p.metadata.namespace, p.metadata.name, store.nextResourceVersion());
    else if (choice === 1) write(store, { ...p, metadata: { ...p.metadata, deletionTimestamp: '2025-01-01T00:00:00Z' } });
    else if (choice === 2) write(store, { ...p, status: { ...p.status, phase: random.int(2) ? 'Succeeded' : 'Failed' } });
    else if (choice === 3) write(store, { ...p, metadata: { ...p.metadata, labels: { ...p.metadata.labels, extra: `${round}` } } });
    else {
      // a new pod like it, bound to a node (or, one time in three, pending)
      const name = `${p.metadata.name}-new-${round}-${k}`;
      const nodeName = random.int(3) === 0 ? undefined : pick(nodes).metadata.name;
      write(store, {
        ...p,
        metadata: { ...p.metadata, name, uid: `uid-${name}`, resourceVersion: undefined, deletionTimestamp: undefined },
        spec: { ...p.spec, nodeName },
        status: { ...p.status, phase: 'Running' },
      });
    }
  }
  const nodeChange = nodesToo ? random.int(4) : -1;
  if (nodeChange === 0 && nodes.length > 2) store.drop('Node', undefined, pick(nodes).metadata.name, store.nextResourceVersion());
  else if (nodeChange === 1) {
    const n = nodeObject(`node-x${round}`, { zone: 'zone-x' });
    n.metadata.resourceVersion = store.nextResourceVersion();
    store.put(n);
  }
}

describe('the row snapshot’s request sizes', () => {
  const columns = (...rows: number[][]) => rows[0].map((_, f) => Float64Array.from(rows.map((r) => r[f])));

  it('gives each plain group its size, equal requests one size, and the sizes’ values by field', () => {
    const plain = Uint8Array.from([1, 2, 1, 0, 1]);
    const perPod = columns([100, 64, 0, 100, 64], [9, 9, 9, 9, 9], [10, 2, 1024, 10, 2], [7, 7, 7, 7, 7], [100, 64, 0, 100, 64]);
    expect(requestSizes(plain, perPod, 1000)).toEqual({
      sizeOf: Int32Array.from([0, -1, 1, -1, 0]),
      sizes: [
        [100, 10],
        [64, 2],
        [0, 1024],
        [100, 10],
        [64, 2],
      ],
    });
  });

  it('gives up on a value that is not a whole number, sums that could pass 2^53, and too many sizes', () => {
    const one = (v: number) => columns([v, 1, 1, 1, 1]);
    expect(requestSizes(Uint8Array.from([1]), one(1.5), 10)).toBeUndefined();
    expect(requestSizes(Uint8Array.from([1]), one(Number.NaN), 10)).toBeUndefined();
    // (2^40 by 2^13 - 1 pods is below Number.MAX_SAFE_INTEGER, by 2^13 not)
    expect(requestSizes(Uint8Array.from([1]), one(2 ** 40), 2 ** 13 - 1)).toBeDefined();
    expect(requestSizes(Uint8Array.from([1]), one(2 ** 40), 2 ** 13)).toBeUndefined();
    const many = (k: number) => columns(...Array.from({ length: k }, (_, g) => [g + 1, 1, 1, 1, 1]));
    expect(requestSizes(new Uint8Array(MAX_REQUEST_SIZES).fill(1), many(MAX_REQUEST_SIZES), 10)?.sizes[0]).toHaveLength(MAX_REQUEST_SIZES);
    expect(requestSizes(new Uint8Array(MAX_REQUEST_SIZES + 1).fill(1), many(MAX_REQUEST_SIZES + 1), 10)).toBeUndefined();
    // (a group not plain has no size: not counted among them)
    const notPlain = new Uint8Array(MAX_REQUEST_SIZES + 1).fill(1);
    notPlain[3] = 2;
    expect(requestSizes(notPlain, many(MAX_REQUEST_SIZES + 1), 10)?.sizeOf[3]).toBe(-1);
  });

  it('sums a node’s pods of more sizes than counted by size one by one, to the same snapshot', async () => {
    const c = await manualCluster(['--nodes', '3']);
    const sizes = MAX_REQUEST_SIZES + 2;
    const manifest = Array.from({ length: sizes }, (_, k) =>
      deploymentYaml({ name: `s${k}`, replicas: 2, container: 'c', resources: `{requests: {cpu: ${k + 1}m, memory: ${k + 1}Mi}}` }),
    ).join('---\n');
    expect((await c.run('apply', '-f', c.file('sizes.yaml', manifest))).code).toBe(0);
    await c.run('clock', 'advance', '20s');
    inStore(c.state, (store) => {
      const rows = store.loadedRowPods()!;
      expect(rows.liveCount).toBe(2 * sizes);
      expect(state(Snapshot.ofStore(store))).toEqual(state(fromObjects(store)));
    });
  });
});

describe('the row snapshot of random clusters', () => {
  it('is the snapshot of every pod’s object, after changes before and between passes and across saves', async () => {
    const file = await mixed();
    const met = new Set<string>();
    for (let seed = 1; seed <= 12; seed++) {
      const random = Random.fromSeed(seed);
      // (some seeds save a first round of changes: the next load has terminating and ended classes, written pods' rows)
      if (seed % 3 === 0) {
        const { state } = StateFile.open(file);
        try {
          state.transaction(() => {
            const store = state.load();
            change(store, random, 0);
            state.flush(store);
          });
        } finally {
          state.close();
        }
      }
      inStore(file, (store) => {
        change(store, random, 1);
        // (what the seeds are to cover: the row pods' counted path, its classes terminating and ended, pods written since)
        const rows = store.loadedRowPods()!;
        if (rows.groups.some((g) => g.terminating)) met.add('terminating');
        if (rows.groups.some((g) => g.podClass.terminal)) met.add('ended');
        if (rows.liveCount < rows.count) met.add('written');
        const s = keptSnapshot(store);
        // a count index made before any node's pods are read counts them by class
        if (random.int(2) === 0) countIndexes(s);
        const fresh = Snapshot.ofStore(store);
        const walked = Snapshot.ofStore(Object.assign(Object.create(store) as ObjectStore, { loadedRowPods: () => undefined }));
        const before = state(fromObjects(store));
        expect(state(fresh)).toEqual(before);
        expect(state(walked)).toEqual(before);
        // then pods written and deleted before the next pass: the kept snapshot's refresh
        change(store, random, 2, false);
        expect(keptSnapshot(store)).toBe(s);
        const expected = state(fromObjects(store));
        expect(state(s)).toEqual(expected);
        expect(state(Snapshot.ofStore(store))).toEqual(expected);
      });
    }
    expect([...met].sort()).toEqual(['ended', 'terminating', 'written']);
  });
});
