import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KindSchema, OpenApiData, Schema } from './schema';
import { KUBESIM_DEFINITIONS, KUBESIM_KIND_MODELS } from './kubesim-schemas';

/** Where tools/import-openapi.ts writes the data: the repository root, three folders above src/api/openapi (and dist/api/openapi). */
export const BUILTIN_DATA_PATH = path.join(__dirname, '..', '..', '..', 'third_party', 'kubernetes-openapi', 'definitions.json');

/** Beside it: where each definition's JSON is in its text (tools/openapi-index.ts writes it with the data). */
export const BUILTIN_INDEX_PATH = path.join(path.dirname(BUILTIN_DATA_PATH), 'definitions.index.json');

/** The text's length when indexed, the kinds table, and each definition's [start, end) in the text. */
export interface DefinitionIndex {
  length: number;
  kinds: OpenApiData['kinds'];
  spans: Record<string, [number, number]>;
}

/** The data as read (with kubesim's own kinds, src/api/openapi/kubesim-schemas.ts): the kinds table, and each definition as resolved. */
interface BuiltinData {
  kinds: OpenApiData['kinds'];
  definition(name: string): Schema | undefined;
}

let data: BuiltinData | undefined;

/**
 * The Kubernetes v1.32 schemas, read on first use only: most of a megabyte of JSON that `get pods` must
 * not pay for, so nothing reads it until a write is validated or a type explained. Even then a write
 * resolves a hundred-odd of the 710 definitions: with the index, each is parsed from its slice of
 * the text when first resolved (an index that does not fit the text is not used: all is parsed).
 */
function builtinData(): BuiltinData {
  if (data) return data;
  const text = fs.readFileSync(BUILTIN_DATA_PATH, 'utf8');
  let index: DefinitionIndex | undefined;
  try {
    index = JSON.parse(fs.readFileSync(BUILTIN_INDEX_PATH, 'utf8')) as DefinitionIndex;
  } catch {
    index = undefined;
  }
  if (!index || index.length !== text.length) {
    const all = JSON.parse(text) as OpenApiData;
    data = {
      kinds: { ...all.kinds, ...KUBESIM_KIND_MODELS },
      definition: (name) => (Object.hasOwn(all.definitions, name) ? all.definitions[name] : kubesimDefinition(name)),
    };
    return data;
  }
  const { kinds, spans } = index;
  const parsed = new Map<string, Schema>();
  data = {
    kinds: { ...kinds, ...KUBESIM_KIND_MODELS },
    definition(name) {
      let schema = parsed.get(name);
      if (schema === undefined && Object.hasOwn(spans, name)) {
        const [start, end] = spans[name];
        parsed.set(name, (schema = JSON.parse(text.slice(start, end)) as Schema));
      }
      return schema ?? kubesimDefinition(name);
    },
  };
  return data;
}

function kubesimDefinition(name: string): Schema | undefined {
  return Object.hasOwn(KUBESIM_DEFINITIONS, name) ? KUBESIM_DEFINITIONS[name] : undefined;
}

/** The built-in schema of group/version/kind, or undefined for a kind the data does not have. */
export function builtinSchema(group: string, version: string, kind: string): KindSchema | undefined {
  const doc = builtinData();
  const name = doc.kinds[`${group}/${version}/${kind}`];
  const root = name ? doc.definition(name) : undefined;
  if (!root) return undefined;
  return { group, version, kind, root: { $ref: name }, resolve: (ref) => doc.definition(ref) };
}

/** Every `group/version/Kind` the data has a model for, with its model name (the served documents' kinds). */
export function builtinKindModels(): Readonly<Record<string, string>> {
  return builtinData().kinds;
}

/** A model of the data by name (`V1DeploymentSpec`), as imported: references are model names. */
export function builtinDefinition(name: string): Schema | undefined {
  return builtinData().definition(name);
}
