import { MAX_NODE_SCORE, type Plugin } from '../framework';
import { SKIP, unresolvable, type Status } from '../status';
import { firstUntoleratedTaint, tolerationsTolerateTaint, type Taint } from '../taints';
import { defaultNormalizeScore } from './normalize';

export const TAINT_TOLERATION = 'TaintToleration';

const rejections = new Map<string, Status>();

/** `node(s) had untolerated taint {key: value}` */
function rejectionFor(taint: Taint): Status {
  const reason = `node(s) had untolerated taint {${taint.key}: ${taint.value}}`;
  let s = rejections.get(reason);
  if (!s) {
    s = unresolvable(TAINT_TOLERATION, reason);
    rejections.set(reason, s);
  }
  return s;
}

/**
 * TaintToleration: NoSchedule/NoExecute taints keep pods off unless tolerated; when
 * scoring, fewer untolerated PreferNoSchedule taints is better.
 */
export const taintToleration: Plugin = {
  name: TAINT_TOLERATION,
  preFilter(pod, snapshot) {
    // (kube has no PreFilter here; skipping when no node has taints gives the same result)
    if (!snapshot.hasTaintedNodes) return SKIP;
    const tolerations = pod.tolerations;
    return {
      filter(node) {
        if (node.taints.length === 0) return null;
        const taint = firstUntoleratedTaint(node.taints, tolerations);
        return taint ? rejectionFor(taint) : null;
      },
    };
  },
  skippedScore: MAX_NODE_SCORE,
  preScore(pod, _feasible, snapshot) {
    // without PreferNoSchedule taints every node scores the same (100 after normalizing)
    if (!snapshot.hasPreferNoScheduleTaints) return SKIP;
    const tolerations = pod.tolerations.filter((t) => t.effect === '' || t.effect === 'PreferNoSchedule');
    return {
      score(node) {
        let intolerable = 0;
        for (const taint of node.taints) {
          if (taint.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tolerations, taint)) intolerable++;
        }
        return intolerable;
      },
      normalize: (scores) => defaultNormalizeScore(scores, true),
    };
  },
};
