import type { KObject } from '../model/objects';
import { servedObject, type KindInfo } from '../api/registry';
import type { ObjectStore } from '../store/object-store';
import { columnDefinitions, movedTimestamp, shiftedNow, shiftTimestamps, tableRows, type IncludeObject } from './wire';
import type { ServedJson } from './served-json';

/**
 * The body of a LIST (a kind's List, or a Table of its rows) as JSON text made piece by piece:
 * 150,000 pods are ~430 MB of JSON, which as one string was near V8's limit and, with the served
 * copies it was made from, most of the server's memory. The listener sends each piece as it is
 * made and makes the next when the socket has taken it; the text is what JSON.stringify made of
 * the whole (tests compare the two).
 */

/** how much text a piece holds before it is handed on */
const PIECE = 256 * 1024;

export interface ListContext {
  info: KindInfo;
  /** the version the request's path names (custom resources are converted to it) */
  version?: string;
  /** virtual now, and wall − virtual now (timestamps on the wire are moved by it) */
  now: number;
  offset: number;
  store: ObjectStore;
  json: ServedJson;
}

/** `{...head, items: objects as served}` as JSON, piece by piece. */
export function* listBody(head: Record<string, unknown>, objects: readonly KObject[], ctx: ListContext): Generator<string> {
  const { info, store, json, offset } = ctx;
  const serve = { now: ctx.now, store, version: ctx.version };
  const opening = JSON.stringify(head);
  let piece = `${opening.length > 2 ? `${opening.slice(0, -1)},` : '{'}"items":[`;
  for (let i = 0; i < objects.length; i++) {
    piece += `${i ? ',' : ''}${json.text(servedObject(info, objects[i], serve), offset, store)}`;
    if (piece.length >= PIECE) {
      yield piece;
      piece = '';
    }
  }
  yield `${piece}]}`;
}

export interface TableOptions {
  include: IncludeObject;
  resourceVersion: string;
  continueToken?: string;
  remaining?: number;
}

/**
 * A meta.k8s.io/v1 Table of the objects (wire.ts's table()) as JSON, piece by piece. Cells are
 * made from the stored object against virtual now, and a cell that is a timestamp is moved: the
 * same cells as from the moved object against moved now (ages are differences; kubesim's columns
 * print no other form of a time). A custom resource's columns print what their JSONPath finds,
 * which may hold times anywhere: they are made from the moved object, as table() makes them.
 */
export function* tableBody(objects: readonly KObject[], ctx: ListContext, opts: TableOptions): Generator<string> {
  const { info, store, json, offset } = ctx;
  const serve = { now: ctx.now, store, version: ctx.version };
  const metadata = {
    resourceVersion: opts.resourceVersion,
    ...(opts.continueToken ? { continue: opts.continueToken } : {}),
    ...(opts.remaining ? { remainingItemCount: opts.remaining } : {}),
  };
  const head = { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata, columnDefinitions: columnDefinitions(info) };
  let piece = `${JSON.stringify(head).slice(0, -1)},"rows":[`;
  const custom = info.columns.some((c) => c.jsonPath);
  const movedNow = { now: shiftedNow(ctx.now, offset), store };
  const plain = { now: ctx.now, store };
  for (let i = 0; i < objects.length; i++) {
    const served = servedObject(info, objects[i], serve);
    let cells: unknown;
    if (custom) cells = tableRows(info, [shiftTimestamps(served, offset)], movedNow, 'None')[0].cells;
    else {
      const row = tableRows(info, [served], plain, 'None')[0].cells as unknown[];
      cells = row.map((c) => (typeof c === 'string' ? movedTimestamp(c, offset) : c));
    }
    let row = `{"cells":${JSON.stringify(cells)}`;
    if (opts.include === 'Object') row += `,"object":${json.text(served, offset, store)}`;
    else if (opts.include === 'Metadata') {
      const md = served.metadata === undefined ? '' : `,"metadata":${json.text(served.metadata, offset, store)}`;
      row += `,"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1"${md}}`;
    }
    piece += `${i ? ',' : ''}${row}}`;
    if (piece.length >= PIECE) {
      yield piece;
      piece = '';
    }
  }
  yield `${piece}]}`;
}
