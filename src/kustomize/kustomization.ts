import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { CliError } from '../util/errors';
import type { SortOptions } from './plugins';
import type { Replacement } from './replacements';
import type { FieldSpec } from './resource';
import type { Var } from './vars';

/** The file names kustomize looks for in a directory, in its order. */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export interface GeneratorArgs {
  name?: string;
  namespace?: string;
  behavior?: 'create' | 'merge' | 'replace';
  literals?: string[];
  files?: string[];
  envs?: string[];
  env?: string;
  type?: string;
  options?: GeneratorOptions;
}

export interface GeneratorOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  disableNameSuffixHash?: boolean;
  immutable?: boolean;
}

export interface PatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export interface Patch {
  path?: string;
  patch?: string;
  target?: PatchTarget;
  options?: { allowNameChange?: boolean; allowKindChange?: boolean };
}

export interface Kustomization {
  kind?: string;
  resources?: string[];
  components?: string[];
  bases?: string[];
  namespace?: string;
  namePrefix?: string;
  nameSuffix?: string;
  commonLabels?: Record<string, string>;
  labels?: { pairs?: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean; fields?: FieldSpec[] }[];
  commonAnnotations?: Record<string, string>;
  images?: { name?: string; newName?: string; newTag?: string; digest?: string; tagSuffix?: string }[];
  replicas?: { name?: string; count?: number }[];
  configMapGenerator?: GeneratorArgs[];
  secretGenerator?: GeneratorArgs[];
  generatorOptions?: GeneratorOptions;
  patches?: Patch[];
  patchesStrategicMerge?: string[];
  patchesJson6902?: Patch[];
  replacements?: Replacement[];
  generators?: string[];
  transformers?: string[];
  validators?: string[];
  sortOptions?: SortOptions;
  buildMetadata?: string[];
  helmCharts?: Record<string, unknown>[];
  helmGlobals?: Record<string, unknown>;
  helmChartInflationGenerator?: Record<string, unknown>[];
  vars?: Var[];
  configurations?: string[];
}

/** The deprecated helmChartInflationGenerator's fields under their helmCharts names (kustomize's FixKustomization). */
const LEGACY_HELM_FIELDS: Record<string, string> = {
  chartName: 'name',
  chartVersion: 'version',
  chartRepoUrl: 'repo',
  chartHome: 'chartHome',
  releaseName: 'releaseName',
  releaseNamespace: 'namespace',
  values: 'valuesFile',
};

/** The HelmChartInflationGenerator configs of a kustomization: each chart with the global settings under it. */
export function helmChartConfigs(k: Kustomization): Record<string, unknown>[] {
  const legacy = (k.helmChartInflationGenerator ?? []).map((chart) =>
    Object.fromEntries(Object.entries(chart).map(([key, value]) => [LEGACY_HELM_FIELDS[key] ?? key, value])),
  );
  return [...(k.helmCharts ?? []), ...legacy].map((chart) => ({ ...(k.helmGlobals ?? {}), ...chart }));
}

/** Fields kustomize has that kubesim does not build: refused by name rather than ignored. */
const UNSUPPORTED = ['crds', 'openapi'];
const KNOWN = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'resources',
  'bases',
  'namespace',
  'namePrefix',
  'nameSuffix',
  'commonLabels',
  'labels',
  'commonAnnotations',
  'images',
  'replicas',
  'configMapGenerator',
  'secretGenerator',
  'generatorOptions',
  'patches',
  'patchesStrategicMerge',
  'patchesJson6902',
  'components',
  'replacements',
  'generators',
  'transformers',
  'validators',
  'sortOptions',
  'buildMetadata',
  'helmCharts',
  'helmGlobals',
  'helmChartInflationGenerator',
  'vars',
  'configurations',
]);

/** Fields whose use kustomize warns about (the text kubectl prints on stderr). */
export const DEPRECATED: Record<string, string> = {
  bases:
    "# Warning: 'bases' is deprecated. Please use 'resources' instead. Run 'kustomize edit fix' to update your Kustomization automatically.",
  commonLabels:
    "# Warning: 'commonLabels' is deprecated. Please use 'labels' instead. Run 'kustomize edit fix' to update your Kustomization automatically.",
  patchesStrategicMerge:
    "# Warning: 'patchesStrategicMerge' is deprecated. Please use 'patches' instead. Run 'kustomize edit fix' to update your Kustomization automatically.",
  patchesJson6902:
    "# Warning: 'patchesJson6902' is deprecated. Please use 'patches' instead. Run 'kustomize edit fix' to update your Kustomization automatically.",
  vars: "# Warning: 'vars' is deprecated. Please use 'replacements' instead. [EXPERIMENTAL] Run 'kustomize edit fix' to update your Kustomization automatically.",
};

/** The kustomization file of a directory, or undefined when it has none. */
export function kustomizationFile(dir: string): string | undefined {
  for (const name of KUSTOMIZATION_FILES) {
    const file = path.join(dir, name);
    if (fs.existsSync(file) && fs.statSync(file).isFile()) return file;
  }
  return undefined;
}

export function loadKustomization(dir: string): Kustomization {
  const file = kustomizationFile(dir);
  if (!file)
    throw new CliError(
      `unable to find one of ${KUSTOMIZATION_FILES.map((n) => `'${n}'`)
        .join(', ')
        .replace(/, ([^,]*)$/, ' or $1')} in directory '${dir}'`,
    );
  let doc: unknown;
  try {
    const parsed = YAML.parseDocument(fs.readFileSync(file, 'utf8'), { uniqueKeys: false });
    if (parsed.errors.length) throw new Error(parsed.errors[0].message.split('\n')[0]);
    doc = parsed.toJS() ?? {};
  } catch (e) {
    throw new CliError(`invalid Kustomization: ${(e as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new CliError(`invalid Kustomization: ${file} is not a map`);
  const k = doc as Record<string, unknown>;
  if (k.kind !== undefined && k.kind !== 'Kustomization' && k.kind !== 'Component')
    throw new CliError(`kind should be Kustomization, got ${String(k.kind)} in ${file}`);
  for (const field of Object.keys(k)) {
    if (UNSUPPORTED.includes(field))
      throw new CliError(
        `kustomization field "${field}" in ${file} is not built by kubesim (run "kubectl kustomize ${dir}" and pass its output with -f -)`,
      );
    if (!KNOWN.has(field)) throw new CliError(`invalid Kustomization: json: unknown field "${field}"`);
  }
  return k as Kustomization;
}
