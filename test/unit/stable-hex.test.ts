import { describe, expect, it } from 'vitest';
import { stableHex, stableHexPlain } from '../../src/util/hash';

describe('stableHex', () => {
  it('makes the digits stableHexPlain makes, for every length and seed size (the IDs in existing state files)', () => {
    const seeds = ['', 'a', 'registry.example/app:0', 'aaee50e9-2df8-461c-8f19-e1c0843af4c2/app/0', 'é✓'.repeat(40), 'x'.repeat(300)];
    for (const seed of seeds)
      for (const length of [1, 7, 8, 12, 32, 63, 64, 65, 100]) expect(stableHex(seed, length)).toBe(stableHexPlain(seed, length));
  });

  it('is the container ID digest printed before (a fixed value)', () => {
    expect(stableHex('aaee50e9-2df8-461c-8f19-e1c0843af4c2/app/0', 64)).toBe(
      'f151699f0dd671b25ccd205cb1f9bad97d6c3d5fc3e8812655e0aabc423bc845',
    );
  });
});
