import type * as YAML from 'yaml';
import { onDemand } from './on-demand';

// the YAML parser (80-odd modules) is loaded when a first document is read, not at start-up
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = onDemand('yaml', () => require('yaml') as typeof import('yaml'));
import { goTimeJson, resolveGoYaml } from './go-yaml-resolve';

/**
 * Reads a YAML stream the way kubectl does: apimachinery's YAMLReader cuts it at lines that start
 * with `---`, and each piece goes through sigs.k8s.io/yaml (go-yaml v2, YAML 1.1 scalars, then
 * JSON). So `0644` is 420, `yes`/`on`/`y` are true, dates stay strings, a key `n:` becomes "false",
 * and a syntax error names the line counted inside its own document. The library only parses;
 * what each scalar means is go-yaml's resolve (util/go-yaml-resolve.ts).
 */
export interface YamlStream {
  /** the documents before the first broken one (null: an empty or comments-only document) */
  docs: unknown[];
  /** why reading stopped: `error converting YAML to JSON: yaml: line 4: did not find expected key` */
  error?: string;
}

/**
 * kubectl: go-yaml v2 as above. kustomize (kyaml): go-yaml v3, YAML 1.2 booleans (`yes` stays a
 * string), timestamps as RFC 3339 time.Time, and a key that is not a string is refused.
 */
export type YamlDialect = 'kubectl' | 'kustomize';

export function yamlStreamToJson(text: string, dialect: YamlDialect = 'kubectl'): YamlStream {
  const docs: unknown[] = [];
  for (const chunk of splitDocuments(text)) {
    if ('error' in chunk) return { docs, error: chunk.error };
    try {
      docs.push(yamlDocumentToJson(chunk.text, dialect));
    } catch (e) {
      if (!(e instanceof YamlError)) throw e;
      return { docs, error: e.message };
    }
  }
  return { docs };
}

/** YAMLReader.Read: a `---` line ends a document; only a comment may follow it on that line. */
function splitDocuments(text: string): ({ text: string } | { error: string })[] {
  const out: ({ text: string } | { error: string })[] = [];
  let buffer = '';
  for (const line of text.split(/(?<=\n)/)) {
    if (line.startsWith('---')) {
      const rest = line.slice(3).trim();
      if (rest && !rest.startsWith('#')) {
        out.push({ error: `invalid Yaml document separator: ${rest}` });
        return out;
      }
      if (buffer) out.push({ text: buffer });
      buffer = '';
      continue;
    }
    buffer += line;
  }
  if (buffer) out.push({ text: buffer });
  return out;
}

class YamlError extends Error {}

/** go-yaml's parser and scanner problems for what the library reports, and which line each counts. */
const SYNTAX_ERRORS: { code: string; message?: RegExp; goYaml: string; scanner: boolean }[] = [
  { code: 'BAD_INDENT', message: /^Flow sequence/, goYaml: "did not find expected ',' or ']'", scanner: false },
  { code: 'BAD_INDENT', message: /^Flow map/, goYaml: "did not find expected ',' or '}'", scanner: false },
  { code: 'BAD_INDENT', goYaml: 'did not find expected key', scanner: false },
  { code: 'BLOCK_AS_IMPLICIT_KEY', message: /^Nested mappings/, goYaml: 'mapping values are not allowed in this context', scanner: true },
  { code: 'BLOCK_AS_IMPLICIT_KEY', goYaml: 'did not find expected key', scanner: false },
  { code: 'MISSING_CHAR', message: /^Sequence item without/, goYaml: 'did not find expected key', scanner: false },
  { code: 'MISSING_CHAR', message: /^Missing closing/, goYaml: 'found unexpected end of stream', scanner: true },
  { code: 'MULTILINE_IMPLICIT_KEY', goYaml: "could not find expected ':'", scanner: true },
  { code: 'BAD_SCALAR_START', goYaml: 'found character that cannot start any token', scanner: true },
  { code: 'TAB_AS_INDENT', goYaml: 'found character that cannot start any token', scanner: true },
  { code: 'BAD_DQ_ESCAPE', goYaml: 'found unknown escape character', scanner: true },
  { code: 'UNEXPECTED_TOKEN', goYaml: 'did not find expected node content', scanner: false },
];

function syntaxError(err: YAML.YAMLError): YamlError {
  const line = err.linePos?.[0]?.line ?? 1;
  const known = SYNTAX_ERRORS.find((e) => e.code === err.code && (!e.message || e.message.test(err.message)));
  const message = known?.goYaml ?? err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  // go-yaml prints a scanner problem's line 1-based, a parser problem's 0-based (the line before);
  // a missing ':' is found on the line after the key
  const where = !known || known.scanner ? (known?.code === 'MULTILINE_IMPLICIT_KEY' ? line + 1 : line) : line - 1;
  return new YamlError(`error converting YAML to JSON: yaml: ${where > 0 ? `line ${where}: ` : ''}${message}`);
}

const YAML_ORG = 'tag:yaml.org,2002:';

/** One document through go-yaml v2's decoder into interface{}, then sigs.k8s.io/yaml's JSON. */
function yamlDocumentToJson(text: string, dialect: YamlDialect): unknown {
  const doc = yaml().parseDocument(text, { schema: 'failsafe', uniqueKeys: false, version: '1.1' });
  const err = doc.errors[0];
  if (err) throw syntaxError(err);
  const decoded = decode(doc, doc.contents, { decoded: 0, aliases: 0, version: dialect === 'kubectl' ? 'v2' : 'v3' });
  if (dialect === 'kubectl') {
    const json = toJson(decoded);
    checkJsonValues(json);
    return json;
  }
  // kustomize's errors here are encoding/json's, after the document in Go syntax
  refuseNonStringKeys(decoded, decoded);
  const json = toJson(decoded);
  try {
    checkJsonValues(json);
  } catch (e) {
    if (!(e instanceof YamlError)) throw e;
    throw new YamlError(`${goSyntax(decoded, false, true)}: ${e.message.replace(/^error converting YAML to JSON: /, '')}`);
  }
  return json;
}

/** a number as go-yaml decodes it: int, uint64 (above int64) or float64 are different Go types */
class GoNumber {
  constructor(
    readonly value: number,
    readonly type: 'int' | 'uint64' | 'float64',
  ) {}
}

type Decoded = string | boolean | null | GoNumber | Decoded[] | DecodedMap;
/** go-yaml's map[interface{}]interface{} before sigs.k8s.io/yaml turns its keys into strings */
interface DecodedMap {
  map: Map<Decoded, Decoded>;
  /** keys by how Go compares them (1, 1.0 and "1" are different keys until JSON) */
  keys: Map<string, Decoded>;
}

function isDecodedMap(v: Decoded): v is DecodedMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoNumber);
}

/** yaml.v2 decoder's allowedAliasRatio: the billion-laughs guard */
function allowedAliasRatio(decoded: number): number {
  if (decoded <= 400000) return 0.99;
  if (decoded >= 4000000) return 0.1;
  return 0.99 - 0.89 * ((decoded - 400000) / 3600000);
}

interface DecodeState {
  decoded: number;
  aliases: number;
  version: 'v2' | 'v3';
}

function decode(doc: YAML.Document, node: unknown, counts: DecodeState): Decoded {
  counts.decoded += 1;
  if (node === null || node === undefined) return null;
  if (yaml().isAlias(node)) {
    counts.aliases += 1;
    if (counts.aliases > 100 && counts.decoded > 1000 && counts.aliases / counts.decoded > allowedAliasRatio(counts.decoded))
      throw new YamlError('error converting YAML to JSON: yaml: document contains excessive aliasing');
    const target = node.resolve(doc);
    if (!target) throw new YamlError(`error converting YAML to JSON: yaml: unknown anchor '${node.source}' referenced`);
    return decode(doc, target, counts);
  }
  if (yaml().isScalar(node)) return scalar(node, counts.version);
  if (yaml().isSeq(node)) return node.items.map((item) => decode(doc, item, counts));
  if (yaml().isMap(node)) {
    const out: DecodedMap = { map: new Map(), keys: new Map() };
    for (const pair of node.items) {
      if (yaml().isScalar(pair.key) && pair.key.type === 'PLAIN' && !pair.key.tag && pair.key.value === '<<') {
        merge(out, decode(doc, pair.value, counts));
        continue;
      }
      setKey(out, decode(doc, pair.key, counts), decode(doc, pair.value, counts));
    }
    return out;
  }
  return null;
}

/** a later duplicate key replaces the earlier one (go-yaml v2 does not refuse duplicates) */
function setKey(out: DecodedMap, key: Decoded, value: Decoded): void {
  if (Array.isArray(key) || isDecodedMap(key))
    throw new YamlError(`error converting YAML to JSON: yaml: invalid map key: ${goSyntax(key)}`);
  const id = key instanceof GoNumber ? `${key.type}:${key.value}` : `${typeof key}:${String(key)}`;
  const existing = out.keys.get(id);
  if (existing !== undefined) out.map.delete(existing);
  out.keys.set(id, key);
  out.map.set(key, value);
}

/** `<<`: go-yaml v2 merges where it stands (over earlier keys); in a list, earlier maps win */
function merge(out: DecodedMap, value: Decoded): void {
  const sources = Array.isArray(value) ? [...value].reverse() : [value];
  for (const source of sources) {
    if (!isDecodedMap(source))
      throw new YamlError('error converting YAML to JSON: yaml: map merge requires map or sequence of maps as the value');
    for (const [k, v] of source.map) setKey(out, k, v);
  }
}

function scalar(node: YAML.Scalar, version: 'v2' | 'v3'): Decoded {
  const text = String(node.value);
  const tag = node.tag?.startsWith(YAML_ORG) ? node.tag.slice(YAML_ORG.length) : node.tag;
  // quoted, block and !!str scalars are strings; custom tags are not go-yaml's to resolve
  const resolvable = tag === undefined ? node.type === 'PLAIN' : ['int', 'float', 'bool', 'null', 'timestamp'].includes(tag);
  if (!resolvable) return text;
  const r = resolveGoYaml(text, version);
  switch (r.tag) {
    case 'int':
      return new GoNumber(r.value, r.unsigned ? 'uint64' : 'int');
    case 'float':
      return new GoNumber(r.value, 'float64');
    case 'timestamp':
      // decoded into interface{}, go-yaml v2 keeps the text; v3 makes a time.Time
      return version === 'v2' ? r.value : goTimeJson(r.value);
    default:
      return r.value;
  }
}

/**
 * Go's %+#v, as sigs.k8s.io/yaml's and go-yaml's key errors print values; v3's maps are
 * map[string]interface {} unless a key is not a string (fmt sorts keys: strings, then numbers).
 */
function goSyntax(v: Decoded, nested = false, v3 = false): string {
  if (v === null) return nested ? 'interface {}(nil)' : '<nil>';
  if (v instanceof GoNumber) {
    if (v.type === 'uint64') return `0x${BigInt(v.value).toString(16)}`;
    if (!Number.isFinite(v.value)) return Number.isNaN(v.value) ? 'NaN' : v.value > 0 ? '+Inf' : '-Inf';
    return String(v.value);
  }
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map((x) => goSyntax(x, true, v3)).join(', ')}}`;
  if (isDecodedMap(v)) {
    const entries = [...v.map].sort(([a], [b]) => goKeyOrder(a) - goKeyOrder(b) || compareKeys(a, b));
    const type = v3 && entries.every(([k]) => typeof k === 'string') ? 'map[string]interface {}' : 'map[interface {}]interface {}';
    return `${type}{${entries.map(([k, x]) => `${goSyntax(k, true, v3)}:${goSyntax(x, true, v3)}`).join(', ')}}`;
  }
  return String(v);
}

function goKeyOrder(k: Decoded): number {
  return typeof k === 'string' ? 0 : typeof k === 'boolean' ? 1 : k instanceof GoNumber ? (k.type === 'float64' ? 3 : 2) : 4;
}

function compareKeys(a: Decoded, b: Decoded): number {
  if (a instanceof GoNumber && b instanceof GoNumber) return a.value - b.value;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** strconv.FormatFloat(f, 'g', -1, 32): the shortest float32 digits; %e below 1e-4 or from 1e6 */
export function formatFloat32(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (!Number.isFinite(f)) return f > 0 ? '.inf' : '-.inf';
  const target = Math.fround(f);
  if (target === 0) return Object.is(f, -0) ? '-0' : '0';
  let digits = '';
  for (let precision = 1; precision <= 9; precision++) {
    digits = target.toExponential(precision - 1);
    if (Math.fround(Number(digits)) === target) break;
  }
  const [mantissa, exp] = digits.split('e');
  const e = Number(exp);
  // shortest 'g' uses %e when the exponent is below -4 or at least 6
  if (e < -4 || e >= 6) return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return String(Number(digits));
}

/** sigs.k8s.io/yaml's convertToJSONableObject: map keys become strings, or the conversion fails. */
function keyString(key: Decoded, value: Decoded): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'boolean') return String(key);
  if (key instanceof GoNumber && key.type === 'int') return String(key.value);
  if (key instanceof GoNumber && key.type === 'float64') return formatFloat32(key.value);
  const type = key === null ? '%!s(<nil>)' : 'uint64';
  throw new YamlError(
    `error converting YAML to JSON: unsupported map key of type: ${type}, key: ${goSyntax(key)}, value: ${goSyntax(value)}`,
  );
}

/**
 * kustomize decodes with go-yaml v3 into map[string]interface{}: a map with any other key
 * becomes map[interface{}]interface{}, which encoding/json refuses (the message starts with
 * the whole document in Go syntax).
 */
function refuseNonStringKeys(document: Decoded, value: Decoded): void {
  if (Array.isArray(value)) for (const item of value) refuseNonStringKeys(document, item);
  else if (isDecodedMap(value)) {
    for (const [k, v] of value.map) {
      if (typeof k !== 'string')
        throw new YamlError(`${goSyntax(document, false, true)}: json: unsupported type: map[interface {}]interface {}`);
      refuseNonStringKeys(document, v);
    }
  }
}

function toJson(value: Decoded): unknown {
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof GoNumber) return value.value;
  if (isDecodedMap(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value.map)
      Object.defineProperty(out, keyString(k, v), { value: toJson(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/** encoding/json refuses NaN and ±Inf; it meets them in sorted key order */
function checkJsonValues(value: unknown): void {
  if (typeof value === 'number' && !Number.isFinite(value))
    throw new YamlError(
      `error converting YAML to JSON: json: unsupported value: ${Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf'}`,
    );
  if (Array.isArray(value)) value.forEach(checkJsonValues);
  else if (value && typeof value === 'object')
    for (const k of Object.keys(value).sort()) checkJsonValues((value as Record<string, unknown>)[k]);
}
