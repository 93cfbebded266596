/**
 * The offsets of each definition's JSON in third_party/kubernetes-openapi/definitions.json, so
 * that a write parses only the definitions it resolves (src/api/openapi/builtin-schemas.ts).
 * `npm run import-openapi` writes it with the data; `KUBESIM_WRITE_OPENAPI_INDEX=1 npx vite-node tools/openapi-index.ts`
 * rewrites it alone from the data file as it is.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUILTIN_DATA_PATH, BUILTIN_INDEX_PATH, type DefinitionIndex } from '../src/api/openapi/builtin-schemas';
import type { OpenApiData } from '../src/api/openapi/schema';

/** Where each definition's JSON is in the text (strings skipped, depth counted), with the kinds table. */
export function definitionIndex(text: string): DefinitionIndex {
  const spans: Record<string, [number, number]> = {};
  let kinds: OpenApiData['kinds'] = {};
  const tokens = /"(?:[^"\\]|\\.)*"|[{}[\]:]/g;
  let depth = 0;
  let lastString = '';
  let member = '';
  let memberStart = -1;
  let definition = '';
  let definitionStart = -1;
  for (let m = tokens.exec(text); m; m = tokens.exec(text)) {
    const token = m[0];
    if (token.length > 1) lastString = token;
    else if (token === ':') {
      const key = JSON.parse(lastString) as string;
      if (depth === 1) [member, memberStart] = [key, m.index + 1];
      else if (depth === 2 && member === 'definitions') [definition, definitionStart] = [key, m.index + 1];
    } else if (token === '{' || token === '[') depth++;
    else {
      depth--;
      if (depth === 2 && member === 'definitions' && definition) {
        spans[definition] = [definitionStart, m.index + 1];
        definition = '';
      } else if (depth === 1 && member === 'kinds') {
        kinds = JSON.parse(text.slice(memberStart, m.index + 1)) as OpenApiData['kinds'];
        member = '';
      }
    }
  }
  return { length: text.length, kinds, spans };
}

export function writeDefinitionIndex(): void {
  const index = definitionIndex(fs.readFileSync(BUILTIN_DATA_PATH, 'utf8'));
  fs.writeFileSync(BUILTIN_INDEX_PATH, `${JSON.stringify(index)}\n`);
  process.stderr.write(
    `wrote the offsets of ${Object.keys(index.spans).length} definitions to ${path.relative(process.cwd(), BUILTIN_INDEX_PATH)}\n`,
  );
}

if (process.env.KUBESIM_WRITE_OPENAPI_INDEX) writeDefinitionIndex();
