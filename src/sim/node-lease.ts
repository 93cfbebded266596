import { create, quiet } from '../reconcile/actions';
import type { Controller } from '../reconcile/controller';
import { kubeletStoppedAt } from '../api/kinds/node';
import { NODE_LEASE_NAMESPACE, nodeLease } from '../api/kinds/lease';

/**
 * The kubelet's node lease (pkg/kubelet/nodelease): a running kubelet makes sure its Lease
 * exists in kube-node-lease. It is written once; its renewals every 10 s are not writes in
 * kubesim but what a read of the Lease shows (Lease's `served`, from the node's heartbeat), so
 * a 5k-node cluster costs nothing per beat and a command writes no lease unless one is missing.
 */
export const nodeLeaseController: Controller<'Node'> = {
  name: 'node-lease',
  kind: 'Node',
  // a deleted Lease is recreated on the kubelet's next renewal
  dependsOn: ['Lease'],
  reconcile(node, ctx) {
    if (node.metadata.deletionTimestamp || kubeletStoppedAt(node) !== undefined) return [quiet(Infinity)];
    if (ctx.store.get('Lease', NODE_LEASE_NAMESPACE, node.metadata.name)) return [quiet(Infinity)];
    if (!ctx.store.get('Namespace', undefined, NODE_LEASE_NAMESPACE)) return [quiet(Infinity)];
    return [create(nodeLease(node, ctx.now))];
  },
};
