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
export const TRAFFIC_ANNOTATION = 'sim.kubesim.io/traffic';

export type TrafficEvent =
  /** from `atMs` on the base rate is `rps` */
  | { type: 'step'; atMs: number; rps: number }
  /** the base rate moves linearly to `rps` between fromMs and toMs, and stays there */
  | { type: 'ramp'; fromMs: number; toMs: number; rps: number }
  /** the rate is `rps` between fromMs and toMs, then goes back to the base rate */
  | { type: 'spike'; fromMs: number; toMs: number; rps: number }
  /** adds amplitude × sin(2π t / period) while active */
  | { type: 'sine'; amplitude: number; periodMs: number; fromMs?: number; toMs?: number };

export interface TrafficProfile {
  rps: number;
  durationMs: number;
  events: TrafficEvent[];
}

/** What a Service carries while (and after) a traffic run. */
export interface ActiveTraffic {
  startedAt: number;
  profile: TrafficProfile;
  cpuPerRequestMilli: number;
  latencyMs: number;
  /** the fraction of the profile's load this Service takes (a backend of a weighted route); 1 when absent */
  share?: number;
}

/** Offered load at `elapsedMs` after the start; 0 outside the run. */
export function offeredRps(profile: TrafficProfile, elapsedMs: number): number {
  if (elapsedMs < 0 || elapsedMs >= profile.durationMs) return 0;
  let base = profile.rps;
  const baseChanges = profile.events
    .filter((e): e is Extract<TrafficEvent, { type: 'step' | 'ramp' }> => e.type === 'step' || e.type === 'ramp')
    .sort((a, b) => startOf(a) - startOf(b));
  for (const e of baseChanges) {
    if (e.type === 'step') {
      if (elapsedMs >= e.atMs) base = e.rps;
    } else if (elapsedMs >= e.toMs) base = e.rps;
    else if (elapsedMs >= e.fromMs) base = base + ((e.rps - base) * (elapsedMs - e.fromMs)) / Math.max(1, e.toMs - e.fromMs);
  }
  let rate = base;
  for (const e of profile.events) {
    if (e.type === 'spike' && elapsedMs >= e.fromMs && elapsedMs < e.toMs) rate = e.rps;
  }
  for (const e of profile.events) {
    if (e.type !== 'sine') continue;
    const from = e.fromMs ?? 0;
    if (elapsedMs < from || (e.toMs !== undefined && elapsedMs >= e.toMs)) continue;
    rate += e.amplitude * Math.sin((2 * Math.PI * (elapsedMs - from)) / e.periodMs);
  }
  return Math.max(0, rate);
}

function startOf(e: TrafficEvent): number {
  return e.type === 'step' ? e.atMs : e.type === 'sine' ? (e.fromMs ?? 0) : e.fromMs;
}

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
