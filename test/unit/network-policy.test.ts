import { describe, expect, it } from 'vitest';
import { ObjectStore } from '../../src/store/object-store';
import type { KObject } from '../../src/model/objects';
import type { NetworkPolicy } from '../../src/model/kinds';
import type { ContainerPort } from '../../src/model/k8s';
import { connectionAllowed, peerMatches, portMatches, type Connection, type NetworkEndpoint } from '../../src/sim/network-policy';

const ns = (name: string, labels: Record<string, string> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } },
});

const pod = (
  name: string,
  namespace: string,
  labels: Record<string, string>,
  ip: string,
  ports: ContainerPort[] = [],
): NetworkEndpoint => ({
  ip,
  pod: {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'c', image: 'x', ports }] },
    status: { podIP: ip },
  },
});

const policy = (name: string, namespace: string, spec: NetworkPolicy['spec']): NetworkPolicy => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace },
  spec,
});

function storeWith(...objects: KObject[]): ObjectStore {
  const store = new ObjectStore();
  for (const o of [ns('default'), ns('prod', { env: 'prod' }), ...objects]) store.put(o);
  return store;
}

const web = pod('web', 'default', { app: 'web' }, '10.244.1.5', [
  { name: 'http', containerPort: 8080 },
  { name: 'dns', containerPort: 53, protocol: 'UDP' },
]);
const front = pod('front', 'default', { role: 'front' }, '10.244.2.7');
const prodFront = pod('pfront', 'prod', { role: 'front' }, '10.244.3.9');
const conn = (from: NetworkEndpoint, to: NetworkEndpoint, port = 8080, protocol = 'TCP'): Connection => ({ from, to, port, protocol });

describe('NetworkPolicy peers', () => {
  const store = storeWith();
  it.each([
    ['a podSelector alone selects pods of the policy namespace only', { podSelector: { matchLabels: { role: 'front' } } }, front, true],
    ['…not the same labels elsewhere', { podSelector: { matchLabels: { role: 'front' } } }, prodFront, false],
    ['a namespaceSelector alone selects every pod there', { namespaceSelector: { matchLabels: { env: 'prod' } } }, prodFront, true],
    [
      'an empty namespaceSelector selects all namespaces',
      { namespaceSelector: {}, podSelector: { matchLabels: { role: 'front' } } },
      prodFront,
      true,
    ],
    [
      'both must hold together',
      { namespaceSelector: { matchLabels: { env: 'prod' } }, podSelector: { matchLabels: { role: 'x' } } },
      prodFront,
      false,
    ],
    ['an ipBlock contains the address', { ipBlock: { cidr: '10.244.0.0/16' } }, front, true],
    ['…but not its except', { ipBlock: { cidr: '10.244.0.0/16', except: ['10.244.2.0/24'] } }, front, false],
    ['an ipBlock matches a non-pod address', { ipBlock: { cidr: '172.18.0.0/16' } }, { ip: '172.18.0.3' }, true],
    ['a pod selector never matches a non-pod address', { podSelector: {} }, { ip: '172.18.0.3' }, false],
  ])('%s', (_name, peer, other, expected) => {
    expect(peerMatches(store, peer, 'default', other as NetworkEndpoint)).toBe(expected);
  });
});

describe('NetworkPolicy ports', () => {
  it.each([
    ['no port means every port of the protocol', { protocol: 'TCP' }, 9999, 'TCP', true],
    ['the protocol defaults to TCP', { port: 8080 }, 8080, 'UDP', false],
    ['a number is one port', { port: 8080, protocol: 'TCP' }, 8081, 'TCP', false],
    ['endPort makes an inclusive range', { port: 8000, endPort: 8080, protocol: 'TCP' }, 8080, 'TCP', true],
    ['a named port is the destination container port of that name', { port: 'http', protocol: 'TCP' }, 8080, 'TCP', true],
    ['…with the same protocol', { port: 'dns', protocol: 'TCP' }, 53, 'TCP', false],
    ['…and only at its number', { port: 'http', protocol: 'TCP' }, 80, 'TCP', false],
  ])('%s', (_name, port, number, protocol, expected) => {
    expect(portMatches(port, conn(front, web, number, protocol))).toBe(expected);
  });
});

describe('NetworkPolicy isolation', () => {
  it('leaves pods no policy selects open both ways', () => {
    expect(connectionAllowed(storeWith(), conn(front, web))).toEqual({ allowed: true });
  });

  it('isolates a selected pod for ingress and lets the union of its policies in', () => {
    const store = storeWith(
      policy('deny', 'default', { podSelector: {}, policyTypes: ['Ingress'] }),
      policy('prod-in', 'default', {
        podSelector: { matchLabels: { app: 'web' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { env: 'prod' } } }] }],
      }),
    );
    expect(connectionAllowed(store, conn(front, web))).toMatchObject({ allowed: false, direction: 'ingress' });
    expect(connectionAllowed(store, conn(prodFront, web))).toEqual({ allowed: true });
  });

  it('checks egress of the sender only when a policy with policyTypes Egress selects it', () => {
    const ingressOnly = storeWith(policy('p', 'default', { podSelector: { matchLabels: { role: 'front' } }, policyTypes: ['Ingress'] }));
    expect(connectionAllowed(ingressOnly, conn(front, web))).toEqual({ allowed: true });
    const egress = storeWith(
      policy('p', 'default', {
        podSelector: { matchLabels: { role: 'front' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'http', protocol: 'TCP' }] }],
      }),
    );
    expect(connectionAllowed(egress, conn(front, web))).toEqual({ allowed: true });
    expect(connectionAllowed(egress, conn(front, web, 9090))).toMatchObject({ allowed: false, direction: 'egress' });
    expect(connectionAllowed(egress, conn(front, prodFront))).toMatchObject({ allowed: false, direction: 'egress' });
  });

  it('ignores host-network pods, which are the node to policies', () => {
    const store = storeWith(policy('deny', 'default', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
    const hostPod = { ...web, pod: { ...web.pod!, spec: { ...web.pod!.spec!, hostNetwork: true } } };
    expect(connectionAllowed(store, conn({ ip: '172.18.0.2' }, hostPod))).toEqual({ allowed: true });
  });
});
