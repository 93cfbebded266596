import type { KObject } from '../model/objects';
import type { Pod, ServiceLike } from '../model/kinds';
import type { ObjectReader } from '../model/object-reader';
import { fromMatchLabels, matches } from './labels';
import { isPodReady } from './kinds/pod';

/**
 * The pods a Service sends traffic to: pods in its namespace matching spec.selector that
 * are Ready and not terminating (what the EndpointSlice controller publishes as ready
 * endpoints). A Service without a selector has no managed backends.
 * Memoised per store write count: the traffic model asks every tick.
 */
const memo = new WeakMap<ObjectReader, { writeCount: number; byService: Map<string, ServiceBackends> }>();

export interface ServiceBackends {
  /** selected pods that are not finished or terminating */
  pods: Pod[];
  ready: Pod[];
  readyUids: Set<string>;
}

export function serviceSelects(svc: ServiceLike, pod: KObject): boolean {
  const selector = svc.spec?.selector;
  if (!selector || !Object.keys(selector).length) return false;
  return pod.metadata.namespace === svc.metadata.namespace && matches(fromMatchLabels(selector), pod.metadata.labels);
}

export function serviceBackends(store: ObjectReader, svc: ServiceLike): ServiceBackends {
  let entry = memo.get(store);
  if (!entry || entry.writeCount !== store.writeCount) memo.set(store, (entry = { writeCount: store.writeCount, byService: new Map() }));
  const key = `${svc.metadata.namespace}/${svc.metadata.name}/${svc.metadata.uid}`;
  let found = entry.byService.get(key);
  if (!found) {
    const pods: Pod[] = [];
    for (const pod of store.values('Pod')) {
      if (!serviceSelects(svc, pod)) continue;
      if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
      pods.push(pod);
    }
    pods.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
    const ready = pods.filter(isPodReady);
    found = { pods, ready, readyUids: new Set(ready.map((p) => p.metadata.uid ?? '')) };
    entry.byService.set(key, found);
  }
  return found;
}
