import type { FieldError } from '../../util/errors';
import { registerKind } from './register';
import { ageColumn, nameColumn, validateMeta } from './common';

/** CSINode (storage.k8s.io/v1): the CSI drivers registered on a node, as their node plugins report them. */
registerKind('CSINode', {
  // printCSINode
  columns: [nameColumn, { header: 'DRIVERS', value: (o) => String((o.spec?.drivers ?? []).length) }, ageColumn],
  validate(obj) {
    // ValidateCSINode: each driver named once, with its nodeID
    const errs: FieldError[] = validateMeta(obj);
    const drivers = obj.spec?.drivers;
    if (!Array.isArray(drivers)) errs.push({ path: 'spec.drivers', type: 'Required value' });
    const names = new Set<string>();
    for (const [i, d] of (Array.isArray(drivers) ? drivers : []).entries()) {
      if (!d?.name) errs.push({ path: `spec.drivers[${i}].name`, type: 'Required value' });
      else if (names.has(d.name)) errs.push({ path: `spec.drivers[${i}].name`, type: 'Duplicate value', value: d.name });
      else names.add(d.name);
      if (!d?.nodeID) errs.push({ path: `spec.drivers[${i}].nodeID`, type: 'Required value' });
    }
    return errs;
  },
});
