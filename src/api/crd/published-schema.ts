import type { KindInfo } from '../registry';
import { builtinSchema } from '../openapi/builtin-schemas';
import type { KindSchema, Schema } from '../openapi/schema';
import { customResourceSchema } from './custom-kinds';
import type { JSONSchemaProps } from './schema';

/** The ObjectMeta definition of the built-in document, which a custom kind's metadata refers to. */
const OBJECT_META = 'V1ObjectMeta';

/** swaggerPartialObjectMetadataDescriptions["metadata"]: the description the API server gives a custom kind's metadata. */
const METADATA_DESCRIPTION =
  "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

/** The descriptions the API server gives apiVersion and kind inside an x-kubernetes-embedded-resource object. */
const EMBEDDED_API_VERSION =
  'apiVersion defines the versioned schema of this representation of an object. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const EMBEDDED_KIND =
  'kind is a string value representing the type of this object. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';

/**
 * A custom kind's schema as the API server publishes it in /openapi/v3 (apiextensions-apiserver's
 * openapi builder, buildKubeNative): the CRD version's openAPIV3Schema with metadata as a reference
 * to ObjectMeta, apiVersion and kind as TypeMeta has them, and the same three fields inside every
 * embedded resource. The v2 document (openapiV2) leaves schemas that keep unknown fields bare, so
 * that kubectl's client-side validation accepts what they hold. Undefined for a built-in kind or a
 * version the CRD does not have.
 */
export function customKindSchema(info: KindInfo, version: string, openapiV2 = false): KindSchema | undefined {
  const crdSchema = customResourceSchema(info, version);
  if (!crdSchema) return undefined;
  return publishedCustomSchema(info.group, version, info.kind, crdSchema, openapiV2);
}

/** customKindSchema for a CRD version's openAPIV3Schema given directly (the served OpenAPI documents build from CRD objects). */
export function publishedCustomSchema(
  group: string,
  version: string,
  kindName: string,
  crdSchema: JSONSchemaProps,
  openapiV2 = false,
): KindSchema | undefined {
  const builtin = builtinSchema('', 'v1', 'Pod');
  if (!builtin) return undefined;
  const kind = { group, version, kind: kindName, resolve: builtin.resolve };
  if (openapiV2 && crdSchema['x-kubernetes-preserve-unknown-fields']) return { ...kind, root: { type: 'object' } };
  const typeMeta = builtin.resolve('V1Pod')?.properties ?? {};
  const root = publish(crdSchema, openapiV2);
  root.properties = {
    ...root.properties,
    metadata: objectMeta(openapiV2),
    ...(typeMeta.apiVersion && { apiVersion: typeMeta.apiVersion }),
    ...(typeMeta.kind && { kind: typeMeta.kind }),
  };
  return { ...kind, root };
}

/** A $ref with a description of its own: v2 keeps both side by side, v3 wraps the reference in allOf. */
function objectMeta(openapiV2: boolean): Schema {
  const ref = { $ref: OBJECT_META };
  return openapiV2 ? { ...ref, description: METADATA_DESCRIPTION } : { description: METADATA_DESCRIPTION, allOf: [ref] };
}

/** The CRD's JSONSchemaProps as the renderer's Schema, embedded resources given their TypeMeta and ObjectMeta. */
function publish(props: JSONSchemaProps, openapiV2: boolean): Schema {
  const sub = (p: JSONSchemaProps) => publish(p, openapiV2);
  const schema = { ...props } as Schema;
  if (props.properties) schema.properties = Object.fromEntries(Object.entries(props.properties).map(([k, v]) => [k, sub(v)]));
  // a structural schema has one items schema, never a tuple
  if (props.items && !Array.isArray(props.items)) schema.items = sub(props.items);
  if (typeof props.additionalProperties === 'object') schema.additionalProperties = sub(props.additionalProperties);
  if (props.allOf) schema.allOf = props.allOf.map(sub);
  const keepsUnknown = openapiV2 && props['x-kubernetes-preserve-unknown-fields'];
  if (props['x-kubernetes-embedded-resource'] && !keepsUnknown) {
    schema.properties = {
      ...schema.properties,
      apiVersion: { type: 'string', description: EMBEDDED_API_VERSION },
      kind: { type: 'string', description: EMBEDDED_KIND },
      metadata: objectMeta(openapiV2),
    };
    schema.required = [...new Set([...(schema.required ?? []), 'kind', 'apiVersion'])];
  }
  return schema;
}
