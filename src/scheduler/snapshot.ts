import type { KObject } from '../api/types';
import { fromLabelSelector, fromMatchLabels, matches, type Selector } from '../api/labels';
import type { ObjectStore } from '../store/object-store';
import { NodeInfo, type ImageState } from './node-info';
import { podInfoOf, termMatchesPod, type AffinityTerm, type PodInfo } from './pod-info';

/** InterPodAffinityArgs.HardPodAffinityWeight default: existing pods' required affinity counts this much when scoring. */
export const HARD_POD_AFFINITY_WEIGHT = 1;

/** The topology domains of one label key: node index → domain id (-1: node lacks the label). */
export class TopologyDomains {
  readonly of: Int32Array;
  readonly names: string[] = [];
  readonly nodesWithKey: number;

  constructor(
    readonly key: string,
    nodes: readonly NodeInfo[],
  ) {
    this.of = new Int32Array(nodes.length);
    const ids = new Map<string, number>();
    let withKey = 0;
    for (const n of nodes) {
      const value = n.labels[key];
      if (value === undefined) {
        this.of[n.index] = -1;
        continue;
      }
      withKey++;
      let id = ids.get(value);
      if (id === undefined) {
        id = this.names.length;
        ids.set(value, id);
        this.names.push(value);
      }
      this.of[n.index] = id;
    }
    this.nodesWithKey = withKey;
  }

  get size(): number {
    return this.names.length;
  }
}

/**
 * How many pods matching one selector sit on each node and in each topology domain,
 * kept up to date as the scheduler assumes pods, so PodTopologySpread and
 * InterPodAffinity do not rescan every pod for every decision.
 */
export class PodCountIndex {
  readonly perNode: Int32Array;
  private readonly byKey = new Map<string, Int32Array>();

  constructor(
    private readonly snapshot: Snapshot,
    /** pods outside this namespace never match; undefined: any namespace */
    readonly namespace: string | undefined,
    private readonly matcher: (p: PodInfo) => boolean,
    /** PodTopologySpread skips terminating pods; InterPodAffinity counts them */
    readonly includeTerminating: boolean,
  ) {
    this.perNode = new Int32Array(snapshot.nodes.length);
    for (const node of snapshot.nodes) {
      let count = 0;
      for (const p of node.pods) if (this.matches(p)) count++;
      this.perNode[node.index] = count;
    }
  }

  matches(p: PodInfo): boolean {
    if (this.namespace !== undefined && p.namespace !== this.namespace) return false;
    if (!this.includeTerminating && p.terminating) return false;
    return this.matcher(p);
  }

  /** counts by domain id of `key` (nodes without the label are not counted) */
  domainCounts(key: string): Int32Array {
    let counts = this.byKey.get(key);
    if (!counts) {
      const domains = this.snapshot.domains(key);
      counts = new Int32Array(domains.size);
      for (let i = 0; i < this.perNode.length; i++) {
        const d = domains.of[i];
        if (d >= 0) counts[d] += this.perNode[i];
      }
      this.byKey.set(key, counts);
    }
    return counts;
  }

  add(p: PodInfo, node: NodeInfo, delta: number): void {
    if (!this.matches(p)) return;
    this.perNode[node.index] += delta;
    for (const [key, counts] of this.byKey) {
      const d = this.snapshot.domains(key).of[node.index];
      if (d >= 0) counts[d] += delta;
    }
  }
}

/** Existing pods' (anti-)affinity terms that are equal, counted per domain of the term's key. */
export class TermGroup {
  readonly counts: Int32Array;
  total = 0;

  constructor(
    readonly term: AffinityTerm,
    /** signed weight for scoring groups; 0 for required anti-affinity */
    readonly weight: number,
    readonly domains: TopologyDomains,
  ) {
    this.counts = new Int32Array(domains.size);
  }

  add(node: NodeInfo, delta: number): void {
    const d = this.domains.of[node.index];
    if (d < 0) return;
    this.counts[d] += delta;
    this.total += delta;
  }
}

/** Selector of a Service/ReplicaSet/StatefulSet/ReplicationController, for the default spread constraints. */
interface SpreadOwnerSelectors {
  services: Map<string, Selector[]>;
}

/**
 * The cluster as the scheduler sees it during one reconcile: every node with the pods
 * bound to it, plus the indexes the plugins need. Built once per pass; the scheduler's own
 * decisions are applied to it (assume) so later pods in the same pass see them.
 */
export class Snapshot {
  readonly nodes: NodeInfo[];
  readonly nodeByName = new Map<string, NodeInfo>();
  /** bumped whenever a pod is assumed or a pod is nominated */
  version = 0;
  readonly hasPreferNoScheduleTaints: boolean;
  readonly hasImages: boolean;
  readonly requiredAntiAffinityGroups = new Map<string, TermGroup>();
  readonly scoringTermGroups = new Map<string, TermGroup>();
  private readonly domainsByKey = new Map<string, TopologyDomains>();
  private readonly countIndexes = new Map<string, PodCountIndex>();
  private readonly indexesByNamespace = new Map<string, PodCountIndex[]>();
  private readonly anyNamespaceIndexes: PodCountIndex[] = [];
  private readonly namespaceLabelCache = new Map<string, Record<string, string> | undefined>();
  private ownerSelectors: SpreadOwnerSelectors | undefined;

  constructor(
    readonly store: ObjectStore,
    nodes: KObject[],
    boundPods: Iterable<KObject>,
  ) {
    this.nodes = nodeTreeOrder(nodes).map((n, i) => new NodeInfo(n, i));
    for (const n of this.nodes) this.nodeByName.set(n.name, n);
    for (const pod of boundPods) {
      const node = this.nodeByName.get(pod.spec?.nodeName);
      if (node) this.addToNode(podInfoOf(pod), node);
    }
    let preferNoSchedule = false;
    const imageNodes = new Map<string, ImageState>();
    for (const n of this.nodes) {
      if (n.taints.some((t) => t.effect === 'PreferNoSchedule')) preferNoSchedule = true;
      for (const image of n.images()) {
        for (const name of image.names) {
          const s = imageNodes.get(name);
          if (s) s.numNodes++;
          else imageNodes.set(name, { size: image.size, numNodes: 1 });
        }
      }
    }
    for (const n of this.nodes) {
      const images = n.images();
      if (!images.length) continue;
      n.imageStates = new Map();
      for (const image of images) for (const name of image.names) n.imageStates.set(name, imageNodes.get(name)!);
    }
    this.hasPreferNoScheduleTaints = preferNoSchedule;
    this.hasImages = imageNodes.size > 0;
  }

  get size(): number {
    return this.nodes.length;
  }

  domains(key: string): TopologyDomains {
    let d = this.domainsByKey.get(key);
    if (!d) {
      d = new TopologyDomains(key, this.nodes);
      this.domainsByKey.set(key, d);
    }
    return d;
  }

  /** A count index for a selector; `signature` identifies the matcher. */
  countIndex(signature: string, namespace: string | undefined, includeTerminating: boolean, matcher: (p: PodInfo) => boolean): PodCountIndex {
    const key = `${includeTerminating ? 'T' : 'L'}\u0000${namespace ?? '*'}\u0000${signature}`;
    let index = this.countIndexes.get(key);
    if (!index) {
      index = new PodCountIndex(this, namespace, matcher, includeTerminating);
      this.countIndexes.set(key, index);
      if (namespace === undefined) this.anyNamespaceIndexes.push(index);
      else {
        let list = this.indexesByNamespace.get(namespace);
        if (!list) this.indexesByNamespace.set(namespace, (list = []));
        list.push(index);
      }
    }
    return index;
  }

  namespaceLabels(namespace: string): Record<string, string> | undefined {
    if (!this.namespaceLabelCache.has(namespace)) this.namespaceLabelCache.set(namespace, this.store.get('Namespace', undefined, namespace)?.metadata.labels);
    return this.namespaceLabelCache.get(namespace);
  }

  /** Reserve: the pod is bound to the node from now on, for every later decision. */
  assume(p: PodInfo, node: NodeInfo): void {
    this.addToNode(p, node);
    const nominated = p.nominatedNodeName ? this.nodeByName.get(p.nominatedNodeName) : undefined;
    if (nominated) this.unnominate(p, nominated);
    this.version++;
  }

  nominate(p: PodInfo, node: NodeInfo): void {
    if (!node.nominatedPods.includes(p)) node.nominatedPods = [...node.nominatedPods, p];
    this.version++;
  }

  unnominate(p: PodInfo, node: NodeInfo): void {
    const i = node.nominatedPods.findIndex((q) => q.uid === p.uid);
    if (i >= 0) node.nominatedPods = node.nominatedPods.filter((_, j) => j !== i);
    this.version++;
  }

  private addToNode(p: PodInfo, node: NodeInfo): void {
    node.addPod(p);
    for (const index of this.indexesByNamespace.get(p.namespace) ?? []) index.add(p, node, 1);
    for (const index of this.anyNamespaceIndexes) index.add(p, node, 1);
    for (const term of p.requiredAntiAffinityTerms) this.group(this.requiredAntiAffinityGroups, term, 0).add(node, 1);
    for (const term of p.requiredAffinityTerms) this.group(this.scoringTermGroups, term, HARD_POD_AFFINITY_WEIGHT).add(node, 1);
    for (const w of p.preferredAffinityTerms) if (w.weight) this.group(this.scoringTermGroups, w.term, w.weight).add(node, 1);
    for (const w of p.preferredAntiAffinityTerms) if (w.weight) this.group(this.scoringTermGroups, w.term, -w.weight).add(node, 1);
  }

  private group(groups: Map<string, TermGroup>, term: AffinityTerm, weight: number): TermGroup {
    const key = `${weight}\u0000${term.signature}`;
    let g = groups.get(key);
    if (!g) {
      g = new TermGroup(term, weight, this.domains(term.topologyKey));
      groups.set(key, g);
    }
    return g;
  }

  /** Existing pods' terms (of the given groups) that select `pod`. */
  groupsMatching(groups: Map<string, TermGroup>, pod: PodInfo): TermGroup[] {
    const out: TermGroup[] = [];
    if (groups.size === 0) return out;
    const nsLabels = this.namespaceLabels(pod.namespace);
    for (const g of groups.values()) if (g.total > 0 && termMatchesPod(g.term, pod, nsLabels)) out.push(g);
    return out;
  }

  /**
   * helper.DefaultSelector: the labels selectors of the Services selecting the pod and of
   * its controlling ReplicaSet/StatefulSet/ReplicationController, merged. Empty → nothing.
   */
  defaultSpreadSelector(p: PodInfo): Selector {
    this.ownerSelectors ??= { services: servicesByNamespace(this.store) };
    let selector: Selector = [];
    const seen = new Set<string>();
    const addReqs = (reqs: Selector) => {
      for (const r of reqs) {
        const k = JSON.stringify(r);
        if (!seen.has(k)) {
          seen.add(k);
          selector = [...selector, r];
        }
      }
    };
    for (const s of this.ownerSelectors.services.get(p.namespace) ?? []) if (matches(s, p.labels)) addReqs(s);
    const owner = p.controller;
    if (owner) {
      const group = owner.apiVersion.includes('/') ? owner.apiVersion.split('/')[0] : '';
      const found = (kind: string) => this.store.get(kind, p.namespace, owner.name);
      if (group === '' && owner.kind === 'ReplicationController') {
        const rc = found('ReplicationController');
        if (rc?.spec?.selector) addReqs(fromMatchLabels(rc.spec.selector));
      } else if (group === 'apps' && (owner.kind === 'ReplicaSet' || owner.kind === 'StatefulSet')) {
        const obj = found(owner.kind);
        const s = obj ? fromLabelSelector(obj.spec?.selector) : null;
        if (s) addReqs(s);
      }
    }
    return selector;
  }
}

function servicesByNamespace(store: ObjectStore): Map<string, Selector[]> {
  const out = new Map<string, Selector[]>();
  for (const svc of store.values('Service')) {
    const sel = svc.spec?.selector;
    if (!sel || typeof sel !== 'object') continue;
    const ns = svc.metadata.namespace ?? 'default';
    let list = out.get(ns);
    if (!list) out.set(ns, (list = []));
    list.push(fromMatchLabels(sel));
  }
  return out;
}

/**
 * cache.nodeTree.list(): nodes grouped by zone (region + zone label), zones taken round
 * robin, so consecutive nodes in the scheduler's search come from different zones.
 */
export function nodeTreeOrder(nodes: KObject[]): KObject[] {
  const sorted = [...nodes].sort(byCreationThenName);
  const zones = new Map<string, KObject[]>();
  for (const n of sorted) {
    const labels = n.metadata.labels ?? {};
    const region = labels['topology.kubernetes.io/region'] ?? labels['failure-domain.beta.kubernetes.io/region'] ?? '';
    const zone = labels['topology.kubernetes.io/zone'] ?? labels['failure-domain.beta.kubernetes.io/zone'] ?? '';
    const key = region || zone ? `${region}:\u0000:${zone}` : '';
    let list = zones.get(key);
    if (!list) zones.set(key, (list = []));
    list.push(n);
  }
  if (zones.size <= 1) return sorted;
  const lists = [...zones.values()];
  const out: KObject[] = [];
  for (let i = 0; out.length < sorted.length; i++) for (const list of lists) if (i < list.length) out.push(list[i]);
  return out;
}

function byCreationThenName(a: KObject, b: KObject): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return naturalCompare(a.metadata.name, b.metadata.name);
}

/** node-2 before node-10: the order nodes are usually created in. */
export function naturalCompare(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    const da = ca >= 48 && ca <= 57;
    const db = cb >= 48 && cb <= 57;
    if (da && db) {
      let ei = i;
      while (ei < a.length && a.charCodeAt(ei) >= 48 && a.charCodeAt(ei) <= 57) ei++;
      let ej = j;
      while (ej < b.length && b.charCodeAt(ej) >= 48 && b.charCodeAt(ej) <= 57) ej++;
      const na = Number(a.slice(i, ei));
      const nb = Number(b.slice(j, ej));
      if (na !== nb) return na - nb;
      i = ei;
      j = ej;
      continue;
    }
    if (ca !== cb) return ca - cb;
    i++;
    j++;
  }
  return a.length - i - (b.length - j);
}
