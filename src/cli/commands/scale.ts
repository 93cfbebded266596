import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError } from '../../util/errors';
import { updateObject } from '../../api/server';
import { qualifiedName } from '../../api/registry';
import { resolveTargets, getTarget } from '../object-edit';
import { dryRunSuffix, intFlag, parseDryRun } from '../flags';

const SCALABLE = ['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController'];

export function register(program: Command, env: CommandEnv): void {
  program
    .command('scale')
    .description('Set a new size for a deployment, replica set, or stateful set')
    .argument('<resource...>', 'TYPE NAME | TYPE/NAME')
    .option('--replicas <n>', 'The new desired number of replicas. Required.')
    .option('--current-replicas <n>', 'Precondition for current size. Requires that the current size of the resource match this value in order to scale.', '-1')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--all', 'Select all resources in the namespace of the specified resource types')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client"', 'none')
    .addHelpText('after', '\nExamples:\n  kubesim scale --replicas=3 deployment/web\n  kubesim scale --current-replicas=2 --replicas=3 deployment/web')
    .action((resources: string[], opts, cmd: Command) => {
      const g = globals(cmd, env);
      if (opts.replicas === undefined) throw new CliError('required flag(s) "replicas" not set');
      const replicas = intFlag(opts.replicas, 'replicas');
      if (replicas < 0) throw new CliError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
      const current = intFlag(opts.currentReplicas, 'current-replicas');
      const dryRun = parseDryRun(opts.dryRun);
      withSession(
        g,
        (s) => {
          for (const t of resolveTargets(s.api, resources, g, opts)) {
            if (!SCALABLE.includes(t.info.kind)) throw new CliError(`cannot scale ${t.info.plural}`);
            const obj = getTarget(s.api, t);
            if (current >= 0 && (obj.spec?.replicas ?? 1) !== current) throw new CliError(`Expected replicas to be ${current}, was ${obj.spec?.replicas ?? 1}`);
            updateObject(s.api, { ...obj, spec: { ...obj.spec, replicas } }, { dryRun: dryRun !== 'none' });
            env.out.line(`${qualifiedName(t.info, t.name)} scaled${dryRunSuffix(dryRun)}`);
          }
        },
        { dryRun: dryRun !== 'none' },
      );
    });
}
