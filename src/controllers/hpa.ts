import { event, remember, requeueAt, update, type Action } from '../reconcile/actions';
import type { Controller, ReconcileContext } from '../reconcile/controller';
import { clone } from '../model/objects';
import type { HorizontalPodAutoscaler, Pod } from '../model/kinds';
import type * as t from '../model/k8s';
import { milliValue } from '../api/quantity';
import { matches } from '../api/labels';
import { kindInfo, resourceName } from '../api/registry';
import { hasScale, scaleOf } from '../api/scale';
import { isPodReady } from '../api/kinds/pod';
import { formatMilliQuantity } from '../api/kinds/horizontalpodautoscaler';
import { toRFC3339 } from '../util/duration';
import { externalMetric, objectMetric, podCustomMetric, podResourceMetric, type PodMetric } from '../sim/metrics';
import { MetricError, perPodReplicas, plainMetricReplicas, resourceReplicas, usageRatioReplicas } from './hpa-replicas';

/**
 * The horizontal pod autoscaler controller, pkg/controller/podautoscaler/horizontal.go
 * (v1.32), synced every 15 s of virtual time. What kube keeps in controller memory (recent
 * recommendations, recent scale events) is remembered with the cluster (ObjectStore.recall)
 * so that each command, a separate process, continues where the last one stopped.
 */
export const SYNC_PERIOD_MS = 15_000;
/** --horizontal-pod-autoscaler-downscale-stabilization */
export const DOWNSCALE_STABILIZATION_MS = 300_000;
/** where state files from before the controllers' memory kept it: read once, then removed */
export const STATE_ANNOTATION = 'autoscaling.kubesim.io/controller-state';
const SOURCE = 'horizontal-pod-autoscaler';
const SCALE_UP_LIMIT_FACTOR = 2;
const SCALE_UP_LIMIT_MINIMUM = 4;

export interface Recommendation {
  replicas: number;
  at: number;
}
export interface ScaleEvent {
  change: number;
  at: number;
}
export interface HpaMemory {
  lastSync?: number;
  recommendations: Recommendation[];
  scaleUpEvents: ScaleEvent[];
  scaleDownEvents: ScaleEvent[];
}

export function readMemory(hpa: HorizontalPodAutoscaler, ctx: ReconcileContext): HpaMemory {
  const empty: HpaMemory = { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] };
  const remembered = hpa.metadata.uid ? ctx.store.recall<Partial<HpaMemory>>(SOURCE, hpa.metadata.uid) : undefined;
  if (remembered) return { ...empty, ...remembered };
  const text = hpa.metadata.annotations?.[STATE_ANNOTATION];
  if (!text) return empty;
  try {
    return { ...empty, ...(JSON.parse(text) as Partial<HpaMemory>) };
  } catch {
    return empty;
  }
}

export const hpaController: Controller<'HorizontalPodAutoscaler'> = {
  name: 'horizontal-pod-autoscaler',
  kind: 'HorizontalPodAutoscaler',
  reconcile(hpa, ctx) {
    const memory = readMemory(hpa, ctx);
    if (memory.lastSync !== undefined && ctx.now < memory.lastSync + SYNC_PERIOD_MS) return [requeueAt(memory.lastSync + SYNC_PERIOD_MS)];
    return [...syncHpa(hpa, memory, ctx), requeueAt(ctx.now + SYNC_PERIOD_MS)];
  },
};

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

class Sync {
  readonly actions: Action[] = [];
  readonly conditions = new Map<string, Condition>();
  constructor(
    readonly hpa: HorizontalPodAutoscaler,
    readonly ctx: ReconcileContext,
  ) {}
  setCondition(type: string, status: string, reason: string, message: string): void {
    this.conditions.set(type, { type, status, reason, message });
  }
  event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.actions.push(event(this.hpa, type, reason, message, SOURCE));
  }
}

/** One reconcileAutoscaler pass. */
export function syncHpa(hpa: HorizontalPodAutoscaler, memory: HpaMemory, ctx: ReconcileContext): Action[] {
  const s = new Sync(hpa, ctx);
  const now = ctx.now;
  const spec = hpa.spec;
  const ref = spec.scaleTargetRef;
  const ns = hpa.metadata.namespace;
  const next = clone(hpa);
  memory.lastSync = now;

  const target = hasScale(ref.kind) ? ctx.store.get(ref.kind, ns, ref.name) : undefined;
  const scale = target && scaleOf(target);
  if (!target || !scale) {
    const info = kindInfo(ref.kind);
    const err = info ? `${resourceName(info)} "${ref.name}" not found` : `no matches for kind "${ref.kind}" in group ""`;
    s.event('Warning', 'FailedGetScale', err);
    s.setCondition('AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${err}`);
    return finish(s, next, memory, {
      currentReplicas: next.status?.currentReplicas ?? 0,
      desiredReplicas: next.status?.desiredReplicas ?? 0,
      rescale: false,
    });
  }
  s.setCondition('AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
  const currentReplicas: number = scale.replicas;
  const minReplicas: number = spec.minReplicas ?? 1;
  const maxReplicas: number = spec.maxReplicas;
  let desiredReplicas = 0;
  let rescaleReason = '';
  let rescale = true;
  let metricStatuses: t.MetricStatus[] | undefined;

  if (currentReplicas === 0 && minReplicas !== 0) {
    desiredReplicas = 0;
    rescale = false;
    s.setCondition('ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
  } else if (currentReplicas > maxReplicas) {
    rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
    desiredReplicas = maxReplicas;
  } else if (currentReplicas < minReplicas) {
    rescaleReason = 'Current number of replicas below Spec.MinReplicas';
    desiredReplicas = minReplicas;
  } else {
    const selector = scale.selector;
    const pods = selector ? ctx.store.list('Pod', ns).filter((p) => matches(selector, p.metadata.labels)) : [];
    const computed = computeReplicasForMetrics(s, spec.metrics ?? [], currentReplicas, pods);
    metricStatuses = computed.statuses;
    if (computed.error && computed.replicas === -1) {
      s.event('Warning', 'FailedComputeMetricsReplicas', computed.error);
      return finish(s, next, memory, {
        currentReplicas,
        desiredReplicas: next.status?.desiredReplicas ?? 0,
        rescale: false,
        metricStatuses,
      });
    }
    let rescaleMetric = '';
    if (computed.replicas > desiredReplicas) {
      desiredReplicas = computed.replicas;
      rescaleMetric = computed.metric;
    }
    if (desiredReplicas > currentReplicas) rescaleReason = `${rescaleMetric} above target`;
    if (desiredReplicas < currentReplicas) rescaleReason = 'All metrics below target';
    desiredReplicas = spec.behavior
      ? normalizeWithBehaviors(s, memory, spec.behavior, currentReplicas, desiredReplicas, minReplicas, maxReplicas)
      : normalize(s, memory, currentReplicas, desiredReplicas, minReplicas, maxReplicas);
    rescale = desiredReplicas !== currentReplicas;
  }

  if (rescale) {
    s.actions.push(update(scale.withReplicas(desiredReplicas)));
    s.setCondition(
      'AbleToScale',
      'True',
      'SucceededRescale',
      `the HPA controller was able to update the target scale to ${desiredReplicas}`,
    );
    s.event('Normal', 'SuccessfulRescale', `New size: ${desiredReplicas}; reason: ${rescaleReason}`);
    storeScaleEvent(memory, spec.behavior, currentReplicas, desiredReplicas, now);
  } else desiredReplicas = currentReplicas;
  return finish(s, next, memory, { currentReplicas, desiredReplicas, rescale, metricStatuses });
}

function finish(
  s: Sync,
  next: HorizontalPodAutoscaler,
  memory: HpaMemory,
  st: { currentReplicas: number; desiredReplicas: number; rescale: boolean; metricStatuses?: t.MetricStatus[] },
): Action[] {
  const now = s.ctx.now;
  const status: t.HorizontalPodAutoscalerStatus = {
    ...next.status,
    currentReplicas: st.currentReplicas,
    desiredReplicas: st.desiredReplicas,
  };
  if (next.metadata.generation !== undefined) status.observedGeneration = next.metadata.generation;
  if (st.rescale) status.lastScaleTime = toRFC3339(now);
  if (st.metricStatuses) status.currentMetrics = st.metricStatuses;
  else delete status.currentMetrics;
  const previous = next.status?.conditions ?? [];
  const conditions: t.HorizontalPodAutoscalerCondition[] = previous.map((c) => ({ ...c }));
  for (const c of s.conditions.values()) {
    const existing = conditions.find((e) => e.type === c.type);
    if (existing) {
      if (existing.status !== c.status) existing.lastTransitionTime = toRFC3339(now);
      existing.status = c.status;
      existing.reason = c.reason;
      existing.message = c.message;
    } else conditions.push({ type: c.type, status: c.status, lastTransitionTime: toRFC3339(now), reason: c.reason, message: c.message });
  }
  status.conditions = conditions;
  next.status = status;
  const legacy = next.metadata.annotations?.[STATE_ANNOTATION] !== undefined;
  if (legacy) {
    const { [STATE_ANNOTATION]: _, ...annotations } = next.metadata.annotations!;
    next.metadata = { ...next.metadata, annotations };
    if (!Object.keys(annotations).length) delete next.metadata.annotations;
  }
  // the status is written when it changed (updateStatusIfNeeded); the memory every sync
  const changed = legacy || JSON.stringify(status) !== JSON.stringify(s.hpa.status);
  return [...(changed ? [update(next)] : []), remember(SOURCE, next.metadata.uid!, memory), ...s.actions];
}

interface Computed {
  replicas: number;
  metric: string;
  statuses: t.MetricStatus[];
  error?: string;
}

/** computeReplicasForMetrics: the largest proposal wins; invalid metrics block scale-down. */
function computeReplicasForMetrics(s: Sync, metrics: t.MetricSpec[], specReplicas: number, pods: Pod[]): Computed {
  let replicas = 0;
  let metric = '';
  const statuses: t.MetricStatus[] = [];
  let invalidCount = 0;
  let firstError: string | undefined;
  let firstCondition: Condition | undefined;
  for (const spec of metrics) {
    try {
      const r = computeReplicasForMetric(s, spec, specReplicas, pods);
      statuses.push(r.status);
      if (replicas === 0 || r.replicas > replicas) {
        replicas = r.replicas;
        metric = r.metric;
      }
    } catch (e) {
      if (!(e instanceof ReplicaError)) throw e;
      statuses.push({ type: '' });
      if (invalidCount === 0) {
        firstError = e.message;
        firstCondition = e.condition;
      }
      invalidCount++;
    }
  }
  const error =
    firstError !== undefined
      ? `invalid metrics (${invalidCount} invalid out of ${metrics.length}), first error is: ${firstError}`
      : undefined;
  if (invalidCount >= metrics.length || (invalidCount > 0 && replicas < specReplicas)) {
    if (firstCondition) s.setCondition(firstCondition.type, firstCondition.status, firstCondition.reason, firstCondition.message);
    return { replicas: -1, metric: '', statuses, error };
  }
  s.setCondition('ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${metric}`);
  return { replicas, metric, statuses, error };
}

class ReplicaError extends Error {
  constructor(
    message: string,
    readonly condition: Condition,
  ) {
    super(message);
  }
}

/** getUnableComputeReplicaCountCondition: a Warning event and ScalingActive=False. */
function unable(s: Sync, reason: string, err: string, wrapped: string): ReplicaError {
  s.event('Warning', reason, err);
  return new ReplicaError(wrapped, {
    type: 'ScalingActive',
    status: 'False',
    reason,
    message: `the HPA was unable to compute the replica count: ${err}`,
  });
}

function readyPodCount(pods: Pod[]): number {
  if (!pods.length) throw new MetricError('no pods returned by selector while calculating replica count');
  return pods.filter((p) => p.status?.phase === 'Running' && isPodReady(p)).length;
}

function computeReplicasForMetric(
  s: Sync,
  spec: t.MetricSpec,
  specReplicas: number,
  pods: Pod[],
): { replicas: number; metric: string; status: t.MetricStatus } {
  const { store, now } = s.ctx;
  const collect = (get: (pod: Pod) => PodMetric | undefined): Map<string, PodMetric> => {
    const out = new Map<string, PodMetric>();
    for (const pod of pods) {
      const m = get(pod);
      if (m) out.set(pod.metadata.name, m);
    }
    return out;
  };
  // validation requires the source the type names ("must populate information for the given metric source")
  switch (spec.type) {
    case 'Resource': {
      const { name, target } = spec.resource!;
      const podMetrics = collect((pod) => podResourceMetric(pod, name, store, now));
      if (target.type === 'AverageValue') {
        try {
          if (!podMetrics.size)
            throw new MetricError(`unable to get metrics for resource ${name}: no metrics returned from resource metrics API`);
          const r = plainMetricReplicas(specReplicas, milliValue(target.averageValue), name, pods, podMetrics, now);
          return {
            replicas: r.replicas,
            metric: `${name} resource`,
            status: { type: 'Resource', resource: { name, current: { averageValue: formatMilliQuantity(r.usage) } } },
          };
        } catch (e) {
          if (!(e instanceof MetricError)) throw e;
          const err = `failed to get ${name} usage: ${e.message}`;
          throw unable(s, 'FailedGetResourceMetric', err, `failed to get ${name} resource metric value: ${err}`);
        }
      }
      try {
        const r = resourceReplicas(specReplicas, target.averageUtilization!, name, pods, podMetrics, now);
        return {
          replicas: r.replicas,
          metric: `${name} resource utilization (percentage of request)`,
          status: {
            type: 'Resource',
            resource: { name, current: { averageUtilization: r.utilization, averageValue: formatMilliQuantity(r.raw) } },
          },
        };
      } catch (e) {
        if (!(e instanceof MetricError)) throw e;
        const err = `failed to get ${name} utilization: ${e.message}`;
        throw unable(s, 'FailedGetResourceMetric', err, `failed to get ${name} resource metric value: ${err}`);
      }
    }
    case 'Pods': {
      const { metric, target } = spec.pods!;
      const name = metric.name;
      try {
        const podMetrics = collect((pod) => podCustomMetric(pod, name, store, now));
        if (!podMetrics.size) throw new MetricError(`unable to get metric ${name}: no metrics returned from custom metrics API`);
        const r = plainMetricReplicas(specReplicas, milliValue(target.averageValue), '', pods, podMetrics, now);
        return {
          replicas: r.replicas,
          metric: `pods metric ${name}`,
          status: { type: 'Pods', pods: { metric: { name }, current: { averageValue: formatMilliQuantity(r.usage) } } },
        };
      } catch (e) {
        if (!(e instanceof MetricError)) throw e;
        throw unable(s, 'FailedGetPodsMetric', e.message, `failed to get pods metric value: ${e.message}`);
      }
    }
    case 'Object': {
      const { metric, describedObject, target } = spec.object!;
      try {
        const obj = store.get(describedObject.kind, s.hpa.metadata.namespace, describedObject.name);
        const usage = obj ? objectMetric(obj, metric.name, now) : undefined;
        if (usage === undefined)
          throw new MetricError(
            `unable to get metric ${metric.name}: ${describedObject.kind} on ${s.hpa.metadata.namespace} ${describedObject.name}/unable to fetch metrics from custom metrics API: the server could not find the metric ${metric.name} for ${kindInfo(describedObject.kind)?.plural ?? describedObject.kind.toLowerCase()} ${describedObject.name}`,
          );
        const statusBase = { metric: { name: metric.name }, describedObject };
        if (target.type === 'AverageValue') {
          const r = perPodReplicas(specReplicas, usage, milliValue(target.averageValue));
          return {
            replicas: r.replicas,
            metric: `${describedObject.kind} metric ${metric.name}`,
            status: { type: 'Object', object: { ...statusBase, current: { averageValue: formatMilliQuantity(r.average) } } },
          };
        }
        const replicas = usageRatioReplicas(specReplicas, usage / milliValue(target.value), specReplicas === 0 ? 0 : readyPodCount(pods));
        return {
          replicas,
          metric: `${describedObject.kind} metric ${metric.name}`,
          status: { type: 'Object', object: { ...statusBase, current: { value: formatMilliQuantity(usage) } } },
        };
      } catch (e) {
        if (!(e instanceof MetricError)) throw e;
        throw unable(s, 'FailedGetObjectMetric', e.message, `failed to get object metric value: ${e.message}`);
      }
    }
    case 'External': {
      const { metric, target } = spec.external!;
      const label = `external metric ${metric.name}(${metric.selector ? JSON.stringify(metric.selector) : 'nil'})`;
      try {
        const usage = externalMetric(store, s.hpa.metadata.namespace ?? 'default', metric.name);
        if (usage === undefined)
          throw new MetricError(
            `unable to get external metric ${s.hpa.metadata.namespace}/${metric.name}/nil: no metrics returned from external metrics API`,
          );
        if (target.type === 'AverageValue') {
          const r = perPodReplicas(specReplicas, usage, milliValue(target.averageValue));
          return {
            replicas: r.replicas,
            metric: label,
            status: {
              type: 'External',
              external: { metric: { name: metric.name }, current: { averageValue: formatMilliQuantity(r.average) } },
            },
          };
        }
        const replicas = usageRatioReplicas(specReplicas, usage / milliValue(target.value), specReplicas === 0 ? 0 : readyPodCount(pods));
        return {
          replicas,
          metric: label,
          status: { type: 'External', external: { metric: { name: metric.name }, current: { value: formatMilliQuantity(usage) } } },
        };
      } catch (e) {
        if (!(e instanceof MetricError)) throw e;
        throw unable(s, 'FailedGetExternalMetric', e.message, `failed to get external metric value: ${e.message}`);
      }
    }
    default: {
      const err = `unknown metric source type "${spec.type}"`;
      throw unable(s, 'InvalidMetricSourceType', err, err);
    }
  }
}

// ---- normalisation: stabilisation windows and rate limits ----

/** normalizeDesiredReplicas (no behavior): 5-minute downscale stabilisation and max(2×, 4) per sync. */
export function normalize(s: Sync, memory: HpaMemory, current: number, desired: number, min: number, max: number): number {
  const stabilized = stabilizeRecommendation(memory, desired, s.ctx.now);
  if (stabilized !== desired)
    s.setCondition(
      'AbleToScale',
      'True',
      'ScaleDownStabilized',
      'recent recommendations were higher than current one, applying the highest recent recommendation',
    );
  else s.setCondition('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
  const [replicas, reason, message] = convertDesiredReplicasWithRules(current, stabilized, min, max);
  s.setCondition('ScalingLimited', replicas === stabilized ? 'False' : 'True', reason, message);
  return replicas;
}

function stabilizeRecommendation(memory: HpaMemory, desired: number, now: number): number {
  const cutoff = now - DOWNSCALE_STABILIZATION_MS;
  let max = desired;
  let replaced = false;
  for (const rec of memory.recommendations) {
    if (rec.at > cutoff) max = Math.max(max, rec.replicas);
  }
  memory.recommendations = memory.recommendations.map((rec) => {
    if (!replaced && rec.at <= cutoff) {
      replaced = true;
      return { replicas: desired, at: now };
    }
    return rec;
  });
  if (!replaced) memory.recommendations.push({ replicas: desired, at: now });
  // older ones no longer matter (kube keeps and reuses them; dropping keeps the annotation small)
  memory.recommendations = memory.recommendations.filter((r) => r.at > cutoff);
  return max;
}

export function convertDesiredReplicasWithRules(current: number, desired: number, min: number, max: number): [number, string, string] {
  const scaleUpLimit = Math.max(SCALE_UP_LIMIT_FACTOR * current, SCALE_UP_LIMIT_MINIMUM);
  let maximumAllowed: number;
  let reason: string;
  let message: string;
  if (max > scaleUpLimit) {
    maximumAllowed = scaleUpLimit;
    reason = 'ScaleUpLimit';
    message = 'the desired replica count is increasing faster than the maximum scale rate';
  } else {
    maximumAllowed = max;
    reason = 'TooManyReplicas';
    message = 'the desired replica count is more than the maximum replica count';
  }
  if (desired < min) return [min, 'TooFewReplicas', 'the desired replica count is less than the minimum replica count'];
  if (desired > maximumAllowed) return [maximumAllowed, reason, message];
  return [desired, 'DesiredWithinRange', 'the desired count is within the acceptable range'];
}

/** normalizeDesiredReplicasWithBehaviors */
export function normalizeWithBehaviors(
  s: Sync,
  memory: HpaMemory,
  behavior: t.HorizontalPodAutoscalerBehavior,
  current: number,
  desired: number,
  min: number,
  max: number,
): number {
  const now = s.ctx.now;
  const up = behavior.scaleUp ?? {};
  const down = behavior.scaleDown ?? {};
  const [stabilized, reason, message] = stabilizeWithBehaviors(
    memory,
    up.stabilizationWindowSeconds ?? 0,
    down.stabilizationWindowSeconds ?? DOWNSCALE_STABILIZATION_MS / 1000,
    current,
    desired,
    now,
  );
  if (stabilized !== desired) s.setCondition('AbleToScale', 'True', reason, message);
  else s.setCondition('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
  const [replicas, limitReason, limitMessage] = convertDesiredReplicasWithBehaviorRate(
    memory,
    up,
    down,
    current,
    stabilized,
    min,
    max,
    now,
  );
  s.setCondition('ScalingLimited', replicas === stabilized ? 'False' : 'True', limitReason, limitMessage);
  return replicas;
}

export function stabilizeWithBehaviors(
  memory: HpaMemory,
  upWindowSeconds: number,
  downWindowSeconds: number,
  current: number,
  desired: number,
  now: number,
): [number, string, string] {
  const upCutoff = now - upWindowSeconds * 1000;
  const downCutoff = now - downWindowSeconds * 1000;
  let upRecommendation = desired;
  let downRecommendation = desired;
  let oldIndex = -1;
  memory.recommendations.forEach((rec, i) => {
    if (rec.at > upCutoff) upRecommendation = Math.min(rec.replicas, upRecommendation);
    if (rec.at > downCutoff) downRecommendation = Math.max(rec.replicas, downRecommendation);
    if (rec.at < upCutoff && rec.at < downCutoff) oldIndex = i;
  });
  let recommendation = current;
  if (recommendation < upRecommendation) recommendation = upRecommendation;
  if (recommendation > downRecommendation) recommendation = downRecommendation;
  if (oldIndex >= 0) memory.recommendations[oldIndex] = { replicas: desired, at: now };
  else memory.recommendations.push({ replicas: desired, at: now });
  const keepAfter = Math.min(upCutoff, downCutoff);
  memory.recommendations = memory.recommendations.filter((r) => r.at >= keepAfter);
  return desired >= current
    ? [recommendation, 'ScaleUpStabilized', 'recent recommendations were lower than current one, applying the lowest recent recommendation']
    : [
        recommendation,
        'ScaleDownStabilized',
        'recent recommendations were higher than current one, applying the highest recent recommendation',
      ];
}

function changeInPeriod(periodSeconds: number, events: ScaleEvent[], now: number): number {
  const cutoff = now - periodSeconds * 1000;
  return events.filter((e) => e.at > cutoff).reduce((n, e) => n + e.change, 0);
}

/** calculateScaleUpLimitWithScalingRules */
export function scaleUpLimit(
  current: number,
  upEvents: ScaleEvent[],
  downEvents: ScaleEvent[],
  rules: t.HPAScalingRules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pickMin = rules.selectPolicy === 'Min';
  let result = pickMin ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
  for (const p of rules.policies ?? []) {
    const start = current - changeInPeriod(p.periodSeconds, upEvents, now) + changeInPeriod(p.periodSeconds, downEvents, now);
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = pickMin ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/** calculateScaleDownLimitWithBehaviors */
export function scaleDownLimit(
  current: number,
  upEvents: ScaleEvent[],
  downEvents: ScaleEvent[],
  rules: t.HPAScalingRules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pickMin = rules.selectPolicy === 'Min';
  let result = pickMin ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  for (const p of rules.policies ?? []) {
    const start = current - changeInPeriod(p.periodSeconds, upEvents, now) + changeInPeriod(p.periodSeconds, downEvents, now);
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = pickMin ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

export function convertDesiredReplicasWithBehaviorRate(
  memory: HpaMemory,
  up: t.HPAScalingRules,
  down: t.HPAScalingRules,
  current: number,
  desired: number,
  min: number,
  max: number,
  now: number,
): [number, string, string] {
  if (desired > current) {
    let limit = scaleUpLimit(current, memory.scaleUpEvents, memory.scaleDownEvents, up, now);
    if (limit < current) limit = current;
    let maximumAllowed = max;
    let reason = 'TooManyReplicas';
    let message = 'the desired replica count is more than the maximum replica count';
    if (maximumAllowed > limit) {
      maximumAllowed = limit;
      reason = 'ScaleUpLimit';
      message = 'the desired replica count is increasing faster than the maximum scale rate';
    }
    if (desired > maximumAllowed) return [maximumAllowed, reason, message];
  } else if (desired < current) {
    let limit = scaleDownLimit(current, memory.scaleUpEvents, memory.scaleDownEvents, down, now);
    if (limit > current) limit = current;
    let minimumAllowed = min;
    let reason = 'TooFewReplicas';
    let message = 'the desired replica count is less than the minimum replica count';
    if (minimumAllowed < limit) {
      minimumAllowed = limit;
      reason = 'ScaleDownLimit';
      message = 'the desired replica count is decreasing faster than the maximum scale rate';
    }
    if (desired < minimumAllowed) return [minimumAllowed, reason, message];
  }
  return [desired, 'DesiredWithinRange', 'the desired count is within the acceptable range'];
}

/** storeScaleEvent: remembered for as long as the longest policy period of that direction. */
function storeScaleEvent(
  memory: HpaMemory,
  behavior: t.HorizontalPodAutoscalerBehavior | undefined,
  previous: number,
  next: number,
  now: number,
): void {
  if (!behavior) return;
  const longest = (rules: t.HPAScalingRules | undefined) => Math.max(0, ...(rules?.policies ?? []).map((p) => p.periodSeconds)) * 1000;
  memory.scaleUpEvents = memory.scaleUpEvents.filter((e) => e.at > now - longest(behavior.scaleUp));
  memory.scaleDownEvents = memory.scaleDownEvents.filter((e) => e.at > now - longest(behavior.scaleDown));
  if (next > previous) memory.scaleUpEvents.push({ change: next - previous, at: now });
  else if (next < previous) memory.scaleDownEvents.push({ change: previous - next, at: now });
}
