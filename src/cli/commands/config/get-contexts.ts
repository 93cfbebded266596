import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { CliError } from '../../../util/errors';
import { renderTable } from '../../../printers/table';
import { withFlags, type FlagSet } from '../../flag-sets';
import { openConfig } from './config-file';

const getContextsFlags: FlagSet = (c) =>
  c
    .option('-o, --output <format>', 'Output format. One of: (name).')
    .option('--no-headers', "When using the default output format, don't print headers.");

const HEADERS = ['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE'];

export function register(config: Command, env: CommandEnv): void {
  withFlags(
    config.command('get-contexts').description('Describe one or many contexts').argument('[name...]', 'context names'),
    getContextsFlags,
  ).action((names: string[], opts: { output?: string; headers: boolean }, cmd: Command) => {
    // Validate
    if (opts.output !== undefined && opts.output !== 'name')
      throw new CliError(`--output ${opts.output} is not available in kubesim config get-contexts; resetting to default output format`);
    // Run
    const cfg = openConfig(cmd, env).config;
    const sorted = [...cfg.contexts].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const contexts = names.length ? sorted.filter((c) => names.includes(c.name)) : sorted;
    // the names that are not there fail the command after the others are printed
    const missing = names.filter((n) => !cfg.contexts.some((c) => c.name === n));
    if (opts.output === 'name') for (const c of contexts) env.out.line(c.name);
    else {
      const rows = contexts.map((c) => [
        c.name === cfg['current-context'] ? '*' : '',
        c.name,
        c.context.cluster ?? '',
        c.context.user ?? '',
        c.context.namespace ?? '',
      ]);
      if (opts.headers) rows.unshift(HEADERS);
      if (rows.length) env.out.out(renderTable(rows));
    }
    // kubectl's CheckErr of an aggregate: one error as `error: …`, several one a line with no prefix
    const errors = missing.map((n) => `context ${n} not found`);
    if (errors.length) throw new CliError(errors.join('\n'), { raw: errors.length > 1 });
  });
}
