import { describe, it, expect } from 'vitest';
import { eventBucket, eventsText, HeldEvents, parseEvents, type EventEntry } from '../../src/store/event-rows';
import type { EventRecord } from '../../src/model/objects';

/*
 * The rows HeldEvents writes must be byte for byte those the entries held as arrays made
 * (schema 9 files written before it, and by it, read the same): the oracle below is the
 * encoder as it was (event-rows.ts before HeldEvents), the entries grouped by bucket as the
 * event log held them, and the byte estimate that decided when the log wrote.
 */
const TEMPLATES = [
  {
    tag: 1,
    kind: 'Pod',
    reason: 'Scheduled',
    source: 'default-scheduler',
    before: ['Successfully assigned ', 'NS', '/', 'NAME', ' to '],
    after: '',
    host: false,
    fieldPath: false,
  },
  {
    tag: 3,
    kind: 'ReplicaSet',
    reason: 'SuccessfulCreate',
    source: 'replicaset-controller',
    before: ['Created pod: '],
    after: '',
    host: false,
    fieldPath: false,
  },
  { tag: 4, kind: 'Pod', reason: 'Pulling', source: 'kubelet', before: ['Pulling image "'], after: '"', host: true, fieldPath: true },
];

function oldTagged(e: EventEntry): unknown[] | undefined {
  const t = TEMPLATES.find((x) => x.reason === e[6]);
  if (!t || e[1] !== t.kind || e[5] !== 'Normal' || e[8] !== t.source || e[10] !== 1 || e[11] !== e[12]) return undefined;
  if (t.fieldPath ? e.length !== 15 || e[13] !== null || typeof e[14] !== 'string' : e.length !== 13) return undefined;
  if (!t.host && e[9] !== null) return undefined;
  const message = e[7];
  let at = 0;
  for (const part of t.before) {
    const text = part === 'NS' ? e[0] : part === 'NAME' ? e[2] : part;
    if (!message.startsWith(text, at)) return undefined;
    at += text.length;
  }
  const end = message.length - t.after.length;
  if (end < at || !message.endsWith(t.after)) return undefined;
  const out: unknown[] = [t.tag, e[0], e[2], e[3], e[4], message.slice(at, end), e[11]];
  if (t.host) out.push(e[9]);
  if (t.fieldPath) out.push(e[14]);
  return out;
}

function oldContainerOf(fieldPath: string | undefined): string | undefined {
  const open = fieldPath?.indexOf('{') ?? -1;
  return open >= 0 && fieldPath!.endsWith('}') ? fieldPath!.slice(open + 1, -1) : undefined;
}

function oldNext(a: EventEntry, b: EventEntry, reason: string, message: string): boolean {
  return (
    b[6] === reason &&
    b[7] === message &&
    b[3] === a[3] + 1 &&
    b[2] === a[2] &&
    b[0] === a[0] &&
    b[1] === a[1] &&
    b[4] === a[4] &&
    b[5] === a[5] &&
    b[8] === a[8] &&
    b[9] === a[9] &&
    b[10] === 1 &&
    b[11] === a[11] &&
    b[12] === a[12] &&
    b[13] == null &&
    b[14] === a[14] &&
    b.length === a.length
  );
}

function oldEventsText(entries: EventEntry[]): string {
  let out: unknown[] | undefined;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const short = oldTagged(e);
    if (short) {
      out ??= entries.slice(0, i);
      out.push(short);
      continue;
    }
    const container = e[6] === 'Pulled' && e[10] === 1 && e[11] === e[12] && e[13] == null ? oldContainerOf(e[14]) : undefined;
    if (
      container !== undefined &&
      i + 2 < entries.length &&
      oldNext(e, entries[i + 1], 'Created', `Created container: ${container}`) &&
      oldNext(entries[i + 1], entries[i + 2], 'Started', `Started container ${container}`)
    ) {
      out ??= entries.slice(0, i);
      if (e[1] === 'Pod' && e[5] === 'Normal' && e.length === 15) out.push([2, e[0], e[2], e[3], e[4], e[7], e[8], e[9], e[11], e[14]]);
      else {
        const started = e.slice() as EventEntry;
        started[6] = '$started';
        out.push(started);
      }
      i += 2;
    } else out?.push(e);
  }
  return JSON.stringify(out ?? entries);
}

function oldEntryBytes(e: EventEntry): number {
  let n = 2;
  for (const v of e) n += typeof v === 'string' ? v.length + 3 : 16;
  return n;
}

/** The entry the event log made of a record. */
function entryOf(e: EventRecord, seq: number, at: number): EventEntry {
  const entry: EventEntry = [
    e.involved.namespace ?? 'default',
    e.involved.kind,
    e.involved.name,
    seq,
    e.involved.uid ?? '',
    e.type,
    e.reason,
    e.message,
    e.source,
    e.host ?? null,
    1,
    at,
    at,
  ];
  if (e.involved.fieldPath) entry.push(null, e.involved.fieldPath);
  return entry;
}

/** The rows of entries held by bucket as arrays, written when the estimate passed `every` bytes. */
function oldRows(entries: EventEntry[], every: number): [number, string][][] {
  const writes: [number, string][][] = [];
  let held = new Map<number, EventEntry[]>();
  let bytes = 0;
  const write = () => {
    writes.push([...held.keys()].sort((a, b) => a - b).map((b) => [b, oldEventsText(held.get(b)!)]));
    held = new Map();
    bytes = 0;
  };
  for (const e of entries) {
    const b = eventBucket(e[0], e[1], e[2]);
    if (!held.has(b)) held.set(b, []);
    held.get(b)!.push(e);
    bytes += oldEntryBytes(e);
    if (bytes >= every) write();
  }
  write();
  return writes.filter((w) => w.length);
}

/** A seeded generator (the same cases each run). */
function lcg(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    // (the high bits: an LCG's low bits repeat with a short period)
    return Math.floor((s / 2 ** 32) * n);
  };
}

/** Records as the cluster makes them, with near misses of each template and broken container starts. */
function records(count: number, seed: number): EventRecord[] {
  const pick = lcg(seed);
  const one = <T>(xs: readonly T[]): T => xs[pick(xs.length)];
  const out: EventRecord[] = [];
  const namespaces = ['default', 'kube-system', 'ns-"q"', ''];
  const names = ['web-1', 'web-2', 'db-0', 'x\\y', 'é✓', 'tab\tname', '\ud800lone'];
  const nodes = ['node-1', 'node-22', 'n"3'];
  const images = ['nginx:1.27', 'registry.example/app:3', 'q"uote'];
  while (out.length < count) {
    const name = one(names);
    const namespace = pick(5) === 0 ? undefined : one(namespaces);
    const ns = namespace ?? 'default';
    const uid = pick(6) === 0 ? undefined : `uid-${name}`;
    const pod = { kind: 'Pod', name, namespace, uid };
    const node = one(nodes);
    const image = one(images);
    const miss = pick(4) === 0;
    switch (pick(7)) {
      case 0:
        out.push({
          involved: pick(8) === 0 ? { ...pod, kind: 'Other' } : pod,
          type: pick(8) === 0 ? 'Warning' : 'Normal',
          reason: 'Scheduled',
          message: miss
            ? one([
                `Successfully assigned ${ns}/x to ${node}`,
                `Successfully assigned other/${name} to ${node}`,
                'Binding rejected',
                `Successfully assigned ${ns}/${name} onto ${node}`,
              ])
            : `Successfully assigned ${ns}/${name} to ${node}`,
          source: pick(8) === 0 ? 'my-scheduler' : 'default-scheduler',
          ...(pick(8) === 0 ? { host: node } : {}),
        });
        break;
      case 1:
        out.push({
          involved: {
            kind: pick(8) === 0 ? 'ReplicationController' : 'ReplicaSet',
            name: `${name}-rs`,
            namespace,
            uid: 'rs-uid',
            ...(pick(8) === 0 ? { fieldPath: 'spec' } : {}),
          },
          type: pick(8) === 0 ? 'Warning' : 'Normal',
          reason: 'SuccessfulCreate',
          message: miss ? `Created pod ${name}` : `Created pod: ${name}-${pick(100)}`,
          source: pick(8) === 0 ? 'daemonset-controller' : 'replicaset-controller',
        });
        break;
      case 2:
        out.push({
          involved: miss && pick(2) ? pod : { ...pod, fieldPath: `spec.containers{${one(['app', 'side'])}}` },
          type: pick(8) === 0 ? 'Warning' : 'Normal',
          reason: 'Pulling',
          message: miss ? one([`Pulling image "${image}`, `Pulling image ${image}"`, '"', 'Pulling image "']) : `Pulling image "${image}"`,
          source: 'kubelet',
          ...(pick(5) === 0 ? {} : { host: pick(6) === 0 ? '' : node }),
        });
        break;
      case 3:
      case 4: {
        // a container start: Pulled, Created, Started in a row, now and then broken
        const container = one(['app', 'side', 'a{b']);
        const ref = { ...pod, fieldPath: pick(8) === 0 ? 'spec.initContainers' : `spec.containers{${container}}` };
        const type = pick(8) === 0 ? 'Warning' : 'Normal';
        const host = pick(8) === 0 ? undefined : node;
        const steps: EventRecord[] = [
          { involved: ref, type, reason: 'Pulled', message: `Successfully pulled image "${image}" in 1s`, source: 'kubelet', host },
          { involved: ref, type, reason: 'Created', message: `Created container: ${container}`, source: 'kubelet', host },
          { involved: ref, type, reason: 'Started', message: `Started container ${container}`, source: 'kubelet', host },
        ];
        if (miss) {
          const broken = pick(4);
          if (broken === 0) steps.splice(1 + pick(2), 1);
          else if (broken === 1) steps[1 + pick(2)] = { ...steps[1], message: 'Created container: other' };
          else if (broken === 2) steps[1 + pick(2)].involved = { ...ref, name: `${name}-other` };
          else {
            // another event of the pod between: one as it is, or one a template takes
            const between: EventRecord = pick(2)
              ? { involved: pod, type: 'Normal', reason: 'Killing', message: 'm', source: 'kubelet' }
              : { involved: ref, type: 'Normal', reason: 'Pulling', message: `Pulling image "${image}"`, source: 'kubelet', host: node };
            steps.splice(1 + pick(2), 0, between);
          }
        }
        out.push(...steps);
        break;
      }
      default:
        out.push({
          involved: one([pod, { kind: 'Node', name: node, namespace: '' }]),
          type: 'Normal',
          reason: one(['Killing', 'Pulled', 'BackOff']),
          message: `m "${name}"`,
          source: 'kubelet',
          host: node,
        });
    }
  }
  return out;
}

describe('events held as columns (HeldEvents)', () => {
  it('writes the rows, at the points, the entries held as arrays wrote', () => {
    for (const [seed, every] of [
      [1, 4 << 20],
      [2, 2000],
      [3, 700],
      [4, 150],
    ]) {
      const recs = records(3000, seed);
      const at = (i: number) => (i % 50 === 0 ? NaN : 1_000 * Math.floor(i / 7));
      const entries = recs.map((r, i) => entryOf(r, 100 + i, at(i)));
      const expected = oldRows(entries, every);
      for (const fromRecords of [true, false]) {
        const held = new HeldEvents();
        const writes: [number, string][][] = [];
        recs.forEach((r, i) => {
          if (fromRecords) held.record(r, r.involved.namespace ?? 'default', 100 + i, at(i));
          else held.add(entries[i]);
          if (held.bytes >= every) writes.push(held.take());
        });
        writes.push(held.take());
        expect(writes.filter((w) => w.length)).toEqual(expected);
      }
    }
  });

  it('makes a list of entries the text the encoder made, and reads it back', () => {
    for (let seed = 10; seed < 30; seed++) {
      const entries = records(200, seed).map((r, i) => entryOf(r, i + 1, 5_000));
      // one object's run, as a bucket holds it
      const text = eventsText(entries);
      expect(text).toBe(oldEventsText(entries));
      expect(parseEvents(text)).toEqual(entries);
    }
  });

  it('finds the entries held for an object, a container start still pending among them', () => {
    const held = new HeldEvents();
    const pod = { kind: 'Pod', name: 'web-1', namespace: 'default', uid: 'u1' };
    const ref = { ...pod, fieldPath: 'spec.containers{app}' };
    held.record(
      {
        involved: pod,
        type: 'Normal',
        reason: 'Scheduled',
        message: 'Successfully assigned default/web-1 to node-1',
        source: 'default-scheduler',
      },
      'default',
      1,
      10,
    );
    held.record(
      { involved: ref, type: 'Normal', reason: 'Pulled', message: 'already present', source: 'kubelet', host: 'node-1' },
      'default',
      2,
      20,
    );
    const bucket = eventBucket('default', 'Pod', 'web-1');
    const filter = { namespace: 'default', kind: 'Pod', name: 'web-1', uid: 'u1' };
    expect(held.find(bucket, filter).map((e) => e[6])).toEqual(['Scheduled', 'Pulled']);
    expect(held.find(bucket, { ...filter, reason: 'Pulled', lastTs: 20 })).toHaveLength(1);
    expect(held.find(bucket, { ...filter, uid: 'u2' })).toEqual([]);
    expect(held.take().map(([b]) => b)).toEqual([bucket]);
    expect(held.find(bucket, filter)).toEqual([]);
  });
});
