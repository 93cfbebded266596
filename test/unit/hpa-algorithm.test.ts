import { describe, it, expect } from 'vitest';
import type { HorizontalPodAutoscaler, Pod } from '../../src/model/kinds';
import { toRFC3339 } from '../../src/util/duration';
import { perPodReplicas, plainMetricReplicas, resourceReplicas, usageRatioReplicas, MetricError } from '../../src/controllers/hpa-replicas';
import {
  convertDesiredReplicasWithRules,
  convertDesiredReplicasWithBehaviorRate,
  scaleDownLimit,
  scaleUpLimit,
  stabilizeWithBehaviors,
  type HpaMemory,
} from '../../src/controllers/hpa';
import {
  defaultScaleDownRules,
  defaultScaleUpRules,
  hpaTargetsText,
  formatMilliQuantity,
} from '../../src/api/kinds/horizontalpodautoscaler';
import type { PodMetric } from '../../src/sim/metrics';

const NOW = Date.UTC(2025, 0, 1, 1, 0, 0);
const LONG_AGO = NOW - 3600_000;

function pod(name: string, opts: { ready?: boolean; phase?: string; startedAt?: number; readySince?: number; request?: string } = {}): Pod {
  const started = opts.startedAt ?? LONG_AGO;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      containers: [
        {
          name: 'app',
          resources: opts.request === undefined ? { requests: { cpu: '100m' } } : opts.request ? { requests: { cpu: opts.request } } : {},
        },
      ],
    },
    status: {
      phase: opts.phase ?? 'Running',
      startTime: toRFC3339(started),
      conditions: [
        { type: 'Ready', status: opts.ready === false ? 'False' : 'True', lastTransitionTime: toRFC3339(opts.readySince ?? started) },
      ],
    },
  };
}

function metrics(values: Record<string, number>, at = NOW): Map<string, PodMetric> {
  return new Map(Object.entries(values).map(([k, v]) => [k, { value: v, timestamp: at, windowMs: 15_000 }]));
}

const memory = (): HpaMemory => ({ recommendations: [], scaleUpEvents: [], scaleDownEvents: [] });

describe('HPA replica calculation (replica_calculator.go)', () => {
  it('doubles the replicas when usage is twice the target, as the HPA docs describe (200m vs 100m)', () => {
    const pods = [pod('a'), pod('b')];
    const r = plainMetricReplicas(2, 100, 'cpu', pods, metrics({ a: 200, b: 200 }), NOW);
    expect(r).toEqual({ replicas: 4, usage: 200 });
  });

  it('halves the replicas when usage is half the target (50m vs 100m)', () => {
    const pods = [pod('a'), pod('b'), pod('c'), pod('d')];
    expect(plainMetricReplicas(4, 100, 'cpu', pods, metrics({ a: 50, b: 50, c: 50, d: 50 }), NOW).replicas).toBe(2);
  });

  it('computes desired = ceil(current × utilization / target) for a Utilization target', () => {
    const pods = [pod('a'), pod('b'), pod('c')];
    // 85% of request against a 50% target: ceil(3 × 85/50) = ceil(5.1) = 6
    const r = resourceReplicas(3, 50, 'cpu', pods, metrics({ a: 85, b: 85, c: 85 }), NOW);
    expect(r).toMatchObject({ replicas: 6, utilization: 85, raw: 85 });
  });

  it('skips scaling while the ratio is within the 0.1 tolerance', () => {
    const pods = [pod('a'), pod('b')];
    expect(resourceReplicas(2, 50, 'cpu', pods, metrics({ a: 54, b: 54 }), NOW).replicas).toBe(2);
    expect(resourceReplicas(2, 50, 'cpu', pods, metrics({ a: 46, b: 46 }), NOW).replicas).toBe(2);
    expect(resourceReplicas(2, 50, 'cpu', pods, metrics({ a: 56, b: 56 }), NOW).replicas).toBe(3);
    // exactly 1.1 is outside in float64 (|1 - 1.1| = 0.10000000000000009), in Go as here
    expect(resourceReplicas(2, 50, 'cpu', pods, metrics({ a: 55, b: 55 }), NOW).replicas).toBe(3);
  });

  it('counts unready pods as using nothing when scaling up, so they damp the scale-up', () => {
    const pods = [pod('a'), pod('b'), pod('c', { ready: false, startedAt: NOW - 20_000 })];
    // ready pods at 200% of a 50% target would give ceil(4 × 2) = 8; with c at 0: ceil(3 × 400/300 / 50 …)
    const r = resourceReplicas(3, 50, 'cpu', pods, metrics({ a: 100, b: 100, c: 100 }), NOW);
    expect(r.utilization).toBe(100);
    // new ratio: (100 + 100 + 0) / 300 = 66% → 66/50 = 1.32 → ceil(1.32 × 3) = 4
    expect(r.replicas).toBe(4);
  });

  it('ignores a CPU sample taken less than one window after a starting pod became ready', () => {
    const pods = [pod('a'), pod('b', { startedAt: NOW - 60_000, readySince: NOW - 5_000 })];
    const r = resourceReplicas(2, 50, 'cpu', pods, metrics({ a: 100, b: 500 }), NOW);
    // b is treated as unready: a alone is at 200%, b counts as 0 → (100 + 0) / 200 = 50% → within tolerance
    expect(r.replicas).toBe(2);
  });

  it('treats pods missing metrics as using 100% of their request on a scale-down', () => {
    const pods = [pod('a'), pod('b'), pod('c'), pod('d')];
    // a, b at 10%: alone that would be ceil(2 × 10/50) = 1; with c, d at 100% the average is 55% → no scale-down
    expect(resourceReplicas(4, 50, 'cpu', pods, metrics({ a: 10, b: 10 }), NOW).replicas).toBe(4);
  });

  it('treats pods missing metrics as using nothing on a scale-up', () => {
    const pods = [pod('a'), pod('b'), pod('c'), pod('d')];
    // a, b at 150% of a 50% target; c, d at 0 → 75% → ceil(1.5 × 4) = 6
    expect(resourceReplicas(4, 50, 'cpu', pods, metrics({ a: 150, b: 150 }), NOW).replicas).toBe(6);
  });

  it("fails with the controller's message when a container has no CPU request", () => {
    const pods = [pod('a', { request: '' })];
    expect(() => resourceReplicas(1, 50, 'cpu', pods, metrics({ a: 10 }), NOW)).toThrow(
      'missing request for cpu in container app of Pod a',
    );
  });

  it('fails when no pod has metrics yet', () => {
    expect(() => resourceReplicas(1, 50, 'cpu', [pod('a')], new Map(), NOW)).toThrow(MetricError);
    expect(() => resourceReplicas(1, 50, 'cpu', [pod('a')], new Map(), NOW)).toThrow('no metrics returned from resource metrics API');
  });

  it('scales Object Value targets by the ready pod count and AverageValue targets by the total', () => {
    expect(usageRatioReplicas(3, 2.0, 3)).toBe(6);
    expect(usageRatioReplicas(3, 1.05, 3)).toBe(3);
    expect(perPodReplicas(2, 900, 100)).toEqual({ replicas: 9, average: 450 });
  });
});

describe('HPA rate limits and stabilization (horizontal.go)', () => {
  it('without behavior, limits each scale-up to max(2 × current, 4)', () => {
    expect(convertDesiredReplicasWithRules(1, 20, 1, 50)).toEqual([
      4,
      'ScaleUpLimit',
      'the desired replica count is increasing faster than the maximum scale rate',
    ]);
    expect(convertDesiredReplicasWithRules(10, 40, 1, 50)[0]).toBe(20);
    expect(convertDesiredReplicasWithRules(10, 40, 1, 15)).toEqual([
      15,
      'TooManyReplicas',
      'the desired replica count is more than the maximum replica count',
    ]);
    expect(convertDesiredReplicasWithRules(3, 1, 2, 10)).toEqual([
      2,
      'TooFewReplicas',
      'the desired replica count is less than the minimum replica count',
    ]);
    expect(convertDesiredReplicasWithRules(3, 5, 2, 10)).toEqual([
      5,
      'DesiredWithinRange',
      'the desired count is within the acceptable range',
    ]);
  });

  it('defaults scaleUp to the larger of 4 pods and 100% per 15 s', () => {
    const up = defaultScaleUpRules(undefined);
    expect(up).toEqual({
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    });
    expect(scaleUpLimit(2, [], [], up, NOW)).toBe(6);
    expect(scaleUpLimit(10, [], [], up, NOW)).toBe(20);
  });

  it('counts scale-ups inside the policy period against the limit', () => {
    const up = defaultScaleUpRules(undefined);
    // went 2 → 6 five seconds ago: the period started at 2, so the limit is still 6
    expect(scaleUpLimit(6, [{ change: 4, at: NOW - 5_000 }], [], up, NOW)).toBe(6);
    // after the 15 s period the event no longer counts
    expect(scaleUpLimit(6, [{ change: 4, at: NOW - 16_000 }], [], up, NOW)).toBe(12);
  });

  it("follows the docs' scale-down example: 4 pods or 10% per minute, 80 → 72 → 64", () => {
    const down = {
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 60 },
        { type: 'Percent', value: 10, periodSeconds: 60 },
      ],
    };
    expect(scaleDownLimit(80, [], [], down, NOW)).toBe(72);
    expect(scaleDownLimit(72, [], [], down, NOW)).toBe(64);
    // with 40 or fewer replicas the Pods policy allows more
    expect(scaleDownLimit(30, [], [], down, NOW)).toBe(26);
    expect(scaleDownLimit(30, [], [], { ...down, selectPolicy: 'Min' }, NOW)).toBe(27);
    expect(scaleDownLimit(30, [], [], { ...down, selectPolicy: 'Disabled' }, NOW)).toBe(30);
  });

  it('defaults scaleDown to 100% per 15 s and leaves the window to the controller (300 s)', () => {
    expect(defaultScaleDownRules(undefined)).toEqual({
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
    });
  });

  it('keeps the highest recommendation of the scale-down stabilization window', () => {
    const m = memory();
    m.recommendations = [{ replicas: 10, at: NOW - 200_000 }];
    expect(stabilizeWithBehaviors(m, 0, 300, 10, 4, NOW)[0]).toBe(10);
    // once the high recommendation is older than 300 s, the lower one applies
    const later = NOW + 101_000;
    expect(stabilizeWithBehaviors(m, 0, 300, 10, 4, later)[0]).toBe(4);
  });

  it('with a scale-up window, takes the lowest recent recommendation', () => {
    const m = memory();
    m.recommendations = [{ replicas: 5, at: NOW - 30_000 }];
    const [r, reason] = stabilizeWithBehaviors(m, 60, 300, 4, 9, NOW);
    expect(r).toBe(5);
    expect(reason).toBe('ScaleUpStabilized');
  });

  it('caps a scale-up at maxReplicas with TooManyReplicas and at the policy with ScaleUpLimit', () => {
    const up = defaultScaleUpRules(undefined);
    const down = defaultScaleDownRules(undefined);
    expect(convertDesiredReplicasWithBehaviorRate(memory(), up, down, 2, 30, 1, 10, NOW)).toEqual([
      6,
      'ScaleUpLimit',
      'the desired replica count is increasing faster than the maximum scale rate',
    ]);
    expect(convertDesiredReplicasWithBehaviorRate(memory(), up, down, 8, 30, 1, 10, NOW)).toEqual([
      10,
      'TooManyReplicas',
      'the desired replica count is more than the maximum replica count',
    ]);
  });
});

describe('HPA printing', () => {
  it('shows TARGETS like kubectl: resource utilization, unknown current values and custom metrics', () => {
    const hpa: HorizontalPodAutoscaler = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        maxReplicas: 5,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } },
          { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } },
          { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } },
        ],
      },
      status: {
        desiredReplicas: 1,
        currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 85, averageValue: '85m' } } }],
      },
    };
    expect(hpaTargetsText(hpa)).toBe('cpu: 85%/50%, memory: <unknown>/100Mi, <unknown>/10, <unknown>/30 (avg)');
    hpa.spec.metrics!.push({
      type: 'Object',
      object: { metric: { name: 'x' }, describedObject: { kind: 'Service', name: 'web' }, target: { type: 'Value', value: '1' } },
    });
    expect(hpaTargetsText(hpa)).toMatch(/ \+ 1 more\.\.\.$/);
  });

  it('formats milli-values as DecimalSI quantities', () => {
    expect(formatMilliQuantity(250)).toBe('250m');
    expect(formatMilliQuantity(2000)).toBe('2');
    expect(formatMilliQuantity(3_000_000)).toBe('3k');
  });
});
