import type { PodDisruptionBudget } from '../../model/kinds';
import { registerDescriber, DescribeWriter, type DescribeContext } from '../describe';
import { writeEvents } from './format';
import { fromLabelSelector, selectorString } from '../../api/labels';

/** kubectl's describePodDisruptionBudget. */
export function describePodDisruptionBudget(pdb: PodDisruptionBudget, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  w.line(0, 'Name:', pdb.metadata.name);
  w.line(0, 'Namespace:', pdb.metadata.namespace ?? '');
  if (pdb.spec?.minAvailable !== undefined) w.line(0, 'Min available:', String(pdb.spec.minAvailable));
  else if (pdb.spec?.maxUnavailable !== undefined) w.line(0, 'Max unavailable:', String(pdb.spec.maxUnavailable));
  const selector = fromLabelSelector(pdb.spec?.selector);
  w.line(0, 'Selector:', selector === null ? '<none>' : selectorString(selector));
  w.line(0, 'Status:');
  w.line(2, 'Allowed disruptions:', String(pdb.status?.disruptionsAllowed ?? 0));
  w.line(2, 'Current:', String(pdb.status?.currentHealthy ?? 0));
  w.line(2, 'Desired:', String(pdb.status?.desiredHealthy ?? 0));
  w.line(2, 'Total:', String(pdb.status?.expectedPods ?? 0));
  writeEvents(w, ctx.events(pdb), ctx.now);
  return w.toString();
}

registerDescriber('PodDisruptionBudget', () => describePodDisruptionBudget);
