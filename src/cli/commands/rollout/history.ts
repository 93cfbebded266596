import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { globals, withSession } from '../../context';
import { CliError } from '../../../util/errors';
import { workloadHistory } from '../../../api/rollout';
import { qualifiedName } from '../../../api/registry';
import { tabwrite } from '../../../printers/tabwriter';
import { describePodTemplate } from '../../../printers/pod-template';
import { workloadTargets } from '../../workload-target';
import {
  fileNameFlags,
  labelSelectorFlag,
  printFlags,
  printOptions,
  withFlags,
  type FileNameOptions,
  type PrintFlags,
} from '../../flag-sets';

/** rollout history's flags as commander parses them */
interface HistoryOptions extends FileNameOptions, PrintFlags {
  selector?: string;
  revision: string;
}
import { formatStructured, validateOutputFormat } from '../../../printers/output';
import { intFlag } from '../../flags';

export function register(rollout: Command, env: CommandEnv): void {
  withFlags(
    rollout
      .command('history')
      .description('View rollout history')
      .argument('[resource...]', 'TYPE NAME | TYPE/NAME')
      .option('--revision <n>', 'See the details, including podTemplate of the revision specified', '0'),
    fileNameFlags('identifying the resource to get from a server.'),
    labelSelectorFlag,
    printFlags,
  )
    .addHelpText('after', '\nExamples:\n  kubesim rollout history deployment/web\n  kubesim rollout history deployment/web --revision=3')
    .action((args: string[], opts: HistoryOptions, cmd: Command) => {
      const g = globals(cmd, env);
      const revision = intFlag(opts.revision, 'revision');
      const print = printOptions(opts);
      validateOutputFormat(print.output);
      withSession(
        g,
        (s) => {
          const targets = workloadTargets(args, opts, s.store, g, env.io, ['Deployment', 'StatefulSet', 'DaemonSet'], 'history');
          targets.forEach(({ info, obj }, i) => {
            if (i > 0 && !print.output) env.out.line('');
            const history = workloadHistory(obj, s.store);
            const name = qualifiedName(info, obj.metadata.name);
            if (print.output) {
              // -o prints what GetHistory returns: each revision's object, oldest first, or the one asked for
              const entries =
                revision > 0 ? history.filter((h) => h.revision === revision) : [...history].sort((a, b) => a.revision - b.revision);
              if (revision > 0 && !entries.length) throw new CliError(`unable to find the specified revision`);
              for (const entry of entries)
                env.out.out(formatStructured([entry.object], print.output, { single: true, cwd: env.io.cwd, ...print }) ?? '');
              return;
            }
            if (revision > 0) {
              const entry = history.find((h) => h.revision === revision);
              if (!entry) throw new CliError(`unable to find the specified revision`);
              env.out.line(`${name} with revision #${revision}`);
              env.out.out(describePodTemplate(entry.template));
              return;
            }
            if (!history.length) {
              env.out.line(`No rollout history found.`);
              return;
            }
            const rows = ['REVISION\tCHANGE-CAUSE', ...history.map((h) => `${h.revision}\t${h.changeCause ?? '<none>'}`)];
            env.out.line(`${name} `);
            env.out.out(tabwrite(`${rows.join('\n')}\n`, { minwidth: 0, padding: 2 }));
            env.out.line('');
          });
        },
        { readOnly: true },
      );
    });
}
