import { describe, it, expect, afterEach } from 'vitest';
import { manualCluster } from '../support/cli';
import { pinnedWebPodYaml, webReplicaSetWithPdbYaml } from '../support/manifests';
import { Engine } from '../../src/engine/engine';
import { isPodReady } from '../../src/api/kinds/pod';

/**
 * Watches every settle of the engine (each instant a command's reconcile reaches) and
 * records how many Ready `app=web` pods it saw, so "never below minAvailable" is checked
 * at every step of the drain, not just at the end. The fewest seen must be exactly the
 * budget's 2: an empty record (no settle watched) or a drain that never evicts fails too.
 */
function watchReadyPods(): { readyCounts: number[]; stop(): void } {
  const original = Engine.prototype.settle;
  const readyCounts: number[] = [];
  Engine.prototype.settle = function settle(this: Engine) {
    original.call(this);
    readyCounts.push(
      this.store.list('Pod', 'default').filter((p) => p.metadata.labels?.app === 'web' && !p.metadata.deletionTimestamp && isPodReady(p))
        .length,
    );
  };
  return { readyCounts, stop: () => void (Engine.prototype.settle = original) };
}

const pinned = pinnedWebPodYaml;
const rsAndPdb = webReplicaSetWithPdbYaml('minAvailable: 2');

let watcher: ReturnType<typeof watchReadyPods> | undefined;
afterEach(() => watcher?.stop());

describe('drain keeps the budget at every step', () => {
  it('never has fewer than 2 Ready pods while draining a node of a 3-replica set with minAvailable 2', async () => {
    const c = await manualCluster();
    c.file('app.yaml', pinned('web-a', 'node-1') + pinned('web-b', 'node-2') + pinned('web-c', 'node-3') + rsAndPdb);
    await c.run('apply', '-f', 'app.yaml');
    await c.run('clock', 'advance', '10s');
    watcher = watchReadyPods();
    const r = await c.run('drain', 'node-1', '--timeout', '60s');
    expect(r.code).toBe(0);
    expect(watcher.readyCounts.length).toBeGreaterThan(1);
    expect(Math.min(...watcher.readyCounts)).toBe(2);
  });

  // the second eviction waits for web-a's replacement (scheduled to another node) to be Ready
  it('evicts two pods of one node one at a time, waiting for each replacement to be Ready', async () => {
    const c = await manualCluster();
    c.file('app.yaml', pinned('web-a', 'node-1') + pinned('web-b', 'node-1') + pinned('web-c', 'node-2') + rsAndPdb);
    await c.run('apply', '-f', 'app.yaml');
    await c.run('clock', 'advance', '10s');
    watcher = watchReadyPods();
    const r = await c.run('drain', 'node-1', '--timeout', '120s');
    expect(watcher.readyCounts.length).toBeGreaterThan(1);
    expect(Math.min(...watcher.readyCounts)).toBe(2);
    expect(r.stderr).toBe(
      `error when evicting pods/"web-b" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.\n`,
    );
    expect(r.stdout).toBe(
      'node/node-1 cordoned\nevicting pod default/web-a\nevicting pod default/web-b\npod/web-a evicted\nevicting pod default/web-b\npod/web-b evicted\nnode/node-1 drained\n',
    );
    expect(r.code).toBe(0);
  });
});
