import type { FieldError } from '../../util/errors';
import { registerKind } from './register';
import { isDns1123Label } from '../labels';
import { isQuantity } from '../quantity';
import { ageColumn, nameColumn, validateLabels, validateMeta } from './common';

/**
 * RuntimeClass (node.k8s.io/v1): a container runtime configuration pods name in
 * spec.runtimeClassName; the RuntimeClass admission plugin (src/api/admission/runtime-class.ts)
 * applies its overhead and scheduling, and the kubelet cannot start a pod whose class is missing.
 */
registerKind('RuntimeClass', {
  columns: [nameColumn, { header: 'HANDLER', value: (o) => o.handler ?? '' }, ageColumn],
  validate(obj, old) {
    // ValidateRuntimeClass / ValidateRuntimeClassUpdate
    const errs: FieldError[] = validateMeta(obj);
    const handler = obj.handler;
    if (!handler) errs.push({ path: 'handler', type: 'Required value' });
    else if (!isDns1123Label(handler))
      errs.push({
        path: 'handler',
        type: 'Invalid value',
        value: handler,
        detail:
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      });
    if (old && old.handler !== handler) errs.push({ path: 'handler', type: 'Invalid value', value: handler, detail: 'field is immutable' });
    for (const [name, q] of Object.entries((obj.overhead?.podFixed ?? {}) as Record<string, unknown>)) {
      if (!isQuantity(q))
        errs.push({
          path: `overhead.podFixed[${name}]`,
          type: 'Invalid value',
          value: q,
          detail: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        });
      else if (String(q).startsWith('-'))
        errs.push({ path: `overhead.podFixed[${name}]`, type: 'Invalid value', value: q, detail: 'must be greater than or equal to 0' });
    }
    errs.push(...validateLabels(obj.scheduling?.nodeSelector, 'scheduling.nodeSelector'));
    return errs;
  },
  specFields: ['handler', 'overhead', 'scheduling'],
});
