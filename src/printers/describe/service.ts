import { formatEndpoints } from '../../api/kinds/endpoints';
import type { Service, ServiceLike } from '../../model/kinds';
import { registerDescriber, DescribeWriter, type DescribeContext } from '../describe';
import type { EndpointSubset, LoadBalancerIngress } from '../../model/k8s';
import { isPodReady, resolveTargetPort } from '../../api/kinds/pod';
import { serviceBackends } from '../../api/service-backends';
import { formatLabelMap, writeEvents } from './format';

/**
 * The Service's Endpoints subsets: the stored Endpoints object when the endpoints
 * controller has written one, else the same thing computed from the selected pods
 * (addresses with an IP that resolve the port, ready ones in `addresses`, by IP).
 */
function endpointSubsets(svc: ServiceLike, ctx: DescribeContext): EndpointSubset[] {
  const stored = ctx.store.get('Endpoints', svc.metadata.namespace, svc.metadata.name);
  if (stored) return stored.subsets ?? [];
  if (!Object.keys(svc.spec?.selector ?? {}).length) return [];
  const subsets: EndpointSubset[] = [];
  for (const pod of serviceBackends(ctx.store, svc).pods) {
    if (!pod.status?.podIP) continue;
    for (const sp of svc.spec?.ports ?? []) {
      const port = resolveTargetPort(pod, sp);
      if (port === undefined) continue;
      const address = { ip: pod.status.podIP };
      const ready = isPodReady(pod) || !!svc.spec?.publishNotReadyAddresses;
      subsets.push({ ports: [{ name: sp.name ?? '', port }], ...(ready ? { addresses: [address] } : { notReadyAddresses: [address] }) });
    }
  }
  // one entry per port and address, ordered like RepackSubsets: by port, then by IP
  // (each subset built above has one port and one address)
  const key = (s: EndpointSubset) => s.ports![0].port;
  const ip = (s: EndpointSubset) => (s.addresses ?? s.notReadyAddresses)![0].ip;
  return subsets.sort((a, b) => key(a) - key(b) || (ip(a) < ip(b) ? -1 : ip(a) > ip(b) ? 1 : 0));
}

/** buildIngressString */
function ingressString(ingress: LoadBalancerIngress[]): string {
  return ingress.map((i) => (i.ip ? `${i.ip}${i.ipMode ? ` (${i.ipMode})` : ''}` : (i.hostname ?? ''))).join(', ');
}

/** kubectl v1.32's describeService (Endpoints per port from the Endpoints object). */
/** a list joined with commas, or `none` when it is empty or unset */
function joinedOr(list: string[] | undefined, none: string): string {
  return list?.length ? list.join(',') : none;
}

export function describeService(svc: Service, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  const spec = svc.spec ?? {};
  w.write(0, `Name:\t${svc.metadata.name}\n`);
  w.write(0, `Namespace:\t${svc.metadata.namespace ?? ''}\n`);
  w.map(0, 'Labels', svc.metadata.labels);
  w.annotations(0, svc.metadata.annotations);
  w.write(0, `Selector:\t${formatLabelMap(spec.selector)}\n`);
  w.write(0, `Type:\t${spec.type ?? ''}\n`);
  if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  w.write(0, `IP Families:\t${joinedOr(spec.ipFamilies, '<none>')}\n`);
  w.write(0, `IP:\t${spec.clusterIP ?? ''}\n`);
  w.write(0, `IPs:\t${joinedOr(spec.clusterIPs, '<none>')}\n`);
  if (spec.externalIPs?.length) w.write(0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
  if (spec.loadBalancerIP) w.write(0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
  if (spec.externalName) w.write(0, `External Name:\t${spec.externalName}\n`);
  const ingress = svc.status?.loadBalancer?.ingress ?? [];
  if (ingress.length) w.write(0, `LoadBalancer Ingress:\t${ingressString(ingress)}\n`);
  const subsets = endpointSubsets(svc, ctx);
  for (const sp of spec.ports ?? []) {
    const name = sp.name || '<unset>';
    const protocol = sp.protocol ?? 'TCP';
    w.write(0, `Port:\t${name}\t${sp.port}/${protocol}\n`);
    w.write(0, `TargetPort:\t${sp.targetPort ?? sp.port}/${protocol}\n`);
    if (sp.appProtocol) w.write(0, `AppProtocol:\t${sp.appProtocol}\n`);
    if (sp.nodePort) w.write(0, `NodePort:\t${name}\t${sp.nodePort}/${protocol}\n`);
    w.write(0, `Endpoints:\t${formatEndpoints(subsets, sp.name ?? '')}\n`);
  }
  w.write(0, `Session Affinity:\t${spec.sessionAffinity ?? ''}\n`);
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy) w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) w.write(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  if (spec.loadBalancerSourceRanges?.length) w.write(0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`);
  if (spec.trafficDistribution) w.write(0, `Traffic Distribution:\t${spec.trafficDistribution}\n`);
  writeEvents(w, ctx.events(svc), ctx.now);
  return w.toString();
}

registerDescriber('Service', () => describeService);
