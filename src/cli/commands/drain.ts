import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError } from '../../util/errors';
import { parseDuration } from '../../util/duration';
import { parseSelector } from '../../api/labels';
import { aggregate, evictOrDeletePods, podsForDeletion, type DrainOptions, type DrainWorld } from '../../api/drain';
import { dryRunSuffix, intFlag, parseDryRun } from '../flags';
import { cordonNodes, selectNodes, usageError } from './cordon';
import type { Session } from '../../engine/session';

/** A drain's view of the session: API writes at virtual now, and time passing. */
function drainWorld(s: Session): DrainWorld {
  return {
    api: () => s.api,
    now: () => s.now,
    advanceTo: (at) => s.engine.runUntil(at),
    idle: () => s.engine.pendingWakeup() === undefined,
  };
}

/** drain's flags as commander parses them */
interface DrainFlags {
  deleteEmptydirData?: boolean;
  disableEviction?: boolean;
  dryRun?: string | boolean;
  force?: boolean;
  gracePeriod: string;
  ignoreDaemonsets?: boolean;
  podSelector?: string;
  selector?: string;
  skipWaitForDeleteTimeout: string;
  timeout: string;
  chunkSize: string;
}

export function register(program: Command, env: CommandEnv): void {
  program
    .command('drain')
    .description('Drain node in preparation for maintenance')
    .argument('[node...]', 'NODE')
    .option(
      '--delete-emptydir-data',
      'Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained).',
    )
    .option(
      '--disable-eviction',
      'Force drain to use delete, even if eviction is supported. This will bypass checking PodDisruptionBudgets, use with caution.',
    )
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client"', 'none')
    .option('--force', 'Continue even if there are pods that do not declare a controller.')
    .option(
      '--grace-period <seconds>',
      'Period of time in seconds given to each pod to terminate gracefully. If negative, the default value specified in the pod will be used.',
      '-1',
    )
    .option('--ignore-daemonsets', 'Ignore DaemonSet-managed pods.')
    .option('--pod-selector <selector>', 'Label selector to filter pods on the node')
    .option('-l, --selector <selector>', "Selector (label query) to filter on, supports '=', '==', and '!='.")
    .option(
      '--skip-wait-for-delete-timeout <seconds>',
      'If pod DeletionTimestamp older than N seconds, skip waiting for the pod.  Seconds must be greater than 0 to skip.',
      '0',
    )
    .option('--timeout <duration>', 'The length of time to wait before giving up, zero means infinite', '0s')
    .option('--chunk-size <n>', 'Return large lists in chunks rather than all at once.', '500')
    .addHelpText('after', '\nExamples:\n  kubesim drain node-1 --ignore-daemonsets\n  kubesim drain node-1 --grace-period=900 --timeout=5m')
    .action((names: string[], flags: DrainFlags, cmd: Command) => {
      const g = globals(cmd, env);
      // Complete + Validate: every flag is checked before anything is written
      if (!names.length && flags.selector === undefined) throw usageError('drain');
      const dryRun = parseDryRun(flags.dryRun);
      let podSelector;
      if (flags.podSelector) {
        try {
          podSelector = parseSelector(flags.podSelector);
        } catch {
          throw new CliError('--pod-selector=<pod_selector> must be a valid label selector');
        }
      }
      const opts: DrainOptions = {
        force: !!flags.force,
        ignoreDaemonSets: !!flags.ignoreDaemonsets,
        deleteEmptyDirData: !!flags.deleteEmptydirData,
        disableEviction: !!flags.disableEviction,
        gracePeriodSeconds: intFlag(flags.gracePeriod, 'grace-period'),
        timeoutMs: parseDuration(flags.timeout, 'timeout'),
        skipWaitForDeleteTimeoutSeconds: intFlag(flags.skipWaitForDeleteTimeout, 'skip-wait-for-delete-timeout'),
        podSelector,
        dryRun,
      };
      intFlag(flags.chunkSize, 'chunk-size');
      // a failed drain still keeps its cordon and the evictions it made: commit, then exit 1
      const fatal = withSession(
        g,
        (s) => {
          const nodes = selectNodes(s, names, flags.selector);
          cordonNodes(s, nodes, true, dryRun, env.out);
          const errors: string[] = [];
          const remaining: string[] = [];
          for (const node of nodes) {
            const name = node.metadata.name;
            const error = drainNode(s, name, opts, env);
            if (error === undefined) env.out.line(`node/${name} drained${dryRunSuffix(dryRun)}`);
            else {
              env.out.errLine(`error: unable to drain node "${name}" due to error: ${error}, continuing command...`);
              errors.push(error);
              remaining.push(name);
            }
          }
          if (remaining.length) {
            env.out.errLine('There are pending nodes to be drained:');
            for (const name of remaining) env.out.errLine(` ${name}`);
          }
          return errors.length ? aggregate(errors) : undefined;
        },
        { dryRun: dryRun !== 'none' },
      );
      if (fatal !== undefined) {
        env.out.errLine(`error: ${fatal}`);
        env.exitCode = 1;
      }
    });
}

/** deleteOrEvictPodsSimple: filter, warn, evict; on failure list the pods still there. */
function drainNode(s: Session, nodeName: string, opts: DrainOptions, env: CommandEnv): string | undefined {
  const list = podsForDeletion(s.api, nodeName, opts);
  if (list.errors.length) return aggregate(list.errors);
  if (list.warnings) env.out.errLine(`Warning: ${list.warnings}`);
  if (opts.dryRun === 'client') {
    for (const pod of list.pods) env.out.line(`evicting pod ${pod.metadata.namespace}/${pod.metadata.name} (dry run)`);
    return undefined;
  }
  const error = evictOrDeletePods(drainWorld(s), list.pods, opts, env.out);
  if (error === undefined) return undefined;
  const pending = podsForDeletion(s.api, nodeName, opts);
  if (pending.pods.length) {
    env.out.errLine(`There are pending pods in node "${nodeName}" when an error occurred: ${error}`);
    for (const pod of pending.pods) env.out.errLine(`pod/${pod.metadata.name}`);
  }
  return error;
}
