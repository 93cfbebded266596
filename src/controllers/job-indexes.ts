import type { Job, Pod } from '../model/kinds';
import type { SuccessPolicy } from '../model/k8s';
import { JOB_LABELS } from '../api/kinds/job';

/**
 * Completion indexes of an Indexed Job: the `0-2,4` lists of status.completedIndexes and
 * status.failedIndexes, the per-index failure counts kept in pod annotations, and the
 * successPolicy rules (pkg/controller/job/indexed_job_utils.go, success_policy.go).
 */

/** batch.JobIndexFailureCountAnnotation / JobIndexIgnoredFailureCountAnnotation */
export const INDEX_FAILURE_COUNT = 'batch.kubernetes.io/job-index-failure-count';
export const INDEX_IGNORED_FAILURE_COUNT = 'batch.kubernetes.io/job-index-ignored-failure-count';

/** getCompletionIndex: the pod's completion index annotation, undefined when missing or not a non-negative integer. */
export function completionIndexOf(pod: Pod): number | undefined {
  const v = pod.metadata.annotations?.[JOB_LABELS.completionIndex];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

/**
 * parseIndexesFromString: `0-2,4` → {0,1,2,4}. Intervals at or past `completions` are
 * dropped (the list is cut there, as the controller does when completions shrink).
 */
export function parseIndexes(text: string | undefined | null, completions = Number.MAX_SAFE_INTEGER): Set<number> {
  const out = new Set<number>();
  for (const part of (text ?? '').split(',').filter(Boolean)) {
    const [a, b] = part.split('-').map(Number);
    if (!Number.isInteger(a)) continue;
    if (a >= completions) break;
    const last = Math.min(Number.isInteger(b) ? b : a, completions - 1);
    for (let i = a; i <= last; i++) out.add(i);
  }
  return out;
}

/**
 * orderedIntervals.String(): runs of three or more as `a-b`, a run of two as `a,b`
 * (Go writes the second member of a two-index interval after a comma).
 */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    if (j === i) parts.push(String(sorted[i]));
    else parts.push(`${sorted[i]}${j === i + 1 ? ',' : '-'}${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** parseInt32 of an index failure count annotation: 0 when missing, unparsable, negative or past int32. */
function countAnnotation(pod: Pod, key: string): number {
  const v = pod.metadata.annotations?.[key];
  if (v === undefined || !/^\d+$/.test(v)) return 0;
  const n = Number(v);
  return n > 2 ** 31 - 1 ? 0 : n;
}

export function indexFailureCount(pod: Pod): number {
  return countAnnotation(pod, INDEX_FAILURE_COUNT);
}

/** getIndexAbsoluteFailureCount: counted and ignored failures of the index before this pod. */
export function indexAbsoluteFailureCount(pod: Pod): number {
  return countAnnotation(pod, INDEX_FAILURE_COUNT) + countAnnotation(pod, INDEX_IGNORED_FAILURE_COUNT);
}

/**
 * getNewIndexFailureCounts: the annotations of a pod replacing `replaced` in its index; a
 * failure the podFailurePolicy ignores is kept apart (it still lengthens the back-off).
 */
export function replacementFailureCounts(replaced: Pod | undefined, counted: boolean): Record<string, string> {
  if (!replaced) return { [INDEX_FAILURE_COUNT]: '0' };
  const failures = indexFailureCount(replaced) + (counted ? 1 : 0);
  const ignored = countAnnotation(replaced, INDEX_IGNORED_FAILURE_COUNT) + (counted ? 0 : 1);
  return { [INDEX_FAILURE_COUNT]: String(failures), ...(ignored > 0 ? { [INDEX_IGNORED_FAILURE_COUNT]: String(ignored) } : {}) };
}

/**
 * matchSuccessPolicy: the first rule whose succeededIndexes all succeeded (or at least
 * succeededCount of them), or, without succeededIndexes, whose succeededCount is reached.
 * Returns the condition message, "Matched rules at index N".
 */
export function matchSuccessPolicy(policy: SuccessPolicy | undefined, completions: number, succeeded: Set<number>): string | undefined {
  if (!policy || succeeded.size === 0) return undefined;
  for (const [index, rule] of (policy.rules ?? []).entries()) {
    if (rule.succeededIndexes !== undefined && rule.succeededIndexes !== null) {
      const required = parseIndexes(rule.succeededIndexes, completions);
      if (required.size === 0) continue;
      let contains = 0;
      for (const i of required) if (succeeded.has(i)) contains++;
      if (
        contains === required.size ||
        (rule.succeededCount !== undefined && rule.succeededCount !== null && contains >= rule.succeededCount)
      )
        return `Matched rules at index ${index}`;
    } else if (rule.succeededCount !== undefined && rule.succeededCount !== null && succeeded.size >= rule.succeededCount) {
      return `Matched rules at index ${index}`;
    }
  }
  return undefined;
}

export function hasBackoffLimitPerIndex(job: Job): boolean {
  return job.spec?.completionMode === 'Indexed' && job.spec.backoffLimitPerIndex !== undefined && job.spec.backoffLimitPerIndex !== null;
}
