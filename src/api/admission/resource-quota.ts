import { registerAdmissionPlugin } from '../admission';
import { parseQuantity } from '../quantity';
import { formatQuotaAmount, namespaceUsage, objectUsage } from '../resource-quota';
import { isKind, type Pod } from '../../model/kinds';
import { forbidden } from './forbidden';

/** Resources whose quota makes every container state them (pods.go validationSet). */
const MUST_SPECIFY = ['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];

function missingByResource(pod: Pod, required: string[]): string | undefined {
  const missing = new Map<string, Set<string>>();
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    const has: Record<string, boolean> = {
      cpu: req.cpu !== undefined,
      'requests.cpu': req.cpu !== undefined,
      memory: req.memory !== undefined,
      'requests.memory': req.memory !== undefined,
      'limits.cpu': lim.cpu !== undefined,
      'limits.memory': lim.memory !== undefined,
    };
    for (const r of required) if (!has[r]) missing.set(r, (missing.get(r) ?? new Set()).add(c.name));
  }
  if (!missing.size) return undefined;
  return `must specify ${[...missing.keys()]
    .sort()
    .map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`)
    .join('; ')}`;
}

/**
 * ResourceQuota (last of the validating admission plugins): a create is refused when
 * it would take any quota of its namespace over `spec.hard`, in the API server's words
 * `exceeded quota: q, requested: cpu=2, used: cpu=3, limited: cpu=4`.
 */
registerAdmissionPlugin({
  name: 'ResourceQuota',
  admit(ctx, info, obj, old) {
    if (old || !info.namespaced || !obj.metadata.namespace) return;
    const quotas = ctx.store.list('ResourceQuota', obj.metadata.namespace);
    if (!quotas.length) return;
    const requested = objectUsage(info, obj, ctx.now);
    let used: Record<string, number> | undefined;
    for (const quota of quotas) {
      const hard = quota.spec?.hard ?? {};
      const names = Object.keys(hard);
      if (isKind(obj, 'Pod')) {
        const missing = missingByResource(
          obj,
          MUST_SPECIFY.filter((r) => names.includes(r)),
        );
        if (missing) throw forbidden(info, obj, `failed quota: ${quota.metadata.name}: ${missing}`);
      }
      const relevant = names.filter((n) => requested[n] !== undefined && requested[n] !== 0).sort();
      if (!relevant.length) continue;
      used ??= namespaceUsage(ctx.store, info, obj.metadata.namespace, ctx.now);
      const limit = (n: string) => parseQuantity(hard[n]);
      const exceeded = relevant.filter((n) => (used![n] ?? 0) + requested[n] > limit(n) + 1e-9);
      if (!exceeded.length) continue;
      const list = (f: (n: string) => string) => exceeded.map((n) => `${n}=${f(n)}`).join(',');
      throw forbidden(
        info,
        obj,
        `exceeded quota: ${quota.metadata.name}, requested: ${list((n) => formatQuotaAmount(requested[n], hard[n]))}, used: ${list((n) => formatQuotaAmount(used![n] ?? 0, hard[n]))}, limited: ${list((n) => String(hard[n]))}`,
      );
    }
  },
  // a quota counts every pod: only a namespace without quotas is left alone
  templatePods: { reads: ['ResourceQuota'], same: (ctx, pod) => ctx.store.list('ResourceQuota', pod.metadata.namespace).length === 0 },
});
