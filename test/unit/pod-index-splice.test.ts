import { describe, expect, it } from 'vitest';
import { encodeChunk, spliceChunk, StringTable, type IndexRow, type IndexTables } from '../../src/store/pod-index';

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
