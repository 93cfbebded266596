import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError, notFound } from '../../util/errors';
import { collect } from './apply';
import type { Fields, KObject } from '../../model/objects';
import type { ObjectStore } from '../../store/object-store';
import type { Random } from '../../util/random';
import { isPodReady } from '../../api/kinds/pod';
import { entryFor, pickEndpoint, routeIngress, tlsCertificateFor, type Backend } from '../../sim/service-routing';

/** The client a request comes from when no --from pod is given: a throwaway pod's address. */
const DEFAULT_CLIENT_IP = '10.244.0.1';

interface Request {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  path: string;
  hostHeader: string;
  clientIp: string;
  namespace: string;
  insecure: boolean;
}

type Outcome = { body: string } | { curlError: number; message: string };

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

function nginxPage(code: string): string {
  return `<html>\n<head><title>${code}</title></head>\n<body>\n<center><h1>${code}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n`;
}

/** What the answering pod sends back (a whoami-style echo): which pod answered, and the request. */
function echo(backend: Backend, req: Request): string {
  return `Hostname: ${backend.pod}\nIP: ${backend.ip}\n${'GET'} ${req.path} HTTP/1.1\nHost: ${req.hostHeader}\n`;
}

const connectError = (req: Request): Outcome => ({
  curlError: 7,
  message: `Failed to connect to ${req.host} port ${req.port} after 0 ms: Couldn't connect to server`,
});

function viaService(store: ObjectStore, random: Random, req: Request, svc: KObject, port: Fields, viaNode?: string): Outcome {
  const local = viaNode && svc.spec?.externalTrafficPolicy === 'Local';
  const backend = pickEndpoint(store, svc, port, req.clientIp, random, local ? { onNode: viaNode } : {});
  // kube-proxy rejects traffic to a Service without ready endpoints
  if (!backend) return connectError(req);
  return { body: echo(backend, req) };
}

function viaIngress(store: ObjectStore, random: Random, req: Request): Outcome {
  if (req.scheme === 'https' && !req.insecure && tlsCertificateFor(store, req.hostHeader) !== 'valid') {
    // ingress-nginx serves its self-signed "Kubernetes Ingress Controller Fake Certificate"
    return { curlError: 60, message: 'SSL certificate problem: self-signed certificate' };
  }
  const route = routeIngress(store, req.hostHeader, req.path);
  if (!route?.backend?.service) return { body: nginxPage('404 Not Found') };
  const svc = store.get('Service', route.ingress.metadata.namespace, route.backend.service.name);
  const want = route.backend.service.port ?? {};
  const port = (svc?.spec?.ports ?? []).find((p: Fields) => (want.number !== undefined ? p.port === want.number : p.name === want.name));
  const backend = svc && port ? pickEndpoint(store, svc, port, req.clientIp, random) : undefined;
  if (!backend) return { body: nginxPage('503 Service Temporarily Unavailable') };
  return { body: echo(backend, req) };
}

export function performRequest(store: ObjectStore, random: Random, req: Request): Outcome {
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
      return { body: echo({ pod: entry.pod.metadata.name, ip: entry.pod.status.podIP, port: req.port }, req) };
  }
}

/**
 * `kubesim curl URL`: sends a request through the simulated data path (cluster DNS,
 * kube-proxy, NodePorts, LoadBalancer IPs, ingress-nginx) and prints what answered,
 * or curl's own error and exit code when nothing can.
 */
export function register(program: Command, env: CommandEnv): void {
  program
    .command('curl')
    .description('Send an HTTP request through the simulated cluster network and show which pod answered')
    .argument('<url>', 'http://NAME[:PORT]/PATH — a Service name, ClusterIP, node IP:nodePort, LoadBalancer IP or Ingress host')
    .option('--from <pod>', 'send the request from this pod (its namespace and IP)')
    .option('-H, --header <header>', 'extra header, e.g. "Host: shop.example.com"', collect, [])
    .option('-k, --insecure', "accept the ingress controller's self-signed certificate")
    .option('--count <n>', 'send the request this many times and print which pod answered each', '1')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim curl http://web\n  kubesim curl http://shop.example.com/api\n  kubesim curl http://172.18.0.2:31234/ --count 10',
    )
    .action((url: string, opts, cmd: Command) => {
      const g = globals(cmd, env);
      const count = Number(opts.count);
      if (!Number.isInteger(count) || count < 1)
        throw new CliError(`invalid argument "${opts.count}" for "--count" flag: must be a positive integer`);
      const target = parseUrl(url);
      const hostHeader = (opts.header as string[]).map((h) => /^host:\s*(.+)$/i.exec(h)?.[1]).find(Boolean) ?? target.host;
      withSession(g, (s) => {
        let clientIp = DEFAULT_CLIENT_IP;
        let namespace = g.namespace;
        if (opts.from) {
          const pod = s.store.get('Pod', g.namespace, opts.from);
          if (!pod) throw notFound('pods', opts.from);
          clientIp = pod.status?.podIP ?? clientIp;
          namespace = pod.metadata.namespace ?? namespace;
        }
        const req: Request = { ...target, hostHeader, clientIp, namespace, insecure: !!opts.insecure };
        for (let i = 0; i < count; i++) {
          const outcome = performRequest(s.store, s.random, req);
          if ('curlError' in outcome) {
            env.out.errLine(`curl: (${outcome.curlError}) ${outcome.message}`);
            env.exitCode = outcome.curlError;
            return;
          }
          if (count === 1) env.out.out(outcome.body);
          else env.out.line(outcome.body.split('\n')[0]);
        }
      });
    });
}
