import { humanDuration, fromRFC3339 } from '../../util/duration';
import type { FieldError } from '../../util/errors';
import type { Column, PrintContext } from '../registry';
import type { KObject } from '../../model/objects';
import type { Container, LabelSelector, PodTemplateSpec, ResourceRequirements } from '../../model/k8s';
import {
  dns1035LabelErrors,
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  labelValueErrors,
  qualifiedNameErrors,
  fromLabelSelector,
  selectorString,
} from '../labels';
import { isQuantity, milliValue } from '../quantity';

export const nameColumn: Column = { header: 'NAME', value: (o) => o.metadata.name };

export function age(obj: KObject, ctx: PrintContext): string {
  return humanDuration(ctx.now - fromRFC3339(obj.metadata.creationTimestamp));
}

export const ageColumn: Column = { header: 'AGE', value: age };

/** DESIRED, CURRENT and READY of a ReplicaSet or ReplicationController (printers.go prints both alike). */
export const replicaCountColumns: Column<KObject<{ replicas?: number }, { replicas?: number; readyReplicas?: number }>>[] = [
  { header: 'DESIRED', value: (o) => String(o.spec?.replicas ?? 0) },
  { header: 'CURRENT', value: (o) => String(o.status?.replicas ?? 0) },
  { header: 'READY', value: (o) => String(o.status?.readyReplicas ?? 0) },
];

export function orNone(v: string | undefined | null): string {
  return v === undefined || v === null || v === '' ? '<none>' : v;
}

export function containersColumn<T extends KObject>(path: (o: T) => Container[] | undefined): Column<T> {
  return { header: 'CONTAINERS', wide: true, value: (o) => (path(o) ?? []).map((c) => c.name).join(',') };
}

export function imagesColumn<T extends KObject>(path: (o: T) => Container[] | undefined): Column<T> {
  return { header: 'IMAGES', wide: true, value: (o) => (path(o) ?? []).map((c) => c.image).join(',') };
}

/** A workload: an object whose spec has a pod template (and a selector for it). */
export type Workload = KObject<{ template?: PodTemplateSpec; selector?: LabelSelector }>;

/** The pod template's containers, for workloads' wide columns. */
export const templateContainers = (o: Workload): Container[] | undefined => o.spec?.template?.spec?.containers;

/** `-o wide` for workloads with a pod template: CONTAINERS, IMAGES, SELECTOR. */
export function podTemplateWideColumns(): Column<Workload>[] {
  return [containersColumn(templateContainers), imagesColumn(templateContainers), selectorColumn];
}

export const selectorColumn: Column<KObject<{ selector?: LabelSelector }>> = {
  header: 'SELECTOR',
  wide: true,
  value: (o) => {
    const sel = fromLabelSelector(o.spec?.selector);
    return sel && sel.length ? selectorString(sel) : '<none>';
  },
};

/** ObjectMeta validation (ValidateObjectMeta): name, labels, annotations. */
export function validateMeta(
  obj: KObject,
  opts: { nameIsLabel?: boolean; nameIsDns1035Label?: boolean; pathSegmentName?: boolean } = {},
): FieldError[] {
  const errs: FieldError[] = [];
  const name = obj.metadata?.name;
  if (!name) {
    errs.push({ path: 'metadata.name', type: 'Required value', detail: 'name or generateName is required' });
  } else if (opts.pathSegmentName) {
    // RBAC names (ValidateRBACName = path.IsValidPathSegmentName): "system:controller:x" is fine
    for (const detail of pathSegmentNameErrors(name)) errs.push({ path: 'metadata.name', type: 'Invalid value', value: name, detail });
  } else {
    const nameErrors = opts.nameIsDns1035Label ? dns1035LabelErrors : opts.nameIsLabel ? dns1123LabelErrors : dns1123SubdomainErrors;
    for (const detail of nameErrors(name)) errs.push({ path: 'metadata.name', type: 'Invalid value', value: name, detail });
  }
  errs.push(...validateLabels(obj.metadata?.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(obj.metadata?.annotations));
  return errs;
}

/** Annotations may hold at most 256 KiB, keys and values together (apimachinery TotalAnnotationSizeLimitB). */
export const ANNOTATIONS_SIZE_LIMIT = 256 * 1024;

/** ValidateAnnotations: keys are qualified names (in any case), and the total size is bounded. */
function validateAnnotations(annotations: Record<string, string> | undefined): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(annotations ?? {})) {
    for (const msg of qualifiedNameErrors(key.toLowerCase()))
      errs.push({ path: 'metadata.annotations', type: 'Invalid value', value: key, detail: msg });
    size += Buffer.byteLength(key) + Buffer.byteLength(String(value));
  }
  // field.TooLong omits the value: `metadata.annotations: Too long: may not be more than 262144 bytes`
  if (size > ANNOTATIONS_SIZE_LIMIT)
    errs.push({ path: 'metadata.annotations', type: 'Too long', detail: `may not be more than ${ANNOTATIONS_SIZE_LIMIT} bytes` });
  return errs;
}

/** apimachinery's path.IsValidPathSegmentName */
export function pathSegmentNameErrors(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  return ['/', '%'].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
}

export function validateLabels(labels: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (labels === undefined || labels === null) return errs;
  if (typeof labels !== 'object' || Array.isArray(labels))
    return [{ path, type: 'Invalid value', value: labels, detail: 'must be a map of string keys to string values' }];
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    for (const msg of qualifiedNameErrors(k)) errs.push({ path, type: 'Invalid value', value: k, detail: msg });
    if (typeof v !== 'string') errs.push({ path: `${path}[${k}]`, type: 'Invalid value', value: v, detail: 'must be a string' });
    else for (const msg of labelValueErrors(v)) errs.push({ path, type: 'Invalid value', value: v, detail: msg });
  }
  return errs;
}

/** Whether a field the user wrote is one of the supported values (a missing one is not). */
export function isOneOf(values: readonly string[], value: unknown): boolean {
  return typeof value === 'string' && values.includes(value);
}

/**
 * A part of an object the manifest left out, as Go's zero value (`spec ??= zeroValue()`):
 * empty until defaulting fills it and validation reports its required fields.
 */
export function zeroValue<T extends object>(): T {
  return {} as T;
}

export function validateNonNegativeInt(value: unknown, path: string, errs: FieldError[]): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value))
    errs.push({ path, type: 'Invalid value', value, detail: 'must be an integer' });
  else if (value < 0) errs.push({ path, type: 'Invalid value', value, detail: 'must be greater than or equal to 0' });
}

export function validateResources(resources: ResourceRequirements | undefined, path: string, errs: FieldError[]): void {
  if (!resources) return;
  for (const kind of ['requests', 'limits'] as const) {
    for (const [name, q] of Object.entries((resources[kind] ?? {}) as Record<string, unknown>)) {
      if (!isQuantity(q))
        errs.push({
          path: `${path}.${kind}[${name}]`,
          type: 'Invalid value',
          value: q,
          detail: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        });
    }
  }
  for (const [name, req] of Object.entries((resources.requests ?? {}) as Record<string, string>)) {
    const lim = resources.limits?.[name];
    if (lim !== undefined && isQuantity(lim) && isQuantity(req) && milliValue(req) > milliValue(lim)) {
      errs.push({
        path: `${path}.requests`,
        type: 'Invalid value',
        value: req,
        detail: `must be less than or equal to ${name} limit of ${lim}`,
      });
    }
  }
}

/** Type checks for manifest fields: a wrong type is reported like the API server's decoder would. */
export function expectType(
  value: unknown,
  type: 'string' | 'number' | 'object' | 'array' | 'boolean',
  path: string,
  errs: FieldError[],
): boolean {
  if (value === undefined || value === null) return false;
  const ok =
    type === 'array'
      ? Array.isArray(value)
      : type === 'object'
        ? typeof value === 'object' && !Array.isArray(value)
        : typeof value === type;
  if (!ok) errs.push({ path, type: 'Invalid value', value, detail: `must be of type ${type === 'number' ? 'integer' : type}` });
  return ok;
}

/** metav1 validation.ValidateLabelSelector: matchLabels as labels, matchExpressions' operators and values. */
export function validateLabelSelector(selector: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!expectType(selector, 'object', path, errs)) return errs;
  const spec = selector as { matchLabels?: unknown; matchExpressions?: unknown };
  errs.push(...validateLabels(spec.matchLabels, `${path}.matchLabels`));
  if (spec.matchExpressions === undefined || !expectType(spec.matchExpressions, 'array', `${path}.matchExpressions`, errs)) return errs;
  (spec.matchExpressions as { key?: string; operator?: string; values?: string[] }[]).forEach((e, i) => {
    const at = `${path}.matchExpressions[${i}]`;
    const values = e.values ?? [];
    if (e.operator === 'In' || e.operator === 'NotIn') {
      if (!values.length)
        errs.push({ path: `${at}.values`, type: 'Required value', detail: "must be specified when `operator` is 'In' or 'NotIn'" });
    } else if (e.operator === 'Exists' || e.operator === 'DoesNotExist') {
      if (values.length)
        errs.push({
          path: `${at}.values`,
          type: 'Forbidden',
          detail: "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        });
    } else errs.push({ path: `${at}.operator`, type: 'Invalid value', value: e.operator ?? '', detail: 'not a valid selector operator' });
    for (const msg of qualifiedNameErrors(e.key ?? ''))
      errs.push({ path: `${at}.key`, type: 'Invalid value', value: e.key ?? '', detail: msg });
  });
  return errs;
}

/** validation.IsValidPortName: an IANA_SVC_NAME (what a named container port and its references must be). */
export function portNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) errs.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens');
  if (name.startsWith('-') || name.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}
