import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { openConfig, printNames } from './config-file';

export function register(config: Command, env: CommandEnv): void {
  config
    .command('get-users')
    .description('Display users defined in the kubeconfig')
    .action((_opts, cmd: Command) => printNames(env, openConfig(cmd, env).config.users));
}
