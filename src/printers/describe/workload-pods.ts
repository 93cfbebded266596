import type { KObject } from '../../model/objects';
import { isKind, type Pod } from '../../model/kinds';
import type { DescribeContext } from '../describe';
import { controllerOf } from '../../model/objects';

/** `Pods Status:  3 Running / 0 Waiting / 0 Succeeded / 0 Failed` for a controller's pods. */
export function podsStatusLine(owner: KObject, ctx: DescribeContext): string {
  const pods = ctx.store
    .ownedBy(owner.metadata.uid!)
    .filter((p): p is Pod => isKind(p, 'Pod') && controllerOf(p)?.uid === owner.metadata.uid);
  const count = (phase: string) => pods.filter((p) => (p.status?.phase ?? 'Pending') === phase).length;
  return `${count('Running')} Running / ${count('Pending')} Waiting / ${count('Succeeded')} Succeeded / ${count('Failed')} Failed`;
}
