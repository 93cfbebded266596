import type { ObjectStore } from '../store/object-store';
import { takeWarnings } from '../api/warnings';
import { deprecationWarning, type KindInfo } from '../api/registry';
import type { CommandEnv } from './program';

/** kubectl prints each API warning as `Warning: <text>` on stderr, before the request's result. */
export function printWarnings(env: CommandEnv, store: ObjectStore): void {
  for (const w of takeWarnings(store)) printWarning(env, w);
}

/**
 * One warning as kubectl's warning writer prints it: each text once per command (its
 * WarningWriterOptions Deduplicate), and counted for --warnings-as-errors (WarningCount).
 */
export function printWarning(env: CommandEnv, text: string): void {
  const printed = (env.printedWarnings ??= new Set());
  if (printed.has(text)) return;
  printed.add(text);
  env.out.errLine(`Warning: ${text}`);
  env.warnings = (env.warnings ?? 0) + 1;
}

/**
 * A deprecated version's warning (`v1 ComponentStatus is deprecated in v1.19+`), which comes with
 * every response of a route the resource has: call it where kubectl's request is one (a GET, a
 * LIST, a watch), not where it is a write the resource refuses (go-restful's 405 has no handler).
 */
export function printDeprecation(env: CommandEnv, info: KindInfo): void {
  const warning = deprecationWarning(info);
  if (warning) printWarning(env, warning);
}
