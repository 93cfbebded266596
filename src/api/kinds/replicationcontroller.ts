import type { FieldError } from '../../util/errors';
import type { ReplicationControllerSpec } from '../../model/k8s';
import { registerKind } from './register';
import { fromMatchLabels, matches, selectorString } from '../labels';
import {
  ageColumn,
  containersColumn,
  imagesColumn,
  nameColumn,
  replicaCountColumns,
  templateContainers,
  validateLabels,
  validateMeta,
  validateNonNegativeInt,
  zeroValue,
} from './common';
import { defaultTemplate, goMap } from './workload-common';
import { validatePodSpec } from './pod';

/**
 * ReplicationController (v1), the ReplicaSet's predecessor: a plain label-map selector that
 * defaults to the template's labels (SetDefaults_ReplicationController), run by the same
 * controller as ReplicaSets (src/controllers/replicaset.ts).
 */
registerKind('ReplicationController', {
  // rcStrategy.PrepareForCreate sets generation 1, as the apps kinds' strategies do
  tracksGeneration: true,
  columns: [
    nameColumn,
    ...replicaCountColumns,
    ageColumn,
    containersColumn(templateContainers),
    imagesColumn(templateContainers),
    { header: 'SELECTOR', wide: true, value: (o) => selectorString(fromMatchLabels(o.spec?.selector)) || '<none>' },
  ],
  defaults(obj) {
    const spec = (obj.spec ??= zeroValue());
    const templateLabels = spec.template?.metadata?.labels;
    if (templateLabels && typeof templateLabels === 'object') {
      if (!spec.selector || !Object.keys(spec.selector).length) spec.selector = { ...templateLabels };
      if (!obj.metadata.labels || !Object.keys(obj.metadata.labels).length) obj.metadata.labels = { ...templateLabels };
    }
    spec.replicas ??= 1;
    defaultTemplate(spec);
    obj.status ??= { replicas: 0 };
  },
  validate(obj) {
    return [...validateMeta(obj), ...validateReplicationControllerSpec(obj.spec)];
  },
});

/** ValidateReplicationControllerSpec and ValidatePodTemplateSpecForRC. */
function validateReplicationControllerSpec(spec: ReplicationControllerSpec | undefined): FieldError[] {
  if (!spec || typeof spec !== 'object') return [{ path: 'spec.selector', type: 'Required value' }];
  const errs: FieldError[] = [];
  validateNonNegativeInt(spec.minReadySeconds, 'spec.minReadySeconds', errs);
  const selector = spec.selector ?? {};
  if (!Object.keys(selector).length) errs.push({ path: 'spec.selector', type: 'Required value' });
  else errs.push(...validateLabels(selector, 'spec.selector'));
  validateNonNegativeInt(spec.replicas, 'spec.replicas', errs);
  const template = spec.template;
  if (!template) {
    errs.push({ path: 'spec.template', type: 'Required value' });
    return errs;
  }
  const labels = template.metadata?.labels ?? {};
  if (Object.keys(selector).length && !matches(fromMatchLabels(selector), labels))
    errs.push({
      path: 'spec.template.metadata.labels',
      type: 'Invalid value',
      goValue: goMap(labels),
      detail: '`selector` does not match template `labels`',
    });
  errs.push(...validateLabels(template.metadata?.labels, 'spec.template.metadata.labels'));
  errs.push(...validatePodSpec(template.spec, 'spec.template.spec'));
  const restartPolicy = template.spec?.restartPolicy;
  if (restartPolicy !== 'Always')
    errs.push({
      path: 'spec.template.spec.restartPolicy',
      type: 'Unsupported value',
      value: restartPolicy,
      detail: 'supported values: "Always"',
    });
  return errs;
}
