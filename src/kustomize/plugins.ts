import * as fs from 'node:fs';
import type { KObject } from '../model/objects';
import { CliError, errorMessage } from '../util/errors';
import { onDemand } from '../util/on-demand';
import { yamlStreamToJson } from '../util/yaml-to-json';
import { contentHash, runGenerators } from './generators';
import type { GeneratorArgs, Patch } from './kustomization';
import type { FileLoader } from './loader';
import type { PluginOptions } from './plugin-options';
import { applyJson6902Patches, applyPatches, applyStrategicMergeFiles, applyStrategicMergeText, configError } from './patches';
import { applyReplacements, type Replacement } from './replacements';
import { gvk, rename, resourceId, type FieldSpec, type Resource } from './resource';
import { affixNames, setImages, setMapEntries, setNamespace, setReplicas, SUBJECT_MODES, type ImageChange } from './transformers';

/**
 * kustomize's builtin plugins as `transformers:`, `generators:` and `validators:` entries name
 * them (apiVersion: builtin): the same transformers a kustomization's fields configure, with
 * the field specs the config gives (none given: the transformer writes nowhere, as in kustomize).
 */

// loaded only when a kustomization names a helm chart or a KRM function
// eslint-disable-next-line @typescript-eslint/no-require-imports
const helm = onDemand('kustomize/helm', () => require('./helm') as typeof import('./helm'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const functions = onDemand('kustomize/functions', () => require('./functions') as typeof import('./functions'));

/**
 * A plugin config as the kustomization's file gave it: apiVersion, kind and metadata, then the
 * plugin's own fields, unchecked YAML read as unknown (a KObject fits).
 */
interface PluginConfig {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: string; namespace?: string };
  [field: string]: unknown;
}

/** The plugin's own name for errors: Kind.builtin.[noGrp]/name.namespace (kustomize's ResId). */
function pluginId(config: PluginConfig): string {
  const { group, version, kind } = gvk(config);
  return `${kind}.${version || '[noVer]'}.${group || '[noGrp]'}/${config.metadata?.name ?? ''}.${config.metadata?.namespace || '[noNs]'}`;
}

const fieldSpecs = (config: PluginConfig): FieldSpec[] => (Array.isArray(config.fieldSpecs) ? (config.fieldSpecs as FieldSpec[]) : []);

/** sortOptions: the order of the build's output */
export interface SortOptions {
  order?: string;
  legacySortOptions?: { orderFirst?: string[]; orderLast?: string[] };
}

type Transformer = (resources: Resource[], config: PluginConfig, loader: FileLoader) => void;

const TRANSFORMERS: Record<string, Transformer> = {
  NamespaceTransformer: (resources, config) => {
    const namespace = config.metadata?.namespace;
    if (!namespace) return;
    const mode = config.setRoleBindingSubjects as string | undefined;
    if (mode && !SUBJECT_MODES.includes(mode))
      throw new CliError(
        `plugin ${pluginId(config)} fails configuration: invalid value "${mode}" for setRoleBindingSubjects: must be one of ${SUBJECT_MODES.map(
          (m) => `"${m}"`,
        )
          .join(', ')
          .replace(/, ([^,]*)$/, ' or $1')}`,
      );
    setNamespace(resources, namespace, fieldSpecs(config), {
      unsetOnly: !!config.unsetOnly,
      setRoleBindingSubjects: mode,
    });
  },
  PrefixSuffixTransformer: (resources, config) => {
    affixNames(resources, String(config.prefix ?? ''), String(config.suffix ?? ''), fieldSpecs(config));
  },
  PrefixTransformer: (resources, config) => affixNames(resources, String(config.prefix ?? ''), '', fieldSpecs(config)),
  SuffixTransformer: (resources, config) => affixNames(resources, '', String(config.suffix ?? ''), fieldSpecs(config)),
  LabelTransformer: (resources, config) => setMapEntries(resources, fieldSpecs(config), (config.labels ?? {}) as Record<string, string>),
  AnnotationsTransformer: (resources, config) =>
    setMapEntries(resources, fieldSpecs(config), (config.annotations ?? {}) as Record<string, string>),
  ImageTagTransformer: (resources, config) => setImages(resources, (config.imageTag ?? {}) as ImageChange, fieldSpecs(config)),
  ReplicaCountTransformer: (resources, config) => {
    const replica = (config.replica ?? {}) as { name?: string; count?: number };
    setReplicas(resources, replica.name ?? '', replica.count ?? 0, fieldSpecs(config));
  },
  PatchTransformer: (resources, config, loader) => applyPatches(resources, [config as Patch], loader),
  PatchJson6902Transformer: (resources, config, loader) =>
    applyJson6902Patches(
      resources,
      [{ path: config.path as string | undefined, patch: config.jsonOp as string | undefined, target: config.target as Patch['target'] }],
      loader,
    ),
  PatchStrategicMergeTransformer: (resources, config, loader) => {
    applyStrategicMergeFiles(resources, (config.paths ?? []) as string[], loader);
    if (config.patches) applyStrategicMergeText(resources, String(config.patches), 'patches');
  },
  ReplacementTransformer: (resources, config, loader) =>
    applyReplacements(resources, resolveReplacements((config.replacements ?? []) as Replacement[], loader)),
  // the hash of each generated ConfigMap and Secret, now; the build still appends its own at the end
  HashTransformer: (resources) => {
    for (const res of resources) if (res.needsHash) rename(res, `${res.obj.metadata.name}-${contentHash(res.obj)}`);
  },
};

/** A builtin generator config: the ConfigMap or Secret generator's arguments, named by its metadata unless it says `name`. */
function generatorArgs(config: PluginConfig): GeneratorArgs {
  const { apiVersion: _a, kind: _k, metadata, ...args } = config;
  return { ...args, name: args.name ?? metadata?.name, namespace: args.namespace ?? metadata?.namespace } as GeneratorArgs;
}

const GENERATORS: Record<string, 'ConfigMap' | 'Secret'> = { ConfigMapGenerator: 'ConfigMap', SecretGenerator: 'Secret' };

/** What kustomize checks when it configures a builtin plugin, before it runs it: the reason it refuses the config. */
const CONFIG_CHECKS: Record<string, (config: PluginConfig) => string | undefined> = {
  PrefixSuffixTransformer: (config) => (Array.isArray(config.fieldSpecs) ? undefined : 'fieldSpecs is not expected to be nil'),
  PrefixTransformer: (config) => (Array.isArray(config.fieldSpecs) ? undefined : 'fieldSpecs is not expected to be nil'),
  SuffixTransformer: (config) => (Array.isArray(config.fieldSpecs) ? undefined : 'fieldSpecs is not expected to be nil'),
  PatchStrategicMergeTransformer: (config) =>
    ((config.paths ?? []) as string[]).length || config.patches ? undefined : 'empty file path and empty patch content',
};

/** A builtin transformer kubesim does not run, refused as kustomize refuses a config of it without targets. */
const UNRUN_TRANSFORMERS: Record<string, string> = { ValueAddTransformer: 'must specify at least one target' };
/** kustomize's IAMPolicyGenerator knows no cloud provider kubesim could stand for: it fails when it generates. */
const IAM_POLICY_GENERATOR = 'IAMPolicyGenerator';
const HELM = 'HelmChartInflationGenerator';

/** Where a plugin runs: the kustomization's loader and what kubectl kustomize's flags allow. */
export interface PluginContext {
  loader: FileLoader;
  plugins?: PluginOptions;
}

/** A loaded plugin: a builtin by kind, a configured helm chart, or a KRM function. */
type Loaded =
  | { type: 'builtin'; config: PluginConfig }
  | { type: 'helm'; config: PluginConfig; chart: import('./helm').ConfiguredChart }
  | { type: 'function'; config: PluginConfig; spec: import('./functions').FunctionSpec };

/**
 * kustomize's plugin root for exec and Go plugins (konfig.DefaultAbsPluginHome): the first of
 * these directories that exists, or the error naming them all.
 */
function pluginRoot(env: Record<string, string | undefined>): { dir?: string; error?: string } {
  const home = env.HOME ?? '';
  const candidates: [string, string][] = [
    ['homed in $KUSTOMIZE_PLUGIN_HOME', env.KUSTOMIZE_PLUGIN_HOME ?? ''],
    ['homed in $XDG_CONFIG_HOME', env.XDG_CONFIG_HOME ? `${env.XDG_CONFIG_HOME}/kustomize/plugin` : ''],
    ['homed in default value of $XDG_CONFIG_HOME', `${home}/.config/kustomize/plugin`],
    ['homed in home directory', `${home}/kustomize/plugin`],
  ];
  for (const [, dir] of candidates) if (dir && fs.existsSync(dir)) return { dir };
  return {
    error: `unable to find plugin root - tried: ${candidates.map(([note, dir]) => `('${dir || '<no value>'}'; ${note})`).join(', ')}`,
  };
}

/**
 * kustomize loads a builtin plugin by configuring it (a bad config fails first), then checks it
 * plays the role asked (`not a transformer`). Any other plugin needs --enable-alpha-plugins: a
 * KRM function (config.kubernetes.io/function) is both a generator and a transformer; without a
 * function spec kustomize looks for an exec or Go plugin under its plugin root.
 */
function loadPlugin(config: PluginConfig, role: 'transformer' | 'generator', ctx: PluginContext): Loaded {
  const { group, version, kind } = gvk(config);
  if (version !== 'builtin' || group) {
    if (!ctx.plugins?.enableAlphaPlugins) throw new CliError(`external plugins disabled; unable to load external plugin '${kind}'`);
    const spec = functions().functionSpec(config as KObject);
    if (!spec) {
      const root = pluginRoot(ctx.plugins.programs.env);
      if (root.error) throw new CliError(root.error);
      throw new CliError(
        `kubesim runs KRM function plugins only; the exec or Go plugin ${pluginId(config)} under ${root.dir} is not run (give its config a config.kubernetes.io/function annotation)`,
      );
    }
    functions().checkFunctionMounts(spec, pluginId(config));
    return { type: 'function', config, spec };
  }
  if (kind === HELM && role === 'generator') {
    const chart = helm().configureHelmChart(
      config,
      ctx.loader,
      ctx.plugins?.helm,
      (reason) => `plugin ${pluginId(config)} fails configuration: ${reason}`,
    );
    return { type: 'helm', config, chart };
  }
  const known =
    kind in TRANSFORMERS ||
    kind in GENERATORS ||
    kind in CONFIG_CHECKS ||
    kind in UNRUN_TRANSFORMERS ||
    kind === IAM_POLICY_GENERATOR ||
    kind === HELM;
  if (!known) throw new CliError(`unable to load builtin ${kind}.builtin.[noGrp]`);
  const reason = kind === HELM ? undefined : (CONFIG_CHECKS[kind]?.(config) ?? UNRUN_TRANSFORMERS[kind]);
  if (reason) throw new CliError(`plugin ${pluginId(config)} fails configuration: ${reason}`);
  const isTransformer = kind in TRANSFORMERS || kind in UNRUN_TRANSFORMERS;
  if (isTransformer !== (role === 'transformer')) throw new CliError(`plugin ${pluginId(config)} not a ${role}`);
  return { type: 'builtin', config };
}

/** kustomize loads (configures) all of a kustomization's transformer configs before it runs the first. */
export function loadTransformers(configs: KObject[], ctx: PluginContext): Loaded[] {
  return configs.map((config) => loadPlugin(config, 'transformer', ctx));
}

export function runTransformer(resources: Resource[], plugin: Loaded, ctx: PluginContext): void {
  if (plugin.type === 'function')
    functions().runFunctionTransformer(resources, plugin.config as KObject, plugin.spec, ctx.loader.root, ctx.plugins!);
  else TRANSFORMERS[String(plugin.config.kind)](resources, plugin.config, ctx.loader);
}

/** kustomize loads every generator config (`loading generator plugins: failed to load generator: …`) before it runs the first. */
export function loadGenerators(configs: KObject[], ctx: PluginContext): Loaded[] {
  return configs.map((config) => {
    try {
      return loadPlugin(config, 'generator', ctx);
    } catch (e) {
      throw new CliError(`loading generator plugins: failed to load generator: ${errorMessage(e)}`);
    }
  });
}

export function runGenerator(resources: Resource[], plugin: Loaded, ctx: PluginContext): void {
  if (plugin.type === 'helm') {
    for (const obj of helm().inflateHelmChart(plugin.chart, ctx.plugins!.programs)) addGenerated(resources, obj, false, '');
    return;
  }
  if (plugin.type === 'function') {
    for (const g of functions().runFunctionGenerator(plugin.config as KObject, plugin.spec, ctx.loader.root, ctx.plugins!))
      addGenerated(resources, g.obj, g.needsHash, g.behavior);
    return;
  }
  if (plugin.config.kind === IAM_POLICY_GENERATOR) throw new CliError('cloud provider  not supported yet');
  runGenerators(resources, GENERATORS[String(plugin.config.kind)], [generatorArgs(plugin.config)], undefined, ctx.loader, undefined);
}

/**
 * A generated object joins the resources as kustomize's accumulator absorbs it: a new id is
 * added; behavior merge merges its data, labels and annotations into the object of that id,
 * replace takes its place under the old name; anything else with a taken id is refused.
 */
function addGenerated(resources: Resource[], obj: KObject, needsHash: boolean, behavior: string): void {
  const id = resourceId(obj);
  const existing = resources.find((r) => resourceId(r.obj) === id);
  if (!existing || (behavior !== 'merge' && behavior !== 'replace')) {
    if (existing) throw new CliError(`accumulating resources: may not add resource with an already registered id: ${id}`);
    resources.push({ obj, names: [obj.metadata.name], needsHash, generated: true });
    return;
  }
  const target: Record<string, unknown> = existing.obj;
  const source: Record<string, unknown> = obj;
  if (behavior === 'replace') {
    existing.obj = { ...obj, metadata: { ...obj.metadata, name: existing.obj.metadata.name } };
  } else {
    for (const field of ['data', 'binaryData'])
      if (source[field]) target[field] = { ...((target[field] ?? {}) as object), ...(source[field] as object) };
    if (obj.metadata.labels) existing.obj.metadata.labels = { ...(existing.obj.metadata.labels ?? {}), ...obj.metadata.labels };
    if (obj.metadata.annotations)
      existing.obj.metadata.annotations = { ...(existing.obj.metadata.annotations ?? {}), ...obj.metadata.annotations };
  }
  existing.needsHash ||= needsHash;
}

/** Validators may not change anything (kustomize compares the resources before and after). */
export function runValidatorConfigs(resources: Resource[], configs: KObject[], ctx: PluginContext): void {
  for (const plugin of loadTransformers(configs, ctx)) {
    const before = JSON.stringify(resources.map((r) => r.obj));
    runTransformer(resources, plugin, ctx);
    if (JSON.stringify(resources.map((r) => r.obj)) !== before) throw new CliError(`validator shouldn't modify the resource map`);
  }
}

/** `replacements:` entries with a `path` stand for the replacement (or list of them) in that file. */
export function resolveReplacements(replacements: Replacement[], loader: FileLoader): Replacement[] {
  return replacements.flatMap((r) => {
    if (r.path === undefined) return [r];
    const text = loader.read(r.path, (reason) => configError('ReplacementTransformer', { replacements }, reason));
    const { docs, error } = yamlStreamToJson(text, 'kustomize');
    if (error) throw new CliError(`unable to parse replacements in ${r.path}: ${error}`);
    return docs.flatMap((doc) => (Array.isArray(doc) ? (doc as Replacement[]) : doc ? [doc as Replacement] : []));
  });
}
