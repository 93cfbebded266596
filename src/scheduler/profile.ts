import type { NodeAffinity, TopologySpreadConstraint } from '../model/k8s';
import type { Plugin, PreemptionArgs, Profile, ScoreEntry } from './framework';
import {
  aggregate,
  DEFAULT_SCHEDULER_NAME,
  SchedulerConfigError,
  validatePluginArgs,
  validateSchedulerConfiguration,
  withDefaults,
  type ExtensionPoint,
  type KubeSchedulerConfiguration,
  type PluginRef,
  type SchedulerProfileConfig,
} from './configuration';
import { balancedAllocation, makeBalancedAllocation } from './plugins/balanced-allocation';
import { imageLocality } from './plugins/image-locality';
import { interPodAffinity, makeInterPodAffinity } from './plugins/inter-pod-affinity';
import { makeNodeAffinity, nodeAffinity } from './plugins/node-affinity';
import { nodeName } from './plugins/node-name';
import { nodePorts } from './plugins/node-ports';
import { makeNodeResourcesFit, nodeResourcesFit, type NodeResourcesFitArgs } from './plugins/node-resources-fit';
import { nodeUnschedulable } from './plugins/node-unschedulable';
import { makePodTopologySpread, podTopologySpread } from './plugins/pod-topology-spread';
import type { ResourceSpec } from './plugins/resource-allocation';
import { taintToleration } from './plugins/taint-toleration';
import { volumeBinding } from './plugins/volume-binding';

/**
 * The default-scheduler profile of kube-scheduler v1.32 (config/v1 getDefaultPlugins):
 * filters run in this order and a node reports the first one that rejects it; score
 * weights as in the default MultiPoint set. DefaultPreemption is the PostFilter.
 */
export const DEFAULT_PROFILE: Profile = {
  schedulerName: DEFAULT_SCHEDULER_NAME,
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
  preemption: { minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 },
  percentageOfNodesToScore: 0,
  schedulingGates: true,
};

type Args = Record<string, unknown>;

/**
 * The in-tree registry (NewInTreeRegistry) as kubesim has it: each plugin's extension
 * points and how to build it from its args. Plugins whose work kubesim does not model
 * (volume restrictions/limits/zones: kubesim has no attachable volume drivers; the
 * DynamicResources gate is off in v1.32) are known, so configurations naming them load,
 * and pass every node.
 */
interface Registered {
  points: ExtensionPoint[];
  build?(args: Args): Plugin;
}

const filterScore: ExtensionPoint[] = ['preFilter', 'filter', 'preScore', 'score'];
const REGISTRY: Record<string, Registered> = {
  SchedulingGates: { points: ['preEnqueue'] },
  PrioritySort: { points: ['queueSort'] },
  NodeUnschedulable: { points: ['filter'], build: () => nodeUnschedulable },
  NodeName: { points: ['filter'], build: () => nodeName },
  TaintToleration: { points: ['filter', 'preScore', 'score'], build: () => taintToleration },
  NodeAffinity: { points: filterScore, build: (a) => makeNodeAffinity(a.addedAffinity as NodeAffinity | undefined) },
  NodePorts: { points: ['preFilter', 'filter'], build: () => nodePorts },
  NodeResourcesFit: {
    points: filterScore,
    build: (a) => {
      const s = a.scoringStrategy as { type: string; resources: ResourceSpec[]; requestedToCapacityRatio?: { shape: [] } };
      return makeNodeResourcesFit({
        ignoredResources: (a.ignoredResources as string[]) ?? [],
        ignoredResourceGroups: (a.ignoredResourceGroups as string[]) ?? [],
        scoringStrategy: {
          type: s.type,
          resources: s.resources,
          shape: s.requestedToCapacityRatio?.shape ?? [],
        } as NodeResourcesFitArgs['scoringStrategy'],
      });
    },
  },
  VolumeRestrictions: { points: ['preFilter', 'filter'] },
  NodeVolumeLimits: { points: ['preFilter', 'filter'] },
  VolumeBinding: { points: ['preFilter', 'filter', 'reserve', 'preBind', 'preScore', 'score'], build: () => volumeBinding },
  VolumeZone: { points: ['preFilter', 'filter'] },
  PodTopologySpread: {
    points: filterScore,
    build: (a) => {
      if (a.defaultingType === 'System') return podTopologySpread;
      const constraints = (a.defaultConstraints as TopologySpreadConstraint[] | undefined) ?? [];
      return makePodTopologySpread({ id: JSON.stringify(constraints), constraints, system: false });
    },
  },
  InterPodAffinity: {
    points: filterScore,
    build: (a) =>
      a.hardPodAffinityWeight === 1 && !a.ignorePreferredTermsOfExistingPods
        ? interPodAffinity
        : makeInterPodAffinity(Number(a.hardPodAffinityWeight), !!a.ignorePreferredTermsOfExistingPods),
  },
  DefaultPreemption: { points: ['postFilter'] },
  NodeResourcesBalancedAllocation: { points: ['preScore', 'score'], build: (a) => makeBalancedAllocation(a.resources as ResourceSpec[]) },
  ImageLocality: { points: ['score'], build: () => imageLocality },
  DefaultBinder: { points: ['bind'] },
  DynamicResources: { points: ['preEnqueue', 'preFilter', 'filter', 'postFilter', 'reserve', 'preBind'] },
};

/** The framework's Go interface name of an extension point, for its error texts. */
const POINT_TYPE: Record<ExtensionPoint, string> = {
  preEnqueue: 'PreEnqueuePlugin',
  queueSort: 'QueueSortPlugin',
  preFilter: 'PreFilterPlugin',
  filter: 'FilterPlugin',
  postFilter: 'PostFilterPlugin',
  preScore: 'PreScorePlugin',
  score: 'ScorePlugin',
  reserve: 'ReservePlugin',
  permit: 'PermitPlugin',
  preBind: 'PreBindPlugin',
  bind: 'BindPlugin',
  postBind: 'PostBindPlugin',
  multiPoint: 'MultiPoint',
};

/** getExtensionPoints' order: the MultiPoint expansion reports unknown plugins against the first. */
const FRAMEWORK_ORDER: ExtensionPoint[] = [
  'preFilter',
  'filter',
  'postFilter',
  'reserve',
  'preScore',
  'score',
  'preBind',
  'bind',
  'postBind',
  'permit',
  'preEnqueue',
  'queueSort',
];

/**
 * NewFramework's plugin lists for one extension point: the point's own enabled plugins
 * (each must exist and implement it, once), then MultiPoint's expansion — explicitly
 * re-configured plugins first, then MultiPoint's, then the point's others.
 */
function pluginsAt(point: ExtensionPoint, prof: SchedulerProfileConfig): PluginRef[] {
  const set = prof.plugins?.[point] ?? {};
  const explicit = set.enabled ?? [];
  const seen = new Set<string>();
  for (const p of explicit) {
    const r = REGISTRY[p.name];
    if (!r) throw new SchedulerConfigError(`${POINT_TYPE[point]} "${p.name}" does not exist`);
    if (!r.points.includes(point)) throw new SchedulerConfigError(`plugin "${p.name}" does not extend ${POINT_TYPE[point]} plugin`);
    if (seen.has(p.name)) throw new SchedulerConfigError(`plugin "${p.name}" already registered as "${POINT_TYPE[point]}"`);
    seen.add(p.name);
  }
  const disabled = new Set((set.disabled ?? []).map((d) => d.name));
  const multi = prof.plugins?.multiPoint?.enabled ?? [];
  if (disabled.has('*') || multi.length === 0) return explicit;
  const overrides = new Set<string>();
  const fromMulti: PluginRef[] = [];
  const multiSeen = new Set<string>();
  for (const p of multi) {
    if (!REGISTRY[p.name]) throw new SchedulerConfigError(`${POINT_TYPE[FRAMEWORK_ORDER[0]]} "${p.name}" does not exist`);
    if (!REGISTRY[p.name].points.includes(point) || disabled.has(p.name)) continue;
    if (seen.has(p.name)) {
      overrides.add(p.name);
      continue;
    }
    if (multiSeen.has(p.name)) throw new SchedulerConfigError(`plugin "${p.name}" already registered as "${POINT_TYPE[point]}"`);
    multiSeen.add(p.name);
    fromMulti.push(p);
  }
  return [...explicit.filter((p) => overrides.has(p.name)), ...fromMulti, ...explicit.filter((p) => !overrides.has(p.name))];
}

/** newProfile: the framework of one defaulted, validated profile. */
function buildProfile(prof: SchedulerProfileConfig, globalPercentage: number): Profile {
  const argsOf = new Map((prof.pluginConfig ?? []).map((pc) => [pc.name, (pc.args ?? {}) as Args]));
  const built = new Map<string, Plugin>();
  const instance = (name: string): Plugin | undefined => {
    const r = REGISTRY[name];
    if (!r.build) return undefined;
    let p = built.get(name);
    if (!p) {
      const args = argsOf.get(name) ?? {};
      // NodeResourcesFit checks its args when it is built (NewFit), not in the configuration's validation
      if (name === 'NodeResourcesFit') {
        const errs = validatePluginArgs(name, args, '');
        if (errs.length)
          throw new SchedulerConfigError(`initializing plugin "${name}": ${aggregate(errs.map((e) => e.replace(/^\./, '')))}`);
      }
      built.set(name, (p = r.build(args)));
    }
    return p;
  };
  const at = Object.fromEntries(FRAMEWORK_ORDER.map((point) => [point, pluginsAt(point, prof)])) as Record<ExtensionPoint, PluginRef[]>;
  if (at.queueSort.length === 0) throw new SchedulerConfigError('no queue sort plugin is enabled');
  if (at.queueSort.length > 1) throw new SchedulerConfigError('only one queue sort plugin can be enabled');
  if (at.bind.length === 0) throw new SchedulerConfigError('at least one bind plugin is needed');

  // getScoreWeights: the Score point's own weight wins over MultiPoint's; 0 means 1
  const weights = new Map<string, number>();
  for (const p of [...(prof.plugins?.score?.enabled ?? []), ...(prof.plugins?.multiPoint?.enabled ?? [])]) {
    if (!REGISTRY[p.name]?.points.includes('score') || weights.has(p.name)) continue;
    weights.set(p.name, p.weight ? p.weight : 1);
  }
  const filters: Plugin[] = [];
  for (const p of at.filter) {
    const plugin = instance(p.name);
    if (plugin) filters.push(plugin);
  }
  const scores: ScoreEntry[] = [];
  for (const p of at.score) {
    const plugin = instance(p.name);
    if (plugin) scores.push({ plugin, weight: weights.get(p.name) ?? 1 });
  }
  let preemption: PreemptionArgs | undefined;
  if (at.postFilter.some((p) => p.name === 'DefaultPreemption')) {
    const a = argsOf.get('DefaultPreemption') ?? {};
    preemption = {
      minCandidateNodesPercentage: Number(a.minCandidateNodesPercentage ?? 10),
      minCandidateNodesAbsolute: Number(a.minCandidateNodesAbsolute ?? 100),
    };
  }
  return {
    schedulerName: prof.schedulerName!,
    filters,
    scores,
    preemption,
    percentageOfNodesToScore: prof.percentageOfNodesToScore ?? globalPercentage,
    schedulingGates: at.preEnqueue.some((p) => p.name === 'SchedulingGates'),
  };
}

/**
 * The profiles of a defaulted, validated configuration by scheduler name (profile.NewMap),
 * or kube-scheduler's error for a configuration it would not start with.
 */
export function buildProfiles(config: KubeSchedulerConfiguration): Map<string, Profile> {
  const out = new Map<string, Profile>();
  for (const prof of config.profiles ?? []) {
    try {
      out.set(prof.schedulerName!, buildProfile(prof, config.percentageOfNodesToScore ?? 0));
    } catch (e) {
      if (!(e instanceof SchedulerConfigError)) throw e;
      throw new SchedulerConfigError(`initializing profiles: creating profile for scheduler name ${prof.schedulerName}: ${e.message}`);
    }
  }
  return out;
}

/** The default configuration's profiles: exactly DEFAULT_PROFILE (so placements stay as they were). */
export const DEFAULT_PROFILES: ReadonlyMap<string, Profile> = new Map([[DEFAULT_SCHEDULER_NAME, DEFAULT_PROFILE]]);

/** Defaults, validates and builds a configuration: what `scheduler config apply` stores is known to load. */
export function loadSchedulerConfiguration(config: KubeSchedulerConfiguration): {
  config: KubeSchedulerConfiguration;
  profiles: Map<string, Profile>;
} {
  const defaulted = withDefaults(config);
  const errs = validateSchedulerConfiguration(defaulted);
  if (errs.length) throw new SchedulerConfigError(aggregate(errs));
  return { config: defaulted, profiles: buildProfiles(defaulted) };
}
