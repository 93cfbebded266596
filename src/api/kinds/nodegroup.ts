import type { FieldError } from '../../util/errors';
import { registerKind } from './register';
import { orEmpty } from '../../model/objects';
import { ageColumn, nameColumn, validateMeta, validateNonNegativeInt } from './common';
import { isQuantity } from '../quantity';

/**
 * NodeGroup (kubesim's stand-in for a cloud node group / ASG that the Cluster Autoscaler
 * resizes). Cluster-scoped. Nodes of a group carry the label NODEGROUP_LABEL.
 */
export const NODEGROUP_API_VERSION = 'autoscaling.kubesim.io/v1';
export const NODEGROUP_LABEL = 'autoscaling.kubesim.io/nodegroup';
export const DEFAULT_PROVISION_SECONDS = 60;

registerKind('NodeGroup', {
  columns: [
    nameColumn,
    { header: 'MIN', value: (o) => String(o.spec?.minSize ?? 0) },
    { header: 'MAX', value: (o) => String(o.spec?.maxSize ?? 0) },
    { header: 'TARGET', value: (o) => String(o.status?.targetSize ?? o.spec?.minSize ?? 0) },
    { header: 'READY', value: (o) => String(o.status?.readyNodes ?? 0) },
    { header: 'CPU', value: (o) => String(o.spec?.template?.cpu ?? '') },
    { header: 'MEMORY', value: (o) => String(o.spec?.template?.memory ?? '') },
    ageColumn,
    // TARGET is the desired size; -o wide adds the registered nodes and those still provisioning
    { header: 'CURRENT', wide: true, value: (o) => String(o.status?.currentSize ?? 0) },
    {
      header: 'PROVISIONING',
      wide: true,
      value: (o) => String((o.status?.provisioning ?? []).reduce((n, p) => n + (p.count ?? 0), 0)),
    },
  ],
  defaults(obj) {
    const spec = (obj.spec ??= {});
    spec.minSize ??= 0;
    const template = (spec.template ??= {});
    template.cpu ??= '4';
    template.memory ??= '16Gi';
    template.pods ??= 110;
    spec.provisionSeconds ??= DEFAULT_PROVISION_SECONDS;
  },
  validate(obj): FieldError[] {
    const errs = validateMeta(obj);
    const spec = orEmpty(obj.spec);
    validateNonNegativeInt(spec.minSize, 'spec.minSize', errs);
    validateNonNegativeInt(spec.provisionSeconds, 'spec.provisionSeconds', errs);
    if (spec.maxSize === undefined || !Number.isInteger(spec.maxSize) || spec.maxSize < 1)
      errs.push({ path: 'spec.maxSize', type: 'Invalid value', value: spec.maxSize ?? 0, detail: 'must be greater than 0' });
    else if (spec.maxSize < (spec.minSize ?? 0))
      errs.push({ path: 'spec.maxSize', type: 'Invalid value', value: spec.maxSize, detail: 'must be greater than or equal to `minSize`' });
    for (const r of ['cpu', 'memory'] as const) {
      if (!isQuantity(spec.template?.[r]))
        errs.push({ path: `spec.template.${r}`, type: 'Invalid value', value: spec.template?.[r], detail: 'must be a quantity' });
    }
    return errs;
  },
});
