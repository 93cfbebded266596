import type { Service } from '../model/kinds';
import type { ServicePort } from '../model/k8s';
import type { ReadonlyObjectStore } from '../store/object-store';
import type { Random } from '../util/random';
import {
  attachRoute,
  conditionTrue,
  hostnameMatches,
  isGatewayParent,
  ownGateways,
  resolveBackend,
  type BackendRef,
  type Gateway,
  type HeaderModifier,
  type HTTPPathModifier,
  type HTTPRoute,
  type HTTPRouteFilter,
  type HTTPRouteMatch,
  type HTTPRouteRule,
  type Listener,
} from '../api/gateway-api';

/**
 * The data plane of kubesim's Gateway API implementation (`kubesim.io/gateway`): how a request
 * that reaches a programmed Gateway's listener is routed by the HTTPRoutes attached to it —
 * hostnames, path/method/header/query matches with the precedence the spec sets
 * (HTTPRouteRule's doc in apis/v1/httproute_types.go), the standard filters, and a weighted
 * choice among the rule's backendRefs drawn from the cluster's seeded PRNG. `kubesim curl` and
 * `kubesim traffic run --gateway` both route through here.
 */

/** A header as a request or response carries it: the name as written, looked up case-insensitively. */
export type Header = [name: string, value: string];

export interface GatewayRequest {
  scheme: 'http' | 'https';
  /** the Host header, without a port */
  host: string;
  port: number;
  /** path and query */
  path: string;
  method: string;
  headers: Header[];
}

/** Where a routed request goes: a Service port, with the request as the filters left it. */
export interface RoutedToBackend {
  type: 'backend';
  route: HTTPRoute;
  service: Service;
  port: ServicePort;
  request: GatewayRequest;
  responseHeaders: Header[];
}

/** An answer the Gateway gives itself: no route (404), a redirect, a backend it cannot use (500). */
export interface GatewayResponse {
  type: 'response';
  status: number;
  headers: Header[];
  body: string;
}

export type GatewayOutcome = RoutedToBackend | GatewayResponse;

export const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  301: 'Moved Permanently',
  302: 'Found',
  404: 'Not Found',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const response = (status: number, body: string, headers: Header[] = []): GatewayResponse => ({
  type: 'response',
  status,
  headers: [['Content-Type', 'text/plain'], ...headers],
  body,
});

export const gatewayAddress = (gw: Gateway): string | undefined => gw.status?.addresses?.[0]?.value;

function programmed(gw: Gateway): boolean {
  return conditionTrue(gw.status?.conditions, 'Programmed');
}

/** Whether the listener is programmed (its status says so). */
function listenerProgrammed(gw: Gateway, l: Listener): boolean {
  return conditionTrue(gw.status?.listeners?.find((s) => s.name === l.name)?.conditions, 'Programmed');
}

/** Routes attached to the listener `l` of `gw` (with the hostnames each serves there). */
function attachedRoutes(store: ReadonlyObjectStore, gw: Gateway, l: Listener): HTTPRoute[] {
  return (store.list('HTTPRoute') as HTTPRoute[]).filter((route) =>
    (route.spec?.parentRefs ?? []).some((ref) => {
      if (!isGatewayParent(ref) || ref.name !== gw.metadata.name || (ref.namespace ?? route.metadata.namespace) !== gw.metadata.namespace)
        return false;
      const a = attachRoute(store, route, ref);
      return a.accepted && a.listeners.some((x) => x.name === l.name);
    }),
  );
}

/** The Gateway a URL host reaches: one whose address it is, or (as DNS records an external-dns would publish) a hostname its listeners or routes serve. */
export function gatewayForHost(store: ReadonlyObjectStore, host: string, port: number): Gateway | undefined {
  const gateways = ownGateways(store).filter((gw) => programmed(gw) && (gw.spec?.listeners ?? []).some((l) => l.port === port));
  const byAddress = gateways.find((gw) => (gw.status?.addresses ?? []).some((a) => a.value === host));
  if (byAddress) return byAddress;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return undefined;
  return gateways.find((gw) =>
    (gw.spec?.listeners ?? []).some(
      (l) =>
        l.port === port &&
        ((l.hostname && hostnameMatches(l.hostname, host)) ||
          attachedRoutes(store, gw, l).some((r) => (r.spec?.hostnames ?? []).some((h) => hostnameMatches(h, host)))),
    ),
  );
}

/** The most specific listener on the port for the host: exact hostname, then the longest wildcard, then none. */
function listenerFor(gw: Gateway, host: string, port: number): Listener | undefined {
  let best: { score: number; listener: Listener } | undefined;
  for (const l of gw.spec?.listeners ?? []) {
    if (l.port !== port || !listenerProgrammed(gw, l)) continue;
    const score = hostnameScore(l.hostname, host);
    if (score >= 0 && (!best || score > best.score)) best = { score, listener: l };
  }
  return best?.listener;
}

/** How specifically a hostname pattern matches a host: -1 no match, 0 no pattern, wildcards by length, exact above all. */
function hostnameScore(pattern: string | undefined, host: string): number {
  if (!pattern) return 0;
  if (!hostnameMatches(pattern, host)) return -1;
  return pattern.startsWith('*.') ? pattern.length : 1000;
}

function splitPath(path: string): { pathname: string; query: URLSearchParams } {
  const q = path.indexOf('?');
  return q < 0
    ? { pathname: path, query: new URLSearchParams() }
    : { pathname: path.slice(0, q), query: new URLSearchParams(path.slice(q + 1)) };
}

/** PathPrefix matches by path element: `/foo` matches `/foo` and `/foo/bar`, not `/foobar`; a trailing slash in the prefix is ignored. */
function prefixMatches(prefix: string, pathname: string): boolean {
  const p = prefix.replace(/\/+$/, '');
  return p === '' || pathname === p || pathname.startsWith(`${p}/`);
}

const headerValue = (headers: Header[], name: string): string | undefined =>
  headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];

function matchScore(match: HTTPRouteMatch, req: GatewayRequest): number[] | undefined {
  const { pathname, query } = splitPath(req.path);
  const type = match.path?.type ?? 'PathPrefix';
  const value = match.path?.value ?? '/';
  let pathKey: number;
  if (type === 'Exact') {
    if (pathname !== value) return undefined;
    pathKey = 1e6;
  } else if (type === 'PathPrefix') {
    if (!prefixMatches(value, pathname)) return undefined;
    pathKey = value.length;
  } else {
    // RegularExpression (Implementation-specific support): a full match, below every prefix
    if (!new RegExp(`^(?:${value})$`).test(pathname)) return undefined;
    pathKey = -1;
  }
  if (match.method && match.method !== req.method) return undefined;
  for (const h of match.headers ?? []) {
    const got = headerValue(req.headers, h.name);
    if (got === undefined || ((h.type ?? 'Exact') === 'Exact' ? got !== h.value : !new RegExp(h.value).test(got))) return undefined;
  }
  for (const q of match.queryParams ?? []) {
    // query parameter names match exactly (case-sensitive); the first value counts
    const got = query.get(q.name);
    if (got === null || ((q.type ?? 'Exact') === 'Exact' ? got !== q.value : !new RegExp(q.value).test(got))) return undefined;
  }
  return [pathKey, match.method ? 1 : 0, (match.headers ?? []).length, (match.queryParams ?? []).length];
}

interface Candidate {
  route: HTTPRoute;
  rule: HTTPRouteRule;
  match: HTTPRouteMatch;
  key: number[];
  created: string;
  name: string;
  order: number;
}

/** Sort key comparison: larger first for the match keys, then the oldest route, then namespace/name, then rule order. */
function before(a: Candidate, b: Candidate): boolean {
  for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return a.key[i] > b.key[i];
  if (a.created !== b.created) return a.created < b.created;
  if (a.name !== b.name) return a.name < b.name;
  return a.order < b.order;
}

/**
 * The rule that takes the request. Across the listener's routes: the most specific hostname
 * (exact, then the longest wildcard, then routes without hostnames), then the spec's match
 * precedence — an Exact path, the longest PathPrefix, a method match, the most header matches,
 * the most query matches — then the oldest route, then `{namespace}/{name}`, then the first rule
 * and match in list order.
 */
function chooseRule(routes: HTTPRoute[], req: GatewayRequest): Candidate | undefined {
  let best: Candidate | undefined;
  for (const route of routes) {
    const hostnames = route.spec?.hostnames ?? [];
    const hostKey = hostnames.length ? Math.max(...hostnames.map((h) => hostnameScore(h, req.host))) : 0;
    if (hostKey < 0) continue;
    (route.spec?.rules ?? []).forEach((rule, r) => {
      const matches = rule.matches?.length ? rule.matches : [{ path: { type: 'PathPrefix' as const, value: '/' } }];
      matches.forEach((match, m) => {
        const score = matchScore(match, req);
        if (!score) return;
        const c: Candidate = {
          route,
          rule,
          match,
          key: [hostKey, ...score],
          created: route.metadata.creationTimestamp ?? '',
          name: `${route.metadata.namespace}/${route.metadata.name}`,
          order: r * 1000 + m,
        };
        if (!best || before(c, best)) best = c;
      });
    });
  }
  return best;
}

function modifyHeaders(headers: Header[], mod: HeaderModifier | undefined): Header[] {
  if (!mod) return headers;
  let out = headers.filter(([n]) => !(mod.remove ?? []).some((r) => r.toLowerCase() === n.toLowerCase()));
  for (const s of mod.set ?? []) {
    out = out.filter(([n]) => n.toLowerCase() !== s.name.toLowerCase());
    out.push([s.name, s.value]);
  }
  for (const a of mod.add ?? []) {
    const i = out.findIndex(([n]) => n.toLowerCase() === a.name.toLowerCase());
    if (i >= 0) out[i] = [out[i][0], `${out[i][1]},${a.value}`];
    else out.push([a.name, a.value]);
  }
  return out;
}

/** A path modifier applied to the request path (the query string is kept). */
function modifyPath(path: string, mod: HTTPPathModifier | undefined, match: HTTPRouteMatch): string {
  if (!mod) return path;
  const { pathname } = splitPath(path);
  const query = path.slice(pathname.length);
  if (mod.type === 'ReplaceFullPath') return `${mod.replaceFullPath ?? '/'}${query}`;
  // ReplacePrefixMatch: the matched prefix (by path element) is replaced
  const prefix = (match.path?.value ?? '/').replace(/\/+$/, '');
  const rest = pathname.slice(prefix.length);
  const replaced = `${(mod.replacePrefixMatch ?? '/').replace(/\/+$/, '')}${rest}`;
  return `${replaced || '/'}${query}`;
}

const WELL_KNOWN_PORT: Record<string, number> = { http: 80, https: 443 };

/** RequestRedirect: the Location, as the spec derives scheme, hostname, port and path from the request where unset. */
function redirect(filter: NonNullable<HTTPRouteFilter['requestRedirect']>, req: GatewayRequest, match: HTTPRouteMatch): GatewayResponse {
  const scheme = filter.scheme ?? req.scheme;
  const host = filter.hostname ?? req.host;
  // an unset port is the scheme's well-known port when the scheme is set, else the listener's
  const port = filter.port ?? (filter.scheme ? WELL_KNOWN_PORT[scheme] : req.port);
  const path = modifyPath(req.path, filter.path, match);
  const location = `${scheme}://${host}${port === WELL_KNOWN_PORT[scheme] ? '' : `:${port}`}${path}`;
  const status = filter.statusCode ?? 302;
  return { type: 'response', status, headers: [['Location', location]], body: '' };
}

/** The weighted choice among a rule's backendRefs (weight defaults to 1; 0 takes no traffic). */
function chooseBackend(refs: BackendRef[], random: Random): BackendRef | undefined {
  const total = refs.reduce((n, r) => n + (r.weight ?? 1), 0);
  if (total <= 0) return undefined;
  let pick = random.int(total);
  for (const r of refs) {
    pick -= r.weight ?? 1;
    if (pick < 0) return r;
  }
  return undefined;
}

/** The share of a rule's traffic each backendRef takes (what `traffic run --gateway` splits by). */
export function backendShares(refs: BackendRef[]): { ref: BackendRef; share: number }[] {
  const total = refs.reduce((n, r) => n + (r.weight ?? 1), 0);
  return refs.map((ref) => ({ ref, share: total > 0 ? (ref.weight ?? 1) / total : 0 }));
}

/** The rule a request to `gw` takes, or the Gateway's own 404 when none matches. */
export function matchRequest(
  store: ReadonlyObjectStore,
  gw: Gateway,
  req: GatewayRequest,
): { route: HTTPRoute; rule: HTTPRouteRule; match: HTTPRouteMatch } | GatewayResponse {
  const listener = listenerFor(gw, req.host, req.port);
  const candidate = listener ? chooseRule(attachedRoutes(store, gw, listener), req) : undefined;
  if (!candidate) return response(404, 'no route matches the request\n');
  return candidate;
}

/** Routes one request through the Gateway: its rule, its filters, and one backend drawn by weight. */
export function routeGatewayRequest(store: ReadonlyObjectStore, random: Random, gw: Gateway, req: GatewayRequest): GatewayOutcome {
  const matched = matchRequest(store, gw, req);
  if ('type' in matched) return matched;
  const { route, rule, match } = matched;
  let request = { ...req };
  let responseHeaders: Header[] = [];
  for (const f of rule.filters ?? []) {
    if (f.type === 'RequestRedirect' && f.requestRedirect) return redirect(f.requestRedirect, req, match);
    if (f.type === 'RequestHeaderModifier') request.headers = modifyHeaders(request.headers, f.requestHeaderModifier);
    if (f.type === 'ResponseHeaderModifier') responseHeaders = modifyHeaders(responseHeaders, f.responseHeaderModifier);
    if (f.type === 'URLRewrite' && f.urlRewrite) {
      request = { ...request, path: modifyPath(request.path, f.urlRewrite.path, match), host: f.urlRewrite.hostname ?? request.host };
    }
  }
  // a rule without backendRefs (and no redirect) answers 500, as does a backend that cannot be used
  const ref = chooseBackend(rule.backendRefs ?? [], random);
  if (!ref) return response(500, 'the rule has no backend to send the request to\n');
  const resolved = resolveBackend(store, route, ref);
  if (!resolved.resolved) return response(500, `${resolved.reason}: ${resolved.message}\n`);
  const service = store.get('Service', resolved.namespace, ref.name)!;
  const port = (service.spec?.ports ?? []).find((p) => p.port === ref.port);
  if (!port) return response(500, `BackendNotFound: Service ${resolved.namespace}/${ref.name} has no port ${ref.port}\n`);
  for (const f of ref.filters ?? []) {
    if (f.type === 'RequestHeaderModifier') request.headers = modifyHeaders(request.headers, f.requestHeaderModifier);
    if (f.type === 'ResponseHeaderModifier') responseHeaders = modifyHeaders(responseHeaders, f.responseHeaderModifier);
  }
  return { type: 'backend', route, service, port, request, responseHeaders };
}
