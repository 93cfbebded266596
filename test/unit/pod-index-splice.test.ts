import { describe, expect, it } from 'vitest';
import {
  encodeChunk,
  recordFlags,
  spliceChunk,
  StringTable,
  WrittenRows,
  type IndexRow,
  type IndexTables,
} from '../../src/store/pod-index';

/**
 * spliceChunk (store/pod-index.ts): a save's chunk from its old bytes must be the very bytes
 * encodeChunk makes of the rows as they are now, or undefined when it cannot know them.
 */

const tables = (): IndexTables => ({ namespaces: new StringTable(), nodes: new StringTable(), classes: new StringTable() });
const row = (rowid: number, rv: number, name = `p-${rowid}`): IndexRow => [
  rowid,
  1,
  rv,
  'default',
  name,
  `uid-${rowid}`,
  `node-${rowid % 3}`,
  `["rs-uid"]\n[1,null,0]`,
  true,
  rowid % 2 === 0,
];
const parsed = (rowid: number): IndexRow => [rowid, 0, 0, '', '', '', '', '', false, false];

describe('pod index chunk splice', () => {
  const t = tables();
  const before = [row(1, 10), row(2, 11), parsed(4), row(5, 12), row(7, 13, 'ünïcode-name')];
  const old = encodeChunk(before, t);

  it('copies the records of rows not written, encodes those written, drops those deleted', () => {
    // row 2 deleted, 5 rewritten (new rv, node), 8 new; 1 and 7 kept
    const written = new Map<number, IndexRow>([
      [5, [...row(5, 20).slice(0, 6), 'node-9', ...row(5, 20).slice(7)] as IndexRow],
      [8, row(8, 21)],
      [4, row(4, 22)],
    ]);
    const ids = [1, 4, 5, 7, 8];
    const spliced = spliceChunk(old, ids, written, new Set(), t);
    const now = [row(1, 10), written.get(4)!, written.get(5)!, row(7, 13, 'ünïcode-name'), row(8, 21)];
    expect(spliced).toEqual(encodeChunk(now, t));
  });

  it('gives up on a row not written that is stale, parsed at load, or missing from the old chunk', () => {
    expect(spliceChunk(old, [1, 7], new Map(), new Set([7]), t)).toBeUndefined();
    expect(spliceChunk(old, [1, 4], new Map(), new Set(), t)).toBeUndefined();
    expect(spliceChunk(old, [1, 6], new Map(), new Set(), t)).toBeUndefined();
    expect(spliceChunk(old, [1, 9], new Map(), new Set(), t)).toBeUndefined();
    expect(spliceChunk(old.subarray(0, old.length - 3), [7], new Map(), new Set(), t)).toBeUndefined();
  });
});

describe('the rows a save wrote, as columns (WrittenRows)', () => {
  const add = (w: WrittenRows, r: IndexRow) => w.add(r[0], r[2], r[3], r[4], r[5], r[6], r[7], recordFlags(r[8], r[9]));

  it('gives back each row as written, in row id order or not, past its capacity', () => {
    const rows = Array.from({ length: 40 }, (_, i) => row(3 * i + 1, 100 + i));
    const w = new WrittenRows(4);
    for (const r of rows) add(w, r);
    expect(w.size).toBe(40);
    // asked in order, out of order, and rows not written
    for (const r of rows) expect(w.get(r[0])).toEqual(r);
    for (const r of [...rows].reverse()) expect(w.get(r[0])).toEqual(r);
    for (const id of [0, 2, 3, 200]) expect(w.get(id)).toBeUndefined();
    expect(w.has(4)).toBe(true);
    expect(w.has(5)).toBe(false);
    // a row id written again out of order: its last record
    add(w, row(4, 999));
    add(w, row(2, 998));
    expect(w.get(4)).toEqual(row(4, 999));
    expect(w.get(2)).toEqual(row(2, 998));
    expect(w.get(7)).toEqual(rows[2]);
    expect(w.get(3)).toBeUndefined();
  });

  it('splices a chunk to the same bytes as from a Map of the rows', () => {
    const t1 = tables();
    const t2 = tables();
    const before = [row(1, 10), row(2, 11), row(3, 12), row(5, 13), row(6, 14)];
    const old1 = encodeChunk(before, t1);
    const old2 = encodeChunk(before, t2);
    const now = [row(2, 20), row(3, 21, 'ünï'), row(6, 22), row(7, 23)];
    const w = new WrittenRows(2);
    for (const r of now) add(w, r);
    const ids = [1, 2, 3, 5, 6, 7];
    const fromMap = spliceChunk(old1, ids, new Map(now.map((r) => [r[0], r])), new Set(), t1);
    expect(spliceChunk(old2, ids, w, new Set(), t2)).toEqual(fromMap);
    expect(fromMap).toEqual(encodeChunk([row(1, 10), ...now.slice(0, 2), row(5, 13), ...now.slice(2)], tables()));
  });
});
