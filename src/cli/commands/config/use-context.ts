import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { CliError } from '../../../util/errors';
import { goList, helpError, openConfig } from './config-file';

export function register(config: Command, env: CommandEnv): void {
  config
    .command('use-context')
    .alias('use')
    .description('Set the current-context in a kubeconfig file')
    .argument('[name...]', 'CONTEXT_NAME')
    .addHelpText('after', '\nExamples:\n  # Use the context for the minikube cluster\n  kubesim config use-context minikube')
    .action((args: string[], _opts, cmd: Command) => {
      // kubectl's complete(): exactly one name, else its help on stdout and `error: Unexpected args: [...]`
      if (args.length !== 1) throw helpError(cmd, env, `Unexpected args: ${goList(args)}`);
      const name = args[0];
      const file = openConfig(cmd, env);
      if (!file.config.contexts.some((c) => c.name === name)) throw new CliError(`no context exists with the name: "${name}"`);
      file.config['current-context'] = name;
      file.save();
      env.out.line(`Switched to context "${name}".`);
    });
}
