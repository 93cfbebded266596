/**
 * A documented subset of CEL (the Common Expression Language) — enough for
 * ValidatingAdmissionPolicy expressions as users write them. A full, conformance
 * tested implementation exists on npm (@bufbuild/cel); this one keeps the project
 * free of new dependencies until it is adopted.
 *
 * Supported:
 * - literals: int (`1`, `0x1f`), uint (`1u`), double (`1.5`), strings ('..', "..",
 *   r'raw', with \n \t \\ \' \" escapes), `true`, `false`, `null`, lists `[a, b]`,
 *   maps `{'k': v}`
 * - operators: `!` `-` (unary), `* / %`, `+ -` (numbers; `+` also concatenates
 *   strings and lists) with cel-go's int64/uint64/float64 semantics (cel-values.ts),
 *   `== != < <= > >=`, `in` (list membership, map key), `&&`,
 *   `||` (with CEL's error absorption: `false && error` is false), `c ? a : b`
 * - field selection `a.b`, index `a[0]`, `a['key']`
 * - macros: `has(a.b)`, `list.all(x, p)`, `list.exists(x, p)`, `list.exists_one(x, p)`,
 *   `list.map(x, e)`, `list.filter(x, p)` (over a map: its keys)
 * - functions: `size(x)`/`x.size()`, `s.startsWith(p)`, `s.endsWith(p)`,
 *   `s.contains(p)`, `s.matches(re)`, `matches(s, re)`, `int(x)`, `uint(x)`,
 *   `double(x)`, `string(x)`, `bool(x)`, `type(x)`, and the Kubernetes string
 *   library's `lowerAscii`, `upperAscii`, `trim`, `split`, `join`, `indexOf`,
 *   `lastIndexOf`, `replace`, `substring`
 *
 * Not supported (a compile error names the construct): comprehension macros beyond
 * those above, optional field syntax `a.?b`, bytes, timestamps/durations, the
 * Kubernetes `quantity()`/`url()`/`ip()` libraries, type checking of operands.
 */

import {
  arithmetic,
  CelEvalError,
  CelUint,
  compare,
  fromData,
  MAX_INT,
  MAX_UINT,
  negate,
  numbersEqual,
  toCelString,
  toDouble,
  toInt,
  toUint,
} from './cel-values';

export class CelSyntaxError extends Error {
  constructor(
    readonly offset: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

export { CelEvalError } from './cel-values';

/** A numeric literal: `1`/`0x1f` int (range-checked by the parser, which folds a leading `-`), `1u` uint, `1.5`/`1e3` double. */
function numberLiteral(text: string, pos: number): bigint | CelUint | number {
  if (text.endsWith('u')) {
    const v = BigInt(text.slice(0, -1));
    if (v > MAX_UINT) throw new CelSyntaxError(pos, 'invalid uint literal');
    return new CelUint(v);
  }
  return /^(0[xX][0-9a-fA-F]+|\d+)$/.test(text) ? BigInt(text) : Number(text);
}

type Token =
  | { t: 'num'; v: bigint | CelUint | number; pos: number }
  | { t: 'str'; v: string; pos: number }
  | { t: 'id'; v: string; pos: number }
  | { t: 'op'; v: string; pos: number }
  | { t: 'eof'; pos: number };

const OPERATORS = [
  '&&',
  '||',
  '==',
  '!=',
  '<=',
  '>=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '!',
  '?',
  ':',
  '.',
  ',',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(0[xX][0-9a-fA-F]+u?|\d*\.\d+([eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+u?)/.exec(src.slice(i))!;
      out.push({ t: 'num', v: numberLiteral(m[0], start), pos: start });
      i += m[0].length;
      continue;
    }
    const raw = (c === 'r' || c === 'R') && (src[i + 1] === '"' || src[i + 1] === "'");
    if (c === '"' || c === "'" || raw) {
      if (raw) i++;
      const q = src[i];
      i++;
      let s = '';
      while (i < src.length && src[i] !== q) {
        if (src[i] === '\\' && !raw) {
          const e = src[i + 1];
          const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '`': '`', '?': '?' };
          if (e in map) s += map[e];
          else throw new CelSyntaxError(i, `Syntax error: invalid escape sequence '\\${e}'`);
          i += 2;
          continue;
        }
        s += src[i++];
      }
      if (i >= src.length) throw new CelSyntaxError(start, "Syntax error: token recognition error at: '" + src.slice(start) + "'");
      i++;
      out.push({ t: 'str', v: s, pos: start });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ t: 'id', v: m[0], pos: start });
      i += m[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new CelSyntaxError(i, `Syntax error: token recognition error at: '${c}'`);
    out.push({ t: 'op', v: op, pos: start });
    i += op.length;
  }
  out.push({ t: 'eof', pos: src.length });
  return out;
}

export type Node =
  | { k: 'lit'; v: unknown }
  | { k: 'id'; name: string; pos: number }
  | { k: 'sel'; obj: Node; field: string }
  | { k: 'idx'; obj: Node; index: Node }
  | { k: 'call'; name: string; target?: Node; args: Node[]; pos: number }
  | { k: 'un'; op: string; arg: Node }
  | { k: 'bin'; op: string; l: Node; r: Node }
  | { k: 'cond'; c: Node; a: Node; b: Node }
  | { k: 'list'; items: Node[] }
  | { k: 'map'; entries: [Node, Node][] };

class Parser {
  private i = 0;
  constructor(private toks: Token[]) {}
  private peek(): Token {
    return this.toks[this.i];
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }
  private isKeyword(v: string): boolean {
    const t = this.peek();
    return t.t === 'id' && t.v === v;
  }
  private expect(v: string): void {
    if (!this.isOp(v)) this.fail(`expecting '${v}'`);
    this.i++;
  }
  private fail(expecting?: string): never {
    const t = this.peek();
    const text = t.t === 'eof' ? '<EOF>' : t.t === 'str' ? `'${t.v}'` : String(t.v);
    throw new CelSyntaxError(
      t.pos,
      expecting ? `Syntax error: mismatched input '${text}' ${expecting}` : `Syntax error: extraneous input '${text}'`,
    );
  }
  parse(): Node {
    const n = this.expr();
    if (this.peek().t !== 'eof') this.fail(`expecting <EOF>`);
    return n;
  }
  private expr(): Node {
    const c = this.or();
    if (this.isOp('?')) {
      this.i++;
      const a = this.or();
      this.expect(':');
      const b = this.expr();
      return { k: 'cond', c, a, b };
    }
    return c;
  }
  private or(): Node {
    let l = this.and();
    while (this.isOp('||')) {
      this.i++;
      l = { k: 'bin', op: '||', l, r: this.and() };
    }
    return l;
  }
  private and(): Node {
    let l = this.rel();
    while (this.isOp('&&')) {
      this.i++;
      l = { k: 'bin', op: '&&', l, r: this.rel() };
    }
    return l;
  }
  private rel(): Node {
    let l = this.add();
    for (;;) {
      const t = this.peek();
      if (t.t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.v)) {
        this.i++;
        l = { k: 'bin', op: t.v, l, r: this.add() };
      } else if (this.isKeyword('in')) {
        this.i++;
        l = { k: 'bin', op: 'in', l, r: this.add() };
      } else return l;
    }
  }
  private add(): Node {
    let l = this.mul();
    while (this.isOp('+') || this.isOp('-')) {
      const op = (this.toks[this.i++] as { v: string }).v;
      l = { k: 'bin', op, l, r: this.mul() };
    }
    return l;
  }
  private mul(): Node {
    let l = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = (this.toks[this.i++] as { v: string }).v;
      l = { k: 'bin', op, l, r: this.unary() };
    }
    return l;
  }
  private unary(): Node {
    const next = this.toks[this.i + 1];
    if (this.isOp('-') && next.t === 'num' && !(next.v instanceof CelUint)) {
      // CEL's grammar reads a minus before a number as part of the literal, so MinInt64 is writable
      const pos = this.peek().pos;
      this.i += 2;
      return this.memberOf({ k: 'lit', v: typeof next.v === 'bigint' ? intLiteral(-next.v, pos) : -next.v });
    }
    if (this.isOp('!') || this.isOp('-')) {
      const op = (this.toks[this.i++] as { v: string }).v;
      return { k: 'un', op, arg: this.unary() };
    }
    return this.member();
  }
  private member(): Node {
    return this.memberOf(this.primary());
  }
  private memberOf(n: Node): Node {
    for (;;) {
      if (this.isOp('.')) {
        this.i++;
        const t = this.peek();
        if (t.t === 'op' && t.v === '?')
          throw new CelSyntaxError(t.pos, 'Syntax error: optional field selection (.?) is not supported by kubesim');
        if (t.t !== 'id') this.fail('expecting IDENTIFIER');
        this.i++;
        if (this.isOp('(')) {
          this.i++;
          n = { k: 'call', name: t.v, target: n, args: this.args(')'), pos: t.pos };
        } else n = { k: 'sel', obj: n, field: t.v };
      } else if (this.isOp('[')) {
        this.i++;
        const index = this.expr();
        this.expect(']');
        n = { k: 'idx', obj: n, index };
      } else return n;
    }
  }
  private args(close: string): Node[] {
    const out: Node[] = [];
    if (this.isOp(close)) {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.expr());
      if (this.isOp(',')) {
        this.i++;
        if (this.isOp(close)) break;
        continue;
      }
      break;
    }
    this.expect(close);
    return out;
  }
  private primary(): Node {
    const t = this.peek();
    if (t.t === 'num') {
      this.i++;
      return { k: 'lit', v: typeof t.v === 'bigint' ? intLiteral(t.v, t.pos) : t.v };
    }
    if (t.t === 'str') {
      this.i++;
      return { k: 'lit', v: t.v };
    }
    if (t.t === 'id') {
      this.i++;
      if (t.v === 'true' || t.v === 'false') return { k: 'lit', v: t.v === 'true' };
      if (t.v === 'null') return { k: 'lit', v: null };
      if (t.v === 'in') this.fail();
      if (this.isOp('(')) {
        this.i++;
        return { k: 'call', name: t.v, args: this.args(')'), pos: t.pos };
      }
      return { k: 'id', name: t.v, pos: t.pos };
    }
    if (t.t === 'op' && t.v === '(') {
      this.i++;
      const e = this.expr();
      this.expect(')');
      return e;
    }
    if (t.t === 'op' && t.v === '[') {
      this.i++;
      return { k: 'list', items: this.args(']') };
    }
    if (t.t === 'op' && t.v === '{') {
      this.i++;
      const entries: [Node, Node][] = [];
      while (!this.isOp('}')) {
        const key = this.expr();
        this.expect(':');
        entries.push([key, this.expr()]);
        if (this.isOp(',')) this.i++;
        else break;
      }
      this.expect('}');
      return { k: 'map', entries };
    }
    this.fail("expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}");
  }
}

function intLiteral(v: bigint, pos: number): bigint {
  if (v > MAX_INT || v < -MAX_INT - 1n) throw new CelSyntaxError(pos, 'invalid int literal');
  return v;
}

const MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);
const GLOBAL_FUNCTIONS = new Set(['has', 'size', 'int', 'uint', 'double', 'string', 'bool', 'type', 'matches', 'dyn']);

export interface CelProgram {
  source: string;
  ast: Node;
}

/**
 * Parses and checks an expression against the variables it may use. Errors read as
 * cel-go's: `ERROR: <input>:1:5: Syntax error: …` followed by the source line and a caret.
 */
export function compileCel(source: string, variables: string[]): CelProgram {
  let ast: Node;
  try {
    ast = new Parser(tokenize(source)).parse();
  } catch (e) {
    if (e instanceof CelSyntaxError) throw new Error(formatCelError(source, e.offset, e.detail), { cause: e });
    throw e;
  }
  checkReferences(ast, new Set(variables), source);
  return { source, ast };
}

function formatCelError(source: string, offset: number, detail: string): string {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - (before.lastIndexOf('\n') + 1);
  const text = source.split('\n')[line - 1];
  return `ERROR: <input>:${line}:${col + 1}: ${detail}\n | ${text}\n | ${'.'.repeat(col)}^`;
}

function checkReferences(n: Node, scope: Set<string>, source: string): void {
  const visit = (node: Node, vars: Set<string>): void => {
    switch (node.k) {
      case 'lit':
        return;
      case 'id':
        if (!vars.has(node.name))
          throw new Error(formatCelError(source, node.pos, `undeclared reference to '${node.name}' (in container '')`));
        return;
      case 'sel':
        return visit(node.obj, vars);
      case 'idx':
        visit(node.obj, vars);
        return visit(node.index, vars);
      case 'un':
        return visit(node.arg, vars);
      case 'bin':
        visit(node.l, vars);
        return visit(node.r, vars);
      case 'cond':
        visit(node.c, vars);
        visit(node.a, vars);
        return visit(node.b, vars);
      case 'list':
        return node.items.forEach((i) => visit(i, vars));
      case 'map':
        return node.entries.forEach(([a, b]) => (visit(a, vars), visit(b, vars)));
      case 'call': {
        if (node.name === 'has' && !node.target) {
          if (node.args.length !== 1 || node.args[0].k !== 'sel')
            throw new Error(formatCelError(source, node.pos, 'invalid argument to has() macro'));
          return visit(node.args[0], vars);
        }
        if (node.target && MACROS.has(node.name)) {
          visit(node.target, vars);
          const [v, body] = node.args;
          if (!v || v.k !== 'id' || !body || node.args.length !== 2)
            throw new Error(formatCelError(source, node.pos, `argument must be a simple name`));
          return visit(body, new Set([...vars, v.name]));
        }
        if (!node.target && !GLOBAL_FUNCTIONS.has(node.name))
          throw new Error(formatCelError(source, node.pos, `undeclared reference to '${node.name}' (in container '')`));
        if (node.target) visit(node.target, vars);
        return node.args.forEach((a) => visit(a, vars));
      }
    }
  };
  visit(n, scope);
}

type Activation = Record<string, unknown>;

/** Evaluates a compiled expression; a CelEvalError carries cel-go's runtime wording. */
export function evalCel(program: CelProgram, vars: Activation): unknown {
  return ev(program.ast, vars);
}

function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'null_type';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (v instanceof CelUint) return 'uint';
  if (typeof v === 'number') return 'double';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'list';
  return 'map';
}

function noOverload(fn: string, ...args: unknown[]): CelEvalError {
  return new CelEvalError(`no such overload: ${fn}(${args.map(typeName).join(', ')})`);
}

function isMap(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function select(obj: unknown, field: string): unknown {
  if (!isMap(obj))
    throw new CelEvalError(
      obj === null || obj === undefined ? `no such key: ${field}` : `type '${typeName(obj)}' does not support field selection`,
    );
  if (!(field in obj) || obj[field] === undefined) throw new CelEvalError(`no such key: ${field}`);
  return fromData(obj[field]);
}

function equal(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  const numeric = numbersEqual(fromData(a), fromData(b));
  if (numeric !== undefined) return numeric;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => k in b && equal(a[k], b[k]));
  }
  return a === b;
}

function truthy(v: unknown, op: string): boolean {
  if (typeof v !== 'boolean') throw noOverload(op, v);
  return v;
}

function ev(n: Node, vars: Activation): unknown {
  switch (n.k) {
    case 'lit':
      return n.v;
    case 'id':
      return fromData(vars[n.name] ?? null);
    case 'sel':
      return select(ev(n.obj, vars), n.field);
    case 'idx': {
      const obj = ev(n.obj, vars);
      const index = ev(n.index, vars);
      if (Array.isArray(obj)) {
        if (typeof index !== 'bigint' && !(index instanceof CelUint)) throw noOverload('_[_]', obj, index);
        const i = index instanceof CelUint ? index.value : index;
        if (i < 0n || i >= BigInt(obj.length)) throw new CelEvalError(`index out of bounds: ${i}`);
        return fromData(obj[Number(i)]);
      }
      if (isMap(obj)) {
        if (!(String(index) in obj) || obj[String(index)] === undefined) throw new CelEvalError(`no such key: ${index}`);
        return fromData(obj[String(index)]);
      }
      throw noOverload('_[_]', obj, index);
    }
    case 'un': {
      const v = ev(n.arg, vars);
      if (n.op === '!') return !truthy(v, '!_');
      return negate(v);
    }
    case 'cond':
      return truthy(ev(n.c, vars), '_?_:_') ? ev(n.a, vars) : ev(n.b, vars);
    case 'list':
      return n.items.map((i) => ev(i, vars));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of n.entries) out[String(ev(k, vars))] = ev(v, vars);
      return out;
    }
    case 'bin':
      return binary(n, vars);
    case 'call':
      return call(n, vars);
  }
}

function binary(n: Extract<Node, { k: 'bin' }>, vars: Activation): unknown {
  if (n.op === '&&' || n.op === '||') {
    // CEL's logical operators are commutative over errors: a definite answer on
    // either side wins (`false && error` is false, `error || true` is true)
    const decisive = n.op === '||';
    let leftErr: unknown;
    let left: boolean | undefined;
    try {
      left = truthy(ev(n.l, vars), n.op === '&&' ? '_&&_' : '_||_');
      if (left === decisive) return decisive;
    } catch (e) {
      leftErr = e;
    }
    const right = truthy(ev(n.r, vars), n.op === '&&' ? '_&&_' : '_||_');
    if (right === decisive) return decisive;
    if (leftErr) throw leftErr;
    return !decisive;
  }
  const l = ev(n.l, vars);
  const r = ev(n.r, vars);
  switch (n.op) {
    case '==':
      return equal(l, r);
    case '!=':
      return !equal(l, r);
    case 'in':
      if (Array.isArray(r)) return r.some((x) => equal(x, l));
      if (isMap(r)) return String(l) in r;
      throw noOverload('@in', l, r);
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const c = compare(n.op, l, r);
      return n.op === '<' ? c < 0 : n.op === '<=' ? c <= 0 : n.op === '>' ? c > 0 : c >= 0;
    }
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return arithmetic(n.op, l, r);
  }
  throw new CelEvalError(`unknown operator ${n.op}`);
}

function hasField(n: Node, vars: Activation): boolean {
  if (n.k !== 'sel') return false;
  const obj = ev(n.obj, vars);
  if (!isMap(obj)) throw new CelEvalError(`invalid type for field selection.`);
  return n.field in obj && obj[n.field] !== undefined && obj[n.field] !== null;
}

function sizeOf(v: unknown): bigint {
  if (typeof v === 'string') return BigInt([...v].length);
  if (Array.isArray(v)) return BigInt(v.length);
  if (isMap(v)) return BigInt(Object.keys(v).length);
  throw noOverload('size', v);
}

function call(n: Extract<Node, { k: 'call' }>, vars: Activation): unknown {
  if (!n.target && n.name === 'has') return hasField(n.args[0], vars);
  if (n.target && MACROS.has(n.name)) {
    const range = ev(n.target, vars);
    const items = Array.isArray(range) ? range.map(fromData) : isMap(range) ? Object.keys(range) : undefined;
    if (!items) throw noOverload(n.name, range);
    const varName = (n.args[0] as { name: string }).name;
    const body = n.args[1];
    const run = (x: unknown) => ev(body, { ...vars, [varName]: x });
    switch (n.name) {
      case 'all': {
        let err: unknown;
        for (const x of items) {
          try {
            if (!truthy(run(x), 'all')) return false;
          } catch (e) {
            err ??= e;
          }
        }
        if (err) throw err;
        return true;
      }
      case 'exists': {
        let err: unknown;
        for (const x of items) {
          try {
            if (truthy(run(x), 'exists')) return true;
          } catch (e) {
            err ??= e;
          }
        }
        if (err) throw err;
        return false;
      }
      case 'exists_one':
        return items.filter((x) => truthy(run(x), 'exists_one')).length === 1;
      case 'map':
        return items.map(run);
      case 'filter':
        return items.filter((x) => truthy(run(x), 'filter'));
    }
  }
  const target = n.target ? ev(n.target, vars) : undefined;
  const args = n.args.map((a) => ev(a, vars));
  const str = (v: unknown, fn: string): string => {
    if (typeof v !== 'string') throw noOverload(fn, target, ...args);
    return v;
  };
  if (!n.target) {
    const [a, b] = args;
    switch (n.name) {
      case 'size':
        return sizeOf(a);
      case 'int':
        return toInt(a);
      case 'uint':
        return toUint(a);
      case 'double':
        return toDouble(a);
      case 'string':
        return toCelString(a);
      case 'bool':
        if (typeof a === 'boolean') return a;
        if (a === 'true' || a === 'false') return a === 'true';
        throw noOverload('bool', a);
      case 'type':
        return typeName(a);
      case 'dyn':
        return a;
      case 'matches':
        return new RegExp(str(b, 'matches')).test(str(a, 'matches'));
    }
    throw new CelEvalError(`undeclared reference to '${n.name}'`);
  }
  switch (n.name) {
    case 'size':
      return sizeOf(target);
    case 'startsWith':
      return str(target, 'startsWith').startsWith(str(args[0], 'startsWith'));
    case 'endsWith':
      return str(target, 'endsWith').endsWith(str(args[0], 'endsWith'));
    case 'contains':
      return str(target, 'contains').includes(str(args[0], 'contains'));
    case 'matches':
      return new RegExp(str(args[0], 'matches')).test(str(target, 'matches'));
    case 'lowerAscii':
      return str(target, 'lowerAscii').replace(/[A-Z]/g, (c) => c.toLowerCase());
    case 'upperAscii':
      return str(target, 'upperAscii').replace(/[a-z]/g, (c) => c.toUpperCase());
    case 'trim':
      return str(target, 'trim').trim();
    case 'split':
      return str(target, 'split').split(str(args[0], 'split'));
    case 'indexOf':
      return BigInt(str(target, 'indexOf').indexOf(str(args[0], 'indexOf')));
    case 'lastIndexOf':
      return BigInt(str(target, 'lastIndexOf').lastIndexOf(str(args[0], 'lastIndexOf')));
    case 'replace':
      return str(target, 'replace').split(str(args[0], 'replace')).join(str(args[1], 'replace'));
    case 'substring': {
      const s = str(target, 'substring');
      return s.substring(Number(toInt(args[0])), args[1] === undefined ? s.length : Number(toInt(args[1])));
    }
    case 'join':
      if (!Array.isArray(target)) throw noOverload('join', target);
      return target.map((x) => str(x, 'join')).join(args.length ? str(args[0], 'join') : '');
  }
  throw new CelEvalError(`no such overload: ${typeName(target)}.${n.name}`);
}
