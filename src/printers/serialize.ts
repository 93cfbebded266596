import type { KObject } from '../model/objects';
import { sortKeys } from '../util/go-yaml-write';

export { sortKeys, toYaml } from '../util/go-yaml-write';

export function toJson(value: unknown): string {
  return `${goJsonEscape(JSON.stringify(sortKeys(value), null, 4))}\n`;
}

const HTML_UNSAFE = /[<>&\u2028\u2029]/;
const HTML_UNSAFE_ALL = /[<>&\u2028\u2029]/g;
const GO_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * encoding/json's HTML-safe escaping, which kubectl's JSON printer keeps (json.MarshalIndent):
 * `<`, `>`, `&`, U+2028 and U+2029 as \u escapes (`"a \u0026\u0026 b"`). They occur only inside
 * strings, so the whole text can be rewritten.
 */
export function goJsonEscape(json: string): string {
  return HTML_UNSAFE.test(json) ? json.replace(HTML_UNSAFE_ALL, (c) => GO_ESCAPES[c]) : json;
}

/**
 * `get -w --output-watch-events -o json`: JSONPrinter marshals a metav1.WatchEvent compactly on one
 * line, its fields in the struct's order (type, object) and the object's keys sorted as any map.
 */
export function watchEventJson(type: string, object: unknown): string {
  return `{"type":${JSON.stringify(type)},"object":${goJsonEscape(JSON.stringify(sortKeys(object)))}}\n`;
}

/** `kubectl get -o json` with several objects: a v1 List. */
export function asList(items: KObject[]): KObject {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } } as unknown as KObject;
}
