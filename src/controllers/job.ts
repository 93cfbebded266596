import { create, event, eventRecord, remove, requeueAt, update, type Action } from '../reconcile/actions';
import type { Controller, ReconcileContext } from '../reconcile/controller';
import { clone, controllerOf } from '../model/objects';
import { isKind, type Job, type Pod } from '../model/kinds';
import type { JobCondition, JobStatus } from '../model/k8s';
import { fromRFC3339, toRFC3339 } from '../util/duration';
import { isPodReady, isPodTerminal, podCondition } from '../api/kinds/pod';
import { isJobFinished, JOB_LABELS } from '../api/kinds/job';
import { podFromTemplate } from './pod-control';

const SOURCE = 'job-controller';
/** The finalizer the job controller keeps on its pods until it has counted them. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
/** pkg/controller/job: DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff */
const POD_FAILURE_BACKOFF_MS = 10_000;
const MAX_POD_FAILURE_BACKOFF_MS = 600_000;

export const REASON = {
  backoffLimitExceeded: 'BackoffLimitExceeded',
  deadlineExceeded: 'DeadlineExceeded',
  completionsReached: 'CompletionsReached',
} as const;

const MESSAGES: Record<string, string> = {
  [REASON.backoffLimitExceeded]: 'Job has reached the specified backoff limit',
  [REASON.deadlineExceeded]: 'Job was active longer than specified deadline',
  [REASON.completionsReached]: 'Reached expected number of succeeded pods',
};

function jobPods(job: Job, ctx: ReconcileContext): Pod[] {
  return ctx.store.ownedBy(job.metadata.uid!).filter((p): p is Pod => isKind(p, 'Pod') && controllerOf(p)?.uid === job.metadata.uid);
}

function podFinishedAt(pod: Pod): number {
  let at = 0;
  for (const c of pod.status?.containerStatuses ?? []) at = Math.max(at, fromRFC3339(c.state?.terminated?.finishedAt));
  return at || fromRFC3339(podCondition(pod, 'Ready')?.lastTransitionTime);
}

export function completionIndexOf(pod: Pod): number | undefined {
  const v = pod.metadata.annotations?.[JOB_LABELS.completionIndex] ?? pod.metadata.labels?.[JOB_LABELS.completionIndex];
  return v === undefined ? undefined : Number(v);
}

/** `0-2,4` ↔ [0,1,2,4], the Job's status.completedIndexes format. */
export function parseIndexes(text: string | undefined): Set<number> {
  const out = new Set<number>();
  for (const part of (text ?? '').split(',').filter(Boolean)) {
    const [a, b] = part.split('-').map(Number);
    for (let i = a; i <= (b ?? a); i++) out.add(i);
  }
  return out;
}

export function formatIndexes(indexes: Set<number>): string {
  const sorted = [...indexes].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

function jobConditionEntry(type: string, reason: string, message: string, now: number): JobCondition {
  return { type, status: 'True', lastProbeTime: toRFC3339(now), lastTransitionTime: toRFC3339(now), reason, message };
}

/**
 * Job controller (pkg/controller/job): runs pods until `completions` succeed, at most
 * `parallelism` at a time; counts terminated pods through the job-tracking finalizer;
 * re-creates failed pods after an exponential back-off (10 s doubling, max 10 min) until
 * more than backoffLimit have failed; enforces activeDeadlineSeconds; Indexed mode gives
 * each pod a completion index. Terminal conditions come after the interim ones
 * (SuccessCriteriaMet / FailureTarget) once no pod is left running, as in v1.31+.
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
    const completed = parseIndexes(status.completedIndexes);

    // count newly terminated pods and release their finalizer
    for (const pod of pods) {
      if (!pod.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER)) continue;
      const terminal = isPodTerminal(pod);
      if (!terminal && !pod.metadata.deletionTimestamp) continue;
      if (pod.status?.phase === 'Succeeded') {
        const idx = completionIndexOf(pod);
        if (indexed && idx !== undefined) completed.add(idx);
        else status.succeeded = (status.succeeded ?? 0) + 1;
      } else {
        // podFailurePolicy: the first rule matching the failed pod decides (pod_failure_policy.go)
        const rule = matchPodFailurePolicy(job, pod);
        if (rule?.action === 'FailJob' && !(status.conditions ?? []).some((c) => c.type === 'FailureTarget' && c.status === 'True'))
          (status.conditions ??= []).push(jobConditionEntry('FailureTarget', 'PodFailurePolicy', rule.message, now));
        if (rule?.action !== 'Ignore') status.failed = (status.failed ?? 0) + 1;
      }
      actions.push(
        update({ ...pod, metadata: { ...pod.metadata, finalizers: pod.metadata.finalizers.filter((f) => f !== JOB_TRACKING_FINALIZER) } }),
      );
    }
    if (indexed) {
      status.succeeded = completed.size;
      status.completedIndexes = formatIndexes(completed);
    }
    const active = pods.filter((p) => !isPodTerminal(p) && !p.metadata.deletionTimestamp);
    const terminating = pods.filter((p) => !isPodTerminal(p) && p.metadata.deletionTimestamp);
    const deleteActive = () => {
      for (const pod of active) actions.push(remove({ kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name }));
      active.length = 0;
    };
    const conditions = (status.conditions ??= []);
    const has = (type: string) => conditions.some((c) => c.type === type && c.status === 'True');

    if (spec.suspend) {
      deleteActive();
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

    // decide whether the job has succeeded or failed (interim conditions first)
    const succeeded = status.succeeded ?? 0;
    const completions: number | undefined = spec.completions ?? undefined;
    if (!has('FailureTarget') && !has('SuccessCriteriaMet') && !spec.suspend) {
      const reachedCompletions = completions !== undefined ? succeeded >= completions : succeeded > 0 && active.length === 0;
      const restarts = active.reduce((n, p) => n + (p.status?.containerStatuses ?? []).reduce((m, c) => m + (c.restartCount ?? 0), 0), 0);
      const backoffLimit: number = spec.backoffLimit ?? 6;
      const pastOnFailure =
        spec.template?.spec?.restartPolicy === 'OnFailure' && (backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit);
      const deadlineAt =
        spec.activeDeadlineSeconds && status.startTime ? fromRFC3339(status.startTime) + spec.activeDeadlineSeconds * 1000 : undefined;
      if (reachedCompletions) {
        conditions.push(jobConditionEntry('SuccessCriteriaMet', REASON.completionsReached, MESSAGES[REASON.completionsReached], now));
      } else if ((status.failed ?? 0) > backoffLimit || pastOnFailure) {
        conditions.push(jobConditionEntry('FailureTarget', REASON.backoffLimitExceeded, MESSAGES[REASON.backoffLimitExceeded], now));
      } else if (deadlineAt !== undefined && now >= deadlineAt) {
        conditions.push(jobConditionEntry('FailureTarget', REASON.deadlineExceeded, MESSAGES[REASON.deadlineExceeded], now));
      } else if (deadlineAt !== undefined) actions.push(requeueAt(deadlineAt));
    }
    const target = conditions.find((c) => (c.type === 'FailureTarget' || c.type === 'SuccessCriteriaMet') && c.status === 'True');
    if (target) {
      deleteActive();
      if (terminating.length === 0 && active.length === 0) {
        const type = target.type === 'FailureTarget' ? 'Failed' : 'Complete';
        conditions.push(jobConditionEntry(type, target.reason!, target.message!, now));
        if (type === 'Complete') {
          status.completionTime = toRFC3339(now);
          actions.push(event(job, 'Normal', 'Completed', 'Job completed', SOURCE));
        } else actions.push(event(job, 'Warning', target.reason!, target.message!, SOURCE));
        if (spec.ttlSecondsAfterFinished !== undefined) actions.push(requeueAt(now + spec.ttlSecondsAfterFinished * 1000));
      }
    } else if (!spec.suspend) {
      actions.push(...createPods(job, status.succeeded ?? 0, pods, active, completed, ctx));
    }

    status.active = active.length;
    status.ready = active.filter(isPodReady).length;
    status.terminating = terminating.length;
    status.uncountedTerminatedPods ??= {};
    for (const k of ['active', 'succeeded', 'failed'] as const) if (!status[k]) delete status[k];
    if (!conditions.length) delete status.conditions;
    if (!status.completedIndexes && !indexed) delete status.completedIndexes;
    if (JSON.stringify(status) !== JSON.stringify(job.status ?? {})) actions.unshift(update({ ...job, status }));
    return actions;
  },
};

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

function createPods(job: Job, succeeded: number, pods: Pod[], active: Pod[], completed: Set<number>, ctx: ReconcileContext): Action[] {
  const spec = job.spec;
  const parallelism: number = spec.parallelism ?? 1;
  const wanted: number[] = [];
  if (spec.completionMode === 'Indexed') {
    const running = new Set(active.map(completionIndexOf));
    const room = parallelism - active.length;
    for (let i = 0; i < spec.completions! && wanted.length < room; i++) if (!completed.has(i) && !running.has(i)) wanted.push(i);
  } else {
    const remaining =
      spec.completions !== undefined && spec.completions !== null ? spec.completions - succeeded : succeeded > 0 ? 0 : parallelism;
    const count = Math.min(parallelism, remaining) - active.length;
    for (let i = 0; i < count; i++) wanted.push(-1);
  }
  if (!wanted.length) return [];
  const readyAt = backoffUntil(pods);
  if (ctx.now < readyAt) return [requeueAt(readyAt)];
  return wanted.map((index) => {
    const indexed = index >= 0;
    const pod = podFromTemplate(job, spec.template, {
      generateName: indexed ? `${job.metadata.name}-${index}-` : `${job.metadata.name}-`,
      extraLabels: indexed ? { [JOB_LABELS.completionIndex]: String(index) } : {},
    });
    pod.metadata.finalizers = [JOB_TRACKING_FINALIZER];
    if (indexed) {
      pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [JOB_LABELS.completionIndex]: String(index) };
      pod.spec.hostname ??= `${job.metadata.name}-${index}`;
    }
    return create(pod, (created) => [eventRecord(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, SOURCE)]);
  });
}
