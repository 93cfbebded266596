import { describe, it, expect, vi } from 'vitest';
import type { ObjectStore } from '../../src/store/object-store';
import { createObject, deleteObject } from '../../src/api/server';
import { MANUAL_CLOCK_EPOCH } from '../../src/clock/clock';
import { deploymentController } from '../../src/controllers/deployment';
import { garbageCollector } from '../../src/controllers/garbage-collector';
import type { KObject } from '../../src/model/objects';
import { canonicalJson } from '../../src/api/pod-template-hash';
import { engineCluster } from '../support/engine-cluster';

// Passes of the Deployment, ReplicaSet and garbage collector controllers that could change
// nothing are not run (or are cut short), and what they do is still done at the same instant.

const cluster = engineCluster;

function deployment(image: string, progressDeadlineSeconds?: number): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 3,
      ...(progressDeadlineSeconds ? { progressDeadlineSeconds } : {}),
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image }] } },
    },
  };
}

const progressing = (store: ObjectStore) =>
  (store.get('Deployment', 'default', 'web')?.status?.conditions ?? []).find((c) => c.type === 'Progressing');

describe('controller passes', () => {
  it('a rollout waiting for its progress deadline is not synced again until the deadline or a change', () => {
    const { store, random, engine } = cluster();
    createObject({ store, random, now: engine.now }, deployment('nginx:doesnotexist', 60));
    const syncs = vi.spyOn(deploymentController as Required<typeof deploymentController>, 'reconcile');
    engine.settle();
    // the kubelet retries the pull on its back-off: steps of time in which the ReplicaSet's status stays
    let quietSteps = 0;
    while (engine.now < MANUAL_CLOCK_EPOCH + 59_000) {
      const rsWrites = store.kindWrites('ReplicaSet');
      const deployWrites = store.kindWrites('Deployment');
      const before = syncs.mock.calls.length;
      if (!engine.step(MANUAL_CLOCK_EPOCH + 59_000)) break;
      if (store.kindWrites('ReplicaSet') === rsWrites && store.kindWrites('Deployment') === deployWrites) {
        quietSteps++;
        expect(syncs.mock.calls.length).toBe(before);
      }
    }
    expect(quietSteps).toBeGreaterThan(0);
    expect(progressing(store)?.reason).not.toBe('ProgressDeadlineExceeded');
    // the wake-up it asked for is kept: the deadline is found at its instant
    engine.runUntil(MANUAL_CLOCK_EPOCH + 60_000);
    expect(progressing(store)).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    syncs.mockRestore();
  });

  it("a ReplicaSet's reconcile after its own status write reads none of its pods", () => {
    const { store, random, engine } = cluster();
    createObject({ store, random, now: engine.now }, deployment('nginx:1.27'));
    const rsUid = () => store.list('ReplicaSet')[0]?.metadata.uid;
    const asked = vi.spyOn(store, 'ownedSlots');
    const passes: number[] = [];
    const statusWrites: number[] = [];
    let rsVersion = '';
    for (let i = 0; i < 30; i++) {
      asked.mockClear();
      engine.runUntil(engine.now + 2_000);
      const rs = store.list('ReplicaSet')[0];
      passes.push(asked.mock.calls.filter(([uid]) => uid === rsUid()).length);
      statusWrites.push(rs.metadata.resourceVersion === rsVersion ? 0 : 1);
      rsVersion = rs.metadata.resourceVersion!;
    }
    const rs = store.list('ReplicaSet')[0];
    expect(rs.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3 });
    // its pods are read once per round of pod writes, not again in the pass after its status write
    // its pods are read at each pass after they moved (five: the creates, the binds, the kubelet's
    // steps), not in the pass after each of its status writes (two more)
    expect(statusWrites.filter((w) => w).length).toBeGreaterThan(1);
    expect(passes.reduce((a, b) => a + b, 0)).toBe(5);
    asked.mockRestore();
  });

  it('the garbage collector removes every pod of a deleted owner, their owner list shared', () => {
    const { store, random, engine } = cluster();
    const ctx = () => ({ store, random, now: engine.now });
    createObject(ctx(), deployment('nginx:1.27'));
    engine.runUntil(engine.now + 30_000);
    const rs = store.list('ReplicaSet')[0];
    const pods = store.list('Pod').filter((p) => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid);
    expect(pods).toHaveLength(3);
    // the pods of one template share one owner list
    expect(new Set(pods.map((p) => p.metadata.ownerReferences)).size).toBe(1);
    // orphan the ReplicaSet's pods: its owner goes without its dependents (the background
    // policy's walk happens at the collector's next pass), then the ReplicaSet itself
    const collect = vi.spyOn(garbageCollector as Required<typeof garbageCollector>, 'reconcileAll');
    deleteObject(ctx(), 'Deployment', 'default', 'web', { propagationPolicy: 'Orphan' });
    engine.settle();
    expect(store.count('ReplicaSet')).toBe(1);
    deleteObject(ctx(), 'ReplicaSet', 'default', rs.metadata.name, { propagationPolicy: 'Background' });
    engine.runUntil(engine.now + 60_000);
    expect(collect).toHaveBeenCalled();
    expect(store.list('Pod').filter((p) => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid)).toHaveLength(0);
    collect.mockRestore();
  });

  it('canonical template JSON: keys sorted at every level, undefined members left out, an undefined item empty', () => {
    const value = { x: [1, undefined, null, { b: 2, a: undefined, c: [{}] }], é: 'q', 'a"b': { z: 1, y: [[]] } };
    expect(canonicalJson(value)).toBe('{"a\\"b":{"y":[[]],"z":1},"x":[1,,null,{"b":2,"c":[{}]}],"é":"q"}');
    expect(canonicalJson([undefined])).toBe('[]');
    expect(canonicalJson({ k: undefined })).toBe('{}');
    expect(canonicalJson('s')).toBe('"s"');
  });
});
