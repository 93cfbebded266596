/**
 * kubectl flags kubesim does not accept, each with the reason. test/unit/flag-parity.test.ts
 * fails when a verb lacks a kubectl flag that is not listed here, or lists one it now accepts.
 */
import { readSnapshot } from './flag-parity-lib';

const snapshot = readSnapshot();

const exceptions: Record<string, Record<string, string>> = {};

function except(verbs: string[], flags: string[], reason: string): void {
  for (const verb of verbs) for (const flag of flags) (exceptions[verb] ??= {})[flag] = reason;
}

/** Verbs whose kubectl help lists the go-template flags (the go-template printer is another change). */
const TEMPLATE_VERBS = Object.keys(snapshot.verbs).filter((verb) => snapshot.verbs[verb].some((f) => f.name === 'template'));

except(
  TEMPLATE_VERBS,
  ['template', 'allow-missing-template-keys'],
  'go-template output (--template, --allow-missing-template-keys) comes with the go-template printer, a separate change',
);

const BACKLOG = 'not accepted yet (issue #19 backlog)';
except(
  ['apply'],
  [
    'all',
    'cascade',
    'field-manager',
    'force',
    'grace-period',
    'openapi-patch',
    'overwrite',
    'prune-allowlist',
    'show-managed-fields',
    'subresource',
    'timeout',
    'wait',
  ],
  BACKLOG,
);
except(['get'], ['chunk-size', 'filename', 'kustomize', 'raw', 'recursive', 'server-print', 'show-managed-fields', 'subresource'], BACKLOG);
except(['describe'], ['chunk-size', 'filename', 'kustomize', 'recursive'], BACKLOG);
except(['delete'], ['field-selector', 'interactive', 'raw'], BACKLOG);
except(
  ['create'],
  ['edit', 'field-manager', 'raw', 'save-config', 'selector', 'show-managed-fields', 'validate', 'windows-line-endings'],
  BACKLOG,
);
except(['create clusterrole'], ['field-manager', 'save-config', 'show-managed-fields', 'validate'], BACKLOG);
except(['create clusterrolebinding'], ['field-manager', 'save-config', 'show-managed-fields', 'validate'], BACKLOG);
except(['create configmap'], ['field-manager', 'save-config', 'show-managed-fields', 'validate'], BACKLOG);
except(['create cronjob'], ['field-manager', 'save-config', 'show-managed-fields', 'validate'], BACKLOG);
except(['create deployment'], ['field-manager', 'save-config', 'show-managed-fields', 'validate'], BACKLOG);
except(['create ingress'], ['field-manager', 'save-config', 'show-managed-fields', 'validate'], BACKLOG);
except(['create job'], ['field-manager', 'save-config', 'show-managed-fields', 'validate'], BACKLOG);
except(['create namespace'], ['field-manager', 'save-config', 'show-managed-fields', 'validate'], BACKLOG);
except(['create poddisruptionbudget'], ['field-manager', 'save-config', 'show-managed-fields', 'validate'], BACKLOG);
except(['create priorityclass'], ['field-manager', 'save-config', 'show-managed-fields', 'validate'], BACKLOG);
except(['create quota'], ['field-manager', 'save-config', 'show-managed-fields', 'validate'], BACKLOG);
except(['create role'], ['field-manager', 'save-config', 'show-managed-fields', 'validate'], BACKLOG);
except(['create rolebinding'], ['field-manager', 'save-config', 'show-managed-fields', 'validate'], BACKLOG);
except(['create secret docker-registry'], ['field-manager', 'save-config', 'show-managed-fields', 'validate'], BACKLOG);
except(['create secret generic'], ['field-manager', 'save-config', 'show-managed-fields', 'validate'], BACKLOG);
except(['create secret tls'], ['field-manager', 'save-config', 'show-managed-fields', 'validate'], BACKLOG);
except(['create service clusterip'], ['field-manager', 'save-config', 'show-managed-fields', 'validate'], BACKLOG);
except(['create service externalname'], ['field-manager', 'save-config', 'show-managed-fields', 'validate'], BACKLOG);
except(['create service loadbalancer'], ['field-manager', 'save-config', 'show-managed-fields', 'validate'], BACKLOG);
except(['create service nodeport'], ['field-manager', 'save-config', 'show-managed-fields', 'validate'], BACKLOG);
except(['create serviceaccount'], ['field-manager', 'save-config', 'show-managed-fields', 'validate'], BACKLOG);
except(
  ['create token'],
  ['audience', 'bound-object-kind', 'bound-object-name', 'bound-object-uid', 'duration', 'output', 'show-managed-fields'],
  BACKLOG,
);
except(
  ['replace'],
  [
    'cascade',
    'dry-run',
    'field-manager',
    'force',
    'grace-period',
    'output',
    'raw',
    'save-config',
    'show-managed-fields',
    'subresource',
    'timeout',
    'validate',
    'wait',
  ],
  BACKLOG,
);
except(['patch'], ['field-manager', 'kustomize', 'show-managed-fields', 'subresource'], BACKLOG);
except(
  ['label'],
  ['all-namespaces', 'field-manager', 'field-selector', 'kustomize', 'list', 'resource-version', 'show-managed-fields'],
  BACKLOG,
);
except(
  ['annotate'],
  ['all-namespaces', 'field-manager', 'field-selector', 'kustomize', 'list', 'resource-version', 'show-managed-fields'],
  BACKLOG,
);
except(
  ['edit'],
  [
    'field-manager',
    'filename',
    'kustomize',
    'output-patch',
    'recursive',
    'save-config',
    'show-managed-fields',
    'subresource',
    'validate',
    'windows-line-endings',
  ],
  BACKLOG,
);
except(['diff'], ['concurrency', 'field-manager', 'prune', 'prune-allowlist', 'selector', 'show-managed-fields'], BACKLOG);
except(
  ['expose'],
  [
    'external-ip',
    'field-manager',
    'filename',
    'kustomize',
    'labels',
    'load-balancer-ip',
    'override-type',
    'overrides',
    'recursive',
    'save-config',
    'session-affinity',
    'show-managed-fields',
  ],
  BACKLOG,
);
except(
  ['run'],
  [
    'attach',
    'cascade',
    'command',
    'expose',
    'field-manager',
    'filename',
    'force',
    'grace-period',
    'image-pull-policy',
    'kustomize',
    'leave-stdin-open',
    'override-type',
    'overrides',
    'pod-running-timeout',
    'privileged',
    'quiet',
    'recursive',
    'rm',
    'save-config',
    'show-managed-fields',
    'stdin',
    'timeout',
    'tty',
    'wait',
  ],
  BACKLOG,
);
except(['scale'], ['kustomize', 'resource-version', 'show-managed-fields', 'timeout'], BACKLOG);
except(['autoscale'], ['field-manager', 'filename', 'kustomize', 'recursive', 'save-config', 'show-managed-fields'], BACKLOG);
except(['rollout status'], ['filename', 'kustomize', 'recursive', 'selector'], BACKLOG);
except(['rollout history'], ['filename', 'kustomize', 'output', 'recursive', 'selector', 'show-managed-fields'], BACKLOG);
except(['rollout undo'], ['filename', 'kustomize', 'output', 'recursive', 'selector', 'show-managed-fields'], BACKLOG);
except(['rollout restart'], ['field-manager', 'filename', 'kustomize', 'output', 'recursive', 'selector', 'show-managed-fields'], BACKLOG);
except(['rollout pause'], ['field-manager', 'filename', 'kustomize', 'output', 'recursive', 'selector', 'show-managed-fields'], BACKLOG);
except(['rollout resume'], ['field-manager', 'filename', 'kustomize', 'output', 'recursive', 'selector', 'show-managed-fields'], BACKLOG);
except(['taint'], ['dry-run', 'field-manager', 'output', 'show-managed-fields', 'validate'], BACKLOG);
except(['wait'], ['field-selector', 'local', 'output', 'recursive', 'show-managed-fields'], BACKLOG);
except(['top node'], ['show-capacity', 'use-protocol-buffers'], BACKLOG);
except(['top pod'], ['field-selector', 'sum', 'use-protocol-buffers'], BACKLOG);
except(['events'], ['chunk-size', 'show-managed-fields'], BACKLOG);
except(['set image'], ['field-manager', 'kustomize', 'show-managed-fields'], BACKLOG);
except(['set env'], ['field-manager', 'from', 'keys', 'kustomize', 'overwrite', 'prefix', 'resolve', 'show-managed-fields'], BACKLOG);
except(['set resources'], ['field-manager', 'kustomize', 'show-managed-fields'], BACKLOG);
except(
  ['set selector'],
  ['all', 'dry-run', 'field-manager', 'filename', 'local', 'output', 'recursive', 'resource-version', 'show-managed-fields'],
  BACKLOG,
);
except(['set serviceaccount'], ['field-manager', 'kustomize', 'show-managed-fields'], BACKLOG);
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
    'user',
  ],
  BACKLOG,
);
except(['auth can-i'], ['list', 'no-headers'], BACKLOG);
except(
  ['kustomize'],
  [
    'as-current-user',
    'enable-alpha-plugins',
    'enable-helm',
    'env',
    'helm-api-versions',
    'helm-command',
    'helm-debug',
    'helm-kube-version',
    'load-restrictor',
    'mount',
    'network',
    'network-name',
    'output',
  ],
  BACKLOG,
);
except(['config view'], ['flatten', 'merge', 'minify', 'output', 'raw', 'show-managed-fields'], BACKLOG);
except(['config set-context'], ['user'], BACKLOG);
except(
  ['config set-cluster'],
  ['certificate-authority', 'embed-certs', 'insecure-skip-tls-verify', 'proxy-url', 'server', 'tls-server-name'],
  BACKLOG,
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
  BACKLOG,
);
except(['config set'], ['set-raw-bytes'], BACKLOG);
except(['api-resources'], ['api-group', 'cached', 'categories', 'verbs'], BACKLOG);

export const FLAG_EXCEPTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = exceptions;
