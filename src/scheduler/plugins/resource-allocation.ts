import { MAX_NODE_SCORE, type PodScorer } from '../framework';
import type { NodeInfo } from '../node-info';
import type { PodInfo } from '../pod-info';

/** config.ResourceSpec: a resource a strategy scores, with its weight. */
export interface ResourceSpec {
  name: string;
  weight: number;
}

/** config.UtilizationShapePoint (score 0..10, scaled ×10 to MaxNodeScore). */
export interface ShapePoint {
  utilization: number;
  score: number;
}

/** podRequests for one resource: cpu/memory counted as NonZeroRequested unless useRequested. */
function podRequest(pod: PodInfo, resource: string, useRequested: boolean): number {
  switch (resource) {
    case 'cpu':
      return useRequested ? pod.requests.milliCpu : pod.nonZeroMilliCpu;
    case 'memory':
      return useRequested ? pod.requests.memory : pod.nonZeroMemory;
    case 'ephemeral-storage':
      return pod.requests.ephemeralStorage;
    default:
      return pod.requests.scalar?.get(resource) ?? 0;
  }
}

const isScalar = (resource: string) => resource !== 'cpu' && resource !== 'memory' && resource !== 'ephemeral-storage';

/**
 * resourceAllocationScorer.calculateResourceAllocatableRequest: [allocatable, requested with
 * the pod] of a node; [0, 0] (not scored) for an extended resource the pod does not request
 * or the node does not have.
 */
function allocatableRequest(node: NodeInfo, resource: string, request: number, useRequested: boolean): [number, number] {
  if (request === 0 && isScalar(resource)) return [0, 0];
  switch (resource) {
    case 'cpu':
      return [node.allocMilliCpu, (useRequested ? node.reqMilliCpu : node.nonZeroMilliCpu) + request];
    case 'memory':
      return [node.allocMemory, (useRequested ? node.reqMemory : node.nonZeroMemory) + request];
    case 'ephemeral-storage':
      return [node.allocEphemeralStorage, node.reqEphemeralStorage + request];
    default: {
      const alloc = node.allocScalar?.get(resource);
      return alloc === undefined ? [0, 0] : [alloc, (node.reqScalar?.get(resource) ?? 0) + request];
    }
  }
}

type Scorer = (requested: number[], allocatable: number[]) => number;

/** leastRequestedScore: the share left free, 0..100. */
function leastRequested(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/** mostRequestedScore: the share in use, 0..100 (over-committed counts as full). */
function mostRequested(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  if (requested > capacity) requested = capacity;
  return Math.floor((requested * MAX_NODE_SCORE) / capacity);
}

function weightedMean(resources: ResourceSpec[], perResource: (requested: number, capacity: number) => number): Scorer {
  return (requested, allocatable) => {
    let score = 0;
    let weights = 0;
    for (let i = 0; i < resources.length; i++) {
      if (allocatable[i] === 0) continue;
      score += perResource(requested[i], allocatable[i]) * resources[i].weight;
      weights += resources[i].weight;
    }
    return weights === 0 ? 0 : Math.floor(score / weights);
  };
}

/** buildBrokenLinearFunction over the shape scaled to MaxNodeScore. */
function brokenLinear(shape: ShapePoint[]): (p: number) => number {
  const points = shape.map((s) => ({ utilization: s.utilization, score: s.score * (MAX_NODE_SCORE / 10) }));
  return (p) => {
    for (let i = 0; i < points.length; i++) {
      if (p <= points[i].utilization) {
        if (i === 0) return points[0].score;
        const a = points[i - 1];
        const b = points[i];
        return a.score + Math.trunc(((b.score - a.score) * (p - a.utilization)) / (b.utilization - a.utilization));
      }
    }
    return points[points.length - 1].score;
  };
}

/** requestedToCapacityRatioScorer: the shape's score at each resource's utilization, weighted, rounded. */
function requestedToCapacityRatio(resources: ResourceSpec[], shape: ShapePoint[]): Scorer {
  const f = brokenLinear(shape);
  const byResource = (requested: number, capacity: number) =>
    capacity === 0 || requested > capacity ? f(100) : f(Math.trunc((requested * 100) / capacity));
  return (requested, allocatable) => {
    let score = 0;
    let weights = 0;
    for (let i = 0; i < resources.length; i++) {
      if (allocatable[i] === 0) continue;
      const s = byResource(requested[i], allocatable[i]);
      if (s > 0) {
        score += s * resources[i].weight;
        weights += resources[i].weight;
      }
    }
    return weights === 0 ? 0 : Math.round(score / weights);
  };
}

/** balancedResourceScorer: (1 − standard deviation of the requested fractions) × 100. */
function balanced(requested: number[], allocatable: number[]): number {
  const fractions: number[] = [];
  let total = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    const f = Math.min(1, requested[i] / allocatable[i]);
    total += f;
    fractions.push(f);
  }
  let std = 0;
  if (fractions.length === 2) std = Math.abs((fractions[0] - fractions[1]) / 2);
  else if (fractions.length > 2) {
    const mean = total / fractions.length;
    let sum = 0;
    for (const f of fractions) sum += (f - mean) * (f - mean);
    std = Math.sqrt(sum / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

/** A node scorer over the given resources (resource_allocation.go's score). */
function scorer(resources: ResourceSpec[], score: Scorer, useRequested: boolean): (pod: PodInfo) => PodScorer {
  return (pod) => {
    const requests = resources.map((r) => podRequest(pod, r.name, useRequested));
    const requested = new Array<number>(resources.length);
    const allocatable = new Array<number>(resources.length);
    const one = (node: NodeInfo) => {
      for (let i = 0; i < resources.length; i++) {
        const [a, r] = allocatableRequest(node, resources[i].name, requests[i], useRequested);
        allocatable[i] = a;
        requested[i] = r;
      }
      return score(requested, allocatable);
    };
    return {
      score: one,
      scoreAll(nodes, out) {
        for (let i = 0; i < nodes.length; i++) out[i] = one(nodes[i]);
      },
    };
  };
}

export type ScoringStrategy =
  | { type: 'LeastAllocated' | 'MostAllocated'; resources: ResourceSpec[] }
  | { type: 'RequestedToCapacityRatio'; resources: ResourceSpec[]; shape: ShapePoint[] };

/** NodeResourcesFit's scoring strategies (nodeResourceStrategyTypeMap); requests as NonZeroRequested. */
export function strategyScorer(strategy: ScoringStrategy): (pod: PodInfo) => PodScorer {
  const { resources } = strategy;
  switch (strategy.type) {
    case 'LeastAllocated':
      return scorer(resources, weightedMean(resources, leastRequested), false);
    case 'MostAllocated':
      return scorer(resources, weightedMean(resources, mostRequested), false);
    case 'RequestedToCapacityRatio':
      return scorer(resources, requestedToCapacityRatio(resources, strategy.shape), false);
  }
}

/** NodeResourcesBalancedAllocation over the given resources, with the pods' real requests. */
export function balancedScorer(resources: ResourceSpec[]): (pod: PodInfo) => PodScorer {
  return scorer(resources, balanced, true);
}
