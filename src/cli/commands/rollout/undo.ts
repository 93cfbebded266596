import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { globals, withSession } from '../../context';
import { rollbackDeployment, rollbackFromRevisions } from '../../../api/rollout';
import { updateObject } from '../../../api/server';
import { qualifiedName } from '../../../api/registry';
import { workloadTarget } from '../../workload-target';
import { dryRunSuffix, intFlag, parseDryRun } from '../../flags';
import { isKind } from '../../../model/kinds';

export function register(rollout: Command, env: CommandEnv): void {
  rollout
    .command('undo')
    .description('Undo a previous rollout')
    .argument('<resource...>', 'TYPE NAME | TYPE/NAME')
    .option('--to-revision <n>', 'The revision to rollback to. Default to 0 (last revision).', '0')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client"', 'none')
    .addHelpText('after', '\nExamples:\n  kubesim rollout undo deployment/web\n  kubesim rollout undo deployment/web --to-revision=3')
    .action((args: string[], opts, cmd: Command) => {
      const g = globals(cmd, env);
      const toRevision = intFlag(opts.toRevision, 'to-revision');
      const dryRun = parseDryRun(opts.dryRun);
      withSession(
        g,
        (s) => {
          const { info, obj } = workloadTarget(args, s.store, g.namespace, ['Deployment', 'StatefulSet', 'DaemonSet']);
          const result = isKind(obj, 'Deployment')
            ? rollbackDeployment(obj, s.store, toRevision)
            : rollbackFromRevisions(obj, s.store, toRevision);
          const name = qualifiedName(info, obj.metadata.name);
          if (result.skipped) {
            env.out.line(`${name} ${result.skipped}`);
            return;
          }
          updateObject(s.api, result.object!, { dryRun: dryRun !== 'none' });
          env.out.line(`${name} rolled back${dryRunSuffix(dryRun)}`);
        },
        { dryRun: dryRun !== 'none' },
      );
    });
}
