import type { FieldError } from '../../util/errors';
import { registerKind } from './register';
import type { KObject } from '../../model/objects';
import { ageColumn, nameColumn, validateMeta } from './common';

const KEY_RE = /^[-._a-zA-Z0-9]+$/;

export function validateDataKeys(obj: KObject, fields: string[]): FieldError[] {
  const errs: FieldError[] = [];
  for (const field of fields) {
    const data = (obj as Record<string, unknown>)[field];
    if (data === undefined || data === null) continue;
    if (typeof data !== 'object' || Array.isArray(data)) {
      errs.push({ path: field, type: 'Invalid value', value: data, detail: 'must be a map of string keys to string values' });
      continue;
    }
    for (const [k, v] of Object.entries(data)) {
      if (!KEY_RE.test(k) || k.length > 253)
        errs.push({
          path: `${field}[${k}]`,
          type: 'Invalid value',
          value: k,
          detail:
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
        });
      if (typeof v !== 'string') errs.push({ path: `${field}[${k}]`, type: 'Invalid value', value: v, detail: 'must be a string' });
    }
  }
  return errs;
}

registerKind('ConfigMap', {
  columns: [
    nameColumn,
    { header: 'DATA', value: (o) => String(Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length) },
    ageColumn,
  ],
  validate(obj) {
    return [...validateMeta(obj), ...validateDataKeys(obj, ['data', 'binaryData'])];
  },
  specFields: ['data', 'binaryData'],
});
