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
  errs.push(...validateIndexedPolicies(spec, path));
  const template = spec.template;
  if (!template || typeof template !== 'object') {
    errs.push({ path: `${path}.template.spec.containers`, type: 'Required value' });
    return errs;
  }
  errs.push(...validateLabels(template.metadata?.labels, `${path}.template.metadata.labels`));
  errs.push(...validatePodSpec(template.spec, `${path}.template.spec`));
  const restartPolicy = template.spec?.restartPolicy;
  if (spec.podFailurePolicy && restartPolicy === 'OnFailure') {
    errs.push({
      path: `${path}.template.spec.restartPolicy`,
      type: 'Invalid value',
      value: restartPolicy,
      detail: 'only "Never" is supported when podFailurePolicy is specified',
    });
  }
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

/**
 * backoffLimitPerIndex, maxFailedIndexes, successPolicy and the FailIndex action: the
 * combinations validateJobSpec refuses (pkg/apis/batch/validation/validation.go).
 */
function validateIndexedPolicies(spec: JobSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const indexed = spec.completionMode === 'Indexed';
  const completions = typeof spec.completions === 'number' ? spec.completions : undefined;
  const perIndex = spec.backoffLimitPerIndex !== undefined && spec.backoffLimitPerIndex !== null;
  const maxFailed = spec.maxFailedIndexes ?? undefined;
  validateNonNegativeInt(spec.backoffLimitPerIndex ?? undefined, `${path}.backoffLimitPerIndex`, errs);
  if (maxFailed !== undefined) {
    validateNonNegativeInt(maxFailed, `${path}.maxFailedIndexes`, errs);
    if (!perIndex)
      errs.push({ path: `${path}.backoffLimitPerIndex`, type: 'Required value', detail: 'when maxFailedIndexes is specified' });
  }
  if (indexed && typeof maxFailed === 'number') {
    if (completions !== undefined && maxFailed > completions)
      errs.push({
        path: `${path}.maxFailedIndexes`,
        type: 'Invalid value',
        value: maxFailed,
        detail: 'must be less than or equal to completions',
      });
    if (maxFailed > 100_000)
      errs.push({
        path: `${path}.maxFailedIndexes`,
        type: 'Invalid value',
        value: maxFailed,
        detail: 'must be less than or equal to 100000',
      });
  }
  if (indexed && completions !== undefined && completions > 100_000 && perIndex && maxFailed === undefined)
    errs.push({ path: `${path}.maxFailedIndexes`, type: 'Required value', detail: 'must be specified when completions is above 100000' });
  if (!indexed) {
    if (perIndex)
      errs.push({
        path: `${path}.backoffLimitPerIndex`,
        type: 'Invalid value',
        value: spec.backoffLimitPerIndex,
        detail: 'requires indexed completion mode',
      });
    if (maxFailed !== undefined)
      errs.push({ path: `${path}.maxFailedIndexes`, type: 'Invalid value', value: maxFailed, detail: 'requires indexed completion mode' });
  }
  const actionsPath = `${path}.podFailurePolicy.rules`;
  for (const [i, rule] of (spec.podFailurePolicy?.rules ?? []).entries()) {
    const at = `${actionsPath}[${i}].action`;
    if (!rule.action) errs.push({ path: at, type: 'Required value', detail: 'valid values: ["Count" "FailIndex" "FailJob" "Ignore"]' });
    else if (rule.action === 'FailIndex') {
      if (!perIndex)
        errs.push({ path: at, type: 'Invalid value', value: rule.action, detail: 'requires the backoffLimitPerIndex to be set' });
    } else if (!['Count', 'FailJob', 'Ignore'].includes(rule.action))
      errs.push({
        path: at,
        type: 'Unsupported value',
        value: rule.action,
        detail: 'supported values: "Count", "FailIndex", "FailJob", "Ignore"',
      });
  }
  if (spec.successPolicy) {
    const policyPath = `${path}.successPolicy`;
    if (!indexed)
      errs.push({
        path: policyPath,
        type: 'Invalid value',
        goValue: goSuccessPolicy(spec.successPolicy),
        detail: 'requires indexed completion mode',
      });
    else {
      const rules = spec.successPolicy.rules ?? [];
      if (!rules.length)
        errs.push({
          path: `${policyPath}.rules`,
          type: 'Required value',
          detail: 'at least one rules must be specified when the successPolicy is specified',
        });
      if (rules.length > 20)
        errs.push({ path: `${policyPath}.rules`, type: 'Too many', detail: `${rules.length}: must have at most 20 items` });
      for (const [i, rule] of rules.entries()) {
        const rulePath = `${policyPath}.rules[${i}]`;
        const indexes = rule.succeededIndexes ?? undefined;
        const count = rule.succeededCount ?? undefined;
        if (indexes === undefined && count === undefined)
          errs.push({
            path: rulePath,
            type: 'Required value',
            detail: 'at least one of succeededCount or succeededIndexes must be specified',
          });
        let total = 0;
        if (indexes !== undefined) {
          const parsed = validateIndexesFormat(indexes, completions ?? 0);
          if ('error' in parsed)
            errs.push({
              path: `${rulePath}.succeededIndexes`,
              type: 'Invalid value',
              value: indexes,
              detail: `error parsing succeededIndexes: ${parsed.error}`,
            });
          else total = parsed.total;
        }
        if (count !== undefined) {
          const countPath = `${rulePath}.succeededCount`;
          validateNonNegativeInt(count, countPath, errs);
          if (completions !== undefined && count > completions)
            errs.push({
              path: countPath,
              type: 'Invalid value',
              value: count,
              detail: `must be less than or equal to ${completions} (the number of specified completions)`,
            });
          if (indexes !== undefined && count > total)
            errs.push({
              path: countPath,
              type: 'Invalid value',
              value: count,
              detail: `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`,
            });
        }
      }
    }
  }
  return errs;
}

/**
 * The SuccessPolicy as Go's %#v prints the internal struct in a field error. Its fields are
 * pointers, which Go prints as addresses; kubesim shows `0xc000000000` in their place so the
 * message keeps its shape and stays the same from run to run.
 */
function goSuccessPolicy(policy: NonNullable<JobSpec['successPolicy']>): string {
  const ptr = (type: string, v: unknown) => `(*${type})(${v === undefined || v === null ? 'nil' : '0xc000000000'})`;
  const rules = (policy.rules ?? []).map(
    (r) =>
      `batch.SuccessPolicyRule{SucceededIndexes:${ptr('string', r.succeededIndexes)}, SucceededCount:${ptr('int32', r.succeededCount)}}`,
  );
  return `batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{${rules.join(', ')}}}`;
}

/**
 * validateIndexesFormat: the error text for a malformed `0,2-3` list, or how many indexes
 * it names (Go's strconv.Atoi accepts an optional sign).
 */
export function validateIndexesFormat(text: string, completions: number): { total: number } | { error: string } {
  if (text.length === 0) return { total: 0 };
  let last: number | undefined;
  let total = 0;
  for (const part of text.split(',')) {
    const limits = part.split('-');
    if (limits.length > 2)
      return {
        error: `the fragment "${part}" violates the requirement that an index interval can have at most two parts separated by '-'`,
      };
    const bounds: number[] = [];
    for (const limit of limits) {
      if (!/^[+-]?\d+$/.test(limit)) return { error: `cannot convert string to integer for index: "${limit}"` };
      const n = Number(limit);
      if (n >= completions) return { error: `too large index: "${limit}"` };
      bounds.push(n);
    }
    const [x, y = bounds[0]] = bounds;
    if (bounds.length === 2 && x >= y) return { error: `non-increasing order, previous: ${x}, current: ${y}` };
    if (last !== undefined && last >= x) return { error: `non-increasing order, previous: ${last}, current: ${x}` };
    total += y - x + 1;
    last = y;
  }
  return { total };
}

/**
 * SetDefaults_Job: completions/parallelism 1 when both unset, backoffLimit 6 (MaxInt32 with
 * backoffLimitPerIndex), NonIndexed, podReplacementPolicy Failed with a podFailurePolicy.
 */
export function defaultJobSpec(spec: JobSpec): void {
  if ((spec.completions === undefined || spec.completions === null) && (spec.parallelism === undefined || spec.parallelism === null)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined && spec.backoffLimitPerIndex !== null ? 2 ** 31 - 1 : 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
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
