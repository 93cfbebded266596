import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { ApiError, CliError } from '../../util/errors';
import { kindInfoOrThrow } from '../../api/registry';
import { scaleOf } from '../../api/scale';
import type { KObject } from '../../model/objects';
import { addEditFlags, NO_RESOURCES, runEdit } from '../object-edit';
import { intFlag } from '../flags';

const SCALABLE = ['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController'];

export function register(program: Command, env: CommandEnv): void {
  addEditFlags(
    program
      .command('scale')
      .description('Set a new size for a deployment, replica set, or stateful set')
      .argument('[resource...]', 'TYPE NAME | TYPE/NAME')
      .option('--replicas <n>', 'The new desired number of replicas. Required.')
      .option(
        '--current-replicas <n>',
        'Precondition for current size. Requires that the current size of the resource match this value in order to scale.',
        '-1',
      )
      .option('-l, --selector <selector>', 'Selector (label query) to filter on')
      .option('--all', 'Select all resources in the namespace of the specified resource types')
      .option('--dry-run [strategy]', 'Must be "none", "server", or "client"', 'none'),
    { local: false },
  )
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim scale --replicas=3 deployment/web\n  kubesim scale --current-replicas=2 --replicas=3 deployment/web\n  kubesim scale --replicas=3 -f deploy.yaml',
    )
    .action((resources: string[], opts, cmd: Command) => {
      if (!resources.length && !opts.filename.length) throw new CliError(NO_RESOURCES);
      if (opts.replicas === undefined) throw new CliError('required flag(s) "replicas" not set');
      const replicas = intFlag(opts.replicas, 'replicas');
      if (replicas < 0) throw new CliError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
      const current = intFlag(opts.currentReplicas, 'current-replicas');
      runEdit(env, cmd, resources, opts, (obj) => {
        const info = kindInfoOrThrow(obj.kind);
        if (info.crd) return scaleCustomResource(obj, replicas, current);
        if (!SCALABLE.includes(obj.kind)) throw new CliError(`cannot scale ${kindInfoOrThrow(obj.kind).plural}`);
        if (current >= 0 && (obj.spec?.replicas ?? 1) !== current)
          throw new CliError(`Expected replicas to be ${current}, was ${obj.spec?.replicas ?? 1}`);
        obj.spec = { ...obj.spec, replicas };
        return { changed: true, verb: 'scaled' };
      });
    });
}

/** A custom resource scales through its CRD's scale subresource (specReplicasPath). */
function scaleCustomResource(obj: KObject, replicas: number, current: number): { changed: boolean; verb: string; object: KObject } {
  const scale = scaleOf(obj);
  if (!scale) throw new ApiError('NotFound', 404, 'Error from server (NotFound): the server could not find the requested resource');
  if (current >= 0 && scale.replicas !== current) throw new CliError(`Expected replicas to be ${current}, was ${scale.replicas}`);
  return { changed: true, verb: 'scaled', object: scale.withReplicas(replicas) };
}
