import type { FieldError } from '../../util/errors';
import { registerKind } from './register';
import { orEmpty } from '../../model/objects';
import type { HorizontalPodAutoscaler } from '../../model/kinds';
import type { HorizontalPodAutoscalerSpec, HPAScalingRules, MetricSpec, MetricTarget } from '../../model/k8s';
import { ageColumn, expectType, isOneOf, nameColumn, validateMeta, zeroValue } from './common';
import { isQuantity } from '../quantity';

/** kube-controller-manager --horizontal-pod-autoscaler-tolerance: how far from the target the HPA lets a metric be */
export const TOLERANCE = 0.1;

/**
 * HorizontalPodAutoscaler, stored as autoscaling/v2 (the API server also serves
 * autoscaling/v1, whose targetCPUUtilizationPercentage becomes a cpu Utilization metric).
 * Defaults from pkg/apis/autoscaling/v2/defaults.go.
 */
export const DEFAULT_CPU_UTILIZATION = 80;
const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_SECONDS = 3600;

/** GenerateHPAScaleUpRules: window 0, Max of [4 pods, 100%] per 15 s. */
export function defaultScaleUpRules(rules: HPAScalingRules | undefined): HPAScalingRules {
  return {
    stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? 0,
    selectPolicy: rules?.selectPolicy ?? 'Max',
    policies: rules?.policies ?? [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}

/** GenerateHPAScaleDownRules: 100% per 15 s; the window stays unset (the controller uses its 300 s flag). */
export function defaultScaleDownRules(rules: HPAScalingRules | undefined): HPAScalingRules {
  const out: HPAScalingRules = {
    selectPolicy: rules?.selectPolicy ?? 'Max',
    policies: rules?.policies ?? [{ type: 'Percent', value: 100, periodSeconds: 15 }],
  };
  if (rules?.stabilizationWindowSeconds !== undefined) out.stabilizationWindowSeconds = rules.stabilizationWindowSeconds;
  return out;
}

/** autoscaling/v1's spec field that the v2 form has as a cpu Utilization metric */
type V1Spec = HorizontalPodAutoscalerSpec & { targetCPUUtilizationPercentage?: number };

function defaultHpa(obj: HorizontalPodAutoscaler): void {
  if (obj.apiVersion === 'autoscaling/v1') {
    // the v1 ↔ v2 conversion: the API server stores the v2 form
    const spec: V1Spec = obj.spec ?? zeroValue();
    const target = spec.targetCPUUtilizationPercentage;
    delete spec.targetCPUUtilizationPercentage;
    if (target !== undefined) spec.metrics = [cpuUtilizationMetric(target)];
    obj.apiVersion = 'autoscaling/v2';
    obj.spec = spec;
  }
  const spec = (obj.spec ??= zeroValue());
  spec.minReplicas ??= 1;
  if (!spec.metrics || !spec.metrics.length) spec.metrics = [cpuUtilizationMetric(DEFAULT_CPU_UTILIZATION)];
  if (spec.behavior) {
    spec.behavior = { scaleUp: defaultScaleUpRules(spec.behavior.scaleUp), scaleDown: defaultScaleDownRules(spec.behavior.scaleDown) };
  }
}

export function cpuUtilizationMetric(percent: number): MetricSpec {
  return { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: percent } } };
}

const METRIC_TYPES = ['Object', 'Pods', 'Resource', 'ContainerResource', 'External'];
const TARGET_TYPES = ['Utilization', 'Value', 'AverageValue'];

function validateHpa(obj: HorizontalPodAutoscaler): FieldError[] {
  const errs: FieldError[] = [...validateMeta(obj)];
  const spec = orEmpty(obj.spec);
  const ref = orEmpty(spec.scaleTargetRef);
  if (!ref.kind) errs.push({ path: 'spec.scaleTargetRef.kind', type: 'Required value', detail: '' });
  if (!ref.name) errs.push({ path: 'spec.scaleTargetRef.name', type: 'Required value', detail: '' });
  if (spec.minReplicas !== undefined && (!Number.isInteger(spec.minReplicas) || spec.minReplicas < 1)) {
    errs.push({ path: 'spec.minReplicas', type: 'Invalid value', value: spec.minReplicas, detail: 'must be greater than or equal to 1' });
  }
  if (spec.maxReplicas === undefined || !Number.isInteger(spec.maxReplicas) || spec.maxReplicas < 1) {
    errs.push({ path: 'spec.maxReplicas', type: 'Invalid value', value: spec.maxReplicas ?? 0, detail: 'must be greater than 0' });
  } else if (spec.minReplicas !== undefined && spec.maxReplicas < spec.minReplicas) {
    errs.push({
      path: 'spec.maxReplicas',
      type: 'Invalid value',
      value: spec.maxReplicas,
      detail: 'must be greater than or equal to `minReplicas`',
    });
  }
  if (expectType(spec.metrics, 'array', 'spec.metrics', errs)) {
    (spec.metrics ?? []).forEach((m, i) => validateMetric(m, `spec.metrics[${i}]`, errs));
  }
  for (const dir of ['scaleUp', 'scaleDown'] as const) {
    const rules = spec.behavior?.[dir];
    if (!rules) continue;
    const path = `spec.behavior.${dir}`;
    const w = rules.stabilizationWindowSeconds;
    if (w !== undefined && (w < 0 || w > MAX_STABILIZATION_SECONDS)) {
      errs.push({
        path: `${path}.stabilizationWindowSeconds`,
        type: 'Invalid value',
        value: w,
        detail: w < 0 ? 'must be greater than or equal to zero' : `must be less than or equal to ${MAX_STABILIZATION_SECONDS}`,
      });
    }
    if (!isOneOf(['Max', 'Min', 'Disabled'], rules.selectPolicy)) {
      errs.push({
        path: `${path}.selectPolicy`,
        type: 'Unsupported value',
        value: rules.selectPolicy,
        detail: 'supported values: "Disabled", "Max", "Min"',
      });
    }
    if (!rules.policies?.length && rules.selectPolicy !== 'Disabled')
      errs.push({ path: `${path}.policies`, type: 'Required value', detail: 'must specify at least one Policy' });
    (rules.policies ?? []).forEach((p, i) => {
      const pp = `${path}.policies[${i}]`;
      if (p.type !== 'Pods' && p.type !== 'Percent')
        errs.push({ path: `${pp}.type`, type: 'Unsupported value', value: p.type, detail: 'supported values: "Percent", "Pods"' });
      if (!((p.periodSeconds ?? 0) > 0))
        errs.push({ path: `${pp}.periodSeconds`, type: 'Invalid value', value: p.periodSeconds ?? 0, detail: 'must be greater than zero' });
      else if (p.periodSeconds > MAX_PERIOD_SECONDS)
        errs.push({
          path: `${pp}.periodSeconds`,
          type: 'Invalid value',
          value: p.periodSeconds,
          detail: `must be less than or equal to ${MAX_PERIOD_SECONDS}`,
        });
      if (!((p.value ?? 0) > 0))
        errs.push({ path: `${pp}.value`, type: 'Invalid value', value: p.value ?? 0, detail: 'must be greater than zero' });
    });
  }
  return errs;
}

/** What validation reads of any metric source (object, pods, resource, containerResource, external). */
type MetricSource = { target?: MetricTarget; name?: string; metric?: { name?: string } };

function validateMetric(m: MetricSpec, path: string, errs: FieldError[]): void {
  if (!isOneOf(METRIC_TYPES, m.type)) {
    errs.push({
      path: `${path}.type`,
      type: 'Unsupported value',
      value: m.type ?? '',
      detail: 'supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
    });
    return;
  }
  const key = (m.type === 'ContainerResource' ? 'containerResource' : m.type.toLowerCase()) as
    'object' | 'pods' | 'resource' | 'containerResource' | 'external';
  const source: MetricSource | undefined = m[key];
  if (!source) {
    errs.push({ path: `${path}.${key}`, type: 'Required value', detail: `must populate information for the given metric source` });
    return;
  }
  const target = orEmpty(source.target);
  if (!isOneOf(TARGET_TYPES, target.type)) {
    errs.push({
      path: `${path}.${key}.target.type`,
      type: target.type ? 'Unsupported value' : 'Required value',
      value: target.type,
      detail: target.type ? 'supported values: "AverageValue", "Utilization", "Value"' : 'must specify a metric target type',
    });
    return;
  }
  if (target.type === 'Utilization' && !((target.averageUtilization ?? 0) > 0)) {
    errs.push({
      path: `${path}.${key}.target.averageUtilization`,
      type: 'Invalid value',
      value: target.averageUtilization ?? 0,
      detail: 'must be greater than 0',
    });
  }
  for (const q of ['value', 'averageValue'] as const) {
    if (target[q] !== undefined && !isQuantity(target[q]))
      errs.push({ path: `${path}.${key}.target.${q}`, type: 'Invalid value', value: target[q], detail: 'must be a quantity' });
  }
  if ((m.type === 'Resource' || m.type === 'ContainerResource') && !source.name)
    errs.push({ path: `${path}.${key}.name`, type: 'Required value', detail: 'must specify a resource name' });
  if ((m.type === 'Pods' || m.type === 'Object' || m.type === 'External') && !source.metric?.name)
    errs.push({ path: `${path}.${key}.metric.name`, type: 'Required value', detail: 'must specify a metric name' });
}

/** kubectl's formatHPAMetrics (pkg/printers/internalversion): `cpu: 85%/50%`, at most 4 then "+ N more...". */
export function hpaTargetsText(hpa: HorizontalPodAutoscaler): string {
  const specs = hpa.spec?.metrics ?? [];
  if (!specs.length) return '<none>';
  const statuses = hpa.status?.currentMetrics ?? [];
  const list: string[] = [];
  specs.forEach((spec, i) => {
    const status = statuses[i];
    switch (spec.type) {
      case 'External':
      case 'Object': {
        const key = spec.type === 'External' ? 'external' : 'object';
        const target = orEmpty(spec[key]?.target);
        if (target.averageValue !== undefined) {
          list.push(`${status?.[key]?.current?.averageValue ?? '<unknown>'}/${target.averageValue} (avg)`);
        } else list.push(`${status?.[key]?.current?.value ?? '<unknown>'}/${target.value}`);
        break;
      }
      case 'Pods':
        list.push(`${status?.pods?.current?.averageValue ?? '<unknown>'}/${spec.pods?.target?.averageValue}`);
        break;
      case 'Resource':
      case 'ContainerResource': {
        const key = spec.type === 'Resource' ? 'resource' : 'containerResource';
        const source: { name?: string; target?: MetricTarget } = spec[key] ?? {};
        const current = status?.[key]?.current;
        const prefix = spec.type === 'Resource' ? `${source.name}` : `${source.name} of container "${spec.containerResource?.container}"`;
        if (source.target?.averageValue !== undefined) {
          list.push(`${prefix}: ${current?.averageValue ?? '<unknown>'}/${source.target.averageValue}`);
        } else {
          const cur = current?.averageUtilization !== undefined ? `${current.averageUtilization}%` : '<unknown>';
          const target = source.target?.averageUtilization !== undefined ? `${source.target.averageUtilization}%` : '<auto>';
          list.push(`${prefix}: ${cur}/${target}`);
        }
        break;
      }
      default:
        list.push('<unknown type>');
    }
  });
  if (list.length > 4) return `${list.slice(0, 4).join(', ')} + ${list.length - 4} more...`;
  return list.join(', ');
}

registerKind('HorizontalPodAutoscaler', {
  columns: [
    nameColumn,
    { header: 'REFERENCE', value: (o) => `${o.spec?.scaleTargetRef?.kind}/${o.spec?.scaleTargetRef?.name}` },
    { header: 'TARGETS', value: hpaTargetsText },
    { header: 'MINPODS', value: (o) => (o.spec?.minReplicas === undefined ? '<unset>' : String(o.spec.minReplicas)) },
    { header: 'MAXPODS', value: (o) => String(o.spec?.maxReplicas) },
    { header: 'REPLICAS', value: (o) => String(o.status?.currentReplicas ?? 0) },
    ageColumn,
  ],
  defaults: defaultHpa,
  validate: validateHpa,
});

/** resource.NewMilliQuantity(v, DecimalSI).String(): `250m`, `2`, `3k`. */
export function formatMilliQuantity(milli: number): string {
  const m = Math.round(milli);
  if (m % 1000 !== 0) return `${m}m`;
  let units = m / 1000;
  if (units === 0) return '0';
  const suffixes = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
  let i = 0;
  while (i < suffixes.length - 1 && units % 1000 === 0) {
    units /= 1000;
    i++;
  }
  return `${units}${suffixes[i]}`;
}
