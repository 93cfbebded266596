import { describe, it, expect, vi } from 'vitest';
import { ObjectStore } from '../../src/store/object-store';
import { Engine } from '../../src/engine/engine';
import { allControllers } from '../../src/engine/controllers';
import { createObject, updateObject } from '../../src/api/server';
import { quiet, update } from '../../src/reconcile/actions';
import { Random } from '../../src/util/random';
import { MANUAL_CLOCK_EPOCH } from '../../src/clock/clock';
import type { KObject } from '../../src/model/objects';
import type { ConfigMap } from '../../src/model/kinds';
import type { Controller, ReconcileContext } from '../../src/reconcile/controller';
import { engineCluster } from '../support/engine-cluster';

const cluster = engineCluster;

const deployment: KObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas: 4,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
  },
};

describe('engine', () => {
  it('reaches quiescence: a second settle writes nothing', () => {
    const { store, random, engine } = cluster();
    createObject({ store, random, now: engine.now }, deployment);
    engine.settle();
    expect(store.count('Pod')).toBe(4);
    const writes = store.writeCount;
    engine.settle();
    expect(store.writeCount).toBe(writes);
  });

  it('stays quiescent at every wake-up along the way', () => {
    const { store, random, engine } = cluster();
    createObject({ store, random, now: engine.now }, deployment);
    engine.settle();
    for (let i = 0; i < 20 && engine.pendingWakeup() !== undefined; i++) {
      engine.step(engine.now + 3600_000);
      const writes = store.writeCount;
      engine.settle();
      expect(store.writeCount).toBe(writes);
    }
  });

  it("keeps a pod's queue marks in a short scratch array: indexes are counted per kind", () => {
    const { store, random, engine } = cluster();
    // readers of other kinds' slots took indexes first (on a loaded cluster: the restored queues)
    for (const kind of ['Node', 'ReplicaSet', 'Deployment', 'Namespace', 'Lease', 'ConfigMap', 'Service', 'APIService'])
      store.newScratchIndex(kind);
    createObject({ store, random, now: engine.now }, deployment);
    engine.runUntil(engine.now + 60_000);
    // the kubelet's queue marked every pod
    const pods = [...store.sortedSlots('Pod')];
    expect(pods.length).toBe(4);
    for (const slot of pods) {
      expect(slot.scratch?.some((m) => m !== undefined)).toBe(true);
      expect(slot.scratch!.length).toBeLessThanOrEqual(4);
    }
  });

  it('catches up to a later time by visiting each wake-up in order', () => {
    const { store, random, engine } = cluster();
    createObject({ store, random, now: engine.now }, deployment);
    engine.runUntil(engine.now + 60_000);
    expect(engine.now).toBe(MANUAL_CLOCK_EPOCH + 60_000);
    const d = store.get('Deployment', 'default', 'web')!;
    expect(d.status?.replicas).toBe(4);
  });
});

describe('engine: objects a controller declared quiet', () => {
  const cm = (name: string, data: Record<string, string> = {}): ConfigMap => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default' },
    data,
  });

  /** An engine running one controller, with the default namespace (ConfigMaps go there). */
  function engineWith(controller: Controller) {
    const store = new ObjectStore();
    const random = Random.fromSeed(1);
    const engine = new Engine(store, random, [controller], MANUAL_CLOCK_EPOCH);
    const api = () => ({ store, random, now: engine.now });
    createObject(api(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    return { store, engine, api };
  }

  /** A controller of ConfigMaps that is quiet for 10 s after each look, reading Secrets besides; `seen` gets name@time of each look. */
  function quietWatcher(seen: string[]) {
    return {
      name: 'watcher',
      kind: 'ConfigMap',
      dependsOn: ['Secret'],
      reconcile(obj: KObject, ctx: { now: number }) {
        seen.push(`${obj.metadata.name}@${ctx.now - MANUAL_CLOCK_EPOCH}`);
        return [quiet(obj.metadata.name === 'forever' ? Infinity : ctx.now + 10_000)];
      },
    };
  }

  function setup() {
    const seen: string[] = [];
    return { ...engineWith(quietWatcher(seen)), seen };
  }

  it('is not reconciled again before its time, and wakes the engine then', () => {
    const { engine, seen, api } = setup();
    createObject(api(), cm('a'));
    engine.settle();
    engine.settle();
    expect(seen).toEqual(['a@0']);
    expect(engine.pendingWakeup()).toBe(MANUAL_CLOCK_EPOCH + 10_000);
    engine.runUntil(MANUAL_CLOCK_EPOCH + 10_000);
    expect(seen).toEqual(['a@0', 'a@10000']);
  });

  it('is reconciled as soon as it is written, or an object of a kind it depends on is', () => {
    const { engine, seen, api } = setup();
    createObject(api(), cm('a'));
    engine.settle();
    updateObject(api(), cm('a', { k: 'v' }));
    engine.settle();
    expect(seen).toEqual(['a@0', 'a@0']);
    createObject(api(), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' } });
    engine.settle();
    expect(seen).toEqual(['a@0', 'a@0', 'a@0']);
  });

  it('asks for no wake-up when quiet until it changes', () => {
    const { engine, seen, api } = setup();
    createObject(api(), cm('forever'));
    engine.settle();
    expect(engine.pendingWakeup()).toBeUndefined();
    engine.runUntil(MANUAL_CLOCK_EPOCH + 3600_000);
    expect(seen).toEqual(['forever@0']);
  });

  it('does not wake for a quiet that a write ended', () => {
    // quiet for 10 s, or for good once marked so
    const { engine, api } = engineWith({
      name: 'watcher',
      kind: 'ConfigMap',
      reconcile: (obj: ConfigMap, ctx: { now: number }) => [quiet(obj.data?.done ? Infinity : ctx.now + 10_000)],
    });
    createObject(api(), cm('a'));
    engine.settle();
    expect(engine.pendingWakeup()).toBe(MANUAL_CLOCK_EPOCH + 10_000);
    updateObject(api(), cm('a', { done: 'yes' }));
    engine.settle();
    expect(engine.pendingWakeup()).toBeUndefined();
  });

  it('stays quiet after its own write when it declares quiet after it', () => {
    const seen: string[] = [];
    // stamps each ConfigMap once, then is quiet for 10 s as written
    const stamper = {
      name: 'stamper',
      kind: 'ConfigMap',
      reconcile(obj: ConfigMap, ctx: { now: number }) {
        seen.push(`${obj.metadata.name}@${ctx.now - MANUAL_CLOCK_EPOCH}`);
        const stamped = obj.data?.stamped === String(ctx.now);
        return stamped ? [quiet(ctx.now + 10_000)] : [update({ ...obj, data: { stamped: String(ctx.now) } }), quiet(ctx.now + 10_000)];
      },
    };
    const { engine, api } = engineWith(stamper);
    for (const name of ['b', 'a', 'c']) createObject(api(), cm(name));
    engine.settle();
    // one look each, in name order; the write did not bring them back
    expect(seen).toEqual(['a@0', 'b@0', 'c@0']);
    updateObject(api(), cm('b', { by: 'user' }));
    engine.runUntil(MANUAL_CLOCK_EPOCH + 10_000);
    expect(seen).toEqual(['a@0', 'b@0', 'c@0', 'b@0', 'a@10000', 'b@10000', 'c@10000']);
  });

  it('looks at the rest of a pass again when a dependency is written during it', () => {
    const seen: string[] = [];
    // quiet forever, except that reconciling "b" writes a Secret (named after its data), which every quiet depends on
    const reader = {
      name: 'reader',
      kind: 'ConfigMap',
      dependsOn: ['Secret'],
      reconcile(obj: ConfigMap, ctx: ReconcileContext) {
        seen.push(obj.metadata.name);
        const name = `s-${obj.data?.k ?? 0}`;
        const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default' } };
        return obj.metadata.name === 'b' && !ctx.store.get('Secret', 'default', name)
          ? [{ type: 'create' as const, object: secret }, quiet(Infinity)]
          : [quiet(Infinity)];
      },
    };
    const { engine, api } = engineWith(reader);
    for (const name of ['a', 'b', 'c']) createObject(api(), cm(name));
    engine.settle();
    // the Secret written while b was reconciled ends a's and b's quiet and reaches c in the
    // same pass; the next pass looks at a and b again (c was looked at after the write)
    expect(seen).toEqual(['a', 'b', 'c', 'a', 'b']);
    seen.length = 0;
    engine.settle();
    expect(seen).toEqual([]);
    // only b is due, and its write reaches c (after it) in the same pass, a in the next
    updateObject(api(), cm('b', { k: '1' }));
    engine.settle();
    expect(seen).toEqual(['b', 'c', 'a', 'b']);
    seen.length = 0;
    engine.settle();
    expect(seen).toEqual([]);
  });

  /**
   * A second command: the objects as the first one saved them (same row ids and
   * resourceVersions) in a new store, and an engine offered the first one's saved marks.
   */
  function nextCommand(
    first: ReturnType<typeof setup>,
    loadOrder: 'rows' | 'reversed' = 'rows',
    rowOrder: 'ascending' | 'descending' = 'ascending',
  ) {
    const kinds = ['Namespace', 'Secret', 'ConfigMap'];
    let rowid = rowOrder === 'ascending' ? 100 : 200;
    // what the state file's flush gives each new row, before the marks are saved
    for (const kind of kinds) for (const slot of first.store.sortedSlots(kind)) slot.rowid ??= rowOrder === 'ascending' ? ++rowid : --rowid;
    const saved = first.engine.quietToSave().get('watcher');
    const store = new ObjectStore(first.store.resourceVersion);
    const slots = kinds.flatMap((kind) => [...first.store.sortedSlots(kind)]);
    for (const slot of loadOrder === 'rows' ? slots : slots.reverse()) store.load(slot.obj, slot.rowid);
    const seen: string[] = [];
    const random = Random.fromSeed(1);
    const engine = new Engine(store, random, [quietWatcher(seen)], first.engine.now);
    engine.savedQuiet = (name) => (name === 'watcher' ? saved : undefined);
    return { store, engine, seen, api: () => ({ store, random, now: engine.now }) };
  }

  function firstCommand() {
    const first = setup();
    createObject(first.api(), cm('a'));
    createObject(first.api(), cm('b'));
    createObject(first.api(), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' } });
    first.engine.settle();
    expect(first.seen).toEqual(['a@0', 'b@0']);
    return first;
  }

  it('stays quiet in the next command, until its time, from the marks saved with the state', () => {
    // objects come in row id order (as the state file loads them) or not (matched by lookup then),
    // and the marks are saved in row id order whatever order the objects were made in
    for (const [order, rows] of [
      ['rows', 'ascending'],
      ['reversed', 'ascending'],
      ['rows', 'descending'],
      ['reversed', 'descending'],
    ] as const) {
      const next = nextCommand(firstCommand(), order, rows);
      next.engine.settle();
      expect(next.seen).toEqual([]);
      expect(next.engine.pendingWakeup()).toBe(MANUAL_CLOCK_EPOCH + 10_000);
      // nothing moved: the saved marks still hold, nothing to write back
      expect(next.engine.quietToSave().size).toBe(0);
      next.engine.runUntil(MANUAL_CLOCK_EPOCH + 10_000);
      expect(next.seen).toEqual(['a@10000', 'b@10000']);
      expect(next.engine.quietToSave().get('watcher')?.times).toEqual([MANUAL_CLOCK_EPOCH + 20_000]);
    }
  });

  it('does not carry a mark over for an object written since, or after a dependency changed', () => {
    let next = nextCommand(firstCommand());
    updateObject(next.api(), cm('b', { k: 'v' }));
    next.engine.settle();
    expect(next.seen).toEqual(['b@0']);

    next = nextCommand(firstCommand());
    updateObject(next.api(), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, data: { k: 'dg==' } });
    next.engine.settle();
    expect(next.seen).toEqual(['a@0', 'b@0']);

    // the marks of a queue whose dependency moved after its pass are not saved at all
    const first = firstCommand();
    for (const slot of first.store.sortedSlots('ConfigMap')) slot.rowid = 1;
    expect(first.engine.quietToSave().get('watcher')).toBeDefined();
    createObject(first.api(), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 't', namespace: 'default' } });
    expect(first.engine.quietToSave().get('watcher')).toBeUndefined();
  });
});

describe('engine: a quiet that ends when what the object owns is written (watchesDependents)', () => {
  const cm = (name: string): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });
  const secret = (name: string, owner?: KObject, data?: Record<string, string>): KObject => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name,
      namespace: 'default',
      ...(owner ? { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata.name, uid: owner.metadata.uid! }] } : {}),
    },
    ...(data ? { data } : {}),
  });

  /** ConfigMaps that own Secrets (as ReplicaSets own Pods): quiet for good after each look. */
  function owners(seen: string[]): Controller {
    return {
      name: 'owners',
      kind: 'ConfigMap',
      watchesDependents: 'Secret',
      reconcile(obj: KObject) {
        seen.push(obj.metadata.name);
        return [quiet(Infinity)];
      },
    };
  }

  function first() {
    const store = new ObjectStore();
    const random = Random.fromSeed(1);
    const seen: string[] = [];
    const engine = new Engine(store, random, [owners(seen)], MANUAL_CLOCK_EPOCH);
    const api = () => ({ store, random, now: engine.now });
    createObject(api(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    for (const name of ['a', 'b', 'c']) createObject(api(), cm(name));
    const b = store.get('ConfigMap', 'default', 'b')!;
    createObject(api(), secret('of-b', b));
    createObject(api(), secret('loose'));
    engine.settle();
    expect(seen).toEqual(['a', 'b', 'c']);
    return { store, engine, api, seen };
  }

  /** The next command: the objects as saved (row ids given), the first one's marks offered; `edit` changes the file in between. */
  function next(prev: ReturnType<typeof first>, edit?: (obj: KObject) => KObject) {
    let rowid = 0;
    const kinds = ['Namespace', 'ConfigMap', 'Secret'];
    for (const kind of kinds) for (const slot of prev.store.sortedSlots(kind)) slot.rowid ??= ++rowid;
    const saved = prev.engine.quietToSave().get('owners');
    const store = new ObjectStore(prev.store.resourceVersion + 1);
    for (const kind of kinds) for (const slot of prev.store.sortedSlots(kind)) store.load(edit ? edit(slot.obj) : slot.obj, slot.rowid);
    const random = Random.fromSeed(1);
    const seen: string[] = [];
    const engine = new Engine(store, random, [owners(seen)], prev.engine.now);
    engine.savedQuiet = (name) => (name === 'owners' ? saved : undefined);
    return { store, engine, seen, api: () => ({ store, random, now: engine.now }) };
  }

  it('wakes only the owner of a written object', () => {
    const { store, engine, api, seen } = first();
    seen.length = 0;
    const b = store.get('ConfigMap', 'default', 'b')!;
    updateObject(api(), secret('of-b', b, { k: 'dg==' }));
    updateObject(api(), secret('loose', undefined, { k: 'dg==' }));
    engine.settle();
    expect(seen).toEqual(['b']);
    // a new dependent of c, then its deletion
    createObject(api(), secret('of-c', store.get('ConfigMap', 'default', 'c')!));
    engine.settle();
    expect(seen).toEqual(['b', 'c']);
    store.drop('Secret', 'default', 'of-c', store.nextResourceVersion());
    engine.settle();
    expect(seen).toEqual(['b', 'c', 'c']);
  });

  it('after its first look, wakes the owners whose dependents moved without walking its objects', () => {
    const { store, engine, api, seen } = first();
    seen.length = 0;
    const walked = vi.spyOn(store, 'slotsInInsertionOrder');
    const walks = () => walked.mock.calls.filter(([kind]) => kind === 'ConfigMap').length;
    const b = store.get('ConfigMap', 'default', 'b')!;
    updateObject(api(), secret('of-b', b, { k: 'dg==' }));
    engine.settle();
    expect(seen).toEqual(['b']);
    // (the first look with marks walked them)
    expect(walks()).toBe(1);
    walked.mockClear();
    updateObject(api(), secret('of-b', b, { k: 'dw==' }));
    engine.settle();
    expect(seen).toEqual(['b', 'b']);
    // an owner created after the first look, then a dependent of it
    createObject(api(), cm('d'));
    engine.settle();
    createObject(api(), secret('of-d', store.get('ConfigMap', 'default', 'd')!));
    engine.settle();
    expect(seen).toEqual(['b', 'b', 'd', 'd']);
    // a dependent released by its owner (the owner of the old version moves)
    updateObject(api(), secret('of-d'));
    engine.settle();
    expect(seen).toEqual(['b', 'b', 'd', 'd', 'd']);
    expect(walks()).toBe(0);
    // an orphan pod in the namespace: every owner there may adopt it (a walk of those of the namespace)
    createObject(api(), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'loose-pod', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    engine.settle();
    expect(seen).toEqual(['b', 'b', 'd', 'd', 'd', 'a', 'b', 'c', 'd']);
  });

  it('keeps its marks in the next command, ending those whose dependents that command writes', () => {
    let n = next(first());
    n.engine.settle();
    expect(n.seen).toEqual([]);
    n = next(first());
    updateObject(n.api(), secret('of-b', n.store.get('ConfigMap', 'default', 'b')!, { k: 'dg==' }));
    n.engine.settle();
    expect(n.seen).toEqual(['b']);
    // and saves them as of its own writes: a third command starts quiet
    const third = next({ ...n, seen: [] } as unknown as ReturnType<typeof first>);
    third.engine.settle();
    expect(third.seen).toEqual([]);
  });

  it('drops every mark when the dependents in the file changed since they were saved', () => {
    // another process wrote a dependent: a higher resourceVersion than the file had when the marks were saved
    const n = next(first(), (obj) =>
      obj.kind === 'Secret' && obj.metadata.name === 'of-b' ? { ...obj, metadata: { ...obj.metadata, resourceVersion: '999' } } : obj,
    );
    n.engine.settle();
    expect(n.seen).toEqual(['a', 'b', 'c']);
  });
});

describe('engine: a quiet that ends when the one object it depends on is updated (dependsOnEach)', () => {
  const cm = (name: string, namespace: string): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace } });
  const ns = (name: string, labels?: Record<string, string>): KObject => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, ...(labels ? { labels } : {}) },
  });

  /** ConfigMaps that read their Namespace (as pods read their Node): quiet for good after each look. */
  function readers(seen: string[]): Controller {
    return {
      name: 'readers',
      kind: 'ConfigMap',
      dependsOnEach: {
        kind: 'Namespace',
        dependents: (store, name) => store.sortedSlots('ConfigMap').filter((s) => s.namespace === name),
      },
      reconcile(obj: KObject) {
        seen.push(`${obj.metadata.namespace}/${obj.metadata.name}`);
        return [quiet(Infinity)];
      },
    };
  }

  function first() {
    const store = new ObjectStore();
    const random = Random.fromSeed(1);
    const seen: string[] = [];
    const engine = new Engine(store, random, [readers(seen)], MANUAL_CLOCK_EPOCH);
    const api = () => ({ store, random, now: engine.now });
    for (const name of ['a', 'b']) createObject(api(), ns(name));
    for (const name of ['x', 'y']) for (const n of ['a', 'b']) createObject(api(), cm(name, n));
    engine.settle();
    expect(seen).toEqual(['a/x', 'a/y', 'b/x', 'b/y']);
    seen.length = 0;
    return { store, engine, api, seen };
  }

  /** The next command: the objects as saved (row ids given), the first one's marks offered; `edit` changes the file in between. */
  function next(prev: ReturnType<typeof first>, edit?: (obj: KObject) => KObject, walk = false) {
    let rowid = 0;
    const kinds = ['Namespace', 'ConfigMap'];
    for (const kind of kinds) for (const slot of prev.store.sortedSlots(kind)) slot.rowid ??= ++rowid;
    const made = prev.engine.quietToSave().get('readers');
    // (walk: marks as an older kubesim saved them, without the objects they hold for: restore walks the objects)
    const saved = walk && made ? { ...made, objects: undefined } : made;
    const store = new ObjectStore(prev.store.resourceVersion + 1);
    for (const kind of kinds) for (const slot of prev.store.sortedSlots(kind)) store.load(edit ? edit(slot.obj) : slot.obj, slot.rowid);
    const random = Random.fromSeed(1);
    const seen: string[] = [];
    const engine = new Engine(store, random, [readers(seen)], prev.engine.now);
    engine.savedQuiet = (name) => (name === 'readers' ? saved : undefined);
    return { store, engine, seen, api: () => ({ store, random, now: engine.now }) };
  }

  it('wakes only the dependents of an updated object, and every object when one is created or deleted', () => {
    const { store, engine, api, seen } = first();
    updateObject(api(), ns('b', { team: 'x' }));
    engine.settle();
    expect(seen).toEqual(['b/x', 'b/y']);
    seen.length = 0;
    createObject(api(), ns('c'));
    engine.settle();
    expect(seen).toEqual(['a/x', 'a/y', 'b/x', 'b/y']);
    seen.length = 0;
    store.drop('Namespace', undefined, 'c', store.nextResourceVersion());
    engine.settle();
    expect(seen).toEqual(['a/x', 'a/y', 'b/x', 'b/y']);
  });

  it('takes up the marks without walking the objects while the file holds those they were saved for, and saves what a walk saves', () => {
    const course = (walk: boolean) => {
      const n = next(first(), undefined, walk);
      const walked = vi.spyOn(n.store, 'slotsInInsertionOrder');
      // a ConfigMap written before the first pass, a Namespace after it, one ConfigMap deleted
      updateObject(n.api(), { ...cm('y', 'a'), data: { k: 'v' } });
      n.engine.settle();
      updateObject(n.api(), ns('b', { team: 'x' }));
      n.store.drop('ConfigMap', 'a', 'x', n.store.nextResourceVersion());
      n.engine.settle();
      let rowid = 100;
      for (const slot of n.store.sortedSlots('ConfigMap')) slot.rowid ??= ++rowid;
      const saved = n.engine.quietToSave().get('readers')!;
      const walks = walked.mock.calls.filter(([kind]) => kind === 'ConfigMap').length;
      return { seen: n.seen, marks: Array.from(saved.marks), times: saved.times, walks };
    };
    const lazy = course(false);
    const walked = course(true);
    expect(lazy.seen).toEqual(['a/y', 'b/x', 'b/y']);
    expect(lazy.walks).toBe(0);
    expect(walked.walks).toBeGreaterThan(0);
    expect({ ...lazy, walks: 0 }).toEqual({ ...walked, walks: 0 });
    expect(lazy.marks.length).toBe(3 * 3);
  });

  it('keeps its marks in the next command, ending those of an object updated since (by it or another process)', () => {
    let n = next(first());
    n.engine.settle();
    expect(n.seen).toEqual([]);
    n = next(first());
    updateObject(n.api(), ns('a', { team: 'x' }));
    n.engine.settle();
    expect(n.seen).toEqual(['a/x', 'a/y']);
    // saved as of that update: a third command starts quiet
    const third = next({ ...n, seen: [] } as unknown as ReturnType<typeof first>);
    third.engine.settle();
    expect(third.seen).toEqual([]);
    // another process updated b in the file
    const edited = next(first(), (obj) =>
      obj.kind === 'Namespace' && obj.metadata.name === 'b' ? { ...obj, metadata: { ...obj.metadata, resourceVersion: '999' } } : obj,
    );
    edited.engine.settle();
    expect(edited.seen).toEqual(['b/x', 'b/y']);
    // or created one: every mark is dropped
    const grown = first();
    const added = next(grown);
    createObject(added.api(), ns('c'));
    added.engine.settle();
    expect(added.seen).toEqual(['a/x', 'a/y', 'b/x', 'b/y']);
  });
});

describe('engine: pod marks with a time, taken up without a walk', () => {
  const LATER = MANUAL_CLOCK_EPOCH + 5_000;
  const pod = (name: string, later: boolean): KObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...(later ? { labels: { later: 'yes' } } : {}) },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
  });

  /** Quiet for good, but a pod labelled `later` only until LATER (as the kubelet's pods between two steps). */
  function stepper(seen: string[]): Controller {
    return {
      name: 'stepper',
      kind: 'Pod',
      reconcile(obj: KObject, ctx: ReconcileContext) {
        seen.push(obj.metadata.name);
        return [quiet(obj.metadata.labels?.later && ctx.now < LATER ? LATER : Infinity)];
      },
    };
  }

  function first() {
    const store = new ObjectStore();
    const random = Random.fromSeed(1);
    const seen: string[] = [];
    const engine = new Engine(store, random, [stepper(seen)], MANUAL_CLOCK_EPOCH);
    createObject({ store, random, now: engine.now }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    for (let i = 0; i < 8; i++) createObject({ store, random, now: engine.now }, pod(`p${i}`, i === 2 || i === 5 || i === 6));
    engine.settle();
    let rowid = 0;
    for (const slot of store.slotsInInsertionOrder('Pod')) slot.rowid = ++rowid;
    return { store, engine };
  }

  /** The next command: the pods loaded from their rows (as a state file's load does), the first one's marks offered. */
  function next(prev: ReturnType<typeof first>, walk: boolean) {
    const made = prev.engine.quietToSave().get('stepper')!;
    expect(made.times.some((t) => t !== null)).toBe(true);
    // (walk: marks as an older kubesim saved them, without the objects they hold for)
    const saved = walk ? { ...made, objects: undefined } : made;
    const store = new ObjectStore(prev.store.resourceVersion);
    store.load(prev.store.get('Namespace', undefined, 'default')!, 100);
    for (const slot of prev.store.slotsInInsertionOrder('Pod')) {
      const obj = slot.obj;
      const header = {
        kind: 'Pod',
        namespace: 'default',
        name: obj.metadata.name,
        uid: obj.metadata.uid!,
        resourceVersion: slot.resourceVersion,
      };
      store.loadRow({ ...header, nodeName: '', ownerUids: [], controlled: false, terminating: false }, slot.rowid!, () => ({
        obj: structuredClone(obj),
      }));
    }
    const seen: string[] = [];
    const engine = new Engine(store, Random.fromSeed(1), [stepper(seen)], prev.engine.now);
    engine.savedQuiet = (name) => (name === 'stepper' ? saved : undefined);
    return { store, engine, seen, api: () => ({ store, random: Random.fromSeed(2), now: engine.now }) };
  }

  it('visits and saves what a walk does, and reads no pod slot but those with a time', () => {
    const course = (walk: boolean) => {
      const n = next(first(), walk);
      const walked = vi.spyOn(n.store, 'slotsInInsertionOrder');
      // one pod written before the first pass, one with a time after it
      updateObject(n.api(), { ...pod('p1', false), metadata: { ...pod('p1', false).metadata, annotations: { a: '1' } } });
      n.engine.settle();
      const seenNow = [...n.seen];
      updateObject(n.api(), { ...pod('p5', true), metadata: { ...pod('p5', true).metadata, annotations: { a: '1' } } });
      n.engine.settle();
      const before = n.engine.quietToSave().get('stepper')!;
      n.engine.runUntil(LATER);
      const after = n.engine.quietToSave().get('stepper')!;
      // (the marks' meaning: by row id, the version and the time)
      const meaning = (s: typeof before) => {
        const out: string[] = [];
        for (let j = 0; j < s.marks.length; j += 3) out.push(`${s.marks[j]}@${s.marks[j + 1]}:${s.times[s.marks[j + 2]] ?? 'never'}`);
        return out;
      };
      const walks = walked.mock.calls.filter(([kind]) => kind === 'Pod').length;
      return { seenNow, seen: n.seen, before: meaning(before), after: meaning(after), walks };
    };
    const lazy = course(false);
    const walked = course(true);
    expect(lazy.seenNow).toEqual(['p1']);
    expect(lazy.seen).toEqual(['p1', 'p5', 'p2', 'p5', 'p6']);
    expect(lazy.before.filter((m) => !m.endsWith('never'))).toHaveLength(3);
    expect(lazy.after.filter((m) => !m.endsWith('never'))).toHaveLength(0);
    expect(lazy.walks).toBe(0);
    expect(walked.walks).toBeGreaterThan(0);
    expect({ ...lazy, walks: 0 }).toEqual({ ...walked, walks: 0 });
  });
});

describe('engine: Deployments and ReplicaSets quiet across commands', () => {
  /** The next command on what `prev` saved: every object reloaded (row ids given), the saved marks offered. */
  function reload(prev: { store: ObjectStore; engine: Engine }) {
    giveRows(prev.store);
    const saved = prev.engine.quietToSave();
    const store = new ObjectStore(prev.store.resourceVersion);
    const slots = prev.store.kinds().flatMap((kind) => [...prev.store.slotsInInsertionOrder(kind)]);
    for (const slot of slots.sort((a, b) => a.rowid! - b.rowid!)) store.load(slot.obj, slot.rowid);
    const random = Random.fromSeed(2);
    const engine = new Engine(store, random, allControllers(), prev.engine.now);
    engine.savedQuiet = (name) => saved.get(name);
    return { store, random, engine };
  }

  /** What the state file's flush does before the marks are saved: each new object gets a row id. */
  function giveRows(store: ObjectStore) {
    let rowid = 0;
    for (const kind of store.kinds()) for (const slot of store.slotsInInsertionOrder(kind)) slot.rowid ??= ++rowid;
  }

  it('saves marks for both, and a ReplicaSet scaled by hand in a later command is scaled back by its Deployment', () => {
    const first = cluster();
    createObject({ store: first.store, random: first.random, now: first.engine.now }, deployment);
    first.engine.runUntil(first.engine.now + 60_000);
    giveRows(first.store);
    const saved = first.engine.quietToSave();
    expect(saved.get('deployment')?.marks.length).toBe(3);
    expect(saved.get('replicaset')?.marks.length).toBe(3);
    const next = reload(first);
    const [rs] = next.store.list('ReplicaSet', 'default');
    updateObject({ store: next.store, random: next.random, now: next.engine.now }, { ...rs, spec: { ...rs.spec, replicas: 1 } });
    next.engine.settle();
    expect(next.store.get('ReplicaSet', 'default', rs.metadata.name)!.spec.replicas).toBe(4);
    expect(next.store.count('Pod')).toBe(4);
  });
});

describe('a controller write that conflicts', () => {
  it('is dropped, not the command: the controller acts again on the newer object', () => {
    const { store, random, engine } = cluster();
    createObject(
      { store, random, now: engine.now },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default' }, data: { n: '0' } },
    );
    // two writes from one read: the second carries a stale resourceVersion
    const twice: Controller<'ConfigMap'> = {
      name: 'twice',
      kind: 'ConfigMap',
      reconcile(cm) {
        const n = Number(cm.data!.n);
        if (n >= 3) return [];
        return [update({ ...cm, data: { n: String(n + 1) } }), update({ ...cm, data: { n: String(n + 2) } })];
      },
    };
    const own = new Engine(store, random, [twice], engine.now);
    expect(() => own.settle()).not.toThrow();
    expect(store.get('ConfigMap', 'default', 'cm')!.data).toEqual({ n: '3' });
  });
});
