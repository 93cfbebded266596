import type { Command } from 'commander';
import { CliError, FlagValueError } from '../util/errors';
import { outputWithTemplate } from '../printers/output';
import type { DryRun } from '../api/server';

/** --dry-run, --dry-run=client|server|none (bare --dry-run means client, as in kubectl). */
export function parseDryRun(value: string | boolean | undefined): DryRun {
  if (value === undefined || value === false || value === 'none' || value === 'false') return 'none';
  if (value === true || value === 'client' || value === 'true') return 'client';
  if (value === 'server') return 'server';
  throw new CliError(`Invalid dry-run value (${value}). Must be "none", "server", or "client".`);
}

export function dryRunSuffix(d: DryRun): string {
  return d === 'client' ? ' (dry run)' : d === 'server' ? ' (server dry run)' : '';
}

/** Non-negative integer flag with kubectl's parse error. */
export function intFlag(value: string, flag: string): number {
  if (!/^-?\d+$/.test(String(value))) throw new FlagValueError(`--${flag}`, value, `strconv.ParseInt: parsing "${value}": invalid syntax`);
  return Number(value);
}

/** A repeatable flag whose values keep their commas (pflag's StringArray: --from-literal, --as-group, --rule). */
export function repeatable(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** strconv.ParseBool, as pflag parses a bool flag's value. */
export function boolFlag(value: string, flag: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw new FlagValueError(`--${flag}`, value, `strconv.ParseBool: parsing "${value}": invalid syntax`);
}

/** The flags cli-runtime's template printers add beside -o (GoTemplatePrintFlags, JSONPathPrintFlags). */
export interface TemplateFlags {
  output?: string;
  template?: string;
  allowMissingTemplateKeys?: boolean;
}

/**
 * Adds --template and --allow-missing-template-keys to a command that has -o. Before the action
 * runs, --template is folded into -o the way PrintFlags.ToPrinter reads them: alone it means
 * `-o go-template`, with a bare template format it is that format's template.
 */
export function addTemplateFlags(cmd: Command): Command {
  return cmd
    .option(
      '--template <string>',
      'Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].',
    )
    .option(
      '--allow-missing-template-keys [bool]',
      'If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.',
      (v: string) => boolFlag(v, 'allow-missing-template-keys'),
      true,
    )
    .hook('preAction', (c) => {
      const opts = c.opts<TemplateFlags>();
      const output = outputWithTemplate(opts.output, opts.template);
      if (output !== opts.output) c.setOptionValue('output', output);
    });
}
