import { registerDescriber, DescribeWriter, type DescribeContext } from '../describe';
import type { Pod } from '../../model/kinds';
import { qosClass } from '../../api/kinds/pod';
import { humanDuration, fromRFC3339 } from '../../util/duration';
import { describeContainers, describeResources, describeTopologySpreadConstraints, describeVolumes } from './containers';
import { controllerString, rfc1123z, writeEvents, writeTolerations } from './format';

/** kubectl's describePod (staging/src/k8s.io/kubectl/pkg/describe/describe.go). */
export function describePod(pod: Pod, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  const spec = pod.spec;
  const status = pod.status ?? {};
  w.write(0, `Name:\t${pod.metadata.name}\n`);
  w.write(0, `Namespace:\t${pod.metadata.namespace ?? ''}\n`);
  if (spec.priority !== undefined && spec.priority !== null) w.write(0, `Priority:\t${spec.priority}\n`);
  if (spec.priorityClassName) w.write(0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  if (spec.runtimeClassName) w.write(0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
  if (spec.serviceAccountName) w.write(0, `Service Account:\t${spec.serviceAccountName}\n`);
  w.write(0, spec.nodeName ? `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n` : 'Node:\t<none>\n');
  if (status.startTime) w.write(0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
  w.map(0, 'Labels', pod.metadata.labels);
  w.annotations(0, pod.metadata.annotations);
  if (pod.metadata.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
    w.write(0, `Status:\tTerminating (lasts ${humanDuration(ctx.now - fromRFC3339(pod.metadata.deletionTimestamp))})\n`);
    w.write(0, `Termination Grace Period:\t${pod.metadata.deletionGracePeriodSeconds ?? 0}s\n`);
  } else w.write(0, `Status:\t${status.phase ?? ''}\n`);
  if (status.reason) w.write(0, `Reason:\t${status.reason}\n`);
  if (status.message) w.write(0, `Message:\t${status.message}\n`);
  const seccomp = spec.securityContext?.seccompProfile;
  if (seccomp) {
    w.write(0, `SeccompProfile:\t${seccomp.type}\n`);
    if (seccomp.type === 'Localhost') w.write(0, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`);
  }
  w.write(0, `IP:\t${status.podIP ?? ''}\n`);
  const podIPs = status.podIPs ?? [];
  if (!podIPs.length) w.write(0, 'IPs:\t<none>\n');
  else {
    w.write(0, 'IPs:\n');
    for (const ip of podIPs) w.write(1, `IP:\t${ip.ip}\n`);
  }
  const controlledBy = controllerString(pod.metadata.ownerReferences);
  if (controlledBy) w.write(0, `Controlled By:\t${controlledBy}\n`);
  if (status.nominatedNodeName) w.write(0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
  if (spec.resources) {
    w.write(0, 'Resources:\n');
    describeResources(w, spec.resources, 1);
  }
  if ((spec.initContainers ?? []).length)
    describeContainers(w, 'Init Containers', spec.initContainers, status.initContainerStatuses, pod, '');
  describeContainers(w, 'Containers', spec.containers, status.containerStatuses, pod, '');
  if ((spec.ephemeralContainers ?? []).length)
    describeContainers(w, 'Ephemeral Containers', spec.ephemeralContainers, status.ephemeralContainerStatuses, pod, '');
  const conditions = status.conditions ?? [];
  const gates = spec.readinessGates ?? [];
  if (gates.length) {
    w.write(0, 'Readiness Gates:\n  Type\tStatus\n');
    for (const g of gates) w.write(1, `${g.conditionType} \t${conditions.find((c) => c.type === g.conditionType)?.status ?? '<none>'} \n`);
  }
  if (conditions.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of conditions) w.write(1, `${c.type} \t${c.status} \n`);
  }
  describeVolumes(w, spec.volumes, '');
  w.write(0, `QoS Class:\t${status.qosClass || qosClass(pod)}\n`);
  w.map(0, 'Node-Selectors', spec.nodeSelector);
  writeTolerations(w, 0, 'Tolerations', spec.tolerations);
  describeTopologySpreadConstraints(w, spec.topologySpreadConstraints, '');
  const hint = spec.nodeName ? undefined : ctx.schedulingHint?.(pod);
  if (hint) w.write(0, `Scheduling Hint:\t${hint}\n`);
  writeEvents(w, ctx.events(pod), ctx.now);
  return w.toString();
}

registerDescriber('Pod', () => describePod);
