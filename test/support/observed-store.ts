import { expect } from 'vitest';
import type { Cluster } from './cli';
import { observeEngines } from '../../src/engine/engine';
import type { ObjectStore } from '../../src/store/object-store';

/** Runs a command in process (it must print nothing on stderr) and gives its store as its last pass left it. */
export async function storeAfter(c: Cluster, ...args: string[]): Promise<ObjectStore> {
  let store: ObjectStore | undefined;
  observeEngines({ passed: (engine) => (store = engine.store) });
  try {
    const r = await c.run(...args);
    expect(r.stderr).toBe('');
  } finally {
    observeEngines(undefined);
  }
  expect(store).toBeDefined();
  return store!;
}
