import { clone } from '../../model/objects';
import { additionalSchema, isObject, itemSchema, type JSONSchemaProps } from './schema';

/** What every object keeps at its root whatever its schema says (TypeMeta and ObjectMeta). */
const ROOT_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * Structural defaulting then pruning, in place, as the API server decodes a custom resource:
 * a null in a field that is not nullable is dropped (and may then be defaulted), a missing
 * field with a `default` gets a copy of it, and fields the schema does not know are removed
 * unless x-kubernetes-preserve-unknown-fields keeps them.
 */
export function defaultAndPrune(schema: JSONSchemaProps, obj: Record<string, unknown>): void {
  applyDefaults(schema, obj);
  prune(schema, obj, true);
}

function applyDefaults(schema: JSONSchemaProps, value: unknown): void {
  if (Array.isArray(value)) {
    const items = itemSchema(schema);
    if (items) for (const v of value) applyDefaults(items, v);
    return;
  }
  if (!isObject(value)) return;
  const props = schema.properties ?? {};
  for (const [key, sub] of Object.entries(props)) {
    if (value[key] === null && !sub.nullable) delete value[key];
    if (value[key] === undefined && sub.default !== undefined) value[key] = clone(sub.default);
    if (value[key] !== undefined) applyDefaults(sub, value[key]);
  }
  const extra = additionalSchema(schema);
  if (extra) for (const key of Object.keys(value)) if (!(key in props)) applyDefaults(extra, value[key]);
  for (const s of schema.allOf ?? []) applyDefaults(s, value);
}

function prune(schema: JSONSchemaProps, value: unknown, root = false): void {
  if (Array.isArray(value)) {
    const items = itemSchema(schema);
    if (items) for (const v of value) prune(items, v);
    return;
  }
  if (!isObject(value)) return;
  const props = schema.properties ?? {};
  const extra = additionalSchema(schema);
  const keepUnknown = schema['x-kubernetes-preserve-unknown-fields'] === true || schema.additionalProperties === true;
  const embedded = schema['x-kubernetes-embedded-resource'] === true;
  for (const key of Object.keys(value)) {
    if ((root || embedded) && ROOT_FIELDS.has(key)) continue;
    const sub = props[key] ?? extra;
    if (sub) prune(sub, value[key]);
    else if (!keepUnknown) delete value[key];
  }
}

/**
 * The fields pruning drops, by path (`spec.foo`, `spec.items[0].bar`, map keys included), sorted:
 * what the API server reports with fieldValidation Strict or Warn (apiextensions pruning's
 * PruneWithOptions with TrackUnknownFieldPaths, then sort.Strings). The root's apiVersion, kind
 * and metadata are never reported, nor those of an embedded resource.
 */
export function unknownFieldPaths(schema: JSONSchemaProps, obj: unknown): string[] {
  const paths: string[] = [];
  track(schema, obj, '', true, paths);
  return paths.sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : a === b ? 0 : 1));
}

function track(schema: JSONSchemaProps, value: unknown, path: string, root: boolean, out: string[]): void {
  // x-kubernetes-preserve-unknown-fields keeps what the schema does not name, but still prunes below what it does
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true || schema.additionalProperties === true;
  const at = (key: string) => (path ? `${path}.${key}` : key);
  if (Array.isArray(value)) {
    const items = itemSchema(schema);
    if (items) value.forEach((v, i) => track(items, v, `${path}[${i}]`, false, out));
    return;
  }
  if (!isObject(value)) return;
  const skipMeta = root || schema['x-kubernetes-embedded-resource'] === true;
  const props = schema.properties ?? {};
  const extra = additionalSchema(schema);
  for (const key of Object.keys(value)) {
    if (skipMeta && ROOT_FIELDS.has(key)) continue;
    const sub = props[key] ?? extra;
    if (sub) track(sub, value[key], at(key), false, out);
    else if (!preserve) out.push(at(key));
  }
}
