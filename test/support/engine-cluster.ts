import { ObjectStore } from '../../src/store/object-store';
import { Engine } from '../../src/engine/engine';
import { allControllers } from '../../src/engine/controllers';
import { createObject } from '../../src/api/server';
import { Random } from '../../src/util/random';
import { defaultClusterObjects, DEFAULT_SHAPE } from '../../src/sim/cluster-shape';
import { MANUAL_CLOCK_EPOCH } from '../../src/clock/clock';

/** A default cluster in memory with every controller, at the manual clock's epoch (seed 1). */
export function engineCluster() {
  const store = new ObjectStore();
  const random = Random.fromSeed(1);
  const engine = new Engine(store, random, allControllers(), MANUAL_CLOCK_EPOCH);
  for (const o of defaultClusterObjects(DEFAULT_SHAPE, MANUAL_CLOCK_EPOCH))
    createObject({ store, random, now: engine.now }, o, { trusted: true });
  return { store, random, engine };
}
