import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { CliError } from '../../../util/errors';
import { openConfig } from './config-file';

export function register(config: Command, env: CommandEnv): void {
  config
    .command('current-context')
    .description('Display the current-context')
    .action((_opts, cmd: Command) => {
      const current = openConfig(cmd, env).config['current-context'];
      if (!current) throw new CliError('current-context is not set');
      env.out.line(current);
    });
}
