/**
 * kubectl flags kubesim does not accept, each with the reason. test/unit/flag-parity.test.ts
 * fails when a verb lacks a kubectl flag that is not listed here, or lists one it now accepts:
 * shrink this file as flags land.
 */

const exceptions: Record<string, Record<string, string>> = {};

/** The template printers' flags, which come with -o (PrintFlags) */
const TEMPLATE_FLAGS = ['allow-missing-template-keys', 'template'];

function except(verbs: string[], flags: string[], reason: string): void {
  for (const verb of verbs) for (const flag of flags) (exceptions[verb] ??= {})[flag] = reason;
}

const RAW = '--raw sends a request to an API server URL path; kubesim has no HTTP API to send it to';
const SUBRESOURCE = 'not yet: reading and writing the status/scale subresources by --subresource (issue #19 backlog)';
const NOT_YET = 'not yet implemented (issue #19 backlog)';
const NO_VERB = (verb: string) => `kubesim has no "${verb}" verb yet (issue #19 backlog)`;

except(['get', 'delete', 'create', 'replace'], ['raw'], RAW);
except(['apply', 'get', 'replace', 'edit'], ['subresource'], SUBRESOURCE);
except(['apply'], ['openapi-patch', 'overwrite'], NOT_YET);
except(['create'], ['edit', 'windows-line-endings'], NOT_YET);
except(
  ['create token'],
  [
    'audience',
    'bound-object-kind',
    'bound-object-name',
    'bound-object-uid',
    'duration',
    'output',
    'show-managed-fields',
    ...TEMPLATE_FLAGS,
  ],
  NO_VERB('create token'),
);
except(['label', 'annotate'], ['list', 'resource-version'], NOT_YET);
except(['edit'], ['output-patch', 'windows-line-endings'], NOT_YET);
except(['edit'], TEMPLATE_FLAGS, NOT_YET);
except(['diff'], ['concurrency', 'field-manager', 'prune', 'prune-allowlist', 'selector', 'show-managed-fields'], NOT_YET);
except(['scale'], ['resource-version', 'timeout'], NOT_YET);
except(['rollout history'], ['output', 'show-managed-fields', ...TEMPLATE_FLAGS], NOT_YET);
except(['taint'], ['dry-run', 'field-manager', 'output', 'show-managed-fields', ...TEMPLATE_FLAGS, 'validate'], NOT_YET);
except(['wait'], ['field-selector', 'local', 'output', 'recursive', 'show-managed-fields', ...TEMPLATE_FLAGS], NOT_YET);
except(['top node'], ['show-capacity', 'use-protocol-buffers'], NOT_YET);
except(['top pod'], ['field-selector', 'sum', 'use-protocol-buffers'], NOT_YET);
except(['events'], ['chunk-size', 'show-managed-fields'], NOT_YET);
except(['set env'], ['from', 'keys', 'overwrite', 'prefix', 'resolve'], NOT_YET);
except(
  ['set selector'],
  [
    'all',
    'dry-run',
    'field-manager',
    'filename',
    'local',
    'output',
    'recursive',
    'resource-version',
    'show-managed-fields',
    ...TEMPLATE_FLAGS,
  ],
  NO_VERB('set selector'),
);
except(
  ['set subject'],
  [
    'all',
    'dry-run',
    'field-manager',
    'filename',
    'group',
    'kustomize',
    'local',
    'output',
    'recursive',
    'selector',
    'serviceaccount',
    'show-managed-fields',
    ...TEMPLATE_FLAGS,
    'user',
  ],
  NO_VERB('set subject'),
);
except(['auth can-i'], ['list', 'no-headers'], NOT_YET);
except(
  ['kustomize'],
  [
    'enable-alpha-plugins',
    'enable-helm',
    'env',
    'helm-api-versions',
    'helm-command',
    'helm-debug',
    'helm-kube-version',
    'mount',
    'network',
    'network-name',
    'as-current-user',
  ],
  'kubesim builds kustomizations without running plugins or helm (no containers, no exec functions)',
);
except(['kustomize'], ['load-restrictor', 'output'], NOT_YET);
except(['config view'], ['flatten', 'merge', 'minify', 'output', 'raw', 'show-managed-fields', ...TEMPLATE_FLAGS], NOT_YET);
except(['config set-context'], ['user'], 'kubesim contexts carry no users: authentication is not simulated');
except(
  ['config set-cluster'],
  ['certificate-authority', 'embed-certs', 'insecure-skip-tls-verify', 'proxy-url', 'server', 'tls-server-name'],
  NO_VERB('config set-cluster'),
);
except(
  ['config set-credentials'],
  [
    'auth-provider',
    'auth-provider-arg',
    'client-certificate',
    'client-key',
    'embed-certs',
    'exec-api-version',
    'exec-arg',
    'exec-command',
    'exec-env',
    'exec-interactive-mode',
    'exec-provide-cluster-info',
    'password',
    'token',
    'username',
  ],
  NO_VERB('config set-credentials'),
);
except(['config set'], ['set-raw-bytes'], NO_VERB('config set'));
except(['api-resources'], ['api-group', 'cached', 'categories', 'verbs'], NOT_YET);

export const FLAG_EXCEPTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = exceptions;
