import { logRead } from '../api/request-log';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { currentVirtualNow, MANUAL_CLOCK_EPOCH, monotonicMs, wallNow, type PersistedClock } from '../clock/clock';
import { Random } from '../util/random';
import { CliError } from '../util/errors';
import { StateFile } from '../store/state-file';
import type { ObjectStore } from '../store/object-store';
import type { ClusterShape } from '../sim/cluster-shape';
import { Engine } from './engine';
import type { ApiContext } from '../api/server';
import type { KObject, StoredEvent } from '../model/objects';
import { eventObject, inListOrder } from '../api/kinds/event';
import { ApiError } from '../util/errors';
import type { Credentials } from '../auth/authenticate';
import { authorize, type UserInfo } from '../auth/rbac-authorizer';
import { kindInfo, setCustomKinds, setCustomKindsLoader, type KindInfo } from '../api/registry';
import { onDemand } from '../util/on-demand';

// Loaded when first needed, not at start-up (util/on-demand): a read-only command on a quiescent
// cluster runs no controller, writes nothing and may have no CustomResourceDefinition.
/* eslint-disable @typescript-eslint/no-require-imports */
const controllers = onDemand('engine/controllers', () => require('./controllers') as typeof import('./controllers'));
const server = onDemand('api/server', () => require('../api/server') as typeof import('../api/server'));
const bootstrapPolicy = onDemand(
  'sim/bootstrap-policy',
  () => require('../sim/bootstrap-policy') as typeof import('../sim/bootstrap-policy'),
);
// token checks (node:crypto): only when the command's credentials name someone other than the admin
const authentication = onDemand('auth/authenticate', () => require('../auth/authenticate') as typeof import('../auth/authenticate'));
// a new cluster's objects and default shape
const flowControlBootstrap = onDemand(
  'api/kinds/flowcontrol-bootstrap',
  () => require('../api/kinds/flowcontrol-bootstrap') as typeof import('../api/kinds/flowcontrol-bootstrap'),
);
const clusterShape = onDemand('sim/cluster-shape', () => require('../sim/cluster-shape') as typeof import('../sim/cluster-shape'));
const evictionManager = onDemand(
  'sim/eviction-manager',
  () => require('../sim/eviction-manager') as typeof import('../sim/eviction-manager'),
);
const nodeStubs = onDemand('scheduler/node-stubs', () => require('../scheduler/node-stubs') as typeof import('../scheduler/node-stubs'));
const nodePodCounts = onDemand('sim/node-pod-counts', () => require('../sim/node-pod-counts') as typeof import('../sim/node-pod-counts'));
const quietObjects = onDemand('engine/quiet-objects', () => require('./quiet-objects') as typeof import('./quiet-objects'));
const customKinds = onDemand('api/crd/custom-kinds', () => require('../api/crd/custom-kinds') as typeof import('../api/crd/custom-kinds'));
/* eslint-enable @typescript-eslint/no-require-imports */

/** Serves the custom resources of these CRDs (none: no custom kinds, without loading the CRD code). */
function syncCustomKinds(crds: KObject[]): void {
  if (crds.length) customKinds().syncCustomKinds(crds);
  else setCustomKinds([]);
}

/** meta key prefix of a controller's quiet marks (see SavedQuiet) */
const QUIET_META = 'quiet:';
/** meta key of the eviction manager's per-node memory sums (sim/eviction-manager.ts nodeMemoryToSave) */
const NODE_MEMORY_META = 'node-memory';
/** meta key of the kubelet's per-node counts of pod IPs and images (sim/node-pod-counts.ts) */
const NODE_PODS_META = 'kubelet-nodes';
/** meta key of the Nodes as the scheduler's snapshot reads them (scheduler/node-stubs.ts) */
const SCHEDULER_NODES_META = 'scheduler-nodes';

/**
 * meta key of what the last command left: a cluster quiescent at its clock, with nothing due
 * before `next` (null: nothing due), as of the resourceVersion, clock and PRNG state it wrote
 * with it. While all three are unchanged and the clock is before `next`, catching up would
 * change nothing, so a read-only command may skip it (Session.run's `readOnly`).
 */
const QUIESCENT_META = 'quiescent';
export interface QuiescentMark {
  rv: string;
  clock: string;
  random: string;
  next: number | null;
}

export function defaultStatePath(): string {
  return path.join(os.homedir(), '.kubesim', 'default.db');
}

export interface SessionOptions {
  statePath: string;
  /** shape for a new cluster when the file does not exist yet */
  shape?: Partial<ClusterShape>;
  /** who the command's requests are made as; none: kubectl's admin, whose writes are not checked */
  credentials?: Credentials;
}

/** Whether the credentials name someone other than the admin (a token, basic auth, impersonation). */
function namesUser(creds: Credentials | undefined): creds is Credentials {
  return !!creds && (creds.token !== undefined || !!creds.basicAuth || !!creds.impersonate);
}

/**
 * The RBAC check of the API server's authorization filter for a write, with its Forbidden text:
 * `pods "x" is forbidden: User "jane" cannot patch resource "pods" in API group "" in the namespace "default"`.
 */
function rbacAuthorizer(store: ObjectStore, user: UserInfo): NonNullable<ApiContext['authorize']> {
  return (verbs: string[], info: KindInfo, namespace: string | undefined, name: string) => {
    const request = { namespace: namespace ?? '', group: info.group, resource: info.plural, ...(name ? { name } : {}) };
    if (verbs.some((verb) => authorize(store, user, { verb, ...request }))) return;
    const verb = verbs[verbs.length - 1];
    const what = verb === 'create' || !name ? info.plural : `${info.plural} "${name}"`;
    const resource = info.group ? `${what.replace(info.plural, `${info.plural}.${info.group}`)}` : what;
    const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
    throw new ApiError(
      'Forbidden',
      403,
      `Error from server (Forbidden): ${resource} is forbidden: User "${user.name}" cannot ${verb} resource "${info.plural}" in API group "${info.group}" ${scope}`,
    );
  };
}

/**
 * One command's view of a cluster: the state file, its objects in memory, the clock,
 * the PRNG and the engine. Created inside the state file's transaction.
 */
export class Session {
  readonly engine: Engine;
  readonly shape: ClusterShape;
  private clock: PersistedClock;

  private constructor(
    private readonly state: StateFile,
    readonly store: ObjectStore,
    readonly random: Random,
    clock: PersistedClock,
    shape: ClusterShape,
    now = currentVirtualNow(clock),
  ) {
    this.clock = clock;
    this.shape = shape;
    this.engine = new Engine(store, random, () => controllers().allControllers(), now);
    this.engine.savedQuiet = (controller) => quietObjects().savedQuietOfRow(state.getMetaValue(`${QUIET_META}${controller}`));
    // (a read-only command runs no controllers)
    if (!store.readOnly) {
      evictionManager().nodeMemorySaved(store, () => state.getMeta(NODE_MEMORY_META));
      nodePodCounts().nodePodCountsSaved(store, () => state.getMeta(NODE_PODS_META));
      nodeStubs().nodeStubsSaved(store, () => state.getMeta(SCHEDULER_NODES_META));
    }
  }

  get now(): number {
    return this.engine.now;
  }

  /** Virtual now by the clock as last saved: what a next command would catch up to. */
  clockNow(): number {
    return currentVirtualNow(this.clock);
  }

  /** Syncs the custom kinds served with the CRDs in the store (after a reload or CRD writes in a kept session). */
  syncCustomKinds(): void {
    syncCustomKinds(this.store.list('CustomResourceDefinition'));
  }

  get clockMode(): PersistedClock['mode'] {
    return this.clock.mode;
  }

  /** set when the command's requests are made as someone other than the admin: their writes are authorized */
  requestUser?: UserInfo;

  get api(): ApiContext {
    const user = this.requestUser;
    return {
      store: this.store,
      now: this.engine.now,
      random: this.random,
      ...(user ? { authorize: rbacAuthorizer(this.store, user) } : {}),
    };
  }

  /** The API server's authentication of the command's credentials (Unauthorized when they name no one it knows). */
  authenticate(credentials: Credentials | undefined): this {
    if (namesUser(credentials)) this.requestUser = authentication().authenticate(this.store, credentials, this.now);
    return this;
  }

  /** Events as stored, including those this command recorded (they are written as they happen). */
  events(filter: Parameters<StateFile['events']>[0] = {}): StoredEvent[] {
    return this.state.events(filter, this.now);
  }

  /** Objects of a kind as the API lists them, namespace/name order (events come from the event table). */
  list(kind: string, namespace?: string): KObject[] {
    if (kind === 'Event') {
      let events = inListOrder(this.events(namespace === undefined ? {} : { namespace })).map(eventObject);
      // Events written through the API (create -f, a client's POST) are stored as objects: listed with the recorded ones
      if (this.store.count('Event')) events = byNamespaceAndName([...events, ...this.store.list('Event', namespace)]);
      // kept outside the object store, so the list request kubectl would make is logged here (kubectl -v)
      logRead('Event', namespace, undefined, events);
      return events;
    }
    // a resource with no storage (componentstatuses): its handler makes the objects on each request
    const info = kindInfo(kind);
    if (info?.computed) {
      const objects = info.computedObjects!(this.now).filter((o) => namespace === undefined || o.metadata.namespace === namespace);
      logRead(kind, namespace, undefined, objects);
      return objects;
    }
    return this.store.list(kind, namespace);
  }

  /** Writes objects, events, clock and PRNG state back (inside the transaction). */
  save(): void {
    if (this.engine.profile) {
      const rows = [...this.engine.profile].sort((a, b) => b[1].ms - a[1].ms);
      for (const [name, p] of rows)
        process.stderr.write(
          `profile: ${name.padEnd(28)} ${p.ms.toFixed(0).padStart(7)} ms  cpu ${p.cpuMs.toFixed(0).padStart(6)} ms  ${p.calls} passes\n`,
        );
      process.stderr.write(
        `profile: writes ${this.store
          .kinds()
          .map((k) => `${k} ${this.store.kindWrites(k)}`)
          .filter((w) => !w.endsWith(' 0'))
          .join(', ')}\n`,
      );
    }
    this.state.flush(this.store);
    // after the flush: objects created in this command have their row ids now
    for (const [controller, saved] of this.engine.quietToSave()) {
      if (saved) this.state.setMeta(`${QUIET_META}${controller}`, quietObjects().quietRowValue(saved));
      else this.state.deleteMeta(`${QUIET_META}${controller}`);
    }
    const nodeMemory = evictionManager().nodeMemoryToSave(this.store, this.engine.now);
    if (nodeMemory !== undefined) this.state.setMeta(NODE_MEMORY_META, nodeMemory);
    const nodePods = nodePodCounts().nodePodCountsToSave(this.store);
    if (nodePods !== undefined) this.state.setMeta(NODE_PODS_META, nodePods);
    const stubs = nodeStubs().nodeStubsToSave(this.store);
    if (stubs !== undefined) this.state.setMeta(SCHEDULER_NODES_META, stubs);
    this.state.pruneEvents(this.engine.now);
    this.clock = { ...this.clock, virtualNow: this.engine.now, wallAtLastCommand: wallNow() };
    const clock = JSON.stringify(this.clock);
    const random = JSON.stringify(this.random.state());
    this.state.setMeta('clock', clock);
    this.state.setMeta('random', random);
    if (this.engine.quiescent()) {
      const mark: QuiescentMark = { rv: String(this.store.resourceVersion), clock, random, next: this.engine.pendingWakeup() ?? null };
      this.state.setMeta(QUIESCENT_META, JSON.stringify(mark));
    } else {
      this.state.deleteMeta(QUIESCENT_META);
    }
  }

  /** What a save would write, in one string (undefined: objects changed); equal before and after: nothing to write. */
  footprint(): string | undefined {
    const store = this.store;
    if (store.unsaved) return undefined;
    return JSON.stringify([store.resourceVersion, this.engine.now, this.random.state()]);
  }

  /** Whether this command reads objects as it asks for them and runs no controllers (see Session.run). */
  get readOnly(): boolean {
    return this.store.readOnly;
  }

  /** Refuses a file that is not a kubesim state file (opening one brings an older schema up to date). */
  static verify(statePath: string): void {
    StateFile.open(statePath).state.close();
  }

  /** Deletes a cluster: its state file and SQLite's -wal and -shm files beside it. */
  static remove(statePath: string): void {
    for (const f of [statePath, `${statePath}-wal`, `${statePath}-shm`]) if (fs.existsSync(f)) fs.rmSync(f);
  }

  /**
   * Object names read straight from a state file, outside any session: no controllers run and
   * nothing is written, so shell completion stays fast and never changes a cluster. A missing
   * or empty file is a cluster with nothing in it (completion must not create one).
   */
  static peekObjectNames(statePath: string, kind: string, namespace?: string): string[] {
    if (!fs.existsSync(statePath) || fs.statSync(statePath).size === 0) return [];
    const { state } = StateFile.open(statePath, { create: false });
    try {
      return state.objectNames(kind, namespace);
    } finally {
      state.close();
    }
  }

  /**
   * Objects of a kind read straight from a state file, outside any session (nothing runs, nothing
   * is written; a missing or empty file has none): kubesim lint copies the current cluster's nodes.
   */
  static peekObjects(statePath: string, kind: string): KObject[] {
    if (!fs.existsSync(statePath) || fs.statSync(statePath).size === 0) return [];
    const { state } = StateFile.open(statePath, { create: false });
    try {
      return state.storedObjects(kind);
    } finally {
      state.close();
    }
  }

  /**
   * Resolves custom resource names from the CRDs in a state file, read only when a name is not a
   * built-in one (or every kind is listed) before the command's session has read them itself.
   */
  static customKindsFrom(statePath: string): void {
    setCustomKindsLoader(() => syncCustomKinds(Session.peekCustomResourceDefinitions(statePath)));
  }

  /**
   * The CustomResourceDefinitions in a state file, read outside any session (nothing runs,
   * nothing is written): what a command needs to resolve custom resource names before it opens
   * its session. A missing, empty or unreadable file has none (the session reports the file).
   */
  private static peekCustomResourceDefinitions(statePath: string): KObject[] {
    if (!fs.existsSync(statePath) || fs.statSync(statePath).size === 0) return [];
    try {
      const { state } = StateFile.open(statePath, { create: false });
      try {
        return state.storedObjects('CustomResourceDefinition');
      } finally {
        state.close();
      }
    } catch {
      return [];
    }
  }

  /**
   * A value of the state file's meta table, read outside any command (kubesim serve's
   * certificates; the resourceVersion it polls to notice other processes' writes).
   */
  static readMeta(statePath: string, key: string): string | undefined {
    const { state } = StateFile.open(statePath, { create: false });
    try {
      return state.getMeta(key);
    } finally {
      state.close();
    }
  }

  /** Stores a meta value in its own transaction (kubesim serve's certificates, made once per cluster). */
  static writeMeta(statePath: string, key: string, value: string): void {
    const { state } = StateFile.open(statePath, { create: false });
    try {
      state.transaction(() => state.setMeta(key, value));
    } finally {
      state.close();
    }
  }

  /** Moves the clock forward (manual or wall mode), running everything due on the way. */
  advance(ms: number): void {
    this.engine.runUntil(this.engine.now + ms);
  }

  /**
   * Opens a state file and runs `fn` in one transaction. `fn` sees the cluster caught
   * up to virtual now; after it returns the engine settles again and everything is saved.
   * With `dryRun`, nothing is written (the transaction is rolled back). With `readOnly` (a
   * command that only reads), when the last command left the cluster quiescent and nothing is
   * due yet, no controller runs, nothing is saved and each kind is read only when asked for.
   */
  static run<T>(
    opts: SessionOptions,
    fn: (session: Session) => T,
    flags: { dryRun?: boolean; reconcile?: boolean; readOnly?: boolean } = {},
  ): T {
    const phase = phaseTimer();
    const { state } = StateFile.open(opts.statePath);
    try {
      const out = state.transaction(() => {
        phase('open+lock');
        const quiescent = flags.readOnly ? Session.loadQuiescent(state) : undefined;
        if (quiescent) {
          const result = fn(quiescent.authenticate(opts.credentials));
          phase('read-only command');
          return result;
        }
        const session = Session.load(state, opts.shape);
        const loaded = session.footprint();
        phase('load');
        if (flags.reconcile !== false) {
          // left quiescent with nothing due yet: catching up would change nothing
          const mark = Session.storedMark(state);
          if (mark && (mark.next === null || session.now < mark.next)) session.engine.resumeQuiescent(mark.next ?? undefined);
          else session.engine.runUntil(session.engine.now);
        }
        phase('catch up');
        const result = fn(session.authenticate(opts.credentials));
        if (flags.reconcile !== false) session.engine.settle();
        phase('command');
        if (flags.dryRun) throw new DryRunRollback(result);
        // a command that changed nothing (one whose every write was refused) leaves the file byte
        // for byte as it was: no clock bookkeeping, no PRNG state, no quiet marks
        // (unless the quiescent mark is missing or stale: writing it is a change too)
        if (loaded !== undefined && session.footprint() === loaded && (!session.engine.quiescent() || Session.storedMark(state)))
          return result;
        session.save();
        phase('save');
        return result;
      });
      phase('commit');
      return out;
    } catch (e) {
      if (e instanceof DryRunRollback) return e.result as T;
      throw e;
    } finally {
      state.close();
    }
  }

  /**
   * Runs `fn` on a new cluster of this shape held in memory: nothing is read from or written to
   * any state file (kubesim lint runs manifests there). The clock is manual, as the shape's seed
   * makes names and latencies repeat.
   */
  static scratch<T>(shape: ClusterShape, fn: (session: Session) => T): T {
    const state = StateFile.memory();
    try {
      return state.transaction(() => {
        const session = Session.initialise(state, { ...shape, clock: 'manual' });
        session.engine.settle();
        return fn(session);
      });
    } finally {
      state.close();
    }
  }

  /** A session on every object of the file (a new cluster when the file has none yet); also ResidentSession's load. */
  static load(state: StateFile, shapeOverride?: Partial<ClusterShape>): Session {
    const clockText = state.getMeta('clock');
    if (!clockText) return Session.initialise(state, { ...clusterShape().DEFAULT_SHAPE, ...(shapeOverride ?? {}) });
    const clock = JSON.parse(clockText) as PersistedClock;
    return Session.loaded(state, clock, currentVirtualNow(clock), false);
  }

  private static loaded(state: StateFile, clock: PersistedClock, now: number, lazy: boolean): Session {
    const random = new Random(JSON.parse(state.getMeta('random') ?? '[1,2,3,4]') as number[]);
    const shape = JSON.parse(state.getMeta('shape') ?? JSON.stringify(clusterShape().DEFAULT_SHAPE)) as ClusterShape;
    const store = state.load({ lazy });
    syncCustomKinds(store.list('CustomResourceDefinition'));
    return new Session(state, store, random, clock, shape, now);
  }

  /** The quiescent mark the last command left, if it still holds for what the file says (resourceVersion, clock, PRNG). */
  static storedMark(state: StateFile): QuiescentMark | undefined {
    const text = state.getMeta(QUIESCENT_META);
    const clockText = state.getMeta('clock');
    if (!text || !clockText) return undefined;
    let mark: QuiescentMark;
    try {
      mark = JSON.parse(text) as QuiescentMark;
    } catch {
      return undefined;
    }
    if (mark.clock !== clockText || mark.random !== state.getMeta('random') || mark.rv !== (state.getMeta('resourceVersion') ?? '1'))
      return undefined;
    return mark;
  }

  /** A read-only session on objects read lazily, if the quiescent mark still holds (else undefined). */
  private static loadQuiescent(state: StateFile): Session | undefined {
    const mark = Session.storedMark(state);
    if (!mark) return undefined;
    const clock = JSON.parse(mark.clock) as PersistedClock;
    const now = currentVirtualNow(clock);
    // in wall-clock mode time has moved on: up to the next thing due, catching up changes nothing
    if (mark.next !== null && now >= mark.next) return undefined;
    return Session.loaded(state, clock, now, true);
  }

  /** A brand-new cluster: namespaces, the kubernetes Service, nodes. */
  private static initialise(state: StateFile, shape: ClusterShape): Session {
    if (!Number.isInteger(shape.seed)) throw new CliError(`invalid seed ${shape.seed}`);
    const start = shape.clock === 'manual' ? (shape.start ?? MANUAL_CLOCK_EPOCH) : Math.floor(wallNow() / 1000) * 1000;
    const clock: PersistedClock = { mode: shape.clock, virtualNow: start, wallAtLastCommand: wallNow() };
    state.setMeta('shape', JSON.stringify(shape));
    state.setMeta('seed', String(shape.seed));
    state.setMeta('createdAt', String(start));
    const session = new Session(state, state.load(), Random.fromSeed(shape.seed), clock, shape);
    session.engine.now = start;
    const { createObject } = server();
    for (const obj of clusterShape().defaultClusterObjects(shape, start)) createObject(session.api, obj, { trusted: true });
    // the built-in APIServices and the default RBAC policy draw their uids from a stream of their
    // own, so that every other object's generated name and uid stays what it was before they were added
    const bootstrap = { ...session.api, random: Random.fromSeed(shape.seed + 0x5eed) };
    for (const obj of [
      ...clusterShape().builtInAPIServices(start),
      ...bootstrapPolicy().bootstrapPolicyObjects(),
      ...flowControlBootstrap().flowControlBootstrapObjects(),
    ])
      createObject(bootstrap, obj, { trusted: true });
    return session;
  }
}

/**
 * KUBESIM_PROFILE=1: wall time of each phase of a command, the CPU time the process spent in it
 * (user + system: on a shared machine the wall time is mostly waiting), and the heap and RSS at
 * its end, on stderr.
 */
function phaseTimer(): (name: string) => void {
  if (!process.env.KUBESIM_PROFILE) return () => undefined;
  let last = monotonicMs();
  let lastCpu = process.cpuUsage();
  return (name) => {
    const t = monotonicMs();
    const cpu = process.cpuUsage(lastCpu);
    const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
    const { heapUsed, rss } = process.memoryUsage();
    process.stderr.write(
      `profile: phase ${name.padEnd(22)} ${(t - last).toFixed(0).padStart(7)} ms  cpu ${((cpu.user + cpu.system) / 1000).toFixed(0).padStart(6)} ms  heap ${mb(heapUsed)}, rss ${mb(rss)}, peak rss ${mb(process.resourceUsage().maxRSS * 1024)}\n`,
    );
    last = t;
    lastCpu = process.cpuUsage();
  };
}

class DryRunRollback {
  constructor(readonly result: unknown) {}
}

/** The API server's list order: by namespace, then name. */
function byNamespaceAndName(objects: KObject[]): KObject[] {
  const key = (o: KObject) => `${o.metadata.namespace ?? ''}\u0000${o.metadata.name}`;
  return objects.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
