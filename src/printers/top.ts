/**
 * kubectl top's printer (metricsutil.TopCmdPrinter): usage rows sorted by name or by the
 * --sort-by resource, percentages of what a node has available, and --sum's total row.
 */
import { tabwrite } from './tabwriter';

export interface Usage {
  cpuMilli: number;
  memoryBytes: number;
}

export interface NodeUsage extends Usage {
  name: string;
  /** allocatable (or capacity with --show-capacity) */
  available: Usage;
}

export interface PodUsage extends Usage {
  namespace: string;
  name: string;
  containers: (Usage & { name: string })[];
}

export type UsageSort = 'cpu' | 'memory';

const MI = 1024 * 1024;

/** printSingleResourceUsage: CPU in millicores, memory in whole Mi */
const cpuText = (milli: number) => `${milli}m`;
const memText = (bytes: number) => `${Math.floor(bytes / MI)}Mi`;
/** int64(float64(used)/float64(available)*100), 0 when nothing is available */
const percent = (used: number, available: number) => `${available ? Math.trunc((used / available) * 100) : 0}%`;

/** GetNewTabWriter (minwidth 6, padding 3); kubectl's printValue ends every cell, the last too, with a tab. */
function render(rows: string[][]): string {
  return tabwrite(rows.map((r) => `${r.join('\t')}\t\n`).join(''), { minwidth: 6, padding: 3 });
}

/** The metrics sorters: by usage, biggest first, else by (namespace and) name. */
function sortUsage<T extends Usage & { name: string; namespace?: string }>(rows: T[], sortBy: UsageSort | undefined): T[] {
  return [...rows].sort((a, b) => {
    if (sortBy === 'cpu') return b.cpuMilli - a.cpuMilli;
    if (sortBy === 'memory') return b.memoryBytes - a.memoryBytes;
    const ns = (a.namespace ?? '').localeCompare(b.namespace ?? '');
    return ns || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  });
}

export function printNodeMetrics(nodes: NodeUsage[], opts: { noHeaders: boolean; sortBy?: UsageSort }): string {
  if (!nodes.length) return '';
  const rows: string[][] = opts.noHeaders ? [] : [['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']];
  for (const n of sortUsage(nodes, opts.sortBy))
    rows.push([
      n.name,
      cpuText(n.cpuMilli),
      percent(n.cpuMilli, n.available.cpuMilli),
      memText(n.memoryBytes),
      percent(n.memoryBytes, n.available.memoryBytes),
    ]);
  return render(rows);
}

export function printPodMetrics(
  pods: PodUsage[],
  opts: { containers: boolean; withNamespace: boolean; noHeaders: boolean; sortBy?: UsageSort; sum: boolean },
): string {
  if (!pods.length) return '';
  const rows: string[][] = [];
  // kubectl counts the NAMESPACE and POD columns for the sum row only when it printed the header
  let columns = 3;
  if (!opts.noHeaders) {
    const header = ['NAME', 'CPU(cores)', 'MEMORY(bytes)'];
    if (opts.containers) header.unshift('POD');
    if (opts.withNamespace) header.unshift('NAMESPACE');
    columns = header.length;
    rows.push(header);
  }
  // without --sort-by pods are listed by namespace only under -A
  const sorted = sortUsage(
    pods.map((p) => ({ ...p, namespace: opts.withNamespace ? p.namespace : undefined, pod: p })),
    opts.sortBy,
  );
  for (const { pod } of sorted) {
    const ns = opts.withNamespace ? [pod.namespace] : [];
    if (opts.containers)
      for (const c of sortUsage(pod.containers, opts.sortBy))
        rows.push([...ns, pod.name, c.name, cpuText(c.cpuMilli), memText(c.memoryBytes)]);
    else rows.push([...ns, pod.name, cpuText(pod.cpuMilli), memText(pod.memoryBytes)]);
  }
  if (opts.sum) {
    const total = pods.reduce((t, p) => ({ cpuMilli: t.cpuMilli + p.cpuMilli, memoryBytes: t.memoryBytes + p.memoryBytes }), {
      cpuMilli: 0,
      memoryBytes: 0,
    });
    rows.push([...Array<string>(columns - 2).fill(''), '________', '________']);
    rows.push([...Array<string>(columns - 3).fill(''), '', cpuText(total.cpuMilli), memText(total.memoryBytes)]);
  }
  return render(rows);
}
