/**
 * What `kubesim scenario run` found, as plain data: each step and assertion with its virtual
 * time, the cluster's events, the metric series — what the text and JUnit printers (and an
 * HTML report) render, and what `scenario merge` reads back from shards' `-o json`.
 */

/** The per-tick metrics of a traffic step (sim/traffic.ts TrafficTick) an assertion may name. */
export const TRAFFIC_METRICS = [
  'pod_count',
  'pods_ready',
  'hpa_desired',
  'cpu_utilization_pct',
  'rps_offered',
  'rps_served',
  'rps_dropped',
  'p50_latency_ms',
  'p99_latency_ms',
] as const;

/** What a value is compared with: equal (as text), or numerically within bounds. */
export interface Comparison {
  equals?: string;
  atLeast?: number;
  atMost?: number;
}

export interface StepResult {
  name: string;
  /** what ran, as a command line (`kubesim set image deployment/web nginx=nginx:1.28`) or a description */
  action: string;
  /** virtual seconds since the scenario started: when it was due, when it started and ended */
  dueSeconds: number;
  startSeconds: number;
  endSeconds: number;
  passed: boolean;
  /** the command's output (trimmed), or why the step failed */
  output?: string;
}

export interface AssertionResult {
  name: string;
  kind: 'jsonpath' | 'pods' | 'event' | 'metric' | 'invariant';
  /** the check in words (`pods app=web phase=Running count = 3`) */
  description: string;
  atSeconds: number;
  passed: boolean;
  /** what was observed (a number where there is one: sweeps summarise those) */
  observed: string | number | null;
  /** why it failed */
  message?: string;
}

export interface TimelineEvent {
  atSeconds: number;
  type: string;
  reason: string;
  object: string;
  message: string;
  count: number;
}

export interface MetricSeries {
  /** `STEP.metric` for traffic, `invariant:NAME` for an invariant's count */
  name: string;
  /** [virtual seconds since the start, value] */
  points: [number, number | null][];
}

export interface ScenarioRunResult {
  scenario: string;
  seed: number;
  passed: boolean;
  /** the virtual instant the scenario started (RFC 3339) and how long it ran */
  startedAt: string;
  durationSeconds: number;
  steps: StepResult[];
  assertions: AssertionResult[];
  timeline: TimelineEvent[];
  series: MetricSeries[];
  /** one number per metric of this run (traffic summaries, assertions' observed numbers) for sweeps */
  metrics: Record<string, number>;
}

export interface MetricDistribution {
  metric: string;
  count: number;
  min: number;
  p50: number;
  p95: number;
  max: number;
}

export interface ScenarioSweepResult {
  scenario: string;
  seeds: number[];
  failedSeeds: number[];
  runs: ScenarioRunResult[];
  distributions: MetricDistribution[];
}

/** Nearest-rank percentile of sorted values (p in 0..1). */
export function nearestRank(sorted: readonly number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** The sweep over runs (in seed order): which seeds failed and each metric's spread. */
export function summariseRuns(runs: ScenarioRunResult[]): ScenarioSweepResult {
  const sorted = [...runs].sort((a, b) => a.seed - b.seed);
  const values = new Map<string, number[]>();
  for (const run of sorted)
    for (const [k, v] of Object.entries(run.metrics)) if (Number.isFinite(v)) values.set(k, [...(values.get(k) ?? []), v]);
  const distributions = [...values.keys()].sort().map((metric) => {
    const vs = values.get(metric)!.sort((a, b) => a - b);
    return { metric, count: vs.length, min: vs[0], p50: nearestRank(vs, 0.5), p95: nearestRank(vs, 0.95), max: vs[vs.length - 1] };
  });
  return {
    scenario: sorted[0]?.scenario ?? '',
    seeds: sorted.map((r) => r.seed),
    failedSeeds: sorted.filter((r) => !r.passed).map((r) => r.seed),
    runs: sorted,
    distributions,
  };
}
