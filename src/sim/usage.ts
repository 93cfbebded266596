import type { KObject } from '../model/objects';
import type { Container } from '../model/k8s';
import type { PodLike } from '../model/kinds';
import { intValue, milliValue, parseQuantity } from '../api/quantity';
import { KNOB } from './knobs';
import type { ReadonlyObjectStore } from '../store/object-store';
import { podTrafficLoad } from './traffic-profile';

/** metrics-server's scrape period (--metric-resolution default 15 s). */
export const SCRAPE_INTERVAL_MS = 15_000;

/** The instant of the last metrics scrape at or before `now`. */
export function lastScrapeTime(now: number): number {
  return Math.floor(now / SCRAPE_INTERVAL_MS) * SCRAPE_INTERVAL_MS;
}

/**
 * The one usage model: what each running container of a pod uses at virtual `now`.
 * Today it comes from the pod's sim.kubesim.io/cpu-millicores and memory-bytes knobs
 * (per pod, split evenly over its running containers, or per container with a
 * `…/memory-bytes-<container>` / `…/cpu-millicores-<container>` annotation); traffic-driven
 * CPU is added when the caller passes the store (podUsage's third argument). `kubesim top`, OOM kills and node memory pressure all read it.
 */
export interface ContainerUsage {
  name: string;
  cpuMilli: number;
  memoryBytes: number;
}

/** What an idle container shows in metrics-server when no knob says otherwise. */
const IDLE_CPU_MILLI = 1;
const IDLE_MEMORY_BYTES = 4 * 1024 * 1024;

function annotationQuantity(pod: KObject, key: string, unit: 'bytes' | 'milli'): number | undefined {
  const v = pod.metadata.annotations?.[key];
  if (v === undefined || v === '') return undefined;
  try {
    // millicores are plain numbers (`250`), bytes may be quantities (`512Mi`)
    return unit === 'milli' ? Number(String(v).replace(/m$/, '')) : Math.round(parseQuantity(String(v)));
  } catch {
    return undefined;
  }
}

/** Usage a container would have once running (independent of whether it runs now). */
export function containerDemand(pod: PodLike, containerName: string): ContainerUsage {
  const containers = pod.spec?.containers ?? [];
  const share = Math.max(1, containers.length);
  const podCpu = annotationQuantity(pod, KNOB.cpuMillicores, 'milli');
  const podMem = annotationQuantity(pod, KNOB.memoryBytes, 'bytes');
  const cpu =
    annotationQuantity(pod, `${KNOB.cpuMillicores}-${containerName}`, 'milli') ??
    (podCpu !== undefined ? Math.round(podCpu / share) : IDLE_CPU_MILLI);
  const mem =
    annotationQuantity(pod, `${KNOB.memoryBytes}-${containerName}`, 'bytes') ??
    (podMem !== undefined ? Math.round(podMem / share) : IDLE_MEMORY_BYTES);
  return { name: containerName, cpuMilli: cpu, memoryBytes: mem };
}

/**
 * Per running container usage at `now` (a container that is not running uses nothing).
 * With the store, CPU spent serving simulated traffic (src/sim/traffic-profile.ts) is added,
 * as of metrics-server's last 15 s scrape, split evenly over the running containers.
 */
export function podUsage(pod: PodLike, now: number, store?: ReadonlyObjectStore): ContainerUsage[] {
  if (pod.status?.phase !== 'Running' || pod.metadata.deletionTimestamp) return [];
  const single = store ? undefined : idleSingleContainer(pod);
  if (single) {
    // the common case at scale (one running container, no knobs), without the general path's sets
    return [{ name: single, cpuMilli: IDLE_CPU_MILLI, memoryBytes: IDLE_MEMORY_BYTES }];
  }
  const running = new Set((pod.status?.containerStatuses ?? []).filter((s) => s.state?.running).map((s) => s.name));
  const usage = (pod.spec?.containers ?? []).filter((c) => running.has(c.name)).map((c) => containerDemand(pod, c.name));
  if (store && usage.length) {
    const traffic = podTrafficLoad(pod, store, lastScrapeTime(now)).cpuMilli;
    if (traffic > 0) for (const u of usage) u.cpuMilli += Math.round(traffic / usage.length);
  }
  return usage;
}

/** One running container and no usage knobs: it uses the idle amounts (its name; undefined otherwise). */
function idleSingleContainer(pod: PodLike): string | undefined {
  const statuses = pod.status?.containerStatuses;
  return !pod.metadata.annotations && statuses?.length === 1 && statuses[0].state?.running ? statuses[0].name : undefined;
}

/**
 * The memory a pod uses when that needs no per-container work: none when not running, the idle
 * amount for one running container without knobs; undefined otherwise (see podUsageTotal).
 */
export function quickPodMemoryBytes(pod: PodLike): number | undefined {
  if (pod.status?.phase !== 'Running' || pod.metadata.deletionTimestamp) return 0;
  return idleSingleContainer(pod) !== undefined ? IDLE_MEMORY_BYTES : undefined;
}

export function podUsageTotal(pod: PodLike, now: number, store?: ReadonlyObjectStore): { cpuMilli: number; memoryBytes: number } {
  return podUsage(pod, now, store).reduce((a, u) => ({ cpuMilli: a.cpuMilli + u.cpuMilli, memoryBytes: a.memoryBytes + u.memoryBytes }), {
    cpuMilli: 0,
    memoryBytes: 0,
  });
}

/** The container's memory limit in bytes, if it has one. */
export function memoryLimitBytes(container: Container): number | undefined {
  const lim = container.resources?.limits?.memory;
  return lim === undefined ? undefined : intValue(lim);
}

export function memoryRequestBytes(pod: PodLike): number {
  return (pod.spec?.containers ?? []).reduce((n, c) => n + intValue(c.resources?.requests?.memory), 0);
}

export function cpuRequestMilli(pod: PodLike): number {
  return (pod.spec?.containers ?? []).reduce((n, c) => n + milliValue(c.resources?.requests?.cpu), 0);
}
