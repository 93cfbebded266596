import type { Plugin } from '../framework';
import type { NodeAffinity, PodSpec } from '../../model/k8s';
import { preferredNodeAffinity, requiredNodeAffinity, requiredTermsNodeNames, termMatches, type PreferredTerm } from '../node-selector';
import { SKIP, unresolvable } from '../status';
import { defaultNormalizeScore } from './normalize';

export const NODE_AFFINITY = 'NodeAffinity';
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';
/** nodeaffinity errReasonEnforced: the profile's addedAffinity rejects the node */
export const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";

const REJECTED = unresolvable(NODE_AFFINITY, ERR_REASON_POD);
const ENFORCED = unresolvable(NODE_AFFINITY, ERR_REASON_ENFORCED);

/**
 * NodeAffinity: spec.nodeSelector and required node affinity filter nodes (terms naming
 * nodes by metadata.name narrow the search up front); preferred terms add their weights.
 */
export const nodeAffinity: Plugin = makeNodeAffinity(undefined);

/**
 * NodeAffinity with NodeAffinityArgs.addedAffinity: a profile's own node affinity, applied
 * to every pod on top of the pod's (its preferred terms add to each pod's).
 */
export function makeNodeAffinity(addedAffinity: NodeAffinity | undefined): Plugin {
  const added = addedAffinity ? ({ affinity: { nodeAffinity: addedAffinity } } as PodSpec) : undefined;
  const addedRequired = added && requiredNodeAffinity(added);
  const enforced = addedRequired && !addedRequired.isEmpty ? addedRequired : undefined;
  const addedPreferred: PreferredTerm[] = added ? preferredNodeAffinity(added) : [];
  return {
    name: NODE_AFFINITY,
    preFilter(pod) {
      const spec = pod.pod.spec;
      const required = requiredNodeAffinity(spec);
      if (required.isEmpty && !enforced) return SKIP;
      const names = requiredTermsNodeNames(spec);
      if (names === 'conflict') return unresolvable(NODE_AFFINITY, ERR_REASON_CONFLICT);
      return {
        filter: (node) => (enforced && !enforced.match(node) ? ENFORCED : required.match(node) ? null : REJECTED),
        nodeNames: names,
      };
    },
    preScore(pod) {
      const own = preferredNodeAffinity(pod.pod.spec);
      const preferred = addedPreferred.length ? [...addedPreferred, ...own] : own;
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
}
