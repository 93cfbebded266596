import { describe, it, expect } from 'vitest';
import {
  Aggregate,
  bucketStart,
  CPU_OPTIONS,
  DecayingHistogram,
  emptyAggregate,
  emptyContainerState,
  findBucket,
  HALF_LIFE_MS,
  MEMORY_OPTIONS,
} from '../../src/controllers/vpa-histogram';
import { recommendations, type RecommenderMemory } from '../../src/controllers/vpa-recommender';
import { proportionalLimit, type VerticalPodAutoscaler } from '../../src/api/vpa';

const T0 = Date.UTC(2025, 0, 1);
const MINUTE = 60_000;

function vpa(spec: Partial<VerticalPodAutoscaler['spec']> = {}): VerticalPodAutoscaler {
  return {
    apiVersion: 'autoscaling.k8s.io/v1',
    kind: 'VerticalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default', uid: 'u' },
    spec: { targetRef: { kind: 'Deployment', name: 'web' }, ...spec },
  };
}

/** One container sampled every minute for `minutes` at a steady usage. */
function steady(cpuMilli: number, memoryBytes: number, minutes: number, requestMilli = 100): RecommenderMemory {
  const aggregate = new Aggregate(emptyAggregate());
  const container = emptyContainerState();
  for (let m = 0; m < minutes; m++) {
    aggregate.addCpuSample(container, T0 + m * MINUTE, cpuMilli, requestMilli);
    aggregate.addMemorySample(container, T0 + m * MINUTE, memoryBytes);
  }
  return { aggregates: { app: aggregate.save() }, containers: {} };
}

describe('the VPA recommender histograms (pkg/recommender/util)', () => {
  it('has the exponential buckets of aggregations_config.go: 0.01 core and 10 MB first, 5% growth, 176 buckets', () => {
    expect(CPU_OPTIONS.numBuckets).toBe(176);
    expect(MEMORY_OPTIONS.numBuckets).toBe(176);
    expect(findBucket(CPU_OPTIONS, 0.005)).toBe(0);
    expect(bucketStart(CPU_OPTIONS, 1)).toBeCloseTo(0.01, 12);
    expect(bucketStart(CPU_OPTIONS, 2)).toBeCloseTo(0.0205, 12);
    const b = findBucket(CPU_OPTIONS, 0.4);
    expect(bucketStart(CPU_OPTIONS, b)).toBeLessThanOrEqual(0.4);
    expect(bucketStart(CPU_OPTIONS, b + 1)).toBeGreaterThan(0.4);
  });

  it('answers a percentile with the end of the bucket that reaches it, weighing by decayed weight', () => {
    const h = new DecayingHistogram(CPU_OPTIONS);
    expect(h.percentile(0.9)).toBe(0);
    // nine light samples at 0.1 core a day ago, one at 1 core now: a day-old sample weighs half
    for (let i = 0; i < 9; i++) h.addSample(0.1, 1, T0);
    h.addSample(1, 1, T0 + HALF_LIFE_MS);
    // weights 9 (old) vs 2 (new, doubled): the 80th percentile is still in the 0.1 bucket
    expect(h.percentile(0.8)).toBe(bucketStart(CPU_OPTIONS, findBucket(CPU_OPTIONS, 0.1) + 1));
    expect(h.percentile(0.9)).toBe(bucketStart(CPU_OPTIONS, findBucket(CPU_OPTIONS, 1) + 1));
    // survives the round trip through the controller's memory
    expect(new DecayingHistogram(CPU_OPTIONS, h.state()).percentile(0.9)).toBe(h.percentile(0.9));
  });

  it('keeps one memory peak per container per 24 h interval (container.go addMemorySample)', () => {
    const a = new Aggregate(emptyAggregate());
    const c = emptyContainerState();
    a.addMemorySample(c, T0, 100e6);
    a.addMemorySample(c, T0 + MINUTE, 300e6); // inside the interval: replaces the peak
    a.addMemorySample(c, T0 + 2 * MINUTE, 200e6); // lower: ignored
    expect(c.memoryPeak).toBe(300e6);
    expect(Object.keys(a.memory.state().weights)).toEqual([String(findBucket(MEMORY_OPTIONS, 300e6))]);
    a.addMemorySample(c, T0 + 25 * 3600_000, 150e6); // next interval: a second peak
    expect(Object.keys(a.memory.state().weights)).toHaveLength(2);
  });

  it('refuses duplicate and out-of-order CPU samples', () => {
    const a = new Aggregate(emptyAggregate());
    const c = emptyContainerState();
    expect(a.addCpuSample(c, T0, 100, 100)).toBe(true);
    expect(a.addCpuSample(c, T0, 100, 100)).toBe(false);
    expect(a.addCpuSample(c, T0 - MINUTE, 100, 100)).toBe(false);
    expect(a.state.totalSamplesCount).toBe(1);
  });
});

describe('the VPA recommendation (logic/recommender.go, estimator.go)', () => {
  it('targets the 90th percentile plus a 15% margin, with bounds widened by the confidence in the history', () => {
    const [rec] = recommendations(vpa(), steady(400, 600 * 1024 * 1024, 60));
    // 0.4 core falls in the bucket ending at 0.41407 core: 414m + 15% (62m) = 476m
    const cpuEnd = Math.trunc(bucketStart(CPU_OPTIONS, findBucket(CPU_OPTIONS, 0.4) + 1) * 1000);
    expect(cpuEnd).toBe(414);
    expect(rec.target.cpu).toBe(`${cpuEnd + Math.trunc(cpuEnd * 0.15)}m`);
    const memEnd = Math.trunc(bucketStart(MEMORY_OPTIONS, findBucket(MEMORY_OPTIONS, 600 * 1024 * 1024) + 1));
    expect(rec.target.memory).toBe(String(memEnd + Math.trunc(memEnd * 0.15)));
    // an hour of samples: confidence 59/1440 days; lower bound × (1 + 0.001/conf)^-2, upper × (1 + 1/conf)
    const conf = 59 / 1440;
    expect(rec.lowerBound?.cpu).toBe(`${Math.trunc(476 * Math.pow(1 + 0.001 / conf, -2))}m`);
    expect(rec.upperBound?.cpu).toBe(`${Math.trunc(476 * (1 + 1 / conf))}m`);
    expect(rec.uncappedTarget).toEqual(rec.target);
  });

  it('never recommends less than 25m CPU and 250Mi memory for the pod, shared among its containers', () => {
    const [rec] = recommendations(vpa(), steady(1, 4 * 1024 * 1024, 60));
    expect(rec.target).toEqual({ cpu: '25m', memory: '262144k' });
  });

  it('caps to minAllowed and maxAllowed but keeps the uncapped target, and recommends only controlledResources', () => {
    const policy = vpa({
      resourcePolicy: {
        containerPolicies: [
          { containerName: '*', maxAllowed: { cpu: '300m' }, minAllowed: { memory: '1Gi' }, controlledResources: ['cpu', 'memory'] },
        ],
      },
    });
    const [rec] = recommendations(policy, steady(400, 600 * 1024 * 1024, 60));
    expect(rec.target.cpu).toBe('300m');
    expect(rec.target.memory).toBe('1Gi');
    expect(rec.uncappedTarget?.cpu).toBe('476m');
    const memoryOnly = vpa({ resourcePolicy: { containerPolicies: [{ containerName: 'app', controlledResources: ['memory'] }] } });
    expect(Object.keys(recommendations(memoryOnly, steady(400, 600 * 1024 * 1024, 60))[0].target)).toEqual(['memory']);
    const off = vpa({ resourcePolicy: { containerPolicies: [{ containerName: 'app', mode: 'Off' }] } });
    expect(recommendations(off, steady(400, 600 * 1024 * 1024, 60))).toEqual([]);
  });
});

describe('limits kept in proportion (limit_and_request_scaling.go)', () => {
  it('scales the limit by the request change, follows the request when they were equal, keeps no limit as none', () => {
    expect(proportionalLimit('cpu', '200m', '100m', '476m')).toBe('952m');
    expect(proportionalLimit('memory', '256Mi', '64Mi', '262144k')).toBe('1000Mi');
    expect(proportionalLimit('cpu', '100m', '100m', '476m')).toBe('476m');
    expect(proportionalLimit('cpu', '1', undefined, '476m')).toBe('476m');
    expect(proportionalLimit('cpu', undefined, '100m', '476m')).toBeUndefined();
  });
});
