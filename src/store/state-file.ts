import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { CliError, errorMessage } from '../util/errors';
import { monotonicMs } from '../clock/clock';
import type { EventRecord, KObject, ObjectRef, StoredEvent } from '../api/types';
import { mapPodParts } from './intern';
import { byLastSeen, mergeEventRows, ObjectEvents, storedEvent, type EventTuple } from './event-rows';
import { objectKey, ObjectStore, specFromTemplate, type EventLog, type Slot, type SpecTemplate } from './object-store';

/** Bumped when the file layout changes; a newer file is refused, never rewritten. */
export const SCHEMA_VERSION = 4;
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
 * Schema 4: an object's events are a JSON list (event-rows.ts) in its own row's `events`
 * column, written with the row it is rewritten with anyway; events of objects that are gone
 * (or never were stored) are in the events table, one row per object. Schema 3 had one row
 * per event: at 450k events per command, those inserts were the largest cost of saving.
 */
const EVENTS_TABLE = `CREATE TABLE events (
  namespace TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (namespace, kind, name)
);`;
const EVENTS_COLUMN = 'ALTER TABLE objects ADD COLUMN events TEXT;';
/** the SQL function that adds a command's events to an object's stored list (either may be NULL) */
const MERGE_EVENTS = 'kubesim_merge_events';

const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE objects (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
  uid TEXT NOT NULL, rv INTEGER NOT NULL, data TEXT NOT NULL, events TEXT
);
CREATE UNIQUE INDEX objects_key ON objects (kind, namespace, name);
${EVENTS_TABLE}
${TEMPLATES_TABLE}
${SHARED_TABLE}
`;

/**
 * One cluster = one SQLite file (the stand-in for etcd). This is the only code that
 * speaks SQL. Every command runs inside one IMMEDIATE transaction: load, change,
 * reconcile, write back what changed, commit — so two processes serialise, and a
 * failing command leaves the file as it was.
 */
export class StateFile {
  /** shared pod parts: value → row id (0: kept inline), and back */
  private readonly sharedIds = new WeakMap<object, number>();
  private readonly sharedById = new Map<number, object>();
  /** the loaded store's event log: it holds recent events until flush */
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
      if (stat.size === 0) exists = false; // an empty file (mktemp) is a new cluster
      else verifyForeignFile(abs, file);
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
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.function(MERGE_EVENTS, { deterministic: true }, (stored, added) => (stored === null ? added : added === null ? stored : mergeEventRows(String(stored), String(added))));
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

  close(): void {
    this.db.close();
  }

  /**
   * Brings an older file up to this schema: 2 adds the templates table, 3 the shared table
   * (pods move as they are written), 4 regroups the events table by object.
   */
  private migrate(): void {
    if (Number(this.getMeta('schema')) >= SCHEMA_VERSION) return;
    this.transaction(() => {
      const from = Number(this.getMeta('schema'));
      if (from >= SCHEMA_VERSION) return;
      this.db.exec(TEMPLATES_TABLE);
      this.db.exec(SHARED_TABLE);
      if (from < 4 && this.hasOneRowPerEvent()) this.regroupEvents();
      if (!this.columnsOf('objects').includes('events')) this.db.exec(EVENTS_COLUMN);
      this.setMeta('schema', String(SCHEMA_VERSION));
    });
  }

  private columnsOf(table: string): string[] {
    return (this.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
  }

  private hasOneRowPerEvent(): boolean {
    return this.columnsOf('events').includes('dedup');
  }

  /**
   * Schema 3 → 4: the one-row-per-event table becomes one row per object (ids keep their order
   * as seq). They stay in the events table; reading merges it with the objects' own lists.
   */
  private regroupEvents(): void {
    this.db.exec('ALTER TABLE events RENAME TO events_v3; DROP INDEX IF EXISTS events_dedup; DROP INDEX IF EXISTS events_object;');
    this.db.exec(EVENTS_TABLE);
    const rows = this.db
      .prepare('SELECT namespace, kind, name, id, uid, type, reason, message, source, host, count, first_ts, last_ts FROM events_v3 ORDER BY namespace, kind, name, id')
      .raw()
      .all() as [string, string, string, ...EventTuple][];
    const insert = this.db.prepare('INSERT INTO events (namespace, kind, name, data) VALUES (?, ?, ?, ?)');
    let seq = 1;
    for (let i = 0; i < rows.length; ) {
      const [namespace, kind, name] = rows[i];
      const list: EventTuple[] = [];
      for (; i < rows.length && rows[i][0] === namespace && rows[i][1] === kind && rows[i][2] === name; i++) {
        const tuple = rows[i].slice(3) as EventTuple;
        list.push(tuple);
        seq = Math.max(seq, tuple[0] + 1);
      }
      insert.run(namespace, kind, name, JSON.stringify(list));
    }
    this.db.exec('DROP TABLE events_v3');
    this.setMeta('eventSeq', String(seq));
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

  getMeta(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Loads every object into an in-memory store. */
  load(): ObjectStore {
    const store = new ObjectStore(Number(this.getMeta('resourceVersion') ?? '1'));
    const templates = new Map<number, SpecTemplate>();
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
        store.adoptShared(value, data);
      }
    } catch (e) {
      throw new CliError(`${this.path} is corrupt: ${errorMessage(e)}`);
    }
    // rows are streamed, so the JSON text of a large cluster is never all in memory at once
    let rows: IterableIterator<[string, string, string, string, number]>;
    try {
      rows = this.db.prepare('SELECT data, kind, namespace, name, id FROM objects').raw().iterate() as IterableIterator<[string, string, string, string, number]>;
    } catch (e) {
      throw new CliError(`${this.path} is corrupt: ${errorMessage(e)}`);
    }
    for (const [data, kind, namespace, name, rowid] of rows) {
      let obj: KObject;
      try {
        obj = JSON.parse(data) as KObject;
      } catch {
        throw new CliError(`${this.path} is corrupt: ${kind} ${namespace ? `${namespace}/` : ''}${name} cannot be read`);
      }
      if (obj.kind === 'Pod') mapPodParts(obj, (v) => this.sharedValue(v, obj), true);
      const ref = obj.kind === 'Pod' ? (obj.spec as { $template?: number; nodeName?: string } | undefined) : undefined;
      if (ref?.$template !== undefined) {
        const template = templates.get(ref.$template);
        if (!template) throw new CliError(`${this.path} is corrupt: ${kind} ${namespace ? `${namespace}/` : ''}${name} refers to a missing pod template`);
        obj.spec = specFromTemplate(template, ref.nodeName);
        store.templateOf.set(obj.spec, template);
      }
      store.load(obj, rowid);
    }
    this.eventLog = new StateFileEventLog(this);
    store.events = this.eventLog;
    return store;
  }

  /** Writes what changed in the store (objects with their recent events, deletions) inside the open transaction. */
  flush(store: ObjectStore): void {
    const insert = this.db.prepare(
      `INSERT INTO objects (kind, namespace, name, uid, rv, data, events) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(kind, namespace, name) DO UPDATE SET uid = excluded.uid, rv = excluded.rv, data = excluded.data, events = ${MERGE_EVENTS}(events, excluded.events)`,
    );
    const update = this.db.prepare(`UPDATE objects SET uid = ?, rv = ?, data = ?, events = ${MERGE_EVENTS}(events, ?) WHERE id = ?`);
    const t0 = monotonicMs();
    const recent = this.eventLog?.takeRecent() ?? new Map<string, ObjectEvents>();
    const recentText = (kind: string, namespace: string | undefined, name: string): string | null => {
      const key = objectKey(kind, namespace, name);
      const events = recent.get(key);
      if (!events) return null;
      recent.delete(key);
      return JSON.stringify(events.list);
    };
    // a deleted object's events stay (until their namespace goes), in the events table
    const keepEvents = this.db.prepare(
      `INSERT INTO events (namespace, kind, name, data) SELECT CASE namespace WHEN '' THEN 'default' ELSE namespace END, kind, name, events FROM objects WHERE kind = ? AND namespace = ? AND name = ? AND events IS NOT NULL
       ON CONFLICT DO UPDATE SET data = ${MERGE_EVENTS}(data, excluded.data)`,
    );
    const del = this.db.prepare('DELETE FROM objects WHERE kind = ? AND namespace = ? AND name = ?');
    for (const { kind, namespace, name } of store.deleted.values()) {
      keepEvents.run(kind, namespace, name);
      del.run(kind, namespace, name);
    }
    // rows already in the file are rewritten in row order (sequential pages), new ones appended
    const known: Slot[] = [];
    const fresh: Slot[] = [];
    for (const slot of store.dirty) (slot.rowid === undefined ? fresh : known).push(slot);
    known.sort((a, b) => a.rowid! - b.rowid!);
    const addTemplate = this.db.prepare('INSERT INTO templates (data) VALUES (?)');
    const addShared = this.db.prepare('INSERT INTO shared (data) VALUES (?)');
    const sharedRef = (value: object): unknown => {
      let id = this.sharedIds.get(value);
      if (id === undefined) {
        const text = JSON.stringify(value);
        id = text.length < MIN_SHARED_TEXT ? 0 : Number(addShared.run(text).lastInsertRowid);
        this.sharedIds.set(value, id);
        if (id) this.sharedById.set(id, value);
      }
      return id === 0 ? value : { $shared: id };
    };
    let podsWritten = false;
    const json = (obj: KObject): string => {
      if (obj.kind !== 'Pod') return JSON.stringify(obj);
      podsWritten = true;
      const row = mapPodParts(obj, sharedRef, false);
      const template = obj.spec ? store.templateOf.get(obj.spec) : undefined;
      if (template) {
        if (template.id === undefined) template.id = Number(addTemplate.run(template.text).lastInsertRowid);
        row.spec = obj.spec.nodeName === undefined ? { $template: template.id } : { $template: template.id, nodeName: obj.spec.nodeName };
      }
      return JSON.stringify(row);
    };
    for (const { obj, rowid } of known) {
      update.run(obj.metadata.uid ?? '', Number(obj.metadata.resourceVersion ?? 0), json(obj), recentText(obj.kind, obj.metadata.namespace, obj.metadata.name), rowid);
    }
    for (const { obj } of fresh) {
      const events = recentText(obj.kind, obj.metadata.namespace, obj.metadata.name);
      insert.run(obj.kind, obj.metadata.namespace ?? '', obj.metadata.name, obj.metadata.uid ?? '', Number(obj.metadata.resourceVersion ?? 0), json(obj), events);
    }
    this.writeEvents(recent);
    if (this.eventLog) this.setMeta('eventSeq', String(this.eventLog.nextSeq));
    if (store.dropCount > 0) this.dropUnusedTemplates(store);
    if (store.dropCount > 0 || podsWritten) this.dropUnusedShared(store);
    if (process.env.KUBESIM_PROFILE) {
      process.stderr.write(`profile: flush ${store.dirty.size} objects ${(monotonicMs() - t0).toFixed(0)} ms\n`);
    }
    this.setMeta('resourceVersion', String(store.resourceVersion));
  }

  /** A pod part as read: a {"$shared": id} reference is replaced by the shared value. */
  private sharedValue(v: object, pod: KObject): unknown {
    const id = (v as { $shared?: unknown }).$shared;
    if (typeof id !== 'number' || Array.isArray(v)) return v;
    const value = this.sharedById.get(id);
    if (value === undefined) {
      throw new CliError(`${this.path} is corrupt: Pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name} refers to a missing shared value`);
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
    for (const pod of store.values('Pod')) mapPodParts(pod, mark, true);
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
    for (const pod of store.values('Pod')) {
      const id = pod.spec ? store.templateOf.get(pod.spec)?.id : undefined;
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

  /** Events, optionally for one object, oldest first (by last seen). */
  events(filter: { namespace?: string; kind?: string; name?: string; uid?: string } = {}): StoredEvent[] {
    this.writeEvents(this.eventLog?.takeRecent());
    const where: string[] = [];
    const args: string[] = [];
    for (const [col, v] of [['kind', filter.kind], ['name', filter.name]] as const) {
      if (v !== undefined) {
        where.push(`${col} = ?`);
        args.push(v);
      }
    }
    const gone = this.db
      .prepare(`SELECT namespace, kind, name, data FROM events WHERE ${[...where, ...(filter.namespace === undefined ? [] : ['namespace = ?'])].join(' AND ') || 'true'}`)
      .raw()
      .all(...args, ...(filter.namespace === undefined ? [] : [filter.namespace])) as [string, string, string, string][];
    // cluster-scoped objects' events are in the default namespace, as the event recorder puts them
    const namespaces = filter.namespace === undefined ? [] : filter.namespace === 'default' ? ['default', ''] : [filter.namespace];
    const present = this.db
      .prepare(
        `SELECT CASE namespace WHEN '' THEN 'default' ELSE namespace END, kind, name, events FROM objects WHERE events IS NOT NULL${where.map((w) => ` AND ${w}`).join('')}${namespaces.length ? ` AND namespace IN (${namespaces.map(() => '?').join(', ')})` : ''}`,
      )
      .raw()
      .all(...args, ...namespaces) as [string, string, string, string][];
    // an object's events can be in both places (it was deleted and made again): one list, aggregated
    const byObject = new Map<string, { namespace: string; kind: string; name: string; events: ObjectEvents }>();
    for (const [namespace, kind, name, data] of [...gone, ...present]) {
      const key = objectKey(kind, namespace, name);
      let entry = byObject.get(key);
      if (!entry) byObject.set(key, (entry = { namespace, kind, name, events: new ObjectEvents() }));
      for (const t of JSON.parse(data) as EventTuple[]) entry.events.add(t);
    }
    const found: { t: EventTuple; namespace: string; kind: string; name: string }[] = [];
    for (const { namespace, kind, name, events } of byObject.values()) {
      for (const t of events.list) if (filter.uid === undefined || t[1] === filter.uid) found.push({ t, namespace, kind, name });
    }
    found.sort((a, b) => byLastSeen(a.t, b.t));
    return found.map(({ t, namespace, kind, name }) => storedEvent(namespace, kind, name, t));
  }

  /** One object's stored events (not this command's recent ones). */
  storedEventsOf(kind: string, namespace: string | undefined, name: string): EventTuple[] {
    const own = this.db.prepare('SELECT events FROM objects WHERE kind = ? AND namespace = ? AND name = ?').get(kind, namespace ?? '', name) as { events: string | null } | undefined;
    const gone = this.db.prepare('SELECT data FROM events WHERE namespace = ? AND kind = ? AND name = ?').get(namespace ?? 'default', kind, name) as { data: string } | undefined;
    return [...(own?.events ? (JSON.parse(own.events) as EventTuple[]) : []), ...(gone ? (JSON.parse(gone.data) as EventTuple[]) : [])];
  }

  /** Writes recent events of objects not written with their rows: into the object's row if it has one, else the events table. */
  private writeEvents(recent: Map<string, ObjectEvents> | undefined): void {
    if (!recent?.size) return;
    const intoRow = this.db.prepare(`UPDATE objects SET events = ${MERGE_EVENTS}(events, ?) WHERE kind = ? AND namespace = ? AND name = ?`);
    const intoTable = this.db.prepare(`INSERT INTO events (namespace, kind, name, data) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET data = ${MERGE_EVENTS}(data, excluded.data)`);
    for (const [key, events] of recent) {
      const [kind, namespace, name] = key.split('\u0000');
      const text = JSON.stringify(events.list);
      if (intoRow.run(text, kind, namespace, name).changes === 0) intoTable.run(namespace || 'default', kind, name, text);
    }
  }

  nextEventSeq(): number {
    return Number(this.getMeta('eventSeq') ?? '1');
  }

  deleteEventsInNamespace(namespace: string): void {
    this.writeEvents(this.eventLog?.takeRecent());
    this.db.prepare('DELETE FROM events WHERE namespace = ?').run(namespace);
    this.db.prepare('UPDATE objects SET events = NULL WHERE namespace = ?').run(namespace);
  }
}

/**
 * Events recorded in a command, held by object until the state file writes them with the
 * object's row (or, when read before that, on their own) — inside the command's transaction,
 * so a failing command loses them with everything else.
 */
class StateFileEventLog implements EventLog {
  private recent = new Map<string, ObjectEvents>();
  nextSeq: number;

  constructor(private state: StateFile) {
    this.nextSeq = state.nextEventSeq();
  }

  record(e: EventRecord, at: number): void {
    const key = objectKey(e.involved.kind, e.involved.namespace, e.involved.name);
    let events = this.recent.get(key);
    if (!events) this.recent.set(key, (events = new ObjectEvents()));
    events.add([this.nextSeq++, e.involved.uid ?? '', e.type, e.reason, e.message, e.source, e.host ?? null, 1, at, at]);
  }

  /** The events recorded since the last call, by object key; the state file writes them. */
  takeRecent(): Map<string, ObjectEvents> {
    const recent = this.recent;
    this.recent = new Map();
    return recent;
  }

  has(involved: ObjectRef, reason?: string, at?: number): boolean {
    const matches = (t: EventTuple) => t[1] === (involved.uid ?? '') && (reason === undefined || t[3] === reason) && (at === undefined || t[9] === at);
    const recent = this.recent.get(objectKey(involved.kind, involved.namespace, involved.name))?.list ?? [];
    return recent.some(matches) || this.state.storedEventsOf(involved.kind, involved.namespace, involved.name).some(matches);
  }
}

function isBusy(e: unknown): boolean {
  return e instanceof Error && /SQLITE_BUSY|database is locked/i.test(`${(e as { code?: string }).code} ${e.message}`);
}

/** Checks, without writing, that an existing file is a kubesim state of a schema we read. */
function verifyForeignFile(abs: string, shown: string): void {
  const notOurs = new CliError(`${shown} is not a kubesim state file`);
  let header = '';
  try {
    const fd = fs.openSync(abs, 'r');
    const buf = Buffer.alloc(16);
    fs.readSync(fd, buf, 0, 16, 0);
    fs.closeSync(fd);
    header = buf.toString('latin1');
  } catch (e) {
    throw new CliError(`cannot read state file ${shown}: ${errorMessage(e)}`);
  }
  if (header !== SQLITE_HEADER) throw notOurs;
  let db: Database.Database | undefined;
  try {
    db = new Database(abs, { readonly: true, fileMustExist: true });
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
    if (e instanceof CliError) throw e;
    throw notOurs;
  } finally {
    db?.close();
  }
}
