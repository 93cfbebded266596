import { describe, it, expect } from 'vitest';
import { nearestRank, summariseRuns, type ScenarioRunResult } from '../../src/model/scenario-result';
import { junitXml } from '../../src/printers/scenario-report';

function run(seed: number, passed: boolean, metrics: Record<string, number>): ScenarioRunResult {
  return {
    scenario: 's',
    seed,
    passed,
    startedAt: '2025-01-01T00:00:00Z',
    durationSeconds: 60,
    steps: [
      { name: 'apply <web> & "more"', action: 'kubesim apply -f a.yaml', dueSeconds: 0, startSeconds: 0, endSeconds: 2, passed: true },
    ],
    assertions: [
      {
        name: 'check',
        kind: 'pods',
        description: 'pods app=web count = 3',
        atSeconds: 2,
        passed,
        observed: passed ? 3 : 2,
        message: passed ? undefined : 'got 2, expected 3 & <more>',
      },
    ],
    timeline: [],
    series: [],
    metrics,
  };
}

describe('scenario results', () => {
  it('summarises each metric over the seeds with nearest-rank percentiles and lists failed seeds in seed order', () => {
    const runs = [5, 1, 3, 2, 4].map((seed) => run(seed, seed !== 3, { x: seed * 10, only2: seed === 2 ? 7 : NaN }));
    const sweep = summariseRuns(runs);
    expect(sweep.seeds).toEqual([1, 2, 3, 4, 5]);
    expect(sweep.failedSeeds).toEqual([3]);
    expect(sweep.distributions).toEqual([
      { metric: 'only2', count: 1, min: 7, p50: 7, p95: 7, max: 7 },
      { metric: 'x', count: 5, min: 10, p50: 30, p95: 50, max: 50 },
    ]);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBe(10);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5)).toBe(5);
  });

  it('writes JUnit XML with escaped names and a failure element per failed check', () => {
    const xml = junitXml([run(1, true, {}), run(2, false, {})]);
    expect(xml).toContain('<testsuites name="s" tests="4" failures="1" errors="0" time="120">');
    expect(xml).toContain(
      '<testsuite name="s seed 2" tests="2" failures="1" errors="0" skipped="0" time="60" timestamp="2025-01-01T00:00:00">',
    );
    expect(xml).toContain('name="step apply &lt;web&gt; &amp; &quot;more&quot;: kubesim apply -f a.yaml" time="2"/>');
    expect(xml).toContain('<failure message="got 2, expected 3 &amp; &lt;more&gt;" type="AssertionError">at 2s: observed 2</failure>');
  });
});
