import type { FieldError } from '../../util/errors';
import { registerKind } from './register';
import { orEmpty } from '../../model/objects';
import type { APIService } from '../../model/kinds';
import { ageColumn, nameColumn, pathSegmentNameErrors, validateLabels, zeroValue } from './common';
import { isDns1123Label, isDns1123Subdomain } from '../labels';

/**
 * APIService (apiregistration.k8s.io/v1): a group/version served by the API server itself
 * (Local, no service) or proxied to a Service (an aggregated API such as metrics-server's
 * v1beta1.metrics.k8s.io). Its Available condition is kept by the availability controller.
 */

/** printAPIService's AVAILABLE: True, or `False (Reason)`, or Unknown without a condition. */
function availableText(obj: APIService): string {
  const condition = (obj.status?.conditions ?? []).find((c) => c.type === 'Available');
  if (!condition) return 'Unknown';
  return condition.status !== 'True' && condition.reason ? `${condition.status} (${condition.reason})` : String(condition.status);
}

/** kube-aggregator's ValidateAPIService. */
function validateAPIService(obj: APIService): FieldError[] {
  const errs: FieldError[] = [];
  const spec = orEmpty(obj.spec);
  const requiredName = `${spec.version ?? ''}.${spec.group ?? ''}`;
  const name = obj.metadata.name;
  if (!name) errs.push({ path: 'metadata.name', type: 'Required value', detail: 'name or generateName is required' });
  else {
    const problems = pathSegmentNameErrors(name);
    if (!problems.length && name !== requiredName) problems.push(`must be \`spec.version+"."+spec.group\`: "${requiredName}"`);
    for (const detail of problems) errs.push({ path: 'metadata.name', type: 'Invalid value', value: name, detail });
  }
  errs.push(...validateLabels(obj.metadata.labels, 'metadata.labels'));
  if (!spec.group && spec.version !== 'v1')
    errs.push({ path: 'spec.group', type: 'Required value', detail: 'only v1 may have an empty group and it better be legacy kube' });
  if (spec.group && !isDns1123Subdomain(String(spec.group)))
    errs.push({
      path: 'spec.group',
      type: 'Invalid value',
      value: spec.group,
      detail:
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    });
  const version = String(spec.version ?? '');
  if (!isDns1123Label(version) || /^[0-9]/.test(version))
    errs.push({
      path: 'spec.version',
      type: 'Invalid value',
      value: version,
      detail:
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    });
  const groupPriority = spec.groupPriorityMinimum ?? 0;
  if (groupPriority <= 0 || groupPriority > 20000)
    errs.push({
      path: 'spec.groupPriorityMinimum',
      type: 'Invalid value',
      value: groupPriority,
      detail: 'must be positive and less than 20000',
    });
  const versionPriority = spec.versionPriority ?? 0;
  if (versionPriority <= 0 || versionPriority > 1000)
    errs.push({
      path: 'spec.versionPriority',
      type: 'Invalid value',
      value: versionPriority,
      detail: 'must be positive and less than 1000',
    });
  if (!spec.service) {
    if (spec.caBundle)
      errs.push({
        path: 'spec.caBundle',
        type: 'Invalid value',
        value: `${String(spec.caBundle).length} bytes`,
        detail: 'local APIServices may not have a caBundle',
      });
    if (spec.insecureSkipTLSVerify)
      errs.push({
        path: 'spec.insecureSkipTLSVerify',
        type: 'Invalid value',
        value: true,
        detail: 'local APIServices may not have insecureSkipTLSVerify',
      });
    return errs;
  }
  if (!spec.service.namespace) errs.push({ path: 'spec.service.namespace', type: 'Required value' });
  if (!spec.service.name) errs.push({ path: 'spec.service.name', type: 'Required value' });
  if (spec.insecureSkipTLSVerify && spec.caBundle)
    errs.push({ path: 'spec.insecureSkipTLSVerify', type: 'Invalid value', value: true, detail: 'may not be true if caBundle is present' });
  return errs;
}

registerKind('APIService', {
  columns: [
    nameColumn,
    { header: 'SERVICE', value: (o) => (o.spec?.service ? `${o.spec.service.namespace ?? ''}/${o.spec.service.name ?? ''}` : 'Local') },
    { header: 'AVAILABLE', value: availableText },
    ageColumn,
  ],
  defaults(obj) {
    obj.spec ??= zeroValue();
    if (obj.spec.service && typeof obj.spec.service === 'object') obj.spec.service.port ??= 443;
    obj.status ??= {};
  },
  validate: validateAPIService,
});
