import { registerKind } from './register';
import { ageColumn, nameColumn, validateMeta } from './common';

registerKind('PriorityClass', {
  columns: [
    nameColumn,
    { header: 'VALUE', value: (o) => String(o.value ?? 0) },
    { header: 'GLOBAL-DEFAULT', value: (o) => String(!!o.globalDefault) },
    ageColumn,
    { header: 'PREEMPTIONPOLICY', value: (o) => o.preemptionPolicy ?? 'PreemptLowerPriority' },
  ],
  defaults(obj) {
    obj.preemptionPolicy ??= 'PreemptLowerPriority';
  },
  validate(obj, _old, ctx) {
    const errs = validateMeta(obj);
    if (typeof obj.value !== 'number' || !Number.isInteger(obj.value)) errs.push({ path: 'value', type: 'Required value' });
    else if (obj.value > 1000000000 && !obj.metadata.name.startsWith('system-'))
      errs.push({ path: 'value', type: 'Forbidden', detail: 'maximum allowed value of a user defined priority is 1000000000' });
    if (obj.globalDefault) {
      const other = ctx.store.list('PriorityClass').find((p) => p.globalDefault && p.metadata.name !== obj.metadata.name);
      if (other)
        errs.push({
          path: 'globalDefault',
          type: 'Invalid value',
          value: true,
          detail: `globalDefault ${other.metadata.name} already exists`,
        });
    }
    return errs;
  },
  specFields: ['value', 'globalDefault', 'preemptionPolicy'],
});
