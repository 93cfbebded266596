import type { Job } from '../../model/kinds';
import { registerDescriber, DescribeWriter, type DescribeContext } from '../describe';
import { fromRFC3339, humanDuration } from '../../util/duration';
import { controllerString, labelSelectorString, orUnset, rfc1123z, writeEvents } from './format';
import { writePodTemplate } from './pod-template';

/** kubectl's describeJob (v1.32). */
export function describeJob(job: Job, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  const spec = job.spec ?? {};
  const status = job.status ?? {};
  w.line(0, 'Name:', job.metadata.name);
  w.line(0, 'Namespace:', job.metadata.namespace ?? '');
  w.line(0, 'Selector:', labelSelectorString(spec.selector));
  w.map(0, 'Labels', job.metadata.labels);
  w.annotations(0, job.metadata.annotations);
  const controlledBy = controllerString(job.metadata.ownerReferences);
  if (controlledBy) w.line(0, 'Controlled By:', controlledBy);
  if (spec.parallelism !== undefined) w.line(0, 'Parallelism:', String(spec.parallelism));
  w.line(0, 'Completions:', orUnset(spec.completions));
  if (spec.completionMode) w.line(0, 'Completion Mode:', spec.completionMode);
  if (spec.suspend !== undefined) w.line(0, 'Suspend:', String(spec.suspend));
  if (spec.backoffLimit !== undefined) w.line(0, 'Backoff Limit:', String(spec.backoffLimit));
  if (spec.ttlSecondsAfterFinished !== undefined) w.line(0, 'TTL Seconds After Finished:', String(spec.ttlSecondsAfterFinished));
  if (status.startTime) w.line(0, 'Start Time:', rfc1123z(status.startTime));
  if (status.completionTime) w.line(0, 'Completed At:', rfc1123z(status.completionTime));
  if (status.startTime && status.completionTime)
    w.line(0, 'Duration:', humanDuration(fromRFC3339(status.completionTime) - fromRFC3339(status.startTime)));
  if (spec.activeDeadlineSeconds !== undefined) w.line(0, 'Active Deadline Seconds:', `${spec.activeDeadlineSeconds}s`);
  w.line(
    0,
    'Pods Statuses:',
    `${status.active ?? 0} Active (${status.ready ?? 0} Ready) / ${status.succeeded ?? 0} Succeeded / ${status.failed ?? 0} Failed`,
  );
  if (spec.completionMode === 'Indexed') w.line(0, 'Completed Indexes:', status.completedIndexes || '<none>');
  writePodTemplate(w, spec.template);
  writeEvents(w, ctx.events(job), ctx.now);
  return w.toString();
}

registerDescriber('Job', () => describeJob);
