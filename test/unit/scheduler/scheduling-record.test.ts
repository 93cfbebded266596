import { describe, it, expect } from 'vitest';
import {
  countedName,
  encodeNodeNames,
  expandRecord,
  RESULT_ANNOTATIONS,
  type CompactRecord,
} from '../../../src/api/scheduling-annotations';
import { compactRecordText, compactRecordTextByParts, encodeEvaluatedNames } from '../../../src/scheduler/scheduling-record';
import { newCycleRecord, Scheduler, type CycleRecord } from '../../../src/scheduler/scheduler';
import type { NodeInfo } from '../../../src/scheduler/node-info';
import { unschedulable } from '../../../src/scheduler/status';
import { Random } from '../../../src/util/random';
import { withExpandedRecord } from '../../../src/api/scheduling-annotations';
import { cluster, node, NOW, pod, schedule, snapshotOf } from './fixtures';
import { DEFAULT_PROFILES } from '../../../src/scheduler/profile';
import { ScoreColumns, type ScoreRecord } from '../../../src/scheduler/framework';
import { podInfoOf } from '../../../src/scheduler/pod-info';
import { explainPod } from '../../../src/scheduler/explain';
import type { ObjectStore } from '../../../src/store/object-store';

/** What the record reads of a node: its name and counted name. */
function nodesNamed(names: string[]): NodeInfo[] {
  return names.map((name) => ({ name, countedName: countedName(name) }) as unknown as NodeInfo);
}

/** A record of `count` nodes evaluated from `start`, wrapping past the end of the list. */
function recordOver(names: string[], start: number, count: number): CycleRecord {
  return { ...newCycleRecord(), nodes: nodesNamed(names), start, count };
}

/** The evaluated names in order, as the recorder used to list them. */
function flattened(names: string[], start: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => names[(start + i) % names.length]);
}

describe('scheduling records written from the cycle', () => {
  it('writes the evaluated range of the node list as encodeNodeNames writes the names listed', () => {
    // a run across the wrap: the list's last nodes count on into its first
    const names = ['a-3', 'a-4', 'b', 'a-1', 'a-2'];
    expect(encodeEvaluatedNames(recordOver(names, 3, 5))).toBe('a-[1-4],b');
    expect(encodeEvaluatedNames(recordOver(names, 3, 3))).toBe('a-[1-3]');
    expect(encodeEvaluatedNames(recordOver(names, 3, 2))).toBe('a-1,a-2');
    expect(encodeEvaluatedNames(recordOver(names, 4, 3))).toBe('a-[2-4]');
    expect(encodeEvaluatedNames(recordOver(names, 0, 0))).toBe('');
    // random lists of runs, breaks and uncounted names, every start and length
    const random = Random.fromSeed(7);
    for (let round = 0; round < 200; round++) {
      const n = 1 + random.int(12);
      const list: string[] = [];
      let counter = random.int(5);
      for (let i = 0; i < n; i++) {
        const r = random.int(10);
        if (r === 0) list.push(`x${i}y`);
        else if (r === 1) counter += 2;
        else if (r === 2) list.push(`gpu-${i}`);
        if (list.length === i) list.push(`node-${counter++}`);
      }
      for (let start = 0; start < n; start++)
        for (let count = 0; count <= n; count++)
          expect(encodeEvaluatedNames(recordOver(list, start, count)), `${list.join(',')} from ${start}, ${count}`).toBe(
            encodeNodeNames(flattened(list, start, count)),
          );
    }
  });

  it('keeps only the rejected nodes, and serves every evaluated node with its verdict', () => {
    const record: CycleRecord = {
      ...recordOver(['node-1', 'node-2', 'node-3', 'node-4'], 2, 4),
      filterPlugins: ['NodeUnschedulable', 'TaintToleration'],
      rejectedAt: [1, 3],
      rejected: [
        unschedulable('TaintToleration', 'node(s) had untolerated taint {dedicated: gpu}'),
        unschedulable('TaintToleration', 'node(s) had untolerated taint {dedicated: gpu}'),
      ],
      selected: 'node-3',
    };
    const text = compactRecordText(record);
    // valid JSON in CompactRecord's key order
    expect(JSON.stringify(JSON.parse(text))).toBe(text);
    const compact = JSON.parse(text) as CompactRecord;
    expect(compact).toEqual({
      filterPlugins: ['NodeUnschedulable', 'TaintToleration'],
      nodes: 'node-3,node-4,node-1,node-2',
      rejected: [
        [1, 1, 0],
        [3, 1, 0],
      ],
      messages: ['node(s) had untolerated taint {dedicated: gpu}'],
      scorePlugins: [],
      raw: [],
      final: [],
      selected: 'node-3',
    });
    expect(expandRecord(compact)[RESULT_ANNOTATIONS.filter]).toBe(
      '{"node-3":{"NodeUnschedulable":"passed","TaintToleration":"passed"},' +
        '"node-4":{"NodeUnschedulable":"passed","TaintToleration":"node(s) had untolerated taint {dedicated: gpu}"},' +
        '"node-1":{"NodeUnschedulable":"passed","TaintToleration":"passed"},' +
        '"node-2":{"NodeUnschedulable":"passed","TaintToleration":"node(s) had untolerated taint {dedicated: gpu}"}}',
    );
  });
});

describe('recording a pass', () => {
  const nodes = () => [
    node('node-1', { cpu: '4' }),
    node('node-2', { cpu: '8' }),
    node('node-3', { cpu: '2' }),
    pod('running', { cpu: '1', nodeName: 'node-1' }),
  ];

  it("keeps each pod's own scores though the score columns are reused from cycle to cycle", () => {
    const a = pod('a', { cpu: '1', created: NOW - 2000 });
    const b = pod('b', { cpu: '2', created: NOW - 1000 });
    const store: ObjectStore = cluster([...nodes(), a, b]);
    store.remember('kube-scheduler', '@record-scheduling', true);
    schedule(store);
    const recorded = (name: string) => {
      const annotations = withExpandedRecord(store.get('Pod', 'default', name)!).metadata.annotations ?? {};
      return { score: JSON.parse(annotations[RESULT_ANNOTATIONS.score]), final: JSON.parse(annotations[RESULT_ANNOTATIONS.finalScore]) };
    };
    // a goes first: its cycle is the one a cycle of its own, with columns of its own, finds
    const alone = explainPod(cluster([...nodes(), a]), a);
    if ('error' in alone) throw new Error(alone.error);
    expect(alone.source).toBe('now');
    expect(recorded('a')).toEqual({ score: alone.explanation.score, final: alone.explanation.finalScore });
    const scores = recorded('a').score as Record<string, Record<string, string>>;
    expect(Object.keys(scores)).toEqual(['node-1', 'node-2', 'node-3']);
    expect(new Set(Object.values(scores).map((s) => s.NodeResourcesFit)).size).toBeGreaterThan(1);
    expect(new Set(Object.values(scores).map((s) => s.NodeResourcesBalancedAllocation)).size).toBeGreaterThan(1);
    // and b's scores are b's (a is on a node by then, and b asks for more)
    expect(recorded('b').score).not.toEqual(recorded('a').score);
  });
});

describe('recorded columns read from the scorers’ bytes', () => {
  it('writes the same record as rounding the scores one by one, across the wrap of the node list', () => {
    // 120 nodes, 100 of one size and 20 of two others: a cycle evaluates 100 of them from a start
    // that moves on by 100, so most ranges wrap past the last node; the first cycle sees one
    // score on every node (a column written as one number)
    const sizes = (i: number) => (i < 100 ? '4' : i < 110 ? '8' : '16');
    const objects = Array.from({ length: 120 }, (_, i) => node(`node-${i + 1}`, { cpu: sizes(i), memory: '32Gi' }));
    const profile = DEFAULT_PROFILES.get('default-scheduler')!;
    // the controller's recorder (reused columns: bytes where it can) and explain's (every column scored and rounded)
    const snapshot = snapshotOf(objects);
    const scheduler = new Scheduler(profile, snapshot, Random.fromSeed(3), undefined);
    const plainSnapshot = snapshotOf(objects);
    const plain = new Scheduler(profile, plainSnapshot, Random.fromSeed(3), undefined);
    const columns = new ScoreColumns();
    let fromBytes = 0;
    let wrapped = 0;
    let constant = 0;
    for (let i = 0; i < 60; i++) {
      // (12 request sizes in turn: the scorers keep memos of fewer, so a size's memo is made again
      // while its kept sums are still there)
      const info = podInfoOf(pod(`p-${i}`, { cpu: `${100 * (1 + (i % 12))}m`, memory: `${128 << (i % 2)}Mi` }));
      const record = newCycleRecord(columns);
      const result = scheduler.schedule(info, record);
      const plainRecord = newCycleRecord();
      const plainResult = plain.schedule(info, plainRecord);
      expect(result.kind).toBe('bound');
      const text = compactRecordText(record);
      if (record.scored!.byNode!.some((b) => b !== undefined)) fromBytes++;
      if (record.start + record.count > record.nodes.length) wrapped++;
      if (typeof (JSON.parse(text) as CompactRecord).raw[2] === 'number') constant++;
      expect(text, `pod ${i}`).toBe(compactRecordText(plainRecord));
      // (the constant columns, TaintToleration's 0s and normalized 100s, as the scheduler shares them)
      expect(text, `pod ${i}`).toBe(compactRecordTextByParts(record));
      expect(text, `pod ${i}`).toBe(compactRecordTextByParts(plainRecord));
      if (result.kind === 'bound' && plainResult.kind === 'bound') {
        expect(result.node.name).toBe(plainResult.node.name);
        snapshot.assume(info, result.node);
        plainSnapshot.assume(info, plainResult.node);
      }
    }
    expect(fromBytes).toBe(60);
    expect(wrapped).toBeGreaterThan(30);
    expect(constant).toBeGreaterThan(0);
  });
});

describe('the record written byte by byte', () => {
  /** Names, plugins and messages: plain, needing escapes, Latin-1 past ASCII, and past Latin-1. */
  const texts = [
    'node',
    'a"b',
    'back\\slash',
    'tab\there',
    'line\nbreak',
    'caf\u00e9',
    '\u00ff\u007f',
    'snow\u2603',
    '\ud83d\ude00',
    '\ud800',
  ];

  it('writes what the record put together from strings writes, whatever its texts and columns', () => {
    const random = Random.fromSeed(21);
    const pick = <T>(list: readonly T[]): T => list[random.int(list.length)];
    let latin1 = 0;
    let notLatin1 = 0;
    for (let round = 0; round < 400; round++) {
      // 1 to 40 nodes, counted names or texts, evaluated from any start (wrapping) and any count
      const n = 1 + random.int(40);
      const listed = Array.from({ length: n }, (_, i) =>
        random.int(8) === 0 ? `${pick(texts)}-${i}` : random.int(30) === 0 ? '' : `node-${i + 1}`,
      );
      // (a list turned round: its last names count on into its first, a run across the wrap)
      const turn = random.int(3) === 0 ? random.int(n) : 0;
      const names = [...listed.slice(turn), ...listed.slice(0, turn)];
      const start = random.int(n);
      const count = 1 + random.int(n);
      const filterPlugins = random.int(4) === 0 ? [pick(texts), 'NodeResourcesFit'] : ['NodeUnschedulable', 'NodeResourcesFit'];
      const record: CycleRecord = { ...recordOver(names, start, count), filterPlugins };
      if (random.int(6) === 0) record.preFilterRejected = unschedulable(pick(texts), pick(texts));
      for (let i = 0; i < count; i++)
        if (random.int(5) === 0) {
          record.rejectedAt.push(i);
          // (a plugin not among the filter plugins is written as the first)
          record.rejected.push(
            unschedulable(random.int(3) ? filterPlugins[random.int(2)] : 'Other', random.int(2) ? 'too few cpus' : pick(texts)),
          );
        }
      record.selected = random.int(10) === 0 ? undefined : random.int(4) === 0 ? pick(texts) : names[start];
      if (random.int(5) > 0) record.scored = scoresOf(record, random, random.int(4) === 0 ? pick(texts) : undefined);
      const text = compactRecordText(record);
      expect(text, `round ${round}`).toBe(compactRecordTextByParts(record));
      if (/^[\0-\u00ff]*$/.test(text)) latin1++;
      else notLatin1++;
    }
    expect(latin1).toBeGreaterThan(200);
    expect(notLatin1).toBeGreaterThan(20);
  });

  it('writes base64 as Buffer does, padded, of any length and across the wrap', () => {
    const names = Array.from({ length: 9 }, (_, i) => `node-${i + 1}`);
    const bytes = Uint8Array.from({ length: 9 }, (_, i) => [0, 255, 62, 63, 251, 97, 98, 1, 128][i]);
    for (let start = 0; start < 9; start++)
      for (let count = 2; count <= 9; count++) {
        const record: CycleRecord = { ...recordOver(names, start, count), filterPlugins: ['NodeResourcesFit'], selected: 'node-1' };
        const column = new Float64Array(0);
        record.scored = { plugins: ['NodeResourcesFit'], raw: [column], normalized: [column], weights: [2], byNode: [bytes] };
        const scored = Uint8Array.from({ length: count }, (_, k) => bytes[(start + k) % 9]);
        const compact = JSON.parse(compactRecordText(record)) as CompactRecord;
        const same = scored.every((b) => b === scored[0]);
        expect(compact.raw[0], `${start}, ${count}`).toEqual(same ? scored[0] : `b:${Buffer.from(scored).toString('base64')}`);
        expect(compact.final[0]).toEqual(same ? 2 * scored[0] : 'w:2');
      }
  });
});

/**
 * Score columns of every kind the recorder gives the encoder: a scorer's bytes (whole scores by
 * node index), columns of one score (fractions, negative, whole), varying columns (whole,
 * fractional, past a byte, negative), normalized columns of their own, weights whole or not.
 */
function scoresOf(record: CycleRecord, random: Random, oddPlugin: string | undefined): ScoreRecord {
  const scored = record.count - record.rejected.length;
  const n = record.nodes.length;
  const scores: ScoreRecord = { plugins: [], raw: [], normalized: [], weights: [], byNode: [] };
  const plugins = 1 + random.int(7);
  for (let p = 0; p < plugins; p++) {
    scores.plugins.push(p === 0 && oddPlugin !== undefined ? oddPlugin : `Plugin${p}`);
    scores.weights.push([1, 2, 3, 0.5, -1][random.int(5)]);
    const kind = random.int(4);
    if (kind === 0 && record.rejected.length === 0) {
      // a scorer's bytes: every node the same, or not
      const same = random.int(3) === 0;
      const first = random.int(256);
      const bytes = Uint8Array.from({ length: n }, () => (same ? first : random.int(256)));
      const column = new Float64Array(0);
      scores.byNode!.push(bytes);
      scores.raw.push(column);
      scores.normalized.push(column);
      continue;
    }
    scores.byNode!.push(undefined);
    const value = () => [random.int(101), random.int(101) + 0.5, random.int(1000), -random.int(50), random.int(7) / 3][kind];
    const one = value();
    const raw = Float64Array.from({ length: scored }, () => (random.int(2) ? one : value()));
    scores.raw.push(raw);
    scores.normalized.push(random.int(2) ? raw : Float64Array.from(raw, (v) => (v * 100) / 1000));
  }
  return scores;
}
