import { describe, it, expect } from 'vitest';
import { decodeProtobufBody } from '../../src/serve/protobuf';
import type { ApiError } from '../../src/util/errors';

/** A minimal protobuf writer for the test's messages: varints and length-delimited fields. */
const varint = (n: number): number[] => {
  const out: number[] = [];
  let v = BigInt.asUintN(64, BigInt(n));
  do {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v ? b | 0x80 : b);
  } while (v);
  return out;
};
const bytesField = (field: number, data: Buffer | string): Buffer => {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.from([...varint((field << 3) | 2), ...varint(body.length), ...body]);
};
const intField = (field: number, n: number): Buffer => Buffer.from([...varint(field << 3), ...varint(n)]);
const message = (...fields: Buffer[]) => Buffer.concat(fields);
/** the `k8s\0` envelope: runtime.Unknown{typeMeta{apiVersion, kind}, raw} */
const envelope = (apiVersion: string, kind: string, raw: Buffer) =>
  Buffer.concat([Buffer.from('k8s\0'), bytesField(1, message(bytesField(1, apiVersion), bytesField(2, kind))), bytesField(2, raw)]);

describe('protobuf request bodies (client-go typed clients)', () => {
  it('decodes a SelfSubjectAccessReview as kubectl auth can-i sends it', () => {
    const attributes = message(bytesField(1, 'default'), bytesField(2, 'create'), bytesField(5, 'pods'), bytesField(6, 'eviction'));
    const spec = message(bytesField(1, attributes));
    const body = envelope('authorization.k8s.io/v1', 'SelfSubjectAccessReview', message(bytesField(1, message()), bytesField(2, spec)));
    expect(decodeProtobufBody(body)).toEqual({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: {},
      spec: { resourceAttributes: { namespace: 'default', verb: 'create', resource: 'pods', subresource: 'eviction' } },
    });
  });

  it('decodes an Eviction with its DeleteOptions, labels as a map and repeated fields', () => {
    const labels = bytesField(11, message(bytesField(1, 'app'), bytesField(2, 'web')));
    const meta = message(bytesField(1, 'web-1'), bytesField(3, 'default'), labels);
    const options = message(intField(1, 5), bytesField(5, 'All'), bytesField(2, message(bytesField(1, 'uid-1'))));
    const body = envelope('policy/v1', 'Eviction', message(bytesField(1, meta), bytesField(2, options)));
    expect(decodeProtobufBody(body)).toEqual({
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' } },
      deleteOptions: { gracePeriodSeconds: 5, dryRun: ['All'], preconditions: { uid: 'uid-1' } },
    });
  });

  it('answers 415 for kinds it does not decode and 400 for a broken body', () => {
    const deployment = envelope('apps/v1', 'Deployment', message(bytesField(1, message(bytesField(1, 'web')))));
    const refused = (() => {
      try {
        decodeProtobufBody(deployment);
      } catch (e) {
        return e as ApiError;
      }
    })();
    expect(refused).toMatchObject({ code: 415, reason: 'UnsupportedMediaType' });
    const truncated = Buffer.concat([envelope('policy/v1', 'Eviction', Buffer.alloc(0)).subarray(0, 12), Buffer.from([0x12, 0x7f])]);
    expect(() => decodeProtobufBody(truncated)).toThrow(/must be of type protobuf/);
    expect(() => decodeProtobufBody(Buffer.from('{"kind":"Pod"}'))).toThrow(/unknown format/);
  });
});
