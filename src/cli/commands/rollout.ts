import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { register as status } from './rollout/status';
import { register as history } from './rollout/history';
import { register as undo } from './rollout/undo';
import { registerRestartPauseResume } from './rollout/restart-pause-resume';

export function register(program: Command, env: CommandEnv): void {
  const rollout = program
    .command('rollout')
    .description('Manage the rollout of one or many resources')
    .addHelpText('after', '\nExamples:\n  kubesim rollout status deployment/web\n  kubesim rollout undo deployment/web --to-revision=2');
  status(rollout, env);
  history(rollout, env);
  undo(rollout, env);
  registerRestartPauseResume(rollout, env);
}
