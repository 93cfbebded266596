import { describe, it, expect } from 'vitest';
import { ObjectStore } from '../../src/store/object-store';
import { profileFailure, withProfiles } from '../../src/sim/simulation-profile';
import type { Pod } from '../../src/model/kinds';
import type { KObject } from '../../src/model/objects';

function storeWith(spec: Record<string, unknown>): ObjectStore {
  const store = new ObjectStore();
  store.put({ apiVersion: 'sim.kubesim.io/v1', kind: 'SimulationProfile', metadata: { name: 'p', resourceVersion: '1' }, spec } as KObject);
  return store;
}

function pod(i: number, annotations?: Record<string, string>): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p${i}`, namespace: 'default', uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, annotations },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
  } as Pod;
}

const drawn = (store: ObjectStore, n: number, key: string) =>
  Array.from({ length: n }, (_, i) => Number(withProfiles(pod(i), store).metadata.annotations![key]));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / (xs.length - 1));

describe('SimulationProfile draws', () => {
  it("a normal distribution's sample mean and spread over 2,000 pods are its own (exact: drawn per pod uid)", () => {
    const xs = drawn(storeWith({ startupSeconds: { normal: { mean: 30, stddev: 5 } } }), 2000, 'sim.kubesim.io/startup-seconds');
    // within two standard errors (5/√2000 ≈ 0.11 s)
    expect(Math.abs(mean(xs) - 30)).toBeLessThan(0.23);
    expect(Math.abs(sd(xs) - 5)).toBeLessThan(0.2);
    expect(mean(xs).toFixed(4)).toBe('30.0080');
    // the same pod draws the same value again
    expect(drawn(storeWith({ startupSeconds: { normal: { mean: 30, stddev: 5 } } }), 2000, 'sim.kubesim.io/startup-seconds')).toEqual(xs);
  });

  it('uniform stays in its bounds with mean (min+max)/2; exponential has its mean; fixed is fixed', () => {
    const u = drawn(storeWith({ imagePullSeconds: { uniform: { min: 2, max: 8 } } }), 2000, 'sim.kubesim.io/image-pull-seconds');
    expect(Math.min(...u)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...u)).toBeLessThanOrEqual(8);
    expect(Math.abs(mean(u) - 5)).toBeLessThan(0.1);
    const e = drawn(storeWith({ shutdownSeconds: { exponential: { mean: 3 } } }), 2000, 'sim.kubesim.io/shutdown-seconds');
    expect(Math.abs(mean(e) - 3)).toBeLessThan(0.15);
    expect(new Set(drawn(storeWith({ readinessSeconds: { fixed: 4 } }), 50, 'sim.kubesim.io/ready-after-seconds'))).toEqual(new Set([4]));
  });

  it("a pod's own annotation wins; its start-up annotation also keeps a profile's readiness away", () => {
    const store = storeWith({ startupSeconds: { fixed: 9 }, readinessSeconds: { fixed: 12 } });
    expect(withProfiles(pod(1, { 'sim.kubesim.io/startup-seconds': '3' }), store).metadata.annotations).toEqual({
      'sim.kubesim.io/startup-seconds': '3',
    });
    expect(withProfiles(pod(1), store).metadata.annotations).toEqual({
      'sim.kubesim.io/startup-seconds': '9',
      'sim.kubesim.io/ready-after-seconds': '12',
    });
    const bare = pod(2);
    expect(withProfiles(bare, new ObjectStore())).toBe(bare);
  });

  it('a crash probability p per hour: about p of the containers fail within their first hour', () => {
    const store = storeWith({ crashProbabilityPerHour: 0.3 });
    const failures = Array.from({ length: 4000 }, (_, i) => profileFailure(pod(i), 'c', 0, store)!);
    expect(failures.every((f) => f.exitCode === 1)).toBe(true);
    const withinHour = failures.filter((f) => f.afterMs <= 3_600_000).length / failures.length;
    expect(Math.abs(withinHour - 0.3)).toBeLessThan(0.03);
    // each restart draws anew
    expect(profileFailure(pod(1), 'c', 1, store)!.afterMs).not.toBe(profileFailure(pod(1), 'c', 0, store)!.afterMs);
  });
});
