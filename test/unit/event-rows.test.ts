import { describe, it, expect } from 'vitest';
import {
  aggregateEvents,
  compactBucket,
  eventBucket,
  EVENT_BUCKETS,
  EVENT_TTL_MS,
  eventsText,
  liveEvents,
  parseEvents,
  matchesEvent,
  storedEvent,
  type EventEntry,
} from '../../src/store/event-rows';

const ev = (
  seq: number,
  reason: string,
  message: string,
  at: number,
  opts: { uid?: string; name?: string; count?: number } = {},
): EventEntry => [
  'default',
  'Pod',
  opts.name ?? 'web-1',
  seq,
  opts.uid ?? 'u1',
  'Normal',
  reason,
  message,
  'kubelet',
  'node-1',
  opts.count ?? 1,
  at,
  at,
];

describe('stored events (state schema 4)', () => {
  it('aggregates equal events when read: counted, first seen at the earliest, last seen at the latest', () => {
    const out = aggregateEvents([
      [ev(1, 'Pulled', 'already present', 10), ev(2, 'Started', 'Started container app', 10), ev(3, 'Pulled', 'already present', 50)],
    ]);
    // seq names the event (its first occurrence); the last element is the latest's, for ordering
    expect(out).toEqual([
      ev(2, 'Started', 'Started container app', 10),
      ['default', 'Pod', 'web-1', 1, 'u1', 'Normal', 'Pulled', 'already present', 'kubelet', 'node-1', 2, 10, 50, 3],
    ]);
  });

  it("keeps a container's events apart from the pod's and another container's (fieldPath), and reads rows without one", () => {
    const at = (seq: number, fieldPath?: string): EventEntry => {
      const entry = ev(seq, 'Started', 'Started container', 10);
      if (fieldPath) [entry[13], entry[14]] = [null, fieldPath];
      return entry;
    };
    const out = aggregateEvents([[at(1, 'spec.containers{app}'), at(2, 'spec.containers{sidecar}'), at(3, 'spec.containers{app}'), at(4)]]);
    // all last seen at 10: in the order of their latest occurrence (3 for app's two)
    expect(out.map((e) => [e[3], e[10], e[14]])).toEqual([
      [2, 1, 'spec.containers{sidecar}'],
      [1, 2, 'spec.containers{app}'],
      [4, 1, undefined],
    ]);
    expect(storedEvent(out[1]).involved).toEqual({
      namespace: 'default',
      kind: 'Pod',
      name: 'web-1',
      uid: 'u1',
      fieldPath: 'spec.containers{app}',
    });
    expect(storedEvent(out[2]).involved).toEqual({ namespace: 'default', kind: 'Pod', name: 'web-1', uid: 'u1' });
  });

  it('adds up counts an older schema stored, whatever order the rows come in', () => {
    const out = aggregateEvents([[ev(9, 'BackOff', 'm', 90, { count: 1 }), ev(4, 'BackOff', 'm', 40, { count: 3 })]]);
    expect(out).toEqual([['default', 'Pod', 'web-1', 4, 'u1', 'Normal', 'BackOff', 'm', 'kubelet', 'node-1', 4, 40, 90, 9]]);
  });

  it('keeps events of another object, uid, type or message apart', () => {
    const warning: EventEntry = ['default', 'Pod', 'web-1', 5, 'u1', 'Warning', 'Pulled', 'm', 'kubelet', 'node-1', 1, 10, 10];
    const out = aggregateEvents([
      [ev(1, 'Pulled', 'm', 10), ev(2, 'Pulled', 'm', 10, { uid: 'u2' }), ev(3, 'Pulled', 'other', 10)],
      [ev(4, 'Pulled', 'm', 10, { name: 'web-2' }), warning],
    ]);
    expect(out.map((e) => e[3])).toEqual([1, 2, 3, 4, 5]);
  });

  it('orders events last seen at once by their latest occurrence, not their first', () => {
    // Created was first seen long ago; Pulled is new; both were seen again at 50, Pulled first
    const out = aggregateEvents([[ev(1, 'Created', 'm', 10), ev(2, 'Pulled', 'present', 50), ev(3, 'Created', 'm', 50)]]);
    expect(out.map((e) => e[6])).toEqual(['Pulled', 'Created']);
  });

  it('orders by last seen, then by recording order, across groups', () => {
    expect(aggregateEvents([[ev(5, 'a', 'm', 20)], [ev(9, 'b', 'm', 10), ev(2, 'c', 'm', 20)]]).map((e) => e[3])).toEqual([9, 2, 5]);
  });

  it('puts an object in one bucket, and spreads objects over all of them', () => {
    expect(eventBucket('default', 'Pod', 'web-1')).toBe(eventBucket('default', 'Pod', 'web-1'));
    const used = new Set<number>();
    for (let i = 0; i < 20_000; i++) used.add(eventBucket('default', 'Pod', `web-${i}`));
    expect(used.size).toBe(EVENT_BUCKETS);
    // the separator: ("ab", "c") and ("a", "bc") are different objects
    expect(eventBucket('default', 'ab', 'c')).not.toBe(eventBucket('default', 'a', 'bc'));
  });

  it("is the bucket existing state files' rows are in (fixed values)", () => {
    expect(eventBucket('default', 'Pod', 'app-0-7df5d97768-22qd9')).toBe(86);
    expect(eventBucket('', 'Node', 'node-1')).toBe(833);
    expect(eventBucket('kube-system', 'Deployment', 'coredns')).toBe(933);
    expect(eventBucket('é', 'Pod', '✓')).toBe(590);
  });

  it('filters by any of namespace, kind, name, uid, reason and last seen', () => {
    const e = ev(1, 'Pulled', 'm', 10);
    expect(matchesEvent(e, {})).toBe(true);
    expect(matchesEvent(e, { namespace: 'default', kind: 'Pod', name: 'web-1', uid: 'u1', reason: 'Pulled', lastTs: 10 })).toBe(true);
    for (const f of [
      { namespace: 'kube-system' },
      { kind: 'Node' },
      { name: 'web-2' },
      { uid: 'u2' },
      { reason: 'Started' },
      { lastTs: 11 },
    ])
      expect(matchesEvent(e, f)).toBe(false);
  });

  it('lets an event go an hour after it was last seen (kube-apiserver --event-ttl)', () => {
    const out = aggregateEvents([[ev(1, 'Pulled', 'm', 0), ev(2, 'Started', 'm', 0), ev(3, 'Pulled', 'm', 30 * 60_000)]]);
    expect(liveEvents(out, EVENT_TTL_MS - 1).map((e) => e[6])).toEqual(['Started', 'Pulled']);
    expect(liveEvents(out, EVENT_TTL_MS).map((e) => e[6])).toEqual(['Pulled']);
    expect(liveEvents(out, EVENT_TTL_MS + 30 * 60_000)).toEqual([]);
  });

  it('compacts a bucket: expired events go, the entries of a live event become one, in the first row', () => {
    const hour = EVENT_TTL_MS;
    const rows = [
      { id: 3, entries: [ev(1, 'Scheduled', 'm', 0), ev(2, 'BackOff', 'm', 0)] },
      { id: 7, entries: [ev(5, 'BackOff', 'm', hour)] },
      { id: 9, entries: [ev(8, 'BackOff', 'm', 2 * hour)] },
    ];
    expect(compactBucket(rows, 2 * hour)).toEqual({
      keep: { id: 3, entries: [['default', 'Pod', 'web-1', 2, 'u1', 'Normal', 'BackOff', 'm', 'kubelet', 'node-1', 3, 0, 2 * hour, 8]] },
      remove: [7, 9],
    });
    expect(compactBucket([{ id: 1, entries: [ev(1, 'Scheduled', 'm', 0)] }], hour)).toEqual({ remove: [1] });
    // one row of live, distinct events: nothing to rewrite
    expect(compactBucket([{ id: 1, entries: [ev(1, 'Scheduled', 'm', 0), ev(2, 'Pulled', 'm', 0)] }], 10)).toBeUndefined();
  });
});

describe("a pod's Scheduled event stored without its constant parts (state schema 9)", () => {
  const scheduled = (seq: number, name: string, message: string, opts: Partial<Record<number, unknown>> = {}): EventEntry =>
    Object.assign(
      ['default', 'Pod', name, seq, 'u1', 'Normal', 'Scheduled', message, 'default-scheduler', null, 1, 500, 500],
      opts,
    ) as EventEntry;

  it('writes the namespace, name, seq, uid, node and instant, and reads the event back', () => {
    const entries = [scheduled(7, 'web-1', 'Successfully assigned default/web-1 to node-3'), ev(8, 'Pulling', 'm', 600)];
    expect(JSON.parse(eventsText(entries))).toEqual([[1, 'default', 'web-1', 7, 'u1', 'node-3', 500], entries[1]]);
    expect(parseEvents(eventsText(entries))).toEqual(entries);
  });

  it('stores as it is a Scheduled entry the tagged form would not make again', () => {
    const cases: EventEntry[] = [
      scheduled(1, 'web-1', 'Successfully assigned default/web-2 to node-3'),
      scheduled(1, 'web-1', 'Successfully assigned other/web-1 to node-3'),
      scheduled(1, 'web-1', 'Successfully assigned default/web-1 onto node-3'),
      scheduled(1, 'web-1', 'Binding rejected'),
      scheduled(1, 'web-1', 'Successfully assigned default/web-1 to node-3', { 5: 'Warning' }),
      scheduled(1, 'web-1', 'Successfully assigned default/web-1 to node-3', { 1: 'Other' }),
      scheduled(1, 'web-1', 'Successfully assigned default/web-1 to node-3', { 8: 'my-scheduler' }),
      scheduled(1, 'web-1', 'Successfully assigned default/web-1 to node-3', { 9: 'node-3' }),
      scheduled(1, 'web-1', 'Successfully assigned default/web-1 to node-3', { 10: 2 }),
      scheduled(1, 'web-1', 'Successfully assigned default/web-1 to node-3', { 11: 400 }),
      [...scheduled(1, 'web-1', 'Successfully assigned default/web-1 to node-3'), 4] as unknown as EventEntry,
    ];
    for (const e of cases) {
      expect(eventsText([e])).toBe(JSON.stringify([e]));
      expect(parseEvents(eventsText([e]))).toEqual([e]);
    }
  });
});

describe("a ReplicaSet's SuccessfulCreate and a pod's Pulling stored without their constant parts (state schema 9)", () => {
  const created = (seq: number, message: string, opts: Partial<Record<number, unknown>> = {}): EventEntry =>
    Object.assign(
      ['default', 'ReplicaSet', 'web-5d8', seq, 'rs1', 'Normal', 'SuccessfulCreate', message, 'replicaset-controller', null, 1, 9, 9],
      opts,
    ) as EventEntry;
  const pulling = (seq: number, message: string, opts: Partial<Record<number, unknown>> = {}): EventEntry =>
    Object.assign(
      ['default', 'Pod', 'web-1', seq, 'u1', 'Normal', 'Pulling', message, 'kubelet', 'node-2', 1, 9, 9, null, 'spec.containers{app}'],
      opts,
    ) as EventEntry;

  it('writes the variable part of the message (and the host and field path of a Pulling) and reads the events back', () => {
    const entries = [created(1, 'Created pod: web-5d8-abcde'), pulling(2, 'Pulling image "nginx:1.27"')];
    expect(JSON.parse(eventsText(entries))).toEqual([
      [3, 'default', 'web-5d8', 1, 'rs1', 'web-5d8-abcde', 9],
      [4, 'default', 'web-1', 2, 'u1', 'nginx:1.27', 9, 'node-2', 'spec.containers{app}'],
    ]);
    expect(parseEvents(eventsText(entries))).toEqual(entries);
  });

  it('stores as it is an entry its template would not make again', () => {
    const cases: EventEntry[] = [
      created(1, 'Created pod web-5d8-abcde'),
      created(1, 'Created pod: x', { 1: 'ReplicationController' }),
      created(1, 'Created pod: x', { 8: 'daemonset-controller' }),
      created(1, 'Created pod: x', { 10: 3 }),
      pulling(1, 'Pulling image "nginx'),
      pulling(1, 'Pulling image nginx"'),
      pulling(1, 'Pulling image "x"', { 13: 7 }),
      pulling(1, 'Pulling image "x"', { 12: 10 }),
      pulling(1, 'Pulling image "x"', { 5: 'Warning' }),
      pulling(1, 'Pulling image "x"').slice(0, 13) as EventEntry,
    ];
    for (const e of cases) {
      expect(eventsText([e])).toBe(JSON.stringify([e]));
      expect(parseEvents(eventsText([e]))).toEqual([e]);
    }
    // a host of null, as an event may have
    const noHost = pulling(1, 'Pulling image "x"', { 9: null });
    expect(parseEvents(eventsText([noHost]))).toEqual([noHost]);
  });
});

describe('a container start stored as one entry (state schema 8)', () => {
  const path = (name: string) => `spec.containers{${name}}`;
  const at = (e: EventEntry, fieldPath: string): EventEntry => [...e.slice(0, 13), null, fieldPath] as unknown as EventEntry;
  const start = (seq: number, name: string, container: string, t: number): EventEntry[] => [
    at(
      ev(seq, 'Pulled', `Successfully pulled image "nginx" in 1s (1s including waiting). Image size: 5 bytes.`, t, { name }),
      path(container),
    ),
    at(ev(seq + 1, 'Created', `Created container: ${container}`, t, { name }), path(container)),
    at(ev(seq + 2, 'Started', `Started container ${container}`, t, { name }), path(container)),
  ];

  it('writes Pulled, Created and Started of one container as one entry and reads the three back', () => {
    const entries = [
      ev(1, 'Scheduled', 'm', 0),
      ...start(2, 'web-1', 'app', 1000),
      ...start(5, 'web-1', 'side', 1000),
      ev(8, 'Killing', 'x', 9),
    ];
    const text = eventsText(entries);
    expect((JSON.parse(text) as unknown[]).length).toBe(4);
    expect(parseEvents(text)).toEqual(entries);
  });

  it('stores a start of type Normal of a pod without its constant parts (schema 9), any other as schema 8 did', () => {
    const entries = start(2, 'web-1', 'app', 1000);
    expect(JSON.parse(eventsText(entries))).toEqual([
      [2, 'default', 'web-1', 2, 'u1', entries[0][7], 'kubelet', 'node-1', 1000, 'spec.containers{app}'],
    ]);
    const warning = entries.map((e) => Object.assign(e.slice(), { 5: 'Warning' }) as EventEntry);
    expect((JSON.parse(eventsText(warning)) as EventEntry[])[0][6]).toBe('$started');
    for (const list of [entries, warning]) expect(parseEvents(eventsText(list))).toEqual(list);
  });

  it('leaves alone what is not one start: another pod between, another instant, a gap in seq, an aggregated entry', () => {
    const [pulled, created, started] = start(1, 'web-1', 'app', 1000);
    const cases: EventEntry[][] = [
      [pulled, at(ev(2, 'Created', 'Created container: app', 1000, { name: 'web-2' }), path('app')), started],
      [pulled, created, at(ev(3, 'Started', 'Started container app', 2000), path('app'))],
      [pulled, created, at(ev(4, 'Started', 'Started container app', 1000), path('app'))],
      [pulled, at(ev(2, 'Created', 'Created container: other', 1000), path('app')), started],
      [at(ev(1, 'Pulled', 'm', 1000, { count: 2 }), path('app')), created, started],
      [pulled, created],
    ];
    for (const entries of cases) {
      const text = eventsText(entries);
      expect(text).toBe(JSON.stringify(entries));
      expect(parseEvents(text)).toEqual(entries);
    }
  });
});
