import { describe, it, expect } from 'vitest';
import { milliValue, intValue, parseQuantity, isQuantity } from '../../src/api/quantity';
import { parseSelector, matches, selectorString } from '../../src/api/labels';
import { humanDuration, parseDuration, goDuration } from '../../src/util/duration';
import { computeTemplateHash, fnv32a, safeEncode } from '../../src/api/pod-template-hash';
import { resolveFenceposts } from '../../src/controllers/deployment';
import { Random } from '../../src/util/random';
import type { Deployment } from '../../src/model/kinds';

describe('quantities', () => {
  it.each([
    ['250m', 250],
    ['1', 1000],
    ['1.5', 1500],
    ['0.1', 100],
    ['2k', 2_000_000],
  ])('cpu %s is %d millicores', (q, milli) => expect(milliValue(q)).toBe(milli));
  it.each([
    ['512Mi', 512 * 1024 * 1024],
    ['1Gi', 1024 ** 3],
    ['1G', 1e9],
    ['1e3', 1000],
    ['128974848', 128974848],
  ])('memory %s is %d bytes', (q, bytes) => expect(intValue(q)).toBe(bytes));
  it('rejects malformed quantities', () => {
    expect(isQuantity('12x')).toBe(false);
    expect(isQuantity('one')).toBe(false);
    expect(() => parseQuantity('abc')).toThrow(/quantities must match/);
  });
});

describe('label selectors', () => {
  it('parses every kubectl operator', () => {
    const sel = parseSelector('app=web,tier!=db,env in (prod,staging),zone notin (a),release,!canary');
    expect(selectorString(sel)).toBe('app=web,tier!=db,env in (prod,staging),zone!=a,release,!canary');
    expect(matches(sel, { app: 'web', env: 'prod', release: '1' })).toBe(true);
    expect(matches(sel, { app: 'web', env: 'prod', release: '1', canary: 'y' })).toBe(false);
    expect(matches(sel, { app: 'web', env: 'dev', release: '1' })).toBe(false);
  });
  it('refuses a malformed selector', () => {
    expect(() => parseSelector('a=b,,')).toThrow(/unable to parse requirement/);
  });
});

describe('durations', () => {
  it.each([
    [45_000, '45s'],
    [119_000, '119s'],
    [310_000, '5m10s'],
    [600_000, '10m'],
    [3 * 3600_000, '3h'],
    [3 * 3600_000 + 25 * 60_000, '3h25m'],
    [(2 * 24 + 5) * 3600_000, '2d5h'],
    [97 * 24 * 3600_000, '97d'],
  ])('HumanDuration(%d ms) is %s', (ms, text) => expect(humanDuration(ms)).toBe(text));
  it('parses Go durations', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('90')).toBe(90_000);
    expect(() => parseDuration('5 minutes', 'timeout')).toThrow(
      'invalid argument "5 minutes" for "timeout" flag: time: invalid duration "5 minutes"',
    );
  });
  it('prints Go durations', () => {
    expect(goDuration(30_000)).toBe('30s');
    expect(goDuration(300_000)).toBe('5m0s');
  });
});

describe('pod-template-hash', () => {
  it("is FNV-32a of the template written with kube's safe alphabet", () => {
    expect(fnv32a('')).toBe(0x811c9dc5);
    expect(fnv32a('a')).toBe(0xe40c292c);
    expect(safeEncode('0123456789')).toBe('456789bcdf');
    const hash = computeTemplateHash({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } });
    expect(hash).toMatch(/^[4-9bcdf]{9,10}$/);
  });
  it('ignores the pod-template-hash label itself', () => {
    const a = computeTemplateHash({ metadata: { labels: { app: 'web' } } });
    const b = computeTemplateHash({ metadata: { labels: { app: 'web', 'pod-template-hash': 'x' } } });
    expect(a).toBe(b);
  });
});

describe('rolling update fenceposts', () => {
  const d = (replicas: number, maxSurge: number | string = '25%', maxUnavailable: number | string = '25%') =>
    ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } } },
    }) as Deployment;
  it.each([
    [3, 1, 0],
    [10, 3, 2],
    [4, 1, 1],
    [1, 1, 0],
  ])('%d replicas with 25%%/25%% give surge %d and unavailable %d', (replicas, surge, unavailable) => {
    expect(resolveFenceposts(d(replicas))).toEqual({ maxSurge: surge, maxUnavailable: unavailable });
  });
  it('both zero becomes maxUnavailable 1', () => {
    expect(resolveFenceposts(d(5, 0, 0))).toEqual({ maxSurge: 0, maxUnavailable: 1 });
  });
});

describe('seeded PRNG', () => {
  it('repeats for the same seed and differs for another', () => {
    const a = Random.fromSeed(7);
    const b = Random.fromSeed(7);
    const c = Random.fromSeed(8);
    const seqA = [a.string(5), a.uuid(), a.int(100)];
    expect([b.string(5), b.uuid(), b.int(100)]).toEqual(seqA);
    expect(c.string(5)).not.toBe(seqA[0]);
    expect(seqA[0]).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
  it('draws the uids a cluster made before: version 4, variant 10, the same values for a seed', () => {
    // (uuid() writes its digits as bytes now; these are the values the joined-string version gave)
    const r = Random.fromSeed(1);
    const drawn = [r.uuid(), r.string(5), r.uuid(), r.uuid()];
    expect(drawn).toEqual([
      'c1017b27-e3af-47d7-a787-fbbe0c005a5c',
      'sm6r2',
      '742101f6-447b-4bba-9ab3-9959aa61c7ef',
      '623e5a07-eb6f-4f6a-b97c-6a0fa9f77717',
    ]);
    const s = Random.fromSeed(42);
    expect([s.uuid(), s.string(5), s.uuid()]).toEqual([
      '207b36e9-1c98-4d09-8144-06bee32a03e4',
      'j6lgq',
      'f0fa681b-c5c6-4cc3-97f1-b81d918b88db',
    ]);
    for (let i = 0; i < 200; i++) expect(r.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
