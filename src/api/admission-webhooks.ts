import { ApiError } from '../util/errors';
import { onDemand } from '../util/on-demand';
import { compilePolicyExpression } from './validating-policy';
import { fromLabelSelector, matches, type LabelSelectorSpec } from './labels';
import type { KindInfo } from './registry';
import type { AdmissionPlugin } from './admission';
import type { KObject } from '../model/objects';
import type { MutatingWebhook, RuleWithOperations, ValidatingWebhook, WebhookServiceReference as ServiceReference } from '../model/k8s';
import type { ReadonlyObjectStore } from '../store/object-store';
import type { ObjectReader } from '../model/object-reader';

// the CEL engine (@bufbuild/cel): loaded when an expression is first compiled or run, not by every
// write that loads the admission chain (it was ~1/3 of a write command's module loading)
/* eslint-disable @typescript-eslint/no-require-imports */
const cel = onDemand('api/cel', () => require('./cel') as typeof import('./cel'));
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The API server's webhook admission (staging/src/k8s.io/apiserver/pkg/admission/plugin/webhook):
 * which webhooks of the Mutating/ValidatingWebhookConfigurations a request matches, and what
 * calling each one gives. kubesim cannot run a webhook's code: a webhook whose Service has a
 * ready endpoint admits the request unchanged; one whose Service cannot be reached fails the
 * request, or is skipped with failurePolicy Ignore, with the API server's error text.
 */

/** The request as webhook rules see it. */
export interface AdmissionRequest {
  info: KindInfo;
  /** `status`, `scale`, … or '' for the resource itself */
  subresource: string;
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  object: KObject;
  oldObject?: KObject;
}

/** One webhook of a Validating- or MutatingWebhookConfiguration (the fields both share are what is read here). */
export type Webhook = ValidatingWebhook | MutatingWebhook;

/** Webhook configurations and policies never go to webhooks, so a bad webhook can always be deleted. */
const NEVER_SENT = new Set([
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
]);

const listHas = (list: unknown, value: string): boolean => Array.isArray(list) && (list.includes('*') || list.includes(value));

/**
 * A RuleWithOperations against a request (admission/plugin/webhook/predicates/rules): operations,
 * apiGroups, apiVersions (any served version under matchPolicy Equivalent), resources with their
 * subresource forms (`pods`, `pods/status`, `*`, `*\/*`, `*\/scale`, `pods/*`), and scope.
 */
export function ruleMatchesRequest(
  rule: RuleWithOperations,
  req: Pick<AdmissionRequest, 'info' | 'subresource' | 'operation'>,
  equivalent = false,
): boolean {
  const { info } = req;
  if (!listHas(rule.operations, req.operation)) return false;
  if (!listHas(rule.apiGroups, info.group)) return false;
  const versions = equivalent ? [info.version, ...(info.otherVersions ?? [])] : [info.version];
  if (!versions.some((v) => listHas(rule.apiVersions, v))) return false;
  const resources = Array.isArray(rule.resources) ? rule.resources : [];
  const resourceOk = resources.some((entry) => {
    const [res, sub = ''] = entry.split('/', 2);
    if (entry === '*') return req.subresource === '';
    if (res !== '*' && res !== info.plural) return false;
    if (!entry.includes('/')) return req.subresource === '';
    return req.subresource !== '' && (sub === '*' || sub === req.subresource);
  });
  if (!resourceOk) return false;
  const scope = rule.scope ?? '*';
  return scope === '*' || (scope === 'Namespaced' ? info.namespaced : !info.namespaced);
}

function selectorMatches(selector: LabelSelectorSpec | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return true;
  const parsed = fromLabelSelector(selector);
  return !!parsed && matches(parsed, labels);
}

/** namespaceSelector: the object's namespace (a Namespace is its own); cluster-scoped objects always match. */
function namespaceMatches(store: ReadonlyObjectStore, hook: Webhook, req: AdmissionRequest): boolean {
  if (req.info.kind === 'Namespace') return selectorMatches(hook.namespaceSelector, req.object.metadata.labels);
  if (!req.info.namespaced) return true;
  const ns = store.get('Namespace', undefined, req.object.metadata.namespace ?? 'default');
  return selectorMatches(hook.namespaceSelector, ns?.metadata.labels);
}

/** objectSelector: the new or the old object's labels. */
function objectMatches(hook: Webhook, req: AdmissionRequest): boolean {
  return (
    selectorMatches(hook.objectSelector, req.object.metadata.labels) ||
    (!!req.oldObject && selectorMatches(hook.objectSelector, req.oldObject.metadata.labels))
  );
}

/** matchConditions: every CEL condition true; an error counts as a match under Fail (the call then decides) and not under Ignore. */
function conditionsMatch(hook: Webhook, req: AdmissionRequest): boolean {
  const conditions = hook.matchConditions ?? [];
  if (!conditions.length) return true;
  const vars = {
    object: req.operation === 'DELETE' ? null : req.object,
    oldObject: req.oldObject ?? null,
    request: {
      operation: req.operation,
      name: req.object.metadata.name,
      namespace: req.object.metadata.namespace ?? '',
      kind: { group: req.info.group, version: req.info.version, kind: req.info.kind },
      resource: { group: req.info.group, version: req.info.version, resource: req.info.plural },
      subResource: req.subresource,
    },
  };
  return conditions.every((c) => {
    try {
      return cel().evalCel(compilePolicyExpression(String(c.expression ?? '')), vars) === true;
    } catch {
      return (hook.failurePolicy ?? 'Fail') === 'Fail';
    }
  });
}

/** The webhooks of this configuration kind that the request goes to, in configuration-name then list order. */
export function matchingWebhooks(
  store: ReadonlyObjectStore,
  configKind: 'MutatingWebhookConfiguration' | 'ValidatingWebhookConfiguration',
  req: AdmissionRequest,
): Webhook[] {
  if (NEVER_SENT.has(req.info.kind)) return [];
  const hooks: Webhook[] = [];
  const configs = [...store.list(configKind)].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  for (const config of configs) {
    for (const hook of config.webhooks ?? []) {
      const equivalent = (hook.matchPolicy ?? 'Equivalent') === 'Equivalent';
      if (!(hook.rules ?? []).some((r) => ruleMatchesRequest(r, req, equivalent))) continue;
      if (!namespaceMatches(store, hook, req) || !objectMatches(hook, req) || !conditionsMatch(hook, req)) continue;
      hooks.push(hook);
    }
  }
  return hooks;
}

/** What the API server's service resolver (util/proxy ResolveEndpoint) says when it cannot reach the Service, or undefined. */
export function serviceUnreachable(store: ObjectReader, ref: ServiceReference): string | undefined {
  const namespace = ref.namespace ?? 'default';
  const svc = store.get('Service', namespace, ref.name);
  if (!svc) return `service "${ref.name}" not found`;
  const port = ref.port ?? 443;
  const svcPort = (svc.spec?.ports ?? []).find((p) => p.port === port);
  if (!svcPort) return `no service port ${port} found for service "${ref.name}"`;
  const type = svc.spec?.type ?? 'ClusterIP';
  if (!['ClusterIP', 'NodePort', 'LoadBalancer'].includes(type)) return `unsupported service type "${type}"`;
  const endpoints = store.get('Endpoints', namespace, ref.name);
  const ready = (endpoints?.subsets ?? []).some(
    (ss) => (ss.addresses ?? []).length && (ss.ports ?? []).some((p) => (p.name ?? '') === (svcPort.name ?? '')),
  );
  return ready ? undefined : `no endpoints available for service "${ref.name}"`;
}

/** The URL the API server posts to: `https://svc.ns.svc:443/path?timeout=10s`. */
function serviceUrl(hook: Webhook, ref: ServiceReference): string {
  const path = ref.path || '/';
  return `https://${ref.name}.${ref.namespace ?? 'default'}.svc:${ref.port ?? 443}${path}?timeout=${hook.timeoutSeconds ?? 10}s`;
}

/**
 * Calls one webhook: a Service that cannot be reached fails the request under failurePolicy
 * Fail (InternalError, the dispatcher's ErrCallingWebhook text) and is skipped under Ignore.
 * A url clientConfig points outside the cluster, where kubesim cannot look: it admits.
 */
export function callWebhook(store: ReadonlyObjectStore, hook: Webhook): void {
  const ref = hook.clientConfig?.service;
  if (!ref) return;
  const problem = serviceUnreachable(store, ref);
  if (!problem || hook.failurePolicy === 'Ignore') return;
  throw new ApiError(
    'InternalError',
    500,
    `Error from server (InternalError): Internal error occurred: failed calling webhook "${hook.name}": failed to call webhook: Post "${serviceUrl(hook, ref)}": ${problem}`,
  );
}

/**
 * The Mutating/ValidatingAdmissionWebhook plugins: each matching webhook is called in turn (kube
 * calls validating ones in parallel; the first failure in configuration order is the one
 * reported). Controllers' updates (status writes, mostly) are not sent: a refusal there has
 * nowhere to go in kubesim. A DELETE carries the object as oldObject.
 */
export function webhookAdmission(
  name: string,
  configKind: 'MutatingWebhookConfiguration' | 'ValidatingWebhookConfiguration',
): AdmissionPlugin {
  const send = (store: ReadonlyObjectStore, req: AdmissionRequest) => {
    for (const hook of matchingWebhooks(store, configKind, req)) callWebhook(store, hook);
  };
  return {
    name,
    admit(ctx, info, obj, old, opts) {
      if (old && opts.trusted) return;
      send(ctx.store, { info, subresource: '', operation: old ? 'UPDATE' : 'CREATE', object: obj, oldObject: old });
    },
    admitDelete(ctx, info, obj) {
      send(ctx.store, { info, subresource: '', operation: 'DELETE', object: obj, oldObject: obj });
    },
    // a webhook sees each request: only without configurations is it a no-op
    templatePods: { reads: [configKind], same: (ctx) => ctx.store.count(configKind) === 0 },
  };
}
