import type { FieldError } from '../../util/errors';
import { compileCel, evalCel, type CelProgram } from '../cel';
import { CelDouble } from '../cel-values';
import { OptionalBinding } from '../cel-optional';
import { PER_CALL_LIMIT, RUNTIME_CEL_COST_BUDGET, actualCost } from '../cel-cost';
import { additionalSchema, childPath, isObject, itemSchema, type JSONSchemaProps, type ValidationRule } from './schema';

/** What a rule may refer to: the value it sits on and, on update, that value before. */
const RULE_VARIABLES = ['self', 'oldSelf'];

const compiled = new Map<string, CelProgram | Error>();

/** Compiles a rule (memoized); throws the cel-go style error for one that does not compile. */
export function compileRule(source: string): CelProgram {
  let hit = compiled.get(source);
  if (!hit) {
    try {
      hit = compileCel(source, RULE_VARIABLES);
    } catch (e) {
      hit = e instanceof Error ? e : new Error(String(e));
    }
    compiled.set(source, hit);
  }
  if (hit instanceof Error) throw hit;
  return hit;
}

/** A transition rule reads oldSelf: it runs only on update, where the old value exists. */
export function isTransitionRule(rule: string): boolean {
  return /\boldSelf\b/.test(rule);
}

/**
 * x-kubernetes-validations, evaluated where each rule sits in the schema with `self` the value
 * there (apiextensions' cel validator). A false rule reports `Invalid value: "<schema type>"`
 * with its message (or `failed rule: <rule>`), its reason's error type and its fieldPath.
 */
export function validateRules(schema: JSONSchemaProps, value: unknown, old: unknown, path = ''): FieldError[] {
  const errs = Object.assign([] as FieldError[], { budget: RUNTIME_CEL_COST_BUDGET });
  visit(schema, value, old, path, errs);
  // the errors alone (the budget is the walk's own)
  return [...errs];
}

/**
 * The errors so far and what is left of the custom resource's runtime cost budget
 * (RuntimeCELCostBudget); below zero once a rule ran out of it, and no rule runs after that.
 */
type Errors = FieldError[] & { budget: number };

function visit(schema: JSONSchemaProps, value: unknown, old: unknown, path: string, errs: Errors): void {
  if (value === undefined || value === null || errs.budget < 0) return;
  for (const rule of schema['x-kubernetes-validations'] ?? []) {
    checkRule(rule, schema, value, old, path, errs);
    if (errs.budget < 0) return;
  }
  if (Array.isArray(value)) {
    const items = itemSchema(schema);
    // items are correlated with their old selves only in a map-type list (by its keys)
    if (items) value.forEach((v, i) => visit(items, v, oldListItem(schema, v, old), `${path}[${i}]`, errs));
    return;
  }
  if (!isObject(value)) return;
  const props = schema.properties ?? {};
  const extra = additionalSchema(schema);
  for (const key of Object.keys(value).sort()) {
    const sub = props[key] ?? extra;
    const oldChild = isObject(old) ? old[key] : undefined;
    if (sub) visit(sub, value[key], oldChild, childPath(path, key), errs);
  }
}

function oldListItem(schema: JSONSchemaProps, item: unknown, old: unknown): unknown {
  const keys = schema['x-kubernetes-list-map-keys'];
  if (schema['x-kubernetes-list-type'] !== 'map' || !keys?.length || !Array.isArray(old) || !isObject(item)) return undefined;
  return old.find((o) => isObject(o) && keys.every((k) => o[k] === item[k]));
}

const REASON_TYPES: Record<string, string> = {
  FieldValueInvalid: 'Invalid value',
  FieldValueForbidden: 'Forbidden',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
};

function checkRule(rule: ValidationRule, schema: JSONSchemaProps, value: unknown, old: unknown, path: string, errs: Errors): void {
  const transition = isTransitionRule(rule.rule);
  if (transition && old === undefined && !rule.optionalOldSelf) return;
  const program = compileRule(rule.rule);
  const typeName = schema['x-kubernetes-int-or-string'] ? 'integer' : (schema.type ?? 'object');
  // fieldPath is relative to where the rule sits: `.replicas`, `.ports[0]`
  const at = rule.fieldPath ? `${path}${rule.fieldPath}`.replace(/^\./, '') : path;
  let result: unknown;
  // optionalOldSelf: oldSelf is optional.none() on create, else optional.of(the old value)
  const oldSelf = rule.optionalOldSelf
    ? new OptionalBinding(old === undefined ? undefined : typedBySchema(schema, old))
    : typedBySchema(schema, old ?? null);
  const bindings = { self: typedBySchema(schema, value), oldSelf };
  // the runtime cost (validation.go): a call over PerCallLimit is cancelled; a rule that costs more than
  // what is left of the budget stops the validation, as does a cancelled call
  const cost = actualCost(program, bindings);
  const charged = Math.min(cost, PER_CALL_LIMIT + 1);
  if (charged > errs.budget) {
    errs.push({
      path,
      type: 'Invalid value',
      value: typeName,
      detail: 'validation failed due to running out of cost budget, no further validation rules will be run',
    });
    errs.budget = -1;
    return;
  }
  errs.budget -= charged;
  if (cost > PER_CALL_LIMIT) {
    errs.push({
      path,
      type: 'Invalid value',
      value: typeName,
      detail: `'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: ${ruleErrorString(rule)}`,
    });
    errs.budget = -1;
    return;
  }
  try {
    result = evalCel(program, bindings);
  } catch (e) {
    // apiextensions validation.go: a runtime error is reported where the rule sits (not at its fieldPath)
    const message = (e as Error).message;
    const detail = message.startsWith('no such overload')
      ? `'${message}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(rule)}`
      : `${message} evaluating rule: ${ruleErrorString(rule)}`;
    errs.push({ path, type: 'Invalid value', value: typeName, detail });
    return;
  }
  if (result === true) return;
  const type = REASON_TYPES[rule.reason ?? 'FieldValueInvalid'] ?? 'Invalid value';
  const detail = ruleMessage(rule, bindings, errs);
  if (type === 'Invalid value' || type === 'Duplicate value') errs.push({ path: at, type, value: typeName, detail });
  else errs.push({ path: at, type, detail });
}

/** validation.go ruleErrorString: the rule's message, else the rule, trimmed. */
function ruleErrorString(rule: ValidationRule): string {
  return (rule.message || rule.rule).trim();
}

/** messageExpression when it yields a non-empty string, else message, else `failed rule: <rule>`. */
function ruleMessage(rule: ValidationRule, bindings: Record<string, unknown>, errs: Errors): string {
  if (rule.messageExpression) {
    try {
      const program = compileRule(rule.messageExpression);
      // its cost comes out of the same budget
      errs.budget = Math.max(0, errs.budget - Math.min(actualCost(program, bindings), errs.budget));
      const text = evalCel(program, bindings);
      if (typeof text === 'string' && text.trim() && !text.includes('\n')) return text.trim();
    } catch {
      // an expression that fails falls back to the static message, as the API server does
    }
  }
  // ruleMessageOrDefault: the message trimmed
  if (rule.message) return rule.message.trim();
  return `failed rule: ${rule.rule.trim()}`;
}

/**
 * The value as the API server hands it to CEL: typed by the schema (apiextensions' UnstructuredToVal),
 * so a `type: number` field is a double even when it holds `1`; other numbers read as int.
 */
function typedBySchema(schema: JSONSchemaProps | undefined, value: unknown): unknown {
  if (!schema) return value;
  if (typeof value === 'number') return schema.type === 'number' ? new CelDouble(value) : value;
  if (Array.isArray(value)) {
    const items = itemSchema(schema);
    return value.map((v) => typedBySchema(items, v));
  }
  if (!isObject(value)) return value;
  const props = schema.properties ?? {};
  const extra = additionalSchema(schema);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typedBySchema(props[k] ?? extra, v)]));
}
