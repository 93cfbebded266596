import type { PodExplanation } from '../model/scheduling-explanation';
import { renderTable } from './table';

/** The total of a node's final scores (the sum kube-scheduler picks the highest of). */
function total(scores: Record<string, string> | undefined): number {
  let sum = 0;
  for (const v of Object.values(scores ?? {})) sum += Number(v) || 0;
  return sum;
}

/**
 * `kubesim why POD`: where the pod went (or why nowhere), the top nodes with each score
 * plugin's final score (normalized × weight) and the total, then the nodes the filters
 * rejected, grouped by plugin and reason.
 */
export function renderWhy(podName: string, x: PodExplanation, top: number): string {
  const e = x.explanation;
  const lines: string[] = [];
  const source =
    x.source === 'recorded'
      ? 'recorded when it was scheduled'
      : 'evaluated against the cluster as it is now; `cluster create --record-scheduling` keeps each decision as it was made';
  if (e.selectedNode) lines.push(`Pod ${podName}: scheduled to ${e.selectedNode} by ${x.schedulerName} (${source})`);
  else lines.push(`Pod ${podName}: no node fits for ${x.schedulerName} (${source})`);
  if (x.message) lines.push(x.message);
  for (const [plugin, message] of Object.entries(e.preFilterStatus)) lines.push(`PreFilter ${plugin}: ${message}`);

  const scored = Object.keys(e.finalScore);
  if (scored.length) {
    const ranked = scored
      .map((node) => ({ node, total: total(e.finalScore[node]) }))
      .sort((a, b) => (a.node === e.selectedNode ? -1 : b.node === e.selectedNode ? 1 : b.total - a.total || (a.node < b.node ? -1 : 1)))
      .slice(0, top);
    const plugins = Object.keys(e.finalScore[ranked[0].node] ?? {});
    const rows: string[][] = [['PLUGIN', 'WEIGHT', ...ranked.map((r) => (r.node === e.selectedNode ? `${r.node}*` : r.node))]];
    for (const plugin of plugins)
      rows.push([plugin, String(x.weights[plugin] ?? ''), ...ranked.map((r) => e.finalScore[r.node]?.[plugin] ?? '')]);
    rows.push(['TOTAL', '', ...ranked.map((r) => String(r.total))]);
    lines.push('', `Scores of the top ${ranked.length} of ${scored.length} feasible node(s) (normalized × weight; * chosen):`);
    lines.push(renderTable(rows).replace(/\n$/, ''));
  } else if (e.selectedNode) {
    lines.push('', `Only ${e.selectedNode} passed the filters: nothing to score.`);
  }

  const rejected = new Map<string, string[]>();
  let passed = 0;
  for (const [node, verdicts] of Object.entries(e.filter)) {
    const failed = Object.entries(verdicts).find(([, v]) => v !== 'passed');
    if (!failed) {
      passed++;
      continue;
    }
    const key = `${failed[1]} (${failed[0]})`;
    rejected.set(key, [...(rejected.get(key) ?? []), node]);
  }
  const evaluated = Object.keys(e.filter).length;
  if (rejected.size) {
    lines.push('', `Filtered out: ${evaluated - passed} of ${evaluated} node(s) evaluated (${x.nodes} in the cluster):`);
    const groups = [...rejected].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
    for (const [reason, nodes] of groups) lines.push(`  ${nodes.length} ${reason}: ${nodes.sort().join(', ')}`);
  } else if (evaluated) lines.push('', `Filtered out: none of ${evaluated} node(s) evaluated (${x.nodes} in the cluster).`);
  return `${lines.join('\n')}\n`;
}
