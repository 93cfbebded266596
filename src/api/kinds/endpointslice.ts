import { registerKind } from './register';
import type { EndpointSlice } from '../../model/kinds';
import { ageColumn, nameColumn, validateMeta } from './common';

/** kubectl's listWithMoreString: at most 3, then `+ N more...`; `<unset>` when empty. */
function listWithMore(items: string[]): string {
  const max = 3;
  const text = items.slice(0, max).join(',');
  if (items.length > max) return `${text} + ${items.length - max} more...`;
  return text || '<unset>';
}

export function endpointSlicePorts(slice: EndpointSlice): string {
  return listWithMore((slice.ports ?? []).map((p) => (p.port !== undefined && p.port !== null ? String(p.port) : (p.name ?? '*'))));
}

export function endpointSliceEndpoints(slice: EndpointSlice): string {
  return listWithMore((slice.endpoints ?? []).flatMap((e) => e.addresses ?? []));
}

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const ENDPOINTSLICE_CONTROLLER = 'endpointslice-controller.k8s.io';

registerKind('EndpointSlice', {
  columns: [
    nameColumn,
    { header: 'ADDRESSTYPE', value: (o) => o.addressType ?? '' },
    { header: 'PORTS', value: endpointSlicePorts },
    { header: 'ENDPOINTS', value: endpointSliceEndpoints },
    ageColumn,
  ],
  validate(obj) {
    const errs = validateMeta(obj);
    if (!['IPv4', 'IPv6', 'FQDN'].includes(obj.addressType))
      errs.push({
        path: 'addressType',
        type: 'Unsupported value',
        value: obj.addressType ?? '',
        detail: 'supported values: "FQDN", "IPv4", "IPv6"',
      });
    return errs;
  },
  specFields: ['endpoints', 'ports', 'addressType'],
});
