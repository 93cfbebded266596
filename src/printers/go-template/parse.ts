import { goQuote, goUnquote, unquoteChar } from '../go-fmt';
import { itemString, Lexer, type Item, type ItemType } from './lex';
import {
  nodeString,
  type BranchNode,
  type ChainNode,
  type CommandNode,
  type ListNode,
  type Node,
  type NumberNode,
  type PipeNode,
  type TemplateNode,
  type VariableNode,
} from './nodes';

/**
 * text/template/parse/parse.go: templates parsed with Go's grammar and its error texts
 * (`template: output:1: unexpected "}" in operand`, `function "upper" not defined`).
 */
export class TemplateParseError extends Error {}

export interface ParsedTree {
  name: string;
  /** the top-level template's name, which error locations carry */
  parseName: string;
  root: ListNode | null;
  text: string;
}

const MAX_STACK_DEPTH = 10000;

export class Tree implements ParsedTree {
  parseName: string;
  root: ListNode | null = null;
  text = '';
  private lex!: Lexer;
  private readonly token: Item[] = [];
  private peekCount = 0;
  private vars: string[] = [];
  private treeSet!: Map<string, ParsedTree>;
  private actionLine = 0;
  private rangeDepth = 0;
  private stackDepth = 0;

  constructor(
    public name: string,
    private readonly hasFunction: (name: string) => boolean,
  ) {
    this.parseName = name;
  }

  /** Parses `text`, adding this tree and every {{define}} to treeSet. */
  parse(text: string, treeSet: Map<string, ParsedTree>): void {
    this.parseName = this.name;
    this.startParse(new Lexer(text), treeSet);
    this.text = text;
    this.parseTop();
    this.add();
  }

  // --- token buffer (three-token look-ahead, as in Go)

  private next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lex.nextItem();
    return this.token[this.peekCount];
  }

  private backup(): void {
    this.peekCount++;
  }

  private backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }

  private backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }

  private peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1];
    this.peekCount = 1;
    this.token[0] = this.lex.nextItem();
    return this.token[0];
  }

  private nextNonSpace(): Item {
    let token: Item;
    do token = this.next();
    while (token.typ === 'space');
    return token;
  }

  private peekNonSpace(): Item {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }

  // --- errors

  private errorf(message: string): never {
    this.root = null;
    throw new TemplateParseError(`template: ${this.parseName}:${this.token[0]?.line ?? 1}: ${message}`);
  }

  private expect(expected: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.typ !== expected) this.unexpected(token, context);
    return token;
  }

  private expectOneOf(expected1: ItemType, expected2: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.typ !== expected1 && token.typ !== expected2) this.unexpected(token, context);
    return token;
  }

  private unexpected(token: Item, context: string): never {
    if (token.typ === 'error') {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.parseName}:${this.actionLine}`;
        if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${itemString(token)}${extra}`);
    }
    this.errorf(`unexpected ${itemString(token)} in ${context}`);
  }

  private startParse(lex: Lexer, treeSet: Map<string, ParsedTree>): void {
    this.root = null;
    this.lex = lex;
    this.vars = ['$'];
    this.treeSet = treeSet;
    this.stackDepth = 0;
  }

  private add(): void {
    const tree = this.treeSet.get(this.name);
    if (!tree || isEmptyTree(tree.root)) {
      this.treeSet.set(this.name, this);
      return;
    }
    if (!isEmptyTree(this.root)) this.errorf(`template: multiple definition of template ${goQuote(this.name)}`);
  }

  private subTree(name: string): Tree {
    const t = new Tree(name, this.hasFunction);
    t.text = this.text;
    t.parseName = this.parseName;
    t.startParse(this.lex, this.treeSet);
    return t;
  }

  // --- grammar

  private parseTop(): void {
    this.root = { type: 'list', pos: this.peek().pos, nodes: [] };
    while (this.peek().typ !== 'EOF') {
      if (this.peek().typ === 'leftDelim') {
        const delim = this.next();
        if (this.nextNonSpace().typ === 'define') {
          this.subTree('definition').parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') this.errorf(`unexpected ${nodeString(n)}`);
      this.root.nodes.push(n);
    }
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const name = this.expectOneOf('string', 'rawString', context);
    this.name = this.unquote(name.val);
    this.expect('rightDelim', context);
    const [root, end] = this.itemList();
    this.root = root;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.add();
  }

  private itemList(): [ListNode, Node] {
    const list: ListNode = { type: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().typ !== 'EOF') {
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') return [list, n];
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case 'text':
        return { type: 'text', pos: token.pos, text: token.val };
      case 'leftDelim':
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      default:
        this.unexpected(token, 'input');
    }
  }

  private action(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case 'block':
        return this.blockControl();
      case 'break':
      case 'continue':
        return this.loopControl(token);
      case 'else':
        return this.elseControl();
      case 'end':
        return { type: 'end', pos: this.expect('rightDelim', 'end').pos };
      case 'if':
      case 'range':
      case 'with':
        return this.control(token.typ);
      case 'template':
        return this.templateControl();
    }
    this.backup();
    const start = this.peek();
    return { type: 'action', pos: start.pos, line: start.line, pipe: this.pipeline('command', 'rightDelim') };
  }

  private loopControl(keyword: Item): Node {
    const name = keyword.typ as 'break' | 'continue';
    const token = this.nextNonSpace();
    if (token.typ !== 'rightDelim') this.unexpected(token, `{{${name}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${name}}} outside {{range}}`);
    return { type: name, pos: keyword.pos, line: keyword.line };
  }

  private pipeline(context: string, end: ItemType): PipeNode {
    const start = this.peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', pos: start.pos, line: start.line, isAssign: false, decl: [], cmds: [] };
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== 'variable') break;
      this.next();
      // "$x foo" needs three tokens of look-ahead to tell an argument from a declaration
      const tokenAfterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.typ === 'assign' || next.typ === 'declare') {
        pipe.isAssign = next.typ === 'assign';
        this.nextNonSpace();
        pipe.decl.push({ type: 'variable', pos: v.pos, ident: v.val.split('.') });
        this.vars.push(v.val);
      } else if (next.typ === 'char' && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push({ type: 'variable', pos: v.pos, ident: v.val.split('.') });
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const t = this.peekNonSpace().typ;
          if (t === 'variable' || t === 'rightDelim' || t === 'rightParen') continue decls;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      } else if (tokenAfterVariable.typ === 'space') {
        this.backup3(v, tokenAfterVariable);
      } else {
        this.backup2(v);
      }
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      switch (token.typ) {
        case end:
          this.checkPipeline(pipe, context);
          return pipe;
        case 'bool':
        case 'charConstant':
        case 'complex':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      // with A|B|C, pipeline stage 2 is B
      if (['bool', 'dot', 'nil', 'number', 'string'].includes(c.args[0].type))
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
    });
  }

  private parseControl(context: 'if' | 'range' | 'with'): Omit<BranchNode, 'type'> {
    const numVars = this.vars.length;
    try {
      const pipe = this.pipeline(context, 'rightDelim');
      if (context === 'range') this.rangeDepth++;
      const [list, next] = this.itemList();
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (next.type === 'else') {
        // {{else if …}} and {{else with …}} are {{else}}{{if …}}…{{end}}{{end}} with the last {{end}} implied
        if ((context === 'if' || context === 'with') && this.peek().typ === context) {
          this.next();
          elseList = { type: 'list', pos: next.pos, nodes: [this.control(context)] };
        } else {
          const [list2, end] = this.itemList();
          elseList = list2;
          if (end.type !== 'end') this.errorf(`expected end; found ${nodeString(end)}`);
        }
      }
      return { pos: pipe.pos, line: pipe.line, pipe, list, elseList };
    } finally {
      this.vars.length = numVars;
    }
  }

  private control(context: 'if' | 'range' | 'with'): BranchNode {
    return { type: context, ...this.parseControl(context) };
  }

  private elseControl(): Node {
    const peek = this.peekNonSpace();
    // {{else if …}} and {{else with …}}: the keyword is left for parseControl
    if (peek.typ === 'if' || peek.typ === 'with') return { type: 'else', pos: peek.pos, line: peek.line };
    const token = this.expect('rightDelim', 'else');
    return { type: 'else', pos: token.pos, line: token.line };
  }

  private blockControl(): Node {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    const pipe = this.pipeline(context, 'rightDelim');
    const block = this.subTree(name);
    const [root, end] = block.itemList();
    block.root = root;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    block.add();
    return { type: 'template', pos: token.pos, line: token.line, name, pipe } satisfies TemplateNode;
  }

  private templateControl(): Node {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().typ !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline(context, 'rightDelim');
    }
    return { type: 'template', pos: token.pos, line: token.line, name, pipe };
  }

  private parseTemplateName(token: Item, context: string): string {
    if (token.typ === 'string' || token.typ === 'rawString') return this.unquote(token.val);
    this.unexpected(token, context);
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const token = this.next();
      if (token.typ === 'space') continue;
      if (token.typ === 'rightDelim' || token.typ === 'rightParen') this.backup();
      else if (token.typ !== 'pipe') this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): Node | null {
    const node = this.term();
    if (!node) return null;
    if (this.peek().typ !== 'field') return node;
    const chain: ChainNode = { type: 'chain', pos: this.peek().pos, node, field: [] };
    while (this.peek().typ === 'field') chain.field.push(this.next().val.slice(1));
    switch (node.type) {
      case 'field':
        return { type: 'field', pos: chain.pos, ident: nodeString(chain).slice(1).split('.') };
      case 'variable':
        return { type: 'variable', pos: chain.pos, ident: nodeString(chain).split('.') };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
      // falls through: errorf never returns
      default:
        return chain;
    }
  }

  private term(): Node | null {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case 'identifier':
        if (!this.hasFunction(token.val)) this.errorf(`function ${goQuote(token.val)} not defined`);
        return { type: 'identifier', pos: token.pos, ident: token.val };
      case 'dot':
        return { type: 'dot', pos: token.pos };
      case 'nil':
        return { type: 'nil', pos: token.pos };
      case 'variable':
        return this.useVar(token.pos, token.val);
      case 'field':
        return { type: 'field', pos: token.pos, ident: token.val.slice(1).split('.') };
      case 'bool':
        return { type: 'bool', pos: token.pos, value: token.val === 'true' };
      case 'charConstant':
      case 'complex':
      case 'number':
        return this.newNumber(token);
      case 'leftParen':
        if (this.stackDepth >= MAX_STACK_DEPTH) this.errorf('max expression depth exceeded');
        this.stackDepth++;
        try {
          return this.pipeline('parenthesized pipeline', 'rightParen');
        } finally {
          this.stackDepth--;
        }
      case 'string':
      case 'rawString':
        return { type: 'string', pos: token.pos, quoted: token.val, text: this.unquote(token.val) };
    }
    this.backup();
    return null;
  }

  private unquote(quoted: string): string {
    const s = goUnquote(quoted);
    if (s === undefined) this.errorf('invalid syntax');
    return s;
  }

  private useVar(pos: number, name: string): VariableNode {
    const v: VariableNode = { type: 'variable', pos, ident: name.split('.') };
    if (!this.vars.includes(v.ident[0])) this.errorf(`undefined variable ${goQuote(v.ident[0])}`);
    return v;
  }

  private newNumber(token: Item): NumberNode {
    const result = parseNumber(token.val, token.typ);
    if (typeof result === 'string') this.errorf(result);
    return { ...result, pos: token.pos };
  }
}

/** parse.IsEmptyTree: nothing but spaces (a define-only template leaves its root empty). */
function isEmptyTree(n: Node | null): boolean {
  if (!n) return true;
  if (n.type === 'list') return n.nodes.every(isEmptyTree);
  if (n.type === 'text') return n.text.trim() === '';
  return false;
}

/** node.go's newNumber: what a literal is as int, uint and float; an error text otherwise. */
export function parseNumber(text: string, typ: ItemType): Omit<NumberNode, 'pos'> | string {
  const n: Omit<NumberNode, 'pos'> = {
    type: 'number',
    text,
    isInt: false,
    isUint: false,
    isFloat: false,
    isComplex: false,
    int64: 0n,
    uint64: 0n,
    float64: 0,
    complex: [0, 0],
  };
  if (typ === 'charConstant') {
    const c = unquoteChar(text.slice(1), text[0]);
    if (!c) return 'invalid syntax';
    if (c.tail !== "'") return `malformed character constant: ${text}`;
    return { ...n, isInt: true, isUint: true, isFloat: true, int64: BigInt(c.value), uint64: BigInt(c.value), float64: c.value };
  }
  if (typ === 'complex') {
    // fmt.Sscan's complex syntax: real part, then the signed imaginary part ending in i
    let split = text.length - 1;
    while (split > 0 && !('+-'.includes(text[split]) && !'eEpP'.includes(text[split - 1]))) split--;
    const re = split > 0 ? parseGoFloat(text.slice(0, split)) : undefined;
    const im = split > 0 ? parseGoFloat(text.slice(split, -1)) : undefined;
    if (re === undefined || im === undefined) return 'syntax error scanning complex number';
    return simplifyComplex({ ...n, isComplex: true, complex: [re, im] });
  }
  if (text.endsWith('i')) {
    const f = parseGoFloat(text.slice(0, -1));
    if (f !== undefined) return simplifyComplex({ ...n, isComplex: true, complex: [0, f] });
  }
  const u = parseGoInt(text, false);
  if (u !== undefined) {
    n.isUint = true;
    n.uint64 = u;
  }
  const i = parseGoInt(text, true);
  if (i !== undefined) {
    n.isInt = true;
    n.int64 = i;
    if (i === 0n) {
      n.isUint = true; // -0
      n.uint64 = 0n;
    }
  }
  if (n.isInt) {
    n.isFloat = true;
    n.float64 = Number(n.int64);
  } else if (n.isUint) {
    n.isFloat = true;
    n.float64 = Number(n.uint64);
  } else {
    const f = parseGoFloat(text);
    if (f !== undefined) {
      // parsed as a float but looks like an integer: too large for an int
      if (!/[.eEpP]/.test(text)) return `integer overflow: ${goQuote(text)}`;
      n.isFloat = true;
      n.float64 = f;
      if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) {
        n.isInt = true;
        n.int64 = BigInt(f);
      }
      if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) {
        n.isUint = true;
        n.uint64 = BigInt(f);
      }
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) return `illegal number syntax: ${goQuote(text)}`;
  return n;
}

function simplifyComplex(n: Omit<NumberNode, 'pos'>): Omit<NumberNode, 'pos'> {
  const [re, im] = n.complex;
  if (im !== 0) return n;
  const out = { ...n, isFloat: true, float64: re };
  if (Number.isInteger(re) && Math.abs(re) < 2 ** 63) Object.assign(out, { isInt: true, int64: BigInt(re) });
  if (Number.isInteger(re) && re >= 0 && re < 2 ** 64) Object.assign(out, { isUint: true, uint64: BigInt(re) });
  return out;
}

/** strconv's underscoreOK: `_` only between digits (or after a base prefix). */
function underscoreOK(text: string): boolean {
  let s = text.replace(/^[+-]/, '');
  let saw = '^';
  let hex = false;
  if (/^0[bBoOxX]/.test(s)) {
    hex = /^0[xX]/.test(s);
    s = s.slice(2);
    saw = '0';
  }
  for (const c of s) {
    if (/[0-9]/.test(c) || (hex && /[a-fA-F]/.test(c))) saw = '0';
    else if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
    } else {
      if (saw === '_') return false;
      saw = '!';
    }
  }
  return saw !== '_';
}

/** strconv.ParseInt(text, 0, 64) (signed) or ParseUint(text, 0, 64); undefined on any error. */
function parseGoInt(text: string, signed: boolean): bigint | undefined {
  let s = text;
  let negative = false;
  if (signed && (s[0] === '+' || s[0] === '-')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s.includes('_') && !underscoreOK(s)) return undefined;
  s = s.replace(/_/g, '');
  let base = 10;
  if (/^0[xX]/.test(s)) [base, s] = [16, s.slice(2)];
  else if (/^0[oO]/.test(s)) [base, s] = [8, s.slice(2)];
  else if (/^0[bB]/.test(s)) [base, s] = [2, s.slice(2)];
  else if (/^0./.test(s)) [base, s] = [8, s.slice(1)];
  const digitsRe = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[base as 2 | 8 | 10 | 16];
  if (!digitsRe.test(s)) return undefined;
  let value = 0n;
  for (const c of s) value = value * BigInt(base) + BigInt(parseInt(c, base));
  if (negative) value = -value;
  if (signed ? value < -(2n ** 63n) || value >= 2n ** 63n : value >= 2n ** 64n) return undefined;
  return value;
}

/** strconv.ParseFloat(text, 64) for decimal and hexadecimal literals; undefined on a syntax error. */
function parseGoFloat(text: string): number | undefined {
  if (text.includes('_') && !underscoreOK(text)) return undefined;
  const s = text.replace(/_/g, '');
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(s);
  if (hex) {
    const [, sign, whole, frac = '', exp] = hex;
    if (!whole && !frac) return undefined;
    const mantissa = parseInt(whole + frac || '0', 16) / 16 ** frac.length;
    const v = mantissa * 2 ** Number(exp);
    return sign === '-' ? -v : v;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}
