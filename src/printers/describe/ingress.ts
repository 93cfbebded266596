import type { Ingress } from '../../model/kinds';
import { registerDescriber, DescribeWriter, type DescribeContext } from '../describe';
import { describeEvents } from '../events';
import type { EndpointSubset, IngressBackend } from '../../model/k8s';
import { formatEndpoints } from '../../api/kinds/endpoints';
import { loadBalancerAddresses } from '../../api/kinds/ingress';

/** kubectl's describeBackendV1: `svc:port (endpoints of that port)`, or the lookup error. */
function describeBackend(ctx: DescribeContext, namespace: string, backend: IngressBackend): string {
  const svcRef = backend.service;
  if (!svcRef) return '';
  const endpoints = ctx.store.get('Endpoints', namespace, svcRef.name);
  if (!endpoints) return `<error: endpoints "${svcRef.name}" not found>`;
  const svc = ctx.store.get('Service', namespace, svcRef.name);
  if (!svc) return `<error: services "${svcRef.name}" not found>`;
  let portName = '';
  for (const sp of svc.spec?.ports ?? []) {
    if ((svcRef.port?.number && svcRef.port.number === sp.port) || (svcRef.port?.name && svcRef.port.name === sp.name))
      portName = sp.name ?? '';
  }
  const subsets: EndpointSubset[] = (endpoints.subsets ?? []).map((ss) => ({
    ...ss,
    ports: (ss.ports ?? []).filter((p) => (p.name ?? '') === portName),
  }));
  const shown = formatEndpoints(subsets.filter((ss) => ss.ports?.length));
  const port = svcRef.port?.number ? String(svcRef.port.number) : (svcRef.port?.name ?? '');
  return `${svcRef.name}:${port} (${shown})`;
}

/** kubectl's describeIngressV1. */
export function describeIngress(ing: Ingress, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  const ns = ing.metadata.namespace ?? 'default';
  w.line(0, 'Name:', ing.metadata.name);
  w.map(0, 'Labels', ing.metadata.labels);
  w.line(0, 'Namespace:', ns);
  w.line(0, 'Address:', loadBalancerAddresses(ing.status));
  w.line(0, 'Ingress Class:', ing.spec?.ingressClassName ?? '<none>');
  const defaultBackend = ing.spec?.defaultBackend ? describeBackend(ctx, ns, ing.spec.defaultBackend) : '<default>';
  w.line(0, 'Default backend:', defaultBackend);
  const tls = ing.spec.tls ?? [];
  if (tls.length) {
    w.raw('TLS:\n');
    for (const t of tls)
      w.raw(t.secretName ? `  ${t.secretName} terminates ${(t.hosts ?? []).join(',')}\n` : `  SNI routes ${(t.hosts ?? []).join(',')}\n`);
  }
  w.raw('Rules:\n  Host\tPath\tBackends\n');
  w.line(1, '----', '----', '--------');
  let count = 0;
  for (const rule of ing.spec?.rules ?? []) {
    if (!rule.http) continue;
    count++;
    w.write(1, `${rule.host || '*'}\t\n`);
    for (const p of rule.http.paths ?? []) w.write(2, `\t${p.path ?? ''} \t${describeBackend(ctx, ns, p.backend ?? {})}\n`);
  }
  if (!count) w.line(1, '*', '*', defaultBackend);
  w.annotations(0, ing.metadata.annotations);
  const events = ctx.events(ing);
  if (!events.length) {
    w.line(0, 'Events:', '<none>');
    return w.toString();
  }
  return w.toString() + describeEvents(events, ctx.now);
}

registerDescriber('Ingress', () => describeIngress);
