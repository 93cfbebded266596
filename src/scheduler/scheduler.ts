import type { Random } from '../util/random';
import {
  Diagnosis,
  fitErrorMessage,
  numFeasibleNodesToFind,
  prioritizeAndSelect,
  runPreFilter,
  type CycleFilters,
  type Profile,
  type ScoreColumns,
  type ScoreRecord,
} from './framework';
import type { NodeInfo } from './node-info';
import type { PodInfo } from './pod-info';
import { type DefaultPreemption, NOT_ELIGIBLE_NEVER, type Candidate } from './preemption';
import type { Snapshot } from './snapshot';
import { unresolvable, type Status } from './status';

/** Scheduler.window's ranges kept at most (then begun again) */
const WINDOWS_KEPT = 64;

/** schedule_one.go ErrNoNodesAvailable */
export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export type ScheduleResult =
  | { kind: 'bound'; node: NodeInfo }
  | {
      kind: 'unschedulable';
      /** PodScheduled condition reason: Unschedulable, or SchedulerError when scheduling could not run */
      reason: 'Unschedulable' | 'SchedulerError';
      /** the FailedScheduling message */
      message: string;
      /** set (node name), clear (''), or keep (undefined) status.nominatedNodeName */
      nominatedNodeName: string | undefined;
      preemption?: { candidate: Candidate; lowerPriorityNominated: PodInfo[] };
      /** the pod waits for victims it already preempted: leave its status alone */
      waitingForVictims?: boolean;
    };

/** What one scheduling cycle saw, for explanations (kube-scheduler-simulator's annotations). */
export interface CycleRecord {
  /** the PreFilter rejection that every node got */
  preFilterRejected?: Status;
  /** the filter plugins that ran, in order */
  filterPlugins: readonly string[];
  /**
   * The nodes evaluated: `count` of `nodes` from `start` on, wrapping past the end (the
   * round-robin search walks a range of the node list; a per-node entry cost more than the
   * filters at 500 nodes a cycle)
   */
  nodes: readonly NodeInfo[];
  /** `nodes` are the snapshot's own, in its order: the node at position i has index i */
  whole: boolean;
  start: number;
  count: number;
  /** the evaluated nodes a filter rejected (most cycles: none): positions in the evaluation, ascending, and statuses */
  rejectedAt: number[];
  rejected: Status[];
  /** the scores of the evaluated nodes that passed, in evaluation order (absent when one node or none passed) */
  scored?: ScoreRecord;
  selected?: string;
  /** score columns reused from cycle to cycle: the record must be written out before the next cycle given them */
  columns?: ScoreColumns;
}

/** A record for a cycle to fill: nothing evaluated yet. */
export function newCycleRecord(columns?: ScoreColumns): CycleRecord {
  columns?.reset();
  return { filterPlugins: [], nodes: [], whole: false, start: 0, count: 0, rejectedAt: [], rejected: [], columns };
}

/** The i-th node the cycle evaluated. */
export function evaluatedNode(record: CycleRecord, i: number): NodeInfo {
  const n = record.nodes.length;
  const at = record.start + i;
  return record.nodes[at < n ? at : at - n];
}

/** Each node the cycle evaluated, with its status (null: it passed every filter), in evaluation order. */
export function evaluatedNodes(record: CycleRecord): { node: NodeInfo; status: Status | null }[] {
  const out: { node: NodeInfo; status: Status | null }[] = [];
  for (let i = 0; i < record.count; i++) out.push({ node: evaluatedNode(record, i), status: null });
  record.rejectedAt.forEach((i, r) => (out[i].status = record.rejected[r]));
  return out;
}

/**
 * One scheduling cycle per pod (schedule_one.go): PreFilter, the nominated node first,
 * then Filter over the nodes from a round-robin start until enough feasible nodes are
 * found, Score, pick; PostFilter (preemption) when nothing fits.
 */
export class Scheduler {
  /** sched.nextStartNodeIndex: where the next cycle's node search starts */
  nextStartNodeIndex = 0;
  private readonly feasible: NodeInfo[] = [];
  /** feasible[i].index, for the scorers' loops over the snapshot's columns (reused as `feasible` is) */
  private feasibleIndex: Int32Array = new Int32Array(0);
  /** the last search's feasible nodes' indexes: feasibleIndex, or a window's */
  private searchedIndex: Int32Array = this.feasibleIndex;
  /**
   * Ranges of the snapshot's nodes that every node passed (see search), by start: at 5,000 nodes
   * a pod's 500 nodes are one of 10 ranges, taken again and again
   */
  private windows = new Map<number, { nodes: NodeInfo[]; index: Int32Array }>();
  private windowsOf: readonly NodeInfo[] | undefined = undefined;
  private windowsCount = 0;

  constructor(
    private readonly profile: Profile,
    private readonly snapshot: Snapshot,
    private readonly random: Random,
    /** the PostFilter, when the profile enables DefaultPreemption */
    private readonly preemption: DefaultPreemption | undefined,
  ) {}

  schedule(pod: PodInfo, record?: CycleRecord): ScheduleResult {
    const all = this.snapshot.nodes;
    const d = new Diagnosis();
    let filters: CycleFilters | undefined;
    if (all.length === 0)
      return { kind: 'unschedulable', reason: 'SchedulerError', message: ERR_NO_NODES_AVAILABLE, nominatedNodeName: undefined };
    const pre = runPreFilter(this.profile, pod, this.snapshot);
    if (record) {
      if ('rejected' in pre) record.preFilterRejected = pre.rejected;
      else record.filterPlugins = pre.filters.names;
    }
    if ('rejected' in pre) {
      // every node gets the PreFilter's status, so that preemption sees it
      d.absentStatus = pre.rejected;
      d.preFilterMsg = pre.rejected.message();
    } else {
      filters = pre.filters;
      const nominated = pod.nominatedNodeName ? this.snapshot.nodeByName.get(pod.nominatedNodeName) : undefined;
      // the node preemption made room on is tried first (when it fails, the full search
      // below evaluates it again and records its status)
      if (nominated && filters.runWithNominated(nominated) === null) {
        if (record) {
          record.nodes = [nominated];
          record.count = 1;
          record.selected = nominated.name;
        }
        return { kind: 'bound', node: nominated };
      }
      let nodes = all;
      if (pre.nodeNames) {
        nodes = all.filter((n) => pre.nodeNames!.has(n.name));
        d.absentStatus = unresolvable(
          pre.restrictingPlugins[0],
          `node(s) didn't satisfy plugin(s) [${[...pre.restrictingPlugins].sort().join(' ')}]`,
        );
      }
      const feasible = this.findNodesThatPassFilters(filters, nodes, d, record);
      if (feasible.length === 1) {
        if (record) record.selected = feasible[0].name;
        return { kind: 'bound', node: feasible[0] };
      }
      if (feasible.length > 1) {
        const contiguous = record !== undefined && record.whole && record.rejected.length === 0;
        const scores: ScoreRecord | undefined =
          record &&
          (record.columns
            ? record.columns.record(contiguous)
            : { plugins: [], raw: [], normalized: [], weights: [], byNode: undefined, contiguous, columns: undefined });
        const node = feasible[prioritizeAndSelect(this.profile, pod, feasible, this.snapshot, this.searchedIndex, this.random, scores)];
        if (record) {
          // (the totals are not kept: nothing read them, and a copy per pod was 4 KB of garbage at
          // 500 nodes; nor are the feasible nodes: they are the evaluated ones that passed)
          record.scored = scores;
          record.selected = node.name;
        }
        return { kind: 'bound', node };
      }
    }
    return this.unschedulable(pod, filters, d);
  }

  /**
   * Filter from the round-robin start until numFeasibleNodesToFind nodes pass. A node a filter
   * surely rejects by a cheap check (PodTopologySpread's domain counts: with maxSkew 1 over 3
   * zones, two nodes in three while a zone is ahead) skips the filters ahead of it, whose
   * first rejection is its status: the feasible nodes and the nodes processed are the same, and
   * the statuses are only read when no node passes (or an explanation records them), when the
   * search runs again asking every filter.
   */
  private findNodesThatPassFilters(filters: CycleFilters, nodes: readonly NodeInfo[], d: Diagnosis, record?: CycleRecord): NodeInfo[] {
    const quick = !record && filters.rejecters.length > 0;
    const start = this.nextStartNodeIndex;
    const feasible = this.search(filters, nodes, d, quick, record);
    if (feasible.length > 0 || !quick) return feasible;
    // nothing passed: the statuses are the message and preemption's input. Every node was processed
    // and none passed, so the search over again, from the same start, ends where this one did.
    d.clearNodes();
    this.nextStartNodeIndex = start;
    return this.search(filters, nodes, d, false, record);
  }

  private search(filters: CycleFilters, nodes: readonly NodeInfo[], d: Diagnosis, quick: boolean, record?: CycleRecord): NodeInfo[] {
    const n = nodes.length;
    const snapshot = this.snapshot;
    const verdicts = quick ? filters.domainVerdicts : undefined;
    // reused cycle after cycle (nothing keeps it past the cycle), and overwritten rather than
    // emptied: an array emptied with length = 0 gives up its storage and grew again, by
    // reallocation, to hundreds of nodes for every pod (1.6 GB of garbage at 150k pods)
    const feasible = this.feasible;
    if (this.feasibleIndex.length < snapshot.nodes.length) this.feasibleIndex = new Int32Array(snapshot.nodes.length);
    const feasibleIndex = this.feasibleIndex;
    this.searchedIndex = feasibleIndex;
    // the nodes are the snapshot's in its order (a node's index is its place) unless a PreFilter narrowed them
    const whole = nodes === snapshot.nodes;
    const anyNominated = snapshot.anyNominated;
    // NodeResourcesFit's check on the columns (see PodFilter.fits), its requests read once
    const fit = filters.fit;
    const { podCount, allowedPodNumber, allocMilliCpu, reqMilliCpu, allocMemory, reqMemory, allocEphemeralStorage, reqEphemeralStorage } =
      snapshot.columns;
    const fitCpu = fit ? fit.milliCpu : 0;
    const fitMemory = fit ? fit.memory : 0;
    const fitEphemeral = fit ? fit.ephemeralStorage : 0;
    const noOthers = filters.others.length === 0;
    let found = 0;
    if (n > 0) {
      const numToFind = numFeasibleNodesToFind(n, this.profile.percentageOfNodesToScore);
      let at = this.nextStartNodeIndex % n;
      let processed = 0;
      if (record) {
        record.nodes = nodes;
        record.whole = whole;
        record.start = at;
      }
      if (fit !== undefined && noOthers && !anyNominated && snapshot.columns.everyNodeFits(fitCpu, fitMemory, fitEphemeral)) {
        // every node passes the one filter: the first numToFind from the start are the feasible
        // ones, as the loop below would find them (quick or not: no filter but the fit's runs)
        const count = numToFind < n ? numToFind : n;
        if (whole) {
          // (the range is the same nodes each time its start comes round: kept, not copied again;
          // a record holds the range by its start and count, as the loop below leaves it)
          const window = this.window(nodes, at, count);
          this.searchedIndex = window.index;
          if (record) record.count = count;
          this.nextStartNodeIndex = (this.nextStartNodeIndex + count) % n;
          return window.nodes;
        }
        for (let i = 0; i < count; i++, at = at + 1 === n ? 0 : at + 1) {
          const node = nodes[at];
          if (i < feasible.length) feasible[i] = node;
          else feasible.push(node);
          feasibleIndex[i] = whole ? at : node.index;
        }
        found = processed = count;
      } else
        for (let i = 0; i < n; i++, at = at + 1 === n ? 0 : at + 1) {
          const idx = whole ? at : nodes[at].index;
          processed++;
          let status: Status | null;
          // (a nominated pod counted on the node can change a filter's verdict: those ask every filter)
          if (anyNominated && nodes[at].nominatedPods.length > 0) status = filters.runWithNominated(nodes[at]);
          else if (quick && (verdicts !== undefined ? verdicts.rejected[verdicts.of[idx] + 1] === 1 : filters.surelyRejected(nodes[at])))
            continue;
          else if (
            fit !== undefined &&
            podCount[idx] + 1 <= allowedPodNumber[idx] &&
            !(fitCpu > 0 && fitCpu > allocMilliCpu[idx] - reqMilliCpu[idx]) &&
            !(fitMemory > 0 && fitMemory > allocMemory[idx] - reqMemory[idx]) &&
            !(fitEphemeral > 0 && fitEphemeral > allocEphemeralStorage[idx] - reqEphemeralStorage[idx])
          )
            // the fit filter passes the node (fitsColumns, inlined): the others decide
            status = noOthers ? null : filters.runOthers(nodes[at]);
          else status = filters.run(nodes[at]);
          if (status === null) {
            const node = nodes[at];
            if (found < feasible.length) feasible[found] = node;
            else feasible.push(node);
            feasibleIndex[found] = idx;
            if (++found >= numToFind) break;
          } else {
            d.set(nodes[at], status);
            if (record) {
              record.rejectedAt.push(processed - 1);
              record.rejected.push(status);
            }
          }
        }
      if (record) record.count = processed;
      this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % snapshot.nodes.length;
    }
    if (feasible.length > found) feasible.length = found;
    return feasible;
  }

  /** The `count` nodes from `start` on, wrapping, and their indexes: kept for the next time (a few dozen starts at most). */
  private window(nodes: readonly NodeInfo[], start: number, count: number): { nodes: NodeInfo[]; index: Int32Array } {
    if (this.windowsOf !== nodes || this.windowsCount !== count || this.windows.size >= WINDOWS_KEPT) {
      this.windows.clear();
      this.windowsOf = nodes;
      this.windowsCount = count;
    }
    let window = this.windows.get(start);
    if (window === undefined) {
      const n = nodes.length;
      window = { nodes: new Array<NodeInfo>(count), index: new Int32Array(count) };
      for (let i = 0, at = start; i < count; i++, at = at + 1 === n ? 0 : at + 1) {
        window.nodes[i] = nodes[at];
        window.index[i] = at;
      }
      this.windows.set(start, window);
    }
    return window;
  }

  private unschedulable(pod: PodInfo, filters: CycleFilters | undefined, d: Diagnosis): ScheduleResult {
    const numAll = this.snapshot.nodes.length;
    // no PostFilter plugin: no preemption, and no "preemption:" part in the message
    if (!this.preemption)
      return { kind: 'unschedulable', reason: 'Unschedulable', message: fitErrorMessage(numAll, d), nominatedNodeName: undefined };
    const outcome = this.preemption.preempt(pod, filters, d);
    switch (outcome.kind) {
      case 'preempt':
        // preemption succeeded: the pod still failed this cycle, without a preemption note
        return {
          kind: 'unschedulable',
          reason: 'Unschedulable',
          message: fitErrorMessage(numAll, d),
          nominatedNodeName: outcome.candidate.node.name,
          preemption: { candidate: outcome.candidate, lowerPriorityNominated: outcome.lowerPriorityNominated },
        };
      case 'failed':
        d.postFilterMsg = `preemption: ${outcome.message}`;
        return { kind: 'unschedulable', reason: 'Unschedulable', message: fitErrorMessage(numAll, d), nominatedNodeName: '' };
      case 'ineligible':
        d.postFilterMsg = `preemption: ${outcome.message}`;
        return {
          kind: 'unschedulable',
          reason: 'Unschedulable',
          message: fitErrorMessage(numAll, d),
          nominatedNodeName: undefined,
          waitingForVictims: outcome.message !== NOT_ELIGIBLE_NEVER,
        };
    }
  }
}
