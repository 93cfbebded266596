import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { ApiError, CliError } from '../../util/errors';
import { kindInfoOrThrow } from '../../api/registry';
import { addEditFlags, MERGE_PATCH, NO_RESOURCES, ObjectEditError, runEdit, type EditFlags } from '../object-edit';
import { parseDuration } from '../../util/duration';
import { waitInVirtualTime } from '../../engine/wait';
import type { Session } from '../../engine/session';
import type { KObject } from '../../model/objects';
import { isScalable } from '../../model/kinds';
import { scaleOf } from '../../api/scale';
import { intFlag } from '../flags';

/**
 * --timeout: WaitForScaleHasDesiredReplicas in virtual time, until the scale's status.replicas
 * reaches the new size (or someone else changed spec.replicas).
 */
function waitForReplicas(s: Session, written: KObject, replicas: number, timeoutMs: number): void {
  const { kind, namespace, name } = { kind: written.kind, namespace: written.metadata.namespace, name: written.metadata.name };
  const synced = () => {
    // kubectl's scaleHasDesiredReplicas reads the Scale: a built-in workload's, or a custom resource's at its CRD's paths
    const obj = s.store.get(kind, namespace, name);
    const scale = obj && scaleOf(obj);
    return !scale || scale.replicas !== replicas || scale.statusReplicas === replicas;
  };
  if (waitInVirtualTime(s.engine, synced, timeoutMs) !== 'done') throw new ObjectEditError(`timed out waiting for "${name}" to be synced`);
}

/** scale's flags as commander parses them */
interface ScaleOptions extends EditFlags {
  filename: string[];
  replicas?: string;
  currentReplicas: string;
  resourceVersion?: string;
  timeout: string;
}

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
      .option('--dry-run [strategy]', 'Must be "none", "server", or "client"', 'none')
      .option(
        '--resource-version <version>',
        'Precondition for resource version. Requires that the current resource version match this value in order to scale.',
      )
      .option(
        '--timeout <duration>',
        "The length of time to wait before giving up on a scale operation, zero means don't wait. Any other values should contain a corresponding time unit (e.g. 1s, 2m, 3h).",
        '0s',
      ),
    { local: false },
  )
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim scale --replicas=3 deployment/web\n  kubesim scale --current-replicas=2 --replicas=3 deployment/web\n  kubesim scale --replicas=3 -f deploy.yaml',
    )
    .action((resources: string[], opts: ScaleOptions, cmd: Command) => {
      if (!resources.length && !opts.filename.length) throw new CliError(NO_RESOURCES);
      if (opts.replicas === undefined) throw new CliError('required flag(s) "replicas" not set');
      const replicas = intFlag(opts.replicas, 'replicas');
      if (replicas < 0) throw new CliError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
      const current = intFlag(opts.currentReplicas, 'current-replicas');
      if (current < -1) throw new CliError('The --current-replicas must specify an integer of -1 or greater');
      const resourceVersion: string | undefined = opts.resourceVersion || undefined;
      const timeoutMs = parseDuration(opts.timeout, '--timeout');
      runEdit(
        env,
        cmd,
        resources,
        // kubectl scale writes the scale subresource (managedFields: manager kubectl, subresource scale)
        { ...opts, subresource: 'scale' },
        (obj) => {
          if (kindInfoOrThrow(obj.kind).crd) return scaleCustomResource(obj, replicas, current);
          if (!isScalable(obj)) throw new CliError(`cannot scale ${kindInfoOrThrow(obj.kind).plural}`);
          // ScalePrecondition.validate, against the scale subresource read just before the update
          if (current >= 0 && (obj.spec?.replicas ?? 1) !== current)
            throw new CliError(`Expected replicas to be ${current}, was ${obj.spec?.replicas ?? 1}`);
          if (resourceVersion !== undefined && obj.metadata.resourceVersion !== resourceVersion)
            throw new CliError(`Expected resource version to be ${resourceVersion}, was ${obj.metadata.resourceVersion}`);
          obj.spec = { ...obj.spec, replicas };
          return { changed: true, verb: 'scaled' };
        },
        {
          found: (targets) => {
            if (resourceVersion !== undefined && targets.length > 1)
              throw new CliError('cannot use --resource-version with multiple resources');
          },
          written: (s, obj) => {
            if (timeoutMs !== 0) waitForReplicas(s, obj, replicas, timeoutMs);
          },
          // scale.go ScaleSubresource: a merge patch of the scale subresource
          request: { contentType: MERGE_PATCH, subresource: 'scale', body: () => ({ spec: { replicas } }) },
        },
      );
    });
}

/** A custom resource scales through its CRD's scale subresource (specReplicasPath). */
function scaleCustomResource(obj: KObject, replicas: number, current: number): { changed: boolean; verb: string; object: KObject } {
  const scale = scaleOf(obj);
  if (!scale) throw new ApiError('NotFound', 404, 'Error from server (NotFound): the server could not find the requested resource');
  if (current >= 0 && scale.replicas !== current) throw new CliError(`Expected replicas to be ${current}, was ${scale.replicas}`);
  return { changed: true, verb: 'scaled', object: scale.withReplicas(replicas) };
}
