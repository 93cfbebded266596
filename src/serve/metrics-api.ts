import type { KindInfo } from '../api/registry';
import type { KObject } from '../model/objects';
import type { PodLike } from '../model/kinds';
import type { ObjectStore } from '../store/object-store';
import { lastScrapeTime, podUsage, podUsageTotal } from '../sim/usage';
import { toRFC3339 } from '../util/duration';

/**
 * metrics.k8s.io/v1beta1 as metrics-server serves it (NodeMetrics, PodMetrics), from kubesim's
 * simulated usage — what `kubesim top` prints — so `kubectl top` works over `kubesim serve`.
 */
const metricsKind = (kind: string, plural: string, namespaced: boolean): KindInfo => ({
  kind,
  group: 'metrics.k8s.io',
  version: 'v1beta1',
  plural,
  singular: '',
  shortNames: [],
  namespaced,
  columns: [],
  verbs: ['get', 'list'],
});

export const METRICS_KINDS: KindInfo[] = [metricsKind('NodeMetrics', 'nodes', false), metricsKind('PodMetrics', 'pods', true)];

/** metrics-server's window: the scrape interval */
const WINDOW = '15s';

const cpu = (milli: number) => `${Math.round(milli)}m`;
const memory = (bytes: number) => `${Math.round(bytes / 1024)}Ki`;

function meta(obj: KObject, now: number): Record<string, unknown> {
  return {
    name: obj.metadata.name,
    ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
    creationTimestamp: toRFC3339(now),
    ...(obj.metadata.labels ? { labels: obj.metadata.labels } : {}),
  };
}

export function nodeMetrics(store: ObjectStore, node: KObject, now: number): KObject {
  const usage = { cpuMilli: 0, memoryBytes: 0 };
  for (const pod of store.podsOnNode(node.metadata.name)) {
    const u = podUsageTotal(pod, now, store);
    usage.cpuMilli += u.cpuMilli;
    usage.memoryBytes += u.memoryBytes;
  }
  return {
    kind: 'NodeMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: meta(node, now),
    timestamp: toRFC3339(lastScrapeTime(now)),
    window: WINDOW,
    usage: { cpu: cpu(usage.cpuMilli), memory: memory(usage.memoryBytes) },
  } as unknown as KObject;
}

/** A running pod's metrics; undefined while it has none (not running yet), as metrics-server omits it. */
export function podMetrics(store: ObjectStore, pod: PodLike, now: number): KObject | undefined {
  const containers = podUsage(pod, now, store);
  if (!containers.length) return undefined;
  return {
    kind: 'PodMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: meta(pod, now),
    timestamp: toRFC3339(lastScrapeTime(now)),
    window: WINDOW,
    containers: containers.map((c) => ({ name: c.name, usage: { cpu: cpu(c.cpuMilli), memory: memory(c.memoryBytes) } })),
  } as unknown as KObject;
}
