import type { Namespace } from '../../model/kinds';
import { registerDescriber, DescribeWriter, type DescribeContext } from '../describe';
import type { LimitRange, ResourceQuota } from '../../model/kinds';
import type { LimitRangeItem } from '../../model/k8s';

/** The quantity maps of a LimitRange item */
type LimitField = 'min' | 'max' | 'defaultRequest' | 'default' | 'maxLimitRequestRatio';
import { canonicalQuantity } from '../../api/quantity-exact';
import { rfc1123z } from './format';

const QUOTA_SCOPE_HELP: Record<string, string> = {
  Terminating:
    'Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.',
  NotTerminating:
    'Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
  BestEffort: 'Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
  NotBestEffort:
    'Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.',
};

/** DescribeResourceQuotas: every quota of the namespace, by name. */
function describeResourceQuotas(w: DescribeWriter, quotas: ResourceQuota[]): void {
  if (!quotas.length) {
    w.write(0, 'No resource quota.\n');
    return;
  }
  w.write(0, 'Resource Quotas\n');
  for (const q of quotas) {
    w.write(1, `Name:\t${q.metadata.name}\n`);
    const scopes: string[] = [...(q.spec?.scopes ?? [])].sort();
    if (scopes.length) {
      w.write(1, `Scopes:\t${scopes.join(', ')}\n`);
      for (const scope of scopes) if (QUOTA_SCOPE_HELP[scope]) w.write(1, `* ${QUOTA_SCOPE_HELP[scope]}\n`);
    }
    w.write(1, 'Resource\tUsed\tHard\n');
    w.write(1, '--------\t---\t---\n');
    const hard: Record<string, string> = q.status?.hard ?? {};
    const used: Record<string, string> = q.status?.used ?? {};
    for (const r of Object.keys(hard).sort()) w.write(1, `${r}\t${canonicalQuantity(used[r])}\t${canonicalQuantity(hard[r])}\n`);
  }
}

/**
 * A LimitRange item as the API server stores it (SetDefaults_LimitRangeItem): a Container
 * item's default limit falls back to max, its default request to the default limit, then min.
 */
function defaultedLimitRangeItem(item: LimitRangeItem): LimitRangeItem {
  if (item.type !== 'Container') return item;
  const defaults = { ...(item.max ?? {}), ...(item.default ?? {}) };
  const defaultRequest = { ...(item.min ?? {}), ...defaults, ...(item.defaultRequest ?? {}) };
  return { ...item, default: defaults, defaultRequest };
}

/** DescribeLimitRanges: one row per item and resource (kubectl's order is map order; here sorted). */
function describeLimitRanges(w: DescribeWriter, ranges: LimitRange[]): void {
  if (!ranges.length) {
    w.write(0, 'No LimitRange resource.\n');
    return;
  }
  w.write(0, 'Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
  w.write(0, ' ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
  for (const range of ranges) {
    for (const raw of range.spec?.limits ?? []) {
      const item = defaultedLimitRangeItem(raw);
      const fields: LimitField[] = ['min', 'max', 'defaultRequest', 'default', 'maxLimitRequestRatio'];
      const resources = [...new Set(fields.flatMap((f) => Object.keys(item[f] ?? {})))].sort();
      const cell = (f: LimitField, r: string) => {
        const value = item[f]?.[r];
        return value !== undefined ? canonicalQuantity(value) : '-';
      };
      for (const r of resources)
        w.write(
          0,
          ` ${item.type}\t${r}\t${cell('min', r)}\t${cell('max', r)}\t${cell('defaultRequest', r)}\t${cell('default', r)}\t${cell('maxLimitRequestRatio', r)}\n`,
        );
    }
  }
}

/** kubectl's describeNamespace (no Events section). */
export function describeNamespace(ns: Namespace, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${ns.metadata.name}\n`);
  w.map(0, 'Labels', ns.metadata.labels);
  w.annotations(0, ns.metadata.annotations);
  w.write(0, `Status:\t${ns.status?.phase ?? ''}\n`);
  const conditions = ns.status?.conditions ?? [];
  if (conditions.length) {
    w.write(0, 'Conditions:\n');
    w.write(1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t------------------\t------\t-------\n');
    for (const c of conditions)
      w.write(1, `${c.type}\t${c.status}\t${rfc1123z(c.lastTransitionTime)}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
  }
  w.write(0, '\n');
  describeResourceQuotas(w, ctx.store.list('ResourceQuota', ns.metadata.name));
  w.write(0, '\n');
  describeLimitRanges(w, ctx.store.list('LimitRange', ns.metadata.name));
  return w.toString();
}

registerDescriber('Namespace', () => describeNamespace);
