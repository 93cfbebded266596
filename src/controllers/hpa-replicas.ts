import type { Pod } from '../model/kinds';
import { milliValue } from '../api/quantity';
import { fromRFC3339 } from '../util/duration';
import { podCondition } from '../api/kinds/pod';
import type { PodMetric } from '../sim/metrics';
import { TOLERANCE } from '../api/kinds/horizontalpodautoscaler';

/**
 * The HPA replica calculator, pkg/controller/podautoscaler/replica_calculator.go (v1.32).
 * Values are milli-units (Quantity.MilliValue()), as the controller computes them.
 */

/** --horizontal-pod-autoscaler-cpu-initialization-period */
export const CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
/** --horizontal-pod-autoscaler-initial-readiness-delay */
export const INITIAL_READINESS_DELAY_MS = 30_000;

export class MetricError extends Error {}

export type PodMetrics = Map<string, PodMetric>;

interface Grouped {
  readyPodCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

/** groupPods: which pods' samples count (CPU samples of starting pods are distrusted). */
export function groupPods(pods: Pod[], metrics: PodMetrics, resource: string, now: number): Grouped {
  const g: Grouped = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    const name = pod.metadata.name;
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Failed') {
      g.ignored.add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      g.unready.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (!metric) {
      g.missing.add(name);
      continue;
    }
    if (resource === 'cpu') {
      const ready = podCondition(pod, 'Ready');
      const startTime = pod.status?.startTime ? fromRFC3339(pod.status.startTime) : undefined;
      let unready: boolean;
      if (!ready || startTime === undefined) unready = true;
      else {
        const transition = fromRFC3339(ready.lastTransitionTime);
        if (startTime + CPU_INITIALIZATION_PERIOD_MS > now) {
          // within the initialisation period: ignore unready pods and samples taken before one full window since the last transition
          unready = ready.status === 'False' || metric.timestamp < transition + metric.windowMs;
        } else {
          // afterwards: ignore only pods that are unready and have never been ready
          unready = ready.status === 'False' && startTime + INITIAL_READINESS_DELAY_MS > transition;
        }
      }
      if (unready) {
        g.unready.add(name);
        continue;
      }
    }
    g.readyPodCount++;
  }
  return g;
}

function podRequests(pods: Pod[], resource: string): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    let sum = 0;
    for (const c of pod.spec?.containers ?? []) {
      const q = c.resources?.requests?.[resource];
      if (q === undefined) throw new MetricError(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}`);
      sum += milliValue(q);
    }
    requests.set(pod.metadata.name, sum);
  }
  return requests;
}

function utilizationRatio(
  metrics: Map<string, number>,
  requests: Map<string, number>,
  target: number,
): { ratio: number; utilization: number; raw: number } {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entries = 0;
  for (const [name, value] of metrics) {
    const request = requests.get(name);
    if (request === undefined) continue;
    metricsTotal += value;
    requestsTotal += request;
    entries++;
  }
  if (requestsTotal === 0) throw new MetricError('no metrics returned matched known pods');
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { ratio: utilization / target, utilization, raw: Math.trunc(metricsTotal / entries) };
}

export interface ResourceReplicas {
  replicas: number;
  utilization: number;
  /** average usage per pod, milli-units */
  raw: number;
  timestamp: number;
}

/** GetResourceReplicas: a Utilization target on a resource. */
export function resourceReplicas(
  currentReplicas: number,
  target: number,
  resource: string,
  pods: Pod[],
  podMetrics: PodMetrics,
  now: number,
): ResourceReplicas {
  if (!podMetrics.size)
    throw new MetricError(`unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`);
  if (!pods.length) throw new MetricError('no pods returned by selector while calculating replica count');
  const timestamp = [...podMetrics.values()][0].timestamp;
  const g = groupPods(pods, podMetrics, resource, now);
  const metrics = new Map<string, number>();
  for (const [name, m] of podMetrics) if (!g.ignored.has(name) && !g.unready.has(name)) metrics.set(name, m.value);
  if (!metrics.size) throw new MetricError('did not receive metrics for targeted pods (pods might be unready)');
  const requests = podRequests(pods, resource);
  const { ratio, utilization, raw } = utilizationRatio(metrics, requests, target);
  const scaleUpWithUnready = g.unready.size > 0 && ratio > 1.0;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (Math.abs(1.0 - ratio) <= TOLERANCE) return { replicas: currentReplicas, utilization, raw, timestamp };
    return { replicas: Math.ceil(ratio * g.readyPodCount), utilization, raw, timestamp };
  }
  if (g.missing.size) {
    if (ratio < 1.0) {
      // on a scale-down, missing pods count as using 100% of their request (or the target, if above 100%)
      const fallback = Math.max(100, target);
      for (const name of g.missing) metrics.set(name, Math.trunc(((requests.get(name) ?? 0) * fallback) / 100));
    } else if (ratio > 1.0) {
      for (const name of g.missing) metrics.set(name, 0);
    }
  }
  if (scaleUpWithUnready) for (const name of g.unready) metrics.set(name, 0);
  const next = utilizationRatio(metrics, requests, target).ratio;
  if (Math.abs(1.0 - next) <= TOLERANCE || (ratio < 1.0 && next > 1.0) || (ratio > 1.0 && next < 1.0))
    return { replicas: currentReplicas, utilization, raw, timestamp };
  const replicas = Math.ceil(next * metrics.size);
  if ((next < 1.0 && replicas > currentReplicas) || (next > 1.0 && replicas < currentReplicas))
    return { replicas: currentReplicas, utilization, raw, timestamp };
  return { replicas, utilization, raw, timestamp };
}

function usageRatio(metrics: Map<string, number>, target: number): { ratio: number; usage: number } {
  let total = 0;
  for (const v of metrics.values()) total += v;
  const usage = Math.trunc(total / metrics.size);
  return { ratio: usage / target, usage };
}

/** calcPlainMetricReplicas: AverageValue targets on a resource or a Pods metric (resource ''). */
export function plainMetricReplicas(
  currentReplicas: number,
  targetUsage: number,
  resource: string,
  pods: Pod[],
  podMetrics: PodMetrics,
  now: number,
): { replicas: number; usage: number } {
  if (!pods.length) throw new MetricError('no pods returned by selector while calculating replica count');
  const g = groupPods(pods, podMetrics, resource, now);
  const metrics = new Map<string, number>();
  for (const [name, m] of podMetrics) if (!g.ignored.has(name) && !g.unready.has(name)) metrics.set(name, m.value);
  if (!metrics.size) throw new MetricError('did not receive metrics for targeted pods (pods might be unready)');
  const { ratio, usage } = usageRatio(metrics, targetUsage);
  const scaleUpWithUnready = g.unready.size > 0 && ratio > 1.0;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (Math.abs(1.0 - ratio) <= TOLERANCE) return { replicas: currentReplicas, usage };
    return { replicas: Math.ceil(ratio * g.readyPodCount), usage };
  }
  if (g.missing.size) for (const name of g.missing) metrics.set(name, ratio < 1.0 ? targetUsage : 0);
  if (scaleUpWithUnready) for (const name of g.unready) metrics.set(name, 0);
  const next = usageRatio(metrics, targetUsage).ratio;
  if (Math.abs(1.0 - next) <= TOLERANCE || (ratio < 1.0 && next > 1.0) || (ratio > 1.0 && next < 1.0))
    return { replicas: currentReplicas, usage };
  const replicas = Math.ceil(next * metrics.size);
  if ((next < 1.0 && replicas > currentReplicas) || (next > 1.0 && replicas < currentReplicas)) return { replicas: currentReplicas, usage };
  return { replicas, usage };
}

/** getUsageRatioReplicaCount: Object/External Value targets scale the Ready pod count by the ratio. */
export function usageRatioReplicas(currentReplicas: number, ratio: number, readyPodCount: number): number {
  if (currentReplicas === 0) return Math.ceil(ratio);
  if (Math.abs(1.0 - ratio) <= TOLERANCE) return currentReplicas;
  return Math.ceil(ratio * readyPodCount);
}

/** GetObjectPerPodMetricReplicas / GetExternalPerPodMetricReplicas: AverageValue over the current replicas. */
export function perPodReplicas(currentReplicas: number, usage: number, targetAverage: number): { replicas: number; average: number } {
  let replicas = currentReplicas;
  const ratio = usage / (targetAverage * currentReplicas);
  if (Math.abs(1.0 - ratio) > TOLERANCE) replicas = Math.ceil(usage / targetAverage);
  return { replicas, average: Math.ceil(usage / currentReplicas) };
}
