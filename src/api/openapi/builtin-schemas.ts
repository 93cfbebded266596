import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KindSchema, OpenApiData, Schema } from './schema';

/** Where tools/import-openapi.ts writes the data: the repository root, three folders above src/api/openapi (and dist/api/openapi). */
export const BUILTIN_DATA_PATH = path.join(__dirname, '..', '..', '..', 'third_party', 'kubernetes-openapi', 'definitions.json');

let data: OpenApiData | undefined;

/**
 * The Kubernetes v1.32 schemas, read on first use only: most of a megabyte of JSON that `get pods` must
 * not pay for, so nothing reads it until a write is validated or a type explained.
 */
function builtinData(): OpenApiData {
  data ??= JSON.parse(fs.readFileSync(BUILTIN_DATA_PATH, 'utf8')) as OpenApiData;
  return data;
}

/** The built-in schema of group/version/kind, or undefined for a kind the data does not have. */
export function builtinSchema(group: string, version: string, kind: string): KindSchema | undefined {
  const doc = builtinData();
  const name = doc.kinds[`${group}/${version}/${kind}`];
  const root = name ? doc.definitions[name] : undefined;
  if (!root) return undefined;
  return { group, version, kind, root: { $ref: name }, resolve: (ref) => doc.definitions[ref] };
}

/** Every `group/version/Kind` the data has a model for, with its model name (the served documents' kinds). */
export function builtinKindModels(): Readonly<Record<string, string>> {
  return builtinData().kinds;
}

/** A model of the data by name (`V1DeploymentSpec`), as imported: references are model names. */
export function builtinDefinition(name: string): Schema | undefined {
  return builtinData().definitions[name];
}
