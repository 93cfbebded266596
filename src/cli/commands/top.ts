import { noResourcesFound } from '../../printers/output';
import { type Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError, notFound } from '../../util/errors';
import { intValue, milliValue } from '../../api/quantity';
import { matches, parseSelector } from '../../api/labels';
import type { KObject } from '../../model/objects';
import { tabwrite } from '../../printers/tabwriter';
import { podUsage, podUsageTotal } from '../../sim/usage';

const MI = 1024 * 1024;

/** kubectl top's writer: tabwriter minwidth 6, padding 3, every cell (the last too) tab-ended. */
function topTable(rows: string[][]): string {
  return tabwrite(rows.map((r) => `${r.join('\t')}\t\n`).join(''), { minwidth: 6, padding: 3 });
}

const cpuText = (milli: number) => `${milli}m`;
const memText = (bytes: number) => `${Math.floor(bytes / MI)}Mi`;

/** `kubesim top nodes|pods`: usage from the simulated metrics (src/sim/usage.ts), as metrics-server would report it. */
export function register(program: Command, env: CommandEnv): void {
  const top = program.command('top').description('Display resource (CPU/memory) usage');
  top
    .command('node')
    .alias('nodes')
    .alias('no')
    .description('Display resource (CPU/memory) usage of nodes')
    .argument('[name]', 'NODE')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--no-headers', 'If present, print output without headers')
    .option('--sort-by <field>', "If non-empty, sort nodes list using specified field. The field can be either 'cpu' or 'memory'.")
    .action((name: string | undefined, opts, cmd: Command) => {
      const g = globals(cmd, env);
      if (opts.sortBy && !['cpu', 'memory'].includes(opts.sortBy)) throw new CliError('--sort-by accepts only cpu or memory');
      withSession(
        g,
        (s) => {
          let nodes: KObject[];
          if (name) {
            const node = s.store.get('Node', undefined, name);
            if (!node) throw notFound('nodes', name);
            nodes = [node];
          } else nodes = s.store.list('Node').filter((n) => !opts.selector || matches(parseSelector(opts.selector), n.metadata.labels));
          const rows = nodes.map((node) => {
            let cpu = 0;
            let mem = 0;
            for (const pod of s.store.podsOnNode(node.metadata.name)) {
              const u = podUsageTotal(pod, s.now, s.store);
              cpu += u.cpuMilli;
              mem += u.memoryBytes;
            }
            return { node, cpu, mem };
          });
          if (opts.sortBy) rows.sort((a, b) => (opts.sortBy === 'cpu' ? b.cpu - a.cpu : b.mem - a.mem));
          const table: string[][] = opts.headers === false ? [] : [['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']];
          for (const { node, cpu, mem } of rows) {
            const cpuAlloc = milliValue(node.status?.allocatable?.cpu);
            const memAlloc = intValue(node.status?.allocatable?.memory);
            const pct = (used: number, total: number) => (total ? `${Math.floor((used / total) * 100)}%` : '<unknown>');
            table.push([node.metadata.name, cpuText(cpu), pct(cpu, cpuAlloc), memText(mem), pct(mem, memAlloc)]);
          }
          env.out.out(topTable(table));
        },
        { readOnly: true },
      );
    });
  top
    .command('pod')
    .alias('pods')
    .alias('po')
    .description('Display resource (CPU/memory) usage of pods')
    .argument('[name]', 'POD')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('-A, --all-namespaces', 'If present, list the requested object(s) across all namespaces')
    .option('--containers', 'If present, print usage of containers within a pod.')
    .option('--no-headers', 'If present, print output without headers')
    .option('--sort-by <field>', "If non-empty, sort pods list using specified field. The field can be either 'cpu' or 'memory'.")
    .action((name: string | undefined, opts, cmd: Command) => {
      const g = globals(cmd, env);
      if (opts.sortBy && !['cpu', 'memory'].includes(opts.sortBy)) throw new CliError('--sort-by accepts only cpu or memory');
      withSession(
        g,
        (s) => {
          const ns = opts.allNamespaces ? undefined : g.namespace;
          let pods = s.store.list('Pod', ns).filter((p) => !opts.selector || matches(parseSelector(opts.selector), p.metadata.labels));
          if (name) {
            pods = pods.filter((p) => p.metadata.name === name);
            if (!pods.length) throw notFound('pods', name);
            if (!podUsage(pods[0], s.now).length) throw new CliError(`Metrics not available for pod ${g.namespace}/${name}, age: 0s`);
          }
          const measured = pods.filter((p) => podUsage(p, s.now).length);
          if (!measured.length) {
            env.out.errLine(noResourcesFound(ns || undefined));
            return;
          }
          const withTotals = measured.map((pod) => ({ pod, ...podUsageTotal(pod, s.now, s.store) }));
          if (opts.sortBy) withTotals.sort((a, b) => (opts.sortBy === 'cpu' ? b.cpuMilli - a.cpuMilli : b.memoryBytes - a.memoryBytes));
          const nsCol = opts.allNamespaces ? ['NAMESPACE'] : [];
          const table: string[][] = [];
          if (opts.headers !== false)
            table.push(
              opts.containers
                ? [...nsCol, 'POD', 'NAME', 'CPU(cores)', 'MEMORY(bytes)']
                : [...nsCol, 'NAME', 'CPU(cores)', 'MEMORY(bytes)'],
            );
          for (const { pod, cpuMilli, memoryBytes } of withTotals) {
            const nsCell = opts.allNamespaces ? [pod.metadata.namespace!] : [];
            if (opts.containers)
              for (const c of podUsage(pod, s.now, s.store))
                table.push([...nsCell, pod.metadata.name, c.name, cpuText(c.cpuMilli), memText(c.memoryBytes)]);
            else table.push([...nsCell, pod.metadata.name, cpuText(cpuMilli), memText(memoryBytes)]);
          }
          env.out.out(topTable(table));
        },
        { readOnly: true },
      );
    });
}
