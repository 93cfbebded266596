import { isKind, type Deployment, type ReplicaSet } from '../../model/kinds';
import { registerDescriber, DescribeWriter, type DescribeContext } from '../describe';
import { controllerOf } from '../../model/objects';
import { templatesEqualIgnoringHash } from '../../api/pod-template-hash';
import { fromRFC3339 } from '../../util/duration';
import { labelSelectorString, rfc1123z, writeEvents } from './format';
import { writePodTemplate } from './pod-template';

/**
 * deploymentutil.GetAllReplicaSets as describe uses it: the ReplicaSets the deployment
 * controls, oldest first (name breaks ties); the new one is the oldest whose template
 * equals the deployment's ignoring pod-template-hash; every other one is old, including
 * those scaled to 0 (describe prints the "all old" list, not the non-empty one).
 */
export function deploymentReplicaSets(
  deployment: Deployment,
  ctx: DescribeContext,
): { oldRSs: ReplicaSet[]; newRS: ReplicaSet | undefined } {
  const uid = deployment.metadata.uid;
  const owned = uid ? ctx.store.ownedBy(uid).filter((o): o is ReplicaSet => isKind(o, 'ReplicaSet') && controllerOf(o)?.uid === uid) : [];
  owned.sort(
    (a, b) =>
      fromRFC3339(a.metadata.creationTimestamp) - fromRFC3339(b.metadata.creationTimestamp) ||
      (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0),
  );
  const newRS = owned.find((rs) => templatesEqualIgnoringHash(rs.spec?.template, deployment.spec?.template));
  return { oldRSs: owned.filter((rs) => rs !== newRS), newRS };
}

/** printReplicaSetsByLabels: `web-7d4b9c8f6d (3/3 replicas created)`, or `<none>`. */
function replicaSetList(list: ReplicaSet[]): string {
  return (
    list.map((rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`).join(', ') || '<none>'
  );
}

/** kubectl's describeDeployment. */
export function describeDeployment(d: Deployment, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  const spec = d.spec ?? {};
  const status = d.status ?? {};
  w.write(0, `Name:\t${d.metadata.name}\n`);
  w.write(0, `Namespace:\t${d.metadata.namespace ?? ''}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp)}\n`);
  w.map(0, 'Labels', d.metadata.labels);
  w.annotations(0, d.metadata.annotations);
  w.write(0, `Selector:\t${labelSelectorString(spec.selector)}\n`);
  w.write(
    0,
    `Replicas:\t${spec.replicas ?? 0} desired | ${status.updatedReplicas ?? 0} updated | ${status.replicas ?? 0} total | ${status.availableReplicas ?? 0} available | ${status.unavailableReplicas ?? 0} unavailable\n`,
  );
  w.write(0, `StrategyType:\t${spec.strategy?.type ?? ''}\n`);
  w.write(0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`);
  const rollingUpdate = spec.strategy?.rollingUpdate;
  if (rollingUpdate)
    w.write(0, `RollingUpdateStrategy:\t${rollingUpdate.maxUnavailable ?? 0} max unavailable, ${rollingUpdate.maxSurge ?? 0} max surge\n`);
  writePodTemplate(w, spec.template);
  const conditions = status.conditions ?? [];
  if (conditions.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  const { oldRSs, newRS } = deploymentReplicaSets(d, ctx);
  if (oldRSs.length || newRS) {
    w.write(0, `OldReplicaSets:\t${replicaSetList(oldRSs)}\n`);
    w.write(0, `NewReplicaSet:\t${replicaSetList(newRS ? [newRS] : [])}\n`);
  }
  writeEvents(w, ctx.events(d), ctx.now);
  return w.toString();
}

registerDescriber('Deployment', () => describeDeployment);
