import { describe, it, expect } from 'vitest';
import { mergeCopying, quietRowValue, savedQuietOfRow, type SavedQuiet } from '../../src/engine/quiet-objects';

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

describe("the lazy marks saved again: the file's runs copied whole (mergeCopying)", () => {
  /** the merge a mark at a time, as savedLazily does it when the runs cannot be copied */
  function oneByOne(marks: ArrayLike<number>, skip: number[], extra: number[]): number[] {
    const out: number[] = [];
    let s = 0;
    let k = 0;
    for (let j = 0; j < marks.length; j += 3) {
      const rowid = marks[j];
      while (s < skip.length && skip[s] < rowid) s++;
      if (s < skip.length && skip[s] === rowid) continue;
      for (; k < extra.length && extra[k] < rowid; k += 3) out.push(extra[k], extra[k + 1], extra[k + 2]);
      out.push(rowid, marks[j + 1], 0);
    }
    for (; k < extra.length; k += 3) out.push(extra[k], extra[k + 1], extra[k + 2]);
    return out;
  }

  it('leaves out the skipped rows and puts the made marks in by row id, wherever they fall', () => {
    const rows = [2, 3, 5, 8, 9, 12, 20];
    const marks = new Uint32Array(rows.flatMap((r) => [r, r * 10, 0]));
    // skipped rows: none, first, last, all, runs, rows not in the file, a row twice (deleted and made again)
    const skips = [[], [2], [20], rows, [3, 5, 9], [1, 4, 25], [8, 8, 12]];
    // made marks: none, before all, after all, between, on a skipped row
    const extras = [[], [1, 7, 2], [30, 7, 1], [4, 7, 1, 10, 8, 0], [8, 99, 1]];
    for (const skip of skips)
      for (const extra of extras) {
        // (a made mark's row is skipped too, as savedLazily skips every touched row)
        const skipAll = [...new Set([...skip, ...extra.filter((_, i) => i % 3 === 0)])].sort((a, b) => a - b);
        for (const out of [new Uint32Array(marks.length + extra.length), new Float64Array(marks.length + extra.length)]) {
          const n = mergeCopying(marks, skipAll, extra, out);
          expect(Array.from(out.subarray(0, n))).toEqual(oneByOne(marks, skipAll, extra));
        }
      }
  });
});
