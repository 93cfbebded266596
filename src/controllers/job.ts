import { create, event, eventRecord, remove, requeueAt, update, type Action } from '../reconcile/actions';
import type { Controller, ReconcileContext } from '../reconcile/controller';
import { clone, controllerOf } from '../model/objects';
import { isKind, type Job, type Pod } from '../model/kinds';
import type { JobCondition, JobStatus, PodSpec } from '../model/k8s';
import { fromRFC3339, toRFC3339 } from '../util/duration';
import { isPodReady, isPodTerminal, podCondition } from '../api/kinds/pod';
import { isJobFinished, JOB_LABELS } from '../api/kinds/job';
import { podFromTemplate } from './pod-control';
import {
  completionIndexOf,
  formatIndexes,
  hasBackoffLimitPerIndex,
  indexAbsoluteFailureCount,
  indexFailureCount,
  matchSuccessPolicy,
  parseIndexes,
  replacementFailureCounts,
} from './job-indexes';

export { completionIndexOf, formatIndexes, parseIndexes } from './job-indexes';

const SOURCE = 'job-controller';
/** The finalizer the job controller keeps on its pods until it has counted them. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
/** pkg/controller/job: DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff */
const POD_FAILURE_BACKOFF_MS = 10_000;
const MAX_POD_FAILURE_BACKOFF_MS = 600_000;

/** batch.JobReason* (k8s.io/api/batch/v1 types.go) */
export const REASON = {
  backoffLimitExceeded: 'BackoffLimitExceeded',
  deadlineExceeded: 'DeadlineExceeded',
  completionsReached: 'CompletionsReached',
  podFailurePolicy: 'PodFailurePolicy',
  failedIndexes: 'FailedIndexes',
  maxFailedIndexesExceeded: 'MaxFailedIndexesExceeded',
  successPolicy: 'SuccessPolicy',
} as const;

/** The condition messages job_controller.go writes. */
const MESSAGES: Record<string, string> = {
  [REASON.backoffLimitExceeded]: 'Job has reached the specified backoff limit',
  [REASON.deadlineExceeded]: 'Job was active longer than specified deadline',
  [REASON.completionsReached]: 'Reached expected number of succeeded pods',
  [REASON.failedIndexes]: 'Job has failed indexes',
  [REASON.maxFailedIndexesExceeded]: 'Job has exceeded the specified maximal number of failed indexes',
};

function jobPods(job: Job, ctx: ReconcileContext): Pod[] {
  return ctx.store.ownedBy(job.metadata.uid!).filter((p): p is Pod => isKind(p, 'Pod') && controllerOf(p)?.uid === job.metadata.uid);
}

function podFinishedAt(pod: Pod): number {
  let at = 0;
  for (const c of pod.status?.containerStatuses ?? []) at = Math.max(at, fromRFC3339(c.state?.terminated?.finishedAt));
  return at || fromRFC3339(podCondition(pod, 'Ready')?.lastTransitionTime);
}

function jobConditionEntry(type: string, reason: string, message: string, now: number): JobCondition {
  return { type, status: 'True', lastProbeTime: toRFC3339(now), lastTransitionTime: toRFC3339(now), reason, message };
}

const hasTrackingFinalizer = (pod: Pod) => !!pod.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER);

/** podReplacementPolicy Failed: a terminating pod is replaced only once it has failed. */
const onlyReplaceFailedPods = (job: Job) => job.spec?.podReplacementPolicy === 'Failed' || !!job.spec?.podFailurePolicy;

/** isPodFailed: phase Failed, or deleted before it succeeded (unless only failed pods are replaced). */
function isPodFailed(pod: Pod, job: Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!pod.metadata.deletionTimestamp && pod.status?.phase !== 'Succeeded';
}

/** Whether a failed pod counts toward backoffLimit (and its index's failures): not when an Ignore rule matches. */
const countsAsFailure = (job: Job, pod: Pod) => matchPodFailurePolicy(job, pod)?.action !== 'Ignore';

/**
 * isIndexFailed: the pod's index is failed for good when a FailIndex rule matches, or when
 * the failures of the index before this pod (its failure-count annotation) reach
 * backoffLimitPerIndex and this failure counts.
 */
function isIndexFailed(job: Job, pod: Pod): boolean {
  if (!isPodFailed(pod, job)) return false;
  const rule = matchPodFailurePolicy(job, pod);
  if (rule?.action === 'FailIndex') return true;
  return rule?.action !== 'Ignore' && indexFailureCount(pod) >= job.spec.backoffLimitPerIndex!;
}

/**
 * Job controller (pkg/controller/job): runs pods until `completions` succeed, at most
 * `parallelism` at a time; counts terminated pods through the job-tracking finalizer;
 * re-creates failed pods after an exponential back-off (10 s doubling, max 10 min) until
 * more than backoffLimit have failed; enforces activeDeadlineSeconds; Indexed mode gives
 * each pod a completion index, with `backoffLimitPerIndex` a back-off and a failure budget
 * per index (status.failedIndexes) and with `successPolicy` success once chosen indexes
 * succeed. Terminal conditions come after the interim ones (SuccessCriteriaMet /
 * FailureTarget) once no pod is left running, as in v1.31+; the criteria are weighed in
 * syncJob's order: a pre-existing interim condition, podFailurePolicy FailJob,
 * backoffLimit, activeDeadlineSeconds, failed indexes, successPolicy, completions.
 * ttlSecondsAfterFinished is the TTL-after-finished controller's job, done here.
 */
export const jobController: Controller<'Job'> = {
  name: 'job',
  kind: 'Job',
  reconcile(job, ctx) {
    if (job.metadata.deletionTimestamp) return [];
    if (isJobFinished(job)) return ttlActions(job, ctx);
    const actions: Action[] = [];
    const spec = job.spec ?? {};
    const status: JobStatus = clone(job.status ?? {});
    const now = ctx.now;
    const pods = jobPods(job, ctx);
    const indexed = spec.completionMode === 'Indexed';
    const completions: number | undefined = spec.completions ?? undefined;
    const perIndex = hasBackoffLimitPerIndex(job);
    const inRange = (pod: Pod) => {
      if (!indexed) return true;
      const idx = completionIndexOf(pod);
      return idx !== undefined && idx < completions!;
    };
    // pods not yet counted in the status (they keep the tracking finalizer)
    const tracked = pods.filter((p) => hasTrackingFinalizer(p) && inRange(p));
    const active = pods.filter((p) => !isPodTerminal(p) && !p.metadata.deletionTimestamp);
    const terminating = pods.filter((p) => !isPodTerminal(p) && p.metadata.deletionTimestamp);
    const conditions = (status.conditions ??= []);
    const has = (type: string) => conditions.some((c) => c.type === type && c.status === 'True');

    if (spec.suspend) {
      if (!has('Suspended')) {
        conditions.push(jobConditionEntry('Suspended', 'JobSuspended', 'Job suspended', now));
        actions.push(event(job, 'Normal', 'Suspended', 'Job suspended', SOURCE));
      }
    } else {
      const suspended = conditions.find((c) => c.type === 'Suspended' && c.status === 'True');
      if (suspended) {
        Object.assign(suspended, {
          status: 'False',
          reason: 'JobResumed',
          message: 'Job resumed',
          lastTransitionTime: toRFC3339(now),
          lastProbeTime: toRFC3339(now),
        });
        actions.push(event(job, 'Normal', 'Resumed', 'Job resumed', SOURCE));
        delete status.startTime;
      }
      status.startTime ??= toRFC3339(now);
    }

    // calculateSucceededIndexes / calculateFailedIndexes: the status's lists and the pods counted now
    const completed = indexed ? parseIndexes(status.completedIndexes, completions) : new Set<number>();
    const failedIndexes = perIndex ? parseIndexes(status.failedIndexes, completions) : undefined;
    for (const pod of indexed ? tracked : []) {
      if (pod.status?.phase === 'Succeeded') completed.add(completionIndexOf(pod)!);
      else if (failedIndexes && isIndexFailed(job, pod)) failedIndexes.add(completionIndexOf(pod)!);
    }
    const delayed = perIndex ? podsWithDelayedDeletionPerIndex(job, tracked, active, completed, failedIndexes!) : new Map<number, Pod>();
    const newlyFailed = tracked.filter((p) => isPodFailed(p, job));
    const succeeded = indexed ? completed.size : (status.succeeded ?? 0) + tracked.filter((p) => p.status?.phase === 'Succeeded').length;

    // the end state: a condition already reached, or the first criterion met now
    let finishing = conditions.find((c) => (c.type === 'SuccessCriteriaMet' || c.type === 'FailureTarget') && c.status === 'True');
    if (!finishing) {
      const reached = (type: string, reason: string, message: string) => (finishing = jobConditionEntry(type, reason, message, now));
      const failJob = pods
        .filter((p) => isPodFailed(p, job))
        .map((p) => matchPodFailurePolicy(job, p))
        .find((rule) => rule?.action === 'FailJob');
      const failedCount = (status.failed ?? 0) + newlyFailed.filter((p) => countsAsFailure(job, p)).length;
      const restarts = active.reduce((n, p) => n + (p.status?.containerStatuses ?? []).reduce((m, c) => m + (c.restartCount ?? 0), 0), 0);
      const backoffLimit: number = spec.backoffLimit ?? 6;
      const pastOnFailure =
        spec.template?.spec?.restartPolicy === 'OnFailure' && (backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit);
      const deadlineAt =
        spec.activeDeadlineSeconds && status.startTime && !spec.suspend
          ? fromRFC3339(status.startTime) + spec.activeDeadlineSeconds * 1000
          : undefined;
      if (failJob) reached('FailureTarget', REASON.podFailurePolicy, failJob.message);
      else if (failedCount > backoffLimit || pastOnFailure)
        reached('FailureTarget', REASON.backoffLimitExceeded, MESSAGES[REASON.backoffLimitExceeded]);
      else if (deadlineAt !== undefined && now >= deadlineAt)
        reached('FailureTarget', REASON.deadlineExceeded, MESSAGES[REASON.deadlineExceeded]);
      else {
        if (deadlineAt !== undefined) actions.push(requeueAt(deadlineAt));
        const maxFailed = spec.maxFailedIndexes ?? undefined;
        const successPolicyMatch = indexed ? matchSuccessPolicy(spec.successPolicy, completions!, completed) : undefined;
        if (failedIndexes && maxFailed !== undefined && failedIndexes.size > maxFailed)
          reached('FailureTarget', REASON.maxFailedIndexesExceeded, MESSAGES[REASON.maxFailedIndexesExceeded]);
        else if (failedIndexes && failedIndexes.size > 0 && failedIndexes.size + completed.size >= completions!)
          reached('FailureTarget', REASON.failedIndexes, MESSAGES[REASON.failedIndexes]);
        else if (successPolicyMatch) reached('SuccessCriteriaMet', REASON.successPolicy, successPolicyMatch);
        else if (completions !== undefined ? succeeded >= completions : succeeded > 0 && active.length === 0)
          reached('SuccessCriteriaMet', REASON.completionsReached, MESSAGES[REASON.completionsReached]);
      }
      if (finishing) conditions.push(finishing);
    }
    const failing = finishing?.type === 'FailureTarget';

    // count finished pods and release their finalizer (all of them once the Job is finishing)
    for (const pod of tracked) {
      if (pod.status?.phase === 'Succeeded') {
        if (!indexed) status.succeeded = (status.succeeded ?? 0) + 1;
      } else if (isPodFailed(pod, job)) {
        // kept until its replacement carries the index's failure count
        if (!finishing && delayed.get(completionIndexOf(pod)!) === pod) continue;
        if (countsAsFailure(job, pod)) status.failed = (status.failed ?? 0) + 1;
      } else if (finishing) {
        // a Job that fails counts every pod it stops as failed; one that succeeds does not
        if (failing && countsAsFailure(job, pod)) status.failed = (status.failed ?? 0) + 1;
      } else continue;
      actions.push(
        update({ ...pod, metadata: { ...pod.metadata, finalizers: pod.metadata.finalizers!.filter((f) => f !== JOB_TRACKING_FINALIZER) } }),
      );
    }
    if (indexed) {
      status.succeeded = completed.size;
      status.completedIndexes = formatIndexes(completed);
    }
    if (failedIndexes) status.failedIndexes = formatIndexes(failedIndexes);
    else delete status.failedIndexes;

    const stopped: Pod[] = [];
    const stop = (pods: Pod[]) => {
      for (const pod of pods) {
        actions.push(remove({ kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name }));
        stopped.push(pod);
      }
    };
    if (finishing) {
      stop(active);
      // delayTerminalCondition: Complete / Failed only once no pod of the Job is left terminating
      if (terminating.length === 0 && active.length === 0) {
        const type = finishing.type === 'FailureTarget' ? 'Failed' : 'Complete';
        conditions.push(jobConditionEntry(type, finishing.reason!, finishing.message!, now));
        if (type === 'Complete') {
          status.completionTime = toRFC3339(now);
          actions.push(event(job, 'Normal', 'Completed', 'Job completed', SOURCE));
        } else actions.push(event(job, 'Warning', finishing.reason!, finishing.message!, SOURCE));
        if (spec.ttlSecondsAfterFinished !== undefined) actions.push(requeueAt(now + spec.ttlSecondsAfterFinished * 1000));
      }
    } else if (spec.suspend) {
      stop(active);
    } else {
      actions.push(...createPods(job, succeeded, { pods, active, terminating, completed, failedIndexes, delayed }, ctx));
    }

    const running = active.filter((p) => !stopped.includes(p));
    status.active = running.length;
    status.ready = running.filter(isPodReady).length;
    status.terminating = terminating.length + stopped.length;
    status.uncountedTerminatedPods ??= {};
    for (const k of ['active', 'succeeded', 'failed'] as const) if (!status[k]) delete status[k];
    if (!conditions.length) delete status.conditions;
    if (!status.completedIndexes && !indexed) delete status.completedIndexes;
    if (JSON.stringify(status) !== JSON.stringify(job.status ?? {})) actions.unshift(update({ ...job, status }));
    return actions;
  },
};

/**
 * getPodsWithDelayedDeletionPerIndex: per index that is neither done, failed nor running, its
 * last failed pod, whose finalizer stays until the replacement pod is created, so that the
 * replacement's failure count and back-off can be read from it.
 */
function podsWithDelayedDeletionPerIndex(
  job: Job,
  tracked: Pod[],
  active: Pod[],
  completed: Set<number>,
  failed: Set<number>,
): Map<number, Pod> {
  const running = new Set(active.map(completionIndexOf));
  const out = new Map<number, Pod>();
  for (const pod of tracked) {
    if (!isPodFailed(pod, job)) continue;
    const ix = completionIndexOf(pod)!;
    if (completed.has(ix) || failed.has(ix) || running.has(ix)) continue;
    const last = out.get(ix);
    if (!last || (indexAbsoluteFailureCount(last) <= indexAbsoluteFailureCount(pod) && podFinishedAt(pod) >= podFinishedAt(last)))
      out.set(ix, pod);
  }
  return out;
}

/**
 * The podFailurePolicy rule a failed pod matches, if any (pkg/controller/job/pod_failure_policy.go
 * matchPodFailurePolicy): onExitCodes matches a terminated container's non-zero exit code (In /
 * NotIn, optionally one container), onPodConditions a condition of the pod with that status.
 */
export function matchPodFailurePolicy(job: Job, pod: Pod): { action: string; message: string } | undefined {
  const rules = job.spec?.podFailurePolicy?.rules ?? [];
  const ref = `${pod.metadata.namespace}/${pod.metadata.name}`;
  for (const [index, rule] of rules.entries()) {
    const onExit = rule.onExitCodes;
    if (onExit) {
      const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
      for (const cs of statuses) {
        if (onExit.containerName && onExit.containerName !== cs.name) continue;
        const code = cs.state?.terminated?.exitCode;
        if (code === undefined || code === 0) continue;
        const listed = (onExit.values ?? []).includes(code);
        if (onExit.operator === 'In' ? listed : !listed)
          return {
            action: rule.action,
            message: `Container ${cs.name} for pod ${ref} failed with exit code ${code} matching ${rule.action} rule at index ${index}`,
          };
      }
    }
    for (const pattern of rule.onPodConditions ?? []) {
      const cond = (pod.status?.conditions ?? []).find((c) => c.type === pattern.type && c.status === (pattern.status ?? 'True'));
      if (cond)
        return { action: rule.action, message: `Pod ${ref} has condition ${pattern.type} matching ${rule.action} rule at index ${index}` };
    }
  }
  return undefined;
}

function ttlActions(job: Job, ctx: ReconcileContext): Action[] {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null) return [];
  const finished = (type: string) => job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
  const finishedAt = fromRFC3339(job.status?.completionTime ?? (finished('Failed') ?? finished('Complete'))?.lastTransitionTime);
  const expireAt = finishedAt + ttl * 1000;
  if (ctx.now < expireAt) return [requeueAt(expireAt)];
  return [remove({ kind: 'Job', namespace: job.metadata.namespace, name: job.metadata.name })];
}

/** How long new pods wait after failures since the last success (the pod failure back-off). */
function backoffUntil(pods: Pod[]): number {
  const lastSuccess = Math.max(0, ...pods.filter((p) => p.status?.phase === 'Succeeded').map(podFinishedAt));
  const failures = pods
    .filter((p) => p.status?.phase === 'Failed')
    .map(podFinishedAt)
    .filter((t) => t >= lastSuccess);
  if (!failures.length) return 0;
  const delay = Math.min(POD_FAILURE_BACKOFF_MS * 2 ** (failures.length - 1), MAX_POD_FAILURE_BACKOFF_MS);
  return Math.max(...failures) + delay;
}

interface PodSet {
  pods: Pod[];
  active: Pod[];
  terminating: Pod[];
  completed: Set<number>;
  failedIndexes: Set<number> | undefined;
  delayed: Map<number, Pod>;
}

/** getRemainingTimeForFailuresCount: 10 s doubling per failure, at most 10 min, from the last failure. */
function backoffEnd(failures: number, lastFailureAt: number): number {
  if (failures === 0) return 0;
  return lastFailureAt + Math.min(POD_FAILURE_BACKOFF_MS * 2 ** (failures - 1), MAX_POD_FAILURE_BACKOFF_MS);
}

/** JOB_COMPLETION_INDEX from the pod's index label (addCompletionIndexEnvVariables, PodIndexLabel on). */
function addCompletionIndexEnv(spec: PodSpec): void {
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    if ((c.env ?? []).some((e) => e.name === 'JOB_COMPLETION_INDEX')) continue;
    (c.env ??= []).push({
      name: 'JOB_COMPLETION_INDEX',
      valueFrom: { fieldRef: { fieldPath: `metadata.labels['${JOB_LABELS.completionIndex}']` } },
    });
  }
}

/** manageJob's creation half: as many pods as parallelism and the remaining completions allow, after the back-off. */
function createPods(job: Job, succeeded: number, set: PodSet, ctx: ReconcileContext): Action[] {
  const spec = job.spec;
  const parallelism: number = spec.parallelism ?? 1;
  const completions = spec.completions ?? undefined;
  const wantActive =
    completions !== undefined
      ? Math.max(0, Math.min(parallelism, completions - succeeded))
      : succeeded > 0
        ? set.active.length
        : parallelism;
  const count = wantActive - set.active.length - (onlyReplaceFailedPods(job) ? set.terminating.length : 0);
  if (count <= 0) return [];
  let wanted: number[] = [];
  const perIndex = hasBackoffLimitPerIndex(job);
  if (spec.completionMode === 'Indexed') {
    // firstPendingIndexes: not done, not running, not failed for good (nor terminating, when only failed pods are replaced)
    const busy = new Set([...set.active, ...(onlyReplaceFailedPods(job) ? set.terminating : [])].map(completionIndexOf));
    for (let i = 0; i < completions! && wanted.length < count; i++)
      if (!set.completed.has(i) && !busy.has(i) && !set.failedIndexes?.has(i)) wanted.push(i);
    if (perIndex) {
      // getPodCreationInfoForIndependentIndexes: each index waits out its own back-off
      const readyAt = (i: number) => {
        const last = set.delayed.get(i);
        return last ? backoffEnd(indexAbsoluteFailureCount(last) + 1, podFinishedAt(last)) : 0;
      };
      const now = wanted.filter((i) => ctx.now >= readyAt(i));
      if (!now.length && wanted.length) return [requeueAt(Math.min(...wanted.map(readyAt)))];
      wanted = now;
    }
  } else {
    for (let i = 0; i < count; i++) wanted.push(-1);
  }
  if (!wanted.length) return [];
  if (!perIndex) {
    const readyAt = backoffUntil(set.pods);
    if (ctx.now < readyAt) return [requeueAt(readyAt)];
  }
  return wanted.map((index) => {
    const indexed = index >= 0;
    const pod = podFromTemplate(job, spec.template, {
      generateName: indexed ? `${job.metadata.name}-${index}-` : `${job.metadata.name}-`,
      extraLabels: indexed ? { [JOB_LABELS.completionIndex]: String(index) } : {},
    });
    pod.metadata.finalizers = [JOB_TRACKING_FINALIZER];
    if (indexed) {
      const replaced = set.delayed.get(index);
      pod.metadata.annotations = {
        ...(pod.metadata.annotations ?? {}),
        [JOB_LABELS.completionIndex]: String(index),
        ...(perIndex ? replacementFailureCounts(replaced, !replaced || countsAsFailure(job, replaced)) : {}),
      };
      pod.spec.hostname = `${job.metadata.name}-${index}`;
      addCompletionIndexEnv(pod.spec);
    }
    return create(pod, (created) => [eventRecord(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, SOURCE)]);
  });
}
