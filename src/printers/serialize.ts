import type { KObject } from '../model/objects';
import { sortKeys } from '../util/go-yaml-write';

export { sortKeys, toYaml } from '../util/go-yaml-write';

export function toJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 4)}\n`;
}

/**
 * `get -w --output-watch-events -o json`: JSONPrinter marshals a metav1.WatchEvent compactly on one
 * line, its fields in the struct's order (type, object) and the object's keys sorted as any map.
 */
export function watchEventJson(type: string, object: unknown): string {
  return `{"type":${JSON.stringify(type)},"object":${JSON.stringify(sortKeys(object))}}\n`;
}

/** `kubectl get -o json` with several objects: a v1 List. */
export function asList(items: KObject[]): KObject {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } } as unknown as KObject;
}
