import { describe, expect, it } from 'vitest';
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import '../../src/api/kinds/index';
import { openApiRoute, openApiV2Document } from '../../src/api/openapi/served';
import { encodeOpenApiV2, OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_DEPRECATED } from '../../src/api/openapi/openapi-v2-protobuf';

/** The fields of one message: number → the raw values (bytes of a length-delimited field, numbers of varints). */
function fields(bytes: Uint8Array): Map<number, (Uint8Array | bigint | number)[]> {
  const r = new BinaryReader(bytes);
  const out = new Map<number, (Uint8Array | bigint | number)[]>();
  while (r.pos < r.len) {
    const [no, wire] = r.tag();
    const v =
      wire === WireType.LengthDelimited
        ? r.bytes()
        : wire === WireType.Varint
          ? BigInt(r.uint64())
          : wire === WireType.Bit64
            ? r.double()
            : (r.skip(wire), 0);
    out.set(no, [...(out.get(no) ?? []), v]);
  }
  return out;
}
const text = (b: unknown) => new TextDecoder().decode(b as Uint8Array);
const one = (m: Map<number, unknown[]>, no: number) => m.get(no)?.[0] as Uint8Array;
/** gnostic's ordered maps: repeated (name = 1, value = 2) */
function namedEntries(list: unknown[] | undefined): Map<string, Uint8Array> {
  return new Map(
    (list ?? []).map((e) => {
      const f = fields(e as Uint8Array);
      return [text(one(f, 1)), one(f, 2) ?? new Uint8Array()];
    }),
  );
}

describe('/openapi/v2 in protobuf (gnostic openapi_v2.Document)', () => {
  const doc = openApiV2Document([]) as Record<string, unknown>;
  const document = fields(encodeOpenApiV2(doc));

  it('holds what cli-runtime query_param_verifier reads: a PATCH of autoscaling/v1 Scale declaring fieldValidation', () => {
    expect(text(one(document, 1))).toBe('2.0');
    const paths = namedEntries(fields(one(document, 8)).get(2));
    expect(paths.size).toBe(Object.keys(doc.paths as object).length);
    const item = fields(paths.get('/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale')!);
    const patch = fields(one(item, 8));
    // Operation.vendor_extension (13): x-kubernetes-group-version-kind as Any.yaml (2)
    const extensions = namedEntries(patch.get(13));
    expect(JSON.parse(text(one(fields(extensions.get('x-kubernetes-group-version-kind')!), 2)))).toEqual({
      group: 'autoscaling',
      kind: 'Scale',
      version: 'v1',
    });
    expect(text(one(patch, 5))).toBe('patchAppsV1NamespacedDeploymentScale');
    // Operation.parameters (8): ParametersItem.parameter (1) → Parameter.non_body_parameter (2) → query_parameter_sub_schema (3) → name (4)
    const queries = (patch.get(8) ?? []).map((p) => fields(one(fields(p as Uint8Array), 1))).filter((p) => p.has(2));
    const names = queries.map((p) => text(one(fields(one(fields(one(p, 2)), 3)), 4)));
    expect(names).toEqual(['dryRun', 'fieldManager', 'fieldValidation', 'force']);
    // the body parameter (Parameter.body_parameter = 1): its schema's $ref (Schema._ref = 1)
    const body = (patch.get(8) ?? []).map((p) => fields(one(fields(p as Uint8Array), 1))).find((p) => p.has(1))!;
    expect(text(one(fields(one(fields(one(body, 1)), 5)), 1))).toBe('#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch');
  });

  it('holds the definitions with their types, properties and extensions', () => {
    const definitions = namedEntries(fields(one(document, 9)).get(1));
    expect(definitions.size).toBe(Object.keys(doc.definitions as object).length);
    const scale = fields(definitions.get('io.k8s.api.autoscaling.v1.Scale')!);
    // Schema.type (22): TypeItem.value (1)
    expect(text(one(fields(one(scale, 22)), 1))).toBe('object');
    const properties = namedEntries(fields(one(scale, 25)).get(1));
    expect([...properties.keys()]).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    const gvk = namedEntries(scale.get(31)).get('x-kubernetes-group-version-kind')!;
    expect(JSON.parse(text(one(fields(gvk), 2)))).toEqual([{ group: 'autoscaling', kind: 'Scale', version: 'v1' }]);
    // security definitions (13): BearerToken as api_key_security (2)
    const security = namedEntries(fields(one(document, 13)).get(1));
    expect(text(one(fields(one(fields(security.get('BearerToken')!), 2)), 3))).toBe('header');
  });

  it("is answered for client-go's Accept, with the JSON document's Etag; JSON stays the default", () => {
    const now = new Date(0);
    const pb = openApiRoute([], { path: '/openapi/v2', accept: OPENAPI_V2_PROTOBUF_DEPRECATED, now })!;
    const json = openApiRoute([], { path: '/openapi/v2', accept: 'application/json', now })!;
    expect(pb.status).toBe(200);
    expect(pb.headers['Content-Type']).toBe(OPENAPI_V2_PROTOBUF);
    expect(pb.headers.Etag).toBe(json.headers.Etag);
    expect(Buffer.compare(pb.bytes!, Buffer.from(encodeOpenApiV2(JSON.parse(json.body))))).toBe(0);
    expect(json.headers['Content-Type']).toBe('application/json');
    expect(openApiRoute([], { path: '/openapi/v2', accept: 'text/html', now })!.status).toBe(406);
  });
});
