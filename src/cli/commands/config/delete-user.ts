import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { CliError } from '../../../util/errors';
import { openConfig } from './config-file';

export function register(config: Command, env: CommandEnv): void {
  config
    .command('delete-user')
    .description('Delete the specified user from the kubeconfig')
    .argument('[name...]', 'user name')
    .addHelpText('after', '\nExamples:\n  kubesim config delete-user minikube')
    .action((args: string[], _opts, cmd: Command) => {
      // Complete
      const file = openConfig(cmd, env);
      if (args.length !== 1) throw new CliError(`user to delete is required\nSee 'kubesim config delete-user -h' for help and examples`);
      const name = args[0];
      // Validate
      if (!file.config.users.some((u) => u.name === name)) throw new CliError(`cannot delete user ${name}, not in ${file.path}`);
      // Run
      file.config.users = file.config.users.filter((u) => u.name !== name);
      file.save();
      env.out.line(`deleted user ${name} from ${file.path}`);
    });
}
