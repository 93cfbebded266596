import type { Plugin } from '../framework';
import { SKIP, unresolvable } from '../status';

export const NODE_NAME = 'NodeName';
export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

const REJECTED = unresolvable(NODE_NAME, ERR_REASON_NODE_NAME);

/** NodeName: a pod that names its node fits only there. */
export const nodeName: Plugin = {
  name: NODE_NAME,
  preFilter(pod) {
    const wanted = pod.nodeName;
    if (!wanted) return SKIP;
    return { filter: (node) => (node.name === wanted ? null : REJECTED) };
  },
};
