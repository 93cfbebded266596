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
  /**
   * each a row `[name, creationTimestamp, labels, spec, status]`, the timestamp, spec and status
   * as their place in `shared` (-1: none), labels as they are (0: none): Nodes made from one
   * shape share those, saved once (half the text at 5,000 Nodes) and read as one object (its
   * numbers read once, node-info.ts). (A file saved before `shared` was added has the stubs as Nodes.)
   */
  stubs: StubRow[] | Node[];
  shared?: unknown[];
}

type StubRow = [name: string, creationTimestamp: number, labels: Record<string, string> | null | 0, spec: number, status: number];

interface State {
  /** the saved stubs, by name (undefined: none held for the file's Nodes) */
  loaded: Map<string, Node> | undefined;
  /** the text the file holds (or this store last saved) */
  saved: string | undefined;
  /** whether the snapshot asked for the nodes (only then is a save's text worth making) */
  asked: boolean;
  /** the file's stubs are saved as rows (else, saved by an earlier build, the next save writes them so) */
  rows: boolean;
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
  if (
    st.loaded !== undefined &&
    st.saved !== undefined &&
    st.rows &&
    nodes === store.dependentsAsLoaded('Node') &&
    store.kindWrites('Node') === 0
  )
    return undefined;
  const stubs: Node[] = [];
  for (const slot of store.slotsInInsertionOrder('Node')) {
    const stub = keptStub(st, slot);
    if (stub !== undefined) stubs.push(stub);
    else if (slot.parsed) stubs.push(nodeStub(slot.obj as Node));
    else return undefined;
  }
  const text = JSON.stringify(toSaved(nodes, stubs));
  if (text === st.saved) return undefined;
  return (st.saved = text);
}

/** The stubs as saved: each a row, equal creation timestamps, specs and statuses shared (by identity, then by JSON text). */
function toSaved(nodes: string, stubs: Node[]): Saved {
  const shared: unknown[] = [];
  const byObject = new Map<unknown, number>();
  const byText = new Map<string, number>();
  const place = (value: unknown): number => {
    if (value === undefined) return -1;
    let at = byObject.get(value);
    if (at !== undefined) return at;
    const text = JSON.stringify(value);
    at = byText.get(text);
    if (at === undefined) {
      byText.set(text, (at = shared.length));
      shared.push(value);
    }
    byObject.set(value, at);
    return at;
  };
  const rows = stubs.map((stub): StubRow => [
    stub.metadata.name,
    place(stub.metadata.creationTimestamp),
    stub.metadata.labels === undefined ? 0 : stub.metadata.labels,
    place(stub.spec),
    place(stub.status),
  ]);
  return { nodes, stubs: rows, shared };
}

/** The saved stubs by name (undefined: not readable). */
function stubsOf(saved: Saved): Map<string, Node> | undefined {
  if (!Array.isArray(saved.stubs)) return undefined;
  const out = new Map<string, Node>();
  const shared = saved.shared;
  if (shared === undefined) {
    for (const s of saved.stubs as Node[]) if (typeof s?.metadata?.name === 'string') out.set(s.metadata.name, s);
    return out;
  }
  if (!Array.isArray(shared)) return undefined;
  const at = (i: unknown): unknown => (typeof i === 'number' && i >= 0 ? shared[i] : undefined);
  for (const row of saved.stubs as StubRow[]) {
    if (!Array.isArray(row) || typeof row[0] !== 'string') return undefined;
    const [name, created, labels, spec, status] = row;
    // (as nodeStub makes it: the same fields, in the same order)
    const stub = { apiVersion: 'v1', kind: 'Node', metadata: { name } } as Node;
    const creationTimestamp = at(created);
    if (creationTimestamp !== undefined) stub.metadata.creationTimestamp = creationTimestamp as string;
    if (labels !== 0) stub.metadata.labels = labels as Record<string, string>;
    const specValue = at(spec);
    if (specValue !== undefined) stub.spec = specValue as Node['spec'];
    const statusValue = at(status);
    if (statusValue !== undefined) stub.status = statusValue as Node['status'];
    out.set(name, stub);
  }
  return out;
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
  let rows = false;
  if (text) {
    try {
      const saved = JSON.parse(text) as Saved;
      if (saved.nodes === store.dependentsAsLoaded('Node')) loaded = stubsOf(saved);
      rows = saved.shared !== undefined;
    } catch {
      // unreadable: the Nodes are parsed
    }
  }
  st = { loaded, saved: loaded ? text : undefined, asked: false, rows };
  states.set(store, st);
  return st;
}
