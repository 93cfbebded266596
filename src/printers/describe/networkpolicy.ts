import { registerDescriber, DescribeWriter } from '../describe';
import type { NetworkPolicy } from '../../model/kinds';
import type { NetworkPolicyPeer, NetworkPolicyPort } from '../../model/k8s';
import { formatLabelSelector, goTimeString } from './format';

const INDENT = '    ';

/** An ingress rule (ports, from) or an egress rule (ports, to): both print alike. */
interface PolicyRule {
  ports?: NetworkPolicyPort[];
  from?: NetworkPolicyPeer[];
  to?: NetworkPolicyPeer[];
}

/** printNetworkPolicySpecIngressFrom / EgressTo: ports, then peers, rules separated by dashes. */
function writeRules(w: DescribeWriter, rules: PolicyRule[], peersField: 'from' | 'to', direction: 'ingress' | 'egress'): void {
  if (!rules.length) {
    w.write(0, `${INDENT}<none> (Selected pods are isolated for ${direction} connectivity)\n`);
    return;
  }
  const title = peersField === 'from' ? 'From' : 'To';
  rules.forEach((rule, i) => {
    const ports = rule?.ports ?? [];
    if (!ports.length) w.write(0, `${INDENT}To Port: <any> (traffic allowed to all ports)\n`);
    for (const port of ports) {
      // an unset port prints as Go prints a nil *IntOrString
      const number = port.port === undefined ? '<nil>' : String(port.port);
      const protocol = port.protocol ?? 'TCP';
      if (port.endPort === undefined) w.write(0, `${INDENT}To Port: ${number}/${protocol}\n`);
      else w.write(0, `${INDENT}To Port Range: ${number}-${port.endPort}/${protocol}\n`);
    }
    const peers = rule?.[peersField] ?? [];
    if (!peers.length)
      w.write(0, `${INDENT}${title}: <any> (traffic not restricted by ${peersField === 'from' ? 'source' : 'destination'})\n`);
    for (const peer of peers) {
      w.write(0, `${INDENT}${title}:\n`);
      if (peer.namespaceSelector) w.write(1, `${INDENT}NamespaceSelector: ${formatLabelSelector(peer.namespaceSelector)}\n`);
      if (peer.podSelector) w.write(1, `${INDENT}PodSelector: ${formatLabelSelector(peer.podSelector)}\n`);
      if (!peer.namespaceSelector && !peer.podSelector && peer.ipBlock) {
        w.write(1, `${INDENT}IPBlock:\n`);
        w.write(2, `${INDENT}CIDR: ${peer.ipBlock.cidr ?? ''}\n`);
        w.write(2, `${INDENT}Except: ${(peer.ipBlock.except ?? []).join(', ')}\n`);
      }
    }
    if (i !== rules.length - 1) w.write(0, `${INDENT}----------\n`);
  });
}

/** kubectl's describeNetworkPolicy (it prints no events). */
export function describeNetworkPolicy(policy: NetworkPolicy): string {
  const w = new DescribeWriter();
  const spec = policy.spec ?? {};
  w.line(0, 'Name:', policy.metadata.name);
  w.line(0, 'Namespace:', policy.metadata.namespace ?? '');
  w.line(0, 'Created on:', goTimeString(policy.metadata.creationTimestamp));
  w.map(0, 'Labels', policy.metadata.labels);
  w.annotations(0, policy.metadata.annotations);
  w.write(0, 'Spec:\n');
  w.write(1, 'PodSelector: ');
  const selector = spec.podSelector ?? {};
  if (!Object.keys(selector.matchLabels ?? {}).length && !(selector.matchExpressions ?? []).length)
    w.write(2, '<none> (Allowing the specific traffic to all pods in this namespace)\n');
  else w.write(2, `${formatLabelSelector(selector)}\n`);
  const types = spec.policyTypes ?? [];
  if (types.includes('Ingress')) {
    w.write(1, 'Allowing ingress traffic:\n');
    writeRules(w, spec.ingress ?? [], 'from', 'ingress');
  } else w.write(1, 'Not affecting ingress traffic\n');
  if (types.includes('Egress')) {
    w.write(1, 'Allowing egress traffic:\n');
    writeRules(w, spec.egress ?? [], 'to', 'egress');
  } else w.write(1, 'Not affecting egress traffic\n');
  w.write(1, `Policy Types: ${types.join(', ') || '<none>'}\n`);
  return w.toString();
}

registerDescriber('NetworkPolicy', () => describeNetworkPolicy);
