import type { StatefulSet } from '../../model/kinds';
import { registerDescriber, DescribeWriter, type DescribeContext } from '../describe';
import { rfc1123z, writeEvents } from './format';
import { writePodTemplate } from './pod-template';
import { fromLabelSelector, selectorString } from '../../api/labels';
import { podsStatusLine } from './workload-pods';

/** kubectl's StatefulSetDescriber, with the volume claim templates. */
export function describeStatefulSet(sts: StatefulSet, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  w.line(0, 'Name:', sts.metadata.name);
  w.line(0, 'Namespace:', sts.metadata.namespace ?? '');
  w.line(0, 'CreationTimestamp:', rfc1123z(sts.metadata.creationTimestamp));
  const selector = fromLabelSelector(sts.spec?.selector);
  w.line(0, 'Selector:', selector && selector.length ? selectorString(selector) : '<none>');
  w.map(0, 'Labels', sts.metadata.labels);
  w.annotations(0, sts.metadata.annotations);
  w.line(0, 'Replicas:', `${sts.spec?.replicas ?? 0} desired | ${sts.status?.replicas ?? 0} total`);
  w.line(0, 'Update Strategy:', sts.spec?.updateStrategy?.type ?? 'RollingUpdate');
  if (sts.spec?.updateStrategy?.rollingUpdate?.partition !== undefined)
    w.line(1, 'Partition:', String(sts.spec.updateStrategy.rollingUpdate.partition));
  w.line(0, 'Pods Status:', podsStatusLine(sts, ctx));
  writePodTemplate(w, sts.spec?.template);
  const claims = sts.spec?.volumeClaimTemplates ?? [];
  if (!claims.length) w.line(0, 'Volume Claims:', '<none>');
  else {
    w.line(0, 'Volume Claims:');
    for (const c of claims) {
      w.line(1, 'Name:', c.metadata?.name ?? '');
      w.line(1, 'StorageClass:', c.spec?.storageClassName ?? '');
      w.map(1, 'Labels', c.metadata?.labels);
      w.annotations(1, c.metadata?.annotations);
      w.line(1, 'Capacity:', c.spec?.resources?.requests?.storage ?? '');
      w.line(1, 'Access Modes:', `[${(c.spec?.accessModes ?? []).join(' ')}]`);
    }
  }
  writeEvents(w, ctx.events(sts), ctx.now);
  return w.toString();
}

registerDescriber('StatefulSet', () => describeStatefulSet);
