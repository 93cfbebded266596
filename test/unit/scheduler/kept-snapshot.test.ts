import { describe, expect, it } from 'vitest';
import { cluster, countIndexes, node, pod, schedule, termGroups, NOW } from './fixtures';
import { boundPodInfos, keptSnapshot, naturalCompare, nodeTreeOrder, Snapshot } from '../../../src/scheduler/snapshot';
import { schedulerController } from '../../../src/scheduler/controller';
import { podInfoOf } from '../../../src/scheduler/pod-info';
import type { ObjectStore } from '../../../src/store/object-store';
import type { Pod } from '../../../src/model/kinds';
import { Random } from '../../../src/util/random';
import { toRFC3339 } from '../../../src/util/duration';

/**
 * The scheduler keeps its snapshot from one pass to the next in a command (keptSnapshot) and
 * brings it up to date from the store's write and drop logs: after any pass and any write it
 * must equal a snapshot built afresh from the store.
 */

/** What plugins read of a snapshot, in a form to compare. */
function state(s: Snapshot) {
  const { web, any } = countIndexes(s);
  return {
    nodes: s.nodes.map((n) => ({
      name: n.name,
      pods: n.pods.map((p) => `${p.name}${p.terminating ? ' (terminating)' : ''}`),
      cpu: n.reqMilliCpu,
      memory: n.reqMemory,
      nonZero: [n.nonZeroMilliCpu, n.nonZeroMemory],
      ports: n.usedPorts,
      nominated: n.nominatedPods.map((p) => p.name),
    })),
    antiAffinity: termGroups(s.requiredAntiAffinityGroups),
    scoring: termGroups(s.scoringTermGroups),
    web: [...web.perNode],
    webByZone: [...web.domainCounts('topology.kubernetes.io/zone')],
    any: [...any.perNode],
  };
}

const fresh = (store: ObjectStore) => new Snapshot(store, [...store.values('Node')], boundPodInfos(store));

function expectKeptEqualsFresh(store: ObjectStore): void {
  expect(state(keptSnapshot(store))).toEqual(state(fresh(store)));
}

const ANTI = {
  affinity: {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' },
      ],
    },
  },
};
const PREFER_DB = {
  affinity: {
    podAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 10, podAffinityTerm: { labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'topology.kubernetes.io/zone' } },
      ],
    },
  },
};

function start(): ObjectStore {
  const zone = (z: string) => ({ zone: z });
  const store = cluster([
    node('node-1', zone('a')),
    node('node-2', zone('b')),
    node('node-3', zone('a')),
    node('node-10', zone('b')),
    pod('web-1', { nodeName: 'node-1', labels: { app: 'web' }, cpu: '500m', spec: ANTI }),
    pod('web-2', { nodeName: 'node-2', labels: { app: 'web' }, ports: [{ containerPort: 80, hostPort: 8080 }] }),
    pod('db-1', { nodeName: 'node-1', labels: { app: 'db' }, memory: '1Gi', priority: 10 }),
    pod('web-3', { labels: { app: 'web' }, cpu: '200m', created: NOW + 1000 }),
    pod('web-4', { labels: { app: 'web' }, spec: PREFER_DB, created: NOW + 2000 }),
    pod('db-2', { labels: { app: 'db' }, created: NOW + 3000 }),
  ]);
  // the indexes plugins made in the first pass are kept up to date with it
  countIndexes(keptSnapshot(store));
  return store;
}

describe('the scheduler snapshot kept across passes', () => {
  it('equals a new one after passes that bind pods', () => {
    const store = start();
    expectKeptEqualsFresh(store);
    schedule(store);
    expect([...store.values('Pod')].filter((p) => !p.spec?.nodeName)).toEqual([]);
    expectKeptEqualsFresh(store);
  });

  it('equals a new one after pods are deleted, marked terminating, end, or are created and bound', () => {
    const store = start();
    schedule(store);
    const get = (name: string) => store.get('Pod', 'default', name)!;
    const write = (p: Pod) => {
      p.metadata.resourceVersion = store.nextResourceVersion();
      store.put(p);
    };
    write({ ...get('web-1'), metadata: { ...get('web-1').metadata, deletionTimestamp: toRFC3339(NOW) } });
    write({ ...get('db-1'), status: { ...get('db-1').status, phase: 'Succeeded' } });
    store.drop('Pod', 'default', 'web-2', store.nextResourceVersion());
    write({ ...get('web-3'), metadata: { ...get('web-3').metadata, labels: { app: 'other' } } });
    write(pod('web-5', { labels: { app: 'web' }, spec: ANTI, created: NOW + 5000 }));
    expectKeptEqualsFresh(store);
    schedule(store);
    expect(get('web-5').spec?.nodeName).toBeTruthy();
    expectKeptEqualsFresh(store);
  });

  it('counts the pods left of a label group in a count index made after several of its pods were taken out', () => {
    // (pods of one namespace sharing a labels object are one group: a ReplicaSet's)
    const labels = { app: 'web', tier: 'front' };
    const names = ['r-1', 'r-2', 'r-3', 'r-4', 'r-5'];
    const store = cluster([
      node('node-1', { zone: 'a' }),
      node('node-2', { zone: 'b' }),
      ...names.map((name, i) => pod(name, { nodeName: i % 2 ? 'node-2' : 'node-1', labels })),
    ]);
    keptSnapshot(store);
    for (const name of ['r-1', 'r-5', 'r-3']) store.drop('Pod', 'default', name, store.nextResourceVersion());
    const index = (s: Snapshot) => [...s.countIndex('front', 'default', false, (p) => p.labels.tier === 'front', 'tier=front').perNode];
    expect(index(keptSnapshot(store))).toEqual(index(fresh(store)));
    expect(index(fresh(store)).reduce((a, b) => a + b)).toBe(2);
  });

  it('counts, in a count index made later, the label groups its anchor names: those of the bound pods and those assumed after an earlier index asked for it', () => {
    const store = cluster([
      node('node-1', { zone: 'a' }),
      node('node-2', { zone: 'b' }),
      pod('a-1', { nodeName: 'node-1', labels: { app: 'web', tier: 'a' } }),
      pod('b-1', { nodeName: 'node-2', labels: { app: 'web', tier: 'b' } }),
      pod('o-1', { nodeName: 'node-2', labels: { app: 'other' } }),
      // (a value with '=' is filed under `key=value` as any other: the anchor is not split there)
      pod('q-1', { nodeName: 'node-1', labels: { q: 'x=y' } }),
      pod('c-1', { labels: { app: 'web', tier: 'c' } }),
      pod('c-2', { labels: { app: 'web', tier: 'c' } }),
    ]);
    const s = keptSnapshot(store);
    const web = (signature: string) => [...s.countIndex(signature, 'default', false, (p) => p.labels.app === 'web', 'app=web').perNode];
    expect(web('first')).toEqual([1, 1]);
    expect([...s.countIndex('q', 'default', false, (p) => p.labels.q === 'x=y', 'q=x=y').perNode]).toEqual([1, 0]);
    // a new label group (tier c) after the anchor was asked for: filed under it
    const info = (name: string) => podInfoOf(store.get('Pod', 'default', name)!);
    s.assume(info('c-1'), s.nodeByName.get('node-2')!);
    s.assume(info('c-2'), s.nodeByName.get('node-2')!);
    expect(web('later')).toEqual([1, 3]);
    expect(web('first')).toEqual([1, 3]);
  });

  it("keeps a written pod in its place among its node's pods (the store's order, as preemption's ties read it)", () => {
    const store = start();
    expectKeptEqualsFresh(store);
    const web1 = store.get('Pod', 'default', 'web-1')!;
    web1.metadata.resourceVersion = store.nextResourceVersion();
    store.put({ ...web1, status: { ...web1.status, podIP: '10.0.0.9' } });
    expect(
      keptSnapshot(store)
        .nodeByName.get('node-1')!
        .pods.map((p) => p.name),
    ).toEqual(['web-1', 'db-1']);
    expectKeptEqualsFresh(store);
  });

  it('forgets pods a pass assumed when their binding did not happen', () => {
    const store = start();
    const actions = schedulerController.reconcileAll!({ store, now: NOW, random: Random.fromSeed(1) });
    expect(actions.some((a) => a.type === 'update')).toBe(true);
    // (the actions are not applied)
    expectKeptEqualsFresh(store);
    expect(keptSnapshot(store).nodes.flatMap((n) => n.pods.map((p) => p.name))).not.toContain('web-3');
  });

  it('is built afresh when a node changes', () => {
    const store = start();
    const before = keptSnapshot(store);
    const n = store.get('Node', undefined, 'node-3')!;
    n.metadata.resourceVersion = store.nextResourceVersion();
    store.put({ ...n, spec: { ...n.spec, unschedulable: true } });
    expect(keptSnapshot(store)).not.toBe(before);
    expect(keptSnapshot(store).hasUnschedulableNodes).toBe(true);
    expectKeptEqualsFresh(store);
  });

  it('orders nodes by creation then by natural name, as naturalCompare does', () => {
    const names = [
      'node-10',
      'node-2',
      'node-1',
      'a',
      'node-02',
      'node-2a',
      'node-b',
      'node-',
      'node-007',
      'node-7',
      'n0de',
      'node-1-2',
      'node-1-10',
    ];
    const nodes = names.map((name) => node(name));
    expect(nodeTreeOrder(nodes).map((n) => n.metadata.name)).toEqual([...names].sort(naturalCompare));
  });

  it('keeps nodes already in creation order as they are, ties included, and sorts any other order the same', () => {
    // (node-02 and node-2 compare equal: a stable sort keeps them as given)
    const names = ['node-1', 'node-02', 'node-2', 'node-3', 'node-007', 'node-7', 'node-10'];
    const made = (list: string[], created: (name: string, i: number) => number, zoned: boolean) =>
      list.map((name, i) => {
        const n = node(name, zoned ? { zone: `zone-${i % 2}` } : {});
        n.metadata.creationTimestamp = toRFC3339(created(name, i));
        return n;
      });
    const stable = (list: ReturnType<typeof made>) =>
      [...list].sort((a, b) =>
        a.metadata.creationTimestamp !== b.metadata.creationTimestamp
          ? a.metadata.creationTimestamp! < b.metadata.creationTimestamp!
            ? -1
            : 1
          : naturalCompare(a.metadata.name, b.metadata.name),
      );
    const orders = [names, ['node-1', 'node-2', 'node-02', 'node-3', 'node-7', 'node-007', 'node-10'], [...names].reverse()];
    for (let i = 0; i + 1 < names.length; i++) orders.push([...names.slice(0, i), names[i + 1], names[i], ...names.slice(i + 2)]);
    for (const list of orders)
      for (const zoned of [false, true])
        for (const created of [() => NOW, (_: string, i: number) => NOW + (i === 3 ? -1000 : 0)]) {
          const nodes = made(list, created, zoned);
          const sorted = stable(nodes);
          // (zones taken round robin, each in that order)
          const zones = new Map<string, string[]>();
          for (const n of sorted) {
            const z = n.metadata.labels?.['topology.kubernetes.io/zone'] ?? '';
            zones.set(z, [...(zones.get(z) ?? []), n.metadata.name]);
          }
          const lists = [...zones.values()];
          const expected: string[] = [];
          for (let k = 0; expected.length < nodes.length; k++) for (const l of lists) if (k < l.length) expected.push(l[k]);
          const out = nodeTreeOrder(nodes);
          expect(out.map((n) => n.metadata.name)).toEqual(expected);
          expect(out).not.toBe(nodes);
        }
  });
});
