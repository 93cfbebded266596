#!/usr/bin/env node
/*
 * `kubesim scenario run --seeds`: the HPA tuning example (examples/scenarios/hpa-tuning.yaml,
 * two 10-minute traffic runs at 1 s ticks against two autoscaled Deployments) over 100 seeds,
 * on one worker thread and on two. Target: two workers ≥ 1.7× as fast as one (issue #25).
 * Baseline: the same sweep with --workers 1, measured in the same run. The machine's load
 * average is printed: on a shared machine the second core is not always free.
 * Usage: node bench/scenario.bench.mjs [--seeds=100] [--workers=2]   (needs the build: npm run build)
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** @type {(name: string, fallback: number) => number} */
const flag = (name, fallback) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a === undefined ? fallback : Number(a.slice(name.length + 3));
};
const seeds = flag('seeds', 100);
const workers = flag('workers', 2);
const scenario = path.join(root, 'examples', 'scenarios', 'hpa-tuning.yaml');

/** @param {number} n workers */
function sweep(n) {
  const start = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    [path.join(root, 'bin', 'kubesim'), 'scenario', 'run', scenario, `--seeds=1-${seeds}`, `--workers=${n}`, '-o', 'json'],
    { encoding: 'utf8', maxBuffer: 1 << 30 },
  );
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`scenario run --workers=${n} failed (${r.status}): ${r.stderr}`);
  const result = JSON.parse(r.stdout);
  if (result.seeds.length !== seeds) throw new Error(`expected ${seeds} seeds, got ${result.seeds.length}`);
  return { wall, failed: result.failedSeeds.length };
}

console.log(
  `cores: ${os.availableParallelism()}, load average before: ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const one = sweep(1);
console.log(
  `--workers=1: ${seeds} seeds in ${one.wall.toFixed(1)} s (${((one.wall / seeds) * 1000).toFixed(0)} ms/seed), ${one.failed} failed`,
);
const many = sweep(workers);
console.log(`--workers=${workers}: ${seeds} seeds in ${many.wall.toFixed(1)} s, ${many.failed} failed`);
console.log(
  `speed-up: ${(one.wall / many.wall).toFixed(2)}× (target ≥ 1.7× with 2 workers); load average after: ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
