import { event, update, type Action } from '../reconcile/actions';
import type { Controller } from '../reconcile/controller';
import type { Condition } from '../model/k8s';
import type { ReadonlyObjectStore } from '../store/object-store';
import { toRFC3339 } from '../util/duration';
import {
  attachRoute,
  conditionTrue,
  GATEWAY_GROUP,
  isGatewayParent,
  KUBESIM_GATEWAY_CONTROLLER,
  listenerKinds,
  ownGatewayClass,
  referenceGranted,
  resolveBackend,
  supportedProtocol,
  type Gateway,
  type GatewayClass,
  type HTTPRoute,
  type Listener,
  type ListenerStatus,
  type RouteParentStatus,
} from '../api/gateway-api';
import { loadBalancerPool, usedLoadBalancerAddresses } from './service-lb';

/**
 * kubesim's own Gateway API implementation, the controller of GatewayClasses whose
 * spec.controllerName is `kubesim.io/gateway`: it accepts the class, programs each Gateway of
 * it (an address from the LoadBalancer pool, as a cloud or MetalLB gives the Service in front of
 * a real implementation's proxy; each listener's status) and writes each HTTPRoute's status per
 * parent. Condition types and reasons are the spec's (apis/v1/gateway_types.go and
 * shared_types.go of gateway-api v1.2.1); the messages are kubesim's own, as every
 * implementation's are. The data plane that follows these objects is src/sim/gateway-routing.ts.
 */
const SOURCE = 'kubesim-gateway-controller';

/**
 * A condition as metav1.Condition: lastTransitionTime moves only when the status changes, and
 * observedGeneration is the generation the controller read.
 */
function condition(
  previous: Condition[] | undefined,
  type: string,
  status: 'True' | 'False' | 'Unknown',
  reason: string,
  message: string,
  generation: number | undefined,
  now: number,
): Condition {
  const before = (previous ?? []).find((c) => c.type === type);
  return {
    type,
    status,
    reason,
    message,
    observedGeneration: generation,
    lastTransitionTime: before && before.status === status ? before.lastTransitionTime : toRFC3339(now),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export const gatewayClassController: Controller<'GatewayClass'> = {
  name: 'gateway-class',
  kind: 'GatewayClass',
  reconcile(obj, ctx) {
    const cls = obj as GatewayClass;
    if (cls.spec?.controllerName !== KUBESIM_GATEWAY_CONTROLLER) return [];
    const gen = cls.metadata.generation;
    const conditions = [
      condition(cls.status?.conditions, 'Accepted', 'True', 'Accepted', 'Valid GatewayClass', gen, ctx.now),
      condition(
        cls.status?.conditions,
        'SupportedVersion',
        'True',
        'SupportedVersion',
        'Gateway API CRDs v1.2 are supported',
        gen,
        ctx.now,
      ),
    ];
    if (same(conditions, cls.status?.conditions)) return [];
    return [update({ ...cls, status: { ...(cls.status ?? {}), conditions } })];
  },
};

/** What one listener is, as its status says: whether it is valid, and its conditions. */
function listenerStatus(
  store: ReadonlyObjectStore,
  gw: Gateway,
  l: Listener,
  attached: number,
  now: number,
): ListenerStatus & { valid: boolean } {
  const previous = gw.status?.listeners?.find((s) => s.name === l.name)?.conditions;
  const gen = gw.metadata.generation;
  const kinds = listenerKinds(l);
  let problem: { type: 'Accepted' | 'ResolvedRefs'; reason: string; message: string } | undefined;
  if (!supportedProtocol(l))
    problem = {
      type: 'Accepted',
      reason: 'UnsupportedProtocol',
      message: `Protocol ${l.protocol} is not supported by kubesim.io/gateway (HTTP, HTTPS)`,
    };
  else if (kinds.invalid.length)
    problem = {
      type: 'ResolvedRefs',
      reason: 'InvalidRouteKinds',
      message: `Route kinds not supported: ${kinds.invalid.map((k) => k.kind).join(', ')}`,
    };
  else if (l.protocol === 'HTTPS') {
    for (const ref of l.tls?.certificateRefs ?? []) {
      const namespace = ref.namespace ?? gw.metadata.namespace ?? 'default';
      const isSecret = (ref.group ?? '') === '' && (ref.kind ?? 'Secret') === 'Secret';
      if (!isSecret)
        problem = { type: 'ResolvedRefs', reason: 'InvalidCertificateRef', message: `Certificate ref ${ref.name} is not a Secret` };
      else if (
        !referenceGranted(
          store,
          { group: GATEWAY_GROUP, kind: 'Gateway', namespace: gw.metadata.namespace ?? 'default' },
          { group: '', kind: 'Secret', namespace, name: ref.name },
        )
      )
        problem = {
          type: 'ResolvedRefs',
          reason: 'RefNotPermitted',
          message: `Certificate ref to Secret ${namespace}/${ref.name} not permitted by any ReferenceGrant`,
        };
      else if (!store.get('Secret', namespace, ref.name))
        problem = { type: 'ResolvedRefs', reason: 'InvalidCertificateRef', message: `Secret ${namespace}/${ref.name} does not exist` };
      if (problem) break;
    }
  }
  const accepted = problem?.type === 'Accepted' ? problem : undefined;
  const refs = problem?.type === 'ResolvedRefs' ? problem : undefined;
  const conditions = [
    accepted
      ? condition(previous, 'Accepted', 'False', accepted.reason, accepted.message, gen, now)
      : condition(previous, 'Accepted', 'True', 'Accepted', 'Listener is accepted', gen, now),
    refs
      ? condition(previous, 'ResolvedRefs', 'False', refs.reason, refs.message, gen, now)
      : condition(previous, 'ResolvedRefs', 'True', 'ResolvedRefs', 'All references resolved', gen, now),
    problem
      ? condition(previous, 'Programmed', 'False', 'Invalid', problem.message, gen, now)
      : condition(previous, 'Programmed', 'True', 'Programmed', 'Listener is programmed', gen, now),
  ];
  return { name: l.name, supportedKinds: kinds.supported, attachedRoutes: attached, conditions, valid: !problem };
}

/** How many routes each listener of `gw` has attached (a route counts once per listener it attaches to). */
function attachedRoutes(store: ReadonlyObjectStore, gw: Gateway): Map<string, number> {
  const counts = new Map<string, number>();
  for (const route of store.list('HTTPRoute') as HTTPRoute[]) {
    for (const ref of route.spec?.parentRefs ?? []) {
      if (!isGatewayParent(ref) || ref.name !== gw.metadata.name || (ref.namespace ?? route.metadata.namespace) !== gw.metadata.namespace)
        continue;
      const a = attachRoute(store, route, ref);
      if (a.accepted) for (const l of a.listeners) counts.set(l.name, (counts.get(l.name) ?? 0) + 1);
    }
  }
  return counts;
}

/** The Gateway's address: the one it has, the one it asks for if the pool has it free, else the pool's lowest free one. */
function gatewayAddress(store: ReadonlyObjectStore, gw: Gateway): { ip?: string; problem?: { reason: string; message: string } } {
  const pool = loadBalancerPool(store);
  const used = usedLoadBalancerAddresses(store, gw.metadata.uid);
  const wanted = (gw.spec?.addresses ?? []).filter((a) => (a.type ?? 'IPAddress') === 'IPAddress').map((a) => a.value);
  if ((gw.spec?.addresses ?? []).some((a) => (a.type ?? 'IPAddress') !== 'IPAddress'))
    return { problem: { reason: 'AddressNotUsable', message: 'Only IPAddress addresses are supported by kubesim.io/gateway' } };
  if (wanted.length) {
    const ip = wanted[0];
    if (!pool.includes(ip) || used.has(ip))
      return {
        problem: {
          reason: 'AddressNotUsable',
          message: `Address ${ip} is ${used.has(ip) ? 'already in use' : 'not in the LoadBalancer pool'}`,
        },
      };
    return { ip };
  }
  const current = gw.status?.addresses?.[0]?.value;
  if (current && pool.includes(current) && !used.has(current)) return { ip: current };
  const ip = pool.find((a) => !used.has(a));
  return ip ? { ip } : { problem: { reason: 'AddressNotAssigned', message: 'No available address in the LoadBalancer pool' } };
}

export const gatewayController: Controller<'Gateway'> = {
  name: 'gateway',
  kind: 'Gateway',
  dependsOn: ['GatewayClass', 'HTTPRoute', 'Secret', 'ReferenceGrant', 'Namespace', 'Service', 'ConfigMap'],
  reconcile(obj, ctx) {
    const gw = obj as Gateway;
    const cls = ownGatewayClass(ctx.store, gw);
    if (!cls || !conditionTrue(cls.status?.conditions, 'Accepted')) return [];
    const gen = gw.metadata.generation;
    const counts = attachedRoutes(ctx.store, gw);
    const listeners = (gw.spec?.listeners ?? []).map((l) => listenerStatus(ctx.store, gw, l, counts.get(l.name) ?? 0, ctx.now));
    const valid = listeners.filter((l) => l.valid).length;
    const address = gatewayAddress(ctx.store, gw);
    const previous = gw.status?.conditions;
    const accepted =
      valid === listeners.length
        ? condition(previous, 'Accepted', 'True', 'Accepted', 'Gateway is accepted', gen, ctx.now)
        : condition(
            previous,
            'Accepted',
            valid ? 'True' : 'False',
            'ListenersNotValid',
            `${listeners.length - valid} listener(s) are not valid`,
            gen,
            ctx.now,
          );
    const programmed = address.problem
      ? condition(previous, 'Programmed', 'False', address.problem.reason, address.problem.message, gen, ctx.now)
      : valid
        ? condition(
            previous,
            'Programmed',
            'True',
            'Programmed',
            `Address assigned to the Gateway, ${valid} listener(s) programmed`,
            gen,
            ctx.now,
          )
        : condition(previous, 'Programmed', 'False', 'Invalid', 'No valid listener', gen, ctx.now);
    const status = {
      ...(address.ip ? { addresses: [{ type: 'IPAddress', value: address.ip }] } : {}),
      conditions: [accepted, programmed],
      listeners: listeners.map(({ valid: _valid, ...l }) => l),
    };
    if (same(status, gw.status)) return [];
    const actions: Action[] = [update({ ...gw, status })];
    if (address.ip && address.ip !== gw.status?.addresses?.[0]?.value)
      actions.push(event(gw, 'Normal', 'AddressAssigned', `Assigned address ${address.ip} from the LoadBalancer pool`, SOURCE));
    return actions;
  },
};

/** The status of one parentRef: Accepted (attached to a listener) and ResolvedRefs (every backend resolves). */
function parentStatus(store: ReadonlyObjectStore, route: HTTPRoute, ref: RouteParentStatus['parentRef'], now: number): RouteParentStatus {
  const previous = route.status?.parents?.find(
    (p) => same(p.parentRef, ref) && p.controllerName === KUBESIM_GATEWAY_CONTROLLER,
  )?.conditions;
  const gen = route.metadata.generation;
  const a = attachRoute(store, route, ref);
  const accepted = a.accepted
    ? condition(previous, 'Accepted', 'True', 'Accepted', 'Route is accepted', gen, now)
    : condition(previous, 'Accepted', 'False', a.reason, a.message, gen, now);
  let unresolved: { reason: string; message: string } | undefined;
  for (const rule of route.spec?.rules ?? []) {
    for (const backend of rule.backendRefs ?? []) {
      const r = resolveBackend(store, route, backend);
      if (!r.resolved) {
        unresolved = r;
        break;
      }
    }
    if (unresolved) break;
  }
  const resolved = unresolved
    ? condition(previous, 'ResolvedRefs', 'False', unresolved.reason, unresolved.message, gen, now)
    : condition(previous, 'ResolvedRefs', 'True', 'ResolvedRefs', 'All references resolved', gen, now);
  return { parentRef: ref, controllerName: KUBESIM_GATEWAY_CONTROLLER, conditions: [accepted, resolved] };
}

export const httpRouteController: Controller<'HTTPRoute'> = {
  name: 'httproute',
  kind: 'HTTPRoute',
  dependsOn: ['Gateway', 'GatewayClass', 'Service', 'ReferenceGrant', 'Namespace'],
  reconcile(obj, ctx) {
    const route = obj as HTTPRoute;
    // the parents this controller speaks for: refs to Gateways of a kubesim class (other controllers' entries are kept)
    const ours = (route.spec?.parentRefs ?? []).filter((ref) => {
      const gw = isGatewayParent(ref)
        ? (ctx.store.get('Gateway', ref.namespace ?? route.metadata.namespace, ref.name) as Gateway | undefined)
        : undefined;
      return gw !== undefined && ownGatewayClass(ctx.store, gw) !== undefined;
    });
    const others = (route.status?.parents ?? []).filter((p) => p.controllerName !== KUBESIM_GATEWAY_CONTROLLER);
    const parents = [...others, ...ours.map((ref) => parentStatus(ctx.store, route, ref, ctx.now))];
    if (same(parents, route.status?.parents ?? [])) return [];
    return [update({ ...route, status: { ...(route.status ?? {}), parents } })];
  },
};
