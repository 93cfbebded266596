import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import * as path from 'node:path';
import { manualCluster } from '../support/cli';
import type { TrafficReport } from '../../src/sim/traffic';

const WEB = path.resolve(__dirname, '../../fixtures/hpa-web.yaml');

async function webWithHpa(extra: string[] = []) {
  const c = await manualCluster();
  expect((await c.run('apply', '-f', WEB)).code).toBe(0);
  const r = await c.run('autoscale', 'deployment/web', '--min', '2', '--max', '10', '--cpu-percent', '50', ...extra);
  expect(r.stdout).toBe('horizontalpodautoscaler.autoscaling/web autoscaled\n');
  expect((await c.run('clock', 'advance', '60s')).code).toBe(0);
  return c;
}

async function spike(c: Awaited<ReturnType<typeof manualCluster>>, ...extra: string[]): Promise<TrafficReport> {
  const r = await c.run(
    'traffic',
    'run',
    '--service',
    'web',
    '--rps',
    '200',
    '--spike',
    '2000@60s-180s',
    '--duration',
    '10m',
    '-o',
    'json',
    ...extra,
  );
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as TrafficReport;
}

describe('kubesim autoscale and get hpa', () => {
  it('creates an HPA that get hpa shows with kubectl columns and a cpu TARGETS cell', async () => {
    const c = await webWithHpa();
    const r = await c.run('get', 'hpa');
    expect(r.stdout).toBe(
      'NAME   REFERENCE        TARGETS       MINPODS   MAXPODS   REPLICAS   AGE\n' +
        'web    Deployment/web   cpu: 1%/50%   2         10        2          60s\n',
    );
  });

  it('describes an HPA as kubectl does: metrics current / target, replicas, conditions, no simulator memory', async () => {
    const c = await webWithHpa();
    const d = (await c.run('describe', 'hpa', 'web')).stdout;
    expect(d).toMatch(
      /^Name: +web\nNamespace: +default\nLabels: +<none>\nAnnotations: +<none>\nCreationTimestamp: +Wed, 01 Jan 2025 00:00:00 \+0000\nReference: +Deployment\/web\n/,
    );
    expect(d).toMatch(
      /\nMetrics: +\( current \/ target \)\n {2}resource cpu on pods {2}\(as a percentage of request\): +1% \(1m\) \/ 50%\nMin replicas: +2\nMax replicas: +10\nDeployment pods: +2 current \/ 2 desired\n/,
    );
    expect(d).toMatch(/\nConditions:\n {2}Type +Status +Reason +Message\n {2}---- +------ +------ +-------\n {2}AbleToScale +True +\S+ /);
    expect(d).toMatch(
      / {2}ScalingActive +True +ValidMetricFound +the HPA was able to successfully calculate a replica count from cpu resource utilization \(percentage of request\)\n/,
    );
    expect(d).not.toContain('controller-state');
  });

  it('keeps the controller memory out of the object, writes the HPA only when its status changes, forgets it with the HPA', async () => {
    const c = await webWithHpa();
    const hpa = JSON.parse((await c.run('get', 'hpa', 'web', '-o', 'json')).stdout);
    expect(hpa.metadata.annotations).toBeUndefined();
    await c.run('clock', 'advance', '2m');
    // eight syncs on a steady load: the same status, so no new resourceVersion (updateStatusIfNeeded)
    expect(JSON.parse((await c.run('get', 'hpa', 'web', '-o', 'json')).stdout).metadata.resourceVersion).toBe(hpa.metadata.resourceVersion);
    const memory = () =>
      JSON.parse(
        (new Database(c.state, { readonly: true }).prepare("SELECT value FROM meta WHERE key = 'controller-memory'").pluck().get() as
          string | undefined) ?? '{}',
      );
    expect(Object.keys(memory())).toEqual([`horizontal-pod-autoscaler/${hpa.metadata.uid}`]);
    await c.run('delete', 'hpa', 'web');
    expect(memory()).toEqual({});
  });

  it('reads the memory an older state file kept in an annotation once, then drops the annotation', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', WEB);
    const legacy = JSON.stringify({ recommendations: [{ replicas: 6, at: Date.UTC(2025, 0, 1) }], scaleUpEvents: [], scaleDownEvents: [] });
    c.file(
      'hpa.yaml',
      `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\n  annotations: {autoscaling.kubesim.io/controller-state: '${legacy}'}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 2\n  maxReplicas: 10\n`,
    );
    await c.run('apply', '-f', 'hpa.yaml');
    await c.run('clock', 'advance', '30s');
    const hpa = JSON.parse((await c.run('get', 'hpa', 'web', '-o', 'json')).stdout);
    expect(hpa.metadata.annotations?.['autoscaling.kubesim.io/controller-state']).toBeUndefined();
    // the remembered recommendation of 6 is the highest in the 5-minute window (the load alone
    // asks for 2), capped by the scale-up limit of twice the current 2
    expect(hpa.status.desiredReplicas).toBe(4);
  });

  it('refuses a missing --max, --max below --min, a duplicate and an unknown target', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', WEB);
    // cobra's MarkFlagRequired("max") answers before Validate
    expect(await c.run('autoscale', 'deployment/web')).toMatchObject({ code: 1, stderr: 'error: required flag(s) "max" not set\n' });
    expect(await c.run('autoscale', 'deployment/web', '--max=0')).toMatchObject({
      code: 1,
      stderr: 'error: --max=MAXPODS is required and must be at least 1, max: 0\n',
    });
    expect(await c.run('autoscale', 'deployment/web', '--min', '5', '--max', '3')).toMatchObject({
      code: 1,
      stderr: 'error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: 3, min: 5\n',
    });
    expect((await c.run('autoscale', 'deployment/web', '--max', '3')).code).toBe(0);
    expect(await c.run('autoscale', 'deployment/web', '--max', '3')).toMatchObject({
      code: 1,
      stderr: 'Error from server (AlreadyExists): horizontalpodautoscalers.autoscaling "web" already exists\n',
    });
    expect(await c.run('autoscale', 'deployment/nope', '--max', '3')).toMatchObject({
      code: 1,
      stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n',
    });
    expect((await c.run('autoscale', 'service/web', '--max', '3')).stderr).toMatch(/^error: cannot autoscale a Service/);
  });

  it('defaults a v2 HPA to 80% CPU and minReplicas 1, and converts autoscaling/v1 targetCPUUtilizationPercentage', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', WEB);
    const v1 = c.file(
      'v1.yaml',
      'apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: {name: v1}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 4\n  targetCPUUtilizationPercentage: 70\n',
    );
    expect((await c.run('apply', '-f', v1)).stdout).toBe('horizontalpodautoscaler.autoscaling/v1 created\n');
    const obj = JSON.parse((await c.run('get', 'hpa', 'v1', '-o', 'json')).stdout);
    expect(obj.apiVersion).toBe('autoscaling/v2');
    expect(obj.spec.minReplicas).toBe(1);
    expect(obj.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
    ]);
    await c.run('autoscale', 'deployment/web', '--name', 'v2', '--max', '3');
    const v2 = JSON.parse((await c.run('get', 'hpa', 'v2', '-o', 'json')).stdout);
    expect(v2.spec.metrics[0].resource.target.averageUtilization).toBe(80);
  });

  it('rejects an HPA whose maxReplicas is below minReplicas', async () => {
    const c = await manualCluster();
    const f = c.file(
      'bad.yaml',
      'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: bad}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 5\n  maxReplicas: 2\n',
    );
    const r = await c.run('apply', '-f', f);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'The HorizontalPodAutoscaler "bad" is invalid: spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`',
    );
  });

  it('reports a missing scale target in a condition and a FailedGetScale event', async () => {
    const c = await manualCluster();
    const f = c.file(
      'h.yaml',
      'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: ghost}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ghost}\n  maxReplicas: 2\n',
    );
    await c.run('apply', '-f', f);
    const hpa = JSON.parse((await c.run('get', 'hpa', 'ghost', '-o', 'json')).stdout);
    expect(hpa.status.conditions[0]).toMatchObject({
      type: 'AbleToScale',
      status: 'False',
      reason: 'FailedGetScale',
      message: 'the HPA controller was unable to get the target\'s current scale: deployments.apps "ghost" not found',
    });
    expect((await c.run('events')).stdout).toMatch(
      /Warning\s+FailedGetScale\s+HorizontalPodAutoscaler\/ghost\s+deployments\.apps "ghost" not found/,
    );
  });
});

describe('kubesim traffic run with an HPA', () => {
  it('scales up fast within the policies, never beyond maxReplicas, and down only after the 5-minute window', async () => {
    const c = await webWithHpa();
    const report = await spike(c);
    const ticks = report.ticks;
    expect(ticks).toHaveLength(600);
    expect(Math.max(...ticks.map((t) => t.pods_total))).toBeLessThanOrEqual(10);
    expect(Math.max(...ticks.map((t) => t.hpa_desired ?? 0))).toBe(10);
    // every increase of the desired size respects max(2 × current, 4) (no behavior set)
    for (let i = 1; i < ticks.length; i++) {
      const prev = ticks[i - 1].hpa_desired ?? 0;
      const cur = ticks[i].hpa_desired ?? 0;
      if (cur > prev) expect(cur).toBeLessThanOrEqual(Math.max(2 * prev, 4));
    }
    // the spike starts at 60 s: 10 ready pods within two syncs plus pod start-up
    const fullAt = ticks.find((t) => t.t >= 60 && t.pods_ready === 10)!.t;
    expect(fullAt - 60).toBeLessThanOrEqual(45);
    // the spike ends at 180 s: no scale-down before the 300 s stabilization window has passed
    const firstDown = ticks.find((t, i) => i > 0 && (t.hpa_desired ?? 0) < (ticks[i - 1].hpa_desired ?? 0))!;
    expect(firstDown.t).toBeGreaterThanOrEqual(180 + 300 - 15);
    expect(firstDown.t).toBeLessThanOrEqual(180 + 300 + 30);
    expect(ticks.filter((t) => t.t < firstDown.t && t.t >= 75).every((t) => t.pods_total === 10)).toBe(true);
    // 10 pods cannot bring 2000 rps within the 50% target: the episode lasts until the spike ends
    // at 180 s, and that tick carries its scaling time
    expect(report.scaling.find((e) => e.start === 60)).toEqual({ start: 60, end: 180, duration_ms: 120_000 });
    expect(ticks.filter((t) => t.hpa_scaling_time_ms !== null).map((t) => [t.t, t.hpa_scaling_time_ms])).toEqual([
      [18, 18_000],
      [180, 120_000],
    ]);
  });

  it('shows latency rising while new pods start and recovering afterwards', async () => {
    const c = await webWithHpa();
    const { ticks } = await spike(c);
    const p99 = (from: number, to: number) => Math.max(...ticks.filter((t) => t.t >= from && t.t < to).map((t) => t.p99_latency_ms ?? 0));
    const before = p99(30, 60);
    const during = p99(60, 90);
    const after = p99(400, 600);
    expect(during).toBeGreaterThan(2 * before);
    expect(after).toBeLessThan(during / 2);
  });

  it('records a scaling time when load crosses the target and enough pods become ready', async () => {
    const c = await webWithHpa();
    const report = await spike(c, '--cpu-per-request', '0.2m');
    // 2000 rps × 0.2m = 400m: 10 pods of 100m bring it to 40%, under the 50% target
    // the episode ends at the first tick whose utilisation is back within the target's 10% tolerance:
    // 8 ready pods at 77 s (two scale-ups of 2 -> 4 -> 8, each a sync plus pod start-up)
    const backWithin = report.ticks.find((t) => t.t > 60 && t.cpu_utilization_pct <= 50 * 1.1)!;
    expect(backWithin).toMatchObject({ t: 77, pods_ready: 8 });
    expect(report.scaling).toEqual([{ start: 60, end: 77, duration_ms: 17_000 }]);
    expect(report.ticks.filter((t) => t.hpa_scaling_time_ms !== null).map((t) => [t.t, t.hpa_scaling_time_ms])).toEqual([[77, 17_000]]);
  });

  it('produces byte-identical JSON for the same seed and different latencies for another seed', async () => {
    const runOnce = async (seed: string) => {
      const c = await webWithHpa();
      const r = await c.run(
        'traffic',
        'run',
        '--service',
        'web',
        '--rps',
        '200',
        '--spike',
        '2000@60s-180s',
        '--duration',
        '5m',
        '--seed',
        seed,
        '-o',
        'json',
      );
      return r.stdout;
    };
    const a = await runOnce('7');
    expect(await runOnce('7')).toBe(a);
    expect(await runOnce('8')).not.toBe(a);
  });

  it('prints a summary with charts of pods, CPU and p99 by default', async () => {
    const c = await webWithHpa();
    const r = await c.run('traffic', 'run', '--service', 'web', '--rps', '200', '--spike', '2000@60s-180s', '--duration', '10m');
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toContain('Traffic to service/web for 10m0s (tick 1s, seed 1)');
    expect(out).toContain('HPA web: target cpu 50%');
    expect(out).toContain('load above target at 1m0s');
    for (const title of ['Ready pods', 'CPU utilization (% of request)', 'p99 latency (ms)']) expect(out).toContain(`\n${title}\n`);
    expect(out).toMatch(/ 10 ┤.*─/);
  });

  it('writes every tick as CSV with a header', async () => {
    const c = await webWithHpa();
    const r = await c.run('traffic', 'run', '--service', 'web', '--rps', '50', '--duration', '30s', '-o', 'csv');
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      't,pod_count,pods_total,pods_ready,hpa_desired,cpu_utilization_pct,rps_offered,rps_served,rps_dropped,p50_latency_ms,p99_latency_ms,hpa_scaling_time_ms',
    );
    expect(lines).toHaveLength(31);
    expect(lines[1]).toMatch(/^0,2,2,2,2,\d+,50,50,0,/);
  });

  it('reads a YAML traffic profile with steps, ramps, spikes and a sine wave', async () => {
    const c = await webWithHpa();
    const f = c.file(
      'profile.yaml',
      'service: web\nduration: 2m\nrps: 100\nseed: 3\nevents:\n  - step: {at: 30s, rps: 300}\n  - ramp: {from: 60s, to: 90s, rps: 600}\n  - spike: {from: 100s, to: 110s, rps: 1000}\n  - sine: {amplitude: 10, period: 40s}\n',
    );
    const r = await c.run('traffic', 'run', '-f', f, '-o', 'json');
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as TrafficReport;
    const at = (s: number) => report.ticks.find((t) => t.t === s)!.rps_offered;
    expect(at(0)).toBe(100);
    expect(at(10)).toBe(110);
    expect(at(40)).toBe(300);
    expect(at(75)).toBeCloseTo(450 + 10 * Math.sin((2 * Math.PI * 75) / 40), 0);
    expect(at(105)).toBeCloseTo(1000 + 10 * Math.sin((2 * Math.PI * 105) / 40), 0);
    expect(report.seed).toBe(3);
  });

  it('drops requests when no pod is ready', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', WEB);
    await c.run('scale', 'deployment/web', '--replicas', '0');
    const report = JSON.parse(
      (await c.run('traffic', 'run', '--service', 'web', '--rps', '10', '--duration', '5s', '-o', 'json')).stdout,
    ) as TrafficReport;
    expect(report.summary).toMatchObject({ requests_offered: 50, requests_served: 0, requests_dropped: 50 });
    expect(report.ticks[0].p99_latency_ms).toBeNull();
  });

  it('rejects a malformed spike, an unknown service and an unknown output format', async () => {
    const c = await webWithHpa();
    expect(await c.run('traffic', 'run', '--service', 'web', '--spike', '2000')).toMatchObject({
      code: 1,
      stderr: 'error: invalid --spike "2000": expected RPS@FROM-TO, e.g. 2000@60s-180s\n',
    });
    expect(await c.run('traffic', 'run', '--service', 'nope')).toMatchObject({
      code: 1,
      stderr: 'Error from server (NotFound): services "nope" not found\n',
    });
    expect((await c.run('traffic', 'run', '--service', 'web', '-o', 'yaml')).stderr).toMatch(
      /^error: unable to match a printer suitable for the output format "yaml"/,
    );
    expect(await c.run('traffic', 'run')).toMatchObject({ code: 1, stderr: 'error: required flag(s) "service" not set\n' });
  });

  it('emits SuccessfulRescale events with the metric as the reason', async () => {
    const c = await webWithHpa();
    await spike(c);
    const events = (await c.run('events')).stdout;
    expect(events).toMatch(
      /Normal\s+SuccessfulRescale\s+HorizontalPodAutoscaler\/web\s+New size: 10; reason: cpu resource utilization \(percentage of request\) above target/,
    );
    expect(events).toMatch(/New size: \d+; reason: All metrics below target/);
    const hpa = JSON.parse((await c.run('get', 'hpa', 'web', '-o', 'json')).stdout);
    expect(hpa.status.conditions.map((x: { type: string }) => x.type)).toEqual(['AbleToScale', 'ScalingActive', 'ScalingLimited']);
  });
});

describe('custom and external metrics', () => {
  it('scales on a Pods metric set with kubesim metrics set', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', WEB);
    const f = c.file(
      'h.yaml',
      'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 2\n  maxReplicas: 10\n  metrics:\n  - type: Pods\n    pods: {metric: {name: queue_depth}, target: {type: AverageValue, averageValue: "10"}}\n',
    );
    await c.run('apply', '-f', f);
    await c.run('clock', 'advance', '10s');
    const set = await c.run('metrics', 'set', 'pods', '-l', 'app=web', 'queue_depth=30');
    expect(set.stdout.trim().split('\n')).toHaveLength(2);
    expect(set.stdout).toMatch(/^pod\/web-\S+ metrics updated$/m);
    await c.run('clock', 'advance', '20s');
    // two syncs after the values appeared: 2 → 4 (max(2 × 2, 4) per sync without behavior) → 6 = ceil(4 × 30/10) capped at 2 × 4
    expect((await c.run('get', 'hpa')).stdout).toMatch(/web\s+Deployment\/web\s+30\/10\s+2\s+10\s+4\s/);
    expect((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('6');
  });

  it('scales on an External metric and rejects a non-quantity value', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', WEB);
    const f = c.file(
      'h.yaml',
      'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 10\n  metrics:\n  - type: External\n    external: {metric: {name: queue_messages}, target: {type: AverageValue, averageValue: "20"}}\n',
    );
    await c.run('apply', '-f', f);
    expect((await c.run('metrics', 'set', 'external', 'queue_messages=100')).stdout).toBe('external metric queue_messages set to 100\n');
    await c.run('clock', 'advance', '20s');
    // 100 / 20 = 5 replicas, but one sync may only go to max(2 × 2, 4) = 4
    expect((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('4');
    await c.run('clock', 'advance', '15s');
    expect((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('5');
    expect(await c.run('metrics', 'set', 'external', 'queue_messages=lots')).toMatchObject({
      code: 1,
      stderr: 'error: invalid value "lots" for metric "queue_messages": must be a quantity\n',
    });
  });
});

describe('kubesim nodegroup', () => {
  it('creates a node group that get nodegroups lists, and requires --max', async () => {
    const c = await manualCluster();
    expect((await c.run('nodegroup', 'create', 'workers', '--min', '1', '--max', '10', '--cpu', '4', '--memory', '16Gi')).stdout).toBe(
      'nodegroup.autoscaling.kubesim.io/workers created\n',
    );
    expect((await c.run('get', 'nodegroups')).stdout).toBe(
      'NAME      MIN   MAX   TARGET   READY   CPU   MEMORY   AGE\nworkers   1     10    1        0       4     16Gi     0s\n',
    );
    expect(await c.run('nodegroup', 'create', 'other')).toMatchObject({ code: 1, stderr: 'error: required flag(s) "max" not set\n' });
  });
});
