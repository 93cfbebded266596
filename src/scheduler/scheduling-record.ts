import type { Pod } from '../model/kinds';
import type { CycleRecord } from './scheduler';
import type { PerNode, SchedulingExplanation } from '../model/scheduling-explanation';

/** kube-scheduler-simulator's annotation keys (simulator/scheduler/plugin/annotation), so its tools read kubesim's pods. */
export const RESULT_ANNOTATIONS = {
  preFilterStatus: 'kube-scheduler-simulator.sigs.k8s.io/prefilter-result-status',
  filter: 'kube-scheduler-simulator.sigs.k8s.io/filter-result',
  score: 'kube-scheduler-simulator.sigs.k8s.io/score-result',
  finalScore: 'kube-scheduler-simulator.sigs.k8s.io/finalscore-result',
  selectedNode: 'kube-scheduler-simulator.sigs.k8s.io/selected-node',
} as const;

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
        final[plugin] = String(Math.round(scores.final[p][i]));
      });
      out.score[node.name] = raw;
      out.finalScore[node.name] = final;
    });
  }
  return out;
}

/** The annotations that record an explanation on the pod. */
export function explanationAnnotations(e: SchedulingExplanation): Record<string, string> {
  return {
    [RESULT_ANNOTATIONS.preFilterStatus]: JSON.stringify(e.preFilterStatus),
    [RESULT_ANNOTATIONS.filter]: JSON.stringify(e.filter),
    [RESULT_ANNOTATIONS.score]: JSON.stringify(e.score),
    [RESULT_ANNOTATIONS.finalScore]: JSON.stringify(e.finalScore),
    [RESULT_ANNOTATIONS.selectedNode]: e.selectedNode,
  };
}

/** An explanation recorded on a pod when it was scheduled (`cluster create --record-scheduling`), if any. */
export function recordedExplanation(pod: Pod): SchedulingExplanation | undefined {
  const a = pod.metadata.annotations ?? {};
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
