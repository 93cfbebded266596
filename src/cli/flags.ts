import { CliError, FlagValueError } from '../util/errors';
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
