import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError } from '../../util/errors';
import { evictPod } from '../../api/eviction';
import { dryRunSuffix, intFlag, parseDryRun } from '../flags';

/**
 * `kubesim evict POD`: posts a policy/v1 Eviction for the pod (what `kubectl drain`
 * does per pod), so PodDisruptionBudgets are honoured. 429 when the budget says no.
 */
/** evict's flags as commander parses them */
interface EvictOptions {
  gracePeriod: string;
  dryRun?: string | boolean;
}

export function register(program: Command, env: CommandEnv): void {
  program
    .command('evict')
    .description('Evict a pod through the Eviction API, honouring its PodDisruptionBudget')
    .argument('<pod...>', 'POD | pod/POD')
    .option(
      '--grace-period <seconds>',
      'Period of time in seconds given to the pod to terminate gracefully. If negative, the default value specified in the pod will be used.',
      '-1',
    )
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client"', 'none')
    .addHelpText('after', '\nExamples:\n  kubesim evict web-7d4b9c8f6d-x2k9p\n  kubesim evict pod/web-7d4b9c8f6d-x2k9p -n shop')
    .action((pods: string[], opts: EvictOptions, cmd: Command) => {
      const g = globals(cmd, env);
      const dryRun = parseDryRun(opts.dryRun);
      const grace = intFlag(opts.gracePeriod, 'grace-period');
      const names = pods.map((p) => {
        const slash = p.indexOf('/');
        if (slash < 0) return p;
        const type = p.slice(0, slash);
        if (!['pod', 'pods', 'po'].includes(type)) throw new CliError(`only pods can be evicted, not "${type}"`);
        return p.slice(slash + 1);
      });
      withSession(
        g,
        (s) => {
          for (const name of names) {
            if (dryRun !== 'client')
              evictPod(s.api, g.namespace, name, { gracePeriodSeconds: grace >= 0 ? grace : undefined, dryRun: dryRun === 'server' });
            else if (!s.store.get('Pod', g.namespace, name)) evictPod(s.api, g.namespace, name, { dryRun: true });
            env.out.line(`pod/${name} evicted${dryRunSuffix(dryRun)}`);
          }
        },
        { dryRun: dryRun !== 'none' },
      );
    });
}
