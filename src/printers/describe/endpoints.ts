import type { EndpointSlice, Endpoints } from '../../model/kinds';
import { registerDescriber, DescribeWriter, type DescribeContext } from '../describe';
import type { EndpointAddress } from '../../model/k8s';
import { orUnset, writeEvents } from './format';

/** kubectl's describeEndpoints: each subset's ready and not-ready addresses and ports. */
export function describeEndpoints(ep: Endpoints, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  w.nameAndMeta(ep);
  w.write(0, 'Subsets:\n');
  for (const subset of ep.subsets ?? []) {
    const ips = (list: EndpointAddress[] | undefined) => (list ?? []).map((a) => a.ip).join(',') || '<none>';
    w.write(1, `Addresses:\t${ips(subset.addresses)}\n`);
    w.write(1, `NotReadyAddresses:\t${ips(subset.notReadyAddresses)}\n`);
    const ports = subset.ports ?? [];
    if (ports.length) {
      w.write(1, 'Ports:\n');
      w.write(2, 'Name\tPort\tProtocol\n');
      w.write(2, '----\t----\t--------\n');
      for (const p of ports) w.write(2, `${p.name || '<unset>'}\t${p.port}\t${p.protocol ?? ''}\n`);
    }
    w.write(0, '\n');
  }
  writeEvents(w, ctx.events(ep), ctx.now);
  return w.toString();
}

/** kubectl's describeEndpointSliceV1: ports, then each endpoint's addresses, readiness and where it runs. */
export function describeEndpointSlice(eps: EndpointSlice, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  w.nameAndMeta(eps);
  w.line(0, 'AddressType:', eps.addressType ?? '');
  const ports = eps.ports ?? [];
  if (!ports.length) w.write(0, 'Ports: <unset>\n');
  else {
    w.write(0, 'Ports:\n');
    w.write(1, 'Name\tPort\tProtocol\n');
    w.write(1, '----\t----\t--------\n');
    for (const p of ports) w.write(1, `${p.name || '<unset>'}\t${orUnset(p.port)}\t${p.protocol ?? ''}\n`);
  }
  const endpoints = eps.endpoints ?? [];
  if (!endpoints.length) w.write(0, 'Endpoints: <none>\n');
  else {
    w.write(0, 'Endpoints:\n');
    for (const e of endpoints) {
      w.write(1, `- Addresses:\t${(e.addresses ?? []).join(', ') || '<none>'}\n`);
      w.write(2, 'Conditions:\n');
      w.write(3, `Ready:\t${orUnset(e.conditions?.ready)}\n`);
      w.write(2, `Hostname:\t${orUnset(e.hostname)}\n`);
      if (e.targetRef) w.write(2, `TargetRef:\t${e.targetRef.kind}/${e.targetRef.name}\n`);
      w.write(2, `NodeName:\t${orUnset(e.nodeName)}\n`);
      w.write(2, `Zone:\t${orUnset(e.zone)}\n`);
    }
  }
  writeEvents(w, ctx.events(eps), ctx.now);
  return w.toString();
}

registerDescriber('Endpoints', () => describeEndpoints);
registerDescriber('EndpointSlice', () => describeEndpointSlice);
