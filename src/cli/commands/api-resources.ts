import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { allKinds, apiVersionOf } from '../../api/registry';
import '../../api/kinds/index';
import { renderTable } from '../../printers/table';

export function register(program: Command, env: CommandEnv): void {
  program
    .command('api-resources')
    .description('Print the supported API resources')
    .option('--namespaced [bool]', 'If false, non-namespaced resources will be returned')
    .option('-o, --output <format>', "Output format. One of: (wide, name)")
    .option('--no-headers', "Don't print headers")
    .addHelpText('after', '\nExamples:\n  kubesim api-resources\n  kubesim api-resources --namespaced=false')
    .action((opts) => {
      let kinds = allKinds().sort((a, b) => (a.plural < b.plural ? -1 : 1));
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
