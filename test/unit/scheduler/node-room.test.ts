import { describe, expect, it } from 'vitest';
import { NodeColumns, NodeInfo } from '../../../src/scheduler/node-info';
import { Random } from '../../../src/util/random';
import { podInfoOf } from '../../../src/scheduler/pod-info';
import { cluster, countIndexes, eventsOf, node, nodeOf, pod, schedule, snapshotOf } from './fixtures';

/**
 * The node search passes a pod's whole range of nodes at once when NodeColumns.everyNodeFits says
 * the fit check passes every node (scheduler.ts `search`): that answer must be the node-by-node
 * check's, however the nodes filled and emptied since it was first asked.
 */

/** The search's own check of one node (scheduler.ts `search`, inlined there). */
function fitsNode(c: NodeColumns, i: number, cpu: number, memory: number, ephemeral: number): boolean {
  return (
    c.podCount[i] + 1 <= c.allowedPodNumber[i] &&
    !(cpu > 0 && cpu > c.allocMilliCpu[i] - c.reqMilliCpu[i]) &&
    !(memory > 0 && memory > c.allocMemory[i] - c.reqMemory[i]) &&
    !(ephemeral > 0 && ephemeral > c.allocEphemeralStorage[i] - c.reqEphemeralStorage[i])
  );
}

describe('NodeColumns.everyNodeFits', () => {
  it('answers as the node-by-node check does while pods are added and taken out', () => {
    const shapes = [
      { cpu: '1', memory: '1Gi', pods: 4 },
      { cpu: '2', memory: '512Mi', pods: 6 },
      { cpu: '500m', memory: '2Gi', pods: 3 },
      { cpu: '4', memory: '4Gi', pods: 110 },
    ];
    const columns = new NodeColumns(shapes.length);
    const nodes = shapes.map((s, i) => new NodeInfo(node(`room-${i}`, s), i, columns));
    const random = Random.fromSeed(7);
    const requests = [
      [0, 0, 0],
      [100, 0, 0],
      [0, 128 * 2 ** 20, 0],
      [250, 256 * 2 ** 20, 0],
      [500, 64 * 2 ** 20, 0],
      [1000, 2 ** 30, 0],
      [1, 1, 1],
    ];
    const added: number[][][] = nodes.map(() => []);
    let fitsAll = 0;
    let fitsNotAll = 0;
    for (let step = 0; step < 1000; step++) {
      const k = random.int(nodes.length);
      const n = nodes[k];
      // adds and removals of pods added before (room freed: the bound must be found again)
      if (added[k].length > 1 && random.int(3) !== 0) {
        const [cpu, memory] = added[k].splice(random.int(added[k].length), 1)[0];
        n.addPlainShares(-1, -cpu, -memory, 0, -cpu, -memory);
      } else {
        const [cpu, memory] = requests[random.int(requests.length)];
        added[k].push([cpu, memory]);
        n.addPlainShares(1, cpu, memory, 0, cpu, memory);
      }
      for (const [cpu, memory, ephemeral] of requests) {
        let expected = true;
        for (let i = 0; i < nodes.length; i++) expected &&= fitsNode(columns, i, cpu, memory, ephemeral);
        expect(columns.everyNodeFits(cpu, memory, ephemeral), `step ${step}, requests ${cpu}/${memory}/${ephemeral}`).toBe(expected);
        if (expected) fitsAll++;
        else fitsNotAll++;
      }
    }
    // both answers were asked for many times
    expect(fitsAll).toBeGreaterThan(100);
    expect(fitsNotAll).toBeGreaterThan(100);
  });
});

describe('the node search when every node fits', () => {
  it('stops placing pods on nodes that filled up during the pass', () => {
    // three nodes of room for two pods each; seven pods: the seventh finds every node full
    const store = cluster([
      node('a', { pods: 2 }),
      node('b', { pods: 2 }),
      node('c', { pods: 2 }),
      ...Array.from({ length: 7 }, (_, i) => pod(`p${i}`, { cpu: '100m', memory: '64Mi' })),
    ]);
    const actions = schedule(store);
    const placed = new Map<string, number>();
    for (let i = 0; i < 7; i++) {
      const at = nodeOf(store, `p${i}`);
      if (at) placed.set(at, (placed.get(at) ?? 0) + 1);
    }
    expect(Object.fromEntries(placed)).toEqual({ a: 2, b: 2, c: 2 });
    expect(eventsOf(actions, 'FailedScheduling').map((e) => e.message)).toEqual([
      '0/3 nodes are available: 3 Too many pods. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..',
    ]);
  });

  it('finds the room a pod taken out left', () => {
    const store = cluster([node('a', { cpu: '1', pods: 110 }), node('b', { cpu: '1', pods: 110 })]);
    for (let i = 0; i < 4; i++) store.load(pod(`big${i}`, { cpu: '500m' }));
    schedule(store);
    expect(['big0', 'big1', 'big2', 'big3'].map((p) => nodeOf(store, p)).filter(Boolean)).toHaveLength(4);
    // the cluster is full for 500m; a pod of a taken out, then one more asking 500m goes there
    const onA = ['big0', 'big1', 'big2', 'big3'].find((p) => nodeOf(store, p) === 'a')!;
    store.drop('Pod', 'default', onA, store.nextResourceVersion());
    store.load(pod('late', { cpu: '500m' }));
    schedule(store);
    expect(nodeOf(store, 'late')).toBe('a');
  });
});

describe('a count index made before its first pod', () => {
  it('counts by domain the pods assumed since it was made', () => {
    const s = snapshotOf([node('z1', { zone: 'a' }), node('z2', { zone: 'b' }), node('z3', { zone: 'b' })]);
    const { web } = countIndexes(s);
    // nothing counted yet: the zone counts are made without a walk of the nodes, all 0
    expect([...web.domainCounts('kubernetes.io/hostname')]).toEqual([0, 0, 0]);
    const z3 = s.nodes.find((n) => n.name === 'z3')!;
    s.assume(podInfoOf(pod('w1', { labels: { app: 'web' } })), z3);
    s.assume(podInfoOf(pod('w2', { labels: { app: 'web' } })), z3);
    const zones = s.domains('topology.kubernetes.io/zone');
    // a key first asked for after the pods were assumed: counted from the nodes
    const byZone = web.domainCounts('topology.kubernetes.io/zone');
    expect(byZone[zones.of[z3.index]]).toBe(2);
    expect([...byZone].reduce((a, b) => a + b, 0)).toBe(2);
  });
});
