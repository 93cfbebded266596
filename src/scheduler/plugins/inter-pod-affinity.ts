import { MAX_NODE_SCORE, type Plugin, type PodFilter, type PodScorer } from '../framework';
import type { NodeInfo } from '../node-info';
import { termMatchesPod, type AffinityTerm, type PodInfo } from '../pod-info';
import { selectorAnchor, type Snapshot, type TopologyDomains } from '../snapshot';
import { SKIP, unresolvable, unschedulable, type Status } from '../status';

export const INTER_POD_AFFINITY = 'InterPodAffinity';
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";

const AFFINITY_REJECTED = unresolvable(INTER_POD_AFFINITY, ERR_REASON_AFFINITY);
const ANTI_AFFINITY_REJECTED = unschedulable(INTER_POD_AFFINITY, ERR_REASON_ANTI_AFFINITY);
const EXISTING_ANTI_AFFINITY_REJECTED = unschedulable(INTER_POD_AFFINITY, ERR_REASON_EXISTING_ANTI_AFFINITY);

/** Counts of matching pods per domain of one topology key. */
interface TopologyCounts {
  domains: TopologyDomains;
  counts: Int32Array;
  owned: boolean;
}

function podMatchesAllTerms(terms: readonly AffinityTerm[], p: PodInfo, snapshot: Snapshot): boolean {
  if (terms.length === 0) return false;
  const nsLabels = snapshot.namespaceLabels(p.namespace);
  for (const t of terms) if (!termMatchesPod(t, p, nsLabels)) return false;
  return true;
}

/** The namespace an index can be limited to: a term naming exactly one namespace and no selector. */
function singleNamespace(terms: readonly AffinityTerm[]): string | undefined {
  let ns: string | undefined;
  for (const t of terms) {
    if (t.namespaceSelector !== null || t.namespaces.size !== 1) return undefined;
    const only = [...t.namespaces][0];
    if (ns !== undefined && ns !== only) return undefined;
    ns = only;
  }
  return ns;
}

/** Existing pods (incl. terminating, as kube's cache holds them) matching a set of terms, per domain of `key`. */
function termCounts(snapshot: Snapshot, terms: readonly AffinityTerm[], key: string): Int32Array {
  const signature = terms.map((t) => t.signature).join('\u0001');
  let anchor: string | undefined;
  for (const t of terms) anchor ??= selectorAnchor(t.selector);
  const index = snapshot.countIndex(signature, singleNamespace(terms), true, (p) => podMatchesAllTerms(terms, p, snapshot), anchor);
  return index.domainCounts(key);
}

function ownCopy(tc: TopologyCounts): void {
  if (!tc.owned) {
    tc.counts = tc.counts.slice();
    tc.owned = true;
  }
}

class InterPodAffinityFilter implements PodFilter {
  constructor(
    private readonly snapshot: Snapshot,
    private readonly pod: PodInfo,
    /** existing pods' required anti-affinity terms that select this pod, by term signature */
    private readonly existingAnti: Map<string, TopologyCounts>,
    /** per required affinity term: pods matching all of them */
    private readonly affinity: TopologyCounts[],
    private affinityTotal: number,
    private readonly selfMatchesAffinity: boolean,
    /** per required anti-affinity term: pods it selects */
    private readonly anti: TopologyCounts[],
  ) {}

  filter(node: NodeInfo): Status | null {
    if (this.affinity.length && !this.satisfiesAffinity(node)) return AFFINITY_REJECTED;
    for (const tc of this.anti) {
      const d = tc.domains.of[node.index];
      if (d >= 0 && tc.counts[d] > 0) return ANTI_AFFINITY_REJECTED;
    }
    for (const tc of this.existingAnti.values()) {
      const d = tc.domains.of[node.index];
      if (d >= 0 && tc.counts[d] > 0) return EXISTING_ANTI_AFFINITY_REJECTED;
    }
    return null;
  }

  /** satisfyPodAffinity, with the exception for the first pod of a group that has affinity to itself */
  private satisfiesAffinity(node: NodeInfo): boolean {
    let podsExist = true;
    for (const tc of this.affinity) {
      const d = tc.domains.of[node.index];
      if (d < 0) return false;
      if (tc.counts[d] <= 0) podsExist = false;
    }
    if (podsExist) return true;
    return this.affinityTotal === 0 && this.selfMatchesAffinity;
  }

  clone(): InterPodAffinityFilter {
    const copy = (tc: TopologyCounts): TopologyCounts => ({ ...tc, owned: false });
    return new InterPodAffinityFilter(
      this.snapshot,
      this.pod,
      new Map([...this.existingAnti].map(([k, tc]) => [k, copy(tc)])),
      this.affinity.map(copy),
      this.affinityTotal,
      this.selfMatchesAffinity,
      this.anti.map(copy),
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
    const nsLabels = this.snapshot.namespaceLabels(this.pod.namespace);
    for (const t of p.requiredAntiAffinityTerms) {
      if (!termMatchesPod(t, this.pod, nsLabels)) continue;
      let tc = this.existingAnti.get(t.signature);
      if (!tc) {
        const domains = this.snapshot.domains(t.topologyKey);
        tc = { domains, counts: new Int32Array(domains.size), owned: true };
        this.existingAnti.set(t.signature, tc);
      }
      const d = tc.domains.of[node.index];
      if (d < 0) continue;
      ownCopy(tc);
      tc.counts[d] += delta;
    }
    if (this.affinity.length && podMatchesAllTerms(this.pod.requiredAffinityTerms, p, this.snapshot)) {
      for (const tc of this.affinity) {
        const d = tc.domains.of[node.index];
        if (d < 0) continue;
        ownCopy(tc);
        tc.counts[d] += delta;
        this.affinityTotal += delta;
      }
    }
    const pNsLabels = this.snapshot.namespaceLabels(p.namespace);
    this.pod.requiredAntiAffinityTerms.forEach((t, i) => {
      if (!termMatchesPod(t, p, pNsLabels)) return;
      const tc = this.anti[i];
      const d = tc.domains.of[node.index];
      if (d < 0) return;
      ownCopy(tc);
      tc.counts[d] += delta;
    });
  }
}

class InterPodAffinityScorer implements PodScorer {
  constructor(private readonly topologyScore: { domains: TopologyDomains; scores: Float64Array }[]) {}

  score(node: NodeInfo): number {
    let score = 0;
    for (const t of this.topologyScore) {
      const d = t.domains.of[node.index];
      if (d >= 0) score += t.scores[d];
    }
    return score;
  }

  /** min-max scaling to 0..100 */
  normalize(scores: Float64Array): void {
    let min = Infinity;
    let max = -Infinity;
    for (const s of scores) {
      if (s > max) max = s;
      if (s < min) min = s;
    }
    const diff = max - min;
    for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((scores[i] - min) / diff)) : 0;
  }
}

/**
 * InterPodAffinity: required pod affinity/anti-affinity of the incoming pod, and the
 * required anti-affinity of pods already running, filter nodes by topology domain;
 * preferred terms (both ways) and existing pods' required affinity score them.
 */
export const interPodAffinity: Plugin = makeInterPodAffinity(1, false);

/**
 * InterPodAffinity with its args: hardPodAffinityWeight scores existing pods' required
 * affinity terms (0: not at all); ignorePreferredTermsOfExistingPods leaves out their preferred terms.
 */
export function makeInterPodAffinity(hardPodAffinityWeight: number, ignorePreferredTermsOfExistingPods: boolean): Plugin {
  return {
    name: INTER_POD_AFFINITY,
    preFilter(pod, snapshot) {
      const existingGroups = snapshot.groupsMatching(snapshot.requiredAntiAffinityGroups, pod);
      if (existingGroups.length === 0 && pod.requiredAffinityTerms.length === 0 && pod.requiredAntiAffinityTerms.length === 0) return SKIP;
      // one group per term signature: the snapshot's counts are shared until a dry run changes them
      const existingAnti = new Map<string, TopologyCounts>();
      for (const g of existingGroups) existingAnti.set(g.term.signature, { domains: g.domains, counts: g.counts, owned: false });
      const affinity: TopologyCounts[] = pod.requiredAffinityTerms.map((t) => ({
        domains: snapshot.domains(t.topologyKey),
        counts: termCounts(snapshot, pod.requiredAffinityTerms, t.topologyKey),
        owned: false,
      }));
      let affinityTotal = 0;
      for (const tc of affinity) for (const c of tc.counts) affinityTotal += c;
      const anti: TopologyCounts[] = pod.requiredAntiAffinityTerms.map((t) => ({
        domains: snapshot.domains(t.topologyKey),
        counts: termCounts(snapshot, [t], t.topologyKey),
        owned: false,
      }));
      return new InterPodAffinityFilter(
        snapshot,
        pod,
        existingAnti,
        affinity,
        affinityTotal,
        podMatchesAllTerms(pod.requiredAffinityTerms, pod, snapshot),
        anti,
      );
    },
    preScore(pod, feasible, snapshot) {
      if (feasible.length === 0) return SKIP;
      const byKey = new Map<string, { domains: TopologyDomains; scores: Float64Array }>();
      let any = false;
      const add = (domains: TopologyDomains, counts: Int32Array, weight: number) => {
        let entry = byKey.get(domains.key);
        if (!entry) byKey.set(domains.key, (entry = { domains, scores: new Float64Array(domains.size) }));
        for (let d = 0; d < counts.length; d++) {
          if (counts[d] === 0) continue;
          entry.scores[d] += weight * counts[d];
          if (weight !== 0) any = true;
        }
      };
      for (const w of pod.preferredAffinityTerms)
        add(snapshot.domains(w.term.topologyKey), termCounts(snapshot, [w.term], w.term.topologyKey), w.weight);
      for (const w of pod.preferredAntiAffinityTerms)
        add(snapshot.domains(w.term.topologyKey), termCounts(snapshot, [w.term], w.term.topologyKey), -w.weight);
      for (const g of snapshot.groupsMatching(snapshot.scoringTermGroups, pod))
        if (!g.hard) {
          if (!ignorePreferredTermsOfExistingPods) add(g.domains, g.counts, g.weight);
        } else if (hardPodAffinityWeight > 0) add(g.domains, g.counts, hardPodAffinityWeight);
      // nothing to add anywhere: every node would score the same
      if (!any) return SKIP;
      return new InterPodAffinityScorer([...byKey.values()]);
    },
  };
}
