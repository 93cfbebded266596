import type { DaemonSet } from '../../model/kinds';
import { orEmpty } from '../../model/objects';
import { registerDescriber, DescribeWriter, type DescribeContext } from '../describe';
import { writeEvents } from './format';
import { writePodTemplate } from './pod-template';
import { fromLabelSelector, selectorString } from '../../api/labels';
import { podsStatusLine } from './workload-pods';

/** kubectl's DaemonSetDescriber. */
export function describeDaemonSet(ds: DaemonSet, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  const s = orEmpty(ds.status);
  w.line(0, 'Name:', ds.metadata.name);
  w.line(0, 'Namespace:', ds.metadata.namespace ?? '');
  const selector = fromLabelSelector(ds.spec?.selector);
  w.line(0, 'Selector:', selector && selector.length ? selectorString(selector) : '<none>');
  const nodeSelector: Record<string, string> = ds.spec?.template?.spec?.nodeSelector ?? {};
  w.line(
    0,
    'Node-Selector:',
    Object.keys(nodeSelector).length
      ? Object.keys(nodeSelector)
          .sort()
          .map((k) => `${k}=${nodeSelector[k]}`)
          .join(',')
      : '<none>',
  );
  w.map(0, 'Labels', ds.metadata.labels);
  w.annotations(0, ds.metadata.annotations);
  w.line(0, 'Desired Number of Nodes Scheduled:', String(s.desiredNumberScheduled ?? 0));
  w.line(0, 'Current Number of Nodes Scheduled:', String(s.currentNumberScheduled ?? 0));
  w.line(0, 'Number of Nodes Scheduled with Up-to-date Pods:', String(s.updatedNumberScheduled ?? 0));
  w.line(0, 'Number of Nodes Scheduled with Available Pods:', String(s.numberAvailable ?? 0));
  w.line(0, 'Number of Nodes Misscheduled:', String(s.numberMisscheduled ?? 0));
  w.line(0, 'Pods Status:', podsStatusLine(ds, ctx));
  writePodTemplate(w, ds.spec?.template);
  writeEvents(w, ctx.events(ds), ctx.now);
  return w.toString();
}

registerDescriber('DaemonSet', () => describeDaemonSet);
