import type { FieldError } from '../../util/errors';
import { registerKind } from './register';
import { orEmpty } from '../../model/objects';
import type { NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort } from '../../model/k8s';

type IPBlock = NonNullable<NetworkPolicyPeer['ipBlock']>;
import { ageColumn, expectType, isOneOf, nameColumn, portNameErrors, validateLabelSelector, validateMeta, zeroValue } from './common';
import { labelSelectorString } from '../labels';
import { cidrContains, parseCidr } from '../../util/ipnet';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const POLICY_TYPES = ['Ingress', 'Egress'];

/** networking validation.ValidateNetworkPolicyPort */
function validatePort(port: NetworkPolicyPort, path: string, errs: FieldError[]): void {
  if (port.protocol !== undefined && !isOneOf(PROTOCOLS, port.protocol))
    errs.push({
      path: `${path}.protocol`,
      type: 'Unsupported value',
      value: port.protocol,
      detail: 'supported values: "TCP", "UDP", "SCTP"',
    });
  const invalid = (field: string, value: unknown, detail: string) =>
    errs.push({ path: `${path}.${field}`, type: 'Invalid value', value, detail });
  if (port.port === undefined) {
    if (port.endPort !== undefined) invalid('endPort', port.endPort, 'may not be specified when `port` is not specified');
  } else if (typeof port.port === 'number') {
    if (port.port < 1 || port.port > 65535) invalid('port', port.port, 'must be between 1 and 65535, inclusive');
    if (port.endPort !== undefined) {
      if (port.endPort < port.port) invalid('endPort', port.endPort, 'must be greater than or equal to `port`');
      if (port.endPort < 1 || port.endPort > 65535) invalid('endPort', port.endPort, 'must be between 1 and 65535, inclusive');
    }
  } else {
    if (port.endPort !== undefined) invalid('endPort', port.endPort, 'may not be specified when `port` is non-numeric');
    for (const msg of portNameErrors(String(port.port))) invalid('port', port.port, msg);
  }
}

/** ValidateIPBlock (v1.32): a parseable cidr, and each except a strict subset of it. */
function validateIpBlock(block: IPBlock, path: string, errs: FieldError[]): void {
  if (!block.cidr) {
    errs.push({ path: `${path}.cidr`, type: 'Required value' });
    return;
  }
  const cidr = parseCidr(String(block.cidr));
  if (!cidr) {
    errs.push({ path: `${path}.cidr`, type: 'Invalid value', value: block.cidr, detail: 'not a valid CIDR' });
    return;
  }
  (block.except ?? []).forEach((text, i) => {
    const at = `${path}.except[${i}]`;
    const except = parseCidr(String(text));
    if (!except) errs.push({ path: at, type: 'Invalid value', value: text, detail: 'not a valid CIDR' });
    else if (!cidrContains(cidr, except.network) || cidr.prefix >= except.prefix)
      errs.push({ path: at, type: 'Invalid value', value: text, detail: 'must be a strict subset of `cidr`' });
  });
}

/** ValidateNetworkPolicyPeer: at least one of podSelector/namespaceSelector/ipBlock, ipBlock alone. */
function validatePeer(peer: NetworkPolicyPeer, path: string, errs: FieldError[]): void {
  let count = 0;
  if (peer.podSelector) {
    count++;
    errs.push(...validateLabelSelector(peer.podSelector, `${path}.podSelector`));
  }
  if (peer.namespaceSelector) {
    count++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, `${path}.namespaceSelector`));
  }
  if (peer.ipBlock) {
    count++;
    validateIpBlock(peer.ipBlock, `${path}.ipBlock`, errs);
  }
  if (!count) errs.push({ path, type: 'Required value', detail: 'must specify a peer' });
  else if (count > 1 && peer.ipBlock) errs.push({ path, type: 'Forbidden', detail: 'may not specify both ipBlock and another peer' });
}

function validateRules(rules: unknown, path: string, peersField: 'from' | 'to', errs: FieldError[]): void {
  if (!expectType(rules, 'array', path, errs)) return;
  (rules as (NetworkPolicyIngressRule & NetworkPolicyEgressRule)[]).forEach((rule, i) => {
    (rule?.ports ?? []).forEach((port, j) => validatePort(port ?? {}, `${path}[${i}].ports[${j}]`, errs));
    (rule?.[peersField] ?? []).forEach((peer, j) => validatePeer(peer ?? {}, `${path}[${i}].${peersField}[${j}]`, errs));
  });
}

registerKind('NetworkPolicy', {
  columns: [nameColumn, { header: 'POD-SELECTOR', value: (o) => labelSelectorString(o.spec?.podSelector) || '<none>' }, ageColumn],
  defaults(obj) {
    obj.spec ??= zeroValue();
    obj.spec.podSelector ??= {};
    // SetDefaults_NetworkPolicyPort: protocol TCP
    for (const list of [obj.spec.ingress, obj.spec.egress])
      for (const rule of Array.isArray(list) ? list : []) for (const port of rule?.ports ?? []) if (port) port.protocol ??= 'TCP';
    // SetDefaults_NetworkPolicy: no policyTypes means Ingress, plus Egress when egress rules are given
    if (!obj.spec.policyTypes?.length) obj.spec.policyTypes = obj.spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
  },
  validate(obj) {
    const errs = validateMeta(obj);
    const spec = orEmpty(obj.spec);
    errs.push(...validateLabelSelector(spec.podSelector ?? {}, 'spec.podSelector'));
    if (spec.ingress !== undefined) validateRules(spec.ingress, 'spec.ingress', 'from', errs);
    if (spec.egress !== undefined) validateRules(spec.egress, 'spec.egress', 'to', errs);
    const types: unknown[] = Array.isArray(spec.policyTypes) ? spec.policyTypes : [];
    if (types.length > POLICY_TYPES.length)
      errs.push({ path: 'spec.policyTypes', type: 'Invalid value', value: types, detail: 'may not specify more than two policyTypes' });
    else
      types.forEach((t, i) => {
        if (!POLICY_TYPES.includes(t as string))
          errs.push({
            path: `spec.policyTypes[${i}]`,
            type: 'Unsupported value',
            value: t,
            detail: 'supported values: "Ingress", "Egress"',
          });
      });
    return errs;
  },
});
