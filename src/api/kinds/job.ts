import type { FieldError } from '../../util/errors';
import { fromRFC3339, humanDuration } from '../../util/duration';
import { registerKind } from './register';
import { type PrintContext } from '../registry';
import type { KObject } from '../../model/objects';
import type { Job } from '../../model/kinds';
import type { JobCondition, JobSpec, JobStatus } from '../../model/k8s';
import { ageColumn, nameColumn, validateLabels, validateMeta, validateNonNegativeInt, podTemplateWideColumns, zeroValue } from './common';
import { defaultTemplate } from './workload-common';
import { validatePodSpec } from './pod';

/** Labels the API server puts on a Job's pod template and selector (batch/v1 strategy). */
export const JOB_LABELS = {
  controllerUid: 'batch.kubernetes.io/controller-uid',
  jobName: 'batch.kubernetes.io/job-name',
  legacyControllerUid: 'controller-uid',
  legacyJobName: 'job-name',
  completionIndex: 'batch.kubernetes.io/job-completion-index',
} as const;

export function jobCondition(job: KObject<unknown, JobStatus>, type: string): JobCondition | undefined {
  return (job.status?.conditions ?? []).find((c) => c.type === type && c.status === 'True');
}

export function isJobFinished(job: KObject<unknown, JobStatus>): boolean {
  return !!(jobCondition(job, 'Complete') || jobCondition(job, 'Failed'));
}

/** kubectl's printJob STATUS column (v1.32). */
export function jobStatusText(job: Job): string {
  if (jobCondition(job, 'Complete')) return 'Complete';
  if (jobCondition(job, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (jobCondition(job, 'Suspended')) return 'Suspended';
  if (jobCondition(job, 'FailureTarget')) return 'FailureTarget';
  if (jobCondition(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function completionsText(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  if (job.spec?.completions !== undefined && job.spec?.completions !== null) return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function durationText(job: Job, ctx: PrintContext): string {
  const start = job.status?.startTime;
  if (!start) return '';
  const end = job.status?.completionTime ? fromRFC3339(job.status.completionTime) : ctx.now;
  return humanDuration(end - fromRFC3339(start));
}

/** JobSpec validation shared with CronJob's jobTemplate. */
export function validateJobSpec(spec: JobSpec | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec || typeof spec !== 'object') return [{ path: `${path}.template`, type: 'Required value' }];
  validateNonNegativeInt(spec.completions, `${path}.completions`, errs);
  validateNonNegativeInt(spec.parallelism, `${path}.parallelism`, errs);
  validateNonNegativeInt(spec.backoffLimit, `${path}.backoffLimit`, errs);
  validateNonNegativeInt(spec.ttlSecondsAfterFinished, `${path}.ttlSecondsAfterFinished`, errs);
  if (spec.activeDeadlineSeconds !== undefined && (typeof spec.activeDeadlineSeconds !== 'number' || spec.activeDeadlineSeconds <= 0)) {
    errs.push({
      path: `${path}.activeDeadlineSeconds`,
      type: 'Invalid value',
      value: spec.activeDeadlineSeconds,
      detail: 'must be greater than 0',
    });
  }
  if (spec.completionMode !== undefined && !['NonIndexed', 'Indexed'].includes(spec.completionMode)) {
    errs.push({
      path: `${path}.completionMode`,
      type: 'Unsupported value',
      value: spec.completionMode,
      detail: 'supported values: "NonIndexed", "Indexed"',
    });
  }
  if (spec.completionMode === 'Indexed' && (spec.completions === undefined || spec.completions === null)) {
    errs.push({ path: `${path}.completions`, type: 'Required value', detail: 'when completion mode is Indexed' });
  }
  const template = spec.template;
  if (!template || typeof template !== 'object') {
    errs.push({ path: `${path}.template.spec.containers`, type: 'Required value' });
    return errs;
  }
  errs.push(...validateLabels(template.metadata?.labels, `${path}.template.metadata.labels`));
  errs.push(...validatePodSpec(template.spec, `${path}.template.spec`));
  const restartPolicy = template.spec?.restartPolicy;
  if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
    errs.push(
      restartPolicy === undefined
        ? { path: `${path}.template.spec.restartPolicy`, type: 'Required value', detail: 'valid values: "OnFailure", "Never"' }
        : {
            path: `${path}.template.spec.restartPolicy`,
            type: 'Unsupported value',
            value: restartPolicy,
            detail: 'supported values: "OnFailure", "Never"',
          },
    );
  }
  return errs;
}

/** SetDefaults_Job: completions/parallelism 1 when both unset, backoffLimit 6, NonIndexed. */
export function defaultJobSpec(spec: JobSpec): void {
  if ((spec.completions === undefined || spec.completions === null) && (spec.parallelism === undefined || spec.parallelism === null)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= 'TerminatingOrFailed';
  defaultJobPodTemplate(spec);
}

/** The pod template of a Job or a CronJob's jobTemplate: PodSpec defaults, but no restart policy. */
export function defaultJobPodTemplate(spec: Pick<JobSpec, 'template'>): void {
  if (spec.template && typeof spec.template === 'object') {
    // the restart policy has no default for Jobs: validation insists on OnFailure or Never
    const hadPolicy = spec.template.spec?.restartPolicy !== undefined;
    defaultTemplate(spec);
    if (!hadPolicy && spec.template.spec) delete spec.template.spec.restartPolicy;
  }
}

registerKind('Job', {
  columns: [
    nameColumn,
    { header: 'STATUS', value: jobStatusText },
    { header: 'COMPLETIONS', value: completionsText },
    { header: 'DURATION', value: durationText },
    ageColumn,
    ...podTemplateWideColumns(),
  ],
  defaults(obj) {
    const spec = (obj.spec ??= zeroValue());
    defaultJobSpec(spec);
    // the generated selector (manualSelector unset): the Job's own uid
    if (!spec.manualSelector && obj.metadata.uid && spec.template && typeof spec.template === 'object') {
      const uid = obj.metadata.uid;
      spec.selector ??= { matchLabels: { [JOB_LABELS.controllerUid]: uid } };
      const meta = (spec.template.metadata ??= {});
      meta.labels = {
        [JOB_LABELS.controllerUid]: uid,
        [JOB_LABELS.jobName]: obj.metadata.name,
        [JOB_LABELS.legacyControllerUid]: uid,
        [JOB_LABELS.legacyJobName]: obj.metadata.name,
        ...(meta.labels ?? {}),
      };
      if (!obj.metadata.labels || !Object.keys(obj.metadata.labels).length) obj.metadata.labels = { ...meta.labels };
    }
    obj.status ??= {};
  },
  validate(obj) {
    return [...validateMeta(obj), ...validateJobSpec(obj.spec, 'spec')];
  },
});
