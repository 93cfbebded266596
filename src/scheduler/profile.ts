import type { Profile } from './framework';
import { balancedAllocation } from './plugins/balanced-allocation';
import { imageLocality } from './plugins/image-locality';
import { interPodAffinity } from './plugins/inter-pod-affinity';
import { nodeAffinity } from './plugins/node-affinity';
import { nodeName } from './plugins/node-name';
import { nodePorts } from './plugins/node-ports';
import { nodeResourcesFit } from './plugins/node-resources-fit';
import { nodeUnschedulable } from './plugins/node-unschedulable';
import { podTopologySpread } from './plugins/pod-topology-spread';
import { taintToleration } from './plugins/taint-toleration';
import { volumeBinding } from './plugins/volume-binding';

/**
 * The default-scheduler profile of kube-scheduler v1.32 (config/v1 getDefaultPlugins):
 * filters run in this order and a node reports the first one that rejects it; score
 * weights as in the default MultiPoint set. DefaultPreemption is the PostFilter.
 */
export const DEFAULT_PROFILE: Profile = {
  filters: [
    nodeUnschedulable,
    nodeName,
    taintToleration,
    nodeAffinity,
    nodePorts,
    nodeResourcesFit,
    volumeBinding,
    podTopologySpread,
    interPodAffinity,
  ],
  scores: [
    { plugin: taintToleration, weight: 3 },
    { plugin: nodeAffinity, weight: 2 },
    { plugin: nodeResourcesFit, weight: 1 },
    { plugin: podTopologySpread, weight: 2 },
    { plugin: interPodAffinity, weight: 2 },
    { plugin: balancedAllocation, weight: 1 },
    { plugin: imageLocality, weight: 1 },
  ],
};
