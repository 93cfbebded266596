import * as YAML from 'yaml';
import { Session } from '../engine/session';
import { CLUSTER_ADMIN, type Credentials } from '../auth/authenticate';
import { authorize, rulesFor, type Request as AuthzRequest, type UserInfo } from '../auth/rbac-authorizer';
import { issueServiceAccountToken, DEFAULT_TOKEN_SECONDS } from '../auth/service-account-token';
import { createObject, deleteObject, updateObject, MAX_REQUEST_BODY_BYTES, type PropagationPolicy } from '../api/server';
import { evictPod } from '../api/eviction';
import { jsonMergePatch, jsonPatch, strategicMergePatch } from '../api/merge';
import { matches, parseSelector } from '../api/labels';
import { matchesFields, parseFieldSelector, type FieldRequirement } from '../api/field-selector';
import {
  apiVersionOf,
  checkVerb,
  deprecationWarning,
  hasRoute,
  methodNotAllowed,
  resourceName,
  servedObject,
  type KindInfo,
} from '../api/registry';
import { scaleOf } from '../api/scale';
import { takeWarnings } from '../api/warnings';
import type { FieldValidation } from '../api/field-validation';
import { clone, type KObject } from '../model/objects';
import { isKind, type Pod } from '../model/kinds';
import type { Container, LabelSelector } from '../model/k8s';
import { onDemand } from '../util/on-demand';
import { ApiError, conflict, notFound } from '../util/errors';
import { applyPatch } from '../api/server-side-apply';
import { readPath, scaleSubresource } from '../api/crd/custom-kinds';
import { openApiRoute } from '../api/openapi/served';
import { wallNow } from '../clock/clock';
import { fromRFC3339 } from '../util/duration';
import { labelSelectorString } from '../printers/describe/format';
import { renderWhy } from '../printers/why';
import { explainPod } from '../scheduler/explain';
import {
  AGGREGATED_DISCOVERY_TYPE,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  aggregatedDiscovery,
  servedKinds,
  subresourcesOf,
  versionInfo,
  wantsAggregated,
} from './discovery';
import { failure, statusOf, success, type Status } from './status';
import { decodeProtobufBody, hasProtobufMessage, prefersProtobuf, PROTOBUF_WATCH_TYPE } from './protobuf';
import { nodeMetrics, podMetrics } from './metrics-api';
import { remember } from '../reconcile/actions';
import { EXEC_WRITES_MEMORY } from '../sim/exec-writes';
import { acceptsJson, shiftedNow, shiftTimestamps, table, wantsTable, type IncludeObject } from './wire';
import { ServedJson } from './served-json';
import { listBody, tableBody } from './list-body';
import type { ReadonlyObjectStore } from '../store/object-store';

/**
 * The Kubernetes API as a function: a request (method, path and query, headers, body, who sent
 * it) in, a response (code, headers, body) out. The HTTPS listener (listener.ts) is a thin layer
 * over it, and `kubesim get|create|replace|delete --raw` call it in-process. Every request is
 * one session on the state file (load → change → reconcile → write → commit), so defaulting,
 * validation, admission, RBAC and the controllers apply as they do to CLI commands.
 */

/** Who sent a request, as the transport established it. */
export type Identity =
  | { kind: 'admin' }
  | { kind: 'token'; token: string }
  | { kind: 'anonymous' }
  /** an in-process caller (`--raw`) with the CLI's credentials */
  | { kind: 'credentials'; credentials: Credentials };

export interface ApiRequest {
  method: string;
  /** path and query, as on the request line */
  url: string;
  /** header names in lower case; repeated headers as arrays */
  headers: Record<string, string | string[] | undefined>;
  body?: Buffer;
  identity: Identity;
}

export interface WatchSpec {
  info: KindInfo;
  namespace?: string;
  labels: ReturnType<typeof parseSelector>;
  fields: FieldRequirement[];
  /** the resourceVersion to resume after (undefined or "0": start with the current objects as ADDED) */
  resourceVersion?: string;
  table: boolean;
  include: IncludeObject;
  bookmarks: boolean;
  timeoutSeconds?: number;
  /** events as length-delimited protobuf WatchEvents (a client that asks for protobuf first, a kind with a message) */
  protobuf?: boolean;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
  /** the body as bytes, when it is not text (a protobuf answer): sent instead of body */
  bytes?: Buffer;
  /** a watch: the listener streams events after sending the headers */
  watch?: WatchSpec;
  /** a followed log: the listener sends the body, then what `next` gives as virtual time moves, until done */
  stream?: ResponseStream;
  /**
   * The body in pieces, made as they are taken (a big LIST), instead of `body`: the listener
   * sends each as the socket takes it. Only when the router was made with `pieces`.
   */
  pieces?: Iterator<string>;
}

/** An exec or attach the listener runs over an upgraded connection. */
export interface RemoteCommand {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  argv: string[];
  /** exec: the command run to its end with what the client sent on stdin */
  run?(stdin: string): { code: number; stdout: string; stderr: string };
  /** attach: what the container prints, read as time moves */
  attach?: ResponseStream;
  /** attach -i: what the client sends on stdin, given to the container's process as it comes (`ended`: the client closed stdin) */
  input?(data: string, ended: boolean): void;
}

/** An answer passed on as plain text (the kubelet's, through the API server's proxy), not as a Status. */
class PlainError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** More of a response, read as time moves (pods/log?follow=true). */
export interface ResponseStream {
  /** what came since the last call; `stderr`: what went to stderr (attach without a TTY keeps it apart) */
  next(): { text: string; stderr?: string; done: boolean };
}

/** How the router runs a request's session: one Session.run per request (`--raw`), or a kept cluster (serve). */
export interface SessionRunner {
  run<T>(fn: (session: Session) => T, flags: { dryRun?: boolean; readOnly?: boolean; credentials?: Credentials }): T;
}

export interface RouterOptions {
  statePath: string;
  /** default: a Session.run on the state file per request */
  sessions?: SessionRunner;
  /** what /api's serverAddressByClientCIDRs names */
  serverAddress?: string;
  /** wall minus virtual time for a request's timestamps (default: wallNow() − now) */
  wireOffset?: (session: Session) => number;
  /** called after a request that wrote (the server feeds its watches) */
  afterWrite?: () => void;
  /** a LIST's body may come in pieces (ApiResponse.pieces): the listener streams them; `--raw` wants the whole */
  pieces?: boolean;
}

const JSON_TYPE = 'application/json';

function header(req: ApiRequest, name: string): string {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : (v ?? '');
}

function headerList(req: ApiRequest, name: string): string[] {
  const v = req.headers[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function respond(status: number, body: unknown, headers: Record<string, string | string[]> = {}, contentType = JSON_TYPE): ApiResponse {
  return { status, headers: { 'Content-Type': contentType, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

function statusResponse(s: Status, headers: Record<string, string | string[]> = {}): ApiResponse {
  return respond(s.code, s, headers);
}

const badRequest = (message: string) => new ApiError('BadRequest', 400, message);

/** A parsed resource path: /api/v1/namespaces/NS/pods/NAME/SUB, /apis/G/V/RESOURCE… */
interface ResourcePath {
  info: KindInfo;
  group: string;
  version: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

type Parsed = { kind: 'resource'; path: ResourcePath } | { kind: 'response'; response: ApiResponse };

function findKind(group: string, version: string, resource: string): KindInfo | undefined {
  return servedKinds().find(
    (k) => k.group === group && k.plural === resource && (k.version === version || k.otherVersions?.includes(version)),
  );
}

const NOT_FOUND_PAGE = () => failure(404, 'the server could not find the requested resource', 'NotFound', {});

function parsePath(segments: string[], accept: string, serverAddress: string): Parsed | undefined {
  const json = (body: unknown, contentType = JSON_TYPE) => ({ kind: 'response' as const, response: respond(200, body, {}, contentType) });
  let group = '';
  let version: string;
  let rest: string[];
  if (segments[0] === 'api') {
    if (segments.length === 1) {
      return wantsAggregated(accept) ? json(aggregatedDiscovery(true), AGGREGATED_DISCOVERY_TYPE) : json(apiVersions(serverAddress));
    }
    version = segments[1];
    rest = segments.slice(2);
  } else if (segments[0] === 'apis') {
    if (segments.length === 1)
      return wantsAggregated(accept) ? json(aggregatedDiscovery(false), AGGREGATED_DISCOVERY_TYPE) : json(apiGroupList());
    group = segments[1];
    if (segments.length === 2) {
      const g = apiGroup(group);
      return g ? json(g) : undefined;
    }
    version = segments[2];
    rest = segments.slice(3);
  } else return undefined;
  if (!rest.length) {
    const list = apiResourceList(group, version);
    return list ? json(list) : undefined;
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const namespaced = findKind(group, version, rest[2]);
    if (namespaced?.namespaced) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
  }
  const info = findKind(group, version, rest[0]);
  if (!info || rest.length > 3) return undefined;
  if (namespace === undefined && info.namespaced && rest.length > 1) return undefined;
  return { kind: 'resource', path: { info, group, version, namespace, name: rest[1], subresource: rest[2] } };
}

/** The API server's Forbidden text, with the details kubectl reads. */
function forbidden(user: UserInfo, attrs: Extract<AuthzRequest, { resource: string }>): ApiError {
  const qualified = attrs.group ? `${attrs.resource}.${attrs.group}` : attrs.resource;
  const what = attrs.name ? `${qualified} "${attrs.name}"` : qualified;
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const scope = attrs.namespace ? `in the namespace "${attrs.namespace}"` : 'at the cluster scope';
  return new ApiError(
    'Forbidden',
    403,
    `${what} is forbidden: User "${user.name}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.group}" ${scope}`,
  );
}

function verbOf(method: string, path: ResourcePath, watch: boolean): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return path.name ? 'get' : watch ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return path.name ? 'delete' : 'deletecollection';
    default:
      return '';
  }
}

/** go-restful's 405 for a method the path has no route for (registry.methodNotAllowed: its Status has empty details) */
function notAllowed(): ApiResponse {
  return statusResponse(statusOf(methodNotAllowed()));
}

function parseBody(req: ApiRequest): Record<string, unknown> {
  const type = header(req, 'content-type').split(';')[0].trim();
  if (type === 'application/vnd.kubernetes.protobuf') return decodeProtobufBody(req.body ?? Buffer.alloc(0));
  const text = req.body?.toString('utf8') ?? '';
  if (!text.trim())
    throw badRequest('the body of the request was in an unknown format - accepted media types include: application/json, application/yaml');
  if (type === 'application/cbor')
    throw new ApiError(
      'UnsupportedMediaType',
      415,
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
    );
  try {
    const value =
      type === 'application/yaml' || type === 'application/apply-patch+yaml'
        ? (YAML.parse(text) as unknown)
        : (JSON.parse(text) as unknown);
    if (value === null || typeof value !== 'object') throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw badRequest(
      `the object provided is unrecognized (must be of type ${type === 'application/yaml' ? 'yaml' : 'json'}): ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

function fieldValidationOf(query: URLSearchParams): FieldValidation | undefined {
  const v = query.get('fieldValidation');
  if (v === null || v === '') return undefined;
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation parameter unsupported: ${v}. Supported values are: Strict, Warn, Ignore`);
}

function dryRunOf(query: URLSearchParams, body?: Record<string, unknown>): boolean {
  const values = [...query.getAll('dryRun'), ...(Array.isArray(body?.dryRun) ? (body.dryRun as string[]) : [])];
  for (const v of values) if (v !== 'All') throw badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  return values.length > 0;
}

function includeOf(query: URLSearchParams): IncludeObject {
  const v = query.get('includeObject');
  if (v === 'None' || v === 'Object') return v;
  return 'Metadata';
}

interface ContinueToken {
  rv: string;
  start: string;
}

function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as ContinueToken;
    if (typeof parsed.rv !== 'string' || typeof parsed.start !== 'string') throw new Error('bad');
    return parsed;
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

const keyOf = (o: KObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** The index of the first key after `start` in ascending `keys` (a continue token's page start). */
function firstAfter(keys: readonly string[], start: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid] <= start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The user a session's request is made as (the admin when the credentials name no one else). */
function userOf(s: Session): UserInfo {
  return s.requestUser ?? CLUSTER_ADMIN;
}

const runtime = onDemand(
  'sim/container-runtime',
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  () => require('../sim/container-runtime') as typeof import('../sim/container-runtime'),
);

const podLogs = onDemand(
  'sim/pod-logs',
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  () => require('../sim/pod-logs') as typeof import('../sim/pod-logs'),
);

/** strconv.ParseBool, as the API server converts a boolean query parameter. */
function queryBool(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  if (v === null || v === '') return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw badRequest(`${name}: strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

function queryInt(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  if (!/^[-+]?\d+$/.test(v)) throw badRequest(`${name}: strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

interface PodLogOptions {
  container?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  sinceSeconds?: number;
  /** wall-clock ms, as the client sent it */
  sinceTime?: number;
  tailLines?: number;
  limitBytes?: number;
}

/** PodLogOptions from the query, checked as ValidatePodLogOptions checks them (422 Invalid). */
function podLogOptions(name: string, query: URLSearchParams): PodLogOptions {
  const sinceText = query.get('sinceTime');
  let sinceTime: number | undefined;
  if (sinceText) {
    sinceTime = Date.parse(sinceText);
    if (!/^\d{4}-\d\d-\d\dT/.test(sinceText) || !Number.isFinite(sinceTime))
      throw badRequest(
        `sinceTime: parsing time ${JSON.stringify(sinceText)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(sinceText)} as "2006"`,
      );
  }
  const container = query.get('container') ?? undefined;
  const o: PodLogOptions = {
    ...(container ? { container } : {}),
    follow: queryBool(query, 'follow'),
    previous: queryBool(query, 'previous'),
    timestamps: queryBool(query, 'timestamps'),
    sinceSeconds: queryInt(query, 'sinceSeconds'),
    sinceTime,
    tailLines: queryInt(query, 'tailLines'),
    limitBytes: queryInt(query, 'limitBytes'),
  };
  const errs: string[] = [];
  if (o.tailLines !== undefined && o.tailLines < 0)
    errs.push(`tailLines: Invalid value: ${o.tailLines}: must be greater than or equal to 0`);
  if (o.limitBytes !== undefined && o.limitBytes < 1) errs.push(`limitBytes: Invalid value: ${o.limitBytes}: must be greater than 0`);
  if (o.sinceSeconds !== undefined && o.sinceTime !== undefined)
    errs.push('sinceSeconds: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified');
  else if (o.sinceSeconds !== undefined && o.sinceSeconds < 1)
    errs.push(`sinceSeconds: Invalid value: ${o.sinceSeconds}: must be greater than 0`);
  if (errs.length)
    throw new ApiError('Invalid', 422, `PodLogOptions "${name}" is invalid: ${errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`}`);
  return o;
}

/**
 * The container a pods/log, exec or attach request names, or the pod's only one
 * (validateContainer, pkg/registry/core/pod/strategy.go): 400 when it must be named or is not there.
 */
function containerFor(pod: Pod, name: string | undefined): Container {
  const init = pod.spec?.initContainers ?? [];
  const main = pod.spec?.containers ?? [];
  const ephemeral = (pod.spec?.ephemeralContainers ?? []) as Container[];
  if (!name) {
    if (main.length === 1) return main[0];
    if (!main.length) throw badRequest(`a container name must be specified for pod ${pod.metadata.name}`);
    // podutil.VisitContainers: init containers, then containers, then ephemeral ones
    const names = [...init, ...main, ...ephemeral].map((c) => c.name).join(' ');
    throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names}]`);
  }
  const found = [...init, ...main, ...ephemeral].find((c) => c.name === name);
  if (!found) throw badRequest(`container ${name} is not valid for pod ${pod.metadata.name}`);
  return found;
}

/** A LIST's objects in key order, as of a resourceVersion of a store. */
interface Selection {
  store: unknown;
  rv: number;
  id: string;
  objects: readonly KObject[];
  keys: readonly string[];
}

/** how many LISTs' selections are kept for their next pages (a few clients paging at once) */
const KEPT_SELECTIONS = 4;

export class ApiRouter {
  private readonly sessions: SessionRunner;
  /** served objects' JSON (what many pods share is written once) */
  private readonly json = new ServedJson();
  /** the last LISTs' sorted selections, newest first, for their next pages (sortedSelection) */
  private selections: Selection[] = [];

  constructor(readonly opts: RouterOptions) {
    this.sessions = opts.sessions ?? {
      run: (fn, { credentials, ...flags }) => Session.run({ statePath: opts.statePath, credentials }, fn, flags),
    };
  }

  /** Wall minus virtual now: what timestamps move by on the way out. */
  private offset(s: Session): number {
    return this.opts.wireOffset ? this.opts.wireOffset(s) : wallNow() - s.now;
  }

  handle(req: ApiRequest): ApiResponse {
    try {
      return this.route(req);
    } catch (e) {
      return statusResponse(statusOf(e));
    }
  }

  private credentials(req: ApiRequest): Credentials {
    const id = req.identity;
    const creds: Credentials = id.kind === 'token' ? { token: id.token } : id.kind === 'credentials' ? { ...id.credentials } : {};
    const user = header(req, 'impersonate-user');
    const groups = headerList(req, 'impersonate-group').flatMap((g) => g.split(',').map((x) => x.trim()));
    const uid = header(req, 'impersonate-uid');
    if (user) creds.impersonate = { user, groups, ...(uid ? { uid } : {}) };
    else if (groups.length || uid)
      throw new ApiError('InternalError', 500, 'Internal error occurred: requested [] without impersonating a user');
    return creds;
  }

  private route(req: ApiRequest): ApiResponse {
    if (req.identity.kind === 'anonymous') return statusResponse(failure(401, 'Unauthorized', 'Unauthorized'));
    if (req.body && req.body.length > MAX_REQUEST_BODY_BYTES)
      return statusResponse(failure(413, `Request entity too large: limit is ${MAX_REQUEST_BODY_BYTES}`, 'RequestEntityTooLarge'));
    let url: URL;
    try {
      url = new URL(req.url, 'https://kubesim.invalid');
    } catch {
      return statusResponse(failure(400, `invalid request URL ${JSON.stringify(req.url)}`, 'BadRequest'));
    }
    const accept = header(req, 'accept');
    // the OpenAPI handlers negotiate their own types (/openapi/v2 has a protobuf form, and answers 406 itself)
    if (!acceptsJson(accept) && !url.pathname.startsWith('/openapi/'))
      return statusResponse(
        failure(406, `only the following media types are accepted: application/json, application/yaml`, 'NotAcceptable'),
      );
    let segments: string[];
    try {
      segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      return statusResponse(failure(400, `invalid request path ${JSON.stringify(url.pathname)}`, 'BadRequest'));
    }
    const credentials = this.credentials(req);
    const method = req.method.toUpperCase();
    if (segments[0] === 'openapi') {
      if (method !== 'GET' && method !== 'HEAD') return notAllowed();
      return this.read(credentials, (s) => {
        this.authorizePath(s, url.pathname);
        const served = openApiRoute(s.store.list('CustomResourceDefinition'), {
          path: url.pathname,
          query: url.searchParams,
          accept,
          ifNoneMatch: header(req, 'if-none-match'),
          now: new Date(wallNow()),
        });
        return served ?? statusResponse(NOT_FOUND_PAGE());
      });
    }
    if (segments[0] === 'kubesim' && segments[1] === 'why') return this.why(credentials, method, segments);
    const nonResource = this.nonResource(url.pathname, segments);
    if (nonResource) {
      if (method !== 'GET' && method !== 'HEAD') return notAllowed();
      return this.read(credentials, (s) => {
        this.authorizePath(s, url.pathname);
        return nonResource;
      });
    }
    const parsed = parsePath(segments, accept, this.opts.serverAddress ?? '127.0.0.1:6443');
    if (!parsed)
      return this.read(credentials, (s) => {
        this.authorizePath(s, url.pathname);
        return statusResponse(NOT_FOUND_PAGE());
      });
    if (parsed.kind === 'response') {
      if (method !== 'GET' && method !== 'HEAD') return notAllowed();
      return this.read(credentials, (s) => {
        this.authorizePath(s, url.pathname);
        return parsed.response;
      });
    }
    return this.resource(req, method, parsed.path, url.searchParams, credentials);
  }

  /**
   * GET /kubesim/why/NAMESPACE/POD: `kubesim why` for the dashboard (a pod's placement explained:
   * the explanation, and the text the CLI prints), for whoever may get that pod.
   */
  private why(credentials: Credentials, method: string, segments: string[]): ApiResponse {
    if (segments.length !== 4) return statusResponse(NOT_FOUND_PAGE());
    if (method !== 'GET' && method !== 'HEAD') return notAllowed();
    const [, , namespace, name] = segments;
    return this.read(credentials, (s) => {
      this.authorizeResource(s, { verb: 'get', namespace, group: '', resource: 'pods', name });
      const pod = s.store.get('Pod', namespace, name);
      if (!pod) throw notFound('pods', name);
      const x = explainPod(s.store, pod);
      if ('error' in x) return statusResponse(failure(409, x.error, 'Conflict'));
      return respond(200, { ...x, text: renderWhy(`${namespace}/${name}`, x, 5) });
    });
  }

  /** /version, /healthz… (the OpenAPI documents are answered by api/openapi/served's openApiRoute). */
  private nonResource(pathname: string, segments: string[]): ApiResponse | undefined {
    if (pathname === '/version' || pathname === '/version/') return respond(200, versionInfo());
    if (['healthz', 'livez', 'readyz'].includes(segments[0] ?? '') && segments.length <= 2)
      return respond(200, 'ok', {}, 'text/plain; charset=utf-8');
    if (pathname === '/') return respond(200, { paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/readyz', '/version'] });
    return undefined;
  }

  private authorizePath(s: Session, path: string): void {
    if (!s.requestUser) return;
    const user = userOf(s);
    if (!authorize(s.store, user, { verb: 'get', path }))
      throw new ApiError('Forbidden', 403, `forbidden: User "${user.name}" cannot get path "${path}"`);
  }

  private authorizeResource(s: Session, attrs: Extract<AuthzRequest, { resource: string }>): void {
    if (!s.requestUser) return;
    if (!authorize(s.store, userOf(s), attrs)) throw forbidden(userOf(s), attrs);
  }

  /** A read: one read-only session (no catch-up when nothing is due). */
  private read(credentials: Credentials, fn: (s: Session) => ApiResponse): ApiResponse {
    return this.sessions.run(fn, { readOnly: true, credentials });
  }

  /** A write: one session that commits (or, dry run, rolls back); warnings become Warning headers. */
  private write(credentials: Credentials, dryRun: boolean, fn: (s: Session) => ApiResponse): ApiResponse {
    const response = this.sessions.run(
      (s) => {
        let out: ApiResponse;
        try {
          out = fn(s);
        } finally {
          const warnings = takeWarnings(s.store);
          if (warnings.length) this.pendingWarnings = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
        }
        return out;
      },
      { dryRun, credentials },
    );
    if (!dryRun) this.opts.afterWrite?.();
    return response;
  }

  private pendingWarnings: string[] | undefined;

  private withWarnings(run: () => ApiResponse): ApiResponse {
    this.pendingWarnings = undefined;
    let response: ApiResponse;
    try {
      response = run();
    } catch (e) {
      response = statusResponse(statusOf(e));
    }
    if (this.pendingWarnings) response.headers.Warning = this.pendingWarnings;
    this.pendingWarnings = undefined;
    return response;
  }

  /** A request of a resource; a deprecated version's every response carries the API server's warning (its deprecation filter). */
  private resource(req: ApiRequest, method: string, path: ResourcePath, query: URLSearchParams, credentials: Credentials): ApiResponse {
    const deprecated = deprecationWarning(path.info);
    // only a route's handler adds it: a method the resource has no route for is go-restful's bare 405
    const watch = query.get('watch') === 'true' || query.get('watch') === '1';
    const verb = verbOf(method, path, watch);
    const routed = path.subresource
      ? subresourcesOf(path.info).some((r) => r.name === path.subresource)
      : !!verb && hasRoute(path.info, verb);
    if (!deprecated || !routed) return this.resourceRequest(req, method, path, query, credentials);
    // (an error answer carries it too: the handler adds it before the storage answers)
    let response: ApiResponse;
    try {
      response = this.resourceRequest(req, method, path, query, credentials);
    } catch (e) {
      response = statusResponse(statusOf(e));
    }
    response.headers.Warning = [`299 - ${JSON.stringify(deprecated)}`, ...[response.headers.Warning ?? []].flat()];
    return response;
  }

  private resourceRequest(
    req: ApiRequest,
    method: string,
    path: ResourcePath,
    query: URLSearchParams,
    credentials: Credentials,
  ): ApiResponse {
    const watch = query.get('watch') === 'true' || query.get('watch') === '1';
    const verb = verbOf(method, path, watch);
    if (!verb) return notAllowed();
    const { info } = path;
    const attrs = {
      verb,
      namespace: path.namespace ?? '',
      group: info.group,
      resource: info.plural,
      ...(path.subresource ? { subresource: path.subresource } : {}),
      ...(path.name ? { name: path.name } : {}),
    };
    if (path.subresource) {
      const sub = subresourcesOf(info).find((s) => s.name === path.subresource);
      if (!sub) return statusResponse(NOT_FOUND_PAGE());
      const subVerb =
        method === 'GET' ? 'get' : method === 'POST' ? 'create' : method === 'PUT' ? 'update' : method === 'PATCH' ? 'patch' : '';
      if (!sub.verbs.includes(subVerb)) return notAllowed();
      attrs.verb = subVerb;
      return this.withWarnings(() => this.subresource(req, path, query, credentials, attrs));
    }
    // the verbs discovery lists are the routes the resource has (registry.checkVerb, as the CLI's writes and watches)
    try {
      checkVerb(info, verb);
    } catch (e) {
      return statusResponse(statusOf(e));
    }
    if (info.kind === 'Binding') {
      // POST …/namespaces/NS/bindings (BindingREST, as pods/NAME/binding): binds the pod the body names
      const name = String((parseBody(req).metadata as { name?: unknown } | undefined)?.name ?? '');
      const pod = servedKinds().find((k) => k.kind === 'Pod')!;
      return this.withWarnings(() =>
        this.subresource(req, { ...path, info: pod, group: '', name, subresource: 'binding' }, query, credentials, attrs),
      );
    }
    if (info.verbs?.length === 1 && info.verbs[0] === 'create') return this.withWarnings(() => this.review(req, path, credentials));
    if (info.group === 'metrics.k8s.io') return this.metrics(path, query, credentials, attrs);
    switch (verb) {
      case 'get':
        return this.read(credentials, (s) => {
          this.authorizeResource(s, attrs);
          return this.get(s, req, path, query);
        });
      case 'list':
      case 'watch':
        return this.read(credentials, (s) => {
          this.authorizeResource(s, attrs);
          return this.list(s, req, path, query, watch);
        });
      case 'create':
        return this.withWarnings(() => {
          const body = parseBody(req);
          const dryRun = dryRunOf(query);
          return this.write(credentials, dryRun, (s) => {
            this.authorizeResource(s, attrs);
            return this.create(s, path, body, query, dryRun);
          });
        });
      case 'update':
        return this.withWarnings(() => {
          const body = parseBody(req);
          const dryRun = dryRunOf(query);
          return this.write(credentials, dryRun, (s) => {
            this.authorizeResource(s, attrs);
            return this.update(s, path, body, query, dryRun);
          });
        });
      case 'patch':
        return this.withWarnings(() => {
          const dryRun = dryRunOf(query);
          const body = req.body?.toString('utf8') ?? '';
          return this.write(credentials, dryRun, (s) => {
            this.authorizeResource(s, attrs);
            return this.patch(s, req, path, body, query, dryRun);
          });
        });
      case 'delete':
      case 'deletecollection':
        return this.withWarnings(() => {
          const options = req.body?.length ? parseBody(req) : {};
          const dryRun = dryRunOf(query, options);
          return this.write(credentials, dryRun, (s) => {
            this.authorizeResource(s, attrs);
            return verb === 'delete'
              ? this.delete(s, path, options, query, dryRun)
              : this.deleteCollection(s, path, options, query, dryRun);
          });
        });
    }
    return statusResponse(NOT_FOUND_PAGE());
  }

  /** The object as a read of it answers, in the version the request's path names (custom resources are converted). */
  private served(s: Session, info: KindInfo, obj: KObject, version?: string): KObject {
    return shiftTimestamps(servedObject(info, obj, { now: s.now, store: s.store, version }), this.offset(s));
  }

  private found(s: Session, path: ResourcePath): KObject {
    const ns = path.info.namespaced ? path.namespace : undefined;
    const obj =
      path.info.kind === 'Event' || path.info.computed
        ? s.list(path.info.kind, ns).find((e) => e.metadata.name === path.name)
        : s.store.get(path.info.kind, ns, path.name!);
    if (!obj) throw (path.info.computed && path.info.missing?.(path.name!)) || notFound(resourceName(path.info), path.name!);
    return obj;
  }

  private get(s: Session, req: ApiRequest, path: ResourcePath, query: URLSearchParams): ApiResponse {
    const obj = this.served(s, path.info, this.found(s, path), path.version);
    if (wantsTable(header(req, 'accept'))) {
      const rows = table(
        path.info,
        [obj],
        { now: shiftedNow(s.now, this.offset(s)), store: s.store },
        { include: includeOf(query), resourceVersion: '' },
      );
      return respond(200, rows, {}, 'application/json;as=Table;v=v1;g=meta.k8s.io');
    }
    return respond(200, obj);
  }

  /** The objects a list or watch selects: namespace, label and field selectors. */
  private selection(path: ResourcePath, query: URLSearchParams): Pick<WatchSpec, 'labels' | 'fields'> {
    const labelText = query.get('labelSelector') ?? '';
    const fieldText = query.get('fieldSelector') ?? '';
    let labels: WatchSpec['labels'];
    try {
      labels = parseSelector(labelText);
    } catch (e) {
      throw badRequest(`unable to parse requirement: ${e instanceof Error ? e.message : String(e)}`);
    }
    let fields: FieldRequirement[];
    try {
      fields = parseFieldSelector(fieldText, path.info.kind, resourceName(path.info), path.info.group);
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw badRequest(e instanceof Error ? e.message : String(e));
    }
    return { labels, fields };
  }

  private list(s: Session, req: ApiRequest, path: ResourcePath, query: URLSearchParams, watch: boolean): ApiResponse {
    const { info } = path;
    const { labels, fields } = this.selection(path, query);
    const accept = header(req, 'accept');
    if (watch) {
      const timeout = query.get('timeoutSeconds');
      const spec: WatchSpec = {
        info,
        namespace: path.namespace,
        labels,
        fields,
        resourceVersion: query.get('resourceVersion') ?? undefined,
        table: wantsTable(accept),
        include: includeOf(query),
        bookmarks: query.get('allowWatchBookmarks') === 'true',
        ...(timeout && /^\d+$/.test(timeout) ? { timeoutSeconds: Number(timeout) } : {}),
      };
      if (!spec.table && prefersProtobuf(accept)) {
        // client-go's typed informers: protobuf for a built-in kind; JSON when also accepted, else 406 (custom resources)
        if (hasProtobufMessage(apiVersionOf(info), info.kind)) spec.protobuf = true;
        else if (!/application\/json|\*\/\*|application\/\*/i.test(accept))
          return statusResponse(
            failure(406, `only the following media types are accepted: application/json, application/yaml`, 'NotAcceptable'),
          );
      }
      return {
        status: 200,
        headers: {
          'Content-Type': spec.table ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : spec.protobuf ? PROTOBUF_WATCH_TYPE : JSON_TYPE,
          'Transfer-Encoding': 'chunked',
        },
        body: '',
        watch: spec,
      };
    }
    const ns = info.namespaced ? path.namespace : undefined;
    const resourceVersion = String(s.store.resourceVersion);
    const cont = query.get('continue');
    const token = cont ? decodeContinue(cont) : undefined;
    const { objects: sorted, keys } = this.sortedSelection(s, info.kind, ns, query, labels, fields, token?.rv);
    let listRv = resourceVersion;
    let from = 0;
    if (token) {
      listRv = token.rv;
      from = firstAfter(keys, token.start);
    }
    const limitText = query.get('limit');
    const limit = limitText && /^\d+$/.test(limitText) ? Number(limitText) : 0;
    let continueToken: string | undefined;
    let remaining: number | undefined;
    let to = sorted.length;
    if (limit > 0 && to - from > limit) {
      to = from + limit;
      remaining = sorted.length - to;
      continueToken = Buffer.from(JSON.stringify({ rv: listRv, start: keys[to - 1] })).toString('base64');
    }
    const objects = from === 0 && to === sorted.length ? sorted : sorted.slice(from, to);
    const ctx = { info, version: path.version, now: s.now, offset: this.offset(s), store: s.store, json: this.json };
    if (wantsTable(accept))
      return this.piecewise(
        'application/json;as=Table;v=v1;g=meta.k8s.io',
        tableBody(objects, ctx, { include: includeOf(query), resourceVersion: listRv, continueToken, remaining }),
      );
    const apiVersion = info.group ? `${info.group}/${path.version}` : path.version;
    const head = {
      kind: `${info.kind}List`,
      apiVersion,
      metadata: { resourceVersion: listRv, ...(continueToken ? { continue: continueToken, remainingItemCount: remaining } : {}) },
    };
    return this.piecewise(JSON_TYPE, listBody(head, objects, ctx));
  }

  /**
   * A 200 whose body is made in pieces: handed on as they are (the listener sends each as the
   * socket takes it), or joined (`--raw`). The first piece is made here, inside the request's
   * session, so that what fails fails as a Status.
   */
  private piecewise(contentType: string, pieces: Iterator<string>): ApiResponse {
    const first = pieces.next();
    if (!this.opts.pieces || first.done) {
      let body = first.done ? '' : first.value;
      for (let next = pieces.next(); !next.done; next = pieces.next()) body += next.value;
      return respond(200, body, {}, contentType);
    }
    let taken = false;
    const rest: Iterator<string> = {
      next: () => {
        if (taken) return pieces.next();
        taken = true;
        return first;
      },
    };
    return { status: 200, headers: { 'Content-Type': contentType }, body: '', pieces: rest };
  }

  /**
   * The objects a LIST selects, in key order (namespace/name, as etcd's keys), with their keys.
   * kubectl pages a LIST (limit=500 and continue): 150,000 pods are 300 requests, and selecting
   * and sorting every object again for each page made a paged LIST cost pages × a whole one. The
   * last few selections are kept; the sorted arrays are never mutated, so a page is a slice found
   * by binary search. A continued LIST is served from the selection its first page was cut from,
   * while it is kept: as the API server serves every page of a LIST from the snapshot at the first
   * page's resourceVersion (objects written since are seen as they were then), which also spares
   * a cluster whose controllers write between two pages a selection per page. A selection no
   * longer kept is made afresh from the current objects.
   */
  private sortedSelection(
    s: Session,
    kind: string,
    ns: string | undefined,
    query: URLSearchParams,
    labels: WatchSpec['labels'],
    fields: FieldRequirement[],
    continuedAt?: string,
  ): Selection {
    const id = JSON.stringify([kind, ns ?? null, query.get('labelSelector') ?? '', query.get('fieldSelector') ?? '']);
    const rv = s.store.resourceVersion;
    // Events live outside the object store and do not move its resourceVersion: never kept
    if (kind !== 'Event') {
      const kept = this.selections.find((e) =>
        continuedAt !== undefined ? e.id === id && String(e.rv) === continuedAt : e.id === id && e.store === s.store && e.rv === rv,
      );
      if (kept) return kept;
    }
    const selected = s.list(kind, ns).filter((o) => matches(labels, o.metadata.labels) && matchesFields(fields, o));
    // each key made once (a comparator that builds both keys made ~5 million strings for 150,000 pods)
    const pairs = selected.map((o) => ({ o, key: keyOf(o) }));
    pairs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const entry: Selection = { store: s.store, rv, id, objects: pairs.map((p) => p.o), keys: pairs.map((p) => p.key) };
    if (kind !== 'Event') this.selections = [entry, ...this.selections.filter((e) => e.id !== id || e.rv !== rv)].slice(0, KEPT_SELECTIONS);
    return entry;
  }

  /**
   * The object a PUT or PATCH of a subresource that writes part of the whole object (status,
   * ephemeralcontainers) asks for: the body, or the patch applied to the object as served.
   */
  private editedWhole(s: Session, path: ResourcePath, req: ApiRequest, current: KObject, offset: number): KObject {
    if (req.method.toUpperCase() === 'PUT') return this.objectFromBody(s, path, parseBody(req));
    const patched = this.patched(req, path.info, shiftTimestamps(current, offset), req.body?.toString('utf8') ?? '').obj;
    return shiftTimestamps(patched, -offset);
  }

  /** The body as an object of the path's kind, with the path's namespace (400 when they disagree). */
  private objectFromBody(s: Session, path: ResourcePath, body: Record<string, unknown>): KObject {
    const { info } = path;
    const apiVersion = info.group ? `${info.group}/${path.version}` : path.version;
    const obj = shiftTimestamps(body, -this.offset(s)) as unknown as KObject;
    if (obj.kind !== undefined && obj.kind !== info.kind)
      throw badRequest(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${info.kind})`);
    if (obj.apiVersion !== undefined && obj.apiVersion !== apiVersion)
      throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${apiVersion})`);
    obj.kind = info.kind;
    obj.apiVersion = apiVersion;
    if (!obj.metadata || typeof obj.metadata !== 'object') obj.metadata = { name: '' };
    if (info.namespaced) {
      if (obj.metadata.namespace && path.namespace && obj.metadata.namespace !== path.namespace)
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      obj.metadata.namespace = path.namespace ?? obj.metadata.namespace;
    }
    return obj;
  }

  private create(s: Session, path: ResourcePath, body: Record<string, unknown>, query: URLSearchParams, dryRun: boolean): ApiResponse {
    if (path.name) return notAllowed();
    if (path.info.namespaced && !path.namespace) throw badRequest('the server could not find the requested resource');
    const obj = this.objectFromBody(s, path, body);
    const created = createObject(s.api, obj, { dryRun, fieldValidation: fieldValidationOf(query) });
    return respond(201, this.served(s, path.info, created, path.version));
  }

  private update(s: Session, path: ResourcePath, body: Record<string, unknown>, query: URLSearchParams, dryRun: boolean): ApiResponse {
    const obj = this.objectFromBody(s, path, body);
    if (obj.metadata.name && obj.metadata.name !== path.name)
      throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${path.name})`);
    obj.metadata.name = path.name!;
    const updated = updateObject(s.api, obj, { dryRun, fieldValidation: fieldValidationOf(query) });
    return respond(200, this.served(s, path.info, updated, path.version));
  }

  /** The patched object: JSON patch, JSON merge patch or strategic merge patch (built-in kinds only), by Content-Type. */
  private patched(req: ApiRequest, info: KindInfo, current: KObject, text: string): { obj: KObject; patch: unknown } {
    const type = header(req, 'content-type').split(';')[0].trim();
    let patch: unknown;
    const parse = () => {
      try {
        return JSON.parse(text) as unknown;
      } catch (e) {
        throw badRequest(`error decoding patch: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
    let obj: unknown;
    if (type === 'application/json-patch+json') {
      patch = parse();
      if (!Array.isArray(patch)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
      try {
        obj = jsonPatch(clone(current), patch);
      } catch (e) {
        throw new ApiError('Invalid', 422, e instanceof Error ? e.message : String(e));
      }
    } else if (type === 'application/merge-patch+json') {
      patch = parse();
      obj = jsonMergePatch(clone(current), patch);
    } else if (type === 'application/strategic-merge-patch+json' && !info.crd) {
      patch = parse();
      obj = strategicMergePatch(clone(current), patch, info.kind);
    } else {
      throw new ApiError(
        'UnsupportedMediaType',
        415,
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json${info.crd ? '' : ', application/strategic-merge-patch+json'}`,
      );
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw badRequest('the patch does not produce an object');
    return { obj: obj as KObject, patch };
  }

  private patch(s: Session, req: ApiRequest, path: ResourcePath, text: string, query: URLSearchParams, dryRun: boolean): ApiResponse {
    if (header(req, 'content-type').split(';')[0].trim() === 'application/apply-patch+yaml')
      return this.serverSideApply(s, path, text, query, dryRun);
    const found = this.found(s, path);
    // the patch applies to the object as the request's group serves it (an events.k8s.io Event: note, regarding…)
    const current = path.info.viewOf ? servedObject(path.info, found, { now: s.now, store: s.store }) : found;
    const offset = this.offset(s);
    const { obj, patch } = this.patched(req, path.info, shiftTimestamps(current, offset), text);
    const back = shiftTimestamps(obj, -offset);
    if (back.metadata?.name !== current.metadata.name)
      throw badRequest(`the name of the object (${String(back.metadata?.name)}) does not match the name on the URL (${path.name})`);
    const updated = updateObject(s.api, back, { dryRun, fieldValidation: fieldValidationOf(query), patch });
    return respond(200, this.served(s, path.info, updated, path.version));
  }

  /** PATCH with application/apply-patch+yaml: server-side apply (api/server-side-apply), creating the object if it is missing */
  private serverSideApply(s: Session, path: ResourcePath, text: string, query: URLSearchParams, dryRun: boolean): ApiResponse {
    const fieldManager = query.get('fieldManager');
    // ValidatePatchOptions: an apply patch names its manager
    if (!fieldManager)
      throw new ApiError(
        'Invalid',
        422,
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      );
    let config: unknown;
    try {
      config = YAML.parse(text);
    } catch (e) {
      throw badRequest(`error decoding YAML: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!config || typeof config !== 'object' || Array.isArray(config)) throw badRequest('the apply patch is not an object');
    const obj = config as KObject;
    obj.metadata ??= { name: '' };
    if (obj.metadata.name !== path.name)
      throw badRequest(`the name of the object (${String(obj.metadata.name)}) does not match the name on the URL (${path.name})`);
    const ns = path.info.namespaced ? path.namespace : undefined;
    if (ns) obj.metadata.namespace = ns;
    const existed = !!s.store.get(path.info.kind, ns, path.name);
    const applied = applyPatch(s.api, obj, {
      dryRun,
      fieldValidation: fieldValidationOf(query),
      fieldManager,
      force: query.get('force') === 'true',
    });
    return respond(existed ? 200 : 201, this.served(s, path.info, applied, path.version));
  }

  private deleteOptions(
    options: Record<string, unknown>,
    query: URLSearchParams,
  ): { gracePeriodSeconds?: number; propagationPolicy?: PropagationPolicy; preconditions?: { uid?: string; resourceVersion?: string } } {
    const grace = query.get('gracePeriodSeconds') ?? (options.gracePeriodSeconds as number | undefined);
    const policy = (query.get('propagationPolicy') ?? options.propagationPolicy) as string | undefined;
    if (policy !== undefined && policy !== 'Background' && policy !== 'Foreground' && policy !== 'Orphan')
      throw new ApiError(
        'Invalid',
        422,
        `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`,
      );
    const graceNumber = grace === undefined || grace === null ? undefined : Number(grace);
    if (graceNumber !== undefined && (!Number.isInteger(graceNumber) || graceNumber < 0))
      throw badRequest(`gracePeriodSeconds: Invalid value: ${String(grace)}: must be a non-negative integer`);
    const pre = options.preconditions as { uid?: string; resourceVersion?: string } | undefined;
    return {
      ...(graceNumber !== undefined ? { gracePeriodSeconds: graceNumber } : {}),
      ...(policy ? { propagationPolicy: policy as PropagationPolicy } : {}),
      ...(pre ? { preconditions: pre } : {}),
    };
  }

  private delete(s: Session, path: ResourcePath, options: Record<string, unknown>, query: URLSearchParams, dryRun: boolean): ApiResponse {
    const opts = this.deleteOptions(options, query);
    const current = this.found(s, path);
    const pre = opts.preconditions;
    const qualified = resourceName(path.info);
    if (pre?.uid && pre.uid !== current.metadata.uid)
      throw new ApiError(
        'Conflict',
        409,
        `Operation cannot be fulfilled on ${qualified} "${path.name}": Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid ?? ''}`,
      );
    if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion)
      throw new ApiError(
        'Conflict',
        409,
        `Operation cannot be fulfilled on ${qualified} "${path.name}": Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion ?? ''}`,
      );
    const ns = path.info.namespaced ? path.namespace : undefined;
    deleteObject(s.api, path.info.kind, ns, path.name!, {
      dryRun,
      admit: true,
      ...(opts.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: opts.gracePeriodSeconds } : {}),
      ...(opts.propagationPolicy ? { propagationPolicy: opts.propagationPolicy } : {}),
    });
    // a graceful deletion leaves the object (Terminating) and returns it; a finished one returns the last state
    const after = dryRun ? undefined : s.store.get(path.info.kind, ns, path.name!);
    if (after && after.metadata.uid === current.metadata.uid) return respond(200, this.served(s, path.info, after, path.version));
    return respond(200, this.served(s, path.info, current, path.version));
  }

  private deleteCollection(
    s: Session,
    path: ResourcePath,
    options: Record<string, unknown>,
    query: URLSearchParams,
    dryRun: boolean,
  ): ApiResponse {
    const { info } = path;
    const opts = this.deleteOptions(options, query);
    const { labels, fields } = this.selection(path, query);
    const ns = info.namespaced ? path.namespace : undefined;
    const victims = s.store.list(info.kind, ns).filter((o) => matches(labels, o.metadata.labels) && matchesFields(fields, o));
    for (const o of victims)
      deleteObject(s.api, info.kind, o.metadata.namespace, o.metadata.name, {
        dryRun,
        admit: true,
        ...(opts.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: opts.gracePeriodSeconds } : {}),
        ...(opts.propagationPolicy ? { propagationPolicy: opts.propagationPolicy } : {}),
      });
    const apiVersion = info.group ? `${info.group}/${path.version}` : path.version;
    return respond(200, {
      kind: `${info.kind}List`,
      apiVersion,
      metadata: { resourceVersion: String(s.store.resourceVersion) },
      items: victims.map((o) => this.served(s, info, o, path.version)),
    });
  }

  /** status, scale, eviction, binding, log, token, and the streaming ones kubesim does not simulate. */
  private subresource(
    req: ApiRequest,
    path: ResourcePath,
    query: URLSearchParams,
    credentials: Credentials,
    attrs: Extract<AuthzRequest, { resource: string }>,
  ): ApiResponse {
    const { info } = path;
    const sub = path.subresource!;
    const method = req.method.toUpperCase();
    if (sub === 'exec' || sub === 'attach' || sub === 'portforward') {
      const found = this.remoteCommand(path, query, credentials, attrs);
      if ('response' in found) return found.response;
      // the API server answers a request that is not an upgrade so (UpgradeAwareHandler); kubesim
      // upgrades to WebSocket (v5.channel.k8s.io) only, not to the SPDY/3.1 kubectl falls back to
      const upgrade = header(req, 'upgrade');
      return statusResponse(
        failure(
          400,
          upgrade ? `kubesim serves ${sub} over WebSocket (v5.channel.k8s.io) only, not ${upgrade}` : 'Upgrade request required',
          'BadRequest',
        ),
      );
    }
    if (sub === 'log') return this.log(path, query, credentials, attrs);
    const dryRun = method !== 'GET' && dryRunOf(query);
    const run = method === 'GET' ? this.read.bind(this) : (c: Credentials, fn: (s: Session) => ApiResponse) => this.write(c, dryRun, fn);
    return run(credentials, (s) => {
      this.authorizeResource(s, attrs);
      const current = this.found(s, path);
      const offset = this.offset(s);
      if (sub === 'status') {
        if (method === 'GET') return respond(200, this.served(s, info, current, path.version));
        const edited = this.editedWhole(s, path, req, current, offset);
        const updated = updateObject(s.api, { ...clone(current), status: edited.status }, { dryRun, subresource: 'status' });
        return respond(200, this.served(s, info, updated, path.version));
      }
      if (sub === 'ephemeralcontainers') {
        // pods/ephemeralcontainers (kubectl debug's strategic merge patch): the pod, of which only
        // spec.ephemeralContainers is written (podEphemeralContainersStrategy)
        if (method === 'GET') return respond(200, this.served(s, info, current, path.version));
        const edited = this.editedWhole(s, path, req, current, offset);
        const requested = (edited.spec as { ephemeralContainers?: unknown } | undefined)?.ephemeralContainers;
        const updated = updateObject(
          s.api,
          { ...clone(current), spec: { ...(current.spec as object), ephemeralContainers: requested } } as KObject,
          { dryRun, fieldValidation: fieldValidationOf(query), subresource: 'ephemeralcontainers' },
        );
        return respond(200, this.served(s, info, updated, path.version));
      }
      if (sub === 'finalize') {
        // namespaces/finalize: only spec.finalizers is written (namespaceFinalizeStrategy)
        const edited = this.objectFromBody(s, path, parseBody(req));
        if (edited.metadata.name && edited.metadata.name !== path.name)
          throw badRequest(`the name of the object (${edited.metadata.name}) does not match the name on the URL (${path.name})`);
        edited.metadata.name = path.name!;
        const updated = updateObject(s.api, edited, { dryRun, fieldValidation: fieldValidationOf(query), subresource: 'finalize' });
        return respond(200, this.served(s, info, updated, path.version));
      }
      if (sub === 'scale') {
        const scale = scaleOf(current)!;
        const view = this.scaleView(info, current, scale.replicas);
        if (method === 'GET') return respond(200, shiftTimestamps(view, offset));
        const edited =
          method === 'PUT'
            ? parseBody(req)
            : (this.patched(req, { ...info, crd: undefined, kind: 'Scale' }, view, req.body?.toString('utf8') ?? '')
                .obj as unknown as Record<string, unknown>);
        const spec = edited.spec as { replicas?: unknown } | undefined;
        const meta = edited.metadata as { resourceVersion?: string } | undefined;
        if (meta?.resourceVersion && meta.resourceVersion !== current.metadata.resourceVersion)
          throw conflict(resourceName(info), path.name!);
        // autoscaling.Scale's spec.replicas is an int32, not a pointer: a body without it (a PUT of
        // `spec: {}`, a merge patch setting it to null) decodes as 0 and scales to 0, as the API server does
        const replicas = spec?.replicas ?? 0;
        if (typeof replicas !== 'number' || !Number.isInteger(replicas))
          throw badRequest(
            `Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal ${typeof replicas === 'string' ? 'string' : typeof replicas === 'boolean' ? 'bool' : Array.isArray(replicas) ? 'array' : typeof replicas === 'object' ? 'object' : 'number'} into Go struct field ScaleSpec.spec.replicas of type int32`.replace(
              'number into',
              `number ${String(replicas)} into`,
            ),
          );
        if (replicas < 0)
          throw new ApiError(
            'Invalid',
            422,
            `Scale.autoscaling "${path.name}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`,
          );
        const updated = updateObject(s.api, scale.withReplicas(replicas), { dryRun });
        return respond(200, shiftTimestamps(this.scaleView(info, updated, replicas), offset));
      }
      if (sub === 'eviction') {
        const body = parseBody(req);
        const options = (body.deleteOptions ?? {}) as Record<string, unknown>;
        const grace = options.gracePeriodSeconds;
        evictPod(s.api, path.namespace!, path.name!, {
          dryRun: dryRun || dryRunOf(new URLSearchParams(), options),
          ...(typeof grace === 'number' ? { gracePeriodSeconds: grace } : {}),
        });
        return respond(201, success());
      }
      if (sub === 'binding' && isKind(current, 'Pod')) {
        const body = parseBody(req);
        const target = (body.target ?? {}) as { name?: string };
        if (!target.name) throw new ApiError('Invalid', 422, `Binding "${path.name}" is invalid: target.name: Required value`);
        if (current.spec?.nodeName)
          throw new ApiError(
            'Conflict',
            409,
            `Operation cannot be fulfilled on pods/binding "${path.name}": pod ${path.name} is already assigned to node "${current.spec.nodeName}"`,
          );
        updateObject(s.api, { ...current, spec: { ...current.spec, nodeName: target.name } }, { trusted: true, dryRun });
        return respond(201, success());
      }
      if (sub === 'token') {
        const body = req.body?.length ? parseBody(req) : {};
        const spec = (body.spec ?? {}) as { audiences?: string[]; expirationSeconds?: number };
        const seconds = spec.expirationSeconds ?? DEFAULT_TOKEN_SECONDS;
        const { token, audiences } = issueServiceAccountToken(
          s.store,
          current,
          { audiences: spec.audiences ?? [], expirationSeconds: seconds },
          s.now,
        );
        return respond(
          201,
          shiftTimestamps(
            {
              kind: 'TokenRequest',
              apiVersion: 'authentication.k8s.io/v1',
              metadata: { name: path.name, namespace: path.namespace, creationTimestamp: null },
              spec: { audiences, expirationSeconds: seconds, boundObjectRef: null },
              status: { token, expirationTimestamp: new Date(s.now + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') },
            },
            offset,
          ),
        );
      }
      return statusResponse(NOT_FOUND_PAGE());
    });
  }

  /**
   * pods/log: the container's log as the kubelet serves it (sim/pod-logs), with PodLogOptions'
   * container, previous, sinceSeconds/sinceTime, tailLines, timestamps and limitBytes; with
   * `follow` the listener streams what the container prints as virtual time moves, until it stops.
   */
  private log(
    path: ResourcePath,
    query: URLSearchParams,
    credentials: Credentials,
    attrs: Extract<AuthzRequest, { resource: string }>,
  ): ApiResponse {
    const options = podLogOptions(path.name!, query);
    return this.read(credentials, (s) => {
      this.authorizeResource(s, attrs);
      const pod = this.found(s, path);
      if (!isKind(pod, 'Pod')) throw notFound('pods', path.name!);
      const container = containerFor(pod, options.container);
      const text = (body: string) => respond(200, body, {}, 'text/plain');
      // LogLocation: a pod without a node has no kubelet to ask, and the log is empty
      if (!pod.spec?.nodeName) return text('');
      const offset = this.offset(s);
      const reader = new (podLogs().LogReader)(pod, container, {
        previous: options.previous,
        tail: options.tailLines ?? -1,
        ...(options.sinceTime !== undefined ? { sinceTime: options.sinceTime - offset } : {}),
        ...(options.sinceSeconds !== undefined ? { sinceMs: options.sinceSeconds * 1000 } : {}),
        timestamps: options.timestamps,
        limitBytes: options.limitBytes ?? 0,
        shift: offset,
      });
      const out = text(reader.read(s.store, s.now));
      if (options.follow && reader.more(s.store)) {
        out.stream = {
          next: () =>
            this.sessions.run((s2) => ({ text: reader.read(s2.store, s2.now), done: !reader.more(s2.store) }), {
              readOnly: true,
              credentials,
            }),
        };
      }
      return out;
    });
  }

  /**
   * exec and attach, checked as the API server checks them before it upgrades the connection
   * (the pod, its container, its node, the container running; `create` on pods/exec, as
   * AuthorizePodWebsocketUpgradeCreatePermission asks of a WebSocket GET) and what then runs:
   * the command in the container's simulated shell, or (attach) what the container prints from now on.
   * The listener speaks the stream protocol (remote-command.ts).
   */
  private remoteCommand(
    path: ResourcePath,
    query: URLSearchParams,
    credentials: Credentials,
    attrs: Extract<AuthzRequest, { resource: string }>,
  ): { response: ApiResponse } | { command: RemoteCommand } {
    const sub = path.subresource!;
    const flag = (name: string) => queryBool(query, name);
    try {
      const streams = { stdin: flag('stdin'), stdout: flag('stdout'), stderr: flag('stderr'), tty: flag('tty') };
      const argv = query.getAll('command');
      return this.sessions.run<{ response: ApiResponse } | { command: RemoteCommand }>(
        (s) => {
          this.authorizeResource(s, { ...attrs, verb: 'create' });
          const pod = this.found(s, path);
          if (!isKind(pod, 'Pod')) throw notFound('pods', path.name!);
          if (sub === 'portforward') {
            if (!pod.spec?.nodeName) throw badRequest(`pod ${path.name} does not have a host assigned`);
            throw badRequest(`kubesim does not simulate port forwarding: pods "${path.name}" listen on no ports`);
          }
          if (!streams.stdin && !streams.stdout && !streams.stderr)
            throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
          if (sub === 'exec' && !argv.length) throw badRequest('you must specify at least one command for the container');
          const container = containerFor(pod, query.get('container') ?? undefined);
          if (!pod.spec?.nodeName) throw badRequest(`pod ${path.name} does not have a host assigned`);
          const cs = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find(
            (x) => x.name === container.name,
          );
          const startedAt = cs?.state?.running?.startedAt;
          // the kubelet's answer for a container that is not running (GetExec/GetAttach: findContainer), passed on as it is
          if (!startedAt) throw new PlainError(500, `container not found (${JSON.stringify(container.name)})`);
          const instance = { pod, container, restartCount: cs.restartCount ?? 0, startedAt: fromRFC3339(startedAt) };
          if (sub === 'exec')
            return {
              command: {
                ...streams,
                argv,
                run: (stdin: string) =>
                  this.sessions.run((s2) => runtime().execInContainer(instance, argv, s2.now, s2.store, stdin), {
                    readOnly: true,
                    credentials,
                  }),
              },
            };
          const sameInstance = (store: ReadonlyObjectStore) => {
            const now = store.get('Pod', pod.metadata.namespace, pod.metadata.name);
            const st = [...(now?.status?.containerStatuses ?? []), ...(now?.status?.initContainerStatuses ?? [])].find(
              (x) => x.name === container.name,
            );
            return (
              now?.metadata.uid === pod.metadata.uid &&
              (st?.restartCount ?? 0) === instance.restartCount &&
              fromRFC3339(st?.state?.running?.startedAt) === instance.startedAt
            );
          };
          // attach: the container's output from now on (its log, read as virtual time moves), until it stops
          const reader = new (podLogs().LogReader)(pod, container, { previous: false, tail: 0, timestamps: false, limitBytes: 0 });
          reader.read(s.store, s.now);
          // stdin reaches a container that keeps it open (stdin: true), kept as `kubesim attach -i` keeps it
          const input =
            streams.stdin && container.stdin
              ? (data: string, ended: boolean) =>
                  this.sessions.run(
                    (s2) => {
                      if (runtime().stdinClosed(instance, s2.store)) return;
                      const memory = runtime().withAttachedStdin(instance, data, s2.now, ended && !!container.stdinOnce, s2.store);
                      if (!memory) return;
                      s2.engine.apply([remember(EXEC_WRITES_MEMORY, pod.metadata.uid!, memory)]);
                      s2.engine.wakeObject('Pod', pod.metadata.namespace, pod.metadata.name);
                    },
                    { credentials },
                  )
              : undefined;
          return {
            command: {
              ...streams,
              argv: [],
              ...(input ? { input } : {}),
              attach: {
                next: () =>
                  this.sessions.run(
                    (s2) => {
                      // the container's stdout and stderr on their channels; with a TTY one stream, in order
                      const lines = reader.readLines(s2.store, s2.now);
                      const of = (stream: 'stdout' | 'stderr') =>
                        lines
                          .filter((l) => streams.tty || l.stream === stream)
                          .map((l) => l.text)
                          .join('');
                      // the session ends with the instance it attached to (a restarted container is another
                      // process, whose stream the kubelet does not join), as `kubesim attach` ends it
                      const done = !reader.more(s2.store) || !sameInstance(s2.store);
                      return { text: of('stdout'), stderr: streams.tty ? '' : of('stderr'), done };
                    },
                    { readOnly: true, credentials },
                  ),
              },
            },
          };
        },
        { readOnly: true, credentials },
      );
    } catch (e) {
      if (e instanceof PlainError) return { response: respond(e.code, e.message, {}, 'text/plain; charset=utf-8') };
      return { response: statusResponse(statusOf(e)) };
    }
  }

  /** The pods/exec or pods/attach request a WebSocket upgrade asks for, or the response that refuses it. */
  remote(req: ApiRequest): { response: ApiResponse } | { command: RemoteCommand } {
    try {
      if (req.identity.kind === 'anonymous') return { response: statusResponse(failure(401, 'Unauthorized', 'Unauthorized')) };
      const url = new URL(req.url, 'https://kubesim.invalid');
      const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      const parsed = parsePath(segments, '', this.opts.serverAddress ?? '127.0.0.1:6443');
      if (parsed?.kind !== 'resource' || parsed.path.info.kind !== 'Pod' || !['exec', 'attach'].includes(parsed.path.subresource ?? ''))
        return { response: statusResponse(NOT_FOUND_PAGE()) };
      const { path } = parsed;
      const attrs = {
        verb: 'create',
        namespace: path.namespace ?? '',
        group: '',
        resource: 'pods',
        subresource: path.subresource!,
        name: path.name!,
      };
      return this.remoteCommand(path, url.searchParams, this.credentials(req), attrs);
    } catch (e) {
      return { response: statusResponse(statusOf(e)) };
    }
  }

  /** metrics.k8s.io: NodeMetrics and PodMetrics from the simulated usage (kubectl top). */
  private metrics(
    path: ResourcePath,
    query: URLSearchParams,
    credentials: Credentials,
    attrs: Extract<AuthzRequest, { resource: string }>,
  ): ApiResponse {
    return this.read(credentials, (s) => {
      this.authorizeResource(s, attrs);
      const { labels, fields } = this.selection(path, query);
      const nodes = path.info.kind === 'NodeMetrics';
      const sources = nodes ? s.store.list('Node') : s.store.list('Pod', path.namespace);
      const items: KObject[] = [];
      for (const o of sources) {
        if (path.name ? o.metadata.name !== path.name : !matches(labels, o.metadata.labels) || !matchesFields(fields, o)) continue;
        const m = isKind(o, 'Pod') ? podMetrics(s.store, o, s.now) : nodeMetrics(s.store, o, s.now);
        if (m) items.push(shiftTimestamps(m, this.offset(s)));
      }
      if (path.name) {
        if (!items.length) throw notFound(`${path.info.plural}.metrics.k8s.io`, path.name);
        return respond(200, items[0]);
      }
      return respond(200, { kind: `${path.info.kind}List`, apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items });
    });
  }

  /** The autoscaling/v1 Scale of an object: a built-in workload's, or a custom resource's by its CRD's paths. */
  private scaleView(info: KindInfo, target: KObject, replicas: number): KObject {
    const { name, namespace, uid, resourceVersion, creationTimestamp } = target.metadata;
    const view = (status: { replicas: number; selector?: string }) =>
      ({
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
        spec: { replicas },
        status,
      }) as KObject;
    const custom = info.crd ? scaleSubresource(info) : undefined;
    if (custom) {
      // scaleFromCustomResource (apiextensions-apiserver registry/customresource/etcd.go): status
      // replicas at statusReplicasPath (0 when missing), the selector string at labelSelectorPath
      const statusReplicas = custom.statusReplicasPath ? readPath(target, custom.statusReplicasPath) : undefined;
      const selector = custom.labelSelectorPath ? readPath(target, custom.labelSelectorPath) : undefined;
      return view({
        replicas: typeof statusReplicas === 'number' ? statusReplicas : 0,
        ...(typeof selector === 'string' && selector ? { selector } : {}),
      });
    }
    // the built-in scalable kinds' fields
    const obj = target as KObject<{ selector?: LabelSelector | Record<string, string> }, { replicas?: number }>;
    // a ReplicationController's selector is a plain label map, the others' a LabelSelector
    const selector =
      obj.kind === 'ReplicationController' ? { matchLabels: obj.spec?.selector as Record<string, string> } : obj.spec?.selector;
    return view({ replicas: obj.status?.replicas ?? 0, ...(selector ? { selector: labelSelectorString(selector) } : {}) });
  }

  /** SelfSubjectAccessReview, SelfSubjectRulesReview, SelfSubjectReview and the others: answered, never stored. */
  private review(req: ApiRequest, path: ResourcePath, credentials: Credentials): ApiResponse {
    const body = parseBody(req);
    return this.read(credentials, (s) => {
      const user = userOf(s);
      const spec = (body.spec ?? {}) as Record<string, unknown>;
      const answer = (status: Record<string, unknown>, specOut: unknown = spec) =>
        respond(201, {
          kind: path.info.kind,
          apiVersion: `${path.info.group}/v1`,
          metadata: { creationTimestamp: null },
          spec: specOut,
          status,
        });
      switch (path.info.kind) {
        case 'SelfSubjectAccessReview':
        case 'SubjectAccessReview':
        case 'LocalSubjectAccessReview': {
          let subject = user;
          if (path.info.kind !== 'SelfSubjectAccessReview') {
            this.authorizeResource(s, {
              verb: 'create',
              namespace: path.namespace ?? '',
              group: path.info.group,
              resource: path.info.plural,
            });
            subject = { name: String(spec.user ?? ''), groups: (spec.groups as string[] | undefined) ?? [] };
          }
          const ra = spec.resourceAttributes as Record<string, string> | undefined;
          const nra = spec.nonResourceAttributes as Record<string, string> | undefined;
          const request: AuthzRequest = ra
            ? {
                verb: ra.verb ?? '',
                namespace: path.namespace ?? ra.namespace ?? '',
                group: ra.group ?? '',
                resource: ra.resource ?? '',
                ...(ra.subresource ? { subresource: ra.subresource } : {}),
                ...(ra.name ? { name: ra.name } : {}),
              }
            : { verb: nra?.verb ?? '', path: nra?.path ?? '' };
          const allowed = authorize(s.store, subject, request);
          return answer({ allowed, ...(allowed ? { reason: 'RBAC: allowed' } : {}) });
        }
        case 'SelfSubjectRulesReview': {
          const namespace = String(spec.namespace ?? '');
          const rules = rulesFor(s.store, user, namespace);
          const resourceRules = rules.filter((r) => Array.isArray(r.resources) || Array.isArray(r.apiGroups));
          const nonResourceRules = rules.filter((r) => Array.isArray(r.nonResourceURLs));
          return answer({ resourceRules, nonResourceRules, incomplete: false });
        }
        case 'SelfSubjectReview':
          return answer(
            {
              userInfo: {
                username: user.name,
                ...(user.uid ? { uid: user.uid } : {}),
                groups: user.groups,
                ...(user.extra ? { extra: user.extra } : {}),
              },
            },
            undefined,
          );
        default:
          throw new ApiError('MethodNotAllowed', 405, `${path.info.plural}.${path.info.group} is not supported by kubesim serve`);
      }
    });
  }
}
