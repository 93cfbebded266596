import type { FieldError } from '../../util/errors';
import { registerKind } from './register';
import { isQuantity } from '../quantity';
import { ageColumn, nameColumn, validateMeta } from './common';
import type { KObject } from '../../model/objects';

const QUANTITY_DETAIL = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** REQUEST / LIMIT columns: `pods: 1/10, requests.cpu: 500m/2` (printers.printResourceQuota). */
function quotaColumn(obj: KObject<{ hard?: Record<string, string> }, { used?: Record<string, string> }>, limits: boolean): string {
  const hard = obj.spec?.hard ?? {};
  const used = obj.status?.used ?? {};
  return Object.keys(hard)
    .sort()
    .filter((r) => (r.split('.')[0] === 'limits' && r.includes('.')) === limits)
    .map((r) => `${r}: ${used[r] ?? '0'}/${hard[r]}`)
    .join(', ');
}

registerKind('ResourceQuota', {
  columns: [
    nameColumn,
    ageColumn,
    { header: 'REQUEST', value: (o) => quotaColumn(o, false) },
    { header: 'LIMIT', value: (o) => quotaColumn(o, true) },
  ],
  defaults(obj) {
    obj.spec ??= {};
    // the quota controller fills status; until it runs, hard mirrors spec
    obj.status = { hard: { ...(obj.spec.hard ?? {}) }, used: obj.status?.used ?? {} };
  },
  validate(obj) {
    const errs: FieldError[] = validateMeta(obj);
    for (const [name, q] of Object.entries((obj.spec?.hard ?? {}) as Record<string, unknown>)) {
      if (!isQuantity(q)) errs.push({ path: `spec.hard[${name}]`, type: 'Invalid value', value: q, detail: QUANTITY_DETAIL });
      else if (String(q).trim().startsWith('-'))
        errs.push({ path: `spec.hard[${name}]`, type: 'Invalid value', value: q, detail: 'must be greater than or equal to 0' });
    }
    return errs;
  },
});
