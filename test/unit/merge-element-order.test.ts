import { describe, it, expect } from 'vitest';
import { strategicMergePatch } from '../../src/api/merge';

describe('strategic merge patch: $setElementOrder', () => {
  it("orders a keyed list as the directive lists it (kubectl debug's patch adds an ephemeral container last)", () => {
    const live = { spec: { ephemeralContainers: [{ name: 'a' }, { name: 'b' }] } };
    const patch = {
      spec: {
        '$setElementOrder/ephemeralContainers': [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
        ephemeralContainers: [{ name: 'c', image: 'busybox' }],
      },
    };
    expect(strategicMergePatch(live, patch, 'Pod')).toEqual({
      spec: { ephemeralContainers: [{ name: 'a' }, { name: 'b' }, { name: 'c', image: 'busybox' }] },
    });
  });

  it('a reordering directive moves the live items; items it does not list come after', () => {
    const live = { spec: { containers: [{ name: 'a' }, { name: 'b' }, { name: 'x' }] } };
    const patch = { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }], containers: [{ name: 'a', image: 'i' }] } };
    expect(strategicMergePatch(live, patch, 'Pod')).toEqual({
      spec: { containers: [{ name: 'b' }, { name: 'a', image: 'i' }, { name: 'x' }] },
    });
  });
});
