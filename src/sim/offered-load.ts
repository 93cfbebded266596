/**
 * Offered requests per second of a traffic profile (src/sim/traffic-profile.ts has the profile's
 * readers, the store and API side): pure and importing nothing, so the dashboard's page bundles it.
 */

/** The annotation a running profile is stored in, on its Service. */
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
