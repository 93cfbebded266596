import type { Pod } from '../model/kinds';
import type { CycleRecord } from './scheduler';
import type { PerNode, SchedulingExplanation } from '../model/scheduling-explanation';
import {
  COMPACT_RECORD_ANNOTATION,
  encodeRounded,
  encodeNamedRuns,
  encodeWeightedScores,
  roundScores,
  RESULT_ANNOTATIONS,
  withExpandedRecord,
  type CompactRecord,
} from '../api/scheduling-annotations';

/** The facts of a cycle in the simulator's shape (its "passed" and string-typed scores). */
export function explanationOf(record: CycleRecord): SchedulingExplanation {
  const out: SchedulingExplanation = { preFilterStatus: {}, filter: {}, score: {}, finalScore: {}, selectedNode: record.selected ?? '' };
  if (record.preFilterRejected) out.preFilterStatus[record.preFilterRejected.plugin] = record.preFilterRejected.message();
  for (const { node, status } of record.evaluated) {
    const verdicts: Record<string, string> = {};
    for (const plugin of record.filterPlugins) {
      if (status && plugin === status.plugin) {
        verdicts[plugin] = status.message();
        break;
      }
      verdicts[plugin] = 'passed';
    }
    out.filter[node.name] = verdicts;
  }
  if (record.scored) {
    const { nodes, scores } = record.scored;
    nodes.forEach((node, i) => {
      const raw: Record<string, string> = {};
      const final: Record<string, string> = {};
      scores.plugins.forEach((plugin, p) => {
        raw[plugin] = String(Math.round(scores.raw[p][i]));
        final[plugin] = String(Math.round(scores.normalized[p][i] * scores.weights[p]));
      });
      out.score[node.name] = raw;
      out.finalScore[node.name] = final;
    });
  }
  return out;
}

/**
 * A cycle as the pod keeps it: the compact record (see api/scheduling-annotations), built from
 * the cycle's own arrays without a string per node and plugin.
 */
export function recordAnnotations(record: CycleRecord): Record<string, string> {
  const evaluated = record.evaluated;
  let rejected: CompactRecord['rejected'] = [];
  let messages: Map<string, number> | undefined;
  for (let i = 0; i < evaluated.length; i++) {
    const status = evaluated[i].status;
    if (!status) continue;
    // (most cycles reject no node: nothing allocated for them)
    if (!messages) {
      messages = new Map();
      rejected = [];
    }
    const message = status.message();
    let m = messages.get(message);
    if (m === undefined) messages.set(message, (m = messages.size));
    const plugin = record.filterPlugins.indexOf(status.plugin);
    rejected.push([i, plugin < 0 ? 0 : plugin, m]);
  }
  const pre = record.preFilterRejected;
  const scored = record.scored;
  const raw = scored ? scored.scores.raw.map(roundScores) : [];
  const rawEncoded = raw.map(encodeRounded);
  const compact: CompactRecord = {
    ...(pre ? { pre: [pre.plugin, pre.message()] } : {}),
    filterPlugins: [...record.filterPlugins],
    nodes: encodeNamedRuns(
      evaluated.length,
      (i) => evaluated[i].node.name,
      (i) => evaluated[i].node.countedName,
    ),
    rejected,
    messages: messages ? [...messages.keys()] : [],
    scorePlugins: scored ? [...scored.scores.plugins] : [],
    ...(scored && !scoredArePassing(record)
      ? {
          scored: encodeNamedRuns(
            scored.nodes.length,
            (i) => scored.nodes[i].name,
            (i) => scored.nodes[i].countedName,
          ),
        }
      : {}),
    raw: rawEncoded,
    final: scored
      ? scored.scores.normalized.map((column, p) => encodeWeightedScores(column, scored.scores.weights[p], raw[p], rawEncoded[p]))
      : [],
    selected: record.selected ?? '',
  };
  return { [COMPACT_RECORD_ANNOTATION]: JSON.stringify(compact) };
}

/** Whether the scored nodes are the evaluated nodes that passed, in order (the compact record then leaves them out). */
function scoredArePassing(record: CycleRecord): boolean {
  const scored = record.scored?.nodes ?? [];
  let i = 0;
  for (const { node, status } of record.evaluated) {
    if (status) continue;
    if (scored[i] !== node) return false;
    i++;
  }
  return i === scored.length;
}

/** An explanation recorded on a pod when it was scheduled (`cluster create --record-scheduling`), if any. */
export function recordedExplanation(pod: Pod): SchedulingExplanation | undefined {
  const a = withExpandedRecord(pod).metadata.annotations ?? {};
  if (a[RESULT_ANNOTATIONS.filter] === undefined) return undefined;
  const parse = (key: string) => {
    try {
      const v = JSON.parse(a[key] ?? '{}') as unknown;
      return v && typeof v === 'object' ? (v as PerNode) : {};
    } catch {
      return {};
    }
  };
  return {
    preFilterStatus: parse(RESULT_ANNOTATIONS.preFilterStatus) as unknown as Record<string, string>,
    filter: parse(RESULT_ANNOTATIONS.filter),
    score: parse(RESULT_ANNOTATIONS.score),
    finalScore: parse(RESULT_ANNOTATIONS.finalScore),
    selectedNode: a[RESULT_ANNOTATIONS.selectedNode] ?? '',
  };
}
