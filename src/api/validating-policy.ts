import type { CelProgram } from './cel';
import type { FieldError } from '../util/errors';
import { onDemand } from '../util/on-demand';
import { isJsonObject, type JsonObject, type JsonValue, type KObject } from '../model/objects';

// the CEL engine (@bufbuild/cel): loaded when an expression is first compiled or run, not by every
// write that loads the admission chain (it was ~1/3 of a write command's module loading)
/* eslint-disable @typescript-eslint/no-require-imports */
const cel = onDemand('api/cel', () => require('./cel') as typeof import('./cel'));
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * ValidatingAdmissionPolicy compilation: the variables an expression may use and the
 * field errors the API server reports for expressions that do not compile.
 */
export const POLICY_VARIABLES = ['object', 'oldObject', 'request', 'params', 'namespaceObject', 'variables', 'authorizer'];

const cache = new Map<string, CelProgram | Error>();

/** Compiles (memoized: the same expression text compiles the same way). */
export function compilePolicyExpression(source: string, extra: string[] = []): CelProgram {
  const key = `${extra.join(',')}\u0000${source}`;
  let hit = cache.get(key);
  if (!hit) {
    try {
      hit = cel().compileCel(source, [...POLICY_VARIABLES, ...extra]);
    } catch (e) {
      hit = e instanceof Error ? e : new Error(String(e));
    }
    cache.set(key, hit);
  }
  if (hit instanceof Error) throw hit;
  return hit;
}

function checkExpression(value: unknown, path: string, errs: FieldError[], required: boolean): void {
  if (value === undefined || value === null || value === '') {
    if (required) errs.push({ path, type: 'Required value' });
    return;
  }
  if (typeof value !== 'string') {
    errs.push({ path, type: 'Invalid value', value, detail: 'must be of type string' });
    return;
  }
  try {
    compilePolicyExpression(value);
  } catch (e) {
    errs.push({ path, type: 'Invalid value', value, detail: `compilation failed: ${(e as Error).message}` });
  }
}

/** The spec as the user wrote it: validation reads it field by field before it is known to match the type. */
function specOf(obj: KObject): JsonObject {
  return isJsonObject(obj.spec) ? obj.spec : {};
}

/** The items of a list field, or none when it is not a list. */
function items(value: JsonValue | undefined): JsonValue[] {
  return Array.isArray(value) ? value : [];
}

/** A field of a list item, when the item is an object. */
function field(item: JsonValue, key: string): JsonValue | undefined {
  return isJsonObject(item) ? item[key] : undefined;
}

export function validatePolicySpec(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = specOf(obj);
  const validations = spec.validations;
  if (
    (!Array.isArray(validations) || validations.length === 0) &&
    !(Array.isArray(spec.auditAnnotations) && spec.auditAnnotations.length)
  ) {
    errs.push({
      path: 'spec.validations',
      type: 'Required value',
      detail: 'validations or auditAnnotations must contain at least one item',
    });
  }
  const resourceRules = field(spec.matchConstraints ?? null, 'resourceRules');
  if (!spec.matchConstraints) errs.push({ path: 'spec.matchConstraints', type: 'Required value' });
  else if (!Array.isArray(resourceRules) || !resourceRules.length) {
    errs.push({ path: 'spec.matchConstraints.resourceRules', type: 'Required value' });
  }
  if (spec.failurePolicy !== undefined && !['Fail', 'Ignore'].includes(spec.failurePolicy as string)) {
    errs.push({
      path: 'spec.failurePolicy',
      type: 'Unsupported value',
      value: spec.failurePolicy,
      detail: 'supported values: "Fail", "Ignore"',
    });
  }
  items(spec.variables).forEach((v, i) => {
    if (!field(v, 'name')) errs.push({ path: `spec.variables[${i}].name`, type: 'Required value' });
    checkExpression(field(v, 'expression'), `spec.variables[${i}].expression`, errs, true);
  });
  items(spec.matchConditions).forEach((c, i) => {
    if (!field(c, 'name')) errs.push({ path: `spec.matchConditions[${i}].name`, type: 'Required value' });
    checkExpression(field(c, 'expression'), `spec.matchConditions[${i}].expression`, errs, true);
  });
  items(validations).forEach((v, i) => {
    checkExpression(field(v, 'expression'), `spec.validations[${i}].expression`, errs, true);
    checkExpression(field(v, 'messageExpression'), `spec.validations[${i}].messageExpression`, errs, false);
    const reason = field(v, 'reason');
    if (reason !== undefined && !['Unauthorized', 'Forbidden', 'Invalid', 'RequestEntityTooLarge'].includes(reason as string)) {
      errs.push({
        path: `spec.validations[${i}].reason`,
        type: 'Unsupported value',
        value: reason,
        detail: 'supported values: "Forbidden", "Invalid", "RequestEntityTooLarge", "Unauthorized"',
      });
    }
  });
  return errs;
}

export function validateBindingSpec(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = specOf(obj);
  if (!spec.policyName) errs.push({ path: 'spec.policyName', type: 'Required value' });
  const actions = spec.validationActions;
  if (!Array.isArray(actions) || actions.length === 0) {
    errs.push({ path: 'spec.validationActions', type: 'Required value', detail: 'at least one validation action is required' });
  } else {
    actions.forEach((a, i) => {
      if (!['Deny', 'Warn', 'Audit'].includes(a as string))
        errs.push({
          path: `spec.validationActions[${i}]`,
          type: 'Unsupported value',
          value: a,
          detail: 'supported values: "Audit", "Deny", "Warn"',
        });
    });
    if (actions.includes('Deny') && actions.includes('Warn')) {
      errs.push({
        path: 'spec.validationActions',
        type: 'Invalid value',
        value: actions,
        detail:
          'must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)',
      });
    }
  }
  return errs;
}
