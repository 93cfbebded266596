import type { PodTemplateSpec } from '../model/k8s';
import { DescribeWriter } from './describe';
import { writePodTemplate } from './describe/pod-template';

/** kubectl's DescribePodTemplate on its own (rollout history --revision N). */
export function describePodTemplate(template: PodTemplateSpec | undefined): string {
  const w = new DescribeWriter();
  writePodTemplate(w, template);
  return w.toString();
}
