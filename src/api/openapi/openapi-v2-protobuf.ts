import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';

/**
 * GET /openapi/v2 in protobuf: the swagger document as gnostic's openapi_v2.Document
 * (github.com/google/gnostic-models openapiv2/OpenAPIv2.proto), which is what kube-openapi's
 * handler answers for `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf` and
 * the only form client-go's DiscoveryClient.OpenAPISchema asks for. kubectl v1.32 falls back to
 * it when a group-version's OpenAPI v3 document has no PATCH operation for a kind — an
 * autoscaling/v1 Scale (`kubectl replace --subresource=scale`): its PATCH operations are the
 * apps/v1 and core/v1 `…/scale` paths. Its fieldValidation check (cli-runtime
 * query_param_verifier.go) reads paths → PATCH → x-kubernetes-group-version-kind and the
 * query parameters; the rest is encoded as gnostic parses it so that other readers (kubectl's
 * v2 explain and validation) find the same document.
 *
 * Maps are gnostic's ordered (name, value) lists, in the JSON's key order; a vendor extension
 * (`x-…`) and an `Any` (default, enum, example) carry their value as YAML text (JSON is YAML).
 */

/**
 * What the answer's Content-Type says (kube-openapi handler's subTypeProtobuf); clients ask with
 * the older name, `…spec.v2@v1.0+protobuf`, which Go's mime.ParseMediaType refuses in a
 * response ('@' is no token character), so the handler never answers with it.
 */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
/** what client-go's OpenAPISchema sends as Accept (kube-openapi's subTypeProtobufDeprecated) */
export const OPENAPI_V2_PROTOBUF_DEPRECATED = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

type Json = Record<string, unknown>;
/** how one JSON key is written: a field number and what it holds */
type FieldSpec = [number, Kind];
type Kind =
  | 'string'
  | 'strings'
  | 'bool'
  | 'double'
  | 'int64'
  | 'any'
  | 'anys'
  | ((w: BinaryWriter, value: unknown) => void)
  | { message: MessageSpec }
  | { messages: MessageSpec };
interface MessageSpec {
  fields: Record<string, FieldSpec>;
  /** where `x-…` keys go (repeated NamedAny) */
  extensions?: number;
}

function writeAny(w: BinaryWriter, value: unknown): void {
  // openapi_v2.Any: yaml = 2
  w.tag(2, WireType.LengthDelimited).string(JSON.stringify(value));
}

/** A map as repeated (name = 1, value = 2) entries of a message. */
function named(valueWriter: (w: BinaryWriter, v: unknown) => void) {
  return (w: BinaryWriter, number: number, map: unknown) => {
    if (!map || typeof map !== 'object') return;
    for (const [name, v] of Object.entries(map as Json)) {
      w.tag(number, WireType.LengthDelimited).fork();
      w.tag(1, WireType.LengthDelimited).string(name);
      w.tag(2, WireType.LengthDelimited).fork();
      valueWriter(w, v);
      w.join();
      w.join();
    }
  };
}

/** A message holding one repeated named list (Definitions, Properties, …) at field 1. */
function namedList(number: number, valueWriter: (w: BinaryWriter, v: unknown) => void): Kind {
  return (w, map) => named(valueWriter)(w, number, map);
}

function writeMessage(w: BinaryWriter, spec: MessageSpec, obj: unknown): void {
  if (!obj || typeof obj !== 'object') return;
  const extensions: [string, unknown][] = [];
  const entries = Object.entries(obj as Json);
  // fields in number order (as Go's proto.Marshal writes them), extensions last
  const known: [FieldSpec, unknown][] = [];
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    const field = spec.fields[key];
    if (field) known.push([field, value]);
    else if (key.startsWith('x-') && spec.extensions) extensions.push([key, value]);
  }
  known.sort((a, b) => a[0][0] - b[0][0]);
  for (const [[number, kind], value] of known) writeField(w, number, kind, value);
  if (spec.extensions) named(writeAny)(w, spec.extensions, Object.fromEntries(extensions));
}

function writeField(w: BinaryWriter, number: number, kind: Kind, value: unknown): void {
  if (kind === 'string') {
    if (value !== '') w.tag(number, WireType.LengthDelimited).string(String(value));
  } else if (kind === 'strings') {
    for (const v of [value].flat()) w.tag(number, WireType.LengthDelimited).string(String(v));
  } else if (kind === 'bool') {
    if (value === true) w.tag(number, WireType.Varint).bool(true);
  } else if (kind === 'double') {
    if (Number(value) !== 0) w.tag(number, WireType.Bit64).double(Number(value));
  } else if (kind === 'int64') {
    if (Number(value) !== 0) w.tag(number, WireType.Varint).int64(Math.trunc(Number(value)));
  } else if (kind === 'any') {
    w.tag(number, WireType.LengthDelimited).fork();
    writeAny(w, value);
    w.join();
  } else if (kind === 'anys') {
    for (const v of [value].flat()) writeField(w, number, 'any', v);
  } else if (typeof kind === 'function') {
    w.tag(number, WireType.LengthDelimited).fork();
    kind(w, value);
    w.join();
  } else if ('message' in kind) {
    w.tag(number, WireType.LengthDelimited).fork();
    writeMessage(w, kind.message, value);
    w.join();
  } else {
    for (const v of [value].flat()) writeField(w, number, { message: kind.messages }, v);
  }
}

const EXTERNAL_DOCS: MessageSpec = { fields: { description: [1, 'string'], url: [2, 'string'] }, extensions: 3 };

/** PrimitivesItems, and the shared tail of the non-body parameter messages (numbers differ by message) */
const PRIMITIVES: MessageSpec = {
  fields: {
    type: [1, 'string'],
    format: [2, 'string'],
    collectionFormat: [4, 'string'],
    default: [5, 'any'],
    maximum: [6, 'double'],
    exclusiveMaximum: [7, 'bool'],
    minimum: [8, 'double'],
    exclusiveMinimum: [9, 'bool'],
    maxLength: [10, 'int64'],
    minLength: [11, 'int64'],
    pattern: [12, 'string'],
    maxItems: [13, 'int64'],
    minItems: [14, 'int64'],
    uniqueItems: [15, 'bool'],
    enum: [16, 'anys'],
    multipleOf: [17, 'double'],
  },
  extensions: 18,
};
PRIMITIVES.fields.items = [3, { message: PRIMITIVES }];

/** A non-body parameter's fields: `first` is the number of `type` (5 for header and path, 6 for query and formData). */
function nonBody(first: number, allowEmpty: boolean): MessageSpec {
  const fields: Record<string, FieldSpec> = { required: [1, 'bool'], in: [2, 'string'], description: [3, 'string'], name: [4, 'string'] };
  if (allowEmpty) fields.allowEmptyValue = [5, 'bool'];
  const tail = [
    'type',
    'format',
    'items',
    'collectionFormat',
    'default',
    'maximum',
    'exclusiveMaximum',
    'minimum',
    'exclusiveMinimum',
    'maxLength',
    'minLength',
    'pattern',
    'maxItems',
    'minItems',
    'uniqueItems',
    'enum',
    'multipleOf',
  ];
  tail.forEach((key, i) => (fields[key] = [first + i, PRIMITIVES.fields[key][1]]));
  return { fields, extensions: first + tail.length };
}

const SCHEMA: MessageSpec = {
  fields: {
    $ref: [1, 'string'],
    format: [2, 'string'],
    title: [3, 'string'],
    description: [4, 'string'],
    default: [5, 'any'],
    multipleOf: [6, 'double'],
    maximum: [7, 'double'],
    exclusiveMaximum: [8, 'bool'],
    minimum: [9, 'double'],
    exclusiveMinimum: [10, 'bool'],
    maxLength: [11, 'int64'],
    minLength: [12, 'int64'],
    pattern: [13, 'string'],
    maxItems: [14, 'int64'],
    minItems: [15, 'int64'],
    uniqueItems: [16, 'bool'],
    maxProperties: [17, 'int64'],
    minProperties: [18, 'int64'],
    required: [19, 'strings'],
    enum: [20, 'anys'],
    // TypeItem: repeated string value = 1
    type: [22, (w, v) => writeField(w, 1, 'strings', v)],
    discriminator: [26, 'string'],
    readOnly: [27, 'bool'],
    externalDocs: [29, { message: EXTERNAL_DOCS }],
    example: [30, 'any'],
  },
  extensions: 31,
};
const writeSchema = (w: BinaryWriter, v: unknown) => writeMessage(w, SCHEMA, v);
// AdditionalPropertiesItem: oneof schema = 1, boolean = 2
SCHEMA.fields.additionalProperties = [
  21,
  (w, v) => (typeof v === 'boolean' ? w.tag(2, WireType.Varint).bool(v) : writeField(w, 1, { message: SCHEMA }, v)),
];
// ItemsItem: repeated Schema schema = 1
SCHEMA.fields.items = [23, (w, v) => writeField(w, 1, { messages: SCHEMA }, v)];
SCHEMA.fields.allOf = [24, { messages: SCHEMA }];
// Properties: repeated NamedSchema additional_properties = 1
SCHEMA.fields.properties = [25, namedList(1, writeSchema)];

const BODY_PARAMETER: MessageSpec = {
  fields: { description: [1, 'string'], name: [2, 'string'], in: [3, 'string'], required: [4, 'bool'], schema: [5, { message: SCHEMA }] },
  extensions: 6,
};
/** NonBodyParameter's oneof, by `in` */
const NON_BODY: Record<string, [number, MessageSpec]> = {
  header: [1, nonBody(5, false)],
  formData: [2, nonBody(6, true)],
  query: [3, nonBody(6, true)],
  path: [4, nonBody(5, false)],
};

/** ParametersItem: oneof parameter = 1 (Parameter: oneof body_parameter = 1, non_body_parameter = 2), json_reference = 2 */
function writeParametersItem(w: BinaryWriter, p: unknown): void {
  const param = (p ?? {}) as Json;
  if (typeof param.$ref === 'string') {
    w.tag(2, WireType.LengthDelimited).fork();
    writeMessage(w, { fields: { $ref: [1, 'string'], description: [2, 'string'] } }, param);
    w.join();
    return;
  }
  w.tag(1, WireType.LengthDelimited).fork();
  writeParametersItemValue(w, param);
  w.join();
}

const HEADER: MessageSpec = { fields: { ...PRIMITIVES.fields, description: [18, 'string'] }, extensions: 19 };
const RESPONSE: MessageSpec = {
  fields: {
    description: [1, 'string'],
    // SchemaItem: oneof schema = 1, file_schema = 2
    schema: [2, (w, v) => writeField(w, 1, { message: SCHEMA }, v)],
    headers: [3, namedList(1, (w, v) => writeMessage(w, HEADER, v))],
    examples: [4, namedList(1, writeAny)],
  },
  extensions: 5,
};
/** ResponseValue: oneof response = 1, json_reference = 2 */
function writeResponseValue(w: BinaryWriter, v: unknown): void {
  const r = (v ?? {}) as Json;
  if (typeof r.$ref === 'string') writeField(w, 2, { message: { fields: { $ref: [1, 'string'], description: [2, 'string'] } } }, r);
  else writeField(w, 1, { message: RESPONSE }, r);
}

const OPERATION: MessageSpec = {
  fields: {
    tags: [1, 'strings'],
    summary: [2, 'string'],
    description: [3, 'string'],
    externalDocs: [4, { message: EXTERNAL_DOCS }],
    operationId: [5, 'string'],
    produces: [6, 'strings'],
    consumes: [7, 'strings'],
    // parameters (8) and security (12) are written by writeOperation
    // Responses: repeated NamedResponseValue response_code = 1, vendor_extension = 2
    responses: [
      9,
      (w, v) => {
        const codes = Object.fromEntries(Object.entries((v ?? {}) as Json).filter(([k]) => !k.startsWith('x-')));
        named(writeResponseValue)(w, 1, codes);
        const ext = Object.fromEntries(Object.entries((v ?? {}) as Json).filter(([k]) => k.startsWith('x-')));
        named(writeAny)(w, 2, ext);
      },
    ],
    schemes: [10, 'strings'],
    deprecated: [11, 'bool'],
  },
  extensions: 13,
};

/** repeated ParametersItem at `number` (each item its own length-delimited field) */
function writeParameters(w: BinaryWriter, number: number, list: unknown): void {
  for (const p of [list ?? []].flat()) {
    w.tag(number, WireType.LengthDelimited).fork();
    writeParametersItem(w, p);
    w.join();
  }
}

/** SecurityRequirement: repeated NamedStringArray additional_properties = 1 (StringArray: repeated string value = 1) */
function writeSecurity(w: BinaryWriter, number: number, list: unknown): void {
  for (const requirement of [list ?? []].flat()) {
    w.tag(number, WireType.LengthDelimited).fork();
    named((w2, v) => writeField(w2, 1, 'strings', v))(w, 1, requirement);
    w.join();
  }
}

const PATH_ITEM_VERBS: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

function writeOperation(w: BinaryWriter, op: unknown): void {
  const { parameters, security, ...rest } = (op ?? {}) as Json;
  // fields up to 7, then parameters (8), then the rest: written in number order
  const low: Json = {};
  const high: Json = {};
  for (const [k, v] of Object.entries(rest)) {
    const field = OPERATION.fields[k];
    if (field && field[0] < 8) low[k] = v;
    else high[k] = v;
  }
  writeMessage(w, { fields: OPERATION.fields }, low);
  writeParameters(w, 8, parameters);
  const { extensions } = OPERATION;
  const highFields = Object.fromEntries(Object.entries(high).filter(([k]) => !k.startsWith('x-')));
  writeMessage(w, { fields: OPERATION.fields }, highFields);
  if (security !== undefined) writeSecurity(w, 12, security);
  named(writeAny)(w, extensions!, Object.fromEntries(Object.entries(high).filter(([k]) => k.startsWith('x-'))));
}

function writePathItem(w: BinaryWriter, item: unknown): void {
  const entries = Object.entries((item ?? {}) as Json);
  const ref = entries.find(([k]) => k === '$ref');
  if (ref) writeField(w, 1, 'string', ref[1]);
  const verbs = entries.filter(([k]) => k in PATH_ITEM_VERBS).sort((a, b) => PATH_ITEM_VERBS[a[0]] - PATH_ITEM_VERBS[b[0]]);
  for (const [verb, op] of verbs) {
    w.tag(PATH_ITEM_VERBS[verb], WireType.LengthDelimited).fork();
    writeOperation(w, op);
    w.join();
  }
  writeParameters(w, 9, (item as Json).parameters);
  named(writeAny)(w, 10, Object.fromEntries(entries.filter(([k]) => k.startsWith('x-'))));
}

const API_KEY: MessageSpec = {
  fields: { type: [1, 'string'], name: [2, 'string'], in: [3, 'string'], description: [4, 'string'] },
  extensions: 5,
};
const BASIC: MessageSpec = { fields: { type: [1, 'string'], description: [2, 'string'] }, extensions: 3 };

/** SecurityDefinitionsItem: oneof basic = 1, api_key = 2 (the OAuth2 flows are not served) */
function writeSecurityDefinition(w: BinaryWriter, v: unknown): void {
  const d = (v ?? {}) as Json;
  if (d.type === 'basic') writeField(w, 1, { message: BASIC }, d);
  else writeField(w, 2, { message: API_KEY }, d);
}

const INFO: MessageSpec = {
  fields: { title: [1, 'string'], version: [2, 'string'], description: [3, 'string'], termsOfService: [4, 'string'] },
  extensions: 7,
};

/** The swagger document (its JSON form) as an openapi_v2.Document. */
export function encodeOpenApiV2(doc: Json): Uint8Array {
  const w = new BinaryWriter();
  writeField(w, 1, 'string', doc.swagger ?? '2.0');
  if (doc.info) writeField(w, 2, { message: INFO }, doc.info);
  if (doc.host) writeField(w, 3, 'string', doc.host);
  if (doc.basePath) writeField(w, 4, 'string', doc.basePath);
  for (const [key, number] of [
    ['schemes', 5],
    ['consumes', 6],
    ['produces', 7],
  ] as const)
    if (doc[key] !== undefined) writeField(w, number, 'strings', doc[key]);
  // Paths: vendor_extension = 1, repeated NamedPathItem path = 2
  if (doc.paths)
    writeField(
      w,
      8,
      (w2, paths) => {
        const all = Object.entries(paths as Json);
        named(writeAny)(w2, 1, Object.fromEntries(all.filter(([k]) => k.startsWith('x-'))));
        named(writePathItem)(w2, 2, Object.fromEntries(all.filter(([k]) => !k.startsWith('x-'))));
      },
      doc.paths,
    );
  if (doc.definitions) writeField(w, 9, namedList(1, writeSchema), doc.definitions);
  if (doc.parameters) writeField(w, 10, namedList(1, writeParametersItemValue), doc.parameters);
  if (doc.responses)
    writeField(
      w,
      11,
      namedList(1, (w2, v) => writeMessage(w2, RESPONSE, v)),
      doc.responses,
    );
  if (doc.security) writeSecurity(w, 12, doc.security);
  if (doc.securityDefinitions) writeField(w, 13, namedList(1, writeSecurityDefinition), doc.securityDefinitions);
  for (const tag of [doc.tags ?? []].flat())
    writeField(
      w,
      14,
      {
        message: {
          fields: { name: [1, 'string'], description: [2, 'string'], externalDocs: [3, { message: EXTERNAL_DOCS }] },
          extensions: 4,
        },
      },
      tag,
    );
  if (doc.externalDocs) writeField(w, 15, { message: EXTERNAL_DOCS }, doc.externalDocs);
  named(writeAny)(w, 16, Object.fromEntries(Object.entries(doc).filter(([k]) => k.startsWith('x-'))));
  return w.finish();
}

/** A named parameter definition: openapi_v2.Parameter (no reference) */
function writeParametersItemValue(w: BinaryWriter, p: unknown): void {
  const param = (p ?? {}) as Json;
  if (param.in === 'body') writeField(w, 1, { message: BODY_PARAMETER }, param);
  else {
    const [number, spec] = NON_BODY[String(param.in)] ?? NON_BODY.query;
    w.tag(2, WireType.LengthDelimited).fork();
    writeField(w, number, { message: spec }, param);
    w.join();
  }
}
