import { describe, expect, it } from 'vitest';
import { formatFieldError } from '../../src/util/errors';
import { validateAgainstSchema } from '../../src/api/crd/schema-validate';
import { validateStructuralSchema } from '../../src/api/crd/structural';
import { defaultAndPrune, unknownFieldPaths } from '../../src/api/crd/prune-default';
import { validateRules } from '../../src/api/crd/cel-rules';
import { compareKubeVersions } from '../../src/api/crd/custom-kinds';
import type { JSONSchemaProps } from '../../src/api/crd/schema';

const texts = (schema: JSONSchemaProps, value: unknown, path = 'spec.x') =>
  validateAgainstSchema(schema, value, path).map(formatFieldError);

describe('the custom resource schema validator (kube-openapi texts as apiextensions reports them)', () => {
  const rows: [string, JSONSchemaProps, unknown, string[]][] = [
    ['type', { type: 'integer' }, 'a', ['spec.x: Invalid value: "string": spec.x in body must be of type integer: "string"']],
    [
      'a number is not an integer',
      { type: 'integer' },
      1.5,
      ['spec.x: Invalid value: "number": spec.x in body must be of type integer: "number"'],
    ],
    ['an integer is a number', { type: 'number' }, 2, []],
    ['null without nullable', { type: 'string' }, null, ['spec.x: Invalid value: "null": spec.x in body must be of type string: "null"']],
    ['null with nullable', { type: 'string', nullable: true }, null, []],
    ['maximum', { type: 'integer', maximum: 10 }, 11, ['spec.x: Invalid value: 11: spec.x in body should be less than or equal to 10']],
    ['maximum itself is allowed', { type: 'integer', maximum: 10 }, 10, []],
    ['minimum itself is allowed', { type: 'integer', minimum: 1 }, 1, []],
    [
      'exclusiveMaximum',
      { type: 'integer', maximum: 10, exclusiveMaximum: true },
      10,
      ['spec.x: Invalid value: 10: spec.x in body should be less than 10'],
    ],
    [
      'minimum',
      { type: 'number', minimum: 0.5 },
      0.25,
      ['spec.x: Invalid value: 0.25: spec.x in body should be greater than or equal to 0.5'],
    ],
    [
      'exclusiveMinimum',
      { type: 'integer', minimum: 0, exclusiveMinimum: true },
      0,
      ['spec.x: Invalid value: 0: spec.x in body should be greater than 0'],
    ],
    [
      'Go prints a large bound as %v',
      { type: 'integer', maximum: 1000000 },
      2000000,
      ['spec.x: Invalid value: 2000000: spec.x in body should be less than or equal to 1e+06'],
    ],
    ['multipleOf', { type: 'integer', multipleOf: 5 }, 7, ['spec.x: Invalid value: 7: spec.x in body should be a multiple of 5']],
    ['enum', { type: 'string', enum: ['a', 'b'] }, 'c', ['spec.x: Unsupported value: "c": supported values: "a", "b"']],
    ['pattern', { type: 'string', pattern: '^a+$' }, 'b', ['spec.x: Invalid value: "b": spec.x in body should match \'^a+$\'']],
    ['maxLength', { type: 'string', maxLength: 2 }, 'abc', ['spec.x: Too long: may not be more than 2 bytes']],
    ['minLength', { type: 'string', minLength: 2 }, 'a', ['spec.x: Invalid value: "a": spec.x in body should be at least 2 chars long']],
    [
      'format date-time',
      { type: 'string', format: 'date-time' },
      'soon',
      ['spec.x: Invalid value: "soon": spec.x in body must be of type date-time: "soon"'],
    ],
    ['maxItems', { type: 'array', maxItems: 1, items: { type: 'string' } }, ['a', 'b'], ['spec.x: Too many: 2: must have at most 1 item']],
    [
      'minItems',
      { type: 'array', minItems: 2, items: { type: 'string' } },
      ['a'],
      ['spec.x: Invalid value: 1: spec.x in body should have at least 2 items'],
    ],
    [
      'items',
      { type: 'array', items: { type: 'string' } },
      ['a', 1],
      ['spec.x[1]: Invalid value: "integer": spec.x[1] in body must be of type string: "integer"'],
    ],
    [
      'maxProperties',
      { type: 'object', maxProperties: 1, additionalProperties: { type: 'string' } },
      { a: 'x', b: 'y' },
      ['spec.x: Too many: 2: must have at most 1 item'],
    ],
    [
      'minProperties',
      { type: 'object', minProperties: 1 },
      {},
      ['spec.x: Invalid value: 0: spec.x in body should have at least 1 properties'],
    ],
    ['required', { type: 'object', required: ['a'], properties: { a: { type: 'string' } } }, {}, ['spec.x.a: Required value']],
    [
      'additionalProperties',
      { type: 'object', additionalProperties: { type: 'integer' } },
      { k: 'v' },
      ['spec.x.k: Invalid value: "string": spec.x.k in body must be of type integer: "string"'],
    ],
    [
      'int-or-string',
      { 'x-kubernetes-int-or-string': true },
      1.5,
      ['spec.x: Invalid value: "number": spec.x in body must be of type integer,string: "number"'],
    ],
    [
      'list-type set',
      { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
      ['a', 'a'],
      ['spec.x[1]: Duplicate value: "a"'],
    ],
    [
      'list-type map',
      {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        items: { type: 'object', properties: { name: { type: 'string' } } },
      },
      [{ name: 'a' }, { name: 'a' }],
      ['spec.x[1]: Duplicate value: {"name":"a"}'],
    ],
    [
      'embedded resource',
      { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
      { metadata: {} },
      ['spec.x.apiVersion: Required value: must not be empty', 'spec.x.kind: Required value: must not be empty'],
    ],
    [
      'oneOf none',
      { oneOf: [{ type: 'string' }, { type: 'integer' }] },
      true,
      ['<nil>: Invalid value: "": "spec.x" must validate one and only one schema (oneOf). Found none valid'],
    ],
    [
      'oneOf two',
      { oneOf: [{ type: 'integer' }, { type: 'number' }] },
      1,
      ['<nil>: Invalid value: "": "spec.x" must validate one and only one schema (oneOf). Found 2 valid alternatives'],
    ],
    [
      'anyOf',
      { anyOf: [{ type: 'string' }, { type: 'integer' }] },
      true,
      ['<nil>: Invalid value: "": "spec.x" must validate at least one schema (anyOf)'],
    ],
    [
      'allOf',
      { allOf: [{ minimum: 1 }, { maximum: 3 }] },
      5,
      ['spec.x: Invalid value: 5: spec.x in body should be less than or equal to 3'],
    ],
    ['not', { not: { type: 'string' } }, 'a', ['<nil>: Invalid value: "": "spec.x" must not validate the schema (not)']],
  ];
  for (const [name, schema, value, expected] of rows) it(name, () => expect(texts(schema, value)).toEqual(expected));
});

describe('structural schema rules for a CRD version', () => {
  const at = 'spec.versions[0].schema.openAPIV3Schema';
  const texts = (schema: unknown) => validateStructuralSchema(schema, at).map(formatFieldError);
  it('a schema is required and its root is an object', () => {
    expect(texts(undefined)).toEqual([`${at}: Required value: schemas are required`]);
    expect(texts({ type: 'string' })).toEqual([`${at}.type: Invalid value: "string": must be object at the root`]);
  });
  it('every field and array item has a type, unless int-or-string or preserve-unknown-fields', () => {
    expect(
      texts({
        type: 'object',
        properties: {
          a: {},
          b: { type: 'array', items: {} },
          c: { 'x-kubernetes-int-or-string': true },
          d: { 'x-kubernetes-preserve-unknown-fields': true },
        },
      }),
    ).toEqual([
      `${at}.properties[a].type: Required value: must not be empty for specified object fields`,
      `${at}.properties[b].items.type: Required value: must not be empty for specified array items`,
    ]);
  });
  it('uniqueItems, properties with additionalProperties, list-map keys, bad defaults and rules are refused', () => {
    expect(
      texts({
        type: 'object',
        properties: {
          a: { type: 'array', items: { type: 'string' }, uniqueItems: true },
          b: { type: 'object', properties: { c: { type: 'string' } }, additionalProperties: { type: 'string' } },
          d: { type: 'array', items: { type: 'object' }, 'x-kubernetes-list-type': 'map' },
          e: { type: 'integer', default: 'x' },
          f: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self ==' }] },
        },
      }),
    ).toEqual([
      `${at}.properties[a].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`,
      `${at}.properties[b].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
      `${at}.properties[d].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map`,
      `${at}.properties[e].default: Invalid value: "string": ${at}.properties[e].default in body must be of type integer: "string"`,
      expect.stringMatching(
        /^spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\[f\]\.x-kubernetes-validations\[0\]\.rule: Invalid value: "self ==": compilation failed: ERROR: <input>:1:/,
      ),
    ]);
  });
});

describe('structural defaulting and pruning', () => {
  const schema: JSONSchemaProps = {
    type: 'object',
    properties: {
      metadata: { type: 'object' },
      spec: {
        type: 'object',
        properties: {
          size: { type: 'integer', default: 1 },
          items: {
            type: 'array',
            items: { type: 'object', properties: { name: { type: 'string' }, weight: { type: 'integer', default: 5 } } },
          },
          free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          nothing: { type: 'string', default: 'n' },
        },
      },
    },
  };
  it('fills defaults (in list items too), drops unknown fields and non-nullable nulls, keeps metadata and preserved fields', () => {
    const obj = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', labels: { a: 'b' } },
      spec: { items: [{ name: 'x', extra: 1 }], free: { anything: { deep: true } }, unknown: 1, nothing: null },
      other: 2,
    };
    defaultAndPrune(schema, obj);
    expect(obj).toEqual({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', labels: { a: 'b' } },
      spec: { size: 1, items: [{ name: 'x', weight: 5 }], free: { anything: { deep: true } }, nothing: 'n' },
    });
  });
});

describe('x-kubernetes-validations', () => {
  const schema: JSONSchemaProps = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        'x-kubernetes-validations': [
          { rule: 'self.a <= self.b', messageExpression: "'a is ' + string(self.a)", fieldPath: '.a' },
          { rule: 'self.b == oldSelf.b', message: 'b is immutable', reason: 'FieldValueForbidden' },
        ],
        properties: { a: { type: 'integer' }, b: { type: 'integer' } },
      },
    },
  };
  const texts = (value: unknown, old?: unknown) => validateRules(schema, value, old).map(formatFieldError);
  it('a false rule reports its messageExpression at its fieldPath', () => {
    expect(texts({ spec: { a: 3, b: 2 } })).toEqual(['spec.a: Invalid value: "object": a is 3']);
  });
  it('a transition rule runs only with an old object, with its reason', () => {
    expect(texts({ spec: { a: 1, b: 2 } })).toEqual([]);
    expect(texts({ spec: { a: 1, b: 2 } }, { spec: { a: 1, b: 3 } })).toEqual(['spec: Forbidden: b is immutable']);
  });
  it('without a message the rule is quoted', () => {
    const plain: JSONSchemaProps = {
      type: 'object',
      properties: { n: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self > 1' }] } },
    };
    expect(validateRules(plain, { n: 1 }, undefined).map(formatFieldError)).toEqual(['n: Invalid value: "integer": failed rule: self > 1']);
  });
  it('reads a `type: number` field as a double even when integral, and integers as int', () => {
    const typed: JSONSchemaProps = {
      type: 'object',
      'x-kubernetes-validations': [{ rule: 'self.ratio / 2.0 < 1.0 && self.count / 2 == 1 && self.weights.all(w, w * 1.0 >= 0.0)' }],
      properties: {
        ratio: { type: 'number' },
        count: { type: 'integer' },
        weights: { type: 'array', items: { type: 'number' } },
      },
    };
    expect(validateRules(typed, { ratio: 1, count: 3, weights: [1, 2.5] }, undefined)).toEqual([]);
    expect(validateRules(typed, { ratio: 2, count: 3, weights: [1] }, undefined).map(formatFieldError)).toEqual([
      expect.stringMatching(/^: Invalid value: "object": failed rule: /),
    ]);
  });
  it("a rule that fails at run time reports cel-go's error", () => {
    const overflow: JSONSchemaProps = {
      type: 'object',
      properties: { n: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self * 4611686018427387904 > 0' }] } },
    };
    expect(validateRules(overflow, { n: 4 }, undefined).map(formatFieldError)).toEqual([
      'n: Invalid value: "integer": integer overflow evaluating rule: self * 4611686018427387904 > 0',
    ]);
    // int-or-string is dynamic: a wrong operand is a runtime no-such-overload, reported with the rule's message
    const dyn: JSONSchemaProps = {
      type: 'object',
      properties: {
        port: {
          'x-kubernetes-int-or-string': true,
          'x-kubernetes-validations': [{ rule: 'self > 0', message: 'port must be positive ' }],
        },
      },
    };
    expect(validateRules(dyn, { port: 'http' }, undefined).map(formatFieldError)).toEqual([
      'port: Invalid value: "integer": \'no such overload\': call arguments did not match a supported operator, function or macro signature for rule: port must be positive',
    ]);
    expect(validateRules(dyn, { port: 0 }, undefined).map(formatFieldError)).toEqual([
      'port: Invalid value: "integer": port must be positive',
    ]);
  });
});

describe('unknownFieldPaths (what pruning drops, as fieldValidation reports it)', () => {
  it('names list items by index and map entries by key, sorted bytewise; skips root and embedded meta fields', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            items: { type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } },
            byName: { type: 'object', additionalProperties: { type: 'object', properties: { v: { type: 'integer' } } } },
            template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object' } } },
            free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'object' } } },
          },
        },
      },
    };
    const obj = {
      apiVersion: 'x/v1',
      kind: 'X',
      metadata: { name: 'n' },
      spec: {
        items: [{ a: 'x', b: 1 }, { c: 2 }],
        byName: { k1: { v: 1, w: 2 } },
        template: { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: {}, extra: 1 },
        free: { anything: 1, known: { pruned: true } },
        Zed: 1,
      },
      status: {},
    };
    expect(unknownFieldPaths(schema, obj)).toEqual([
      'spec.Zed',
      'spec.byName.k1.w',
      'spec.free.known.pruned',
      'spec.items[0].b',
      'spec.items[1].c',
      'spec.template.extra',
      'status',
    ]);
  });
});

describe('version priority', () => {
  it('orders GA, beta, alpha, then other names', () => {
    expect(['v1alpha1', 'foo', 'v1beta1', 'v2', 'v1', 'v2beta1', 'v1beta2'].sort(compareKubeVersions)).toEqual([
      'v2',
      'v1',
      'v2beta1',
      'v1beta2',
      'v1beta1',
      'v1alpha1',
      'foo',
    ]);
  });
});
