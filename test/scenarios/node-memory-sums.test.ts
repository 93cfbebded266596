import { describe, expect, it, vi } from 'vitest';
import { kubesim, manualCluster } from '../support/cli';
import { commandsOn, copyWithMeta, readStateMeta, writeStateMeta } from '../support/state-meta';
import { ObjectStore } from '../../src/store/object-store';

/**
 * The eviction manager's per-node memory sums are saved with the cluster (meta `node-memory`) and
 * taken up by the next command while the file's pods are those the save left: a node's first
 * check moves its saved sum by the pods written since load instead of reading every pod on it.
 * What any command shows is the same as when the sums are made from the pods.
 */

const readMeta = (state: string) => readStateMeta(state, 'node-memory');
const writeMeta = (state: string, value: string | undefined) => writeStateMeta(state, 'node-memory', value);

/** Two 24Mi nodes with 4 idle pods each (4Mi a pod), settled. */
async function settled() {
  const c = await manualCluster(['--nodes', '2', '--memory', '24Mi']);
  expect((await c.run('create', 'deployment', 'w', '--image=nginx', '--replicas=8')).code).toBe(0);
  expect((await c.run('set', 'resources', 'deployment', 'w', '--requests=memory=1Mi,cpu=10m')).code).toBe(0);
  expect((await c.run('clock', 'advance', '30s')).code).toBe(0);
  return c;
}

/**
 * Scales to 14 pods (7 a node: 28Mi used of 24Mi), lets the eviction manager act, and prints what
 * it did; `beforeEach` runs before each command (the sums' meta taken away: every command sums the pods).
 */
async function pressureOn(state: string, dir: string, beforeEach = () => {}): Promise<string> {
  const run = commandsOn(state, dir, beforeEach);
  await run('scale', 'deployment', 'w', '--replicas=14');
  await run('clock', 'advance', '30s');
  // on the full nodes: a running pod written, one deleted at once, one deleted gracefully, each a command
  const pods = (await run('get', 'pods', '-o', 'name', '--field-selector=status.phase=Running')).trim().split('\n');
  await run('label', pods[1], 'touched=yes');
  // (kubectl warns of an immediate deletion on stderr)
  beforeEach();
  expect((await kubesim(state, ['delete', pods[2], '--grace-period=0', '--force'], { cwd: dir })).code).toBe(0);
  await run('delete', pods[0], '--wait=false');
  await run('clock', 'advance', '30s');
  return [
    await run('get', 'pods', '-o', 'wide', '--sort-by=.metadata.name'),
    await run(
      'get',
      'nodes',
      '-o',
      'jsonpath={range .items[*]}{.metadata.name} {.status.conditions[?(@.type=="MemoryPressure")].status}{"\\n"}{end}',
    ),
    await run(
      'get',
      'events',
      '--sort-by=.metadata.name',
      '-o',
      'custom-columns=REASON:.reason,OBJECT:.involvedObject.name,MESSAGE:.message',
    ),
  ].join('\n');
}

describe('node memory sums saved with the cluster', () => {
  it('saves each summed node memory with the pods they hold for', async () => {
    const c = await settled();
    expect(JSON.parse(readMeta(c.state)!)).toEqual({
      pods: expect.stringMatching(/^8:\d+$/),
      nodes: [
        ['node-1', 4 * 4 * 1024 * 1024],
        ['node-2', 4 * 4 * 1024 * 1024],
      ],
    });
  });

  it('a command taking up the saved sums shows what one summing the pods shows', async () => {
    const c = await settled();
    const saved = readMeta(c.state)!;
    const copy = (name: string, meta: string | undefined) => copyWithMeta(c.state, `${c.dir}/${name}.db`, 'node-memory', meta);
    const fromSums = await pressureOn(copy('sums', saved), c.dir);
    const pods = copy('pods', undefined);
    const fromPods = await pressureOn(pods, c.dir, () => writeMeta(pods, undefined));
    expect(fromSums).toContain('Evicted');
    expect(fromSums).toBe(fromPods);
    // sums that hold for other pods are not taken up
    const stale = JSON.stringify({
      ...JSON.parse(saved),
      pods: '8:1',
      nodes: [
        ['node-1', 0],
        ['node-2', 0],
      ],
    });
    expect(await pressureOn(copy('stale', stale), c.dir)).toBe(fromPods);
    // (and the sums are what the command reads: wrong ones for these pods change what it does)
    const wrong = JSON.stringify({
      ...JSON.parse(saved),
      nodes: [
        ['node-1', 0],
        ['node-2', 0],
      ],
    });
    expect(await pressureOn(copy('wrong', wrong), c.dir)).not.toBe(fromPods);
  });

  it("counts a loaded pod's first write as the pod was loaded without reading its row's facts again", async () => {
    const c = await settled();
    const loadedFacts = vi.spyOn(ObjectStore.prototype, 'loadedRowFactsText');
    try {
      // every running pod written (as an advance's kubelet writes each pod): the saved sums move by each
      expect((await c.run('label', 'pods', '--all', 'touched=yes')).code).toBe(0);
      expect(loadedFacts).not.toHaveBeenCalled();
    } finally {
      loadedFacts.mockRestore();
    }
    expect(JSON.parse(readMeta(c.state)!).nodes).toEqual([
      ['node-1', 4 * 4 * 1024 * 1024],
      ['node-2', 4 * 4 * 1024 * 1024],
    ]);
  });
});
