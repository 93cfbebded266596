import { MAX_NODE_SCORE } from '../framework';

/**
 * helper.DefaultNormalizeScore: scale scores so the highest is 100 (integer division);
 * `reverse` turns "more is worse" counts into scores. All zero: 0 each, or 100 each when reversed.
 */
export function defaultNormalizeScore(scores: Float64Array, reverse: boolean, maxPriority = MAX_NODE_SCORE): void {
  let maxCount = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] > maxCount) maxCount = scores[i];
  if (maxCount === 0) {
    if (reverse) scores.fill(maxPriority);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    let score = Math.trunc((maxPriority * scores[i]) / maxCount);
    if (reverse) score = maxPriority - score;
    scores[i] = score;
  }
}
