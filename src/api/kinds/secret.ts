import { registerKind } from './register';
import { ageColumn, nameColumn, validateMeta } from './common';
import { validateDataKeys } from './configmap';

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

registerKind('Secret', {
  columns: [
    nameColumn,
    { header: 'TYPE', value: (o) => o.type ?? 'Opaque' },
    { header: 'DATA', value: (o) => String(Object.keys(o.data ?? {}).length) },
    ageColumn,
  ],
  defaults(obj) {
    obj.type ??= 'Opaque';
    // stringData is write-only: the API server folds it into data (base64)
    if (obj.stringData && typeof obj.stringData === 'object') {
      obj.data = { ...(obj.data ?? {}) };
      for (const [k, v] of Object.entries(obj.stringData)) obj.data[k] = Buffer.from(String(v)).toString('base64');
      delete obj.stringData;
    }
  },
  validate(obj) {
    const errs = [...validateMeta(obj), ...validateDataKeys(obj, ['data'])];
    for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, unknown>)) {
      if (typeof v === 'string' && !BASE64_RE.test(v))
        errs.push({ path: `data[${k}]`, type: 'Invalid value', value: '<secret contents redacted>', detail: 'illegal base64 data' });
    }
    return errs;
  },
  specFields: ['data', 'type'],
});
