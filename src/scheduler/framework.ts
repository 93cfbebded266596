import type { Random } from '../util/random';
import { CHANGES_KEPT, type NodeColumns, type NodeInfo } from './node-info';
import type { PodInfo } from './pod-info';
import type { Snapshot } from './snapshot';
import { Code, isSkip, Status, unresolvable } from './status';

/**
 * The kube-scheduler framework, reduced to the extension points kubesim needs:
 * PreFilter → Filter (with nominated pods) → PostFilter (preemption) → PreScore → Score →
 * NormalizeScore → Reserve (assume) → Bind. A plugin's PreFilter/PreScore looks at the pod
 * once per cycle and returns an object bound to that pod (kube keeps the same data in
 * CycleState); the per-node calls then need no lookups.
 */

/** A filter's verdicts by the value of one node label: node i is rejected when rejected[of[i] + 1] is 1 (of[i] −1: no label). */
export interface DomainVerdicts {
  of: Int32Array;
  rejected: Uint8Array;
}

/** The requests NodeResourcesFit checks on the columns (cpu in millicores, the others in units). */
export interface ColumnFit {
  milliCpu: number;
  memory: number;
  ephemeralStorage: number;
}

/** A filter bound to one pod for one scheduling cycle. */
export interface PodFilter {
  /** null when the node passes */
  filter(node: NodeInfo): Status | null;
  /** PreFilterResult: only these nodes can pass */
  readonly nodeNames?: ReadonlySet<string>;
  /**
   * true only when filter() rejects the node: a check cheap enough (PodTopologySpread's is its
   * domain's count) that the node search asks it before the filters ahead of this one, which a
   * node it rejects need not pass through (see Scheduler.findNodesThatPassFilters). Absent when
   * the filter has no such check, or rejects no node this cycle.
   */
  rejects?(node: NodeInfo): boolean;
  /** rejects() as a table, when it reads one node label alone (one topology key of few values) */
  readonly rejectedDomains?: DomainVerdicts;
  /**
   * NodeResourcesFit's check when the pod requests no extended resource: filter() passes a
   * snapshot node exactly when these fit in what the snapshot's columns leave free, which the node
   * search checks in its own loop (filter() is still asked for a node that does not fit: its
   * status, or an earlier filter's, is the node's).
   */
  readonly fits?: ColumnFit;
  /**
   * PreFilterExtensions for preemption dry runs and nominated pods: a copy whose
   * counts addPod/removePod can change without touching this one.
   */
  clone?(): PodFilter;
  addPod?(p: PodInfo, node: NodeInfo): void;
  removePod?(p: PodInfo, node: NodeInfo): void;
}

/** PodScorer.normalizedTable's answer. */
export interface NormalizedTable {
  table: Float64Array;
  offset: number;
  /** the entries that hold scores: table[0] to table[length − 1] */
  length: number;
}

/** A scorer bound to one pod and its feasible nodes. */
export interface PodScorer {
  score(node: NodeInfo): number;
  /**
   * score() for every node into out[i]: the loop lives in the plugin, so its call to
   * score stays monomorphic (hot plugins; a call per node per plugin costs more than the score).
   * index[i] is nodes[i].index (the nodes are the snapshot's own: its columns hold their numbers),
   * so the loop reads typed arrays, not each node's object.
   */
  scoreAll?(nodes: readonly NodeInfo[], out: Float64Array, index: Int32Array): void;
  /** NormalizeScore, in place; scores[i] belongs to nodes[i] */
  normalize?(scores: Float64Array, nodes: readonly NodeInfo[]): void;
  /**
   * normalize() as a table, when it has one for these scores (scoreAll's, just given): the
   * normalized score of scores[i] is table[scores[i] − offset]. prioritizeAndSelect then adds it, times the
   * weight, in the loop that adds the kept node-local sums, instead of normalizing in place and
   * adding in loops of their own. The table is valid until the next call.
   */
  normalizedTable?(scores: Float64Array): NormalizedTable | undefined;
  /**
   * Set when a node's score is an integer that depends only on that node's numbers in the
   * snapshot's columns (NodeColumns) and on these numbers of the pod (its requests: the same
   * for every pod of a template), and there is no normalize: prioritizeAndSelect then remembers the
   * weighted sum of such scores per node (see nodeLocalTotals) and asks scoreAll only for the
   * nodes whose numbers changed since.
   */
  readonly nodeLocal?: readonly number[];
  /**
   * Set by a scorer whose scores are whole numbers 0–255: its scores as bytes by node index (the
   * snapshot's), each as scoreAll last gave it: after scoreAll, those of the nodes it scored. A
   * recorder reads a cycle's column from it instead of rounding the scores one by one.
   */
  readonly byNode?: () => Uint8Array;
}

export interface Plugin {
  readonly name: string;
  /** PreFilter: SKIP when the plugin has nothing to check, a rejection for every node, or a bound filter */
  preFilter?(pod: PodInfo, snapshot: Snapshot): PodFilter | Status;
  /** PreScore: SKIP when every node would score the same */
  preScore?(pod: PodInfo, feasible: readonly NodeInfo[], snapshot: Snapshot): PodScorer | Status;
  /** the normalized score every node has when preScore skipped where kube's plugin does not (explanations) */
  readonly skippedScore?: number;
}

export interface ScoreEntry {
  plugin: Plugin;
  weight: number;
}

/** DefaultPreemptionArgs: how many candidate nodes a dry run looks for. */
export interface PreemptionArgs {
  minCandidateNodesPercentage: number;
  minCandidateNodesAbsolute: number;
}

/** One scheduler profile (KubeSchedulerProfile) as the framework runs it. */
export interface Profile {
  /** the schedulerName pods name to be scheduled by this profile; also its events' source */
  schedulerName: string;
  filters: Plugin[];
  scores: ScoreEntry[];
  /** DefaultPreemption as the PostFilter, or none */
  preemption: PreemptionArgs | undefined;
  /** 0: adaptive */
  percentageOfNodesToScore: number;
  /** the SchedulingGates PreEnqueue plugin: gated pods wait */
  schedulingGates: boolean;
}

/** framework.MaxNodeScore */
export const MAX_NODE_SCORE = 100;

const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/**
 * numFeasibleNodesToFind with the adaptive percentageOfNodesToScore default: every node
 * under 100 nodes, else 50% − nodes/125 (at least 5%), and at least 100 nodes.
 */
export function numFeasibleNodesToFind(numAllNodes: number, percentageOfNodesToScore = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage === 0) {
    percentage = 50 - Math.trunc(numAllNodes / 125);
    if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const numNodes = Math.trunc((numAllNodes * percentage) / 100);
  return numNodes < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : numNodes;
}

const NONE: PodFilter[] = [];
const NO_PLUGINS: string[] = [];
const NO_NODES: NodeInfo[] = [];
const NO_STATUSES: Status[] = [];

/** The filters bound to one pod in one cycle, in profile order. */
export class CycleFilters {
  /** the filters with a cheap certain rejection (PodFilter.rejects) */
  readonly rejecters: PodFilter[];
  /** the one rejecter's check as a table, when it has one */
  readonly domainVerdicts: DomainVerdicts | undefined;
  /** the one filter's check on the columns (PodFilter.fits), when one filter has it */
  readonly fit: ColumnFit | undefined;
  /** the filters but the one with `fit`, in order: a node that fits passes when these pass it */
  readonly others: PodFilter[];

  constructor(
    readonly pod: PodInfo,
    readonly filters: PodFilter[],
    /** the plugin of each filter (explanations) */
    readonly names: readonly string[] = [],
  ) {
    // (one cycle per pod: arrays only where there is something to list)
    let rejecters: PodFilter[] | undefined;
    let fitting: PodFilter | undefined;
    let fits = 0;
    for (const f of filters) {
      if (f.rejects !== undefined) (rejecters ??= []).push(f);
      if (f.fits !== undefined) {
        fitting = f;
        fits++;
      }
    }
    this.rejecters = rejecters ?? NONE;
    this.domainVerdicts = this.rejecters.length === 1 ? this.rejecters[0].rejectedDomains : undefined;
    this.fit = fits === 1 ? fitting!.fits : undefined;
    this.others = this.fit ? filters.filter((f) => f !== fitting) : filters;
  }

  /** run() for a node whose column check passed (the fit filter passes it): the first rejection of the others. */
  runOthers(node: NodeInfo): Status | null {
    const others = this.others;
    for (let i = 0; i < others.length; i++) {
      const s = others[i].filter(node);
      if (s !== null) return s;
    }
    return null;
  }

  /** Some filter surely rejects the node (its first rejection may still be another's: run() tells it). */
  surelyRejected(node: NodeInfo): boolean {
    const rejecters = this.rejecters;
    for (let i = 0; i < rejecters.length; i++) if (rejecters[i].rejects!(node)) return true;
    return false;
  }

  /** RunFilterPlugins: the first rejection wins. */
  run(node: NodeInfo): Status | null {
    const filters = this.filters;
    for (let i = 0; i < filters.length; i++) {
      const s = filters[i].filter(node);
      if (s !== null) return s;
    }
    return null;
  }

  clone(): CycleFilters {
    return new CycleFilters(
      this.pod,
      this.filters.map((f) => (f.clone ? f.clone() : f)),
      this.names,
    );
  }

  addPod(p: PodInfo, node: NodeInfo): void {
    for (const f of this.filters) f.addPod?.(p, node);
  }

  removePod(p: PodInfo, node: NodeInfo): void {
    for (const f of this.filters) f.removePod?.(p, node);
  }

  /**
   * RunFilterPluginsWithNominatedPods: with pods of equal or higher priority nominated
   * to the node counted as running there (they must not lose the room preemption made
   * for them), and — when that passes — once more without them.
   */
  runWithNominated(node: NodeInfo): Status | null {
    if (node.nominatedPods.length === 0) return this.run(node);
    let nodeWith: NodeInfo | undefined;
    let filtersWith: CycleFilters | undefined;
    for (const np of node.nominatedPods) {
      if (np.uid === this.pod.uid || np.priority < this.pod.priority) continue;
      nodeWith ??= node.clone();
      filtersWith ??= this.clone();
      nodeWith.addPod(np);
      filtersWith.addPod(np, nodeWith);
    }
    if (!nodeWith || !filtersWith) return this.run(node);
    const status = filtersWith.run(nodeWith);
    if (status !== null) return status;
    return this.run(node);
  }
}

export type PreFilterOutcome = { filters: CycleFilters; nodeNames?: Set<string>; restrictingPlugins: string[] } | { rejected: Status };

/**
 * RunPreFilterPlugins: Skip drops a plugin's Filter for this cycle; an
 * UnschedulableAndUnresolvable rejection ends the cycle at once, an Unschedulable one
 * after the other PreFilters ran (preemption may still help).
 */
export function runPreFilter(profile: Profile, pod: PodInfo, snapshot: Snapshot): PreFilterOutcome {
  const filters: PodFilter[] = [];
  const names: string[] = [];
  let nodeNames: Set<string> | undefined;
  // (an empty list shared until a plugin restricts the nodes: most cycles none does)
  let restrictingPlugins: string[] = NO_PLUGINS;
  let rejected: Status | undefined;
  for (const plugin of profile.filters) {
    if (!plugin.preFilter) continue;
    const result = plugin.preFilter(pod, snapshot);
    if (result instanceof Status) {
      if (isSkip(result) || result.code === Code.Success) continue;
      if (result.code === Code.UnschedulableAndUnresolvable) return { rejected: result };
      rejected ??= result;
      continue;
    }
    if (result.nodeNames) {
      if (restrictingPlugins === NO_PLUGINS) restrictingPlugins = [];
      restrictingPlugins.push(plugin.name);
      nodeNames = nodeNames ? new Set([...nodeNames].filter((n) => result.nodeNames!.has(n))) : new Set(result.nodeNames);
      if (nodeNames.size === 0) {
        const msg =
          restrictingPlugins.length === 1
            ? `node(s) didn't satisfy plugin ${restrictingPlugins[0]}`
            : `node(s) didn't satisfy plugin(s) [${restrictingPlugins.join(' ')}] simultaneously`;
        return { rejected: unresolvable(plugin.name, msg) };
      }
    }
    filters.push(result);
    names.push(plugin.name);
  }
  if (rejected) return { rejected };
  return { filters: new CycleFilters(pod, filters, names), nodeNames, restrictingPlugins };
}

/** Each score plugin's scores of the feasible nodes, as kube-scheduler-simulator records them. */
export interface ScoreRecord {
  plugins: string[];
  /** what Score gave (0 for a plugin that skipped) */
  raw: Float64Array[];
  /** normalized (the raw array itself for a plugin that does not normalize); final = normalized × weight */
  normalized: Float64Array[];
  weights: number[];
  /**
   * Per plugin, its PodScorer.byNode when it has one, the recorder reuses columns and `contiguous`:
   * the plugin's column is then those bytes of the scored nodes, in order, and its raw (and
   * normalized) column an empty array, not read (the kept sums' upkeep is what scores the nodes:
   * see addNodeLocalTotals). Absent otherwise.
   */
  byNode?: (Uint8Array | undefined)[];
  /**
   * the scored nodes are the snapshot's own from CycleRecord.start on, in its order, wrapping past
   * the end (the search evaluated the whole list and rejected none)
   */
  contiguous?: boolean;
  /** where copies of varying columns go when the recorder reuses columns cycle after cycle (else fresh arrays) */
  columns?: ScoreColumns;
}

/**
 * Score columns reused cycle after cycle, for a recorder that writes each cycle's record out
 * before the next cycle starts (the scheduler controller: the pod's compact record). A fresh
 * column per varying score per pod (4 KB at 500 nodes) was a backing store outside V8's heap
 * each, allocated and swept; these are allocated once per pass (again only when the number of
 * feasible nodes changes). A column given out is valid until reset().
 */
export class ScoreColumns {
  private readonly columns: Float64Array[] = [];
  private used = 0;
  private scores: ScoreRecord | undefined = undefined;

  /**
   * The score record for this cycle: one object reused, its lists written over (valid, as the
   * columns, until the next cycle's record is asked for).
   */
  record(contiguous: boolean): ScoreRecord {
    this.scores ??= { plugins: [], raw: [], normalized: [], weights: [], byNode: [], columns: this };
    this.scores.contiguous = contiguous;
    return this.scores;
  }

  /** A new cycle: the columns given out before are given out again. */
  reset(): void {
    this.used = 0;
  }

  copy(scores: Float64Array): Float64Array {
    const column = this.next(scores.length);
    column.set(scores);
    return column;
  }

  /** A column of this length to score into (its contents are the last cycle's). */
  next(length: number): Float64Array {
    let column = this.columns[this.used];
    if (column === undefined || column.length !== length) this.columns[this.used] = column = new Float64Array(length);
    this.used++;
    return column;
  }
}

/**
 * Scores the feasible nodes (each plugin's scores, normalized, weighted and summed), then selectHost: the place in `feasible` of the node picked. The last loop that
 * adds up the totals picks the node as it goes (the totals then need not be written nor read
 * again: at 500 nodes a pod, the loop selectHost would add was a fifth of the scoring).
 */
export function prioritizeAndSelect(
  profile: Profile,
  pod: PodInfo,
  feasible: readonly NodeInfo[],
  snapshot: Snapshot,
  index: Int32Array,
  random: Random,
  /**
   * each plugin's scores (as prioritizeAndSelect's record): the node picked is the one selectHost picks of
   * prioritizeAndSelect's totals, the kept sums and the draws the same (a recorded cycle's two loops over
   * the nodes, adding the kept sums into the totals and selecting, were a third of recording's cost)
   */
  record?: ScoreRecord,
): number {
  const selected = prioritizeOrSelect(profile, pod, feasible, snapshot, index, record, random);
  return selected >= 0 ? selected : selectHost(scratch.total, random);
}

/** The totals into scratch.total, or, when the last loop picked the node as it added them, that node's place (else −1). */
function prioritizeOrSelect(
  profile: Profile,
  pod: PodInfo,
  feasible: readonly NodeInfo[],
  snapshot: Snapshot,
  index: Int32Array,
  record: ScoreRecord | undefined,
  random: Random,
): number {
  // one cycle at a time: the buffers are reused (two fresh arrays per pod were most of the
  // scheduler's garbage); the totals are valid until the next call
  const grow = scratch.totals.length < feasible.length;
  if (grow) {
    scratch.totals = new Float64Array(feasible.length);
    scratch.scores = new Float64Array(feasible.length);
    scratch.others = new Float64Array(feasible.length);
  }
  // (the views of the last length kept too: most cycles score as many nodes as the one before)
  if (grow || scratch.total.length !== feasible.length) {
    scratch.total = scratch.totals.subarray(0, feasible.length);
    scratch.score = scratch.scores.subarray(0, feasible.length);
    scratch.other = scratch.others.subarray(0, feasible.length);
  }
  const total = scratch.total;
  let scores = scratch.score;
  total.fill(0);
  /** a scorer's raw scores and its normalize as a table, added with the node-local sums (see normalizedTable) */
  let deferred: DeferredScores | undefined;
  /**
   * the node-local scorers and their weights: their totals are the kept sums. A record wants each
   * plugin's scores too: a recorder that reuses columns gets them scored straight into one, which
   * prioritizeAndSelect then need not copy nor add up (of a recorded cycle at 5,000 nodes, the two such
   * plugins' copies and sums over 500 nodes were most of what recording cost in prioritizeAndSelect)
   */
  let local: LocalScorer[] | undefined;
  let totalsAdded = false;
  const reused = record?.columns;
  /** the plugins recorded so far */
  let recorded = 0;
  for (let entry = 0; entry < profile.scores.length; entry++) {
    const { plugin, weight } = profile.scores[entry];
    if (!plugin.preScore) continue;
    const scorer = plugin.preScore(pod, feasible, snapshot);
    if (scorer instanceof Status) {
      if (record) {
        recordScores(
          record,
          recorded++,
          plugin.name,
          constantColumn(feasible.length, 0),
          constantColumn(feasible.length, plugin.skippedScore ?? 0),
          weight,
          undefined,
        );
      }
      continue;
    }
    // (integer scores times integer weights: their sum is exact in any order, so it may be added
    // to the others' at the end)
    if ((!record || reused) && scorer.nodeLocal !== undefined && Number.isInteger(weight)) {
      (local ??= []).push({ entry, scorer, weight });
      if (record && reused) {
        // (a node-local scorer has no normalize: its final column is its raw one)
        const bytes = record.contiguous ? scorer.byNode?.() : undefined;
        let column: Float64Array = NOT_SCORED;
        if (bytes === undefined) {
          column = reused.next(feasible.length);
          if (scorer.scoreAll) scorer.scoreAll(feasible, column, index);
          else for (let i = 0; i < feasible.length; i++) column[i] = scorer.score(feasible[i]);
        }
        recordScores(record, recorded++, plugin.name, column, column, weight, bytes);
      }
      continue;
    }
    if (scorer.scoreAll) scorer.scoreAll(feasible, scores, index);
    else for (let i = 0; i < feasible.length; i++) scores[i] = scorer.score(feasible[i]);
    if (!record && deferred === undefined && scorer.normalizedTable !== undefined && Number.isInteger(weight)) {
      const normalized = scorer.normalizedTable(scores);
      if (normalized !== undefined) {
        // (the later scorers score into the other scratch array: these raw scores are read at the end)
        deferred = { raw: scores, weighted: weightedTable(normalized, weight), offset: normalized.offset };
        scores = scratch.other;
        continue;
      }
    }
    const raw = record && copyColumn(scores, record.columns);
    scorer.normalize?.(scores, feasible);
    for (let i = 0; i < feasible.length; i++) total[i] += scores[i] * weight;
    totalsAdded = true;
    if (record && raw) {
      recordScores(record, recorded++, plugin.name, raw, scorer.normalize ? copyColumn(scores, record.columns) : raw, weight, undefined);
    }
  }
  // (a reused record's lists keep the last cycle's length: cut only when this cycle recorded fewer)
  if (record && record.plugins.length !== recorded) recordedPlugins(record, recorded);
  if (local) return addNodeLocalTotals(profile, snapshot, local, feasible, index, scores, total, deferred, random, totalsAdded);
  if (deferred) {
    const { raw, weighted, offset } = deferred;
    for (let i = 0; i < feasible.length; i++) total[i] += weighted[(raw[i] - offset) | 0];
  }
  return -1;
}

/**
 * A plugin's scores into the record's lists at p: written over the last cycle's when the record is
 * reused (ScoreColumns.record: five lists grown anew per pod were a tenth of what recording allocated).
 */
function recordScores(
  record: ScoreRecord,
  p: number,
  plugin: string,
  raw: Float64Array,
  normalized: Float64Array,
  weight: number,
  bytes: Uint8Array | undefined,
): void {
  record.plugins[p] = plugin;
  record.raw[p] = raw;
  record.normalized[p] = normalized;
  record.weights[p] = weight;
  if (record.byNode) record.byNode[p] = bytes;
}

/** The record's lists cut to the plugins recorded. */
function recordedPlugins(record: ScoreRecord, count: number): void {
  record.plugins.length = count;
  record.raw.length = count;
  record.normalized.length = count;
  record.weights.length = count;
  if (record.byNode) record.byNode.length = count;
}

/**
 * A scorer's raw scores with its normalize as a table times its weight (an integer: the totals
 * stay whole, added in any order): the weighted normalized score of raw[i] is weighted[raw[i] − offset].
 */
interface DeferredScores {
  raw: Float64Array;
  weighted: Float64Array;
  offset: number;
}

/** the normalized table times the weight, entry by entry (a few dozen entries a pod, instead of a product per node) */
function weightedTable(normalized: NormalizedTable, weight: number): Float64Array {
  const { table, length } = normalized;
  if (scratch.weighted.length < length) scratch.weighted = new Float64Array(Math.max(length, table.length));
  const weighted = scratch.weighted;
  for (let v = 0; v < length; v++) weighted[v] = table[v] * weight;
  return weighted;
}

/**
 * The weighted sum of a profile's node-local scores (PodScorer.nodeLocal) of each node, for
 * pods of equal inputs to them, valid while the node's generation is the stamp: a node's
 * numbers change only when a pod is added to or removed from it (one node in hundreds per pod),
 * so the pods of a ReplicaSet mostly read one sum per node instead of each plugin working out
 * its divisions and prioritizeAndSelect adding them up.
 */
interface LocalTotals {
  /** per node-local scorer: its place in the profile's scores, its weight, then its nodeLocal numbers */
  key: number[];
  /**
   * the scorers' bytes (PodScorer.byNode) the sums were kept with: a node whose sum is current
   * has its bytes current too (its sum was kept when scoreAll scored it, which writes them), while
   * they are the same arrays; other arrays (a scorer's memo given up and made again) void the sums
   */
  bytes: (Uint8Array | undefined)[];
  stamp: Uint32Array;
  sum: Float64Array;
  /** NodeColumns.changes when every node's sum was last made current (−1: not since the stamps were cleared) */
  seen: number;
}

const localTotals = new WeakMap<NodeColumns, Map<Profile, LocalTotals[]>>();
/** sums kept per profile and snapshot (a few request sizes are common; any number of them costs at most this many) */
const LOCAL_TOTALS_KEPT = 16;

/** A node-local scorer of this cycle: its place in the profile's scores, and its weight. */
interface LocalScorer {
  entry: number;
  scorer: PodScorer;
  weight: number;
}

/**
 * Picks the node of the highest total, each feasible node's sum of the node-local scores added to
 * it as it goes: the kept sum, made current first for the nodes changed since (kept for the next pods).
 */
function addNodeLocalTotals(
  profile: Profile,
  snapshot: Snapshot,
  local: LocalScorer[],
  feasible: readonly NodeInfo[],
  index: Int32Array,
  /** scratch */
  scores: Float64Array,
  total: Float64Array,
  /** a normalized scorer's scores to add in the same loop */
  deferred: DeferredScores | undefined,
  /** picks the node in the same loop (selectHost): its place is returned, the totals left unwritten */
  random: Random,
  /** a scorer added its scores to `total` (else it holds zeros) */
  totalsAdded: boolean,
): number {
  const columns = snapshot.columns;
  let byProfile = localTotals.get(columns);
  if (!byProfile) localTotals.set(columns, (byProfile = new Map()));
  let list = byProfile.get(profile);
  if (!list) byProfile.set(profile, (list = []));
  let totals: LocalTotals | undefined;
  for (const t of list) if (sameKey(t.key, local)) totals = t;
  if (!totals) {
    const key: number[] = [];
    for (const { entry, scorer, weight } of local) key.push(entry, weight, ...scorer.nodeLocal!);
    if (list.length >= LOCAL_TOTALS_KEPT) list.shift();
    totals = {
      key,
      bytes: [],
      stamp: new Uint32Array(columns.generation.length),
      sum: new Float64Array(columns.generation.length),
      seen: -1,
    };
    list.push(totals);
  }
  for (let s = 0; s < local.length; s++) {
    const bytes = local[s].scorer.byNode?.();
    if (totals.bytes[s] !== bytes) {
      totals.bytes[s] = bytes;
      totals.stamp.fill(0);
      totals.seen = -1;
    }
  }
  keepEveryLocalSum(local, totals, columns, snapshot.nodes, scores);
  return selectByLocalTotals(totals, feasible.length, index, total, totalsAdded, deferred, random);
}

/**
 * Makes every node's kept sum current: those of the nodes whose generation was bumped since the
 * last time (NodeColumns.changed: one or two a pod), or of every node whose stamp is not its
 * generation when those are not all kept. The node-local scores are the same whichever nodes are
 * scored and when; a node outside this cycle's feasible ones is scored before its turn.
 */
function keepEveryLocalSum(
  local: LocalScorer[],
  totals: LocalTotals,
  columns: NodeColumns,
  nodes: readonly NodeInfo[],
  scores: Float64Array,
): void {
  const { stamp, sum } = totals;
  const generation = columns.generation;
  const changes = columns.changes;
  if (totals.seen >= 0 && changes - totals.seen <= CHANGES_KEPT) {
    const changed = columns.changed;
    for (let b = totals.seen; b < changes; b++) {
      const k = changed[b % CHANGES_KEPT];
      if (stamp[k] !== generation[k]) keepLocalSum(local, nodes[k], k, sum, scores, stamp, generation);
    }
  } else
    for (let k = 0; k < generation.length; k++)
      if (stamp[k] !== generation[k]) keepLocalSum(local, nodes[k], k, sum, scores, stamp, generation);
  totals.seen = changes;
}

/**
 * addNodeLocalTotals' loop, every kept sum current (keepEveryLocalSum), with selectHost's in it:
 * each node's total added as the two-step way adds it and compared with the best so far, its ties
 * listed and the draws made after the loop, as selectHost does.
 */
function selectByLocalTotals(
  totals: LocalTotals,
  n: number,
  index: Int32Array,
  total: Float64Array,
  totalsAdded: boolean,
  deferred: DeferredScores | undefined,
  random: Random,
): number {
  const sum = totals.sum;
  if (scratch.ties.length < n) scratch.ties = new Int32Array(n);
  /** the places of the nodes whose total is the best so far, in order (ties[0] the first) */
  const ties = scratch.ties;
  let count = 0;
  /** the draws selectHost made before the best so far first appeared */
  let before = 0;
  let bestTotal = 0;
  if (deferred !== undefined && !totalsAdded) {
    // (the system defaults' case: the kept sums and the spread's normalized score, nothing else)
    const { raw, weighted, offset } = deferred;
    for (let i = 0; i < n; i++) {
      const t = sum[index[i]] + weighted[(raw[i] - offset) | 0];
      if (i === 0) {
        bestTotal = t;
        ties[0] = 0;
        count = 1;
      } else if (t > bestTotal) {
        before += count - 1;
        bestTotal = t;
        ties[0] = i;
        count = 1;
      } else if (t === bestTotal) ties[count++] = i;
    }
  } else {
    const raw = deferred?.raw;
    const weighted = deferred?.weighted;
    const offset = deferred?.offset ?? 0;
    for (let i = 0; i < n; i++) {
      const k = index[i];
      const t = total[i] + (raw === undefined ? sum[k] : sum[k] + weighted![(raw[i] - offset) | 0]);
      if (i === 0) {
        bestTotal = t;
        ties[0] = 0;
        count = 1;
      } else if (t > bestTotal) {
        before += count - 1;
        bestTotal = t;
        ties[0] = i;
        count = 1;
      } else if (t === bestTotal) ties[count++] = i;
    }
  }
  if (n === 0) return 0;
  random.skip(before);
  return ties[random.reservoir(count)];
}

/** one node and its index, for keepLocalSum's scorers */
const oneNode: NodeInfo[] = [];
const oneIndex = new Int32Array(1);

/** A changed node's sum of the node-local scores, kept with its generation. */
function keepLocalSum(
  local: LocalScorer[],
  node: NodeInfo,
  k: number,
  sum: Float64Array,
  scores: Float64Array,
  stamp: Uint32Array,
  generation: Uint32Array,
): void {
  oneNode[0] = node;
  oneIndex[0] = k;
  sum[k] = 0;
  for (const { scorer, weight } of local) {
    if (scorer.scoreAll) scorer.scoreAll(oneNode, scores, oneIndex);
    else scores[0] = scorer.score(node);
    sum[k] += scores[0] * weight;
  }
  stamp[k] = generation[k];
}

/** A kept sum's key against this cycle's node-local scorers (the same profile's). */
function sameKey(key: readonly number[], local: readonly LocalScorer[]): boolean {
  let at = 0;
  for (const { entry, scorer, weight } of local) {
    if (key[at++] !== entry || key[at++] !== weight) return false;
    for (const v of scorer.nodeLocal!) if (key[at++] !== v) return false;
  }
  return at === key.length;
}

/** The raw column of a plugin whose recorded column is its bytes (ScoreRecord.byNode): never read. */
const NOT_SCORED: Float64Array = new Float64Array(0);

/** prioritizeAndSelect's buffers (totals, scores) and its views of them for the last number of nodes (total, score) */
const scratch = {
  totals: new Float64Array(0),
  scores: new Float64Array(0),
  others: new Float64Array(0),
  total: new Float64Array(0),
  score: new Float64Array(0),
  /** selectByLocalTotals' ties */
  ties: new Int32Array(0),
  /** DeferredScores.weighted */
  weighted: new Float64Array(0),
  /** the scores of the scorers after a deferred one (DeferredScores) */
  other: new Float64Array(0),
};

/**
 * Recorded score columns are read, never written: a column with one score for every node
 * (most plugins in most cycles) is one shared array per length and score instead of a fresh
 * 4 KB copy per plugin and pod; those copies were most of what recording cost in the cycle.
 */
const constantColumns = new Map<number, Map<number, Float64Array>>();
const CONSTANT_COLUMNS_KEPT = 64;
/** the score of every node in each shared constant column: the recorder then need not look at the column again */
const constantValues = new WeakMap<Float64Array, number>();

/** The score every node has in a recorded column, when it is one of the shared constant columns. */
export function constantOf(column: Float64Array): number | undefined {
  return constantValues.get(column);
}

function constantColumn(length: number, value: number): Float64Array {
  let byValue = constantColumns.get(length);
  if (!byValue) {
    // (bounded: cycles see few lengths, but a long run sees many)
    if (constantColumns.size >= CONSTANT_COLUMNS_KEPT) constantColumns.clear();
    constantColumns.set(length, (byValue = new Map()));
  }
  let column = byValue.get(value);
  if (!column) {
    if (byValue.size >= CONSTANT_COLUMNS_KEPT) byValue.clear();
    byValue.set(value, (column = new Float64Array(length).fill(value)));
    constantValues.set(column, value);
  }
  return column;
}

/**
 * A recorded copy of a score column: the shared constant column when every node got the same
 * (TaintToleration's 0s and normalized 100s most cycles: the encoder then need not look at
 * them, nor the column be copied), else one of the reused columns when the recorder reuses
 * them, else a copy.
 */
function copyColumn(scores: Float64Array, columns: ScoreColumns | undefined): Float64Array {
  const first = scores.length ? scores[0] : 0;
  let i = 1;
  while (i < scores.length && scores[i] === first) i++;
  // (Object.is: a -0 or NaN column is copied, so the record keeps exactly what was scored)
  if (i >= scores.length && Object.is(first, first + 0) && !Number.isNaN(first)) return constantColumn(scores.length, first);
  return columns ? columns.copy(scores) : scores.slice();
}

/**
 * selectHost: the highest total score; ties are broken uniformly at random (reservoir
 * sampling, as kube does) with the cluster's seeded PRNG: a draw of int(k) at each node that is
 * the k-th equal to the best so far, the node taken when it draws 0. Only the draws at the ties
 * of the greatest total decide; those before it first appears are made all the same. The loop
 * lists the ties and counts the draws before them, and the draws are made after it, the same
 * numbers in the same order (Random.skip, Random.reservoir: no call per tie in the loop).
 */
export function selectHost(totals: Float64Array, random: Random): number {
  const n = totals.length;
  if (n === 0) return 0;
  if (scratch.ties.length < n) scratch.ties = new Int32Array(n);
  const ties = scratch.ties;
  let bestTotal = totals[0];
  ties[0] = 0;
  let count = 1;
  let before = 0;
  for (let i = 1; i < n; i++) {
    const t = totals[i];
    if (t > bestTotal) {
      before += count - 1;
      bestTotal = t;
      ties[0] = i;
      count = 1;
    } else if (t === bestTotal) ties[count++] = i;
  }
  random.skip(before);
  return ties[random.reservoir(count)];
}

/**
 * framework.Diagnosis: why each node was rejected. Statuses are appended (a node is
 * evaluated once per cycle), so failing thousands of nodes costs no hashing.
 */
export class Diagnosis {
  // (shared empty lists until a node is rejected: most cycles reject none, and each made a Diagnosis)
  private nodes: NodeInfo[] = NO_NODES;
  private statuses: Status[] = NO_STATUSES;
  private byIndex: (Status | undefined)[] | undefined;
  /** the status of nodes not listed (PreFilter rejection, PreFilterResult, preemption) */
  absentStatus: Status | undefined;
  preFilterMsg = '';
  postFilterMsg = '';

  set(node: NodeInfo, status: Status): void {
    if (this.nodes === NO_NODES) {
      this.nodes = [];
      this.statuses = [];
    }
    this.nodes.push(node);
    this.statuses.push(status);
    this.byIndex = undefined;
  }

  /** Forgets every node's status (a node search starting over); the absent-nodes status stays. */
  clearNodes(): void {
    this.nodes = NO_NODES;
    this.statuses = NO_STATUSES;
    this.byIndex = undefined;
  }

  get size(): number {
    return this.nodes.length;
  }

  /** NodeToStatus.Get: the node's own status, else the absent-nodes status */
  statusOf(node: NodeInfo): Status | undefined {
    if (!this.byIndex) {
      this.byIndex = [];
      for (let i = 0; i < this.nodes.length; i++) this.byIndex[this.nodes[i].index] = this.statuses[i];
    }
    return this.byIndex[node.index] ?? this.absentStatus;
  }

  listed(): readonly Status[] {
    return this.statuses;
  }
}

/**
 * FitError.Error(): `0/N nodes are available: <count> <reason>, ….` with reasons counted
 * over nodes, sorted as strings; then the PostFilter (preemption) message. In v1.32 the
 * PostFilter message is appended with the same " %v." separator, hence the two dots.
 */
export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg) {
    msg += ` ${d.preFilterMsg}.`;
  } else {
    const reasons = new Map<string, number>();
    for (const status of d.listed()) for (const r of status.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1);
    if (d.size < numAllNodes && d.absentStatus) {
      for (const r of d.absentStatus.reasons) reasons.set(r, (reasons.get(r) ?? 0) + numAllNodes - d.size);
    }
    const parts = [...reasons].map(([r, n]) => `${n} ${r}`).sort(compareGoStrings);
    if (parts.length) msg += ` ${parts.join(', ')}.`;
  }
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}.`;
  return msg;
}

/** sort.Strings: byte-wise order (JS `<` compares UTF-16 units, the same for these ASCII texts). */
function compareGoStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
