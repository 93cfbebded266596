import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { CliError } from '../../../util/errors';
import { openConfig } from './config-file';

export function register(config: Command, env: CommandEnv): void {
  config
    .command('delete-context')
    .description('Delete the specified context from the kubeconfig')
    .argument('[name...]', 'context name')
    .addHelpText('after', '\nExamples:\n  # Delete the context for the minikube cluster\n  kubesim config delete-context minikube')
    .action((args: string[], _opts, cmd: Command) => {
      const file = openConfig(cmd, env);
      // kubectl prints the help and succeeds unless exactly one name is given (as delete-cluster)
      if (args.length !== 1) return env.out.out(cmd.helpInformation());
      const name = args[0];
      if (!file.config.contexts.some((c) => c.name === name)) throw new CliError(`cannot delete context ${name}, not in ${file.path}`);
      if (file.config['current-context'] === name)
        env.out.errLine('warning: this removed your active context, use "kubesim config use-context" to select a different one');
      file.config.contexts = file.config.contexts.filter((c) => c.name !== name);
      file.save();
      env.out.line(`deleted context ${name} from ${file.path}`);
    });
}
