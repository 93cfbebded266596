import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { CliError, errorMessage } from '../util/errors';
import { monotonicMs } from '../clock/clock';
import { isJsonObject, type EventRecord, type KObject, type ObjectRef, type StoredEvent } from '../model/objects';
import { isKind } from '../model/kinds';
import { internPodStrings, mapPodParts } from './intern';
import { RowShapes } from './row-shapes';
import { podFactsColumn } from './pod-facts';
import { podFromPrintColumn, podPrintColumn } from './pod-print';
import {
  CHUNK_BITS,
  CLASSES_ID,
  encodeChunk,
  NAMESPACES_ID,
  NODES_ID,
  POD_INDEX_META,
  POD_INDEX_TABLE,
  readRecord,
  END,
  spliceChunk,
  StringTable,
  WrittenRows,
  recordFlags,
  type IndexRecord,
  type IndexRow,
  type IndexTables,
} from './pod-index';
import {
  aggregateEvents,
  EVENT_BUCKETS,
  EVENT_TTL_MS,
  eventBucket,
  eventsText,
  HeldEvents,
  liveEvents,
  parseEvents,
  matchesEvent,
  compactBucket,
  storedEvent,
  type EventEntry,
  type EventFilter,
} from './event-rows';
import {
  ObjectStore,
  specFromTemplate,
  type EventLog,
  type PodRowClass,
  type RowHeader,
  type RowReader,
  type Slot,
  type SpecTemplate,
} from './object-store';

/** meta key of the shared and template rows added since unused ones were last removed (StateFile.sweepShared) */
const UNSWEPT_META = 'unsweptRows';

/** meta key of the controllers' memory (ObjectStore.recall) */
const MEMORY_META = 'controller-memory';

/** Bumped when the file layout changes; a newer file is refused, never rewritten. */
export const SCHEMA_VERSION = 10;
const APP_ID = 'kubesim';
const SQLITE_HEADER = 'SQLite format 3\u0000';

/** Schema 2: pod specs shared by many pods, stored once (pods hold {"$template": id, "nodeName": …}). */
const TEMPLATES_TABLE = 'CREATE TABLE IF NOT EXISTS templates (id INTEGER PRIMARY KEY, data TEXT NOT NULL);';
/**
 * Schema 3: pod parts many pods have equal (labels, owner references, conditions, container
 * states), stored once; the pod holds {"$shared": id} in their place. Short values stay inline.
 */
const SHARED_TABLE = 'CREATE TABLE IF NOT EXISTS shared (id INTEGER PRIMARY KEY, data TEXT NOT NULL);';
/** values shorter than this (JSON text) are cheaper inline than as a reference */
const MIN_SHARED_TEXT = 40;

/**
 * Schema 4: events append-only, one row per bucket of objects per write (event-rows.ts).
 * Schema 3 had one row per event under two indexes: at 450k events per command, those
 * inserts were the largest cost of saving.
 */
const EVENTS_TABLE = `CREATE TABLE events (id INTEGER PRIMARY KEY, bucket INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX events_bucket ON events (bucket);`;

/**
 * Each write of a command while a server watches the file (meta `changeLog` set by kubesim serve):
 * the object as written (data NULL: deleted), so the server's watches see every command's change,
 * not just the file as its next poll finds it. The server removes rows once it has read them.
 */
const CHANGES_TABLE =
  'CREATE TABLE IF NOT EXISTS changes (id INTEGER PRIMARY KEY, rv INTEGER NOT NULL, kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL, data TEXT)';
export const CHANGE_LOG_META = 'changeLog';
/** rows kept at most (the server reads them every 250 ms; older ones only cost watches their intermediate states) */
const MAX_LOGGED_CHANGES = 200_000;

/** One logged write (see CHANGES_TABLE). */
export interface LoggedChange {
  rv: number;
  kind: string;
  namespace: string;
  name: string;
  /** undefined: deleted */
  object?: KObject;
}

/**
 * Schema 5: what the store indexes a pod by, beside its row, so that a command loads a pod
 * without parsing it (ObjectStore.loadRow; it is parsed when first read): spec.nodeName (NULL:
 * unbound), the uids of its ownerReferences as a JSON array, and whether one is the
 * controller, whether it has a deletionTimestamp. NULL owners on a pod row: not known, the row is parsed at load. Other kinds
 * have `owners`, `controlled` and `deleting` too (objectColumns; NULL when an older kubesim wrote the row) and the rest NULL.
 */
const POD_COLUMNS = ['node TEXT', 'owners TEXT', 'controlled INTEGER', 'deleting INTEGER', 'sched TEXT', 'facts TEXT', 'print TEXT'];

/**
 * A row as a load reads it: for a pod row with its index columns, a `head` text made by SQLite
 * of `controlled` and `deleting` (one digit each), `node` ('' when NULL), a NUL and the
 * namespace (NUL is in no name), then its owners and scheduling class as one text (`owners` +
 * newline + `sched`: pods of a ReplicaSet have the same, so one lookup), its row id, name, uid and
 * resourceVersion; no text (read when the pod is first read; the kind is the object's). Any
 * other row: a NULL head and its text.
 */
type Row = [string | null, string, number, string, string, number];
// (making 150,000 strings of the pods' ~1 KB texts, and keeping them, was a third of a load's time
// and most of its heap. Each column read is a value better-sqlite3 makes: one head text for four
// columns cut the rows' reading by ~12%, a 150k load's CPU by ~4%. The name and uid stay columns
// of their own: kept as slices of one text they would keep all of it alive, ~12 MB more heap.)
/** '1' */
const ONE = 49;
const POD_ROW = `kind = 'Pod' AND owners IS NOT NULL`;
const HEAD = `ifnull(controlled, 0) || ifnull(deleting, 0) || ifnull(node, '') || char(0) || namespace`;
const CLASS_TEXT = `owners || char(10) || ifnull(sched, '')`;
const ROW_COLUMNS = `CASE WHEN ${POD_ROW} THEN ${HEAD} END, CASE WHEN ${POD_ROW} THEN ${CLASS_TEXT} ELSE data END, id, name, uid, rv`;
/** A pod row as the pod index takes it (pod-index.ts): what a load would read of it, the head and class NULL when it parses the row. */
const INDEX_COLUMNS = `CASE WHEN owners IS NOT NULL THEN ${HEAD} END, CASE WHEN owners IS NOT NULL THEN ${CLASS_TEXT} END, id, name, uid, rv`;

/**
 * Schema 6: a pod's scheduling class (ObjectStore's PodRowClass), `[template id, labels, 1 if
 * Succeeded or Failed else 0]`, so that the scheduler's pass builds its per-node aggregates from
 * the columns without parsing the rows of bound pods. The labels as the row holds them: null,
 * inline, or the `{"$shared": id}` of the shared row (as the row text refers to it). NULL when
 * the spec has no template (the pod is then parsed when the scheduler reads it).
 */
function schedColumn(pod: KObject, templateId: number | undefined, labels: unknown): string | null {
  if (templateId === undefined || !isKind(pod, 'Pod')) return null;
  const phase = pod.status?.phase;
  const terminal = phase === 'Succeeded' || phase === 'Failed' ? 1 : 0;
  // the pods of a ReplicaSet share their labels (or the {"$shared": id} standing for them): one text each
  const byLabels = labels !== null && typeof labels === 'object' ? schedTexts.get(labels) : undefined;
  const key = templateId * 2 + terminal;
  let text = byLabels?.get(key);
  if (text === undefined) {
    text = JSON.stringify([templateId, labels ?? null, terminal]);
    if (labels !== null && typeof labels === 'object') {
      if (byLabels) byLabels.set(key, text);
      else schedTexts.set(labels, new Map([[key, text]]));
    }
  }
  return text;
}

const schedTexts = new WeakMap<object, Map<number, string>>();

/** The owners column of the pods sharing one ownerReferences list (a ReplicaSet's), made once. */
function ownersColumn(refs: NonNullable<KObject['metadata']['ownerReferences']>): string {
  let text = ownersTexts.get(refs);
  if (text === undefined) ownersTexts.set(refs, (text = JSON.stringify(refs.map((r) => r.uid))));
  return text;
}

const ownersTexts = new WeakMap<object, string>();

/** POD_COLUMNS' values: node, owners, controlled, deleting, sched, facts, print */
type PodColumns = [string | null, string, number, number, string | null, string | null, string | null];

/** A pod row as the pod index records it (what indexRow makes of INDEX_COLUMNS), from the values written. */
function addWritten(
  written: WrittenRows,
  rowid: number,
  rv: number,
  namespace: string,
  name: string,
  uid: string,
  columns: PodColumns,
): void {
  const [node, owners, controlled, deleting, sched] = columns;
  written.add(rowid, rv, namespace, name, uid, node ?? '', classText(owners, sched ?? ''), recordFlags(controlled === 1, deleting === 1));
}

/** A pod's class text (CLASS_TEXT) of its owners and sched columns, made once per pair: a ReplicaSet's pods share both texts. */
function classText(owners: string, sched: string): string {
  let bySched = classTexts.get(owners);
  if (!bySched) classTexts.set(owners, (bySched = new Map()));
  let text = bySched.get(sched);
  if (text === undefined) bySched.set(sched, (text = `${owners}\n${sched}`));
  return text;
}

// (bounded by the save: cleared when it is done)
const classTexts = new Map<string, Map<string, string>>();

/**
 * A pod's POD_COLUMNS values (`templateId`: its spec's template row, once written; `labels`:
 * its labels as its row holds them). Schema 7's `facts` (pod-facts.ts): what the kubelet, the
 * eviction manager and the ReplicaSet controller read of the pods of a node or an owner.
 */
function podColumns(pod: KObject, templateId: number | undefined, labels: unknown = pod.metadata.labels): PodColumns {
  const refs = pod.metadata.ownerReferences ?? [];
  return [
    isKind(pod, 'Pod') ? (pod.spec?.nodeName ?? null) : null,
    ownersColumn(refs),
    refs.some((r) => r.controller) ? 1 : 0,
    pod.metadata.deletionTimestamp ? 1 : 0,
    schedColumn(pod, templateId, labels),
    isKind(pod, 'Pod') ? podFactsColumn(pod) : null,
    isKind(pod, 'Pod') ? podPrintColumn(pod, labels, templateId) : null,
  ];
}

/**
 * Any other object's columns: its `owners`, `controlled` and `deleting` as a pod's (the rest NULL),
 * so that a load indexes it without parsing its row (loadIndexed). An older kubesim writes NULL
 * there (NULL: not known, the row is parsed at load).
 */
function objectColumns(obj: KObject): [null, string, number, number, null, null, null] {
  const refs = obj.metadata.ownerReferences ?? [];
  return [null, ownersColumn(refs), refs.some((r) => r.controller) ? 1 : 0, obj.metadata.deletionTimestamp ? 1 : 0, null, null, null];
}

/**
 * The rows of every kind but pods, in order, through the kind index (`kind <> 'Pod'` scans the
 * table): what ObjectStore.loadRow indexes them by, without their text (`owners` NULL: not
 * written by this kubesim, the row is read and parsed at load).
 */
const OTHER_COLUMNS = `id, kind, namespace, name, uid, rv, owners, ifnull(controlled, 0) || ifnull(deleting, 0)`;
const OTHER_ROWS = `SELECT ${OTHER_COLUMNS} FROM objects INDEXED BY objects_key WHERE kind < 'Pod' UNION ALL SELECT ${OTHER_COLUMNS} FROM objects INDEXED BY objects_key WHERE kind > 'Pod' ORDER BY id`;
type OtherRow = [number, string, string, string, string, number, string | null, string];

/** A row as INDEX_COLUMNS reads it. */
type IndexQueryRow = [string | null, string | null, number, string, string, number];

/** The pod index's string tables as stored (pod-index.ts). */
interface PodIndexTables {
  namespaces: string[];
  nodes: string[];
  classes: string[];
}

/** A pod row read by INDEX_COLUMNS as the index records it: its head split as loadRows splits it. */
function indexRow([head, text, rowid, name, uid, rv]: IndexQueryRow): IndexRow {
  if (head === null || text === null) return [rowid, 0, 0, '', '', '', '', '', false, false];
  const at = head.indexOf('\0');
  return [rowid, 1, rv, head.slice(at + 1), name, uid, head.slice(2, at), text, head.charCodeAt(0) === ONE, head.charCodeAt(1) === ONE];
}

/** How a stored pod row refers to a shared value and to its spec's template (JSON.stringify's text of {"$shared": id}, {"$template": id, …}) */
const SHARED_REF = /\{"\$shared":(\d+)\}/g;
const TEMPLATE_REF = /"spec":\{"\$template":(\d+)/g;

const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE objects (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
  uid TEXT NOT NULL, rv INTEGER NOT NULL, data TEXT NOT NULL,
  ${POD_COLUMNS.join(', ')}
);
CREATE UNIQUE INDEX objects_key ON objects (kind, namespace, name);
${EVENTS_TABLE}
${TEMPLATES_TABLE}
${SHARED_TABLE}
`;

/** The one header a load fills for each pod row in turn (ObjectStore.loadRow keeps none of it): not an object per pod. */
function podHeader(): RowHeader {
  return {
    kind: 'Pod',
    namespace: '',
    name: '',
    uid: '',
    resourceVersion: 0,
    nodeName: '',
    ownerUids: [],
    controlled: false,
    terminating: false,
    podClass: undefined,
    nodeTable: undefined,
    nodeId: -1,
    keys: undefined,
    keyAt: 0,
  };
}

/**
 * One cluster = one SQLite file (the stand-in for etcd). This is the only code that
 * speaks SQL. Every command runs inside one IMMEDIATE transaction: load, change,
 * reconcile, write back what changed, commit — so two processes serialise, and a
 * failing command leaves the file as it was.
 */
export class StateFile {
  /** up to this many pods, every flush that writes pods removes unused shared rows (it visits every pod); tests lower it */
  static sweepEveryFlushPods = 10_000;
  /** on a bigger cluster, rows added before a sweep is due, at least */
  static minUnsweptRows = 256;
  /** the pod index's chunks hold the pods of 2^this row ids (pod-index.ts); tests lower it */
  static podIndexChunkBits = CHUNK_BITS;
  /** shared pod parts: value → row id (0: kept inline), and back */
  private readonly sharedIds = new WeakMap<object, number>();
  private readonly sharedById = new Map<number, object>();
  /** false: this connection's writes are not logged even when a server asked (the server's own) */
  logChanges = true;
  /** the loaded store's event log: it holds recent events until they are written */
  private eventLog: StateFileEventLog | undefined;

  private constructor(
    readonly path: string,
    private db: Database.Database,
  ) {}

  /** Opens (creating when missing or empty) a state file, refusing anything that is not ours. */
  static open(file: string, opts: { create?: boolean } = {}): { state: StateFile; created: boolean } {
    const abs = path.resolve(file);
    let exists = fs.existsSync(abs);
    if (exists) {
      const stat = fs.statSync(abs);
      if (stat.isDirectory()) throw new CliError(`${file} is not a kubesim state file`);
      if (stat.size === 0)
        exists = false; // an empty file (mktemp) is a new cluster
      else verifyHeader(abs, file);
    } else if (opts.create === false) {
      throw new CliError(`state file ${file} does not exist`);
    } else {
      try {
        fs.mkdirSync(path.dirname(abs), { recursive: true });
      } catch (e) {
        throw new CliError(`cannot create state directory ${path.dirname(abs)}: ${errorMessage(e)}`);
      }
    }
    let db: Database.Database;
    try {
      db = new Database(abs);
      db.pragma('busy_timeout = 30000');
    } catch (e) {
      throw new CliError(`cannot open state file ${file}: ${errorMessage(e)}`);
    }
    // checked on this connection before anything is written (one open of the file per command)
    if (exists) verifyOurs(db, file);
    try {
      // a new file gets 16 KiB pages (SQLite's default is 4): saving 150k pods rewrites ~130 MB of
      // rows, and bigger pages cut the save and the commit by about a third (an existing file
      // keeps the size it was made with: changing it means rewriting the file)
      if (!exists) db.pragma('page_size = 16384');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    } catch (e) {
      throw new CliError(`cannot open state file ${file}: ${errorMessage(e)}`);
    }
    const state = new StateFile(abs, db);
    if (exists) state.migrate();
    if (!exists) {
      try {
        db.exec('BEGIN IMMEDIATE');
        const hasMeta = db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name='meta'").get();
        if (!hasMeta) {
          db.exec(SCHEMA);
          const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
          put.run('app', APP_ID);
          put.run('schema', String(SCHEMA_VERSION));
          put.run('resourceVersion', '1');
        }
        db.exec('COMMIT');
      } catch (e) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw new CliError(`cannot write state file ${file}: ${errorMessage(e)}`);
      }
    }
    return { state, created: !exists };
  }

  /** A state file in memory for a scratch cluster nobody keeps (kubesim lint's simulation): same schema, no file. */
  static memory(): StateFile {
    const db = new Database(':memory:');
    db.exec(SCHEMA);
    const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    put.run('app', APP_ID);
    put.run('schema', String(SCHEMA_VERSION));
    put.run('resourceVersion', '1');
    return new StateFile(':memory:', db);
  }

  close(): void {
    this.db.close();
  }

  /**
   * Brings an older file up to this schema: 2 adds the templates table, 3 the shared table
   * (pods move as they are written), 4 regroups the events table into buckets, 5 adds the
   * pods' index columns and fills them, 6 the pods' scheduling class column, 7 their facts
   * column (all filled again); 8 stores a container start's three kubelet events as one entry
   * (event-rows.ts `eventsText`), 9 a pod's Scheduled event and a container start of type Normal
   * as tagged entries without their constant parts: older rows read as they are, so for 8 and 9
   * the file only says it may hold such entries now (an older kubesim refuses it); 10 adds the
   * pods' print column (pod-print.ts) and fills the pod columns again.
   */
  private migrate(): void {
    if (Number(this.getMeta('schema')) >= SCHEMA_VERSION) return;
    this.transaction(() => {
      if (Number(this.getMeta('schema')) >= SCHEMA_VERSION) return;
      this.db.exec(TEMPLATES_TABLE);
      this.db.exec(SHARED_TABLE);
      if (this.hasOneRowPerEvent()) this.bucketEvents();
      // (a schema 10 file has them filled: refilling would parse every pod row for nothing)
      if (Number(this.getMeta('schema')) < 10) this.addPodColumns();
      this.setMeta('schema', String(SCHEMA_VERSION));
    });
  }

  /** Schema 4 → 5 → 6 → 7 → 10: the pod columns, filled from each pod row (parsed this once). */
  private addPodColumns(): void {
    const have = new Set((this.db.prepare('PRAGMA table_info(objects)').all() as { name: string }[]).map((c) => c.name));
    for (const column of POD_COLUMNS) if (!have.has(column.split(' ')[0])) this.db.exec(`ALTER TABLE objects ADD COLUMN ${column}`);
    const shared = new Map<number, unknown>();
    for (const [id, data] of this.db.prepare('SELECT id, data FROM shared').raw().iterate() as IterableIterator<[number, string]>)
      shared.set(id, JSON.parse(data));
    const templates = new Map<number, Record<string, unknown>>();
    for (const [id, data] of this.db.prepare('SELECT id, data FROM templates').raw().iterate() as IterableIterator<[number, string]>)
      templates.set(id, JSON.parse(data) as Record<string, unknown>);
    const update = this.db.prepare(
      'UPDATE objects SET node = ?, owners = ?, controlled = ?, deleting = ?, sched = ?, facts = ?, print = ? WHERE id = ?',
    );
    const rows = this.db.prepare("SELECT id, data FROM objects WHERE kind = 'Pod'").raw().all() as [number, string][];
    /** a {"$shared": id} part as stored, resolved (false: the shared row is missing) */
    const resolve = (value: unknown): unknown => {
      const $shared = isJsonObject(value) && !Array.isArray(value) ? (value as { $shared?: unknown }).$shared : undefined;
      if (typeof $shared !== 'number') return value;
      return shared.has($shared) ? shared.get($shared) : false;
    };
    for (const [id, data] of rows) {
      let pod: KObject;
      try {
        pod = JSON.parse(data) as KObject;
      } catch {
        continue; // (left unknown: the load names the row that cannot be read)
      }
      const refs = resolve(pod.metadata?.ownerReferences);
      if (refs === false) continue;
      pod.metadata.ownerReferences = refs as KObject['metadata']['ownerReferences'];
      const stored = pod.metadata.labels;
      // the facts read conditions and container states: resolved (a missing shared row: no facts, parsed when read)
      let missing = false;
      mapPodParts(
        pod,
        (v) => {
          const value = resolve(v);
          if (value === false) missing = true;
          return value;
        },
        true,
      );
      const $template = (pod.spec as { $template?: unknown } | undefined)?.$template;
      // (labels whose shared row is missing, or a missing template: no class, the pod is parsed when read)
      const templateId = resolve(stored) !== false && typeof $template === 'number' && templates.has($template) ? $template : undefined;
      // (the print column reads the spec's containers: the template's)
      const ref = pod.spec as { $template?: unknown; nodeName?: unknown } | undefined;
      if (typeof ref?.$template === 'number' && templates.has(ref.$template))
        pod.spec = { ...templates.get(ref.$template), ...(ref.nodeName === undefined ? {} : { nodeName: ref.nodeName }) };
      const columns = podColumns(pod, templateId, stored);
      if (missing) columns[5] = columns[6] = null;
      if ((pod.spec as { $template?: unknown } | undefined)?.$template !== undefined) columns[6] = null;
      update.run(...columns, id);
    }
  }

  private hasOneRowPerEvent(): boolean {
    return (this.db.prepare('PRAGMA table_info(events)').all() as { name: string }[]).some((c) => c.name === 'dedup');
  }

  /** Schema 3 → 4: one row per event becomes one row per bucket (row ids keep their order as seq), a page at a time. */
  private bucketEvents(): void {
    this.db.exec('ALTER TABLE events RENAME TO events_v3; DROP INDEX IF EXISTS events_dedup; DROP INDEX IF EXISTS events_object;');
    this.db.exec(EVENTS_TABLE);
    const page = this.db.prepare(
      'SELECT namespace, kind, name, id, uid, type, reason, message, source, host, count, first_ts, last_ts FROM events_v3 WHERE id > ? ORDER BY id LIMIT 10000',
    );
    const log = new HeldEvents();
    let seq = 0;
    for (let rows = page.raw().all(seq) as EventEntry[]; rows.length; rows = page.raw().all(seq) as EventEntry[]) {
      for (const e of rows) log.add(e);
      seq = rows[rows.length - 1][3];
      if (log.bytes >= WRITE_EVERY_BYTES) this.writeEvents(log.take());
    }
    this.writeEvents(log.take());
    this.db.exec('DROP TABLE events_v3');
    this.setMeta('eventSeq', String(seq + 1));
  }

  /** Runs fn inside one write transaction, retrying when another process holds the lock. */
  transaction<T>(fn: () => T): T {
    for (let attempt = 0; ; attempt++) {
      try {
        this.db.exec('BEGIN IMMEDIATE');
        break;
      } catch (e) {
        if (isBusy(e) && attempt < 50) continue;
        throw new CliError(`cannot lock state file ${this.path}: ${errorMessage(e)}`);
      }
    }
    try {
      const result = fn();
      this.db.exec('COMMIT');
      return result;
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      if (e instanceof Error && /readonly|read-only/i.test(e.message) && !(e instanceof CliError)) {
        throw new CliError(`cannot write state file ${this.path}: attempt to write a readonly database`);
      }
      throw e;
    }
  }

  /** The names of a kind's objects (in one namespace), sorted, without reading the objects: for shell completion. */
  objectNames(kind: string, namespace?: string): string[] {
    const sql = `SELECT DISTINCT name FROM objects WHERE kind = ?${namespace === undefined ? '' : ' AND namespace = ?'} ORDER BY name`;
    const args = namespace === undefined ? [kind] : [kind, namespace];
    return this.db
      .prepare(sql)
      .pluck()
      .all(...args) as string[];
  }

  /** A small kind's objects as stored (not pods: their specs are stored apart), without loading the cluster. */
  storedObjects(kind: string): KObject[] {
    const rows = this.db.prepare('SELECT data FROM objects WHERE kind = ? ORDER BY namespace, name').pluck().all(kind) as string[];
    return rows.map((r) => JSON.parse(r) as KObject);
  }

  /**
   * SQLite's data_version: it moves when another connection commits to the file, never for this
   * connection's own commits — how a process that keeps the cluster loaded (kubesim serve)
   * notices that a kubesim command wrote the file.
   */
  dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  /**
   * SQLite's automatic checkpoint: after a commit that leaves the WAL over `pages` pages, the
   * committing connection copies it into the file (0: never). kubesim serve turns it off on its
   * connection and checkpoints from another thread (serve/checkpointer.ts), so no request waits
   * for it. Returns the setting.
   */
  autoCheckpoint(pages?: number): number {
    if (pages !== undefined) this.db.pragma(`wal_autocheckpoint = ${Math.max(0, Math.floor(pages))}`);
    return this.db.pragma('wal_autocheckpoint', { simple: true }) as number;
  }

  getMeta(key: string): string | undefined {
    const value = this.getMetaValue(key);
    return typeof value === 'string' ? value : undefined;
  }

  /** A meta row's value as stored: text, or binary (a Buffer: the quiet marks, quietRowValue). */
  getMetaValue(key: string): string | Buffer | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string | Buffer } | undefined;
    return row?.value;
  }

  deleteMeta(key: string): void {
    this.db.prepare('DELETE FROM meta WHERE key = ?').run(key);
  }

  setMeta(key: string, value: string | Buffer): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /**
   * Loads every object into an in-memory store — or, with `lazy`, none yet: each kind is read
   * the first time the store is asked for it (read-only commands on a quiescent cluster, which
   * run no controllers: `get deployments` need not parse 150k pods).
   */
  load(opts: { lazy?: boolean } = {}): ObjectStore {
    const store = new ObjectStore(Number(this.getMeta('resourceVersion') ?? '1'));
    // a pod's facts column, read when a reader first asks for it (most commands read a few
    // nodes' pods: reading 150k at load cost more than they save). Only as loaded: a row another
    // process rewrote since (kubesim serve's store lives on) has another resourceVersion, and
    // once the file is closed there is none; the reader then reads the object.
    const factsOf = this.db.prepare('SELECT facts FROM objects WHERE id = ? AND rv = ?').pluck();
    store.factsSource = (rowid, rv) => {
      try {
        return (factsOf.get(rowid, rv) as string | null | undefined) ?? undefined;
      } catch {
        return undefined;
      }
    };
    // a pod's row id by its key (ObjectStore.findLoadedPod), read inside the transaction only, as the rows are
    const podRowid = this.db.prepare("SELECT id FROM objects WHERE kind = 'Pod' AND namespace = ? AND name = ?").pluck();
    store.podRowid = (namespace, name) =>
      this.db.open && this.db.inTransaction ? ((podRowid.get(namespace, name) as number | undefined) ?? undefined) : null;
    const templates = new Map<number, SpecTemplate>();
    // the pods' templates and shared parts: only pods refer to them, so a lazily read store reads
    // them when it first reads a pod (`get deployments` at 150k pods: 2 MB of JSON not parsed)
    let sharedRead = false;
    const readShared = () => {
      if (sharedRead) return;
      sharedRead = true;
      this.readPodTables(store, templates);
    };
    if (!opts.lazy) readShared();
    try {
      store.loadMemory(JSON.parse(this.getMeta(MEMORY_META) ?? '{}') as Record<string, string>);
    } catch (e) {
      throw new CliError(`${this.path} is corrupt: ${errorMessage(e)}`);
    }
    // the pods' load columns from the pod index when the last save wrote it (pod-index.ts)
    const index = this.podIndexTables();
    if (opts.lazy) {
      store.readLazily({
        // list order straight from the key index, each row parsed as it is reached
        stream: (kind, namespace, nodeName) => {
          if (kind === 'Pod') readShared();
          // (a pod row whose columns could not be filled has a NULL node: read, and left to the caller;
          // one node's pods: a scan of the table in row order finds them sooner than the key order)
          const sql = `SELECT data, id FROM objects ${nodeName === undefined ? 'INDEXED BY objects_key' : 'NOT INDEXED'} WHERE kind = ?${namespace === undefined ? '' : ' AND namespace = ?'}${nodeName === undefined ? '' : ' AND (node = ? OR node IS NULL)'} ORDER BY namespace, name`;
          const args = [kind, ...(namespace === undefined ? [] : [namespace]), ...(nodeName === undefined ? [] : [nodeName])];
          return this.objectsOf(
            templates,
            () =>
              this.db
                .prepare(sql)
                .raw()
                .iterate(...args) as IterableIterator<[string, number]>,
          );
        },
        streamPrinted: (namespace, nodeName) => {
          readShared();
          return this.printedPods(templates, namespace, nodeName);
        },
        reread: (rowid) => {
          readShared();
          return this.rowObject(templates, this.rowData(rowid), rowid).obj;
        },
        fetch: (kind, namespace, name) => {
          if (kind === 'Pod') readShared();
          for (const { obj } of this.objectsOf(
            templates,
            () =>
              this.db
                .prepare('SELECT data, id FROM objects WHERE kind = ? AND namespace = ? AND name = ?')
                .raw()
                .iterate(kind, namespace, name) as IterableIterator<[string, number]>,
          ))
            return obj;
          return undefined;
        },
        kinds: () => (this.db.prepare('SELECT DISTINCT kind FROM objects').pluck().all() as string[]).sort(),
        count: (kind) => this.db.prepare('SELECT count(*) FROM objects WHERE kind = ?').pluck().get(kind) as number,
        // a kind's rows in row id order (the order a full load gives them): through the index
        // for a small kind, by scanning the table for one that is most of it (pods: 2x faster)
        load: (kind) => {
          if (kind === 'Pod') readShared();
          if (kind === 'Pod' && index) return this.loadIndexed(store, templates, index, false);
          const rows = this.db.prepare('SELECT count(*) FROM objects WHERE kind = ?').pluck().get(kind) as number;
          const all = (this.db.prepare('SELECT max(id) FROM objects').pluck().get() as number | null) ?? 0;
          const sql =
            rows * 4 > all
              ? `SELECT ${ROW_COLUMNS} FROM objects NOT INDEXED WHERE kind = ?`
              : `SELECT ${ROW_COLUMNS} FROM objects INDEXED BY objects_key WHERE kind = ? ORDER BY id`;
          this.loadRows(store, templates, () => this.db.prepare(sql).raw().iterate(kind) as IterableIterator<Row>);
        },
      });
    } else if (index) {
      this.loadIndexed(store, templates, index, true);
    } else {
      // rows are streamed, so that a large cluster's rows are never all in memory at once as
      // objects: a pod row is indexed from its columns, its text read and parsed when first read
      this.loadRows(store, templates, () => this.db.prepare(`SELECT ${ROW_COLUMNS} FROM objects`).raw().iterate() as IterableIterator<Row>);
    }
    this.eventLog = new StateFileEventLog(this);
    store.events = this.eventLog;
    return store;
  }

  /** The templates and shared values pod rows refer to (flush writes them), into the store's tables. */
  private readPodTables(store: ObjectStore, templates: Map<number, SpecTemplate>): void {
    try {
      for (const [id, data] of this.db.prepare('SELECT id, data FROM templates').raw().iterate() as IterableIterator<[number, string]>) {
        const base = JSON.parse(data) as Record<string, unknown>;
        const template: SpecTemplate = { text: data, base, keys: Object.keys(base), id };
        templates.set(id, template);
        store.addTemplate(template);
      }
      for (const [id, data] of this.db.prepare('SELECT id, data FROM shared').raw().iterate() as IterableIterator<[number, string]>) {
        const value = JSON.parse(data) as object;
        this.sharedById.set(id, value);
        this.sharedIds.set(value, id);
        store.adoptShared(value);
      }
    } catch (e) {
      throw new CliError(`${this.path} is corrupt: ${errorMessage(e)}`);
    }
  }

  /**
   * Loads rows into the store: a pod row with its index columns as text, parsed when first read
   * (ObjectStore.loadRow: `label pod` on 150k pods parses the one it labels and the few the
   * controllers look at, not 150k); any other row parsed now (a scan is rare: loadIndexed loads them unparsed).
   */
  private loadRows(store: ObjectStore, templates: Map<number, SpecTemplate>, query: () => IterableIterator<Row>): void {
    let rows: IterableIterator<Row>;
    try {
      rows = query();
    } catch (e) {
      throw new CliError(`${this.path} is corrupt: ${errorMessage(e)}`);
    }
    const read: RowReader = (rowid) => this.rowObject(templates, this.rowData(rowid), rowid);
    // pods of one owner have the same owners and mostly the same scheduling class: parsed once
    const classByText = new Map<string, { ownerUids: readonly string[]; podClass: PodRowClass | undefined }>();
    const nodes = new Map<string, string>();
    let namespace = '';
    const header: RowHeader = podHeader();
    let lastText: string | undefined;
    let known: { ownerUids: readonly string[]; podClass: PodRowClass | undefined } | undefined;
    for (const [head, text, rowid, name, uid, rv] of rows) {
      if (head !== null) {
        // (rows of one owner mostly come in a run: comparing with the last text is cheaper than hashing it)
        if (text !== lastText) {
          lastText = text;
          known = classByText.get(text);
          if (!known) classByText.set(text, (known = this.ownersAndClass(text, rowid, templates)));
        }
        const at = head.indexOf('\0');
        // one string per namespace and node, not one per pod: 300k fewer objects kept at 150k
        // pods, which every young collection of the load copied (rows come mostly grouped by namespace)
        if (head.length - at - 1 !== namespace.length || !head.startsWith(namespace, at + 1)) namespace = head.slice(at + 1);
        let node = head.slice(2, at);
        const interned = nodes.get(node);
        if (interned === undefined) nodes.set(node, node);
        else node = interned;
        header.namespace = namespace;
        header.name = name;
        header.uid = uid;
        header.resourceVersion = rv;
        header.nodeName = node;
        header.ownerUids = known!.ownerUids;
        header.controlled = head.charCodeAt(0) === ONE;
        header.terminating = head.charCodeAt(1) === ONE;
        header.podClass = known!.podClass;
        store.loadRow(header, rowid, read);
        continue;
      }
      const { obj, template } = this.rowObject(templates, text, rowid);
      if (template && isJsonObject(obj.spec)) store.templateOf.set(obj.spec, template);
      store.load(obj, rowid);
    }
  }

  /**
   * The pod index's string tables when the index is that of the file's rows: the save that
   * wrote the file last wrote it (its stamp is the file's resourceVersion); else undefined.
   */
  private podIndexTables(): PodIndexTables | undefined {
    if (this.getMeta(POD_INDEX_META) !== (this.getMeta('resourceVersion') ?? '1')) return undefined;
    try {
      const table = (id: number): string[] | undefined => {
        const text = this.db.prepare('SELECT data FROM pod_index WHERE id = ?').pluck().get(id) as string | Buffer | undefined;
        const value = text === undefined ? undefined : (JSON.parse(text.toString()) as unknown);
        return Array.isArray(value) && value.every((t) => typeof t === 'string') ? value : undefined;
      };
      const namespaces = table(NAMESPACES_ID);
      const nodes = table(NODES_ID);
      const classes = table(CLASSES_ID);
      return namespaces && nodes && classes ? { namespaces, nodes, classes } : undefined;
    } catch {
      return undefined; // (no table, or unreadable: the rows are scanned)
    }
  }

  /**
   * loadRows from the pod index: the pods' records from its chunks, the other rows (`others`)
   * read through the kind index, loaded in row id order as a scan loads them (a kind's
   * insertion order, and the slots' seq across kinds, are the scan's).
   */
  private loadIndexed(store: ObjectStore, templates: Map<number, SpecTemplate>, index: PodIndexTables, others: boolean): void {
    // (ids, each chunk and row read when reached: all read at once were kept through the load, ~15 MB more RSS at 150k)
    let chunks: number[];
    let rest: OtherRow[];
    try {
      chunks = this.db.prepare('SELECT id FROM pod_index WHERE id >= 0 ORDER BY id').pluck().all() as number[];
      rest = others ? (this.db.prepare(OTHER_ROWS).raw().all() as OtherRow[]) : [];
    } catch (e) {
      throw new CliError(`${this.path} is corrupt: ${errorMessage(e)}`);
    }
    const read: RowReader = (rowid) => this.rowObject(templates, this.rowData(rowid), rowid);
    const selectData = this.db.prepare('SELECT data FROM objects WHERE id = ?').pluck();
    const loadObject = (rowid: number) => {
      const text = selectData.get(rowid) as string | undefined;
      if (text === undefined) throw new CliError(`${this.path} is corrupt: row ${rowid} is gone`);
      const { obj, template } = this.rowObject(templates, text, rowid);
      if (template && isJsonObject(obj.spec)) store.templateOf.set(obj.spec, template);
      store.load(obj, rowid);
      return obj;
    };
    // another kind's row is indexed from its columns and parsed when first read (5,000 Nodes and
    // Leases, 1,500 Deployments and ReplicaSets: 18 MB of JSON a 150k load parsed, most never read)
    const other: RowHeader = { ...podHeader(), kind: '' };
    const kinds = new Map<string, string>();
    const ownersByText = new Map<string, readonly string[]>();
    const loadOther = ([rowid, kind, namespace, name, uid, rv, owners, flags]: OtherRow) => {
      if (owners === null) {
        this.unfilledRows.push([rowid, objectColumns(loadObject(rowid))]);
        return;
      }
      let uids = ownersByText.get(owners);
      if (uids === undefined) ownersByText.set(owners, (uids = this.ownerUids(owners, rowid)));
      let interned = kinds.get(kind);
      if (interned === undefined) kinds.set(kind, (interned = kind));
      other.kind = interned;
      other.namespace = namespace;
      other.name = name;
      other.uid = uid;
      other.resourceVersion = rv;
      other.ownerUids = uids;
      other.controlled = flags.charCodeAt(0) === ONE;
      other.terminating = flags.charCodeAt(1) === ONE;
      store.loadRow(other, rowid, read);
    };
    const classes: ({ ownerUids: readonly string[]; podClass: PodRowClass | undefined } | undefined)[] = [];
    const header: RowHeader = podHeader();
    const record: IndexRecord = {
      rowid: 0,
      indexed: false,
      rv: 0,
      namespace: 0,
      node: 0,
      classId: 0,
      controlled: false,
      terminating: false,
      at: 0,
      chunk: undefined,
      view: undefined,
    };
    const corrupt = () => new CliError(`${this.path} is corrupt: the pod index does not match its tables`);
    let next = 0;
    const selectChunk = this.db.prepare('SELECT data FROM pod_index WHERE id = ?').pluck();
    // (a chunk holds the records of up to 2^podIndexChunkBits row ids: the pods' columns made at once, not grown)
    store.expectPods(chunks.length * 2 ** StateFile.podIndexChunkBits);
    for (const id of chunks) {
      const chunk = selectChunk.get(id) as unknown;
      if (!Buffer.isBuffer(chunk)) throw corrupt();
      let at = 0;
      while ((at = readRecord(chunk, at, record)) >= 0) {
        const rowid = record.rowid;
        for (; next < rest.length && rest[next][0] < rowid; next++) loadOther(rest[next]);
        if (!record.indexed) {
          loadObject(rowid);
          continue;
        }
        let known = classes[record.classId];
        if (known === undefined) {
          const text = index.classes[record.classId];
          if (text === undefined) throw corrupt();
          classes[record.classId] = known = this.ownersAndClass(text, rowid, templates);
        }
        const namespace = index.namespaces[record.namespace];
        const node = index.nodes[record.node];
        if (namespace === undefined || node === undefined) throw corrupt();
        const podClass = known.podClass;
        // (most pods: loaded from the record's columns, no slot made: ObjectStore.loadIndexedPod)
        if (
          podClass !== undefined &&
          store.loadIndexedPod(
            rowid,
            record.rv,
            namespace,
            record.node,
            index.nodes,
            known.ownerUids,
            podClass,
            record.controlled,
            record.terminating,
            chunk,
            record.at,
            read,
          )
        )
          continue;
        header.namespace = namespace;
        header.keys = chunk;
        header.keyAt = record.at;
        header.resourceVersion = record.rv;
        header.nodeName = node;
        header.ownerUids = known.ownerUids;
        header.controlled = record.controlled;
        header.terminating = record.terminating;
        header.podClass = known.podClass;
        header.nodeTable = index.nodes;
        header.nodeId = record.node;
        store.loadRow(header, rowid, read);
      }
      if (at !== END) throw corrupt();
    }
    for (; next < rest.length; next++) loadOther(rest[next]);
  }

  /**
   * After a flush's writes: the pod index's chunks of the pod rows written or deleted (`chunks`)
   * made again from the rows, or, when the index is not the file's (the file is new, or the
   * last save that wrote it was not ours), the whole index. Then stamped with the resourceVersion.
   * A chunk whose other rows' records are all there keeps their bytes (spliceChunk): reading its
   * ~1,024 rows back was most of a drain's save at 150k. `stale`: rows written without a record.
   */
  private savePodIndex(chunks: Set<number>, resourceVersion: number, written: WrittenRows, stale: Set<number>): void {
    const maxId = (this.db.prepare('SELECT max(id) FROM objects').pluck().get() as number | null) ?? 0;
    if (maxId > 0xffffffff) {
      // (row ids beyond a record's 32 bits: no index, loads scan the rows)
      this.deleteMeta(POD_INDEX_META);
      return;
    }
    const stamp = this.getMeta(POD_INDEX_META);
    if (chunks.size === 0 && stamp !== undefined && stamp === (this.getMeta('resourceVersion') ?? '1')) {
      if (String(resourceVersion) !== stamp) this.setMeta(POD_INDEX_META, String(resourceVersion));
      return;
    }
    this.db.exec(POD_INDEX_TABLE);
    const current = this.podIndexTables();
    const tables: IndexTables = {
      namespaces: new StringTable(current?.namespaces),
      nodes: new StringTable(current?.nodes),
      classes: new StringTable(current?.classes),
    };
    const put = this.db.prepare('INSERT OR REPLACE INTO pod_index (id, data) VALUES (?, ?)');
    const del = this.db.prepare('DELETE FROM pod_index WHERE id = ?');
    const bits = StateFile.podIndexChunkBits;
    const write = (chunk: number, rows: IndexRow[]) => (rows.length ? put.run(chunk, encodeChunk(rows, tables)) : del.run(chunk));
    /**
     * The records of the pod rows of these ids (in row id order): those this flush wrote as it
     * wrote them, unless one was not (then all read from the rows, as a scan reads them).
     */
    const rowsOf = (ids: number[], read: () => IndexQueryRow[]): IndexRow[] => {
      const rows: IndexRow[] = [];
      for (const id of ids) {
        const row = written.get(id);
        if (!row) return read().map(indexRow);
        rows.push(row);
      }
      return rows;
    };
    if (current) {
      // (the ids alone first: SQLite reads no column text, better-sqlite3 makes one number a row)
      const rangeIds = this.db.prepare(`SELECT id FROM objects NOT INDEXED WHERE id BETWEEN ? AND ? AND kind = 'Pod' ORDER BY id`).pluck();
      const range = this.db
        .prepare(`SELECT ${INDEX_COLUMNS} FROM objects NOT INDEXED WHERE id BETWEEN ? AND ? AND kind = 'Pod' ORDER BY id`)
        .raw();
      const selectChunk = this.db.prepare('SELECT data FROM pod_index WHERE id = ?').pluck();
      for (const chunk of [...chunks].sort((a, b) => a - b)) {
        const [from, to] = [chunk * 2 ** bits, (chunk + 1) * 2 ** bits - 1];
        const ids = rangeIds.all(from, to) as number[];
        // (every row of the chunk written: its records are those, the old ones need not be read)
        if (ids.length && ids.every((id) => written.has(id))) {
          write(
            chunk,
            rowsOf(ids, () => range.all(from, to) as IndexQueryRow[]),
          );
          continue;
        }
        const old = selectChunk.get(chunk) as unknown;
        const spliced = ids.length && Buffer.isBuffer(old) ? spliceChunk(old, ids, written, stale, tables) : undefined;
        if (spliced) put.run(chunk, spliced);
        else
          write(
            chunk,
            rowsOf(ids, () => range.all(from, to) as IndexQueryRow[]),
          );
      }
    } else {
      this.db.exec('DELETE FROM pod_index');
      const ids = this.db.prepare(`SELECT id FROM objects NOT INDEXED WHERE kind = 'Pod' ORDER BY id`).pluck().all() as number[];
      const all = rowsOf(
        ids,
        () => this.db.prepare(`SELECT ${INDEX_COLUMNS} FROM objects WHERE kind = 'Pod' ORDER BY id`).raw().all() as IndexQueryRow[],
      );
      for (let i = 0; i < all.length;) {
        const chunk = Math.floor(all[i][0] / 2 ** bits);
        const rows: IndexRow[] = [];
        for (; i < all.length && Math.floor(all[i][0] / 2 ** bits) === chunk; i++) rows.push(all[i]);
        write(chunk, rows);
      }
    }
    for (const [id, table] of [
      [NAMESPACES_ID, tables.namespaces],
      [NODES_ID, tables.nodes],
      [CLASSES_ID, tables.classes],
    ] as const)
      if (table.grown || !current) put.run(id, JSON.stringify(table.texts));
    this.setMeta(POD_INDEX_META, String(resourceVersion));
  }

  /**
   * A pod row's owners and scheduling class from its `owners` and `sched` columns, joined by a
   * newline (neither JSON text has one); an empty `sched` is NULL (undefined: an unreadable
   * column or a missing template, the pod is parsed when the scheduler reads it).
   */
  private ownersAndClass(
    text: string,
    rowid: number,
    templates: Map<number, SpecTemplate>,
  ): { ownerUids: readonly string[]; podClass: PodRowClass | undefined } {
    const at = text.indexOf('\n');
    const sched = text.slice(at + 1);
    return { ownerUids: this.ownerUids(text.slice(0, at), rowid), podClass: sched === '' ? undefined : this.podClass(sched, templates) };
  }

  /** A `sched` column's class (see schedColumn); undefined when it cannot be used. */
  private podClass(text: string, templates: Map<number, SpecTemplate>): PodRowClass | undefined {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (!Array.isArray(value) || value.length !== 3) return undefined;
    const [id, stored, terminal] = value as [unknown, unknown, unknown];
    const template = typeof id === 'number' ? templates.get(id) : undefined;
    const $shared = isJsonObject(stored) ? (stored as { $shared?: unknown }).$shared : undefined;
    // (a shared row's labels: the very object the store's pods share)
    const labels = typeof $shared === 'number' ? this.sharedById.get($shared) : stored;
    if (!template || labels === undefined || (labels !== null && !isJsonObject(labels))) return undefined;
    return { template, labels: (labels ?? undefined) as Record<string, string> | undefined, terminal: terminal === 1 };
  }

  private ownerUids(text: string, rowid: number): readonly string[] {
    let uids: unknown;
    try {
      uids = JSON.parse(text);
    } catch {
      uids = undefined;
    }
    if (!Array.isArray(uids) || !uids.every((u) => typeof u === 'string' || u === null)) {
      throw new CliError(`${this.path} is corrupt: ${this.rowName(rowid)} has unreadable owners`);
    }
    // (null: a reference without a uid, indexed as the object's own would index it)
    return uids.map((u: string | null) => u ?? undefined) as string[];
  }

  /**
   * Rows of other kinds than pods loaded with NULL `owners` (written by an older kubesim): the
   * next save fills in their columns (objectColumns) so that later loads need not parse them.
   */
  private unfilledRows: [number, ReturnType<typeof objectColumns>][] = [];

  private selectData: Database.Statement | undefined;
  /** pod rows read by the shape of rows read before (row-shapes.ts) */
  private readonly rowShapes = new RowShapes();

  /**
   * A row's text, read when its pod is first read (RowReader): only inside a transaction, in
   * which no other process writes (a command's, or a request of kubesim serve, which loads the
   * file again when another process wrote it), so the row is the one the load indexed.
   */
  private rowData(rowid: number): string {
    if (!this.db.open || !this.db.inTransaction) throw new Error(`internal error: ${this.path}: row ${rowid} read outside a transaction`);
    const data = (this.selectData ??= this.db.prepare('SELECT data FROM objects WHERE id = ?').pluck()).get(rowid) as string | undefined;
    if (data === undefined) throw new CliError(`${this.path} is corrupt: row ${rowid} is gone`, { dropsOutput: true });
    return data;
  }

  private rowName(rowid: number): string {
    const [kind, namespace, name] = this.db.prepare('SELECT kind, namespace, name FROM objects WHERE id = ?').raw().get(rowid) as [
      string,
      string,
      string,
    ];
    return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
  }

  /** An object as its stored row holds it: pod parts and spec filled in from the shared tables. */
  private rowObject(templates: Map<number, SpecTemplate>, data: string, rowid: number): { obj: KObject; template?: SpecTemplate } {
    const shaped = this.rowShapes.read(data, this.sharedById, templates);
    if (shaped) return { obj: shaped.obj, template: shaped.templateId === undefined ? undefined : templates.get(shaped.templateId) };
    // as stored: spec and status are JSON until a reader narrows them
    let obj: KObject;
    try {
      obj = JSON.parse(data) as KObject;
    } catch {
      // (read when first read, maybe after the command printed what it did: that is not done)
      throw new CliError(`${this.path} is corrupt: ${this.rowName(rowid)} cannot be read`, { dropsOutput: true });
    }
    if (obj.kind === 'Pod') {
      mapPodParts(obj, (v) => this.sharedValue(v, obj), true);
      internPodStrings(obj);
    }
    const ref = obj.kind === 'Pod' ? (obj.spec as { $template?: number; nodeName?: string } | undefined) : undefined;
    let template: SpecTemplate | undefined;
    if (ref?.$template !== undefined) {
      template = templates.get(ref.$template);
      if (!template)
        throw new CliError(`${this.path} is corrupt: ${this.rowName(rowid)} refers to a missing pod template`, { dropsOutput: true });
      obj.spec = specFromTemplate(template, ref.nodeName);
    }
    if (obj.kind === 'Pod') this.rowShapes.learn(data);
    return { obj, template };
  }

  /** Objects as stored rows hold them: pod parts and specs filled in from the shared tables. */
  private *objectsOf(
    templates: Map<number, SpecTemplate>,
    query: () => IterableIterator<[string, number]>,
  ): IterableIterator<{ obj: KObject; rowid: number; template?: SpecTemplate }> {
    let rows: IterableIterator<[string, number]>;
    try {
      rows = query();
    } catch (e) {
      throw new CliError(`${this.path} is corrupt: ${errorMessage(e)}`);
    }
    for (const [data, rowid] of rows) yield { rowid, ...this.rowObject(templates, data, rowid) };
  }

  /**
   * Pods in list order as the table printer reads them: from a row's `print` column
   * (pod-print.ts) without its text, or the object when the column is NULL or unreadable.
   */
  private *printedPods(templates: Map<number, SpecTemplate>, namespace?: string, nodeName?: string): IterableIterator<KObject> {
    const args = [...(namespace === undefined ? [] : [namespace]), ...(nodeName === undefined ? [] : [nodeName])];
    const sql = `SELECT namespace, name, node, print, id FROM objects INDEXED BY objects_key WHERE kind = 'Pod'${namespace === undefined ? '' : ' AND namespace = ?'}${nodeName === undefined ? '' : ' AND node = ?'} ORDER BY namespace, name`;
    let rows: IterableIterator<[string, string, string | null, string | null, number]>;
    try {
      rows = this.db
        .prepare(sql)
        .raw()
        .iterate(...args) as typeof rows;
    } catch (e) {
      throw new CliError(`${this.path} is corrupt: ${errorMessage(e)}`);
    }
    const labels = (stored: unknown): unknown => {
      const $shared = isJsonObject(stored) ? (stored as { $shared?: unknown }).$shared : undefined;
      return typeof $shared === 'number' ? this.sharedById.get($shared) : stored;
    };
    for (const [ns, name, node, print, rowid] of rows)
      yield (
        (print === null ? undefined : podFromPrintColumn(print, ns, name, node, labels, (id) => templates.has(id))) ??
        this.rowObject(templates, this.rowData(rowid), rowid).obj
      );
  }

  /** Writes what changed in the store (objects, deletions, events) inside the open transaction. */
  flush(store: ObjectStore): void {
    const insert = this.db.prepare(
      'INSERT INTO objects (kind, namespace, name, uid, rv, data, node, owners, controlled, deleting, sched, facts, print) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    // a new object whose key has a row after all (not expected: the command holds the write lock)
    const upsert = this.db.prepare(
      'INSERT INTO objects (kind, namespace, name, uid, rv, data, node, owners, controlled, deleting, sched, facts, print) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(kind, namespace, name) DO UPDATE SET uid = excluded.uid, rv = excluded.rv, data = excluded.data, node = excluded.node, owners = excluded.owners, controlled = excluded.controlled, deleting = excluded.deleting, sched = excluded.sched, facts = excluded.facts, print = excluded.print',
    );
    const rowOf = this.db.prepare('SELECT id FROM objects WHERE kind = ? AND namespace = ? AND name = ?').pluck();
    const update = this.db.prepare(
      'UPDATE objects SET uid = ?, rv = ?, data = ?, node = ?, owners = ?, controlled = ?, deleting = ?, sched = ?, facts = ?, print = ? WHERE id = ?',
    );
    const del = this.db.prepare('DELETE FROM objects WHERE kind = ? AND namespace = ? AND name = ?');
    const delRow = this.db.prepare('DELETE FROM objects WHERE id = ?');
    const t0 = monotonicMs();
    // controllers' memory of objects deleted now goes with them
    if (store.memoryChanged || store.deleted.size) this.setMeta(MEMORY_META, JSON.stringify(store.memoryToSave()));
    /** the pod index's chunks of the pod rows written or deleted */
    const podChunks = new Set<number>();
    /** the pod rows written, as the pod index records them (indexRow of the row as written) */
    const indexRows = new WrittenRows(store.dirty.size);
    /** pod rows written whose record is not in indexRows (upserts: read back from the row) */
    const staleRows = new Set<number>();
    const podRow = (rowid: number) => podChunks.add(Math.floor(rowid / 2 ** StateFile.podIndexChunkBits));
    for (const { kind, namespace, name, rowid } of store.deleted.values()) {
      if (kind === 'Pod') {
        const id = rowid ?? (rowOf.get(kind, namespace, name) as number | undefined);
        if (id !== undefined) podRow(id);
      }
      if (rowid !== undefined) delRow.run(rowid);
      else del.run(kind, namespace, name);
    }
    // rows already in the file are rewritten in row order (sequential pages), new ones appended
    const known: Slot[] = [];
    const fresh: Slot[] = [];
    for (const slot of store.dirty) (slot.rowid === undefined ? fresh : known).push(slot);
    known.sort((a, b) => a.rowid! - b.rowid!);
    const addTemplateRow = this.db.prepare('INSERT INTO templates (data) VALUES (?)');
    const addSharedRow = this.db.prepare('INSERT INTO shared (data) VALUES (?)');
    let added = 0;
    const addTemplate = { run: (text: string) => (added++, addTemplateRow.run(text)) };
    const addShared = { run: (text: string) => (added++, addSharedRow.run(text)) };
    // one {"$shared": id} object per id, not one per pod part written
    const refObjects = new Map<number, { $shared: number }>();
    const sharedRef = (value: object): unknown => {
      let id = this.sharedIds.get(value);
      if (id === undefined) {
        const text = JSON.stringify(value);
        id = text.length < MIN_SHARED_TEXT ? 0 : Number(addShared.run(text).lastInsertRowid);
        this.sharedIds.set(value, id);
        if (id) this.sharedById.set(id, value);
      }
      if (id === 0) return value;
      let ref = refObjects.get(id);
      if (!ref) refObjects.set(id, (ref = { $shared: id }));
      return ref;
    };
    let podsWritten = false;
    /** the last pod's labels as its row holds them (the sched column refers to a shared row as the row does) */
    let rowLabels: unknown;
    const json = (obj: KObject): string => {
      if (!isKind(obj, 'Pod')) return JSON.stringify(obj);
      podsWritten = true;
      const row = mapPodParts(obj, sharedRef, false);
      rowLabels = (row.metadata as { labels?: unknown } | undefined)?.labels;
      const template = obj.spec ? store.templateOf.get(obj.spec) : undefined;
      if (template) {
        if (template.id === undefined) template.id = Number(addTemplate.run(template.text).lastInsertRowid);
        row.spec = obj.spec.nodeName === undefined ? { $template: template.id } : { $template: template.id, nodeName: obj.spec.nodeName };
      }
      return JSON.stringify(row);
    };
    // (after json(obj), which gives a new template its row id)
    const columns = (obj: KObject) =>
      isKind(obj, 'Pod') ? podColumns(obj, obj.spec ? store.templateOf.get(obj.spec)?.id : undefined, rowLabels) : objectColumns(obj);
    for (const { obj, rowid } of known) {
      const uid = obj.metadata.uid ?? '';
      const rv = Number(obj.metadata.resourceVersion ?? 0);
      const text = json(obj);
      const values = columns(obj);
      update.run(uid, rv, text, ...values, rowid);
      if (obj.kind === 'Pod') {
        podRow(rowid!);
        addWritten(indexRows, rowid!, rv, obj.metadata.namespace ?? '', obj.metadata.name, uid, values);
      }
    }
    for (const slot of fresh) {
      const obj = slot.obj;
      const row = [
        obj.kind,
        obj.metadata.namespace ?? '',
        obj.metadata.name,
        obj.metadata.uid ?? '',
        Number(obj.metadata.resourceVersion ?? 0),
        json(obj),
        ...columns(obj),
      ] as const;
      // the row id is the slot's from now on (the engine's saved marks name objects by it)
      let inserted = true;
      try {
        slot.rowid = Number(insert.run(...row).lastInsertRowid);
      } catch (e) {
        if ((e as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw e;
        upsert.run(...row);
        slot.rowid = rowOf.get(row[0], row[1], row[2]) as number;
        inserted = false;
      }
      if (obj.kind === 'Pod') {
        podRow(slot.rowid);
        // (an upserted row: its chunk is read from the rows)
        if (inserted) addWritten(indexRows, slot.rowid, row[4], row[1], row[2], row[3], row.slice(6) as PodColumns);
        else staleRows.add(slot.rowid);
      }
    }
    if (this.unfilledRows.length) {
      // (rows written or deleted above are not NULL any more, or gone)
      const fill = this.db.prepare('UPDATE objects SET owners = ?, controlled = ?, deleting = ? WHERE id = ? AND owners IS NULL');
      for (const [rowid, [, owners, controlled, deleting]] of this.unfilledRows) fill.run(owners, controlled, deleting, rowid);
      this.unfilledRows = [];
    }
    if (this.logChanges && this.getMeta(CHANGE_LOG_META)) this.logWrites(store, [...known, ...fresh]);
    this.sweepShared(store, added, podsWritten);
    this.eventLog?.write();
    this.savePodIndex(podChunks, store.resourceVersion, indexRows, staleRows);
    classTexts.clear();
    if (process.env.KUBESIM_PROFILE) {
      process.stderr.write(`profile: flush ${store.dirty.size} objects ${(monotonicMs() - t0).toFixed(0)} ms\n`);
      process.stderr.write(`profile: pod rows parsed ${store.rowsParsed} of ${store.count('Pod')}, other rows ${store.otherRowsParsed}\n`);
    }
    this.setMeta('resourceVersion', String(store.resourceVersion));
  }

  /**
   * After pods changed or went, shared values and templates no pod refers to any more are
   * removed. Finding them visits every pod: on a big cluster (more than sweepEveryFlushPods
   * pods) that waits until the rows added since the last sweep — an upper bound on the rows it
   * can free — reach a tenth of those kept, so a command that changes one pod of 150k (a
   * label, a deletion) does not visit the other 149,999, and unused rows stay a small fraction.
   */
  private sweepShared(store: ObjectStore, added: number, podsWritten: boolean): void {
    const dropped = store.dropCount > store.savedDropCount;
    if (!dropped && !podsWritten) return;
    const unswept = Number(this.getMeta(UNSWEPT_META) ?? '0') + added;
    const kept = this.sharedById.size + [...store.templates()].filter((t) => t.id !== undefined).length;
    if (store.count('Pod') > StateFile.sweepEveryFlushPods && unswept < Math.max(StateFile.minUnsweptRows, kept / 10)) {
      if (added) this.setMeta(UNSWEPT_META, String(unswept));
      return;
    }
    this.dropUnusedTemplates(store);
    this.dropUnusedShared(store);
    if (this.getMeta(UNSWEPT_META) !== undefined) this.deleteMeta(UNSWEPT_META);
  }

  /**
   * The change log rows of a flush: each deletion since the last save and each write, at its own
   * resourceVersion (a deletion followed by a re-creation of the same name is logged as both). An
   * object written and then deleted by this flush's writes (a pod's deletionTimestamp, its
   * containers stopped) has its last state logged before its deletion, as a watch sees it.
   */
  private logWrites(store: ObjectStore, written: Slot[]): void {
    const log = this.db.prepare('INSERT INTO changes (rv, kind, namespace, name, data) VALUES (?, ?, ?, ?, ?)');
    const savedRv = Number(this.getMeta('resourceVersion') ?? 0);
    for (const { kind, namespace, name, obj, rv } of store.dropLog.slice(store.savedDropCount)) {
      const lastWrite = Number(obj.metadata.resourceVersion ?? 0);
      if (lastWrite > savedRv) log.run(lastWrite, kind, namespace, name, JSON.stringify(obj));
      log.run(rv, kind, namespace, name, null);
    }
    const byRv = [...written].sort((a, b) => Number(a.obj.metadata.resourceVersion) - Number(b.obj.metadata.resourceVersion));
    for (const { obj } of byRv)
      log.run(Number(obj.metadata.resourceVersion ?? 0), obj.kind, obj.metadata.namespace ?? '', obj.metadata.name, JSON.stringify(obj));
    // a server that went away without ending the log (killed) leaves it on: keep it bounded
    this.db.prepare('DELETE FROM changes WHERE id <= (SELECT max(id) FROM changes) - ?').run(MAX_LOGGED_CHANGES);
  }

  /** kubesim serve: starts (or ends) the change log of other processes' writes. */
  setChangeLog(on: boolean): void {
    this.transaction(() => {
      this.db.exec(CHANGES_TABLE);
      this.db.exec('DELETE FROM changes');
      if (on) this.setMeta(CHANGE_LOG_META, '1');
      else this.deleteMeta(CHANGE_LOG_META);
    });
  }

  /** Logged writes after a resourceVersion, in the order they were written; the rows up to it are removed. */
  takeChanges(afterRv: number): LoggedChange[] {
    if (!this.db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name='changes'").get()) return [];
    const rows = this.db.prepare('SELECT rv, kind, namespace, name, data FROM changes WHERE rv > ? ORDER BY id').raw().all(afterRv) as [
      number,
      string,
      string,
      string,
      string | null,
    ][];
    return rows.map(([rv, kind, namespace, name, data]) => ({
      rv,
      kind,
      namespace,
      name,
      ...(data === null ? {} : { object: JSON.parse(data) as KObject }),
    }));
  }

  /** Removes the logged writes up to a resourceVersion (read by the server). */
  dropChanges(upToRv: number): void {
    if (!this.db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name='changes'").get()) return;
    this.db.prepare('DELETE FROM changes WHERE rv <= ?').run(upToRv);
  }

  /** A pod part as read: a {"$shared": id} reference is replaced by the shared value. */
  private sharedValue(v: object, pod: KObject): unknown {
    const id = (v as { $shared?: unknown }).$shared;
    if (typeof id !== 'number' || Array.isArray(v)) return v;
    const value = this.sharedById.get(id);
    if (value === undefined) {
      throw new CliError(
        `${this.path} is corrupt: Pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name} refers to a missing shared value`,
      );
    }
    return value;
  }

  /** After pods changed or went: shared values no pod refers to any more are removed. */
  private dropUnusedShared(store: ObjectStore): void {
    if (this.sharedById.size === 0) return;
    const used = new Set<number>();
    const mark = (v: object): object => {
      const id = this.sharedIds.get(v);
      if (id) used.add(id);
      return v;
    };
    for (const slot of store.slotsInInsertionOrder('Pod')) {
      // a pod not parsed is its row: its references are read from the text (a string inside
      // the row cannot hold this text unescaped; a match that is not one only keeps a row)
      if (slot.parsed) mapPodParts(slot.obj, mark, true);
      else for (const m of this.rowData(slot.rowid!).matchAll(SHARED_REF)) used.add(Number(m[1]));
    }
    const del = this.db.prepare('DELETE FROM shared WHERE id = ?');
    for (const [id, value] of this.sharedById) {
      if (used.has(id)) continue;
      del.run(id);
      this.sharedById.delete(id);
      this.sharedIds.delete(value);
    }
  }

  /** After deletions: templates no pod refers to any more are removed. */
  private dropUnusedTemplates(store: ObjectStore): void {
    const used = new Set<number>();
    for (const slot of store.slotsInInsertionOrder('Pod')) {
      if (!slot.parsed) {
        for (const m of this.rowData(slot.rowid!).matchAll(TEMPLATE_REF)) used.add(Number(m[1]));
        continue;
      }
      const id = slot.obj.spec ? store.templateOf.get(slot.obj.spec)?.id : undefined;
      if (id !== undefined) used.add(id);
    }
    const del = this.db.prepare('DELETE FROM templates WHERE id = ?');
    for (const t of store.templates()) {
      if (t.id !== undefined && !used.has(t.id)) {
        del.run(t.id);
        t.id = undefined;
      }
    }
  }

  /** Events, optionally for one object (or one namespace), aggregated, oldest first (by last seen). */
  events(filter: { namespace?: string; kind?: string; name?: string; uid?: string } = {}, now?: number): StoredEvent[] {
    this.eventLog?.write();
    const all = aggregateEvents(this.storedEvents(filter));
    return (now === undefined ? all : liveEvents(all, now)).map(storedEvent);
  }

  /**
   * Removes the events that expired (EVENT_TTL_MS after they were last seen) and folds each
   * live event's entries into one, bucket by bucket, at most once per TTL of virtual time:
   * reads already leave expired events out and count the rest, so this only bounds the file
   * (a pod crash-looping for days keeps one entry), and doing it more often costs more than it frees.
   */
  pruneEvents(now: number): void {
    // a file without the mark (new, or written before events expired) starts counting now
    const last = Number(this.getMeta('eventsPrunedAt') ?? NaN);
    if (!Number.isFinite(last)) {
      this.setMeta('eventsPrunedAt', String(now));
      return;
    }
    if (now - last < EVENT_TTL_MS) return;
    this.eventLog?.write();
    const read = this.db.prepare('SELECT id, data FROM events WHERE bucket = ? ORDER BY id');
    const update = this.db.prepare('UPDATE events SET data = ? WHERE id = ?');
    const del = this.db.prepare('DELETE FROM events WHERE id = ?');
    for (let bucket = 0; bucket < EVENT_BUCKETS; bucket++) {
      const rows = (read.raw().all(bucket) as [number, string][]).map(([id, data]) => ({ id, entries: parseEvents(data) }));
      if (!rows.length) continue;
      const compacted = compactBucket(rows, now);
      if (!compacted) continue;
      if (compacted.keep) update.run(eventsText(compacted.keep.entries), compacted.keep.id);
      for (const id of compacted.remove) del.run(id);
    }
    this.setMeta('eventsPrunedAt', String(now));
  }

  /**
   * Stored entries matching the filter (not aggregated), freshly parsed, one list per bucket
   * (an object's events are all in its bucket): only that bucket's rows when the object is named.
   */
  *storedEvents(filter: EventFilter): IterableIterator<EventEntry[]> {
    const oneObject = filter.namespace !== undefined && filter.kind !== undefined && filter.name !== undefined;
    const rows = (
      oneObject
        ? this.db
            .prepare('SELECT bucket, data FROM events WHERE bucket = ?')
            .raw()
            .all(eventBucket(filter.namespace!, filter.kind!, filter.name!))
        : this.db.prepare('SELECT bucket, data FROM events ORDER BY bucket').raw().all()
    ) as [number, string][];
    for (let i = 0; i < rows.length;) {
      const bucket = rows[i][0];
      const group: EventEntry[] = [];
      for (; i < rows.length && rows[i][0] === bucket; i++) {
        for (const e of parseEvents(rows[i][1])) if (matchesEvent(e, filter)) group.push(e);
        rows[i][1] = ''; // parsed: its text can go
      }
      yield group;
    }
  }

  /** Appends events, one row per bucket (`HeldEvents.take`: its text, in bucket order). */
  writeEvents(rows: [bucket: number, text: string][], nextSeq?: number): void {
    if (rows.length === 0) return;
    const insert = this.db.prepare('INSERT INTO events (bucket, data) VALUES (?, ?)');
    for (const [bucket, text] of rows) insert.run(bucket, text);
    if (nextSeq !== undefined) this.setMeta('eventSeq', String(nextSeq));
  }

  nextEventSeq(): number {
    return Number(this.getMeta('eventSeq') ?? '1');
  }

  /** A namespace's events go with it: rows holding some are rewritten without them. */
  deleteEventsInNamespace(namespace: string): void {
    this.eventLog?.write();
    const update = this.db.prepare('UPDATE events SET data = ? WHERE id = ?');
    const del = this.db.prepare('DELETE FROM events WHERE id = ?');
    for (const [id, data] of this.db.prepare('SELECT id, data FROM events').raw().all() as [number, string][]) {
      const entries = parseEvents(data);
      const kept = entries.filter((e) => e[0] !== namespace);
      if (kept.length === entries.length) continue;
      if (kept.length) update.run(eventsText(kept), id);
      else del.run(id);
    }
  }
}

/**
 * A command's events: held (`HeldEvents`) and appended by bucket (save, before events are read, and
 * whenever WRITE_EVERY_BYTES are held, so memory stays bounded) inside the command's
 * transaction — a failing command loses them with everything else.
 */
class StateFileEventLog implements EventLog {
  private held = new HeldEvents();
  private nextSeq: number;

  constructor(private state: StateFile) {
    this.nextSeq = state.nextEventSeq();
  }

  record(e: EventRecord, at: number): void {
    this.held.record(e, e.involved.namespace ?? 'default', this.nextSeq++, at);
    if (this.held.bytes >= WRITE_EVERY_BYTES) this.write();
  }

  write(): void {
    this.state.writeEvents(this.held.take(), this.nextSeq);
  }

  forgetNamespace(namespace: string): void {
    this.state.deleteEventsInNamespace(namespace);
  }

  has(involved: ObjectRef, reason?: string, at?: number): boolean {
    const namespace = involved.namespace ?? 'default';
    const filter: EventFilter = { namespace, kind: involved.kind, name: involved.name, uid: involved.uid ?? '', reason, lastTs: at };
    if (this.held.find(eventBucket(namespace, involved.kind, involved.name), filter).length > 0) return true;
    for (const group of this.state.storedEvents(filter)) if (group.length) return true;
    return false;
  }
}

/** event text held in memory before it is written (a 150k-pod command records ~60 MB; held longer, it is promoted and raises peak RSS) */
const WRITE_EVERY_BYTES = 4 << 20;

function isBusy(e: unknown): boolean {
  return e instanceof Error && /SQLITE_BUSY|database is locked/i.test(`${(e as { code?: string }).code} ${e.message}`);
}

/** Checks that an existing file is an SQLite database before SQLite opens it (a text file is refused untouched). */
function verifyHeader(abs: string, shown: string): void {
  let header: string;
  try {
    const fd = fs.openSync(abs, 'r');
    const buf = Buffer.alloc(16);
    fs.readSync(fd, buf, 0, 16, 0);
    fs.closeSync(fd);
    header = buf.toString('latin1');
  } catch (e) {
    throw new CliError(`cannot read state file ${shown}: ${errorMessage(e)}`);
  }
  if (header !== SQLITE_HEADER) throw new CliError(`${shown} is not a kubesim state file`);
}

/**
 * Checks, with reads only, that an opened existing file is a kubesim state of a schema we read
 * (else closes it: nothing was written, not even the switch to WAL).
 */
function verifyOurs(db: Database.Database, shown: string): void {
  const notOurs = new CliError(`${shown} is not a kubesim state file`);
  try {
    const hasMeta = db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name='meta'").get();
    if (!hasMeta) throw notOurs;
    const app = db.prepare("SELECT value FROM meta WHERE key='app'").get() as { value: string } | undefined;
    if (app?.value !== APP_ID) throw notOurs;
    const schema = db.prepare("SELECT value FROM meta WHERE key='schema'").get() as { value: string } | undefined;
    const version = Number(schema?.value);
    if (version > SCHEMA_VERSION) {
      throw new CliError(`${shown} was written by a newer kubesim (state schema ${version}; this kubesim reads schema ${SCHEMA_VERSION})`);
    }
  } catch (e) {
    db.close();
    if (e instanceof CliError) throw e;
    throw notOurs;
  }
}
