import type { ObjectStore } from '../store/object-store';
import { takeWarnings } from '../api/warnings';
import type { CommandEnv } from './program';

/** kubectl prints each API warning as `Warning: <text>` on stderr, before the request's result. */
export function printWarnings(env: CommandEnv, store: ObjectStore): void {
  for (const w of takeWarnings(store)) {
    env.out.errLine(`Warning: ${w}`);
    env.warnings = (env.warnings ?? 0) + 1;
  }
}
