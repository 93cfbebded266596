/**
 * CEL cost, as the API server limits it (cel-go checker/cost.go, with Kubernetes' cost estimator
 * apiserver/pkg/cel/library/cost.go and the schema sizes of apiserver/pkg/cel/common/schemas.go).
 *
 * @bufbuild/cel has no cost hooks, so the cost is computed here over the parsed expression: each
 * node's type and, when it is reached from a variable, its size are inferred (the schema's
 * maxLength/maxItems/maxProperties, else what fits in a 3 MiB request), and the node's cost follows
 * cel-go's coster: 1 per identifier and field selection, 0 per constant, 10/30/40 per list, map and
 * message built, the comprehension's step and condition once per element of its range, string
 * traversals at 0.1 per character, regular expressions at 0.25 per character of the pattern.
 *
 * The same coster gives the runtime cost (`actualCost`) with the types taken from the data the
 * expression runs on: every size is then the real one. That is an upper bound of what cel-go's
 * tracker counts (it credits a short-circuited `&&` or an `all()` that stops early; this does not),
 * so a rule that stops early on a huge list may be charged more here than on a cluster. A value
 * the data does not size (a function's result, such as a `split`'s parts) is charged as empty: the
 * count is then lower than cel-go's by what traversing such values costs.
 */

import type { CelProgram } from './cel';
import { CelDouble, CelUint } from './cel-values';
import { OptionalBinding } from './cel-optional';
import { additionalSchema, itemSchema, type JSONSchemaProps } from './crd/schema';

type ParsedExpr = NonNullable<CelProgram['expr']>;

/** apiserver/pkg/apis/cel/config.go (v1.32). */
export const PER_CALL_LIMIT = 1_000_000;
export const RUNTIME_CEL_COST_BUDGET = 10_000_000;
/** apiextensions validation.go. */
export const STATIC_ESTIMATED_COST_LIMIT = 10_000_000;
export const STATIC_ESTIMATED_CRD_COST_LIMIT = 100_000_000;
/** apiserver/pkg/cel/limits.go DefaultMaxRequestSizeBytes. */
const MAX_REQUEST_SIZE_BYTES = 3 * 1024 * 1024;
/** Go's math.MaxUint64, as cel-go saturates its sums and products. */
export const MAX_UINT64 = 2 ** 64;

// cel-go common/cost.go
const SELECT_AND_IDENT_COST = 1;
const CONST_COST = 0;
const LIST_CREATE_BASE_COST = 10;
const MAP_CREATE_BASE_COST = 30;
const STRUCT_CREATE_BASE_COST = 40;
const STRING_TRAVERSAL_COST_FACTOR = 0.1;
const REGEX_STRING_LENGTH_COST_FACTOR = 0.25;
/** apiserver/pkg/cel/types.go: the smallest JSON forms and the format sizes. */
const MIN_STRING_SIZE = 2;
const MIN_BOOL_SIZE = 4;
const MIN_NUMBER_SIZE = 1;
const MAX_DURATION_SIZE_JSON = 32;
const JSON_DATE_SIZE = 12;
const MAX_DATETIME_SIZE_JSON = 32;
const MIN_DURATION_SIZE_JSON = 3;
const MIN_DATETIME_SIZE_JSON = 21;
const MAX_NAME_FORMAT_REGEX_SIZE = 128;

type Kind = 'list' | 'map' | 'object' | 'string' | 'bytes' | 'int' | 'uint' | 'double' | 'bool' | 'null' | 'duration' | 'timestamp' | 'dyn';

/** A DeclType as far as cost needs it: the kind, the element/field types and the largest size. */
export interface CostType {
  kind: Kind;
  elem?: CostType;
  /** a map's keys (strings; apiservercel.StringType has no MaxElements, so 0 from a schema) */
  key?: CostType;
  fields?: Map<string, CostType>;
  /** DeclType.MaxElements: a string's length, a list's items, a map's entries; 0 for scalars */
  maxElements: number;
  /** DeclType.MinSerializedSize */
  minSize: number;
}

interface Size {
  min: number;
  max: number;
}
interface Cost {
  min: number;
  max: number;
}

const DYN: CostType = { kind: 'dyn', maxElements: 0, minSize: 1 };
const scalar = (kind: Kind, minSize: number): CostType => ({ kind, maxElements: 0, minSize });
const INT = scalar('int', MIN_NUMBER_SIZE);
const BOOL = scalar('bool', MIN_BOOL_SIZE);
const DOUBLE = scalar('double', MIN_NUMBER_SIZE);
const STRING: CostType = { kind: 'string', maxElements: MAX_REQUEST_SIZE_BYTES - 2, minSize: MIN_STRING_SIZE };
const MAP_KEY: CostType = { kind: 'string', maxElements: 0, minSize: MIN_STRING_SIZE };

const sat = (x: number): number => (x >= MAX_UINT64 ? MAX_UINT64 : x);
const add = (a: Cost, b: Cost): Cost => ({ min: sat(a.min + b.min), max: sat(a.max + b.max) });
const mul = (a: Cost, b: Cost): Cost => ({ min: sat(a.min * b.min), max: sat(a.max * b.max) });
const byFactor = (a: Cost, f: number): Cost => ({ min: sat(Math.ceil(a.min * f)), max: sat(Math.ceil(a.max * f)) });
const union = (a: Cost, b: Cost): Cost => ({ min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) });
const fixed = (n: number): Cost => ({ min: n, max: n });
const ZERO = fixed(0);
const UNKNOWN_SIZE: Size = { min: 0, max: MAX_UINT64 };
const RUNTIME_UNTRACED_SIZE: Size = { min: 0, max: 0 };

// ---------------------------------------------------------------------------------------------
// Types from a structural schema (apiserver/pkg/cel/common/schemas.go SchemaDeclType)

/** The CEL type of a schema, as SchemaDeclType builds it; undefined where CEL cannot see the value. */
export function schemaCostType(schema: JSONSchemaProps | undefined, isResourceRoot = false): CostType | undefined {
  if (!schema) return undefined;
  if (schema['x-kubernetes-int-or-string']) {
    const maxElements = schema.maxLength !== undefined ? Math.max(0, schema.maxLength) * 4 : MAX_REQUEST_SIZE_BYTES - 2;
    return { kind: 'dyn', maxElements, minSize: 1 };
  }
  let s = schema;
  if (isResourceRoot) s = withTypeAndObjectMeta(s);
  switch (s.type) {
    case 'array': {
      const items = itemSchema(s);
      const elem = schemaCostType(items, items?.['x-kubernetes-embedded-resource'] === true);
      if (!elem) return undefined;
      const maxItems = s.maxItems !== undefined ? Math.max(0, s.maxItems) : Math.floor((MAX_REQUEST_SIZE_BYTES - 2) / (elem.minSize + 1));
      return { kind: 'list', elem, maxElements: maxItems, minSize: 2 };
    }
    case 'object': {
      const extra = additionalSchema(s);
      if (extra) {
        const elem = schemaCostType(extra, extra['x-kubernetes-embedded-resource'] === true);
        if (!elem) return { kind: 'map', key: MAP_KEY, elem: DYN, maxElements: MAX_UINT64, minSize: 2 };
        const maxProps =
          s.maxProperties !== undefined ? Math.max(0, s.maxProperties) : Math.floor((MAX_REQUEST_SIZE_BYTES - 2) / (elem.minSize + 6));
        return { kind: 'map', key: MAP_KEY, elem, maxElements: maxProps, minSize: 2 };
      }
      const fields = new Map<string, CostType>();
      const required = new Set(s.required ?? []);
      let minSize = 2;
      for (const [name, prop] of Object.entries(s.properties ?? {})) {
        const t = schemaCostType(prop, prop['x-kubernetes-embedded-resource'] === true);
        if (!t) continue;
        fields.set(name, t);
        // required properties without a default are always serialized
        if (required.has(name) && prop.default === undefined) minSize += name.length + t.minSize + 4;
      }
      return { kind: 'object', fields, maxElements: 0, minSize };
    }
    case 'string': {
      switch (s.format) {
        case 'byte':
          return {
            kind: 'bytes',
            maxElements: s.maxLength !== undefined ? Math.max(0, s.maxLength) : MAX_REQUEST_SIZE_BYTES - 2,
            minSize: MIN_STRING_SIZE,
          };
        case 'duration':
          return { kind: 'duration', maxElements: MAX_DURATION_SIZE_JSON, minSize: MIN_DURATION_SIZE_JSON };
        case 'date':
          return { kind: 'timestamp', maxElements: JSON_DATE_SIZE, minSize: JSON_DATE_SIZE };
        case 'date-time':
          return { kind: 'timestamp', maxElements: MAX_DATETIME_SIZE_JSON, minSize: MIN_DATETIME_SIZE_JSON };
      }
      let maxElements = MAX_REQUEST_SIZE_BYTES - 2;
      // maxLength counts runes; a rune is up to 4 bytes
      if (s.maxLength !== undefined) maxElements = Math.max(0, s.maxLength) * 4;
      else if (s.enum?.length) maxElements = Math.max(0, ...s.enum.map((v) => (typeof v === 'string' ? v.length : 0)));
      return { kind: 'string', maxElements, minSize: MIN_STRING_SIZE };
    }
    case 'boolean':
      return BOOL;
    case 'number':
      return DOUBLE;
    case 'integer':
      return INT;
  }
  return undefined;
}

/** apiVersion, kind, metadata.name and metadata.generateName are always there at a resource's root. */
function withTypeAndObjectMeta(s: JSONSchemaProps): JSONSchemaProps {
  const str: JSONSchemaProps = { type: 'string' };
  return {
    ...s,
    properties: { ...s.properties, apiVersion: str, kind: str, metadata: { type: 'object', properties: { name: str, generateName: str } } },
  };
}

/** celmodel.MaxCardinality: how often a value of this minimum size can repeat in one request. */
export function maxCardinality(minSize: number): number {
  return Math.floor(MAX_REQUEST_SIZE_BYTES / (minSize + 1));
}

// ---------------------------------------------------------------------------------------------
// Types from data (for the runtime cost)

/** The type of a value, its sizes the real ones (the largest element's for a list's items). */
export function valueCostType(v: unknown): CostType {
  if (v === null || v === undefined) return scalar('null', 4);
  if (typeof v === 'string') return { kind: 'string', maxElements: [...v].length, minSize: MIN_STRING_SIZE };
  if (typeof v === 'boolean') return BOOL;
  if (typeof v === 'number' || typeof v === 'bigint') return Number.isInteger(v) || typeof v === 'bigint' ? INT : DOUBLE;
  if (v instanceof CelDouble) return DOUBLE;
  if (v instanceof CelUint) return scalar('uint', MIN_NUMBER_SIZE);
  if (v instanceof OptionalBinding) return v.value === undefined ? DYN : valueCostType(v.value);
  if (Array.isArray(v)) return { kind: 'list', elem: mergeTypes(v.map(valueCostType)), maxElements: v.length, minSize: 2 };
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const fields = new Map<string, CostType>();
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined) fields.set(k, valueCostType(x));
    const key = { kind: 'string' as const, maxElements: Math.max(0, ...[...fields.keys()].map((k) => [...k].length)), minSize: 2 };
    return { kind: 'object', key, fields, maxElements: fields.size, minSize: 2 };
  }
  return DYN;
}

function mergeTypes(types: CostType[]): CostType {
  if (!types.length) return DYN;
  return types.reduce((a, b) => {
    if (a.kind !== b.kind) return a.kind === 'null' ? b : a;
    const merged: CostType = { ...a, maxElements: Math.max(a.maxElements, b.maxElements) };
    if (a.elem && b.elem) merged.elem = mergeTypes([a.elem, b.elem]);
    if (a.fields && b.fields) {
      const fields = new Map(a.fields);
      for (const [k, t] of b.fields) fields.set(k, fields.has(k) ? mergeTypes([fields.get(k)!, t]) : t);
      merged.fields = fields;
    }
    return merged;
  });
}

// ---------------------------------------------------------------------------------------------
// The coster (cel-go checker/cost.go)

type Expr = ParsedExpr;

interface Node {
  type: CostType;
  /** reached from a declared variable by selections, indexes and iteration: the size is the type's */
  sized: boolean;
  /** a literal's size, or a result size a function estimate gave */
  computed?: Size;
}

class Coster {
  private readonly nodes = new Map<bigint, Node>();
  private readonly scopes = new Map<string, Node[]>();

  constructor(
    private readonly vars: Record<string, CostType>,
    /** counting a run: a value not traced to the data (a function's result) is sized 0, not "anything" */
    private readonly runtime = false,
  ) {}

  cost(e: Expr | undefined): Cost {
    if (!e) return ZERO;
    const k = e.exprKind;
    switch (k.case) {
      case 'constExpr': {
        const c = k.value.constantKind;
        const size = c.case === 'stringValue' ? [...c.value].length : c.case === 'bytesValue' ? c.value.length : 1;
        const kind: Kind =
          c.case === 'stringValue'
            ? 'string'
            : c.case === 'bytesValue'
              ? 'bytes'
              : c.case === 'int64Value'
                ? 'int'
                : c.case === 'uint64Value'
                  ? 'uint'
                  : c.case === 'doubleValue'
                    ? 'double'
                    : c.case === 'boolValue'
                      ? 'bool'
                      : 'null';
        this.set(e, { type: scalar(kind, 1), sized: false, computed: { min: size, max: size } });
        return fixed(CONST_COST);
      }
      case 'identExpr':
        return this.costIdent(e, k.value.name);
      case 'selectExpr': {
        const sel = k.value;
        if (sel.testOnly) {
          // Kubernetes' environment: PresenceTestHasCost(false) (apiserver/pkg/cel/environment/base.go, 1.29+)
          const c = this.cost(sel.operand);
          this.set(e, { type: BOOL, sized: false });
          return c;
        }
        let sum = this.cost(sel.operand);
        const operand = this.node(sel.operand);
        if (operand.type.kind === 'map' || operand.type.kind === 'object') sum = add(sum, fixed(SELECT_AND_IDENT_COST));
        this.set(e, this.child(operand, sel.field));
        return sum;
      }
      case 'callExpr':
        return this.costCall(e, k.value);
      case 'listExpr': {
        let sum = ZERO;
        for (const el of k.value.elements) sum = add(sum, this.cost(el));
        const elem = k.value.elements.length ? this.node(k.value.elements[0]).type : DYN;
        const n = k.value.elements.length;
        this.set(e, { type: { kind: 'list', elem, maxElements: n, minSize: 2 }, sized: false, computed: { min: n, max: n } });
        return add(sum, fixed(LIST_CREATE_BASE_COST));
      }
      case 'structExpr': {
        let sum = ZERO;
        for (const entry of k.value.entries) {
          if (entry.keyKind.case === 'mapKey') sum = add(sum, this.cost(entry.keyKind.value));
          sum = add(sum, this.cost(entry.value));
        }
        const n = k.value.entries.length;
        const isMap = k.value.messageName === '';
        this.set(e, {
          type: { kind: isMap ? 'map' : 'dyn', elem: DYN, maxElements: n, minSize: 2 },
          sized: false,
          computed: { min: n, max: n },
        });
        return add(sum, fixed(isMap ? MAP_CREATE_BASE_COST : STRUCT_CREATE_BASE_COST));
      }
      case 'comprehensionExpr':
        return this.costComprehension(e, k.value);
      default:
        this.set(e, { type: DYN, sized: false });
        return ZERO;
    }
  }

  private costIdent(e: Expr, name: string): Cost {
    const scoped = this.scopes.get(name);
    if (scoped?.length) this.set(e, scoped[scoped.length - 1]);
    else if (this.vars[name]) this.set(e, { type: this.vars[name], sized: true });
    else this.set(e, { type: DYN, sized: false });
    return fixed(SELECT_AND_IDENT_COST);
  }

  private costComprehension(e: Expr, c: Extract<Expr['exprKind'], { case: 'comprehensionExpr' }>['value']): Cost {
    let sum = this.cost(c.iterRange);
    sum = add(sum, this.cost(c.accuInit));
    const range = this.node(c.iterRange);
    // the iteration variable is the range's element (a list's item, a map's key), sized where the range is
    const iter: Node =
      range.type.kind === 'list'
        ? { type: range.type.elem ?? DYN, sized: range.sized }
        : range.type.key
          ? { type: range.type.key, sized: range.sized }
          : { type: DYN, sized: false };
    // the accumulator has no path (newAstNode drops one starting at the accumulator's name)
    const accu: Node = { type: this.node(c.accuInit).type, sized: false };
    this.push(c.iterVar, iter);
    this.push(c.accuVar, accu);
    const loopCost = this.cost(c.loopCondition);
    const stepCost = this.cost(c.loopStep);
    this.pop(c.iterVar);
    // map() and filter() build a list of what the step appends
    const appended = this.appendedElement(c.loopStep, c.accuVar);
    if (accu.type.kind === 'list' && appended) accu.type = { ...accu.type, elem: appended };
    sum = add(sum, this.cost(c.result));
    this.pop(c.accuVar);
    const rangeCnt = this.sizeOf(range);
    const result = this.node(c.result);
    this.set(e, { type: result.type, sized: false, computed: rangeCnt });
    return add(sum, mul(rangeCnt, add(stepCost, loopCost)));
  }

  /** The type of `x` in a step `accu + [x]` (map, filter), wherever the step holds it. */
  private appendedElement(step: Expr | undefined, accuVar: string): CostType | undefined {
    if (!step || step.exprKind.case !== 'callExpr') return undefined;
    const call = step.exprKind.value;
    if (call.function === '_+_' && call.args[0]?.exprKind.case === 'identExpr' && call.args[0].exprKind.value.name === accuVar) {
      const list = call.args[1];
      if (list?.exprKind.case === 'listExpr' && list.exprKind.value.elements.length) return this.node(list.exprKind.value.elements[0]).type;
    }
    for (const a of call.args) {
      const found = this.appendedElement(a, accuVar);
      if (found) return found;
    }
    return undefined;
  }

  private costCall(e: Expr, call: Extract<Expr['exprKind'], { case: 'callExpr' }>['value']): Cost {
    const argCosts = call.args.map((a) => this.cost(a));
    const args = call.args.map((a) => this.node(a));
    let sum = ZERO;
    let target: Node | undefined;
    if (call.target) {
      sum = add(sum, this.cost(call.target));
      target = this.node(call.target);
    }
    const argSum = argCosts.reduce(add, ZERO);
    const { cost, result } = this.functionCost(call.function, target, args, argCosts, call.args);
    this.set(e, result);
    return add(sum, cost ?? add(fixed(1), argSum));
  }

  /** cel-go's functionCost, with Kubernetes' EstimateCallCost first; the result's type and size. */
  private functionCost(
    fn: string,
    target: Node | undefined,
    args: Node[],
    argCosts: Cost[],
    argExprs: Expr[],
  ): { cost?: Cost; result: Node } {
    const argSum = argCosts.reduce(add, ZERO);
    const size = (n: Node | undefined): Size => (n ? this.sizeOf(n) : UNKNOWN_SIZE);
    const node = (type: CostType, computed?: Size): Node => ({ type, sized: false, computed });
    const traverse = (n: Node | undefined, f = STRING_TRAVERSAL_COST_FACTOR) => byFactor(size(n), f);
    const k = (n: Node | undefined) => n?.type.kind;
    const withArgs = (c: Cost): Cost => add(c, argSum);
    const elemNode = (list: Node | undefined): Node | undefined =>
      list?.type.kind === 'list' ? { type: list.type.elem ?? DYN, sized: list.sized } : undefined;
    switch (fn) {
      // Kubernetes' library (apiserver/pkg/cel/library/cost.go): its estimate plus the arguments' cost
      case 'isSorted':
      case 'sum':
      case 'max':
      case 'min':
      case 'indexOf':
      case 'lastIndexOf':
        if (target) {
          const el = elemNode(target);
          const resultType = fn === 'isSorted' ? BOOL : fn === 'indexOf' || fn === 'lastIndexOf' ? INT : (el?.type ?? DYN);
          if (el) {
            let elCost = fixed(1);
            if (k(el) === 'string' || k(el) === 'bytes') elCost = add(elCost, traverse(el));
            return { cost: withArgs(mul(size(target), elCost)), result: node(resultType) };
          }
          return { cost: withArgs(traverse(target)), result: node(INT) };
        }
        break;
      case 'url':
        if (args.length === 1) {
          const sz = size(args[0]);
          return { cost: withArgs(byFactor(sz, STRING_TRAVERSAL_COST_FACTOR)), result: node(DYN, sz) };
        }
        break;
      case 'lowerAscii':
      case 'upperAscii':
      case 'substring':
      case 'trim':
        if (target) {
          const sz = size(target);
          return { cost: withArgs(byFactor(sz, STRING_TRAVERSAL_COST_FACTOR)), result: node(STRING, sz) };
        }
        break;
      case 'replace':
        if (target && args.length >= 2) {
          const sz = size(target);
          const from = size(args[0]);
          const to = size(args[1]);
          let countMax: number;
          let retainedMax = 0;
          if (from.min === 0) {
            countMax = sz.max < MAX_UINT64 ? sz.max + 1 : sz.max;
            retainedMax = sz.max;
          } else if (to.max <= from.min) {
            countMax = 0;
            retainedMax = sz.max;
          } else countMax = Math.ceil(sz.max / from.min);
          let countMin: number;
          let retainedMin = 0;
          if (from.max === 0) {
            countMin = sz.min + 1;
            retainedMin = sz.min;
          } else if (from.max <= to.min) {
            countMin = 0;
            retainedMin = sz.min;
          } else countMin = Math.ceil(sz.min / from.max);
          const result = add(mul({ min: countMin, max: countMax }, to), { min: retainedMin, max: retainedMax });
          return { cost: withArgs(byFactor(sz, 2 * STRING_TRAVERSAL_COST_FACTOR)), result: node(STRING, result) };
        }
        break;
      case 'split':
        if (target) {
          const sz = size(target);
          let max = sz.max;
          const limit = argExprs[1]?.exprKind;
          if (limit?.case === 'constExpr' && limit.value.constantKind.case === 'int64Value') max = Number(limit.value.constantKind.value);
          return {
            cost: withArgs(byFactor(sz, 2 * STRING_TRAVERSAL_COST_FACTOR)),
            result: node({ kind: 'list', elem: STRING, maxElements: max, minSize: 2 }, { min: 0, max }),
          };
        }
        break;
      case 'join':
        if (target) {
          const listSize = size(target);
          const el = elemNode(target);
          let sz: Size = el ? mul(listSize, size(el)) : ZERO;
          if (args.length > 0) {
            const sep = size(args[0]);
            sz = add(sz, mul(sep, { min: Math.max(0, listSize.min - 1), max: Math.max(0, listSize.max - 1) }));
          }
          return { cost: withArgs(byFactor(sz, STRING_TRAVERSAL_COST_FACTOR)), result: node(STRING, sz) };
        }
        break;
      case 'find':
      case 'findAll':
        if (target && args.length >= 1) {
          const sz = size(target);
          const strCost = byFactor(add(sz, fixed(1)), STRING_TRAVERSAL_COST_FACTOR);
          const regexCost = byFactor(size(args[0]), REGEX_STRING_LENGTH_COST_FACTOR);
          const type = fn === 'find' ? STRING : { kind: 'list' as const, elem: STRING, maxElements: sz.max, minSize: 2 };
          return { cost: withArgs(mul(strCost, regexCost)), result: node(type, { min: 0, max: sz.max }) };
        }
        break;
      case 'cidr':
      case 'isIP':
      case 'isCIDR':
      case 'ip':
      case 'quantity':
      case 'isQuantity':
        if (args.length >= 1) return { cost: withArgs(traverse(args[0])), result: node(fn.startsWith('is') ? BOOL : DYN) };
        break;
      case 'validate':
        if (target && args.length >= 1)
          return {
            cost: withArgs(byFactor(traverse(args[0]), MAX_NAME_FORMAT_REGEX_SIZE * REGEX_STRING_LENGTH_COST_FACTOR)),
            result: node(DYN),
          };
        break;
      case 'masked':
      case 'prefixLength':
      case 'family':
      case 'isUnspecified':
      case 'isLoopback':
      case 'isLinkLocalMulticast':
      case 'isLinkLocalUnicast':
      case 'isGlobalUnicast':
      case 'sign':
      case 'asInteger':
      case 'isInteger':
      case 'asApproximateFloat':
      case 'isGreaterThan':
      case 'isLessThan':
      case 'compareTo':
      case 'add':
      case 'sub':
      case 'getScheme':
      case 'getHostname':
      case 'getHost':
      case 'getPort':
      case 'getEscapedPath':
      case 'getQuery':
      case 'format.named':
        return { cost: withArgs(fixed(1)), result: node(DYN) };
    }
    // cel-go's own overloads
    switch (fn) {
      case 'format':
        if (target) return { cost: withArgs(traverse(target)), result: node(STRING) };
        break;
      case 'bytes':
        if (args.length === 1 && k(args[0]) === 'string') {
          const sz = size(args[0]);
          return { cost: withArgs(traverse(args[0])), result: node(scalar('bytes', 2), { min: sz.min, max: sat(sz.max * 4) }) };
        }
        break;
      case 'string':
        if (args.length === 1 && k(args[0]) === 'bytes') {
          const sz = size(args[0]);
          return { cost: withArgs(traverse(args[0])), result: node(STRING, { min: Math.floor(sz.min / 4), max: sz.max }) };
        }
        return { cost: withArgs(fixed(1)), result: node(STRING) };
      case 'strings.quote':
        if (args.length === 1) {
          const sz = size(args[0]);
          return { cost: withArgs(traverse(args[0])), result: node(STRING, { min: sz.min + 2, max: sat(sz.max * 2 + 2) }) };
        }
        break;
      case 'startsWith':
      case 'endsWith':
        if (target && args.length === 1 && k(target) === 'string') return { cost: withArgs(traverse(args[0])), result: node(BOOL) };
        break;
      case '@in':
        if (args.length === 2) return { cost: withArgs(byFactor(size(args[1]), 1)), result: node(BOOL) };
        break;
      case 'matches':
        if (target && args.length === 1) {
          const strCost = byFactor(add(size(target), fixed(1)), STRING_TRAVERSAL_COST_FACTOR);
          const regexCost = byFactor(size(args[0]), REGEX_STRING_LENGTH_COST_FACTOR);
          return { cost: withArgs(mul(strCost, regexCost)), result: node(BOOL) };
        }
        break;
      case 'contains':
        if (target && args.length === 1 && k(target) !== 'list' && k(target) !== 'map') {
          const strCost = traverse(target);
          const subCost = traverse(args[0]);
          return { cost: withArgs(mul(strCost, subCost)), result: node(BOOL) };
        }
        break;
      case '_&&_':
      case '_||_':
        return { cost: { min: argCosts[0].min, max: add(argCosts[0], argCosts[1]).max }, result: node(BOOL) };
      case '_?_:_': {
        const sz = union(size(args[1]), size(args[2]));
        const type = args[1].type.kind !== 'dyn' && args[1].type.kind !== 'null' ? args[1].type : args[2].type;
        return { cost: add(argCosts[0], union(argCosts[1], argCosts[2])), result: node(type, sz) };
      }
      case '_+_':
        if (args.length === 2 && ['string', 'bytes', 'list'].includes(k(args[0]) ?? '')) {
          const sz = add(size(args[0]), size(args[1]));
          const type = args[0].type.kind === 'list' ? { ...args[0].type, elem: args[0].type.elem ?? args[1].type.elem } : args[0].type;
          const cost = args[0].type.kind === 'list' ? fixed(1) : byFactor(sz, STRING_TRAVERSAL_COST_FACTOR);
          return { cost: withArgs(cost), result: node(type, sz) };
        }
        return { result: node(args[0]?.type.kind === 'dyn' ? (args[1]?.type ?? DYN) : (args[0]?.type ?? DYN)) };
      case '_<_':
      case '_>_':
      case '_<=_':
      case '_>=_':
        if (k(args[0]) === 'string' || k(args[0]) === 'bytes')
          return { cost: withArgs(compareCost(size(args[0]), size(args[1]))), result: node(BOOL) };
        return { result: node(BOOL) };
      case '_==_':
      case '_!=_':
        return { cost: withArgs(compareCost(size(args[0]), size(args[1]))), result: node(BOOL) };
      case '_[_]': {
        const [container] = args;
        if (container.type.kind === 'list') return { result: { type: container.type.elem ?? DYN, sized: container.sized } };
        if (container.type.kind === 'map') return { result: { type: container.type.elem ?? DYN, sized: container.sized } };
        const lit = argExprs[1]?.exprKind;
        if (container.type.kind === 'object' && lit?.case === 'constExpr' && lit.value.constantKind.case === 'stringValue')
          return { result: this.child(container, lit.value.constantKind.value) };
        return { result: node(DYN) };
      }
    }
    return { result: node(resultType(fn, args)) };
  }

  private child(parent: Node, field: string): Node {
    const t = parent.type;
    if (t.kind === 'object') {
      const f = t.fields?.get(field);
      if (f) return { type: f, sized: parent.sized };
      // a field the data does not hold is never read at run time (a schema's unknown field does not compile)
      return { type: DYN, sized: parent.sized };
    }
    if (t.kind === 'map') return { type: t.elem ?? DYN, sized: parent.sized };
    return { type: DYN, sized: false };
  }

  /** cel-go's sizeEstimate: the computed size, else the schema's (EstimateSize by path), else 1 for a scalar. */
  sizeOf(n: Node): Size {
    if (n.computed) return n.computed;
    if (n.sized) return { min: 0, max: n.type.maxElements };
    if (['bool', 'double', 'duration', 'int', 'timestamp', 'uint'].includes(n.type.kind)) return { min: 1, max: 1 };
    // at run time cel-go's tracker measures such a value (c.image.split('/')[0] is a few
    // characters); unknown here, it is charged nothing rather than the most a request can hold,
    // which cancelled ordinary policies ("operation cancelled: actual cost limit exceeded")
    return this.runtime ? RUNTIME_UNTRACED_SIZE : UNKNOWN_SIZE;
  }

  node(e: Expr | undefined): Node {
    return (e && this.nodes.get(e.id)) || { type: DYN, sized: false };
  }

  private set(e: Expr, n: Node): void {
    this.nodes.set(e.id, n);
  }

  private push(name: string, n: Node): void {
    if (!name) return;
    const stack = this.scopes.get(name) ?? [];
    stack.push(n);
    this.scopes.set(name, stack);
  }

  private pop(name: string): void {
    if (name) this.scopes.get(name)?.pop();
  }
}

/** The equality and ordering cost of strings, bytes, lists and maps: the shorter side, at 0.1 per element. */
function compareCost(lhs: Size, rhs: Size): Cost {
  const smallestMax = Math.min(lhs.max, rhs.max);
  return byFactor({ min: smallestMax > 0 ? 1 : 0, max: smallestMax }, STRING_TRAVERSAL_COST_FACTOR);
}

/** The result type of the other functions, as far as cost needs it. */
function resultType(fn: string, args: Node[]): CostType {
  switch (fn) {
    case 'size':
    case 'int':
    case 'charAt':
      return fn === 'charAt' ? STRING : INT;
    case 'double':
      return DOUBLE;
    case 'uint':
      return scalar('uint', 1);
    case '_-_':
    case '_*_':
    case '_/_':
    case '_%_':
    case '-_':
      return args[0]?.type ?? DYN;
    case 'strings.quote':
    case 'format':
      return STRING;
    case 'duration':
      return scalar('duration', MIN_DURATION_SIZE_JSON);
    case 'timestamp':
      return scalar('timestamp', MIN_DATETIME_SIZE_JSON);
    case 'bool':
    case '!_':
    case '@not_strictly_false':
    case 'has':
    case 'contains':
    case 'startsWith':
    case 'endsWith':
    case 'matches':
    case '@in':
      return BOOL;
  }
  return DYN;
}

/** cel.EstimateCost's Max for an expression over variables of these types. */
export function estimateCost(program: CelProgram, vars: Record<string, CostType>, runtime = false): number {
  if (!program.expr) return 0;
  return new Coster(vars, runtime).cost(program.expr).max;
}

/** The cost of running the expression on these values (see the header: an upper bound of cel-go's count). */
export function actualCost(program: CelProgram, bindings: Record<string, unknown>): number {
  const vars: Record<string, CostType> = {};
  for (const [name, v] of Object.entries(bindings)) vars[name] = valueCostType(v);
  return estimateCost(program, vars, true);
}

/**
 * apiextensions validation.go getCostErrorMessage: how far over the limit a cost is, `%f` below
 * 1.5, `%.1f` up to 100, then "more than 100x".
 */
export function costErrorMessage(costName: string, cost: number, limit: number): string {
  const factor = cost / limit;
  const text = factor > 100 ? 'more than 100x' : factor < 1.5 ? `${factor.toFixed(6)}x` : `${factor.toFixed(1)}x`;
  return `${costName} exceeds budget by factor of ${text} (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)`;
}
