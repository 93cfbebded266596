import type { ReadonlyObjectStore } from '../store/object-store';
import type { KindInfo } from './registry';
import { resourceName } from './registry';
import type { KObject } from '../model/objects';
import { isKind, type Pod, type ResourceQuota } from '../model/kinds';
import { formatBytes, parseQuantity } from './quantity';

/**
 * Quota accounting as the ResourceQuota admission plugin and the quota controller do
 * it (pkg/quota/v1/evaluator/core, generic object-count evaluators). Usage is a map
 * resource name → amount in base units (cores, bytes, objects).
 */
export type Usage = Record<string, number>;

/** Object-count resource names that predate `count/<resource>.<group>`. */
const LEGACY_COUNTS: Record<string, string> = {
  Pod: 'count/pods',
  Service: 'services',
  ConfigMap: 'configmaps',
  Secret: 'secrets',
  PersistentVolumeClaim: 'persistentvolumeclaims',
  ReplicationController: 'replicationcontrollers',
  ResourceQuota: 'resourcequotas',
};

/** `count/deployments.apps`, `count/pods` */
export function countResourceName(info: KindInfo): string {
  return `count/${resourceName(info)}`;
}

/** A pod counts for compute quota until it is terminal (QuotaV1Pod). */
function podCharged(pod: Pod, now: number): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (pod.metadata.deletionTimestamp && pod.metadata.deletionGracePeriodSeconds !== undefined) {
    if (now > Date.parse(pod.metadata.deletionTimestamp) + pod.metadata.deletionGracePeriodSeconds * 1000) return false;
  }
  return true;
}

/** Pod requests/limits: the sum over containers, or the largest init container if bigger (resourcehelper.PodRequests). */
function podResources(pod: Pod, field: 'requests' | 'limits'): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const c of pod.spec?.containers ?? []) {
    for (const [name, q] of Object.entries(c.resources?.[field] ?? {})) sum[name] = (sum[name] ?? 0) + parseQuantity(q);
  }
  for (const c of pod.spec?.initContainers ?? []) {
    for (const [name, q] of Object.entries(c.resources?.[field] ?? {})) sum[name] = Math.max(sum[name] ?? 0, parseQuantity(q));
  }
  return sum;
}

/** What one object charges against quota. */
export function objectUsage(info: KindInfo, obj: KObject, now: number): Usage {
  const usage: Usage = { [countResourceName(info)]: 1 };
  const legacy = LEGACY_COUNTS[info.kind];
  if (legacy) usage[legacy] = 1;
  // info is the object's kind: the kind checks below narrow the object to read its fields
  if (isKind(obj, 'Service')) {
    if (obj.spec?.type === 'LoadBalancer') usage['services.loadbalancers'] = 1;
    if (obj.spec?.type === 'NodePort' || obj.spec?.type === 'LoadBalancer') usage['services.nodeports'] = (obj.spec?.ports ?? []).length;
  }
  if (isKind(obj, 'Pod') && podCharged(obj, now)) {
    usage.pods = 1;
    const requests = podResources(obj, 'requests');
    const limits = podResources(obj, 'limits');
    for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
      if (requests[r] !== undefined) {
        usage[r] = requests[r];
        usage[`requests.${r}`] = requests[r];
      }
      if (limits[r] !== undefined) usage[`limits.${r}`] = limits[r];
    }
  }
  return usage;
}

/** Usage of everything of `info`'s kind in a namespace. */
export function namespaceUsage(store: ReadonlyObjectStore, info: KindInfo, namespace: string, now: number): Usage {
  const total: Usage = {};
  for (const obj of store.values(info.kind)) {
    if (obj.metadata.namespace !== namespace) continue;
    for (const [k, v] of Object.entries(objectUsage(info, obj, now))) total[k] = (total[k] ?? 0) + v;
  }
  return total;
}

/** Which kind a quota resource name measures (undefined: not a kind we hold). */
export function kindForQuotaResource(name: string, kinds: KindInfo[]): KindInfo | undefined {
  if (['pods', 'cpu', 'memory', 'ephemeral-storage'].includes(name) || /^(requests|limits)\./.test(name))
    return kinds.find((k) => k.kind === 'Pod');
  if (name.startsWith('services')) return kinds.find((k) => k.kind === 'Service');
  const legacy = Object.entries(LEGACY_COUNTS).find(([, v]) => v === name);
  if (legacy) return kinds.find((k) => k.kind === legacy[0]);
  if (name.startsWith('count/')) return kinds.find((k) => countResourceName(k) === name);
  return undefined;
}

/** A usage amount as Quantity.String() would print it, in the format of the hard limit. */
export function formatQuotaAmount(amount: number, hard: string | number | undefined): string {
  const hardText = String(hard ?? '');
  if (/[KMGTPE]i$/.test(hardText)) {
    // a fraction of a byte is no multiple of any suffix: it prints rounded
    return Number.isInteger(amount) ? formatBytes(amount) : String(Math.round(amount));
  }
  const milli = Math.round(amount * 1000);
  if (milli % 1000 !== 0) return `${milli}m`;
  const whole = milli / 1000;
  if (whole === 0) return '0';
  const units: [string, number][] = [
    ['E', 1e18],
    ['P', 1e15],
    ['T', 1e12],
    ['G', 1e9],
    ['M', 1e6],
    ['k', 1e3],
  ];
  if (/[kMGTPE]$/.test(hardText)) for (const [suffix, size] of units) if (whole % size === 0) return `${whole / size}${suffix}`;
  return String(whole);
}

/** `status.used` for a quota: current usage of each hard resource in its namespace. */
export function quotaUsed(store: ReadonlyObjectStore, quota: ResourceQuota, kinds: KindInfo[], now: number): Record<string, string> {
  const hard = quota.spec?.hard ?? {};
  const used: Record<string, string> = {};
  const cache = new Map<string, Usage>();
  for (const name of Object.keys(hard).sort()) {
    const info = kindForQuotaResource(name, kinds);
    if (!info) {
      used[name] = '0';
      continue;
    }
    let usage = cache.get(info.kind);
    if (!usage) cache.set(info.kind, (usage = namespaceUsage(store, info, quota.metadata.namespace ?? 'default', now)));
    used[name] = formatQuotaAmount(usage[name] ?? 0, hard[name]);
  }
  return used;
}
