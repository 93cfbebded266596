import type { ReplicaSet } from '../../model/kinds';
import { orEmpty } from '../../model/objects';
import { registerDescriber, DescribeWriter, type DescribeContext } from '../describe';
import { isKind, type ReplicationController } from '../../model/kinds';
import { controllerString, formatLabelMap, formatLabelSelector, writeEvents } from './format';
import { writePodTemplate } from './pod-template';
import { podsStatusLine } from './workload-pods';

/**
 * kubectl's describeReplicaSet, and describeReplicationController, which is the same but for
 * the selector (a plain label map) and the missing Controlled By line.
 */
export function describeReplicaSet(rs: ReplicaSet | ReplicationController, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  const status = orEmpty(rs.status);
  w.write(0, `Name:\t${rs.metadata.name}\n`);
  w.write(0, `Namespace:\t${rs.metadata.namespace ?? ''}\n`);
  w.write(
    0,
    `Selector:\t${isKind(rs, 'ReplicationController') ? formatLabelMap(rs.spec.selector) : formatLabelSelector(rs.spec.selector)}\n`,
  );
  w.map(0, 'Labels', rs.metadata.labels);
  w.annotations(0, rs.metadata.annotations);
  const controlledBy = rs.kind === 'ReplicationController' ? '' : controllerString(rs.metadata.ownerReferences);
  if (controlledBy) w.write(0, `Controlled By:\t${controlledBy}\n`);
  w.write(0, `Replicas:\t${status.replicas ?? 0} current / ${rs.spec?.replicas ?? 0} desired\n`);
  w.write(0, `Pods Status:\t${podsStatusLine(rs, ctx)}\n`);
  writePodTemplate(w, rs.spec?.template);
  const conditions = status.conditions ?? [];
  if (conditions.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  writeEvents(w, ctx.events(rs), ctx.now);
  return w.toString();
}

registerDescriber('ReplicaSet', () => describeReplicaSet);
registerDescriber('ReplicationController', () => describeReplicaSet);
