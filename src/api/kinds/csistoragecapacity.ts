import { ApiError, type FieldError } from '../../util/errors';
import { registerKind } from './register';
import { isQuantity } from '../quantity';
import { canonicalQuantity } from '../quantity-exact';
import { dns1123SubdomainErrors } from '../labels';
import { nameColumn, validateLabelSelector, validateMeta } from './common';
import type { CSIStorageCapacity } from '../../model/kinds';

/** the regular expression resource.ParseQuantity's error names */
const QUANTITY_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/**
 * CSIStorageCapacity (storage.k8s.io/v1): the capacity a CSI driver's external-provisioner
 * publishes for a storage class in one topology segment, which the scheduler's volume binding
 * reads for late-binding volumes. kubesim's CSI drivers publish none, so these objects are only
 * what users (or their tools) store; the API server keeps and validates them
 * (pkg/registry/storage/csistoragecapacity, pkg/apis/storage/validation).
 */
registerKind('CSIStorageCapacity', {
  // printCSIStorageCapacity (pkg/printers/internalversion/printers.go): no AGE column
  columns: [
    nameColumn,
    { header: 'STORAGECLASSNAME', value: (o) => o.storageClassName ?? '' },
    { header: 'CAPACITY', value: (o) => o.capacity ?? '<unset>' },
  ],
  defaults(obj) {
    // capacity and maximumVolumeSize are resource.Quantity: decoded (or refused) and stored canonical
    const fields = obj as Record<string, unknown>;
    for (const key of ['capacity', 'maximumVolumeSize']) {
      const value = fields[key];
      if (value === undefined || value === null) continue;
      if (!isQuantity(value))
        throw new ApiError(
          'BadRequest',
          400,
          `Error from server (BadRequest): CSIStorageCapacity in version "v1" cannot be handled as a CSIStorageCapacity: ${QUANTITY_ERROR}`,
        );
      fields[key] = canonicalQuantity(value as string | number);
    }
  },
  validate(obj: CSIStorageCapacity, old?: CSIStorageCapacity) {
    // ValidateCSIStorageCapacity: the name is a DNS subdomain (ValidateStorageCapacityName)
    const errs: FieldError[] = validateMeta(obj);
    const fields = obj as unknown as Record<string, unknown>;
    if (fields.nodeTopology !== undefined && fields.nodeTopology !== null)
      errs.push(...validateLabelSelector(fields.nodeTopology, 'nodeTopology'));
    // ValidateClassName(storageClassName, false): required in effect, as "" is no DNS subdomain
    const className = typeof fields.storageClassName === 'string' ? fields.storageClassName : '';
    for (const detail of dns1123SubdomainErrors(className))
      errs.push({ path: 'storageClassName', type: 'Invalid value', value: className, detail });
    if (typeof fields.capacity === 'string' && fields.capacity.startsWith('-'))
      errs.push({ path: 'capacity', type: 'Invalid value', value: fields.capacity, detail: 'must be greater than or equal to 0' });
    if (old) {
      // ValidateCSIStorageCapacityUpdate: the inputs of the driver's GetCapacity call are immutable
      if (JSON.stringify(obj.nodeTopology ?? null) !== JSON.stringify(old.nodeTopology ?? null))
        errs.push({ path: 'nodeTopology', type: 'Invalid value', value: obj.nodeTopology, detail: 'field is immutable' });
      if (obj.storageClassName !== old.storageClassName)
        errs.push({ path: 'storageClassName', type: 'Invalid value', value: obj.storageClassName, detail: 'field is immutable' });
    }
    return errs;
  },
  specFields: ['capacity', 'maximumVolumeSize', 'nodeTopology', 'storageClassName'],
});
