import type { FieldError } from '../../util/errors';
import type { KObject } from '../../model/objects';
import type { LabelSelector, PodTemplateSpec } from '../../model/k8s';
import { fromLabelSelector, matches } from '../labels';
import { validateLabels, validateNonNegativeInt, expectType, zeroValue } from './common';
import { defaultPodSpec, validatePodSpec } from './pod';

/** Shared by Deployment, ReplicaSet, StatefulSet, DaemonSet, Job: selector + pod template rules. */
export function validateSelectorAndTemplate(
  obj: KObject<{ replicas?: number; selector?: LabelSelector; template?: PodTemplateSpec }>,
  opts: { selectorRequired?: boolean } = {},
): FieldError[] {
  const errs: FieldError[] = [];
  const spec = obj.spec;
  if (!spec || typeof spec !== 'object') return [{ path: 'spec', type: 'Required value' }];
  validateNonNegativeInt(spec.replicas, 'spec.replicas', errs);
  const selector = spec.selector;
  if (!selector) {
    if (opts.selectorRequired !== false) errs.push({ path: 'spec.selector', type: 'Required value' });
  } else if (expectType(selector, 'object', 'spec.selector', errs)) {
    errs.push(...validateLabels(selector.matchLabels, 'spec.selector.matchLabels'));
    if (!selector.matchLabels && !selector.matchExpressions) {
      errs.push({ path: 'spec.selector', type: 'Invalid value', value: selector, detail: 'empty selector is invalid for deployment' });
    }
  }
  const template = spec.template;
  if (!template) {
    errs.push({ path: 'spec.template.spec.containers', type: 'Required value' });
    return errs;
  }
  const labels = template.metadata?.labels;
  errs.push(...validateLabels(labels, 'spec.template.metadata.labels'));
  const sel = selector && typeof selector === 'object' ? fromLabelSelector(selector) : null;
  if (sel && sel.length && !matches(sel, labels ?? {})) {
    errs.push({
      path: 'spec.template.metadata.labels',
      type: 'Invalid value',
      goValue: goMap(labels ?? {}),
      detail: '`selector` does not match template `labels`',
    });
  }
  errs.push(...validatePodSpec(template.spec, 'spec.template.spec'));
  return errs;
}

/** Go's %#v of map[string]string, as the API server prints it in this message. */
export function goMap(m: Record<string, string>): string {
  return `map[string]string{${Object.keys(m)
    .sort()
    .map((k) => `"${k}":"${m[k]}"`)
    .join(', ')}}`;
}

export function defaultTemplate(spec: { template?: PodTemplateSpec }): void {
  if (spec?.template && typeof spec.template === 'object') {
    // a template's zero metav1.Time serializes as null (apimachinery meta/v1/time.go MarshalJSON)
    const metadata: { creationTimestamp?: string | null } = (spec.template.metadata ??= {});
    metadata.creationTimestamp ??= null;
    spec.template.spec ??= zeroValue();
    defaultPodSpec(spec.template.spec);
  }
}

export function intOrPercent(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) return Number(value) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export function validateIntOrPercent(value: unknown, path: string, errs: FieldError[]): void {
  if (value === undefined) return;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0)
      errs.push({ path, type: 'Invalid value', value, detail: 'must be greater than or equal to 0' });
    return;
  }
  if (typeof value !== 'string' || !/^\d+%$/.test(value)) {
    errs.push({
      path,
      type: 'Invalid value',
      value,
      detail:
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    });
  } else if (Number(value.slice(0, -1)) > 100) {
    errs.push({ path, type: 'Invalid value', value, detail: 'must not be greater than 100%' });
  }
}
