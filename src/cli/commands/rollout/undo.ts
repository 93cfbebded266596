import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { globals, withSession } from '../../context';
import { rollbackDeployment, rollbackFromRevisions } from '../../../api/rollout';
import { updateObject } from '../../../api/server';
import { qualifiedName } from '../../../api/registry';
import { workloadTargets } from '../../workload-target';
import { formatStructured, validateOutputFormat } from '../../../printers/output';
import {
  dryRunFlag,
  fileNameFlags,
  labelSelectorFlag,
  printFlags,
  printOptions,
  withFlags,
  type FileNameOptions,
  type PrintFlags,
} from '../../flag-sets';

/** rollout undo's flags as commander parses them */
interface UndoOptions extends FileNameOptions, PrintFlags {
  selector?: string;
  toRevision: string;
  dryRun?: string | boolean;
}
import { dryRunSuffix, intFlag, parseDryRun } from '../../flags';
import { isKind } from '../../../model/kinds';

export function register(rollout: Command, env: CommandEnv): void {
  withFlags(
    rollout
      .command('undo')
      .description('Undo a previous rollout')
      .argument('[resource...]', 'TYPE NAME | TYPE/NAME')
      .option('--to-revision <n>', 'The revision to rollback to. Default to 0 (last revision).', '0'),
    fileNameFlags('identifying the resource to get from a server.'),
    labelSelectorFlag,
    printFlags,
    dryRunFlag,
  )
    .addHelpText('after', '\nExamples:\n  kubesim rollout undo deployment/web\n  kubesim rollout undo deployment/web --to-revision=3')
    .action((args: string[], opts: UndoOptions, cmd: Command) => {
      const g = globals(cmd, env);
      const toRevision = intFlag(opts.toRevision, 'to-revision');
      const dryRun = parseDryRun(opts.dryRun);
      const print = printOptions(opts);
      validateOutputFormat(print.output);
      withSession(
        g,
        (s) => {
          for (const { info, obj } of workloadTargets(args, opts, s.store, g, env.io, ['Deployment', 'StatefulSet', 'DaemonSet'], 'undo')) {
            const result = isKind(obj, 'Deployment')
              ? rollbackDeployment(obj, s.store, toRevision)
              : rollbackFromRevisions(obj, s.store, toRevision);
            const name = qualifiedName(info, obj.metadata.name);
            if (result.skipped) {
              env.out.line(`${name} ${result.skipped}`);
              continue;
            }
            const rolledBack = updateObject(s.api, result.object!, { dryRun: dryRun !== 'none' });
            const text = formatStructured([rolledBack], print.output, {
              single: true,
              cwd: env.io.cwd,
              showManagedFields: print.showManagedFields,
              allowMissingTemplateKeys: print.allowMissingTemplateKeys,
            });
            env.out.out(text ?? `${name} rolled back${dryRunSuffix(dryRun)}\n`);
          }
        },
        { dryRun: dryRun !== 'none' },
      );
    });
}
