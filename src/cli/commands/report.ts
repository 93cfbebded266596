import * as path from 'node:path';
import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError } from '../../util/errors';
import { reportModel } from '../../printers/cluster-report';
import { clusterEvents, clusterObjects, writeHtmlReport } from '../report-file';

interface ReportFlags {
  html?: string;
}

export function register(program: Command, env: CommandEnv): void {
  program
    .command('report')
    .description('Write the cluster as it is now to one self-contained HTML file: the map, workloads, timeline of events and charts')
    .option('--html <file>', 'The HTML file to write (it needs no network: scripts, styles and data are inside).')
    .addHelpText(
      'after',
      `
The report is the dashboard's page (kubesim dashboard) frozen at the cluster's virtual now: nodes
with their pods and requests, workloads and their rollouts, every event on a timeline that can be
scrubbed, and the charts the events tell (replicas by ReplicaSet, HorizontalPodAutoscaler sizes).

Examples:
  kubesim report --html cluster.html
  kubesim traffic run --service web --spike 2000@60s-180s --report traffic.html`,
    )
    .action((opts: ReportFlags, cmd: Command) => {
      if (!opts.html) throw new CliError('--html FILE is required: the file to write the report to');
      if (!opts.html.toLowerCase().endsWith('.html') && !opts.html.toLowerCase().endsWith('.htm'))
        throw new CliError(`--html: "${opts.html}" does not end in .html`);
      const g = globals(cmd, env);
      const name = path.basename(g.statePath).replace(/\.db$/, '');
      const model = withSession(
        g,
        (s) => {
          return reportModel({ title: `kubesim report: ${name}`, now: s.now, objects: clusterObjects(s), events: clusterEvents(s) });
        },
        { readOnly: true },
      );
      writeHtmlReport(opts.html, model, env.io.cwd);
      env.out.line(`Report written to ${opts.html}`);
    });
}
