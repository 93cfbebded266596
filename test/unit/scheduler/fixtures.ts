import type { KObject } from '../../../src/model/objects';
import type { PodCondition } from '../../../src/model/k8s';
import type { Node, Pod } from '../../../src/model/kinds';
import { ObjectStore } from '../../../src/store/object-store';
import { makeNode } from '../../../src/api/kinds/node';
import { applyAction } from '../../../src/engine/applier';
import type { Action } from '../../../src/reconcile/actions';
import { Random } from '../../../src/util/random';
import { toRFC3339 } from '../../../src/util/duration';
import { schedulerController } from '../../../src/scheduler/controller';
import { naturalCompare, Snapshot } from '../../../src/scheduler/snapshot';
import { podInfoOf, type PodInfo } from '../../../src/scheduler/pod-info';
import { matches, type Selector } from '../../../src/api/labels';
import type { Plugin } from '../../../src/scheduler/framework';
import { Status } from '../../../src/scheduler/status';

/** Virtual now for scheduler tests. */
export const NOW = Date.parse('2025-01-01T00:00:00Z');

export interface NodeOptions {
  cpu?: string;
  memory?: string;
  pods?: number;
  zone?: string;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  unschedulable?: boolean;
  images?: { names: string[]; sizeBytes: number }[];
}

let nodeIndex = 0;

export function node(name: string, opts: NodeOptions = {}): Node {
  const n = makeNode(
    name,
    nodeIndex++,
    { cpu: opts.cpu ?? '4', memory: opts.memory ?? '16Gi', pods: opts.pods ?? 110, zone: opts.zone, labels: opts.labels },
    NOW,
  );
  n.metadata.uid = `uid-node-${name}`;
  n.metadata.creationTimestamp = toRFC3339(NOW);
  if (opts.taints) n.spec.taints = opts.taints;
  if (opts.unschedulable) n.spec.unschedulable = true;
  if (opts.images) n.status!.images = opts.images;
  return n;
}

export interface PodOptions {
  namespace?: string;
  labels?: Record<string, string>;
  cpu?: string;
  memory?: string;
  nodeName?: string;
  priority?: number;
  preemptionPolicy?: string;
  created?: number;
  /** extra spec fields (affinity, tolerations, topologySpreadConstraints, nodeSelector…) */
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  ownerReferences?: KObject['metadata']['ownerReferences'];
  ports?: { containerPort: number; hostPort?: number; protocol?: string }[];
}

export function pod(name: string, opts: PodOptions = {}): Pod {
  const requests: Record<string, string> = {};
  if (opts.cpu) requests.cpu = opts.cpu;
  if (opts.memory) requests.memory = opts.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: opts.namespace ?? 'default',
      uid: `uid-${name}`,
      resourceVersion: '1',
      creationTimestamp: toRFC3339(opts.created ?? NOW),
      labels: opts.labels,
      ownerReferences: opts.ownerReferences,
    },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'nginx:1.25',
          resources: Object.keys(requests).length ? { requests } : {},
          ...(opts.ports ? { ports: opts.ports } : {}),
        },
      ],
      schedulerName: 'default-scheduler',
      priority: opts.priority ?? 0,
      preemptionPolicy: opts.preemptionPolicy ?? 'PreemptLowerPriority',
      ...(opts.nodeName ? { nodeName: opts.nodeName } : {}),
      ...(opts.spec ?? {}),
    },
    status: { phase: opts.nodeName ? 'Running' : 'Pending', ...(opts.status ?? {}) },
  };
}

export function cluster(objects: KObject[]): ObjectStore {
  const store = new ObjectStore();
  for (const ns of ['default', 'kube-system']) {
    store.load({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns, uid: `uid-ns-${ns}`, labels: { 'kubernetes.io/metadata.name': ns } },
      spec: {},
      status: { phase: 'Active' },
    });
  }
  for (const o of objects) store.load(o);
  return store;
}

/** One scheduler pass; its actions applied to the store like the engine does. */
export function schedule(store: ObjectStore, random = Random.fromSeed(1), now = NOW): Action[] {
  const actions = schedulerController.reconcileAll!({ store, now, random });
  for (const a of actions) applyAction(store, random, now, a);
  return actions;
}

export function nodeOf(store: ObjectStore, name: string, namespace = 'default'): string | undefined {
  return store.get('Pod', namespace, name)?.spec?.nodeName;
}

export function podScheduled(store: ObjectStore, name: string, namespace = 'default'): PodCondition | undefined {
  return (store.get('Pod', namespace, name)?.status?.conditions ?? []).find((c) => c.type === 'PodScheduled');
}

export function eventsOf(actions: Action[], reason?: string): { name: string; type: string; reason: string; message: string }[] {
  const out: { name: string; type: string; reason: string; message: string }[] = [];
  for (const a of actions)
    if (a.type === 'event' && (!reason || a.event.reason === reason))
      out.push({ name: a.event.involved.name, type: a.event.type, reason: a.event.reason, message: a.event.message });
  return out;
}

/** A snapshot of these nodes with the bound pods among `objects` on them. */
export function snapshotOf(objects: KObject[]): Snapshot {
  const store = cluster(objects);
  return new Snapshot(
    store,
    [...store.values('Node')],
    [...store.values('Pod')].filter((p) => p.spec?.nodeName),
  );
}

/** What one plugin's PreFilter + Filter says about each node: 'ok', 'skip', or the reasons. */
export function filterResults(plugin: Plugin, incoming: Pod, objects: KObject[]): Record<string, string> {
  const snapshot = snapshotOf(objects);
  const bound = plugin.preFilter!(podInfoOf(incoming), snapshot);
  const out: Record<string, string> = {};
  for (const n of byName(snapshot.nodes)) {
    if (bound instanceof Status) out[n.name] = bound.code === 5 ? 'skip' : `prefilter: ${bound.message()}`;
    else if (bound.nodeNames && !bound.nodeNames.has(n.name)) out[n.name] = 'not in PreFilterResult';
    else {
      const status = bound.filter(n);
      // the node search's early check (PodFilter.rejects) must say exactly what filter() says
      if (bound.rejects && bound.rejects(n) !== (status !== null))
        throw new Error(`${plugin.name}: rejects(${n.name}) is ${bound.rejects(n)}, filter gave ${status?.message() ?? 'ok'}`);
      const table = bound.rejectedDomains;
      if (table && (table.rejected[table.of[n.index] + 1] === 1) !== (status !== null))
        throw new Error(`${plugin.name}: rejectedDomains for ${n.name} disagrees with filter (${status?.message() ?? 'ok'})`);
      out[n.name] = status?.message() ?? 'ok';
    }
  }
  return out;
}

/** One plugin's normalized scores for every node ('skip' when PreScore skips). */
export function scoreResults(plugin: Plugin, incoming: Pod, objects: KObject[]): Record<string, number> | 'skip' {
  const snapshot = snapshotOf(objects);
  const scorer = plugin.preScore!(podInfoOf(incoming), snapshot.nodes, snapshot);
  if (scorer instanceof Status) return 'skip';
  const scores = new Float64Array(snapshot.nodes.map((n) => scorer.score(n)));
  if (scorer.scoreAll) {
    // the batch form must give exactly what score() gives node by node, for nodes in any order
    // (it reads the snapshot's columns at index[i], not the i-th node's)
    const reversed = [...snapshot.nodes].reverse();
    const batch = new Float64Array(reversed.length);
    scorer.scoreAll(
      reversed,
      batch,
      Int32Array.from(reversed, (n) => n.index),
    );
    const expected = [...scores].reverse();
    if (batch.join() !== expected.join())
      throw new Error(`${plugin.name}: scoreAll gave [${batch.join()}], score gave [${expected.join()}]`);
  }
  scorer.normalize?.(scores, snapshot.nodes);
  const byNode = new Map(snapshot.nodes.map((n, i) => [n.name, scores[i]]));
  const out: Record<string, number> = {};
  for (const n of byName(snapshot.nodes)) out[n.name] = byNode.get(n.name)!;
  return out;
}

/** Results keyed in node-name order (the snapshot itself interleaves zones). */
function byName<T extends { name: string }>(nodes: readonly T[]): T[] {
  return [...nodes].sort((a, b) => naturalCompare(a.name, b.name));
}

const WEB: Selector = [{ key: 'app', operator: 'In', values: ['web'] }];
const ANY_APP: Selector = [{ key: 'app', operator: 'Exists', values: [] }];

/** Two count indexes a snapshot-equality test reads: pods `app=web` in default, pods with any `app` in every namespace. */
export function countIndexes(s: Snapshot) {
  return {
    web: s.countIndex('web', 'default', false, (p: PodInfo) => matches(WEB, p.labels), 'app=web'),
    any: s.countIndex('any', undefined, true, (p: PodInfo) => matches(ANY_APP, p.labels), undefined),
  };
}

/** A snapshot's term groups with any count, as plain arrays to compare. */
export function termGroups(m: Map<string, { counts: Int32Array; total: number }>) {
  return Object.fromEntries([...m].filter(([, g]) => g.total !== 0).map(([k, g]) => [k, [...g.counts]]));
}
