import { describe, it, expect } from 'vitest';
import {
  encodeNodeNames,
  encodeScores,
  encodeWeightedScores,
  expandRecord,
  roundScores,
  withExpandedRecord,
  type CompactRecord,
} from '../../src/api/scheduling-annotations';

describe('compact scheduling records', () => {
  const compact: CompactRecord = {
    filterPlugins: ['NodeUnschedulable', 'TaintToleration'],
    nodes: 'node-1,node-2,node-3',
    rejected: [[1, 1, 0]],
    messages: ['node(s) had untolerated taint {dedicated: gpu}'],
    scorePlugins: ['TaintToleration', 'NodeResourcesFit'],
    raw: [encodeScores(Float64Array.from([0, 0])), encodeScores(Float64Array.from([96.6, 40.2]))],
    final: [encodeScores(Float64Array.from([300, 300])), encodeScores(Float64Array.from([97, 40]))],
    selected: 'node-1',
  };

  it("expands to kube-scheduler-simulator's annotations: the scored nodes default to those that passed", () => {
    // a column every node shares is kept as one number
    expect(compact.raw[0]).toBe(0);
    expect(typeof compact.raw[1]).toBe('string');
    expect(expandRecord(compact)).toEqual({
      'kube-scheduler-simulator.sigs.k8s.io/prefilter-result-status': '{}',
      'kube-scheduler-simulator.sigs.k8s.io/filter-result':
        '{"node-1":{"NodeUnschedulable":"passed","TaintToleration":"passed"},"node-2":{"NodeUnschedulable":"passed","TaintToleration":"node(s) had untolerated taint {dedicated: gpu}"},"node-3":{"NodeUnschedulable":"passed","TaintToleration":"passed"}}',
      'kube-scheduler-simulator.sigs.k8s.io/score-result':
        '{"node-1":{"TaintToleration":"0","NodeResourcesFit":"97"},"node-3":{"TaintToleration":"0","NodeResourcesFit":"40"}}',
      'kube-scheduler-simulator.sigs.k8s.io/finalscore-result':
        '{"node-1":{"TaintToleration":"300","NodeResourcesFit":"97"},"node-3":{"TaintToleration":"300","NodeResourcesFit":"40"}}',
      'kube-scheduler-simulator.sigs.k8s.io/selected-node': 'node-1',
    });
  });

  it('is served in place of the stored annotation, the others kept', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'p',
        annotations: { team: 'a', 'sim.kubesim.io/scheduling-record': JSON.stringify({ ...compact, scored: 'node-3' }) },
      },
    };
    const served: Record<string, string> = withExpandedRecord(pod).metadata.annotations!;
    expect(Object.keys(served)).toEqual([
      'team',
      'kube-scheduler-simulator.sigs.k8s.io/prefilter-result-status',
      'kube-scheduler-simulator.sigs.k8s.io/filter-result',
      'kube-scheduler-simulator.sigs.k8s.io/score-result',
      'kube-scheduler-simulator.sigs.k8s.io/finalscore-result',
      'kube-scheduler-simulator.sigs.k8s.io/selected-node',
    ]);
    // an explicit scored list (a nominated node came first) is read as given
    expect(served['kube-scheduler-simulator.sigs.k8s.io/score-result']).toBe('{"node-3":{"TaintToleration":"0","NodeResourcesFit":"97"}}');
    expect(pod.metadata.annotations['sim.kubesim.io/scheduling-record']).toBeDefined();
  });

  it('writes runs of counted node names as ranges and reads them back', () => {
    const names = ['node-7', 'node-8', 'node-9', 'node-10', 'gpu-1', 'gpu-2', 'node-01', 'node-02', 'node-03', 'x'];
    const encoded = encodeNodeNames(names);
    // "node-01".."node-03" count from "node-0": a run of its own; two names are not worth a range
    expect(encoded).toBe('node-[7-10],gpu-1,gpu-2,node-0[1-3],x');
    const record: CompactRecord = { ...compact, nodes: encoded, rejected: [], scorePlugins: [], raw: [], final: [] };
    const filter = JSON.parse(expandRecord(record)['kube-scheduler-simulator.sigs.k8s.io/filter-result']) as Record<string, unknown>;
    expect(Object.keys(filter)).toEqual(names);
  });

  it('keeps a final column as the raw or normalized column times the weight when the scores are whole', () => {
    const raw = Float64Array.from([10, 200, 30]);
    const r = roundScores(raw);
    // bytes when every score fits one
    expect(encodeScores(raw)).toMatch(/^b:/);
    // a plugin that does not normalize: final = raw × weight
    expect(encodeWeightedScores(raw, 2, r)).toBe('w:2');
    // a plugin that normalizes: the normalized column, times the weight
    const normalized = Float64Array.from([5, 100, 15]);
    expect(encodeWeightedScores(normalized, 3, r)).toBe(`w:3:${String(encodeScores(normalized))}`);
    // fractions: the rounded products themselves
    const fractional = Float64Array.from([0.5, 1.25, 2]);
    expect(encodeWeightedScores(fractional, 3, roundScores(fractional))).toBe(encodeScores(Float64Array.from([1.5, 3.75, 6])));
    const record: CompactRecord = {
      filterPlugins: [],
      nodes: 'a,b,c',
      rejected: [],
      messages: [],
      scorePlugins: ['P', 'Q', 'R'],
      raw: [encodeScores(raw), encodeScores(raw), encodeScores(fractional)],
      final: [
        encodeWeightedScores(raw, 2, r),
        encodeWeightedScores(normalized, 3, r),
        encodeWeightedScores(fractional, 3, roundScores(fractional)),
      ],
      selected: 'b',
    };
    const final = JSON.parse(expandRecord(record)['kube-scheduler-simulator.sigs.k8s.io/finalscore-result']) as Record<string, unknown>;
    expect(final).toEqual({ a: { P: '20', Q: '15', R: '2' }, b: { P: '400', Q: '300', R: '4' }, c: { P: '60', Q: '45', R: '6' } });
    const score = JSON.parse(expandRecord(record)['kube-scheduler-simulator.sigs.k8s.io/score-result']) as Record<string, unknown>;
    expect(score).toEqual({ a: { P: '10', Q: '10', R: '1' }, b: { P: '200', Q: '200', R: '1' }, c: { P: '30', Q: '30', R: '2' } });
  });

  it('reads the columns of records written before (base64 Int32)', () => {
    const old = Buffer.from(Int32Array.from([97, 40, 300]).buffer).toString('base64');
    const record: CompactRecord = {
      ...compact,
      nodes: 'a,b,c',
      rejected: [],
      scorePlugins: ['P'],
      raw: [old],
      final: [old],
      selected: 'a',
    };
    const score = JSON.parse(expandRecord(record)['kube-scheduler-simulator.sigs.k8s.io/score-result']) as Record<string, unknown>;
    expect(score).toEqual({ a: { P: '97' }, b: { P: '40' }, c: { P: '300' } });
  });

  it('writes a column as bytes, Int32s or one number, as its rounded scores need', () => {
    const served = (column: number | string, length: number) => {
      const names = ['a', 'b', 'c', 'd'].slice(0, length);
      const record: CompactRecord = { ...compact, nodes: names.join(','), rejected: [], scorePlugins: ['P'], raw: [column], final: [0] };
      const score = JSON.parse(expandRecord(record)['kube-scheduler-simulator.sigs.k8s.io/score-result']) as Record<string, { P: string }>;
      return names.map((n) => score[n].P);
    };
    // a score over 255 or under 0: Int32s
    const wide = encodeScores(Float64Array.from([300, -1, 5.5, 255]));
    expect(wide).not.toMatch(/^b:/);
    expect(served(wide, 4)).toEqual(['300', '-1', '6', '255']);
    // scores that differ only before rounding: one number
    expect(encodeScores(Float64Array.from([96.6, 97.4, 97]))).toBe(97);
    // whole or rounded, 0-255: bytes
    const bytes = encodeScores(Float64Array.from([0, 254.5, 17, 3.2]));
    expect(bytes).toMatch(/^b:/);
    expect(served(bytes, 4)).toEqual(['0', '255', '17', '3']);
    expect(roundScores(Float64Array.from([1, 2, 3])).integral).toBe(true);
    expect(roundScores(Float64Array.from([1, 2.5, 3])).integral).toBe(false);
  });
});
