import { describe, expect, it } from 'vitest';
import { LoadedKeys, LoadedPods } from '../../src/store/loaded-pods';
import { Slot } from '../../src/store/object-store';

describe('the loaded pods’ key columns', () => {
  it("gives a key's positions in load order, across the several owner lists that name it, and again after more loads", () => {
    const keys = new LoadedKeys();
    const rs1 = ['rs-1'];
    const both = ['rs-1', 'rs-2'];
    const rs2 = ['rs-2'];
    // (another array of the same uids is another id: found all the same)
    for (const owners of [rs1, rs2, both, rs1, ['rs-2'], both, rs2]) keys.add(owners);
    expect(Array.from(keys.positions('rs-1'))).toEqual([0, 2, 3, 5]);
    expect(Array.from(keys.positions('rs-2'))).toEqual([1, 2, 4, 5, 6]);
    expect(Array.from(keys.positions('rs-3'))).toEqual([]);
    expect([keys.named('rs-2'), keys.named('rs-3')]).toEqual([true, false]);
    keys.add(['rs-3']);
    keys.add(rs1);
    expect(Array.from(keys.positions('rs-1'))).toEqual([0, 2, 3, 5, 8]);
    expect(Array.from(keys.positions('rs-3'))).toEqual([7]);
    expect([...keys.keys()].sort()).toEqual(['rs-1', 'rs-2', 'rs-3']);
  });

  it('files node names by value', () => {
    const keys = new LoadedKeys();
    for (let i = 0; i < 1000; i++) keys.add(`n${i % 7}`);
    expect(Array.from(keys.positions('n3'))).toEqual(Array.from({ length: 143 }, (_, k) => 3 + 7 * k).filter((i) => i < 1000));
    expect(Array.from(keys.positions('n7'))).toEqual([]);
    expect(keys.count).toBe(1000);
  });

  it('finds a loaded pod by row id while the row ids rise, and cannot tell once they did not', () => {
    const pods = new LoadedPods();
    const slots = [3, 5, 9, 20].map((rowid) => new Slot('default', `p${rowid}`, rowid));
    for (const slot of slots) pods.add(slot, 'n1', []);
    expect(pods.byRowid(9)).toBe(slots[2]);
    expect(pods.byRowid(3)).toBe(slots[0]);
    expect(pods.byRowid(20)).toBe(slots[3]);
    expect(pods.byRowid(4)).toBeUndefined();
    expect(pods.byRowid(21)).toBeUndefined();
    expect(pods.at(pods.nodes.positions('n1'))).toEqual(slots);
    pods.add(new Slot('default', 'late', 7), 'n1', []);
    expect(pods.byRowid(9)).toBeNull();
  });
});
