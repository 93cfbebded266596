import type { FieldError } from '../../util/errors';
import { orEmpty, type KObject } from '../../model/objects';
import { isKind, type CustomResourceDefinition } from '../../model/kinds';
import { setCustomKinds, type Column, type KindInfo } from '../registry';
import { ageColumn, nameColumn, validateMeta } from '../kinds/common';
import { isObject, type JSONSchemaProps } from './schema';
import { validateAgainstSchema } from './schema-validate';
import { defaultAndPrune } from './prune-default';
import { onDemand } from '../../util/on-demand';
import { ConversionError, conversionReadError, conversionWriteError, convertCustomResource } from './conversion';

// the CEL engine (@bufbuild/cel, ~1/3 of a write command's module loading): only when a custom
// resource is validated; every write loads this module through api/field-validation
// eslint-disable-next-line @typescript-eslint/no-require-imports
const celRules = onDemand('api/crd/cel-rules', () => require('./cel-rules') as typeof import('./cel-rules'));

/** A CRD version as served: its name, schema, subresources and printer columns. */
interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  schema?: { openAPIV3Schema?: JSONSchemaProps };
  subresources?: { status?: object; scale?: ScaleSubresource };
  additionalPrinterColumns?: { name: string; type: string; format?: string; priority?: number; jsonPath: string }[];
}

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/** What a custom kind's KindInfo keeps of its CRD. */
interface CustomKind {
  crd: CustomResourceDefinition;
  versions: CrdVersion[];
  storage: CrdVersion;
}

const byInfo = new WeakMap<KindInfo, CustomKind>();

/**
 * Serves the resources of every established CRD (the API server's dynamic registry): called
 * when a command starts with the CRDs in its state file, and again whenever a CRD is written.
 */
export function syncCustomKinds(crds: KObject[]): void {
  const infos: KindInfo[] = [];
  for (const crd of [...crds].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))) {
    const info = isKind(crd, 'CustomResourceDefinition') ? customKindInfo(crd) : undefined;
    if (info) infos.push(info);
  }
  setCustomKinds(infos);
}

function isEstablished(crd: CustomResourceDefinition): boolean {
  return (crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
}

/**
 * Kubernetes' version priority (version.CompareKubeAwareVersionStrings): GA before beta before
 * alpha, a higher number first; versions that do not look like v1beta2 come last, by name.
 */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return undefined;
    return { major: Number(m[1]), stage: m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2, minor: Number(m[3] ?? 0) };
  };
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return pa ? -1 : pb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  return pb.stage - pa.stage || pb.major - pa.major || pb.minor - pa.minor;
}

function customKindInfo(crd: CustomResourceDefinition): KindInfo | undefined {
  if (!isEstablished(crd)) return undefined;
  const spec = orEmpty(crd.spec);
  const names = orEmpty(spec.names);
  // read with the schema code's own JSONSchemaProps (./schema), which walks the schema as JSON
  const versions = (Array.isArray(spec.versions) ? spec.versions : []) as unknown as CrdVersion[];
  const served = versions.filter((v) => v.served).sort((a, b) => compareKubeVersions(a.name, b.name));
  const storage = versions.find((v) => v.storage);
  if (!served.length || !storage || !names.kind || !names.plural) return undefined;
  const preferred = served[0];
  const statusSubresource = !!preferred.subresources?.status;
  const rootProps = Object.keys(storage.schema?.openAPIV3Schema?.properties ?? {});
  const info: KindInfo = {
    kind: names.kind,
    group: spec.group ?? '',
    version: preferred.name,
    otherVersions: served.slice(1).map((v) => v.name),
    plural: names.plural,
    singular: names.singular ?? String(names.kind).toLowerCase(),
    shortNames: names.shortNames ?? [],
    namespaced: spec.scope === 'Namespaced',
    categories: names.categories ?? [],
    inAll: (names.categories ?? []).includes('all'),
    tracksGeneration: true,
    crd: crd.metadata.name,
    columns: printerColumns(preferred),
    // with a status subresource, a status change is no change of spec (the generation stays)
    specFields: rootProps.filter((p) => !['apiVersion', 'kind', 'metadata'].includes(p) && !(statusSubresource && p === 'status')),
    defaults(obj, ctx) {
      // stored in the storage version: the CRD's converter (None, or its webhook) is called first
      const storageVersion = `${spec.group}/${storage.name}`;
      try {
        convertCustomResource(crd, ctx.store, obj, storageVersion);
      } catch (e) {
        if (e instanceof ConversionError) throw conversionWriteError(e);
        throw e;
      }
      // defaulted in the version it came in, then (converted) in the storage version, as it is read back
      const version = versionOf(custom, obj) ?? storage;
      for (const v of version === storage ? [storage] : [version, storage]) {
        const schema = v.schema?.openAPIV3Schema;
        if (schema) defaultAndPrune(schema, obj as unknown as Record<string, unknown>);
      }
      obj.apiVersion = storageVersion;
    },
    // a read returns the object in the version asked for (the preferred one by default), through the converter
    served(obj, ctx) {
      try {
        return convertCustomResource(crd, ctx.store, obj, `${spec.group}/${ctx.version ?? preferred.name}`);
      } catch (e) {
        if (e instanceof ConversionError) throw conversionReadError(e);
        throw e;
      }
    },
    validate(obj, old) {
      return validateCustomResource(custom, obj, old);
    },
  };
  const custom: CustomKind = { crd, versions, storage };
  byInfo.set(info, custom);
  return info;
}

function versionOf(custom: CustomKind, obj: KObject): CrdVersion | undefined {
  const name = String(obj.apiVersion ?? '').split('/')[1];
  return custom.versions.find((v) => v.name === name);
}

function validateCustomResource(custom: CustomKind, obj: KObject, old: KObject | undefined): FieldError[] {
  const errs = validateMeta(obj);
  const schema = custom.storage.schema?.openAPIV3Schema;
  if (!schema) return errs;
  // the whole object, metadata included (ValidateCustomResource of UnstructuredContent): a root
  // `required: [metadata, spec]`, as Argo CD's Application has, is met by the object's metadata
  errs.push(...validateAgainstSchema(schema, obj));
  const { metadata: _, ...body } = obj;
  if (!errs.length) errs.push(...celRules().validateRules(schema, body, old ? { ...old, metadata: undefined } : undefined));
  return errs;
}

/** A CRD version's additionalPrinterColumns (AGE alone when it declares none); priority > 0 only with -o wide. */
function printerColumns(version: CrdVersion): Column[] {
  const declared = version.additionalPrinterColumns ?? [];
  if (!declared.length) return [nameColumn, ageColumn];
  return [
    nameColumn,
    ...declared.map((c): Column => ({
      header: c.name.toUpperCase(),
      wide: (c.priority ?? 0) > 0,
      jsonPath: { path: c.jsonPath, type: c.type },
      value: () => '',
    })),
  ];
}

/** The CRD that serves a kind, if it is a custom one. */
export function crdOf(info: KindInfo): CustomResourceDefinition | undefined {
  return byInfo.get(info)?.crd;
}

/** The openAPIV3Schema of a custom kind's version (the storage version by default): what explain reads. */
export function customResourceSchema(info: KindInfo, version?: string): JSONSchemaProps | undefined {
  const custom = byInfo.get(info);
  if (!custom) return undefined;
  const v = version ? custom.versions.find((x) => x.name === version) : custom.storage;
  return v?.schema?.openAPIV3Schema;
}

/** The status subresource: status is written only through it, and ignored by writes of the object. */
export function hasStatusSubresource(info: KindInfo): boolean {
  const custom = byInfo.get(info);
  return !!custom && !!custom.storage.subresources?.status;
}

export function scaleSubresource(info: KindInfo): ScaleSubresource | undefined {
  return byInfo.get(info)?.storage.subresources?.scale;
}

/** Reads a simple JSON path (`.spec.replicas`) of an object. */
export function readPath(obj: unknown, path: string): unknown {
  let v: unknown = obj;
  for (const key of path.split('.').filter(Boolean)) v = isObject(v) ? v[key] : undefined;
  return v;
}

/** Writes a simple JSON path, making the objects on the way. */
export function writePath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.').filter(Boolean);
  let at = obj;
  for (const key of keys.slice(0, -1)) {
    if (!isObject(at[key])) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  at[keys[keys.length - 1]] = value;
}
