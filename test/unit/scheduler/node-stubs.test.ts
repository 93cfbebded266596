import { describe, expect, it } from 'vitest';
import { manualCluster } from '../../support/cli';
import { deploymentYaml } from '../../support/manifests';
import { StateFile } from '../../../src/store/state-file';
import type { ObjectStore } from '../../../src/store/object-store';
import { Snapshot } from '../../../src/scheduler/snapshot';
import { nodeStubsSaved } from '../../../src/scheduler/node-stubs';
import type { Node } from '../../../src/model/kinds';

/**
 * The scheduler's snapshot takes the Nodes as the last save's stubs (meta `scheduler-nodes`) while
 * the file's Nodes are those the save left: what it reads of them (order, labels, taints,
 * cordon, allocatable, images) must be the same as from the Node objects, without parsing a Node
 * row; a Node written since (in the file or in the store) is read as its object.
 */

/** What the snapshot's plugins read of its nodes. */
function nodes(s: Snapshot) {
  return s.nodes.map((n) => ({
    name: n.name,
    index: n.index,
    labels: n.labels,
    taints: n.taints,
    unschedulable: n.unschedulable,
    alloc: [n.allocMilliCpu, n.allocMemory, n.allocEphemeralStorage, n.allowedPodNumber, n.allocScalar],
    images: n.imageStates && [...n.imageStates],
  }));
}

/** ofStore's nodes and those of a snapshot of the Node objects, the Node rows the first parsed, and the stubs' statuses. */
function snapshots(file: string, change?: (store: ObjectStore) => void) {
  const { state } = StateFile.open(file);
  try {
    return state.transaction(() => {
      const store = state.load();
      nodeStubsSaved(store, () => state.getMeta('scheduler-nodes'));
      change?.(store);
      const built = Snapshot.ofStore(store);
      const parsed = [...store.slotsInInsertionOrder('Node')].filter((slot) => slot.parsed).map((slot) => slot.name);
      return {
        built: nodes(built),
        parsed,
        objects: nodes(new Snapshot(store, [...store.values('Node')], [])),
        statuses: built.nodes.map((n) => n.node.status),
      };
    });
  } finally {
    state.close();
  }
}

/** The file's saved stubs (meta `scheduler-nodes`), read and (`text`) replaced. */
function savedStubs(file: string, text?: string): string {
  const { state } = StateFile.open(file);
  try {
    return state.transaction(() => {
      if (text !== undefined) state.setMeta('scheduler-nodes', text);
      return state.getMeta('scheduler-nodes')!;
    });
  } finally {
    state.close();
  }
}

async function cluster() {
  const c = await manualCluster(['--nodes', '4']);
  for (const args of [
    ['taint', 'node', 'node-2', 'dedicated=db:NoSchedule'],
    ['label', 'node', 'node-3', 'disk=ssd', 'topology.kubernetes.io/zone=zone-x', '--overwrite'],
    ['cordon', 'node-4'],
  ])
    expect((await c.run(...args)).code).toBe(0);
  const manifest = deploymentYaml({ name: 'web', replicas: 3, container: 'c', resources: '{requests: {cpu: 100m}}' });
  expect((await c.run('apply', '-f', c.file('web.yaml', manifest))).code).toBe(0);
  return c;
}

describe('the scheduler snapshot’s saved Node stubs', () => {
  it('builds the same nodes from the stubs as from the Nodes, parsing no Node row', async () => {
    const c = await cluster();
    const { built, parsed, objects } = snapshots(c.state);
    expect(parsed).toEqual([]);
    expect(built).toEqual(objects);
    expect(built.map((n) => [n.name, n.taints.length, n.unschedulable])).toEqual([
      ['node-1', 0, false],
      ['node-2', 1, false],
      ['node-3', 0, false],
      ['node-4', 1, true],
    ]);
  });

  it('reads a Node written since the save as its object, in the file or in the store', async () => {
    const c = await cluster();
    // (labelled by a command that schedules nothing: the file's stubs no longer hold for its Nodes)
    expect((await c.run('label', 'node', 'node-1', 'tier=front')).code).toBe(0);
    const stale = snapshots(c.state);
    expect(stale.built).toEqual(stale.objects);
    expect(stale.built[0].labels.tier).toBe('front');
    expect(stale.parsed).toHaveLength(4);
    // a scheduling command saves them again, then one Node written in the store is read as written
    // (node-1 shares zone-a with node-4: the tree orders them by creation time, then name)
    expect((await c.run('scale', 'deployment/web', '--replicas=4')).code).toBe(0);
    const written = snapshots(c.state, (store) => {
      const node = structuredClone(store.get('Node', undefined, 'node-1')!) as Node;
      node.metadata.labels = { ...node.metadata.labels, disk: 'hdd' };
      node.metadata.resourceVersion = store.nextResourceVersion();
      store.put(node);
    });
    expect(written.parsed).toEqual(['node-1']);
    expect(written.built).toEqual(written.objects);
    expect(written.built.map((n) => n.name)).toEqual(['node-1', 'node-2', 'node-3', 'node-4']);
    expect(written.built[0].labels).toMatchObject({ disk: 'hdd', tier: 'front' });
  });

  it('saves equal statuses once, read as one object, and reads stubs saved as Nodes by an earlier build', async () => {
    const c = await cluster();
    const saved = JSON.parse(savedStubs(c.state)) as { nodes: string; stubs: unknown[][]; shared: unknown[] };
    // (the four Nodes' statuses are equal: saved once; node-2's taint and node-4's cordon are in their specs)
    expect(saved.stubs.map((row) => row[0])).toEqual(['node-1', 'node-2', 'node-3', 'node-4']);
    const statuses = new Set(saved.stubs.map((row) => row[4]));
    expect(statuses.size).toBe(1);
    const read = snapshots(c.state);
    expect(read.parsed).toEqual([]);
    expect(read.built).toEqual(read.objects);
    expect(new Set(read.statuses).size).toBe(1);
    // the same stubs as an earlier build saved them (each a Node): read, then saved as rows by the next command that schedules
    const asNodes = saved.stubs.map(([name, created, labels, spec, status]) => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, creationTimestamp: saved.shared[created as number], labels },
      spec: saved.shared[spec as number],
      status: saved.shared[status as number],
    }));
    savedStubs(c.state, JSON.stringify({ nodes: saved.nodes, stubs: asNodes }));
    const earlier = snapshots(c.state);
    expect(earlier.parsed).toEqual([]);
    expect(earlier.built).toEqual(read.built);
    expect((await c.run('scale', 'deployment/web', '--replicas=4')).code).toBe(0);
    expect(JSON.parse(savedStubs(c.state))).toMatchObject({ nodes: saved.nodes, shared: saved.shared });
  });
});
