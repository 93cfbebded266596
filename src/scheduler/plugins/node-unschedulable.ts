import type { Plugin } from '../framework';
import { SKIP, unresolvable } from '../status';
import { tolerationsTolerateTaint, UNSCHEDULABLE_TAINT } from '../taints';

export const NODE_UNSCHEDULABLE = 'NodeUnschedulable';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

const REJECTED = unresolvable(NODE_UNSCHEDULABLE, ERR_REASON_UNSCHEDULABLE);

/** NodeUnschedulable: a cordoned node takes only pods that tolerate node.kubernetes.io/unschedulable:NoSchedule. */
export const nodeUnschedulable: Plugin = {
  name: NODE_UNSCHEDULABLE,
  preFilter(pod, snapshot) {
    // a pod that tolerates the unschedulable taint passes every node, as does any pod when none is cordoned
    if (!snapshot.hasUnschedulableNodes || tolerationsTolerateTaint(pod.tolerations, UNSCHEDULABLE_TAINT)) return SKIP;
    return { filter: (node) => (node.unschedulable ? REJECTED : null) };
  },
};
