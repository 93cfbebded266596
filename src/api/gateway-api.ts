import type { KObject } from '../model/objects';
import type { Condition } from '../model/k8s';
import type { ReadonlyObjectStore } from '../store/object-store';
import { fromLabelSelector, matches } from './labels';

/**
 * The Gateway API (gateway.networking.k8s.io, standard channel v1.2) as the built-in
 * `kubesim.io/gateway` controller and the simulated data plane read it: which listeners a
 * route attaches to, whether a reference across namespaces is granted, whether a backend
 * resolves. The kinds themselves are CRDs (third_party/gateway-api), so these are the
 * fields kubesim reads, typed here rather than generated.
 */

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
/** spec.controllerName of the GatewayClasses kubesim's controller programs */
export const KUBESIM_GATEWAY_CONTROLLER = 'kubesim.io/gateway';

export interface ParentReference {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  sectionName?: string;
  port?: number;
}

export interface RouteGroupKind {
  group?: string;
  kind: string;
}

export interface Listener {
  name: string;
  hostname?: string;
  port: number;
  protocol: string;
  tls?: { mode?: string; certificateRefs?: { group?: string; kind?: string; name: string; namespace?: string }[] };
  allowedRoutes?: {
    namespaces?: { from?: 'All' | 'Same' | 'Selector'; selector?: Parameters<typeof fromLabelSelector>[0] };
    kinds?: RouteGroupKind[];
  };
}

export interface ListenerStatus {
  name: string;
  supportedKinds: RouteGroupKind[];
  attachedRoutes: number;
  conditions: Condition[];
}

export type GatewayClass = KObject<{ controllerName: string; description?: string }, { conditions?: Condition[] }>;
export type Gateway = KObject<
  { gatewayClassName: string; listeners: Listener[]; addresses?: { type?: string; value: string }[] },
  { addresses?: { type?: string; value: string }[]; conditions?: Condition[]; listeners?: ListenerStatus[] }
>;

export interface HTTPHeader {
  name: string;
  value: string;
}
export interface HeaderModifier {
  set?: HTTPHeader[];
  add?: HTTPHeader[];
  remove?: string[];
}
export interface HTTPPathModifier {
  type: 'ReplaceFullPath' | 'ReplacePrefixMatch';
  replaceFullPath?: string;
  replacePrefixMatch?: string;
}
export interface HTTPRouteFilter {
  type: string;
  requestHeaderModifier?: HeaderModifier;
  responseHeaderModifier?: HeaderModifier;
  requestRedirect?: { scheme?: string; hostname?: string; path?: HTTPPathModifier; port?: number; statusCode?: number };
  urlRewrite?: { hostname?: string; path?: HTTPPathModifier };
  requestMirror?: unknown;
  extensionRef?: unknown;
}
export interface HTTPRouteMatch {
  path?: { type?: 'Exact' | 'PathPrefix' | 'RegularExpression'; value?: string };
  headers?: { type?: 'Exact' | 'RegularExpression'; name: string; value: string }[];
  queryParams?: { type?: 'Exact' | 'RegularExpression'; name: string; value: string }[];
  method?: string;
}
export interface BackendRef {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
  port?: number;
  weight?: number;
  filters?: HTTPRouteFilter[];
}
export interface HTTPRouteRule {
  name?: string;
  matches?: HTTPRouteMatch[];
  filters?: HTTPRouteFilter[];
  backendRefs?: BackendRef[];
}
export interface RouteParentStatus {
  parentRef: ParentReference;
  controllerName: string;
  conditions: Condition[];
}
export type HTTPRoute = KObject<
  { parentRefs?: ParentReference[]; hostnames?: string[]; rules?: HTTPRouteRule[] },
  { parents?: RouteParentStatus[] }
>;
type ReferenceGrant = KObject<{
  from: { group: string; kind: string; namespace: string }[];
  to: { group: string; kind: string; name?: string }[];
}>;

export const conditionTrue = (conditions: Condition[] | undefined, type: string): boolean =>
  (conditions ?? []).some((c) => c.type === type && c.status === 'True');

/** The GatewayClass of a Gateway when kubesim's controller programs it and has accepted it. */
export function ownGatewayClass(store: ReadonlyObjectStore, gw: Gateway): GatewayClass | undefined {
  const cls = store.get('GatewayClass', undefined, gw.spec?.gatewayClassName ?? '') as GatewayClass | undefined;
  return cls?.spec?.controllerName === KUBESIM_GATEWAY_CONTROLLER ? cls : undefined;
}

/** Gateways kubesim programs (their class is ours), in namespace/name order. */
export function ownGateways(store: ReadonlyObjectStore): Gateway[] {
  return (store.list('Gateway') as Gateway[]).filter((gw) => ownGatewayClass(store, gw) !== undefined);
}

/**
 * ReferenceGrant: a reference from an object of `from` (group, kind, namespace) to an object in
 * another namespace is allowed only when a ReferenceGrant in the target's namespace lists both
 * (same-namespace references need none).
 */
export function referenceGranted(
  store: ReadonlyObjectStore,
  from: { group: string; kind: string; namespace: string },
  to: { group: string; kind: string; namespace: string; name: string },
): boolean {
  if (from.namespace === to.namespace) return true;
  return (store.list('ReferenceGrant', to.namespace) as ReferenceGrant[]).some(
    (g) =>
      (g.spec?.from ?? []).some((f) => f.group === from.group && f.kind === from.kind && f.namespace === from.namespace) &&
      (g.spec?.to ?? []).some((t) => t.group === to.group && t.kind === to.kind && (!t.name || t.name === to.name)),
  );
}

/** Listener protocols the kubesim data plane serves, and the route kinds each accepts. */
const SUPPORTED_KINDS: Record<string, string[]> = { HTTP: ['HTTPRoute'], HTTPS: ['HTTPRoute'] };

export function supportedProtocol(listener: Listener): boolean {
  return listener.protocol in SUPPORTED_KINDS;
}

/** The route kinds a listener allows: its allowedRoutes.kinds that kubesim supports, else the protocol's defaults. */
export function listenerKinds(listener: Listener): { supported: RouteGroupKind[]; invalid: RouteGroupKind[] } {
  const defaults = SUPPORTED_KINDS[listener.protocol] ?? [];
  const wanted = listener.allowedRoutes?.kinds;
  if (!wanted?.length) return { supported: defaults.map((kind) => ({ group: GATEWAY_GROUP, kind })), invalid: [] };
  const supported = wanted.filter((k) => (k.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && defaults.includes(k.kind));
  return {
    supported: supported.map((k) => ({ group: GATEWAY_GROUP, kind: k.kind })),
    invalid: wanted.filter((k) => !supported.includes(k)),
  };
}

/** A hostname matches a listener's or route's pattern: exact, or `*.example.com` for one or more labels before it. */
export function hostnameMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (!p.startsWith('*.')) return p === h;
  return h.endsWith(p.slice(1)) && h.length > p.length - 1;
}

/** Whether a route's hostnames and a listener's hostname have any host in common (no hostname: any). */
export function hostnamesIntersect(listenerHost: string | undefined, routeHosts: string[] | undefined): boolean {
  if (!listenerHost || !routeHosts?.length) return true;
  return routeHosts.some((r) => hostnameMatches(listenerHost, r) || hostnameMatches(r, listenerHost));
}

function namespaceAllowed(store: ReadonlyObjectStore, gw: Gateway, listener: Listener, routeNamespace: string): boolean {
  const from = listener.allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return routeNamespace === gw.metadata.namespace;
  const selector = fromLabelSelector(listener.allowedRoutes?.namespaces?.selector);
  const ns = store.get('Namespace', undefined, routeNamespace);
  return !!selector && !!ns && matches(selector, ns.metadata.labels ?? {});
}

export function isGatewayParent(ref: ParentReference): boolean {
  return (ref.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && (ref.kind ?? 'Gateway') === 'Gateway';
}

/** Where a parentRef of a route lands: the listeners it attaches to, or the spec's reason it does not. */
export type Attachment =
  | { accepted: true; gateway: Gateway; listeners: Listener[] }
  | {
      accepted: false;
      gateway?: Gateway;
      reason: 'NoMatchingParent' | 'NotAllowedByListeners' | 'NoMatchingListenerHostname';
      message: string;
    };

export function attachRoute(store: ReadonlyObjectStore, route: HTTPRoute, ref: ParentReference): Attachment {
  const namespace = ref.namespace ?? route.metadata.namespace ?? 'default';
  const gw = store.get('Gateway', namespace, ref.name) as Gateway | undefined;
  if (!gw || !isGatewayParent(ref))
    return { accepted: false, reason: 'NoMatchingParent', message: `Gateway ${namespace}/${ref.name} not found` };
  let listeners = (gw.spec?.listeners ?? []).filter(
    (l) => (ref.sectionName === undefined || l.name === ref.sectionName) && (ref.port === undefined || l.port === ref.port),
  );
  if (!listeners.length)
    return {
      accepted: false,
      gateway: gw,
      reason: 'NoMatchingParent',
      message: 'No listener matches the sectionName and port of the parentRef',
    };
  listeners = listeners.filter(
    (l) =>
      supportedProtocol(l) &&
      listenerKinds(l).supported.some((k) => k.kind === route.kind) &&
      namespaceAllowed(store, gw, l, route.metadata.namespace ?? 'default'),
  );
  if (!listeners.length)
    return { accepted: false, gateway: gw, reason: 'NotAllowedByListeners', message: "No listener's allowedRoutes admits this route" };
  listeners = listeners.filter((l) => hostnamesIntersect(l.hostname, route.spec?.hostnames));
  if (!listeners.length)
    return {
      accepted: false,
      gateway: gw,
      reason: 'NoMatchingListenerHostname',
      message: "No listener's hostname matches the route's hostnames",
    };
  return { accepted: true, gateway: gw, listeners };
}

/** Whether a backendRef resolves (a Service that exists, in a namespace the route may refer to), with the spec's reason if not. */
export type BackendResolution =
  | { resolved: true; namespace: string }
  | { resolved: false; reason: 'BackendNotFound' | 'RefNotPermitted' | 'InvalidKind'; message: string };

export function resolveBackend(store: ReadonlyObjectStore, route: HTTPRoute, ref: BackendRef): BackendResolution {
  const group = ref.group ?? '';
  const kind = ref.kind ?? 'Service';
  const routeNamespace = route.metadata.namespace ?? 'default';
  const namespace = ref.namespace ?? routeNamespace;
  if (group !== '' || kind !== 'Service')
    return {
      resolved: false,
      reason: 'InvalidKind',
      message: `Unsupported backend kind ${kind}${group ? `.${group}` : ''}: only Services`,
    };
  if (
    !referenceGranted(
      store,
      { group: GATEWAY_GROUP, kind: route.kind, namespace: routeNamespace },
      { group: '', kind: 'Service', namespace, name: ref.name },
    )
  )
    return {
      resolved: false,
      reason: 'RefNotPermitted',
      message: `Backend ref to Service ${namespace}/${ref.name} not permitted by any ReferenceGrant`,
    };
  if (!store.get('Service', namespace, ref.name))
    return { resolved: false, reason: 'BackendNotFound', message: `Service ${namespace}/${ref.name} not found` };
  return { resolved: true, namespace };
}
