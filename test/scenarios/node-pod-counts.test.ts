import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';
import { commandsOn, copyWithMeta, readStateMeta, writeStateMeta } from '../support/state-meta';

/**
 * The kubelet's per-node counts of its pods' IPs and pulled images (sim/node-pod-counts.ts) are
 * saved with the cluster (meta `kubelet-nodes`) and taken up by the next command while the file's
 * pods are those the save left: a node's view is built from them, moved by the pods written since
 * load, instead of reading every pod on it. What any command shows is the same as when the view
 * is made from the pods; counts that are stale or missing are made again from the pods.
 */

const META = 'kubelet-nodes';

const readMeta = (state: string) => readStateMeta(state, META);
const writeMeta = (state: string, value: string | undefined) => writeStateMeta(state, META, value);

/** Two nodes with 3 running pods each, settled. */
async function settled() {
  const c = await manualCluster(['--nodes', '2']);
  expect((await c.run('create', 'deployment', 'w', '--image=nginx:1.25', '--replicas=6')).code).toBe(0);
  expect((await c.run('clock', 'advance', '30s')).code).toBe(0);
  return c;
}

/**
 * Pods deleted (their addresses free again), created (each takes the lowest free address of its
 * node), a new image (pulled) and the old one (present on the node), one command each; prints the
 * pods' addresses and the events. `beforeEach` runs before each command.
 */
async function course(state: string, dir: string, beforeEach = () => {}): Promise<string> {
  const run = commandsOn(state, dir, beforeEach);
  const pods = (await run('get', 'pods', '-o', 'name', '--sort-by=.status.podIP')).trim().split('\n');
  await run('delete', pods[0], pods[3], '--wait=false');
  await run('clock', 'advance', '30s');
  await run('scale', 'deployment', 'w', '--replicas=8');
  await run('clock', 'advance', '30s');
  await run('set', 'image', 'deployment/w', 'nginx=nginx:1.27');
  await run('clock', 'advance', '2m');
  await run('set', 'image', 'deployment/w', 'nginx=nginx:1.25');
  await run('clock', 'advance', '2m');
  return [
    await run('get', 'pods', '-o', 'custom-columns=NAME:.metadata.name,NODE:.spec.nodeName,IP:.status.podIP', '--sort-by=.status.podIP'),
    await run(
      'get',
      'events',
      '--sort-by=.metadata.name',
      '-o',
      'custom-columns=REASON:.reason,OBJECT:.involvedObject.name,MESSAGE:.message',
    ),
  ].join('\n');
}

describe("the kubelet's node counts saved with the cluster", () => {
  it('saves each node counted: its pods by address, its pulled images, and the pods they hold for', async () => {
    const c = await settled();
    const saved = JSON.parse(readMeta(c.state)!) as { pods: string; images: string[]; nodes: string[][] };
    expect(saved.pods).toMatch(/^6:\d+$/);
    expect(saved.images).toEqual(['nginx:1.25']);
    expect(saved.nodes).toEqual([
      ['node-1', '10.244.0', '020304', '0*3'],
      ['node-2', '10.244.1', '020304', '0*3'],
    ]);
  });

  it('a command taking up the saved counts shows what one counting the pods shows; stale or missing counts are made again', async () => {
    const c = await settled();
    const saved = readMeta(c.state)!;
    const copy = (name: string, meta: string | undefined) => copyWithMeta(c.state, `${c.dir}/${name}.db`, META, meta);
    const fromCounts = await course(copy('counts', saved), c.dir);
    const pods = copy('pods', undefined);
    const fromPods = await course(pods, c.dir, () => writeMeta(pods, undefined));
    expect(fromCounts).toContain('already present on machine');
    expect(fromCounts).toBe(fromPods);
    // counts that hold for other pods are not taken up (here: every address and no image taken)
    const wrongNodes = (pods: string) =>
      JSON.stringify({
        ...JSON.parse(saved),
        pods,
        nodes: [
          ['node-1', '10.244.0', '02030405060708090a', ''],
          ['node-2', '10.244.1', '02030405060708090a', ''],
        ],
      });
    expect(await course(copy('stale', wrongNodes('6:1')), c.dir)).toBe(fromPods);
    // (and the counts are what the command reads: wrong ones for these pods change what it does)
    expect(await course(copy('wrong', wrongNodes(JSON.parse(saved).pods)), c.dir)).not.toBe(fromPods);
    // unreadable counts are made again from the pods
    expect(await course(copy('unreadable', '{"pods":'), c.dir)).toBe(fromPods);
  });
});
