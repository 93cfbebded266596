import { compareGoStrings } from '../../util/go-fmt';
import type { KindSchema, Schema } from './schema';

/** sigs.k8s.io/json keeps at most this many strict errors (kubernetes_patch.go saveStrictError). */
const MAX_STRICT_ERRORS = 100;

export interface DecodedFields {
  /** the value with every field its schema does not know dropped (what the Go decoder keeps) */
  value: unknown;
  /** `unknown field "spec.replcas"`, one per field, in the order the decoder meets them */
  errors: string[];
}

/**
 * What decoding a JSON object into its Go type does to fields the type does not have: they are
 * dropped, and the strict decoder (sigs.k8s.io/json UnmarshalStrict) names each by its path —
 * fields joined by dots, list items as `[i]`, map keys not at all. Keys are visited in sorted
 * order: kubectl sends objects encoded from Go maps, whose keys encoding/json sorts.
 */
export function dropUnknownFields(value: unknown, schema: KindSchema): DecodedFields {
  const errors: string[] = [];
  const report = (path: string) => {
    const text = `unknown field "${path}"`;
    if (errors.length < MAX_STRICT_ERRORS && !errors.includes(text)) errors.push(text);
  };
  const decoded = decode(value, schema.root, '', schema, report);
  return { value: decoded, errors };
}

function resolved(schema: Schema, doc: KindSchema): Schema | undefined {
  let current: Schema | undefined = schema;
  // a chain of $refs ends at a definition; an unresolvable one accepts anything
  for (let hops = 0; current?.$ref && hops < 16; hops++) current = doc.resolve(current.$ref);
  return current;
}

function decode(value: unknown, schema: Schema, path: string, doc: KindSchema, report: (path: string) => void): unknown {
  const s = resolved(schema, doc);
  if (!s || value === null || typeof value !== 'object') return value;
  // a field that only wraps its type (`allOf: [{$ref}]` beside a description, as OpenAPI v3 writes it)
  if (!s.properties && s.allOf?.length === 1) return decode(value, s.allOf[0], path, doc, report);
  if (Array.isArray(value)) {
    if (!s.items) return value;
    return value.map((item, i) => decode(item, s.items!, `${path}[${i}]`, doc, report));
  }
  const map = value as Record<string, unknown>;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const additional = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
  if (!s.properties && (preserve || s.additionalProperties === true)) return value;
  if (!s.properties && additional)
    return decodeMap(
      map,
      () => additional,
      () => path,
      doc,
      report,
    );
  if (s.type !== undefined && s.type !== 'object') return value;
  const fieldSchema = (key: string) => s.properties?.[key] ?? (preserve ? {} : undefined);
  return decodeMap(map, fieldSchema, (key) => (path ? `${path}.${key}` : key), doc, report);
}

/** Decodes a map's values in sorted key order (the order errors appear in), keeping the map's own key order. */
function decodeMap(
  map: Record<string, unknown>,
  schemaOf: (key: string) => Schema | undefined,
  pathOf: (key: string) => string,
  doc: KindSchema,
  report: (path: string) => void,
): Record<string, unknown> {
  const decoded = new Map<string, unknown>();
  for (const key of Object.keys(map).sort(compareGoStrings)) {
    const schema = schemaOf(key);
    if (schema) decoded.set(key, decode(map[key], schema, pathOf(key), doc, report));
    else report(pathOf(key));
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(map)) if (decoded.has(key)) out[key] = decoded.get(key);
  return out;
}
