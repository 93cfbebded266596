/*
 * Types of the benchmarks (checked by tsconfig.bench.json; the benches stay plain JS so `npm run bench`
 * and `node bench/<name>.bench.mjs` run them with node alone). bench/run.js hands each function that a
 * bench/<name>.bench.js exports this context.
 */
export interface BenchContext {
  /** runs `kubesim ARGS` on the state file (stdin `input`), throws on a non-zero exit, returns stdout */
  kubesim(state: string, args: string[], input?: string): string;
  timed<T>(fn: () => T): { ms: number; result: T };
  /** wall time of a spawned command, median of n runs (ms) */
  timeCommand(cmd: string, args: string[], n: number, env?: NodeJS.ProcessEnv): number;
  /** one line of figures: value, its ratio to the baseline and the target */
  report(name: string, value: number, unit: string, baseline?: number, baselineName?: string, target?: string): void;
  tmp: string;
  root: string;
  /** peak RSS (MB) of the kubesim processes since the last call */
  takePeakRss(): number;
  /** better-sqlite3 inserting n pod-sized rows (ms): the scale benches' yardstick */
  rawInsertMs(n: number): number;
  /** --pods=N --nodes=M from the command line: the scale benches at another size */
  scale: { pods?: number; nodes?: number };
}

/** A named bench; onlyWhenNamed ones run only when `node bench/run.js NAME` asks for them. */
export type Bench = ((ctx: BenchContext) => void) & { onlyWhenNamed?: boolean };

export type Benches = Record<string, Bench>;
