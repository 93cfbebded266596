import { remember, requeueAt, update, type Action } from '../reconcile/actions';
import type { Controller, ReconcileContext } from '../reconcile/controller';
import { clone } from '../model/objects';
import type { Pod } from '../model/kinds';
import { milliValue } from '../api/quantity';
import { quantityString } from '../api/quantity-exact';
import { deepEqual } from '../api/merge';
import { toRFC3339 } from '../util/duration';
import {
  applyPolicy,
  containerPolicy,
  controlledResources,
  controllingVpa,
  isVpa,
  type RecommendedContainerResources,
  type ResourceList,
  type VerticalPodAutoscaler,
  type VpaCondition,
  type VpaStatus,
} from '../api/vpa';
import { podResourceMetric } from '../sim/metrics';
import { lastScrapeTime, podUsage } from '../sim/usage';
import {
  Aggregate,
  emptyAggregate,
  emptyContainerState,
  MEMORY_AGGREGATION_INTERVAL_MS,
  type AggregateState,
  type ContainerSampleState,
} from './vpa-histogram';

/**
 * The VPA recommender (kubernetes/autoscaler vertical-pod-autoscaler v1.3.1 pkg/recommender):
 * every minute (--recommender-interval) it takes metrics-server's latest sample of each running
 * container of the pods its VPAs control into decaying histograms (vpa-histogram.ts), and writes
 * each VPA's status.recommendation and conditions (routines/recommender.go UpdateVPAs).
 * Usage is the simulated one (src/sim/usage.ts), so a recommendation converges on the
 * sim.kubesim.io/cpu-millicores and memory-bytes a workload declares, as the real one would.
 *
 * Upstream keeps one aggregation per container name, namespace and pod labels and merges those a
 * VPA selects; here each VPA keeps one per container name, the same sums. Checkpoints
 * (VerticalPodAutoscalerCheckpoint) are the controller's memory, kept with the cluster.
 */
export const RECOMMENDER_INTERVAL_MS = 60_000;
const SOURCE = 'vpa-recommender';

/** logic/recommender.go flags, at their defaults */
const SAFETY_MARGIN_FRACTION = 0.15;
const POD_MIN_CPU_MILLICORES = 25;
const POD_MIN_MEMORY_MB = 250;
const TARGET_PERCENTILE = 0.9;
const LOWER_BOUND_PERCENTILE = 0.5;
const UPPER_BOUND_PERCENTILE = 0.95;
/** model.MaxResourceAmount */
const MAX_RESOURCE_AMOUNT = 1e14;
/** GetMemoryAggregationWindowLength: 8 intervals of 24 h; an aggregation with no sample for that long is dropped */
const AGGREGATION_WINDOW_MS = 8 * MEMORY_AGGREGATION_INTERVAL_MS;
const DAY_MS = 24 * 3600_000;

export interface RecommenderMemory {
  lastRun?: number;
  /** container name → its aggregation */
  aggregates: Record<string, AggregateState>;
  /** `podUid/container` → that container's sampling state */
  containers: Record<string, ContainerSampleState>;
}

export const vpaRecommender: Controller<'VerticalPodAutoscaler'> = {
  name: SOURCE,
  kind: 'VerticalPodAutoscaler',
  reconcile(obj, ctx) {
    if (!isVpa(obj) || !obj.metadata.uid) return [];
    const memory: RecommenderMemory = ctx.store.recall<RecommenderMemory>(SOURCE, obj.metadata.uid) ?? { aggregates: {}, containers: {} };
    if (memory.lastRun !== undefined && ctx.now < memory.lastRun + RECOMMENDER_INTERVAL_MS)
      return [requeueAt(memory.lastRun + RECOMMENDER_INTERVAL_MS)];
    memory.lastRun = ctx.now;
    const pods = controlledPods(obj, ctx);
    feedSamples(memory, pods, ctx);
    const actions: Action[] = [];
    const status = vpaStatus(obj, memory, pods.length > 0, ctx.now);
    if (!deepEqual(status, obj.status ?? {})) {
      const next = clone(obj);
      next.status = status;
      actions.push(update(next));
    }
    actions.push(remember(SOURCE, obj.metadata.uid, memory), requeueAt(ctx.now + RECOMMENDER_INTERVAL_MS));
    return actions;
  },
};

/** The VPA's pods that have not finished: those whose top-most controller its targetRef names. */
export function controlledPods(vpa: VerticalPodAutoscaler, ctx: ReconcileContext): Pod[] {
  return ctx.store
    .list('Pod', vpa.metadata.namespace)
    .filter(
      (p) =>
        p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && controllingVpa(p, ctx.store)?.metadata.uid === vpa.metadata.uid,
    );
}

/**
 * ClusterStateFeeder.LoadRealTimeMetrics: one sample per running container per metrics-server
 * scrape (a pod appears once its CPU rate exists, two scrapes after it started); the CPU sample
 * carries the container's request. States of containers whose pods are gone are dropped.
 */
function feedSamples(memory: RecommenderMemory, pods: Pod[], ctx: ReconcileContext): void {
  const time = lastScrapeTime(ctx.now);
  const live = new Set<string>();
  const feeding = new Map<string, Aggregate>();
  for (const pod of pods) {
    if (!podResourceMetric(pod, 'cpu', ctx.store, ctx.now)) continue;
    for (const usage of podUsage(pod, ctx.now, ctx.store)) {
      const key = `${pod.metadata.uid}/${usage.name}`;
      live.add(key);
      const container = (memory.containers[key] ??= emptyContainerState());
      let aggregate = feeding.get(usage.name);
      if (!aggregate) feeding.set(usage.name, (aggregate = new Aggregate(memory.aggregates[usage.name] ?? emptyAggregate())));
      const request = pod.spec?.containers.find((c) => c.name === usage.name)?.resources?.requests?.cpu;
      aggregate.addCpuSample(container, time, usage.cpuMilli, milliValue(request));
      aggregate.addMemorySample(container, time, usage.memoryBytes);
    }
  }
  for (const [name, aggregate] of feeding) memory.aggregates[name] = aggregate.save();
  for (const key of Object.keys(memory.containers)) if (!live.has(key)) delete memory.containers[key];
  for (const [name, aggregate] of Object.entries(memory.aggregates)) {
    if (ctx.now - aggregate.lastSampleStart >= AGGREGATION_WINDOW_MS) delete memory.aggregates[name];
  }
}

/** resourceAmountFromFloat: truncated to an integer, within [0, MaxResourceAmount] */
function amount(value: number): number {
  if (Number.isNaN(value) || value < 0) return 0;
  return value > MAX_RESOURCE_AMOUNT ? MAX_RESOURCE_AMOUNT : Math.trunc(value);
}

/** getConfidence: the history's length in days, or its sample count in days of one sample a minute, whichever is less */
function confidence(a: AggregateState): number {
  return Math.min((a.lastSampleStart - a.firstSampleStart) / DAY_MS, a.totalSamplesCount / (60 * 24));
}

interface Estimate {
  cpuMilli: number;
  memoryBytes: number;
}

/**
 * podResourceRecommender.estimateContainerResources with CreatePodResourceRecommender's chain:
 * the percentile, plus the 15% margin, times the confidence multiplier for the bounds
 * ((1 + 1/confidence) for the upper, (1 + 0.001/confidence)^-2 for the lower), at least the pod
 * minimum (25m CPU, 250 MiB memory) shared among the VPA's containers.
 */
function estimate(a: AggregateState, percentile: number, multiplier: number, exponent: number, fraction: number): Estimate {
  const state = new Aggregate(a);
  const withMargin = (base: number) => base + amount(base * SAFETY_MARGIN_FRACTION);
  const conf = confidence(a);
  const scale = (base: number) => (multiplier === 0 ? base : amount(base * Math.pow(1 + multiplier / conf, exponent)));
  const cpu = scale(withMargin(amount(state.cpu.percentile(percentile) * 1000)));
  const memory = scale(withMargin(amount(state.memory.percentile(percentile))));
  const minCpu = amount(amount(POD_MIN_CPU_MILLICORES) * fraction);
  const minMemory = amount(amount(POD_MIN_MEMORY_MB * 1024 * 1024) * fraction);
  return { cpuMilli: Math.max(cpu, minCpu), memoryBytes: Math.max(memory, minMemory) };
}

/** ResourcesAsResourceList: CPU as milli-units, memory as bytes, both DecimalSI (`262144k`) */
function resourceList(e: Estimate, resources: string[]): ResourceList {
  const list: ResourceList = {};
  for (const r of resources) {
    if (r === 'cpu') list.cpu = quantityString({ nano: BigInt(e.cpuMilli) * 1_000_000n, format: 'DecimalSI' });
    if (r === 'memory') list.memory = quantityString({ nano: BigInt(e.memoryBytes) * 1_000_000_000n, format: 'DecimalSI' });
  }
  return list;
}

/** The recommendation per container (sorted by name), capped to minAllowed/maxAllowed (CappingPostProcessor). */
export function recommendations(vpa: VerticalPodAutoscaler, memory: RecommenderMemory): RecommendedContainerResources[] {
  // containers whose policy mode is Off get none (routines/vpa.go GetContainerNameToAggregateStateMap)
  const names = Object.keys(memory.aggregates)
    .filter((name) => containerPolicy(name, vpa)?.mode !== 'Off' && memory.aggregates[name].totalSamplesCount > 0)
    .sort();
  const fraction = 1 / names.length;
  return names.map((name) => {
    const a = memory.aggregates[name];
    const resources = controlledResources(name, vpa);
    const target = resourceList(estimate(a, TARGET_PERCENTILE, 0, 0, fraction), resources);
    const lowerBound = resourceList(estimate(a, LOWER_BOUND_PERCENTILE, 0.001, -2, fraction), resources);
    const upperBound = resourceList(estimate(a, UPPER_BOUND_PERCENTILE, 1, 1, fraction), resources);
    const policy = containerPolicy(name, vpa);
    return {
      containerName: name,
      target: applyPolicy(target, policy) ?? target,
      lowerBound: applyPolicy(lowerBound, policy),
      upperBound: applyPolicy(upperBound, policy),
      uncappedTarget: target,
    };
  });
}

/** Vpa.UpdateConditions and AsStatus: NoPodsMatched while no pod matches, RecommendationProvided, sorted by type. */
function vpaStatus(vpa: VerticalPodAutoscaler, memory: RecommenderMemory, podsMatched: boolean, now: number): VpaStatus {
  const containerRecommendations = recommendations(vpa, memory);
  const previous = vpa.status?.conditions ?? [];
  const conditions = new Map<string, VpaCondition>();
  const set = (type: string, status: boolean, reason: string, message: string) => {
    const old = previous.find((c) => c.type === type);
    const value = status ? 'True' : 'False';
    const condition: VpaCondition = {
      type,
      status: value,
      lastTransitionTime: old && old.status === value && old.lastTransitionTime ? old.lastTransitionTime : toRFC3339(now),
    };
    if (reason) condition.reason = reason;
    if (message) condition.message = message;
    conditions.set(type, condition);
  };
  const reason = podsMatched ? '' : 'NoPodsMatched';
  const message = podsMatched ? '' : 'No pods match this VPA object';
  if (!podsMatched) set('NoPodsMatched', true, reason, message);
  if (containerRecommendations.length) set('RecommendationProvided', true, '', '');
  else set('RecommendationProvided', false, reason, message);
  const status: VpaStatus = {
    conditions: [...conditions.values()].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0)),
  };
  if (containerRecommendations.length) status.recommendation = { containerRecommendations };
  return status;
}
