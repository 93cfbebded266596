import type { KObject } from '../model/objects';
import type { HorizontalPodAutoscaler, PodLike, ServiceLike } from '../model/kinds';
import type { LabelSelector, PodTemplateSpec } from '../model/k8s';
import { cpuRequestMilli, containerDemand } from './usage';
import type { ReadonlyObjectStore } from '../store/object-store';
import { Random } from '../util/random';
import { fromLabelSelector, matches } from '../api/labels';
import { serviceBackends, serviceSelects } from '../api/service-backends';
import { offeredRps, podCapacityRps, type ActiveTraffic, type TrafficProfile } from './traffic-profile';
import { TOLERANCE } from '../api/kinds/horizontalpodautoscaler';

/**
 * The traffic simulator behind `kubesim traffic run`: drives load through a Service to its
 * Ready pods tick by tick in virtual time, with a queue per pod. Requests above a pod's
 * capacity wait in its queue (latency grows); a queue longer than QUEUE_TIMEOUT_S of work
 * sheds the excess (dropped); requests arriving with no Ready pod are dropped. Latency is
 * sampled from a seeded distribution: service time around --latency-ms, an M/M/1-style
 * wait that grows with utilisation, and the time spent behind the queue.
 */
export const QUEUE_TIMEOUT_S = 10;
const SAMPLES_PER_TICK = 200;
/** utilisation above which the M/M/1 wait is capped (the queue term takes over) */
const MAX_RHO = 0.95;

export interface TrafficTick {
  t: number;
  /** the metric name users watch for the Service's pods (the same count as pods_total) */
  pod_count: number;
  pods_total: number;
  pods_ready: number;
  hpa_desired: number | null;
  cpu_utilization_pct: number;
  rps_offered: number;
  rps_served: number;
  rps_dropped: number;
  p50_latency_ms: number | null;
  p99_latency_ms: number | null;
  hpa_scaling_time_ms: number | null;
}

export interface ScalingEpisode {
  /** seconds since the start when load went above the target */
  start: number;
  /** seconds since the start when utilisation came back within the target, null if it never did */
  end: number | null;
  duration_ms: number | null;
}

export interface TrafficReport {
  service: string;
  namespace: string;
  seed: number;
  tick_seconds: number;
  duration_seconds: number;
  hpa: string | null;
  target_cpu_utilization_pct: number | null;
  ticks: TrafficTick[];
  scaling: ScalingEpisode[];
  summary: {
    requests_offered: number;
    requests_served: number;
    requests_dropped: number;
    p50_latency_ms: number | null;
    p99_latency_ms: number | null;
    max_p99_latency_ms: number | null;
    pods_ready_start: number;
    pods_ready_max: number;
    pods_ready_end: number;
  };
}

export interface TrafficRunOptions {
  namespace: string;
  service: string;
  profile: TrafficProfile;
  tickMs: number;
  seed: number;
  latencyMs: number;
  cpuPerRequestMilli: number;
  /** the fraction of the profile's load that reaches this Service (a weighted backend of a route); 1 when absent */
  share?: number;
}

/**
 * What the load runs on: the engine that runs the controllers, stepped through virtual time (the
 * command passes its session's engine; sim sits below the engine and does not import it).
 */
export interface Engine {
  now: number;
  moveTo(target: number): void;
  pendingWakeup(): number | undefined;
  step(until: number): void;
  settle(): void;
}

/** Moves the engine to `t`, settling only at the wake-ups on the way (the load itself writes nothing). */
export function advanceTo(engine: Engine, t: number): void {
  for (;;) {
    const next = engine.pendingWakeup();
    if (next === undefined || next > t) break;
    engine.step(t);
  }
  if (engine.now < t) engine.moveTo(t);
}

interface PodModel {
  capacityRps: number;
  baselineMilli: number;
  requestMilli: number;
}

/** The HPA whose target's pods the Service selects (the one that reacts to this load). */
export function hpaForService(store: ReadonlyObjectStore, svc: ServiceLike): HorizontalPodAutoscaler | undefined {
  for (const hpa of store.list('HorizontalPodAutoscaler', svc.metadata.namespace)) {
    const ref = hpa.spec.scaleTargetRef;
    // the target is any scalable kind (or a custom resource): only its pod template and selector matter
    const target = store.get(ref.kind, svc.metadata.namespace, ref.name) as
      KObject<{ template?: PodTemplateSpec; selector?: LabelSelector }> | undefined;
    const labels = target?.spec?.template?.metadata?.labels;
    if (labels && serviceSelects(svc, { ...target!, metadata: { ...target!.metadata, labels, namespace: svc.metadata.namespace } }))
      return hpa;
    const selector = fromLabelSelector(target?.spec?.selector);
    if (selector && svc.spec?.selector && matches(selector, svc.spec.selector)) return hpa;
  }
  return undefined;
}

function hpaCpuTarget(hpa: HorizontalPodAutoscaler | undefined): number | null {
  const m = (hpa?.spec?.metrics ?? []).find(
    (x) => x.type === 'Resource' && x.resource?.name === 'cpu' && x.resource?.target?.type === 'Utilization',
  );
  return m ? (m.resource?.target.averageUtilization ?? null) : null;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/**
 * The load's state from tick to tick (each pod's queue, the latency stream, the open scaling
 * episode): `kubesim traffic run` drives it through its own loop, `kubesim scenario run` from
 * the engine's observer while other steps run.
 */
export class TrafficSampler {
  private readonly rng: Random;
  private readonly dt: number;
  readonly tickCount: number;
  private readonly backlog = new Map<string, number>();
  private readonly models = new Map<string, PodModel>();
  readonly ticks: TrafficTick[] = [];
  private readonly scaling: ScalingEpisode[] = [];
  private open: ScalingEpisode | undefined;
  private totalOffered = 0;
  private totalServed = 0;
  private totalDropped = 0;
  private readonly allSamples: number[] = [];
  private hpaName: string | null = null;
  private target: number | null = null;
  private serviceGone = false;

  constructor(
    private readonly opts: TrafficRunOptions,
    /** virtual time of the first tick */
    readonly start: number,
  ) {
    this.rng = Random.fromSeed(opts.seed);
    this.dt = opts.tickMs / 1000;
    this.tickCount = Math.max(1, Math.ceil(opts.profile.durationMs / opts.tickMs));
  }

  /** The time of the next tick to sample, or undefined when every tick was (or the Service is gone). */
  nextTick(): number | undefined {
    if (this.serviceGone || this.ticks.length >= this.tickCount) return undefined;
    return this.start + this.ticks.length * this.opts.tickMs;
  }

  /** When the run ends (its last tick's end). */
  get end(): number {
    return this.start + this.tickCount * this.opts.tickMs;
  }

  private modelOf(pod: PodLike): PodModel {
    let m = this.models.get(pod.metadata.uid!);
    if (!m) {
      const baseline = (pod.spec?.containers ?? []).reduce((n, c) => n + containerDemand(pod, c.name).cpuMilli, 0);
      m = { capacityRps: podCapacityRps(pod, this.opts.cpuPerRequestMilli), baselineMilli: baseline, requestMilli: cpuRequestMilli(pod) };
      this.models.set(pod.metadata.uid!, m);
    }
    return m;
  }

  /** Samples the next tick (at nextTick()) from the cluster as `store` holds it; false when the Service is gone. */
  sample(store: ReadonlyObjectStore): boolean {
    const t = this.nextTick();
    if (t === undefined) return false;
    const { opts, dt, backlog, rng } = this;
    const svc = store.get('Service', opts.namespace, opts.service);
    if (!svc) {
      this.serviceGone = true;
      return false;
    }
    const hpa = hpaForService(store, svc);
    this.hpaName = hpa ? hpa.metadata.name : this.hpaName;
    this.target = hpaCpuTarget(hpa) ?? this.target;
    const target = this.target;
    const { pods, ready, readyUids } = serviceBackends(store, svc);
    const offered = offeredRps(opts.profile, t - this.start) * (opts.share ?? 1);
    const arrivals = offered * dt;
    let dropped = 0;
    for (const [uid, queued] of backlog) {
      if (!readyUids.has(uid)) {
        dropped += queued;
        backlog.delete(uid);
      }
    }
    let servedTotal = 0;
    let usedMilli = 0;
    let requestMilli = 0;
    let baselineMilli = 0;
    const served: number[] = [];
    const waitBefore: number[] = [];
    if (!ready.length) dropped += arrivals;
    const share = ready.length ? arrivals / ready.length : 0;
    for (const pod of ready) {
      const m = this.modelOf(pod);
      const before = backlog.get(pod.metadata.uid!) ?? 0;
      const queue = before + share;
      const s = Math.min(queue, m.capacityRps * dt);
      let rest = queue - s;
      const limit = m.capacityRps * QUEUE_TIMEOUT_S;
      if (rest > limit) {
        dropped += rest - limit;
        rest = limit;
      }
      backlog.set(pod.metadata.uid!, rest);
      served.push(s);
      waitBefore.push(((before + rest) / 2 / Math.max(1e-9, m.capacityRps)) * 1000);
      servedTotal += s;
      usedMilli += (s / dt) * opts.cpuPerRequestMilli + m.baselineMilli;
      requestMilli += m.requestMilli;
      baselineMilli += m.baselineMilli;
    }
    // latency: SAMPLES_PER_TICK requests, each served by a pod chosen in proportion to what it served
    const samples: number[] = [];
    if (servedTotal > 0) {
      const cumulative: number[] = [];
      let acc = 0;
      for (const s of served) cumulative.push((acc += s));
      for (let i = 0; i < SAMPLES_PER_TICK; i++) {
        const pick = rng.next() * acc;
        let lo = 0;
        let hi = cumulative.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cumulative[mid] > pick) hi = mid;
          else lo = mid + 1;
        }
        const m = this.modelOf(ready[lo]);
        const rho = Math.min(MAX_RHO, served[lo] / dt / Math.max(1e-9, m.capacityRps));
        const service = opts.latencyMs * (0.75 + 0.5 * rng.next());
        const wait = -Math.log(1 - rng.next()) * opts.latencyMs * (rho / (1 - rho));
        const queued = waitBefore[lo] * (0.8 + 0.4 * rng.next());
        samples.push(service + wait + queued);
      }
      samples.sort((a, b) => a - b);
      for (let i = 0; i < samples.length; i += 10) this.allSamples.push(samples[i]);
    }
    const utilization = requestMilli ? (usedMilli / requestMilli) * 100 : 0;
    const demand = requestMilli ? ((offered * opts.cpuPerRequestMilli + baselineMilli) / requestMilli) * 100 : offered > 0 ? Infinity : 0;
    let scalingTime: number | null = null;
    if (target !== null) {
      const threshold = target * (1 + TOLERANCE);
      if (!this.open && demand > threshold) {
        this.open = { start: (t - this.start) / 1000, end: null, duration_ms: null };
        this.scaling.push(this.open);
      } else if (this.open && demand <= threshold) {
        this.open.end = (t - this.start) / 1000;
        this.open.duration_ms = t - this.start - this.open.start * 1000;
        scalingTime = this.open.duration_ms;
        this.open = undefined;
      }
    }
    this.totalOffered += arrivals;
    this.totalServed += servedTotal;
    this.totalDropped += dropped;
    this.ticks.push({
      t: (t - this.start) / 1000,
      pod_count: pods.length,
      pods_total: pods.length,
      pods_ready: ready.length,
      hpa_desired: hpa?.status?.desiredReplicas ?? null,
      cpu_utilization_pct: Math.round(utilization),
      rps_offered: round1(offered),
      rps_served: round1(servedTotal / dt),
      rps_dropped: round1(dropped / dt),
      p50_latency_ms: samples.length ? round1(percentile(samples, 0.5)) : null,
      p99_latency_ms: samples.length ? round1(percentile(samples, 0.99)) : null,
      hpa_scaling_time_ms: scalingTime,
    });
    return true;
  }

  report(): TrafficReport {
    const { opts, ticks } = this;
    const allSamples = [...this.allSamples].sort((a, b) => a - b);
    const p99s = ticks.map((x) => x.p99_latency_ms).filter((v): v is number => v !== null);
    const readyCounts = ticks.map((x) => x.pods_ready);
    return {
      service: opts.service,
      namespace: opts.namespace,
      seed: opts.seed,
      tick_seconds: this.dt,
      duration_seconds: opts.profile.durationMs / 1000,
      hpa: this.hpaName,
      target_cpu_utilization_pct: this.target,
      ticks,
      scaling: this.scaling,
      summary: {
        requests_offered: Math.round(this.totalOffered),
        requests_served: Math.round(this.totalServed),
        requests_dropped: Math.round(this.totalDropped),
        p50_latency_ms: allSamples.length ? round1(percentile(allSamples, 0.5)) : null,
        p99_latency_ms: allSamples.length ? round1(percentile(allSamples, 0.99)) : null,
        max_p99_latency_ms: p99s.length ? Math.max(...p99s) : null,
        pods_ready_start: readyCounts[0] ?? 0,
        pods_ready_max: readyCounts.length ? Math.max(...readyCounts) : 0,
        pods_ready_end: readyCounts[readyCounts.length - 1] ?? 0,
      },
    };
  }
}

/**
 * Runs the load. `annotate` stores the running profile on the Service (so the metrics
 * pipeline and the HPA see it) before the first tick.
 */
export function runTraffic(
  engine: Engine,
  store: ReadonlyObjectStore,
  opts: TrafficRunOptions,
  annotate: (traffic: ActiveTraffic) => void,
  /** called at each tick's virtual time, once the cluster is there (a report's snapshots) */
  onTick?: (now: number) => void,
): TrafficReport {
  const start = engine.now;
  annotate({ startedAt: start, profile: opts.profile, cpuPerRequestMilli: opts.cpuPerRequestMilli, latencyMs: opts.latencyMs });
  engine.settle();
  const sampler = new TrafficSampler(opts, start);
  for (let t = sampler.nextTick(); t !== undefined; t = sampler.nextTick()) {
    advanceTo(engine, t);
    onTick?.(t);
    if (!sampler.sample(store)) break;
  }
  advanceTo(engine, sampler.end);
  engine.settle();
  return sampler.report();
}

/** One backendRef of the route a gateway run drives, and what reached it. */
export interface GatewayBackendReport {
  /** `namespace/name:port` */
  backend: string;
  weight: number;
  share: number;
  /** why the Gateway cannot send to it (its share is answered 500), when it cannot */
  error: string | null;
  summary: TrafficReport['summary'] | null;
}

export interface GatewayTrafficReport {
  gateway: string;
  namespace: string;
  host: string;
  path: string;
  route: string;
  seed: number;
  tick_seconds: number;
  duration_seconds: number;
  requests_offered: number;
  requests_served: number;
  requests_dropped: number;
  /** requests the Gateway answered 500 (their backend is not usable) */
  requests_failed: number;
  backends: GatewayBackendReport[];
  /** each usable backend's own run, every tick (-o json) */
  runs: TrafficReport[];
}

export interface GatewayBackend {
  namespace: string;
  service: string;
  port: number;
  weight: number;
  share: number;
  error?: string;
}

/**
 * Load through a Gateway's route: the rule's backends each take their weight's share of the
 * profile, each a Service run of its own (its queues, latency and HPA), sampled at the same
 * ticks; a backend the Gateway cannot use answers its share with 500s.
 */
export function runGatewayTraffic(
  engine: Engine,
  store: ReadonlyObjectStore,
  opts: Omit<TrafficRunOptions, 'service' | 'namespace' | 'share'>,
  target: { gateway: string; namespace: string; host: string; path: string; route: string },
  backends: GatewayBackend[],
  annotate: (namespace: string, service: string, traffic: ActiveTraffic) => void,
): GatewayTrafficReport {
  const start = engine.now;
  // a Service named twice (two ports) takes the sum of its shares
  const usable = new Map<string, { namespace: string; service: string; share: number }>();
  for (const b of backends.filter((x) => !x.error && x.share > 0)) {
    const key = `${b.namespace}/${b.service}`;
    const entry = usable.get(key) ?? { namespace: b.namespace, service: b.service, share: 0 };
    entry.share += b.share;
    usable.set(key, entry);
  }
  const runs = [...usable.values()];
  for (const r of runs)
    annotate(r.namespace, r.service, {
      startedAt: start,
      profile: opts.profile,
      cpuPerRequestMilli: opts.cpuPerRequestMilli,
      latencyMs: opts.latencyMs,
      share: r.share,
    });
  engine.settle();
  // each backend's latency stream from its own seed, so adding a backend leaves the others' draws alone
  const samplers = runs.map(
    (r, i) => new TrafficSampler({ ...opts, namespace: r.namespace, service: r.service, share: r.share, seed: opts.seed + i }, start),
  );
  const tickCount = Math.max(1, Math.ceil(opts.profile.durationMs / opts.tickMs));
  let offered = 0;
  for (let i = 0; i < tickCount; i++) {
    const t = start + i * opts.tickMs;
    advanceTo(engine, t);
    offered += offeredRps(opts.profile, t - start) * (opts.tickMs / 1000);
    for (const s of samplers) if (s.nextTick() === t) s.sample(store);
  }
  advanceTo(engine, start + tickCount * opts.tickMs);
  engine.settle();
  const reports = samplers.map((s) => s.report());
  const reportOf = (b: GatewayBackend) => reports.find((r) => r.namespace === b.namespace && r.service === b.service);
  const failedShare = backends.filter((b) => b.error).reduce((n, b) => n + b.share, 0);
  const rows: GatewayBackendReport[] = backends.map((b) => {
    const r = b.error ? undefined : reportOf(b);
    const part = r ? b.share / usable.get(`${b.namespace}/${b.service}`)!.share : 0;
    const scaled = r
      ? {
          ...r.summary,
          requests_offered: Math.round(r.summary.requests_offered * part),
          requests_served: Math.round(r.summary.requests_served * part),
          requests_dropped: Math.round(r.summary.requests_dropped * part),
        }
      : null;
    return { backend: `${b.namespace}/${b.service}:${b.port}`, weight: b.weight, share: b.share, error: b.error ?? null, summary: scaled };
  });
  return {
    ...target,
    seed: opts.seed,
    tick_seconds: opts.tickMs / 1000,
    duration_seconds: opts.profile.durationMs / 1000,
    requests_offered: Math.round(offered),
    requests_served: reports.reduce((n, r) => n + r.summary.requests_served, 0),
    requests_dropped: reports.reduce((n, r) => n + r.summary.requests_dropped, 0),
    requests_failed: Math.round(offered * failedShare),
    backends: rows,
    runs: reports,
  };
}
