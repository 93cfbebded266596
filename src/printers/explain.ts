/**
 * `kubectl explain` output. `plaintext` follows kubectl v1.32's OpenAPI v3 template
 * (pkg/explain/v2/templates/plaintext.tmpl) step for step; `plaintext-openapiv2` follows the older
 * model printer (pkg/explain: model_printer, fields_printer, recursive_fields_printer, formatter).
 */
import { definitionTypeName, type KindSchema, type Schema } from '../api/openapi/schema';
import { CliError } from '../util/errors';

export type ExplainFormat = 'plaintext' | 'plaintext-openapiv2';

export interface ExplainRequest {
  schema: KindSchema;
  fieldPath: string[];
  recursive: boolean;
}

/** The explain text, or a CliError carrying what kubectl wrote before failing. */
export function renderExplain(format: ExplainFormat, req: ExplainRequest): string {
  return format === 'plaintext' ? renderV3(req) : renderV2(req);
}

// ---------------------------------------------------------------------------------------------
// plaintext (OpenAPI v3 template)

type History = ReadonlySet<string>;

function renderV3({ schema: doc, fieldPath, recursive }: ExplainRequest): string {
  let header = doc.group ? `GROUP:      ${doc.group}\n` : '';
  header += `KIND:       ${doc.kind}\nVERSION:    ${doc.version}\n\n`;
  const root = resolveRef(doc.root, doc) ?? doc.root;
  const body = output(doc, root, new Set(), fieldPath, recursive);
  // the template has written the header when the field lookup throws
  if (!body) throw new CliError(`field "${fieldPath[fieldPath.length - 1]}" does not exist`, { stdout: header });
  return `${header}${body}\n`;
}

function resolveRef(schema: Schema, doc: KindSchema): Schema | undefined {
  return schema.$ref ? doc.resolve(schema.$ref) : undefined;
}

/** The "output" template: follows the field path, then prints the description and the fields. */
function output(doc: KindSchema, schema: Schema, history: History, fieldPath: string[], recursive: boolean): string {
  const ref = schema.$ref ?? '';
  const next = new Set(history).add(ref);
  const resolved = resolveRef(schema, doc) ?? schema;
  if (!fieldPath.length) {
    let out = `DESCRIPTION:\n${indent(4, wrap(76, description(doc, schema) || '<empty>'))}\n`;
    const fields = fieldList(doc, resolved, 1, new Set(), recursive);
    if (fields) out += `FIELDS:\n${fields}`;
    return out;
  }
  if (ref && history.has(ref)) return '';
  const [first, ...rest] = fieldPath;
  const sub = resolved.properties?.[first];
  if (sub) {
    const head = rest.length ? '' : `FIELD: ${first} <${typeGuess(doc, sub)}>\n${enumText(sub, { long: true, limit: -1, indent: 0 })}\n\n`;
    return head + output(doc, sub, new Set(), rest, recursive);
  }
  if (resolved.items) return output(doc, resolved.items, next, fieldPath, recursive);
  if (isSchema(resolved.additionalProperties)) return output(doc, resolved.additionalProperties, next, fieldPath, recursive);
  for (const alternative of resolved.allOf ?? []) {
    const text = output(doc, alternative, next, fieldPath, recursive);
    if (text) return text;
  }
  return '';
}

function isSchema(value: Schema | boolean | undefined): value is Schema {
  return typeof value === 'object';
}

/** The "fieldList" template: `name\t<type>` lines, with descriptions, or nested when recursive. */
function fieldList(doc: KindSchema, schema: Schema, level: number, history: History, recursive: boolean): string {
  const ref = schema.$ref ?? '';
  if (ref && history.has(ref)) return '';
  const next = new Set(history).add(ref);
  const resolved = resolveRef(schema, doc) ?? schema;
  let out = '';
  for (const name of Object.keys(resolved.properties ?? {}).sort()) {
    out += fieldDetail(doc, resolved, name, level, recursive);
    if (recursive) out += fieldList(doc, resolved.properties![name], level + 1, next, recursive);
  }
  for (const alternative of resolved.allOf ?? []) out += fieldList(doc, alternative, level, next, recursive);
  if (resolved.items) out += fieldList(doc, resolved.items, level, next, recursive);
  if (isSchema(resolved.additionalProperties)) out += fieldList(doc, resolved.additionalProperties, level, next, recursive);
  return out;
}

function fieldDetail(doc: KindSchema, parent: Schema, name: string, level: number, short: boolean): string {
  const indentAmount = level * 2;
  const field = parent.properties![name];
  let out = `${indent(indentAmount, name)}\t<${typeGuess(doc, field)}>`;
  if (parent.required?.includes(name)) out += ' -required-';
  out += `${enumText(field, { long: false, limit: 4, indent: indentAmount })}\n`;
  if (!short) out += `${indent(indentAmount + 2, wrap(78 - indentAmount, field.description || '<no description>'))}\n\n`;
  return out;
}

/**
 * The "description" template: the schema's own description, then those of what it is made of. A
 * reference with a description of its own (kubesim's kinds' fields) is served as
 * `{description, allOf: [{$ref}]}`, so the field's text comes first, then the type's.
 */
function description(doc: KindSchema, schema: Schema): string {
  if (schema.$ref && schema.description) return `${schema.description}\n${description(doc, { $ref: schema.$ref })}`;
  const s = resolveRef(schema, doc) ?? schema;
  let out = s.description ? `${s.description}\n` : '';
  for (const alternative of s.allOf ?? []) out += description(doc, alternative);
  if (s.items) out += description(doc, s.items);
  if (isSchema(s.additionalProperties)) out += description(doc, s.additionalProperties);
  return out;
}

/** The "typeGuess" template: `string`, `Object`, `[]Container`, `map[string]string`, `IntOrString`. */
function typeGuess(doc: KindSchema, schema: Schema): string {
  if (schema.items) return `[]${typeGuess(doc, schema.items)}`;
  if (isSchema(schema.additionalProperties)) return `map[string]${typeGuess(doc, schema.additionalProperties)}`;
  if (schema.allOf?.length === 1 && !schema.properties) return typeGuess(doc, schema.allOf[0]);
  if (schema.$ref) {
    const target = doc.resolve(schema.$ref);
    // only an object's (or an untyped) definition shows by name; a ref to a string shows as string
    if (!target || !target.type || target.type === 'object') return definitionTypeName(schema.$ref) || 'Object';
    return target.type;
  }
  return schema.type === 'object' ? 'Object' : (schema.type ?? 'Object');
}

/** The "extractEnum" template: `ENUM:` lines under a FIELD, `enum: a, b, ....` under a field line. */
function enumText(schema: Schema, view: { long: boolean; limit: number; indent: number }): string {
  if (!schema.enum?.length) return '';
  let out = view.long ? 'ENUM:' : `\n${' '.repeat(view.indent)}enum: `;
  for (const [i, value] of schema.enum.entries()) {
    if (view.limit > -1 && i >= view.limit) {
      out += ', ....';
      break;
    }
    if (i > 0 && !view.long) out += ', ';
    else if (view.long) out += `\n${' '.repeat(4)}`;
    out += value === '' ? '""' : String(value);
  }
  return out;
}

/** The template's indent: pads the first line and every line after a newline (blank ones too). */
function indent(amount: number, text: string): string {
  const pad = ' '.repeat(amount);
  return pad + text.replace(/\n/g, `\n${pad}`);
}

/**
 * The template's wrap: github.com/mitchellh/go-wordwrap's WrapString (v1.0.1), breaking lines at
 * whitespace so they stay within `limit` runes; existing newlines stay, a word longer than the
 * limit overflows.
 */
export function wrap(limit: number, text: string): string {
  let out = '';
  let current = 0;
  let word = '';
  let wordLen = 0;
  let space = '';
  let spaceLen = 0;
  for (const ch of text) {
    if (ch === '\n') {
      if (!wordLen) {
        if (current + spaceLen <= limit) out += space;
      } else out += space + word;
      space = '';
      spaceLen = 0;
      word = '';
      wordLen = 0;
      out += ch;
      current = 0;
    } else if (/\s/.test(ch) && ch !== '\u00a0') {
      if (!spaceLen || wordLen) {
        current += spaceLen + wordLen;
        out += space + word;
        space = '';
        spaceLen = 0;
        word = '';
        wordLen = 0;
      }
      space += ch;
      spaceLen++;
    } else {
      word += ch;
      wordLen++;
      if (current + spaceLen + wordLen > limit && wordLen < limit) {
        out += '\n';
        current = 0;
        space = '';
        spaceLen = 0;
      }
    }
  }
  if (!wordLen) {
    if (current + spaceLen <= limit) out += space;
  } else out += space + word;
  return out;
}

// ---------------------------------------------------------------------------------------------
// plaintext-openapiv2 (the OpenAPI v2 model printer)

/** kube-openapi's proto model of a schema, as the v2 printers visit it. */
type Proto =
  | { kind: 'kind'; description: string; fields: Record<string, Schema>; required: string[] }
  | { kind: 'array' | 'map'; description: string; sub: Schema }
  | { kind: 'primitive'; description: string; type: string }
  | { kind: 'arbitrary'; description: string }
  | { kind: 'reference'; description: string; ref: string };

function toProto(schema: Schema): Proto {
  const description = schema.description ?? '';
  if (schema.$ref) return { kind: 'reference', description, ref: schema.$ref };
  if (schema.items) return { kind: 'array', description, sub: schema.items };
  if (isSchema(schema.additionalProperties)) return { kind: 'map', description, sub: schema.additionalProperties };
  if (schema.properties) return { kind: 'kind', description, fields: schema.properties, required: schema.required ?? [] };
  // IntOrString is a string with format int-or-string in the v2 document
  if (schema['x-kubernetes-int-or-string']) return { kind: 'primitive', description, type: 'string' };
  if (schema.type && schema.type !== 'object') return { kind: 'primitive', description, type: schema.type };
  return { kind: 'arbitrary', description };
}

function subProto(doc: KindSchema, p: Proto): Proto | undefined {
  if (p.kind === 'reference') {
    const target = doc.resolve(p.ref);
    return target ? toProto(target) : undefined;
  }
  return p.kind === 'array' || p.kind === 'map' ? toProto(p.sub) : undefined;
}

/** typename.go: `Object` for a kind, `[]…`, `map[string]…`, a primitive's type; nothing for arbitrary. */
function protoTypeName(doc: KindSchema, p: Proto): string {
  switch (p.kind) {
    case 'array':
      return `[]${protoTypeName(doc, toProto(p.sub))}`;
    case 'map':
      return `map[string]${protoTypeName(doc, toProto(p.sub))}`;
    case 'kind':
      return 'Object';
    case 'primitive':
      return p.type;
    case 'reference': {
      const sub = subProto(doc, p);
      return sub ? protoTypeName(doc, sub) : '';
    }
    default:
      return '';
  }
}

/** formatter.go's Formatter: lines at an indent, wrapped at 80 columns. */
class Formatter {
  constructor(
    private readonly lines: string[],
    private readonly level = 0,
  ) {}

  indent(by: number): Formatter {
    return new Formatter(this.lines, this.level + by);
  }

  write(text: string): void {
    this.lines.push(text === '' ? '' : ' '.repeat(this.level) + text);
  }

  writeWrapped(text: string): void {
    for (const line of wrapString(text, 80 - this.level)) this.write(line);
  }
}

function renderV2({ schema: doc, fieldPath, recursive }: ExplainRequest): string {
  const root = doc.resolve(doc.root.$ref ?? '') ?? doc.root;
  let target = toProto(root);
  // field_lookup.go: follow the path; a primitive (or arbitrary) ends it wherever it is
  const path = [...fieldPath];
  for (;;) {
    if (!path.length || target.kind === 'primitive' || target.kind === 'arbitrary') break;
    if (target.kind === 'kind') {
      const field = target.fields[path[0]];
      if (!field) throw new CliError(`field "${path[0]}" does not exist`);
      path.shift();
      target = toProto(field);
      continue;
    }
    const sub = subProto(doc, target);
    if (!sub) break;
    target = sub;
  }
  const lines: string[] = [];
  printModel(doc, new Formatter(lines), target, fieldPath[fieldPath.length - 1] ?? '', recursive);
  return lines.map((l) => `${l}\n`).join('');
}

/** model_printer.go: descriptions gathered through references, arrays and maps, then the model. */
function printModel(doc: KindSchema, w: Formatter, start: Proto, name: string, recursive: boolean): void {
  const descriptions: string[] = [];
  let type = '';
  let p: Proto | undefined = start;
  const kindAndVersion = () => {
    w.write(`KIND:     ${doc.kind}`);
    w.write(`VERSION:  ${doc.group ? `${doc.group}/` : ''}${doc.version}\n`);
  };
  const printDescription = (own: string) => {
    w.write('DESCRIPTION:');
    let empty = true;
    for (const [i, text] of [...descriptions, own].entries()) {
      if (!text) continue;
      empty = false;
      if (i !== 0) w.write('');
      w.indent(5).writeWrapped(text);
    }
    if (empty) w.indent(5).writeWrapped('<empty>');
  };
  while (p) {
    switch (p.kind) {
      case 'array':
      case 'map':
        descriptions.push(p.description);
        type ||= protoTypeName(doc, p);
        p = subProto(doc, p);
        break;
      case 'reference':
        descriptions.push(p.description);
        p = subProto(doc, p);
        break;
      case 'kind':
        kindAndVersion();
        type ||= 'Object';
        if (name) w.write(`RESOURCE: ${name} <${type}>\n`);
        printDescription(p.description);
        w.write('\nFIELDS:');
        printFields(doc, w.indent(3), p, recursive, new Set());
        return;
      case 'primitive':
        kindAndVersion();
        type ||= p.type;
        w.write(`FIELD:    ${name} <${type}>\n`);
        printDescription(p.description);
        return;
      case 'arbitrary':
        kindAndVersion();
        printDescription(p.description);
        return;
    }
  }
}

/** fields_printer.go (name, type, -required-, description) or recursive_fields_printer.go (nested names). */
function printFields(doc: KindSchema, w: Formatter, p: Proto, recursive: boolean, visiting: Set<string>): void {
  if (p.kind === 'reference') {
    if (recursive && visiting.has(p.ref)) return;
    const sub = subProto(doc, p);
    if (!sub) return;
    visiting.add(p.ref);
    printFields(doc, w, sub, recursive, visiting);
    visiting.delete(p.ref);
    return;
  }
  if (p.kind === 'array' || p.kind === 'map') {
    printFields(doc, w, toProto(p.sub), recursive, visiting);
    return;
  }
  if (p.kind !== 'kind') return;
  for (const key of Object.keys(p.fields).sort()) {
    const field = toProto(p.fields[key]);
    if (recursive) {
      w.write(`${key}\t<${protoTypeName(doc, field)}>`);
      printFields(doc, w.indent(3), field, recursive, visiting);
    } else {
      w.write(`${key}\t<${protoTypeName(doc, field)}>${p.required.includes(key) ? ' -required-' : ''}`);
      w.indent(2).writeWrapped(field.description);
      w.write('');
    }
  }
}

const BULLET = /^(\d+\.?|-|\*)\s/;

/** formatter.go's wrapString: words filled up to `width`; code blocks, blank lines and bullets kept. */
function wrapString(text: string, width: number): string[] {
  const wrapped: string[] = [];
  let words: string[] = [];
  let lastWord = '';
  const lineLength = (ws: string[]) => ws.join(' ').length;
  const flush = () => {
    if (words.length) {
      lastWord = '';
      wrapped.push(words.join(' '));
      words = [];
    }
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('    ')) {
      flush();
      wrapped.push(line);
      continue;
    }
    if (wrapped.length && !line.trim()) {
      flush();
      wrapped.push('');
      continue;
    }
    const trimmed = line.trim();
    if (lastWord.endsWith(':') || !trimmed || BULLET.test(trimmed)) flush();
    for (const word of line.split(/\s+/).filter(Boolean)) {
      lastWord = word;
      if (words.length && lineLength([...words, word]) > width) flush();
      words.push(word);
    }
  }
  flush();
  return wrapped;
}
