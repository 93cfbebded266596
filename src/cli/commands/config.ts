import type { Command } from 'commander';
import YAML from 'yaml';
import type { CommandEnv } from '../program';
import { CliError } from '../../util/errors';
import { renderTable } from '../../printers/table';
import { configPath, loadConfig, saveConfig, type NamedContext } from '../../config/kubeconfig';

/** `kubesim config …`: kubectl config's context verbs over ~/.kubesim/config. */
export function register(program: Command, env: CommandEnv): void {
  const config = program
    .command('config')
    .description('Modify kubesim config files (contexts: a cluster state file and a default namespace)')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim config get-contexts\n  kubesim config use-context prod-eu\n  kubesim config set-context --current --namespace=web',
    );
  const file = () => configPath(env.io.env);

  config
    .command('get-contexts')
    .description('Describe one or many contexts')
    .argument('[name]', 'context name')
    .option('-o, --output <format>', 'Output format. One of: (name).')
    .option('--no-headers', "When using the default output format, don't print headers.")
    .action((name: string | undefined, opts: { output?: string; headers: boolean }) => {
      if (opts.output !== undefined && opts.output !== 'name') throw new CliError(`output must be one of '' or 'name': ${opts.output}`);
      const cfg = loadConfig(file());
      let contexts = [...cfg.contexts].sort((a, b) => a.name.localeCompare(b.name));
      if (name) {
        contexts = contexts.filter((c) => c.name === name);
        if (!contexts.length) {
          if (opts.output !== 'name' && opts.headers)
            env.out.line(renderTable([['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE']]).trimEnd());
          throw new CliError(`context ${name} not found`);
        }
      }
      if (opts.output === 'name') {
        for (const c of contexts) env.out.line(c.name);
        return;
      }
      const rows = contexts.map((c) => [
        c.name === cfg['current-context'] ? '*' : '',
        c.name,
        c.context.cluster ?? '',
        '',
        c.context.namespace ?? '',
      ]);
      if (opts.headers) rows.unshift(['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE']);
      env.out.out(renderTable(rows));
    });

  config
    .command('current-context')
    .description('Display the current-context')
    .action(() => {
      const current = loadConfig(file())['current-context'];
      if (!current) throw new CliError('current-context is not set');
      env.out.line(current);
    });

  config
    .command('use-context')
    .alias('use')
    .description('Set the current-context in the config file')
    .argument('<name>', 'context name')
    .action((name: string) => {
      const cfg = loadConfig(file());
      if (!cfg.contexts.some((c) => c.name === name)) throw new CliError(`no context exists with the name: "${name}"`);
      cfg['current-context'] = name;
      saveConfig(file(), cfg);
      env.out.line(`Switched to context "${name}".`);
    });

  config
    .command('set-context')
    .description('Set a context entry in the config file')
    .argument('[name]', 'context name')
    .option('--current', 'Modify the current context')
    .option('--cluster <cluster>', 'cluster (state file entry) for the context entry')
    .option('--namespace <namespace>', 'namespace for the context entry')
    .action((nameArg: string | undefined, opts: { current?: boolean; cluster?: string; namespace?: string }, cmd: Command) => {
      // the global -n/--namespace flag takes --namespace wherever it appears
      const namespace = opts.namespace ?? (cmd.optsWithGlobals() as { namespace?: string }).namespace;
      const cfg = loadConfig(file());
      if (opts.current && nameArg) throw new CliError('you cannot specify both a context name and --current');
      let name = nameArg;
      if (opts.current) {
        name = cfg['current-context'];
        if (!name) throw new CliError('no current context is set');
      }
      if (!name) throw new CliError('you must specify a non-empty context name or --current');
      const existing = cfg.contexts.find((c) => c.name === name);
      const updated: NamedContext = { name, context: { ...(existing?.context ?? {}) } };
      if (opts.cluster !== undefined) updated.context.cluster = opts.cluster;
      if (namespace !== undefined) updated.context.namespace = namespace;
      cfg.contexts = existing ? cfg.contexts.map((c) => (c.name === name ? updated : c)) : [...cfg.contexts, updated];
      saveConfig(file(), cfg);
      env.out.line(`Context "${name}" ${existing ? 'modified' : 'created'}.`);
    });

  config
    .command('delete-context')
    .description('Delete the specified context from the config file')
    .argument('<name>', 'context name')
    .action((name: string) => {
      const path = file();
      const cfg = loadConfig(path);
      if (!cfg.contexts.some((c) => c.name === name)) throw new CliError(`cannot delete context ${name}, not in ${path}`);
      if (cfg['current-context'] === name)
        env.out.errLine('warning: this removed your active context, use "kubesim config use-context" to select a different one');
      cfg.contexts = cfg.contexts.filter((c) => c.name !== name);
      saveConfig(path, cfg);
      env.out.line(`deleted context ${name} from ${path}`);
    });

  config
    .command('view')
    .description('Display the merged config settings')
    .action(() => {
      const cfg = loadConfig(file());
      env.out.out(
        YAML.stringify(
          {
            apiVersion: 'v1',
            kind: 'Config',
            'current-context': cfg['current-context'] ?? '',
            clusters: cfg.clusters,
            contexts: cfg.contexts,
          },
          { indentSeq: false },
        ),
      );
    });
}
