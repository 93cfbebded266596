import { type Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { notFound } from '../../util/errors';
import { toRFC3339 } from '../../util/duration';
import { updateObject } from '../../api/server';
import { clone } from '../../model/objects';
import { KUBELET_STOPPED } from '../../api/kinds/node';

/**
 * Node faults: `node fail NODE` stops the node's kubelet (no more heartbeats or pod
 * updates; the node lifecycle controller notices after the grace period); `node recover
 * NODE` starts it again.
 */
export function register(program: Command, env: CommandEnv): void {
  const node = program.command('node').description('Simulate node faults (fail, recover)');
  node
    .command('fail')
    .description("Stop a node's kubelet: heartbeats stop and after 50s the node is NotReady")
    .argument('<node...>', 'NODE')
    .action((names: string[], _opts, cmd: Command) => setKubelet(env, cmd, names, false));
  node
    .command('recover')
    .description("Start a failed node's kubelet again")
    .argument('<node...>', 'NODE')
    .action((names: string[], _opts, cmd: Command) => setKubelet(env, cmd, names, true));
}

function setKubelet(env: CommandEnv, cmd: Command, names: string[], running: boolean): void {
  const g = globals(cmd, env);
  withSession(g, (s) => {
    for (const name of names) {
      const current = s.store.get('Node', undefined, name);
      if (!current) throw notFound('nodes', name);
      const stopped = current.metadata.annotations?.[KUBELET_STOPPED] !== undefined;
      if (stopped === !running) {
        env.out.line(`node/${name} already ${running ? 'running' : 'failed'}`);
        continue;
      }
      const next = clone(current);
      const annotations = { ...(next.metadata.annotations ?? {}) };
      if (running) delete annotations[KUBELET_STOPPED];
      else annotations[KUBELET_STOPPED] = toRFC3339(s.now);
      next.metadata.annotations = annotations;
      if (!Object.keys(annotations).length) delete next.metadata.annotations;
      updateObject(s.api, next);
      env.out.line(`node/${name} ${running ? 'recovered' : 'failed'}`);
    }
  });
}
