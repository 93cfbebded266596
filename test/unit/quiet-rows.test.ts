import { describe, it, expect } from 'vitest';
import { quietRowValue, savedQuietOfRow, type SavedQuiet } from '../../src/engine/quiet-objects';

describe('quiet marks as a state file row', () => {
  const saved: SavedQuiet = {
    v: 2,
    deps: '3:abc',
    times: [null, 1_700_000_000_000],
    marks: [5, 100, 0, 9, 4_000_000_000, 1],
    each: ['n1', '7'],
  };

  it('reads back what it wrote, as unsigned 32-bit marks when they fit', () => {
    const row = quietRowValue(saved);
    const back = savedQuietOfRow(row)!;
    expect(back.marks).toBeInstanceOf(Uint32Array);
    expect({ ...back, marks: [...Array.from(back.marks)] }).toEqual(saved);
    // 8 bytes, the header padded to 8, 4 bytes a mark
    expect(row.length % 8).toBe(0);
  });

  it('keeps a mark that does not fit 32 bits (a resourceVersion past 2^32) as a double', () => {
    const big = { ...saved, marks: [5, 2 ** 40 + 3, 0] };
    const back = savedQuietOfRow(quietRowValue(big))!;
    expect(back.marks).toBeInstanceOf(Float64Array);
    expect(Array.from(back.marks)).toEqual([5, 2 ** 40 + 3, 0]);
  });

  it('still reads the JSON text an older kubesim wrote, and refuses a damaged row', () => {
    expect(savedQuietOfRow(JSON.stringify(saved))).toEqual(saved);
    const row = quietRowValue(saved);
    expect(savedQuietOfRow(row.subarray(0, row.length - 4))).toBeUndefined();
    expect(savedQuietOfRow(Buffer.from('not a row'))).toBeUndefined();
    expect(savedQuietOfRow('{')).toBeUndefined();
    expect(savedQuietOfRow(undefined)).toBeUndefined();
  });
});
