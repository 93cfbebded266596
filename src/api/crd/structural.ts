import { formatFieldError, type FieldError } from '../../util/errors';
import { compileRule, isTransitionRule } from './cel-rules';
import { additionalSchema, isObject, itemSchema, type JSONSchemaProps } from './schema';
import { validateAgainstSchema } from './schema-validate';
import {
  STATIC_ESTIMATED_COST_LIMIT,
  STATIC_ESTIMATED_CRD_COST_LIMIT,
  MAX_UINT64,
  costErrorMessage,
  estimateCost,
  maxCardinality,
  schemaCostType,
} from '../cel-cost';

/**
 * The API server's checks of a CRD version's openAPIV3Schema (apiextensions validation.go and
 * schema/validation.go): a structural schema — every field typed, objects at the root, no
 * uniqueItems, properties or additionalProperties but not both — and rules that compile.
 *
 * Two lists, as the server keeps them: the OpenAPI checks of validation.go in the order its walk
 * finds them, then the structural ones of schema/validation.go (ValidateStructuralWithOptions),
 * which the server sorts by their error text ("sort error messages. Otherwise, the errors slice
 * will change every time due to maps in the types and randomized iteration").
 */
export function validateStructuralSchema(schema: unknown, path: string): FieldError[] {
  if (!isObject(schema)) return [{ path, type: 'Required value', detail: 'schemas are required' }];
  const errs: SchemaErrors = { generic: [], structural: [] };
  const root = schema as JSONSchemaProps;
  if (root.type !== 'object') {
    if (!root.type) errs.structural.push({ path: `${path}.type`, type: 'Required value', detail: 'must not be empty at the root' });
    else errs.structural.push({ path: `${path}.type`, type: 'Invalid value', value: root.type, detail: 'must be object at the root' });
  }
  if (root.additionalProperties !== undefined)
    errs.structural.push({ path: `${path}.additionalProperties`, type: 'Forbidden', detail: 'must not be used at the root' });
  visit(root, path, errs, 'root');
  // the CEL checks run only on a schema without schema errors (validation.go skips them otherwise)
  const cost = errs.generic.length || errs.structural.length ? [] : validateRuleCosts(root, path);
  return [...errs.generic, ...cost, ...sortedAsGo(errs.structural)];
}

/** apiextensions validation.go TotalCost: the sum, and the most expensive rules (at least 1% of the limit, top 4). */
interface TotalCost {
  total: number;
  mostExpensive: { path: string; cost: number }[];
}

function observeCost(total: TotalCost, path: string, cost: number): void {
  total.total = Math.min(MAX_UINT64, total.total + cost);
  if (cost < STATIC_ESTIMATED_CRD_COST_LIMIT / 100) return;
  total.mostExpensive.push({ path, cost });
  total.mostExpensive.sort((a, b) => b.cost - a.cost);
  total.mostExpensive.length = Math.min(total.mostExpensive.length, 4);
}

/**
 * The estimated cost of each rule (cel.EstimateCost's max), times how often the rule may run
 * (the product of the maxItems/maxProperties of the lists and maps above it; where one is
 * unbounded, as many values of the rule's schema as fit in a request), refused over 10,000,000;
 * and the total of a version's rules and messageExpressions refused over 100,000,000 (validation.go).
 */
function validateRuleCosts(root: JSONSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const total: TotalCost = { total: 0, mostExpensive: [] };
  const walk = (schema: JSONSchemaProps, at: string, cardinality: number | undefined, resourceRoot: boolean): void => {
    const rules = schema['x-kubernetes-validations'] ?? [];
    const selfType = rules.length ? schemaCostType(schema, resourceRoot) : undefined;
    if (selfType) {
      rules.forEach((rule, i) => {
        const rulePath = `${at}.x-kubernetes-validations[${i}].rule`;
        let maxCost: number;
        try {
          maxCost = estimateCost(compileRule(rule.rule), { self: selfType, oldSelf: selfType });
        } catch {
          return; // reported as a compilation failure
        }
        const times = cardinality ?? maxCardinality(selfType.minSize);
        const cost = maxCost === 0 ? 0 : Math.min(MAX_UINT64, maxCost * times);
        if (cost > STATIC_ESTIMATED_COST_LIMIT)
          errs.push({
            path: rulePath,
            type: 'Forbidden',
            detail: costErrorMessage('estimated rule cost', cost, STATIC_ESTIMATED_COST_LIMIT),
          });
        observeCost(total, rulePath, cost);
        if (!rule.messageExpression?.trim()) return;
        const messagePath = `${at}.x-kubernetes-validations[${i}].messageExpression`;
        let messageCost: number;
        try {
          messageCost = estimateCost(compileRule(rule.messageExpression), { self: selfType, oldSelf: selfType });
        } catch {
          return;
        }
        if (messageCost > STATIC_ESTIMATED_COST_LIMIT)
          errs.push({
            path: messagePath,
            type: 'Forbidden',
            detail: costErrorMessage('estimated messageExpression cost', messageCost, STATIC_ESTIMATED_COST_LIMIT),
          });
        observeCost(total, messagePath, messageCost);
      });
    }
    for (const name of Object.keys(schema.properties ?? {}).sort()) {
      const prop = schema.properties![name];
      walk(prop, `${at}.properties[${name}]`, cardinality, prop['x-kubernetes-embedded-resource'] === true);
    }
    // items and map values run once per element: the list's maxItems, the map's maxProperties, or unbounded
    const times = (max: number | undefined) => (cardinality === undefined || max === undefined ? undefined : cardinality * max);
    const extra = additionalSchema(schema);
    if (extra) walk(extra, `${at}.additionalProperties`, times(schema.maxProperties), extra['x-kubernetes-embedded-resource'] === true);
    const items = itemSchema(schema);
    if (items) walk(items, `${at}.items`, times(schema.maxItems), items['x-kubernetes-embedded-resource'] === true);
  };
  walk(root, path, 1, true);
  if (total.total > STATIC_ESTIMATED_CRD_COST_LIMIT) {
    for (const expensive of total.mostExpensive)
      errs.push({
        path: expensive.path,
        type: 'Forbidden',
        detail: 'contributed to estimated rule & messageExpression cost total exceeding cost limit for entire OpenAPIv3 schema',
      });
    errs.push({
      path,
      type: 'Forbidden',
      detail: costErrorMessage(
        'x-kubernetes-validations estimated rule & messageExpression cost total for entire OpenAPIv3 schema',
        total.total,
        STATIC_ESTIMATED_CRD_COST_LIMIT,
      ),
    });
  }
  return errs;
}

/** Go's sort by `err.Error()`: byte order of the formatted errors. */
function sortedAsGo(errs: FieldError[]): FieldError[] {
  const keyed = errs.map((e) => [formatFieldError(e), e] as const);
  keyed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return keyed.map(([, e]) => e);
}

interface SchemaErrors {
  /** apiextensions validation.go's own checks */
  generic: FieldError[];
  /** schema/validation.go's structural checks, sorted before they are reported */
  structural: FieldError[];
}

type Place = 'root' | 'property' | 'item';

function visit(schema: JSONSchemaProps, path: string, all: SchemaErrors, place: Place): void {
  const errs = all.generic;
  const intOrString = schema['x-kubernetes-int-or-string'] === true;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (!schema.type && !intOrString && !preserve) {
    if (place === 'property')
      all.structural.push({ path: `${path}.type`, type: 'Required value', detail: 'must not be empty for specified object fields' });
    if (place === 'item')
      all.structural.push({ path: `${path}.type`, type: 'Required value', detail: 'must not be empty for specified array items' });
  }
  if (schema['x-kubernetes-preserve-unknown-fields'] === false)
    errs.push({
      path: `${path}.x-kubernetes-preserve-unknown-fields`,
      type: 'Invalid value',
      value: false,
      detail: 'must be true or undefined',
    });
  if (intOrString && schema.type)
    errs.push({
      path: `${path}.type`,
      type: 'Invalid value',
      value: schema.type,
      detail: 'must be empty if x-kubernetes-int-or-string is true',
    });
  if (schema.uniqueItems === true)
    errs.push({
      path: `${path}.uniqueItems`,
      type: 'Forbidden',
      detail: 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
    });
  if (schema.additionalProperties !== undefined && schema.properties && Object.keys(schema.properties).length)
    errs.push({
      path: `${path}.additionalProperties`,
      type: 'Forbidden',
      detail: 'additionalProperties and properties are mutual exclusive',
    });
  if (schema.type === 'array' && !itemSchema(schema))
    all.structural.push({ path: `${path}.items`, type: 'Required value', detail: 'must be specified' });
  if (schema['x-kubernetes-list-type'] === 'map' && !schema['x-kubernetes-list-map-keys']?.length)
    errs.push({
      path: `${path}.x-kubernetes-list-map-keys`,
      type: 'Required value',
      detail: 'must not be empty if x-kubernetes-list-type is map',
    });
  if (schema['x-kubernetes-list-map-keys']?.length && schema['x-kubernetes-list-type'] !== 'map')
    errs.push({
      path: `${path}.x-kubernetes-list-type`,
      type: 'Invalid value',
      value: schema['x-kubernetes-list-type'] ?? '',
      detail: 'must be map if x-kubernetes-list-map-keys is non-empty',
    });
  if (schema.default !== undefined && place !== 'root') {
    errs.push(...validateAgainstSchema(schema, schema.default, `${path}.default`));
  }
  (schema['x-kubernetes-validations'] ?? []).forEach((rule, i) => {
    try {
      compileRule(rule.rule);
    } catch (e) {
      errs.push({
        path: `${path}.x-kubernetes-validations[${i}].rule`,
        type: 'Invalid value',
        value: rule.rule,
        detail: `compilation failed: ${(e as Error).message}`,
      });
      return;
    }
    // apiextensions validation.go: optionalOldSelf (even false) only on a rule that reads oldSelf
    if (rule.optionalOldSelf !== undefined && !isTransitionRule(rule.rule))
      errs.push({
        path: `${path}.x-kubernetes-validations[${i}].optionalOldSelf`,
        type: 'Invalid value',
        value: rule.optionalOldSelf,
        detail: 'may not be set if oldSelf is not used in rule',
      });
  });
  for (const name of Object.keys(schema.properties ?? {}).sort())
    visit(schema.properties![name], `${path}.properties[${name}]`, all, 'property');
  const extra = additionalSchema(schema);
  if (extra) visit(extra, `${path}.additionalProperties`, all, 'property');
  const items = itemSchema(schema);
  if (items) visit(items, `${path}.items`, all, 'item');
  // the two IntOrString exceptions kubebuilder writes, `anyOf: [{type: integer}, {type: string}]`
  // alone or as allOf[0]'s anyOf, are skipped, types and all (isIntOrStringAnyOfPattern, isIntOrStringAllOfPattern)
  visitJunctors(schema, path, all.structural, isIntOrStringAnyOf(schema.anyOf), isIntOrStringAnyOf(schema.allOf?.[0]?.anyOf));
}

/**
 * The value validations under a schema's junctors (validateValueValidation). The caller says
 * whether the anyOf, or allOf[0]'s anyOf, is the IntOrString pattern to skip.
 */
function visitJunctors(schema: JSONSchemaProps, path: string, errs: FieldError[], skipAnyOf = false, skipFirstAllOfAnyOf = false): void {
  if (!skipAnyOf) (schema.anyOf ?? []).forEach((s, i) => visitNested(s, `${path}.anyOf[${i}]`, errs));
  (schema.allOf ?? []).forEach((s, i) => visitNested(s, `${path}.allOf[${i}]`, errs, skipFirstAllOfAnyOf && i === 0));
  (schema.oneOf ?? []).forEach((s, i) => visitNested(s, `${path}.oneOf[${i}]`, errs));
  if (schema.not) visitNested(schema.not, `${path}.not`, errs);
}

function isIntOrStringAnyOf(anyOf: JSONSchemaProps[] | undefined): boolean {
  const only = (s: JSONSchemaProps, type: string) => s.type === type && Object.keys(s).length === 1;
  return anyOf?.length === 2 && only(anyOf[0], 'integer') && only(anyOf[1], 'string');
}

/** What the structural part of a schema declares (generics and extensions) and a nested one may not. */
const FORBIDDEN_IN_NESTED: [keyof JSONSchemaProps, string, (v: unknown) => boolean][] = [
  ['type', 'must be empty to be structural', (v) => typeof v === 'string' && v !== ''],
  ['default', 'must be undefined to be structural', (v) => v !== undefined],
  ['title', 'must be empty to be structural', (v) => typeof v === 'string' && v !== ''],
  ['description', 'must be empty to be structural', (v) => typeof v === 'string' && v !== ''],
  ['nullable', 'must be false to be structural', (v) => v === true],
  ['x-kubernetes-preserve-unknown-fields', 'must be false to be structural', (v) => v === true],
  ['x-kubernetes-embedded-resource', 'must be false to be structural', (v) => v === true],
  ['x-kubernetes-int-or-string', 'must be false to be structural', (v) => v === true],
  ['x-kubernetes-list-map-keys', 'must be empty to be structural', (v) => Array.isArray(v) && v.length > 0],
  ['x-kubernetes-list-type', 'must be undefined to be structural', (v) => v !== undefined],
  ['x-kubernetes-map-type', 'must be undefined to be structural', (v) => v !== undefined],
  ['x-kubernetes-validations', 'must be empty to be structural', (v) => Array.isArray(v) && v.length > 0],
];

/**
 * A value validation under allOf, anyOf, oneOf or not (validateNestedValueValidation): it only
 * constrains values, so its properties and items need no type, and what only the structural part
 * may say (type, default, description, the x-kubernetes extensions, metadata) is forbidden.
 */
function visitNested(schema: JSONSchemaProps, path: string, errs: FieldError[], skipAnyOf = false): void {
  if (!isObject(schema)) return;
  visitJunctors(schema, path, errs, skipAnyOf);
  const items = itemSchema(schema);
  if (items) visitNested(items, `${path}.items`, errs);
  for (const name of Object.keys(schema.properties ?? {}).sort())
    visitNested(schema.properties![name], `${path}.properties[${name}]`, errs);
  // ValidateStructural's options for CRDs: AllowNestedAdditionalProperties false
  if (schema.additionalProperties !== undefined)
    errs.push({ path: `${path}.additionalProperties`, type: 'Forbidden', detail: 'must be undefined to be structural' });
  for (const [key, detail, present] of FORBIDDEN_IN_NESTED)
    if (present(schema[key])) errs.push({ path: `${path}.${key}`, type: 'Forbidden', detail });
  if (schema.properties && 'metadata' in schema.properties)
    errs.push({ path: `${path}.properties[metadata]`, type: 'Forbidden', detail: 'must not be specified in a nested context' });
}
