import type { KObject } from '../../model/objects';
import { DescribeWriter, type DescribeContext } from '../describe';
import { formatGoValue } from '../jsonpath';
import { writeEvents } from './format';

/** What kubectl's generic describer leaves out of the unstructured content: it prints them above. */
const SKIPPED = new Set(['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);

/**
 * kubectl's genericDescriber (describe.go GenericDescriberFor), for every kind kubectl has no
 * describer of its own for, custom resources included: Name, Namespace (empty for a cluster-scoped
 * object), Labels, Annotations, then the object as the API returns it (printUnstructuredContent:
 * every field sorted, keys as smartLabelFor turns them into words), then the events, all through
 * one tabwriter.
 */
export function describeGeneric(obj: KObject, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  w.nameAndMeta(obj);
  printContent(w, 0, obj as unknown as Record<string, unknown>, '');
  writeEvents(w, ctx.events(obj), ctx.now);
  return w.toString();
}

function printContent(w: DescribeWriter, level: number, content: Record<string, unknown>, prefix: string): void {
  for (const field of Object.keys(content).sort()) {
    const path = `${prefix}.${field}`;
    if (SKIPPED.has(path)) continue;
    const value = content[field];
    if (value === undefined) continue;
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
