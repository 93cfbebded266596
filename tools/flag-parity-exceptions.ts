/**
 * kubectl flags kubesim does not accept, each with the reason. test/unit/flag-parity.test.ts
 * fails when a verb lacks a kubectl flag that is not listed here, or lists one it now accepts:
 * shrink this file as flags land.
 */

const exceptions: Record<string, Record<string, string>> = {};

function except(verbs: string[], flags: string[], reason: string): void {
  for (const verb of verbs) for (const flag of flags) (exceptions[verb] ??= {})[flag] = reason;
}

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

export const FLAG_EXCEPTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = exceptions;
