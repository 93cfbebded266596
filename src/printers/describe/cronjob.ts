import type { CronJob } from '../../model/kinds';
import { orEmpty } from '../../model/objects';
import { registerDescriber, DescribeWriter, type DescribeContext } from '../describe';
import { goBool, labelSelectorString, orUnset, rfc1123z, writeEvents } from './format';
import { writePodTemplate } from './pod-template';

/** kubectl's describeCronJob (v1.32), with describeJobTemplate and printActiveJobs. */
export function describeCronJob(cj: CronJob, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  const spec = cj.spec ?? {};
  const status = cj.status ?? {};
  w.nameAndMeta(cj);
  w.line(0, 'Schedule:', spec.schedule ?? '');
  w.line(0, 'Concurrency Policy:', spec.concurrencyPolicy ?? '');
  w.line(0, 'Suspend:', spec.suspend === undefined || spec.suspend === null ? '<unset>' : goBool(spec.suspend));
  w.line(0, 'Successful Job History Limit:', orUnset(spec.successfulJobsHistoryLimit));
  w.line(0, 'Failed Job History Limit:', orUnset(spec.failedJobsHistoryLimit));
  w.line(0, 'Starting Deadline Seconds:', orUnset(spec.startingDeadlineSeconds, 's'));
  const job = orEmpty(spec.jobTemplate?.spec);
  w.line(0, 'Selector:', job.selector ? labelSelectorString(job.selector) : '<unset>');
  w.line(0, 'Parallelism:', orUnset(job.parallelism));
  w.line(0, 'Completions:', orUnset(job.completions));
  if (job.activeDeadlineSeconds !== undefined) w.line(0, 'Active Deadline Seconds:', `${job.activeDeadlineSeconds}s`);
  writePodTemplate(w, job.template);
  w.line(0, 'Last Schedule Time:', status.lastScheduleTime ? rfc1123z(status.lastScheduleTime) : '<unset>');
  const active = status.active ?? [];
  w.line(0, 'Active Jobs:', active.length ? active.map((j) => j.name).join(', ') : '<none>');
  writeEvents(w, ctx.events(cj), ctx.now);
  return w.toString();
}

registerDescriber('CronJob', () => describeCronJob);
