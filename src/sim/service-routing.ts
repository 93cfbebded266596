import type { Ingress, Pod, Service, ServiceLike } from '../model/kinds';
import type { HTTPIngressPath, IngressBackend, PodStatus, ServicePort, SlicePort } from '../model/k8s';
/** A pod found by its address: it has one. */
export type AddressedPod = Pod & { status: PodStatus & { podIP: string } };
import type { ReadonlyObjectStore } from '../store/object-store';
import type { Random } from '../util/random';
import { fnv1a } from '../util/hash';
import { nodeAddress } from '../api/kinds/node';
import { SERVICE_NAME_LABEL } from '../api/kinds/endpointslice';
import { ingressServed, ingressControllerAddress } from '../api/kinds/ingress';

/**
 * The cluster's data path as a user sees it: CoreDNS answers for Service and Pod names,
 * kube-proxy's choice of endpoint for a Service port (random, or sticky per client IP
 * with sessionAffinity ClientIP), and ingress-nginx's routing by host and path.
 */

export const CLUSTER_DOMAIN = 'cluster.local';

export type DnsAnswer =
  { type: 'A'; name: string; addresses: string[] } | { type: 'CNAME'; name: string; target: string } | { type: 'NXDOMAIN'; name: string };

/** Ready endpoints of a Service from its EndpointSlices (what kube-proxy and CoreDNS watch). */
export interface ReadyEndpoint {
  ip: string;
  hostname?: string;
  pod?: string;
  nodeName?: string;
  ports: SlicePort[];
}
export function readyEndpoints(store: ReadonlyObjectStore, svc: ServiceLike): ReadyEndpoint[] {
  const out: ReadyEndpoint[] = [];
  for (const slice of store.list('EndpointSlice', svc.metadata.namespace)) {
    if (slice.metadata.labels?.[SERVICE_NAME_LABEL] !== svc.metadata.name) continue;
    for (const e of slice.endpoints ?? []) {
      if (!e.conditions?.ready) continue;
      for (const ip of e.addresses ?? [])
        out.push({ ip, hostname: e.hostname, pod: e.targetRef?.name, nodeName: e.nodeName, ports: slice.ports ?? [] });
    }
  }
  return out.sort((a, b) => ipOrder(a.ip, b.ip));
}

function ipOrder(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

/** CoreDNS's kubernetes plugin for one fully qualified name (no trailing dot). */
export function resolveFqdn(store: ReadonlyObjectStore, fqdn: string): DnsAnswer {
  const name = fqdn.toLowerCase();
  const suffix = `.svc.${CLUSTER_DOMAIN}`;
  if (name.endsWith(suffix)) {
    const labels = name.slice(0, -suffix.length).split('.');
    if (labels.length === 2) {
      const [svcName, ns] = labels;
      const svc = store.get('Service', ns, svcName);
      if (!svc) return { type: 'NXDOMAIN', name };
      if (svc.spec?.type === 'ExternalName') return { type: 'CNAME', name, target: `${svc.spec.externalName}.` };
      if (svc.spec?.clusterIP && svc.spec.clusterIP !== 'None') return { type: 'A', name, addresses: [svc.spec.clusterIP] };
      const addresses = [...new Set(readyEndpoints(store, svc).map((e) => e.ip))];
      return addresses.length ? { type: 'A', name, addresses } : { type: 'NXDOMAIN', name };
    }
    if (labels.length === 3) {
      // <hostname>.<headless service>.<namespace>: pods with spec.hostname/subdomain (StatefulSets)
      const [host, svcName, ns] = labels;
      const svc = store.get('Service', ns, svcName);
      if (!svc || svc.spec?.clusterIP !== 'None') return { type: 'NXDOMAIN', name };
      const addresses = readyEndpoints(store, svc)
        .filter((e) => e.hostname === host)
        .map((e) => e.ip);
      return addresses.length ? { type: 'A', name, addresses } : { type: 'NXDOMAIN', name };
    }
    return { type: 'NXDOMAIN', name };
  }
  const podSuffix = `.pod.${CLUSTER_DOMAIN}`;
  if (name.endsWith(podSuffix)) {
    const labels = name.slice(0, -podSuffix.length).split('.');
    if (labels.length === 2 && /^\d+-\d+-\d+-\d+$/.test(labels[0]) && store.get('Namespace', undefined, labels[1])) {
      return { type: 'A', name, addresses: [labels[0].replace(/-/g, '.')] };
    }
  }
  return { type: 'NXDOMAIN', name };
}

/** A pod's resolv.conf: search <ns>.svc.cluster.local svc.cluster.local cluster.local, ndots:5. */
export function resolveName(store: ReadonlyObjectStore, query: string, namespace: string): DnsAnswer {
  if (query.endsWith('.')) return resolveFqdn(store, query.slice(0, -1));
  const search = [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN];
  const dots = query.split('.').length - 1;
  const candidates = dots >= 5 ? [query, ...search.map((s) => `${query}.${s}`)] : [...search.map((s) => `${query}.${s}`), query];
  for (const fqdn of candidates) {
    const answer = resolveFqdn(store, fqdn);
    if (answer.type !== 'NXDOMAIN') return answer;
  }
  return { type: 'NXDOMAIN', name: query };
}

/** A chosen backend: the pod that answers, and the address kube-proxy DNATs to. */
export interface Backend {
  pod: string;
  ip: string;
  port: number;
  nodeName?: string;
}

function hashString(text: string): number {
  return fnv1a(text) >>> 0;
}

/** kube-proxy: a ready endpoint for the Service port, random, or fixed per client IP with ClientIP affinity. */
export function pickEndpoint(
  store: ReadonlyObjectStore,
  svc: ServiceLike,
  svcPort: Pick<ServicePort, 'name'>,
  clientIp: string,
  random: Random,
  opts: { onNode?: string } = {},
): Backend | undefined {
  let endpoints = readyEndpoints(store, svc).filter((e) => e.ports.some((p) => (p.name ?? '') === (svcPort.name ?? '')));
  if (opts.onNode) endpoints = endpoints.filter((e) => e.nodeName === opts.onNode);
  if (!endpoints.length) return undefined;
  const chosen =
    svc.spec?.sessionAffinity === 'ClientIP' ? endpoints[hashString(clientIp) % endpoints.length] : endpoints[random.int(endpoints.length)];
  // the filter above kept only endpoints with this port; a slice port without a number has none (EndpointPort.port: nil)
  const port = chosen.ports.find((p) => (p.name ?? '') === (svcPort.name ?? ''))!.port as number;
  return { pod: chosen.pod ?? chosen.ip, ip: chosen.ip, port, nodeName: chosen.nodeName };
}

/** ingress-nginx path matching: Exact, Prefix (by path element), ImplementationSpecific (string prefix). */
function pathMatches(p: HTTPIngressPath, path: string): number {
  const want = p.path ?? '/';
  if (p.pathType === 'Exact') return path === want ? want.length + 0.5 : -1;
  if (p.pathType === 'Prefix') {
    const trim = (s: string) => s.replace(/\/+$/, '');
    const prefix = trim(want);
    if (prefix === '') return 0;
    const req = trim(path);
    return req === prefix || req.startsWith(`${prefix}/`) ? prefix.length : -1;
  }
  return path.startsWith(want) ? want.length : -1;
}

function hostMatches(ruleHost: string | undefined, host: string): 'exact' | 'wildcard' | 'any' | undefined {
  if (!ruleHost) return 'any';
  if (ruleHost === host) return 'exact';
  if (ruleHost.startsWith('*.')) {
    const rest = ruleHost.slice(1);
    if (host.endsWith(rest) && !host.slice(0, -rest.length).includes('.') && host.length > rest.length) return 'wildcard';
  }
  return undefined;
}

export interface IngressRoute {
  ingress: Ingress;
  backend: IngressBackend;
}

/** The Ingresses the simulated controller serves (see ingressServed). */
export function servedIngresses(store: ReadonlyObjectStore): Ingress[] {
  return store.list('Ingress').filter((i) => ingressServed(i, store));
}

export function ingressHostKnown(store: ReadonlyObjectStore, host: string): boolean {
  return servedIngresses(store).some((i) => (i.spec?.rules ?? []).some((r) => r.host && hostMatches(r.host, host)));
}

/** The backend ingress-nginx sends `host` + `path` to: the longest matching path of the most specific host. */
export function routeIngress(store: ReadonlyObjectStore, host: string, path: string): IngressRoute | undefined {
  const ingresses = servedIngresses(store);
  for (const level of ['exact', 'wildcard', 'any'] as const) {
    let best: { score: number; route: IngressRoute } | undefined;
    let hostSeen = false;
    for (const ing of ingresses) {
      for (const rule of ing.spec?.rules ?? []) {
        if (hostMatches(rule.host, host) !== level) continue;
        hostSeen = true;
        for (const p of rule.http?.paths ?? []) {
          const score = pathMatches(p, path);
          if (score >= 0 && (!best || score > best.score)) best = { score, route: { ingress: ing, backend: p.backend } };
        }
      }
    }
    if (best) return best.route;
    if (hostSeen) break;
  }
  const fallback = ingresses.find((i) => i.spec?.defaultBackend);
  return fallback?.spec.defaultBackend ? { ingress: fallback, backend: fallback.spec.defaultBackend } : undefined;
}

/** Whether the TLS section of a served Ingress covers the host with a Secret that exists. */
export function tlsCertificateFor(store: ReadonlyObjectStore, host: string): 'valid' | 'missing-secret' | 'none' {
  let found: 'valid' | 'missing-secret' | 'none' = 'none';
  for (const ing of servedIngresses(store)) {
    for (const t of ing.spec?.tls ?? []) {
      if (!(t.hosts ?? []).some((h) => hostMatches(h, host) === 'exact' || hostMatches(h, host) === 'wildcard')) continue;
      if (t.secretName && store.get('Secret', ing.metadata.namespace, t.secretName)) return 'valid';
      found = 'missing-secret';
    }
  }
  return found;
}

/** How a request reaches the cluster from its URL host and port. */
export type Entry =
  | { kind: 'service'; svc: Service; port: ServicePort; viaNode?: string }
  | { kind: 'ingress' }
  | { kind: 'pod'; pod: AddressedPod }
  | { kind: 'unreachable' }
  | { kind: 'unresolved' };

export function entryFor(store: ReadonlyObjectStore, host: string, port: number, namespace: string): Entry {
  const isIp = /^\d+\.\d+\.\d+\.\d+$/.test(host);
  let ip = host;
  if (!isIp) {
    const answer = resolveName(store, host, namespace);
    if (answer.type === 'A') ip = answer.addresses[0];
    else if (ingressHostKnown(store, host)) return { kind: 'ingress' };
    else return { kind: 'unresolved' };
  }
  for (const svc of store.list('Service')) {
    const ports = svc.spec?.ports ?? [];
    if (svc.spec?.clusterIP === ip) {
      const p = ports.find((q) => q.port === port);
      return p ? { kind: 'service', svc, port: p } : { kind: 'unreachable' };
    }
    if (svc.spec?.type === 'LoadBalancer' && (svc.status?.loadBalancer?.ingress ?? []).some((i) => i.ip === ip)) {
      const p = ports.find((q) => q.port === port);
      return p ? { kind: 'service', svc, port: p } : { kind: 'unreachable' };
    }
  }
  const node = store.list('Node').find((n) => nodeAddress(n, 'InternalIP') === ip);
  if (node) {
    for (const svc of store.list('Service')) {
      const p = (svc.spec?.ports ?? []).find((q) => q.nodePort === port);
      if (p && (svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer'))
        return { kind: 'service', svc, port: p, viaNode: node.metadata.name };
    }
    if ((port === 80 || port === 443) && ingressControllerAddress(store) === ip) return { kind: 'ingress' };
    return { kind: 'unreachable' };
  }
  const hasAddress = (pod: Pod): pod is AddressedPod => pod.status?.podIP === ip;
  for (const pod of store.values('Pod')) if (hasAddress(pod) && !pod.metadata.deletionTimestamp) return { kind: 'pod', pod };
  return { kind: 'unreachable' };
}
