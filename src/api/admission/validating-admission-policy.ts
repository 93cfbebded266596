import { registerAdmissionPlugin } from '../admission';
import { ApiError } from '../../util/errors';
import { onDemand } from '../../util/on-demand';
import { fromLabelSelector, matches, type LabelSelectorSpec } from '../labels';
import { resourceName, type KindInfo } from '../registry';
import type { CelProgram } from '../cel';
import type { KObject } from '../../model/objects';
import type { ValidatingAdmissionPolicy } from '../../model/kinds';
import { compilePolicyExpression } from '../validating-policy';
import { ruleMatchesRequest, type AdmissionRequest } from '../admission-webhooks';
import { addWarning } from '../warnings';
import type { ApiContext } from '../server';

// the CEL engine (@bufbuild/cel): loaded when an expression is first compiled or run, not by every
// write that loads the admission chain (it was ~1/3 of a write command's module loading)
/* eslint-disable @typescript-eslint/no-require-imports */
const cel = onDemand('api/cel', () => require('../cel') as typeof import('../cel'));
const celValues = onDemand('api/cel-values', () => require('../cel-values') as typeof import('../cel-values'));
const celCost = onDemand('api/cel-cost', () => require('../cel-cost') as typeof import('../cel-cost'));
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1): each binding names a
 * policy; when the policy's matchConstraints and the binding's matchResources both
 * match the request, the policy's CEL validations run. A false validation is reported
 * by the binding's validationActions: Deny refuses the request, Warn returns a warning,
 * Audit only annotates the audit event (nothing a kubectl user sees).
 */
interface Rule {
  apiGroups?: string[];
  apiVersions?: string[];
  operations?: string[];
  resources?: string[];
  scope?: string;
}

interface MatchResources {
  namespaceSelector?: LabelSelectorSpec;
  objectSelector?: LabelSelectorSpec;
  resourceRules?: Rule[];
  excludeResourceRules?: Rule[];
}

function ruleMatches(rule: Rule, info: KindInfo, operation: string): boolean {
  return ruleMatchesRequest(rule, { info, subresource: '', operation: operation as AdmissionRequest['operation'] });
}

function selectorMatches(selector: LabelSelectorSpec | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return true;
  const sel = fromLabelSelector(selector);
  return !sel || matches(sel, labels);
}

function resourcesMatch(
  ctx: ApiContext,
  m: MatchResources | undefined,
  info: KindInfo,
  obj: KObject,
  operation: string,
  requireRules: boolean,
): boolean {
  if (!m) return !requireRules;
  if (m.resourceRules?.length) {
    if (!m.resourceRules.some((r) => ruleMatches(r, info, operation))) return false;
  } else if (requireRules) return false;
  if (m.excludeResourceRules?.some((r) => ruleMatches(r, info, operation))) return false;
  if (!selectorMatches(m.objectSelector, obj.metadata.labels)) return false;
  if (info.namespaced || info.kind === 'Namespace') {
    const nsName = info.kind === 'Namespace' ? obj.metadata.name : obj.metadata.namespace;
    const ns = info.kind === 'Namespace' ? obj : nsName ? ctx.store.get('Namespace', undefined, nsName) : undefined;
    if (!selectorMatches(m.namespaceSelector, ns?.metadata.labels)) return false;
  }
  return true;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The activation: object, oldObject, request, params, namespaceObject and lazily evaluated variables. */
function activation(
  ctx: ApiContext,
  policy: ValidatingAdmissionPolicy,
  info: KindInfo,
  obj: KObject,
  old: KObject | undefined,
  operation: string,
): Record<string, unknown> {
  const ns = obj.metadata.namespace ? ctx.store.get('Namespace', undefined, obj.metadata.namespace) : undefined;
  const vars: Record<string, unknown> = {
    object: obj,
    oldObject: old ?? null,
    params: null,
    namespaceObject: ns ?? null,
    request: {
      operation,
      name: obj.metadata.name,
      namespace: obj.metadata.namespace ?? '',
      kind: { group: info.group, version: info.version, kind: info.kind },
      resource: { group: info.group, version: info.version, resource: info.plural },
      userInfo: { username: 'kubesim-admin', groups: ['system:masters', 'system:authenticated'] },
      dryRun: false,
    },
  };
  const variables: Record<string, unknown> = {};
  for (const v of policy.spec?.variables ?? []) {
    // each variable may use the ones declared before it
    variables[v.name] = cel().evalCel(compilePolicyExpression(v.expression), { ...vars, variables });
  }
  vars.variables = variables;
  return vars;
}

function run(program: CelProgram, vars: Record<string, unknown>): unknown {
  return cel().evalCel(program, vars);
}

interface Failure {
  message: string;
  reason: string;
}

/** The first failing validation of a policy for this request, if any. */
function firstFailure(
  ctx: ApiContext,
  policy: ValidatingAdmissionPolicy,
  info: KindInfo,
  obj: KObject,
  old: KObject | undefined,
  operation: string,
): Failure | undefined {
  const ignoreErrors = policy.spec?.failurePolicy === 'Ignore';
  let vars: Record<string, unknown>;
  try {
    vars = activation(ctx, policy, info, obj, old, operation);
  } catch (e) {
    return ignoreErrors ? undefined : { message: `failed to evaluate variables: ${errorText(e)}`, reason: 'Invalid' };
  }
  for (const cond of policy.spec?.matchConditions ?? []) {
    try {
      if (run(compilePolicyExpression(cond.expression), vars) !== true) return undefined;
    } catch (e) {
      if (ignoreErrors) return undefined;
      return { message: `failed to evaluate matchCondition '${cond.name}': ${errorText(e)}`, reason: 'Invalid' };
    }
  }
  // the validations' runtime cost (admission/plugin/cel/condition.go ForInput): all of them run before any
  // decision, out of one RuntimeCELCostBudget per binding; a call over PerCallLimit is cancelled
  const { PER_CALL_LIMIT, RUNTIME_CEL_COST_BUDGET, actualCost } = celCost();
  let remaining = RUNTIME_CEL_COST_BUDGET;
  const cancelled = new Set<number>();
  for (const [i, v] of (policy.spec?.validations ?? []).entries()) {
    let cost: number;
    try {
      cost = actualCost(compilePolicyExpression(v.expression), vars);
    } catch {
      continue; // refused when the policy was written
    }
    const charged = Math.min(cost, PER_CALL_LIMIT + 1);
    if (charged > remaining) {
      if (ignoreErrors) return undefined;
      return { message: 'validation failed due to running out of cost budget, no further validation rules will be run', reason: 'Invalid' };
    }
    remaining -= charged;
    if (cost > PER_CALL_LIMIT) cancelled.add(i);
  }
  for (const [i, v] of (policy.spec?.validations ?? []).entries()) {
    const reason = v.reason ?? 'Invalid';
    let result: unknown;
    try {
      if (cancelled.has(i)) throw new Error('operation cancelled: actual cost limit exceeded');
      result = run(compilePolicyExpression(v.expression), vars);
    } catch (e) {
      if (ignoreErrors) continue;
      return { message: `expression '${v.expression}' resulted in error: ${errorText(e)}`, reason };
    }
    if (result === true) continue;
    if (result !== false) {
      if (ignoreErrors) continue;
      return {
        message: `expression '${v.expression}' resulted in error: expected a boolean, got ${JSON.stringify(celValues().toJson(result))}`,
        reason,
      };
    }
    let message = v.message || `failed expression: ${String(v.expression).trim()}`;
    if (v.messageExpression) {
      try {
        const m = run(compilePolicyExpression(v.messageExpression), vars);
        if (typeof m === 'string' && m.trim() !== '' && !m.includes('\n')) message = m.trim();
      } catch {
        // a failing messageExpression falls back to message (and is logged by the API server)
      }
    }
    return { message, reason };
  }
  return undefined;
}

function denial(info: KindInfo, obj: KObject, text: string, reason: string): ApiError {
  if (reason === 'Forbidden' || reason === 'Unauthorized') {
    return new ApiError(
      reason,
      reason === 'Forbidden' ? 403 : 401,
      `Error from server (${reason}): ${resourceName(info)} "${obj.metadata.name}" is forbidden: ${text}`,
    );
  }
  // an Invalid status whose one cause has an empty field: kubectl prints `is invalid: : …`
  return new ApiError('Invalid', 422, `The ${info.plural} "${obj.metadata.name}" is invalid: : ${text}`);
}

registerAdmissionPlugin({
  name: 'ValidatingAdmissionPolicy',
  admit(ctx, info, obj, old, opts) {
    if (info.kind === 'Event') return;
    const bindings = ctx.store.list('ValidatingAdmissionPolicyBinding');
    if (!bindings.length) return;
    const operation = old ? 'UPDATE' : 'CREATE';
    for (const binding of bindings) {
      const policy = ctx.store.get('ValidatingAdmissionPolicy', undefined, binding.spec?.policyName ?? '');
      if (!policy) continue;
      if (!resourcesMatch(ctx, policy.spec?.matchConstraints, info, obj, operation, true)) continue;
      if (!resourcesMatch(ctx, binding.spec?.matchResources, info, obj, operation, false)) continue;
      const failure = firstFailure(ctx, policy, info, obj, old, operation);
      if (!failure) continue;
      const actions = binding.spec?.validationActions ?? [];
      if (actions.includes('Deny')) {
        throw denial(
          info,
          obj,
          `ValidatingAdmissionPolicy '${policy.metadata.name}' with binding '${binding.metadata.name}' denied request: ${failure.message}`,
          failure.reason,
        );
      }
      if (actions.includes('Warn') && !opts.trusted) {
        addWarning(
          ctx.store,
          `Validation failed for ValidatingAdmissionPolicy '${policy.metadata.name}' with binding '${binding.metadata.name}': ${failure.message}`,
        );
      }
    }
  },
  // a policy's CEL may read anything of the pod (its name): only without bindings is it a no-op
  templatePods: {
    reads: ['ValidatingAdmissionPolicyBinding', 'ValidatingAdmissionPolicy'],
    same: (ctx) => ctx.store.count('ValidatingAdmissionPolicyBinding') === 0,
  },
});
