import type { Pod } from '../model/kinds';
import type { KObject } from '../model/objects';
import { scratchOf, type ObjectStore, type ReadonlyObjectStore, type Slot } from '../store/object-store';
import { parsePodFacts, rowFacts, type PodFacts } from '../store/pod-facts';

/**
 * What the kubelet's node view is made of (sim/kubelet.ts `nodeView`): per node, how many of its
 * pods have each host address of the node's /24 as their pod IP, and how many of their containers
 * have pulled each image. Counted from a node's pods the first time its view is built, then moved
 * by the pods written and deleted since (the store's write and drop logs), as the eviction
 * manager's memory sums are. Saved with the cluster (`nodePodCountsToSave`, meta `kubelet-nodes`)
 * and taken up by the next command while the file's pods are still those the save left: a view is
 * then built from the saved counts moved by the pods written since load, each taken out as its row
 * was at load, instead of reading the `facts` column of every pod on the node (~30 rows a node,
 * ~1,000 nodes in a 1,000-replica rollout: ~0.25 s at 150k pods).
 */
export interface NodePodCounts {
  /** the first three octets of the node's podCIDR the hosts are counted in */
  readonly base: string;
  /** pods by the last octet of their IP (those inside base only) */
  readonly hosts: Int32Array;
  /** containers whose image is pulled (imageID set), by image */
  readonly images: Map<string | undefined, number>;
  /** taken from the saved counts (a loaded pod not counted since is counted in them as loaded) */
  readonly fromFile: boolean;
}

/** What a pod adds to its node's counts. */
interface Share {
  ip: string | undefined;
  images: readonly (string | undefined)[];
}

/**
 * Where a pod's slot is counted (in its scratch array): in `counts` (the node's counts while they
 * are that object), nowhere (null: its node not counted when it was written), or `'loaded'`: as its
 * row was at load, in its node's counts from the file (taken when a loaded pod is first written).
 */
interface Counted extends Share {
  counts: NodePodCounts | null | 'loaded';
  node: string;
  /** the slot's write count when counted (a pod written twice in a pass is in the log twice) */
  writes: number;
}

interface State {
  nodes: Map<string, NodePodCounts>;
  /** saved counts not made into NodePodCounts yet, by node */
  file: Map<string, SavedNode>;
  fromFile: boolean;
  index: number;
  writes: number;
  drops: number;
  /** the images the saved counts name by number (the file's, then those added since), and their numbers */
  images: (string | undefined)[];
  imageNumbers: Map<string | undefined, number>;
  /** what the last save of this store wrote */
  saved?: string;
}

/**
 * [node, base, hosts: two hex digits a pod by the host of its IP, images: `number[*count]` (base
 * 36) a pulled image, comma-separated]: ~0.9 MB at 150k pods on 5,000 nodes (images as text, 2.6)
 */
type SavedNode = [string, string, string, string];
interface Saved {
  /** the file's pods they hold for (ObjectStore.dependentsAsLoaded('Pod')) */
  pods: string;
  /** the images the nodes' counts name, by number (null: a container status without an image) */
  images: (string | null)[];
  nodes: SavedNode[];
}

const states = new WeakMap<ReadonlyObjectStore, State>();
const savedOf = new WeakMap<ReadonlyObjectStore, () => string | undefined>();
const NO_IMAGES: readonly string[] = [];

/**
 * Tells the counts where the last save's are (read at the first view built or loaded pod written),
 * and has the store tell them of each loaded pod's first write (its share as loaded, from the
 * object: not its row's facts read again).
 */
export function nodePodCountsSaved(store: ObjectStore, read: () => string | undefined): void {
  savedOf.set(store, read);
  store.loadedListeners.set('node-pod-counts', (slot, loaded) => {
    if (loaded.kind === 'Pod') countLoaded(store, slot, loaded);
  });
}

/** The counts of a node's pods now, hosts counted in base (recounted from its pods if they were counted in another). */
export function nodePodCounts(store: ReadonlyObjectStore, node: string, base: string): NodePodCounts {
  const st = stateOf(store);
  catchUp(store, st);
  const counts = countsOf(st, node);
  return counts !== undefined && counts.base === base ? counts : recount(store, st, node, base);
}

/**
 * The counts to save with the cluster (JSON), brought up to the store's writes; undefined when
 * this command counted nothing or they are what the last save wrote.
 */
export function nodePodCountsToSave(store: ReadonlyObjectStore): string | undefined {
  const st = states.get(store);
  if (!st) return undefined;
  catchUp(store, st);
  const nodes: SavedNode[] = [...st.file.values()];
  for (const [name, c] of st.nodes) {
    let hosts = '';
    for (let h = 0; h < 256; h++) if (c.hosts[h] > 0) hosts += HEX[h].repeat(c.hosts[h]);
    let images = '';
    for (const [image, n] of c.images)
      if (n > 0) images += `${images ? ',' : ''}${imageNumber(st, image).toString(36)}${n > 1 ? `*${n.toString(36)}` : ''}`;
    // (a node with nothing counted costs nothing to count again)
    if (hosts || images) nodes.push([name, c.base, hosts, images]);
  }
  nodes.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const images = st.images.map((i) => i ?? null);
  const text = JSON.stringify({ pods: store.dependentsNow('Pod'), images, nodes } satisfies Saved);
  if (text === st.saved) return undefined;
  return (st.saved = text);
}

function imageNumber(st: State, image: string | undefined): number {
  let n = st.imageNumbers.get(image);
  if (n === undefined) {
    st.imageNumbers.set(image, (n = st.images.length));
    st.images.push(image);
  }
  return n;
}

const HEX = Array.from({ length: 256 }, (_, h) => h.toString(16).padStart(2, '0'));

function stateOf(store: ReadonlyObjectStore): State {
  let st = states.get(store);
  if (st) return st;
  const saved = savedCounts(store);
  const images = saved ? saved.images.map((i) => i ?? undefined) : [];
  st = {
    nodes: new Map(),
    file: new Map(saved?.nodes.filter((n) => Array.isArray(n) && typeof n[0] === 'string').map((n) => [n[0], n])),
    fromFile: saved !== undefined,
    index: store.newScratchIndex('Pod'),
    // (counts from the file are as of the load: every write since is moved into them)
    writes: saved ? 0 : store.writeLog.length,
    drops: saved ? 0 : store.dropCount,
    images,
    imageNumbers: new Map(images.map((i, n) => [i, n])),
  };
  states.set(store, st);
  return st;
}

/** The saved counts, if they hold for the pods as loaded. */
function savedCounts(store: ReadonlyObjectStore): Saved | undefined {
  const text = savedOf.get(store)?.();
  if (!text) return undefined;
  try {
    const saved = JSON.parse(text) as Saved;
    return saved.pods === store.dependentsAsLoaded('Pod') && Array.isArray(saved.nodes) && Array.isArray(saved.images) ? saved : undefined;
  } catch {
    return undefined; // unreadable: the nodes are counted from their pods
  }
}

/** A node's counts if known (made from the file's when first asked for). */
function countsOf(st: State, node: string): NodePodCounts | undefined {
  const counts = st.nodes.get(node);
  if (counts !== undefined || !node) return counts;
  const saved = st.file.get(node);
  if (saved === undefined) return undefined;
  st.file.delete(node);
  const made = fromSaved(st, saved);
  if (made) st.nodes.set(node, made);
  return made;
}

function fromSaved(st: State, saved: SavedNode): NodePodCounts | undefined {
  if (typeof saved[1] !== 'string' || typeof saved[2] !== 'string' || typeof saved[3] !== 'string') return undefined;
  const [, base, hostText, imageText] = saved;
  const hosts = new Int32Array(256);
  for (let i = 0; i + 1 < hostText.length; i += 2) {
    const h = parseInt(hostText.slice(i, i + 2), 16);
    if (!(h >= 0)) return undefined;
    hosts[h]++;
  }
  const images = new Map<string | undefined, number>();
  if (imageText)
    for (const entry of imageText.split(',')) {
      const star = entry.indexOf('*');
      const number = parseInt(star < 0 ? entry : entry.slice(0, star), 36);
      const n = star < 0 ? 1 : parseInt(entry.slice(star + 1), 36);
      if (!(number >= 0 && number < st.images.length && n > 0)) return undefined;
      images.set(st.images[number], n);
    }
  return { base, hosts, images, fromFile: true };
}

/** A node's counts made from its pods (rows unparsed: their facts), each pod's share kept. */
function recount(store: ReadonlyObjectStore, st: State, node: string, base: string): NodePodCounts {
  const counts: NodePodCounts = { base, hosts: new Int32Array(256), images: new Map(), fromFile: false };
  for (const slot of store.podSlotsOnNode(node)) {
    const share = currentShare(store, slot);
    add(counts, share, 1);
    scratchOf(slot)[st.index] = { counts, node, ip: share.ip, images: share.images, writes: slot.writes } satisfies Counted;
  }
  st.nodes.set(node, counts);
  st.file.delete(node);
  return counts;
}

/** Moves the counts by the pods written and deleted since the last look. */
function catchUp(store: ReadonlyObjectStore, st: State): void {
  const log = store.writeLog;
  for (; st.writes < log.length; st.writes++) {
    const slot = log[st.writes];
    if (!slot.removed) countWrite(store, st, slot);
  }
  for (; st.drops < store.dropCount; st.drops++) {
    const gone = store.dropLog[st.drops];
    if (gone.kind === 'Pod') takeOut(store, st, gone.slot, gone.obj);
  }
}

function countWrite(store: ReadonlyObjectStore, st: State, slot: Slot): void {
  const pod = slot.obj as Pod;
  if (pod.kind !== 'Pod') return;
  const counted = slot.scratch?.[st.index] as Counted | undefined;
  if (counted !== undefined && counted.writes === slot.writes && counted.counts !== 'loaded') return;
  takeOut(store, st, slot, undefined);
  const node = pod.spec?.nodeName ?? '';
  const counts = countsOf(st, node);
  const share = podShare(pod);
  if (counts !== undefined) add(counts, share, 1);
  // (the slot's record made again in place: the advance after a 150k apply counts 150,000 pods
  // here, each one's record kept to the end of the command)
  if (counted !== undefined && slot.scratch?.[st.index] === counted) {
    counted.counts = counts ?? null;
    counted.node = node;
    counted.ip = share.ip;
    counted.images = share.images;
    counted.writes = slot.writes;
  } else
    scratchOf(slot)[st.index] = { counts: counts ?? null, node, ip: share.ip, images: share.images, writes: slot.writes } satisfies Counted;
}

/** Takes a pod out of the counts it is counted in (gone: the object deleted, for a pod deleted unwritten). */
function takeOut(store: ReadonlyObjectStore, st: State, slot: Slot, gone: KObject | undefined): void {
  let counted = slot.scratch?.[st.index] as Counted | undefined;
  if (counted === undefined) {
    if (!st.fromFile || !slot.loadedVersion) return;
    counted = loadedCounted(store, slot, gone);
    if (counted === undefined) {
      // a loaded pod whose share at load is unknown: its node's saved counts cannot be moved
      const node = slot.rowNode || ((gone ?? slot.obj) as Pod).spec?.nodeName || '';
      if (st.nodes.get(node)?.fromFile) st.nodes.delete(node);
      st.file.delete(node);
      return;
    }
  }
  if (counted.counts === 'loaded') {
    const counts = counted.node ? countsOf(st, counted.node) : undefined;
    if (counts?.fromFile) add(counts, counted, -1);
  } else if (counted.counts !== null && st.nodes.get(counted.node) === counted.counts) add(counted.counts, counted, -1);
  counted.counts = null;
}

/**
 * A loaded pod first written: for counts from the file, its share as loaded is taken from the
 * object as loaded (what loadedCounted would read back from its row's facts).
 */
function countLoaded(store: ReadonlyObjectStore, slot: Slot, loaded: KObject): void {
  const st = stateOf(store);
  if (!st.fromFile || slot.scratch?.[st.index] !== undefined) return;
  const pod = loaded as Pod;
  const share = podShare(pod);
  scratchOf(slot)[st.index] = {
    counts: 'loaded',
    node: pod.spec?.nodeName ?? '',
    ip: share.ip,
    images: share.images,
    writes: 0,
  } satisfies Counted;
}

/** A loaded pod's share as its row was at load, on its node then (spec.nodeName never changes once set). */
function loadedCounted(store: ReadonlyObjectStore, slot: Slot, gone: KObject | undefined): Counted | undefined {
  let share: Share | undefined;
  let node: string | undefined;
  if (slot.writes === 0) {
    // not written since load: what it is now (a deletion read the object)
    if (gone !== undefined || slot.parsed) {
      const pod = (gone ?? slot.obj) as Pod;
      share = podShare(pod);
      node = pod.spec?.nodeName ?? '';
    } else {
      share = currentShare(store, slot);
      node = slot.rowNode || ((slot.obj as Pod).spec?.nodeName ?? '');
    }
  } else {
    const text = store.loadedRowFactsText(slot);
    const facts = text === undefined ? undefined : parsePodFacts(text);
    if (facts && slot.rowUid !== '') {
      share = factsShare(facts);
      node = slot.rowNode;
    }
  }
  if (share === undefined || node === undefined) return undefined;
  return { counts: 'loaded', node, ip: share.ip, images: share.images, writes: 0 };
}

/** A pod's share as it is now: from its row's facts while not written since load, else the object. */
function currentShare(store: ReadonlyObjectStore, slot: Slot): Share {
  const facts = rowFacts(slot, store);
  return facts ? factsShare(facts) : podShare(slot.obj as Pod);
}

function factsShare(facts: PodFacts): Share {
  let images: (string | undefined)[] | undefined;
  for (const c of facts.containers) if (c.pulled) (images ??= []).push(c.image);
  return { ip: facts.podIP, images: imageList(images) };
}

function podShare(pod: Pod): Share {
  let images: (string | undefined)[] | undefined;
  const status = pod.status;
  for (const s of status?.containerStatuses ?? []) if (s.imageID) (images ??= []).push(s.image);
  const ip = status?.podIP;
  return { ip: typeof ip === 'string' ? ip : undefined, images: imageList(images) };
}

function imageList(images: (string | undefined)[] | undefined): readonly (string | undefined)[] {
  return images === undefined ? NO_IMAGES : images.length === 1 ? oneImage(images[0]) : images;
}

/**
 * One list per image for the pods of one pulled image (most): a counted pod keeps its list to the
 * end of the command, and 150,000 lists of one were ~5 MB copied into the old space at the save.
 */
function oneImage(image: string | undefined): readonly (string | undefined)[] {
  let list = imageLists.get(image);
  if (list === undefined) {
    if (imageLists.size >= 10_000) imageLists.clear();
    imageLists.set(image, (list = [image]));
  }
  return list;
}

const imageLists = new Map<string | undefined, readonly (string | undefined)[]>();

function add(counts: NodePodCounts, share: Share, by: 1 | -1): void {
  const host = hostOf(share.ip, counts.base);
  if (host >= 0) counts.hosts[host] += by;
  for (const image of share.images) counts.images.set(image, (counts.images.get(image) ?? 0) + by);
}

/** The host number of an address in the /24 base, -1 outside it (hostNetwork pods have the node's). */
function hostOf(ip: string | undefined, base: string): number {
  if (typeof ip === 'string' && ip.length > base.length + 1 && ip.startsWith(base) && ip[base.length] === '.') {
    const host = Number(ip.slice(base.length + 1));
    if (Number.isInteger(host) && host >= 0 && host < 256) return host;
  }
  return -1;
}
