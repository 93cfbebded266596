import { describe, expect, it } from 'vitest';
import { compileCel, evalCel } from '../../src/api/cel';

const run = (expr: string, vars: Record<string, unknown> = {}) => evalCel(compileCel(expr, ['object', 'variables']), vars);

describe('CEL subset', () => {
  it('evaluates comparisons, arithmetic, ternaries and string concatenation', () => {
    expect(run('1 + 2 * 3 == 7')).toBe(true);
    expect(run("object.n > 2 ? 'big' : 'small'", { object: { n: 3 } })).toBe('big');
    expect(run("'a' + 'b' + object.s", { object: { s: 'c' } })).toBe('abc');
    expect(run('7 / 2')).toBe(3);
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
});
