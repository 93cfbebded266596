import { CliError } from '../util/errors';
import { compareGoStrings, formatGoFloat, formatRune, goQuote } from './go-fmt';

/**
 * kubectl's JSONPath templates, ported from k8s.io/client-go/util/jsonpath (parser.go,
 * jsonpath.go) so templates parse, fail and print the way `kubectl -o jsonpath` does.
 * Data is what kubectl walks after decoding JSON into unstructured content: maps, slices,
 * strings, bools, null, and numbers that are int64 when integral and float64 otherwise.
 */

export interface JsonPathTemplate {
  /** the template text as given, quoted back in kubectl's error messages */
  readonly source: string;
  readonly root: ListNode;
}

interface ListNode {
  readonly type: 'list';
  readonly nodes: Node[];
}
interface TextNode {
  readonly type: 'text';
  readonly text: string;
}
interface FieldNode {
  readonly type: 'field';
  readonly name: string;
}
/** `range` and `end`; anything else fails at execution, as in client-go */
interface IdentifierNode {
  readonly type: 'identifier';
  readonly name: string;
}
interface ArrayNode {
  readonly type: 'array';
  readonly params: readonly [SliceParam, SliceParam, SliceParam];
}
interface FilterNode {
  readonly type: 'filter';
  readonly left: ListNode;
  readonly right: ListNode;
  readonly operator: string;
}
interface IntNode {
  readonly type: 'int';
  readonly value: number;
}
interface FloatNode {
  readonly type: 'float';
  readonly value: GoFloat;
}
interface BoolNode {
  readonly type: 'bool';
  readonly value: boolean;
}
interface WildcardNode {
  readonly type: 'wildcard';
}
interface RecursiveNode {
  readonly type: 'recursive';
}
interface UnionNode {
  readonly type: 'union';
  readonly branches: ListNode[];
}
type Node =
  | ListNode
  | TextNode
  | FieldNode
  | IdentifierNode
  | ArrayNode
  | FilterNode
  | IntNode
  | FloatNode
  | BoolNode
  | WildcardNode
  | RecursiveNode
  | UnionNode;

/** One bound of `[start:end:step]`; `derived` marks the end of a plain index `[i]` (i+1). */
interface SliceParam {
  value: number;
  known: boolean;
  derived: boolean;
}

/** A float literal from a template (`{1.0}`): Go keeps it float64 even when integral. */
class GoFloat {
  constructor(readonly value: number) {}
}

/** What reflect.ValueOf(nil) is in client-go: the data of a range over nothing. */
const NO_VALUE = Symbol('no value');

/** A template the parser rejects; `message` is client-go's text (`unterminated array`). */
export class JsonPathSyntaxError extends CliError {}

/** A failure while walking data; `message` is client-go's text (`x is not found`). */
export class JsonPathExecutionError extends CliError {
  /** what the failing step returned alongside its error; a filter's existence test still uses it */
  readonly partial: unknown[];
  constructor(message: string, partial: unknown[]) {
    super(message);
    this.partial = partial;
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing (client-go util/jsonpath/parser.go)

const EOF = -1;
const DICT_KEY_RE = /^'([^']*)'$/;
const SLICE_RE = /^(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?$/;
// Go's `.` is any character but \n; JS's `.` also stops at \r, \u2028 and \u2029.
const FILTER_RE = /^([^!<>=]+)([!<>=]+)([^\n]+?)$/;

class Parser {
  root: ListNode = newList();
  private input = '';
  private pos = 0;
  private start = 0;
  private width = 0;

  parse(text: string): void {
    this.input = text;
    this.root = newList();
    this.pos = 0;
    this.parseText(this.root);
  }

  private consumeText(): string {
    const value = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return value;
  }

  private next(): number {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const rune = this.input.codePointAt(this.pos)!;
    this.width = rune > 0xffff ? 2 : 1;
    this.pos += this.width;
    return rune;
  }

  private peek(): number {
    const rune = this.next();
    this.backup();
    return rune;
  }

  private backup(): void {
    this.pos -= this.width;
  }

  private at(offset: number): string {
    return this.input[offset] ?? '';
  }

  private parseText(cur: ListNode): void {
    for (;;) {
      if (this.input.startsWith('{', this.pos)) {
        if (this.pos > this.start) cur.nodes.push({ type: 'text', text: this.consumeText() });
        return this.parseLeftDelim(cur);
      }
      if (this.next() === EOF) break;
    }
    if (this.pos > this.start) cur.nodes.push({ type: 'text', text: this.consumeText() });
  }

  private parseLeftDelim(cur: ListNode): void {
    this.pos += 1;
    this.consumeText();
    const action = newList();
    cur.nodes.push(action);
    return this.parseInsideAction(action);
  }

  private parseInsideAction(cur: ListNode): void {
    if (this.input.startsWith('}', this.pos)) return this.parseRightDelim();
    if (this.input.startsWith('[?(', this.pos)) return this.parseFilter(cur);
    if (this.input.startsWith('..', this.pos)) return this.parseRecursive(cur);
    const r = this.next();
    if (r === EOF || isEndOfLine(r)) throw new JsonPathSyntaxError('unclosed action');
    if (r === 0x20 || r === 0x40 /* @ */ || r === 0x24 /* $ */) {
      this.consumeText();
    } else if (r === 0x5b /* [ */) {
      return this.parseArray(cur);
    } else if (r === 0x22 || r === 0x27) {
      return this.parseQuote(cur, r);
    } else if (r === 0x2e /* . */) {
      return this.parseField(cur);
    } else if (r === 0x2b || r === 0x2d || isDigit(r)) {
      this.backup();
      return this.parseNumber(cur);
    } else if (isAlphaNumeric(r)) {
      this.backup();
      return this.parseIdentifier(cur);
    } else {
      throw new JsonPathSyntaxError(`unrecognized character in action: ${formatRune(r)}`);
    }
    return this.parseInsideAction(cur);
  }

  private parseRightDelim(): void {
    this.pos += 1;
    this.consumeText();
    return this.parseText(this.root);
  }

  private parseIdentifier(cur: ListNode): void {
    for (;;) {
      if (isTerminator(this.next())) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (value === 'true' || value === 'false') cur.nodes.push({ type: 'bool', value: value === 'true' });
    else cur.nodes.push({ type: 'identifier', name: value });
    return this.parseInsideAction(cur);
  }

  private parseRecursive(cur: ListNode): void {
    if (cur.nodes[cur.nodes.length - 1]?.type === 'recursive') throw new JsonPathSyntaxError('invalid multiple recursive descent');
    this.pos += 2;
    this.consumeText();
    cur.nodes.push({ type: 'recursive' });
    if (isAlphaNumeric(this.peek())) return this.parseField(cur);
    return this.parseInsideAction(cur);
  }

  private parseNumber(cur: ListNode): void {
    const sign = this.peek();
    if (sign === 0x2b || sign === 0x2d) this.next();
    for (;;) {
      const r = this.next();
      if (r !== 0x2e && !isDigit(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (/^[+-]?[0-9]+$/.test(value) && Number.isSafeInteger(Number(value))) {
      cur.nodes.push({ type: 'int', value: Number(value) });
    } else if (/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)$/.test(value)) {
      cur.nodes.push({ type: 'float', value: new GoFloat(Number(value)) });
    } else {
      throw new JsonPathSyntaxError(`cannot parse number ${value}`);
    }
    return this.parseInsideAction(cur);
  }

  private parseArray(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) throw new JsonPathSyntaxError('unterminated array');
      if (r === 0x5d /* ] */) break;
    }
    let text = this.consumeText().slice(1, -1);
    if (text === '*') text = ':';

    const parts = text.split(',');
    if (parts.length > 1) {
      const branches = parts.map((part) => parseAction(`[${trimSpaces(part)}]`));
      cur.nodes.push({ type: 'union', branches });
      return this.parseInsideAction(cur);
    }

    // ['key'] is `.key` re-parsed, so dots inside the quotes still split the key (as in kubectl)
    const dictKey = DICT_KEY_RE.exec(text);
    if (dictKey) {
      cur.nodes.push(...parseAction(`.${dictKey[1]}`).nodes);
      return this.parseInsideAction(cur);
    }

    const slice = SLICE_RE.exec(text);
    if (!slice) throw new JsonPathSyntaxError(`invalid array index ${text}`);
    const params: SliceParam[] = [];
    for (let i = 0; i < 3; i++) {
      let part = slice[i + 1] ?? '';
      if (part !== '') {
        if (i > 0) part = part.slice(1);
        if (i > 0 && part === '') {
          params.push({ value: 0, known: false, derived: false });
        } else {
          if (!/^[+-]?[0-9]+$/.test(part)) throw new JsonPathSyntaxError(`array index ${part} is not a number`);
          params.push({ value: Number(part), known: true, derived: false });
        }
      } else if (i === 1) {
        params.push({ value: params[0].value + 1, known: true, derived: true });
      } else {
        params.push({ value: 0, known: false, derived: false });
      }
    }
    cur.nodes.push({ type: 'array', params: [params[0], params[1], params[2]] });
    return this.parseInsideAction(cur);
  }

  private parseFilter(cur: ListNode): void {
    this.pos += 3;
    this.consumeText();
    let begin = false;
    let end = false;
    let pair = 0;
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) throw new JsonPathSyntaxError('unterminated filter');
      if (r === 0x22 || r === 0x27) {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (this.at(this.pos - 2) !== '\\' && r === pair) end = true;
      } else if (r === 0x29 /* ) */ && begin === end) {
        break;
      }
    }
    if (this.next() !== 0x5d) throw new JsonPathSyntaxError('unclosed array expect ]');
    const text = this.consumeText().slice(0, -2);
    const comparison = FILTER_RE.exec(text);
    if (!comparison) {
      cur.nodes.push({ type: 'filter', left: parseAction(text), right: newList(), operator: 'exists' });
    } else {
      const left = parseAction(comparison[1]);
      const right = parseAction(comparison[3]);
      cur.nodes.push({ type: 'filter', left, right, operator: comparison[2] });
    }
    return this.parseInsideAction(cur);
  }

  private parseQuote(cur: ListNode, quote: number): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) throw new JsonPathSyntaxError('unterminated quoted string');
      if (r === quote && this.at(this.pos - 2) !== '\\') break;
    }
    const value = this.consumeText();
    const text = unquoteExtend(value);
    if (text === undefined) throw new JsonPathSyntaxError(`unquote string ${value} error invalid syntax`);
    cur.nodes.push({ type: 'text', text });
    return this.parseInsideAction(cur);
  }

  private parseField(cur: ListNode): void {
    this.consumeText();
    while (this.advance()) {
      /* scan to the next unescaped terminator */
    }
    const value = this.consumeText();
    if (value === '*') cur.nodes.push({ type: 'wildcard' });
    else cur.nodes.push({ type: 'field', name: value.replace(/\\/g, '') });
    return this.parseInsideAction(cur);
  }

  private advance(): boolean {
    const r = this.next();
    if (r === 0x5c /* \ */) {
      this.next();
    } else if (isTerminator(r)) {
      this.backup();
      return false;
    }
    return true;
  }
}

function newList(): ListNode {
  return { type: 'list', nodes: [] };
}

/** client-go's parseAction: the text parsed as `{text}`, returning that one action. */
function parseAction(text: string): ListNode {
  const parser = new Parser();
  parser.parse(`{${text}}`);
  return parser.root.nodes[0] as ListNode;
}

function trimSpaces(s: string): string {
  return s.replace(/^ +| +$/g, '');
}

function isTerminator(r: number): boolean {
  if (r === EOF || r === 0x20 || r === 0x09 || isEndOfLine(r)) return true;
  return '.,[]$@{}'.includes(String.fromCodePoint(r));
}

function isEndOfLine(r: number): boolean {
  return r === 0x0d || r === 0x0a;
}

function isDigit(r: number): boolean {
  return r >= 0 && /\p{Nd}/u.test(String.fromCodePoint(r));
}

function isAlphaNumeric(r: number): boolean {
  return r === 0x5f || (r >= 0 && /[\p{L}\p{Nd}]/u.test(String.fromCodePoint(r)));
}

/** client-go's UnquoteExtend: strconv.Unquote that also takes single-quoted strings; undefined on a syntax error. */
function unquoteExtend(quoted: string): string | undefined {
  if (quoted.length < 2) return undefined;
  const quote = quoted[0];
  if (quote !== quoted[quoted.length - 1] || (quote !== '"' && quote !== "'")) return undefined;
  const body = quoted.slice(1, -1);
  if (!body.includes('\\') && !body.includes(quote)) return body;

  const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
  let out = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (c === quote) return undefined;
    if (c !== '\\') {
      const cp = body.codePointAt(i)!;
      out += String.fromCodePoint(cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return undefined;
    i += 2;
    if (e in simple) {
      out += simple[e];
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const digits = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i, i + digits);
      if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) return undefined;
      const cp = parseInt(hex, 16);
      if (e !== 'x' && (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) return undefined;
      out += String.fromCodePoint(cp);
      i += digits;
    } else if (e >= '0' && e <= '7') {
      const octal = e + body.slice(i, i + 2);
      if (!/^[0-7]{3}$/.test(octal)) return undefined;
      const value = parseInt(octal, 8);
      if (value > 255) return undefined;
      out += String.fromCharCode(value);
      i += 2;
    } else if (e === "'" || e === '"') {
      if (e !== quote) return undefined;
      out += e;
    } else {
      return undefined;
    }
  }
  return out;
}

/** Parses a template, throwing client-go's own message (`unterminated array`). */
export function compileJsonPath(template: string): JsonPathTemplate {
  const parser = new Parser();
  parser.parse(template);
  return { source: template, root: parser.root };
}

/** Parses a template for `-o jsonpath`, failing in kubectl's words. */
export function parseJsonPath(template: string): JsonPathTemplate {
  try {
    return compileJsonPath(template);
  } catch (e) {
    if (e instanceof JsonPathSyntaxError) throw new CliError(`error parsing jsonpath ${template}, ${e.message}`);
    throw e;
  }
}

/**
 * The template of `-o jsonpath=…`: kubectl takes it verbatim (`-o jsonpath=.metadata.name`
 * prints the literal text, and quotes are printed too); only an empty one is refused.
 */
export function jsonPathFromFlag(value: string): string {
  if (value === '') throw new CliError('template format specified but no template given');
  return value;
}

const RELAXED_RE = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/;

/**
 * kubectl's RelaxedJSONPathExpression, used by custom-columns, --sort-by and
 * `wait --for=jsonpath=`: `a.b`, `.a.b`, `{a.b}` and `{.a.b}` all become `{.a.b}`.
 */
export function relaxedJsonPathExpression(path: string): string {
  if (path === '') return path;
  const match = RELAXED_RE.exec(path);
  if (!match) {
    throw new CliError("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
  }
  return `{.${match[1] ?? match[2]}}`;
}

// ---------------------------------------------------------------------------------------------
// Execution (client-go util/jsonpath/jsonpath.go)

type GoKind = 'invalid' | 'nil' | 'map' | 'slice' | 'string' | 'int' | 'float' | 'bool';

function kindOf(value: unknown): GoKind {
  if (value === NO_VALUE) return 'invalid';
  if (value === null || value === undefined) return 'nil';
  if (value instanceof GoFloat) return 'float';
  if (Array.isArray(value)) return 'slice';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return isGoInt(value) ? 'int' : 'float';
    case 'object':
      return 'map';
    default:
      return 'nil';
  }
}

/** JSON integers decode to int64 in unstructured content; anything else is float64. */
function isGoInt(n: number): boolean {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 63;
}

function numberOf(value: unknown): number {
  return value instanceof GoFloat ? value.value : (value as number);
}

/** The Go type name client-go puts in `… is not array or slice`. */
function goTypeName(value: unknown): string {
  switch (kindOf(value)) {
    case 'map':
      return 'map[string]interface {}';
    case 'slice':
      return '[]interface {}';
    case 'int':
      return 'int64';
    case 'float':
      return 'float64';
    case 'invalid':
      return '<invalid reflect.Value>';
    case 'nil':
      return 'interface {}';
    default:
      return kindOf(value);
  }
}

function mapEntries(value: Record<string, unknown>): [string, unknown][] {
  return sortedKeys(value)
    .filter((k) => value[k] !== undefined)
    .map((k) => [k, value[k]]);
}

/** Go sorts map keys by bytes, i.e. by code point; JS's default sort is by UTF-16 unit. */
function sortedKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value).sort(compareGoStrings);
}

/** Children a wildcard or `..` visits; a string's children are its bytes, as with reflect. */
function childrenOf(value: unknown): unknown[] {
  switch (kindOf(value)) {
    case 'map':
      return mapEntries(value as Record<string, unknown>).map(([, v]) => v);
    case 'slice':
      return (value as unknown[]).map((v) => (v === undefined ? null : v));
    case 'string':
      return [...Buffer.from(value as string, 'utf8')];
    default:
      return [];
  }
}

interface RangeState {
  beginRange: number;
  inRange: number;
  endRange: number;
  lastEndNode: Node | undefined;
}

class Executor {
  private readonly state: RangeState = { beginRange: 0, inRange: 0, endRange: 0, lastEndNode: undefined };

  constructor(private readonly allowMissingKeys: boolean) {}

  findResults(data: unknown, nodes: readonly Node[]): unknown[][] {
    const state = this.state;
    const cur = [data];
    const fullResult: unknown[][] = [];
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      const results = this.walk(cur, node);

      // an {end} closes the innermost range body
      if (state.endRange > 0 && state.endRange <= state.inRange) {
        state.endRange--;
        state.lastEndNode = node;
        break;
      }
      if (state.beginRange > 0) {
        state.beginRange--;
        state.inRange++;
        const body = nodes.slice(i + 1);
        if (results.length > 0) {
          for (const value of results) fullResult.push(...this.findResults(value, body));
        } else {
          // still walk the body so the matching {end} is found
          this.findResults(NO_VALUE, body);
        }
        state.inRange--;
        for (let k = i + 1; k < nodes.length; k++) {
          if (nodes[k] === state.lastEndNode) {
            i = k;
            break;
          }
        }
        continue;
      }
      fullResult.push(results);
    }
    return fullResult;
  }

  private walk(values: unknown[], node: Node): unknown[] {
    switch (node.type) {
      case 'list':
        return this.evalList(values, node);
      case 'text':
        return [node.text];
      case 'field':
        return this.evalField(values, node);
      case 'array':
        return this.evalArray(values, node);
      case 'filter':
        return this.evalFilter(values, node);
      case 'int':
      case 'float':
      case 'bool':
        return values.map(() => node.value);
      case 'wildcard':
        return values.flatMap((v) => (kindOf(v) === 'nil' ? [] : childrenOf(v)));
      case 'recursive':
        return this.evalRecursive(values);
      case 'union':
        return this.evalUnion(values, node);
      case 'identifier':
        return this.evalIdentifier(values, node);
    }
  }

  private evalList(values: unknown[], node: ListNode): unknown[] {
    let cur = values;
    for (const child of node.nodes) cur = this.walk(cur, child);
    return cur;
  }

  private evalIdentifier(input: unknown[], node: IdentifierNode): unknown[] {
    if (node.name === 'range') {
      this.state.beginRange++;
      return input;
    }
    if (node.name === 'end') {
      if (this.state.inRange > 0) {
        this.state.endRange++;
        return [];
      }
      throw new JsonPathExecutionError('not in range, nothing to end', []);
    }
    throw new JsonPathExecutionError(`unrecognized identifier ${node.name}`, input);
  }

  private evalArray(input: unknown[], node: ArrayNode): unknown[] {
    const result: unknown[] = [];
    for (const value of input) {
      if (kindOf(value) === 'nil') continue;
      if (kindOf(value) !== 'slice') throw new JsonPathExecutionError(`${goTypeName(value)} is not array or slice`, input);
      const list = childrenOf(value);
      const length = list.length;
      const [start, end, step] = node.params.map((p) => ({ ...p }));
      if (!start.known) start.value = 0;
      if (start.value < 0) start.value += length;
      if (!end.known) end.value = length;
      if (end.value < 0 || (end.value === 0 && end.derived)) end.value += length;
      // a request for zero elements ends the whole step, dropping any later inputs (as client-go does)
      if (end.value === start.value) return result;
      if (start.value >= length || start.value < 0) {
        throw new JsonPathExecutionError(`array index out of bounds: index ${start.value}, length ${length}`, input);
      }
      if (end.value > length || end.value < 0) {
        throw new JsonPathExecutionError(`array index out of bounds: index ${end.value - 1}, length ${length}`, input);
      }
      if (start.value > end.value) {
        throw new JsonPathExecutionError(`starting index ${start.value} is greater than ending index ${end.value}`, input);
      }
      let stride = 1;
      if (step.known) {
        if (step.value <= 0) throw new JsonPathExecutionError('step must be > 0', input);
        stride = step.value;
      }
      const selected = list.slice(start.value, end.value);
      for (let i = 0; i < selected.length; i += stride) result.push(selected[i]);
    }
    return result;
  }

  private evalField(input: unknown[], node: FieldNode): unknown[] {
    const results: unknown[] = [];
    if (input.length === 0) return results;
    for (const value of input) {
      if (kindOf(value) !== 'map') continue;
      const map = value as Record<string, unknown>;
      if (Object.prototype.hasOwnProperty.call(map, node.name) && map[node.name] !== undefined) results.push(map[node.name]);
    }
    if (results.length === 0 && !this.allowMissingKeys) throw new JsonPathExecutionError(`${node.name} is not found`, results);
    return results;
  }

  private evalRecursive(input: unknown[]): unknown[] {
    const result: unknown[] = [];
    for (const value of input) {
      if (kindOf(value) === 'nil') continue;
      const children = childrenOf(value);
      if (children.length > 0) {
        result.push(value);
        result.push(...this.evalRecursive(children));
      }
    }
    return result;
  }

  private evalUnion(input: unknown[], node: UnionNode): unknown[] {
    const result: unknown[] = [];
    for (const branch of node.branches) {
      try {
        result.push(...this.evalList(input, branch));
      } catch (e) {
        if (e instanceof JsonPathExecutionError) throw new JsonPathExecutionError(e.message, input);
        throw e;
      }
    }
    return result;
  }

  private evalFilter(input: unknown[], node: FilterNode): unknown[] {
    const results: unknown[] = [];
    for (const value of input) {
      if (kindOf(value) !== 'slice') {
        throw new JsonPathExecutionError(`${formatGoValue(value)} is not array or slice and cannot be filtered`, input);
      }
      for (const item of childrenOf(value)) {
        let lefts: unknown[];
        let leftError: JsonPathExecutionError | undefined;
        try {
          lefts = this.evalList([item], node.left);
        } catch (e) {
          if (!(e instanceof JsonPathExecutionError)) throw e;
          lefts = e.partial;
          leftError = e;
        }
        if (node.operator === 'exists') {
          if (lefts.length > 0) results.push(item);
          continue;
        }
        if (leftError) throw new JsonPathExecutionError(leftError.message, input);
        if (lefts.length === 0) continue;
        if (lefts.length > 1) throw new JsonPathExecutionError('can only compare one element at a time', input);

        let rights: unknown[];
        try {
          rights = this.evalList([item], node.right);
        } catch (e) {
          if (e instanceof JsonPathExecutionError) throw new JsonPathExecutionError(e.message, input);
          throw e;
        }
        if (rights.length === 0) continue;
        if (rights.length > 1) throw new JsonPathExecutionError('can only compare one element at a time', input);

        let pass: boolean;
        try {
          pass = compareValues(node.operator, lefts[0], rights[0]);
        } catch (e) {
          if (e instanceof JsonPathExecutionError) throw new JsonPathExecutionError(e.message, results);
          throw e;
        }
        if (pass) results.push(item);
      }
    }
    return results;
  }
}

// text/template's comparison functions (client-go third_party/forked/golang/template/funcs.go)
type BasicKind = 'bool' | 'int' | 'float' | 'string';

function basicKind(value: unknown): BasicKind {
  const kind = kindOf(value);
  if (kind === 'bool' || kind === 'int' || kind === 'float' || kind === 'string') return kind;
  throw new JsonPathExecutionError('invalid type for comparison', []);
}

function goEqual(a: unknown, b: unknown): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka !== kb) throw new JsonPathExecutionError('incompatible types for comparison', []);
  if (ka === 'int' || ka === 'float') return numberOf(a) === numberOf(b);
  return a === b;
}

function goLess(a: unknown, b: unknown): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka !== kb) throw new JsonPathExecutionError('incompatible types for comparison', []);
  if (ka === 'bool') throw new JsonPathExecutionError('invalid type for comparison', []);
  if (ka === 'string') return compareGoStrings(a as string, b as string) < 0;
  return numberOf(a) < numberOf(b);
}

function compareValues(operator: string, left: unknown, right: unknown): boolean {
  switch (operator) {
    case '<':
      return goLess(left, right);
    case '>':
      return !(goLess(left, right) || goEqual(left, right));
    case '==':
      return goEqual(left, right);
    case '!=':
      return !goEqual(left, right);
    case '<=':
      return goLess(left, right) || goEqual(left, right);
    case '>=':
      return !goLess(left, right);
    default:
      throw new JsonPathExecutionError(`unrecognized filter operator ${operator}`, []);
  }
}

/**
 * Every value the template selects, one list per top-level part (text, `{…}`, range
 * iteration), as client-go's FindResults returns them. Throws JsonPathExecutionError.
 */
export function findJsonPathResults(template: JsonPathTemplate, data: unknown, opts: { allowMissingKeys?: boolean } = {}): unknown[][] {
  return new Executor(opts.allowMissingKeys ?? false).findResults(data === undefined ? NO_VALUE : data, template.root.nodes);
}

/**
 * Runs a template the way `kubectl -o jsonpath` prints it: strings raw, numbers as Go
 * prints them, maps and lists as compact JSON, several results of one part joined by a
 * space. `outputJson` is `-o jsonpath-as-json`. Failures carry kubectl's message.
 */
export function executeJsonPath(
  template: JsonPathTemplate,
  data: unknown,
  opts: { allowMissingKeys?: boolean; outputJson?: boolean } = {},
): string {
  let fullResults: unknown[][];
  try {
    fullResults = findJsonPathResults(template, data, opts);
  } catch (e) {
    if (!(e instanceof JsonPathExecutionError)) throw e;
    throw new CliError(
      `error executing jsonpath ${goQuote(template.source)}: Error executing template: ${e.message}. Printing more information for debugging the template:\n` +
        `\ttemplate was:\n\t\t${template.source}\n` +
        `\tobject given to jsonpath engine was:\n\t\t${formatGoSyntax(data)}\n\n`,
    );
  }
  let out = '';
  for (const results of fullResults) {
    if (opts.outputJson) {
      out += `${goJson(results, '    ', '')}\n`;
      continue;
    }
    out += results.map(printResult).join(' ');
  }
  return out;
}

/** One result as PrintResults writes it: containers as JSON, everything else as text. */
function printResult(value: unknown): string {
  const kind = kindOf(value);
  if (kind === 'map' || kind === 'slice') return goJson(value);
  if (kind === 'nil') return 'null';
  if (kind === 'invalid') return '<no value>';
  return formatGoValue(value);
}

// ---------------------------------------------------------------------------------------------
// Go formatting of unstructured values

/** Go's fmt.Sprint (%v) of an unstructured value: `map[a:1 b:[x y]]`, `<nil>`. */
export function formatGoValue(value: unknown): string {
  switch (kindOf(value)) {
    case 'nil':
      return '<nil>';
    case 'invalid':
      return '<invalid reflect.Value>';
    case 'string':
      return value as string;
    case 'bool':
      return String(value);
    case 'int':
      return String(value);
    case 'float':
      return formatGoFloat(numberOf(value));
    case 'slice':
      return `[${childrenOf(value).map(formatGoValue).join(' ')}]`;
    case 'map':
      return `map[${mapEntries(value as Record<string, unknown>)
        .map(([k, v]) => `${k}:${formatGoValue(v)}`)
        .join(' ')}]`;
  }
}

/** Go's %#v of unstructured content, as kubectl dumps it when a template fails. */
function formatGoSyntax(value: unknown): string {
  switch (kindOf(value)) {
    case 'nil':
      return 'interface {}(nil)';
    case 'invalid':
      return '<invalid reflect.Value>';
    case 'string':
      return goQuote(value as string);
    case 'slice':
      return `[]interface {}{${childrenOf(value).map(formatGoSyntax).join(', ')}}`;
    case 'map':
      return `map[string]interface {}{${mapEntries(value as Record<string, unknown>)
        .map(([k, v]) => `${goQuote(k)}:${formatGoSyntax(v)}`)
        .join(', ')}}`;
    default:
      return formatGoValue(value);
  }
}

/** Go's encoding/json string form: like JSON.stringify, plus HTML-safe escapes. */
function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Go's json.Marshal (or MarshalIndent when `indent` is given): sorted keys, HTML escaping. */
export function goJson(value: unknown, indent?: string, prefix = ''): string {
  const inner = indent === undefined ? '' : prefix + indent;
  const open = indent === undefined ? '' : `\n${inner}`;
  const close = indent === undefined ? '' : `\n${prefix}`;
  const separator = indent === undefined ? ',' : `,\n${inner}`;
  const colon = indent === undefined ? ':' : ': ';
  switch (kindOf(value)) {
    case 'nil':
    case 'invalid':
      return 'null';
    case 'string':
      return goJsonString(value as string);
    case 'bool':
      return String(value);
    case 'int':
    case 'float':
      // encoding/json and JS agree: shortest digits, exponent below 1e-6 or from 1e21 up
      return String(numberOf(value));
    case 'slice': {
      const items = childrenOf(value);
      if (items.length === 0) return '[]';
      return `[${open}${items.map((v) => goJson(v, indent, inner)).join(separator)}${close}]`;
    }
    case 'map': {
      const entries = mapEntries(value as Record<string, unknown>);
      if (entries.length === 0) return '{}';
      return `{${open}${entries.map(([k, v]) => `${goJsonString(k)}${colon}${goJson(v, indent, inner)}`).join(separator)}${close}}`;
    }
  }
}
