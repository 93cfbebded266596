/**
 * CEL (the Common Expression Language) for x-kubernetes-validations, ValidatingAdmissionPolicy and
 * webhook matchConditions, on @bufbuild/cel (a conformance-tested CEL evaluator with an RE2 engine).
 *
 * kubesim adds the glue the API server's cel-go environment has and @bufbuild/cel lacks:
 * - compile-time checks cel-go's parser and checker make: int/uint literals in range, `has()` of a
 *   field selection, macro variables that are simple names, no undeclared variables or functions
 *   (@bufbuild/cel's checker does not cover these), with cel-go's `ERROR: <input>:l:c: …` frame;
 * - the Kubernetes CEL library functions (cel-kube-library.ts) on top of the cel-go `strings` extension;
 * - object data read as cel-go reads JSON-decoded objects (integral numbers are int) and results
 *   handed back as plain values (cel-values.ts);
 * - runtime errors with cel-go's wording (`no such overload`, `integer overflow`, `no such key: x`).
 *
 * - the kube regex library (`find`, `findAll`: cel-regex.ts) and the `ip()`/`cidr()` (cel-net.ts)
 *   and `url()` (cel-url.ts) types, protobuf messages as `quantity()` is (cel-quantity.ts): @bufbuild/cel has no
 *   other way to add value types.
 *
 * - the optional syntax and library (`a.?b`, `optional.of(x)`, `.orValue(v)`: cel-optional.ts, which
 *   rewrites the syntax before @bufbuild/cel's parser sees it) and kube's format library
 *   (`format.dns1123Label().validate(s)`: cel-format.ts).
 */

import { celEnv, isCelError, parse, plan, type CelEnv, type CelError, type CelValue } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { CelEvalError, celGoError, fromCelValue, toCelInput } from './cel-values';
import { KUBE_FUNCTIONS } from './cel-kube-library';
import { REGEX_FUNCTIONS } from './cel-regex';
import { NET_FUNCTIONS } from './cel-net';
import { URL_FUNCTIONS } from './cel-url';
import { CEL_REGISTRY, QUANTITY_FUNCTIONS } from './cel-quantity';
import { OPTIONAL_FUNCTIONS, desugarOptionals } from './cel-optional';
import { FORMAT_FUNCTIONS } from './cel-format';

export { CelEvalError } from './cel-values';

type ParsedExpr = ReturnType<typeof parse>;
type Expr = NonNullable<ParsedExpr['expr']>;

const ENV: CelEnv = celEnv({
  registry: CEL_REGISTRY,
  funcs: [
    ...strings,
    ...KUBE_FUNCTIONS,
    ...REGEX_FUNCTIONS,
    ...NET_FUNCTIONS,
    ...URL_FUNCTIONS,
    ...QUANTITY_FUNCTIONS,
    ...OPTIONAL_FUNCTIONS,
    ...FORMAT_FUNCTIONS,
  ],
});

/** Calls the parser leaves in the tree (macros are already expanded into comprehensions). */
const BUILTIN_CALLS = ['_&&_', '_||_', '_?_:_', '_[_]', '@not_strictly_false', '@in', '!_'];
const FUNCTIONS = new Set<string>([...BUILTIN_CALLS, ...[...ENV.funcs].map((f) => f.name)]);
/** Type names are identifiers too (`type(x) == int`). */
const TYPE_NAMES = ['int', 'uint', 'double', 'string', 'bool', 'bytes', 'list', 'map', 'null_type', 'type', 'dyn'];
const MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

const MAX_INT = 2n ** 63n - 1n;
const MIN_INT = -(2n ** 63n);
const MAX_UINT = 2n ** 64n - 1n;

export interface CelProgram {
  source: string;
  variables: readonly string[];
  /** the checked expression (macros expanded, namespaced functions resolved), which cel-cost.ts walks */
  expr?: Expr;
  run: (bindings: Record<string, unknown>) => unknown;
}

/** cel-go's error frame: `ERROR: <input>:line:col: detail`, the source line and a caret. */
function formatCelError(source: string, offset: number, detail: string): string {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - (before.lastIndexOf('\n') + 1);
  const text = source.split('\n')[line - 1];
  return `ERROR: <input>:${line}:${col + 1}: ${detail}\n | ${text}\n | ${'.'.repeat(col)}^`;
}

interface ParserError {
  location?: { start?: { offset?: number } };
  found?: string | null;
  rawMessage?: string;
}

/** Operators with no operand after them: the input ended early (cel-go's ANTLR parser fails at <EOF>). */
const TRAILING_OPERATORS = /^\s*(?:\|\||&&|==|!=|<=|>=|[<>+\-*/%?:!.,([{]|\bin\b)+\s*$/;

/**
 * Where and how the parse failed, as cel-go reports it: `Syntax error: mismatched input '<EOF>'` at
 * the end when the input stops after an operator, else the parser's own text where it stopped
 * (@bufbuild/cel's PEG parser reports the start of the part it could not take, not ANTLR's
 * furthest token, and words it differently).
 */
function syntaxError(e: ParserError, source: string): { offset: number; detail: string } {
  const offset = e.location?.start?.offset ?? 0;
  if (offset >= source.trimEnd().length || TRAILING_OPERATORS.test(source.slice(offset)))
    return { offset: source.trimEnd().length, detail: `Syntax error: mismatched input '<EOF>'` };
  const raw = String(e.rawMessage ?? '').replace(/^<input>:\d+:\d+: /, '');
  return { offset, detail: `Syntax error: ${raw}` };
}

/**
 * Parses and checks an expression against the variables it may use. Errors read as cel-go's:
 * `ERROR: <input>:1:5: Syntax error: …` followed by the source line and a caret.
 */
export function compileCel(source: string, variables: string[]): CelProgram {
  // the optional syntax, rewritten into calls; offsets in the rewritten text map back to the source
  const desugared = desugarOptionals(source);
  const text = desugared?.text ?? source;
  const toSource = desugared?.toSource ?? ((offset: number) => offset);
  let parsed: ParsedExpr;
  try {
    parsed = parse(text);
  } catch (e) {
    const { offset, detail } = syntaxError(e as ParserError, text);
    throw new Error(formatCelError(source, toSource(offset), detail), { cause: e });
  }
  const positions = parsed.sourceInfo?.positions ?? {};
  const fail = (node: Expr, detail: string): never => {
    let offset = positions[String(node.id)] ?? 0;
    // cel-go places a call at its '(' (@bufbuild/cel at the name or the '.')
    if (node.exprKind.case === 'callExpr') offset = Math.max(offset, text.indexOf('(', offset));
    throw new Error(formatCelError(source, toSource(offset), detail));
  };
  checkExpr(parsed.expr!, new Set([...variables, ...TYPE_NAMES]), fail);
  const evaluate = plan(ENV, parsed) as (ctx: Record<string, unknown>) => CelValue | CelError;
  return {
    source,
    variables,
    expr: parsed.expr,
    run: (bindings) => {
      const ctx: Record<string, unknown> = {};
      for (const name of Object.keys(bindings).sort()) ctx[name] = toCelInput(bindings[name]);
      const result = evaluate(ctx);
      if (isCelError(result)) throw new CelEvalError(celGoError(result.message));
      return fromCelValue(result);
    },
  };
}

/** The parser's and checker's checks that @bufbuild/cel does not make; resolves namespaced function names in place. */
function checkExpr(root: Expr, scope: Set<string>, fail: (node: Expr, detail: string) => never): void {
  const visit = (node: Expr | undefined, vars: Set<string>): void => {
    if (!node) return;
    const k = node.exprKind;
    switch (k.case) {
      case 'constExpr': {
        const c = k.value.constantKind;
        if (c.case === 'int64Value' && (c.value > MAX_INT || c.value < MIN_INT)) fail(node, 'invalid int literal');
        if (c.case === 'uint64Value' && (c.value > MAX_UINT || c.value < 0n)) fail(node, 'invalid uint literal');
        return;
      }
      case 'identExpr':
        if (!vars.has(k.value.name)) fail(node, `undeclared reference to '${k.value.name}' (in container '')`);
        return;
      case 'selectExpr':
        return visit(k.value.operand, vars);
      case 'callExpr': {
        const call = k.value;
        // a namespaced function (`sets.contains(a, b)`) parses as a call on the identifier `sets`
        const ns = call.target?.exprKind.case === 'identExpr' ? call.target.exprKind.value.name : undefined;
        if (ns && !vars.has(ns) && FUNCTIONS.has(`${ns}.${call.function}`)) {
          call.function = `${ns}.${call.function}`;
          call.target = undefined;
        }
        if (call.function === 'has' && !call.target) fail(call.args[0] ?? node, 'invalid argument to has() macro');
        if (call.target && MACROS.has(call.function)) fail(call.args[0] ?? node, 'argument must be a simple name');
        if (!FUNCTIONS.has(call.function)) fail(node, `undeclared reference to '${call.function}' (in container '')`);
        visit(call.target, vars);
        return call.args.forEach((a) => visit(a, vars));
      }
      case 'listExpr':
        return k.value.elements.forEach((e) => visit(e, vars));
      case 'structExpr':
        return k.value.entries.forEach((e) => {
          if (e.keyKind.case === 'mapKey') visit(e.keyKind.value, vars);
          visit(e.value, vars);
        });
      case 'comprehensionExpr': {
        const c = k.value;
        visit(c.iterRange, vars);
        visit(c.accuInit, vars);
        const inner = new Set([...vars, c.iterVar, c.iterVar2, c.accuVar].filter(Boolean));
        visit(c.loopCondition, inner);
        visit(c.loopStep, inner);
        visit(c.result, new Set([...vars, c.accuVar]));
        return;
      }
      default:
        return;
    }
  };
  visit(root, scope);
}

/** Evaluates a compiled expression; a CelEvalError carries cel-go's runtime wording. */
export function evalCel(program: CelProgram, vars: Record<string, unknown>): unknown {
  return program.run(vars);
}
