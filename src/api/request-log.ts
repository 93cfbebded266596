/**
 * kubectl -v=6..9: the API requests a command makes, logged as client-go's round_trippers.go and
 * rest/request.go log them (klog's header: severity, MMDD, time, pid, file:line). The requests are
 * the command's own reads (recorded by the object store while the command runs) and its writes
 * (recorded by api/server.ts); what the API server does inside a write (admission's reads) and
 * what the controllers do afterwards are not requests kubectl makes, so they are not logged.
 * Time is the virtual clock, the pid is fixed and every request takes 0 milliseconds.
 *
 * A command says how kubectl shapes its requests (withRequestShape): get's Table Accept header
 * and list query (get.go transformRequests, the resource builder's ListOptions), the PATCH that
 * label, set, scale and rollout send where kubesim's command writes the whole object. The
 * controllers' passes run unlogged (unlogged()): their reads and writes are not kubectl's.
 */
import type { ObjectStore } from '../store/object-store';
import type { KObject } from '../model/objects';
import { kindInfo, type KindInfo } from './registry';

export interface RequestLogOptions {
  /** -v */
  verbosity: number;
  /** --vmodule: pattern=N per source file (klog matches the file name without .go, * and ? as globs) */
  vmodule: { pattern: RegExp; level: number }[];
  /** the server URL of the kubeconfig cluster (http://localhost:8080 when it has none, as client-go defaults) */
  server: string;
  userAgent: string;
  now: () => number;
  write: (line: string) => void;
}

const PID = 1;
const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/** How kubectl shapes the requests of a command (see withRequestShape). */
export interface RequestShape {
  /** the Accept header of the reads (get with a table printer asks for a Table) */
  accept?: string;
  /** the query of the list reads (labelSelector, fieldSelector, limit, includeObject), before url.Values' sort */
  listQuery?: Record<string, string | undefined>;
  /** the write kubectl sends instead of the one kubesim's command makes (a PATCH of this body) */
  patch?: { contentType: string; subresource?: string; body: () => unknown };
}

/** kubectl's default Accept (client-go's ContentType without AcceptContentTypes) */
const JSON_ACCEPT = 'application/json';
/** get.go transformRequests: a human-readable printer with server-side printing asks for a Table */
export const TABLE_ACCEPT =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

let active: { opts: RequestLogOptions; suspended: number; shape: RequestShape } | undefined;

/** Whether requests are being logged (so a command computes what only the log shows). */
export function requestLogActive(): boolean {
  return !!active && !active.suspended;
}

/** Runs `fn` with its requests shaped as kubectl shapes them (nothing to do unless logging). */
export function withRequestShape<T>(shape: RequestShape, fn: () => T): T {
  const state = active;
  if (!state) return fn();
  const previous = state.shape;
  state.shape = { ...previous, ...shape };
  try {
    return fn();
  } finally {
    state.shape = previous;
  }
}

/** Runs `fn` without logging its reads and writes: the controllers' passes, not kubectl's requests. */
export function unlogged<T>(fn: () => T): T {
  const state = active;
  if (!state) return fn();
  state.suspended++;
  try {
    return fn();
  } finally {
    state.suspended--;
  }
}

/** Go's url.Values.Encode: keys sorted, QueryEscape'd (a space is +) */
export function encodeQuery(query: Record<string, string | undefined>): string {
  const escape = (v: string) =>
    encodeURIComponent(v)
      .replace(/%20/g, '+')
      .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return Object.keys(query)
    .filter((k) => query[k] !== undefined)
    .sort()
    .map((k) => `${escape(k)}=${escape(query[k]!)}`)
    .join('&');
}

/** Parses --vmodule (validated before: pattern=N pairs) */
export function parseVmodule(text: string | undefined): { pattern: RegExp; level: number }[] {
  if (!text) return [];
  return text.split(',').map((part) => {
    const [glob, level] = part.split('=');
    const source = glob
      .replace(/\.go$/, '')
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    return { pattern: new RegExp(`^${source}$`), level: Number(level) };
  });
}

/** The API path of a kind's collection or object */
export function resourcePath(info: KindInfo, namespace: string | undefined, name?: string): string {
  const base = info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`;
  const ns = info.namespaced && namespace ? `/namespaces/${namespace}` : '';
  return `${base}${ns}/${info.plural}${name ? `/${name}` : ''}`;
}

/**
 * Logs the requests made by `fn` (nothing when -v and --vmodule ask for less than 6 for
 * round_trippers). The store reports the command's reads; writes report themselves.
 */
export function withRequestLog<T>(store: ObjectStore, opts: RequestLogOptions | undefined, fn: () => T): T {
  if (!opts || levelFor(opts, 'round_trippers') < 6) return fn();
  const previous = active;
  active = { opts, suspended: 0, shape: {} };
  store.readObserver = logRead;
  try {
    return fn();
  } finally {
    store.readObserver = undefined;
    active = previous;
  }
}

/**
 * One read of the command as the request kubectl makes for it: a GET of the object, or of the
 * list (with the command's list query). Events, kept outside the object store, report themselves.
 */
export function logRead(kind: string, namespace: string | undefined, name: string | undefined, found: unknown): void {
  if (!active || active.suspended) return;
  const info = kindInfo(kind);
  if (!info) return;
  // the resource builder's list: --chunk-size (500) as limit, unless the command shapes it
  const query = encodeQuery(active.shape.listQuery ?? { limit: '500' });
  const path = name === undefined ? `${resourcePath(info, namespace)}${query ? `?${query}` : ''}` : resourcePath(info, namespace, name);
  const body =
    name === undefined
      ? JSON.stringify({
          kind: `${info.kind}List`,
          apiVersion: info.group ? `${info.group}/${info.version}` : info.version,
          items: found,
        })
      : found
        ? JSON.stringify(found)
        : statusBody(404, 'NotFound', `${info.group ? `${info.plural}.${info.group}` : info.plural} "${name}" not found`);
  logRequest('GET', path, undefined, name !== undefined && !found ? 404 : 200, body);
}

/** A write the API server is asked for: logged with its outcome; its own reads are not requests */
export function loggedWrite<T extends KObject>(
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  info: KindInfo | undefined,
  namespace: string | undefined,
  name: string | undefined,
  body: unknown,
  write: () => T,
): T {
  if (!active || active.suspended || !info) return write();
  const state = active;
  state.suspended++;
  // kubectl's PATCH where kubesim's command replaces the object (label, set, scale…)
  const patch = method === 'PUT' || method === 'PATCH' ? state.shape.patch : undefined;
  if (patch) method = 'PATCH';
  const basePath = resourcePath(info, namespace, method === 'POST' ? undefined : name);
  const path = patch?.subresource ? `${basePath}/${patch.subresource}` : basePath;
  const sent = patch ? patch.body() : body;
  const requestBody = sent === undefined ? '' : JSON.stringify(sent);
  const contentType = patch?.contentType;
  try {
    const result = write();
    state.suspended--;
    logRequest(method, path, requestBody, method === 'POST' ? 201 : 200, JSON.stringify(result), contentType);
    return result;
  } catch (e) {
    state.suspended--;
    const code = (e as { code?: number }).code ?? 500;
    const reason = (e as { reason?: string }).reason ?? 'InternalError';
    const message = String((e as Error).message ?? '').replace(/^Error from server \([A-Za-z]+\): /, '');
    logRequest(method, path, requestBody, code, statusBody(code, reason, message), contentType);
    throw e;
  }
}

function statusBody(code: number, reason: string, message: string): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

function levelFor(opts: RequestLogOptions, file: string): number {
  let level = opts.verbosity;
  for (const m of opts.vmodule) if (m.pattern.test(file)) level = m.level;
  return level;
}

/** klog's header: Lmmdd hh:mm:ss.uuuuuu threadid file:line] (L: I info, W warning) */
export function klogLine(now: number, fileLine: string, message: string, severity: 'I' | 'W' = 'I'): string {
  const d = new Date(now);
  const two = (n: number) => String(n).padStart(2, '0');
  const micros = String(d.getUTCMilliseconds() * 1000).padStart(6, '0');
  return `${severity}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${micros} ${String(PID).padStart(7)} ${fileLine}] ${message}`;
}

/** rest/request.go truncateBody: 1024 characters at -v=8, 10240 at -v=9, all from -v=10 */
function truncateBody(body: string, level: number): string {
  if (level >= 10) return body;
  const max = level >= 9 ? 10240 : 1024;
  return body.length <= max ? body : `${body.slice(0, max)} [truncated ${body.length - max} chars]`;
}

function logRequest(
  method: string,
  path: string,
  requestBody: string | undefined,
  code: number,
  responseBody: string,
  contentType?: string,
): void {
  const { opts, shape } = active!;
  const rt = levelFor(opts, 'round_trippers');
  const helper = levelFor(opts, 'helper');
  const now = opts.now();
  const line = (file: string, message: string) => opts.write(klogLine(now, file, message));
  const url = `${opts.server}${path}`;
  const status = `${code} ${STATUS_TEXT[code] ?? ''}`.trimEnd();
  const headers: [string, string][] = [
    ['Accept', method === 'GET' ? (shape.accept ?? JSON_ACCEPT) : JSON_ACCEPT],
    ...(requestBody
      ? ([['Content-Type', contentType ?? (method === 'PATCH' ? 'application/strategic-merge-patch+json' : 'application/json')]] as [
          string,
          string,
        ][])
      : []),
    ['User-Agent', opts.userAgent],
  ];
  // rest/request.go logs the bodies (callDepth 2: the caller's helper.go), at -v=8
  if (helper >= 8) line('helper.go:113', `"Request Body" body=${JSON.stringify(truncateBody(requestBody ?? '', helper))}`);
  if (rt >= 9) {
    const curlHeaders = headers.map(([k, v]) => ` -H "${k}: ${v}"`).join('');
    line('round_trippers.go:473', `curl -v -X${method} ${curlHeaders} '${url}'`);
  } else if (rt >= 7) {
    line('round_trippers.go:470', `${method} ${url}`);
    line('round_trippers.go:476', 'Request Headers:');
    for (const [k, v] of headers) line('round_trippers.go:480', `    ${k}: ${v}`);
  }
  if (rt >= 9 || rt === 6) line('round_trippers.go:560', `${method} ${url} ${status} in 0 milliseconds`);
  else line('round_trippers.go:581', `Response Status: ${status} in 0 milliseconds`);
  if (rt >= 8) {
    line('round_trippers.go:584', 'Response Headers:');
    const date = new Date(now).toUTCString();
    for (const [k, v] of [
      ['Cache-Control', 'no-cache, private'],
      ['Content-Type', 'application/json'],
      ['Date', date],
    ])
      line('round_trippers.go:587', `    ${k}: ${v}`);
  }
  if (helper >= 8) line('helper.go:113', `"Response Body" body=${JSON.stringify(truncateBody(responseBody, helper))}`);
}
