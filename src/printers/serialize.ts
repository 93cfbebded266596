import type { KObject } from '../model/objects';
import { sortKeys } from '../util/go-yaml-write';

export { sortKeys, toYaml } from '../util/go-yaml-write';

export function toJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 4)}\n`;
}

/** `kubectl get -o json` with several objects: a v1 List. */
export function asList(items: KObject[]): KObject {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } } as unknown as KObject;
}
