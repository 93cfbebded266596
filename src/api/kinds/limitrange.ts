import type { FieldError } from '../../util/errors';
import { registerKind } from './register';
import { isQuantity, parseQuantity } from '../quantity';
import { isOneOf, nameColumn, validateMeta } from './common';

const QUANTITY_DETAIL = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const LIMIT_TYPES = ['Pod', 'Container', 'PersistentVolumeClaim'];

registerKind('LimitRange', {
  columns: [nameColumn, { header: 'CREATED AT', value: (o) => o.metadata.creationTimestamp ?? '' }],
  validate(obj) {
    const errs: FieldError[] = validateMeta(obj);
    const limits = obj.spec?.limits;
    if (!Array.isArray(limits)) {
      errs.push({ path: 'spec.limits', type: 'Required value' });
      return errs;
    }
    limits.forEach((item, i) => {
      const p = `spec.limits[${i}]`;
      if (!isOneOf(LIMIT_TYPES, item?.type))
        errs.push({
          path: `${p}.type`,
          type: 'Unsupported value',
          value: item?.type ?? '',
          detail: 'supported values: "Container", "PersistentVolumeClaim", "Pod"',
        });
      for (const field of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const) {
        for (const [name, q] of Object.entries((item?.[field] ?? {}) as Record<string, unknown>)) {
          if (!isQuantity(q)) errs.push({ path: `${p}.${field}[${name}]`, type: 'Invalid value', value: q, detail: QUANTITY_DETAIL });
        }
      }
      if (item?.type === 'Pod' && (item.default || item.defaultRequest)) {
        if (item.default) errs.push({ path: `${p}.default`, type: 'Forbidden', detail: "may not be specified when `type` is 'Pod'" });
        if (item.defaultRequest)
          errs.push({ path: `${p}.defaultRequest`, type: 'Forbidden', detail: "may not be specified when `type` is 'Pod'" });
      }
      // ValidateLimitRange: min <= defaultRequest <= default <= max
      for (const [name, min] of Object.entries((item?.min ?? {}) as Record<string, string>)) {
        const max = item?.max?.[name];
        if (max !== undefined && isQuantity(min) && isQuantity(max) && parseQuantity(min) > parseQuantity(max)) {
          errs.push({
            path: `${p}.min[${name}]`,
            type: 'Invalid value',
            value: min,
            detail: `min value ${min} is greater than max value ${max}`,
          });
        }
      }
      for (const [name, def] of Object.entries((item?.default ?? {}) as Record<string, string>)) {
        const max = item?.max?.[name];
        if (max !== undefined && isQuantity(def) && isQuantity(max) && parseQuantity(def) > parseQuantity(max)) {
          errs.push({
            path: `${p}.default[${name}]`,
            type: 'Invalid value',
            value: def,
            detail: `default value ${def} is greater than max value ${max}`,
          });
        }
      }
    });
    return errs;
  },
});
