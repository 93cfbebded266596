import * as https from 'node:https';
import * as path from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { ResidentSession } from '../engine/resident-session';
import type { Session } from '../engine/session';
import { wallNow } from '../clock/clock';
import { CLUSTER_ADMIN } from '../auth/authenticate';
import { matches } from '../api/labels';
import { matchesFields } from '../api/field-selector';
import { apiVersionOf, servedObject } from '../api/registry';
import { MAX_REQUEST_BODY_BYTES } from '../api/server';
import type { KObject } from '../model/objects';
import type { ObjectStore } from '../store/object-store';
import { ChangeFeed, type Change } from './change-feed';
import { Checkpointer } from './checkpointer';
import { ApiRouter, type ApiRequest, type ApiResponse, type Identity, type ResponseStream, type WatchSpec } from './router';
import { failure, type Status } from './status';
import { shiftedNow, shiftTimestamps, table } from './wire';
import { ServedJson } from './served-json';
import { certificateSubject, type ClusterCertificates } from './tls';
import { dashboardAsset, dashboardPage } from '../printers/html-report';
import { chooseProtocol, serveRemoteCommand } from './remote-command';
import { encodeProtobufObject, encodeWatchFrame, prefersProtobuf, PROTOBUF_TYPE } from './protobuf';

/**
 * `kubesim serve`'s HTTPS listener: TLS with the cluster's certificates, who the client is
 * (client certificate or bearer token), bounded bodies and timeouts, then the router; watches
 * are streamed from the change feed. A timer moves virtual time at --speed times the wall clock
 * and runs the controllers, and a poll of the state file's resourceVersion brings every other
 * writer's changes (kubesim commands on the same file) to open watches.
 */
export interface ListenOptions {
  statePath: string;
  address: string;
  port: number;
  /** virtual seconds per wall second */
  speed: number;
  certificates: ClusterCertificates;
  /** how often open watches that asked for bookmarks get one (ms of wall time) */
  bookmarkIntervalMs?: number;
  /** how often the state file is checked for other writers' changes (ms) */
  pollIntervalMs?: number;
  /** how often the clock moves and the controllers run (ms) */
  tickIntervalMs?: number;
  /** bytes a watch may have waiting for its client before it counts as slow (WATCH_BUFFER_BYTES) */
  watchBufferBytes?: number;
  /** how long (ms) a slow watch may stay over that before it is closed (WATCH_SLOW_MS) */
  watchSlowMs?: number;
  /**
   * The dashboard's bearer token (`kubesim dashboard` makes one per start and prints it in the
   * page's URL): it reads as the admin and writes nothing. Without one, the page at / is served
   * but no token opens the API to it.
   */
  dashboardToken?: string;
}

/** who the dashboard's token reads as, in the refusal of a write */
export const DASHBOARD_USER = 'kubesim:dashboard';

/**
 * A watch whose client does not read what it is sent: kube-apiserver's watch cache gives each
 * watcher a bounded buffer of events and closes the watcher whose buffer stays full
 * (cacher.go: "Forcing ... watcher close due to unresponsiveness"); its client (a reflector)
 * watches again from the last resourceVersion it saw, or lists again. Here the bound is the bytes
 * the response holds that the socket has not sent: over it after a change, and still over it
 * WATCH_SLOW_MS later, the connection is closed and what it held is dropped — else one stalled
 * client of a busy cluster would keep every event in the server's memory.
 */
const WATCH_BUFFER_BYTES = 16 * 1024 * 1024;
const WATCH_SLOW_MS = 5_000;

/** how long a request may take to arrive in full (headers and body), as kube-apiserver's request timeout bounds it */
const REQUEST_TIMEOUT_MS = 60_000;

export class ApiServer {
  readonly feed = new ChangeFeed();
  /** the cluster, kept loaded between requests (reloaded when a kubesim command writes the file) */
  readonly resident: ResidentSession;
  private readonly router: ApiRouter;
  private server?: https.Server;
  private timers: NodeJS.Timeout[] = [];
  private readonly watches = new Set<ServerResponse>();
  /** watches closed because their client did not read (tests read it) */
  slowWatchesClosed = 0;
  /** the last store and virtual now the feed saw (watch events render with them) */
  private lastStore?: ObjectStore;
  private lastNow = 0;
  private lastOffset = 0;
  private lastWall = 0;
  private address = '';
  /** the WAL checkpoint, in a worker thread instead of in the commit of a request (checkpointer.ts) */
  checkpointer?: Checkpointer;

  constructor(private readonly opts: ListenOptions) {
    this.resident = new ResidentSession(opts.statePath);
    this.router = new ApiRouter({
      statePath: opts.statePath,
      sessions: this.resident,
      wireOffset: (s) => this.offsetFor(s),
      serverAddress: `${opts.address}:${opts.port}`,
      afterWrite: () => this.safely(() => this.poll(true)),
      pieces: true,
    });
  }

  /** Starts listening; resolves with the port once connections are accepted. */
  async start(): Promise<number> {
    this.resident.setChangeLog(true);
    this.resident.recordWrites = true;
    this.resident.autoCheckpoint(0);
    this.checkpointer = new Checkpointer(path.resolve(this.opts.statePath), () =>
      // SQLite's own checkpoint again (SQLite's default page count), in the commits
      this.safely(() => this.resident.autoCheckpoint(1000)),
    );
    this.resident.run((s) => {
      this.feed.prime(s.store);
      this.remember(s);
    }, {});
    this.lastWall = wallNow();
    const certs = this.opts.certificates;
    const server = https.createServer(
      { key: certs.serverKey, cert: certs.serverCert, ca: certs.caCert, requestCert: true, rejectUnauthorized: false },
      (req, res) => this.request(req, res),
    );
    server.requestTimeout = REQUEST_TIMEOUT_MS;
    server.headersTimeout = REQUEST_TIMEOUT_MS / 2;
    server.on('clientError', (_e, socket) => socket.destroy());
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.safely(() => this.upgrade(req, socket, head)));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.address, () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    this.address = `${this.opts.address}:${port}`;
    this.timers.push(setInterval(() => this.safely(() => this.tick()), this.opts.tickIntervalMs ?? 1000));
    this.timers.push(setInterval(() => this.safely(() => this.poll(false)), this.opts.pollIntervalMs ?? 250));
    return port;
  }

  /** Stops accepting, ends open watches, and brings the state file up to now. */
  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    for (const res of this.watches) res.end();
    this.watches.clear();
    this.follows.clear();
    for (const ws of this.sockets.clients) ws.terminate();
    const server = this.server;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    this.safely(() => this.tick());
    this.safely(() => this.resident.setChangeLog(false));
    await this.checkpointer?.close();
    // the file's last connection: closing it checkpoints the whole WAL
    this.resident.close();
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch {
      // a locked or momentarily unreadable state file: the next tick tries again
    }
  }

  private remember(s: Session): void {
    this.lastStore = s.store;
    this.lastNow = s.now;
    this.lastOffset = this.offsetFor(s);
  }

  /** wall − virtual now, taken when virtual now last moved (see offsetFor) */
  private anchor = { now: Number.NaN, offset: 0 };

  /**
   * Wall minus virtual now, what timestamps move by on the wire: taken again only when virtual
   * now moved (a tick, a command's clock advance). Taken per request, it grew with the wall clock
   * between ticks, so a timestamp read twice a moment apart could differ by a second (kubectl
   * diff showed creationTimestamp changed between its GET and its dry-run PATCH).
   */
  private offsetFor(s: Session): number {
    if (s.now !== this.anchor.now) this.anchor = { now: s.now, offset: wallNow() - s.now };
    return this.anchor.offset;
  }

  /** Moves virtual time: by the wall time elapsed × speed (wall-mode clusters already move by 1×). */
  private tick(): void {
    const wall = wallNow();
    const elapsed = Math.max(0, wall - this.lastWall);
    this.lastWall = wall;
    const speed = this.opts.speed;
    this.resident.run(
      (s) => {
        const extra = s.clockMode === 'manual' ? elapsed * speed : elapsed * (speed - 1);
        if (extra > 0) s.advance(Math.round(extra));
      },
      { readOnly: true },
    );
    this.poll(false);
    this.pumpFollows();
  }

  /**
   * Feeds the watches when the cluster's resourceVersion moved: a write of this server (its
   * store's resourceVersion) or another process's commit to the file (data_version), which the
   * read loads.
   */
  private poll(force: boolean): void {
    if (!force && !this.resident.stale() && this.resident.resourceVersion === this.feed.rv) return;
    this.checkpointer?.request();
    const logged = this.resident.takeChanges(this.feed.rv);
    this.resident.run(
      (s) => {
        this.remember(s);
        // every write this server made since (requests, the controllers' catch-up): each is a watch event
        this.feed.observe(s.store, logged, this.resident.takeWrites());
      },
      { readOnly: true },
    );
  }

  private identity(req: IncomingMessage): Identity {
    const auth = req.headers.authorization ?? '';
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (bearer && this.isDashboardToken(bearer[1])) return { kind: 'admin' };
    if (bearer) return { kind: 'token', token: bearer[1] };
    if (auth) return { kind: 'anonymous' };
    const socket = req.socket as TLSSocket;
    if (!socket.authorized) return { kind: 'anonymous' };
    const subject = certificateSubject(socket.getPeerCertificate().subject ?? {});
    const adminGroups = CLUSTER_ADMIN.groups.filter((g) => g !== 'system:authenticated');
    if (subject.name === CLUSTER_ADMIN.name && adminGroups.every((g) => subject.groups.includes(g))) return { kind: 'admin' };
    return { kind: 'anonymous' };
  }

  private hasDashboardToken(req: IncomingMessage): boolean {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    return !!bearer && this.isDashboardToken(bearer[1]);
  }

  private isDashboardToken(token: string): boolean {
    const expected = this.opts.dashboardToken;
    if (!expected) return false;
    const a = Buffer.from(token);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /**
   * The dashboard's own paths: its page at / (for a browser: Accept text/html; API clients still
   * get the API's root paths) and its script and styles under /dashboard/, served to anyone (they
   * hold no data); /dashboard/clock (virtual now, and what wire timestamps are moved by) needs
   * credentials as the API does. The dashboard's token reads only: a write with it is Forbidden.
   */
  private dashboard(req: IncomingMessage, method: string, identity: Identity): ApiResponse | undefined {
    const pathname = (req.url ?? '/').split('?')[0];
    const html = (req.headers.accept ?? '').includes('text/html');
    if (pathname === '/' && html && (method === 'GET' || method === 'HEAD'))
      return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }, body: dashboardPage() };
    const asset = /^\/dashboard\/([\w.-]+)$/.exec(pathname)?.[1];
    if (asset && asset !== 'clock' && (method === 'GET' || method === 'HEAD')) {
      const found = dashboardAsset(asset);
      if (found) return { status: 200, headers: { 'Content-Type': found.type, 'Cache-Control': 'no-cache' }, body: found.body };
    }
    if (this.hasDashboardToken(req) && method !== 'GET' && method !== 'HEAD') {
      const verb = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' }[method] ?? method.toLowerCase();
      return readOnlyRefusal(pathname, verb);
    }
    if (asset === 'clock') {
      if (identity.kind === 'anonymous')
        return {
          status: 401,
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(failure(401, 'Unauthorized', 'Unauthorized')),
        };
      const clock = this.resident.run((s) => ({ now: s.now, offset: this.offsetFor(s) }), { readOnly: true });
      return { status: 200, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }, body: JSON.stringify(clock) };
    }
    return undefined;
  }

  private headersOf(req: IncomingMessage): ApiRequest['headers'] {
    const headers: ApiRequest['headers'] = {};
    for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = value;
    // repeated Impersonate-Group headers arrive joined; the raw list keeps them apart
    const groups: string[] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2)
      if (req.rawHeaders[i].toLowerCase() === 'impersonate-group') groups.push(req.rawHeaders[i + 1]);
    if (groups.length) headers['impersonate-group'] = groups;
    return headers;
  }

  private request(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BODY_BYTES) {
        if (!tooLarge) {
          tooLarge = true;
          this.send(res, {
            status: 413,
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(failure(413, `Request entity too large: limit is ${MAX_REQUEST_BODY_BYTES}`, 'RequestEntityTooLarge')),
          });
          req.resume();
        }
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (tooLarge) return;
      const headers = this.headersOf(req);
      let response: ApiResponse;
      try {
        const identity = this.identity(req);
        response =
          this.dashboard(req, (req.method ?? 'GET').toUpperCase(), identity) ??
          this.router.handle({
            method: req.method ?? 'GET',
            url: req.url ?? '/',
            headers,
            body: Buffer.concat(chunks),
            identity,
          });
      } catch (e) {
        response = {
          status: 500,
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(failure(500, `Internal error occurred: ${String(e)}`)),
        };
      }
      response = this.negotiate(String(headers.accept ?? ''), response);
      if (response.watch) this.watch(res, response, response.watch);
      else if (response.stream && req.method !== 'HEAD') this.follow(res, response, response.stream);
      else if (response.pieces) this.sendPieces(res, response, response.pieces, req.method === 'HEAD');
      else this.send(res, response, req.method === 'HEAD');
    });
  }

  private readonly sockets = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: MAX_REQUEST_BODY_BYTES,
    handleProtocols: (offered) => chooseProtocol(offered),
  });

  /**
   * An upgrade: exec or attach over WebSocket (remote-command.ts). Anything the router refuses —
   * and any other upgrade, such as the SPDY/3.1 kubectl falls back to — is answered as a plain
   * HTTP response with the router's Status, which kubectl prints.
   */
  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const request: ApiRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: this.headersOf(req),
      identity: this.identity(req),
    };
    const websocket = String(req.headers.upgrade ?? '').toLowerCase() === 'websocket';
    // exec and attach create (pods/exec, pods/attach): the dashboard's token only reads
    const found = this.hasDashboardToken(req)
      ? { response: readOnlyRefusal((req.url ?? '/').split('?')[0], 'create') }
      : websocket
        ? this.router.remote(request)
        : { response: this.router.handle(request) };
    if ('command' in found) {
      const command = found.command;
      this.sockets.handleUpgrade(req, socket, head, (ws) =>
        serveRemoteCommand(ws, command, (tick) => {
          this.follows.add(tick);
          return () => this.follows.delete(tick);
        }),
      );
      return;
    }
    const { status, headers, body } = found.response;
    const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`];
    for (const [name, value] of Object.entries(headers)) for (const v of [value].flat()) lines.push(`${name}: ${v}`);
    lines.push(`Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close', '', '');
    socket.end(lines.join('\r\n') + body);
  }

  private send(res: ServerResponse, response: ApiResponse, headOnly = false): void {
    if (res.headersSent) return;
    const body = response.bytes ?? response.body;
    res.writeHead(response.status, { ...response.headers, 'Content-Length': Buffer.byteLength(body) });
    res.end(headOnly ? undefined : body);
  }

  /**
   * A body made in pieces (a big LIST): each written as it is made, the next made when the
   * socket has taken the last (the whole body is never in memory at once). A piece that fails
   * to be made ends the connection, as the API server ends a response it cannot finish.
   */
  private sendPieces(res: ServerResponse, response: ApiResponse, pieces: Iterator<string>, headOnly: boolean): void {
    if (res.headersSent) return;
    res.writeHead(response.status, response.headers);
    if (headOnly) {
      res.end();
      return;
    }
    const pump = () => {
      try {
        for (;;) {
          if (res.writableEnded || res.destroyed) return;
          const next = pieces.next();
          if (next.done) {
            res.end();
            return;
          }
          if (!res.write(next.value)) {
            res.once('drain', pump);
            return;
          }
        }
      } catch {
        res.destroy();
      }
    };
    pump();
  }

  /**
   * A client that prefers protobuf (client-go's typed clients: `application/vnd.kubernetes.protobuf,
   * application/json`) gets the object in protobuf when its kind has a message, as the API
   * server's negotiation picks the first type it can serve; a custom resource or a Table stays
   * JSON when JSON is accepted too, and is 406 Not Acceptable when only protobuf is.
   */
  private negotiate(accept: string, response: ApiResponse): ApiResponse {
    if (response.watch || response.stream || !prefersProtobuf(accept)) return response;
    if (String(response.headers['Content-Type'] ?? '') !== 'application/json') return response;
    if (response.pieces) response = { ...response, body: joined(response.pieces), pieces: undefined };
    let bytes: Buffer | undefined;
    try {
      bytes = encodeProtobufObject(JSON.parse(response.body) as Record<string, unknown>);
    } catch {
      bytes = undefined;
    }
    if (bytes) return { ...response, headers: { ...response.headers, 'Content-Type': PROTOBUF_TYPE }, body: '', bytes };
    const others = accept.split(',').map((p) => p.split(';')[0].trim().toLowerCase());
    if (others.some((t) => t === 'application/json' || t === '*/*' || t === 'application/*')) return response;
    const status = failure(406, `only the following media types are accepted: application/json, application/yaml`, 'NotAcceptable');
    return { status: 406, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(status) };
  }

  /** One watch: the starting events, then every matching change until the client goes or timeoutSeconds pass. */
  private watch(res: ServerResponse, response: ApiResponse, spec: WatchSpec): void {
    this.safely(() => this.poll(false));
    const { 'Transfer-Encoding': _chunked, ...headers } = response.headers;
    res.writeHead(200, headers);
    // the API server flushes the head before the first event (WatchServer.HandleHTTP: WriteHeader, then
    // flusher.Flush()): clients such as client-node's Watch wait for it, and a watch may start empty
    res.flushHeaders();
    this.watches.add(res);
    // a client that went away between two changes gets nothing more (a write after the end would throw)
    const write = (type: string, object: unknown) => {
      if (res.writableEnded || res.destroyed) return;
      if (spec.protobuf) {
        const frame = encodeWatchFrame(type, object as Record<string, unknown>);
        if (frame) res.write(frame);
        return;
      }
      res.write(`${JSON.stringify({ type, object })}\n`);
    };
    /** an object's event: its JSON made once for all the plain watches of the kind (200 watches, one rendering) */
    const writeObject = (type: string, obj: KObject) => {
      if (spec.table || spec.protobuf) return write(type, this.render(spec, obj));
      if (res.writableEnded || res.destroyed) return;
      res.write(this.renderedLine(spec, type, obj));
    };
    const error = (status: Status) => {
      write('ERROR', status);
      finish();
    };
    const rvText = spec.resourceVersion;
    const start = rvText === undefined || rvText === '' || rvText === '0' ? undefined : Number(rvText);
    let unsubscribe = () => undefined as unknown;
    const timers: NodeJS.Timeout[] = [];
    const finish = () => {
      unsubscribe();
      for (const t of timers) clearTimeout(t);
      this.watches.delete(res);
      if (!res.writableEnded) res.end();
    };
    res.on('close', finish);
    res.on('error', finish);
    if (start !== undefined && !Number.isInteger(start))
      return error(failure(400, `invalid resource version: strconv.ParseUint: parsing "${rvText}": invalid syntax`, 'BadRequest'));
    const bound = this.opts.watchBufferBytes ?? WATCH_BUFFER_BYTES;
    let slow: NodeJS.Timeout | undefined;
    /** after a change: a watch over the bound that is still over it WATCH_SLOW_MS later is closed */
    const backpressure = () => {
      if (slow || res.writableLength <= bound) return;
      slow = setTimeout(() => {
        slow = undefined;
        if (res.writableLength > bound) {
          this.slowWatchesClosed++;
          res.destroy();
        }
      }, this.opts.watchSlowMs ?? WATCH_SLOW_MS);
      timers.push(slow);
    };
    // a batch of changes leaves in one write to the socket (corked), not one per event
    const emit = (changes: Change[]) => {
      if (res.writableEnded || res.destroyed) return;
      res.cork();
      try {
        for (const c of changes) {
          const event = this.eventFor(c, spec);
          if (event) writeObject(event.type, event.object);
        }
      } finally {
        res.uncork();
      }
      backpressure();
    };
    if (start === undefined) {
      const initial = this.feed
        .current(spec.info.kind)
        .filter((o) => this.selects(spec, o))
        .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
      res.cork();
      for (const o of initial) writeObject('ADDED', o);
      res.uncork();
    } else {
      const replay = this.feed.since(start);
      if (!replay) return error(failure(410, `too old resource version: ${start} (${this.feed.oldestRv})`, 'Expired'));
      emit(replay);
    }
    unsubscribe = this.feed.subscribe(emit);
    if (spec.bookmarks) {
      const interval = setInterval(() => {
        write('BOOKMARK', {
          kind: spec.info.kind,
          apiVersion: apiVersionOf(spec.info),
          metadata: { resourceVersion: String(this.feed.rv) },
        });
      }, this.opts.bookmarkIntervalMs ?? 60_000);
      timers.push(interval);
    }
    if (spec.timeoutSeconds) timers.push(setTimeout(finish, spec.timeoutSeconds * 1000));
  }

  /** Followed logs: each gets what its container printed after every move of the clock, until it stops. */
  private readonly follows = new Set<() => void>();

  /** A followed response (pods/log?follow=true): the body now, then more at each tick until the stream is done or the client goes. */
  private follow(res: ServerResponse, response: ApiResponse, stream: ResponseStream): void {
    res.writeHead(response.status, response.headers);
    if (response.body) res.write(response.body);
    else res.flushHeaders();
    const finish = () => {
      this.follows.delete(pump);
      if (!res.writableEnded) res.end();
    };
    const pump = () => {
      if (res.writableEnded || res.destroyed) return finish();
      let more: { text: string; done: boolean };
      try {
        more = stream.next();
      } catch {
        // the pod went, or its container cannot be read any more: the kubelet ends the stream
        return finish();
      }
      if (more.text) res.write(more.text);
      if (more.done) finish();
    };
    res.on('close', finish);
    this.follows.add(pump);
  }

  private pumpFollows(): void {
    for (const pump of [...this.follows]) pump();
  }

  private selects(spec: WatchSpec, o: KObject): boolean {
    if (o.kind !== spec.info.kind) return false;
    if (spec.info.namespaced && spec.namespace !== undefined && o.metadata.namespace !== spec.namespace) return false;
    return matches(spec.labels, o.metadata.labels) && matchesFields(spec.fields, o);
  }

  /** What a change looks like to one watch: an object leaving its selector is DELETED for it, one entering ADDED. */
  private eventFor(c: Change, spec: WatchSpec): { type: string; object: KObject } | undefined {
    const now = this.selects(spec, c.object);
    if (c.type !== 'MODIFIED' || !c.old) return now ? { type: c.type, object: c.object } : undefined;
    const before = this.selects(spec, c.old);
    if (now && before) return { type: 'MODIFIED', object: c.object };
    if (now) return { type: 'ADDED', object: c.object };
    if (before) return { type: 'DELETED', object: c.object };
    return undefined;
  }

  /** served objects' JSON (what many pods share is written once) */
  private readonly json = new ServedJson();

  /** served objects as JSON, by object, for the clock and kind they were rendered with */
  private readonly rendered = new WeakMap<
    KObject,
    { info: WatchSpec['info']; now: number; offset: number; json: string; lines: Map<string, Buffer> }
  >();

  private renderedEntry(spec: WatchSpec, obj: KObject) {
    const hit = this.rendered.get(obj);
    if (hit && hit.info === spec.info && hit.now === this.lastNow && hit.offset === this.lastOffset) return hit;
    const store = this.lastStore!;
    const json = this.json.text(servedObject(spec.info, obj, { now: this.lastNow, store }), this.lastOffset, store);
    const entry = { info: spec.info, now: this.lastNow, offset: this.lastOffset, json, lines: new Map<string, Buffer>() };
    this.rendered.set(obj, entry);
    return entry;
  }

  /**
   * An object's event line for plain JSON watches, encoded once for all of them: 200 watches of
   * the same kind write the same bytes (each socket still encrypts its own copy).
   */
  private renderedLine(spec: WatchSpec, type: string, obj: KObject): Buffer {
    const entry = this.renderedEntry(spec, obj);
    let line = entry.lines.get(type);
    if (!line) {
      line = Buffer.from(`{"type":${JSON.stringify(type)},"object":${entry.json}}\n`);
      entry.lines.set(type, line);
    }
    return line;
  }

  private render(spec: WatchSpec, obj: KObject): unknown {
    const store = this.lastStore!;
    const ctx = { now: this.lastNow, store };
    const served = shiftTimestamps(servedObject(spec.info, obj, ctx), this.lastOffset);
    if (!spec.table) return served;
    return table(
      spec.info,
      [served],
      { now: shiftedNow(this.lastNow, this.lastOffset), store },
      { include: spec.include, resourceVersion: served.metadata.resourceVersion ?? '' },
    );
  }

  /** watches open now (tests read it) */
  get openWatches(): number {
    return this.watches.size;
  }

  get url(): string {
    return `https://${this.address}`;
  }
}

/** A body made in pieces, as one text. */
function joined(pieces: Iterator<string>): string {
  let body = '';
  for (let next = pieces.next(); !next.done; next = pieces.next()) body += next.value;
  return body;
}

/** What a write with the dashboard's read-only token gets. */
function readOnlyRefusal(pathname: string, verb: string): ApiResponse {
  return {
    status: 403,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(
      failure(403, `${pathname} is forbidden: User "${DASHBOARD_USER}" cannot ${verb}: the dashboard's token only reads`, 'Forbidden'),
    ),
  };
}
