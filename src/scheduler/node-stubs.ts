import type { Node } from '../model/kinds';
import type { ObjectStore, ReadonlyObjectStore, Slot } from '../store/object-store';

/**
 * The Nodes the scheduler's snapshot is built from (Snapshot.ofStore) without parsing every Node
 * row: what the snapshot reads of a Node — its name, labels, spec.unschedulable and taints,
 * status.allocatable (capacity without it) and images — kept as a stub Node of those fields
 * only. The stubs are saved with the cluster (meta `scheduler-nodes`, with the file's Nodes'
 * `count:highest resourceVersion` they hold for, `nodeStubsToSave`) and taken up by the next
 * command while the file's Nodes are still those: a Node not written since load is its stub, one
 * written (or created) since is read as its object. At 5,000 Nodes the rows were 9.7 MB of JSON
 * parsed by each command that schedules (the stubs ~1.6 MB, read in one meta row).
 *
 * A NodeInfo reads only those fields (node-info.ts `nodeStatic`, snapshot.ts `nodeTreeOrder`), so a snapshot of
 * stubs is the same as one of the Nodes; its `node` is the stub (a clone copies it).
 */

interface Saved {
  /** the file's Nodes they hold for (ObjectStore.dependentsAsLoaded('Node')) */
  nodes: string;
  stubs: Node[];
}

interface State {
  /** the saved stubs, by name (undefined: none held for the file's Nodes) */
  loaded: Map<string, Node> | undefined;
  /** the text the file holds (or this store last saved) */
  saved: string | undefined;
  /** whether the snapshot asked for the nodes (only then is a save's text worth making) */
  asked: boolean;
}

const states = new WeakMap<ReadonlyObjectStore, State>();
const savedOf = new WeakMap<ReadonlyObjectStore, () => string | undefined>();

/** Tells the store's snapshot where the last save's stubs are (read when a snapshot is first built). */
export function nodeStubsSaved(store: ObjectStore, read: () => string | undefined): void {
  savedOf.set(store, read);
}

/** The fields of a Node the scheduler's snapshot reads, as a Node. */
export function nodeStub(node: Node): Node {
  const status = node.status;
  const stub: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: node.metadata.name } } as Node;
  // (the node tree's order is by creation, then name)
  if (node.metadata.creationTimestamp !== undefined) stub.metadata.creationTimestamp = node.metadata.creationTimestamp;
  if (node.metadata.labels !== undefined) stub.metadata.labels = node.metadata.labels;
  const spec = node.spec;
  if (spec !== undefined) {
    stub.spec = {};
    if (spec.unschedulable !== undefined) stub.spec.unschedulable = spec.unschedulable;
    if (spec.taints !== undefined) stub.spec.taints = spec.taints;
  }
  if (status !== undefined) {
    stub.status = {};
    if (status.allocatable !== undefined) stub.status.allocatable = status.allocatable;
    else if (status.capacity !== undefined) stub.status.capacity = status.capacity;
    if (status.images !== undefined) stub.status.images = status.images;
  }
  return stub;
}

/**
 * The store's Nodes in store order for a snapshot: a Node loaded and not written since is its
 * saved stub when the file's stubs hold for the Nodes as loaded, else the object (parsed).
 */
export function snapshotNodes(store: ReadonlyObjectStore): Node[] {
  const st = stateOf(store);
  st.asked = true;
  const out: Node[] = [];
  for (const slot of store.slotsInInsertionOrder('Node')) {
    out.push(keptStub(st, slot) ?? (slot.obj as Node));
  }
  return out;
}

/**
 * The stubs to save with the cluster (JSON), undefined when no snapshot asked for the nodes, or a
 * Node would have to be parsed for it (neither read nor held by the file's stubs), or they are
 * what the file holds.
 */
export function nodeStubsToSave(store: ReadonlyObjectStore): string | undefined {
  const st = states.get(store);
  if (!st?.asked) return undefined;
  const nodes = store.dependentsNow('Node');
  if (st.loaded !== undefined && st.saved !== undefined && nodes === store.dependentsAsLoaded('Node') && store.kindWrites('Node') === 0)
    return undefined;
  const stubs: Node[] = [];
  for (const slot of store.slotsInInsertionOrder('Node')) {
    const stub = keptStub(st, slot);
    if (stub !== undefined) stubs.push(stub);
    else if (slot.parsed) stubs.push(nodeStub(slot.obj as Node));
    else return undefined;
  }
  const text = JSON.stringify({ nodes, stubs } satisfies Saved);
  if (text === st.saved) return undefined;
  return (st.saved = text);
}

/** A Node's saved stub, while it is the Node as loaded (not written since, loaded from the file). */
function keptStub(st: State, slot: Slot): Node | undefined {
  return st.loaded !== undefined && slot.writes === 0 && slot.loadedVersion !== 0 ? st.loaded.get(slot.name) : undefined;
}

function stateOf(store: ReadonlyObjectStore): State {
  let st = states.get(store);
  if (st) return st;
  const text = savedOf.get(store)?.();
  let loaded: Map<string, Node> | undefined;
  if (text) {
    try {
      const saved = JSON.parse(text) as Saved;
      if (saved.nodes === store.dependentsAsLoaded('Node') && Array.isArray(saved.stubs))
        loaded = new Map(saved.stubs.filter((s) => typeof s?.metadata?.name === 'string').map((s) => [s.metadata.name, s]));
    } catch {
      // unreadable: the Nodes are parsed
    }
  }
  st = { loaded, saved: loaded ? text : undefined, asked: false };
  states.set(store, st);
  return st;
}
