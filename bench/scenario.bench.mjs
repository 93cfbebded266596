#!/usr/bin/env node
/*
 * `kubesim scenario run --seeds`: the HPA tuning example (examples/scenarios/hpa-tuning.yaml,
 * two 10-minute traffic runs at 1 s ticks against two autoscaled Deployments) over 100 seeds,
 * on one worker thread and on two. Target: two workers ≥ 1.7× as fast as one (issue #25).
 * Baseline: the same sweep with --workers 1, measured in the same run. Each is run --runs times
 * (alternating) and the fastest kept. Besides the wall time, the CPU time (user + system, by
 * /usr/bin/time when the machine has it) tells the two limits apart: CPU of two workers ≈ CPU of
 * one means the work split and the shortfall is waiting (a core not free); CPU of two > CPU of one
 * means each seed costs more while both cores run (cores sharing a physical core or its caches,
 * V8's GC and compiler threads of two isolates). The machine's load average is printed: on a
 * shared machine the second core is not always free.
 * Usage: node bench/scenario.bench.mjs [--seeds=100] [--workers=2] [--runs=3]   (needs the build: npm run build)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
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
const runs = flag('runs', 3);
const scenario = path.join(root, 'examples', 'scenarios', 'hpa-tuning.yaml');
const TIME = '/usr/bin/time';
const timed = fs.existsSync(TIME);
const cpuFile = path.join(os.tmpdir(), `kubesim-scenario-bench-${process.pid}.cpu`);

/** @param {number} n workers */
function sweep(n) {
  const args = [path.join(root, 'bin', 'kubesim'), 'scenario', 'run', scenario, `--seeds=1-${seeds}`, `--workers=${n}`, '-o', 'json'];
  const start = process.hrtime.bigint();
  const r = timed
    ? spawnSync(TIME, ['-f', '%U %S', '-o', cpuFile, process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`scenario run --workers=${n} failed (${r.status}): ${r.stderr}`);
  const result = JSON.parse(r.stdout);
  if (result.seeds.length !== seeds) throw new Error(`expected ${seeds} seeds, got ${result.seeds.length}`);
  const cpu = timed
    ? fs
        .readFileSync(cpuFile, 'utf8')
        .trim()
        .split(/\s+/)
        .slice(-2)
        .reduce((a, b) => a + Number(b), 0)
    : NaN;
  return { wall, cpu, failed: result.failedSeeds.length };
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
console.log(`cores: ${os.availableParallelism()}, load average before: ${load()}`);
/** @type {{ wall: number; cpu: number; failed: number }[][]} */
const results = [[], []];
for (let i = 0; i < runs; i++) {
  results[0].push(sweep(1));
  results[1].push(sweep(workers));
}
const best = (/** @type {{ wall: number; cpu: number; failed: number }[]} */ rs) => ({
  wall: Math.min(...rs.map((r) => r.wall)),
  cpu: Math.min(...rs.map((r) => r.cpu)),
  failed: rs[0].failed,
});
const [one, many] = results.map(best);
const cpuText = (/** @type {number} */ cpu) => (Number.isNaN(cpu) ? '' : `, CPU ${cpu.toFixed(1)} s`);
console.log(
  `--workers=1: ${seeds} seeds in ${one.wall.toFixed(1)} s (${((one.wall / seeds) * 1000).toFixed(0)} ms/seed)${cpuText(one.cpu)}, ${one.failed} failed (best of ${runs})`,
);
console.log(
  `--workers=${workers}: ${seeds} seeds in ${many.wall.toFixed(1)} s${cpuText(many.cpu)}, ${many.failed} failed (best of ${runs})`,
);
console.log(`speed-up: ${(one.wall / many.wall).toFixed(2)}× (target ≥ 1.7× with ${workers} workers); load average after: ${load()}`);
if (timed)
  console.log(
    `CPU of ${workers} workers / CPU of 1: ${(many.cpu / one.cpu).toFixed(2)}× (1.00 would be a split at no cost; the speed-up is at most ${workers}× divided by it)`,
  );
fs.rmSync(cpuFile, { force: true });
