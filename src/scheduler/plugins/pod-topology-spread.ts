import type { TopologySpreadConstraint } from '../../model/k8s';
import { fromLabelSelector, matches, type Selector } from '../../api/labels';
import { MAX_NODE_SCORE, type DomainVerdicts, type NormalizedTable, type Plugin, type PodFilter, type PodScorer } from '../framework';
import type { NodeInfo } from '../node-info';
import { requiredNodeAffinity, type RequiredNodeAffinity } from '../node-selector';
import type { PodInfo } from '../pod-info';
import { selectorAnchor, type PodCountIndex, type Snapshot, type TopologyDomains } from '../snapshot';
import { SKIP, unresolvable, unschedulable, type Status } from '../status';
import { firstUntoleratedTaint } from '../taints';

export const POD_TOPOLOGY_SPREAD = 'PodTopologySpread';
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

const HOSTNAME = 'kubernetes.io/hostname';
const MAX_INT32 = 2147483647;

const SKEW_REJECTED = unschedulable(POD_TOPOLOGY_SPREAD, ERR_REASON_CONSTRAINTS_NOT_MATCH);
const LABEL_REJECTED = unresolvable(POD_TOPOLOGY_SPREAD, ERR_REASON_NODE_LABEL_NOT_MATCH);

/** The scheduler's system default constraints (podtopologyspread systemDefaultConstraints). */
export const SYSTEM_DEFAULT_CONSTRAINTS: TopologySpreadConstraint[] = [
  { topologyKey: HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
];

export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  /** null selects nothing */
  selector: Selector | null;
  minDomains: number;
  honorNodeAffinity: boolean;
  honorNodeTaints: boolean;
}

/** filterTopologySpreadConstraints: the pod's constraints with this whenUnsatisfiable, matchLabelKeys merged. */
export function spreadConstraints(
  list: TopologySpreadConstraint[] | undefined,
  podLabels: Record<string, string>,
  action: string,
): SpreadConstraint[] {
  const out: SpreadConstraint[] = [];
  for (const c of list ?? []) {
    if (c.whenUnsatisfiable !== action) continue;
    let selector = fromLabelSelector(c.labelSelector);
    if (selector !== null && c.matchLabelKeys) {
      for (const key of c.matchLabelKeys) if (key in podLabels) selector = [...selector, { key, operator: 'In', values: [podLabels[key]] }];
    }
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      minDomains: c.minDomains ?? 1,
      honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
      honorNodeTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
    });
  }
  return out;
}

/** PodTopologySpreadArgs: the constraints given to pods without their own, and whether they are the system's. */
export interface SpreadDefaults {
  /** a key for memos: equal defaults, equal id */
  id: string;
  constraints: TopologySpreadConstraint[];
  /** defaultingType System (only then may nodes lack a constraint's key and still be scored) */
  system: boolean;
}

const SYSTEM_DEFAULTS: SpreadDefaults = { id: 'system', constraints: SYSTEM_DEFAULT_CONSTRAINTS, system: true };

/** buildDefaultConstraints: the default constraints, selecting the pods of the same Services/controller. */
function defaultConstraints(pod: PodInfo, snapshot: Snapshot, action: string, defaults: SpreadDefaults): SpreadConstraint[] {
  if (defaults.constraints.length === 0) return [];
  // the pod before it was most often one of the same ReplicaSet (queue order is by name): the
  // last answer is checked by identity first, without the memo's key (a string per pod was a
  // tenth of the pass's PreScore at 150,000 pods)
  // (one per action: PreFilter asks for DoNotSchedule, PreScore for ScheduleAnyway, pod after pod)
  const last = action === 'ScheduleAnyway' ? lastScoring : lastFiltering;
  if (
    last !== undefined &&
    last.snapshot === snapshot &&
    last.defaults === defaults &&
    last.action === action &&
    last.labels === pod.labels &&
    last.namespace === pod.namespace &&
    last.controllerUid === pod.controller?.uid
  )
    return last.constraints;
  // the pods of one ReplicaSet share all of this: computed once per snapshot (the selector
  // depends on the pod's namespace, labels and controller only)
  const key = `${defaults.id}\u0000${action}\u0000${pod.namespace}\u0000${pod.controller?.uid ?? ''}\u0000${labelsText(pod.labels)}`;
  let memo = defaultConstraintMemo.get(snapshot);
  if (!memo) defaultConstraintMemo.set(snapshot, (memo = new Map()));
  let constraints = memo.get(key);
  if (!constraints) {
    const chosen = spreadConstraints(defaults.constraints, pod.labels, action);
    const selector = chosen.length ? snapshot.defaultSpreadSelector(pod) : [];
    constraints = selector.length === 0 ? [] : chosen.map((c) => ({ ...c, selector }));
    memo.set(key, constraints);
  }
  const entry: LastDefault = {
    snapshot,
    defaults,
    action,
    labels: pod.labels,
    namespace: pod.namespace,
    controllerUid: pod.controller?.uid,
    constraints,
  };
  if (action === 'ScheduleAnyway') lastScoring = entry;
  else lastFiltering = entry;
  return constraints;
}
const defaultConstraintMemo = new WeakMap<Snapshot, Map<string, SpreadConstraint[]>>();
/** defaultConstraints' last answer for each action and what it was for (held strongly only until the next) */
interface LastDefault {
  snapshot: Snapshot;
  defaults: SpreadDefaults;
  action: string;
  labels: Record<string, string>;
  namespace: string;
  controllerUid: string | undefined;
  constraints: SpreadConstraint[];
}
let lastScoring: LastDefault | undefined;
let lastFiltering: LastDefault | undefined;

/** The labels' JSON, once per labels object (the store shares one object among a ReplicaSet's pods). */
const labelsTexts = new WeakMap<object, string>();
function labelsText(labels: Record<string, string>): string {
  let text = labelsTexts.get(labels);
  if (text === undefined) labelsTexts.set(labels, (text = JSON.stringify(labels)));
  return text;
}

function constraintsFor(
  pod: PodInfo,
  snapshot: Snapshot,
  action: string,
  defaults: SpreadDefaults,
): { constraints: SpreadConstraint[]; own: boolean } {
  const own = pod.pod.spec?.topologySpreadConstraints;
  if (Array.isArray(own) && own.length > 0) return { constraints: ownConstraints(own, pod.labels, action), own: true };
  return { constraints: defaultConstraints(pod, snapshot, action, defaults), own: false };
}

/**
 * spreadConstraints of a pod's own constraints, once per constraints list, labels object and
 * action: the pods of one ReplicaSet share both objects (the store shares its template's spec
 * and labels), so their constraints — and the selector objects the count indexes are found by —
 * are made once, not once per pod (at 150,000 pods a selector's JSON per pod was a third of
 * PreFilter). Neither object is changed in place once stored.
 */
function ownConstraints(list: TopologySpreadConstraint[], labels: Record<string, string>, action: string): SpreadConstraint[] {
  let byLabels = ownConstraintMemo.get(list);
  if (!byLabels) ownConstraintMemo.set(list, (byLabels = new WeakMap()));
  let byAction = byLabels.get(labels);
  if (!byAction) byLabels.set(labels, (byAction = new Map()));
  let constraints = byAction.get(action);
  if (!constraints) byAction.set(action, (constraints = spreadConstraints(list, labels, action)));
  return constraints;
}
const ownConstraintMemo = new WeakMap<TopologySpreadConstraint[], WeakMap<Record<string, string>, Map<string, SpreadConstraint[]>>>();

/** Which nodes a constraint counts pods on (nodeAffinityPolicy / nodeTaintsPolicy). */
function matchNodeInclusionPolicies(c: SpreadConstraint, pod: PodInfo, node: NodeInfo, required: RequiredNodeAffinity): boolean {
  if (c.honorNodeAffinity && !required.match(node)) return false;
  if (c.honorNodeTaints && node.taints.length && firstUntoleratedTaint(node.taints, pod.tolerations)) return false;
  return true;
}

/** countPodsMatchSelector: an empty selector counts nothing; terminating pods are skipped. */
function selectorCounts(c: SpreadConstraint, pod: PodInfo, snapshot: Snapshot): PodCountIndex | undefined {
  if (c.selector === null || c.selector.length === 0) return undefined;
  const selector = c.selector;
  let found = selectorFacts.get(selector);
  if (found === undefined) {
    found = { signature: JSON.stringify(selector), matcher: (p) => matches(selector, p.labels), anchor: selectorAnchor(selector) };
    selectorFacts.set(selector, found);
  }
  // a default constraint's selector (and a template's own, made once per template) serves every
  // pod of its ReplicaSet: the index found for a snapshot and namespace is kept on it
  const held = found.held;
  if (held !== undefined && held.snapshot === snapshot && held.namespace === pod.namespace) return held.index;
  const index = snapshot.countIndex(found.signature, pod.namespace, false, found.matcher, found.anchor);
  found.held = { snapshot, namespace: pod.namespace, index };
  return index;
}

/**
 * Selectors are immutable once built: their JSON (the count index signature), matcher and
 * anchor are made once, and the count index last found for them is kept with its snapshot and
 * namespace.
 */
const selectorFacts = new WeakMap<
  Selector,
  {
    signature: string;
    matcher: (p: PodInfo) => boolean;
    anchor: string | undefined;
    held?: { snapshot: Snapshot; namespace: string; index: PodCountIndex };
  }
>();

function hasAllKeys(node: NodeInfo, keys: readonly TopologyDomains[]): boolean {
  for (const d of keys) if (d.of[node.index] < 0) return false;
  return true;
}

interface DomainCounts {
  counts: Int32Array;
  /** domains with at least one eligible node; null: every domain */
  present: Uint8Array | null;
}

/**
 * Matching pods per domain over the nodes a constraint counts. When every node carries
 * every key and the policies exclude none, the snapshot's incremental index already has
 * the answer; otherwise sum the per-node counts of the eligible nodes.
 */
function countByDomain(
  c: SpreadConstraint,
  pod: PodInfo,
  snapshot: Snapshot,
  allKeys: readonly TopologyDomains[],
  requireAllKeys: boolean,
  required: RequiredNodeAffinity,
  /** selectorCounts(c, pod, snapshot): the caller's, which PreScore reads too */
  source: ReturnType<typeof selectorCounts>,
): DomainCounts {
  const domains = snapshot.domains(c.topologyKey);
  const everyNodeHasKeys = allKeys.every((d) => d.nodesWithKey === snapshot.size);
  const policiesExcludeNone = !(c.honorNodeAffinity && !required.isEmpty) && !c.honorNodeTaints;
  if (everyNodeHasKeys && policiesExcludeNone) {
    return { counts: source ? source.domainCounts(c.topologyKey) : new Int32Array(domains.size), present: null };
  }
  const counts = new Int32Array(domains.size);
  const present = new Uint8Array(domains.size);
  for (const node of snapshot.nodes) {
    const d = domains.of[node.index];
    if (d < 0) continue;
    if (requireAllKeys && !hasAllKeys(node, allKeys)) continue;
    if (!matchNodeInclusionPolicies(c, pod, node, required)) continue;
    present[d] = 1;
    if (source) counts[d] += source.perNode[node.index];
  }
  return { counts, present };
}

/** One DoNotSchedule constraint as PreFilter leaves it for Filter. */
interface FilterConstraint {
  c: SpreadConstraint;
  domains: TopologyDomains;
  counts: Int32Array;
  present: Uint8Array | null;
  /** counts/present are shared with the snapshot until a dry run changes them */
  owned: boolean;
  selfMatch: number;
  /**
   * Filter's judging criterion, `matchNum + selfMatch − minMatch > maxSkew`, solved for matchNum
   * once per cycle: a node is rejected when its domain's count is above this
   */
  limit: number;
}

/**
 * The global minimum over the eligible domains (criticalPaths; MaxInt32 when none is), taken as
 * 0 while fewer domains than minDomains are eligible, and the limit it sets.
 */
function refreshLimit(fc: FilterConstraint): void {
  let min = MAX_INT32;
  let num = 0;
  for (let d = 0; d < fc.counts.length; d++) {
    if (fc.present && !fc.present[d]) continue;
    num++;
    if (fc.counts[d] < min) min = fc.counts[d];
  }
  const minMatch = num < fc.c.minDomains ? 0 : min;
  fc.limit = fc.c.maxSkew + minMatch - fc.selfMatch;
}

/** Some node lacks a constraint's key, or some domain's count is over its limit: Filter rejects some node. */
function mayReject(constraints: readonly FilterConstraint[], nodes: number): boolean {
  for (const fc of constraints) {
    if (fc.domains.nodesWithKey < nodes) return true;
    for (let d = 0; d < fc.counts.length; d++) if ((fc.present && !fc.present[d] ? 0 : fc.counts[d]) > fc.limit) return true;
  }
  return false;
}

/** The most domains a verdict table is made for (zones, regions; not hostnames, one per node). */
const MAX_TABLE_DOMAINS = 64;

/** One constraint's Filter verdict for each domain (and, first, for nodes without its key). */
function verdictTable(fc: FilterConstraint): DomainVerdicts | undefined {
  if (fc.counts.length > MAX_TABLE_DOMAINS) return undefined;
  const rejected = new Uint8Array(fc.counts.length + 1);
  rejected[0] = 1;
  for (let d = 0; d < fc.counts.length; d++) if ((fc.present && !fc.present[d] ? 0 : fc.counts[d]) > fc.limit) rejected[d + 1] = 1;
  return { of: fc.domains.of, rejected };
}

class SpreadFilter implements PodFilter {
  /**
   * PodFilter.rejects: the verdict is the node's domains' counts against the limits, as cheap
   * as a lookup, so the node search asks it first; none when every domain is within them (a
   * third of a ReplicaSet's pods at maxSkew 1 over 3 zones), which spares the search asking
   */
  readonly rejects: ((node: NodeInfo) => boolean) | undefined;
  readonly rejectedDomains: DomainVerdicts | undefined;

  constructor(
    private readonly pod: PodInfo,
    private readonly constraints: FilterConstraint[],
    private readonly allKeys: readonly TopologyDomains[],
    private readonly required: RequiredNodeAffinity,
    /** the snapshot's node count (PreFilter's; the clones' rejects are never asked) */
    nodes = 0,
  ) {
    this.rejects = nodes > 0 && mayReject(constraints, nodes) ? (node) => this.filter(node) !== null : undefined;
    this.rejectedDomains = this.rejects && constraints.length === 1 ? verdictTable(constraints[0]) : undefined;
  }

  filter(node: NodeInfo): Status | null {
    const constraints = this.constraints;
    for (let i = 0; i < constraints.length; i++) {
      const fc = constraints[i];
      const d = fc.domains.of[node.index];
      if (d < 0) return LABEL_REJECTED;
      const matchNum = fc.present && !fc.present[d] ? 0 : fc.counts[d];
      if (matchNum > fc.limit) return SKEW_REJECTED;
    }
    return null;
  }

  clone(): SpreadFilter {
    return new SpreadFilter(
      this.pod,
      this.constraints.map((fc) => ({ ...fc, owned: false })),
      this.allKeys,
      this.required,
    );
  }

  addPod(p: PodInfo, node: NodeInfo): void {
    this.update(p, node, 1);
  }

  removePod(p: PodInfo, node: NodeInfo): void {
    this.update(p, node, -1);
  }

  /** preFilterState.updateWithPod */
  private update(p: PodInfo, node: NodeInfo, delta: number): void {
    if (p.namespace !== this.pod.namespace) return;
    if (!hasAllKeys(node, this.allKeys)) return;
    for (const fc of this.constraints) {
      if (fc.c.selector === null || !matches(fc.c.selector, p.labels)) continue;
      if (!matchNodeInclusionPolicies(fc.c, this.pod, node, this.required)) continue;
      if (!fc.owned) {
        fc.counts = fc.counts.slice();
        fc.present = fc.present ? fc.present.slice() : null;
        fc.owned = true;
      }
      const d = fc.domains.of[node.index];
      fc.counts[d] += delta;
      if (fc.present) fc.present[d] = 1;
      refreshLimit(fc);
    }
  }
}

/**
 * PreScore's last scorer and what it was made from, while it reads only live counts: the count
 * indexes' per-node and per-domain arrays (kept current as pods are assumed and removed) and
 * no node ignored. Its weights are the logs of the feasible nodes' and domains' numbers.
 */
let lastScorer:
  | {
      snapshot: Snapshot;
      constraints: SpreadConstraint[];
      namespace: string;
      required: RequiredNodeAffinity;
      sizes: number[];
      scorer: SpreadScorer;
    }
  | undefined;

function sameSizes(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** which domains PreScore found among the feasible nodes, reused pod after pod */
let seenDomains = new Uint8Array(0);
/** each zone's term of a pod's scores (SpreadScorer.scoreHostAndDomain), reused pod after pod */
let zoneTerms = new Float64Array(0);
/** each zone's whole score of a node with none of the pods (SpreadScorer.scoreHostAndDomain), reused pod after pod */
let zoneScores = new Float64Array(0);
/** the widest range of scores normalized by a table (scores differ by a few pods' counts: a few dozen) */
const NORMALIZE_TABLE_MAX = 1024;
let normalizeTable = new Float64Array(0);

/**
 * The normalized score of each whole score from minScore to maxScore (Math.round made them
 * whole), worked out once with normalize's expression and then looked up per node: fewer
 * matching pods is better, every node 100 when the greatest is 0.
 */
function filledNormalizeTable(minScore: number, maxScore: number): Float64Array {
  const span = maxScore - minScore + 1;
  if (normalizeTable.length < span) normalizeTable = new Float64Array(NORMALIZE_TABLE_MAX);
  const table = normalizeTable;
  if (maxScore === 0) table[0] = MAX_NODE_SCORE;
  else for (let v = 0; v < span; v++) table[v] = Math.floor((MAX_NODE_SCORE * (maxScore + minScore - (minScore + v))) / maxScore);
  return table;
}
/** normalizedTable's answer, reused pod after pod */
const normalizedAnswer: NormalizedTable = { table: normalizeTable, offset: 0, length: 0 };

class SpreadScorer implements PodScorer {
  constructor(
    private readonly entries: {
      c: SpreadConstraint;
      domains: TopologyDomains;
      weight: number;
      counts: Int32Array | null;
      perNode: Int32Array | null;
    }[],
    private readonly ignored: Uint8Array | null,
  ) {}

  score(node: NodeInfo): number {
    if (this.ignored && this.ignored[node.index]) return 0;
    let score = 0;
    for (const e of this.entries) {
      const d = e.domains.of[node.index];
      if (d < 0) continue;
      const cnt = e.c.topologyKey === HOSTNAME ? (e.perNode ? e.perNode[node.index] : 0) : e.counts ? e.counts[d] : 0;
      score += cnt * e.weight + (e.c.maxSkew - 1);
    }
    return Math.round(score);
  }

  /** score() constraint by constraint: the same sums, added in the same order */
  scoreAll(nodes: readonly NodeInfo[], out: Float64Array, index: Int32Array): void {
    const n = nodes.length;
    const entries = this.entries;
    if (this.ignored === null && entries.length === 2 && entries[0].c.topologyKey === HOSTNAME && entries[1].c.topologyKey !== HOSTNAME) {
      this.scoreHostAndDomain(n, out, index);
      return;
    }
    out.fill(0, 0, n);
    for (const e of this.entries) {
      const of = e.domains.of;
      const extra = e.c.maxSkew - 1;
      const w = e.weight;
      // counts by node for the hostname key, by domain for the others; none: 0 each
      const byNode = e.c.topologyKey === HOSTNAME;
      const counts = byNode ? e.perNode : e.counts;
      // (one loop per case: the choices hoisted out of the 500 nodes of each pod)
      if (counts === null) {
        for (let i = 0; i < n; i++) if (of[index[i]] >= 0) out[i] += extra;
      } else if (byNode) {
        for (let i = 0; i < n; i++) {
          const idx = index[i];
          if (of[idx] >= 0) out[i] += counts[idx] * w + extra;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const d = of[index[i]];
          if (d >= 0) out[i] += counts[d] * w + extra;
        }
      }
    }
    const ignored = this.ignored;
    if (ignored === null) for (let i = 0; i < n; i++) out[i] = Math.round(out[i]);
    else for (let i = 0; i < n; i++) out[i] = ignored[index[i]] ? 0 : Math.round(out[i]);
  }

  /**
   * scoreAll for the system defaults' pair of constraints (hostname, then zone: every pod of a
   * ReplicaSet without constraints of its own) and no node ignored, in one loop: the zone's term
   * is the same for every node of a zone, so it is worked out once per zone; each node's sum is
   * the same terms added in the same order as constraint by constraint.
   */
  private scoreHostAndDomain(n: number, out: Float64Array, index: Int32Array): void {
    const host = this.entries[0];
    const zone = this.entries[1];
    const hostOf = host.domains.of;
    const perNode = host.perNode;
    const hostWeight = host.weight;
    const hostExtra = host.c.maxSkew - 1;
    const zoneOf = zone.domains.of;
    const size = zone.domains.size;
    if (zoneTerms.length < size) zoneTerms = new Float64Array(size);
    const terms = zoneTerms;
    const counts = zone.counts;
    const zoneExtra = zone.c.maxSkew - 1;
    if (zoneScores.length < size) zoneScores = new Float64Array(size);
    const whole = zoneScores;
    for (let d = 0; d < size; d++) {
      terms[d] = counts === null ? zoneExtra : counts[d] * zone.weight + zoneExtra;
      // the score of a node of the zone with a hostname and none of the pods on it (most nodes):
      // the sum below with a count of 0 or none (0 × weight is 0: the weight is a log, finite and positive)
      whole[d] = Math.round(0 + hostExtra + terms[d]);
    }
    // (and the least and greatest score, which normalize would look for next)
    let minScore = Number.MAX_SAFE_INTEGER;
    let maxScore = 0;
    for (let i = 0; i < n; i++) {
      const idx = index[i];
      const d = zoneOf[idx];
      let s: number;
      if (d >= 0 && (perNode === null || perNode[idx] === 0) && hostOf[idx] >= 0) s = whole[d];
      else {
        let score = 0;
        if (hostOf[idx] >= 0) score += perNode === null ? hostExtra : perNode[idx] * hostWeight + hostExtra;
        if (d >= 0) score += terms[d];
        s = Math.round(score);
      }
      out[i] = s;
      if (s < minScore) minScore = s;
      if (s > maxScore) maxScore = s;
    }
    this.rangeOf = out;
    this.rangeLength = n;
    this.rangeMin = minScore;
    this.rangeMax = maxScore;
  }

  /** the scores scoreHostAndDomain last wrote, with their least and greatest, until normalize reads them */
  private rangeOf: Float64Array | undefined = undefined;
  private rangeLength = 0;
  private rangeMin = 0;
  private rangeMax = 0;

  /**
   * normalize()'s table, when it would use one (no node ignored, scores no further apart than a
   * table's length): the scores' least and greatest from scoreHostAndDomain, else looked for.
   */
  normalizedTable(scores: Float64Array): NormalizedTable | undefined {
    if (this.ignored !== null) return undefined;
    this.findRange(scores);
    const { foundMin: minScore, foundMax: maxScore } = this;
    // (normalize gives every node 100 when the greatest is 0: a table from 0 on does when the least is 0 too)
    if (minScore < 0 || maxScore - minScore >= NORMALIZE_TABLE_MAX || scores.length === 0) return undefined;
    this.rangeOf = undefined;
    normalizedAnswer.table = filledNormalizeTable(minScore, maxScore);
    normalizedAnswer.offset = minScore;
    normalizedAnswer.length = maxScore - minScore + 1;
    return normalizedAnswer;
  }

  private foundMin = 0;
  private foundMax = 0;

  /** the scores' least and greatest, into foundMin/foundMax: as scoreHostAndDomain found them when it wrote these, else looked for */
  private findRange(scores: Float64Array): void {
    if (scores === this.rangeOf && scores.length === this.rangeLength) {
      this.foundMin = this.rangeMin;
      this.foundMax = this.rangeMax;
      return;
    }
    let minScore = Number.MAX_SAFE_INTEGER;
    let maxScore = 0;
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i];
      if (s < minScore) minScore = s;
      if (s > maxScore) maxScore = s;
    }
    this.foundMin = minScore;
    this.foundMax = maxScore;
  }

  /** fewer matching pods is better: maxScore + minScore − score, scaled to 100; ignored nodes get 0 */
  normalize(scores: Float64Array, nodes: readonly NodeInfo[]): void {
    let minScore = Number.MAX_SAFE_INTEGER;
    let maxScore = 0;
    if (this.ignored === null) {
      // no node ignored (the system defaults' case): the same sums without the per-node check
      this.findRange(scores);
      minScore = this.foundMin;
      maxScore = this.foundMax;
      this.rangeOf = undefined;
      if (maxScore === 0) scores.fill(MAX_NODE_SCORE);
      else if (maxScore - minScore < NORMALIZE_TABLE_MAX) {
        const table = filledNormalizeTable(minScore, maxScore);
        for (let i = 0; i < scores.length; i++) scores[i] = table[scores[i] - minScore];
      } else
        for (let i = 0; i < scores.length; i++) scores[i] = Math.floor((MAX_NODE_SCORE * (maxScore + minScore - scores[i])) / maxScore);
      return;
    }
    for (let i = 0; i < scores.length; i++) {
      if (this.ignored && this.ignored[nodes[i].index]) continue;
      if (scores[i] < minScore) minScore = scores[i];
      if (scores[i] > maxScore) maxScore = scores[i];
    }
    for (let i = 0; i < scores.length; i++) {
      if (this.ignored && this.ignored[nodes[i].index]) {
        scores[i] = 0;
        continue;
      }
      scores[i] = maxScore === 0 ? MAX_NODE_SCORE : Math.floor((MAX_NODE_SCORE * (maxScore + minScore - scores[i])) / maxScore);
    }
  }
}

/**
 * PodTopologySpread: DoNotSchedule constraints filter nodes where placing the pod would
 * make its domain exceed maxSkew over the least loaded eligible domain; ScheduleAnyway
 * constraints (and the system defaults for pods of a Service/ReplicaSet/StatefulSet)
 * score nodes in less crowded domains higher.
 */
export const podTopologySpread: Plugin = makePodTopologySpread(SYSTEM_DEFAULTS);

/** PodTopologySpread with its args (a scheduler profile's pluginConfig). */
export function makePodTopologySpread(defaults: SpreadDefaults): Plugin {
  return {
    name: POD_TOPOLOGY_SPREAD,
    preFilter(pod, snapshot) {
      const { constraints } = constraintsFor(pod, snapshot, 'DoNotSchedule', defaults);
      if (constraints.length === 0) return SKIP;
      const required = requiredNodeAffinity(pod.pod.spec);
      const allKeys = constraints.map((c) => snapshot.domains(c.topologyKey));
      const filterConstraints = constraints.map((c, i): FilterConstraint => {
        const { counts, present } = countByDomain(c, pod, snapshot, allKeys, true, required, selectorCounts(c, pod, snapshot));
        const fc: FilterConstraint = {
          c,
          domains: allKeys[i],
          counts,
          present,
          owned: false,
          selfMatch: c.selector !== null && matches(c.selector, pod.labels) ? 1 : 0,
          limit: 0,
        };
        refreshLimit(fc);
        return fc;
      });
      return new SpreadFilter(pod, filterConstraints, allKeys, required, snapshot.size);
    },
    preScore(pod, feasible, snapshot) {
      if (snapshot.size === 0) return SKIP;
      const { constraints, own } = constraintsFor(pod, snapshot, 'ScheduleAnyway', defaults);
      if (constraints.length === 0) return SKIP;
      // only the system defaults let a node lack a key (zone-less nodes still spread by hostname)
      const requireAllKeys = own || !defaults.system;
      const allKeys = constraints.map((c) => snapshot.domains(c.topologyKey));
      let ignored: Uint8Array | null = null;
      let ignoredCount = 0;
      if (requireAllKeys) {
        for (const node of feasible) {
          if (!hasAllKeys(node, allKeys)) {
            ignored ??= new Uint8Array(snapshot.size);
            ignored[node.index] = 1;
            ignoredCount++;
          }
        }
      }
      const required = requiredNodeAffinity(pod.pod.spec);
      const sizes: number[] = [];
      for (let i = 0; i < constraints.length; i++) {
        const domains = allKeys[i];
        let size: number;
        if (constraints[i].topologyKey === HOSTNAME) size = feasible.length - ignoredCount;
        else {
          if (seenDomains.length < domains.size) seenDomains = new Uint8Array(domains.size);
          const seen = seenDomains;
          seen.fill(0, 0, domains.size);
          size = 0;
          for (const node of feasible) {
            if (ignored && ignored[node.index]) continue;
            const d = domains.of[node.index];
            if (d >= 0 && !seen[d]) {
              seen[d] = 1;
              // every domain seen: no more to find (with 10 zones, after a few of 500 nodes)
              if (++size === domains.size) break;
            }
          }
        }
        sizes.push(size);
      }
      // the last pod's scorer, when it reads the same counts with the same weights: the pods of a
      // ReplicaSet, one after the other, share constraints (by identity), namespace and node
      // affinity, and their scorer reads the snapshot's live counts (see lastScorer)
      const last = lastScorer;
      if (
        last !== undefined &&
        ignored === null &&
        last.snapshot === snapshot &&
        last.constraints === constraints &&
        last.namespace === pod.namespace &&
        last.required === required &&
        sameSizes(last.sizes, sizes)
      )
        return last.scorer;
      let live = ignored === null;
      const entries = constraints.map((c, i) => {
        const domains = allKeys[i];
        const source = selectorCounts(c, pod, snapshot);
        let counts: Int32Array | null = null;
        if (c.topologyKey !== HOSTNAME) {
          const byDomain = countByDomain(c, pod, snapshot, allKeys, requireAllKeys, required, source);
          counts = byDomain.counts;
          // (counts summed for this cycle alone, not the count index's own)
          if (byDomain.present !== null) live = false;
        }
        return { c, domains, weight: Math.log(sizes[i] + 2), counts, perNode: source ? source.perNode : null };
      });
      const scorer = new SpreadScorer(entries, ignored);
      lastScorer = live ? { snapshot, constraints, namespace: pod.namespace, required, sizes, scorer } : undefined;
      return scorer;
    },
  };
}
