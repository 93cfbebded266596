import { yamlStreamToJson } from '../util/yaml-to-json';
import { CliError } from '../util/errors';
import type { FileLoader } from './loader';
import type { FieldSpec } from './resource';
import { COMMON_ANNOTATIONS, COMMON_LABELS, IMAGES, NAME, NAMESPACE, REPLICAS } from './transformers';
import { VAR_REFERENCES } from './vars';

/** Fields of a kind that hold the name of an object of another kind (a `nameReference` entry). */
export interface NameReference {
  kind: string;
  group?: string;
  version?: string;
  fieldSpecs: FieldSpec[];
}

/**
 * Where the builtin transformers write (kustomize's TransformerConfig): its defaults, plus what
 * the `configurations:` files of the kustomizations built so far add (ResAccumulator.MergeConfig).
 */
export interface TransformerConfig {
  namePrefix: FieldSpec[];
  nameSuffix: FieldSpec[];
  namespace: FieldSpec[];
  commonLabels: FieldSpec[];
  commonAnnotations: FieldSpec[];
  images: FieldSpec[];
  replicas: FieldSpec[];
  varReference: FieldSpec[];
  /** besides the builtin references (name-references.ts) */
  nameReference: NameReference[];
}

export function defaultTransformerConfig(): TransformerConfig {
  return {
    namePrefix: [...NAME],
    nameSuffix: [...NAME],
    namespace: [...NAMESPACE],
    commonLabels: [...COMMON_LABELS],
    commonAnnotations: [...COMMON_ANNOTATIONS],
    images: [...IMAGES],
    replicas: [...REPLICAS],
    varReference: [...VAR_REFERENCES],
    nameReference: [],
  };
}

const FIELD_SPEC_LISTS = [
  'namePrefix',
  'nameSuffix',
  'namespace',
  'commonLabels',
  'commonAnnotations',
  'images',
  'replicas',
  'varReference',
] as const;
const KNOWN = new Set<string>([...FIELD_SPEC_LISTS, 'nameReference', 'templateLabels']);

const sameSpec = (a: FieldSpec, b: FieldSpec) => a.path === b.path && a.kind === b.kind && a.group === b.group && a.version === b.version;

/** `configurations:` files: each a TransformerConfig whose field specs join the build's (duplicates dropped). */
export function mergeConfigurations(config: TransformerConfig, files: string[], loader: FileLoader): void {
  for (const file of files) {
    const { docs, error } = yamlStreamToJson(loader.read(file), 'kustomize');
    if (error) throw new CliError(`${file}: ${error}`);
    for (const doc of docs) {
      if (!doc || typeof doc !== 'object' || Array.isArray(doc)) continue;
      const extra = doc as Record<string, unknown>;
      for (const key of Object.keys(extra))
        if (!KNOWN.has(key)) throw new CliError(`error unmarshaling JSON: while decoding JSON: json: unknown field "${key}"`);
      for (const list of FIELD_SPEC_LISTS)
        for (const spec of (extra[list] ?? []) as FieldSpec[]) if (!config[list].some((s) => sameSpec(s, spec))) config[list].push(spec);
      for (const ref of (extra.nameReference ?? []) as NameReference[])
        config.nameReference.push({ ...ref, fieldSpecs: ref.fieldSpecs ?? [] });
    }
  }
}
