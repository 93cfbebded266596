import { MAX_NODE_SCORE, type Plugin, type PodScorer } from '../framework';
import type { NodeColumns, NodeInfo } from '../node-info';
import type { PodInfo } from '../pod-info';
import { balancedScorer, type ResourceSpec } from './resource-allocation';

export const BALANCED_ALLOCATION = 'NodeResourcesBalancedAllocation';

/**
 * balancedResourceScorer over cpu and memory with the pod's real requests (useRequested):
 * (1 − std of the requested fractions) × 100, truncated; with two resources std = |f1−f2|/2.
 */
export function balancedAllocationScore(pod: PodInfo, node: NodeInfo): number {
  let f0 = -1;
  let f1 = -1;
  if (node.allocMilliCpu !== 0) f0 = Math.min(1, (node.reqMilliCpu + pod.requests.milliCpu) / node.allocMilliCpu);
  if (node.allocMemory !== 0) f1 = Math.min(1, (node.reqMemory + pod.requests.memory) / node.allocMemory);
  const std = f0 >= 0 && f1 >= 0 ? Math.abs((f0 - f1) / 2) : 0;
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

/** NodeResourcesBalancedAllocation: favours nodes whose cpu and memory use stay in proportion. */
export const balancedAllocation: Plugin = {
  name: BALANCED_ALLOCATION,
  preScore(pod, _feasible, snapshot) {
    const c = snapshot.columns;
    const podCpu = pod.requests.milliCpu;
    const podMemory = pod.requests.memory;
    // (the scorer reads the columns and these two numbers alone: the last pod's serves a pod of the same)
    const last = lastScorer;
    if (last !== undefined && last.columns === c && last.cpu === podCpu && last.memory === podMemory) return last.scorer;
    const scorer: PodScorer = {
      score: (node) => balancedAllocationScore(pod, node),
      // balancedAllocationScore on the columns, remembered per node for pods of these requests
      scoreAll(nodes, out, index) {
        const allocCpu = c.allocMilliCpu;
        const allocMemory = c.allocMemory;
        const reqCpu = c.reqMilliCpu;
        const reqMemory = c.reqMemory;
        c.memo(BALANCED_ALLOCATION, podCpu, podMemory).scoreAll(c, nodes.length, index, out, (n) => {
          const cpuCapacity = allocCpu[n];
          const memoryCapacity = allocMemory[n];
          let f0 = -1;
          let f1 = -1;
          if (cpuCapacity !== 0) f0 = Math.min(1, (reqCpu[n] + podCpu) / cpuCapacity);
          if (memoryCapacity !== 0) f1 = Math.min(1, (reqMemory[n] + podMemory) / memoryCapacity);
          const std = f0 >= 0 && f1 >= 0 ? Math.abs((f0 - f1) / 2) : 0;
          return Math.trunc((1 - std) * MAX_NODE_SCORE);
        });
      },
      nodeLocal: [podCpu, podMemory],
      // (scores 0–100, whole: the memo keeps them as bytes too)
      byNode: () => c.memo(BALANCED_ALLOCATION, podCpu, podMemory).bytes,
    };
    lastScorer = { columns: c, cpu: podCpu, memory: podMemory, scorer };
    return scorer;
  },
};
let lastScorer: { columns: NodeColumns; cpu: number; memory: number; scorer: PodScorer } | undefined;

/** NodeResourcesBalancedAllocation over a profile's resources (cpu and memory: the plugin above). */
export function makeBalancedAllocation(resources: ResourceSpec[]): Plugin {
  if (resources.length === 2 && resources[0].name === 'cpu' && resources[1].name === 'memory') return balancedAllocation;
  const score = balancedScorer(resources);
  return { name: BALANCED_ALLOCATION, preScore: (pod) => score(pod) };
}
