import { orEmpty } from '../../model/objects';
import type { FieldError } from '../../util/errors';
import { registerKind } from './register';
import type { MutatingWebhookConfiguration, ValidatingWebhookConfiguration } from '../../model/kinds';
import type { MutatingWebhook, RuleWithOperations, WebhookClientConfig } from '../../model/k8s';

/** A webhook of either configuration (a validating one is a mutating one without reinvocationPolicy). */
type Webhook = MutatingWebhook;
import { ageColumn, nameColumn, validateLabelSelector, validateMeta, isOneOf } from './common';
import { isDns1123Subdomain, isDns1123Label } from '../labels';

/**
 * MutatingWebhookConfiguration and ValidatingWebhookConfiguration (admissionregistration.k8s.io/v1):
 * defaults from pkg/apis/admissionregistration/v1/defaults.go, validation from
 * pkg/apis/admissionregistration/validation (v1 create rules: sideEffects None or NoneOnDryRun,
 * an admissionReviewVersion this server speaks, unique webhook names).
 */

const REVIEW_VERSIONS = ['v1', 'v1beta1'];

function defaultWebhook(hook: Webhook, mutating: boolean): void {
  hook.failurePolicy ??= 'Fail';
  hook.matchPolicy ??= 'Equivalent';
  hook.namespaceSelector ??= {};
  hook.objectSelector ??= {};
  hook.timeoutSeconds ??= 10;
  if (mutating) hook.reinvocationPolicy ??= 'Never';
  if (hook.clientConfig?.service) hook.clientConfig.service.port ??= 443;
  for (const rule of Array.isArray(hook.rules) ? hook.rules : []) if (rule) rule.scope ??= '*';
}

function notSupported(path: string, value: unknown, supported: string[]): FieldError {
  return { path, type: 'Unsupported value', value, detail: `supported values: ${supported.map((s) => `"${s}"`).join(', ')}` };
}

/** utilvalidation.IsFullyQualifiedName */
function validateHookName(name: unknown, path: string, errs: FieldError[]): void {
  if (!name) {
    errs.push({ path, type: 'Required value' });
    return;
  }
  const bare = String(name).replace(/\.$/, '');
  if (!isDns1123Subdomain(bare))
    errs.push({
      path,
      type: 'Invalid value',
      value: bare,
      detail:
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    });
  else if (bare.split('.').length < 3)
    errs.push({ path, type: 'Invalid value', value: bare, detail: 'should be a domain with at least three segments separated by dots' });
}

/** validateRuleWithOperations + validateRule (subresources allowed). */
function validateRule(rule: RuleWithOperations, path: string, errs: FieldError[]): void {
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
  const operations = list(rule.operations);
  if (!operations.length) errs.push({ path: `${path}.operations`, type: 'Required value' });
  if (operations.length > 1 && operations.includes('*'))
    errs.push({
      path: `${path}.operations`,
      type: 'Invalid value',
      value: operations,
      detail: "if '*' is present, must not specify other operations",
    });
  operations.forEach((op, i) => {
    if (!['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'].includes(op))
      errs.push(notSupported(`${path}.operations[${i}]`, op, ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE']));
  });
  for (const [field, what] of [
    ['apiGroups', 'API groups'],
    ['apiVersions', 'API versions'],
  ] as const) {
    const values = list(rule[field]);
    if (!values.length) errs.push({ path: `${path}.${field}`, type: 'Required value' });
    if (values.length > 1 && values.includes('*'))
      errs.push({
        path: `${path}.${field}`,
        type: 'Invalid value',
        value: values,
        detail: `if '*' is present, must not specify other ${what}`,
      });
  }
  const resources = list(rule.resources);
  if (!resources.length) errs.push({ path: `${path}.resources`, type: 'Required value' });
  resources.forEach((r, i) => {
    if (!r) errs.push({ path: `${path}.resources[${i}]`, type: 'Required value' });
  });
  if (resources.length > 1 && resources.includes('*/*'))
    errs.push({
      path: `${path}.resources`,
      type: 'Invalid value',
      value: resources,
      detail: "if '*/*' is present, must not specify other resources",
    });
  if (resources.includes('*') && resources.some((r) => r !== '*' && !r.includes('/')))
    errs.push({
      path: `${path}.resources`,
      type: 'Invalid value',
      value: resources,
      detail: "if '*' is present, must not specify other resources without subresources",
    });
  if (rule.scope !== undefined && !isOneOf(['*', 'Cluster', 'Namespaced'], rule.scope))
    errs.push(notSupported(`${path}.scope`, rule.scope, ['*', 'Cluster', 'Namespaced']));
}

/** webhook.ValidateWebhookURL (https only, a host, no user, query or fragment) and ValidateWebhookService. */
export function validateClientConfig(cc: WebhookClientConfig | undefined, path: string, errs: FieldError[]): void {
  if (!cc || !cc.url === !cc.service) {
    errs.push({ path, type: 'Required value', detail: 'exactly one of url or service is required' });
    return;
  }
  if (cc.url) {
    const at = `${path}.url`;
    let url: URL;
    try {
      url = new URL(String(cc.url));
    } catch {
      errs.push({ path: at, type: 'Invalid value', value: cc.url, detail: 'host must be specified' });
      return;
    }
    if (url.protocol !== 'https:')
      errs.push({ path: at, type: 'Invalid value', value: url.protocol.slice(0, -1), detail: "'https' is the only allowed URL scheme" });
    if (!url.host) errs.push({ path: at, type: 'Invalid value', value: url.host, detail: 'host must be specified' });
    if (url.username)
      errs.push({ path: at, type: 'Invalid value', value: url.username, detail: 'user information is not permitted in the URL' });
    if (url.hash)
      errs.push({ path: at, type: 'Invalid value', value: url.hash.slice(1), detail: 'fragments are not permitted in the URL' });
    if (url.search)
      errs.push({ path: at, type: 'Invalid value', value: url.search.slice(1), detail: 'query parameters are not permitted in the URL' });
    return;
  }
  const svc = orEmpty(cc.service);
  const at = `${path}.service`;
  if (!svc.name) errs.push({ path: `${at}.name`, type: 'Required value', detail: 'service name is required' });
  if (!svc.namespace) errs.push({ path: `${at}.namespace`, type: 'Required value', detail: 'service namespace is required' });
  if (typeof svc.port === 'number' && (svc.port < 1 || svc.port > 65535))
    errs.push({
      path: `${at}.port`,
      type: 'Invalid value',
      value: svc.port,
      detail: 'port is not valid: must be between 1 and 65535, inclusive',
    });
  const urlPath = svc.path;
  if (urlPath && urlPath !== '/' && !String(urlPath).startsWith('/'))
    errs.push({ path: `${at}.path`, type: 'Invalid value', value: urlPath, detail: "must start with a '/'" });
}

function validateAdmissionReviewVersions(versions: unknown, path: string, errs: FieldError[]): void {
  const list = Array.isArray(versions) ? versions.map(String) : [];
  if (!list.length) {
    errs.push({ path, type: 'Required value', detail: `must specify one of ${REVIEW_VERSIONS.join(', ')}` });
    return;
  }
  const seen = new Set<string>();
  list.forEach((v, i) => {
    if (seen.has(v)) errs.push({ path: `${path}[${i}]`, type: 'Invalid value', value: v, detail: 'duplicate version' });
    else if (!isDns1123Label(v) || /^[0-9]/.test(v))
      errs.push({
        path: `${path}[${i}]`,
        type: 'Invalid value',
        value: v,
        detail:
          "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      });
    seen.add(v);
  });
  if (!list.some((v) => REVIEW_VERSIONS.includes(v)))
    errs.push({ path, type: 'Invalid value', value: list, detail: `must include at least one of ${REVIEW_VERSIONS.join(', ')}` });
}

function validateWebhooks(obj: MutatingWebhookConfiguration | ValidatingWebhookConfiguration, mutating: boolean): FieldError[] {
  const errs = validateMeta(obj);
  const names = new Set<string>();
  ((Array.isArray(obj.webhooks) ? obj.webhooks : []) as Webhook[]).forEach((hook, i) => {
    const path = `webhooks[${i}]`;
    validateHookName(hook.name, `${path}.name`, errs);
    (hook.rules ?? []).forEach((rule, j) => validateRule(rule ?? {}, `${path}.rules[${j}]`, errs));
    if (!isOneOf(['Fail', 'Ignore'], hook.failurePolicy))
      errs.push(notSupported(`${path}.failurePolicy`, hook.failurePolicy, ['Fail', 'Ignore']));
    if (!isOneOf(['Equivalent', 'Exact'], hook.matchPolicy))
      errs.push(notSupported(`${path}.matchPolicy`, hook.matchPolicy, ['Equivalent', 'Exact']));
    if (hook.sideEffects === undefined)
      errs.push({ path: `${path}.sideEffects`, type: 'Required value', detail: 'must specify one of None, NoneOnDryRun' });
    else if (!isOneOf(['None', 'NoneOnDryRun'], hook.sideEffects))
      errs.push(notSupported(`${path}.sideEffects`, hook.sideEffects, ['None', 'NoneOnDryRun']));
    if (typeof hook.timeoutSeconds === 'number' && (hook.timeoutSeconds > 30 || hook.timeoutSeconds < 1))
      errs.push({
        path: `${path}.timeoutSeconds`,
        type: 'Invalid value',
        value: hook.timeoutSeconds,
        detail: 'the timeout value must be between 1 and 30 seconds',
      });
    errs.push(...validateLabelSelector(hook.namespaceSelector, `${path}.namespaceSelector`));
    errs.push(...validateLabelSelector(hook.objectSelector, `${path}.objectSelector`));
    if (mutating && !isOneOf(['IfNeeded', 'Never'], hook.reinvocationPolicy))
      errs.push(notSupported(`${path}.reinvocationPolicy`, hook.reinvocationPolicy, ['IfNeeded', 'Never']));
    validateClientConfig(hook.clientConfig, `${path}.clientConfig`, errs);
    validateAdmissionReviewVersions(hook.admissionReviewVersions, `${path}.admissionReviewVersions`, errs);
    if (hook.name) {
      if (names.has(hook.name)) errs.push({ path: `${path}.name`, type: 'Duplicate value', value: hook.name });
      names.add(hook.name);
    }
  });
  return errs;
}

for (const mutating of [true, false]) {
  const kind = mutating ? 'MutatingWebhookConfiguration' : 'ValidatingWebhookConfiguration';
  registerKind(kind, {
    // printers: NAME WEBHOOKS AGE
    columns: [nameColumn, { header: 'WEBHOOKS', value: (o) => String((o.webhooks ?? []).length) }, ageColumn],
    specFields: ['webhooks'],
    defaults(obj) {
      for (const hook of Array.isArray(obj.webhooks) ? obj.webhooks : [])
        if (hook && typeof hook === 'object') defaultWebhook(hook, mutating);
    },
    validate: (obj) => validateWebhooks(obj, mutating),
  });
}
