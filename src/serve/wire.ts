import type { KObject } from '../model/objects';
import type { KindInfo, PrintContext } from '../api/registry';
import { customColumnCell } from '../printers/crd-columns';
import { ageColumn, nameColumn } from '../api/kinds/common';

/**
 * How objects look on the wire: timestamps moved to the client's clock, and the server-side
 * Table (meta.k8s.io/v1) kubectl prints from.
 */

const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z$/;

/** timestamps already moved, for the offset they were moved by */
const shifted = new Map<string, string>();
let shiftedFor = Number.NaN;

/** A string moved by `offsetMs` if it is an RFC 3339 timestamp (as shiftTimestamps moves it), else the string itself. */
export function movedTimestamp(v: string, offsetMs: number): string {
  if (Math.abs(offsetMs) < 1000) return v;
  if (offsetMs !== shiftedFor) {
    shifted.clear();
    shiftedFor = offsetMs;
  }
  // a LIST of many pods moves the same few instants again and again: each is parsed once
  const hit = shifted.get(v);
  if (hit !== undefined) return hit;
  const m = TIMESTAMP.exec(v);
  if (!m) return v;
  const ms = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(ms)) return v;
  const moved = `${new Date(ms + Math.round(offsetMs / 1000) * 1000).toISOString().slice(0, 19)}${m[2] ?? ''}Z`;
  if (shifted.size >= 100_000) shifted.clear();
  shifted.set(v, moved);
  return moved;
}

/**
 * Every RFC 3339 timestamp in a value moved by `offsetMs` (virtual → wall on the way out, the
 * reverse on the way in). kubectl computes ages and `describe`'s times from its own clock and
 * prints `<invalid>` for a time in the future, so on the wire "now" must be the wall clock;
 * the fraction's digits are kept (metav1.MicroTime has 6).
 */
export function shiftTimestamps<T>(value: T, offsetMs: number): T {
  if (Math.abs(offsetMs) < 1000) return value;
  const shift = (v: unknown): unknown => {
    if (typeof v === 'string') return movedTimestamp(v, offsetMs);
    if (Array.isArray(v)) return v.map(shift);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = shift(x);
      return out;
    }
    return v;
  };
  return shift(value) as T;
}

/** "Now" as the shifted timestamps see it: what Table cells (AGE) of shifted objects are computed against. */
export function shiftedNow(now: number, offsetMs: number): number {
  return Math.abs(offsetMs) < 1000 ? now : now + Math.round(offsetMs / 1000) * 1000;
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** The media types of an Accept header, first choice first, with their parameters. */
export function mediaTypes(accept: string): { type: string; params: Record<string, string> }[] {
  return accept
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [type, ...rest] = part.split(';').map((p) => p.trim());
      const params: Record<string, string> = {};
      for (const p of rest) {
        const eq = p.indexOf('=');
        if (eq > 0) params[p.slice(0, eq)] = p.slice(eq + 1);
      }
      return { type: type.toLowerCase(), params };
    });
}

/** Whether the client asks for a Table first (kubectl get: `application/json;as=Table;v=v1;g=meta.k8s.io,application/json`). */
export function wantsTable(accept: string): boolean {
  for (const m of mediaTypes(accept)) {
    if (
      m.type === 'application/json' &&
      m.params.as === 'Table' &&
      m.params.g === 'meta.k8s.io' &&
      (m.params.v === 'v1' || m.params.v === 'v1beta1')
    )
      return true;
    if (m.type === 'application/json' || m.type === '*/*' || m.type === 'application/*') return false;
  }
  return false;
}

/** Whether anything in an Accept header is JSON the server can send (none: 406). */
export function acceptsJson(accept: string): boolean {
  if (!accept.trim()) return true;
  return mediaTypes(accept).some(
    (m) =>
      // protobuf: the listener encodes the answer (encodeProtobufObject), or says 406 for a kind with no message
      ['application/json', '*/*', 'application/*', 'application/yaml', 'text/plain', 'application/vnd.kubernetes.protobuf'].includes(
        m.type,
      ) || m.type.startsWith('application/json'),
  );
}

function columnsOf(info: KindInfo) {
  return info.columns.length ? info.columns : [nameColumn, ageColumn];
}

/** meta.k8s.io/v1 TableColumnDefinitions: kubesim's printer columns, `-o wide` ones at priority 1. */
export function columnDefinitions(info: KindInfo): Record<string, unknown>[] {
  return columnsOf(info).map((c, i) => ({
    name: c.header === 'NAME' ? 'Name' : c.header,
    type: c.jsonPath?.type === 'integer' || c.jsonPath?.type === 'number' ? c.jsonPath.type : 'string',
    format: i === 0 && c.header === 'NAME' ? 'name' : '',
    description: c.header === 'NAME' ? 'Name must be unique within a namespace.' : '',
    priority: c.wide ? 1 : 0,
  }));
}

/** The row object kubectl reads NAMESPACE, labels and names from: PartialObjectMetadata (or the object). */
function rowObject(obj: KObject, include: IncludeObject): KObject | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata } as KObject;
}

export function tableRows(info: KindInfo, objects: KObject[], ctx: PrintContext, include: IncludeObject): Record<string, unknown>[] {
  const columns = columnsOf(info);
  return objects.map((obj) => {
    const object = rowObject(obj, include);
    return {
      cells: columns.map((c) => (c.jsonPath ? customColumnCell(c.jsonPath, obj, ctx.now) : c.value(obj, ctx))),
      ...(object ? { object } : {}),
    };
  });
}

export function table(
  info: KindInfo,
  objects: KObject[],
  ctx: PrintContext,
  opts: { include: IncludeObject; resourceVersion: string; continueToken?: string; remaining?: number; withColumns?: boolean },
): Record<string, unknown> {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {
      resourceVersion: opts.resourceVersion,
      ...(opts.continueToken ? { continue: opts.continueToken } : {}),
      ...(opts.remaining ? { remainingItemCount: opts.remaining } : {}),
    },
    columnDefinitions: opts.withColumns === false ? [] : columnDefinitions(info),
    rows: tableRows(info, objects, ctx, opts.include),
  };
}
