import type { PodTemplate } from '../../model/kinds';
import { registerKind } from './register';
import { fromMatchLabels, selectorString } from '../labels';
import { containersColumn, imagesColumn, nameColumn, validateLabels, validateMeta, zeroValue } from './common';
import { defaultPodSpec, validatePodSpec } from './pod';

const templateContainers = (o: PodTemplate) => o.template?.spec?.containers;

/**
 * PodTemplate (v1): a stored pod template (ValidatePodTemplate: the template's labels,
 * annotations and pod spec); kubectl prints it without an AGE column (printPodTemplate).
 */
registerKind('PodTemplate', {
  columns: [
    nameColumn,
    { ...containersColumn(templateContainers), wide: false },
    { ...imagesColumn(templateContainers), wide: false },
    { header: 'POD LABELS', value: (o) => selectorString(fromMatchLabels(o.template?.metadata?.labels)) || '<none>' },
  ],
  defaults(obj) {
    const template = (obj.template ??= {});
    // a template's zero metav1.Time serializes as null (apimachinery meta/v1/time.go MarshalJSON)
    const metadata: { creationTimestamp?: string | null } = (template.metadata ??= {});
    metadata.creationTimestamp ??= null;
    defaultPodSpec((template.spec ??= zeroValue()));
  },
  validate(obj) {
    return [
      ...validateMeta(obj),
      ...validateLabels(obj.template?.metadata?.labels, 'template.metadata.labels'),
      ...validatePodSpec(obj.template?.spec, 'template.spec'),
    ];
  },
  specFields: ['template'],
});
