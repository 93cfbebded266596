import type { KObject } from '../model/objects';
import type { PodLike } from '../model/kinds';
import type { ReadonlyObjectStore } from '../store/object-store';
import { milliValue } from '../api/quantity';
import { fromRFC3339 } from '../util/duration';
import { lastScrapeTime, podUsage, SCRAPE_INTERVAL_MS } from './usage';
import { podTrafficLoad, serviceOfferedRps } from './traffic-profile';

/**
 * The simulated metrics pipeline: metrics-server (resource metrics, scraped every 15 s
 * of virtual time) and the custom/external metrics APIs (values set with
 * `kubesim metrics set` or supplied by the traffic model).
 */

/** metrics-server reports the window of the CPU rate: the time between its two samples. */
export const METRIC_WINDOW_MS = SCRAPE_INTERVAL_MS;

/** Annotation holding a custom metric value (a quantity) on a pod or described object. */
export const CUSTOM_METRIC_PREFIX = 'metrics.kubesim.io/';
/** Annotation on a Namespace holding an external metric value. */
export const EXTERNAL_METRIC_PREFIX = 'external.metrics.kubesim.io/';

/** Metric names the traffic model answers: requests per second served (pods) or offered (Service). */
export const TRAFFIC_METRIC_NAMES = ['requests_per_second', 'http_requests_per_second', 'http_requests'];

export interface PodMetric {
  /** milli-units: millicores for cpu, milli-bytes for memory (the HPA works on MilliValue()) */
  value: number;
  timestamp: number;
  windowMs: number;
}

/**
 * metrics-server's view of a pod at `now`: usage as of the last scrape, or undefined while
 * the pod has no sample yet — a CPU rate needs two scrapes after its containers started.
 */
export function podResourceMetric(pod: PodLike, resource: string, store: ReadonlyObjectStore, now: number): PodMetric | undefined {
  const scrape = lastScrapeTime(now);
  const started = podStartedAt(pod);
  if (started === undefined) return undefined;
  const firstScrape = Math.ceil(started / SCRAPE_INTERVAL_MS) * SCRAPE_INTERVAL_MS;
  if (firstScrape + SCRAPE_INTERVAL_MS > scrape) return undefined;
  const usage = podUsage(pod, now, store);
  if (!usage.length) return undefined;
  let value = 0;
  for (const c of usage) value += resource === 'cpu' ? c.cpuMilli : resource === 'memory' ? c.memoryBytes * 1000 : 0;
  if (resource !== 'cpu' && resource !== 'memory') return undefined;
  return { value, timestamp: scrape, windowMs: METRIC_WINDOW_MS };
}

/** When the pod's containers started running (the earliest running container). */
function podStartedAt(pod: PodLike): number | undefined {
  if (pod.status?.phase !== 'Running') return undefined;
  let earliest: number | undefined;
  for (const c of pod.status?.containerStatuses ?? []) {
    const at = c.state?.running?.startedAt;
    if (!at) continue;
    const t = fromRFC3339(at);
    if (earliest === undefined || t < earliest) earliest = t;
  }
  return earliest;
}

function annotationMilli(obj: KObject, key: string): number | undefined {
  const v = obj.metadata.annotations?.[key];
  if (v === undefined) return undefined;
  try {
    return milliValue(v);
  } catch {
    return undefined;
  }
}

/** A per-pod custom metric (custom.metrics.k8s.io) in milli-units, or undefined when missing. */
export function podCustomMetric(pod: PodLike, name: string, store: ReadonlyObjectStore, now: number): PodMetric | undefined {
  const scrape = lastScrapeTime(now);
  const set = annotationMilli(pod, CUSTOM_METRIC_PREFIX + name);
  if (set !== undefined) return { value: set, timestamp: scrape, windowMs: METRIC_WINDOW_MS };
  if (!TRAFFIC_METRIC_NAMES.includes(name) || pod.status?.phase !== 'Running') return undefined;
  return { value: Math.round(podTrafficLoad(pod, store, scrape).rps * 1000), timestamp: scrape, windowMs: METRIC_WINDOW_MS };
}

/** A metric describing one object (Object metric source), in milli-units. */
export function objectMetric(obj: KObject, name: string, now: number): number | undefined {
  const set = annotationMilli(obj, CUSTOM_METRIC_PREFIX + name);
  if (set !== undefined) return set;
  if (obj.kind === 'Service' && TRAFFIC_METRIC_NAMES.includes(name)) return Math.round(serviceOfferedRps(obj, lastScrapeTime(now)) * 1000);
  return undefined;
}

/** An external metric (external.metrics.k8s.io) for a namespace, in milli-units. */
export function externalMetric(store: ReadonlyObjectStore, namespace: string, name: string): number | undefined {
  const ns = store.get('Namespace', undefined, namespace);
  return ns ? annotationMilli(ns, EXTERNAL_METRIC_PREFIX + name) : undefined;
}
