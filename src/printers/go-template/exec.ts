import { goQuote } from '../go-fmt';
import { formatValue } from './fmt';
import { FuncError, FUNCS, type GoFunc, type ParamType } from './funcs';
import {
  nodeString,
  type BranchNode,
  type ChainNode,
  type CommandNode,
  type FieldNode,
  type IdentifierNode,
  type Node,
  type NumberNode,
  type PipeNode,
  type TemplateNode,
  type VariableNode,
} from './nodes';
import type { ParsedTree } from './parse';
import {
  elementOf,
  GoComplex,
  GoFloat,
  GoIface,
  GoInt,
  GoMap,
  GoSlice,
  indirect,
  indirectInterface,
  isTrue,
  mapIndex,
  typeName,
  type Concrete,
  type Value,
} from './values';
import { compareGoStrings } from '../go-fmt';

/**
 * text/template/exec.go: walks the parse tree over the data. Errors carry Go's text:
 * `template: output:1:8: executing "output" at <.data.zz>: map has no entry for key "zz"`.
 */
export class TemplateExecError extends Error {}

/** The final-argument marker: nothing came from a previous pipeline stage. */
const MISSING = Symbol('missing');
type Final = Value | undefined | typeof MISSING;

const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');
const MAX_EXEC_DEPTH = 100000;

interface Variable {
  name: string;
  value: Value | undefined;
}

export interface ExecOptions {
  /** missingkey=error: a missing map key fails instead of printing `<no value>` */
  missingKeyError: boolean;
}

export function execute(trees: Map<string, ParsedTree>, name: string, data: Concrete, opts: ExecOptions): string {
  const state = new State(trees, trees.get(name)!, opts, [{ name: '$', value: data }]);
  state.run(data);
  return state.output;
}

/** Executes and returns what was written before a failure too (kubectl prints it). */
export function executePartial(
  trees: Map<string, ParsedTree>,
  name: string,
  data: Concrete,
  opts: ExecOptions,
): { output: string; error?: TemplateExecError } {
  const state = new State(trees, trees.get(name)!, opts, [{ name: '$', value: data }]);
  try {
    state.run(data);
    return { output: state.output };
  } catch (e) {
    if (e instanceof TemplateExecError) return { output: state.output, error: e };
    throw e;
  }
}

class State {
  output = '';
  private node: Node | null = null;
  private depth = 0;
  constructor(
    private readonly trees: Map<string, ParsedTree>,
    private tmpl: ParsedTree,
    private readonly opts: ExecOptions,
    private vars: Variable[],
  ) {}

  run(dot: Value): void {
    if (!this.tmpl?.root) this.errorf(`${goQuote(this.tmpl?.name ?? 'output')} is an incomplete or empty template`);
    try {
      this.walk(dot, this.tmpl.root);
    } catch (e) {
      // Go stops at maxExecDepth; a JS stack runs out first on runaway recursion
      if (e instanceof RangeError) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
      throw e;
    }
  }

  // --- variables

  private push(name: string, value: Value | undefined): void {
    this.vars.push({ name, value });
  }
  private mark(): number {
    return this.vars.length;
  }
  private pop(mark: number): void {
    this.vars.length = mark;
  }
  private setVar(name: string, value: Value | undefined): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  private setTopVar(n: number, value: Value | undefined): void {
    this.vars[this.vars.length - n].value = value;
  }
  private varValue(name: string): Value | undefined {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i].value;
    this.errorf(`undefined variable: ${name}`);
  }

  // --- errors

  private at(node: Node): void {
    this.node = node;
  }

  private errorf(message: string): never {
    const name = this.tmpl?.name ?? 'output';
    if (!this.node) throw new TemplateExecError(`template: ${name}: ${message}`);
    const { location, context } = this.errorContext(this.node);
    throw new TemplateExecError(`template: ${location}: executing ${goQuote(name)} at <${context}>: ${message}`);
  }

  /** parse.Tree.ErrorContext: `output:LINE:COL` with COL in bytes from the line start. */
  private errorContext(n: Node): { location: string; context: string } {
    const text = this.tmpl.text.slice(0, n.pos);
    const lastNewline = text.lastIndexOf('\n');
    const col = Buffer.byteLength(text.slice(lastNewline + 1), 'utf8');
    const line = 1 + (text.match(/\n/g)?.length ?? 0);
    return { location: `${this.tmpl.parseName}:${line}:${col}`, context: nodeString(n) };
  }

  // --- walking

  private walk(dot: Value | undefined, node: Node): void {
    this.at(node);
    switch (node.type) {
      case 'action': {
        // a declaration prints nothing; its variables persist until the enclosing {{end}}
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
      case 'if':
      case 'with':
        return this.walkIfOrWith(dot, node);
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'range':
        return this.walkRange(dot, node);
      case 'template':
        return this.walkTemplate(dot, node);
      case 'text':
        this.output += node.text;
        return;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkIfOrWith(dot: Value | undefined, node: BranchNode): void {
    const mark = this.mark();
    try {
      const val = this.evalPipeline(dot, node.pipe);
      const { truth, ok } = isTrue(indirectInterface(val));
      if (!ok) this.errorf(`if/with can't use ${this.describe(val)}`);
      if (truth) this.walk(node.type === 'with' ? val : dot, node.list);
      else if (node.elseList) this.walk(dot, node.elseList);
    } finally {
      this.pop(mark);
    }
  }

  private walkRange(dot: Value | undefined, r: BranchNode): void {
    this.at(r);
    const outer = this.mark();
    try {
      const { value: val } = indirect(this.evalPipeline(dot, r.pipe));
      const mark = this.mark();
      const oneIteration = (index: Value, elem: Value): void => {
        const decl = r.pipe.decl;
        if (decl.length > 0) {
          if (r.pipe.isAssign) this.setVar(decl[0].ident[0], decl.length > 1 ? index : elem);
          else this.setTopVar(1, elem);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1].ident[0], elem);
          else this.setTopVar(2, index);
        }
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e !== CONTINUE) throw e;
        } finally {
          this.pop(mark);
        }
      };
      let iterated = false;
      if (val instanceof GoSlice) {
        val.items.forEach((item, i) => oneIteration(new GoInt(BigInt(i), 'int'), elementOf(item)));
        iterated = val.items.length > 0;
      } else if (val instanceof GoMap) {
        const keys = Object.keys(val.entries)
          .filter((k) => val.entries[k] !== undefined)
          .sort(compareGoStrings);
        for (const k of keys) oneIteration(k, mapIndex(val, k)!);
        iterated = keys.length > 0;
      } else if (val !== undefined) {
        this.errorf(`range can't iterate over ${this.describe(val)}`);
      }
      if (!iterated && r.elseList) this.walk(dot, r.elseList);
    } catch (e) {
      if (e !== BREAK) throw e;
    } finally {
      this.pop(outer);
    }
  }

  private walkTemplate(dot: Value | undefined, t: TemplateNode): void {
    this.at(t);
    const tmpl = this.trees.get(t.name);
    if (!tmpl?.root) this.errorf(`template ${goQuote(t.name)} not defined`);
    if (this.depth === MAX_EXEC_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    const newDot = this.evalPipeline(dot, t.pipe);
    // no dynamic scoping: the invoked template sees only $
    const saved = { tmpl: this.tmpl, vars: this.vars };
    this.tmpl = tmpl;
    this.vars = [{ name: '$', value: newDot }];
    this.depth++;
    try {
      this.walk(newDot, tmpl.root);
    } finally {
      this.depth--;
      this.tmpl = saved.tmpl;
      this.vars = saved.vars;
    }
  }

  // --- evaluation

  private evalPipeline(dot: Value | undefined, pipe: PipeNode | null): Value | undefined {
    if (!pipe) return undefined;
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // an interface{} result is looked through: its concrete value, or invalid for nil
      if (value instanceof GoIface) value = value.elem ?? undefined;
    }
    const result = value === MISSING ? undefined : value;
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0], result);
      else this.push(v.ident[0], result);
    }
    return result;
  }

  private notAFunction(args: Node[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args[0])}`);
  }

  private evalCommand(dot: Value | undefined, cmd: CommandNode, final: Final): Value | undefined {
    const first = cmd.args[0];
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        this.errorf('nil is not a command');
      // falls through: errorf never returns
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
    }
    this.errorf(`can't evaluate command ${goQuote(nodeString(first))}`);
  }

  /** A literal's type from its syntax: int unless it has a point or exponent. */
  private idealConstant(constant: NumberNode): Value {
    this.at(constant);
    const text = constant.text;
    if (constant.isComplex) return new GoComplex(...constant.complex);
    const hexInt = /^0[xX]/.test(text) && !/[pP]/.test(text);
    if (constant.isFloat && !hexInt && !text.startsWith("'") && /[.eEpP]/.test(text)) return new GoFloat(constant.float64);
    if (constant.isInt) return new GoInt(constant.int64, 'int');
    this.errorf(`${text} overflows int`);
  }

  private evalFieldNode(dot: Value | undefined, field: FieldNode, args: Node[] | null, final: Final): Value | undefined {
    this.at(field);
    return this.evalFieldChain(dot, field.ident, args, final);
  }

  private evalChainNode(dot: Value | undefined, chain: ChainNode, args: Node[] | null, final: Final): Value | undefined {
    this.at(chain);
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, 'none', chain.node);
    return this.evalFieldChain(pipe as Value | undefined, chain.field, args, final);
  }

  private evalVariableNode(variable: VariableNode, args: Node[] | null, final: Final): Value | undefined {
    this.at(variable);
    const value = this.varValue(variable.ident[0]);
    if (variable.ident.length === 1) {
      this.notAFunction(args ?? [variable], final);
      return value;
    }
    return this.evalFieldChain(value, variable.ident.slice(1), args, final);
  }

  private evalFieldChain(receiver: Value | undefined, ident: string[], args: Node[] | null, final: Final): Value | undefined {
    for (let i = 0; i < ident.length - 1; i++) receiver = this.evalField(ident[i], null, MISSING, receiver);
    return this.evalField(ident[ident.length - 1], args, final, receiver);
  }

  private evalFunction(dot: Value | undefined, node: IdentifierNode, cmd: Node, args: Node[] | null, final: Final): Value | undefined {
    this.at(node);
    const fn = FUNCS[node.ident];
    if (!fn) this.errorf(`${goQuote(node.ident)} is not a defined function`);
    return this.evalCall(dot, fn, cmd, node.ident, args, final);
  }

  /** `.Field` on a map: the key's value; Go's texts for everything else. */
  private evalField(fieldName: string, args: Node[] | null, final: Final, receiver: Value | undefined): Value | undefined {
    if (receiver === undefined) {
      if (this.opts.missingKeyError) this.errorf(`nil data; no entry for key ${goQuote(fieldName)}`);
      return undefined;
    }
    const typ = typeName(receiver);
    const { value, isNil } = indirect(receiver);
    if (isNil) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
    if (value instanceof GoMap) {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      const result = mapIndex(value, fieldName);
      if (result === undefined && this.opts.missingKeyError) this.errorf(`map has no entry for key ${goQuote(fieldName)}`);
      return result;
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
  }

  private evalCall(dot: Value | undefined, fn: GoFunc, node: Node, name: string, allArgs: Node[] | null, final: Final): Value | undefined {
    const args = allArgs ? allArgs.slice(1) : [];
    let numIn = args.length;
    if (final !== MISSING) numIn++;
    let numFixed = args.length;
    if (fn.variadic) {
      numFixed = fn.params.length - 1;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${fn.params.length - 1} got ${args.length}`);
    } else if (numIn !== fn.params.length) {
      this.errorf(`wrong number of args for ${name}: want ${fn.params.length} got ${numIn}`);
    }
    // and/or stop at the first argument that decides the result, leaving the rest unevaluated
    if (fn.builtin && (name === 'and' || name === 'or')) {
      let v: Value | undefined;
      for (const arg of args) {
        v = this.evalArg(dot, 'value', arg) as Value | undefined;
        if (isTrue(indirectInterface(v)).truth === (name === 'or')) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }
    const argv: unknown[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv.push(this.evalArg(dot, fn.params[i], args[i]));
    if (fn.variadic) for (; i < args.length; i++) argv.push(this.evalArg(dot, fn.params[fn.params.length - 1], args[i]));
    if (final !== MISSING) {
      let t = fn.params[fn.params.length - 1];
      if (fn.variadic && numIn - 1 < numFixed) t = fn.params[numIn - 1];
      argv.push(this.validateType(final, t));
    }
    // call gets the callee's name first, to name it in its error
    if (fn.builtin && name === 'call') argv.unshift(nodeString(args[0]));
    try {
      return fn.call(argv);
    } catch (e) {
      if (!(e instanceof FuncError)) throw e;
      this.at(node);
      this.errorf(`error calling ${name}: ${e.message}`);
    }
  }

  /** validateType: a value as a parameter of the given type takes it, with Go's complaints. */
  private validateType(value: Value | undefined, typ: ParamType | 'none'): unknown {
    switch (typ) {
      case 'none':
      case 'value':
        return value;
      case 'any':
        return value instanceof GoIface ? value.elem : (value ?? null);
      case 'string': {
        if (value === undefined) this.errorf('invalid value; expected string');
        if (typeof value === 'string') return value;
        const inner = value instanceof GoIface && value.elem !== null ? value.elem : value;
        if (typeof inner === 'string') return inner;
        this.errorf(`wrong type for value; expected string; got ${typeName(inner)}`);
      }
    }
  }

  private evalArg(dot: Value | undefined, typ: ParamType | 'none', n: Node): unknown {
    this.at(n);
    switch (n.type) {
      case 'dot':
        return this.validateType(dot, typ);
      case 'nil':
        if (typ === 'value' || typ === 'none') return undefined;
        if (typ === 'any') return null;
        this.errorf('cannot assign nil to string');
      // falls through: errorf never returns
      case 'field':
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case 'variable':
        return this.validateType(this.evalVariableNode(n, null, MISSING), typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n, n, null, MISSING), typ);
      case 'chain':
        return this.validateType(this.evalChainNode(dot, n, null, MISSING), typ);
    }
    if (typ === 'string') {
      if (n.type === 'string') return n.text;
      this.errorf(`expected string; found ${nodeString(n)}`);
    }
    switch (n.type) {
      case 'bool':
        return n.value;
      case 'number':
        return this.idealConstant(n);
      case 'string':
        return n.text;
    }
    this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  }

  private printValue(n: Node, v: Value | undefined): void {
    this.at(n);
    this.output += v === undefined ? '<no value>' : formatValue(v instanceof GoIface ? v.elem : v);
  }

  /** %v of a value, as Go's messages show it. */
  private describe(v: Value | undefined): string {
    if (v === undefined) return '<invalid reflect.Value>';
    return formatValue(v instanceof GoIface ? v.elem : v);
  }
}
