import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { CliError } from '../../../util/errors';
import { goList, helpError, openConfig } from './config-file';

export function register(config: Command, env: CommandEnv): void {
  config
    .command('rename-context')
    .description('Rename a context from the kubeconfig file')
    .argument('[names...]', 'CONTEXT_NAME NEW_NAME')
    .addHelpText('after', '\nExamples:\n  kubesim config rename-context old-name new-name')
    .action((args: string[], _opts, cmd: Command) => {
      if (args.length !== 2) throw helpError(cmd, env, `Unexpected args: ${goList(args)}`);
      const [from, to] = args;
      if (!to) throw new CliError('You must specify a new non-empty context name');
      const file = openConfig(cmd, env);
      const context = file.config.contexts.find((c) => c.name === from);
      if (!context) throw new CliError(`cannot rename the context "${from}", it's not in ${file.path}`);
      if (file.config.contexts.some((c) => c.name === to))
        throw new CliError(`cannot rename the context "${from}", the context "${to}" already exists in ${file.path}`);
      file.config.contexts = file.config.contexts.map((c) => (c.name === from ? { ...c, name: to } : c));
      if (file.config['current-context'] === from) file.config['current-context'] = to;
      file.save();
      env.out.line(`Context "${from}" renamed to "${to}".`);
    });
}
