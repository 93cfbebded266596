import type { DescribeWriter } from '../describe';
import { orEmpty } from '../../model/objects';
import type { PodTemplateSpec } from '../../model/k8s';
import { describeContainers, describeTopologySpreadConstraints, describeVolumes } from './containers';
import { writeTolerations } from './format';

/**
 * kubectl's DescribePodTemplate, written into the describer's own writer: the template's
 * lines share the tabwriter with what comes before and after (so `Events:  <none>` after
 * the template lines up with `  Tolerations:`), exactly as describe.go does.
 */
export function writePodTemplate(w: DescribeWriter, template: PodTemplateSpec | undefined): void {
  w.write(0, 'Pod Template:\n');
  if (!template) {
    w.write(1, '<unset>');
    return;
  }
  const spec = orEmpty(template.spec);
  w.map(1, 'Labels', template.metadata?.labels);
  if (Object.keys(template.metadata?.annotations ?? {}).length) w.annotations(1, template.metadata?.annotations);
  if (spec.serviceAccountName) w.write(1, `Service Account:\t${spec.serviceAccountName}\n`);
  if ((spec.initContainers ?? []).length) describeContainers(w, 'Init Containers', spec.initContainers, undefined, undefined, '  ');
  describeContainers(w, 'Containers', spec.containers, undefined, undefined, '  ');
  describeVolumes(w, spec.volumes, '  ');
  describeTopologySpreadConstraints(w, spec.topologySpreadConstraints, '  ');
  if (spec.priorityClassName) w.write(1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  w.map(1, 'Node-Selectors', spec.nodeSelector);
  writeTolerations(w, 1, 'Tolerations', spec.tolerations);
}
