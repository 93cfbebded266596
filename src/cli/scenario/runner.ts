import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BufferIO } from '../io';
import { Session } from '../../engine/session';
import { observeEngines, type Engine } from '../../engine/engine';
import { TrafficSampler, type TrafficTick } from '../../sim/traffic';
import { TRAFFIC_ANNOTATION } from '../../sim/traffic-profile';
import { updateObject } from '../../api/server';
import { fromLabelSelector, matches, parseSelector, type Selector } from '../../api/labels';
import { resolveResource } from '../../api/registry';
import { goDuration, toRFC3339 } from '../../util/duration';
import { errorMessage } from '../../util/errors';
import type { KObject } from '../../model/objects';
import type { LabelSelector } from '../../model/k8s';
import type { PodLike } from '../../model/kinds';
import type { ReadonlyObjectStore } from '../../store/object-store';
import type { AssertionResult, Comparison, MetricSeries, ScenarioRunResult, StepResult, TimelineEvent } from '../../model/scenario-result';
import type { Aggregate, Assertion, Invariant, Scenario, Step } from './spec';
import type { ClusterSnapshot, ReportModel } from '../../model/report';
import { clusterSnapshot, reportModel } from '../../printers/cluster-report';
import { runText } from '../../printers/scenario-report';
import { clusterEvents, clusterObjects } from '../report-file';

/** Runs one kubesim command in-process (the scenario's commands are the CLI's own). */
export type CommandRunner = (args: string[], io: BufferIO) => Promise<number>;

interface RunningTraffic {
  step: string;
  sampler: TrafficSampler;
  /** scenario seconds of the sampler's first tick */
  offsetSeconds: number;
}

/** An invariant's state while the scenario runs: whether it is being checked and what it saw. */
interface InvariantState {
  spec: Invariant;
  active: boolean;
  checks: number;
  minAvailable: number | null;
  maxPods: number | null;
  violation?: { atSeconds: number; step: string; message: string };
  series: [number, number | null][];
}

const seconds = (ms: number) => Math.round(ms) / 1000;

/**
 * Runs a scenario for one seed on a fresh cluster in a temp state file: the steps in virtual
 * time through the CLI's own commands (in-process), traffic sampled while they run, invariants
 * checked after every reconcile pass (the engine observer), assertions at their step.
 */
export async function runScenario(
  scenario: Scenario,
  seed: number,
  runCommand: CommandRunner,
  /** also build the HTML report's model (`scenario run --report`): the cluster after each step */
  opts: { report?: boolean } = {},
): Promise<ScenarioRunResult & { report?: ReportModel }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-scenario-'));
  const statePath = path.join(dir, 'state.db');
  const runner = new ScenarioRun(scenario, seed, statePath, dir, runCommand, opts.report ?? false);
  try {
    return await runner.run();
  } finally {
    observeEngines(undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

class ScenarioRun {
  private t0 = 0;
  private readonly steps: StepResult[] = [];
  private readonly assertions: AssertionResult[] = [];
  private readonly traffic: RunningTraffic[] = [];
  private readonly invariants: InvariantState[];
  private readonly finished = new Map<string, number>();
  private currentStep = '';
  /** the cluster after each step, for the report */
  private readonly snapshots: ClusterSnapshot[] = [];
  private readonly deferred: { step: Step; assertion: Extract<Assertion, { kind: 'metric' }> }[] = [];

  constructor(
    private readonly scenario: Scenario,
    private readonly seed: number,
    private readonly statePath: string,
    private readonly tempDir: string,
    private readonly runCommand: CommandRunner,
    private readonly withReport: boolean,
  ) {
    this.invariants = scenario.invariants.map((spec) => ({
      spec,
      active: spec.during.length === 0 && spec.from === undefined,
      checks: 0,
      minAvailable: null,
      maxPods: null,
      series: [],
    }));
  }

  private async kubesim(args: string[], stdin = ''): Promise<{ code: number; out: string }> {
    const io = new BufferIO(
      { KUBESIM_STATE: this.statePath, KUBESIM_CONFIG: path.join(this.tempDir, 'config'), HOME: this.tempDir },
      this.scenario.dir,
      stdin,
    );
    const code = await this.runCommand(args, io);
    return { code, out: `${io.stdout}${io.stderr}`.trim() };
  }

  private session<T>(fn: (s: Session) => T, readOnly = true): T {
    return Session.run({ statePath: this.statePath }, fn, { readOnly });
  }

  private now(): number {
    return this.session((s) => s.now);
  }

  private elapsed(): number {
    return seconds(this.now() - this.t0);
  }

  async run(): Promise<ScenarioRunResult & { report?: ReportModel }> {
    const { cluster } = this.scenario;
    const created = await this.kubesim([
      'cluster',
      'create',
      '--clock',
      'manual',
      `--seed=${this.seed}`,
      `--nodes=${cluster.nodes}`,
      `--cpu=${cluster.cpu}`,
      `--memory=${cluster.memory}`,
      `--pods=${cluster.pods}`,
      `--zones=${cluster.zones.join(',')}`,
    ]);
    if (created.code !== 0) throw new Error(`cluster create failed: ${created.out}`);
    this.t0 = this.now();
    observeEngines({ passed: (e) => this.checkInvariants(e), advancing: (e, target) => this.sampleTraffic(e, target) });

    const pending = this.scenario.steps.map((s, i) => ({ step: s, index: i }));
    while (pending.length) {
      // among the steps whose predecessor is done, the one due first (file order breaks ties)
      let best: { at: number; k: number } | undefined;
      for (let k = 0; k < pending.length; k++) {
        const due = this.dueAt(pending[k].step, pending[k].index);
        if (due !== undefined && (!best || due < best.at)) best = { at: due, k };
      }
      if (!best) break; // cannot happen: spec.ts refuses cycles
      const { step } = pending.splice(best.k, 1)[0];
      const now = this.now();
      if (best.at > now) await this.advanceTo(best.at);
      await this.runStep(step, best.at);
    }
    // traffic still running plays out, so its metrics cover the whole profile
    const end = Math.max(...this.traffic.map((t) => t.sampler.end), this.now());
    if (end > this.now()) await this.advanceTo(end);
    for (const d of this.deferred) this.assertions.push(this.checkMetric(d.step, d.assertion));
    for (const inv of this.invariants) this.assertions.push(this.invariantResult(inv));
    observeEngines(undefined);
    const result = this.result();
    if (!this.withReport) return result;
    const report = this.session((s) =>
      reportModel({
        title: `Scenario ${result.scenario} (seed ${result.seed}): ${result.passed ? 'passed' : 'FAILED'}`,
        now: s.now,
        objects: clusterObjects(s),
        events: clusterEvents(s),
        charts: result.series.map((m) => ({
          title: m.name,
          x: m.points.map(([t]) => this.t0 + t * 1000),
          series: [{ label: m.name, values: m.points.map(([, v]) => v) }],
        })),
        summary: runText(result),
        earlier: this.snapshots.filter((snap) => snap.time < s.now),
      }),
    );
    return { ...result, report };
  }

  /** When a step is due (ms), or undefined while the step it follows has not run. */
  private dueAt(step: Step, index: number): number | undefined {
    if (step.atMs !== undefined) return this.t0 + step.atMs;
    const before = step.after ?? (index > 0 ? this.scenario.steps[index - 1].name : undefined);
    if (before === undefined) return this.t0;
    return this.finished.get(before);
  }

  private async advanceTo(target: number): Promise<void> {
    const ms = target - this.now();
    if (ms > 0) await this.kubesim(['clock', 'advance', `${ms}ms`]);
  }

  private setActive(stepName: string, phase: 'start' | 'end'): void {
    for (const inv of this.invariants) {
      const { during, from, until } = inv.spec;
      if (during.includes(stepName)) inv.active = phase === 'start';
      if (phase === 'end' && from === stepName) inv.active = true;
      if (phase === 'end' && until === stepName) inv.active = false;
    }
  }

  private async runStep(step: Step, due: number): Promise<void> {
    const start = this.now();
    this.currentStep = step.name;
    this.setActive(step.name, 'start');
    const result: StepResult = {
      name: step.name,
      action: '',
      dueSeconds: seconds(due - this.t0),
      startSeconds: seconds(start - this.t0),
      endSeconds: 0,
      passed: true,
    };
    try {
      await this.act(step, result);
    } catch (e) {
      result.passed = false;
      result.output = errorMessage(e);
    }
    const end = this.now();
    result.endSeconds = seconds(end - this.t0);
    this.setActive(step.name, 'end');
    this.finished.set(step.name, end);
    this.steps.push(result);
    if (this.withReport) this.snapshots.push(this.session((s) => clusterSnapshot(clusterObjects(s), s.now)));
  }

  private async command(result: StepResult, args: string[], stdin?: string): Promise<void> {
    result.action = [result.action, `kubesim ${args.join(' ')}`].filter(Boolean).join('; ');
    const r = await this.kubesim(args, stdin);
    result.output = [result.output, r.out].filter(Boolean).join('\n');
    if (r.code !== 0) result.passed = false;
  }

  private async act(step: Step, result: StepResult): Promise<void> {
    const { action } = step;
    // the namespace flag only where a step names another namespace (the command lines stay as typed)
    const ns = step.namespace === 'default' ? [] : [`--namespace=${step.namespace}`];
    switch (action.type) {
      case 'command':
        return this.command(result, [...action.args, ...ns], action.stdin);
      case 'nodes': {
        const nodes = action.zone ? this.nodesInZone(action.zone) : action.nodes;
        if (!nodes.length) {
          result.action = `${action.verb} nodes in zone ${action.zone}`;
          result.passed = false;
          result.output = `no nodes in zone "${action.zone}"`;
          return;
        }
        for (const node of nodes) {
          const args = action.verb === 'fail' || action.verb === 'recover' ? ['node', action.verb, node] : [action.verb, node];
          await this.command(result, args);
        }
        return;
      }
      case 'advance':
        result.action = `advance ${goDuration(action.ms)}`;
        return this.advanceTo(this.now() + action.ms);
      case 'traffic':
        return this.startTraffic(step, result);
      case 'assert': {
        const a = action.assertion;
        result.action = `assert ${describe(a)}`;
        if (a.kind === 'metric') {
          // a metric is judged over its window, once the traffic has played out (at the end)
          this.deferred.push({ step, assertion: a });
          result.output = 'checked at the end of the run';
          return;
        }
        const checked = await this.check(step, a);
        result.passed = checked.passed;
        this.assertions.push(checked);
      }
    }
  }

  private nodesInZone(zone: string): string[] {
    return this.session((s) =>
      s.store
        .list('Node')
        .filter((n) => n.metadata.labels?.['topology.kubernetes.io/zone'] === zone)
        .map((n) => n.metadata.name),
    );
  }

  private startTraffic(step: Step, result: StepResult): void {
    if (step.action.type !== 'traffic') return;
    const spec = step.action.traffic;
    result.action = `traffic service/${spec.service} ${spec.profile.rps} rps for ${goDuration(spec.profile.durationMs)}`;
    const started = this.session((s) => {
      const svc = s.store.get('Service', step.namespace, spec.service);
      if (!svc) throw new Error(`services "${spec.service}" not found`);
      const active = { startedAt: s.now, profile: spec.profile, cpuPerRequestMilli: spec.cpuPerRequestMilli, latencyMs: spec.latencyMs };
      // the load is stored on the Service, as `traffic run` does, so the metrics pipeline and the HPA see it
      updateObject(
        s.api,
        {
          ...svc,
          metadata: { ...svc.metadata, annotations: { ...(svc.metadata.annotations ?? {}), [TRAFFIC_ANNOTATION]: JSON.stringify(active) } },
        },
        { trusted: true },
      );
      return s.now;
    }, false);
    const sampler = new TrafficSampler(
      {
        namespace: step.namespace,
        service: spec.service,
        profile: spec.profile,
        tickMs: spec.tickMs,
        seed: this.seed,
        latencyMs: spec.latencyMs,
        cpuPerRequestMilli: spec.cpuPerRequestMilli,
      },
      started,
    );
    this.traffic.push({ step: step.name, sampler, offsetSeconds: seconds(started - this.t0) });
  }

  /** Before time jumps to `target`: every tick before it sees the cluster as it is now (settled at engine.now). */
  private sampleTraffic(engine: Engine, target: number): void {
    for (const t of this.traffic)
      for (let next = t.sampler.nextTick(); next !== undefined && next < target; next = t.sampler.nextTick())
        if (!t.sampler.sample(engine.store)) break;
  }

  private checkInvariants(engine: Engine): void {
    const at = seconds(engine.now - this.t0);
    for (const inv of this.invariants) {
      if (!inv.active) continue;
      const counted = countPods(engine.store, inv.spec);
      if (!counted) continue;
      inv.checks++;
      const { available, total } = counted;
      const last = inv.series[inv.series.length - 1];
      if (!last || last[1] !== available) inv.series.push([at, available]);
      inv.minAvailable = inv.minAvailable === null ? available : Math.min(inv.minAvailable, available);
      inv.maxPods = inv.maxPods === null ? total : Math.max(inv.maxPods, total);
      if (inv.violation) continue;
      if (inv.spec.minAvailable !== undefined && available < inv.spec.minAvailable)
        inv.violation = { atSeconds: at, step: this.currentStep, message: `${available} available, fewer than ${inv.spec.minAvailable}` };
      else if (inv.spec.maxPods !== undefined && total > inv.spec.maxPods)
        inv.violation = { atSeconds: at, step: this.currentStep, message: `${total} pods, more than ${inv.spec.maxPods}` };
    }
  }

  private invariantResult(inv: InvariantState): AssertionResult {
    const { spec } = inv;
    const what = spec.target ?? spec.selector!;
    const bounds = [
      spec.minAvailable !== undefined ? `never fewer than ${spec.minAvailable} available` : '',
      spec.maxPods !== undefined ? `never more than ${spec.maxPods} pods` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const window = spec.during.length
      ? ` during ${spec.during.join(', ')}`
      : spec.from || spec.until
        ? `${spec.from ? ` from the end of ${spec.from}` : ''}${spec.until ? ` until the end of ${spec.until}` : ''}`
        : '';
    const description = `${what}: ${bounds}${window}`;
    const observed = spec.minAvailable !== undefined ? inv.minAvailable : inv.maxPods;
    if (inv.violation)
      return {
        name: spec.name,
        kind: 'invariant',
        description,
        atSeconds: inv.violation.atSeconds,
        passed: false,
        observed,
        message: `${inv.violation.message} at ${goDuration(inv.violation.atSeconds * 1000)} (step ${inv.violation.step})`,
      };
    if (!inv.checks)
      return {
        name: spec.name,
        kind: 'invariant',
        description,
        atSeconds: this.elapsedCached,
        passed: false,
        observed: null,
        message: `never checked: ${what} did not exist while the invariant applied`,
      };
    return { name: spec.name, kind: 'invariant', description, atSeconds: this.elapsedCached, passed: true, observed };
  }

  private elapsedCached = 0;

  private async check(step: Step, a: Exclude<Assertion, { kind: 'metric' }>): Promise<AssertionResult> {
    const at = this.elapsed();
    const base = { name: step.name, kind: a.kind, description: describe(a), atSeconds: at };
    switch (a.kind) {
      case 'jsonpath': {
        const r = await this.kubesim(['get', a.target, `--namespace=${step.namespace}`, '-o', `jsonpath=${a.path}`]);
        if (r.code !== 0) return { ...base, passed: false, observed: null, message: r.out };
        return judge(base, r.out, a.expect);
      }
      case 'pods': {
        const count = this.session((s) => {
          const selector = a.selector ? parseSelector(a.selector) : undefined;
          return (s.store.list('Pod', step.namespace) as PodLike[]).filter(
            (p) =>
              (!selector || matches(selector, p.metadata.labels)) &&
              (!a.phase || p.status?.phase === a.phase) &&
              (a.ready === undefined || isReady(p) === a.ready),
          ).length;
        });
        return judge(base, count, a.expect);
      }
      case 'event': {
        const [kind, name] = a.object ? splitTarget(a.object) : [undefined, undefined];
        const matching = this.session((s) =>
          s
            .events({ namespace: step.namespace })
            .filter(
              (e) =>
                e.reason === a.reason &&
                (!a.type || e.type === a.type) &&
                (!kind || (e.involved.kind === kind && e.involved.name === name)) &&
                (!a.message || e.message.includes(a.message)) &&
                (a.fromMs === undefined || e.lastTimestamp >= this.t0 + a.fromMs) &&
                (a.toMs === undefined || e.firstTimestamp <= this.t0 + a.toMs),
            )
            .reduce((n, e) => n + e.count, 0),
        );
        const passed = a.seen ? matching > 0 : matching === 0;
        return {
          ...base,
          passed,
          observed: matching,
          message: passed ? undefined : a.seen ? `no ${a.reason} event` : `${matching} ${a.reason} event(s)`,
        };
      }
    }
  }

  private checkMetric(step: Step, a: Extract<Assertion, { kind: 'metric' }>): AssertionResult {
    const traffic = this.traffic.find((t) => t.step === a.traffic);
    const base = { name: step.name, kind: 'metric' as const, description: describe(a), atSeconds: this.elapsedCached };
    if (!traffic) return { ...base, passed: false, observed: null, message: `traffic step ${a.traffic} did not run` };
    const values = traffic.sampler.ticks
      .filter((tick) => {
        const at = (traffic.offsetSeconds + tick.t) * 1000;
        return (a.fromMs === undefined || at >= a.fromMs) && (a.toMs === undefined || at < a.toMs);
      })
      .map((tick) => tick[a.metric as keyof TrafficTick])
      .filter((v): v is number => typeof v === 'number');
    if (!values.length) return { ...base, passed: false, observed: null, message: 'no samples in the window' };
    return judge(base, aggregate(values, a.aggregate), a.expect);
  }

  private result(): ScenarioRunResult {
    const end = this.now();
    this.elapsedCached = seconds(end - this.t0);
    for (const a of this.assertions) if (a.kind === 'invariant' || a.kind === 'metric') a.atSeconds = this.elapsedCached;
    const timeline: TimelineEvent[] = this.session((s) =>
      s
        .events()
        .filter((e) => e.lastTimestamp >= this.t0)
        .sort((a, b) => a.firstTimestamp - b.firstTimestamp || a.seq - b.seq)
        .map((e) => ({
          atSeconds: seconds(e.firstTimestamp - this.t0),
          type: e.type,
          reason: e.reason,
          object: `${e.involved.kind}/${e.involved.name}`,
          message: e.message,
          count: e.count,
        })),
    );
    const series: MetricSeries[] = [];
    const metrics: Record<string, number> = {};
    for (const t of this.traffic) {
      for (const m of ['pods_ready', 'rps_offered', 'rps_dropped', 'cpu_utilization_pct', 'p99_latency_ms'] as const)
        series.push({ name: `${t.step}.${m}`, points: t.sampler.ticks.map((tick) => [t.offsetSeconds + tick.t, tick[m]]) });
      const summary = t.sampler.report().summary;
      for (const [k, v] of Object.entries(summary)) if (typeof v === 'number') metrics[`${t.step}.${k}`] = v;
    }
    for (const inv of this.invariants) series.push({ name: `invariant:${inv.spec.name}`, points: inv.series });
    for (const a of this.assertions)
      if (typeof a.observed === 'number') metrics[`${a.kind === 'invariant' ? 'invariant' : 'assert'}.${a.name}`] = a.observed;
    metrics.duration_seconds = this.elapsedCached;
    return {
      scenario: this.scenario.name,
      seed: this.seed,
      passed: this.steps.every((s) => s.passed) && this.assertions.every((a) => a.passed),
      startedAt: toRFC3339(this.t0),
      durationSeconds: this.elapsedCached,
      steps: this.steps,
      assertions: this.assertions,
      timeline,
      series,
      metrics,
    };
  }
}

function isReady(pod: PodLike): boolean {
  return !pod.metadata.deletionTimestamp && (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function splitTarget(target: string): [string, string] {
  const [type, name] = target.split('/');
  return [resolveResource(type)?.kind ?? type, name];
}

/** The pods an invariant counts, or undefined while its workload does not exist. */
function countPods(store: ReadonlyObjectStore, inv: Invariant): { available: number; total: number } | undefined {
  let selector: Selector | null;
  if (inv.target) {
    const [kind, name] = splitTarget(inv.target);
    const owner = store.get(kind, inv.namespace, name) as KObject<{ selector?: LabelSelector }> | undefined;
    if (!owner) return undefined;
    selector = fromLabelSelector(owner.spec?.selector);
  } else selector = parseSelector(inv.selector!);
  if (!selector) return undefined;
  const pods = (store.list('Pod', inv.namespace) as PodLike[]).filter(
    (p) => matches(selector, p.metadata.labels) && !['Succeeded', 'Failed'].includes(p.status?.phase ?? ''),
  );
  return { available: pods.filter(isReady).length, total: pods.filter((p) => !p.metadata.deletionTimestamp).length };
}

function aggregate(values: number[], how: Aggregate): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  switch (how) {
    case 'min':
      return sorted[0];
    case 'max':
      return sorted[sorted.length - 1];
    case 'avg':
      return Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10;
    case 'sum':
      return Math.round(values.reduce((a, b) => a + b, 0) * 10) / 10;
    case 'p50':
      return rank(0.5);
    case 'p95':
      return rank(0.95);
    case 'p99':
      return rank(0.99);
    case 'last':
      return values[values.length - 1];
  }
}

function comparisonText(c: Comparison): string {
  return [
    c.equals !== undefined ? `= ${c.equals}` : '',
    c.atLeast !== undefined ? `>= ${c.atLeast}` : '',
    c.atMost !== undefined ? `<= ${c.atMost}` : '',
  ]
    .filter(Boolean)
    .join(' and ');
}

/** The assertion in words, as the text output and JUnit name it. */
export function describe(a: Assertion): string {
  switch (a.kind) {
    case 'jsonpath':
      return `${a.target} ${a.path} ${comparisonText(a.expect)}`;
    case 'pods':
      return `pods${a.selector ? ` ${a.selector}` : ''}${a.phase ? ` phase=${a.phase}` : ''}${a.ready !== undefined ? ` ready=${a.ready}` : ''} count ${comparisonText(a.expect)}`;
    case 'event':
      return `event ${a.reason}${a.object ? ` on ${a.object}` : ''}${a.message ? ` "${a.message}"` : ''} ${a.seen ? 'seen' : 'not seen'}`;
    case 'metric': {
      const window =
        a.fromMs !== undefined || a.toMs !== undefined
          ? ` over ${goDuration(a.fromMs ?? 0)}-${a.toMs === undefined ? 'end' : goDuration(a.toMs)}`
          : '';
      return `${a.aggregate}(${a.traffic}.${a.metric})${window} ${comparisonText(a.expect)}`;
    }
  }
}

function judge(
  base: Omit<AssertionResult, 'passed' | 'observed' | 'message'>,
  observed: string | number,
  expect: Comparison,
): AssertionResult {
  const failures: string[] = [];
  if (expect.equals !== undefined && String(observed) !== expect.equals) failures.push(`expected ${expect.equals}`);
  const n = typeof observed === 'number' ? observed : Number(observed);
  if (expect.atLeast !== undefined && !(n >= expect.atLeast)) failures.push(`expected at least ${expect.atLeast}`);
  if (expect.atMost !== undefined && !(n <= expect.atMost)) failures.push(`expected at most ${expect.atMost}`);
  const value = typeof observed === 'string' && observed !== '' && Number.isFinite(Number(observed)) ? Number(observed) : observed;
  return {
    ...base,
    passed: !failures.length,
    observed: value,
    message: failures.length ? `got ${JSON.stringify(observed)}, ${failures.join(' and ')}` : undefined,
  };
}
