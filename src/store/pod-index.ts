/**
 * The pod index: the pod rows' load columns (what `StateFile.loadRows` reads of a pod row: its
 * row id, resourceVersion, name, uid, node, namespace, owners + scheduling class, controlled and
 * deleting flags), packed in BLOBs of `CHUNK_ROWS` row ids each, so that a load reads ~150
 * blobs instead of scanning 150k rows of `objects` (SQLite's row reading and the strings made
 * for the head and class columns were most of a 150k load). Node, namespace and class texts are
 * numbers into string tables kept in the same table (negative ids), appended to as new ones come.
 *
 * Meta `pod-index` holds the resourceVersion of the save that wrote it: a file written since by
 * another program (an older kubesim, which leaves the table as it was but bumps meta
 * `resourceVersion` with any write) is loaded by scanning the rows, and its next save rewrites
 * the index whole. A save of ours rewrites the chunks of the pod rows it wrote or deleted,
 * each from the rows as they are then (the same columns a scan would read).
 */

export const POD_INDEX_TABLE = 'CREATE TABLE IF NOT EXISTS pod_index (id INTEGER PRIMARY KEY, data BLOB NOT NULL)';
export const POD_INDEX_META = 'pod-index';

/** row ids per chunk (a save that writes one pod rewrites ~1024 pods' records, ~70 KB) */
export const CHUNK_BITS = 10;

/** string tables' ids in pod_index */
export const NAMESPACES_ID = -1;
export const NODES_ID = -2;
export const CLASSES_ID = -3;

/** a record's kind: a pod row loaded by its columns, or one parsed at load (its owners column is NULL) */
const INDEXED = 1;
const PARSED = 0;
const CONTROLLED = 1;
const TERMINATING = 2;

/** One pod row's load columns (indexed 0: the load parses the row; the rest is not set). */
export type IndexRow = [
  rowid: number,
  indexed: number,
  rv: number,
  namespace: string,
  name: string,
  uid: string,
  node: string,
  classText: string,
  controlled: boolean,
  terminating: boolean,
];

/** the size of an indexed record without its name and uid */
const FIXED = 30;

/** A string table as a save extends it: text → index, and whether it grew. */
export class StringTable {
  readonly texts: string[];
  private readonly ids = new Map<string, number>();
  grown = false;

  constructor(texts: string[] = []) {
    this.texts = texts;
    texts.forEach((t, i) => this.ids.set(t, i));
  }

  id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.texts.push(text);
      this.ids.set(text, id);
      this.grown = true;
    }
    return id;
  }
}

export interface IndexTables {
  namespaces: StringTable;
  nodes: StringTable;
  classes: StringTable;
}

/** A chunk's records from its pod rows, in row id order. */
export function encodeChunk(rows: IndexRow[], tables: IndexTables): Buffer {
  let size = 0;
  for (const r of rows) size += r[1] ? FIXED + Buffer.byteLength(r[4]) + Buffer.byteLength(r[5]) : 5;
  const buf = Buffer.allocUnsafe(size);
  let at = 0;
  for (const [rowid, indexed, rv, namespace, name, uid, node, classText, controlled, terminating] of rows) {
    at = buf.writeUInt32LE(rowid, at);
    // (a name or uid too long for its length field: the row is parsed at load, as a row without columns)
    if (!indexed || Buffer.byteLength(name) > 0xffff || Buffer.byteLength(uid) > 0xffff) {
      at = buf.writeUInt8(PARSED, at);
      continue;
    }
    at = buf.writeUInt8(INDEXED, at);
    at = buf.writeDoubleLE(rv, at);
    at = buf.writeUInt32LE(tables.namespaces.id(namespace), at);
    at = buf.writeUInt32LE(tables.nodes.id(node), at);
    at = buf.writeUInt32LE(tables.classes.id(classText), at);
    at = buf.writeUInt8((controlled ? CONTROLLED : 0) | (terminating ? TERMINATING : 0), at);
    const nameAt = at + 4;
    const nameLength = buf.write(name, nameAt, 'utf8');
    const uidLength = buf.write(uid, nameAt + nameLength, 'utf8');
    buf.writeUInt16LE(nameLength, at);
    buf.writeUInt16LE(uidLength, at + 2);
    at = nameAt + nameLength + uidLength;
  }
  return buf.subarray(0, at);
}

/** What a chunk record gives the load (one object reused for every record). */
export interface IndexRecord {
  rowid: number;
  /** false: the row is parsed at load (the other fields are not set) */
  indexed: boolean;
  rv: number;
  namespace: number;
  node: number;
  classId: number;
  controlled: boolean;
  terminating: boolean;
  /** the record's offset in its chunk: its name and uid are read from there when asked (recordName, recordUid) */
  at: number;
  /** the chunk last read, and a view of it */
  chunk?: Buffer;
  view?: DataView;
}

/** readRecord at the end of a chunk */
export const END = -1;
/** readRecord at a record cut short (a corrupt chunk) */
const CUT = -2;

/**
 * Reads a chunk's records one by one into `record`; returns the next offset (END after the last).
 * The name and uid are left in the chunk (`recordName`, `recordUid`): a load keeps the chunk
 * instead of 300,000 strings at 150k pods, most never read.
 */
export function readRecord(buf: Buffer, at: number, record: IndexRecord): number {
  if (at >= buf.length) return END;
  if (at + 5 > buf.length) return CUT;
  // (a DataView per chunk: Buffer's readUInt32LE and readDoubleLE check their arguments at each call)
  let view = record.view;
  if (view === undefined || record.chunk !== buf) {
    view = record.view = new DataView(buf.buffer, buf.byteOffset, buf.length);
    record.chunk = buf;
  }
  record.rowid = view.getUint32(at, true);
  record.at = at;
  if (buf[at + 4] === PARSED) {
    record.indexed = false;
    return at + 5;
  }
  if (at + FIXED > buf.length) return CUT;
  record.indexed = true;
  record.rv = view.getFloat64(at + 5, true);
  record.namespace = view.getUint32(at + 13, true);
  record.node = view.getUint32(at + 17, true);
  record.classId = view.getUint32(at + 21, true);
  const flags = buf[at + 25];
  record.controlled = (flags & CONTROLLED) !== 0;
  record.terminating = (flags & TERMINATING) !== 0;
  const end = at + FIXED + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  return end > buf.length ? CUT : end;
}

/** The name of the indexed record at `at` (one readRecord read whole). */
export function recordName(buf: Buffer, at: number): string {
  return buf.toString('utf8', at + FIXED, at + FIXED + buf.readUInt16LE(at + 26));
}

/** The uid of the indexed record at `at` (one readRecord read whole). */
export function recordUid(buf: Buffer, at: number): string {
  const uidAt = at + FIXED + buf.readUInt16LE(at + 26);
  return buf.toString('utf8', uidAt, uidAt + buf.readUInt16LE(at + 28));
}

/** The offset after the record at `at` (END at the chunk's end, CUT when cut short), its strings not read. */
function recordEnd(buf: Buffer, at: number): number {
  if (at >= buf.length) return END;
  if (at + 5 > buf.length) return CUT;
  if (buf[at + 4] === PARSED) return at + 5;
  if (at + FIXED > buf.length) return CUT;
  const end = at + FIXED + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  return end > buf.length ? CUT : end;
}

/**
 * A chunk made again from its old bytes: the records of the rows `written` encoded, those of the
 * other rows (`ids`, the chunk's pod rows now, ascending) copied, the deleted rows' dropped.
 * Undefined when a row not written has no indexed record there or is `stale` (read the rows).
 */
export function spliceChunk(
  old: Buffer,
  ids: readonly number[],
  written: WrittenLookup,
  stale: ReadonlySet<number>,
  tables: IndexTables,
): Buffer | undefined {
  const parts: Buffer[] = [];
  // (consecutive written rows encoded at once: the same bytes, one Buffer instead of one a row)
  let run: IndexRow[] = [];
  let at = 0;
  for (const id of ids) {
    const row = written.get(id);
    if (row) {
      run.push(row);
      continue;
    }
    if (run.length) {
      parts.push(encodeChunk(run, tables));
      run = [];
    }
    if (stale.has(id)) return undefined;
    let end: number;
    for (; ; at = end) {
      end = recordEnd(old, at);
      if (end < 0) return undefined;
      if (old.readUInt32LE(at) >= id) break;
    }
    if (old.readUInt32LE(at) !== id || old[at + 4] === PARSED) return undefined;
    parts.push(old.subarray(at, end));
    at = end;
  }
  if (run.length) parts.push(encodeChunk(run, tables));
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/** The written rows' records by row id (a Map of them, or WrittenRows). */
export interface WrittenLookup {
  get(rowid: number): IndexRow | undefined;
}

/**
 * The pod rows a save wrote, as the index records them, kept as columns and made into an
 * IndexRow when asked: at 150k pods a Map of 150,000 IndexRow arrays kept to the end of the
 * flush was ~30 MB the young collections copied into the old space (and the full collection
 * that growth brings on). Rows come in ascending row id order (rewritten in row order, then
 * appended); another order is looked up through a Map made when first asked.
 */
export class WrittenRows implements WrittenLookup {
  private ids: Float64Array;
  private rvs: Float64Array;
  /** per row: namespace, name, uid, node, class text */
  private texts: string[];
  /** per row: CONTROLLED | TERMINATING */
  private flags: Uint8Array;
  private count = 0;
  private ascending = true;
  private byId: Map<number, number> | undefined;
  /** the last row found (asks come in row id order) */
  private last = -1;

  get size(): number {
    return this.count;
  }

  /** `capacity`: the rows expected (the objects to write), so that the columns are made once */
  constructor(capacity = 64) {
    this.ids = new Float64Array(capacity);
    this.rvs = new Float64Array(capacity);
    this.texts = new Array<string>(capacity * 5);
    this.flags = new Uint8Array(capacity);
  }

  add(rowid: number, rv: number, namespace: string, name: string, uid: string, node: string, classText: string, flags: number): void {
    const n = this.count;
    if (n === this.ids.length) this.grow();
    if (n && rowid <= this.ids[n - 1]) this.ascending = false;
    this.byId = undefined;
    this.ids[n] = rowid;
    this.rvs[n] = rv;
    const t = n * 5;
    this.texts[t] = namespace;
    this.texts[t + 1] = name;
    this.texts[t + 2] = uid;
    this.texts[t + 3] = node;
    this.texts[t + 4] = classText;
    this.flags[n] = flags;
    this.count = n + 1;
  }

  private grow(): void {
    const capacity = Math.max(64, this.ids.length * 2);
    const ids = new Float64Array(capacity);
    ids.set(this.ids);
    this.ids = ids;
    const rvs = new Float64Array(capacity);
    rvs.set(this.rvs);
    this.rvs = rvs;
    const flags = new Uint8Array(capacity);
    flags.set(this.flags);
    this.flags = flags;
    this.texts.length = capacity * 5;
  }

  has(rowid: number): boolean {
    return this.find(rowid) >= 0;
  }

  get(rowid: number): IndexRow | undefined {
    const i = this.find(rowid);
    if (i < 0) return undefined;
    const t = i * 5;
    const f = this.flags[i];
    return [
      rowid,
      1,
      this.rvs[i],
      this.texts[t],
      this.texts[t + 1],
      this.texts[t + 2],
      this.texts[t + 3],
      this.texts[t + 4],
      (f & CONTROLLED) !== 0,
      (f & TERMINATING) !== 0,
    ];
  }

  private find(rowid: number): number {
    const ids = this.ids;
    if (!this.ascending) {
      if (!this.byId) {
        // (a row id written twice: its last record, as a Map's set would keep)
        this.byId = new Map();
        for (let i = 0; i < this.count; i++) this.byId.set(ids[i], i);
      }
      return this.byId.get(rowid) ?? -1;
    }
    const next = this.last + 1;
    if (next < this.count && ids[next] === rowid) return (this.last = next);
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (ids[mid] < rowid) lo = mid + 1;
      else if (ids[mid] > rowid) hi = mid - 1;
      else return (this.last = mid);
    }
    return -1;
  }
}

/** A written record's flags (WrittenRows.add). */
export function recordFlags(controlled: boolean, terminating: boolean): number {
  return (controlled ? CONTROLLED : 0) | (terminating ? TERMINATING : 0);
}
