/**
 * `npm run import-openapi`: rebuilds third_party/kubernetes-openapi/ from the generated models of
 * the npm package @kubernetes/client-node (its models say "OpenAPI spec version: v1.32.0").
 *
 * `npm pack` fetches the package tarball into a temp directory (the package never becomes a
 * dependency); each model's `attributeTypeMap` (*.js) gives the JSON field names and types, its
 * declaration file (*.d.ts) the descriptions and which fields are required (no `?`). The result is
 * written as OpenAPI v3-shaped schemas ($ref, type, items, additionalProperties) in one JSON file, with a
 * table mapping each kind kubesim serves (src/api/kinds) to its definition.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allKinds } from '../src/api/registry';
import '../src/api/kinds/index';
import { definitionCandidates, type OpenApiData, type Schema } from '../src/api/openapi/schema';
import { writeDefinitionIndex } from './openapi-index';

const PACKAGE = '@kubernetes/client-node';
const VERSION = '1.1.2';
const OUT_DIR = path.join(__dirname, '..', 'third_party', 'kubernetes-openapi');
export const DATA_FILE = 'definitions.json';

interface Attribute {
  baseName: string;
  type: string;
  format: string;
}

interface DeclaredClass {
  description?: string;
  fields: Map<string, { description?: string; required: boolean }>;
}

function packPackage(dir: string): { packageDir: string; integrity: string } {
  const out = execFileSync('npm', ['pack', `${PACKAGE}@${VERSION}`, '--json', '--silent'], { cwd: dir, encoding: 'utf8' });
  const [info] = JSON.parse(out) as { filename: string; integrity: string }[];
  execFileSync('tar', ['xzf', info.filename], { cwd: dir });
  return { packageDir: path.join(dir, 'package'), integrity: info.integrity };
}

/** The model's `X.attributeTypeMap = [...]` (written by the generator as JSON). */
function readAttributes(jsText: string, name: string): Attribute[] {
  const start = jsText.indexOf(`${name}.attributeTypeMap = [`);
  if (start < 0) return [];
  const open = jsText.indexOf('[', start);
  const close = jsText.indexOf('];', open);
  return JSON.parse(jsText.slice(open, close + 1)) as Attribute[];
}

/** A doc comment's text: the generator writes one line per comment, with `\"` and `\'` for quotes. */
function commentText(lines: string[]): string {
  return lines
    .map((l) => l.replace(/^\s*\*\s?/, ''))
    .join('\n')
    .replace(/\\(["'\\])/g, '$1')
    .trim();
}

function readDeclaration(dtsText: string, name: string): DeclaredClass {
  const lines = dtsText.split('\n');
  const result: DeclaredClass = { fields: new Map() };
  let comment: string[] | undefined;
  let pending: string | undefined;
  let inClass = false;
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed.startsWith('/**')) {
      comment = [];
      continue;
    }
    if (comment && trimmed.startsWith('*/')) {
      pending = commentText(comment);
      comment = undefined;
      continue;
    }
    if (comment) {
      comment.push(line);
      continue;
    }
    if (trimmed.startsWith(`export declare class ${name} `)) {
      inClass = true;
      result.description = pending || undefined;
      pending = undefined;
      continue;
    }
    const field = inClass ? /^'([^']+)'(\?)?:/.exec(trimmed) : null;
    if (field) {
      result.fields.set(field[1], { description: pending || undefined, required: !field[2] });
    }
    pending = undefined;
  }
  return result;
}

/** A TypeScript type from attributeTypeMap as an OpenAPI v3 schema. */
function typeSchema(type: string, format: string, models: Set<string>): Schema {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return { type: 'array', items: typeSchema(array[1], '', models) };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return { type: 'object', additionalProperties: typeSchema(map[1], '', models) };
  switch (type) {
    case 'string':
      return format ? { type: 'string', format } : { type: 'string' };
    case 'number':
      return format === 'int32' || format === 'int64' ? { type: 'integer', format } : { type: 'number', format: format || 'double' };
    case 'boolean':
      return { type: 'boolean' };
    case 'Date':
    case 'V1MicroTime':
      // metav1.Time / MicroTime: strings in JSON
      return { type: 'string', format: format || (type === 'Date' ? 'date-time' : 'date-time-micro') };
    case 'IntOrString':
      return { $ref: 'IntOrString' };
    case 'any':
      // runtime.RawExtension, FieldsV1, apiextensions JSON: any JSON value
      return { 'x-kubernetes-preserve-unknown-fields': true };
  }
  if (!models.has(type)) throw new Error(`unknown type ${type}`);
  return { $ref: type };
}

function buildDefinitions(modelsDir: string): Record<string, Schema> {
  const names = fs
    .readdirSync(modelsDir)
    .filter((f) => f.endsWith('.js') && f !== 'ObjectSerializer.js' && f !== 'all.js')
    .map((f) => f.slice(0, -3))
    .sort();
  const models = new Set(names);
  const definitions: Record<string, Schema> = {
    IntOrString: { 'x-kubernetes-int-or-string': true },
  };
  for (const name of names) {
    const attributes = readAttributes(fs.readFileSync(path.join(modelsDir, `${name}.js`), 'utf8'), name);
    const declared = readDeclaration(fs.readFileSync(path.join(modelsDir, `${name}.d.ts`), 'utf8'), name);
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const a of attributes) {
      const field = declared.fields.get(a.baseName) ?? [...declared.fields.entries()].find(([k]) => k === a.baseName)?.[1];
      const schema = typeSchema(a.type, a.format, models);
      if (schema.$ref === 'IntOrString') {
        // the generator documents an IntOrString field with IntOrString's own description
        if (field?.description) definitions.IntOrString.description = field.description;
        properties[a.baseName] = schema;
      } else properties[a.baseName] = field?.description ? { ...schema, description: field.description } : schema;
      if (field?.required) required.push(a.baseName);
    }
    const definition: Schema = { type: 'object' };
    if (declared.description) definition.description = declared.description;
    if (attributes.length) definition.properties = properties;
    if (required.length) definition.required = required;
    definitions[name] = definition;
  }
  return definitions;
}

/** group/version/Kind → definition, for every kind kubesim serves that has a model. */
function mapKinds(definitions: Record<string, Schema>): Record<string, string> {
  const kinds: Record<string, string> = {};
  for (const info of allKinds()) {
    for (const version of [info.version, ...(info.otherVersions ?? [])]) {
      const found = definitionCandidates(info.group, version, info.kind).find((name) => {
        const props = definitions[name]?.properties;
        return props?.apiVersion && props.kind && props.metadata;
      });
      const key = `${info.group}/${version}/${info.kind}`;
      if (found) kinds[key] = found;
      else process.stderr.write(`no model for ${key} (not validated, not explained)\n`);
    }
  }
  return kinds;
}

function main(): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'import-openapi-'));
  try {
    const { packageDir, integrity } = packPackage(tmp);
    const definitions = buildDefinitions(path.join(packageDir, 'dist', 'gen', 'models'));
    const data: OpenApiData = {
      source: { package: PACKAGE, version: VERSION, integrity, openapi: 'v1.32.0' },
      kinds: mapKinds(definitions),
      definitions,
    };
    fs.mkdirSync(OUT_DIR, { recursive: true });
    const json = JSON.stringify(data);
    // compact JSON: under 1 MB, so it stays plain text (diffable, greppable) rather than gzip
    fs.writeFileSync(path.join(OUT_DIR, DATA_FILE), `${json}\n`);
    writeDefinitionIndex();
    fs.copyFileSync(path.join(packageDir, 'LICENSE'), path.join(OUT_DIR, 'LICENSE'));
    process.stderr.write(
      `wrote ${Object.keys(definitions).length} definitions, ${Object.keys(data.kinds).length} kinds (${json.length} bytes of JSON) to ${OUT_DIR}\n`,
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
