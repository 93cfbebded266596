import { describe, expect, it } from 'vitest';
import { admitPod } from '../../src/sim/kubelet-admission';
import { ObjectStore } from '../../src/store/object-store';
import type { Node, Pod } from '../../src/model/kinds';

/** A pod the scheduler bound to node-1 (PodScheduled True), with the given tolerations. */
function boundPod(tolerations: NonNullable<Pod['spec']['tolerations']> = []): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'u1', creationTimestamp: '2025-01-01T00:00:00Z' },
    spec: { nodeName: 'node-1', tolerations, containers: [{ name: 'app', image: 'nginx' }] },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' }] },
  };
}

function node(taints: NonNullable<Node['spec']>['taints'] = []): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1' },
    spec: { taints },
    status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } },
  };
}

describe('kubelet admission of a pod the scheduler bound', () => {
  const store = new ObjectStore();

  it('admits it when the node has no NoExecute taint (a NoSchedule one does not stop a bound pod)', () => {
    expect(admitPod(boundPod(), node(), store)).toBeUndefined();
    expect(admitPod(boundPod(), node([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]), store)).toBeUndefined();
  });

  it('rejects it for a NoExecute taint added since binding, unless the pod tolerates it', () => {
    const tainted = node([{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }]);
    expect(admitPod(boundPod(), tainted, store)).toEqual({
      reason: 'TaintToleration',
      message: 'Predicate TaintToleration failed: node(s) had untolerated taint(s)',
    });
    expect(admitPod(boundPod([{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }]), tainted, store)).toBeUndefined();
  });
});
