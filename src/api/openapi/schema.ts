/**
 * The shape of the API's schemas: a subset of OpenAPI v3 (what `kubectl explain` reads from
 * /openapi/v3 and what a CRD's openAPIV3Schema holds), so built-in kinds and custom resources
 * go through the same validator and the same explain renderer.
 */
export interface Schema {
  description?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  /** a definition of the same document, by name */
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  allOf?: Schema[];
  enum?: unknown[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
}

/** One kind's schema and the document its $refs resolve in. */
export interface KindSchema {
  group: string;
  version: string;
  kind: string;
  root: Schema;
  /** a $ref's target; undefined when the document has no such definition */
  resolve(ref: string): Schema | undefined;
}

/** The imported data file (third_party/kubernetes-openapi, written by tools/import-openapi.ts). */
export interface OpenApiData {
  source: { package: string; version: string; integrity: string; openapi: string };
  /** `group/version/Kind` (group empty for core) → definition name */
  kinds: Record<string, string>;
  definitions: Record<string, Schema>;
}

/**
 * The names openapi-generator gives a kind's model: `V1Deployment`, or with the group in front
 * when two groups share a kind name (`CoreV1Event`, `EventsV1Event`).
 */
export function definitionCandidates(group: string, version: string, kind: string): string[] {
  const groupWord = group ? group.split('.')[0] : 'core';
  const ver = version.charAt(0).toUpperCase() + version.slice(1);
  return [`${groupWord.charAt(0).toUpperCase()}${groupWord.slice(1)}${ver}${kind}`, `${ver}${kind}`];
}

/** The type name a definition shows as (`V1DeploymentSpec` → `DeploymentSpec`), as explain prints it. */
export function definitionTypeName(ref: string): string {
  return ref.replace(/^(?:[A-Z][a-z]+)?V\d+(?:alpha\d+|beta\d+)?(?=[A-Z])/, '');
}
