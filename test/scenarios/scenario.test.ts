import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kubesim, tempCluster } from '../support/cli';
import type { ScenarioRunResult, ScenarioSweepResult } from '../../src/model/scenario-result';
import type { ReportModel } from '../../src/model/report';

const EXAMPLES = path.resolve(__dirname, '../../examples/scenarios');
const WEB = path.resolve(__dirname, '../../fixtures/web.yaml');

/** `scenario run` in-process from a temp folder (its own cluster lives in a temp state file). */
async function scenario(args: string[], files: Record<string, string> = {}) {
  const t = tempCluster('kubesim-scenario-test-');
  for (const [name, content] of Object.entries(files)) t.file(name, content);
  const r = await kubesim(t.state, ['scenario', ...args], { cwd: t.dir });
  return { ...r, dir: t.dir, read: (name: string) => fs.readFileSync(path.join(t.dir, name), 'utf8') };
}

/** The testsuites, testcases and failures of a JUnit file, read as a CI reporter reads them. */
function junit(xml: string) {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
  expect(xml.trimEnd().endsWith('</testsuites>')).toBe(true);
  const suites = [...xml.matchAll(/<testsuite name="([^"]*)" tests="(\d+)" failures="(\d+)"/g)].map((m) => ({
    name: m[1],
    tests: Number(m[2]),
    failures: Number(m[3]),
  }));
  const cases = [...xml.matchAll(/<testcase classname="[^"]*" name="([^"]*)" time="[\d.]+"(\/?)>/g)].map((m) => ({
    name: m[1],
    failed: m[2] === '',
  }));
  const failures = [...xml.matchAll(/<failure message="([^"]*)"/g)].map((m) => m[1]);
  const top = /<testsuites name="[^"]*" tests="(\d+)" failures="(\d+)"/.exec(xml)!;
  expect(Number(top[1])).toBe(cases.length);
  expect(Number(top[2])).toBe(failures.length);
  expect(suites.reduce((n, s) => n + s.tests, 0)).toBe(cases.length);
  return { suites, cases, failures };
}

/** A small scenario: web.yaml (3 replicas) applied, Available, then the given steps. */
function small(steps: string, extra = ''): string {
  return `apiVersion: scenario.kubesim.io/v1alpha1
kind: Scenario
metadata: {name: small}
spec:
  steps:
  - name: deploy
    apply: {file: ${JSON.stringify(WEB)}}
  - name: ready
    wait: {target: deployment/web, for: condition=Available, timeout: 1m}
${steps}${extra}`;
}

describe('kubesim scenario run: the examples', () => {
  it('rolling-update-drain passes: a rollout under a spike with a PDB-protected drain, reported step by step and as JUnit', async () => {
    const r = await scenario(['run', path.join(EXAMPLES, 'rolling-update-drain.yaml'), '--junit', 'report.xml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Scenario rolling-update-drain (seed 1), started 2025-01-01T00:00:00Z');
    expect(lines).toContain('2m0s     ok   step roll: kubesim set image deployment/web web=nginx:1.28');
    expect(lines.some((l) => /^2m5s +ok +step drain: kubesim drain node-2 --ignore-daemonsets --timeout=5m0s/.test(l))).toBe(true);
    expect(
      lines.some((l) =>
        /PASS invariant three-serving: deployment\/web: never fewer than 3 available during roll, drain, rolled-out \(observed 3\)/.test(l),
      ),
    ).toBe(true);
    expect(lines[lines.length - 1]).toMatch(/^PASS: 12 steps, 7 assertions, 0 failed; virtual time 9m0s$/);
    // the README shows this run as typed
    const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    const shown = /\$ kubesim scenario run examples\/scenarios\/rolling-update-drain.yaml --junit report.xml\n([\s\S]*?)```/.exec(readme)!;
    expect(shown[1]).toBe(r.stdout);
    const report = junit(r.read('report.xml'));
    expect(report.suites).toEqual([{ name: 'rolling-update-drain seed 1', tests: 13, failures: 0 }]);
    expect(report.cases.map((c) => c.name)).toContain(
      'invariant three-serving: deployment/web: never fewer than 3 available during roll, drain, rolled-out',
    );
  });

  it('zone-failure passes: the lost zone’s pods come back in the other zones, never fewer than 4 serving', async () => {
    const r = await scenario(['run', path.join(EXAMPLES, 'zone-failure.yaml'), '--junit', 'zone.xml', '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const run = JSON.parse(r.stdout) as ScenarioRunResult;
    expect(run.passed).toBe(true);
    expect(run.steps.find((s) => s.name === 'zone-a-down')!.action).toBe('kubesim node fail node-1; kubesim node fail node-4');
    expect(run.assertions.find((a) => a.name === 'four-serving')).toMatchObject({ kind: 'invariant', passed: true, observed: 4 });
    // the timeline holds the node lifecycle controller's work in virtual time
    expect(run.timeline.find((e) => e.reason === 'NodeNotReady' && e.object === 'Node/node-1')!.atSeconds).toBe(110);
    expect(run.timeline.filter((e) => e.reason === 'TaintManagerEviction').map((e) => e.atSeconds)).toEqual([410, 410]);
    const report = junit(r.read('zone.xml'));
    expect(report.failures).toEqual([]);
    expect(report.suites[0].name).toBe('zone-failure seed 1');
  });

  it('hpa-tuning over seeds runs them on worker threads and summarises each metric', async () => {
    const r = await scenario(['run', path.join(EXAMPLES, 'hpa-tuning.yaml'), '--seeds', '1-2', '--workers', '2', '--junit', 'hpa.xml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Scenario hpa-tuning: 2 seeds, 2 passed, 0 failed');
    expect(lines[1]).toMatch(/^METRIC +MIN +P50 +P95 +MAX$/);
    expect(lines.some((l) => /^load-relaxed\.requests_dropped +\d+ +\d+ +\d+ +\d+$/.test(l))).toBe(true);
    expect(lines[lines.length - 1]).toBe('PASS: all 2 seeds');
    const report = junit(r.read('hpa.xml'));
    expect(report.suites.map((s) => s.name)).toEqual(['hpa-tuning seed 1', 'hpa-tuning seed 2']);
    expect(report.failures).toEqual([]);
  });
});

describe('kubesim scenario run: steps, assertions and invariants', () => {
  it('--report writes one HTML file: the map after each step, the timeline, the metric series as charts', async () => {
    const r = await scenario(['run', path.join(EXAMPLES, 'rolling-update-drain.yaml'), '--report', 'run.html']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const html = r.read('run.html');
    const model = JSON.parse(/<script type="application\/json" id="kubesim-report">(.*?)<\/script>/s.exec(html)![1]) as ReportModel;
    expect(model.title).toBe('Scenario rolling-update-drain (seed 1): passed');
    // the run's text is the summary; a snapshot after each step, oldest first, the last at the end
    expect(model.summary?.[0]).toBe('Scenario rolling-update-drain (seed 1), started 2025-01-01T00:00:00Z');
    expect(model.snapshots.length).toBeGreaterThan(2);
    expect(model.snapshots.every((snap, i) => i === 0 || snap.time >= model.snapshots[i - 1].time)).toBe(true);
    expect(model.snapshots[model.snapshots.length - 1].time).toBe(model.now);
    // the rollout shows: web pods of two revisions over the run, one at the end
    const revisions = new Set(model.snapshots.flatMap((snap) => snap.pods.filter((p) => p.name.startsWith('web-')).map((p) => p.revision)));
    expect(revisions.size).toBeGreaterThan(1);
    expect(model.events.some((e) => e.reason === 'ScalingReplicaSet')).toBe(true);
    expect(model.charts.map((ch) => ch.title)).toContain('spike.p99_latency_ms');
    const refused = await scenario(['run', path.join(EXAMPLES, 'hpa-tuning.yaml'), '--seeds', '1-2', '--report', 'x.html']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('error: --report is for one seed (each seed of a sweep runs its own cluster): use --seed N\n');
    expect((await scenario(['run', path.join(EXAMPLES, 'zone-failure.yaml'), '--report', 'x.txt'])).stderr).toBe(
      'error: --report: "x.txt" does not end in .html\n',
    );
  });

  it('exits 1 when an assertion fails, says what was observed, and writes a JUnit failure', async () => {
    const r = await scenario(['run', 'f.yaml', '--junit', 'out.xml'], {
      'f.yaml': small(`  - name: five-pods
    assert:
      pods: {selector: app=web, phase: Running, count: 5}
  - name: image
    assert:
      jsonpath: {target: deployment/web, path: "{.spec.template.spec.containers[0].image}", equals: "nginx:1.27"}
`),
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('3s       FAIL assert five-pods: pods app=web phase=Running count = 5 (observed 3) — got 3, expected 5\n');
    expect(r.stdout).toContain(
      '3s       PASS assert image: deployment/web {.spec.template.spec.containers[0].image} = nginx:1.27 (observed "nginx:1.27")\n',
    );
    expect(r.stdout).toMatch(/FAIL: 4 steps, 2 assertions, 1 failed; virtual time 3s\n$/);
    const report = junit(r.read('out.xml'));
    expect(report.failures).toEqual(['got 3, expected 5']);
  });

  it('checks an invariant at every reconcile pass of the step it covers: a drain below it fails with the instant', async () => {
    const steps = `  - name: drain
    drain: node-1
  invariants:
  - name: all-three
    target: deployment/web
    minAvailable: 3
    during: drain
`;
    const r = await scenario(['run', 'f.yaml'], { 'f.yaml': small(steps) });
    expect(r.code).toBe(1);
    // the evicted pod is gone before its replacement is Ready: 2 available inside the drain's command
    expect(r.stdout).toMatch(
      /FAIL invariant all-three: deployment\/web: never fewer than 3 available during drain \(observed 2\) — 2 available, fewer than 3 at 3s \(step drain\)/,
    );
    // the same drain with 2 as the floor passes: the check is not always failing
    const ok = await scenario(['run', 'f.yaml'], { 'f.yaml': small(steps.replace('minAvailable: 3', 'minAvailable: 2')) });
    expect(ok.stdout).toContain('PASS invariant all-three');
    expect(ok.code).toBe(0);
  });

  it('samples traffic at every tick while other steps move the clock (a rollout, a clock advance)', async () => {
    const svc = `  - name: svc
    apply:
      manifests:
      - {apiVersion: v1, kind: Service, metadata: {name: web}, spec: {selector: {app: web}, ports: [{port: 80}]}}
  - name: load
    traffic: {service: web, rps: 50, duration: 2m, tick: 1s}
  - name: roll
    at: 20s
    setImage: {target: deployment/web, container: nginx, image: nginx:1.28}
  - name: status
    kubesim: [rollout, status, deployment/web]
  - name: later
    advance: 30s
  - name: served
    assert:
      metric: {traffic: load, name: rps_served, aggregate: min, atLeast: 50}
`;
    const r = await scenario(['run', 'f.yaml', '-o', 'json'], { 'f.yaml': small(svc) });
    expect(r.stderr).toBe('');
    const run = JSON.parse(r.stdout) as ScenarioRunResult;
    expect(run.passed).toBe(true);
    const ready = run.series.find((s) => s.name === 'load.pods_ready')!.points;
    expect(ready.length).toBe(120);
    // one tick a second from the traffic's start (3 s, after deploy and ready), no gap during the rollout
    expect(ready.map((p) => p[0])).toEqual(Array.from({ length: 120 }, (_, i) => 3 + i));
    expect(run.steps.find((s) => s.name === 'status')!.endSeconds).toBeGreaterThan(23);
    expect(run.metrics['load.requests_offered']).toBe(6000);
    expect(run.durationSeconds).toBe(123);
  });

  it('runs steps at their time or after the step they name, and reports a late one as due earlier', async () => {
    const steps = `  - name: second
    after: first
    scale: {target: deployment/web, replicas: 4}
  - name: first
    at: 1m
    cordon: node-3
  - name: early
    at: 10s
    kubesim: [rollout, status, deployment/web]
  - name: late
    at: 1s
    uncordon: node-3
`;
    const r = await scenario(['run', 'f.yaml', '-o', 'json'], { 'f.yaml': small(steps) });
    const run = JSON.parse(r.stdout) as ScenarioRunResult;
    expect(run.steps.map((s) => [s.name, s.dueSeconds, s.startSeconds])).toEqual([
      ['deploy', 0, 0],
      ['ready', 0, 0],
      ['late', 1, 3],
      ['early', 10, 10],
      ['first', 60, 60],
      ['second', 60, 60],
    ]);
    expect(r.code).toBe(0);
  });

  it('asserts an event seen or not seen, optionally on one object', async () => {
    const steps = `  - name: scaled
    assert:
      event: {reason: ScalingReplicaSet, object: deployment/web, message: "to 3", seen: true}
  - name: no-backoff
    assert:
      event: {reason: BackOff, seen: false}
  - name: no-such
    assert:
      event: {reason: ScalingReplicaSet, object: deployment/other}
`;
    const r = await scenario(['run', 'f.yaml'], { 'f.yaml': small(steps) });
    expect(r.stdout).toContain('PASS assert scaled: event ScalingReplicaSet on deployment/web "to 3" seen (observed 1)');
    expect(r.stdout).toContain('PASS assert no-backoff: event BackOff not seen (observed 0)');
    expect(r.stdout).toContain(
      'FAIL assert no-such: event ScalingReplicaSet on deployment/other seen (observed 0) — no ScalingReplicaSet event',
    );
    expect(r.code).toBe(1);
  });
});

describe('kubesim scenario run: seeds, shards and merge', () => {
  const quick = small(`  - name: three
    assert:
      pods: {selector: app=web, ready: true, count: 3}
`);

  it('splits seeds into 1-based shards whose merged JSON equals the whole sweep', async () => {
    const whole = await scenario(['run', 'f.yaml', '--seeds', '1-5', '--workers', '1', '-o', 'json'], { 'f.yaml': quick });
    expect(whole.code).toBe(0);
    const t = tempCluster('kubesim-scenario-shards-');
    t.file('f.yaml', quick);
    for (const i of [1, 2]) {
      const r = await kubesim(
        t.state,
        ['scenario', 'run', 'f.yaml', '--seeds', '1-5', '--shard', `${i}/2`, '--workers', '1', '-o', 'json'],
        { cwd: t.dir },
      );
      expect(r.code).toBe(0);
      t.file(`shard-${i}.json`, r.stdout);
      expect((JSON.parse(r.stdout) as ScenarioSweepResult).seeds).toEqual(i === 1 ? [1, 3, 5] : [2, 4]);
    }
    const merged = await kubesim(t.state, ['scenario', 'merge', 'shard-1.json', 'shard-2.json', '-o', 'json', '--junit', 'all.xml'], {
      cwd: t.dir,
    });
    expect(merged.code).toBe(0);
    expect(JSON.parse(merged.stdout)).toEqual(JSON.parse(whole.stdout));
    expect(junit(fs.readFileSync(path.join(t.dir, 'all.xml'), 'utf8')).suites.map((s) => s.name)).toEqual(
      [1, 2, 3, 4, 5].map((s) => `small seed ${s}`),
    );
    const text = await kubesim(t.state, ['scenario', 'merge', 'shard-2.json', 'shard-1.json'], { cwd: t.dir });
    expect(text.stdout.split('\n')[0]).toBe('Scenario small: 5 seeds, 5 passed, 0 failed');
    const twice = await kubesim(t.state, ['scenario', 'merge', 'shard-1.json', 'shard-1.json'], { cwd: t.dir });
    expect(twice).toMatchObject({ code: 1, stderr: 'error: seed 1 appears in more than one file\n' });
  });

  it('names the failed seeds and exits 1', async () => {
    // only seeds whose names sort the pods differently could differ; a failing bound fails every seed
    const r = await scenario(['run', 'f.yaml', '--seeds', '3,1', '--workers', '1'], { 'f.yaml': quick.replace('count: 3', 'count: 4') });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  seed 1: FAIL three (got 3, expected 4)\n');
    expect(r.stdout).toContain('  seed 3: FAIL three (got 3, expected 4)\n');
    expect(r.stdout).toMatch(/FAIL: seeds 1, 3\n$/);
  });

  it('refuses bad seeds, shards, workers and output formats before running anything', async () => {
    const files = { 'f.yaml': quick };
    expect(await scenario(['run', 'f.yaml', '--seeds', '5-1'], files)).toMatchObject({
      code: 1,
      stderr: 'error: invalid --seeds "5-1": 5-1 ends before it starts\n',
    });
    expect(await scenario(['run', 'f.yaml', '--seeds', '1-4', '--shard', '3/2'], files)).toMatchObject({
      code: 1,
      stderr: 'error: invalid --shard "3/2": expected INDEX/COUNT with 1 <= INDEX <= COUNT, e.g. 1/4\n',
    });
    expect(await scenario(['run', 'f.yaml', '--seed', '1', '--seeds', '1-2'], files)).toMatchObject({
      code: 1,
      stderr: 'error: --seed and --seeds may not be used together\n',
    });
    expect(await scenario(['run', 'f.yaml', '--workers', '0'], files)).toMatchObject({
      code: 1,
      stderr: 'error: invalid --workers "0": must be a whole number of at least 1\n',
    });
    expect(await scenario(['run', 'f.yaml', '-o', 'yaml'], files)).toMatchObject({
      code: 1,
      stderr: 'error: unable to match a printer suitable for the output format "yaml", allowed formats are: json,text\n',
    });
    expect(await scenario(['run', 'missing.yaml'], files)).toMatchObject({
      code: 1,
      stderr: 'error: the path "missing.yaml" does not exist\n',
    });
  });
});

describe('kubesim scenario run: a bad Scenario file', () => {
  it('names each wrong field by its path, as the API server does for a manifest', async () => {
    const bad = `apiVersion: scenario.kubesim.io/v1alpha1
kind: Scenario
metadata: {name: bad}
spec:
  seeds: 9-3
  cluster: {nodes: 0, memory: lots}
  steps:
  - name: a
    at: 2x
    scale: {target: deployment/web}
  - name: b
    after: nowhere
    cordon: node-1
  - name: c
    explode: true
  - name: d
    assert:
      metric: {traffic: a, name: p42, atMost: 3}
  invariants:
  - name: i
    target: deployment/web
    during: zzz
`;
    const r = await scenario(['run', 'f.yaml'], { 'f.yaml': bad });
    expect(r.stdout).toBe('');
    expect(r.code).toBe(1);
    const text = r.stderr;
    // one line, then one `* cause` line per error, as kubectl prints an Invalid error
    expect(text.split('\n').length).toBe(13);
    for (const part of [
      'The Scenario "bad" is invalid: \n* ',
      'spec.seeds: Invalid value: "9-3": 9-3 ends before it starts',
      'spec.cluster.nodes: Invalid value: 0: must be greater than or equal to 1',
      'spec.cluster.memory: Invalid value: "lots": must be a positive quantity',
      'spec.steps[0].at: Invalid value: "2x": must be a duration such as 90s, 2m or 1h30m',
      'spec.steps[0].scale.replicas: Required value',
      'spec.steps[1].after: Invalid value: "nowhere": no step has this name',
      'spec.steps[2].explode: Invalid value: true: unknown field "explode"',
      'spec.steps[3].assert.metric.name: Unsupported value: "p42": supported values: "pod_count"',
      'spec.steps[3].assert.metric.traffic: Invalid value: "a": must name a traffic step',
      'spec.invariants[0].minAvailable: Required value: one of minAvailable, maxPods is required',
      'spec.invariants[0].during[0]: Invalid value: "zzz": no step has this name',
    ])
      expect(text).toContain(part);
  });

  it('refuses steps that wait for each other, and a file of another kind', async () => {
    const cycle = `apiVersion: scenario.kubesim.io/v1alpha1
kind: Scenario
metadata: {name: loop}
spec:
  steps:
  - {name: a, after: b, cordon: node-1}
  - {name: b, after: a, uncordon: node-1}
`;
    const r = await scenario(['run', 'f.yaml'], { 'f.yaml': cycle });
    expect(r).toMatchObject({
      code: 1,
      stderr: 'The Scenario "loop" is invalid: spec.steps[0].after: Invalid value: "b": the steps wait for each other\n',
    });
    const other = await scenario(['run', 'f.yaml'], { 'f.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n' });
    expect(other).toMatchObject({
      code: 1,
      stderr: 'error: error validating "f.yaml": expected apiVersion scenario.kubesim.io/v1alpha1 and kind Scenario, got v1 Pod\n',
    });
  });
});
