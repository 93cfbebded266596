import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError, notFound } from '../../util/errors';
import { collect } from './apply';
import type { ServiceLike } from '../../model/kinds';
import type { ServicePort } from '../../model/k8s';
import type { ObjectStore } from '../../store/object-store';
import type { Random } from '../../util/random';
import { isPodReady } from '../../api/kinds/pod';
import { ingressControllerAddress, isIngressControllerPod } from '../../api/kinds/ingress';
import { nodeAddress } from '../../api/kinds/node';
import { entryFor, pickEndpoint, routeIngress, tlsCertificateFor, type Backend } from '../../sim/service-routing';
import { connectionAllowed, type NetworkEndpoint } from '../../sim/network-policy';
import { gatewayAddress, gatewayForHost, routeGatewayRequest, STATUS_TEXT, type Header } from '../../sim/gateway-routing';
import { resolveName } from '../../sim/service-routing';
import type { Gateway } from '../../api/gateway-api';

/**
 * The client a request comes from when no --from pod is given: a throwaway pod with no labels
 * in the namespace (as `kubectl run tmp --rm -it --image=curlimages/curl`), so policies that
 * select every pod of the namespace apply to it too.
 */
const DEFAULT_CLIENT_IP = '10.244.0.1';

/**
 * CoreDNS as NetworkPolicies see it: kube-dns's ClusterIP on kind/kubeadm and the labels of the
 * coredns pods in kube-system (what an "allow DNS" egress rule selects). A pod whose egress
 * policies do not allow UDP 53 to it cannot resolve names.
 */
const CLUSTER_DNS: NetworkEndpoint = {
  ip: '10.96.0.10',
  pod: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } } },
};

/**
 * How long a connect takes to fail when a policy drops its packets (an enforcing CNI drops, it
 * does not reject): Linux gives up after tcp_syn_retries=6 retransmissions, 1+2+…+64 s.
 */
const KERNEL_CONNECT_TIMEOUT_MS = 127_000;

interface Request {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  path: string;
  hostHeader: string;
  method: string;
  /** the -H headers other than Host, in the order given */
  headers: Header[];
  client: NetworkEndpoint;
  namespace: string;
  insecure: boolean;
  /** curl's --connect-timeout/--max-time in ms (the shorter), if given */
  timeoutMs?: number;
}

/** An HTTP answer (status 200 unless said, with the response headers `-i` shows), or curl's own failure. */
type Outcome = { body: string; status?: number; headers?: Header[] } | { curlError: number; message: string };

function parseUrl(text: string): { scheme: 'http' | 'https'; host: string; port: number; path: string } {
  const withScheme = /^[a-z]+:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new CliError(`curl: (3) URL rejected: Malformed input to a URL function`);
  }
  const scheme = url.protocol === 'https:' ? 'https' : url.protocol === 'http:' ? 'http' : undefined;
  if (!scheme) throw new CliError(`curl: (1) Protocol "${url.protocol.slice(0, -1)}" not supported`);
  return {
    scheme,
    host: url.hostname,
    port: url.port ? Number(url.port) : scheme === 'https' ? 443 : 80,
    path: `${url.pathname}${url.search}`,
  };
}

/** curl's seconds arguments: a non-negative decimal number. */
function parseSeconds(text: string, flag: string): number {
  if (!/^\d+(\.\d+)?$/.test(text))
    throw new CliError(`curl: option ${flag}: expected a proper numerical parameter`, { raw: true, exitCode: 2 });
  return Math.round(Number(text) * 1000);
}

function nginxPage(code: string): { body: string; status: number } {
  return { status: Number(code.split(' ')[0]), body: nginxBody(code) };
}

function nginxBody(code: string): string {
  return `<html>\n<head><title>${code}</title></head>\n<body>\n<center><h1>${code}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n`;
}

/** Go's textproto.CanonicalMIMEHeaderKey, as whoami prints header names: `x-canary` → `X-Canary`. */
const canonicalHeader = (name: string) =>
  name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());

/**
 * What the answering pod sends back (a whoami-style echo): which pod answered, and the request
 * as it arrived (the Host header, then the other headers sorted by name, as Go writes them).
 */
function echo(backend: Backend, req: Pick<Request, 'method' | 'path' | 'hostHeader' | 'headers'>): string {
  const headers = req.headers
    .map(([n, v]) => `${canonicalHeader(n)}: ${v}\n`)
    .sort()
    .join('');
  return `Hostname: ${backend.pod}\nIP: ${backend.ip}\n${req.method} ${req.path} HTTP/1.1\nHost: ${req.hostHeader}\n${headers}`;
}

const connectError = (req: Request): Outcome => ({
  curlError: 7,
  message: `Failed to connect to ${req.host} port ${req.port} after 0 ms: Couldn't connect to server`,
});

/** curl's exit 28 when the SYNs go unanswered: its own timeout if one was given, else the kernel's. */
const timedOut = (req: Request): Outcome =>
  req.timeoutMs !== undefined
    ? { curlError: 28, message: `Connection timed out after ${req.timeoutMs} milliseconds` }
    : {
        curlError: 28,
        message: `Failed to connect to ${req.host} port ${req.port} after ${KERNEL_CONNECT_TIMEOUT_MS} ms: Couldn't connect to server`,
      };

/** The backend pod as a network endpoint (what NetworkPolicies select). */
function backendEndpoint(store: ObjectStore, svc: ServiceLike, backend: Backend): NetworkEndpoint {
  return { ip: backend.ip, pod: store.get('Pod', svc.metadata.namespace, backend.pod) };
}

const protocolOf = (port: ServicePort | undefined): string => port?.protocol ?? 'TCP';

function viaService(store: ObjectStore, random: Random, req: Request, svc: ServiceLike, port: ServicePort, viaNode?: string): Outcome {
  const local = svc.spec?.externalTrafficPolicy === 'Local';
  const backend = pickEndpoint(store, svc, port, req.client.ip, random, viaNode && local ? { onNode: viaNode } : {});
  // kube-proxy rejects traffic to a Service without ready endpoints
  if (!backend) return connectError(req);
  const protocol = protocolOf(port);
  const external = viaNode !== undefined || (svc.status?.loadBalancer?.ingress ?? []).some((i) => i.ip === req.host);
  let source = req.client;
  if (external) {
    // the client reaches a node first (its NodePort, or the load balancer in front of the nodes)…
    if (!connectionAllowed(store, { from: req.client, to: { ip: req.host }, port: req.port, protocol }).allowed) return timedOut(req);
    // …which forwards it: kube-proxy SNATs to the node's address unless externalTrafficPolicy is Local
    const node = store.get('Node', undefined, viaNode ?? backend.nodeName ?? '');
    source = { ip: local || !node ? req.client.ip : (nodeAddress(node, 'InternalIP') ?? req.client.ip) };
  }
  const to = backendEndpoint(store, svc, backend);
  if (!connectionAllowed(store, { from: source, to, port: backend.port, protocol }).allowed) return timedOut(req);
  return { body: echo(backend, req) };
}

/** Where ingress-nginx proxies from: a Ready controller pod once one is deployed, else the node it listens on. */
function ingressControllerEndpoint(store: ObjectStore): NetworkEndpoint {
  const pod = store.list('Pod').find((p) => isIngressControllerPod(p) && isPodReady(p) && !p.metadata.deletionTimestamp);
  return pod ? { ip: pod.status?.podIP ?? '', pod } : { ip: ingressControllerAddress(store) ?? '' };
}

function viaIngress(store: ObjectStore, random: Random, req: Request): Outcome {
  const controller = ingressControllerEndpoint(store);
  if (!connectionAllowed(store, { from: req.client, to: controller, port: req.port, protocol: 'TCP' }).allowed) return timedOut(req);
  if (req.scheme === 'https' && !req.insecure && tlsCertificateFor(store, req.hostHeader) !== 'valid') {
    // ingress-nginx serves its self-signed "Kubernetes Ingress Controller Fake Certificate"
    return { curlError: 60, message: 'SSL certificate problem: self-signed certificate' };
  }
  const route = routeIngress(store, req.hostHeader, req.path);
  if (!route?.backend?.service) return nginxPage('404 Not Found');
  const svc = store.get('Service', route.ingress.metadata.namespace, route.backend.service.name);
  const want = route.backend.service.port ?? {};
  const port = (svc?.spec?.ports ?? []).find((p) => (want.number !== undefined ? p.port === want.number : p.name === want.name));
  const backend = svc && port ? pickEndpoint(store, svc, port, req.client.ip, random) : undefined;
  if (!backend) return nginxPage('503 Service Temporarily Unavailable');
  // a policy that drops the controller's connection: nginx gives up after proxy-connect-timeout
  const to = backendEndpoint(store, svc!, backend);
  if (!connectionAllowed(store, { from: controller, to, port: backend.port, protocol: protocolOf(port) }).allowed)
    return nginxPage('504 Gateway Time-out');
  return { body: echo(backend, req) };
}

/**
 * A request to a Gateway of kubesim's controller: routed by its HTTPRoutes to a backend Service,
 * whose endpoint kube-proxy picks; the Gateway answers 404 (no route), 3xx (a redirect) or 500 (a
 * backend it may not use) itself, 503 when the backend has no ready endpoint.
 */
function viaGateway(store: ObjectStore, random: Random, req: Request, gw: Gateway): Outcome {
  const address = gatewayAddress(gw) ?? '';
  if (!connectionAllowed(store, { from: req.client, to: { ip: address }, port: req.port, protocol: 'TCP' }).allowed) return timedOut(req);
  const outcome = routeGatewayRequest(store, random, gw, {
    scheme: req.scheme,
    host: req.hostHeader.replace(/:\d+$/, ''),
    port: req.port,
    path: req.path,
    method: req.method,
    headers: req.headers,
  });
  if (outcome.type === 'response') return { status: outcome.status, headers: outcome.headers, body: outcome.body };
  const backend = pickEndpoint(store, outcome.service, outcome.port, address, random);
  const plain: Header[] = [['Content-Type', 'text/plain']];
  if (!backend) return { status: 503, headers: plain, body: 'no healthy upstream' };
  // the Gateway's proxy connects from its address: a policy that drops it times the upstream out
  const to = backendEndpoint(store, outcome.service, backend);
  if (!connectionAllowed(store, { from: { ip: address }, to, port: backend.port, protocol: protocolOf(outcome.port) }).allowed)
    return { status: 504, headers: plain, body: 'upstream request timeout' };
  const sent = outcome.request;
  const hostHeader = sent.host === req.hostHeader.replace(/:\d+$/, '') ? req.hostHeader : sent.host;
  return {
    headers: [['Content-Type', 'text/plain; charset=utf-8'], ...outcome.responseHeaders],
    body: echo(backend, { method: sent.method, path: sent.path, hostHeader, headers: sent.headers }),
  };
}

/** The Gateway a request is for: the URL host is its address, or a name cluster DNS does not know that its listeners or routes serve. */
function gatewayFor(store: ObjectStore, req: Request): Gateway | undefined {
  if (!store.count('Gateway')) return undefined;
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(req.host) && resolveName(store, req.host, req.namespace).type !== 'NXDOMAIN') return undefined;
  return gatewayForHost(store, req.host, req.port);
}

/** Whether the client's egress policies let it ask CoreDNS (a name, not an address, is being looked up). */
function canResolve(store: ObjectStore, req: Request): boolean {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(req.host)) return true;
  return connectionAllowed(store, { from: req.client, to: CLUSTER_DNS, port: 53, protocol: 'UDP' }).allowed;
}

export function performRequest(store: ObjectStore, random: Random, req: Request): Outcome {
  // the resolver's queries time out and curl reports the name as unresolvable
  if (!canResolve(store, req)) return { curlError: 6, message: `Could not resolve host: ${req.host}` };
  const gateway = gatewayFor(store, req);
  if (gateway) return viaGateway(store, random, req, gateway);
  const entry = entryFor(store, req.host, req.port, req.namespace);
  switch (entry.kind) {
    case 'unresolved':
      return { curlError: 6, message: `Could not resolve host: ${req.host}` };
    case 'unreachable':
      return connectError(req);
    case 'ingress':
      return viaIngress(store, random, req);
    case 'service':
      return viaService(store, random, req, entry.svc, entry.port, entry.viaNode);
    case 'pod':
      if (!isPodReady(entry.pod) && entry.pod.status?.phase !== 'Running') return connectError(req);
      if (!connectionAllowed(store, { from: req.client, to: { ip: req.host, pod: entry.pod }, port: req.port, protocol: 'TCP' }).allowed)
        return timedOut(req);
      return { body: echo({ pod: entry.pod.metadata.name, ip: entry.pod.status.podIP, port: req.port }, req) };
  }
}

/**
 * `kubesim curl URL`: sends a request through the simulated data path (cluster DNS,
 * kube-proxy, NodePorts, LoadBalancer IPs, ingress-nginx) and prints what answered,
 * or curl's own error and exit code when nothing can.
 */
/** curl's flags as commander parses them */
interface CurlOptions {
  from?: string;
  header: string[];
  insecure?: boolean;
  count: string;
  request: string;
  include?: boolean;
  connectTimeout?: string;
  maxTime?: string;
}

export function register(program: Command, env: CommandEnv): void {
  program
    .command('curl')
    .description('Send an HTTP request through the simulated cluster network and show which pod answered')
    .argument(
      '<url>',
      'http://NAME[:PORT]/PATH — a Service name, ClusterIP, node IP:nodePort, LoadBalancer IP, Ingress host, Gateway address or a hostname its routes serve',
    )
    .option('--from <pod>', 'send the request from this pod (its namespace and IP)')
    .option('-H, --header <header>', 'extra header, e.g. "Host: shop.example.com"', collect, [])
    .option('-X, --request <method>', 'the request method', 'GET')
    .option('-i, --include', 'print the response status line and headers before the body')
    .option('-k, --insecure', "accept the ingress controller's self-signed certificate")
    .option('--count <n>', 'send the request this many times and print which pod answered each', '1')
    .option('--connect-timeout <seconds>', 'maximum time allowed to connect (a dropped connection fails after it)')
    .option('-m, --max-time <seconds>', 'maximum time allowed for the whole request')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim curl http://web\n  kubesim curl http://shop.example.com/api\n  kubesim curl http://172.18.0.2:31234/ --count 10',
    )
    .action((url: string, opts: CurlOptions, cmd: Command) => {
      const g = globals(cmd, env);
      const count = Number(opts.count);
      if (!Number.isInteger(count) || count < 1)
        throw new CliError(`invalid argument "${opts.count}" for "--count" flag: must be a positive integer`);
      const timeouts = [
        ...(opts.connectTimeout !== undefined ? [parseSeconds(String(opts.connectTimeout), '--connect-timeout')] : []),
        ...(opts.maxTime !== undefined ? [parseSeconds(String(opts.maxTime), '--max-time')] : []),
      ];
      const timeoutMs = timeouts.length ? Math.min(...timeouts) : undefined;
      const target = parseUrl(url);
      const given = (opts.header as string[]).map((h): Header => {
        const colon = h.indexOf(':');
        return colon < 0 ? [h.trim(), ''] : [h.slice(0, colon).trim(), h.slice(colon + 1).trim()];
      });
      const hostHeader = given.find(([n]) => n.toLowerCase() === 'host')?.[1] || target.host;
      const headers = given.filter(([n, v]) => n.toLowerCase() !== 'host' && v !== '');
      withSession(g, (s) => {
        let client: NetworkEndpoint = {
          ip: DEFAULT_CLIENT_IP,
          pod: { apiVersion: 'v1', kind: 'Pod', metadata: { name: '', namespace: g.namespace }, status: { podIP: DEFAULT_CLIENT_IP } },
        };
        if (opts.from) {
          const pod = s.store.get('Pod', g.namespace, opts.from);
          if (!pod) throw notFound('pods', opts.from);
          const phase = pod.status?.phase;
          // kubectl exec's own check (the request is what `kubectl exec POD -- curl URL` would send)
          if (phase === 'Succeeded' || phase === 'Failed')
            throw new CliError(`cannot exec into a container in a completed pod; current phase is ${phase}`);
          if (!pod.status?.podIP) throw new CliError(`pod ${opts.from} has no IP address yet (phase ${phase ?? 'Pending'})`);
          client = { ip: pod.status.podIP, pod };
        }
        const req: Request = {
          ...target,
          hostHeader,
          method: opts.request.toUpperCase(),
          headers,
          client,
          namespace: g.namespace,
          insecure: !!opts.insecure,
          timeoutMs,
        };
        for (let i = 0; i < count; i++) {
          const outcome = performRequest(s.store, s.random, req);
          if ('curlError' in outcome) {
            env.out.errLine(`curl: (${outcome.curlError}) ${outcome.message}`);
            env.exitCode = outcome.curlError;
            return;
          }
          const status = outcome.status ?? 200;
          const statusLine = `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? ''}`.trimEnd();
          if (count === 1) {
            if (opts.include) env.out.out(`${[statusLine, ...(outcome.headers ?? []).map(([n, v]) => `${n}: ${v}`)].join('\n')}\n\n`);
            env.out.out(outcome.body);
          } else env.out.line(outcome.body ? outcome.body.split('\n')[0] : statusLine);
        }
      });
    });
}
