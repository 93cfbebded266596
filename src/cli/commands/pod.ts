import { type Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError, notFound } from '../../util/errors';
import { toRFC3339 } from '../../util/duration';
import { updateObject } from '../../api/server';
import { clone } from '../../model/objects';
import { CRASH_REQUESTED } from '../../sim/probes';

/**
 * Pod faults: `pod crash POD` makes the pod's running containers exit with code 1 now;
 * the kubelet then restarts them per restartPolicy (with CrashLoopBackOff back-off).
 */
export function register(program: Command, env: CommandEnv): void {
  const pod = program.command('pod').description('Simulate pod faults (crash)');
  pod
    .command('crash')
    .description('Make the running containers of a pod exit with an error now')
    .argument('<pod...>', 'POD')
    .action((names: string[], _opts, cmd: Command) => {
      const g = globals(cmd, env);
      withSession(g, (s) => {
        for (const name of names) {
          const current = s.store.get('Pod', g.namespace, name);
          if (!current) throw notFound('pods', name);
          const running = (current.status?.containerStatuses ?? []).some((c) => c.state?.running);
          if (!running || current.metadata.deletionTimestamp) throw new CliError(`pod ${name} has no running container to crash`);
          const next = clone(current);
          next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [CRASH_REQUESTED]: toRFC3339(s.now) };
          updateObject(s.api, next);
          env.out.line(`pod/${name} crashed`);
        }
      });
    });
}
