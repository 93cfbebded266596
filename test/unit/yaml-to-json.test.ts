import { describe, expect, it } from 'vitest';
import { yamlStreamToJson } from '../../src/util/yaml-to-json';
import { resolveGoYaml } from '../../src/util/go-yaml-resolve';

/** the one document of a stream, as kubectl decodes it */
function one(text: string): unknown {
  const { docs, error } = yamlStreamToJson(text);
  if (error) throw new Error(error);
  return docs[0];
}

describe('reading YAML as kubectl does (go-yaml v2 + sigs.k8s.io/yaml)', () => {
  // every row checked with kubectl v1.32 `label --local -f x.yaml a=b -o json`
  it.each([
    ['0644', 420],
    ['0755', 493],
    ['010', 8],
    ['0x1F', 31],
    ['0o17', 15],
    ['0b101', 5],
    ['-0b11', -3],
    ['08', 8],
    ['1_000', 1000],
    ['+12', 12],
    ['1e3', 1000],
    ['.5', 0.5],
    ['1.50', 1.5],
    ['0.0000001', 1e-7],
    ['yes', true],
    ['Yes', true],
    ['on', true],
    ['y', true],
    ['NO', false],
    ['off', false],
    ['n', false],
    ['~', null],
    ['', null],
    ['1:20', '1:20'],
    ['2024-01-02', '2024-01-02'],
    ['2024-01-02T10:00:00Z', '2024-01-02T10:00:00Z'],
    ['99999999999999999999', 1e20],
    ['1e400', '1e400'],
  ])('%j is %j', (text, value) => {
    expect(one(`v: ${text}\n`)).toEqual({ v: value });
  });

  it('keeps quoted, block and !!str scalars as strings', () => {
    expect(one(`a: "0644"\nb: 'yes'\nc: !!str 010\nd: |\n  on\n`)).toEqual({ a: '0644', b: 'yes', c: '010', d: 'on\n' });
  });

  it('turns keys that resolve to other types into strings as sigs.k8s.io/yaml does', () => {
    expect(
      one('yes: a\n1: b\n1.5: c\n0x10: e\n.inf: f\n2024-01-01: g\n010: h\n1e3: i\n-.inf: j\n1e23: l\n0.0000001: m\n.nan: n\n'),
    ).toEqual({
      true: 'a',
      '1': 'b',
      '1.5': 'c',
      '16': 'e',
      '.inf': 'f',
      '2024-01-01': 'g',
      '8': 'h',
      '1000': 'i',
      '-.inf': 'j',
      '1e+23': 'l',
      '1e-07': 'm',
      '.nan': false,
    });
    // go-yaml v2 lets a later duplicate replace the earlier key
    expect(one('true: b\ny: a\n')).toEqual({ true: 'a' });
  });

  it('refuses what kubectl refuses, with its text', () => {
    const error = (text: string) => yamlStreamToJson(text).error;
    expect(error('~: d\n')).toBe('error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: "d"');
    expect(error('[a]: a\n')).toBe('error converting YAML to JSON: yaml: invalid map key: []interface {}{"a"}');
    expect(error('a: .inf\nb: -.inf\n')).toBe('error converting YAML to JSON: json: unsupported value: +Inf');
    expect(error('a: *nope\n')).toBe("error converting YAML to JSON: yaml: unknown anchor 'nope' referenced");
    expect(error('--- {a: 1}\n')).toBe('invalid Yaml document separator: {a: 1}');
  });

  it('merges << as go-yaml v2 does: over the keys before it, earlier maps first', () => {
    const text = 'base: &b {a: "1", b: "2"}\nother: &o {b: "o", c: "o"}\ndata:\n  a: before\n  <<: [*b, *o]\n  c: after\n';
    expect((one(text) as { data: unknown }).data).toEqual({ a: '1', b: '2', c: 'after' });
  });

  // each: kubectl v1.32's message for the same input; the line is counted inside the document
  it.each([
    ['apiVersion: v1\nmetadata:\n  name: two\n bad: x\n', 'line 3: did not find expected key'],
    ['metadata:\n  name: a: b\n', 'line 2: mapping values are not allowed in this context'],
    ['metadata:\n\tname: x\n', 'line 2: found character that cannot start any token'],
    ['data: [a, b\nmetadata:\n  name: x\n', "line 1: did not find expected ',' or ']'"],
    ['data: {a: b\n', "line 1: did not find expected ',' or '}'"],
    ['metadata:\n  name: "x\n', 'line 3: found unexpected end of stream'],
    ['metadata:\n  name: @x\n', 'line 2: found character that cannot start any token'],
    ['metadata:\n  name: "a\\qb"\n', 'line 2: found unknown escape character'],
    ['spec:\n  containers:\n  - name: a\n   image: b\n', 'line 3: did not find expected key'],
    ['metadata:\n  name: x\n- a\n', 'line 2: did not find expected key'],
    ['kind: ConfigMap\nmetadata\n  name: x\n', "line 3: could not find expected ':'"],
    ['data: a]\nx: ]\n', 'line 1: did not find expected node content'],
  ])('syntax error in %j', (text, message) => {
    const ok = 'a: 1\n';
    expect(yamlStreamToJson(`${ok}---\n${text}---\n${ok}`)).toEqual({
      docs: [{ a: 1 }],
      error: `error converting YAML to JSON: yaml: ${message}`,
    });
  });

  it('resolves plain scalars as go-yaml v2 resolve() does', () => {
    expect(resolveGoYaml('18446744073709551615')).toEqual({ tag: 'int', value: 2 ** 64, unsigned: true });
    expect(resolveGoYaml('<<')).toEqual({ tag: 'str', value: '<<' });
    expect(resolveGoYaml('.Inf')).toEqual({ tag: 'float', value: Infinity });
  });
});
