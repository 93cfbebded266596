import type { Container, Probe, Volume } from '../model/k8s';
import type { ConfigMap, Pod, Secret, ServiceLike } from '../model/kinds';
import type { KObject } from '../model/objects';
import type { ReadonlyObjectStore } from '../store/object-store';
import { fromRFC3339 } from '../util/duration';
import { stableHex } from '../util/hash';
import { parseQuantity } from '../api/quantity';
import { readyEndpoints, resolveName } from './service-routing';
import { resolvedEnv } from './pod-config';
import { baseFs, MemFs, normalize, type FsEntry } from './shell/fs';
import { StdinStream, type LogLine, type Proc, type ShellWorld } from './shell/interpreter';
import { ShellProcess, runOnce } from './shell/process';
import { IMAGE_COMMANDS, imageRepository } from './shell/programs';
import { EXEC_WRITES_MAX_BYTES, EXEC_WRITES_MEMORY, type AttachedStdin, type ExecWrite, type ExecWrites } from './exec-writes';
import { DEFAULT_TOKEN_SECONDS, issueServiceAccountToken } from '../auth/service-account-token';

/**
 * The simulated container runtime: a container's command line (its `command`/`args`, or its
 * image's default) runs in the shell interpreter (src/sim/shell) with the environment the
 * kubelet gives it, its volumes mounted in an in-memory filesystem, and the cluster's DNS and
 * Services to talk to — as the cluster was at each instant (objects created later are not
 * seen). A process is a pure function of its pod, the time it started and the cluster's
 * history, so any command can run it again from the start; within a command it is kept and
 * resumed.
 */

/** How far ahead of now a process is run (what the kubelet then knows without waking up). */
const LOOKAHEAD_MS = 10 * 60_000;
/** Log lines kept per container instance (the kubelet rotates container logs). */
const LOG_LIMIT = 50_000;

/** The container's argv: its command and args over the image's entrypoint and cmd (as the runtime merges them). */
export function commandLine(c: Container): string[] | undefined {
  const image = IMAGE_COMMANDS[imageRepository(c.image ?? '')];
  const entrypoint = c.command ?? image?.entrypoint ?? [];
  const args = c.args ?? (c.command ? [] : (image?.cmd ?? []));
  const argv = [...entrypoint, ...args].map(String);
  return argv.length ? argv : undefined;
}

/** `$(VAR)` references in env values and command/args, expanded from the env so far ($$ escapes). */
function expandRefs(text: string, env: Map<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) =>
    m === '$$' ? '$' : env.has(name!) ? env.get(name!)! : m,
  );
}

/** A downward API field of the pod (fieldRef.fieldPath). */
export function podField(pod: Pod, path: string): string {
  const label = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (label) return pod.metadata[label[1] as 'labels' | 'annotations']?.[label[2]] ?? '';
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return pod.metadata.namespace ?? 'default';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'metadata.labels':
    case 'metadata.annotations': {
      const map = (path === 'metadata.labels' ? pod.metadata.labels : pod.metadata.annotations) ?? {};
      return Object.keys(map)
        .sort()
        .map((k) => `${k}="${map[k]}"`)
        .join('\n');
    }
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? 'default';
    case 'status.hostIP':
      return pod.status?.hostIP ?? '';
    case 'status.hostIPs':
      return (pod.status?.hostIPs ?? []).map((i) => i.ip).join(',');
    case 'status.podIP':
      return pod.status?.podIP ?? '';
    case 'status.podIPs':
      return (pod.status?.podIPs ?? []).map((i) => i.ip).join(',');
  }
  return '';
}

/** resourceFieldRef: the container's limit or request in the divisor's units (rounded up), the node's capacity when no limit is set. */
function resourceField(
  pod: Pod,
  ref: { containerName?: string; resource: string; divisor?: string | number },
  self: Container,
  store: ReadonlyObjectStore,
): string {
  const c = (pod.spec?.containers ?? []).find((x) => x.name === ref.containerName) ?? self;
  const [kind, resource] = ref.resource.split('.') as ['limits' | 'requests', string];
  let value = c.resources?.[kind]?.[resource];
  if (value === undefined && kind === 'limits')
    value = store.get('Node', undefined, pod.spec?.nodeName ?? '')?.status?.allocatable?.[resource];
  const divisor = parseQuantity(ref.divisor ?? 1) || 1;
  return String(Math.ceil(parseQuantity(value ?? 0) / divisor));
}

/** Service links (enableServiceLinks): FOO_SERVICE_HOST, FOO_SERVICE_PORT, FOO_PORT… for Services that existed when it started. */
function serviceEnv(pod: Pod, store: ReadonlyObjectStore, startedAt: number): [string, string][] {
  const ns = pod.metadata.namespace ?? 'default';
  const services = pod.spec?.enableServiceLinks === false ? [] : store.list('Service', ns);
  const kubernetes = store.get('Service', 'default', 'kubernetes');
  const all = [...services.filter((s) => s.metadata.name !== 'kubernetes' || ns !== 'default'), ...(kubernetes ? [kubernetes] : [])];
  const out: [string, string][] = [];
  for (const svc of all.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))) {
    const ip = svc.spec?.clusterIP;
    if (!ip || ip === 'None' || fromRFC3339(svc.metadata.creationTimestamp) > startedAt) continue;
    const name = svc.metadata.name.toUpperCase().replace(/-/g, '_');
    const ports = svc.spec?.ports ?? [];
    if (!ports.length) continue;
    const first = ports[0];
    out.push([`${name}_SERVICE_HOST`, ip], [`${name}_SERVICE_PORT`, String(first.port)]);
    for (const p of ports) if (p.name) out.push([`${name}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`, String(p.port)]);
    out.push([`${name}_PORT`, `${(first.protocol ?? 'TCP').toLowerCase()}://${ip}:${first.port}`]);
    for (const p of ports) {
      const proto = p.protocol ?? 'TCP';
      const prefix = `${name}_PORT_${p.port}_${proto}`;
      out.push(
        [prefix, `${proto.toLowerCase()}://${ip}:${p.port}`],
        [`${prefix}_PROTO`, proto.toLowerCase()],
        [`${prefix}_PORT`, String(p.port)],
        [`${prefix}_ADDR`, ip],
      );
    }
  }
  return out;
}

/** The process environment: PATH, HOSTNAME, the container's env (ConfigMaps, Secrets, downward API resolved), service links, HOME. */
export function containerEnv(pod: Pod, c: Container, store: ReadonlyObjectStore, startedAt: number): [string, string][] {
  const env = new Map<string, string>();
  env.set('PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  env.set('HOSTNAME', hostnameOf(pod));
  const resolved = resolvedEnv(pod, c, store);
  for (const from of c.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    const obj = ref && store.get(from.configMapRef ? 'ConfigMap' : 'Secret', pod.metadata.namespace ?? 'default', ref.name ?? '');
    for (const k of Object.keys(obj?.data ?? {}).sort()) {
      const name = `${from.prefix ?? ''}${k}`;
      if (resolved[name] !== undefined) env.set(name, resolved[name]);
    }
  }
  for (const e of c.env ?? []) {
    if (e.value !== undefined) env.set(e.name, expandRefs(String(e.value), env));
    else if (e.valueFrom?.fieldRef) env.set(e.name, podField(pod, e.valueFrom.fieldRef.fieldPath));
    else if (e.valueFrom?.resourceFieldRef) env.set(e.name, resourceField(pod, e.valueFrom.resourceFieldRef, c, store));
    else if (resolved[e.name] !== undefined) env.set(e.name, resolved[e.name]);
    else if (!e.valueFrom) env.set(e.name, '');
  }
  for (const [k, v] of serviceEnv(pod, store, startedAt)) if (!env.has(k)) env.set(k, v);
  if (!env.has('HOME')) env.set('HOME', '/root');
  return [...env];
}

function hostnameOf(pod: Pod): string {
  return (pod.spec?.hostname ?? pod.metadata.name).slice(0, 63);
}

function decode(obj: ConfigMap | Secret, key: string): string | undefined {
  if (obj.kind === 'Secret') {
    const v = obj.data?.[key] ?? undefined;
    if (v !== undefined) return Buffer.from(String(v), 'base64').toString();
    const s = (obj as Secret).stringData?.[key];
    return s === undefined ? undefined : String(s);
  }
  const cm = obj as ConfigMap;
  if (cm.data?.[key] !== undefined) return String(cm.data[key]);
  if (cm.binaryData?.[key] !== undefined) return Buffer.from(String(cm.binaryData[key]), 'base64').toString();
  return undefined;
}

/** The files a ConfigMap/Secret source projects: every key, or the listed items at their paths. */
function projectKeys(obj: ConfigMap | Secret | undefined, items: { key: string; path: string }[] | undefined): [string, string][] {
  if (!obj) return [];
  if (items?.length)
    return items.flatMap((i): [string, string][] => (decode(obj, i.key) === undefined ? [] : [[i.path, decode(obj, i.key)!]]));
  const keys = [...Object.keys(obj.data ?? {}), ...Object.keys((obj as ConfigMap).binaryData ?? {})].sort();
  return keys.map((k) => [k, decode(obj, k) ?? '']);
}

/**
 * The token a projected serviceAccountToken source holds: what the kubelet gets from the
 * TokenRequest API when the container starts, bound to the pod (kubesim's token issuer, so it
 * authenticates as the service account: `kubesim --token "$(kubesim exec … cat …/token)"`).
 * No file when the account does not exist (the kubelet's mount fails there).
 */
function serviceAccountTokenFiles(
  pod: Pod,
  source: { path: string; audience?: string; expirationSeconds?: number },
  store: ReadonlyObjectStore,
  startedAt: number,
): [string, string][] {
  const sa = store.get('ServiceAccount', pod.metadata.namespace ?? 'default', pod.spec?.serviceAccountName ?? 'default');
  if (!sa) return [];
  const { token } = issueServiceAccountToken(
    store,
    sa,
    {
      audiences: source.audience ? [source.audience] : [],
      expirationSeconds: source.expirationSeconds ?? DEFAULT_TOKEN_SECONDS,
      bound: { kind: 'Pod', object: pod },
    },
    startedAt,
  );
  return [[source.path, token]];
}

/** Files of a downwardAPI volume (or projected source): labels and annotations as key="value" lines. */
function downwardFiles(
  pod: Pod,
  c: Container,
  store: ReadonlyObjectStore,
  items: {
    path: string;
    fieldRef?: { fieldPath: string };
    resourceFieldRef?: { containerName?: string; resource: string; divisor?: string | number };
  }[],
): [string, string][] {
  return items.map((i) => [
    i.path,
    i.fieldRef ? podField(pod, i.fieldRef.fieldPath) : i.resourceFieldRef ? resourceField(pod, i.resourceFieldRef, c, store) : '',
  ]);
}

function volumeFiles(pod: Pod, c: Container, volume: Volume, store: ReadonlyObjectStore, startedAt: number): [string, string][] | 'dir' {
  const ns = pod.metadata.namespace ?? 'default';
  if (volume.configMap) return projectKeys(store.get('ConfigMap', ns, volume.configMap.name ?? ''), volume.configMap.items);
  if (volume.secret) return projectKeys(store.get('Secret', ns, volume.secret.secretName ?? ''), volume.secret.items);
  if (volume.downwardAPI) return downwardFiles(pod, c, store, volume.downwardAPI.items ?? []);
  if (volume.projected) {
    return (volume.projected.sources ?? []).flatMap((s): [string, string][] => {
      if (s.configMap) return projectKeys(store.get('ConfigMap', ns, s.configMap.name ?? ''), s.configMap.items);
      if (s.secret) return projectKeys(store.get('Secret', ns, s.secret.name ?? ''), s.secret.items);
      if (s.downwardAPI) return downwardFiles(pod, c, store, s.downwardAPI.items ?? []);
      if (s.serviceAccountToken) return serviceAccountTokenFiles(pod, s.serviceAccountToken, store, startedAt);
      if (s.clusterTrustBundle) return [];
      return [];
    });
  }
  // the node's root (kubectl debug node/NAME mounts it at /host): what kubesim knows of a node's files
  if (volume.hostPath && normalize(volume.hostPath.path) === '/') return [['etc/hostname', `${pod.spec?.nodeName ?? ''}\n`]];
  return 'dir';
}

/**
 * The container's files: the image's base directories, its volumeMounts (ConfigMaps, Secrets,
 * downward API and projected volumes as files — the service account's kube-api-access volume
 * the ServiceAccount admission plugin added among them; emptyDir and the others as empty
 * directories, or with what the pod's init containers left in them). `startedAt`: when the
 * container started (its token was issued then).
 */
export function containerFs(
  pod: Pod,
  c: Container,
  store: ReadonlyObjectStore,
  shared: Map<string, MemFs> | undefined,
  startedAt: number,
): MemFs {
  const fs = baseFs();
  fs.write('/etc/hostname', `${hostnameOf(pod)}\n`, false);
  fs.write(
    '/etc/resolv.conf',
    `search ${pod.metadata.namespace ?? 'default'}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n`,
    false,
  );
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  const mountPaths = new Set((c.volumeMounts ?? []).map((m) => normalize(m.mountPath)));
  for (const m of c.volumeMounts ?? []) {
    const volume = volumes.get(m.name);
    if (!volume) continue;
    const at = normalize(m.mountPath);
    const readOnly = !!m.readOnly || !!(volume.configMap || volume.secret || volume.downwardAPI || volume.projected);
    const files = volumeFiles(pod, c, volume, store, startedAt);
    if (files === 'dir') {
      fs.mkdirs(at, readOnly);
      // what the init containers wrote to a shared volume
      const left = shared?.get(m.name);
      if (left) {
        for (const [path, entry] of left.entries) {
          const target = path === '/' ? at : normalize(path.slice(1), at);
          if (m.subPath) continue;
          if (entry.dir) fs.mkdirs(target);
          else fs.mount(target, entry.data, readOnly);
        }
      }
      continue;
    }
    if (m.subPath) {
      const file = files.find(([p]) => p === m.subPath);
      if (file) fs.mount(at, file[1], true);
      continue;
    }
    fs.mkdirs(at, true);
    for (const [path, data] of files) fs.mount(normalize(path, at), data, true);
  }
  imageFilesNamed(c, fs, [...mountPaths]);
  // a web server image's index page, unless a volume is mounted over its directory
  const server = WEB_SERVERS[imageRepository(c.image ?? '')];
  if (server && ![...mountPaths].some((m) => server.root === m || server.root.startsWith(`${m}/`) || m === '/')) {
    fs.mkdirs(server.root);
    fs.write(`${server.root}/index.html`, server.index, false);
  }
  return fs;
}

/** Absolute paths under the directories where an image keeps its own programs and files (also inside an `sh -c` script). */
const IMAGE_PATH = /(?:^|[\s;&|'"(=])(\/(?:usr|bin|sbin|opt|lib|app)\/[^\s;&|'"()]+)/g;

/**
 * An image kubesim does not model (not in IMAGE_COMMANDS) has files it cannot know; the ones its
 * command line names by absolute path under the image's own directories (Argo CD's init container
 * runs `sh -c '/bin/cp /usr/local/bin/argocd /var/run/argocd/argocd && …'`) are taken to be there, as empty
 * files, so the command does what it does in the real image rather than fail on a missing file.
 */
function imageFilesNamed(c: Container, fs: MemFs, mounts: string[]): void {
  if (IMAGE_COMMANDS[imageRepository(c.image ?? '')]) return;
  const named = (commandLine(c) ?? []).flatMap((arg) => [...arg.matchAll(IMAGE_PATH)].map((m) => normalize(m[1])));
  for (const path of named) {
    if (fs.get(path) || mounts.some((m) => path === m || path.startsWith(`${m}/`))) continue;
    fs.mkdirs(path.slice(0, path.lastIndexOf('/')) || '/');
    fs.write(path, '', false);
  }
}

/** The store as it was at `at`, for Services and EndpointSlices: what did not exist yet is not seen. */
function storeAt(store: ReadonlyObjectStore, at: number): ReadonlyObjectStore {
  const existed = (o: KObject | undefined) => (o && fromRFC3339(o.metadata.creationTimestamp) <= at ? o : undefined);
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'get')
        return (kind: string, ns: string | undefined, name: string) => {
          const o = target.get(kind as 'Service', ns, name);
          return kind === 'Service' || kind === 'EndpointSlice' ? existed(o) : o;
        };
      if (prop === 'list')
        return (kind: string, ns?: string) => {
          const all = target.list(kind as 'Service', ns);
          return kind === 'Service' || kind === 'EndpointSlice' ? all.filter((o) => existed(o)) : all;
        };
      const v = Reflect.get(target, prop) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** The cluster as a container sees it: CoreDNS, and Services answering (a whoami-style echo from the pod that answers). */
export function containerWorld(pod: Pod, store: ReadonlyObjectStore): ShellWorld {
  const ns = pod.metadata.namespace ?? 'default';
  const dns = store.get('Service', 'kube-system', 'kube-dns')?.spec?.clusterIP ?? '10.96.0.10';
  return {
    hostname: hostnameOf(pod),
    nameserver: dns,
    resolve(name, at) {
      if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return { fqdn: name, addresses: [name] };
      const answer = resolveName(storeAt(store, at), name, ns);
      if (answer.type === 'A') return { fqdn: answer.name, addresses: answer.addresses };
      if (answer.type === 'CNAME') return { fqdn: answer.name, addresses: [] };
      return undefined;
    },
    http(url, at) {
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        return { error: 'resolve', host: url, port: 80 };
      }
      const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
      // the pod's own network namespace: its containers answer on localhost and the pod's IP
      if (u.hostname === 'localhost' || u.hostname === '127.0.0.1' || (!!pod.status?.podIP && u.hostname === pod.status.podIP))
        return localHttp(pod, u, port, at, store);
      const view = storeAt(store, at);
      const addresses = this.resolve(u.hostname, at)?.addresses;
      if (!addresses?.length) return { error: 'resolve', host: u.hostname, port };
      const ip = addresses[0];
      const svc = view.list('Service').find((s) => s.spec?.clusterIP === ip) as ServiceLike | undefined;
      let answering: { pod: string; ip: string } | undefined;
      if (svc) {
        const svcPort = (svc.spec?.ports ?? []).find((p) => p.port === port);
        const ready = svcPort ? readyEndpoints(store, svc).filter((e) => e.ports.some((p) => (p.name ?? '') === (svcPort.name ?? ''))) : [];
        if (ready[0]) answering = { pod: ready[0].pod ?? ready[0].ip, ip: ready[0].ip };
      } else {
        const target = store.list('Pod').find((p) => p.status?.podIP === ip && p.status?.phase === 'Running');
        if (target) answering = { pod: target.metadata.name, ip };
      }
      if (!answering) return { error: 'connect', host: u.hostname, port };
      return {
        status: 200,
        body: `Hostname: ${answering.pod}\nIP: ${answering.ip}\nGET ${u.pathname}${u.search} HTTP/1.1\nHost: ${u.host}\n`,
      };
    },
  };
}

/**
 * Web servers kubesim runs (IMAGE_COMMANDS): where their default configuration serves files from,
 * the index page their image ships there, and their 404 page (nginx 1.27, httpd 2.4).
 */
const WEB_SERVERS: Record<string, { root: string; index: string; notFound: string }> = {
  nginx: {
    root: '/usr/share/nginx/html',
    index:
      '<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href="http://nginx.org/">nginx.org</a>.<br/>\nCommercial support is available at\n<a href="http://nginx.com/">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n',
    notFound:
      '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.3</center>\r\n</body>\r\n</html>\r\n',
  },
  httpd: {
    root: '/usr/local/apache2/htdocs',
    index: '<html><body><h1>It works!</h1></body></html>\n',
    notFound:
      '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n',
  },
};

/**
 * An HTTP GET to the pod itself (localhost, its IP): a running nginx or httpd container on port 80
 * serves the file under its document root as its files are then — with what the pod's other
 * containers wrote to an emptyDir it mounts there (kubernetes.io's "two containers sharing a
 * volume") — or 404; another container declaring the port answers as a Service's backend does;
 * nothing listening is a refused connection.
 */
function localHttp(
  pod: Pod,
  u: URL,
  port: number,
  at: number,
  store: ReadonlyObjectStore,
): { status: number; body: string } | { error: 'connect'; host: string; port: number } {
  const running = (c: Container) => {
    const cs = pod.status?.containerStatuses?.find((x) => x.name === c.name);
    const startedAt = cs?.state?.running?.startedAt;
    return cs && startedAt && fromRFC3339(startedAt) <= at
      ? { pod, container: c, restartCount: cs.restartCount ?? 0, startedAt: fromRFC3339(startedAt) }
      : undefined;
  };
  for (const c of pod.spec?.containers ?? []) {
    const server = WEB_SERVERS[imageRepository(c.image ?? '')];
    const instance = running(c);
    if (!instance) continue;
    if (server && port === 80 && !c.command) {
      const path = normalize(decodeURIComponent(u.pathname).replace(/^\/+/, '') || '.', server.root);
      const files = containerFilesAt(instance, at, store);
      const entry = files.get(path);
      const file = entry?.dir ? files.get(normalize('index.html', path)) : entry;
      return file && !file.dir ? { status: 200, body: file.data } : { status: 404, body: server.notFound };
    }
    if ((c.ports ?? []).some((p) => p.containerPort === port))
      return {
        status: 200,
        body: `Hostname: ${pod.metadata.name}\nIP: ${pod.status?.podIP ?? ''}\nGET ${u.pathname}${u.search} HTTP/1.1\nHost: ${u.host}\n`,
      };
  }
  return { error: 'connect', host: u.hostname, port };
}

/** A container instance: its pod, name, restart count and start time say which run it is. */
export interface Instance {
  pod: Pod;
  container: Container;
  restartCount: number;
  startedAt: number;
  /** files shared volumes hold when it starts (left by init containers) */
  shared?: Map<string, MemFs>;
}

/** Processes kept within a command (bounded: any can be run again from its start). */
const processes = new Map<string, ShellProcess>();
const MAX_PROCESSES = 20_000;

/** Which run of which container: in-process runs (tests, `serve`) may see several clusters whose pods share uids. */
function instanceKey(i: Instance): string {
  const m = i.pod.metadata;
  // the init containers whose files it starts with are part of which run it is
  const inits = initsBefore(i).map((c) => i.pod.status?.initContainerStatuses?.find((s) => s.name === c.name)?.state?.terminated ?? null);
  const spec = stableHex(JSON.stringify([i.container, i.pod.spec?.volumes ?? null, inits]), 16);
  return `${m.uid}/${m.namespace}/${m.name}/${i.container.name}/${i.restartCount}/${i.startedAt}/${spec}`;
}

/**
 * The cluster a kept process talks to: the store of the command running now (a process made in
 * an earlier command of the same program must not ask that command's store).
 */
class CurrentWorld implements ShellWorld {
  constructor(public current: ShellWorld) {}
  get hostname(): string {
    return this.current.hostname;
  }
  get nameserver(): string {
    return this.current.nameserver;
  }
  resolve(name: string, at: number) {
    return this.current.resolve(name, at);
  }
  http(url: string, at: number) {
    return this.current.http(url, at);
  }
}
const worlds = new WeakMap<ShellProcess, CurrentWorld>();

/** A lifecycle hook's outcome: whether it succeeded and when it ended (virtual time). */
export interface HookResult {
  ok: boolean;
  endedAt: number;
}

type Handler = NonNullable<NonNullable<Container['lifecycle']>['postStart']>;

/**
 * Runs a lifecycle handler in the container at `at` against `fs` (edited in place): exec in the
 * interpreter (exit 0 succeeds), sleep for its seconds; httpGet and tcpSocket succeed, as the
 * httpGet/tcpSocket probes do, since the container listens on its ports.
 */
function runHandler(i: Instance, handler: Handler, fs: MemFs, at: number, store: ReadonlyObjectStore, limitMs: number): HookResult {
  if (handler.exec) {
    const env = containerEnv(i.pod, i.container, store, i.startedAt);
    const r = runOnce({
      argv: (handler.exec.command ?? []).map(String),
      env,
      fs,
      world: containerWorld(i.pod, store),
      at,
      timeoutMs: limitMs,
    });
    // a program it cannot interpret is taken to do its work at once; a hook still running when
    // the limit comes is cut off there (the kubelet stops waiting; no failure is recorded)
    if (r.notInterpreted) return { ok: true, endedAt: r.endedAt };
    if (r.timedOut) return { ok: true, endedAt: at + limitMs };
    return { ok: r.code === 0, endedAt: Math.min(r.endedAt, at + limitMs) };
  }
  if (handler.sleep) return { ok: true, endedAt: at + Math.min(Number(handler.sleep.seconds) * 1000, limitMs) };
  return { ok: true, endedAt: at };
}

/** The regular init containers that ran before this container (all of them for an app container) and could leave files in an emptyDir. */
function initsBefore(i: Instance): Container[] {
  const inits = i.pod.spec?.initContainers ?? [];
  if (!inits.length || !(i.pod.spec?.volumes ?? []).some((v) => v.emptyDir)) return [];
  const at = inits.findIndex((c) => c.name === i.container.name);
  return (at === -1 ? inits : inits.slice(0, at)).filter((c) => c.restartPolicy !== 'Always');
}

/**
 * What the pod's emptyDir volumes hold when the container starts: the files the init containers
 * before it left there (each run to its end, in order, as the pod's status says they completed).
 */
function sharedFromInit(i: Instance, store: ReadonlyObjectStore): Map<string, MemFs> | undefined {
  const emptyDirs = new Set((i.pod.spec?.volumes ?? []).filter((v) => v.emptyDir).map((v) => v.name));
  let shared: Map<string, MemFs> | undefined;
  for (const c of initsBefore(i)) {
    const cs = i.pod.status?.initContainerStatuses?.find((s) => s.name === c.name);
    const t = cs?.state?.terminated;
    if (!t || t.exitCode !== 0 || !t.startedAt) continue;
    const inst: Instance = { pod: i.pod, container: c, restartCount: cs.restartCount ?? 0, startedAt: fromRFC3339(t.startedAt), shared };
    const p = processOf(inst, store);
    const end = fromRFC3339(t.finishedAt);
    let fs: MemFs;
    if (p) {
      p.advance(end, end);
      fs = p.fsAt(end);
    } else fs = startOf(inst, store).fs;
    const next = new Map(shared ?? []);
    for (const m of c.volumeMounts ?? []) {
      if (!emptyDirs.has(m.name) || m.subPath) continue;
      const root = normalize(m.mountPath);
      const volume = new MemFs(new Map());
      for (const [path, entry] of fs.entries) {
        if (path === root) volume.entries.set('/', entry);
        else if (path.startsWith(`${root}/`)) volume.entries.set(path.slice(root.length), entry);
      }
      next.set(m.name, volume);
    }
    shared = next;
  }
  return shared;
}

const parsedWrites = new Map<string, ExecWrites>();

function execWritesOfPod(pod: Pod, store: ReadonlyObjectStore): ExecWrites | undefined {
  const uid = pod.metadata.uid;
  const text = uid ? store.recallText(EXEC_WRITES_MEMORY, uid) : undefined;
  if (!text) return undefined;
  let parsed = parsedWrites.get(text);
  if (!parsed) {
    if (parsedWrites.size >= 256) parsedWrites.delete(parsedWrites.keys().next().value!);
    parsedWrites.set(text, (parsed = JSON.parse(text) as ExecWrites));
  }
  return parsed;
}

/** The runtime's memory of this container instance (nothing once it has restarted). */
function instanceEntry(i: Instance, store: ReadonlyObjectStore): ExecWrites[string] | undefined {
  const entry = execWritesOfPod(i.pod, store)?.[i.container.name];
  return entry && entry.restartCount === i.restartCount && entry.startedAt === i.startedAt ? entry : undefined;
}

/** What exec wrote in this container instance (nothing once it has restarted). */
function execWritesOf(i: Instance, store: ReadonlyObjectStore): ExecWrite[] {
  return instanceEntry(i, store)?.writes ?? [];
}

/** The container's stdin when its spec keeps one (`stdin: true`): what attach sent it, open until stdinOnce closed it. */
function stdinOf(i: Instance, store: ReadonlyObjectStore): StdinStream | undefined {
  if (!i.container.stdin) return undefined;
  const entry = instanceEntry(i, store);
  return new StdinStream(entry?.stdin ?? [], entry?.stdinClosedAt ?? Infinity);
}

/** What the process's stdin has been sent, as part of which run it is (the process reads it). */
function stdinKey(i: Instance, store: ReadonlyObjectStore): string {
  if (!i.container.stdin) return '';
  const entry = instanceEntry(i, store);
  return entry?.stdin?.length || entry?.stdinClosedAt !== undefined
    ? `/${stableHex(JSON.stringify([entry.stdin ?? [], entry.stdinClosedAt ?? null]), 16)}`
    : '';
}

/**
 * The container's files at `t`: its process's files then, with what exec wrote up to `t` on top
 * (unless the process itself wrote the path again after exec did: the later write wins).
 */
function filesAt(base: (t: number) => MemFs, t: number, writes: ExecWrite[]): MemFs {
  const now = base(t);
  const applied = writes.filter((w) => w.at <= t);
  if (!applied.length) return now;
  const fs = now.clone();
  for (const w of applied) {
    if (base(w.at).get(w.path) !== now.get(w.path)) continue;
    if (w.removed) {
      for (const p of [...fs.entries.keys()]) if (p === w.path || p.startsWith(`${w.path}/`)) fs.entries.delete(p);
    } else fs.entries.set(w.path, w.dir ? { dir: true } : { dir: false, data: w.data ?? '' });
  }
  // the probe results cache tells file states apart by version
  fs.version = now.version + applied.length * 1e9;
  return fs;
}

/** The changes between two states of the files (entries are immutable: a changed path holds a new one). */
function diffFiles(before: Map<string, FsEntry>, after: MemFs, at: number): ExecWrite[] {
  const out: ExecWrite[] = [];
  for (const [path, entry] of after.entries) {
    if (before.get(path) === entry || entry.readOnly) continue;
    out.push(entry.dir ? { at, path, dir: true } : { at, path, data: entry.data });
  }
  for (const path of before.keys()) if (!after.entries.has(path)) out.push({ at, path, removed: true });
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The pod's exec writes after this exec's `changes`: a newer write of a path replaces an older
 * one, and containers that restarted since lose theirs. Undefined when they would pass the bound.
 */
function withExecWrites(i: Instance, changes: ExecWrite[], store: ReadonlyObjectStore): ExecWrites | undefined {
  const next: ExecWrites = {};
  for (const [name, entry] of Object.entries(execWritesOfPod(i.pod, store) ?? {})) {
    const cs = [
      ...(i.pod.status?.containerStatuses ?? []),
      ...(i.pod.status?.initContainerStatuses ?? []),
      ...(i.pod.status?.ephemeralContainerStatuses ?? []),
    ].find((x) => x.name === name);
    const startedAt = fromRFC3339(cs?.state?.running?.startedAt);
    if (name !== i.container.name && cs && (cs.restartCount ?? 0) === entry.restartCount && startedAt === entry.startedAt)
      next[name] = entry;
  }
  const changed = new Set(changes.map((c) => c.path));
  const entry = instanceEntry(i, store);
  const kept = (entry?.writes ?? []).filter((w) => !changed.has(w.path));
  next[i.container.name] = { ...entry, restartCount: i.restartCount, startedAt: i.startedAt, writes: [...kept, ...changes] };
  return withinBound(next);
}

/** The memory, or undefined when what it holds would pass EXEC_WRITES_MAX_BYTES. */
function withinBound(next: ExecWrites): ExecWrites | undefined {
  let bytes = 0;
  for (const entry of Object.values(next)) {
    for (const w of entry.writes) bytes += w.path.length + (w.data?.length ?? 0);
    for (const c of entry.stdin ?? []) bytes += c.data.length;
  }
  return bytes > EXEC_WRITES_MAX_BYTES ? undefined : next;
}

/**
 * The pod's runtime memory after `attach -i` sent `data` to the container's stdin at `at`
 * (closed then with `close`, a stdinOnce container's first session ending); undefined when it
 * would pass the bound. The container's process is run again with it.
 */
export function withAttachedStdin(
  i: Instance,
  data: string,
  at: number,
  close: boolean,
  store: ReadonlyObjectStore,
): ExecWrites | undefined {
  const next: ExecWrites = { ...(execWritesOfPod(i.pod, store) ?? {}) };
  const entry = instanceEntry(i, store);
  if (entry?.stdinClosedAt !== undefined) return next;
  // at a whole second (the next one on a wall clock): the kubelet's times are seconds, and what
  // the process prints or how it exits must not fall between a status's finishedAt and its instant
  at = Math.ceil(at / 1000) * 1000;
  const stdin: AttachedStdin[] = [...(entry?.stdin ?? []), ...(data ? [{ at, data }] : [])];
  next[i.container.name] = {
    ...(entry ?? { writes: [] }),
    restartCount: i.restartCount,
    startedAt: i.startedAt,
    stdin,
    ...(close ? { stdinClosedAt: at } : {}),
  };
  return withinBound(next);
}

/** Whether the container's stdin is closed (a stdinOnce container after its first attach). */
export function stdinClosed(i: Instance, store: ReadonlyObjectStore): boolean {
  return instanceEntry(i, store)?.stdinClosedAt !== undefined;
}

/** The files a container instance starts with, after its postStart hook ran in them, and the hook's outcome. */
const starts = new Map<string, { fs: MemFs; postStart?: HookResult }>();

function startOf(i: Instance, store: ReadonlyObjectStore): { fs: MemFs; postStart?: HookResult } {
  const key = instanceKey(i);
  let s = starts.get(key);
  if (!s) {
    const fs = containerFs(i.pod, i.container, store, i.shared ?? sharedFromInit(i, store), i.startedAt);
    targetRoot(i, fs, store);
    const hook = i.container.lifecycle?.postStart;
    // the kubelet waits for postStart (no timeout: an hour of virtual time at most here)
    const postStart = hook ? runHandler(i, hook, fs, i.startedAt, store, 3_600_000) : undefined;
    if (starts.size >= MAX_PROCESSES) starts.delete(starts.keys().next().value!);
    starts.set(key, (s = { fs, postStart }));
  }
  return s;
}

/**
 * An ephemeral container that targets a container (`kubectl debug --target`) shares its process
 * namespace: the target's process is PID 1 and its files are at /proc/1/root, as they were when
 * the debug container started (what the target writes later is not followed).
 */
function targetRoot(i: Instance, fs: MemFs, store: ReadonlyObjectStore): void {
  const ec = (i.pod.spec?.ephemeralContainers ?? []).find((c) => c.name === i.container.name);
  const targetName = ec?.targetContainerName;
  const target = targetName ? (i.pod.spec?.containers ?? []).find((c) => c.name === targetName) : undefined;
  const cs = target && i.pod.status?.containerStatuses?.find((x) => x.name === target.name);
  const startedAt = cs?.state?.running?.startedAt;
  if (!target || !cs || !startedAt) return;
  const files = containerFilesAt(
    { pod: i.pod, container: target, restartCount: cs.restartCount ?? 0, startedAt: fromRFC3339(startedAt) },
    i.startedAt,
    store,
  );
  for (const [path, entry] of [...files.entries].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const at = path === '/' ? '/proc/1/root' : `/proc/1/root${path}`;
    if (entry.dir) fs.mkdirs(at, true);
    else fs.mount(at, entry.data, true);
  }
}

/** The container's postStart hook: how it went (undefined when it has none). */
export function postStartHook(i: Instance, store: ReadonlyObjectStore): HookResult | undefined {
  return i.container.lifecycle?.postStart ? startOf(i, store).postStart : undefined;
}

/** The container's preStop hook run at `at` (the deletion), within `graceMs`, against its files then. */
export function preStopHook(i: Instance, at: number, graceMs: number, store: ReadonlyObjectStore): HookResult | undefined {
  const hook = i.container.lifecycle?.preStop;
  if (!hook) return undefined;
  return runHandler(i, hook, containerFilesAt(i, at, store).clone(), at, store, graceMs);
}

/**
 * Which runs of the containers it shares an emptyDir with its process reads (a run that starts,
 * ends or is replaced makes it another process, run again from its start).
 */
function sharingKey(i: Instance): string {
  const sharing = sharingSiblings(i);
  return sharing.length
    ? `/${stableHex(JSON.stringify(sharing.map(({ other }) => [other.container.name, other.restartCount, other.startedAt, other.endedAt])), 16)}`
    : '';
}

/** Entries a process got from its siblings (not its own changes: a view of the volume takes them from their writer). */
const synced = new WeakSet<FsEntry>();

/** The store of the command running now, for a kept process's reads of its siblings' files. */
const storeRefs = new WeakMap<ShellProcess, { store: ReadonlyObjectStore }>();

/**
 * What the process sees of the emptyDirs it shares with the pod's other containers: before each
 * step at `t`, each one's changes there by `t` (run as far as the cluster is known) are laid over
 * its own files — a sibling's write, and its removal of a file it had written. When a sibling's
 * files at `t` are not known yet, the step waits. The reads make its loops depend on more than
 * their own state: never recorded as a period.
 */
function sharedSync(
  i: Instance,
  ref: { store: ReadonlyObjectStore },
): ((proc: Proc, t: number, knownUntil: number) => boolean) | undefined {
  const sharing = sharingSiblings(i);
  if (!sharing.length) return undefined;
  /** per sibling run and path (in this container): the entry last laid over */
  const applied = new Map<string, Map<string, { source: FsEntry; copy: FsEntry }>>();
  return (proc, t, knownUntil) => {
    proc.clock.outside = (proc.clock.outside ?? 0) + 1;
    const store = ref.store;
    for (const { other, shared } of sharing) {
      if (other.startedAt > t) continue;
      const until = Math.min(t, other.endedAt);
      const p = processOf(other, store);
      if (p) {
        p.advance(until, Math.min(until, knownUntil));
        // its files at `until` are known once it has run past it (or is running the step that asked)
        const known = p.ended || p.proc.now > until || (p.stepping && p.proc.now >= until);
        if (!known) return false;
      }
      const start = startOf(other, store).fs;
      const theirs = ownFilesAt(other, until, store, Math.min(until, knownUntil));
      const key = `${other.container.name}/${other.restartCount}`;
      let mine = applied.get(key);
      if (!mine) applied.set(key, (mine = new Map()));
      for (const [volume, root] of shared) {
        const target = emptyDirMounts(i.pod, i.container).get(volume)!;
        const moved = (path: string) => normalize(path.slice(root.length + 1), target);
        const inside = (path: string) => path.startsWith(`${root}/`);
        // their own changes (not what they took from others), each laid over once, as a copy
        // marked as taken: a view of the volume takes it from its writer, not from here
        for (const [path, entry] of theirs.entries) {
          if (!inside(path) || start.entries.get(path) === entry || synced.has(entry)) continue;
          const at = moved(path);
          if (mine.get(at)?.source === entry) continue;
          const copy: FsEntry = { ...entry };
          synced.add(copy);
          mine.set(at, { source: entry, copy });
          proc.fs.mkdirs(at.slice(0, at.lastIndexOf('/')) || '/');
          proc.fs.entries.set(at, copy);
          proc.fs.version++;
        }
        // what it had written and has removed since
        for (const [at, { copy }] of [...mine]) {
          const path = normalize(at.slice(target.length + 1), root);
          if (!at.startsWith(`${target}/`) || theirs.entries.has(path)) continue;
          mine.delete(at);
          if (proc.fs.entries.get(at) !== copy) continue;
          proc.fs.entries.delete(at);
          proc.fs.version++;
        }
      }
    }
    return true;
  };
}

function processOf(i: Instance, store: ReadonlyObjectStore): ShellProcess | undefined {
  const argv = commandLine(i.container);
  if (!argv) return undefined;
  const key = instanceKey(i) + stdinKey(i, store) + sharingKey(i);
  let p = processes.get(key);
  const world = containerWorld(i.pod, store);
  if (!p) {
    const env = containerEnv(i.pod, i.container, store, i.startedAt);
    const vars = new Map(env);
    if (processes.size >= MAX_PROCESSES) processes.delete(processes.keys().next().value!);
    const current = new CurrentWorld(world);
    const ref = { store };
    p = new ShellProcess({
      argv: argv.map((a) => expandRefs(a, vars)),
      env,
      fs: startOf(i, store).fs.clone(),
      world: current,
      startedAt: i.startedAt,
      logLimit: LOG_LIMIT,
      stdin: stdinOf(i, store),
      beforeStep: sharedSync(i, ref),
    });
    worlds.set(p, current);
    storeRefs.set(p, ref);
    processes.set(key, p);
  } else {
    worlds.get(p)!.current = world;
    storeRefs.get(p)!.store = store;
  }
  return p;
}

/** What the kubelet learns from running a container up to now (and a little beyond). */
export interface ContainerRun {
  /** when and how it exits, if it does within what is known */
  exit?: { at: number; code: number };
  /** when to look again (Infinity: nothing more happens by itself) */
  next: number;
  /** a program it could not interpret (the container runs until stopped) */
  notInterpreted?: string;
  /** an exec probe's result at `t`, against the files as they were then */
  exec(probe: Probe, t: number): { ok: boolean; output: string };
  /** the instants its files changed (an exec probe's result can change only there) */
  fsChanges: number[];
  /** the files at the end (what shared volumes hold after an init container) */
  fs(): MemFs;
  /**
   * What the kubelet puts in state.terminated.message when it exits at `at` with `exitCode`:
   * the file at terminationMessagePath (its last 4096 bytes), or — FallbackToLogsOnError, a
   * failure and no file content — the log's last 80 lines, 2048 bytes at most
   * (kuberuntime's getTerminationMessage / readLastStringFromContainerLogs).
   */
  terminationMessage(at: number, exitCode: number): string;
}

/** kubecontainer.MaxContainerTerminationMessageLength, …LogLines and …LogLength */
const TERMINATION_MESSAGE_MAX = 4096;
const TERMINATION_LOG_LINES = 80;
const TERMINATION_LOG_MAX = 2048;

export function runContainer(i: Instance, now: number, store: ReadonlyObjectStore): ContainerRun | undefined {
  const p = processOf(i, store);
  if (!p) return undefined;
  p.advance(now + LOOKAHEAD_MS, now);
  const env = containerEnv(i.pod, i.container, store, i.startedAt);
  const world = containerWorld(i.pod, store);
  const results = new Map<string, { ok: boolean; output: string }>();
  const writes = execWritesOf(i, store);
  return {
    exit: p.exit,
    next: p.nextAt,
    notInterpreted: p.proc.notInterpreted,
    // what the containers sharing an emptyDir with it write there changes what its probes read too
    fsChanges: [
      ...new Set([
        ...p.fsHistory.slice(1).map((h) => h.t),
        ...writes.map((w) => w.at),
        ...siblingFsChanges(i, now + LOOKAHEAD_MS, now, store),
      ]),
    ].sort((a, b) => a - b),
    fs: () => p.fs(),
    terminationMessage(at, exitCode) {
      const path = normalize(i.container.terminationMessagePath || '/dev/termination-log');
      const entry = p.fsAt(at).get(path);
      const written = entry && !entry.dir ? Buffer.from(entry.data) : Buffer.alloc(0);
      if (written.length) return written.subarray(Math.max(0, written.length - TERMINATION_MESSAGE_MAX)).toString();
      if (i.container.terminationMessagePolicy !== 'FallbackToLogsOnError' || exitCode === 0) return '';
      const tail = p.log
        .linesUntil(at, TERMINATION_LOG_LINES)
        .map((l) => `${l.text}\n`)
        .join('');
      return Buffer.from(tail).subarray(0, TERMINATION_LOG_MAX).toString();
    },
    exec(probe, t) {
      // its files then, with what the containers it shares an emptyDir with had written there
      const view = sharedView(i, t, store, now);
      const fs = view.fs;
      const argv = (probe.exec?.command ?? []).map(String);
      const key = `${view.key}\u0000${argv.join('\u0000')}`;
      let r = results.get(key);
      if (!r) {
        const run = runOnce({ argv, env, fs: fs.clone(), world, at: t, timeoutMs: (probe.timeoutSeconds ?? 1) * 1000 });
        const output = (run.stdout + run.stderr).trim();
        r = {
          ok: run.code === 0 && !run.timedOut,
          output: run.timedOut ? `command timed out: "${argv.join(' ')}" timed out after ${probe.timeoutSeconds ?? 1}s` : output,
        };
        results.set(key, r);
      }
      return r;
    },
  };
}

/**
 * A container instance's log up to `until` (its end for one that has finished): lines with
 * their virtual times. Containers whose command kubesim does not know print nothing.
 */
export function containerLog(i: Instance, until: number, store: ReadonlyObjectStore, max = LOG_LIMIT): LogLine[] {
  const p = processOf(i, store);
  if (!p) return [];
  p.advance(until, until);
  return p.log.linesUntil(until, max);
}

/**
 * Whether the container's process will print nothing more by itself after `now`: it waits for
 * ever (for stdin that is not coming, or a program kubesim does not interpret), or it has no
 * command kubesim runs. (A loop recorded as a period prints for ever: not idle.) Attach stops there.
 */
export function printsNoMore(i: Instance, now: number, store: ReadonlyObjectStore): boolean {
  const p = processOf(i, store);
  if (!p) return true;
  p.advance(now, now);
  return p.exit === undefined && p.forever && !p.log.periodic;
}

/**
 * The container's own files at `t` (its process's, or what it started with), with what exec wrote
 * up to then. `knownUntil`: what the cluster answers is known up to there (a probe looked at
 * ahead of now must not run a process past now's answers); the files are then the last known.
 */
function ownFilesAt(i: Instance, t: number, store: ReadonlyObjectStore, knownUntil = t): MemFs {
  const p = processOf(i, store);
  const writes = execWritesOf(i, store);
  if (p) {
    p.advance(t, Math.min(t, knownUntil));
    return filesAt((at) => p.fsAt(at), t, writes);
  }
  const start = startOf(i, store).fs;
  return filesAt(() => start, t, writes);
}

/** A sibling container instance and when it ended (Infinity while it runs): its files stay as it left them. */
interface Sibling extends Instance {
  endedAt: number;
}

/**
 * The pod's other app and sidecar containers whose writes an emptyDir holds: the instance the
 * status shows (running, or ended), and the one before it while it waits to restart (what it
 * wrote stays in the volume). Older instances are not followed.
 */
function siblings(i: Instance): Sibling[] {
  const pod = i.pod;
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const candidates = [...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'), ...(pod.spec?.containers ?? [])];
  return candidates.flatMap((c): Sibling[] => {
    if (c.name === i.container.name) return [];
    const cs = statuses.find((x) => x.name === c.name);
    if (!cs) return [];
    const rc = cs.restartCount ?? 0;
    const out: Sibling[] = [];
    // the run before (a container waiting to restart, or restarted, counts it in restartCount already)
    const last = cs.lastState?.terminated;
    if (last?.startedAt && rc > 0)
      out.push({ pod, container: c, restartCount: rc - 1, startedAt: fromRFC3339(last.startedAt), endedAt: fromRFC3339(last.finishedAt) });
    const running = cs.state?.running?.startedAt;
    const ended = cs.state?.terminated;
    if (running) out.push({ pod, container: c, restartCount: rc, startedAt: fromRFC3339(running), endedAt: Infinity });
    else if (ended?.startedAt)
      out.push({ pod, container: c, restartCount: rc, startedAt: fromRFC3339(ended.startedAt), endedAt: fromRFC3339(ended.finishedAt) });
    return out;
  });
}

/** The siblings that mount one of the container's emptyDir volumes, with the volumes' mount paths in each. */
function sharingSiblings(i: Instance): { other: Sibling; shared: [string, string][] }[] {
  const mine = emptyDirMounts(i.pod, i.container);
  if (!mine.size) return [];
  return siblings(i)
    .sort((a, b) => (a.container.name < b.container.name ? -1 : a.container.name > b.container.name ? 1 : a.restartCount - b.restartCount))
    .flatMap((other) => {
      const shared = [...emptyDirMounts(i.pod, other.container)].filter(([volume]) => mine.has(volume));
      return shared.length ? [{ other, shared }] : [];
    });
}

/**
 * The instants up to `until` at which the containers sharing an emptyDir with this one changed
 * their files (their processes' changes and exec's writes), run as far as the cluster is known.
 */
function siblingFsChanges(i: Instance, until: number, knownUntil: number, store: ReadonlyObjectStore): number[] {
  const out: number[] = [];
  for (const { other } of sharingSiblings(i)) {
    const end = Math.min(until, other.endedAt);
    const p = processOf(other, store);
    if (p) {
      p.advance(end, Math.min(end, knownUntil));
      for (const h of p.fsHistory.slice(1)) if (h.t <= end) out.push(h.t);
    }
    for (const w of execWritesOf(other, store)) if (w.at <= end) out.push(w.at);
  }
  return out;
}

/** Where a container mounts each emptyDir volume, whole (a subPath mount is a part of it, left out). */
function emptyDirMounts(pod: Pod, c: Container): Map<string, string> {
  const emptyDirs = new Set((pod.spec?.volumes ?? []).filter((v) => v.emptyDir).map((v) => v.name));
  return new Map((c.volumeMounts ?? []).filter((m) => emptyDirs.has(m.name) && !m.subPath).map((m) => [m.name, normalize(m.mountPath)]));
}

/**
 * The container's files at `t`: its own, and in each emptyDir it shares with the pod's other
 * running containers what they changed there since they started (written by their process or by
 * exec; one directory per volume per pod, as the kubelet's emptyDir is), in container-name order.
 */
function containerFilesAt(i: Instance, t: number, store: ReadonlyObjectStore, knownUntil = t): MemFs {
  return sharedView(i, t, store, knownUntil).fs;
}

/**
 * containerFilesAt, with a key that tells the views apart (the own files' version and each
 * sharing sibling's at `t`): the exec probe cache's.
 */
function sharedView(i: Instance, t: number, store: ReadonlyObjectStore, knownUntil: number): { fs: MemFs; key: string } {
  const own = ownFilesAt(i, t, store, knownUntil);
  const mine = emptyDirMounts(i.pod, i.container);
  if (!mine.size) return { fs: own, key: String(own.version) };
  let fs: MemFs | undefined;
  let key = String(own.version);
  // what its process last took from the others (it may be older than `t`): their own files say it now
  for (const [path, entry] of own.entries)
    if (synced.has(entry)) {
      fs ??= own.clone();
      fs.entries.delete(path);
    }
  for (const { other, shared } of sharingSiblings(i)) {
    if (other.startedAt > t) continue;
    const start = startOf(other, store).fs;
    // an ended container's files stay as it left them
    const now = ownFilesAt(other, Math.min(t, other.endedAt), store, Math.min(knownUntil, other.endedAt));
    key += `/${other.container.name}:${other.restartCount}:${now.version}`;
    for (const [volume, root] of shared) {
      const target = mine.get(volume)!;
      const inside = (path: string) => path.startsWith(`${root}/`);
      const moved = (path: string) => normalize(path.slice(root.length + 1), target);
      for (const [path, entry] of now.entries) {
        if (!inside(path) || start.entries.get(path) === entry || synced.has(entry)) continue;
        fs ??= own.clone();
        fs.entries.set(moved(path), entry);
      }
      for (const path of start.entries.keys()) {
        if (!inside(path) || now.entries.has(path)) continue;
        fs ??= own.clone();
        fs.entries.delete(moved(path));
      }
    }
  }
  return { fs: fs ?? own, key };
}

/** What `exec` did: its output and status, and the pod's exec writes to remember when it changed files. */
export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
  /** the pod's exec writes, this command's included (undefined: it wrote nothing) */
  writes?: ExecWrites;
  /** it wrote more than kubesim keeps (EXEC_WRITES_MAX_BYTES): its writes are not kept */
  overLimit?: boolean;
}

/**
 * `kubectl exec`: a command line run in the container, against its files as they are now. What
 * it writes is returned for the pod's memory, so later execs, exec probes and preStop hooks of
 * this container instance see it (a restart starts from the image again, as on a node).
 */
export function execInContainer(i: Instance, argv: string[], now: number, store: ReadonlyObjectStore, stdin = ''): ExecResult {
  const fs = containerFilesAt(i, now, store).clone();
  const before = new Map(fs.entries);
  const env = containerEnv(i.pod, i.container, store, i.startedAt);
  const r = runOnce({ argv, env, fs, world: containerWorld(i.pod, store), at: now, timeoutMs: 3_600_000, stdin });
  const result: ExecResult = { code: r.timedOut ? 0 : r.code, stdout: r.stdout, stderr: r.stderr };
  return withChanges(result, i, before, fs, now, store);
}

/** The result with the container's files as the command left them, kept as exec's writes (or over the limit). */
function withChanges<R extends ExecResult>(
  result: R,
  i: Instance,
  before: Map<string, FsEntry>,
  fs: MemFs,
  now: number,
  store: ReadonlyObjectStore,
): R {
  const changes = diffFiles(before, fs, now);
  if (changes.length) {
    const writes = withExecWrites(i, changes, store);
    if (writes) result.writes = writes;
    else result.overLimit = true;
  }
  return result;
}

/** A container path read for `kubectl cp` (what `tar cf -` would archive): a file, or a directory's files and directories. */
export type ContainerTree = { kind: 'file'; data: string } | { kind: 'dir'; entries: [string, string | null][] } | { kind: 'missing' };

/** The file or directory tree at `path` in the container now (relative paths inside a directory; null for a directory). */
export function readContainerPath(i: Instance, path: string, now: number, store: ReadonlyObjectStore): ContainerTree {
  const fs = containerFilesAt(i, now, store);
  const root = normalize(path);
  const entry = fs.get(root);
  if (!entry) return { kind: 'missing' };
  if (!entry.dir) return { kind: 'file', data: entry.data };
  const prefix = root === '/' ? '/' : `${root}/`;
  const entries: [string, string | null][] = [];
  for (const [p, e] of [...fs.entries].sort(([a], [b]) => (a < b ? -1 : 1)))
    if (p.startsWith(prefix)) entries.push([p.slice(prefix.length), e.dir ? null : e.data]);
  return { kind: 'dir', entries };
}

/** Whether `path` is a directory in the container now (cp's `test -d` on the destination). */
export function isContainerDir(i: Instance, path: string, now: number, store: ReadonlyObjectStore): boolean {
  return !!containerFilesAt(i, now, store).get(normalize(path))?.dir;
}

/**
 * `tar -xmf - -C DIR` in the container: puts files (data) and directories (null) at absolute
 * paths under `dir`, which must exist. Kept as exec's writes are; `error` is tar's message.
 */
export function extractIntoContainer(
  i: Instance,
  dir: string,
  files: [string, string | null][],
  now: number,
  store: ReadonlyObjectStore,
): ExecResult & { error?: string } {
  const fs = containerFilesAt(i, now, store).clone();
  const before = new Map(fs.entries);
  if (!fs.get(normalize(dir))?.dir)
    return { code: 1, stdout: '', stderr: '', error: `tar: can't change directory to '${dir}': No such file or directory` };
  for (const [path, data] of files) {
    const at = normalize(path);
    try {
      if (data === null) fs.mkdirs(at);
      else {
        fs.mkdirs(at.slice(0, at.lastIndexOf('/')) || '/');
        fs.write(at, data, false);
      }
    } catch (e) {
      return { code: 1, stdout: '', stderr: '', error: `tar: can't open '${at}': ${(e as Error).message}` };
    }
  }
  const result: ExecResult = { code: 0, stdout: '', stderr: '' };
  return withChanges(result, i, before, fs, now, store);
}
