import type { KObject } from '../../model/objects';
import { DescribeWriter, type DescribeContext } from '../describe';
import { describeEvents } from '../events';
import { formatGoValue } from '../jsonpath';

/** What kubectl's generic describer leaves out of the unstructured content: it prints them above. */
const SKIPPED = new Set(['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);

/**
 * kubectl's genericDescriber (describe.go), used for custom resources: Name, Namespace, Labels,
 * Annotations, then every field sorted, keys as smartLabelFor turns them into words.
 */
export function describeCustomResource(obj: KObject, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  w.nameAndMeta(obj);
  printContent(w, 0, obj as unknown as Record<string, unknown>, '');
  return w.toString() + describeEvents(ctx.events(obj), ctx.now);
}

function printContent(w: DescribeWriter, level: number, content: Record<string, unknown>, prefix: string): void {
  for (const field of Object.keys(content).sort()) {
    const path = `${prefix}.${field}`;
    if (SKIPPED.has(path)) continue;
    const value = content[field];
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      w.line(level, `${smartLabelFor(field)}:`);
      printContent(w, level + 1, value as Record<string, unknown>, path);
    } else if (Array.isArray(value)) {
      w.line(level, `${smartLabelFor(field)}:`);
      for (const child of value) {
        if (child && typeof child === 'object' && !Array.isArray(child)) printContent(w, level + 1, child as Record<string, unknown>, path);
        else w.line(level + 1, formatGoValue(child));
      }
    } else w.line(level, `${smartLabelFor(field)}:`, formatGoValue(value));
  }
}

const ACRONYMS = new Set(['API', 'URL', 'UID', 'OSB', 'GUID']);

/** describe.go's smartLabelFor: `creationTimestamp` → `Creation Timestamp`, `uid` → `UID`; other characters leave the key as it is. */
export function smartLabelFor(field: string): string {
  if (/[^\p{L}-]/u.test(field)) return field;
  // fatih/camelcase.Split: a new word at each lower→upper change and before the last capital of a run
  const parts = field.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|-+/g) ?? [field];
  return parts
    .filter((p) => p !== '_')
    .map((p) => (ACRONYMS.has(p.toUpperCase()) ? p.toUpperCase() : p.charAt(0).toUpperCase() + p.slice(1)))
    .join(' ');
}
