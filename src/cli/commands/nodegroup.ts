import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError } from '../../util/errors';
import { createObject } from '../../api/server';
import { qualifiedName, kindInfoOrThrow } from '../../api/registry';
import { isQuantity } from '../../api/quantity';
import { intFlag } from '../flags';
import { NODEGROUP_API_VERSION } from '../../api/kinds/nodegroup';

/** `kubesim nodegroup create workers --min 1 --max 10 --cpu 4 --memory 16Gi [--provision-seconds 60]` */
/** nodegroup create's flags as commander parses them */
interface NodeGroupCreateOptions {
  min: string;
  max?: string;
  cpu: string;
  memory: string;
  pods: string;
  provisionSeconds: string;
}

export function register(program: Command, env: CommandEnv): void {
  const ng = program.command('nodegroup').description('Manage node groups that the Cluster Autoscaler resizes');
  ng.command('create')
    .description('Create a node group')
    .argument('<name>', 'NAME')
    .option('--min <n>', 'Minimum number of nodes', '0')
    .option('--max <n>', 'Maximum number of nodes')
    .option('--cpu <q>', 'CPU of each node', '4')
    .option('--memory <q>', 'Memory of each node', '16Gi')
    .option('--pods <n>', 'Pod capacity of each node', '110')
    .option('--provision-seconds <n>', 'Simulated time from scale-up to a Ready node', '60')
    .action((name: string, opts: NodeGroupCreateOptions, cmd: Command) => {
      const g = globals(cmd, env);
      if (opts.max === undefined) throw new CliError('required flag(s) "max" not set');
      const min = intFlag(opts.min, 'min');
      const max = intFlag(opts.max, 'max');
      const pods = intFlag(opts.pods, 'pods');
      const provisionSeconds = intFlag(opts.provisionSeconds, 'provision-seconds');
      for (const [flag, v] of [
        ['cpu', opts.cpu],
        ['memory', opts.memory],
      ])
        if (!isQuantity(v))
          throw new CliError(
            `invalid argument "${v}" for "--${flag}" flag: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
          );
      withSession(g, (s) => {
        const info = kindInfoOrThrow('NodeGroup');
        createObject(s.api, {
          apiVersion: NODEGROUP_API_VERSION,
          kind: 'NodeGroup',
          metadata: { name },
          spec: { minSize: min, maxSize: max, provisionSeconds, template: { cpu: String(opts.cpu), memory: String(opts.memory), pods } },
        });
        env.out.line(`${qualifiedName(info, name)} created`);
      });
    });
}
