import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { CliError } from '../../../util/errors';
import { modifyConfig } from '../../../config/property-path';
import { goList, helpError, openConfig } from './config-file';

export function register(config: Command, env: CommandEnv): void {
  config
    .command('unset')
    .description('Unset an individual value in a kubeconfig file')
    .argument('[args...]', 'PROPERTY_NAME')
    .addHelpText('after', '\nExamples:\n  kubesim config unset current-context\n  kubesim config unset contexts.foo.namespace')
    .action((args: string[], _opts, cmd: Command) => {
      if (args.length !== 1) throw helpError(cmd, env, `Unexpected args: ${goList(args)}`);
      const property = args[0];
      if (!property) throw new CliError('you must specify a property');
      const file = openConfig(cmd, env);
      modifyConfig(file.config, property, undefined);
      file.save();
      env.out.line(`Property "${property}" unset.`);
    });
}
