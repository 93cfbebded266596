import { describe, expect, it } from 'vitest';
import { cluster, eventsOf, node, nodeOf, NOW, pod, podScheduled, schedule } from './fixtures';
import type { KObject } from '../../../src/model/objects';
import { createObject } from '../../../src/api/server';
import { Random } from '../../../src/util/random';
import type { ObjectStore } from '../../../src/store/object-store';
import { asKind } from '../../support/kinds';

const webAntiAffinity = {
  labels: { app: 'web' },
  spec: {
    affinity: {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } },
        ],
      },
    },
  },
};

function replace(store: ObjectStore, obj: KObject): void {
  store.put(obj);
}

describe('binding', () => {
  it('sets spec.nodeName and PodScheduled=True and reports Scheduled', () => {
    const store = cluster([node('node-1'), pod('web-abc12', { cpu: '1' })]);
    const actions = schedule(store);
    expect(nodeOf(store, 'web-abc12')).toBe('node-1');
    expect(podScheduled(store, 'web-abc12')).toEqual({
      type: 'PodScheduled',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: '2025-01-01T00:00:00Z',
    });
    expect(eventsOf(actions)).toEqual([
      { name: 'web-abc12', type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned default/web-abc12 to node-1' },
    ]);
  });

  it('each bound pod keeps its own other conditions (pods with equal lists share the result)', () => {
    const failed = { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: '2024-12-31T00:00:00Z' };
    const gated = { type: 'PodReadyToStartContainers', status: 'False', lastProbeTime: null, lastTransitionTime: '2024-12-30T00:00:00Z' };
    const store = cluster([
      node('node-1'),
      pod('fresh-1', { cpu: '1' }),
      pod('retried', { cpu: '1', status: { conditions: [gated, failed] } }),
      pod('fresh-2', { cpu: '1' }),
    ]);
    schedule(store);
    const scheduled = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2025-01-01T00:00:00Z' };
    expect(store.get('Pod', 'default', 'fresh-1')?.status?.conditions).toEqual([scheduled]);
    expect(store.get('Pod', 'default', 'retried')?.status?.conditions).toEqual([gated, scheduled]);
    expect(store.get('Pod', 'default', 'fresh-2')?.status?.conditions).toEqual([scheduled]);
  });

  it('a second pass with nothing changed does nothing', () => {
    const store = cluster([node('node-1'), node('node-2'), pod('a', { cpu: '1' }), pod('b', { cpu: '9' })]);
    expect(schedule(store).length).toBeGreaterThan(0);
    expect(schedule(store)).toEqual([]);
  });

  it('the pass accounts for its own earlier decisions', () => {
    const store = cluster([node('node-1'), pod('a', { cpu: '3' }), pod('b', { cpu: '3' })]);
    schedule(store);
    expect(nodeOf(store, 'a')).toBe('node-1');
    expect(nodeOf(store, 'b')).toBeUndefined();
    expect(podScheduled(store, 'b')?.message).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..',
    );
  });

  it("the node search's own check of the requests (on the snapshot's columns) ends where NodeResourcesFit's does", () => {
    // pods: the node's last place is taken, the next pod finds Too many pods
    const full = cluster([node('node-1', { pods: 2 }), pod('a'), pod('b'), pod('c')]);
    schedule(full);
    expect(['a', 'b', 'c'].map((p) => nodeOf(full, p))).toEqual(['node-1', 'node-1', undefined]);
    expect(podScheduled(full, 'c')?.message).toMatch(/^0\/1 nodes are available: 1 Too many pods\. /);
    // cpu and memory: a request equal to what is left fits, one more does not
    const cpu = cluster([node('node-1', { cpu: '4' }), pod('a', { cpu: '2' }), pod('b', { cpu: '2' }), pod('c', { cpu: '1m' })]);
    schedule(cpu);
    expect(['a', 'b', 'c'].map((p) => nodeOf(cpu, p))).toEqual(['node-1', 'node-1', undefined]);
    expect(podScheduled(cpu, 'c')?.message).toMatch(/^0\/1 nodes are available: 1 Insufficient cpu\. /);
    const memory = cluster([
      node('node-1', { memory: '2Gi' }),
      pod('a', { memory: '1Gi' }),
      pod('b', { memory: '1Gi' }),
      pod('c', { memory: '1' }),
    ]);
    schedule(memory);
    expect(['a', 'b', 'c'].map((p) => nodeOf(memory, p))).toEqual(['node-1', 'node-1', undefined]);
    expect(podScheduled(memory, 'c')?.message).toMatch(/^0\/1 nodes are available: 1 Insufficient memory\. /);
  });

  it("each pod's resource scores are its own requests' on the nodes as they are, pod after pod", () => {
    // node-1 is half full of cpu, node-2 half full of memory, node-3 large and empty
    const store = cluster([
      node('node-1', { labels: { group: 'a' } }),
      node('node-2', { labels: { group: 'a' } }),
      node('node-3', { cpu: '8', memory: '32Gi' }),
      pod('load-cpu', { nodeName: 'node-1', cpu: '2' }),
      pod('load-memory', { nodeName: 'node-2', memory: '8Gi' }),
      // scores node-3 best, then node-2 (balanced) before node-1
      pod('cpu-heavy', { cpu: '2', memory: '1Mi', created: NOW - 2000 }),
      // may go to node-1 or node-2 only (both unchanged since the pod before scored them): node-1 balances it
      pod('memory-heavy', { cpu: '1m', memory: '8Gi', created: NOW - 1000, spec: { nodeSelector: { group: 'a' } } }),
    ]);
    schedule(store);
    expect(nodeOf(store, 'cpu-heavy')).toBe('node-3');
    expect(nodeOf(store, 'memory-heavy')).toBe('node-1');
  });

  it('ignores pods of other schedulers, bound pods and pods being deleted', () => {
    const other = pod('other', { spec: { schedulerName: 'my-scheduler' } });
    const deleting = pod('deleting');
    deleting.metadata.deletionTimestamp = '2025-01-01T00:00:00Z';
    const store = cluster([node('node-1'), other, deleting]);
    expect(schedule(store)).toEqual([]);
  });

  it('the same seed places pods the same way', () => {
    const build = () =>
      cluster([node('node-1'), node('node-2'), node('node-3'), ...Array.from({ length: 12 }, (_, i) => pod(`p${i}`, { cpu: '100m' }))]);
    const placements = (seed: number) => {
      const store = build();
      schedule(store, Random.fromSeed(seed));
      return Array.from({ length: 12 }, (_, i) => nodeOf(store, `p${i}`));
    };
    expect(placements(7)).toEqual(placements(7));
  });
});

describe('FailedScheduling', () => {
  it('insufficient resources give the exact kube-scheduler text', () => {
    const store = cluster([
      node('node-1', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }),
      node('node-2'),
      node('node-3'),
      pod('big', { cpu: '5' }),
    ]);
    const actions = schedule(store);
    const message =
      '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..';
    expect(eventsOf(actions)).toEqual([{ name: 'big', type: 'Warning', reason: 'FailedScheduling', message }]);
    expect(podScheduled(store, 'big')).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
    expect(store.get('Pod', 'default', 'big')?.status?.phase).toBe('Pending');
  });

  it('is emitted again only when the message changes', () => {
    const store = cluster([node('node-1'), pod('big', { cpu: '5' })]);
    expect(eventsOf(schedule(store), 'FailedScheduling')).toHaveLength(1);
    expect(schedule(store)).toEqual([]);
    store.load(node('node-2', { unschedulable: true }));
    expect(eventsOf(schedule(store), 'FailedScheduling').map((e) => e.message)).toEqual([
      '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling..',
    ]);
  });

  it('without any node the scheduler reports a SchedulerError', () => {
    const store = cluster([pod('p')]);
    expect(eventsOf(schedule(store))).toEqual([
      { name: 'p', type: 'Warning', reason: 'FailedScheduling', message: 'no nodes available to schedule pods' },
    ]);
    expect(podScheduled(store, 'p')).toMatchObject({ status: 'False', reason: 'SchedulerError' });
  });

  it('a pod that may not preempt says so', () => {
    const store = cluster([
      node('node-1'),
      pod('low', { nodeName: 'node-1', cpu: '3' }),
      pod('p', { cpu: '2', priority: 100, preemptionPolicy: 'Never' }),
    ]);
    schedule(store);
    expect(podScheduled(store, 'p')?.message).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..',
    );
  });
});

describe('retries when the cluster changes', () => {
  it('a cordoned node takes the pod once uncordoned', () => {
    const cordoned = node('node-1', { unschedulable: true });
    const store = cluster([cordoned, pod('p')]);
    schedule(store);
    expect(podScheduled(store, 'p')?.message).toBe(
      '0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..',
    );
    replace(store, { ...cordoned, spec: { ...cordoned.spec, unschedulable: false } });
    schedule(store);
    expect(nodeOf(store, 'p')).toBe('node-1');
    expect(podScheduled(store, 'p')).toMatchObject({ status: 'True' });
    expect(podScheduled(store, 'p')?.reason).toBeUndefined();
  });

  it('a new node takes the pod', () => {
    const store = cluster([node('node-1', { cpu: '1' }), pod('p', { cpu: '2' })]);
    schedule(store);
    expect(nodeOf(store, 'p')).toBeUndefined();
    store.load(node('node-2'));
    schedule(store);
    expect(nodeOf(store, 'p')).toBe('node-2');
  });

  it('a deleted pod makes room', () => {
    const store = cluster([node('node-1'), pod('old', { nodeName: 'node-1', cpu: '3' }), pod('p', { cpu: '2' })]);
    schedule(store);
    expect(nodeOf(store, 'p')).toBeUndefined();
    store.drop('Pod', 'default', 'old', store.nextResourceVersion());
    schedule(store);
    expect(nodeOf(store, 'p')).toBe('node-1');
  });
});

describe('taints', () => {
  it('keep pods off a node until tolerated', () => {
    const gpu = node('node-1', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
    const store = cluster([gpu, node('node-2', { cpu: '1' }), ...['a', 'b', 'c'].map((n) => pod(n, { cpu: '500m' }))]);
    schedule(store);
    expect(['a', 'b', 'c'].map((n) => nodeOf(store, n))).toEqual(['node-2', 'node-2', undefined]);
    expect(podScheduled(store, 'c')?.message).toBe(
      '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling..',
    );
    store.load(
      pod('tolerant', {
        cpu: '500m',
        spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] },
      }),
    );
    schedule(store);
    expect(nodeOf(store, 'tolerant')).toBe('node-1');
    replace(store, { ...gpu, spec: { ...gpu.spec, taints: [] } });
    schedule(store);
    expect(nodeOf(store, 'c')).toBe('node-1');
  });

  it('a NotReady node is filtered by its taints, not by its condition', () => {
    const notReady = node('node-1');
    notReady.status!.conditions = notReady.status!.conditions!.map((c) => (c.type === 'Ready' ? { ...c, status: 'False' } : c));
    const store = cluster([notReady, pod('p')]);
    schedule(store);
    expect(nodeOf(store, 'p')).toBe('node-1');
  });
});

describe('pod anti-affinity', () => {
  it('required anti-affinity on hostname puts 3 replicas on 3 nodes and leaves the 4th Pending', () => {
    const store = cluster([
      node('node-1'),
      node('node-2'),
      node('node-3'),
      ...[1, 2, 3, 4].map((i) => pod(`web-${i}`, { ...webAntiAffinity, created: NOW + i })),
    ]);
    const actions = schedule(store);
    const nodes = [1, 2, 3].map((i) => nodeOf(store, `web-${i}`));
    expect(new Set(nodes)).toEqual(new Set(['node-1', 'node-2', 'node-3']));
    expect(nodeOf(store, 'web-4')).toBeUndefined();
    const message =
      "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..";
    expect(eventsOf(actions, 'FailedScheduling')).toEqual([{ name: 'web-4', type: 'Warning', reason: 'FailedScheduling', message }]);
    expect(podScheduled(store, 'web-4')?.message).toBe(message);
    expect(schedule(store)).toEqual([]);
  });
});

/** maxSkew 1 over zones for the pods labelled app=web, DoNotSchedule */
const WEB_ZONE_SPREAD = {
  maxSkew: 1,
  topologyKey: 'topology.kubernetes.io/zone',
  whenUnsatisfiable: 'DoNotSchedule',
  labelSelector: { matchLabels: { app: 'web' } },
};

describe('pod topology spread', () => {
  it('spreads across zones with maxSkew 1', () => {
    const nodes = ['a', 'a', 'b', 'b', 'c', 'c'].map((zone, i) => node(`node-${i + 1}`, { zone: `zone-${zone}` }));
    const spread = {
      labels: { app: 'web' },
      spec: {
        topologySpreadConstraints: [WEB_ZONE_SPREAD],
      },
    };
    const store = cluster([...nodes, ...Array.from({ length: 7 }, (_, i) => pod(`web-${i}`, { ...spread, created: NOW + i }))]);
    schedule(store);
    const perZone = new Map<string, number>();
    for (let i = 0; i < 7; i++) {
      const zone = store.get('Node', undefined, nodeOf(store, `web-${i}`)!)!.metadata.labels!['topology.kubernetes.io/zone'];
      perZone.set(zone, (perZone.get(zone) ?? 0) + 1);
    }
    expect([...perZone.values()].sort()).toEqual([2, 2, 3]);
  });

  it('refuses a pod that would exceed maxSkew in every zone it may use', () => {
    const spread = {
      labels: { app: 'web' },
      spec: {
        nodeSelector: { 'topology.kubernetes.io/zone': 'zone-a' },
        topologySpreadConstraints: [{ ...WEB_ZONE_SPREAD, nodeAffinityPolicy: 'Ignore' }],
      },
    };
    const store = cluster([
      node('node-1', { zone: 'zone-a' }),
      node('node-2', { zone: 'zone-b' }),
      pod('w0', { nodeName: 'node-1', labels: { app: 'web' } }),
      pod('p', spread),
    ]);
    schedule(store);
    expect(podScheduled(store, 'p')?.message).toBe(
      "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) didn't match pod topology spread constraints. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling..",
    );
  });
});

describe('pod topology spread in the node search', () => {
  it('a node the spread refuses still gets the status of the first filter that refuses it when none fits', () => {
    // node-1 is out of room and in the zone ahead: the search skips it on the spread's early check,
    // and when no node passes asks again, so the message counts NodeResourcesFit's status for it
    const spread = {
      cpu: '2',
      labels: { app: 'web' },
      spec: {
        topologySpreadConstraints: [WEB_ZONE_SPREAD],
      },
    };
    const store = cluster([
      node('node-1', { zone: 'zone-a', cpu: '1' }),
      node('node-2', { zone: 'zone-b', cpu: '1' }),
      pod('w0', { nodeName: 'node-1', labels: { app: 'web' } }),
      pod('p', spread),
    ]);
    schedule(store);
    expect(podScheduled(store, 'p')?.message).toBe(
      '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod..',
    );
  });
});

describe('percentageOfNodesToScore', () => {
  it('round-robins the search start so 200 empty nodes get one pod each', () => {
    const nodes = Array.from({ length: 200 }, (_, i) => node(`node-${i + 1}`));
    const pods = Array.from({ length: 200 }, (_, i) => pod(`p-${i}`, { created: NOW + i }));
    const store = cluster([...nodes, ...pods]);
    schedule(store);
    const used = new Set(pods.map((p) => nodeOf(store, p.metadata.name)));
    expect(used.size).toBe(200);
  });
});

describe('priority and preemption', () => {
  it('the queue takes higher priority first', () => {
    const store = cluster([
      node('node-1'),
      pod('low', { cpu: '3', created: NOW }),
      pod('high', { cpu: '3', priority: 1000, created: NOW + 1000 }),
    ]);
    schedule(store);
    expect(nodeOf(store, 'high')).toBe('node-1');
    expect(nodeOf(store, 'low')).toBeUndefined();
  });

  it('a high-priority pod preempts a low-priority one', () => {
    const store = cluster([node('node-1'), pod('low', { nodeName: 'node-1', cpu: '3' }), pod('high', { cpu: '2', priority: 1000 })]);
    const actions = schedule(store);
    expect(eventsOf(actions)).toEqual([
      { name: 'low', type: 'Normal', reason: 'Preempted', message: 'Preempted by pod uid-high on node node-1' },
      { name: 'high', type: 'Warning', reason: 'FailedScheduling', message: '0/1 nodes are available: 1 Insufficient cpu.' },
    ]);
    const low = store.get('Pod', 'default', 'low')!;
    expect(low.metadata.deletionTimestamp).toBeDefined();
    expect(low.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: 'PreemptionByScheduler',
      message: 'default-scheduler: preempting to accommodate a higher priority pod',
    });
    expect(store.get('Pod', 'default', 'high')?.status?.nominatedNodeName).toBe('node-1');
    // waiting for the victim to terminate: nothing new to say
    expect(schedule(store)).toEqual([]);
    store.drop('Pod', 'default', 'low', store.nextResourceVersion());
    const bound = schedule(store);
    expect(nodeOf(store, 'high')).toBe('node-1');
    expect(eventsOf(bound)).toEqual([
      { name: 'high', type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned default/high to node-1' },
    ]);
  });

  it('the room preemption makes is kept for the nominated pod', () => {
    const victim = pod('victim', {
      nodeName: 'node-1',
      cpu: '2',
      status: { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }] },
    });
    victim.metadata.deletionTimestamp = '2025-01-01T00:00:30Z';
    const high = pod('high', { cpu: '3', priority: 100, status: { nominatedNodeName: 'node-1' } });
    const medium = pod('medium', { cpu: '2', priority: 50 });
    const store = cluster([node('node-1'), victim, high, medium]);
    const actions = schedule(store);
    expect(nodeOf(store, 'medium')).toBeUndefined();
    expect(podScheduled(store, 'medium')?.message).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu..',
    );
    // the preemptor is waiting for its victim: nothing to report for it
    expect(eventsOf(actions).map((e) => e.name)).toEqual(['medium']);
    expect(store.get('Pod', 'default', 'high')?.status?.nominatedNodeName).toBe('node-1');
  });

  it('a lower-priority pod whose nomination the preemption dropped is scheduled as it is now', () => {
    // high preempts v on node-1, where low was nominated: low loses its nomination before its
    // own cycle in the same pass, and that cycle starts from the pod without it
    const store = cluster([
      node('node-1'),
      pod('v', { nodeName: 'node-1', cpu: '3' }),
      // (it may not preempt, so it cannot win the node back in its own cycle)
      pod('low', { cpu: '1', priority: 10, spec: { preemptionPolicy: 'Never' }, status: { nominatedNodeName: 'node-1' } }),
      pod('high', { cpu: '3', priority: 100 }),
    ]);
    const actions = schedule(store);
    expect(eventsOf(actions, 'Preempted').map((e) => e.name)).toEqual(['v']);
    expect(store.get('Pod', 'default', 'high')?.status?.nominatedNodeName).toBe('node-1');
    const low = store.get('Pod', 'default', 'low')!;
    expect(low.spec?.nodeName).toBeUndefined();
    expect(low.status?.nominatedNodeName).toBeUndefined();
    expect(podScheduled(store, 'low')?.message).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..',
    );
  });

  it('evicts as few and as unimportant victims as possible', () => {
    const store = cluster([
      node('node-1'),
      node('node-2'),
      pod('n1-a', { nodeName: 'node-1', cpu: '2', priority: 10 }),
      pod('n1-b', { nodeName: 'node-1', cpu: '2', priority: 10 }),
      pod('n2-a', { nodeName: 'node-2', cpu: '2', priority: 50 }),
      pod('n2-b', { nodeName: 'node-2', cpu: '1', priority: 5 }),
      pod('n2-c', { nodeName: 'node-2', cpu: '1', priority: 5 }),
      pod('high', { cpu: '2', priority: 100 }),
    ]);
    const actions = schedule(store);
    // node-1 needs one priority-10 victim; node-2 two priority-5 victims with a priority-50 pod kept:
    // the lowest "highest victim priority" wins → node-2
    expect(
      eventsOf(actions, 'Preempted')
        .map((e) => e.name)
        .sort(),
    ).toEqual(['n2-b', 'n2-c']);
    expect(store.get('Pod', 'default', 'high')?.status?.nominatedNodeName).toBe('node-2');
  });

  it('respects PodDisruptionBudgets where another node will do', () => {
    const pdb: KObject = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'db', namespace: 'default', uid: 'uid-pdb' },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'db' } } },
      status: { disruptionsAllowed: 0 },
    };
    const store = cluster([
      node('node-1'),
      node('node-2'),
      pdb,
      pod('db-0', { nodeName: 'node-1', cpu: '3', priority: 10, labels: { app: 'db' } }),
      pod('cache-0', { nodeName: 'node-2', cpu: '3', priority: 20, labels: { app: 'cache' } }),
      pod('high', { cpu: '2', priority: 100 }),
    ]);
    const actions = schedule(store);
    expect(eventsOf(actions, 'Preempted').map((e) => e.name)).toEqual(['cache-0']);
  });

  it('does not preempt equal or higher priority pods', () => {
    const store = cluster([
      node('node-1'),
      pod('peer', { nodeName: 'node-1', cpu: '3', priority: 1000 }),
      pod('p', { cpu: '2', priority: 1000 }),
    ]);
    const actions = schedule(store);
    expect(eventsOf(actions, 'Preempted')).toEqual([]);
    expect(podScheduled(store, 'p')?.message).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..',
    );
  });
});

describe('Priority admission', () => {
  const api = (store: ObjectStore) => ({ store, now: NOW, random: Random.fromSeed(1) });
  const newPod = (spec: Record<string, unknown> = {}): KObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
  });
  const pc = (name: string, value: number, extra: Record<string, unknown> = {}): KObject => ({
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name, uid: `uid-pc-${name}` },
    value,
    ...extra,
  });

  it('resolves priorityClassName to spec.priority and preemptionPolicy', () => {
    const store = cluster([pc('high', 1000, { preemptionPolicy: 'Never' })]);
    const created = createObject(api(store), newPod({ priorityClassName: 'high' }));
    expect(created.spec).toMatchObject({ priority: 1000, preemptionPolicy: 'Never' });
  });

  it('refuses an unknown class like the API server', () => {
    const store = cluster([]);
    expect(() => createObject(api(store), newPod({ priorityClassName: 'foo' }))).toThrow(
      'pods "p" is forbidden: no PriorityClass with name foo was found',
    );
  });

  it('uses the globalDefault class when none is named, else 0', () => {
    expect(asKind(createObject(api(cluster([])), newPod()), 'Pod').spec.priority).toBe(0);
    const created = createObject(api(cluster([pc('default-prio', 7, { globalDefault: true })])), newPod());
    expect(created.spec).toMatchObject({ priority: 7, priorityClassName: 'default-prio' });
  });
});
