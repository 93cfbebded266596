import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { CliError } from '../../../util/errors';
import { isQuantity } from '../../../api/quantity';
import { withFlags, type FlagSet } from '../../flag-sets';
import { requireResources, runSet, setObjectFlags, type SetObjectOptions } from './pod-template';

/** resourcesFlags and setObjectFlags as commander parses them */
interface ResourcesOptions extends SetObjectOptions {
  containers: string;
  limits?: string;
  requests?: string;
}

const resourcesFlags: FlagSet = (c) =>
  c
    .option(
      '-c, --containers <name>',
      'The names of containers in the selected pod templates to change, all containers are selected by default',
      '*',
    )
    .option('--limits <list>', "The resource requirement limits for this container. For example, 'cpu=200m,memory=512Mi'")
    .option('--requests <list>', "The resource requirement requests for this container. For example, 'cpu=100m,memory=256Mi'");

function parseResourceList(text: string | undefined, flag: string): Record<string, string> | undefined {
  if (!text) return undefined;
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const [k, v] = part.split('=');
    if (!k || v === undefined || !isQuantity(v))
      throw new CliError(
        `invalid argument "${text}" for "--${flag}" flag: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
      );
    out[k] = v;
  }
  return out;
}

export function register(set: Command, env: CommandEnv): void {
  withFlags(
    set
      .command('resources')
      .description('Update resource requests/limits on objects with pod templates')
      .argument('[resource...]', 'TYPE NAME | TYPE/NAME')
      .addHelpText(
        'after',
        '\nExamples:\n  kubesim set resources deployment web --limits=cpu=200m,memory=512Mi --requests=cpu=100m,memory=256Mi',
      ),
    setObjectFlags,
    resourcesFlags,
  ).action((resources: string[], opts: ResourcesOptions, cmd: Command) => {
    // Complete + Validate
    requireResources(resources, opts);
    const limits = parseResourceList(opts.limits, 'limits');
    const requests = parseResourceList(opts.requests, 'requests');
    if (!limits && !requests) throw new CliError('you must specify an update to requests or limits (in the form of --requests/--limits)');
    // Run
    runSet(
      env,
      cmd,
      resources,
      opts,
      (_obj, pick) => {
        const targets = pick();
        if (!targets.length) throw new CliError(`unable to find container named ${opts.containers}`);
        for (const c of targets) {
          c.resources = { ...(c.resources ?? {}) };
          if (limits) c.resources.limits = { ...(c.resources.limits ?? {}), ...limits };
          if (requests) c.resources.requests = { ...(c.resources.requests ?? {}), ...requests };
        }
        return true;
      },
      'resource requirements updated',
    );
  });
}
