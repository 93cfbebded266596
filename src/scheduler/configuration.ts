/**
 * KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) as kube-scheduler v1.32 reads
 * it: strict decoding, the v1 defaults (pkg/scheduler/apis/config/v1/defaults.go and
 * default_plugins.go: the default MultiPoint set merged with the profile's plugins, default
 * args for every enabled plugin that takes them) and ValidateKubeSchedulerConfiguration
 * (pkg/scheduler/apis/config/validation). Building profiles from it is profile.ts's job.
 */

export const SCHEDULER_CONFIG_API_VERSION = 'kubescheduler.config.k8s.io/v1';
export const SCHEDULER_CONFIG_KIND = 'KubeSchedulerConfiguration';
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export interface PluginRef {
  name: string;
  weight?: number;
}

export interface PluginSet {
  enabled?: PluginRef[];
  disabled?: PluginRef[];
}

/** The extension points of v1.Plugins, in the order kube-scheduler lists them. */
export const EXTENSION_POINTS = [
  'preEnqueue',
  'queueSort',
  'preFilter',
  'filter',
  'postFilter',
  'preScore',
  'score',
  'reserve',
  'permit',
  'preBind',
  'bind',
  'postBind',
  'multiPoint',
] as const;
export type ExtensionPoint = (typeof EXTENSION_POINTS)[number];

export type Plugins = Partial<Record<ExtensionPoint, PluginSet>>;

export interface PluginConfig {
  name: string;
  args?: Record<string, unknown>;
}

export interface SchedulerProfileConfig {
  schedulerName?: string;
  percentageOfNodesToScore?: number | null;
  plugins?: Plugins;
  pluginConfig?: PluginConfig[];
}

export interface KubeSchedulerConfiguration {
  apiVersion: string;
  kind: string;
  parallelism?: number;
  percentageOfNodesToScore?: number | null;
  podInitialBackoffSeconds?: number;
  podMaxBackoffSeconds?: number;
  profiles?: SchedulerProfileConfig[];
  extenders?: Record<string, unknown>[];
  delayCacheUntilActive?: boolean;
  enableProfiling?: boolean;
  enableContentionProfiling?: boolean;
  leaderElection?: Record<string, unknown>;
  clientConnection?: Record<string, unknown>;
}

/** A configuration kube-scheduler would refuse, with its message. */
export class SchedulerConfigError extends Error {}

// --- strict decoding -------------------------------------------------------------------

type Shape = 'any' | 'string' | 'number' | 'boolean' | { object: Record<string, Shape> } | { list: Shape } | { map: Shape };

const pluginShape: Shape = { object: { name: 'string', weight: 'number' } };
const pluginSetShape: Shape = { object: { enabled: { list: pluginShape }, disabled: { list: pluginShape } } };
const profileShape: Shape = {
  object: {
    schedulerName: 'string',
    percentageOfNodesToScore: 'number',
    plugins: { object: Object.fromEntries(EXTENSION_POINTS.map((p) => [p, pluginSetShape])) },
    pluginConfig: { list: { object: { name: 'string', args: 'any' } } },
  },
};
const configShape: Record<string, Shape> = {
  apiVersion: 'string',
  kind: 'string',
  parallelism: 'number',
  percentageOfNodesToScore: 'number',
  podInitialBackoffSeconds: 'number',
  podMaxBackoffSeconds: 'number',
  profiles: { list: profileShape },
  extenders: { list: 'any' },
  delayCacheUntilActive: 'boolean',
  enableProfiling: 'boolean',
  enableContentionProfiling: 'boolean',
  leaderElection: {
    object: {
      leaderElect: 'boolean',
      leaseDuration: 'string',
      renewDeadline: 'string',
      retryPeriod: 'string',
      resourceLock: 'string',
      resourceName: 'string',
      resourceNamespace: 'string',
    },
  },
  clientConnection: {
    object: { kubeconfig: 'string', acceptContentTypes: 'string', contentType: 'string', qps: 'number', burst: 'number' },
  },
};

/** Args types of the in-tree plugins (pkg/scheduler/apis/config/v1 types_pluginargs.go), for strict decoding. */
const resourceSpecList: Shape = { list: { object: { name: 'string', weight: 'number' } } };
const shapePoints: Shape = { list: { object: { utilization: 'number', score: 'number' } } };
const ARGS_SHAPES: Record<string, Record<string, Shape>> = {
  DefaultPreemption: { minCandidateNodesPercentage: 'number', minCandidateNodesAbsolute: 'number' },
  InterPodAffinity: { hardPodAffinityWeight: 'number', ignorePreferredTermsOfExistingPods: 'boolean' },
  NodeAffinity: { addedAffinity: 'any' },
  NodeResourcesBalancedAllocation: { resources: resourceSpecList },
  NodeResourcesFit: {
    ignoredResources: { list: 'string' },
    ignoredResourceGroups: { list: 'string' },
    scoringStrategy: {
      object: { type: 'string', resources: resourceSpecList, requestedToCapacityRatio: { object: { shape: shapePoints } } },
    },
  },
  PodTopologySpread: { defaultConstraints: { list: 'any' }, defaultingType: 'string' },
  VolumeBinding: { bindTimeoutSeconds: 'number', shape: shapePoints },
};

function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function decodeErrors(value: unknown, shape: Shape, path: string, unknown: string[], wrong: string[]): void {
  if (shape === 'any' || value === null || value === undefined) return;
  if (typeof shape === 'string') {
    if (typeof value !== shape) wrong.push(`${path}: expected ${shape}, got ${typeOf(value)}`);
    return;
  }
  if ('list' in shape) {
    if (!Array.isArray(value)) return void wrong.push(`${path}: expected array, got ${typeOf(value)}`);
    value.forEach((v, i) => decodeErrors(v, shape.list, `${path}[${i}]`, unknown, wrong));
    return;
  }
  if (typeOf(value) !== 'object') return void wrong.push(`${path}: expected object, got ${typeOf(value)}`);
  const fields = 'object' in shape ? shape.object : undefined;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const child = path ? `${path}.${key}` : key;
    if (!fields) decodeErrors(v, (shape as { map: Shape }).map, child, unknown, wrong);
    else if (!(key in fields)) unknown.push(child);
    else decodeErrors(v, fields[key], child, unknown, wrong);
  }
}

/**
 * The decode step of kube-scheduler's config loader (a strict UniversalDecoder): the group,
 * version and kind must be v1's, unknown fields are refused, and plugin args are decoded into
 * their plugin's args type (`apiVersion`/`kind` inside args are allowed).
 */
export function decodeSchedulerConfiguration(doc: unknown): KubeSchedulerConfiguration {
  if (typeOf(doc) !== 'object') throw new SchedulerConfigError("Object 'Kind' is missing in the configuration");
  const obj = doc as Record<string, unknown>;
  if (!obj.kind) throw new SchedulerConfigError(`Object 'Kind' is missing in '${JSON.stringify(obj)}'`);
  if (obj.apiVersion !== SCHEDULER_CONFIG_API_VERSION || obj.kind !== SCHEDULER_CONFIG_KIND)
    throw new SchedulerConfigError(`no kind "${String(obj.kind)}" is registered for version "${String(obj.apiVersion ?? '')}" in scheme`);
  const unknown: string[] = [];
  const wrong: string[] = [];
  decodeErrors(obj, { object: configShape }, '', unknown, wrong);
  const profiles = Array.isArray(obj.profiles) ? (obj.profiles as Record<string, unknown>[]) : [];
  profiles.forEach((p, i) => {
    const list = Array.isArray(p?.pluginConfig) ? (p.pluginConfig as Record<string, unknown>[]) : [];
    list.forEach((pc, j) => {
      const fields = ARGS_SHAPES[String(pc?.name)];
      if (!fields || typeOf(pc.args) !== 'object') return;
      decodeErrors(
        pc.args,
        { object: { apiVersion: 'string', kind: 'string', ...fields } },
        `profiles[${i}].pluginConfig[${j}].args`,
        unknown,
        wrong,
      );
    });
  });
  if (wrong.length) throw new SchedulerConfigError(wrong[0]);
  if (unknown.length) throw new SchedulerConfigError(`strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`);
  return structuredClone(obj) as unknown as KubeSchedulerConfiguration;
}

// --- defaults --------------------------------------------------------------------------

/** getDefaultPlugins (v1.32: the non-CSI volume limit plugins are gone; DynamicResources is off by default). */
export function defaultPlugins(): Plugins {
  const p = (name: string, weight?: number): PluginRef => (weight === undefined ? { name } : { name, weight });
  return {
    multiPoint: {
      enabled: [
        p('SchedulingGates'),
        p('PrioritySort'),
        p('NodeUnschedulable'),
        p('NodeName'),
        p('TaintToleration', 3),
        p('NodeAffinity', 2),
        p('NodePorts'),
        p('NodeResourcesFit', 1),
        p('VolumeRestrictions'),
        p('NodeVolumeLimits'),
        p('VolumeBinding'),
        p('VolumeZone'),
        p('PodTopologySpread', 2),
        p('InterPodAffinity', 2),
        p('DefaultPreemption'),
        p('NodeResourcesBalancedAllocation', 1),
        p('ImageLocality', 1),
        p('DefaultBinder'),
      ],
    },
  };
}

/** mergePluginSet: defaults minus the disabled ones ("*" disables all), a re-configured default keeps its place, then the rest. */
function mergePluginSet(defaults: PluginSet, custom: PluginSet | undefined): PluginSet {
  if (!custom) return defaults;
  const disabled = [...(custom.disabled ?? []), ...(defaults.disabled ?? [])].map((d) => ({ name: d.name }));
  const disabledNames = new Set(disabled.map((d) => d.name));
  const customEnabled = custom.enabled ?? [];
  const customIndex = new Map(customEnabled.map((p, i) => [p.name, i]));
  const replaced = new Set<number>();
  const enabled: PluginRef[] = [];
  if (!disabledNames.has('*')) {
    for (const d of defaults.enabled ?? []) {
      if (disabledNames.has(d.name)) continue;
      const i = customIndex.get(d.name);
      if (i !== undefined) {
        replaced.add(i);
        enabled.push(customEnabled[i]);
      } else enabled.push(d);
    }
  }
  customEnabled.forEach((p, i) => {
    if (!replaced.has(i)) enabled.push(p);
  });
  const out: PluginSet = {};
  if (enabled.length) out.enabled = enabled;
  if (disabled.length) out.disabled = disabled;
  return out;
}

const DEFAULT_RESOURCES = () => [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];

/** SetDefaults_<Plugin>Args for the plugins that take args. */
function defaultArgs(name: string, given: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const a: Record<string, unknown> = { ...(given ?? {}) };
  const withWeights = (list: unknown) =>
    (Array.isArray(list) && list.length ? (list as { name: string; weight?: number }[]) : DEFAULT_RESOURCES()).map((r) => ({
      ...r,
      weight: r.weight ? r.weight : 1,
    }));
  switch (name) {
    case 'DefaultPreemption':
      a.minCandidateNodesPercentage ??= 10;
      a.minCandidateNodesAbsolute ??= 100;
      break;
    case 'InterPodAffinity':
      a.hardPodAffinityWeight ??= 1;
      a.ignorePreferredTermsOfExistingPods ??= false;
      break;
    case 'NodeAffinity':
      break;
    case 'NodeResourcesBalancedAllocation':
      a.resources = withWeights(a.resources);
      break;
    case 'NodeResourcesFit': {
      const s = { ...((a.scoringStrategy as Record<string, unknown> | undefined) ?? { type: 'LeastAllocated' }) };
      s.type ||= 'LeastAllocated';
      s.resources = withWeights(s.resources);
      a.scoringStrategy = s;
      break;
    }
    case 'PodTopologySpread':
      a.defaultingType ||= 'System';
      break;
    case 'VolumeBinding':
      a.bindTimeoutSeconds ??= 600;
      break;
    default:
      return given;
  }
  return { kind: `${name}Args`, apiVersion: SCHEDULER_CONFIG_API_VERSION, ...a };
}

function pluginsNames(plugins: Plugins): string[] {
  const names = new Set<string>();
  for (const point of EXTENSION_POINTS) for (const p of plugins[point]?.enabled ?? []) names.add(p.name);
  return [...names].sort();
}

/** SetDefaults_KubeSchedulerConfiguration (v1): what `kube-scheduler --write-config-to` prints. */
export function withDefaults(input: KubeSchedulerConfiguration): KubeSchedulerConfiguration {
  const c = structuredClone(input);
  c.parallelism ??= 16;
  c.percentageOfNodesToScore ??= 0;
  c.podInitialBackoffSeconds ??= 1;
  c.podMaxBackoffSeconds ??= 10;
  c.enableProfiling ??= true;
  c.enableContentionProfiling ??= true;
  c.leaderElection = {
    leaderElect: true,
    leaseDuration: '15s',
    renewDeadline: '10s',
    resourceLock: 'leases',
    resourceName: 'kube-scheduler',
    resourceNamespace: 'kube-system',
    retryPeriod: '2s',
    ...(c.leaderElection ?? {}),
  };
  c.clientConnection = {
    acceptContentTypes: '',
    burst: 100,
    contentType: 'application/vnd.kubernetes.protobuf',
    kubeconfig: '',
    qps: 50,
    ...(c.clientConnection ?? {}),
  };
  if (!c.profiles?.length) c.profiles = [{}];
  if (c.profiles.length === 1 && !c.profiles[0].schedulerName) c.profiles[0].schedulerName = DEFAULT_SCHEDULER_NAME;
  for (const prof of c.profiles) {
    const defaults = defaultPlugins();
    const merged: Plugins = {};
    for (const point of EXTENSION_POINTS) {
      const set = mergePluginSet(defaults[point] ?? {}, prof.plugins?.[point]);
      if (set.enabled || set.disabled) merged[point] = set;
    }
    prof.plugins = merged;
    const configs = (prof.pluginConfig ?? []).map((pc) => ({ name: pc.name, args: defaultArgs(pc.name, pc.args) }));
    const existing = new Set(configs.map((pc) => pc.name));
    for (const name of pluginsNames(merged)) {
      if (existing.has(name)) continue;
      const args = defaultArgs(name, undefined);
      if (args) configs.push({ name, args });
    }
    prof.pluginConfig = configs;
  }
  return c;
}

// --- validation ------------------------------------------------------------------------

/** A field.Error's text: `path: Invalid value: 101: not in valid range [0-100]`. */
const invalid = (path: string, value: unknown, detail: string) => `${path}: Invalid value: ${goValue(value)}: ${detail}`;
const required = (path: string, detail = '') => `${path}: Required value${detail ? `: ${detail}` : ''}`;
const duplicate = (path: string, value: unknown) => `${path}: Duplicate value: ${goValue(value)}`;
const forbidden = (path: string, detail: string) => `${path}: Forbidden: ${detail}`;
const notSupported = (path: string, value: unknown, supported: string[]) =>
  `${path}: Unsupported value: ${goValue(value)}: supported values: ${supported.map((s) => `"${s}"`).join(', ')}`;

function goValue(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

const LABEL_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Plugins removed in v1 (validation.go invalidPluginsByVersion). */
const INVALID_IN_V1 = new Set(['AzureDiskLimits', 'CinderLimits', 'EBSLimits', 'GCEPDLimits']);

function validateShape(shape: unknown, path: string, maxScore: number): string[] {
  const errs: string[] = [];
  const points = Array.isArray(shape) ? (shape as { utilization?: number; score?: number }[]) : [];
  if (points.length === 0) return [required(path, 'at least one point must be specified')];
  for (let i = 1; i < points.length; i++) {
    if ((points[i - 1].utilization ?? 0) >= (points[i].utilization ?? 0)) {
      errs.push(invalid(`${path}[${i}].utilization`, points[i].utilization ?? 0, 'values must be sorted in increasing order'));
      break;
    }
  }
  points.forEach((p, i) => {
    const u = p.utilization ?? 0;
    const s = p.score ?? 0;
    if (u < 0 || u > 100) errs.push(invalid(`${path}[${i}].utilization`, u, 'not in valid range [0, 100]'));
    if (s < 0 || s > maxScore) errs.push(invalid(`${path}[${i}].score`, s, `not in valid range [0, ${maxScore}]`));
  });
  return errs;
}

function validateResources(list: unknown, path: string): string[] {
  const errs: string[] = [];
  ((Array.isArray(list) ? list : []) as { name: string; weight?: number }[]).forEach((r, i) => {
    const w = r.weight ?? 0;
    if (w <= 0 || w > 100) errs.push(invalid(`${path}[${i}].weight`, w, `resource weight of ${r.name} not in valid range (0, 100]`));
  });
  return errs;
}

/** validation_pluginargs.go, for the defaulted args of one plugin. */
export function validatePluginArgs(name: string, args: Record<string, unknown>, path: string): string[] {
  const errs: string[] = [];
  switch (name) {
    case 'DefaultPreemption': {
      const pct = Number(args.minCandidateNodesPercentage);
      const abs = Number(args.minCandidateNodesAbsolute);
      if (pct < 0 || pct > 100) errs.push(invalid(`${path}.minCandidateNodesPercentage`, pct, 'not in valid range [0, 100]'));
      if (abs < 0) errs.push(invalid(`${path}.minCandidateNodesAbsolute`, abs, 'not in valid range [0, inf)'));
      if (pct === 0 && abs === 0)
        errs.push(
          invalid(`${path}.minCandidateNodesPercentage`, pct, 'cannot be zero at the same time as minCandidateNodesAbsolute'),
          invalid(`${path}.minCandidateNodesAbsolute`, abs, 'cannot be zero at the same time as minCandidateNodesPercentage'),
        );
      break;
    }
    case 'InterPodAffinity': {
      const w = Number(args.hardPodAffinityWeight);
      if (w < 0 || w > 100) errs.push(invalid(`${path}.hardPodAffinityWeight`, w, 'not in valid range [0, 100]'));
      break;
    }
    case 'NodeResourcesBalancedAllocation': {
      const seen = new Set<string>();
      ((args.resources as { name: string; weight: number }[]) ?? []).forEach((r, i) => {
        if (seen.has(r.name)) errs.push(duplicate(`${path}.resources[${i}].name`, r.name));
        seen.add(r.name);
        if (r.weight !== 1) errs.push(invalid(`${path}.resources[${i}].weight`, r.weight, 'must be 1'));
      });
      break;
    }
    case 'NodeResourcesFit': {
      ((args.ignoredResources as string[]) ?? []).forEach((r, i) => {
        if (!LABEL_NAME.test(r))
          errs.push(invalid(`${path}.ignoredResources[${i}]`, r, 'name part must consist of alphanumeric characters'));
      });
      ((args.ignoredResourceGroups as string[]) ?? []).forEach((g, i) => {
        if (g.includes('/')) errs.push(invalid(`${path}.ignoredResourceGroups[${i}]`, g, "resource group name can't contain '/'"));
      });
      const s = args.scoringStrategy as { type: string; resources?: unknown; requestedToCapacityRatio?: { shape?: unknown } };
      const sp = `${path}.scoringStrategy`;
      const types = ['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio'];
      if (!types.includes(s.type)) errs.push(notSupported(`${sp}.type`, s.type, types));
      errs.push(...validateResources(s.resources, `${sp}.resources`));
      if (s.type === 'RequestedToCapacityRatio') {
        if (!s.requestedToCapacityRatio)
          errs.push(required(`${sp}.requestedToCapacityRatio`, 'must be specified when type is RequestedToCapacityRatio'));
        else errs.push(...validateShape(s.requestedToCapacityRatio.shape, `${sp}.requestedToCapacityRatio.shape`, 10));
      } else if (s.requestedToCapacityRatio)
        errs.push(forbidden(`${sp}.requestedToCapacityRatio`, 'must be nil when type is not RequestedToCapacityRatio'));
      break;
    }
    case 'PodTopologySpread': {
      const type = String(args.defaultingType);
      const constraints = (Array.isArray(args.defaultConstraints) ? args.defaultConstraints : []) as Record<string, unknown>[];
      if (type !== 'System' && type !== 'List') errs.push(notSupported(`${path}.defaultingType`, type, ['System', 'List']));
      else if (type === 'System' && constraints.length)
        errs.push(invalid(`${path}.defaultingType`, type, 'when .defaultConstraints are not empty'));
      constraints.forEach((c, i) => {
        const p = `${path}.defaultConstraints[${i}]`;
        const maxSkew = Number(c.maxSkew ?? 0);
        if (maxSkew <= 0) errs.push(invalid(`${p}.maxSkew`, maxSkew, 'not in valid range (0, inf)'));
        const key = String(c.topologyKey ?? '');
        if (!key) errs.push(required(`${p}.topologyKey`, 'can not be empty'));
        else if (!LABEL_NAME.test(key)) errs.push(invalid(`${p}.topologyKey`, key, 'name part must consist of alphanumeric characters'));
        const when = String(c.whenUnsatisfiable ?? '');
        if (!when) errs.push(required(`${p}.whenUnsatisfiable`, 'can not be empty'));
        else if (when !== 'DoNotSchedule' && when !== 'ScheduleAnyway')
          errs.push(notSupported(`${p}.whenUnsatisfiable`, when, ['DoNotSchedule', 'ScheduleAnyway']));
        if (c.labelSelector)
          errs.push(forbidden(`${p}.labelSelector`, 'constraint must not define a selector, as they deduced for each pod'));
        for (let j = 0; j < i; j++) {
          if (constraints[j].topologyKey === c.topologyKey && constraints[j].whenUnsatisfiable === c.whenUnsatisfiable) {
            errs.push(duplicate(`${path}.defaultConstraints[${i}]`, `{${key}, ${when}}`));
            break;
          }
        }
      });
      break;
    }
    case 'VolumeBinding': {
      const t = Number(args.bindTimeoutSeconds);
      if (t < 0) errs.push(invalid(`${path}.bindTimeoutSeconds`, t, 'invalid BindTimeoutSeconds, should not be a negative value'));
      if (args.shape !== undefined)
        errs.push(
          invalid(`${path}.shape`, args.shape, 'unexpected field `shape`, remove it or turn on the feature gate StorageCapacityScoring'),
        );
      break;
    }
  }
  return errs;
}

function validatePercentage(path: string, value: number | null | undefined): string[] {
  return value !== undefined && value !== null && (value < 0 || value > 100) ? [invalid(path, value, 'not in valid range [0-100]')] : [];
}

/** ValidateKubeSchedulerConfiguration on a defaulted configuration: every error, in kube's order. */
export function validateSchedulerConfiguration(c: KubeSchedulerConfiguration): string[] {
  const errs: string[] = [];
  const le = c.leaderElection ?? {};
  if (le.leaderElect && le.resourceLock !== 'leases')
    errs.push(invalid('leaderElection.resourceLock', le.resourceLock, 'resourceLock value must be "leases"'));
  if ((c.parallelism ?? 0) <= 0) errs.push(invalid('parallelism', c.parallelism ?? 0, 'should be an integer value greater than zero'));
  const profiles = c.profiles ?? [];
  if (profiles.length === 0) errs.push(required('profiles'));
  const seen = new Map<string, number>();
  profiles.forEach((prof, i) => {
    const path = `profiles[${i}]`;
    if (!prof.schedulerName) errs.push(required(`${path}.schedulerName`));
    errs.push(...validatePercentage(`${path}.percentageOfNodesToScore`, prof.percentageOfNodesToScore));
    for (const point of EXTENSION_POINTS) {
      (prof.plugins?.[point]?.enabled ?? []).forEach((p, j) => {
        if (INVALID_IN_V1.has(p.name))
          errs.push(
            invalid(
              `${path}.plugins.${point}.enabled[${j}]`,
              p.name,
              `was invalid in version "${SCHEDULER_CONFIG_API_VERSION}" (KubeSchedulerConfiguration is version "${SCHEDULER_CONFIG_API_VERSION}")`,
            ),
          );
      });
    }
    const seenConfig = new Set<string>();
    (prof.pluginConfig ?? []).forEach((pc, j) => {
      const p = `${path}.pluginConfig[${j}]`;
      if (seenConfig.has(pc.name)) errs.push(duplicate(p, pc.name));
      seenConfig.add(pc.name);
      if (INVALID_IN_V1.has(pc.name))
        errs.push(
          invalid(
            p,
            pc.name,
            `was invalid in version "${SCHEDULER_CONFIG_API_VERSION}" (KubeSchedulerConfiguration is version "${SCHEDULER_CONFIG_API_VERSION}")`,
          ),
        );
      // NodeResourcesFit's args are checked when the plugin is built (the validation map names it "NodeResourcesFitArgs")
      else if (pc.name !== 'NodeResourcesFit' && pc.args) errs.push(...validatePluginArgs(pc.name, pc.args, `${p}.args`));
    });
    const prev = seen.get(prof.schedulerName ?? '');
    if (prev !== undefined) errs.push(`${path}.schedulerName: Duplicate value: "profiles[${prev}].schedulerName"`);
    seen.set(prof.schedulerName ?? '', i);
  });
  if (profiles.length) {
    const canon = JSON.stringify(profiles[0].plugins?.queueSort ?? {});
    const queueSort = profiles[0].plugins?.queueSort?.enabled ?? [];
    if (queueSort.length > 1)
      errs.push(invalid('profiles[0].plugins.queueSort.Enabled', queueSort.length, 'only one queue sort plugin can be enabled'));
    for (let i = 1; i < profiles.length; i++) {
      const curr = profiles[i].plugins?.queueSort ?? {};
      if (JSON.stringify(curr) !== canon)
        errs.push(`profiles[${i}].plugins.queueSort: Invalid value: ${JSON.stringify(curr)}: must be the same for all profiles`);
    }
  }
  errs.push(...validatePercentage('percentageOfNodesToScore', c.percentageOfNodesToScore));
  if ((c.podInitialBackoffSeconds ?? 0) <= 0)
    errs.push(invalid('podInitialBackoffSeconds', c.podInitialBackoffSeconds ?? 0, 'must be greater than 0'));
  if ((c.podMaxBackoffSeconds ?? 0) < (c.podInitialBackoffSeconds ?? 0))
    errs.push(invalid('podMaxBackoffSeconds', c.podMaxBackoffSeconds ?? 0, 'must be greater than or equal to PodInitialBackoffSeconds'));
  if (c.extenders?.length) errs.push(forbidden('extenders', 'kubesim cannot call scheduler extenders (HTTP webhooks)'));
  return errs;
}

/** utilerrors.Aggregate's text: one error alone, several in brackets. */
export function aggregate(errs: string[]): string {
  return errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
}
