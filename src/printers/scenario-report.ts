import type { AssertionResult, ScenarioRunResult, ScenarioSweepResult, StepResult } from '../model/scenario-result';

/**
 * `kubesim scenario run`'s outputs: the text report (one line per step and assertion with its
 * virtual time and verdict; a sweep's per-metric distribution and failed seeds) and the JUnit
 * XML CI tools read (testsuites > testsuite per seed > testcase per step and assertion, with
 * <failure> for each that failed — the shape Jenkins, GitLab and GitHub's reporters parse).
 */

/** Virtual seconds as Go prints a duration (90 → 1m30s). */
function clock(seconds: number): string {
  if (seconds === 0) return '0s';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round((seconds % 60) * 1000) / 1000;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

const pad = (s: string, n: number) => (s.length >= n ? `${s} ` : s + ' '.repeat(n - s.length));

function stepLine(s: StepResult): string {
  const late = s.startSeconds > s.dueSeconds ? ` (due ${clock(s.dueSeconds)})` : '';
  const took = s.endSeconds > s.startSeconds ? ` [until ${clock(s.endSeconds)}]` : '';
  return `${pad(clock(s.startSeconds), 9)}${pad(s.passed ? 'ok' : 'FAIL', 5)}step ${s.name}: ${s.action}${took}${late}`;
}

function assertionLine(a: AssertionResult): string {
  const observed = a.observed === null ? '' : ` (observed ${typeof a.observed === 'string' ? JSON.stringify(a.observed) : a.observed})`;
  const why = a.passed || !a.message ? '' : ` — ${a.message}`;
  return `${pad(clock(a.atSeconds), 9)}${pad(a.passed ? 'PASS' : 'FAIL', 5)}${a.kind === 'invariant' ? 'invariant' : 'assert'} ${a.name}: ${a.description}${observed}${why}`;
}

/** The report of one seed's run. */
export function runText(run: ScenarioRunResult): string[] {
  const lines = [`Scenario ${run.scenario} (seed ${run.seed}), started ${run.startedAt}`];
  // steps and their assertions in the order they ran; metric assertions and invariants at the end
  const byName = new Map(run.assertions.filter((a) => a.kind !== 'invariant').map((a) => [a.name, a]));
  for (const s of run.steps) {
    const a = byName.get(s.name);
    if (a?.kind === 'metric') continue; // judged once its traffic has played out: listed at the end
    if (a) lines.push(assertionLine(a));
    else {
      lines.push(stepLine(s));
      if (!s.passed && s.output) for (const l of s.output.split('\n').slice(-5)) lines.push(`           ${l}`);
    }
  }
  for (const a of run.assertions) if (a.kind === 'metric' || a.kind === 'invariant') lines.push(assertionLine(a));
  const failed = run.assertions.filter((a) => !a.passed).length + run.steps.filter((s) => !s.passed && !byName.has(s.name)).length;
  lines.push(
    `${run.passed ? 'PASS' : 'FAIL'}: ${run.steps.length} steps, ${run.assertions.length} assertions, ${failed} failed; virtual time ${clock(run.durationSeconds)}`,
  );
  return lines;
}

function number(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 10) / 10);
}

/** The report of several seeds: one line per seed, each metric's spread, the failed seeds. */
export function sweepText(sweep: ScenarioSweepResult): string[] {
  const lines = [
    `Scenario ${sweep.scenario}: ${sweep.seeds.length} seeds, ${sweep.seeds.length - sweep.failedSeeds.length} passed, ${sweep.failedSeeds.length} failed`,
  ];
  for (const run of sweep.runs) {
    if (run.passed) continue;
    const asserted = new Set(run.assertions.map((a) => a.name));
    const failures = [
      ...run.steps.filter((s) => !s.passed && !asserted.has(s.name)).map((s) => `step ${s.name}`),
      ...run.assertions.filter((a) => !a.passed).map((a) => `${a.name}${a.message ? ` (${a.message})` : ''}`),
    ];
    lines.push(`  seed ${run.seed}: FAIL ${failures.join('; ')}`);
  }
  if (sweep.distributions.length) {
    const rows = [
      ['METRIC', 'MIN', 'P50', 'P95', 'MAX'],
      ...sweep.distributions.map((d) => [d.metric, number(d.min), number(d.p50), number(d.p95), number(d.max)]),
    ];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)) + 3);
    for (const r of rows) lines.push(r.map((c, i) => (i === r.length - 1 ? c : pad(c, widths[i]))).join(''));
  }
  lines.push(sweep.failedSeeds.length ? `FAIL: seeds ${sweep.failedSeeds.join(', ')}` : `PASS: all ${sweep.seeds.length} seeds`);
  return lines;
}

function xml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // characters XML 1.0 cannot hold at all
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  );
}

interface Case {
  name: string;
  time: number;
  failure?: { message: string; body: string };
}

function cases(run: ScenarioRunResult): Case[] {
  const byName = new Map(run.assertions.filter((a) => a.kind !== 'invariant').map((a) => [a.name, a]));
  const out: Case[] = [];
  for (const s of run.steps) {
    if (byName.has(s.name)) continue;
    out.push({
      name: `step ${s.name}: ${s.action}`,
      time: s.endSeconds - s.startSeconds,
      failure: s.passed ? undefined : { message: `step ${s.name} failed`, body: s.output ?? '' },
    });
  }
  for (const a of run.assertions)
    out.push({
      name: `${a.kind === 'invariant' ? 'invariant' : 'assert'} ${a.name}: ${a.description}`,
      time: 0,
      failure: a.passed
        ? undefined
        : { message: a.message ?? 'failed', body: `at ${clock(a.atSeconds)}: observed ${JSON.stringify(a.observed)}` },
    });
  return out;
}

/** JUnit XML: one testsuite per seed; a case's time is the virtual seconds its step took. */
export function junitXml(runs: ScenarioRunResult[]): string {
  const suites = runs.map((run) => ({ run, cases: cases(run) }));
  const tests = suites.reduce((n, s) => n + s.cases.length, 0);
  const failures = suites.reduce((n, s) => n + s.cases.filter((c) => c.failure).length, 0);
  const time = runs.reduce((n, r) => n + r.durationSeconds, 0);
  const name = runs[0]?.scenario ?? 'scenario';
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(name)}" tests="${tests}" failures="${failures}" errors="0" time="${time}">`,
  ];
  for (const { run, cases: cs } of suites) {
    const f = cs.filter((c) => c.failure).length;
    lines.push(
      `  <testsuite name="${xml(`${run.scenario} seed ${run.seed}`)}" tests="${cs.length}" failures="${f}" errors="0" skipped="0" time="${run.durationSeconds}" timestamp="${run.startedAt.replace(/Z$/, '')}">`,
    );
    for (const c of cs) {
      const open = `    <testcase classname="${xml(`${run.scenario}.seed-${run.seed}`)}" name="${xml(c.name)}" time="${c.time}"`;
      if (!c.failure) lines.push(`${open}/>`);
      else
        lines.push(
          `${open}>`,
          `      <failure message="${xml(c.failure.message)}" type="AssertionError">${xml(c.failure.body)}</failure>`,
          '    </testcase>',
        );
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
