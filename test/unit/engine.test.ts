import { describe, it, expect } from 'vitest';
import { ObjectStore } from '../../src/store/object-store';
import { Engine } from '../../src/engine/engine';
import { allControllers } from '../../src/controllers/index';
import { createObject } from '../../src/api/server';
import { Random } from '../../src/util/random';
import { defaultClusterObjects, DEFAULT_SHAPE } from '../../src/sim/cluster-shape';
import { MANUAL_CLOCK_EPOCH } from '../../src/clock/clock';
import type { KObject } from '../../src/api/types';

function cluster() {
  const store = new ObjectStore();
  const random = Random.fromSeed(1);
  const engine = new Engine(store, random, allControllers(), MANUAL_CLOCK_EPOCH);
  for (const o of defaultClusterObjects(DEFAULT_SHAPE, MANUAL_CLOCK_EPOCH)) createObject({ store, random, now: engine.now }, o, { trusted: true });
  return { store, random, engine };
}

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

  it('catches up to a later time by visiting each wake-up in order', () => {
    const { store, random, engine } = cluster();
    createObject({ store, random, now: engine.now }, deployment);
    engine.runUntil(engine.now + 60_000);
    expect(engine.now).toBe(MANUAL_CLOCK_EPOCH + 60_000);
    const d = store.get('Deployment', 'default', 'web')!;
    expect(d.status.replicas).toBe(4);
  });
});
