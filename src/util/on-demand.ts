/**
 * Modules loaded the first time they are used instead of at start-up. Every command is a new
 * process, so each module it imports costs start-up time: a `get` on a quiescent cluster runs
 * no controller, no admission plugin and no -f parsing, and should not load them.
 *
 * `onDemand(id, () => require('./x') as typeof import('./x'))` returns a getter that loads the
 * module on first call. The in-process test runner cannot `require()` a TypeScript module, so
 * its setup (test/support/on-demand-modules.ts) imports each one and hands it over with
 * `provideModule` first; the spawned-binary tests load them for real.
 */
const provided = new Map<string, unknown>();

export function onDemand<T>(id: string, load: () => T): () => T {
  let mod: T | undefined;
  return () => (mod ??= (provided.get(id) as T | undefined) ?? load());
}

/** Hands over an already-imported module for `onDemand(id, …)` (the in-process test runner's set-up). */
export function provideModule(id: string, mod: unknown): void {
  provided.set(id, mod);
}
