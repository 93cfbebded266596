import { registerDescriber, DescribeWriter, type DescribeContext } from '../describe';
import { describeEvents } from '../events';
import { describePodTemplate } from '../pod-template';
import { fromLabelSelector, selectorString } from '../../api/labels';
import type { Fields, KObject } from '../../api/types';
import { fromRFC3339 } from '../../util/duration';
import { podsStatusLine } from './workload-pods';

/** kubectl's StatefulSetDescriber, with the volume claim templates. */
export function describeStatefulSet(sts: KObject, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  w.line(0, 'Name:', sts.metadata.name);
  w.line(0, 'Namespace:', sts.metadata.namespace ?? '');
  w.line(0, 'CreationTimestamp:', new Date(fromRFC3339(sts.metadata.creationTimestamp)).toUTCString().replace('GMT', '+0000'));
  const selector = fromLabelSelector(sts.spec?.selector);
  w.line(0, 'Selector:', selector && selector.length ? selectorString(selector) : '<none>');
  w.map(0, 'Labels', sts.metadata.labels);
  w.annotations(0, sts.metadata.annotations);
  w.line(0, 'Replicas:', `${sts.spec?.replicas ?? 0} desired | ${sts.status?.replicas ?? 0} total`);
  w.line(0, 'Update Strategy:', sts.spec?.updateStrategy?.type ?? 'RollingUpdate');
  if (sts.spec?.updateStrategy?.rollingUpdate?.partition !== undefined) w.line(1, 'Partition:', String(sts.spec.updateStrategy.rollingUpdate.partition));
  w.line(0, 'Pods Status:', podsStatusLine(sts, ctx));
  let text = w.toString() + describePodTemplate(sts.spec?.template ?? {});
  const claims: Fields[] = sts.spec?.volumeClaimTemplates ?? [];
  const v = new DescribeWriter();
  if (!claims.length) v.line(0, 'Volume Claims:', '<none>');
  else {
    v.line(0, 'Volume Claims:');
    for (const c of claims) {
      v.line(1, 'Name:', c.metadata?.name ?? '');
      v.line(1, 'StorageClass:', c.spec?.storageClassName ?? '');
      v.map(1, 'Labels', c.metadata?.labels);
      v.annotations(1, c.metadata?.annotations);
      v.line(1, 'Capacity:', c.spec?.resources?.requests?.storage ?? '');
      v.line(1, 'Access Modes:', `[${(c.spec?.accessModes ?? []).join(' ')}]`);
    }
  }
  text += v.toString();
  return text + describeEvents(ctx.events(sts), ctx.now);
}

registerDescriber('StatefulSet', () => describeStatefulSet);
