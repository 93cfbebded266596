import { describe, it, expect } from 'vitest';
import { byLastSeen, mergeEventRows, ObjectEvents, type EventTuple } from '../../src/store/event-rows';

const ev = (seq: number, reason: string, message: string, at: number, uid = 'u1'): EventTuple => [seq, uid, 'Normal', reason, message, 'kubelet', 'node-1', 1, at, at];

describe('one object\'s events (state schema 4)', () => {
  it('counts an equal event up and keeps the first one\'s seq and first timestamp', () => {
    const events = new ObjectEvents();
    events.add(ev(1, 'Pulled', 'already present', 10));
    events.add(ev(2, 'Started', 'Started container app', 10));
    events.add(ev(3, 'Pulled', 'already present', 50));
    expect(events.list).toEqual([[1, 'u1', 'Normal', 'Pulled', 'already present', 'kubelet', 'node-1', 2, 10, 50], ev(2, 'Started', 'Started container app', 10)]);
  });

  it('keeps events of another uid, type or message apart', () => {
    const events = new ObjectEvents();
    events.add(ev(1, 'Pulled', 'm', 10));
    events.add(ev(2, 'Pulled', 'm', 10, 'u2'));
    events.add(ev(3, 'Pulled', 'other', 10));
    events.add([4, 'u1', 'Warning', 'Pulled', 'm', 'kubelet', 'node-1', 1, 10, 10]);
    expect(events.list.map((e) => e[0])).toEqual([1, 2, 3, 4]);
  });

  it('aggregates the same way once a long list is indexed', () => {
    const events = new ObjectEvents();
    for (let i = 0; i < 40; i++) events.add(ev(i, 'SuccessfulCreate', `Created pod: web-${i}`, i));
    events.add(ev(100, 'SuccessfulCreate', 'Created pod: web-3', 500));
    events.add(ev(101, 'SuccessfulCreate', 'Created pod: web-40', 500));
    expect(events.list).toHaveLength(41);
    expect(events.list[3].slice(7)).toEqual([2, 3, 500]);
    expect(events.list[40][0]).toBe(101);
  });

  it('merges a command\'s new events into the stored row', () => {
    const stored = JSON.stringify([ev(1, 'BackOff', 'Back-off pulling image "x"', 10), ev(2, 'Failed', 'Error: ImagePullBackOff', 10)]);
    const merged = JSON.parse(mergeEventRows(stored, JSON.stringify([ev(7, 'BackOff', 'Back-off pulling image "x"', 40), ev(8, 'Killing', 'Stopping container app', 40)])));
    expect(merged).toEqual([[1, 'u1', 'Normal', 'BackOff', 'Back-off pulling image "x"', 'kubelet', 'node-1', 2, 10, 40], ev(2, 'Failed', 'Error: ImagePullBackOff', 10), ev(8, 'Killing', 'Stopping container app', 40)]);
  });

  it('orders by last seen, then by recording order', () => {
    const list = [ev(5, 'a', 'm', 20), ev(9, 'b', 'm', 10), ev(2, 'c', 'm', 20)];
    expect(list.sort(byLastSeen).map((e) => e[0])).toEqual([9, 2, 5]);
  });
});
