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

/**
 * The annotations that record a cycle on the pod: the same JSON as `explanationOf`'s maps
 * serialized, written out directly (a cycle evaluates hundreds of nodes; objects per node and
 * plugin, then JSON.stringify, made recording cost ten times the cycle).
 */
export function recordAnnotations(record: CycleRecord): Record<string, string> {
  const quote = JSON.stringify;
  const plugins = record.filterPlugins.map((p) => quote(p));
  const allPassed = `{${plugins.map((p) => `${p}:"passed"`).join(',')}}`;
  const filter: string[] = [];
  for (const { node, status } of record.evaluated) {
    let verdicts = allPassed;
    if (status) {
      const parts: string[] = [];
      for (let i = 0; i < plugins.length; i++) {
        if (record.filterPlugins[i] === status.plugin) {
          parts.push(`${plugins[i]}:${quote(status.message())}`);
          break;
        }
        parts.push(`${plugins[i]}:"passed"`);
      }
      verdicts = `{${parts.join(',')}}`;
    }
    filter.push(`${quote(node.name)}:${verdicts}`);
  }
  const raw: string[] = [];
  const final: string[] = [];
  if (record.scored) {
    const { nodes, scores } = record.scored;
    const names = scores.plugins.map((p) => quote(p));
    for (let n = 0; n < nodes.length; n++) {
      const r: string[] = [];
      const f: string[] = [];
      for (let p = 0; p < names.length; p++) {
        r.push(`${names[p]}:"${Math.round(scores.raw[p][n])}"`);
        f.push(`${names[p]}:"${Math.round(scores.final[p][n])}"`);
      }
      const key = quote(nodes[n].name);
      raw.push(`${key}:{${r.join(',')}}`);
      final.push(`${key}:{${f.join(',')}}`);
    }
  }
  const pre = record.preFilterRejected;
  return {
    [RESULT_ANNOTATIONS.preFilterStatus]: pre ? `{${quote(pre.plugin)}:${quote(pre.message())}}` : '{}',
    [RESULT_ANNOTATIONS.filter]: `{${filter.join(',')}}`,
    [RESULT_ANNOTATIONS.score]: `{${raw.join(',')}}`,
    [RESULT_ANNOTATIONS.finalScore]: `{${final.join(',')}}`,
    [RESULT_ANNOTATIONS.selectedNode]: record.selected ?? '',
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
