import { MAX_NODE_SCORE, type Plugin, type PodFilter, type PodScorer } from '../framework';
import type { NodeColumns, NodeInfo } from '../node-info';
import type { PodInfo, Resources } from '../pod-info';
import { unschedulable, type Status } from '../status';
import { strategyScorer, type ScoringStrategy } from './resource-allocation';

export const NODE_RESOURCES_FIT = 'NodeResourcesFit';

const TOO_MANY_PODS = 1;
const CPU = 2;
const MEMORY = 4;
const EPHEMERAL = 8;

const standardRejections: Status[] = [];
for (let mask = 1; mask < 16; mask++) {
  const reasons: string[] = [];
  if (mask & TOO_MANY_PODS) reasons.push('Too many pods');
  if (mask & CPU) reasons.push('Insufficient cpu');
  if (mask & MEMORY) reasons.push('Insufficient memory');
  if (mask & EPHEMERAL) reasons.push('Insufficient ephemeral-storage');
  standardRejections[mask] = unschedulable(NODE_RESOURCES_FIT, ...reasons);
}

/**
 * fitsRequest: the pod count, then every requested resource against what is left of the
 * node's allocatable. All shortfalls are reported (each is a reason in FailedScheduling).
 */
export function fitsRequest(pod: PodInfo, node: NodeInfo): Status | null {
  let mask = 0;
  if (node.podCount + 1 > node.allowedPodNumber) mask |= TOO_MANY_PODS;
  const r = pod.requests;
  if (r.milliCpu === 0 && r.memory === 0 && r.ephemeralStorage === 0 && !r.scalar) return mask ? standardRejections[mask] : null;
  if (r.milliCpu > 0 && r.milliCpu > node.allocMilliCpu - node.reqMilliCpu) mask |= CPU;
  if (r.memory > 0 && r.memory > node.allocMemory - node.reqMemory) mask |= MEMORY;
  if (r.ephemeralStorage > 0 && r.ephemeralStorage > node.allocEphemeralStorage - node.reqEphemeralStorage) mask |= EPHEMERAL;
  let scalarReasons: string[] | undefined;
  if (r.scalar) {
    for (const [name, quantity] of r.scalar) {
      if (quantity > (node.allocScalar?.get(name) ?? 0) - (node.reqScalar?.get(name) ?? 0))
        (scalarReasons ??= []).push(`Insufficient ${name}`);
    }
  }
  if (scalarReasons) return unschedulable(NODE_RESOURCES_FIT, ...(mask ? standardRejections[mask].reasons : []), ...scalarReasons);
  return mask ? standardRejections[mask] : null;
}

/** noderesources.InsufficientResource: what a pod asked for of a resource the node is short of. */
export interface InsufficientResource {
  resourceName: string;
  requested: number;
  used: number;
  capacity: number;
}

/**
 * noderesources.Fits with the amounts (the kubelet's admission reports them): the checks of
 * fitsRequest, in its order, each shortfall with what the pod requested, what the node's pods
 * use and the allocatable (cpu in millicores, the rest in units).
 */
export function insufficientResources(r: Resources, node: NodeInfo): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  if (node.podCount + 1 > node.allowedPodNumber)
    out.push({ resourceName: 'pods', requested: 1, used: node.podCount, capacity: node.allowedPodNumber });
  if (r.milliCpu > 0 && r.milliCpu > node.allocMilliCpu - node.reqMilliCpu)
    out.push({ resourceName: 'cpu', requested: r.milliCpu, used: node.reqMilliCpu, capacity: node.allocMilliCpu });
  if (r.memory > 0 && r.memory > node.allocMemory - node.reqMemory)
    out.push({ resourceName: 'memory', requested: r.memory, used: node.reqMemory, capacity: node.allocMemory });
  if (r.ephemeralStorage > 0 && r.ephemeralStorage > node.allocEphemeralStorage - node.reqEphemeralStorage)
    out.push({
      resourceName: 'ephemeral-storage',
      requested: r.ephemeralStorage,
      used: node.reqEphemeralStorage,
      capacity: node.allocEphemeralStorage,
    });
  for (const [name, quantity] of r.scalar ?? []) {
    const used = node.reqScalar?.get(name) ?? 0;
    const capacity = node.allocScalar?.get(name) ?? 0;
    if (quantity > capacity - used) out.push({ resourceName: name, requested: quantity, used, capacity });
  }
  return out;
}

/** leastRequestedScore: the share of the resource left free, 0..100 (integer division). */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/**
 * LeastAllocated over cpu and memory (weight 1 each), counting containers without
 * requests as 100m / 200Mi (NonZeroRequested) so empty pods still spread.
 */
export function leastAllocatedScore(pod: PodInfo, node: NodeInfo): number {
  let score = 0;
  let weights = 0;
  if (node.allocMilliCpu !== 0) {
    score += leastRequestedScore(node.nonZeroMilliCpu + pod.nonZeroMilliCpu, node.allocMilliCpu);
    weights++;
  }
  if (node.allocMemory !== 0) {
    score += leastRequestedScore(node.nonZeroMemory + pod.nonZeroMemory, node.allocMemory);
    weights++;
  }
  return weights === 0 ? 0 : Math.floor(score / weights);
}

/** NodeResourcesFit: the node must have room for the pod's requests; scoring strategy LeastAllocated. */
export const nodeResourcesFit: Plugin = {
  name: NODE_RESOURCES_FIT,
  preFilter(pod) {
    const r = pod.requests;
    // (the filter reads the pod's requests alone: the last pod's serves a pod of the same requests object, shared by a template's pods)
    if (lastFilter !== undefined && lastFilter.requests === r) return lastFilter.filter;
    const filter: PodFilter = { filter: (node) => fitsRequest(pod, node), fits: r.scalar ? undefined : r };
    lastFilter = { requests: r, filter };
    return filter;
  },
  preScore(pod, _feasible, snapshot) {
    const c = snapshot.columns;
    const podCpu = pod.nonZeroMilliCpu;
    const podMemory = pod.nonZeroMemory;
    // (the scorer reads the columns and these two numbers alone: the last pod's serves a pod of the same)
    const last = lastScorer;
    if (last !== undefined && last.columns === c && last.cpu === podCpu && last.memory === podMemory) return last.scorer;
    const scorer: PodScorer = {
      score: (node) => leastAllocatedScore(pod, node),
      // leastAllocatedScore on the columns, remembered per node for pods of these requests
      scoreAll(nodes, out, index) {
        const allocCpu = c.allocMilliCpu;
        const allocMemory = c.allocMemory;
        const nonZeroCpu = c.nonZeroMilliCpu;
        const nonZeroMemory = c.nonZeroMemory;
        c.memo(NODE_RESOURCES_FIT, podCpu, podMemory).scoreAll(c, nodes.length, index, out, (n) => {
          const cpuCapacity = allocCpu[n];
          const memoryCapacity = allocMemory[n];
          let score = 0;
          let weights = 0;
          if (cpuCapacity !== 0) {
            score += leastRequestedScore(nonZeroCpu[n] + podCpu, cpuCapacity);
            weights++;
          }
          if (memoryCapacity !== 0) {
            score += leastRequestedScore(nonZeroMemory[n] + podMemory, memoryCapacity);
            weights++;
          }
          return weights === 0 ? 0 : Math.floor(score / weights);
        });
      },
      nodeLocal: [podCpu, podMemory],
      // (scores 0–100, whole: the memo keeps them as bytes too)
      byNode: () => c.memo(NODE_RESOURCES_FIT, podCpu, podMemory).bytes,
    };
    lastScorer = { columns: c, cpu: podCpu, memory: podMemory, scorer };
    return scorer;
  },
};
let lastFilter: { requests: Resources; filter: PodFilter } | undefined;
let lastScorer: { columns: NodeColumns; cpu: number; memory: number; scorer: PodScorer } | undefined;

/** NodeResourcesFitArgs as a profile gives them. */
export interface NodeResourcesFitArgs {
  ignoredResources: string[];
  ignoredResourceGroups: string[];
  scoringStrategy: ScoringStrategy;
}

/** Whether args are the defaults (LeastAllocated over cpu and memory, weight 1, nothing ignored): the fast plugin above. */
function isDefault(args: NodeResourcesFitArgs): boolean {
  const s = args.scoringStrategy;
  return (
    !args.ignoredResources.length &&
    !args.ignoredResourceGroups.length &&
    s.type === 'LeastAllocated' &&
    s.resources.length === 2 &&
    s.resources[0].name === 'cpu' &&
    s.resources[0].weight === 1 &&
    s.resources[1].name === 'memory' &&
    s.resources[1].weight === 1
  );
}

/**
 * NodeResourcesFit with its args: ignoredResources/ignoredResourceGroups are extended
 * resources the filter does not check (a group is the part before "/"), and the scoring
 * strategy is LeastAllocated, MostAllocated or RequestedToCapacityRatio over the given resources.
 */
export function makeNodeResourcesFit(args: NodeResourcesFitArgs): Plugin {
  if (isDefault(args)) return nodeResourcesFit;
  const ignored = new Set(args.ignoredResources);
  const groups = new Set(args.ignoredResourceGroups);
  const checked = (name: string) => !ignored.has(name) && !(name.includes('/') && groups.has(name.split('/')[0]));
  const score = strategyScorer(args.scoringStrategy);
  return {
    name: NODE_RESOURCES_FIT,
    preFilter(pod) {
      const scalar = pod.requests.scalar;
      if (!scalar || [...scalar.keys()].every(checked))
        return { filter: (node) => fitsRequest(pod, node), fits: scalar ? undefined : pod.requests };
      const kept = new Map([...scalar].filter(([name]) => checked(name)));
      const view = Object.create(pod, { requests: { value: { ...pod.requests, scalar: kept.size ? kept : undefined } } }) as PodInfo;
      return { filter: (node) => fitsRequest(view, node) };
    },
    preScore: (pod) => score(pod),
  };
}
