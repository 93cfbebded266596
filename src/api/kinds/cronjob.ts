import type { FieldError } from '../../util/errors';
import { humanDuration, fromRFC3339 } from '../../util/duration';
import { registerKind } from './register';
import { orEmpty } from '../../model/objects';
import type { CronJob } from '../../model/kinds';
import { ageColumn, containersColumn, imagesColumn, nameColumn, validateMeta, validateNonNegativeInt, zeroValue } from './common';
import { defaultJobPodTemplate, validateJobSpec } from './job';
import { cronError, isValidTimeZone } from '../cron';

const templateContainers = (o: CronJob) => o.spec?.jobTemplate?.spec?.template?.spec?.containers;

registerKind('CronJob', {
  columns: [
    nameColumn,
    { header: 'SCHEDULE', value: (o) => o.spec?.schedule ?? '' },
    { header: 'TIMEZONE', value: (o) => o.spec?.timeZone ?? '<none>' },
    { header: 'SUSPEND', value: (o) => (o.spec?.suspend ? 'True' : 'False') },
    { header: 'ACTIVE', value: (o) => String((o.status?.active ?? []).length) },
    {
      header: 'LAST SCHEDULE',
      value: (o, ctx) => (o.status?.lastScheduleTime ? humanDuration(ctx.now - fromRFC3339(o.status.lastScheduleTime)) : '<none>'),
    },
    ageColumn,
    containersColumn(templateContainers),
    imagesColumn(templateContainers),
    { header: 'SELECTOR', wide: true, value: () => '<none>' },
  ],
  defaults(obj) {
    const spec = (obj.spec ??= zeroValue());
    spec.concurrencyPolicy ??= 'Allow';
    spec.suspend ??= false;
    spec.successfulJobsHistoryLimit ??= 3;
    spec.failedJobsHistoryLimit ??= 1;
    if (spec.jobTemplate && typeof spec.jobTemplate === 'object') {
      // a template's zero metav1.Time serializes as null (apimachinery meta/v1/time.go MarshalJSON)
      if (!spec.jobTemplate.metadata) {
        const metadata: { creationTimestamp?: string | null } = (spec.jobTemplate.metadata = {});
        metadata.creationTimestamp = null;
      }
      spec.jobTemplate.spec ??= zeroValue();
      // SetObjectDefaults_CronJob defaults the pod template only: the JobSpec's own defaults
      // (completions, parallelism, backoffLimit…) come when the controller creates each Job
      defaultJobPodTemplate(spec.jobTemplate.spec);
    }
    obj.status ??= {};
  },
  validate(obj) {
    const errs: FieldError[] = validateMeta(obj);
    const spec = orEmpty(obj.spec);
    if (!spec.schedule) errs.push({ path: 'spec.schedule', type: 'Required value' });
    else if (typeof spec.schedule !== 'string')
      errs.push({ path: 'spec.schedule', type: 'Invalid value', value: spec.schedule, detail: 'must be of type string' });
    else {
      const problem = cronError(spec.schedule);
      if (problem) errs.push({ path: 'spec.schedule', type: 'Invalid value', value: spec.schedule, detail: problem });
    }
    if (spec.timeZone !== undefined && spec.timeZone !== null && !isValidTimeZone(String(spec.timeZone))) {
      errs.push({ path: 'spec.timeZone', type: 'Invalid value', value: spec.timeZone, detail: `unknown time zone ${spec.timeZone}` });
    }
    if (!['Allow', 'Forbid', 'Replace'].includes(spec.concurrencyPolicy ?? '')) {
      errs.push({
        path: 'spec.concurrencyPolicy',
        type: 'Unsupported value',
        value: spec.concurrencyPolicy,
        detail: 'supported values: "Allow", "Forbid", "Replace"',
      });
    }
    validateNonNegativeInt(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds', errs);
    validateNonNegativeInt(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit', errs);
    validateNonNegativeInt(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit', errs);
    if (!spec.jobTemplate || typeof spec.jobTemplate !== 'object')
      errs.push({ path: 'spec.jobTemplate.spec.template.spec.containers', type: 'Required value' });
    else errs.push(...validateJobSpec(spec.jobTemplate.spec, 'spec.jobTemplate.spec'));
    return errs;
  },
});
