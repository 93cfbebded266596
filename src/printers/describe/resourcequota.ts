import type { ResourceQuota } from '../../model/kinds';
import { registerDescriber, DescribeWriter } from '../describe';

/** kubectl's describeQuota: the used/hard table from status (no events section). */
export function describeResourceQuota(quota: ResourceQuota): string {
  const w = new DescribeWriter();
  w.line(0, 'Name:', quota.metadata.name);
  w.line(0, 'Namespace:', quota.metadata.namespace ?? '');
  if (quota.spec?.scopes?.length) w.line(0, 'Scopes:', quota.spec.scopes.join(', '));
  w.line(0, 'Resource', 'Used', 'Hard');
  w.line(0, '--------', '----', '----');
  const hard = (quota.status?.hard ?? quota.spec?.hard ?? {}) as Record<string, string>;
  const used = (quota.status?.used ?? {}) as Record<string, string>;
  for (const r of Object.keys(hard).sort()) w.line(0, r, used[r] ?? '0', String(hard[r]));
  return w.toString();
}

registerDescriber('ResourceQuota', () => describeResourceQuota);
