import { describe, expect, it } from 'vitest';
import { compileCel, evalCel } from '../../src/api/cel';
import { CelUint } from '../../src/api/cel-values';

const run = (expr: string, vars: Record<string, unknown> = {}) => evalCel(compileCel(expr, ['object', 'variables']), vars);

/** The exact message an expression fails with. */
const errorOf = (expr: string): string => {
  try {
    return `no error: ${String(run(expr))}`;
  } catch (e) {
    return (e as Error).message;
  }
};

describe('CEL subset', () => {
  it('evaluates comparisons, arithmetic, ternaries and string concatenation', () => {
    expect(run('1 + 2 * 3 == 7')).toBe(true);
    expect(run("object.n > 2 ? 'big' : 'small'", { object: { n: 3 } })).toBe('big');
    expect(run("'a' + 'b' + object.s", { object: { s: 'c' } })).toBe('abc');
    expect(run('7 / 2')).toBe(3n);
  });

  it('supports has(), size() and the all/exists macros over lists', () => {
    const object = {
      spec: {
        containers: [
          { name: 'a', image: 'r.io/a:1' },
          { name: 'b', image: 'b:latest' },
        ],
      },
    };
    expect(run('has(object.spec.containers) && size(object.spec.containers) == 2', { object })).toBe(true);
    expect(run('has(object.spec.missing)', { object })).toBe(false);
    expect(run("object.spec.containers.all(c, c.image.startsWith('r.io/'))", { object })).toBe(false);
    expect(run("object.spec.containers.exists(c, c.image.endsWith(':latest'))", { object })).toBe(true);
    expect(run('object.spec.containers.map(c, c.name)', { object })).toEqual(['a', 'b']);
    expect(run("'b' in object.spec.containers.map(c, c.name)", { object })).toBe(true);
  });

  it('supports contains, matches, in over map keys and negation', () => {
    expect(run("'cpu' in object.limits && !('gpu' in object.limits)", { object: { limits: { cpu: '1' } } })).toBe(true);
    expect(run("object.s.contains('ell') && object.s.matches('^h.*o$')", { object: { s: 'hello' } })).toBe(true);
  });

  it('absorbs an error when the other side of && or || decides', () => {
    expect(run('false && object.missing.field', { object: {} })).toBe(false);
    expect(run('object.missing.field || true', { object: {} })).toBe(true);
    expect(() => run('object.missing == 1', { object: {} })).toThrow('no such key: missing');
  });

  it('reports a syntax error with the position and a caret like cel-go', () => {
    expect(() => compileCel('object.spec.replicas <', ['object'])).toThrow(/^ERROR: <input>:1:23: Syntax error: mismatched input '<EOF>'/);
    try {
      compileCel('object.spec.replicas <', ['object']);
    } catch (e) {
      expect((e as Error).message.split('\n').slice(1)).toEqual([' | object.spec.replicas <', ' | ......................^']);
    }
  });

  it('rejects references to undeclared variables and functions at compile time', () => {
    expect(() => compileCel('foo.bar == 1', ['object'])).toThrow("ERROR: <input>:1:1: undeclared reference to 'foo' (in container '')");
    expect(() => compileCel('frobnicate(object)', ['object'])).toThrow("undeclared reference to 'frobnicate'");
  });

  // Each row is cel-go's behaviour: common/types/int.go, uint.go, double.go (Add/Subtract/
  // Multiply/Divide/Modulo/Negate/Compare/ConvertToType), overflow.go (the checked int64/
  // uint64 operations: MinInt64 / -1 and MinInt64 % -1 overflow), err.go (the error texts)
  // and their tables in common/types/int_test.go, uint_test.go, double_test.go.
  const MIN = '-9223372036854775808';
  const MAX = '9223372036854775807';
  const values: [string, unknown][] = [
    // int64: truncating division, Go's remainder sign (that of the dividend)
    ['7 / 2', 3n],
    ['-7 / 2', -3n],
    ['7 / -2', -3n],
    ['-7 % 2', -1n],
    ['7 % -2', 1n],
    ['2 * 3 - 10', -4n],
    [`${MAX} + 0`, 9223372036854775807n],
    [`${MIN} + 1`, -9223372036854775807n],
    [`-${MAX} - 1`, -9223372036854775808n],
    ['4611686018427387904 * -2', -9223372036854775808n], // MinInt64/2 * 2 (TestIntMultiply)
    ['0x1f + 1', 32n],
    // uint64
    ['7u / 2u', new CelUint(3n)],
    ['18446744073709551615u - 1u', new CelUint(18446744073709551614n)],
    ['5u % 3u', new CelUint(2n)],
    // float64: IEEE division, no truncation
    ['7.0 / 2.0', 3.5],
    ['-7.0 / 2.0', -3.5],
    ['1.0 / 0.0', Infinity],
    ['-1.0 / 0.0', -Infinity],
    ['0.5 + .25', 0.75],
    ['1e3', 1000],
    ['-(1.5)', -1.5],
    // concatenation
    ["'ab' + 'cd'", 'abcd'],
    ['[1, 2] + [3]', [1n, 2n, 3n]],
    // comparisons and equality across numeric types (cel.CrossTypeNumericComparisons)
    ['1 == 1.0', true],
    ['1u == 1', true],
    ['1 < 1.5', true],
    ['2u > 1', true],
    [`${MAX} < 9223372036854775808.0`, true],
    ['1.0 / 0.0 > 1', true],
    ["'a' < 'b'", true],
    ['false < true', true],
    ['0.0 / 0.0 == 0.0 / 0.0', false],
    // conversions
    ['int(3.9)', 3n],
    ['int(-3.9)', -3n],
    ["int('-42')", -42n],
    ['int(7u)', 7n],
    ['uint(7)', new CelUint(7n)],
    ["uint('42')", new CelUint(42n)],
    ['double(7) / 2.0', 3.5],
    ["double('2.5')", 2.5],
    ['string(-4)', '-4'],
    ['string(3u)', '3'],
    ['string(3.5)', '3.5'],
    ['string(2.0)', '2'],
    ['string(1000000.0)', '1e+06'], // Go's %g
    ['string(0.00001)', '1e-05'],
    ['string(123456.0)', '123456'],
    ['type(1) == type(2) && type(1.0) != type(1)', true],
    // size() and indexOf() are ints
    ["size('héllo') + 1", 6n],
    ['size([1, 2, 3]) / 2', 1n],
    ["'abc'.indexOf('c') * 2", 4n],
  ];
  it.each(values)('%s evaluates to %s', (expr, want) => {
    expect(run(expr)).toEqual(want);
  });

  const errors: [string, string][] = [
    ['1 / 0', 'division by zero'],
    ['1 % 0', 'modulus by zero'],
    ['1u / 0u', 'division by zero'],
    ['1u % 0u', 'modulus by zero'],
    [`${MAX} + 1`, 'integer overflow'],
    [`${MIN} - 1`, 'integer overflow'],
    [`${MIN} + -1`, 'integer overflow'],
    [`${MAX} * 2`, 'integer overflow'],
    [`${MIN} * -1`, 'integer overflow'],
    [`${MIN} / -1`, 'integer overflow'],
    [`${MIN} % -1`, 'integer overflow'],
    [`-(${MIN})`, 'integer overflow'],
    ['1u - 2u', 'unsigned integer overflow'],
    ['18446744073709551615u + 1u', 'unsigned integer overflow'],
    ['9223372036854775808u * 2u', 'unsigned integer overflow'],
    // the three numeric types never mix in arithmetic
    ['1 + 1.0', 'no such overload'],
    ['1u + 1', 'no such overload'],
    ['2.0 * 3', 'no such overload'],
    ['5.0 % 2.0', 'no such overload: _%_'],
    ['-(1u)', 'no such overload: -_'],
    ["'a' - 'b'", 'no such overload: _-_'],
    ["1 < 'a'", 'no such overload'],
    ['0.0 / 0.0 < 1.0', 'NaN values cannot be ordered'],
    // conversions out of range (overflow.go, TestIntConvertToType, TestDoubleConvertToType)
    ['uint(-1)', 'unsigned integer overflow'],
    ['int(18446744073709551615u)', 'integer overflow'],
    ['int(1.0 / 0.0)', 'integer overflow'],
    ['int(9223372036854775807.0)', 'integer overflow'],
    ['uint(-1.0)', 'unsigned integer overflow'],
    ["int('1.5')", "type conversion error from 'string' to 'int'"],
    ["int('9223372036854775808')", "type conversion error from 'string' to 'int'"],
    ["uint('-1')", "type conversion error from 'string' to 'uint'"],
    ["double('x')", "type conversion error from 'string' to 'double'"],
  ];
  it.each(errors)('%s fails with %s', (expr, message) => {
    expect(errorOf(expr)).toBe(message);
  });

  it("rejects an int literal beyond int64 at compile time, as cel-go's parser does", () => {
    expect(() => compileCel('9223372036854775808', [])).toThrow('ERROR: <input>:1:1: invalid int literal');
    expect(() => compileCel('18446744073709551616u', [])).toThrow('invalid uint literal');
    expect(run(MIN)).toBe(-9223372036854775808n);
  });

  it('reads integral numbers in object data as int and others as double (the OpenAPI types of built-in kinds)', () => {
    const object = { spec: { replicas: 7, ratio: 0.5, ports: [80, 443] } };
    expect(run('object.spec.replicas / 2', { object })).toBe(3n);
    expect(() => run('object.spec.replicas / 2.0', { object })).toThrow('no such overload');
    expect(run('object.spec.ratio * 2.0', { object })).toBe(1);
    expect(run('object.spec.ports[1] - object.spec.ports[0]', { object })).toBe(363n);
    expect(run('object.spec.ports.all(p, p % 2 == 0 || p == 443)', { object })).toBe(true);
    expect(run('object.spec.replicas == 7 && object.spec.replicas < 7.5', { object })).toBe(true);
    expect(run('80 in object.spec.ports', { object })).toBe(true);
  });
});

describe('CEL on @bufbuild/cel: arithmetic, RE2 and the Kubernetes libraries', () => {
  it('divides doubles exactly and keeps the numeric types apart', () => {
    expect(run('4.0 / 8.0')).toBe(0.5);
    expect(run('4.0 / 8.0 == 0.5')).toBe(true);
    expect(run('4 / 8')).toBe(0n);
    expect(errorOf('1 + 1.0')).toBe('no such overload');
    expect(errorOf('9223372036854775807 + 1')).toBe('integer overflow');
    expect(errorOf('-9223372036854775807 - 2')).toBe('integer overflow');
    expect(run('object.n * object.n', { object: { n: 3037000499 } })).toBe(9223372030926249001n);
    expect(() => run('object.n * object.n', { object: { n: 3037000500 } })).toThrow('integer overflow');
  });

  it('matches with RE2 semantics: (?i) flags, and Go regexp error texts', () => {
    expect(run("'ABC'.matches('(?i)^abc$')")).toBe(true);
    expect(run("'ABC'.matches('^abc$')")).toBe(false);
    expect(run("matches('a\\nb', '(?s)a.b')")).toBe(true);
    expect(errorOf("'abc'.matches('(a')")).toBe('error parsing regexp: missing closing ): `(a`');
    // RE2 has no backreferences or lookahead
    expect(errorOf("'aa'.matches('(a)\\\\1')")).toMatch(/^error parsing regexp: invalid escape sequence/);
    expect(errorOf("'ab'.matches('a(?=b)')")).toMatch(/^error parsing regexp: /);
  });

  it('has the Kubernetes regex library: find and findAll as Go regexp finds', () => {
    expect(run("'abc 123 def 456'.find('[0-9]+')")).toBe('123');
    expect(run("'abc'.find('[0-9]+')")).toBe('');
    expect(run("'ABC abc'.find('(?i)b')")).toBe('B');
    expect(run("'abc 123 def 456'.findAll('[0-9]+')")).toEqual(['123', '456']);
    expect(run("'abc 123 def 456'.findAll('[0-9]+', 1)")).toEqual(['123']);
    expect(run("'abc 123 def 456'.findAll('[0-9]+', 0)")).toEqual([]);
    expect(run("'a1b2c3'.findAll('[0-9]', -1).size() == 3")).toBe(true);
    // FindAllString skips an empty match right after a match
    expect(run("'abc'.findAll('b*')")).toEqual(['', 'b', '']);
    // leftmost-first, as Go's (Perl-like) regexp
    expect(run("'abcd'.find('a|ab')")).toBe('a');
    expect(errorOf("'abc'.find('(a')")).toBe('error parsing regexp: missing closing ): `(a`');
  });

  it('has the Kubernetes ip() and cidr() types', () => {
    expect(run("ip('10.0.0.1').family() == 4 && ip('fe80::1').family() == 6")).toBe(true);
    expect(run("string(ip('2001:DB8:0:0:0:0:0:1'))")).toBe('2001:db8::1');
    expect(run("ip('2001:db8::1') == ip('2001:DB8:0::1') && ip('10.0.0.1') != ip('10.0.0.2')")).toBe(true);
    expect(run("ip.isCanonical('2001:db8::1') && !ip.isCanonical('2001:DB8::1')")).toBe(true);
    expect(run("ip('127.0.0.1').isLoopback() && ip('::1').isLoopback() && ip('0.0.0.0').isUnspecified()")).toBe(true);
    expect(
      run("ip('169.254.1.1').isLinkLocalUnicast() && ip('fe80::1').isLinkLocalUnicast() && ip('ff02::1').isLinkLocalMulticast()"),
    ).toBe(true);
    expect(run("ip('8.8.8.8').isGlobalUnicast() && !ip('224.0.0.1').isGlobalUnicast() && !ip('255.255.255.255').isGlobalUnicast()")).toBe(
      true,
    );
    expect(
      run(
        "cidr('10.0.0.0/8').containsIP(ip('10.1.2.3')) && cidr('10.0.0.0/8').containsIP('10.255.0.1') && !cidr('10.0.0.0/8').containsIP('11.0.0.1')",
      ),
    ).toBe(true);
    expect(run("cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16') && !cidr('10.1.0.0/16').containsCIDR(cidr('10.0.0.0/8'))")).toBe(true);
    expect(run("!cidr('10.0.0.0/8').containsIP('::1')")).toBe(true);
    expect(
      run("string(cidr('10.1.2.3/8').masked()) + ' ' + string(cidr('10.1.2.3/8').ip()) + ' ' + string(cidr('10.1.2.3/8').prefixLength())"),
    ).toBe('10.0.0.0/8 10.1.2.3 8');
    expect(run("cidr('2001:db8::/32').containsIP('2001:db8:ffff::1')")).toBe(true);
    expect(errorOf("ip('::ffff:1.2.3.4')")).toBe('IPv4-mapped IPv6 address "::ffff:1.2.3.4" is not allowed');
    expect(errorOf("ip('fe80::1%eth0')")).toBe('IP address "fe80::1%eth0" with zone value is not allowed');
  });

  it('has the Kubernetes url() type, split as Go net/url splits', () => {
    const u = "url('https://User@Example.com:443/a%20b/c?x=1&x=2&y=z#frag')";
    expect(run(`${u}.getScheme()`)).toBe('https');
    expect(run(`${u}.getHost()`)).toBe('Example.com:443');
    expect(run(`${u}.getHostname()`)).toBe('Example.com');
    expect(run(`${u}.getPort()`)).toBe('443');
    expect(run(`${u}.getEscapedPath()`)).toBe('/a%20b/c');
    expect(run(`${u}.getQuery()`)).toEqual({ x: ['1', '2'], y: ['z'] });
    expect(run("url('https://[::1]:80/').getHostname() + ' ' + url('https://[::1]:80/').getPort()")).toBe('::1 80');
    expect(run("url('/just/a/path').getScheme() == '' && url('/just/a/path').getEscapedPath() == '/just/a/path'")).toBe(true);
    expect(errorOf("url('not a url')")).toBe('URL parse error during conversion from string: parse "not a url": invalid URI for request');
  });

  it('has the cel-go strings extension Kubernetes enables', () => {
    expect(run("'Hello'.lowerAscii() + 'x'.upperAscii()")).toBe('helloX');
    expect(run("'a,b,c'.split(',')")).toEqual(['a', 'b', 'c']);
    expect(run("['a', 'b'].join('-')")).toBe('a-b');
    expect(run("'  x '.trim()")).toBe('x');
    expect(run("'banana'.replace('a', 'o', 2)")).toBe('bonona');
    expect(run("'hello'.substring(1, 3)")).toBe('el');
    expect(run("'abc'.charAt(1)")).toBe('b');
  });

  it('has the Kubernetes list library and cel-go sets', () => {
    expect(run('[1, 2, 3].isSorted() && ![2, 1].isSorted()')).toBe(true);
    expect(run('[1, 2, 3].sum()')).toBe(6n);
    expect(run('[1.5, 2.5].sum()')).toBe(4);
    expect(run('[3, 1, 2].min()')).toBe(1n);
    expect(run("['b', 'c', 'a'].max()")).toBe('c');
    expect(errorOf('[].min()')).toBe('min called on empty list');
    expect(run('[1, 2, 1].indexOf(1) == 0 && [1, 2, 1].lastIndexOf(1) == 2 && [1].indexOf(5) == -1')).toBe(true);
    expect(run('sets.contains([1, 2, 3], [3, 1]) && !sets.contains([1], [2])')).toBe(true);
    expect(run('sets.equivalent([1, 2], [2, 1, 1]) && sets.intersects([1, 2], [2, 5])')).toBe(true);
  });

  it('has the quantity and URL predicates', () => {
    expect(run("isQuantity('500Mi') && isQuantity('1.5') && !isQuantity('5 Mi') && !isQuantity('abc')")).toBe(true);
    expect(run("isURL('https://example.com/x') && isURL('/path') && !isURL('not a url')")).toBe(true);
  });

  it('has the IP and CIDR predicates, refusing zones and IPv4-mapped addresses (Gateway API TLSRoute hostnames)', () => {
    expect(run("isIP('10.0.0.1') && isIP('2001:db8::1') && isIP('::1')")).toBe(true);
    expect(run("isIP('web.example.com') || isIP('10.0.0.01') || isIP('fe80::1%eth0') || isIP('::ffff:1.2.3.4')")).toBe(false);
    expect(run("isIP('::ffff:0102:0304') || isIP('10.0.0.1/8')")).toBe(false);
    expect(run("['a.example.com', 'b.example.com'].all(h, !isIP(h))")).toBe(true);
    expect(run("isCIDR('10.0.0.0/8') && isCIDR('2001:db8::/32') && isCIDR('0.0.0.0/0')")).toBe(true);
    expect(run("isCIDR('10.0.0.0/33') || isCIDR('10.0.0.0') || isCIDR('10.0.0.0/08') || isCIDR('::ffff:1.2.3.0/120')")).toBe(false);
  });

  it('runs the macros: all, exists, exists_one, map, filter', () => {
    const object = { items: [1, 2, 3, 4] };
    expect(run('object.items.filter(x, x % 2 == 0)', { object })).toEqual([2n, 4n]);
    expect(run('object.items.map(x, x * 10)', { object })).toEqual([10n, 20n, 30n, 40n]);
    expect(run('object.items.exists_one(x, x > 3)', { object })).toBe(true);
    expect(run("{'a': 1, 'b': 2}.all(k, k.size() == 1)")).toBe(true);
  });

  it('rejects at compile time what cel-go rejects', () => {
    const compileError = (expr: string) => {
      try {
        compileCel(expr, ['self']);
        return 'compiled';
      } catch (e) {
        return (e as Error).message.split('\n')[0];
      }
    };
    expect(compileError('has(self)')).toBe('ERROR: <input>:1:5: invalid argument to has() macro');
    expect(compileError('self.all(1, true)')).toBe('ERROR: <input>:1:10: argument must be a simple name');
    expect(compileError('self.frob()')).toBe("ERROR: <input>:1:10: undeclared reference to 'frob' (in container '')");
    expect(compileError('self.all(x, x > y)')).toBe("ERROR: <input>:1:17: undeclared reference to 'y' (in container '')");
    expect(compileError('self ==')).toBe("ERROR: <input>:1:8: Syntax error: mismatched input '<EOF>'");
    expect(compileError('frob(self)')).toBe("ERROR: <input>:1:5: undeclared reference to 'frob' (in container '')");
    expect(compileError('type(self) == int')).toBe('compiled');
  });
});

describe('the Kubernetes quantity library (kubernetes.Quantity)', () => {
  it.each([
    ["quantity('200M').compareTo(quantity('0.2G')) == 0", true],
    ["quantity('50M').compareTo(quantity('50Mi'))", -1n],
    ["quantity('50Mi').compareTo(quantity('50M'))", 1n],
    ["quantity('150Mi').isGreaterThan(quantity('100Mi'))", true],
    ["quantity('50Mi').isGreaterThan(quantity('100Mi'))", false],
    ["quantity('50M').isLessThan(quantity('100M'))", true],
    ["quantity('1') == quantity('1000m')", true],
    ["quantity('50k').add(20).sub(quantity('100k')).sub(-50000) == quantity('20')", true],
    ["quantity('50k').add(quantity('20k')) == quantity('70k')", true],
    ["quantity('50k').asInteger()", 50000n],
    ["quantity('1.5').isInteger() || quantity('500m').isInteger()", false],
    ["quantity('30k').asApproximateFloat()", 30000],
    ["quantity('-3').sign() == -1 && quantity('0').sign() == 0", true],
    ["isQuantity('1.3Gi') && !isQuantity('1,3G') && !isQuantity('200K') && !isQuantity('Mi')", true],
    ["type(quantity('1')) == type(quantity('2'))", true],
  ])('%s is %s', (expr, want) => {
    expect(run(expr)).toEqual(want);
  });

  it('fails as resource.ParseQuantity and AsInt64 fail', () => {
    expect(errorOf("quantity('Three')")).toBe(
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
    expect(errorOf("quantity('1.5').asInteger()")).toBe('cannot convert value to integer');
    expect(errorOf("quantity('1') + 1")).toBe('no such overload: _+_');
  });

  it('compares object data through quantity()', () => {
    const object = { spec: { containers: [{ resources: { limits: { memory: '512Mi' } } }, { resources: { limits: { memory: '2Gi' } } }] } };
    expect(run("object.spec.containers.all(c, quantity(c.resources.limits.memory).isLessThan(quantity('1Gi')))", { object })).toBe(false);
    expect(run("object.spec.containers.exists(c, quantity(c.resources.limits.memory).compareTo(quantity('512Mi')) == 0)", { object })).toBe(
      true,
    );
  });
});

describe('CEL optionals (cel-go OptionalTypes) and the format library', () => {
  const object = { spec: { a: 1, list: [1, 2], m: { k: 'v' } } };

  it('a.?b and a[?k] are optional.of the value when present and optional.none() when not', () => {
    expect(run('object.?spec.?a.orValue(5)', { object })).toBe(1n);
    expect(run('object.?spec.?b.orValue(5)', { object })).toBe(5n);
    expect(run('object.?spec.?b.hasValue()', { object })).toBe(false);
    expect(run('object.spec.list[?5].orValue(9)', { object })).toBe(9n);
    expect(run('object.spec.list[?1].value()', { object })).toBe(2n);
    expect(run("object.spec.m[?'k'].value()", { object })).toBe('v');
    // the chain stays optional after an optional step: a.?nope.a is none, not an error
    expect(run('object.?nope.a.orValue(7)', { object })).toBe(7n);
    expect(run("'a?b' + (true ? '?' : '')")).toBe('a?b?');
  });

  it('optional literals, equality and the library functions', () => {
    expect(run('[1, ?optional.none(), ?optional.of(3)]')).toEqual([1n, 3n]);
    expect(run("{'a': 1, ?'b': optional.none(), ?'c': optional.of(2)}")).toEqual({ a: 1n, c: 2n });
    expect(run('optional.of(1) == optional.of(1) && optional.of(1) != optional.of(2)')).toBe(true);
    expect(run("optional.ofNonZeroValue('').hasValue() || optional.ofNonZeroValue(0).hasValue()")).toBe(false);
    expect(run('optional.none().or(optional.of(4)).value()')).toBe(4n);
    expect(errorOf('optional.none().value()')).toBe('optional.none() dereference');
  });

  it('keeps error positions in the source the user wrote', () => {
    expect(errorOf('object.?spec.?a.orValue(nope)')).toBe(
      "ERROR: <input>:1:25: undeclared reference to 'nope' (in container '')\n | object.?spec.?a.orValue(nope)\n | ........................^",
    );
  });

  it('format.<name>().validate(s) is none for a valid string, else the validation messages', () => {
    expect(run("format.dns1123Label().validate('web').hasValue()")).toBe(false);
    expect(run("format.dns1123Label().validate('a.b').value()")).toEqual(['must not contain dots']);
    expect(run("format.named('labelValue').hasValue() && !format.named('nope').hasValue()")).toBe(true);
    expect(run("format.uri().validate('foo').value()")).toEqual(['parse "foo": invalid URI for request']);
    // maskTrailingDash: a generateName prefix may end in a dash
    expect(run("format.dns1123LabelPrefix().validate('web-').hasValue()")).toBe(false);
    expect(run("format.uuid().validate('x').value()")).toEqual(['does not match the UUID format']);
    expect(run("format.datetime().validate('2021-01-01T00:00:00Z').hasValue()")).toBe(false);
  });
});

describe('the optional syntax rewrite leaves strings and the ternary alone', () => {
  it('keeps `.?` and `[?` inside string literals and `?` of a ternary', () => {
    expect(run(`'x.?y' + "[?" + (1 > 0 ? 'a' : 'b')`)).toBe('x.?y[?a');
    expect(run(`r'.?z' + '''[?'''`)).toBe('.?z[?');
  });
});
