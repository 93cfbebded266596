import type { KObject } from '../api/types';

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

export function toJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 4)}\n`;
}

export function toYaml(value: unknown): string {
  // loaded on demand: most commands never print YAML (start-up time)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const YAML = require('yaml') as typeof import('yaml');
  // YAML 1.1 quoting rules, like go-yaml v2 behind sigs.k8s.io/yaml ("yes", timestamps, "0755" stay strings)
  return YAML.stringify(sortKeys(value), { indentSeq: false, lineWidth: 0, minContentWidth: 0, nullStr: 'null', version: '1.1' });
}

/** `kubectl get -o json` with several objects: a v1 List. */
export function asList(items: KObject[]): KObject {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } } as unknown as KObject;
}
