import type { Plugin } from '../framework';
import type { HostPort } from '../pod-info';
import { SKIP, unschedulable } from '../status';

export const NODE_PORTS = 'NodePorts';
export const ERR_REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

const REJECTED = unschedulable(NODE_PORTS, ERR_REASON_NODE_PORTS);
const ALL_IPS = '0.0.0.0';

/** HostPortInfo.CheckConflict: 0.0.0.0 clashes with every IP on the same protocol/port. */
export function hostPortConflicts(used: readonly HostPort[], want: HostPort): boolean {
  for (const u of used) {
    if (u.port !== want.port || u.protocol !== want.protocol) continue;
    if (want.ip === ALL_IPS || u.ip === ALL_IPS || u.ip === want.ip) return true;
  }
  return false;
}

/** NodePorts: the pod's hostPorts must be free on the node. */
export const nodePorts: Plugin = {
  name: NODE_PORTS,
  preFilter(pod) {
    const wanted = pod.hostPorts;
    if (wanted.length === 0) return SKIP;
    return {
      filter(node) {
        if (node.usedPorts.length === 0) return null;
        for (const p of wanted) if (hostPortConflicts(node.usedPorts, p)) return REJECTED;
        return null;
      },
    };
  },
};
