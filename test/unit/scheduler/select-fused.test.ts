import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../src/model/objects';
import { newCycleRecord, Scheduler } from '../../../src/scheduler/scheduler';
import { ScoreColumns, selectHost } from '../../../src/scheduler/framework';
import { DEFAULT_PROFILES } from '../../../src/scheduler/profile';
import { podInfoOf } from '../../../src/scheduler/pod-info';
import { Random } from '../../../src/util/random';
import { podTopologySpread } from '../../../src/scheduler/plugins/pod-topology-spread';
import { Status } from '../../../src/scheduler/status';
import { node, pod, snapshotOf } from './fixtures';

/**
 * An unrecorded cycle scores and picks its node in fused loops (framework.ts prioritizeAndSelect:
 * the kept node-local sums made current from the columns' change log, the spread's normalized
 * score, selectHost's draws made after the loop; the spread's per-zone whole scores; the node
 * search's kept ranges), and so does a cycle the controller records (reused columns: the kept sums'
 * scorers' bytes recorded). A cycle recorded without reused columns scores every plugin over the
 * feasible nodes and calls selectHost: they must pick the same node and leave the PRNG in the
 * same state, pod after pod.
 */
/** selectHost as kube writes it: reservoir sampling, a draw per tie with the best so far. */
function reservoirSelect(totals: Float64Array, random: Random): number {
  let best = 0;
  let ties = 1;
  for (let i = 1; i < totals.length; i++) {
    if (totals[i] > totals[best]) {
      best = i;
      ties = 1;
    } else if (totals[i] === totals[best]) {
      ties++;
      if (random.int(ties) === 0) best = i;
    }
  }
  return best;
}

describe('selectHost', () => {
  it('picks the node reservoir sampling picks, with the same draws', () => {
    const make = Random.fromSeed(5);
    const ours = Random.fromSeed(9);
    const theirs = Random.fromSeed(9);
    for (let round = 0; round < 2000; round++) {
      // few distinct totals (many ties), rising, falling or mixed, of 1 to 60 nodes
      const n = 1 + make.int(60);
      const spread = 1 + make.int(4);
      const totals = Float64Array.from(
        { length: n },
        (_, i) => make.int(spread) + (round % 3 === 0 ? i >> 3 : round % 3 === 1 ? -(i >> 3) : 0),
      );
      expect(selectHost(totals, ours), `round ${round}`).toBe(reservoirSelect(totals, theirs));
      expect(ours.state()).toEqual(theirs.state());
      expect(ours.draws).toBe(theirs.draws);
    }
  });
});

describe('the fused scoring and selection', () => {
  it('picks the node the plugin-by-plugin scoring and selectHost pick, with the same draws', () => {
    const zones = ['a', 'b', 'c', 'd'];
    // nodes of three sizes, most alike (ties for selectHost to break), 240 of them: a cycle
    // evaluates 117 nodes from a start that moves on, so ranges wrap past the last node
    // (two without a zone: the system defaults still score them, by hostname)
    const objects: KObject[] = Array.from({ length: 240 }, (_, i) =>
      node(`node-${i + 1}`, {
        cpu: i % 7 === 0 ? '8' : i % 11 === 0 ? '16' : '4',
        memory: '32Gi',
        zone: i === 5 || i === 150 ? undefined : zones[i % 4],
      }),
    );
    const replicaSets = ['web', 'api', 'db'];
    for (const name of replicaSets)
      objects.push({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name, namespace: 'default', uid: `uid-rs-${name}` },
        spec: { selector: { matchLabels: { app: name } } },
      });
    const profile = DEFAULT_PROFILES.get('default-scheduler')!;
    const fusedSnapshot = snapshotOf(objects);
    const plainSnapshot = snapshotOf(objects);
    const recordedSnapshot = snapshotOf(objects);
    const fusedRandom = Random.fromSeed(11);
    const plainRandom = Random.fromSeed(11);
    const recordedRandom = Random.fromSeed(11);
    const fused = new Scheduler(profile, fusedSnapshot, fusedRandom, undefined);
    const plain = new Scheduler(profile, plainSnapshot, plainRandom, undefined);
    const recorded = new Scheduler(profile, recordedSnapshot, recordedRandom, undefined);
    const columns = new ScoreColumns();
    const requests = [
      { cpu: '100m', memory: '128Mi' },
      { cpu: '250m', memory: '512Mi' },
      { cpu: '100m', memory: '128Mi' },
    ];
    let ties = 0;
    let fromBytes = 0;
    const scheduleOne = (name: string, r: number) => {
      const app = replicaSets[r];
      const owner = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: app, uid: `uid-rs-${app}`, controller: true }];
      const info = podInfoOf(pod(name, { labels: { app }, ownerReferences: owner, ...requests[r] }));
      const drawsBefore = fusedRandom.draws;
      const result = fused.schedule(info);
      const expected = plain.schedule(info, newCycleRecord());
      const record = newCycleRecord(columns);
      const withRecord = recorded.schedule(info, record);
      if (result.kind !== 'bound' || expected.kind !== 'bound' || withRecord.kind !== 'bound') throw new Error(`${name} not bound`);
      expect(result.node.name, name).toBe(expected.node.name);
      expect(withRecord.node.name, name).toBe(expected.node.name);
      expect(fusedRandom.state(), name).toEqual(plainRandom.state());
      expect(fusedRandom.draws, name).toBe(plainRandom.draws);
      expect(recordedRandom.state(), name).toEqual(plainRandom.state());
      if (record.scored?.byNode?.some((b) => b !== undefined)) fromBytes++;
      if (fusedRandom.draws > drawsBefore) ties++;
      fusedSnapshot.assume(info, result.node);
      plainSnapshot.assume(info, expected.node);
      recordedSnapshot.assume(info, withRecord.node);
    };
    for (let i = 0; i < 300; i++) scheduleOne(`p-${i}`, i % 3 === 2 ? 2 : Math.floor(i / 50) % 2);
    // more nodes changed than the change log keeps while the first request size is not asked
    // for: its kept sums are made current from every node's stamp
    for (let i = 0; i < 1100; i++) {
      const info = podInfoOf(pod(`filler-${i}`, { cpu: '10m', memory: '16Mi' }));
      fusedSnapshot.assume(info, fusedSnapshot.nodes[(i * 37) % 240]);
      plainSnapshot.assume(info, plainSnapshot.nodes[(i * 37) % 240]);
      recordedSnapshot.assume(info, recordedSnapshot.nodes[(i * 37) % 240]);
    }
    for (let i = 0; i < 60; i++) scheduleOne(`q-${i}`, i % 2);
    expect(ties).toBeGreaterThan(100);
    expect(fromBytes).toBeGreaterThan(100);

    // the spread's scoreAll (one loop, per-zone whole scores for nodes without the pods) gives
    // every node its score() (term by term), on nodes with none, one or more of the pods
    const nodes = fusedSnapshot.nodes;
    const index = Int32Array.from(nodes, (n) => n.index);
    let withPods = 0;
    for (const app of replicaSets) {
      const owner = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: app, uid: `uid-rs-${app}`, controller: true }];
      const scorer = podTopologySpread.preScore!(
        podInfoOf(pod(`s-${app}`, { labels: { app }, ownerReferences: owner })),
        nodes,
        fusedSnapshot,
      );
      if (scorer instanceof Status) throw new Error(`${app}: PreScore skipped`);
      const out = new Float64Array(nodes.length);
      scorer.scoreAll!(nodes, out, index);
      const byScore = nodes.map((n) => scorer.score(n));
      expect([...out], app).toEqual(byScore);
      withPods += new Set(byScore).size;
    }
    expect(withPods).toBeGreaterThan(6);
  });
});
