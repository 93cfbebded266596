import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { globals, withSession } from '../../context';
import { CliError } from '../../../util/errors';
import { parseDuration } from '../../../util/duration';
import { statusViewer } from '../../../api/rollout';
import { revisionOf, findNewReplicaSet, ownedReplicaSets } from '../../../api/revisions';
import { waitInVirtualTime } from '../../../engine/wait';
import { workloadTargets } from '../../workload-target';
import { fileNameFlags, labelSelectorFlag, withFlags, type FileNameOptions } from '../../flag-sets';

/** rollout status's flags as commander parses them */
interface StatusOptions extends FileNameOptions {
  selector?: string;
  timeout: string;
  watch: string | boolean;
  revision: string;
}
import { intFlag } from '../../flags';
import { isKind } from '../../../model/kinds';

export function register(rollout: Command, env: CommandEnv): void {
  withFlags(
    rollout.command('status').description('Show the status of the rollout').argument('[resource...]', 'TYPE NAME | TYPE/NAME'),
    fileNameFlags('identifying the resource to get from a server.'),
    labelSelectorFlag,
  )
    .option('--timeout <duration>', 'The length of time to wait before ending watch, zero means never', '0s')
    .option('-w, --watch [bool]', "Watch the status of the rollout until it's done", 'true')
    .option('--revision <n>', 'Pin to a specific revision for showing its status', '0')
    .addHelpText('after', '\nExamples:\n  kubesim rollout status deployment/web\n  kubesim rollout status deployment/web --timeout=2m')
    .action((args: string[], opts: StatusOptions, cmd: Command) => {
      const g = globals(cmd, env);
      const timeout = parseDuration(opts.timeout, 'timeout');
      const revision = intFlag(opts.revision, 'revision');
      const watch = opts.watch !== 'false' && opts.watch !== false;
      withSession(g, (s) => {
        const targets = workloadTargets(args, opts, s.store, g, env.io, ['Deployment', 'StatefulSet', 'DaemonSet'], 'status');
        // status follows one rollout (kubectl: "rollout status is only supported on individual resources")
        if (targets.length !== 1)
          throw new CliError(
            `rollout status is only supported on individual resources and resource collections - ${targets.length} resources were found`,
          );
        const [{ info, obj }] = targets;
        const viewer = statusViewer(info.kind);
        const current = () => s.store.get(info.kind, obj.metadata.namespace, obj.metadata.name);
        if (revision > 0 && isKind(obj, 'Deployment')) {
          const running = revisionOf(findNewReplicaSet(obj, ownedReplicaSets(obj, s.store)));
          if (running !== revision)
            throw new CliError(`desired revision (${revision}) is different from the running revision (${running})`);
        }
        let last = '';
        let failure: CliError | undefined;
        const check = () => {
          const live = current();
          if (!live) {
            failure = new CliError(`object has been deleted`);
            return true;
          }
          try {
            const state = viewer(live, s.store);
            if (state.message !== last) {
              env.out.line(state.message);
              last = state.message;
            }
            return state.done || !watch;
          } catch (e) {
            failure = e as CliError;
            return true;
          }
        };
        const outcome = waitInVirtualTime(s.engine, check, timeout);
        if (failure) {
          env.out.errLine(`error: ${failure.message}`);
          env.exitCode = 1;
        } else if (outcome !== 'done') {
          env.out.errLine('error: timed out waiting for the condition');
          env.exitCode = 1;
        }
      });
    });
}
