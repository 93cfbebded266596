import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { allKinds, apiVersionOf, type KindInfo } from '../../api/registry';
import { CliError } from '../../util/errors';
import '../../api/kinds/index';
import { renderTable } from '../../printers/table';
import { globals } from '../context';

export function register(program: Command, env: CommandEnv): void {
  program
    .command('api-resources')
    .description('Print the supported API resources')
    .option('--namespaced [bool]', 'If false, non-namespaced resources will be returned')
    .option('-o, --output <format>', 'Output format. One of: (wide, name)')
    .option('--no-headers', "Don't print headers")
    .addHelpText('after', '\nExamples:\n  kubesim api-resources\n  kubesim api-resources --namespaced=false')
    .option('--sort-by <field>', "If non-empty, sort list of resources using specified field. The field can be either 'name' or 'kind'.")
    .action((opts, cmd: Command) => {
      // the established CRDs' resources are served too (globals reads them from the cluster)
      globals(cmd, env);
      if (opts.sortBy !== undefined && opts.sortBy !== 'name' && opts.sortBy !== 'kind')
        throw new CliError(`--sort-by accepts only name or kind`);
      // kubectl's sortableResource: by API group (the core group first), or the --sort-by field; then by name
      const key = (k: KindInfo) => (opts.sortBy === 'name' ? k.plural : opts.sortBy === 'kind' ? k.kind : k.group);
      const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      let kinds = allKinds().sort((a, b) => cmp(key(a), key(b)) || cmp(a.plural, b.plural));
      if (opts.namespaced !== undefined) {
        const want = opts.namespaced !== 'false' && opts.namespaced !== false;
        kinds = kinds.filter((k) => k.namespaced === want);
      }
      if (opts.output === 'name') {
        for (const k of kinds) env.out.line(k.group ? `${k.plural}.${k.group}` : k.plural);
        return;
      }
      const rows = opts.headers === false ? [] : [['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']];
      for (const k of kinds) rows.push([k.plural, k.shortNames.join(','), apiVersionOf(k), String(k.namespaced), k.kind]);
      env.out.out(renderTable(rows));
    });
}
