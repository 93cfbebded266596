import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { CliError } from '../../../util/errors';
import { openConfig } from './config-file';

export function register(config: Command, env: CommandEnv): void {
  config
    .command('delete-cluster')
    .description('Delete the specified cluster from the kubeconfig')
    .argument('[name...]', 'cluster name')
    .addHelpText('after', '\nExamples:\n  kubesim config delete-cluster minikube')
    .action((args: string[], _opts, cmd: Command) => {
      const file = openConfig(cmd, env);
      // kubectl prints the help and succeeds when the name is missing
      if (args.length !== 1) return env.out.out(cmd.helpInformation());
      const name = args[0];
      if (!file.config.clusters.some((c) => c.name === name)) throw new CliError(`cannot delete cluster ${name}, not in ${file.path}`);
      file.config.clusters = file.config.clusters.filter((c) => c.name !== name);
      file.save();
      env.out.line(`deleted cluster ${name} from ${file.path}`);
    });
}
