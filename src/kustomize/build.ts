import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KObject } from '../model/objects';
import { parseManifestText } from '../api/manifest-parser';
import { CliError, errorMessage } from '../util/errors';
import { onDemand } from '../util/on-demand';
import { contentHash, runGenerators } from './generators';
import { DEPRECATED, helmChartConfigs, kustomizationFile, loadKustomization, type Kustomization } from './kustomization';
import { FileLoader, missingPathError, type LoadRestrictor } from './loader';
import { addBuildMetadata, tracked, type Origin } from './build-metadata';
import { fixNameReferences } from './name-references';
import { applyJson6902Patches, applyPatches, applyStrategicMergeFiles } from './patches';
import type { PluginOptions } from './plugin-options';
import {
  loadGenerators,
  loadTransformers,
  runGenerator,
  runTransformer,
  runValidatorConfigs,
  type PluginContext,
  resolveReplacements,
  type SortOptions,
} from './plugins';
import { applyReplacements } from './replacements';
import { mergeVars, resolveVars, type Var } from './vars';
import { defaultTransformerConfig, mergeConfigurations, type TransformerConfig } from './transformer-config';
import { gvk, rename, resourceId, type Resource } from './resource';
import {
  ONLY_METADATA_LABELS,
  TEMPLATE_AND_METADATA_LABELS,
  affixNames,
  setImages,
  setMapEntries,
  setNamespace,
  setReplicas,
} from './transformers';

export interface Build {
  objects: KObject[];
  /** kustomize's deprecation warnings, for stderr */
  warnings: string[];
}

export interface BuildOptions {
  /** `--load-restrictor` (kustomize's default: files only in or below each kustomization's directory) */
  loadRestrictor?: LoadRestrictor;
  /** what `kubectl kustomize`'s plugin and helm flags allow; -k on other verbs allows neither (kustomize's defaults) */
  plugins?: PluginOptions;
}

// loaded only for a kustomization with helmCharts or KRM functions
// eslint-disable-next-line @typescript-eslint/no-require-imports
const helm = onDemand('kustomize/helm', () => require('./helm') as typeof import('./helm'));

/** What the whole build shares while it walks the kustomizations. */
interface BuildContext {
  warnings: string[];
  /** the kustomization directories being built, outermost first (a cycle is refused) */
  stack: string[];
  /** the top kustomization's directory: origins are relative to it */
  topRoot: string;
  /** buildMetadata asks for transformerAnnotations: each transformer's changes are recorded */
  trackTransformations: boolean;
  /** every kustomization's vars, resolved once at the end */
  vars: Var[];
  /** where the builtin transformers write: kustomize's defaults and the `configurations` read so far */
  config: TransformerConfig;
  plugins?: PluginOptions;
}

/**
 * `kubectl kustomize DIR`: the kustomization's resources, each layer's generators, components and
 * transformers in kustomize's order, then (once, at the top) the generated objects' hash
 * suffixes, references updated to the new names, and the output order (sortOptions).
 */
export function buildKustomization(dir: string, cwd: string, options: BuildOptions = {}): Build {
  const full = path.resolve(cwd, dir);
  if (!fs.existsSync(full)) throw new CliError(`must build at directory: not a valid directory: ${missingPathError(full, dir)}`);
  if (!fs.statSync(full).isDirectory()) throw new CliError(`must build at directory: '${dir}': file is not directory`);
  const loader = new FileLoader(full, options.loadRestrictor ?? 'LoadRestrictionsRootOnly');
  const top = loadKustomization(loader.root);
  const ctx: BuildContext = {
    warnings: [],
    stack: [],
    topRoot: loader.root,
    trackTransformations: (top.buildMetadata ?? []).includes('transformerAnnotations'),
    vars: [],
    config: defaultTransformerConfig(),
    plugins: options.plugins,
  };
  const resources = accumulateTarget(loader, top, ctx, []);
  for (const res of resources) if (res.needsHash) rename(res, `${res.obj.metadata.name}-${contentHash(res.obj)}`);
  fixNameReferences(resources, ctx.config.nameReference);
  resolveVars(resources, ctx.vars, ctx.config.varReference);
  addBuildMetadata(resources, top.buildMetadata ?? []);
  return { objects: sortResources(resources, top.sortOptions ?? {}).map((r) => r.obj), warnings: ctx.warnings };
}

/** kustomize's accumulateTarget: resources, generators, components, transformers, validators. */
function accumulateTarget(loader: FileLoader, k: Kustomization, ctx: BuildContext, resources: Resource[]): Resource[] {
  if (ctx.stack.includes(loader.root)) throw new CliError(`cycle detected: ${[...ctx.stack, loader.root].join(' -> ')}`);
  ctx.stack.push(loader.root);
  for (const field of Object.keys(DEPRECATED))
    if ((k as Record<string, unknown>)[field] !== undefined) ctx.warnings.push(DEPRECATED[field]);
  accumulateResources(resources, [...(k.resources ?? []), ...(k.bases ?? [])], loader, ctx, 'accumulating resources: ');
  mergeConfigurations(ctx.config, k.configurations ?? [], loader);
  const configuredIn = path.relative(ctx.topRoot, kustomizationFile(loader.root)!);
  const builtin = (kind: string): Origin => ({ configuredIn, configuredBy: { apiVersion: 'builtin', kind } });
  // kustomize configures every builtin generator (a bad helmCharts entry fails here) before it runs the first
  const charts = helmChartConfigs(k).map((chart) => helm().configureHelmChart(chart, loader, ctx.plugins?.helm));
  // then the external ones (generators:), each a builtin's config or a KRM function
  const pctx: PluginContext = { loader, plugins: ctx.plugins };
  const generatorConfigs = pluginConfigs(k.generators ?? [], loader, ctx, configuredIn);
  const generators = loadGenerators(
    generatorConfigs.map((g) => g.config),
    pctx,
  );
  generating(resources, builtin('ConfigMapGenerator'), () =>
    runGenerators(resources, 'ConfigMap', k.configMapGenerator ?? [], k.generatorOptions, loader, k.namespace),
  );
  generating(resources, builtin('SecretGenerator'), () =>
    runGenerators(resources, 'Secret', k.secretGenerator ?? [], k.generatorOptions, loader, k.namespace),
  );
  for (const chart of charts)
    generating(resources, builtin('HelmChartInflationGenerator'), () => {
      for (const obj of helm().inflateHelmChart(chart, ctx.plugins!.programs))
        addResource(resources, { obj, names: [obj.metadata.name], needsHash: false, generated: true });
    });
  generators.forEach((plugin, i) => generating(resources, generatorConfigs[i].origin, () => runGenerator(resources, plugin, pctx)));
  for (const component of k.components ?? []) accumulateComponent(resources, component, loader, ctx);
  transform(resources, k, loader, ctx.config, (kind) => (ctx.trackTransformations ? builtin(kind) : undefined));
  const transformerConfigs = pluginConfigs(k.transformers ?? [], loader, ctx, configuredIn);
  const transformers = loadTransformers(
    transformerConfigs.map((t) => t.config),
    pctx,
  );
  transformers.forEach((plugin, i) =>
    tracked(resources, ctx.trackTransformations ? transformerConfigs[i].origin : undefined, () => runTransformer(resources, plugin, pctx)),
  );
  const validators = pluginConfigs(k.validators ?? [], loader, ctx, configuredIn).map((v) => v.config);
  runValidatorConfigs(resources, validators, pctx);
  mergeVars(ctx.vars, k.vars ?? []);
  ctx.stack.pop();
  return resources;
}

/** Adds a resource, refusing a second one with the same id. */
function addResource(resources: Resource[], res: Resource): void {
  const id = resourceId(res.obj);
  if (resources.some((r) => resourceId(r.obj) === id))
    throw new CliError(`accumulating resources: may not add resource with an already registered id: ${id}`);
  resources.push(res);
}

/** kustomize's accumulateResources: each entry a file of objects or a kustomization directory (a base). */
function accumulateResources(resources: Resource[], entries: string[], loader: FileLoader, ctx: BuildContext, prefix: string): void {
  for (const entry of entries) {
    const fileError = (why: string) => `${prefix}accumulation err='accumulating resources from '${entry}': ${why}'`;
    const remote = remoteFailure(entry, loader);
    if (remote) throw new CliError(`${fileError(remote.file)}: ${remote.base}`);
    const { full, error } = loader.check(entry);
    if (error !== undefined && error.startsWith('evalsymlink'))
      throw new CliError(`${fileError(error)}: must build at directory: not a valid directory: ${error}`);
    if (error !== undefined || !fs.statSync(full).isDirectory()) {
      if (error !== undefined) throw new CliError(`${fileError(error)}: must build at directory: '${full}': file is not directory`);
      for (const res of readResourceFile(loader, entry, prefix, ctx)) addResource(resources, res);
      continue;
    }
    const sub = loader.at(full);
    if (!kustomizationFile(sub.root))
      throw new CliError(
        `${fileError(`'${sub.root}' must resolve to a file`)}: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${sub.root}'`,
      );
    const k = loadKustomization(sub.root);
    if (k.kind === 'Component')
      throw new CliError(`${fileError(`'${sub.root}' must resolve to a file`)}: expected kind != 'Component' for path '${sub.root}'`);
    let built: Resource[];
    try {
      built = accumulateTarget(sub, k, ctx, []);
    } catch (e) {
      if (!(e instanceof CliError) || e.message.startsWith('cycle detected')) throw e;
      throw new CliError(`${fileError(`'${sub.root}' must resolve to a file`)}: recursed accumulation of path '${sub.root}': ${e.message}`);
    }
    for (const res of built) addResource(resources, res);
  }
}

/**
 * A remote resource fails as kustomize's does on a machine without network, which kubesim is:
 * the HTTP get of a URL, or the git fetch of a repository (github.com/owner/repo, git@…, a
 * URL with .git, `//` or ?ref=), each followed by the failed local look-up kustomize tries too.
 */
function remoteFailure(entry: string, loader: FileLoader): { file: string; base: string } | undefined {
  const url = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]+)([^?#]*)/i.exec(entry);
  const ssh = /^git@([^:/]+):([^?]*)/.exec(entry);
  const shorthand = /^((?:github|gitlab)\.com|bitbucket\.org)(\/[^?]*)/.exec(entry);
  const gitUrl = url && /\.git\b|\/\/|[?&]ref=/.test(entry.slice(url[1].length + 3));
  if (!url && !ssh && !shorthand) return undefined;
  const local = missingPathError(path.resolve(loader.root, entry));
  const file = url ? `Get "${entry}": dial tcp: lookup ${url[2]}: no such host` : local;
  if (url && !gitUrl) return { file, base: `must build at directory: not a valid directory: ${local}` };
  const ref = /[?&]ref=([^&]*)/.exec(entry)?.[1] ?? 'HEAD';
  // the repository is the host and the first two path segments; a `//` starts the path inside it
  const repoPath = (p: string) => (p.split('//')[0].match(/^\/?[^/]+\/[^/]+/)?.[0] ?? p).replace(/^\/?/, '/');
  if (ssh) {
    const repo = `git@${ssh[1]}:${repoPath(ssh[2]).slice(1)}`;
    return {
      file,
      base:
        `failed to run 'git fetch --depth=1 ${repo} ${ref}': ssh: Could not resolve hostname ${ssh[1]}: Name or service not known\r\n` +
        'fatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n: exit status 128',
    };
  }
  const host = url ? url[2] : shorthand![1];
  const repo = `https://${host}${repoPath(url ? url[3] : shorthand![2])}`;
  return {
    file,
    base: `failed to run 'git fetch --depth=1 ${repo} ${ref}': fatal: unable to access '${repo}/': Could not resolve host: ${host}\n: exit status 128`,
  };
}

function readResourceFile(loader: FileLoader, entry: string, prefix: string, ctx: BuildContext): Resource[] {
  const file = parseManifestText(loader.read(entry), entry, 'kustomize');
  if (file.decodeError !== undefined) throw new CliError(malformedResource(entry, file.decodeError));
  if (file.documentErrors.length) throw new CliError(`${prefix}${file.documentErrors[0]}`);
  return file.manifests.map((m) => ({
    obj: m.object,
    names: [m.object.metadata.name],
    originalNamespace: m.object.metadata.namespace || 'default',
    origin: { path: path.relative(ctx.topRoot, path.resolve(loader.root, entry)) },
    needsHash: false,
    generated: false,
  }));
}

/** A component (kind: Component) works on the resources accumulated so far: its own resources join them, its generators and transformers apply to all. */
function accumulateComponent(resources: Resource[], entry: string, loader: FileLoader, ctx: BuildContext): void {
  const { full, error } = loader.check(entry);
  const wrap = (why: string) => `accumulating components: ${why}`;
  if (error !== undefined && error.startsWith('evalsymlink'))
    throw new CliError(wrap(`loader.New ${goQuote(`must build at directory: not a valid directory: ${error}`)}`));
  if (!fs.statSync(full).isDirectory())
    throw new CliError(wrap(`loader.New ${goQuote(`must build at directory: '${full}': file is not directory`)}`));
  const sub = loader.at(full);
  let k: Kustomization;
  try {
    k = loadKustomization(sub.root);
  } catch (e) {
    throw new CliError(wrap(`accumulateDirectory: ${goQuote(`couldn't make target for path '${sub.root}': ${errorMessage(e)}`)}`));
  }
  if (k.kind !== 'Component')
    throw new CliError(
      wrap(`accumulateDirectory: ${goQuote(`expected kind 'Component' for path '${sub.root}' but got '${k.kind ?? 'Kustomization'}'`)}`),
    );
  accumulateTarget(sub, k, ctx, resources);
}

/** Go's %q of an error text. */
const goQuote = (text: string) => JSON.stringify(text);

/** Marks the objects `run` generates as coming from `origin`. */
function generating(resources: Resource[], origin: Origin, run: () => void): void {
  const before = resources.length;
  run();
  for (const res of resources.slice(before)) res.origin = origin;
}

/**
 * `transformers:`/`generators:`/`validators:` entries: inline plugin configs, or files or
 * kustomization directories of them; each with the origin of what it changes (its file, or
 * the kustomization file for an inline one, and its id).
 */
function pluginConfigs(entries: string[], loader: FileLoader, ctx: BuildContext, inlineIn: string): { config: KObject; origin: Origin }[] {
  const configs: Resource[] = [];
  for (const entry of entries) {
    const inline = parseManifestText(entry, 'inline', 'kustomize');
    if (entry.includes('\n') && inline.decodeError === undefined && !inline.documentErrors.length && inline.manifests.length) {
      for (const m of inline.manifests)
        configs.push({ obj: m.object, names: [m.object.metadata.name], needsHash: false, generated: false });
      continue;
    }
    accumulateResources(configs, [entry], loader, ctx, '');
  }
  return configs.map(({ obj, origin }) => {
    const configuredBy: NonNullable<Origin['configuredBy']> = { apiVersion: String(obj.apiVersion), kind: String(obj.kind) };
    if (obj.metadata?.name) configuredBy.name = obj.metadata.name;
    if (obj.metadata?.namespace) configuredBy.namespace = obj.metadata.namespace;
    return { config: obj, origin: { configuredIn: origin?.path ?? inlineIn, configuredBy } };
  });
}

/** kustomize's words for a resource file kyaml cannot read (kubectl kustomize v1.32) */
function malformedResource(entry: string, error: string): string {
  const syntax = /^error converting YAML to JSON: (yaml: .*)$/.exec(error);
  if (syntax) return `accumulating resources: accumulating resources from '${entry}': MalformedYAMLError: ${syntax[1]} in File: ${entry}`;
  // an object encoding/json refuses (a non-string key, .inf) fails with its own text alone
  return error;
}

/** The builtin transformers a kustomization's fields configure, in kustomize's order (configureBuiltinTransformers). */
function transform(
  resources: Resource[],
  k: Kustomization,
  loader: FileLoader,
  config: TransformerConfig,
  by: (kind: string) => Origin | undefined,
): void {
  const step = (kind: string, run: () => void) => tracked(resources, by(kind), run);
  if (k.patchesStrategicMerge?.length)
    step('PatchStrategicMergeTransformer', () => applyStrategicMergeFiles(resources, k.patchesStrategicMerge!, loader));
  for (const patch of k.patches ?? []) step('PatchTransformer', () => applyPatches(resources, [patch], loader));
  if (k.namespace) step('NamespaceTransformer', () => setNamespace(resources, k.namespace!, config.namespace));
  if (k.namePrefix) step('PrefixTransformer', () => affixNames(resources, k.namePrefix!, '', config.namePrefix));
  if (k.nameSuffix) step('SuffixTransformer', () => affixNames(resources, '', k.nameSuffix!, config.nameSuffix));
  for (const l of k.labels ?? []) {
    const defaults = l.includeSelectors ? config.commonLabels : l.includeTemplates ? TEMPLATE_AND_METADATA_LABELS : ONLY_METADATA_LABELS;
    if (l.pairs) step('LabelTransformer', () => setMapEntries(resources, [...(l.fields ?? []), ...defaults], l.pairs!));
  }
  // kustomize configures the commonLabels LabelTransformer whenever there are labels of either kind
  if (k.commonLabels || k.labels?.length)
    step('LabelTransformer', () => setMapEntries(resources, config.commonLabels, k.commonLabels ?? {}));
  if (k.commonAnnotations) step('AnnotationsTransformer', () => setMapEntries(resources, config.commonAnnotations, k.commonAnnotations!));
  for (const patch of k.patchesJson6902 ?? []) step('PatchJson6902Transformer', () => applyJson6902Patches(resources, [patch], loader));
  for (const r of k.replicas ?? [])
    if (r.name !== undefined && r.count !== undefined)
      step('ReplicaCountTransformer', () => setReplicas(resources, r.name!, r.count!, config.replicas));
  for (const image of k.images ?? []) step('ImageTagTransformer', () => setImages(resources, image, config.images));
  if (k.replacements?.length)
    step('ReplacementTransformer', () => applyReplacements(resources, resolveReplacements(k.replacements!, loader)));
}

/** sortOptions: fifo keeps the accumulation order; legacy (the default) sorts by kind, with orderFirst/orderLast replacing kustomize's lists. */
function sortResources(resources: Resource[], options: SortOptions): Resource[] {
  if (options.order !== undefined && options.order !== 'fifo' && options.order !== 'legacy')
    throw new CliError("the field 'sortOptions.order' must be one of [fifo, legacy]");
  if (options.order === 'fifo') {
    if (options.legacySortOptions !== undefined)
      throw new CliError("the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'");
    return resources;
  }
  const first = options.legacySortOptions?.orderFirst ?? FIRST;
  const last = options.legacySortOptions?.orderLast ?? LAST;
  return legacyOrder(resources, first, last);
}

/** kustomize's orders for kinds that go first and last (legacy sort); others between, by group, version, kind. */
const FIRST = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];
const LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

function rank(kind: string, FIRST: string[], LAST: string[]): number {
  const first = FIRST.indexOf(kind);
  if (first >= 0) return first - FIRST.length;
  const last = LAST.indexOf(kind);
  return last >= 0 ? last + 1 : 0;
}

function legacyOrder(resources: Resource[], first: string[], last: string[]): Resource[] {
  const gvkKey = (o: KObject) => {
    const id = gvk(o);
    return `${id.group || '~G'}_${id.version || '~V'}_${id.kind || '~K'}`;
  };
  const idKey = (o: KObject) => {
    const id = gvk(o);
    return `${id.kind || '[noKind]'}.${id.version || '[noVer]'}.${id.group || '[noGrp]'}|${o.metadata.namespace || '~X'}|${o.metadata.name || '~N'}`;
  };
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...resources].sort((x, y) => {
    const a = x.obj;
    const b = y.obj;
    if (gvkKey(a) !== gvkKey(b)) {
      const ra = rank(String(a.kind), first, last);
      const rb = rank(String(b.kind), first, last);
      if (ra !== rb) return ra - rb;
      return cmp(gvkKey(a), gvkKey(b));
    }
    return cmp(idKey(a), idKey(b));
  });
}
