import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { CliError } from '../../../util/errors';
import { openConfig } from './config-file';

export function register(config: Command, env: CommandEnv): void {
  config
    .command('use-context')
    .alias('use')
    .description('Set the current-context in the config file')
    .argument('<name>', 'context name')
    .action((name: string, _opts, cmd: Command) => {
      const file = openConfig(cmd, env);
      if (!file.config.contexts.some((c) => c.name === name)) throw new CliError(`no context exists with the name: "${name}"`);
      file.config['current-context'] = name;
      file.save();
      env.out.line(`Switched to context "${name}".`);
    });
}
