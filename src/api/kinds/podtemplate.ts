import type { KObject } from '../../model/objects';
import { registerKind } from './register';
import { fromMatchLabels, selectorString } from '../labels';
import { containersColumn, imagesColumn, nameColumn, validateLabels, validateMeta } from './common';
import { defaultPodSpec, validatePodSpec } from './pod';

const templateContainers = (o: KObject): KObject[] | undefined => o.template?.spec?.containers;

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
    obj.template ??= {};
    obj.template.metadata ??= {};
    obj.template.metadata.creationTimestamp ??= null;
    obj.template.spec ??= {};
    defaultPodSpec(obj.template.spec);
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
