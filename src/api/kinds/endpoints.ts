import { registerKind } from '../registry';
import type { Fields, KObject } from '../types';
import { ageColumn, nameColumn, validateMeta } from './common';

/** kubectl's formatEndpoints: `ip:port` for ready addresses, at most 3 then `+ N more...`. */
export function formatEndpoints(ep: KObject): string {
  const subsets: Fields[] = ep.subsets ?? [];
  if (!subsets.length) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses: Fields[] = ss.addresses ?? [];
    const ports: Fields[] = ss.ports ?? [];
    if (!ports.length) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip);
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(`${a.ip}:${port.port}`);
      }
    }
  }
  const text = list.join(',');
  return more ? `${text} + ${count - max} more...` : text;
}

registerKind({
  kind: 'Endpoints',
  group: '',
  version: 'v1',
  plural: 'endpoints',
  singular: 'endpoints',
  shortNames: ['ep'],
  namespaced: true,
  columns: [nameColumn, { header: 'ENDPOINTS', value: formatEndpoints }, ageColumn],
  validate(obj) {
    return validateMeta(obj);
  },
  specFields: ['subsets'],
});
