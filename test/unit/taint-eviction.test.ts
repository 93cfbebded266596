import { describe, expect, it } from 'vitest';
import { matchingTolerations, minTolerationSeconds } from '../../src/controllers/taint-eviction';

describe('taint eviction: tolerations used and the shortest tolerationSeconds', () => {
  it.each([
    ['no tolerations used: delete at once', [], 0],
    ['one of 1s', [{ tolerationSeconds: 1 }], 1],
    ['the smallest of 2s and 1s', [{ tolerationSeconds: 2 }, { tolerationSeconds: 1 }], 1],
    ['none with tolerationSeconds: forever', [{}], -1],
    ['one forever, one of 5s: 5s', [{}, { tolerationSeconds: 5 }], 5],
    ['zero or negative: at once', [{ tolerationSeconds: 10 }, { tolerationSeconds: -3 }], 0],
  ])('%s', (_name, used, seconds) => {
    expect(minTolerationSeconds(used)).toBe(seconds);
  });

  it('uses the first toleration that tolerates each taint, and none unless every taint is tolerated', () => {
    const taints = [
      { key: 'a', value: 'x', effect: 'NoExecute' },
      { key: 'b', effect: 'NoExecute' },
    ];
    const exists = { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 };
    const equalA = { key: 'a', operator: 'Equal', value: 'x', tolerationSeconds: 5 };
    expect(matchingTolerations(taints, [exists, equalA])).toEqual({ allTolerated: true, used: [exists, exists] });
    expect(matchingTolerations(taints, [equalA, exists])).toEqual({ allTolerated: true, used: [equalA, exists] });
    expect(matchingTolerations(taints, [equalA])).toEqual({ allTolerated: false, used: [] });
  });
});
