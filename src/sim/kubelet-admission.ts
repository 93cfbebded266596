import type { Node, Pod } from '../model/kinds';
import type { ReadonlyObjectStore } from '../store/object-store';
import { fromRFC3339 } from '../util/duration';
import { podCondition } from '../api/kinds/pod';
import { NodeInfo } from '../scheduler/node-info';
import { podInfoOf, type PodInfo, type Resources } from '../scheduler/pod-info';
import { insufficientResources } from '../scheduler/plugins/node-resources-fit';
import { requiredNodeAffinity } from '../scheduler/node-selector';
import { ERR_REASON_POD, NODE_AFFINITY } from '../scheduler/plugins/node-affinity';
import { ERR_REASON_NODE_PORTS, NODE_PORTS, hostPortConflicts } from '../scheduler/plugins/node-ports';
import { TAINT_TOLERATION } from '../scheduler/plugins/taint-toleration';
import { tolerationsTolerateTaint } from '../scheduler/taints';

/** The kubelet's answer when it will not run a pod: status.reason and the message (without "Pod was rejected: "). */
export interface AdmissionRejection {
  reason: string;
  message: string;
}

/** tainttoleration.ErrReasonNotMatch */
const ERR_REASON_TAINT = 'node(s) had untolerated taint(s)';

/**
 * The kubelet's predicate admission (pkg/kubelet/lifecycle/predicate.go, v1.32) of a pod
 * bound to this node: scheduler.AdmissionCheck (noderesources.Fits, then NodeAffinity,
 * NodePorts) against the pods the kubelet admitted before it, then the NoExecute taints.
 * Only the first failure is reported: `OutOf<resource>` with "Node didn't have enough
 * resource: …", or the predicate's name with "Predicate <name> failed: <reason>".
 */
export function admitPod(pod: Pod, node: Node, store: ReadonlyObjectStore): AdmissionRejection | undefined {
  const scheduled = podCondition(pod, 'PodScheduled')?.status === 'True';
  // (a bound pod on a node without a NoExecute taint has nothing left to fail: no pod or node
  // info is made for it, which was 0.3 s of a 150,000-pod apply)
  if (scheduled && !(node.spec?.taints ?? []).some((t) => t.effect === 'NoExecute')) return undefined;
  const podInfo = podInfoOf(pod);
  const nodeInfo = new NodeInfo(node, 0);
  // A pod the scheduler bound passed Fits, NodeAffinity and NodePorts against every pod bound
  // before it (the scheduler's view is the cluster's own here, so it is never stale): the kubelet
  // would count a subset of those and reach the same answer. Only a NoExecute taint added since
  // binding can turn it away, so the pods on the node are not counted again (at 30 pods a node,
  // counting them for every new pod was a third of a large apply's time).
  if (scheduled) return untoleratedNoExecute(podInfo.tolerations, nodeInfo);
  for (const other of admittedBefore(pod, store)) nodeInfo.addPod(podInfoOf(other));

  const short = insufficientResources(withoutMissingExtendedResources(podInfo.requests, nodeInfo), nodeInfo)[0];
  if (short) {
    return {
      reason: `OutOf${short.resourceName}`,
      message: `Node didn't have enough resource: ${short.resourceName}, requested: ${short.requested}, used: ${short.used}, capacity: ${short.capacity}`,
    };
  }
  if (!requiredNodeAffinity(pod.spec).match(nodeInfo)) return predicateFailure(NODE_AFFINITY, ERR_REASON_POD);
  if (podInfo.hostPorts.some((p) => hostPortConflicts(nodeInfo.usedPorts, p))) return predicateFailure(NODE_PORTS, ERR_REASON_NODE_PORTS);
  return untoleratedNoExecute(podInfo.tolerations, nodeInfo);
}

/** The kubelet only cares about NoExecute taints (a NoSchedule one does not stop a bound pod). */
function untoleratedNoExecute(tolerations: PodInfo['tolerations'], nodeInfo: NodeInfo): AdmissionRejection | undefined {
  if (nodeInfo.taints.some((t) => t.effect === 'NoExecute' && !tolerationsTolerateTaint(tolerations, t)))
    return predicateFailure(TAINT_TOLERATION, ERR_REASON_TAINT);
  return undefined;
}

function predicateFailure(name: string, reason: string): AdmissionRejection {
  return { reason: name, message: `Predicate ${name} failed: ${reason}` };
}

/**
 * removeMissingExtendedResources: requests of extended resources (a domain-prefixed name
 * outside kubernetes.io/) the node does not have are cluster-level, not the kubelet's to check.
 */
function withoutMissingExtendedResources(requests: Resources, node: NodeInfo): Resources {
  if (!requests.scalar) return requests;
  // IsExtendedResourceName: not native (no '/', or a kubernetes.io/ name), not a quota requests. name
  const isExtended = (name: string) => name.includes('/') && !name.includes('kubernetes.io/') && !name.startsWith('requests.');
  const kept = new Map([...requests.scalar].filter(([name]) => !isExtended(name) || node.allocScalar?.has(name)));
  return kept.size === requests.scalar.size ? requests : { ...requests, scalar: kept.size ? kept : undefined };
}

/**
 * The pods the kubelet admitted before this one: HandlePodAdditions takes pods in the order
 * they reach the node (bound: the PodScheduled time, or creation for a pod created with
 * spec.nodeName; then by creation and name) and counts the active ones (not Succeeded or
 * Failed, not terminating with nothing left running).
 */
function admittedBefore(pod: Pod, store: ReadonlyObjectStore): Pod[] {
  const key = arrival(pod);
  const out: Pod[] = [];
  for (const other of store.podsOnNode(pod.spec?.nodeName ?? '')) {
    if (other === pod || other.metadata.uid === pod.metadata.uid) continue;
    const phase = other.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    if (other.metadata.deletionTimestamp && !(other.status?.containerStatuses ?? []).some((c) => c.state?.running)) continue;
    if (compareArrival(arrival(other), key) < 0) out.push(other);
  }
  return out;
}

type Arrival = [number, string, string];

function arrival(pod: Pod): Arrival {
  const bound = fromRFC3339(podCondition(pod, 'PodScheduled')?.lastTransitionTime ?? pod.metadata.creationTimestamp);
  return [bound, pod.metadata.creationTimestamp ?? '', `${pod.metadata.namespace}/${pod.metadata.name}`];
}

function compareArrival(a: Arrival, b: Arrival): number {
  return a[0] - b[0] || a[1].localeCompare(b[1]) || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
}
