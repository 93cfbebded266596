import type { PodDisruptionBudget } from '../model/kinds';
import { podCondition } from '../api/kinds/pod';
import { fromLabelSelector, matches, type Selector } from '../api/labels';
import type { Random } from '../util/random';
import { type CycleFilters, Diagnosis, fitErrorMessage, type PreemptionArgs } from './framework';
import type { NodeInfo } from './node-info';
import { moreImportantPod, type PodInfo } from './pod-info';
import type { Snapshot } from './snapshot';
import { Code, Status, unresolvable } from './status';

/** DefaultPreemptionArgs defaults */

export const NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_VICTIMS = 'No preemption victims found for incoming pod';
export const NOT_ELIGIBLE_NEVER = 'not eligible due to preemptionPolicy=Never.';
export const NOT_ELIGIBLE_TERMINATING = 'not eligible due to a terminating pod on the nominated node.';

/** A PodDisruptionBudget as preemption reads it (policy/v1 status). */
export interface PdbView {
  namespace: string;
  selector: Selector;
  disruptionsAllowed: number;
  disruptedPods: Record<string, unknown>;
}

export function pdbViews(pdbs: Iterable<PodDisruptionBudget>): PdbView[] {
  const out: PdbView[] = [];
  for (const pdb of pdbs) {
    const selector = fromLabelSelector(pdb.spec?.selector);
    // a PDB with a nil or empty selector matches nothing here
    if (selector === null || selector.length === 0) continue;
    out.push({
      namespace: pdb.metadata.namespace ?? 'default',
      selector,
      disruptionsAllowed: Number(pdb.status?.disruptionsAllowed ?? 0),
      disruptedPods: pdb.status?.disruptedPods ?? {},
    });
  }
  return out;
}

export interface Candidate {
  node: NodeInfo;
  /** ordered most important first */
  victims: PodInfo[];
  numPdbViolations: number;
}

export type PreemptionOutcome =
  /** victims chosen: nominate the pod to `candidate.node` */
  | { kind: 'preempt'; candidate: Candidate; lowerPriorityNominated: PodInfo[] }
  /** preemption cannot help; `message` goes after "preemption: "; clear the nomination */
  | { kind: 'failed'; message: string }
  /** the pod may not preempt now; keep its nomination */
  | { kind: 'ineligible'; message: string };

/** podTerminatingByPreemption: being deleted with a DisruptionTarget condition from the scheduler. */
function terminatingByPreemption(p: PodInfo): boolean {
  if (!p.terminating) return false;
  const c = podCondition(p.pod, 'DisruptionTarget');
  return !!c && c.status === 'True' && c.reason === 'PreemptionByScheduler';
}

/**
 * DefaultPreemption (PostFilter) as the preemption Evaluator runs it: find nodes where
 * removing lower-priority pods lets the pod fit, keep as few and as unimportant victims
 * as possible (reprieving PDB-protected ones first), pick the best node.
 */
export class DefaultPreemption {
  constructor(
    private readonly snapshot: Snapshot,
    private readonly random: Random,
    private readonly pdbs: PdbView[],
    private readonly now: number,
    /** DefaultPreemptionArgs */
    private readonly args: PreemptionArgs = { minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 },
  ) {}

  /** PodEligibleToPreemptOthers */
  private eligible(pod: PodInfo, d: Diagnosis): string | undefined {
    if (pod.preemptionPolicy === 'Never') return NOT_ELIGIBLE_NEVER;
    if (!pod.nominatedNodeName) return undefined;
    const node = this.snapshot.nodeByName.get(pod.nominatedNodeName);
    // a nominated node that can no longer work at all: preempt again elsewhere
    if (node && d.statusOf(node)?.code === Code.UnschedulableAndUnresolvable) return undefined;
    if (node) for (const p of node.pods) if (p.priority < pod.priority && terminatingByPreemption(p)) return NOT_ELIGIBLE_TERMINATING;
    return undefined;
  }

  preempt(pod: PodInfo, filters: CycleFilters | undefined, d: Diagnosis): PreemptionOutcome {
    const ineligible = this.eligible(pod, d);
    if (ineligible) return { kind: 'ineligible', message: ineligible };
    const all = this.snapshot.nodes;
    // nodes where the filters said Unschedulable (not Unresolvable): removing pods may help
    const potential: NodeInfo[] = [];
    for (const node of all) {
      const s = d.statusOf(node);
      if (s?.code === Code.Unschedulable) potential.push(node);
    }
    const statuses = new Diagnosis();
    statuses.absentStatus = unresolvable('DefaultPreemption', NOT_HELPFUL);
    const candidates = potential.length && filters ? this.dryRun(pod, filters, potential, statuses) : [];
    if (candidates.length === 0) return { kind: 'failed', message: fitErrorMessage(all.length, statuses) };
    const candidate = this.pickOne(candidates);
    const lowerPriorityNominated = candidate.node.nominatedPods.filter((p) => p.priority < pod.priority);
    return { kind: 'preempt', candidate, lowerPriorityNominated };
  }

  /** DryRunPreemption from a random offset, until enough candidates (at least one PDB-clean) are found. */
  private dryRun(pod: PodInfo, filters: CycleFilters, potential: NodeInfo[], statuses: Diagnosis): Candidate[] {
    const n = potential.length;
    let numCandidates = Math.trunc((n * this.args.minCandidateNodesPercentage) / 100);
    if (numCandidates < this.args.minCandidateNodesAbsolute) numCandidates = this.args.minCandidateNodesAbsolute;
    if (numCandidates > n) numCandidates = n;
    // the offset only matters when not every node gets checked
    const offset = numCandidates < n ? this.random.int(n) : 0;
    const nonViolating: Candidate[] = [];
    const violating: Candidate[] = [];
    for (let i = 0; i < n; i++) {
      const node = potential[(offset + i) % n];
      const result = this.selectVictimsOnNode(pod, filters, node);
      if (result instanceof Status) {
        statuses.set(node, result);
        continue;
      }
      (result.numPdbViolations === 0 ? nonViolating : violating).push({ ...result, node });
      if (nonViolating.length > 0 && nonViolating.length + violating.length >= numCandidates) break;
    }
    return [...nonViolating, ...violating];
  }

  /** SelectVictimsOnNode, on copies of the node and the cycle's filter state */
  private selectVictimsOnNode(
    pod: PodInfo,
    cycleFilters: CycleFilters,
    nodeInfo: NodeInfo,
  ): { victims: PodInfo[]; numPdbViolations: number } | Status {
    const potentialVictims = nodeInfo.pods.filter((p) => p.priority < pod.priority);
    if (potentialVictims.length === 0) return unresolvable('DefaultPreemption', NO_VICTIMS);
    const node = nodeInfo.clone();
    const filters = cycleFilters.clone();
    for (const p of potentialVictims) {
      node.removePod(p);
      filters.removePod(p, node);
    }
    // not even removing every lower-priority pod makes room
    const withoutAll = filters.runWithNominated(node);
    if (withoutAll) return withoutAll;
    potentialVictims.sort(moreImportantPod);
    const { violating, nonViolating } = this.splitByPdbViolation(potentialVictims);
    const victims: PodInfo[] = [];
    let numPdbViolations = 0;
    const reprieve = (p: PodInfo): boolean => {
      node.addPod(p);
      filters.addPod(p, node);
      if (filters.runWithNominated(node) === null) return true;
      node.removePod(p);
      filters.removePod(p, node);
      victims.push(p);
      return false;
    };
    for (const p of violating) if (!reprieve(p)) numPdbViolations++;
    for (const p of nonViolating) reprieve(p);
    if (violating.length && nonViolating.length) victims.sort(moreImportantPod);
    return { victims, numPdbViolations };
  }

  /** filterPodsWithPDBViolation: evicting these (in this order) would take a budget below zero. */
  private splitByPdbViolation(pods: PodInfo[]): { violating: PodInfo[]; nonViolating: PodInfo[] } {
    const allowed = this.pdbs.map((p) => p.disruptionsAllowed);
    const violating: PodInfo[] = [];
    const nonViolating: PodInfo[] = [];
    for (const p of pods) {
      let violated = false;
      if (Object.keys(p.labels).length) {
        this.pdbs.forEach((pdb, i) => {
          if (pdb.namespace !== p.namespace || !matches(pdb.selector, p.labels)) return;
          // already counted by the API server's eviction
          if (p.name in pdb.disruptedPods) return;
          allowed[i]--;
          if (allowed[i] < 0) violated = true;
        });
      }
      (violated ? violating : nonViolating).push(p);
    }
    return { violating, nonViolating };
  }

  /**
   * pickOneNodeForPreemption: fewest PDB violations, then the lowest highest-priority
   * victim, the smallest priority sum, the fewest victims, the latest start of the most
   * important victims; the first candidate on a full tie.
   */
  private pickOne(candidates: Candidate[]): Candidate {
    const startOf = (p: PodInfo) => (Number.isFinite(p.startTime) ? p.startTime : this.now);
    const scoreFuncs: ((c: Candidate) => number)[] = [
      (c) => -c.numPdbViolations,
      (c) => -c.victims[0].priority,
      (c) => -c.victims.reduce((sum, p) => sum + p.priority + 2147483648, 0),
      (c) => -c.victims.length,
      (c) => {
        let maxPriority = c.victims[0].priority;
        let earliest = startOf(c.victims[0]);
        for (const p of c.victims) {
          if (p.priority === maxPriority) earliest = Math.min(earliest, startOf(p));
          else if (p.priority > maxPriority) {
            maxPriority = p.priority;
            earliest = startOf(p);
          }
        }
        return earliest;
      },
    ];
    let remaining = candidates;
    for (const f of scoreFuncs) {
      let best = -Infinity;
      let selected: Candidate[] = [];
      for (const c of remaining) {
        const s = f(c);
        if (s > best) {
          best = s;
          selected = [c];
        } else if (s === best) selected.push(c);
      }
      if (selected.length === 1) return selected[0];
      remaining = selected;
    }
    return remaining[0];
  }
}
