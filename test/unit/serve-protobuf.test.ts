import { describe, it, expect } from 'vitest';
import { decodeProtobufBody, encodeProtobufObject, prefersProtobuf } from '../../src/serve/protobuf';
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

  it('decodes any built-in kind from the v1.32 messages: pointer zeros kept, omitempty zeros left out, Go JSON forms of special types', () => {
    // metadata{name, generateName "", creationTimestamp{}}; spec{replicas 0 (a pointer), minReadySeconds 0 and paused false (omitempty),
    // template{spec{containers[{name, image, ports[{containerPort 80, protocol ""}], resources{limits{cpu: Quantity "500m"}}}],
    // terminationGracePeriodSeconds 0 (a pointer)}}}
    const meta = message(bytesField(1, 'web'), bytesField(2, ''), bytesField(8, message()));
    const limits = bytesField(1, message(bytesField(1, 'cpu'), bytesField(2, message(bytesField(1, '500m')))));
    const container = message(
      bytesField(1, 'nginx'),
      bytesField(2, 'nginx:1.27'),
      bytesField(6, message(intField(3, 80), bytesField(4, ''))),
      bytesField(8, limits),
    );
    const podSpec = message(bytesField(2, container), intField(4, 0), intField(11, 0));
    const spec = message(intField(1, 0), intField(5, 0), intField(7, 0), bytesField(3, message(bytesField(2, podSpec))));
    const body = envelope('apps/v1', 'Deployment', message(bytesField(1, meta), bytesField(2, spec)));
    expect(decodeProtobufBody(body)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 0,
        template: {
          spec: {
            containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '500m' } } }],
            terminationGracePeriodSeconds: 0,
          },
        },
      },
    });
  });

  it('writes IntOrString, Time, bytes and Go slice types as their JSON forms', () => {
    // Service ports: targetPort as a number (type 0, intVal 8080) and as a name (type 1, strVal "http")
    const port = (target: Buffer) => message(intField(3, 80), bytesField(4, target));
    const service = message(
      bytesField(1, message(bytesField(1, 'svc'), bytesField(8, message(intField(1, 1735689600))))),
      bytesField(
        2,
        message(
          bytesField(1, port(message(intField(1, 0), intField(2, 8080)))),
          bytesField(1, port(message(intField(1, 1), bytesField(3, 'http')))),
        ),
      ),
    );
    expect(decodeProtobufBody(envelope('v1', 'Service', service))).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc', creationTimestamp: '2025-01-01T00:00:00Z' },
      spec: {
        ports: [
          { port: 80, targetPort: 8080 },
          { port: 80, targetPort: 'http' },
        ],
      },
    });
    // Secret data: map<string, bytes> → base64; SubjectAccessReview extra: map<string, ExtraValue> → arrays of strings
    const secret = message(
      bytesField(1, message(bytesField(1, 's'))),
      bytesField(2, message(bytesField(1, 'pw'), bytesField(2, 's3cret'))),
    );
    expect(decodeProtobufBody(envelope('v1', 'Secret', secret))).toMatchObject({ data: { pw: 'czNjcmV0' } });
    const extra = bytesField(5, message(bytesField(1, 'scopes'), bytesField(2, message(bytesField(1, 'a'), bytesField(1, 'b')))));
    const review = message(bytesField(2, message(bytesField(3, 'jane'), extra)));
    expect(decodeProtobufBody(envelope('authorization.k8s.io/v1', 'SubjectAccessReview', review))).toMatchObject({
      spec: { user: 'jane', extra: { scopes: ['a', 'b'] } },
    });
  });

  it('answers 415 for kinds with no protobuf message (custom resources) and 400 for a broken body', () => {
    const widget = envelope('example.com/v1', 'Widget', message(bytesField(1, message(bytesField(1, 'w')))));
    const refused = (() => {
      try {
        decodeProtobufBody(widget);
      } catch (e) {
        return e as ApiError;
      }
    })();
    expect(refused).toMatchObject({ code: 415, reason: 'UnsupportedMediaType' });
    const truncated = Buffer.concat([envelope('policy/v1', 'Eviction', Buffer.alloc(0)).subarray(0, 12), Buffer.from([0x12, 0x7f])]);
    expect(() => decodeProtobufBody(truncated)).toThrow(/must be of type protobuf/);
    expect(() => decodeProtobufBody(Buffer.from('{"kind":"Pod"}'))).toThrow(/unknown format/);
    // a string field sent as a varint
    expect(() => decodeProtobufBody(envelope('v1', 'ConfigMap', message(bytesField(1, intField(1, 5)))))).toThrow(/wire type mismatch/);
  });
});

describe('protobuf responses (Accept: application/vnd.kubernetes.protobuf)', () => {
  it('encodes built-in kinds in the k8s envelope, read back to the same JSON; inline structs flattened both ways', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'web-0',
        namespace: 'default',
        labels: { app: 'web', tier: 'fe' },
        creationTimestamp: '2026-12-06T09:00:00Z',
        managedFields: [{ manager: 'kubectl', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': {} } }],
      },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'nginx',
            resources: { requests: { cpu: '100m', memory: '64Mi' } },
            ports: [{ containerPort: 80, protocol: 'TCP' }],
            livenessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 10 },
          },
        ],
        volumes: [{ name: 'cfg', configMap: { name: 'cfg', defaultMode: 420 } }],
        terminationGracePeriodSeconds: 30,
      },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-12-06T09:00:01Z' }] },
    };
    const bytes = encodeProtobufObject(pod)!;
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from('k8s\0'));
    expect(decodeProtobufBody(bytes)).toEqual(pod);
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
      },
    };
    expect(decodeProtobufBody(encodeProtobufObject(deployment)!)).toEqual(deployment);
    const list = { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '12' }, items: [pod, pod] };
    // a list's items carry no TypeMeta in protobuf (the message has none): clients know the kind from the list
    const { apiVersion: _v, kind: _k, ...item } = pod;
    expect(decodeProtobufBody(encodeProtobufObject(list)!)).toEqual({ ...list, items: [item, item] });
  });

  it('has no message for custom resources and Tables; picks protobuf only when the client names it first', () => {
    expect(encodeProtobufObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toBeUndefined();
    expect(prefersProtobuf('application/vnd.kubernetes.protobuf, */*')).toBe(true);
    expect(prefersProtobuf('application/json, application/vnd.kubernetes.protobuf')).toBe(false);
    expect(prefersProtobuf('application/json;as=Table;v=v1;g=meta.k8s.io,application/json')).toBe(false);
  });
});
