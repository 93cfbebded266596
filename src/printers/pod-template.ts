import type { Fields } from '../model/objects';
import { DescribeWriter } from './describe';
import { writePodTemplate } from './describe/pod-template';

/** kubectl's DescribePodTemplate on its own (rollout history --revision N). */
export function describePodTemplate(template: Fields): string {
  const w = new DescribeWriter();
  writePodTemplate(w, template);
  return w.toString();
}
