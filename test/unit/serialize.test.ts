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
    expect(toYaml({ cron: '*/30 * * * *', at: '@hourly', note: 'a, b: c', verbs: ['*'], image: 'nginx:1.27', mail: 'ops@example.com' })).toBe(
      "at: '@hourly'\ncron: '*/30 * * * *'\nimage: nginx:1.27\nmail: ops@example.com\nnote: 'a, b: c'\nverbs:\n- '*'\n",
    );
  });

  it('matches kubectl create configmap --dry-run=client -o yaml on the edge cases', () => {
    const data = { a: "it's: x", b: "it's fine", c: 'tab\there', d: ' lead', f: 'a #b', g: '- x', i: '~', j: '{x}', k: '"q"', l: '1_000', m: '0o17', o: '.5', q: 'NaN', r: 'on', s: '=' };
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
});
