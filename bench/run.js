#!/usr/bin/env node
/*
 * kubesim benchmarks. Every figure is printed next to a baseline measured in the same
 * run on the same machine (ratios, not absolute times: machines here are noisy).
 * Requires the build (npm install runs it). Usage: npm run bench [-- name...]
 */
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bin = path.join(root, 'bin', 'kubesim');
const only = process.argv.slice(2);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-bench-'));

function ms(start) {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Wall time of a spawned command, median of n runs. */
function timeCommand(cmd, args, n, env = {}) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
    times.push(ms(start));
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  }
  return median(times);
}

let peakRssMb = 0;
function kubesim(state, args, input) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    env: { ...process.env, KUBESIM_STATE: state, KUBESIM_REPORT_RSS: '1' },
    input,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`kubesim ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const rss = /kubesim: max RSS (\d+) MB/.exec(r.stderr);
  if (rss) peakRssMb = Math.max(peakRssMb, Number(rss[1]));
  return r.stdout;
}

/** Peak RSS of the kubesim processes since the last call. */
function takePeakRss() {
  const v = peakRssMb;
  peakRssMb = 0;
  return v;
}

function timed(fn) {
  const start = process.hrtime.bigint();
  const result = fn();
  return { ms: ms(start), result };
}

function report(name, value, unit, baseline, baselineName, target) {
  const ratio = baseline ? ` = ${(value / baseline).toFixed(2)}× ${baselineName}` : '';
  const goal = target ? `  (target ${target})` : '';
  console.log(`${name.padEnd(58)} ${value.toFixed(1).padStart(9)} ${unit}${ratio}${goal}`);
}

const benches = {
  startup() {
    const state = path.join(tmp, 'startup.db');
    kubesim(state, ['cluster', 'create', '--clock', 'manual']);
    const docs = [];
    for (let i = 0; i < 100; i++)
      docs.push(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: p-${i}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n`);
    kubesim(state, ['apply', '-f', '-'], docs.join('---\n'));
    const baseline = timeCommand(process.execPath, ['-e', '0'], 7);
    const get = timeCommand(process.execPath, [bin, 'get', 'pods'], 7, { KUBESIM_STATE: state });
    report('node -e 0 (baseline)', baseline, 'ms');
    report('kubesim get pods, 100 pods', get, 'ms', baseline, 'node -e 0', '≤ 2.5×');
  },
  apply1000() {
    const state = path.join(tmp, 'apply.db');
    kubesim(state, ['cluster', 'create', '--clock', 'manual']);
    const docs = [];
    for (let i = 0; i < 1000; i++) docs.push(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  key: value-${i}\n`);
    const file = path.join(tmp, 'cm.yaml');
    fs.writeFileSync(file, docs.join('---\n'));
    const baseline = timeCommand(process.execPath, ['-e', '0'], 5);
    const t = timed(() => kubesim(state, ['apply', '-f', file]));
    report('kubesim apply -f (1,000 objects)', t.ms, 'ms', baseline, 'node -e 0', '≤ 1000 ms');
  },
};

// other benchmark files register themselves: bench/<name>.bench.js exporting { name: fn }
for (const f of fs
  .readdirSync(__dirname)
  .filter((f) => f.endsWith('.bench.js'))
  .sort())
  Object.assign(benches, require(path.join(__dirname, f)));

console.log(`kubesim benchmarks — ${os.cpus().length} cores, node ${process.version}`);
for (const [name, fn] of Object.entries(benches)) {
  if (only.length && !only.includes(name)) continue;
  try {
    fn({ kubesim, timed, timeCommand, report, tmp, root, takePeakRss });
  } catch (e) {
    console.log(`${name}: FAILED ${e.message}`);
    process.exitCode = 1;
  }
}
fs.rmSync(tmp, { recursive: true, force: true });
