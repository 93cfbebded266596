import { describe, expect, it } from 'vitest';
import { ObjectStore } from '../../src/store/object-store';
import { nodePressureEviction } from '../../src/sim/eviction-manager';
import { Random } from '../../src/util/random';
import type { Node, Pod } from '../../src/model/kinds';
import type { Action } from '../../src/reconcile/actions';

const NOW = Date.parse('2025-01-01T00:00:00Z');

function node(name: string): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `uid-${name}`, resourceVersion: '1' },
    status: {
      allocatable: { memory: '1Gi' },
      conditions: [{ type: 'MemoryPressure', status: 'False', lastTransitionTime: '2025-01-01T00:00:00Z' }],
    },
  } as unknown as Node;
}

/** A running pod on the node whose one container uses `bytes` (the memory knob). */
function pod(name: string, nodeName: string, bytes: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      resourceVersion: '1',
      annotations: { 'sim.kubesim.io/memory-bytes': bytes },
    },
    spec: { nodeName, containers: [{ name: 'app', image: 'nginx' }] },
    status: {
      phase: 'Running',
      containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: 'nginx', imageID: 'x', state: { running: {} } }],
    },
  } as unknown as Pod;
}

function check(store: ObjectStore, name: string): Action[] {
  const n = store.get('Node', undefined, name) as Node;
  return nodePressureEviction.reconcile!(n, { store, now: NOW, random: Random.fromSeed(1) });
}

const evicts = (actions: Action[]) => actions.some((a) => a.type === 'event' && a.event?.reason === 'Evicted');

describe('eviction manager: node memory sums kept across passes', () => {
  it('moves a summed node by the pods written, created and deleted since its last check', () => {
    const store = new ObjectStore();
    store.put(node('n1'));
    store.put(node('n2'));
    store.put(pod('a', 'n1', '400Mi'));
    store.put(pod('b', 'n1', '400Mi'));
    store.put(pod('c', 'n2', '900Mi'));
    expect(evicts(check(store, 'n1'))).toBe(false);
    expect(evicts(check(store, 'n2'))).toBe(false);
    // a written pod moves its node's sum: 400 + 700 > 1024
    store.put(pod('b', 'n1', '700Mi'));
    expect(evicts(check(store, 'n1'))).toBe(true);
    // a deleted pod leaves it: 700 alone
    store.drop('Pod', 'default', 'a', store.nextResourceVersion());
    expect(evicts(check(store, 'n1'))).toBe(false);
    // a new pod on the node joins it: 700 + 400
    store.put(pod('d', 'n1', '400Mi'));
    expect(evicts(check(store, 'n1'))).toBe(true);
    // the other node's sum did not move with n1's pods: 900 + 200 now
    store.put(pod('e', 'n2', '200Mi'));
    expect(evicts(check(store, 'n2'))).toBe(true);
    store.put(pod('e', 'n2', '100Mi'));
    expect(evicts(check(store, 'n2'))).toBe(false);
  });

  it('counts a pod written on a node not yet summed when that node is first checked', () => {
    const store = new ObjectStore();
    store.put(node('n1'));
    store.put(node('n2'));
    store.put(pod('a', 'n1', '100Mi'));
    expect(evicts(check(store, 'n1'))).toBe(false);
    // n2 was never checked: its pods' writes are taken when it is
    store.put(pod('b', 'n2', '600Mi'));
    store.put(pod('c', 'n2', '600Mi'));
    store.put(pod('c', 'n2', '300Mi'));
    expect(evicts(check(store, 'n2'))).toBe(false);
    store.put(pod('c', 'n2', '600Mi'));
    expect(evicts(check(store, 'n2'))).toBe(true);
  });
});
