import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { ApiError } from '../util/errors';

/**
 * The protobuf request bodies of kubectl's typed clients (client-go's clientsets send
 * `application/vnd.kubernetes.protobuf`: `create deployment|configmap|secret|service`, `run`,
 * `auth can-i`, `create token`, `drain`'s evictions): the `k8s\0` envelope (runtime.Unknown)
 * around the object, decoded to the object's JSON form — as the API server decodes it into the
 * Go type and the JSON it stores is that type's encoding.
 *
 * Driven by data, third_party/kubernetes-proto (`npm run import-proto`): the field numbers and
 * types of every message of the v1.32 generated.proto files, with what the Go types add — a
 * zero on the wire is kept for a pointer field (replicas: 0), left out for an omitempty value
 * (as encoding/json leaves out Go's zero values), kept otherwise; JSON names from the json tags;
 * each package's API group. The few types with their own JSON form (Time, Quantity,
 * IntOrString, RawExtension…) are converted here, as their MarshalJSON methods do.
 */

const DATA_PATH = path.join(__dirname, '..', '..', 'third_party', 'kubernetes-proto', 'messages.json.gz');

/** [number, JSON name, type, flags (r repeated, p pointer, o omitempty)] */
type FieldRow = [number, string, string, string];
interface MessageData {
  fields: FieldRow[];
  array?: true;
}
interface ProtoData {
  groups: Record<string, string>;
  messages: Record<string, MessageData>;
}
interface Field {
  name: string;
  type: string;
  repeated: boolean;
  pointer: boolean;
  omitempty: boolean;
  map?: { key: string; value: string };
}
interface Message {
  name: string;
  fields: Map<number, Field>;
  array: boolean;
}

let data: { messages: Map<string, Message>; byGroupVersionKind: Map<string, string> } | undefined;

/** The data, read on the first protobuf body (24 KB gzipped; never at start-up). */
function protoData(): NonNullable<typeof data> {
  if (data) return data;
  const raw = JSON.parse(zlib.gunzipSync(fs.readFileSync(DATA_PATH)).toString('utf8')) as ProtoData;
  const messages = new Map<string, Message>();
  const byGroupVersionKind = new Map<string, string>();
  for (const [name, m] of Object.entries(raw.messages)) {
    const fields = new Map<number, Field>();
    for (const [number, json, type, flags] of m.fields) {
      const map = /^map<([^,]+),(.+)>$/.exec(type);
      fields.set(number, {
        name: json,
        type,
        repeated: flags.includes('r'),
        pointer: flags.includes('p'),
        omitempty: flags.includes('o'),
        ...(map ? { map: { key: map[1], value: map[2] } } : {}),
      });
    }
    messages.set(name, { name, fields, array: m.array === true });
    // k8s.io.api.apps.v1.Deployment → apps/v1 Deployment (core: v1 Pod; meta.k8s.io/v1 for apimachinery's meta)
    const dot = name.lastIndexOf('.');
    const pkg = name.slice(0, dot);
    const version = pkg.slice(pkg.lastIndexOf('.') + 1);
    const group = pkg === 'k8s.io.apimachinery.pkg.apis.meta.v1' ? 'meta.k8s.io' : raw.groups[pkg];
    if (group === undefined) continue;
    byGroupVersionKind.set(`${group ? `${group}/` : ''}${version} ${name.slice(dot + 1)}`, name);
  }
  // DeleteOptions sent as core v1 (client-go's older clients) is meta's
  byGroupVersionKind.set('v1 DeleteOptions', 'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions');
  data = { messages, byGroupVersionKind };
  return data;
}

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length || shift > 63n) throw new Error('truncated varint');
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
    }
  }
  bytes(): Buffer {
    const len = Number(this.varint());
    if (len < 0 || this.pos + len > this.buf.length) throw new Error('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  fixed(size: 4 | 8): Buffer {
    if (this.pos + size > this.buf.length) throw new Error('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + size);
    this.pos += size;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.fixed(8);
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.fixed(4);
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

const VARINT_TYPES = new Set(['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'bool']);

/** One scalar value of a field (wire type checked against the declared type). */
function scalar(type: string, wire: number, r: Reader): unknown {
  if (type === 'string' || type === 'bytes') {
    if (wire !== 2) throw new Error('wire type mismatch');
    const b = r.bytes();
    return type === 'string' ? b.toString('utf8') : b.toString('base64');
  }
  if (VARINT_TYPES.has(type)) {
    if (wire !== 0) throw new Error('wire type mismatch');
    const v = r.varint();
    if (type === 'bool') return v !== 0n;
    if (type === 'sint32' || type === 'sint64') return Number((v >> 1n) ^ -(v & 1n));
    if (type === 'uint32' || type === 'uint64') return Number(BigInt.asUintN(64, v));
    return Number(BigInt.asIntN(type === 'int32' ? 32 : 64, v));
  }
  if (type === 'double' || type === 'fixed64' || type === 'sfixed64') {
    if (wire !== 1) throw new Error('wire type mismatch');
    const b = r.fixed(8);
    return type === 'double' ? b.readDoubleLE(0) : Number(type === 'fixed64' ? b.readBigUInt64LE(0) : b.readBigInt64LE(0));
  }
  if (type === 'float' || type === 'fixed32' || type === 'sfixed32') {
    if (wire !== 5) throw new Error('wire type mismatch');
    const b = r.fixed(4);
    return type === 'float' ? b.readFloatLE(0) : type === 'fixed32' ? b.readUInt32LE(0) : b.readInt32LE(0);
  }
  throw new Error(`unknown type ${type}`);
}

const isZero = (v: unknown) => v === '' || v === 0 || v === false;

/**
 * Fields of Go structs embedded with `json:",inline"`: a message of their own in protobuf, their
 * fields the outer object's in JSON (Volume's VolumeSource: `configMap` sits beside `name`).
 */
const INLINE = new Set([
  'Volume.volumeSource',
  'PersistentVolumeSpec.persistentVolumeSource',
  'EphemeralContainer.ephemeralContainerCommon',
  'Probe.handler',
  'ConfigMapEnvSource.localObjectReference',
  'ConfigMapKeySelector.localObjectReference',
  'ConfigMapProjection.localObjectReference',
  'ConfigMapVolumeSource.localObjectReference',
  'SecretEnvSource.localObjectReference',
  'SecretKeySelector.localObjectReference',
  'SecretProjection.localObjectReference',
  'IngressRule.ingressRuleValue',
  'NamedRuleWithOperations.ruleWithOperations',
  'RuleWithOperations.rule',
  'DeviceAllocationConfiguration.deviceConfiguration',
  'DeviceClaimConfiguration.deviceConfiguration',
  'DeviceClassConfiguration.deviceConfiguration',
]);

/** Whether a message's field is an inline struct (by the message's short name: the same in every version). */
const isInline = (type: string, field: string) => INLINE.has(`${type.slice(type.lastIndexOf('.') + 1)}.${field}`);

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';

/** RFC 3339 in UTC, seconds (Time) or microseconds (MicroTime), as metav1.Time's MarshalJSON writes it. */
function timeText(o: Record<string, unknown>, micro: boolean): string | null {
  const seconds = Number(o.seconds ?? 0);
  const nanos = Number(o.nanos ?? 0);
  if (seconds === 0 && nanos === 0) return null;
  const iso = new Date(seconds * 1000).toISOString().slice(0, 19);
  return micro ? `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${iso}Z`;
}

/** Go's time.Duration.String() of nanoseconds: "1h2m3s", "1.5s", "300ms", "0s". */
function durationText(nanos: number): string {
  if (nanos === 0) return '0s';
  const sign = nanos < 0 ? '-' : '';
  let n = Math.abs(nanos);
  if (n < 1e9) {
    const [unit, size] = n < 1e3 ? ['ns', 1] : n < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    return `${sign}${n / size}${unit}`;
  }
  const h = Math.floor(n / 3.6e12);
  n -= h * 3.6e12;
  const m = Math.floor(n / 6e10);
  n -= m * 6e10;
  const s = n / 1e9;
  return `${sign}${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

/** The JSON form of the types whose Go MarshalJSON is not their fields' (undefined: an ordinary message). */
function special(type: string, o: Record<string, unknown>): { value: unknown } | undefined {
  switch (type) {
    case `${META}.Time`:
      return { value: timeText(o, false) };
    case `${META}.MicroTime`:
      return { value: timeText(o, true) };
    case `${META}.Duration`:
      return { value: durationText(Number(o.duration ?? 0)) };
    case 'k8s.io.apimachinery.pkg.api.resource.Quantity':
      return { value: o.string ?? '0' };
    case 'k8s.io.apimachinery.pkg.util.intstr.IntOrString':
      return { value: Number(o.type ?? 0) === 1 ? (o.strVal ?? '') : (o.intVal ?? 0) };
    case 'k8s.io.apimachinery.pkg.runtime.RawExtension':
    case `${META}.FieldsV1`: {
      const raw = (o.raw ?? o.Raw) as string | undefined;
      if (raw === undefined) return { value: null };
      const text = Buffer.from(raw, 'base64').toString('utf8');
      try {
        return { value: JSON.parse(text) as unknown };
      } catch {
        throw new Error(`${type.slice(type.lastIndexOf('.') + 1)} holds no JSON`);
      }
    }
    default:
      return undefined;
  }
}

/** The special types read their fields without the zero rules (IntOrString's intVal 0 is a value). */
const KEEP_ZEROS = new Set([`${META}.Time`, `${META}.MicroTime`, 'k8s.io.apimachinery.pkg.util.intstr.IntOrString']);

function decodeValue(type: string, wire: number, r: Reader, depth: number): unknown {
  if (!type.includes('.')) return scalar(type, wire, r);
  if (wire !== 2) throw new Error('wire type mismatch');
  return decodeMessage(r.bytes(), type, depth + 1);
}

function decodeMessage(buf: Buffer, type: string, depth = 0): unknown {
  if (depth > 100) throw new Error('message nested too deeply');
  const message = protoData().messages.get(type);
  if (!message) throw new Error(`unknown message ${type}`);
  const r = new Reader(buf);
  const out: Record<string, unknown> = {};
  const keepZeros = KEEP_ZEROS.has(type);
  while (!r.done) {
    const key = r.varint();
    const number = Number(key >> 3n);
    const wire = Number(key & 7n);
    const field = message.fields.get(number);
    if (!field) {
      r.skip(wire);
      continue;
    }
    if (field.map) {
      if (wire !== 2) throw new Error('wire type mismatch');
      const entry = new Reader(r.bytes());
      let k: unknown = '';
      let v: unknown;
      while (!entry.done) {
        const ek = entry.varint();
        const n = Number(ek >> 3n);
        const w = Number(ek & 7n);
        if (n === 1) k = scalar(field.map.key, w, entry);
        else if (n === 2) v = decodeValue(field.map.value, w, entry, depth);
        else entry.skip(w);
      }
      if (v === undefined)
        v = field.map.value.includes('.')
          ? (special(field.map.value, {})?.value ?? {})
          : field.map.value === 'string' || field.map.value === 'bytes'
            ? ''
            : 0;
      ((out[field.name] ??= {}) as Record<string, unknown>)[String(k)] = v;
      continue;
    }
    // a packed repeated scalar (proto2 with [packed=true]; not in Kubernetes' files, read anyway)
    if (field.repeated && wire === 2 && !field.type.includes('.') && field.type !== 'string' && field.type !== 'bytes') {
      const packed = new Reader(r.bytes());
      const wireOf = VARINT_TYPES.has(field.type) ? 0 : /64|double/.test(field.type) ? 1 : 5;
      const list = (out[field.name] ??= []) as unknown[];
      while (!packed.done) list.push(scalar(field.type, wireOf, packed));
      continue;
    }
    const value = decodeValue(field.type, wire, r, depth);
    if (isInline(type, field.name) && value && typeof value === 'object') {
      Object.assign(out, value);
      continue;
    }
    if (field.repeated) ((out[field.name] ??= []) as unknown[]).push(value);
    else if (!keepZeros && isZero(value) && !field.pointer && field.omitempty) delete out[field.name];
    else out[field.name] = value;
  }
  if (message.array) return (out.items as unknown[] | undefined) ?? [];
  const converted = special(type, out);
  if (converted) return converted.value;
  // a Time left at its zero value is null in JSON: with omitempty the key is still written (a
  // struct is never empty to encoding/json), but the API server's objects leave it out
  for (const [name, v] of Object.entries(out)) if (v === null) delete out[name];
  return out;
}

function unsupported(): ApiError {
  return new ApiError(
    'UnsupportedMediaType',
    415,
    // a custom resource's text: kube-apiserver serves them in JSON and YAML only
    'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
  );
}

/** A protobuf request body as the object's JSON form; 415 for a kind with no message, 400 for bytes that do not decode. */
export function decodeProtobufBody(body: Buffer): Record<string, unknown> {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) throw unsupported();
  const invalid = (why: string) =>
    new ApiError('BadRequest', 400, `the object provided is unrecognized (must be of type protobuf): ${why}`);
  let envelope: Record<string, unknown>;
  try {
    envelope = decodeMessage(body.subarray(MAGIC.length), 'k8s.io.apimachinery.pkg.runtime.Unknown') as Record<string, unknown>;
  } catch {
    throw invalid('invalid envelope');
  }
  const meta = (envelope.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const type = protoData().byGroupVersionKind.get(`${meta.apiVersion ?? ''} ${meta.kind ?? ''}`);
  if (!type || (envelope.contentEncoding && envelope.contentEncoding !== '')) throw unsupported();
  try {
    const object = decodeMessage(Buffer.from((envelope.raw as string | undefined) ?? '', 'base64'), type) as Record<string, unknown>;
    return { apiVersion: meta.apiVersion, kind: meta.kind, ...object };
  } catch (e) {
    throw invalid(e instanceof Error ? e.message : String(e));
  }
}

/* ---------------------------------------------------------------------------------------------
 * Responses: an object's JSON form encoded as the API server's protobuf serializer writes it
 * (runtime/serializer/protobuf: the `k8s\0` magic, then a runtime.Unknown holding the TypeMeta
 * and the object's message), for clients that ask with Accept: application/vnd.kubernetes.protobuf.
 */

export const PROTOBUF_TYPE = 'application/vnd.kubernetes.protobuf';

class Writer {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  push(b: Buffer): void {
    this.chunks.push(b);
    this.size += b.length;
  }
  varint(v: bigint): void {
    let n = BigInt.asUintN(64, v);
    const bytes: number[] = [];
    do {
      let b = Number(n & 0x7fn);
      n >>= 7n;
      if (n) b |= 0x80;
      bytes.push(b);
    } while (n);
    this.push(Buffer.from(bytes));
  }
  key(number: number, wire: number): void {
    this.varint(BigInt((number << 3) | wire));
  }
  bytes(number: number, b: Buffer): void {
    this.key(number, 2);
    this.varint(BigInt(b.length));
    this.push(b);
  }
  finish(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}

function writeScalar(w: Writer, number: number, type: string, value: unknown): void {
  if (type === 'string') return w.bytes(number, Buffer.from(String(value), 'utf8'));
  if (type === 'bytes') return w.bytes(number, Buffer.from(String(value), 'base64'));
  if (VARINT_TYPES.has(type)) {
    w.key(number, 0);
    if (type === 'bool') return w.varint(value ? 1n : 0n);
    const n = BigInt(Math.trunc(Number(value)));
    if (type === 'sint32' || type === 'sint64') return w.varint((n << 1n) ^ (n < 0n ? -1n : 0n));
    return w.varint(n);
  }
  const b = Buffer.alloc(/64|double/.test(type) ? 8 : 4);
  if (type === 'double') b.writeDoubleLE(Number(value));
  else if (type === 'float') b.writeFloatLE(Number(value));
  else if (type === 'fixed64') b.writeBigUInt64LE(BigInt(Number(value)));
  else if (type === 'sfixed64') b.writeBigInt64LE(BigInt(Number(value)));
  else if (type === 'fixed32') b.writeUInt32LE(Number(value));
  else b.writeInt32LE(Number(value));
  w.key(number, b.length === 8 ? 1 : 5);
  w.push(b);
}

/** Go's time.ParseDuration of what durationText writes ("1h2m3.5s", "300ms"), in nanoseconds. */
function durationNanos(text: string): number {
  const units: Record<string, number> = { h: 3.6e12, m: 6e10, s: 1e9, ms: 1e6, us: 1e3, µs: 1e3, ns: 1 };
  let total = 0;
  for (const m of text.matchAll(/([\d.]+)(h|ms|m|s|us|µs|ns)/g)) total += Number(m[1]) * units[m[2]];
  return Math.round(text.startsWith('-') ? -total : total);
}

/** The fields of a type whose Go MarshalJSON is its own (the inverse of `special`). */
function specialFields(type: string, value: unknown): Record<string, unknown> | undefined {
  switch (type) {
    case `${META}.Time`:
    case `${META}.MicroTime`: {
      const ms = Date.parse(String(value));
      if (!Number.isFinite(ms)) return {};
      const micros = /\.(\d{1,6})/.exec(String(value))?.[1] ?? '';
      return { seconds: Math.floor(ms / 1000), nanos: Number(micros.padEnd(6, '0') || 0) * 1000 };
    }
    case `${META}.Duration`:
      return { duration: durationNanos(String(value)) };
    case 'k8s.io.apimachinery.pkg.api.resource.Quantity':
      return { string: String(value) };
    case 'k8s.io.apimachinery.pkg.util.intstr.IntOrString':
      return typeof value === 'number' ? { type: 0, intVal: value } : { type: 1, strVal: String(value) };
    case 'k8s.io.apimachinery.pkg.runtime.RawExtension':
      return { raw: Buffer.from(JSON.stringify(value)).toString('base64') };
    case `${META}.FieldsV1`:
      return { Raw: Buffer.from(JSON.stringify(value)).toString('base64') };
    default:
      return undefined;
  }
}

function encodeMessage(value: unknown, type: string, depth = 0): Buffer {
  if (depth > 100) throw new Error('object nested too deeply');
  const message = protoData().messages.get(type);
  if (!message) throw new Error(`unknown message ${type}`);
  let obj = (specialFields(type, value) ?? value) as Record<string, unknown>;
  if (message.array) obj = { items: value };
  if (!obj || typeof obj !== 'object') throw new Error(`${type} is not an object`);
  const w = new Writer();
  const numbers = [...message.fields.keys()].sort((a, b) => a - b);
  for (const number of numbers) {
    const field = message.fields.get(number)!;
    let v = obj[field.name];
    // a Go struct embedded with json:",inline": its fields are the object's own in JSON
    if (isInline(type, field.name)) v = obj;
    if (v === undefined || v === null) continue;
    if (field.map) {
      const entries = Object.keys(v as Record<string, unknown>).sort();
      for (const k of entries) {
        const entry = new Writer();
        writeScalar(entry, 1, field.map.key, k);
        const ev = (v as Record<string, unknown>)[k];
        if (field.map.value.includes('.')) entry.bytes(2, encodeMessage(ev, field.map.value, depth + 1));
        else if (ev !== null && ev !== undefined) writeScalar(entry, 2, field.map.value, ev);
        w.bytes(number, entry.finish());
      }
      continue;
    }
    for (const item of field.repeated ? (Array.isArray(v) ? v : [v]) : [v]) {
      if (field.type.includes('.')) w.bytes(number, encodeMessage(item, field.type, depth + 1));
      else writeScalar(w, number, field.type, item);
    }
  }
  return w.finish();
}

/** The message of an object's apiVersion and kind (a Status as core v1 is meta's). */
function messageOf(apiVersion: string, kind: string): string | undefined {
  if (apiVersion === 'v1' && kind === 'Status') return `${META}.Status`;
  return protoData().byGroupVersionKind.get(`${apiVersion} ${kind}`);
}

/** Whether the client prefers protobuf: its Accept names it before any JSON type. */
export function prefersProtobuf(accept: string): boolean {
  for (const part of accept.split(',')) {
    const type = part.split(';')[0].trim().toLowerCase();
    if (type === PROTOBUF_TYPE) return true;
    if (type && type !== PROTOBUF_TYPE) return false;
  }
  return false;
}

/** An object's JSON form as a protobuf response body, or undefined for a kind with no message (custom resources, Tables). */
export function encodeProtobufObject(object: Record<string, unknown>): Buffer | undefined {
  const apiVersion = String(object.apiVersion ?? '');
  const kind = String(object.kind ?? '');
  const type = messageOf(apiVersion, kind);
  if (!type) return undefined;
  const { apiVersion: _a, kind: _k, ...fields } = object;
  const raw = encodeMessage(fields, type);
  const envelope = encodeMessage(
    { typeMeta: { apiVersion, kind }, raw: raw.toString('base64'), contentEncoding: '', contentType: '' },
    'k8s.io.apimachinery.pkg.runtime.Unknown',
  );
  return Buffer.concat([MAGIC, envelope]);
}

/** Whether a kind has a protobuf message (built-in kinds; not custom resources, whose watches stay JSON). */
export function hasProtobufMessage(apiVersion: string, kind: string): boolean {
  return messageOf(apiVersion, kind) !== undefined;
}

/** The Content-Type of a protobuf watch (the API server's StreamSerializer for protobuf). */
export const PROTOBUF_WATCH_TYPE = 'application/vnd.kubernetes.protobuf;stream=watch';

/**
 * One event of a protobuf watch as the API server writes it (apiserver endpoints/handlers/watch.go
 * with runtime/serializer/protobuf's RawSerializer and LengthDelimitedFramer): a 4-byte big-endian
 * length, then a metav1.WatchEvent message with no envelope of its own — type = 1, object = 2 (a
 * RawExtension whose raw = 1 is the object as a whole protobuf body: `k8s\0` and runtime.Unknown).
 */
export function encodeWatchFrame(type: string, object: Record<string, unknown>): Buffer | undefined {
  const raw = encodeProtobufObject(object);
  if (!raw) return undefined;
  const extension = new Writer();
  extension.bytes(1, raw);
  const event = new Writer();
  event.bytes(1, Buffer.from(type, 'utf8'));
  event.bytes(2, extension.finish());
  const body = event.finish();
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}
