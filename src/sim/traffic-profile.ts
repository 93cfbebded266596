import type { KObject } from '../model/objects';
import type { PodLike } from '../model/kinds';
import type { ReadonlyObjectStore } from '../store/object-store';
import { milliValue } from '../api/quantity';
import { serviceBackends, serviceSelects } from '../api/service-backends';

/**
 * Traffic profiles: offered requests per second as a pure function of time since the run
 * started. A running profile is stored on its Service (annotation TRAFFIC_ANNOTATION) so
 * that every controller, the metrics pipeline and `kubesim top` see the same load.
 */
// the annotation's name and the profile's arithmetic are their own module, pure, so the dashboard's
// bundle (src/sim/traffic-load-chart.ts) takes them without the store and the API this one reads
import { TRAFFIC_ANNOTATION, offeredRps, type ActiveTraffic, type TrafficEvent, type TrafficProfile } from './offered-load';
export { TRAFFIC_ANNOTATION, offeredRps, type ActiveTraffic, type TrafficEvent, type TrafficProfile };

/** Parsed annotations by text: the metrics pipeline asks once per pod per sync. */
const parsed = new Map<string, ActiveTraffic | undefined>();

export function activeTraffic(svc: KObject): ActiveTraffic | undefined {
  const text = svc.metadata.annotations?.[TRAFFIC_ANNOTATION];
  if (!text) return undefined;
  if (parsed.has(text)) return parsed.get(text);
  let value: ActiveTraffic | undefined;
  try {
    value = JSON.parse(text) as ActiveTraffic;
  } catch {
    value = undefined;
  }
  if (parsed.size > 100) parsed.clear();
  parsed.set(text, value);
  return value;
}

export function serviceOfferedRps(svc: KObject, at: number): number {
  const t = activeTraffic(svc);
  return t ? offeredRps(t.profile, at - t.startedAt) * (t.share ?? 1) : 0;
}

/**
 * How much CPU a pod can burn serving requests: its CPU limit, or (no limit) the larger of
 * its request and one core — a modelling choice, the server process is taken as one core.
 */
export function podCpuCapacityMilli(pod: PodLike): number {
  let limit = 0;
  let request = 0;
  let unlimited = false;
  for (const c of pod.spec?.containers ?? []) {
    const l = c.resources?.limits?.cpu;
    if (l === undefined) unlimited = true;
    else limit += milliValue(l);
    request += milliValue(c.resources?.requests?.cpu);
  }
  return unlimited ? Math.max(request, 1000) : Math.max(1, limit);
}

/** Requests per second a pod can serve at full CPU. */
export function podCapacityRps(pod: PodLike, cpuPerRequestMilli: number): number {
  return podCpuCapacityMilli(pod) / Math.max(1e-9, cpuPerRequestMilli);
}

/**
 * Traffic a Ready pod serves at `at` (steady state: an even share of each selecting
 * Service's offered load, up to the pod's capacity) and the CPU that costs.
 */
export function podTrafficLoad(pod: PodLike, store: ReadonlyObjectStore, at: number): { rps: number; cpuMilli: number } {
  let rps = 0;
  let cpuMilli = 0;
  for (const svc of store.values('Service')) {
    if (!svc.metadata.annotations?.[TRAFFIC_ANNOTATION] || !serviceSelects(svc, pod)) continue;
    const traffic = activeTraffic(svc);
    if (!traffic) continue;
    const offered = offeredRps(traffic.profile, at - traffic.startedAt) * (traffic.share ?? 1);
    if (offered <= 0) continue;
    const { ready, readyUids } = serviceBackends(store, svc);
    if (!readyUids.has(pod.metadata.uid ?? '')) continue;
    const served = Math.min(offered / ready.length, podCapacityRps(pod, traffic.cpuPerRequestMilli));
    rps += served;
    cpuMilli += served * traffic.cpuPerRequestMilli;
  }
  return { rps, cpuMilli };
}
