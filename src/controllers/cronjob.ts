import { create, event, eventRecord, remove, requeueAt, update, type Action } from '../reconcile/actions';
import type { Controller, ReconcileContext } from '../reconcile/controller';
import { clone, controllerOf, refOf, type KObject } from '../model/objects';
import { isKind, type CronJob, type Job } from '../model/kinds';
import type { CronJobStatus, JobSpec } from '../model/k8s';
import { fromRFC3339, toRFC3339 } from '../util/duration';
import { jobCondition } from '../api/kinds/job';
import { formatInZone, nextActivation, parseCron, type CronSchedule } from '../api/cron';

const SOURCE = 'cronjob-controller';
export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** cronjob_controllerv2: more missed start times than this gets a TooManyMissedTimes warning */
const TOO_MANY_MISSED = 100;

/** `<cronjob>-<scheduled unix time in minutes>` (getJobName). */
export function jobNameFor(cronJob: CronJob, scheduledAt: number): string {
  return `${cronJob.metadata.name}-${Math.floor(scheduledAt / 60_000)}`;
}

/** A Job from the CronJob's jobTemplate (getJobFromTemplate2), owned by the CronJob. */
export function jobFromCronJob(cronJob: CronJob, name: string, annotations: Record<string, string> = {}): Job {
  const template = cronJob.spec?.jobTemplate ?? {};
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: cronJob.metadata.namespace,
      ...(template.metadata?.labels ? { labels: { ...template.metadata.labels } } : {}),
      annotations: { ...(template.metadata?.annotations ?? {}), ...annotations },
      ownerReferences: [
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          name: cronJob.metadata.name,
          uid: cronJob.metadata.uid!,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: clone(template.spec ?? ({} as JobSpec)),
  };
}

function childJobs(cronJob: CronJob, ctx: ReconcileContext): Job[] {
  return ctx.store
    .ownedBy(cronJob.metadata.uid!)
    .filter((j): j is Job => isKind(j, 'Job') && controllerOf(j)?.uid === cronJob.metadata.uid);
}

function finishedType(job: Job): 'Complete' | 'Failed' | undefined {
  if (jobCondition(job, 'Complete')) return 'Complete';
  if (jobCondition(job, 'Failed')) return 'Failed';
  return undefined;
}

/** The most recent schedule time in (earliest, now], and how many were missed. */
function mostRecentScheduleTime(
  schedule: CronSchedule,
  earliest: number,
  now: number,
  tz: string | undefined,
): { time?: number; missed: number } {
  let time: number | undefined;
  let missed = 0;
  for (let t = nextActivation(schedule, earliest, tz); t !== undefined && t <= now; t = nextActivation(schedule, t, tz)) {
    time = t;
    missed++;
  }
  return { time, missed };
}

/** Events are level-triggered here: one per instant is enough, however many passes run. */
function recordedThisInstant(ctx: ReconcileContext, obj: KObject, reason: string): boolean {
  return ctx.store.events.has(refOf(obj), reason, ctx.now);
}

/**
 * CronJob controller (cronjob_controllerv2): at each schedule time creates a Job named
 * `<cronjob>-<unix minutes>`, honouring suspend, startingDeadlineSeconds and the
 * concurrency policy (Allow / Forbid / Replace); keeps status.active, lastScheduleTime and
 * lastSuccessfulTime; deletes finished Jobs beyond the history limits (oldest first).
 */
export const cronJobController: Controller<'CronJob'> = {
  name: 'cronjob',
  kind: 'CronJob',
  reconcile(cronJob, ctx) {
    if (cronJob.metadata.deletionTimestamp) return [];
    const actions: Action[] = [];
    const spec = cronJob.spec ?? {};
    const status: CronJobStatus = clone(cronJob.status ?? {});
    const jobs = childJobs(cronJob, ctx);
    const wasActive = new Set((status.active ?? []).map((r) => r.uid));
    const refOf = (j: Job) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      name: j.metadata.name,
      namespace: j.metadata.namespace,
      uid: j.metadata.uid,
    });

    for (const job of jobs) {
      const done = finishedType(job);
      if (done && wasActive.has(job.metadata.uid))
        actions.push(event(cronJob, 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata.name}, condition: ${done}`, SOURCE));
      if (
        done === 'Complete' &&
        job.status?.completionTime &&
        (!status.lastSuccessfulTime || fromRFC3339(status.lastSuccessfulTime) < fromRFC3339(job.status.completionTime))
      ) {
        status.lastSuccessfulTime = job.status.completionTime;
      }
    }
    const gone = new Set<string>();
    actions.push(...cleanupHistory(cronJob, jobs, gone));
    let active = jobs.filter((j) => !finishedType(j) && !gone.has(j.metadata.uid!));

    let next: number | undefined;
    if (!spec.suspend && spec.schedule) {
      const schedule = parseCron(spec.schedule);
      const tz: string | undefined = spec.timeZone ?? undefined;
      let earliest = fromRFC3339(status.lastScheduleTime ?? cronJob.metadata.creationTimestamp);
      if (spec.startingDeadlineSeconds !== undefined && spec.startingDeadlineSeconds !== null)
        earliest = Math.max(earliest, ctx.now - spec.startingDeadlineSeconds * 1000);
      const { time, missed } = mostRecentScheduleTime(schedule, earliest, ctx.now, tz);
      next = nextActivation(schedule, ctx.now, tz);
      if (missed > TOO_MANY_MISSED && !recordedThisInstant(ctx, cronJob, 'TooManyMissedTimes')) {
        actions.push(
          event(
            cronJob,
            'Warning',
            'TooManyMissedTimes',
            `too many missed start times: ${missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`,
            SOURCE,
          ),
        );
      }
      if (time !== undefined) {
        const name = jobNameFor(cronJob, time);
        const existing = ctx.store.get('Job', cronJob.metadata.namespace, name);
        if (existing) {
          // already started (this or an earlier pass): just remember it
          status.lastScheduleTime = toRFC3339(time);
        } else if (spec.concurrencyPolicy === 'Forbid' && active.length > 0) {
          // reported when the skipped time comes round; later syncs wait for the active job quietly
          if (time === ctx.now && !recordedThisInstant(ctx, cronJob, 'JobAlreadyActive'))
            actions.push(
              event(
                cronJob,
                'Normal',
                'JobAlreadyActive',
                'Not starting job because prior execution is running and concurrency policy is Forbid',
                SOURCE,
              ),
            );
        } else {
          if (spec.concurrencyPolicy === 'Replace') {
            for (const job of active) {
              actions.push(remove({ kind: 'Job', namespace: job.metadata.namespace, name: job.metadata.name }));
              actions.push(event(cronJob, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`, SOURCE));
            }
            active = [];
          }
          const job = jobFromCronJob(cronJob, name, { [SCHEDULED_TIMESTAMP_ANNOTATION]: formatInZone(time, tz) });
          actions.push(
            create(job, (created) => [eventRecord(cronJob, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name}`, SOURCE)]),
          );
          status.lastScheduleTime = toRFC3339(time);
        }
      }
    }
    const activeRefs = active.map(refOf);
    if (activeRefs.length) status.active = activeRefs;
    else delete status.active;
    if (JSON.stringify(status) !== JSON.stringify(cronJob.status ?? {})) actions.unshift(update({ ...cronJob, status }));
    if (next !== undefined) actions.push(requeueAt(next));
    return actions;
  },
};

function startOf(job: Job): number {
  return fromRFC3339(job.status?.startTime ?? job.metadata.creationTimestamp);
}

function cleanupHistory(cronJob: CronJob, jobs: Job[], gone: Set<string>): Action[] {
  const actions: Action[] = [];
  const prune = (type: 'Complete' | 'Failed', limit: number | undefined) => {
    if (limit === undefined || limit === null) return;
    const finished = jobs
      .filter((j) => finishedType(j) === type)
      .sort((a, b) => startOf(a) - startOf(b) || (a.metadata.name < b.metadata.name ? -1 : 1));
    for (const job of finished.slice(0, Math.max(0, finished.length - limit))) {
      gone.add(job.metadata.uid!);
      actions.push(remove({ kind: 'Job', namespace: job.metadata.namespace, name: job.metadata.name }));
      actions.push(event(cronJob, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`, SOURCE));
    }
  };
  prune('Complete', cronJob.spec?.successfulJobsHistoryLimit);
  prune('Failed', cronJob.spec?.failedJobsHistoryLimit);
  return actions;
}
