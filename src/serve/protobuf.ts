import { ApiError } from '../util/errors';

/**
 * The protobuf request bodies kubectl's typed clients send (client-go's clientset defaults to
 * `application/vnd.kubernetes.protobuf`): the `k8s\0` envelope (runtime.Unknown) around the
 * object, decoded to the object's JSON form for the kinds kubectl creates through those clients
 * with small, fixed schemas — the access and user reviews (`auth can-i`, `auth whoami`),
 * TokenRequest (`create token`), Eviction (`drain`) and DeleteOptions. Field numbers are those of
 * the generated.proto files of k8s.io/api and k8s.io/apimachinery v1.32. Other kinds answer 415.
 */
type Scalar = 'string' | 'bool' | 'int' | 'bytes';
interface Field {
  name: string;
  type: Scalar | Schema;
  repeated?: boolean;
  /** a map<string, value>: repeated entries of {key = 1, value = 2} */
  mapOf?: Scalar | Schema;
}
type Schema = Record<number, Field>;

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

const typeMeta: Schema = { 1: { name: 'apiVersion', type: 'string' }, 2: { name: 'kind', type: 'string' } };
const unknown: Schema = {
  1: { name: 'typeMeta', type: typeMeta },
  2: { name: 'raw', type: 'bytes' },
  3: { name: 'contentEncoding', type: 'string' },
  4: { name: 'contentType', type: 'string' },
};
const ownerReference: Schema = {
  5: { name: 'apiVersion', type: 'string' },
  1: { name: 'kind', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
  6: { name: 'controller', type: 'bool' },
  7: { name: 'blockOwnerDeletion', type: 'bool' },
};
const objectMeta: Schema = {
  1: { name: 'name', type: 'string' },
  2: { name: 'generateName', type: 'string' },
  3: { name: 'namespace', type: 'string' },
  5: { name: 'uid', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  7: { name: 'generation', type: 'int' },
  11: { name: 'labels', type: 'string', mapOf: 'string' },
  12: { name: 'annotations', type: 'string', mapOf: 'string' },
  13: { name: 'ownerReferences', type: ownerReference, repeated: true },
  14: { name: 'finalizers', type: 'string', repeated: true },
};
const preconditions: Schema = { 1: { name: 'uid', type: 'string' }, 2: { name: 'resourceVersion', type: 'string' } };
const deleteOptions: Schema = {
  1: { name: 'gracePeriodSeconds', type: 'int' },
  2: { name: 'preconditions', type: preconditions },
  3: { name: 'orphanDependents', type: 'bool' },
  4: { name: 'propagationPolicy', type: 'string' },
  5: { name: 'dryRun', type: 'string', repeated: true },
};
const resourceAttributes: Schema = {
  1: { name: 'namespace', type: 'string' },
  2: { name: 'verb', type: 'string' },
  3: { name: 'group', type: 'string' },
  4: { name: 'version', type: 'string' },
  5: { name: 'resource', type: 'string' },
  6: { name: 'subresource', type: 'string' },
  7: { name: 'name', type: 'string' },
};
const nonResourceAttributes: Schema = { 1: { name: 'path', type: 'string' }, 2: { name: 'verb', type: 'string' } };
const extraValue: Schema = { 1: { name: 'items', type: 'string', repeated: true } };
const subjectAccessReviewSpec: Schema = {
  1: { name: 'resourceAttributes', type: resourceAttributes },
  2: { name: 'nonResourceAttributes', type: nonResourceAttributes },
  3: { name: 'user', type: 'string' },
  4: { name: 'groups', type: 'string', repeated: true },
  5: { name: 'extra', type: 'string', mapOf: extraValue },
  6: { name: 'uid', type: 'string' },
};
const withSpec = (spec: Schema): Schema => ({ 1: { name: 'metadata', type: objectMeta }, 2: { name: 'spec', type: spec } });
const boundObjectReference: Schema = {
  1: { name: 'kind', type: 'string' },
  2: { name: 'apiVersion', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
};

/** The kinds decoded, by apiVersion and kind. */
const KINDS: Record<string, Schema> = {
  'authorization.k8s.io/v1 SelfSubjectAccessReview': withSpec({ 1: subjectAccessReviewSpec[1], 2: subjectAccessReviewSpec[2] }),
  'authorization.k8s.io/v1 SubjectAccessReview': withSpec(subjectAccessReviewSpec),
  'authorization.k8s.io/v1 LocalSubjectAccessReview': withSpec(subjectAccessReviewSpec),
  'authorization.k8s.io/v1 SelfSubjectRulesReview': withSpec({ 1: { name: 'namespace', type: 'string' } }),
  'authentication.k8s.io/v1 SelfSubjectReview': { 1: { name: 'metadata', type: objectMeta } },
  'authentication.k8s.io/v1 TokenRequest': withSpec({
    1: { name: 'audiences', type: 'string', repeated: true },
    4: { name: 'expirationSeconds', type: 'int' },
    3: { name: 'boundObjectRef', type: boundObjectReference },
  }),
  'policy/v1 Eviction': { 1: { name: 'metadata', type: objectMeta }, 2: { name: 'deleteOptions', type: deleteOptions } },
  'meta.k8s.io/v1 DeleteOptions': deleteOptions,
  'v1 DeleteOptions': deleteOptions,
};

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
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
    if (this.pos > this.buf.length) throw new Error('truncated field');
  }
}

function scalar(type: Scalar, wire: number, r: Reader): unknown {
  if (type === 'string' || type === 'bytes') {
    if (wire !== 2) throw new Error('wire type mismatch');
    const b = r.bytes();
    return type === 'string' ? b.toString('utf8') : Buffer.from(b);
  }
  if (wire !== 0) throw new Error('wire type mismatch');
  const v = r.varint();
  if (type === 'bool') return v !== 0n;
  return Number(BigInt.asIntN(64, v));
}

function decodeMessage(buf: Buffer, schema: Schema): Record<string, unknown> {
  const r = new Reader(buf);
  const out: Record<string, unknown> = {};
  while (!r.done) {
    const key = r.varint();
    const number = Number(key >> 3n);
    const wire = Number(key & 7n);
    const field = schema[number];
    if (!field) {
      r.skip(wire);
      continue;
    }
    if (field.mapOf) {
      if (wire !== 2) throw new Error('wire type mismatch');
      const entry = decodeMessage(r.bytes(), { 1: { name: 'key', type: 'string' }, 2: { name: 'value', type: field.mapOf } });
      const map = (out[field.name] ??= {}) as Record<string, unknown>;
      map[String(entry.key ?? '')] = entry.value ?? (field.mapOf === 'string' ? '' : {});
      continue;
    }
    const value =
      typeof field.type === 'string' ? scalar(field.type, wire, r) : wire === 2 ? decodeMessage(r.bytes(), field.type) : undefined;
    if (value === undefined) throw new Error('wire type mismatch');
    if (field.repeated) ((out[field.name] ??= []) as unknown[]).push(value);
    else out[field.name] = value;
  }
  return out;
}

function unsupported(): ApiError {
  return new ApiError(
    'UnsupportedMediaType',
    415,
    'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
  );
}

/** A protobuf request body as the object's JSON form; 415 for kinds not decoded here. */
export function decodeProtobufBody(body: Buffer): Record<string, unknown> {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) throw unsupported();
  let envelope: Record<string, unknown>;
  try {
    envelope = decodeMessage(body.subarray(MAGIC.length), unknown);
  } catch {
    throw new ApiError('BadRequest', 400, 'the object provided is unrecognized (must be of type protobuf): invalid envelope');
  }
  const meta = (envelope.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const schema = KINDS[`${meta.apiVersion ?? ''} ${meta.kind ?? ''}`];
  if (!schema || (envelope.contentEncoding && envelope.contentEncoding !== '')) throw unsupported();
  try {
    const object = decodeMessage((envelope.raw as Buffer | undefined) ?? Buffer.alloc(0), schema);
    return { apiVersion: meta.apiVersion, kind: meta.kind, ...object };
  } catch (e) {
    throw new ApiError(
      'BadRequest',
      400,
      `the object provided is unrecognized (must be of type protobuf): ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}
