import { describe, it, expect } from 'vitest';
import { toYaml } from '../../src/printers/serialize';

// `kubectl get -o yaml` and `kubectl kustomize` quote as go-yaml does (YAML 1.1)
describe('toYaml quoting', () => {
  it('double-quotes strings that would read back as another type', () => {
    expect(toYaml({ a: '1234', b: '', c: 'yes', d: '0755', e: 'null', f: 'Y', g: '1e3', h: '2024-01-01', i: '1:20' })).toBe(
      'a: "1234"\nb: ""\nc: "yes"\nd: "0755"\ne: "null"\nf: "Y"\ng: "1e3"\nh: "2024-01-01"\ni: "1:20"\n',
    );
  });

  it('single-quotes other strings that cannot stay plain, and leaves plain ones alone', () => {
    expect(
      toYaml({ cron: '*/30 * * * *', at: '@hourly', note: 'a, b: c', verbs: ['*'], image: 'nginx:1.27', mail: 'ops@example.com' }),
    ).toBe("at: '@hourly'\ncron: '*/30 * * * *'\nimage: nginx:1.27\nmail: ops@example.com\nnote: 'a, b: c'\nverbs:\n- '*'\n");
  });

  it('matches kubectl create configmap --dry-run=client -o yaml on the edge cases', () => {
    const data = {
      a: "it's: x",
      b: "it's fine",
      c: 'tab\there',
      d: ' lead',
      f: 'a #b',
      g: '- x',
      i: '~',
      j: '{x}',
      k: '"q"',
      l: '1_000',
      m: '0o17',
      o: '.5',
      q: 'NaN',
      r: 'on',
      s: '=',
    };
    expect(toYaml({ data })).toBe(
      [
        'data:',
        "  a: 'it''s: x'",
        "  b: it's fine",
        '  c: "tab\\there"',
        "  d: ' lead'",
        "  f: 'a #b'",
        "  g: '- x'",
        '  i: "~"',
        "  j: '{x}'",
        `  k: '"q"'`,
        '  l: "1_000"',
        '  m: "0o17"',
        '  o: ".5"',
        '  q: NaN',
        '  r: "on"',
        '  s: =',
        '',
      ].join('\n'),
    );
  });

  it('quotes keys by the same rules', () => {
    expect(toYaml({ n: 1, yes: 2, plain: 3 })).toBe('"n": 1\nplain: 3\n"yes": 2\n');
  });
  // each pair: a string and how `kubectl create configmap --from-literal=k=<string> --dry-run=client -o yaml`
  // (kubectl v1.32, go-yaml v2) writes it; "1e999" is left out: go-yaml keeps it plain, the layout library quotes it
  it.each([
    ["it's: x", "'it''s: x'"],
    ["it's fine", "it's fine"],
    ['tab\there', '"tab\\there"'],
    [' lead', "' lead'"],
    ['trail ', "'trail '"],
    ['a #b', "'a #b'"],
    ['- x', "'- x'"],
    ['\u00e9', '\u00e9'],
    ['~', '"~"'],
    ['{x}', "'{x}'"],
    ['"q"', '\'"q"\''],
    ['1_000', '"1_000"'],
    ['0o17', '"0o17"'],
    ['+1', '"+1"'],
    ['.5', '".5"'],
    ['0b101', '"0b101"'],
    ['NaN', 'NaN'],
    ['on', '"on"'],
    ['=', '='],
    ['<<', '<<'],
    ['e5', 'e5'],
    ['E5', 'E5'],
    ['.', '.'],
    ['-', "'-'"],
    ['1.', '"1."'],
    ['08', '"08"'],
    ['0x1F', '"0x1F"'],
    ['0x', '0x'],
    ['2024-01-01', '"2024-01-01"'],
    ['2024-13-01', '2024-13-01'],
    ['2024-02-30', '2024-02-30'],
    ['1:20', '"1:20"'],
    ['12:30:00', '"12:30:00"'],
    ['0755', '"0755"'],
    ['9223372036854775808', '"9223372036854775808"'],
    ['-9223372036854775809', '"-9223372036854775809"'],
    ['18446744073709551616', '"18446744073709551616"'],
    ['.e5', '.e5'],
    ['+.inf', '"+.inf"'],
    ['.Inf', '".Inf"'],
    ['Yes', '"Yes"'],
    ['yEs', 'yEs'],
    ['null', '"null"'],
    ['NULL', '"NULL"'],
    ['nULL', 'nULL'],
    ['1e3', '"1e3"'],
    ['1E+3', '"1E+3"'],
    ['true', '"true"'],
    ['TRUE', '"TRUE"'],
    ['tRUE', 'tRUE'],
    ['*', "'*'"],
    ['@x', "'@x'"],
    ['%x', "'%x'"],
    ['!x', "'!x'"],
    ['&x', "'&x'"],
    ['?', "'?'"],
    ['? x', "'? x'"],
    [':', "':'"],
    ['a:b', 'a:b'],
    ['a: b', "'a: b'"],
    ['#', "'#'"],
    ['a#b', 'a#b'],
    ['2024-1-2 3:04:05', '"2024-1-2 3:04:05"'],
    ['2024-01-02T03:04:05Z', '"2024-01-02T03:04:05Z"'],
    ['2024-01-02T03:04:05', '2024-01-02T03:04:05'],
  ])('writes %j as go-yaml does', (value, expected) => {
    expect(toYaml({ k: value })).toBe(`k: ${expected}\n`);
  });
});
