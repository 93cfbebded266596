import { goYamlMarshal } from './go-yaml-emit';

/** kubectl prints unstructured objects: keys sorted at every level. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/**
 * A JSON value as kubectl writes it as YAML (sigs.k8s.io/yaml → goyaml.v2): keys in go-yaml's
 * order, strings quoted, folded and in block style as go-yaml writes them (go-yaml-emit.ts).
 */
export function toYaml(value: unknown): string {
  return goYamlMarshal(value);
}
