import type { KObject } from '../model/objects';
import { CliError, errorMessage } from '../util/errors';
import { yamlStreamToJson } from '../util/yaml-to-json';
import { contentHash, runGenerators } from './generators';
import type { GeneratorArgs, Patch } from './kustomization';
import type { FileLoader } from './loader';
import { applyJson6902Patches, applyPatches, applyStrategicMergeFiles, applyStrategicMergeText, configError } from './patches';
import { applyReplacements, type Replacement } from './replacements';
import { gvk, rename, type FieldSpec, type Resource } from './resource';
import { affixNames, setImages, setMapEntries, setNamespace, setReplicas, SUBJECT_MODES, type ImageChange } from './transformers';

/**
 * kustomize's builtin plugins as `transformers:`, `generators:` and `validators:` entries name
 * them (apiVersion: builtin): the same transformers a kustomization's fields configure, with
 * the field specs the config gives (none given: the transformer writes nowhere, as in kustomize).
 */

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
  // kubesim takes no --enable-helm: it runs no programs
  HelmChartInflationGenerator: () => 'must specify --enable-helm',
};

/** A builtin transformer kubesim does not run, refused as kustomize refuses a config of it without targets. */
const UNRUN_TRANSFORMERS: Record<string, string> = { ValueAddTransformer: 'must specify at least one target' };
/** kustomize's IAMPolicyGenerator knows no cloud provider kubesim could stand for: it fails when it generates. */
const IAM_POLICY_GENERATOR = 'IAMPolicyGenerator';

/**
 * kustomize loads a builtin plugin by configuring it (a bad config fails first), then checks it
 * plays the role asked (`not a transformer`); an unknown builtin or an external plugin fails
 * to load (external plugins need --enable-alpha-plugins, which kubesim does not take).
 */
function checkPlugin(config: PluginConfig, role: 'transformer' | 'generator'): void {
  const { group, version, kind } = gvk(config);
  if (version !== 'builtin' || group) throw new CliError(`external plugins disabled; unable to load external plugin '${kind}'`);
  const known =
    kind in TRANSFORMERS || kind in GENERATORS || kind in CONFIG_CHECKS || kind in UNRUN_TRANSFORMERS || kind === IAM_POLICY_GENERATOR;
  if (!known) throw new CliError(`unable to load builtin ${kind}.builtin.[noGrp]`);
  const reason = CONFIG_CHECKS[kind]?.(config) ?? UNRUN_TRANSFORMERS[kind];
  if (reason) throw new CliError(`plugin ${pluginId(config)} fails configuration: ${reason}`);
  const isTransformer = kind in TRANSFORMERS || kind in UNRUN_TRANSFORMERS;
  if (isTransformer !== (role === 'transformer')) throw new CliError(`plugin ${pluginId(config)} not a ${role}`);
}

/** kustomize loads (configures) all of a kustomization's transformer configs before it runs the first. */
export function checkTransformerConfigs(configs: KObject[]): void {
  for (const config of configs) checkPlugin(config, 'transformer');
}

export function runTransformerConfigs(resources: Resource[], configs: KObject[], loader: FileLoader): void {
  checkTransformerConfigs(configs);
  for (const config of configs) TRANSFORMERS[String(config.kind)](resources, config, loader);
}

export function runGeneratorConfigs(resources: Resource[], configs: KObject[], loader: FileLoader): void {
  for (const config of configs) {
    try {
      checkPlugin(config, 'generator');
    } catch (e) {
      throw new CliError(`loading generator plugins: failed to load generator: ${errorMessage(e)}`);
    }
  }
  for (const config of configs) {
    if (config.kind === IAM_POLICY_GENERATOR) throw new CliError('cloud provider  not supported yet');
    runGenerators(resources, GENERATORS[String(config.kind)], [generatorArgs(config)], undefined, loader, undefined);
  }
}

/** Validators may not change anything (kustomize compares the resources before and after). */
export function runValidatorConfigs(resources: Resource[], configs: KObject[], loader: FileLoader): void {
  for (const config of configs) {
    const before = JSON.stringify(resources.map((r) => r.obj));
    runTransformerConfigs(resources, [config], loader);
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
