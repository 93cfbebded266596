import { describe, it, expect } from 'vitest';
import { lineChart, downsample } from '../../src/printers/chart';
import { offeredRps, podCapacityRps, TRAFFIC_ANNOTATION } from '../../src/sim/traffic-profile';
import { ObjectStore } from '../../src/store/object-store';
import { podUsageTotal } from '../../src/sim/usage';
import type { Pod } from '../../src/model/kinds';

const T0 = Date.UTC(2025, 0, 1);

function readyPod(name: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { app: 'web' } },
    spec: { containers: [{ name: 'web', resources: { requests: { cpu: '100m' }, limits: { cpu: '500m' } } }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        { name: 'web', image: 'web', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: '2025-01-01T00:00:00Z' } } },
      ],
    },
  };
}

describe('traffic profiles', () => {
  it('combines a base rate, steps, ramps, spikes and nothing after the end', () => {
    const profile = {
      rps: 100,
      durationMs: 600_000,
      events: [
        { type: 'step' as const, atMs: 60_000, rps: 200 },
        { type: 'ramp' as const, fromMs: 120_000, toMs: 180_000, rps: 400 },
        { type: 'spike' as const, fromMs: 300_000, toMs: 310_000, rps: 5000 },
      ],
    };
    expect(offeredRps(profile, 0)).toBe(100);
    expect(offeredRps(profile, 90_000)).toBe(200);
    expect(offeredRps(profile, 150_000)).toBe(300);
    expect(offeredRps(profile, 200_000)).toBe(400);
    expect(offeredRps(profile, 305_000)).toBe(5000);
    expect(offeredRps(profile, 600_000)).toBe(0);
  });

  it('gives a pod the capacity of its CPU limit, or of one core without a limit', () => {
    expect(podCapacityRps(readyPod('a'), 5)).toBe(100);
    const unlimited = readyPod('b');
    unlimited.spec.containers[0].resources = { requests: { cpu: '100m' } };
    expect(podCapacityRps(unlimited, 5)).toBe(200);
  });

  it('adds the CPU of served requests to the pod usage that top and the HPA read', () => {
    const store = new ObjectStore();
    store.load(readyPod('a'));
    store.load(readyPod('b'));
    const traffic = { startedAt: T0, profile: { rps: 100, durationMs: 600_000, events: [] }, cpuPerRequestMilli: 2, latencyMs: 20 };
    store.load({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default', uid: 'svc', annotations: { [TRAFFIC_ANNOTATION]: JSON.stringify(traffic) } },
      spec: { selector: { app: 'web' } },
    });
    // 100 rps over two pods × 2m per request = 100m each, plus the 1m idle baseline
    expect(podUsageTotal(store.get('Pod', 'default', 'a')!, T0 + 30_000, store).cpuMilli).toBe(101);
    expect(podUsageTotal(store.get('Pod', 'default', 'a')!, T0 + 30_000).cpuMilli).toBe(1);
    // after the run the load is gone
    expect(podUsageTotal(store.get('Pod', 'default', 'a')!, T0 + 700_000, store).cpuMilli).toBe(1);
  });
});

describe('ASCII line chart', () => {
  it('draws a step with corners and labels the axis from the minimum to the maximum', () => {
    const lines = lineChart([0, 0, 10, 10], { height: 3, width: 10 });
    expect(lines).toEqual(['10 ┤ ╭──', ' 5 ┤ │  ', ' 0 ┤─╯  ']);
  });

  it('draws a small value (21% beside a 300% peak) above the zero row', () => {
    const lines = lineChart([0, 21, 300], { height: 8, width: 10 });
    expect(lines[7]).toBe('   0 ┤╯  ');
    expect(lines[6]).toBe('42.9 ┤╭╯ ');
    expect(lines[0]).toBe(' 300 ┤ ╭─');
  });

  it('keeps the peak of each bucket when a series is wider than the chart', () => {
    expect(downsample([1, 9, 2, 3, 4, 8], 3)).toEqual([9, 3, 8]);
  });
});
