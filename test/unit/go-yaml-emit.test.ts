import { describe, it, expect } from 'vitest';
import { goKeyCompare, goNumber } from '../../src/util/go-yaml-emit';
import { toJson, toYaml, watchEventJson } from '../../src/printers/serialize';

const words = (n: number, prefix = 'w') => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(' ');

// expected texts: kubectl v1.32 `label --local -f cm.json foo=bar -o yaml` (and `create deployment
// … --dry-run=client -o yaml -- sh -c …`) on the same values: sigs.k8s.io/yaml → goyaml.v2
describe('toYaml writes what goyaml.v2 writes', () => {
  it('folds long scalars at a space past column 80, sorts keys as go-yaml, picks block styles and escapes as it does', () => {
    const data: Record<string, string> = {
      plain: words(30),
      single: `- ${words(30)}`,
      double: `yes\t${words(30)}`,
      dspaces: `${'x'.repeat(78)}  two spaces`,
      lit: 'first line\n  indented\nlast\n',
      keep: 'a\n\n',
      strip: 'a\nb',
      lead: '\n a',
      ['k'.repeat(130)]: 'long key',
      'multi\nkey': 'v',
      bom: '\ufeffab',
      emoji: '\u{1F600}',
      nel: 'a \u0085 b',
      ls: 'a\u2028b',
      _u: '1',
      A: '2',
      a10: '3',
      a9: '4',
      a09: '5',
    };
    expect(toYaml({ data })).toBe(
      [
        'data:',
        '  _u: "1"',
        '  A: "2"',
        '  a9: "4"',
        '  a09: "5"',
        '  a10: "3"',
        '  bom: "\\uFEFF\\x61\\x62"',
        '  double: "yes\\tw0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 w17 w18',
        '    w19 w20 w21 w22 w23 w24 w25 w26 w27 w28 w29"',
        `  dspaces: ${'x'.repeat(78)}  two`,
        '    spaces',
        '  emoji: "\\U0001F600"',
        '  keep: |+',
        '    a',
        '',
        `  ? ${'k'.repeat(130)}`,
        '  : long key',
        '  lead: |2-',
        '',
        '     a',
        '  lit: |',
        '    first line',
        '      indented',
        '    last',
        "  ls: 'a\u2028    b'",
        '  ? |-',
        '    multi',
        '    key',
        '  : v',
        '  nel: a b',
        '  plain: w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 w17 w18 w19 w20',
        '    w21 w22 w23 w24 w25 w26 w27 w28 w29',
        "  single: '- w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 w17 w18 w19",
        "    w20 w21 w22 w23 w24 w25 w26 w27 w28 w29'",
        '  strip: |-',
        '    a',
        '    b',
        '',
      ].join('\n'),
    );
  });

  it('folds a sequence item at its own indent, two past the dash', () => {
    const containers = [{ command: ['sh', '-c', words(40, 'word')], image: 'nginx', name: 'nginx', resources: {} }];
    expect(toYaml({ spec: { template: { spec: { containers } } } })).toBe(
      [
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '      - command:',
        '        - sh',
        '        - -c',
        '        - word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11',
        '          word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22',
        '          word23 word24 word25 word26 word27 word28 word29 word30 word31 word32 word33',
        '          word34 word35 word36 word37 word38 word39',
        '        image: nginx',
        '        name: nginx',
        '        resources: {}',
        '',
      ].join('\n'),
    );
  });

  it('keeps a run of spaces on the line in single quotes, and writes a fold before a second space as `\\ ` in double quotes', () => {
    const a = 'a'.repeat(80);
    expect(toYaml({ k: `"${a}  b c`, t: `\t${a}  b`, u: `\t${a} b` })).toBe(
      [`k: '"${a}  b`, "  c'", `t: "\\t${a}`, '  \\ b"', `u: "\\t${a}`, '  b"', ''].join('\n'),
    );
  });

  it('orders keys as goyaml.v2 keyList.Less: non-letters first, digit runs as numbers', () => {
    // kubectl: _x, "~", "0x1F", "1e3", A, B, a-b, a_b, a9, a10, ab, b, file9, file09
    const keys = ['b', 'a10', 'ab', 'a9', 'A', '_x', 'a_b', 'a-b', 'B', 'file09', 'file9', '~', '0x1F', '1e3'];
    expect([...keys].sort(goKeyCompare)).toEqual([
      '_x',
      '~',
      '0x1F',
      '1e3',
      'A',
      'B',
      'a-b',
      'a_b',
      'a9',
      'a10',
      'ab',
      'b',
      'file9',
      'file09',
    ]);
  });

  it('writes numbers as Go: int64 as such, floats by FormatFloat(g, -1)', () => {
    expect([0, -0, 42, 2 ** 53 + 2, 1e20, 0.5, 1234567.5, 123456.5, 0.0001, 0.00001, -2.5e-7].map(goNumber)).toEqual([
      '0',
      '0',
      '42',
      '9007199254740994',
      '1e+20',
      '0.5',
      '1.2345675e+06',
      '123456.5',
      '0.0001',
      '1e-05',
      '-2.5e-07',
    ]);
  });
});

describe('toJson escapes as encoding/json', () => {
  it('writes <, >, & and the line separators as \\u escapes, like kubectl -o json', () => {
    expect(toJson({ html: '<a href="x">&amp;</a>', 'key<&>': 'v', ps: 'a\u2029b' })).toBe(
      '{\n    "html": "\\u003ca href=\\"x\\"\\u003e\\u0026amp;\\u003c/a\\u003e",\n    "key\\u003c\\u0026\\u003e": "v",\n    "ps": "a\\u2029b"\n}\n',
    );
    expect(watchEventJson('ADDED', { a: 'x && y' })).toBe('{"type":"ADDED","object":{"a":"x \\u0026\\u0026 y"}}\n');
  });
});
