import type { KObject } from '../model/objects';
import { formatGoFloat } from '../util/go-fmt';
import { fromRFC3339, humanDuration } from '../util/duration';
import * as jp from './jsonpath';

const compiled = new Map<string, jp.JsonPathTemplate>();

/**
 * One cell of a CRD's additionalPrinterColumn, as apiextensions' table convertor fills it: the
 * first JSONPath result, `<none>` when there is none or its type does not match the column's;
 * a `string` column prints the value as jsonpath prints it, a `date` column as an age.
 */
export function customColumnCell(column: { path: string; type: string }, obj: KObject, now: number): string {
  let template = compiled.get(column.path);
  if (!template) {
    template = jp.compileJsonPath(`{${column.path}}`);
    compiled.set(column.path, template);
  }
  let value: unknown;
  try {
    value = jp.findJsonPathResults(template, obj, { allowMissingKeys: true })[0]?.[0];
  } catch {
    return '<none>';
  }
  if (value === undefined || value === null) return '<none>';
  switch (column.type) {
    case 'integer':
      return typeof value === 'number' ? String(Math.trunc(value)) : '<none>';
    case 'number':
      return typeof value === 'number' ? formatGoFloat(value) : '<none>';
    case 'boolean':
      return typeof value === 'boolean' ? String(value) : '<none>';
    case 'date': {
      if (typeof value !== 'string') return '<none>';
      const at = fromRFC3339(value);
      return Number.isNaN(at) ? '<invalid>' : humanDuration(now - at);
    }
    default:
      return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : jp.formatGoValue(value);
  }
}
