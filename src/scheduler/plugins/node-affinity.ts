import type { Plugin } from '../framework';
import { preferredNodeAffinity, requiredNodeAffinity, requiredTermsNodeNames, termMatches } from '../node-selector';
import { SKIP, unresolvable } from '../status';
import { defaultNormalizeScore } from './normalize';

export const NODE_AFFINITY = 'NodeAffinity';
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';

const REJECTED = unresolvable(NODE_AFFINITY, ERR_REASON_POD);

/**
 * NodeAffinity: spec.nodeSelector and required node affinity filter nodes (terms naming
 * nodes by metadata.name narrow the search up front); preferred terms add their weights.
 */
export const nodeAffinity: Plugin = {
  name: NODE_AFFINITY,
  preFilter(pod) {
    const spec = pod.pod.spec;
    const required = requiredNodeAffinity(spec);
    if (required.isEmpty) return SKIP;
    const names = requiredTermsNodeNames(spec);
    if (names === 'conflict') return unresolvable(NODE_AFFINITY, ERR_REASON_CONFLICT);
    return { filter: (node) => (required.match(node) ? null : REJECTED), nodeNames: names };
  },
  preScore(pod) {
    const preferred = preferredNodeAffinity(pod.pod.spec);
    if (preferred.length === 0) return SKIP;
    return {
      score(node) {
        let count = 0;
        for (const p of preferred) if (termMatches(p.term, node)) count += p.weight;
        return count;
      },
      normalize: (scores) => defaultNormalizeScore(scores, false),
    };
  },
};
