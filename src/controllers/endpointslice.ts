import { create, remove, update, type Action } from '../reconcile/actions';
import type { Controller, ReconcileContext } from '../reconcile/controller';
import type { KObject } from '../model/objects';
import type { Endpoints, EndpointSlice, Pod, Service } from '../model/kinds';
import type { EndpointAddress, EndpointSubset, SliceEndpoint } from '../model/k8s';
import { fromMatchLabels, matches } from '../api/labels';
import { isPodReady, resolveTargetPort } from '../api/kinds/pod';
import { ENDPOINTSLICE_CONTROLLER, MANAGED_BY_LABEL, SERVICE_NAME_LABEL } from '../api/kinds/endpointslice';
import { toRFC3339 } from '../util/duration';
import type { ReadonlyObjectStore } from '../store/object-store';

const TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';

/** Pods with an address by namespace, rebuilt only after a write (a quiet pass shares one index). */
const podIndex = new WeakMap<ReadonlyObjectStore, { writeCount: number; byNamespace: Map<string, Pod[]> }>();

function addressedPodsIn(store: ReadonlyObjectStore, namespace: string | undefined): Pod[] {
  let entry = podIndex.get(store);
  if (!entry || entry.writeCount !== store.writeCount) {
    const byNamespace = new Map<string, Pod[]>();
    for (const pod of store.values('Pod')) {
      if (!pod.status?.podIP) continue;
      const ns = pod.metadata.namespace ?? 'default';
      let list = byNamespace.get(ns);
      if (!list) byNamespace.set(ns, (list = []));
      list.push(pod);
    }
    podIndex.set(store, (entry = { writeCount: store.writeCount, byNamespace }));
  }
  return entry.byNamespace.get(namespace ?? 'default') ?? [];
}

/** The pods a Service selects that have an address: ready, not ready and terminating alike. */
export function selectedPods(svc: Service, ctx: ReconcileContext): Pod[] {
  const selector = fromMatchLabels(svc.spec?.selector);
  const pods: Pod[] = [];
  for (const pod of addressedPodsIn(ctx.store, svc.metadata.namespace)) {
    if (pod.status!.phase === 'Succeeded' || pod.status!.phase === 'Failed') continue;
    if (matches(selector, pod.metadata.labels)) pods.push(pod);
  }
  return pods.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

interface ResolvedPort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

function podPorts(svc: Service, pod: Pod): ResolvedPort[] {
  const out: ResolvedPort[] = [];
  for (const p of svc.spec?.ports ?? []) {
    const port = resolveTargetPort(pod, p);
    if (port !== undefined)
      out.push({ name: p.name ?? '', port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) });
  }
  return out;
}

/** Pods grouped by the ports they resolve to (one EndpointSlice / Endpoints subset each). */
function groupByPorts(svc: Service, pods: Pod[]): Map<string, { ports: ResolvedPort[]; pods: Pod[] }> {
  const groups = new Map<string, { ports: ResolvedPort[]; pods: Pod[] }>();
  for (const pod of pods) {
    const ports = podPorts(svc, pod);
    if ((svc.spec?.ports ?? []).length && !ports.length) continue;
    const key = JSON.stringify(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, pods: [] }));
    g.pods.push(pod);
  }
  return groups;
}

function sliceEndpoint(svc: Service, pod: Pod, ctx: ReconcileContext): SliceEndpoint {
  const terminating = !!pod.metadata.deletionTimestamp;
  const ready = isPodReady(pod);
  const node = pod.spec?.nodeName ? ctx.store.get('Node', undefined, pod.spec.nodeName) : undefined;
  const zone = node?.metadata.labels?.['topology.kubernetes.io/zone'];
  const hostname = pod.spec?.hostname && pod.spec?.subdomain === svc.metadata.name ? pod.spec.hostname : undefined;
  return {
    addresses: [pod.status!.podIP!],
    conditions: {
      ready: (ready || !!svc.spec?.publishNotReadyAddresses) && !terminating,
      serving: ready || !!svc.spec?.publishNotReadyAddresses,
      terminating,
    },
    ...(hostname ? { hostname } : {}),
    nodeName: pod.spec?.nodeName,
    targetRef: { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
    ...(zone ? { zone } : {}),
  };
}

function managedSlices(svc: Service, ctx: ReconcileContext): EndpointSlice[] {
  return ctx.store
    .list('EndpointSlice', svc.metadata.namespace)
    .filter(
      (s) =>
        s.metadata.labels?.[SERVICE_NAME_LABEL] === svc.metadata.name && s.metadata.labels?.[MANAGED_BY_LABEL] === ENDPOINTSLICE_CONTROLLER,
    );
}

function sliceActions(svc: Service, groups: Map<string, { ports: ResolvedPort[]; pods: Pod[] }>, ctx: ReconcileContext): Action[] {
  const actions: Action[] = [];
  const existing = managedSlices(svc, ctx);
  const wanted = [...groups.values()].map((g) => ({ ports: g.ports, endpoints: g.pods.map((p) => sliceEndpoint(svc, p, ctx)) }));
  // a Service with no endpoints still gets one (empty) slice
  if (!wanted.length) wanted.push({ ports: [], endpoints: [] });
  const unused = [...existing];
  const labels = { ...(svc.metadata.labels ?? {}), [MANAGED_BY_LABEL]: ENDPOINTSLICE_CONTROLLER, [SERVICE_NAME_LABEL]: svc.metadata.name };
  for (const w of wanted) {
    const ports = w.ports.length ? w.ports : null;
    const endpoints = w.endpoints.length ? w.endpoints : null;
    const matchIndex = unused.findIndex((s) => JSON.stringify(s.ports ?? null) === JSON.stringify(ports));
    const slice = matchIndex >= 0 ? unused.splice(matchIndex, 1)[0] : undefined;
    if (slice) {
      if (
        JSON.stringify(slice.endpoints ?? null) !== JSON.stringify(endpoints) ||
        JSON.stringify(slice.metadata.labels) !== JSON.stringify(labels)
      ) {
        actions.push(
          update({
            ...slice,
            metadata: {
              ...slice.metadata,
              labels,
              annotations: { ...(slice.metadata.annotations ?? {}), [TRIGGER_TIME]: toRFC3339(ctx.now) },
            },
            endpoints,
            ports,
          }),
        );
      }
      continue;
    }
    actions.push(
      create({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name: '',
          generateName: `${svc.metadata.name}-`,
          namespace: svc.metadata.namespace,
          labels,
          annotations: { [TRIGGER_TIME]: toRFC3339(ctx.now) },
          ownerReferences: [
            {
              apiVersion: 'v1',
              kind: 'Service',
              name: svc.metadata.name,
              uid: svc.metadata.uid!,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        addressType: 'IPv4',
        endpoints,
        ports,
      }),
    );
  }
  for (const s of unused) actions.push(remove({ kind: 'EndpointSlice', namespace: s.metadata.namespace, name: s.metadata.name }));
  return actions;
}

function endpointsActions(svc: Service, groups: Map<string, { ports: ResolvedPort[]; pods: Pod[] }>, ctx: ReconcileContext): Action[] {
  const subsets: EndpointSubset[] = [];
  const byIp = (a: EndpointAddress, b: EndpointAddress) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0);
  for (const g of groups.values()) {
    const addresses: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const pod of g.pods) {
      // terminating pods leave Endpoints at once (unless the Service publishes not-ready addresses)
      if (pod.metadata.deletionTimestamp && !svc.spec?.publishNotReadyAddresses) continue;
      const hostname = pod.spec?.hostname && pod.spec?.subdomain === svc.metadata.name ? pod.spec.hostname : undefined;
      const address = {
        ...(hostname ? { hostname } : {}),
        ip: pod.status!.podIP!,
        nodeName: pod.spec?.nodeName,
        targetRef: { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
      };
      (isPodReady(pod) || svc.spec?.publishNotReadyAddresses ? addresses : notReady).push(address);
    }
    if (!addresses.length && !notReady.length) continue;
    subsets.push({
      ...(addresses.length ? { addresses: addresses.sort(byIp) } : {}),
      ...(notReady.length ? { notReadyAddresses: notReady.sort(byIp) } : {}),
      ...(g.ports.length
        ? {
            ports: g.ports.map((p) => ({
              ...(p.name ? { name: p.name } : {}),
              port: p.port,
              protocol: p.protocol,
              ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
            })),
          }
        : {}),
    });
  }
  const current = ctx.store.get('Endpoints', svc.metadata.namespace, svc.metadata.name);
  const labels = { ...(svc.metadata.labels ?? {}) };
  const desired: Endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      ...(current?.metadata ?? {}),
      name: svc.metadata.name,
      namespace: svc.metadata.namespace,
      ...(Object.keys(labels).length ? { labels } : {}),
      annotations: { ...(current?.metadata.annotations ?? {}), [TRIGGER_TIME]: toRFC3339(ctx.now) },
    },
    ...(subsets.length ? { subsets } : {}),
  };
  if (!current) return [create(desired)];
  if (
    JSON.stringify(current.subsets ?? null) === JSON.stringify(desired.subsets ?? null) &&
    JSON.stringify(current.metadata.labels ?? {}) === JSON.stringify(labels)
  )
    return [];
  return [update(desired)];
}

/**
 * The EndpointSlice and Endpoints controllers: for each Service with a selector, the
 * selected pods that have an IP, grouped by the ports their targetPort resolves to
 * (named ports looked up per pod). Slices list every such pod with ready/serving/
 * terminating conditions; Endpoints list ready pods as addresses and the others as
 * notReadyAddresses, and drop terminating pods.
 */
export const endpointSliceController: Controller<'Service'> = {
  name: 'endpointslice',
  kind: 'Service',
  reconcile(svc, ctx) {
    if (!svc.spec?.selector || !Object.keys(svc.spec.selector).length || svc.spec.type === 'ExternalName') {
      return managedSlices(svc, ctx).map((s) => remove({ kind: 'EndpointSlice', namespace: s.metadata.namespace, name: s.metadata.name }));
    }
    const inputs = inputWrites(ctx.store);
    if (upToDate.get(svc) === inputs) return [];
    const groups = groupByPorts(svc, selectedPods(svc, ctx));
    const actions = [...sliceActions(svc, groups, ctx), ...endpointsActions(svc, groups, ctx)];
    if (actions.length === 0) upToDate.set(svc, inputs);
    return actions;
  },
};

/**
 * Services whose slices and Endpoints matched their pods, with the writes to what they are
 * built from at the time: until one of those kinds is written (or the Service, a new object),
 * they still match. A traffic run's 500 passes over a 1,000-pod Service spent seconds
 * rebuilding and comparing lists that had not changed.
 */
const upToDate = new WeakMap<KObject, string>();

function inputWrites(store: ReadonlyObjectStore): string {
  return `${store.kindWrites('Pod')}/${store.kindWrites('EndpointSlice')}/${store.kindWrites('Endpoints')}/${store.kindWrites('Node')}`;
}

/** Endpoints the controller made go away with their Service. */
export const endpointsCleanup: Controller<'Endpoints'> = {
  name: 'endpoints-cleanup',
  kind: 'Endpoints',
  reconcile(ep, ctx) {
    if (!ep.metadata.annotations?.[TRIGGER_TIME]) return [];
    const svc = ctx.store.get('Service', ep.metadata.namespace, ep.metadata.name);
    if (svc && svc.spec?.selector && Object.keys(svc.spec.selector).length && svc.spec.type !== 'ExternalName') return [];
    return [remove({ kind: 'Endpoints', namespace: ep.metadata.namespace, name: ep.metadata.name })];
  },
};
