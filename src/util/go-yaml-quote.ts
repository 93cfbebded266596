import { resolveGoYaml } from './go-yaml-resolve';

/** base-60 floats (`1:20`): go-yaml v2 reads them as strings but quotes them for other parsers */
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/**
 * Whether go-yaml v2 (behind sigs.k8s.io/yaml, so behind `kubectl get -o yaml`) would read a plain
 * scalar back as something other than a string — then it writes the string double-quoted.
 * Anything else ("e5", "<<", "-", ".") stays plain.
 */
export function goYamlNeedsQuotes(s: string): boolean {
  return BASE60_FLOAT.test(s) || resolveGoYaml(s).tag !== 'str';
}
