import type { KObject } from '../model/objects';
import type { NetworkPolicy, PodLike } from '../model/kinds';
import type { LabelSelector, NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort } from '../model/k8s';
import type { ReadonlyObjectStore } from '../store/object-store';
import { fromLabelSelector, matches, type Labels } from '../api/labels';
import { cidrContains, parseCidr, parseIPv4 } from '../util/ipnet';

/**
 * NetworkPolicy enforcement as a policy-enforcing CNI (Calico, Cilium) does it, for one new
 * connection: a pod selected by a policy with policyTypes Ingress accepts only what one of
 * those policies' ingress rules allows, and likewise Egress for what it sends; a pod no
 * policy selects is not isolated. Policies only add: there is no deny rule and no order.
 */

/** One end of a connection: an address, and the pod there (absent for nodes and outside addresses). */
export interface NetworkEndpoint {
  ip: string;
  pod?: PodLike;
}

export interface Connection {
  from: NetworkEndpoint;
  to: NetworkEndpoint;
  /** the destination port after kube-proxy's DNAT (the pod's port, not the Service's) */
  port: number;
  protocol: string;
}

export type PolicyVerdict = { allowed: true } | { allowed: false; direction: 'ingress' | 'egress'; pod: PodLike };

type Direction = 'ingress' | 'egress';
const POLICY_TYPE: Record<Direction, string> = { ingress: 'Ingress', egress: 'Egress' };

/** The policies in the pod's namespace that select it and isolate it in this direction. */
export function isolatingPolicies(store: ReadonlyObjectStore, pod: KObject, direction: Direction): NetworkPolicy[] {
  return store.list('NetworkPolicy', pod.metadata.namespace).filter((policy) => {
    if (!(policy.spec?.policyTypes ?? []).includes(POLICY_TYPE[direction])) return false;
    const selector = fromLabelSelector(policy.spec?.podSelector ?? {});
    return !!selector && matches(selector, pod.metadata.labels);
  });
}

function selects(selector: LabelSelector | undefined, labels: Labels | undefined): boolean {
  const parsed = fromLabelSelector(selector);
  return !!parsed && matches(parsed, labels);
}

/** NetworkPolicyPeer: an ipBlock (cidr minus except), or pods by podSelector and/or namespaceSelector. */
export function peerMatches(store: ReadonlyObjectStore, peer: NetworkPolicyPeer, policyNamespace: string, other: NetworkEndpoint): boolean {
  if (peer.ipBlock) {
    const ip = parseIPv4(other.ip);
    const cidr = parseCidr(peer.ipBlock.cidr ?? '');
    if (ip === undefined || !cidr || !cidrContains(cidr, ip)) return false;
    return !(peer.ipBlock.except ?? []).some((text) => {
      const except = parseCidr(text);
      return !!except && cidrContains(except, ip);
    });
  }
  const pod = other.pod;
  if (!pod) return false;
  if (peer.namespaceSelector) {
    const ns = store.get('Namespace', undefined, pod.metadata.namespace ?? 'default');
    if (!selects(peer.namespaceSelector, ns?.metadata.labels)) return false;
  } else if (pod.metadata.namespace !== policyNamespace) return false;
  return !peer.podSelector || selects(peer.podSelector, pod.metadata.labels);
}

/** The destination pod's container port of this name and protocol (a named port in a policy refers to it). */
function namedPort(pod: PodLike | undefined, name: string, protocol: string): number | undefined {
  for (const c of [...(pod?.spec?.initContainers ?? []), ...(pod?.spec?.containers ?? [])])
    for (const p of c.ports ?? []) if (p.name === name && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  return undefined;
}

/** NetworkPolicyPort: protocol (TCP by default), then a number, a number range up to endPort, or a named port. */
export function portMatches(port: NetworkPolicyPort, conn: Connection): boolean {
  const protocol = port.protocol ?? 'TCP';
  if (protocol !== conn.protocol) return false;
  if (port.port === undefined || port.port === null) return true;
  if (typeof port.port === 'number') return conn.port >= port.port && conn.port <= (port.endPort ?? port.port);
  return namedPort(conn.to.pod, String(port.port), protocol) === conn.port;
}

function ruleAllows(
  store: ReadonlyObjectStore,
  rule: NetworkPolicyIngressRule & NetworkPolicyEgressRule,
  policy: NetworkPolicy,
  direction: Direction,
  conn: Connection,
): boolean {
  const ports = rule?.ports ?? [];
  if (ports.length && !ports.some((p) => portMatches(p ?? {}, conn))) return false;
  const peers = (direction === 'ingress' ? rule?.from : rule?.to) ?? [];
  const other = direction === 'ingress' ? conn.from : conn.to;
  return !peers.length || peers.some((peer) => peerMatches(store, peer ?? {}, policy.metadata.namespace ?? 'default', other));
}

function directionAllows(store: ReadonlyObjectStore, pod: KObject, direction: Direction, conn: Connection): boolean {
  const policies = isolatingPolicies(store, pod, direction);
  if (!policies.length) return true;
  return policies.some((policy) => (policy.spec?.[direction] ?? []).some((rule) => ruleAllows(store, rule, policy, direction, conn)));
}

/** Whether the connection gets through: the sender's egress policies, then the receiver's ingress policies. */
export function connectionAllowed(store: ReadonlyObjectStore, conn: Connection): PolicyVerdict {
  // host-network pods are the node as far as policies go: no pod policy applies to them
  const policyPod = (e: NetworkEndpoint) => (e.pod && !e.pod.spec?.hostNetwork ? e.pod : undefined);
  const sender = policyPod(conn.from);
  if (sender && !directionAllows(store, sender, 'egress', conn)) return { allowed: false, direction: 'egress', pod: sender };
  const receiver = policyPod(conn.to);
  if (receiver && !directionAllows(store, receiver, 'ingress', conn)) return { allowed: false, direction: 'ingress', pod: receiver };
  return { allowed: true };
}
