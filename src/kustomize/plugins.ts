import type { KObject } from '../model/objects';
import { CliError } from '../util/errors';
import { yamlStreamToJson } from '../util/yaml-to-json';
import { contentHash, runGenerators } from './generators';
import type { GeneratorArgs, Patch } from './kustomization';
import type { FileLoader } from './loader';
import { applyJson6902Patches, applyPatches, applyStrategicMergeFiles, configError } from './patches';
import { applyReplacements, type Replacement } from './replacements';
import { gvk, rename, type FieldSpec, type Resource } from './resource';
import { affixNames, setImages, setMapEntries, setNamespace, setReplicas, SUBJECT_MODES, type ImageChange } from './transformers';

/**
 * kustomize's builtin plugins as `transformers:`, `generators:` and `validators:` entries name
 * them (apiVersion: builtin): the same transformers a kustomization's fields configure, with
 * the field specs the config gives (none given: the transformer writes nowhere, as in kustomize).
 */

/** The plugin's own name for errors: Kind.builtin.[noGrp]/name.namespace (kustomize's ResId). */
function pluginId(config: KObject): string {
  const { group, version, kind } = gvk(config);
  return `${kind}.${version || '[noVer]'}.${group || '[noGrp]'}/${config.metadata?.name ?? ''}.${config.metadata?.namespace || '[noNs]'}`;
}

const fieldSpecs = (config: KObject): FieldSpec[] => (Array.isArray(config.fieldSpecs) ? (config.fieldSpecs as FieldSpec[]) : []);

function requireFieldSpecs(config: KObject): FieldSpec[] {
  if (!Array.isArray(config.fieldSpecs))
    throw new CliError(`plugin ${pluginId(config)} fails configuration: fieldSpecs is not expected to be nil`);
  return config.fieldSpecs as FieldSpec[];
}

/** Sorting is a build option, not a transformation: SortOrderTransformer configs carry it to the end of the build. */
export interface SortOptions {
  order?: string;
  legacySortOptions?: { orderFirst?: string[]; orderLast?: string[] };
}

type Transformer = (resources: Resource[], config: KObject, loader: FileLoader, sort: (options: SortOptions) => void) => void;

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
    affixNames(resources, String(config.prefix ?? ''), String(config.suffix ?? ''), requireFieldSpecs(config));
  },
  PrefixTransformer: (resources, config) => affixNames(resources, String(config.prefix ?? ''), '', requireFieldSpecs(config)),
  SuffixTransformer: (resources, config) => affixNames(resources, '', String(config.suffix ?? ''), requireFieldSpecs(config)),
  LabelTransformer: (resources, config) => setMapEntries(resources, fieldSpecs(config), config.labels ?? {}),
  AnnotationsTransformer: (resources, config) => setMapEntries(resources, fieldSpecs(config), config.annotations ?? {}),
  ImageTagTransformer: (resources, config) => setImages(resources, (config.imageTag ?? {}) as ImageChange, fieldSpecs(config)),
  ReplicaCountTransformer: (resources, config) => {
    const replica = (config.replica ?? {}) as { name?: string; count?: number };
    setReplicas(resources, replica.name ?? '', replica.count ?? 0, fieldSpecs(config));
  },
  PatchTransformer: (resources, config, loader) => applyPatches(resources, [config as Patch], loader),
  PatchJson6902Transformer: (resources, config, loader) =>
    applyJson6902Patches(resources, [{ path: config.path, patch: config.jsonOp, target: config.target }], loader),
  PatchStrategicMergeTransformer: (resources, config, loader) => {
    if (config.patches !== undefined)
      throw new CliError(
        configError('PatchStrategicMergeTransformer', { patches: config.patches }, 'inline patches are not built by kubesim'),
      );
    applyStrategicMergeFiles(resources, (config.paths ?? []) as string[], loader);
  },
  ReplacementTransformer: (resources, config, loader) =>
    applyReplacements(resources, resolveReplacements((config.replacements ?? []) as Replacement[], loader)),
  // the hash of each generated ConfigMap and Secret, now; the build still appends its own at the end
  HashTransformer: (resources) => {
    for (const res of resources) if (res.needsHash) rename(res, `${res.obj.metadata.name}-${contentHash(res.obj)}`);
  },
  SortOrderTransformer: (_resources, config, _loader, sort) => sort((config.sortOptions ?? {}) as SortOptions),
};

/** A builtin generator config: the ConfigMap or Secret generator's arguments, named by its metadata unless it says `name`. */
function generatorArgs(config: KObject): GeneratorArgs {
  const { apiVersion: _a, kind: _k, metadata, ...args } = config;
  return { ...args, name: args.name ?? metadata?.name, namespace: args.namespace ?? metadata?.namespace } as GeneratorArgs;
}

const GENERATORS: Record<string, 'ConfigMap' | 'Secret'> = { ConfigMapGenerator: 'ConfigMap', SecretGenerator: 'Secret' };

function refuseUnknown(config: KObject): never {
  const { group, version, kind } = gvk(config);
  if (version === 'builtin' && !group) throw new CliError(`unable to load builtin ${kind}.builtin.[noGrp]`);
  throw new CliError(`external plugins disabled; unable to load external plugin '${kind}'`);
}

export function runTransformerConfigs(
  resources: Resource[],
  configs: KObject[],
  loader: FileLoader,
  sort: (options: SortOptions) => void,
): void {
  for (const config of configs) {
    const transformer = gvk(config).version === 'builtin' ? TRANSFORMERS[String(config.kind)] : undefined;
    if (!transformer) refuseUnknown(config);
    transformer(resources, config, loader, sort);
  }
}

export function runGeneratorConfigs(resources: Resource[], configs: KObject[], loader: FileLoader): void {
  for (const config of configs) {
    const kind = gvk(config).version === 'builtin' ? GENERATORS[String(config.kind)] : undefined;
    if (!kind) refuseUnknown(config);
    runGenerators(resources, kind, [generatorArgs(config)], undefined, loader, undefined);
  }
}

/** Validators may not change anything (kustomize compares the resources before and after). */
export function runValidatorConfigs(resources: Resource[], configs: KObject[], loader: FileLoader): void {
  for (const config of configs) {
    const before = JSON.stringify(resources.map((r) => r.obj));
    runTransformerConfigs(resources, [config], loader, () => undefined);
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
