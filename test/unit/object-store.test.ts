import { describe, it, expect, afterEach } from 'vitest';
import { HiddenField } from '../../src/util/memo';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ObjectStore, sameJson, type PodRowClass, type RowHeader } from '../../src/store/object-store';
import { encodeChunk, StringTable } from '../../src/store/pod-index';
import { StateFile } from '../../src/store/state-file';
import { garbageCollector } from '../../src/controllers/garbage-collector';
import { Random } from '../../src/util/random';
import type { KObject, OwnerReference } from '../../src/model/objects';
import type { ReconcileContext } from '../../src/reconcile/controller';
import { asKind } from '../support/kinds';

function pod(name: string, opts: { node?: string; owner?: OwnerReference; uid?: string; phase?: string } = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: opts.uid ?? `uid-${name}`, ...(opts.owner ? { ownerReferences: [opts.owner] } : {}) },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...(opts.node ? { nodeName: opts.node } : {}) },
    status: { phase: opts.phase ?? 'Pending' },
  };
}

const rs = (uid: string): OwnerReference => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: uid, uid, controller: true });
const names = (objs: Iterable<KObject>) => [...objs].map((o) => o.metadata.name);

/** one scheduling class per owner list (what the state file makes of each distinct `sched` text) */
const classes = new Map<string, PodRowClass>();
/** the pod index's node names (one table for every load, as one file has) */
const nodeTable = new StringTable();

/**
 * A pod row's header as the pod index gives it (StateFile.loadIndexed: its name and uid in its
 * record, a class, its node by number), which ObjectStore.loadRow loads lazily (no slot until
 * reached) when it is controlled and not terminating; the header as it is otherwise.
 */
function fromIndex(header: RowHeader, rowid: number, lazy: boolean): RowHeader {
  if (!lazy) return header;
  const key = header.ownerUids.join(',');
  let podClass = classes.get(key);
  if (!podClass) classes.set(key, (podClass = { template: { text: '{}', base: {}, keys: [] }, labels: undefined, terminal: false }));
  const tables = { namespaces: new StringTable(), nodes: nodeTable, classes: new StringTable() };
  const row = [
    rowid,
    1,
    header.resourceVersion,
    header.namespace,
    header.name,
    header.uid,
    header.nodeName,
    key,
    header.controlled,
    header.terminating,
  ] as const;
  const keys = encodeChunk([[...row]], tables);
  return { ...header, name: '', uid: '', podClass, keys, keyAt: 0, nodeTable: nodeTable.texts, nodeId: nodeTable.id(header.nodeName) };
}

describe('object store indexes follow every write', () => {
  it('moves a pod between nodes, owners and the orphan list when those fields change', () => {
    const store = new ObjectStore();
    store.put(pod('a'));
    expect(names(store.orphanPodsIn('default'))).toEqual(['a']);
    expect(names(store.podsOnNode('n1'))).toEqual([]);

    const v0 = store.podsOnNodeVersion('n1');
    store.put(pod('a', { node: 'n1', owner: rs('rs-1') }));
    expect(names(store.podsOnNode('n1'))).toEqual(['a']);
    expect(names(store.ownedBy('rs-1'))).toEqual(['a']);
    expect(store.orphanPodsIn('default')).toEqual([]);
    const v1 = store.podsOnNodeVersion('n1');
    expect(v1).not.toBe(v0);

    // a status-only write keeps the indexes but still tells per-node memos something changed
    store.put(pod('a', { node: 'n1', owner: rs('rs-1'), phase: 'Running' }));
    expect(store.podsOnNodeVersion('n1')).not.toBe(v1);
    expect(store.get('Pod', 'default', 'a')!.status?.phase).toBe('Running');
    expect([...store.podsOnNode('n1')][0].status?.phase).toBe('Running');

    store.put(pod('a', { node: 'n2', owner: rs('rs-2') }));
    expect(names(store.podsOnNode('n1'))).toEqual([]);
    expect(names(store.podsOnNode('n2'))).toEqual(['a']);
    expect(store.ownedBy('rs-1')).toEqual([]);
    expect(names(store.ownedBy('rs-2'))).toEqual(['a']);
    expect(asKind(store.getByUid('uid-a'), 'Pod').spec.nodeName).toBe('n2');
  });

  it('a put after a get of another object, or of one deleted and made again since, writes the right slot', () => {
    // (put takes the slot the last get found when it is the object's: an update's read then write)
    const store = new ObjectStore();
    store.put(pod('a', { node: 'n1' }));
    store.put(pod('b', { node: 'n1' }));
    store.get('Pod', 'default', 'a');
    store.put(pod('b', { node: 'n1', phase: 'Running' }));
    expect(store.get('Pod', 'default', 'a')!.status?.phase).toBe('Pending');
    expect(store.get('Pod', 'default', 'b')!.status?.phase).toBe('Running');
    // a cluster-scoped object of another kind with the pod's name is not the pod
    store.put({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'b' } });
    store.get('Pod', 'default', 'b');
    store.put({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'b', labels: { x: '1' } } });
    expect(store.get('Node', undefined, 'b')!.metadata.labels).toEqual({ x: '1' });
    expect(store.get('Pod', 'default', 'b')!.status?.phase).toBe('Running');
    store.get('Pod', 'default', 'a');
    store.drop('Pod', 'default', 'a', store.nextResourceVersion());
    store.put(pod('a', { node: 'n2' }));
    expect(names(store.podsOnNode('n2'))).toEqual(['a']);
    expect(names(store.podsOnNode('n1'))).toEqual(['b']);
    expect(store.sortedSlots('Pod').map((s) => s.removed)).toEqual([false, false]);
    // each write is in the dirty set once, and the counters of a status write still move
    const v = store.podsOnNodeVersion('n1');
    store.put(pod('b', { node: 'n1', phase: 'Succeeded' }));
    expect(store.podsOnNodeVersion('n1')).not.toBe(v);
    expect([...store.dirty].map((s) => s.name).sort()).toEqual(['a', 'b', 'b']);
  });

  it('get answers with the slot being reconciled only while it holds that kind, namespace and name', () => {
    // (Engine sets it while it applies a reconcile's actions: the update of that object reads it without a lookup)
    const store = new ObjectStore();
    store.put(pod('a', { node: 'n1' }));
    store.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default' } });
    const [slot] = store.sortedSlots('Pod');
    store.reconcilingSlot('Pod', slot);
    expect(store.get('Pod', 'default', 'a')).toBe(slot.obj);
    expect(store.get('ConfigMap', 'default', 'a')!.kind).toBe('ConfigMap');
    expect(store.get('Pod', 'other', 'a')).toBeUndefined();
    // deleted and made again: the new slot's object, not the removed one's
    store.drop('Pod', 'default', 'a', store.nextResourceVersion());
    expect(store.get('Pod', 'default', 'a')).toBeUndefined();
    store.put(pod('a', { node: 'n2' }));
    expect(store.get('Pod', 'default', 'a')!.spec?.nodeName).toBe('n2');
    store.put(pod('a', { node: 'n2', phase: 'Running' }));
    expect(names(store.podsOnNode('n2'))).toEqual(['a']);
    expect(store.get('Pod', 'default', 'a')!.status?.phase).toBe('Running');
    store.reconcilingSlot('Pod', undefined);
  });

  it("recalls a controller's memory remembered now or loaded, and none of a controller that has none", () => {
    const store = new ObjectStore();
    store.loadMemory({ 'container-runtime/uid-a': '"x"', 'a/b/uid-c': '1' });
    expect(store.recallText('container-runtime', 'uid-a')).toBe('"x"');
    expect(store.recallText('a/b', 'uid-c')).toBe('1');
    expect(store.recallText('kubelet-exits', 'uid-a')).toBeUndefined();
    store.remember('kubelet-exits', 'uid-a', 2);
    expect(store.recallText('kubelet-exits', 'uid-a')).toBe('2');
  });

  it('forgets a deleted object everywhere and marks its slot removed', () => {
    const store = new ObjectStore();
    store.put(pod('a', { node: 'n1', owner: rs('rs-1') }));
    const [slot] = store.sortedSlots('Pod');
    store.drop('Pod', 'default', 'a', store.nextResourceVersion());
    expect(slot.removed).toBe(true);
    expect(store.get('Pod', 'default', 'a')).toBeUndefined();
    expect(store.getByUid('uid-a')).toBeUndefined();
    expect(names(store.podsOnNode('n1'))).toEqual([]);
    expect(store.ownedBy('rs-1')).toEqual([]);
    expect(store.sortedSlots('Pod')).toEqual([]);
  });
});

describe.each([
  { lazy: false, how: '' },
  { lazy: true, how: ' of the pod index (lazily)' },
])('pods loaded from rows$how: found by uid, filed by node', ({ lazy }) => {
  /** a store with pods a, b, c loaded as rows (unparsed), owned by rs-1, and the ReplicaSet itself as an object */
  function rowStore(): ObjectStore {
    const store = new ObjectStore();
    const rows = ['a', 'b', 'c'].map((n) => pod(n, { node: 'n1', owner: rs('rs-1') }));
    store.load({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs-1', namespace: 'default', uid: 'rs-1' } }, 1);
    rows.forEach((obj, i) => {
      const header = { kind: 'Pod', namespace: 'default', name: obj.metadata.name, uid: obj.metadata.uid!, resourceVersion: 1 };
      const columns = { nodeName: 'n1', ownerUids: ['rs-1'], controlled: true, terminating: false };
      store.loadRow(fromIndex({ ...header, ...columns }, i + 2, lazy), i + 2, () => ({ obj: structuredClone(obj) }));
    });
    return store;
  }

  it('finds an unparsed pod by its uid, and an owner without filing the pods', () => {
    const store = rowStore();
    expect(store.getByUid('rs-1')?.metadata.name).toBe('rs-1');
    expect(store.getByUid('uid-b')?.metadata.name).toBe('b');
    expect(store.getByUid('uid-zz')).toBeUndefined();
    // an owner every dependent names is no orphan's
    expect([...store.orphanCandidates()]).toEqual([]);
  });

  it("keeps a node's pods in the order they joined it, whether or not its pods were asked for before a move", () => {
    for (const askFirst of [false, true]) {
      const store = rowStore();
      store.put(pod('d', { node: 'n1', owner: rs('rs-1') }));
      if (askFirst) expect(names(store.podsOnNode('n1'))).toEqual(['a', 'b', 'c', 'd']);
      // b leaves n1 and comes back: last now; c goes to n2, whose pods nobody asked for yet
      store.put(pod('b', { node: 'n2', owner: rs('rs-1') }));
      store.put(pod('c', { node: 'n2', owner: rs('rs-1') }));
      store.put(pod('b', { node: 'n1', owner: rs('rs-1') }));
      store.put(pod('e'));
      expect(names(store.podsOnNode('n1'))).toEqual(['a', 'd', 'b']);
      expect(names(store.podsOnNode('n2'))).toEqual(['c']);
      expect(names(store.unboundPods())).toEqual(['e']);
      store.drop('Pod', 'default', 'c', store.nextResourceVersion());
      expect(names(store.podsOnNode('n2'))).toEqual([]);
      expect([...store.podSlotsOnNode('n1')].map((s) => s.name)).toEqual(['a', 'd', 'b']);
    }
  });

  it('finds the pods of an owner no object has, whether or not its pods were asked for', () => {
    for (const askFirst of [false, true]) {
      const store = rowStore();
      const header = { kind: 'Pod', namespace: 'default', name: 'x', uid: 'uid-x', resourceVersion: 1, nodeName: 'n1' };
      store.loadRow({ ...header, ownerUids: ['rs-gone'], controlled: true, terminating: false }, 9, () => ({
        obj: pod('x', { node: 'n1', owner: rs('rs-gone') }),
      }));
      if (askFirst) expect(names(store.ownedBy('rs-gone'))).toEqual(['x']);
      expect(names(store.orphanCandidates())).toEqual(['x']);
      expect(names(store.ownedBy('rs-1'))).toEqual(['a', 'b', 'c']);
      store.drop('Pod', 'default', 'x', store.nextResourceVersion());
      expect(names(store.orphanCandidates())).toEqual([]);
    }
  });

  it('forgets a dropped pod and a pod written with another uid, before or after a lookup filed them', () => {
    for (const lookFirst of [false, true]) {
      const store = rowStore();
      if (lookFirst) expect(store.getByUid('uid-c')?.metadata.name).toBe('c');
      store.drop('Pod', 'default', 'a', store.nextResourceVersion());
      store.put(pod('b', { node: 'n1', owner: rs('rs-1'), uid: 'uid-b2' }));
      expect(store.getByUid('uid-a')).toBeUndefined();
      expect(store.getByUid('uid-b')).toBeUndefined();
      expect(store.getByUid('uid-b2')?.metadata.name).toBe('b');
      expect(store.getByUid('uid-c')?.metadata.name).toBe('c');
    }
  });
});

describe("a kind's count and highest resourceVersion (dependentsNow), kept without a walk", () => {
  /** what dependentsNow was before it was kept: a walk of the kind's slots */
  function walked(store: ObjectStore, kind: string): string {
    let max = 0;
    let count = 0;
    for (const slot of store.slotsInInsertionOrder(kind)) {
      count++;
      if (slot.resourceVersion > max) max = slot.resourceVersion;
    }
    return `${count}:${max}`;
  }
  const at = (obj: KObject, rv: number): KObject => ({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } });

  it('follows loads, creations, writes up and down and deletions of the highest and of others', () => {
    const store = new ObjectStore(10);
    ['a', 'b', 'c'].forEach((n, i) => {
      const header = { kind: 'Pod', namespace: 'default', name: n, uid: `uid-${n}`, resourceVersion: [5, 9, 7][i] };
      const columns = { nodeName: 'n1', ownerUids: [], controlled: false, terminating: false };
      store.loadRow({ ...header, ...columns }, i + 1, () => ({ obj: at(pod(n, { node: 'n1' }), header.resourceVersion) }));
    });
    const seen: string[] = [];
    const check = () => {
      const now = store.dependentsNow('Pod');
      expect(now).toBe(walked(store, 'Pod'));
      seen.push(now);
    };
    check();
    store.put(at(pod('a', { node: 'n1' }), 11)); // a write above the highest
    check();
    store.put(at(pod('a', { node: 'n1' }), 3)); // the highest written lower: b's 9 is
    check();
    store.put(at(pod('d'), 12)); // a creation
    check();
    store.drop('Pod', 'default', 'd', '13'); // the highest deleted: b's 9 is
    check();
    store.drop('Pod', 'default', 'a', '14'); // another deleted
    check();
    store.drop('Pod', 'default', 'b', '15');
    store.drop('Pod', 'default', 'c', '16');
    check();
    expect(seen).toEqual(['3:9', '3:11', '3:9', '4:12', '3:9', '2:9', '0:0']);
    expect(store.dependentsNow('Node')).toBe('0:0');
  });
});

describe.each([
  { lazy: false, how: '' },
  { lazy: true, how: ' of the pod index (lazily)' },
])('pods loaded from rows$how: filed by name, node and owner when first asked', ({ lazy }) => {
  /** a store with pods p0…p(n-1) loaded as rows, pod i on node n(i % nodes), owned by rs-(i % 3) */
  function loadedPods(n: number, nodes: number): ObjectStore {
    const store = new ObjectStore();
    for (let i = 0; i < n; i++) {
      const obj = pod(`p${i}`, { node: `n${i % nodes}`, owner: rs(`rs-${i % 3}`) });
      const header = { kind: 'Pod', namespace: 'default', name: obj.metadata.name, uid: obj.metadata.uid!, resourceVersion: 1 };
      store.loadRow(
        fromIndex({ ...header, nodeName: `n${i % nodes}`, ownerUids: [`rs-${i % 3}`], controlled: true, terminating: false }, i + 1, lazy),
        i + 1,
        () => ({
          obj: structuredClone(obj),
        }),
      );
    }
    return store;
  }

  it('finds a pod by name before and after the lookups file every name, not a deleted one, and a re-created one', () => {
    const store = loadedPods(30, 3);
    // more lookups than the walks allowed before filing (a miss is a lookup too)
    for (let i = 0; i < 30; i++) {
      expect(store.get('Pod', 'default', `p${i}`)?.metadata.name).toBe(`p${i}`);
      expect(store.get('Pod', 'default', `q${i}`)).toBeUndefined();
      expect(store.get('Pod', 'other', `p${i}`)).toBeUndefined();
    }
    const early = loadedPods(3, 1);
    early.drop('Pod', 'default', 'p1', early.nextResourceVersion());
    expect(early.get('Pod', 'default', 'p1')).toBeUndefined();
    early.put(pod('p1'));
    expect(early.get('Pod', 'default', 'p1')?.status?.phase).toBe('Pending');
    expect(early.count('Pod')).toBe(3);
    expect(names(early.values('Pod'))).toEqual(['p0', 'p2', 'p1']);
  });

  it('walks the pods in insertion order when rows and objects interleave at load, live as a Set (one added during a walk met, one deleted not)', () => {
    // (the pods loaded as rows first are an array, KindSlots; anything else, and every row after it, a Set behind it)
    const store = loadedPods(3, 1);
    store.load(pod('o1'), 10);
    const row = {
      kind: 'Pod',
      namespace: 'default',
      uid: 'uid-p9',
      resourceVersion: 1,
      nodeName: 'n0',
      ownerUids: [],
      controlled: false,
      terminating: false,
    };
    store.loadRow({ ...row, name: 'p9' }, 11, () => ({ obj: pod('p9') }));
    expect(names(store.values('Pod'))).toEqual(['p0', 'p1', 'p2', 'o1', 'p9']);
    const met: string[] = [];
    for (const slot of store.slotsInInsertionOrder('Pod')) {
      met.push(slot.name);
      if (slot.name !== 'p0') continue;
      store.drop('Pod', 'default', 'p2', store.nextResourceVersion());
      store.drop('Pod', 'default', 'p1', store.nextResourceVersion());
      store.put(pod('p1'));
    }
    expect(met).toEqual(['p0', 'o1', 'p9', 'p1']);
    expect(store.count('Pod')).toBe(4);
    expect(store.get('Pod', 'default', 'p2')).toBeUndefined();
    expect(store.get('Pod', 'default', 'p0')?.metadata.name).toBe('p0');
  });

  it('answers an ask for the dependents of a uid no loaded row names without walking the loaded pods', () => {
    const store = loadedPods(40, 10);
    // (asks are answered from the loaded owners column, LoadedKeys: a slot keeps no owners of its own)
    // the garbage collector asks for the dependents of each pod deleted: more asks than walks allowed
    for (let i = 0; i < 20; i++) expect(store.ownedBy(`uid-p${i}`)).toEqual([]);
    store.put(pod('q', { node: 'n1', owner: rs('uid-p3') }));
    expect(names(store.ownedBy('uid-p3'))).toEqual(['q']);
    expect(names(store.ownedBy('rs-2'))).toEqual([2, 5, 8, 11, 14, 17, 20, 23, 26, 29, 32, 35, 38].map((i) => `p${i}`).sort());
  });

  it("gives each node's and owner's pods in load order then join order, before and after every key is filed", () => {
    const store = loadedPods(40, 10);
    // p9 leaves n9 for n0 before anyone asked for n0 or n9
    store.put(pod('p9', { node: 'n0', owner: rs('rs-0') }));
    const onNode = (node: string) => names(store.podsOnNode(node));
    expect(onNode('n0')).toEqual(['p0', 'p10', 'p20', 'p30', 'p9']);
    expect(onNode('n9')).toEqual(['p19', 'p29', 'p39']);
    // the other nodes' pods, each in load order
    for (let n = 1; n < 9; n++) expect(onNode(`n${n}`)).toEqual([0, 1, 2, 3].map((k) => `p${n + 10 * k}`));
    // (ownedBy gives name order)
    expect(names(store.ownedBy('rs-1'))).toEqual([1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 34, 37].map((i) => `p${i}`).sort());
    expect(names(store.ownedBy('rs-0')).length).toBe(14);
    store.put(pod('p1', { node: 'n9', owner: rs('rs-1') }));
    expect(onNode('n9')).toEqual(['p19', 'p29', 'p39', 'p1']);
    expect(onNode('n1')).toEqual(['p11', 'p21', 'p31']);
  });
});

describe('pods loaded lazily from the pod index', () => {
  /** pods p0…p(n-1) loaded from index records, pod i on node n(i % 4), owned by rs-(i % 2) (or `owner`), resourceVersion 100 + i */
  function load(n: number, lazy: boolean, owner = (i: number) => `rs-${i % 2}`): ObjectStore {
    const store = new ObjectStore();
    for (let i = 0; i < n; i++) {
      const obj = pod(`p${i}`, { node: `n${i % 4}`, owner: rs(owner(i)) });
      obj.metadata.resourceVersion = String(100 + i);
      const header = { kind: 'Pod', namespace: 'default', name: `p${i}`, uid: `uid-p${i}`, resourceVersion: 100 + i };
      const columns = { nodeName: `n${i % 4}`, ownerUids: [owner(i)], controlled: true, terminating: false };
      store.loadRow(fromIndex({ ...header, ...columns }, i + 1, lazy), i + 1, () => ({ obj: structuredClone(obj) }));
    }
    return store;
  }

  it('get their slot when first reached, as the load would have made it, and answer counts without making any', () => {
    const n = 12;
    const store = load(n, true);
    // (the state file's key index: a pod's row id by name)
    store.podRowid = (namespace, name) => (namespace === 'default' && /^p\d+$/.test(name) ? Number(name.slice(1)) + 1 : undefined);
    const rows = store.loadedRowPods()!;
    const made = () => [...Array(n).keys()].filter((i) => rows.madeAt(i) !== null);
    expect(made()).toEqual([]);
    expect(store.count('Pod')).toBe(n);
    expect(store.dependentsNow('Pod')).toBe(`${n}:${100 + n - 1}`);
    // a node's pods: those slots alone
    const onN1 = [...store.podSlotsOnNode('n1')];
    expect(onN1.map((s) => s.name)).toEqual(['p1', 'p5', 'p9']);
    expect(made()).toEqual([1, 5, 9]);
    const seq0 = rows.slot(0).seq;
    for (const slot of onN1) {
      const i = slot.rowIndex;
      expect(slot).toBe(rows.slot(i));
      expect([slot.namespace, slot.name, slot.uid, slot.rowid, slot.resourceVersion, slot.loadedVersion]).toEqual([
        'default',
        `p${i}`,
        `uid-p${i}`,
        i + 1,
        100 + i,
        100 + i,
      ]);
      expect([slot.rowNode, slot.rowTerminating, slot.facts, slot.seq - seq0, slot.parsed, slot.writes]).toEqual([
        'n1',
        false,
        '',
        i,
        false,
        0,
      ]);
      expect(slot.podClass).toBe(classes.get(`rs-${i % 2}`));
    }
    expect(store.ownedBy('rs-1').map((o) => o.metadata.name)).toEqual(['p1', 'p11', 'p3', 'p5', 'p7', 'p9']);
    // found by name through its row id; the highest deleted: the count and highest walk the loaded versions, making no slot
    expect(store.get('Pod', 'default', 'p10')?.metadata.name).toBe('p10');
    expect(made()).toEqual([0, 1, 3, 5, 7, 9, 10, 11]);
    const before = made().length;
    store.drop('Pod', 'default', 'p11', store.nextResourceVersion());
    expect(made().length).toBe(before);
    expect(store.dependentsNow('Pod')).toBe(`${n - 1}:${100 + n - 2}`);
    expect(made().length).toBe(before);
    // a walk: every slot, in load order, seq rising with it; the deleted one left out
    const walked = [...store.slotsInInsertionOrder('Pod')];
    expect(walked.map((s) => s.name)).toEqual([...Array(n - 1).keys()].map((i) => `p${i}`));
    expect(walked.map((s) => s.seq - seq0)).toEqual([...Array(n - 1).keys()]);
    expect(made().length).toBe(n);
    expect(walked.map((s) => s.obj.metadata.resourceVersion)).toEqual([...Array(n - 1).keys()].map((i) => String(100 + i)));
  });

  it("leave a node not asked for without making its other pods' slots, its pods then as if it had been asked first", () => {
    // (48 pods: the changes' dozen lookups by name are found by row id, no walk files every name)
    const n = 48;
    const setUp = (asked: boolean) => {
      // (a ReplicaSet a pod: a pod deleted walks its owner's pods, as the ReplicaSet controller reads them anyway)
      const store = load(n, true, (i) => `rs-${i}`);
      store.podRowid = (namespace, name) => (namespace === 'default' && /^p\d+$/.test(name) ? Number(name.slice(1)) + 1 : undefined);
      // (asked: each node's pods filed before the changes, as the index did at every pod's leave)
      if (asked) for (let k = 0; k < 4; k++) expect([...store.podSlotsOnNode(`n${k}`)].length).toBe(n / 4);
      return store;
    };
    const move = (store: ObjectStore, i: number, node: string) => {
      const obj = pod(`p${i}`, { node, owner: rs(`rs-${i}`) });
      obj.metadata.resourceVersion = store.nextResourceVersion();
      store.put(obj);
    };
    const changes = (store: ObjectStore) => {
      store.drop('Pod', 'default', 'p1', store.nextResourceVersion());
      // p5 leaves n1 for n2 and comes back (after the pods loaded there), p9 leaves n1 for n3 and is deleted there
      move(store, 5, 'n2');
      move(store, 5, 'n1');
      move(store, 9, 'n3');
      store.drop('Pod', 'default', 'p9', store.nextResourceVersion());
      // a pod created on n2, then one of n2's loaded pods deleted, then the new one
      store.put(pod('q', { node: 'n2', owner: rs('rs-q') }));
      store.drop('Pod', 'default', 'p6', store.nextResourceVersion());
      store.drop('Pod', 'default', 'q', store.nextResourceVersion());
      store.put(pod('r', { node: 'n2', owner: rs('rs-r') }));
    };
    const store = setUp(false);
    const rows = store.loadedRowPods()!;
    changes(store);
    // only the pods changed have slots: none of their nodes' other pods
    expect([...Array(n).keys()].filter((i) => rows.madeAt(i) !== null)).toEqual([1, 5, 6, 9]);
    const reference = setUp(true);
    changes(reference);
    const onNode = (s: ObjectStore, node: string) => [...s.podSlotsOnNode(node)].map((slot) => slot.name);
    for (let k = 0; k < 4; k++) expect(onNode(store, `n${k}`)).toEqual(onNode(reference, `n${k}`));
    const loadedOn = (k: number, without: number[]) =>
      [...Array(n / 4).keys()]
        .map((j) => 4 * j + k)
        .filter((i) => !without.includes(i))
        .map((i) => `p${i}`);
    expect(onNode(store, 'n1')).toEqual([...loadedOn(1, [1, 5, 9]), 'p5']);
    expect(onNode(store, 'n2')).toEqual([...loadedOn(2, [6]), 'r']);
    expect(onNode(store, 'n3')).toEqual(loadedOn(3, []));
  });

  it('are loaded as slots when terminating, not controlled, or after an object of the kind', () => {
    const store = new ObjectStore();
    const row = (i: number, columns: { controlled: boolean; terminating: boolean }) =>
      fromIndex(
        {
          kind: 'Pod',
          namespace: 'default',
          name: `p${i}`,
          uid: `uid-p${i}`,
          resourceVersion: 1,
          nodeName: 'n1',
          ownerUids: ['rs-1'],
          ...columns,
        },
        i,
        true,
      );
    store.loadRow(row(1, { controlled: true, terminating: true }), 1, () => ({ obj: pod('p1') }));
    store.loadRow(row(2, { controlled: false, terminating: false }), 2, () => ({ obj: pod('p2') }));
    store.loadRow(row(3, { controlled: true, terminating: false }), 3, () => ({ obj: pod('p3') }));
    store.load(pod('o4'), 4);
    store.loadRow(row(5, { controlled: true, terminating: false }), 5, () => ({ obj: pod('p5') }));
    const rows = store.loadedRowPods()!;
    expect([0, 1, 2, 3].map((i) => rows.madeAt(i) !== null)).toEqual([true, true, false, true]);
    expect(names(store.values('Pod'))).toEqual(['p1', 'p2', 'p3', 'o4', 'p5']);
  });
});

describe("a kind's slots in insertion order", () => {
  it('a walk under way sees objects created and not those deleted meanwhile', () => {
    const store = new ObjectStore();
    const cm = (name: string): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });
    for (let i = 0; i < 3000; i++) store.put(cm(`c${i}`));
    const walk = store.slotsInInsertionOrder('ConfigMap')[Symbol.iterator]();
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) seen.push(walk.next().value!.name);
    // 2,500 deleted, among them some the walk has passed
    for (let i = 0; i < 3000; i++) if (i % 6 !== 0) store.drop('ConfigMap', 'default', `c${i}`, store.nextResourceVersion());
    store.put(cm('late'));
    for (let next = walk.next(); !next.done; next = walk.next()) seen.push(next.value.name);
    const kept = Array.from({ length: 500 }, (_, k) => `c${6 * k}`);
    expect(seen).toEqual([...Array.from({ length: 10 }, (_, i) => `c${i}`), ...kept.filter((n) => Number(n.slice(1)) >= 10), 'late']);
    expect(store.count('ConfigMap')).toBe(501);
    expect([...store.slotsInInsertionOrder('ConfigMap')].map((s) => s.name)).toEqual([...kept, 'late']);
  });
});

describe("controllers' view of the cache", () => {
  it('has no way to write (a type error if one is added)', () => {
    const view: ReconcileContext['store'] = new ObjectStore();
    // @ts-expect-error controllers return actions; the applier writes
    expect(view.put).toBeTypeOf('function');
    // @ts-expect-error not on the view
    expect(view.drop).toBeTypeOf('function');
    // @ts-expect-error not on the view
    expect(view.remember).toBeTypeOf('function');
    // @ts-expect-error not on the view
    expect(view.recordEvent).toBeTypeOf('function');
    // @ts-expect-error not on the view
    expect(view.load).toBeTypeOf('function');
    // @ts-expect-error not on the view
    expect(view.nextResourceVersion).toBeTypeOf('function');
    // @ts-expect-error the event log's writer
    expect(view.events.record).toBeTypeOf('function');
    // @ts-expect-error the pod-template memo
    expect(view.templateOf.set).toBeTypeOf('function');
  });
});

describe('pod spec templates', () => {
  it('share the fields of equal specs and keep each pod its own nodeName', () => {
    const store = new ObjectStore();
    store.put(pod('a'));
    store.put(pod('b'));
    const a = store.get('Pod', 'default', 'a')!;
    const b = store.get('Pod', 'default', 'b')!;
    expect(b.spec.containers).toBe(a.spec.containers);
    expect(store.templateOf.get(b.spec)).toBe(store.templateOf.get(a.spec));
    // a binding keeps the shared fields and adds nodeName last
    store.put({ ...b, spec: { ...b.spec, nodeName: 'n1' } });
    const bound = store.get('Pod', 'default', 'b')!;
    expect(bound.spec.containers).toBe(a.spec.containers);
    expect(store.templateOf.get(bound.spec)).toBe(store.templateOf.get(a.spec));
    expect(JSON.stringify(bound.spec)).toBe('{"containers":[{"name":"c","image":"nginx"}],"nodeName":"n1"}');
    // a different spec is a different template
    store.put({ ...pod('c'), spec: { containers: [{ name: 'c', image: 'redis' }] } });
    expect(store.templateOf.get(store.get('Pod', 'default', 'c')!.spec)).not.toBe(store.templateOf.get(a.spec));
  });

  it('a binding built by withNodeName writes nothing to the cache and shares the template once stored', () => {
    const store = new ObjectStore();
    store.put(pod('a'));
    const a = store.get('Pod', 'default', 'a')!;
    const writes = store.writeCount;
    const spec = store.withNodeName(a.spec, 'n1');
    expect(store.templateOf.get(spec)).toBeUndefined();
    expect(store.writeCount).toBe(writes);
    store.put({ ...a, spec });
    const bound = store.get('Pod', 'default', 'a')!;
    expect(bound.spec).toBe(spec);
    expect(store.templateOf.get(bound.spec)).toBe(store.templateOf.get(a.spec));
    expect(JSON.stringify(bound.spec)).toBe('{"containers":[{"name":"c","image":"nginx"}],"nodeName":"n1"}');
  });

  it('compare specs as their JSON text would (key order, undefined fields)', () => {
    const cases: [unknown, unknown][] = [
      [
        { a: 1, b: [1, { c: 'x' }] },
        { a: 1, b: [1, { c: 'x' }] },
      ],
      [
        { a: 1, b: 2 },
        { b: 2, a: 1 },
      ],
      [{ a: 1, u: undefined }, { a: 1 }],
      [[undefined], [null]],
      [{ a: '1' }, { a: 1 }],
      [{ a: [] }, { a: {} }],
      [{ a: { b: 1 } }, { a: { b: 1, c: 2 } }],
      [{ a: { b: 1, c: 2 } }, { a: { b: 1 } }],
      [{ a: 1 }, { u: undefined, a: 1 }],
      [{ u: undefined, a: 1, v: undefined }, { a: 1 }],
      [
        { a: 1, b: 2 },
        { a: 1, u: undefined, b: 2 },
      ],
      [
        { a: 1, b: 2 },
        { a: 1, u: undefined, c: 2 },
      ],
      [{ u: undefined }, {}],
      [{}, { u: undefined }],
    ];
    for (const [a, b] of cases) expect(sameJson(a, b)).toBe(JSON.stringify(a) === JSON.stringify(b));
  });

  it('leave a spec whose nodeName is not last as it is', () => {
    const store = new ObjectStore();
    const p = { ...pod('a'), spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx' }] } };
    store.put(p);
    expect(store.templateOf.get(store.get('Pod', 'default', 'a')!.spec)).toBeUndefined();
    expect(Object.keys(store.get('Pod', 'default', 'a')!.spec)).toEqual(['nodeName', 'containers']);
  });
});

describe('shared pod parts', () => {
  /** a pod's status as raw JSON: these tests store values the typed PodStatus has no room for (null times, a string exitCode) */
  type RawStatus = { phase: string; conditions: Record<string, unknown>[]; containerStatuses: Record<string, unknown>[] };
  const running = (name: string, at: string): KObject & { status: RawStatus } => {
    const p = pod(name, { node: 'n1', owner: rs('rs-1') });
    p.metadata.labels = { app: 'web' };
    return {
      ...p,
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: at }],
        containerStatuses: [{ name: 'c', state: { running: { startedAt: at } }, lastState: {}, containerID: `containerd://${name}` }],
      },
    };
  };

  it('pods with equal labels, owners, conditions and container states hold one copy of each', () => {
    const store = new ObjectStore();
    store.put(running('a', '2025-01-01T00:00:00Z'));
    store.put(running('b', '2025-01-01T00:00:00Z'));
    store.put(running('c', '2025-01-01T00:00:05Z'));
    const [a, b, c] = ['a', 'b', 'c'].map((n) => store.get('Pod', 'default', n)!);
    expect(b.metadata.labels).toBe(a.metadata.labels);
    expect(b.metadata.ownerReferences).toBe(a.metadata.ownerReferences);
    expect(b.status?.conditions).toBe(a.status?.conditions);
    expect(b.status?.containerStatuses?.[0].state).toBe(a.status?.containerStatuses?.[0].state);
    expect(b.status?.containerStatuses?.[0].lastState).toBe(a.status?.containerStatuses?.[0].lastState);
    // the per-pod parts stay the pod's own, and different values are not merged
    expect(b.status?.containerStatuses).not.toBe(a.status?.containerStatuses);
    expect(c.status?.conditions).not.toBe(a.status?.conditions);
    expect(c.status?.conditions?.[0].lastTransitionTime).toBe('2025-01-01T00:00:05Z');
    expect(JSON.stringify(b)).toBe(JSON.stringify(running('b', '2025-01-01T00:00:00Z')));
  });

  it('a list copied to change one element keeps sharing the others, and equal lists are one', () => {
    const store = new ObjectStore();
    store.put(running('a', 't0'));
    const a = store.get('Pod', 'default', 'a')!;
    const next = {
      ...a,
      status: {
        ...a.status,
        conditions: [...a.status!.conditions!, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: 't0' }],
      },
    };
    store.put(next);
    const b = running('b', 't0');
    b.status.conditions = JSON.parse(JSON.stringify(next.status.conditions));
    store.put(b);
    const [a2, b2] = ['a', 'b'].map((n) => store.get('Pod', 'default', n)!);
    expect(a2.status?.conditions?.[0]).toBe(a.status?.conditions?.[0]);
    expect(b2.status?.conditions).toBe(a2.status?.conditions);
    expect(JSON.stringify(b2.status?.conditions)).toBe(JSON.stringify(next.status?.conditions));
  });

  it('values whose keys come in another order are not shared (they print differently)', () => {
    const store = new ObjectStore();
    const a = running('a', 't');
    const b = running('b', 't');
    b.metadata.labels = { tier: 'x', app: 'web' };
    a.metadata.labels = { app: 'web', tier: 'x' };
    store.put(a);
    store.put(b);
    expect(Object.keys(store.get('Pod', 'default', 'b')!.metadata.labels!)).toEqual(['tier', 'app']);
  });

  it('values that print the same are shared however they are built (undefined keys, -0), values that print differently are not', () => {
    const store = new ObjectStore();
    const put = (name: string, state: Record<string, unknown>) => {
      const p = running(name, 't');
      p.status.containerStatuses[0].state = state;
      store.put(p);
      return store.get('Pod', 'default', name)!.status?.containerStatuses?.[0].state;
    };
    const first = put('a', { terminated: { exitCode: 0, reason: 'Completed', signal: undefined } });
    expect(put('b', { terminated: { exitCode: -0, reason: 'Completed' } })).toBe(first);
    for (const [name, other] of [
      ['c', { terminated: { exitCode: '0', reason: 'Completed' } }],
      ['d', { terminated: { exitCode: 0, reason: 'Completed', signal: null } }],
      ['e', { terminated: { exitCode: 1, reason: 'Completed' } }],
      ['f', { terminated: { reason: 'Completed', exitCode: 0 } }],
      ['g', { terminated: [0, 'Completed'] }],
    ] as const) {
      expect(put(name, other)).not.toBe(first);
    }
  });
});

describe('state file writes only what changed, by row', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  function withFile<T>(file: string, fn: (state: StateFile, store: ObjectStore) => T): T {
    const { state } = StateFile.open(file);
    try {
      return state.transaction(() => {
        const store = state.load();
        const out = fn(state, store);
        state.flush(store);
        return out;
      });
    } finally {
      state.close();
    }
  }

  it('updates, deletes and re-creates objects across commands', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-store-'));
    dirs.push(dir);
    const file = path.join(dir, 'state.db');
    withFile(file, (_, store) => {
      for (const n of ['a', 'b', 'c']) store.put(pod(n));
    });
    withFile(file, (_, store) => {
      store.put(pod('a', { phase: 'Running' }));
      store.drop('Pod', 'default', 'b', store.nextResourceVersion());
      store.drop('Pod', 'default', 'c', store.nextResourceVersion());
      store.put(pod('c', { uid: 'uid-c2' }));
      store.put(pod('d'));
    });
    const after = withFile(file, (_, store) => store.list('Pod').map((p) => `${p.metadata.name}:${p.metadata.uid}:${p.status?.phase}`));
    expect(after).toEqual(['a:uid-a:Running', 'c:uid-c2:Pending', 'd:uid-d:Pending']);
  });
});

describe('garbage collector', () => {
  it('collects an object written with a missing owner after a quiet pass', () => {
    const store = new ObjectStore();
    const ctx = { store, now: 0, random: Random.fromSeed(1) };
    store.put(pod('owned', { owner: rs('rs-live') }));
    store.put({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs-live', namespace: 'default', uid: 'rs-live' }, spec: {} });
    expect(garbageCollector.reconcileAll!(ctx)).toEqual([]);
    // nothing deleted since: only the new write is looked at, and its owner does not exist
    store.put(pod('dangling', { owner: rs('rs-gone') }));
    const actions = garbageCollector.reconcileAll!(ctx);
    expect(actions).toEqual([{ type: 'delete', ref: { kind: 'Pod', namespace: 'default', name: 'dangling' } }]);
    // after a deletion the deleted object's dependents are looked at again (not every object:
    // 'dangling' was reported already)
    store.drop('ReplicaSet', 'default', 'rs-live', store.nextResourceVersion());
    expect(
      garbageCollector.reconcileAll!(ctx)
        .map((a) => (a as { ref: { name: string } }).ref.name)
        .sort(),
    ).toEqual(['owned']);
  });
});

describe('HiddenField', () => {
  it('keeps a value on the object it was set on, invisible to JSON and not copied with it', () => {
    const field = new HiddenField<number>('test');
    const obj: Record<string, unknown> = { a: 1 };
    expect(field.get(obj)).toBeUndefined();
    field.set(obj, 7);
    expect(field.get(obj)).toBe(7);
    expect(JSON.stringify(obj)).toBe('{"a":1}');
    expect(Object.keys(obj)).toEqual(['a']);
    // a copy neither reads it nor holds it (it would keep the original alive)
    const copy = { ...obj, a: 2 };
    expect(field.get(copy)).toBeUndefined();
    expect(Object.getOwnPropertySymbols(copy)).toEqual([]);
    expect(Object.getOwnPropertySymbols(Object.assign({}, obj))).toEqual([]);
    expect(new HiddenField<number>('other').get(obj)).toBeUndefined();
  });
});

describe('a store read lazily (read-only commands)', () => {
  function lazyStore(objects: KObject[]): { store: ObjectStore; read: string[] } {
    const store = new ObjectStore();
    const read: string[] = [];
    const kinds = [...new Set(objects.map((o) => o.kind))].sort();
    store.readLazily({
      kinds: () => kinds,
      load: (kind) => {
        read.push(kind);
        for (const o of objects) if (o.kind === kind) store.load(o);
      },
      stream: (kind, namespace) =>
        objects
          .filter((o) => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace))
          .map((obj) => ({ obj: structuredClone(obj), rowid: objects.indexOf(obj) }))
          .values(),
      // (a table may print a pod as itself)
      streamPrinted: (namespace) =>
        objects
          .filter((o) => o.kind === 'Pod' && (namespace === undefined || o.metadata.namespace === namespace))
          .map((obj) => structuredClone(obj))
          .values(),
      reread: (rowid) => {
        read.push(`row ${rowid}`);
        return structuredClone(objects[rowid]);
      },
      count: (kind) => objects.filter((o) => o.kind === kind).length,
      fetch: (kind, namespace, name) => {
        read.push(`fetch ${kind} ${namespace}/${name}`);
        const obj = objects.find((o) => o.kind === kind && (o.metadata.namespace ?? '') === namespace && o.metadata.name === name);
        return obj && structuredClone(obj);
      },
    });
    return { store, read };
  }
  const deployment = (name: string, uid: string): KObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', uid },
    spec: {},
  });

  it('reads a kind once, when first asked for it; lookups by uid or owner read every kind', () => {
    const { store, read } = lazyStore([deployment('web', 'd-1'), pod('a', { node: 'n1', owner: rs('rs-1') }), pod('b')]);
    expect(store.get('Deployment', 'default', 'web')?.metadata.uid).toBe('d-1');
    expect(store.list('Deployment')).toHaveLength(1);
    expect(read).toEqual(['fetch Deployment default/web', 'Deployment']);
    read.splice(0, 1);
    // counted without being read; one node's pods streamed once, then read
    expect(store.count('Pod')).toBe(2);
    expect(names(store.podsOnNode('n1'))).toEqual(['a']);
    expect(read).toEqual(['Deployment']);
    expect(names(store.podsOnNode('n1'))).toEqual(['a']);
    expect(store.count('Pod')).toBe(2);
    expect(read).toEqual(['Deployment', 'Pod']);
    const { store: other, read: otherRead } = lazyStore([deployment('web', 'd-1'), pod('a', { owner: rs('rs-1') })]);
    expect(names(other.ownedBy('rs-1'))).toEqual(['a']);
    expect(otherRead).toEqual(['Deployment', 'Pod']);
    expect(other.getByUid('d-1')?.metadata.name).toBe('web');
  });

  it('gets an object of a kind it has not read from its row alone, the same object when asked again', () => {
    const { store, read } = lazyStore([pod('a'), pod('b'), deployment('web', 'd-1')]);
    const a = store.get('Pod', 'default', 'a');
    expect(a?.metadata.name).toBe('a');
    expect(store.get('Pod', 'default', 'a')).toBe(a);
    expect(store.get('Pod', 'default', 'zz')).toBeUndefined();
    expect(store.get('Pod', 'default', 'zz')).toBeUndefined();
    expect(store.get('Pod', undefined, 'b')).toBeUndefined();
    expect(read).toEqual(['fetch Pod default/a', 'fetch Pod default/zz', 'fetch Pod /b']);
    // once the kind is read, from the store
    expect(names(store.list('Pod'))).toEqual(['a', 'b']);
    expect(store.get('Pod', 'default', 'b')?.metadata.name).toBe('b');
    expect(read).toEqual(['fetch Pod default/a', 'fetch Pod default/zz', 'fetch Pod /b', 'Pod']);
  });

  it('listOnce streams a kind it has not read without keeping it, and lists one it has', () => {
    const { store, read } = lazyStore([pod('b'), pod('a')]);
    expect(names(store.listOnce('Pod'))).toEqual(['b', 'a']); // the source's order (the state file's is list order)
    expect(read).toEqual([]);
    store.list('Pod');
    expect(names(store.listOnce('Pod'))).toEqual(['a', 'b']);
  });

  it('listOnceRereadable reads a streamed object again by its row id, and gives a kept one itself', () => {
    const { store, read } = lazyStore([pod('b'), pod('a')]);
    const listed = [...store.listOnceRereadable('Pod')];
    expect(read).toEqual([]);
    expect(listed[1].again().metadata.name).toBe('a');
    expect(read).toEqual(['row 1']);
    store.list('Pod');
    const kept = [...store.listOnceRereadable('Pod')];
    expect(kept[0].again()).toBe(store.get('Pod', 'default', 'a'));
  });

  it('refuses writes (they would be saved without the kinds never read)', () => {
    const { store } = lazyStore([pod('a')]);
    expect(store.readOnly).toBe(true);
    expect(() => store.put(pod('b'))).toThrow(/read-only command wrote a Pod/);
    expect(() => store.drop('Pod', 'default', 'a', store.nextResourceVersion())).toThrow(/read-only/);
    expect(new ObjectStore().readOnly).toBe(false);
  });
});
