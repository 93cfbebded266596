import type { Container, Probe } from '../model/k8s';
import { DEFAULTS, KNOB, knobNumber } from './knobs';
import { containerDemand, memoryLimitBytes } from './usage';
import type { PodLike } from '../model/kinds';
import { fromRFC3339 } from '../util/duration';

/** Set by `kubesim pod crash`: the container running at this time exits (code 1). */
export const CRASH_REQUESTED = 'sim.kubesim.io/crash-requested-at';

type ProbeEvent = { type: 'Normal' | 'Warning'; reason: string; message: string };

/** What probes say about a running container (liveness/readiness/startup). */
export interface ProbeHooks {
  /** container readiness given the time the app finished starting */
  ready(readyAt: number): boolean;
  /** when a liveness (or startup) failure kills the container, if it does */
  killAt?: number;
  killEvents?: ProbeEvent[];
  /** the container's terminated reason when killed at killAt (default `Error`) */
  killReason?: string;
  /** the exit code when killed at killAt (default 137, SIGKILL) */
  killExitCode?: number;
  /** events for a container going from ready to unready (the failed readiness probes) */
  unreadyEvents?: ProbeEvent[];
  /** the next time a probe result changes */
  next?: number;
}

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

/** Scripted outcomes: `sim.kubesim.io/<probe>-fail-after-seconds: 20`, `…/<probe>-fail-between: 30s-90s`. */
export const probeKnob = (kind: ProbeKind, what: 'fail-after-seconds' | 'fail-between') => `sim.kubesim.io/${kind}-${what}`;

interface ProbeSpec {
  initialDelayMs: number;
  periodMs: number;
  successThreshold: number;
  failureThreshold: number;
  handler: Probe;
}

/** v1.Probe defaults: period 10 s, success 1, failure 3, initial delay 0. */
function probeSpec(probe: Probe | undefined): ProbeSpec | undefined {
  if (!probe) return undefined;
  return {
    initialDelayMs: (probe.initialDelaySeconds ?? 0) * 1000,
    periodMs: Math.max(1, probe.periodSeconds ?? 10) * 1000,
    successThreshold: Math.max(1, probe.successThreshold ?? 1),
    failureThreshold: Math.max(1, probe.failureThreshold ?? 3),
    handler: probe,
  };
}

function parseWindow(text: string | undefined): [number, number] | undefined {
  if (!text) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)s?\s*-\s*(\d+(?:\.\d+)?)s?\s*$/.exec(text);
  return m ? [Number(m[1]) * 1000, Number(m[2]) * 1000] : undefined;
}

/**
 * What runs a container's exec probes (the container runtime, for containers it interprets):
 * the result at an instant, and the instants the container's files changed.
 */
export interface ExecProber {
  exec(probe: Probe, t: number): { ok: boolean; output: string };
  fsChanges: number[];
}

/** The failure message the kubelet's prober reports for a handler. */
function failureMessage(handler: Probe, pod: PodLike, execOutput?: string): string {
  if (handler.exec && execOutput !== undefined) return execOutput;
  if (handler.httpGet) return 'HTTP probe failed with statuscode: 500';
  if (handler.tcpSocket) return `dial tcp ${pod.status?.podIP ?? '127.0.0.1'}:${handler.tcpSocket.port}: connect: connection refused`;
  if (handler.grpc) return 'service unhealthy (responded with "NOT_SERVING")';
  // an exec probe reports the command's output, which a failing simulated command leaves empty
  return '';
}

interface Transition {
  at: number;
  ok: boolean;
}

/**
 * The prober worker's result over time: probes at first, first+period, …; `ok` flips after
 * successThreshold successes / failureThreshold failures in a row. Outcomes are piecewise
 * constant between `breakpoints`, so long constant stretches are skipped.
 */
function transitions(
  spec: ProbeSpec,
  first: number,
  outcome: (t: number) => boolean,
  breakpoints: number[],
  initial: boolean,
): Transition[] {
  const out: Transition[] = [];
  let state = initial;
  let successes = 0;
  let failures = 0;
  const cut = [...breakpoints].filter((b) => b > first).sort((a, b) => a - b);
  const limit = Math.max(spec.successThreshold, spec.failureThreshold) + 1;
  let t = first;
  for (let guard = 0; guard < 100_000; guard++) {
    const o = outcome(t);
    const nextBreak = cut.find((b) => b > t);
    const sameCount = nextBreak === undefined ? limit : Math.ceil((nextBreak - t) / spec.periodMs);
    const steps = Math.min(sameCount, limit);
    for (let i = 0; i < steps; i++) {
      const at = t + i * spec.periodMs;
      if (o) {
        successes++;
        failures = 0;
        if (!state && successes >= spec.successThreshold) {
          state = true;
          out.push({ at, ok: true });
        }
      } else {
        failures++;
        successes = 0;
        if (state && failures >= spec.failureThreshold) {
          state = false;
          out.push({ at, ok: false });
        }
      }
    }
    if (nextBreak === undefined) break;
    t += sameCount * spec.periodMs;
  }
  return out;
}

/**
 * Liveness, readiness and startup probes for a running container, from its probe specs
 * and the scripted outcomes; also an OOM kill when the container's simulated memory use
 * is above its limit (reached once the app has started).
 */
export function containerProbeHooks(
  pod: PodLike,
  container: Container,
  _status: unknown,
  startedAt: number,
  now: number,
  prober?: ExecProber,
): ProbeHooks {
  const name: string = container.name;
  const appUpAt =
    startedAt + (knobNumber(pod, KNOB.readyAfterSeconds) ?? knobNumber(pod, KNOB.startupSeconds) ?? DEFAULTS.startupSeconds) * 1000;
  const probeOf = (kind: ProbeKind) =>
    kind === 'liveness' ? container.livenessProbe : kind === 'readiness' ? container.readinessProbe : container.startupProbe;
  const failing = (kind: ProbeKind) => {
    const after = knobNumber(pod, probeKnob(kind, 'fail-after-seconds'));
    const window = parseWindow(pod.metadata.annotations?.[probeKnob(kind, 'fail-between')]);
    const breakpoints: number[] = [];
    if (after !== undefined) breakpoints.push(startedAt + after * 1000);
    if (window) breakpoints.push(startedAt + window[0], startedAt + window[1]);
    // an exec probe the runtime can run: its command against the container's files at that instant
    const probe = probeOf(kind);
    const execFails = prober && probe?.exec ? (t: number) => !prober.exec(probe, t).ok : undefined;
    if (execFails) breakpoints.push(...prober!.fsChanges);
    const fails = (t: number) =>
      (after !== undefined && t >= startedAt + after * 1000) ||
      (!!window && t >= startedAt + window[0] && t < startedAt + window[1]) ||
      (!!execFails && execFails(t));
    return { fails, breakpoints };
  };
  const firstProbe = (spec: ProbeSpec, notBefore: number) => {
    const base = startedAt + spec.initialDelayMs;
    if (notBefore <= base) return base;
    return base + Math.ceil((notBefore - base) / spec.periodMs) * spec.periodMs;
  };
  const hooks: ProbeHooks = { ready: () => true };
  const wake = (t: number | undefined) => {
    if (t !== undefined && t > now && (hooks.next === undefined || t < hooks.next)) hooks.next = t;
  };
  const kill = (at: number, events: ProbeEvent[], reason?: string) => {
    if (hooks.killAt !== undefined && hooks.killAt <= at) return;
    hooks.killAt = at;
    hooks.killEvents = events;
    hooks.killReason = reason;
  };
  const unhealthy = (kind: string, spec: ProbeSpec, at?: number): ProbeEvent[] =>
    Array.from({ length: spec.failureThreshold }, () => ({
      type: 'Warning' as const,
      reason: 'Unhealthy',
      message: `${kind} probe failed: ${failureMessage(spec.handler, pod, prober && at !== undefined && spec.handler.exec ? prober.exec(spec.handler, at).output : undefined)}`,
    }));

  // startup probe: liveness and readiness wait for it; too many failures kill the container
  let startedOkAt = startedAt;
  const startup = probeSpec(container.startupProbe);
  if (startup) {
    const { fails, breakpoints } = failing('startup');
    const ok = (t: number) => t >= appUpAt && !fails(t);
    const first = firstProbe(startup, startedAt);
    const flips = transitions(startup, first, ok, [...breakpoints, appUpAt], false);
    const success = flips.find((f) => f.ok);
    // failureThreshold failures in a row before the first success kill the container
    let failures = 0;
    let killedAt: number | undefined;
    for (let t = first; success === undefined || t < success.at; t += startup.periodMs) {
      failures = ok(t) ? 0 : failures + 1;
      if (failures >= startup.failureThreshold) {
        killedAt = t;
        break;
      }
      if (success === undefined && t > Math.max(appUpAt, ...breakpoints) + startup.periodMs * (startup.failureThreshold + 1)) break;
    }
    if (killedAt !== undefined)
      kill(killedAt, [
        ...unhealthy('Startup', startup, killedAt),
        { type: 'Normal', reason: 'Killing', message: `Container ${name} failed startup probe, will be restarted` },
      ]);
    startedOkAt = success?.at ?? Infinity;
    wake(success?.at);
  }

  const liveness = probeSpec(container.livenessProbe);
  if (liveness && startedOkAt !== Infinity) {
    const { fails, breakpoints } = failing('liveness');
    const flips = transitions(liveness, firstProbe(liveness, startedOkAt), (t) => !fails(t), breakpoints, true);
    const dies = flips.find((f) => !f.ok);
    if (dies)
      kill(dies.at, [
        ...unhealthy('Liveness', liveness, dies.at),
        { type: 'Normal', reason: 'Killing', message: `Container ${name} failed liveness probe, will be restarted` },
      ]);
  }

  // `kubesim pod crash`: the run that was active at the requested instant exits with code 1
  const crashAt = fromRFC3339(pod.metadata.annotations?.[CRASH_REQUESTED]);
  if (crashAt && crashAt >= startedAt) {
    kill(crashAt, [], 'Error');
    hooks.killExitCode = 1;
  }

  // OOM: the app's memory use reaches its level once it is up
  const limit = memoryLimitBytes(container);
  if (limit !== undefined && containerDemand(pod, name).memoryBytes > limit) kill(Math.max(appUpAt, startedAt), [], 'OOMKilled');

  const readiness = probeSpec(container.readinessProbe);
  if (readiness) {
    const { fails, breakpoints } = failing('readiness');
    const notBefore = startedOkAt;
    const flips =
      notBefore === Infinity
        ? []
        : transitions(readiness, firstProbe(readiness, notBefore), (t) => t >= appUpAt && !fails(t), [...breakpoints, appUpAt], false);
    hooks.ready = () => {
      let ok = false;
      for (const f of flips) if (f.at <= now) ok = f.ok;
      return ok;
    };
    for (const f of flips) wake(f.at);
    hooks.unreadyEvents = unhealthy('Readiness', readiness, flips.filter((f) => !f.ok && f.at <= now).pop()?.at);
  } else if (startup) {
    hooks.ready = () => startedOkAt <= now;
  }
  wake(hooks.killAt);
  return hooks;
}
