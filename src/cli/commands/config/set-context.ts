import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { CliError } from '../../../util/errors';
import { upsert, type ContextEntry } from '../../../config/kubeconfig';
import { withFlags, type FlagSet } from '../../flag-sets';
import { goList, helpError, openConfig } from './config-file';

const setContextFlags: FlagSet = (c) =>
  c
    .option('--current', 'Modify the current context')
    .option('--cluster <cluster>', 'cluster for the context entry in kubeconfig')
    .option('--user <user>', 'user for the context entry in kubeconfig')
    .option('--namespace <namespace>', 'namespace for the context entry in kubeconfig');

interface SetContextFlags {
  current?: boolean;
  cluster?: string;
  user?: string;
  namespace?: string;
}

export function register(config: Command, env: CommandEnv): void {
  withFlags(
    config
      .command('set-context')
      .description('Set a context entry in kubeconfig')
      .argument('[name...]', 'context name')
      .addHelpText(
        'after',
        '\nExamples:\n  kubesim config set-context --current --namespace=web\n  kubesim config set-context gce --user=cluster-admin --cluster=prod-eu',
      ),
    setContextFlags,
  ).action((args: string[], opts: SetContextFlags, cmd: Command) => {
    // Complete
    if (args.length > 1) throw helpError(cmd, env, `Unexpected args: ${goList(args)}`);
    const nameArg = args[0] ?? '';
    // Validate
    if (!nameArg && !opts.current) throw new CliError('you must specify a non-empty context name or --current');
    if (nameArg && opts.current) throw new CliError('you cannot specify both a context name and --current');
    // Run
    const file = openConfig(cmd, env);
    let name = nameArg;
    if (opts.current) {
      name = file.config['current-context'] ?? '';
      if (!name) throw new CliError('no current context is set');
    }
    const existing = file.config.contexts.find((c) => c.name === name);
    const context: ContextEntry = { ...existing?.context };
    if (opts.cluster !== undefined) context.cluster = opts.cluster;
    if (opts.user !== undefined) context.user = opts.user;
    if (opts.namespace !== undefined) context.namespace = opts.namespace;
    file.config.contexts = upsert(file.config.contexts, { name, context });
    file.save();
    env.out.line(`Context "${name}" ${existing ? 'modified' : 'created'}.`);
  });
}
