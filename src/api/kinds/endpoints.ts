import { registerKind } from './register';
import type { EndpointSubset } from '../../model/k8s';
import { ageColumn, nameColumn, validateMeta } from './common';

/**
 * kubectl's formatEndpoints: ready `ip:port` (all ports, or only the named one), at most 3,
 * then `+ N more...`; a port-less (headless) subset lists bare IPs.
 */
export function formatEndpoints(subsets: EndpointSubset[], portName?: string): string {
  if (!subsets.length) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  const add = (text: string) => {
    if (list.length === max) more = true;
    if (!more) list.push(text);
    count++;
  };
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (!ports.length) {
      for (const a of addresses) add(a.ip);
      continue;
    }
    for (const port of ports) {
      if (portName !== undefined && (port.name ?? '') !== portName) continue;
      for (const a of addresses) add(a.ip.includes(':') ? `[${a.ip}]:${port.port}` : `${a.ip}:${port.port}`);
    }
  }
  const text = list.join(',');
  return more ? `${text} + ${count - max} more...` : text;
}

registerKind('Endpoints', {
  columns: [nameColumn, { header: 'ENDPOINTS', value: (o) => formatEndpoints(o.subsets ?? []) }, ageColumn],
  validate(obj) {
    return validateMeta(obj);
  },
  specFields: ['subsets'],
});
