import { event, update, type Action } from '../reconcile/actions';
import type { Controller, ReconcileContext } from '../reconcile/controller';
import { refOf, type KObject } from '../model/objects';
import type { ReadonlyObjectStore } from '../store/object-store';
import { ingressServed, ingressControllerAddress } from '../api/kinds/ingress';

/**
 * The simulated load-balancer provider (MetalLB-style, as on kind): LoadBalancer Services
 * get the lowest free address of a pool. The pool is `172.18.255.200-172.18.255.250`
 * unless ConfigMap kube-system/kubesim-loadbalancer-pool sets `addresses` (ranges or
 * single IPs, comma-separated; empty means no addresses, so Services stay <pending>).
 */
export const LB_POOL_CONFIGMAP = { namespace: 'kube-system', name: 'kubesim-loadbalancer-pool' };
const DEFAULT_POOL = '172.18.255.200-172.18.255.250';
const SOURCE = 'metallb-controller';

const ipToInt = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
const intToIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

export function loadBalancerPool(store: ReadonlyObjectStore): string[] {
  const cm = store.get('ConfigMap', LB_POOL_CONFIGMAP.namespace, LB_POOL_CONFIGMAP.name);
  const text: string = cm ? String(cm.data?.addresses ?? '') : DEFAULT_POOL;
  const out: string[] = [];
  for (const part of text.split(/[,\s]+/).filter(Boolean)) {
    const [from, to] = part.split('-');
    const start = ipToInt(from);
    const end = to ? ipToInt(to) : start;
    for (let n = start; n <= end && out.length < 65536; n++) out.push(intToIp(n));
  }
  return out;
}

/**
 * Addresses of the pool in use: LoadBalancer Services' and Gateways' (kubesim's Gateway
 * controller takes its addresses from the same pool), except the object's own.
 */
export function usedLoadBalancerAddresses(store: ReadonlyObjectStore, exceptUid: string | undefined): Set<string> {
  const used = new Set<string>();
  for (const s of store.values('Service')) {
    if (s.metadata.uid === exceptUid || s.spec?.type !== 'LoadBalancer') continue;
    for (const i of s.status?.loadBalancer?.ingress ?? []) if (i.ip) used.add(i.ip);
  }
  for (const gw of store.values('Gateway') as Iterable<KObject<unknown, { addresses?: { value?: string }[] }>>) {
    if (gw.metadata.uid === exceptUid) continue;
    for (const a of gw.status?.addresses ?? []) if (a.value) used.add(a.value);
  }
  return used;
}

export const loadBalancerController: Controller<'Service'> = {
  name: 'service-lb',
  kind: 'Service',
  reconcile(svc, ctx) {
    const ingress = svc.status?.loadBalancer?.ingress ?? [];
    if (svc.spec?.type !== 'LoadBalancer') {
      return ingress.length ? [update({ ...svc, status: { ...svc.status, loadBalancer: {} } })] : [];
    }
    if (ingress.length) return [];
    const pool = loadBalancerPool(ctx.store);
    const used = usedLoadBalancerAddresses(ctx.store, svc.metadata.uid);
    const wanted: string | undefined = svc.spec.loadBalancerIP || undefined;
    const ip = wanted ? (pool.includes(wanted) && !used.has(wanted) ? wanted : undefined) : pool.find((a) => !used.has(a));
    const key = `"${svc.metadata.namespace}/${svc.metadata.name}"`;
    if (!ip) {
      if (!firstSyncOf(svc, ctx)) return [];
      return [
        event(
          svc,
          'Warning',
          'AllocationFailed',
          wanted
            ? `Failed to allocate IP for ${key}: "${wanted}" is not allowed in config`
            : `Failed to allocate IP for ${key}: no available IPs`,
          SOURCE,
        ),
      ];
    }
    return [
      update({ ...svc, status: { ...(svc.status ?? {}), loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } } }),
      event(svc, 'Normal', 'IPAllocated', `Assigned IP ["${ip}"]`, SOURCE),
    ];
  },
};

/** One warning when the Service is written, not one per reconcile pass. */
function firstSyncOf(obj: KObject, ctx: ReconcileContext): boolean {
  return Date.parse(obj.metadata.creationTimestamp ?? '') === ctx.now && !ctx.store.events.has(refOf(obj), 'AllocationFailed');
}

/** The ingress controller publishes its address on the Ingresses it serves (see ingressServed). */
export const ingressStatusController: Controller<'Ingress'> = {
  name: 'ingress-status',
  kind: 'Ingress',
  reconcile(ing, ctx) {
    const address = ingressServed(ing, ctx.store) ? ingressControllerAddress(ctx.store) : undefined;
    const ingress = address ? [{ ip: address }] : undefined;
    if (JSON.stringify(ing.status?.loadBalancer?.ingress) === JSON.stringify(ingress)) return [];
    const actions: Action[] = [update({ ...ing, status: { loadBalancer: ingress ? { ingress } : {} } })];
    if (ingress) actions.push(event(ing, 'Normal', 'Sync', 'Scheduled for sync', 'nginx-ingress-controller'));
    return actions;
  },
};
