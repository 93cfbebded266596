import { describe, it, expect } from 'vitest';
import { encodeScores, expandRecord, withExpandedRecord, type CompactRecord } from '../../src/api/scheduling-annotations';

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
});
