import type { PersistentVolumeClaim } from '../../model/kinds';
import { registerDescriber, DescribeWriter, type DescribeContext } from '../describe';
import { fromRFC3339, humanDuration } from '../../util/duration';
import { accessModesText } from '../../api/kinds/persistentvolume';
import { podsUsingClaim } from '../../api/admission/storage-object-in-use-protection';
import { writeEvents } from './format';

/** kubectl's describePersistentVolumeClaim, with the pods that mount it (Used By). */
export function describePersistentVolumeClaim(pvc: PersistentVolumeClaim, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  w.line(0, 'Name:', pvc.metadata.name);
  w.line(0, 'Namespace:', pvc.metadata.namespace ?? '');
  w.line(0, 'StorageClass:', pvc.spec?.storageClassName ?? '');
  w.line(
    0,
    'Status:',
    pvc.metadata.deletionTimestamp
      ? `Terminating (lasts ${humanDuration(ctx.now - fromRFC3339(pvc.metadata.deletionTimestamp))})`
      : (pvc.status?.phase ?? ''),
  );
  w.line(0, 'Volume:', pvc.spec?.volumeName ?? '');
  w.map(0, 'Labels', pvc.metadata.labels);
  w.annotations(0, pvc.metadata.annotations);
  w.line(0, 'Finalizers:', `[${(pvc.metadata.finalizers ?? []).join(' ')}]`);
  const bound = !!pvc.spec?.volumeName;
  w.line(0, 'Capacity:', bound ? String(pvc.status?.capacity?.storage ?? '') : '');
  w.line(0, 'Access Modes:', bound ? accessModesText(pvc.status?.accessModes) : '');
  if (pvc.spec?.volumeMode) w.line(0, 'VolumeMode:', pvc.spec.volumeMode);
  const users = podsUsingClaim(pvc, ctx.store).map((p) => p.metadata.name);
  if (!users.length) w.line(0, 'Used By:', '<none>');
  else users.forEach((name, i) => w.line(0, i === 0 ? 'Used By:' : '', name));
  writeEvents(w, ctx.events(pvc), ctx.now);
  return w.toString();
}

registerDescriber('PersistentVolumeClaim', () => describePersistentVolumeClaim);
