import { describe, expect, it } from 'vitest';
import {
  compileJsonPath,
  executeJsonPath,
  findJsonPathResults,
  formatGoValue,
  jsonPathFromFlag,
  parseJsonPath,
  relaxedJsonPathExpression,
} from '../../src/printers/jsonpath';
import { errorOf } from '../support/errors';

// Expected outputs below were captured from kubectl v1.32 (`kubectl get pods -o jsonpath=…`
// against an API server serving exactly these two pods), so they pin kubectl's behaviour,
// quirks included.
function podList(): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'List',
    metadata: { resourceVersion: '' },
    items: [
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'a', namespace: 'default', labels: { 'app.kubernetes.io/name': 'web', app: 'x', tier: '<front&end>' } },
        spec: {
          n: [1, 2, 3, 4, 5],
          f: 1.5,
          big: 1e21,
          small: 1e-7,
          mil: 1000000.5,
          i: 1234567,
          nul: null,
          s: 'héllo',
          e: {},
          l: [],
          t: true,
        },
        status: {
          conditions: [
            { type: 'Ready', status: 'True', n: 3 },
            { type: 'Sched', status: 'False', n: 7 },
          ],
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'b', namespace: 'default', labels: { app: 'y' } },
        spec: {
          n: [],
          containers: [
            { name: 'c1', image: 'nginx' },
            { name: 'c2', image: 'redis' },
          ],
        },
        status: { conditions: [{ type: 'Ready', status: 'False', n: 1 }] },
      },
    ],
  };
}

function run(template: string, opts: { allowMissingKeys?: boolean; outputJson?: boolean } = { allowMissingKeys: true }): string {
  return executeJsonPath(parseJsonPath(jsonPathFromFlag(template)), podList(), opts);
}

describe('jsonpath templates print what kubectl prints', () => {
  const cases: [template: string, output: string][] = [
    ['{.items[*].metadata.name}', 'a b'],
    [
      '{.items[0].spec.f} {.items[0].spec.big} {.items[0].spec.small} {.items[0].spec.mil} {.items[0].spec.i} {.items[0].spec.t} {.items[0].spec.nul}',
      '1.5 1e+21 1e-07 1.0000005e+06 1234567 true null',
    ],
    ['{.items[0].metadata.labels}', '{"app":"x","app.kubernetes.io/name":"web","tier":"\\u003cfront\\u0026end\\u003e"}'],
    ['{.items[0].metadata.labels.app\\.kubernetes\\.io/name}', 'web'],
    ["{.items[0].metadata.labels['app.kubernetes.io/name']}", ''],
    ["{.items[0].metadata.labels['app']}", 'x'],
    ['{.items[0].spec.n[1:3]}', '2 3'],
    ['{.items[0].spec.n[-1]}', '5'],
    ['{.items[0].spec.n[-2:]}', '4 5'],
    ['{.items[0].spec.n[::2]}', '1 3 5'],
    ['{.items[0].spec.n[0,2]}', '1 3'],
    ['{.items[0].spec.n[:0]}', ''],
    ['{.items[0].spec.e} {.items[0].spec.l} {.items[0].spec.nul}', '{} [] null'],
    ['{.items[*].status.conditions[?(@.type=="Ready")].status}', 'True False'],
    ["{.items[*].status.conditions[?(@.type!='Ready')].type}", 'Sched'],
    ['{.items[*].status.conditions[?(@.n>3)].type}', 'Sched'],
    ['{.items[*].status.conditions[?(@.n<=3)].type}', 'Ready Ready'],
    ['{.items[*].status.conditions[?(@.n<3)].type}', 'Ready'],
    ['{.items[*].status.conditions[?(@.n>=3)].type}', 'Ready Sched'],
    ['{.items[*].status.conditions[?(@.status)].type}', 'Ready Sched Ready'],
    ['{.items[*].status.conditions[?(@.zz)].type}', ''],
    ['{range .items[*]}{.metadata.name}{"\\n"}{end}', 'a\nb\n'],
    [
      '{range .items[*]}{.metadata.name}{"\\t"}{range .status.conditions[*]}[{.type}={.status}]{end}{"\\n"}{end}',
      'a\t[Ready=True][Sched=False]\nb\t[Ready=False]\n',
    ],
    ['{range .items[*]}{.metadata.name}', 'ab'],
    ['{range .items[*]}{range .spec.containers[*]}{.name},{end};{end}|after', ';c1,c2,;|after'],
    ['{range .items[5:5]}{.metadata.name}{end}done', 'done'],
    ['{@.kind}', 'List'],
    ['{.kind} {$.kind}', 'List List'],
    ['{..type}', 'Ready Sched Ready'],
    ['{..image}', 'nginx redis'],
    ['{1.5} {2} {true} {"x"} {+5} {-3} {1.} {.5} {1.0}', '1.5 2 true x 5 -3 1  1'],
    ['{.items..name}', 'a b c1 c2'],
    ['{.}', ''],
    [
      '{.kind}{.items[0].metadata}',
      'List{"labels":{"app":"x","app.kubernetes.io/name":"web","tier":"\\u003cfront\\u0026end\\u003e"},"name":"a","namespace":"default"}',
    ],
    ['{.items[0].spec.n[0, 2]}', '1 3'],
    ['{.items[0].spec.n[]}', '1'],
    ["{.items[*]['kind','apiVersion']}", 'Pod Pod v1 v1'],
    ['{.items[0].spec.nul[0]}', ''],
    ['{.items[0].metadata.name.x}', ''],
    ['{.items[?(@.metadata.labels.app=="x")].metadata.name}', 'a'],
    ['{.items[*].spec.n[?(@>2)]}', '3 4 5'],
    ['{.items[0].spec.s}{"a\\x41\\u00e9\\101"}', 'hélloaAéA'],
    ["{'it\\'s'}", "it's"],
    ['{.items[0].status.conditions[?(@.type=="Ready" )].n}', '3'],
    ['{.items[0].status.conditions[?( @.type == "Ready" )].n}', '3'],
    ['{.items[0].status.conditions[?(@.type==@.type)].type}', 'Ready Sched'],
    ['{.items[0].status.conditions[?(@.type<"S")].type}', 'Ready'],
    ['{.items[0].status.conditions[*]}', '{"n":3,"status":"True","type":"Ready"} {"n":7,"status":"False","type":"Sched"}'],
    ['{.items[0].status.conditions[?(@.q==true)]}', ''],
    ['{.items[0].spec.t}{.items[0].status.conditions[?(@.n==3)].type}', 'trueReady'],
    ['{.kind}{"}"}{.kind}', 'List}List'],
    ['{.items[*].metadata.labels.tier}', '<front&end>'],
    ['{.items[*].metadata.name}{"\\n"}', 'a b\n'],
    ["{.items[1].spec.containers[*]['name','image']}", 'c1 c2 nginx redis'],
    ['{.items[*].spec.containers[?(@.name=="c2")].image}', 'redis'],
    ['plain text only', 'plain text only'],
    ['{.items[0].spec.n[1:]}', '2 3 4 5'],
    ['{.items[0].spec.n[:2]}', '1 2'],
    ['{.items[0].status.conditions[?(@.type)].type}', 'Ready Sched'],
    ['{.items[0].spec.n[?(@)]}', '1 2 3 4 5'],
    ['{.items[0].spec.*.x}', ''],
    ['é{.kind}ü', 'éListü'],
  ];
  it.each(cases)('%s', (template, output) => {
    expect(run(template)).toBe(output);
  });
});

describe('jsonpath syntax errors use kubectl words', () => {
  const cases: [template: string, message: string][] = [
    [
      '{.items[0].metadata.name,.kind}',
      "error parsing jsonpath {.items[0].metadata.name,.kind}, unrecognized character in action: U+002C ','",
    ],
    ['x{.kind', 'error parsing jsonpath x{.kind, unclosed action'],
    ['{.items[?(@.kind=="Pod")', 'error parsing jsonpath {.items[?(@.kind=="Pod"), unclosed array expect ]'],
    ['{.items[?(@.kind=="Pod"]}', 'error parsing jsonpath {.items[?(@.kind=="Pod"]}, unterminated filter'],
    ['{.items[a]}', 'error parsing jsonpath {.items[a]}, invalid array index a'],
    ['{.items[-]}', 'error parsing jsonpath {.items[-]}, array index - is not a number'],
    ['{"\\q"}', 'error parsing jsonpath {"\\q"}, unquote string "\\q" error invalid syntax'],
    ['{....kind}', 'error parsing jsonpath {....kind}, invalid multiple recursive descent'],
    ['{.kind\t}', 'error parsing jsonpath {.kind\t}, unrecognized character in action: U+0009'],
    ['{"it\\\'s"}', 'error parsing jsonpath {"it\\\'s"}, unquote string "it\\\'s" error invalid syntax'],
    ['{"a"', 'error parsing jsonpath {"a", unclosed action'],
    ['{.items[', 'error parsing jsonpath {.items[, unterminated array'],
    ['{!}', "error parsing jsonpath {!}, unrecognized character in action: U+0021 '!'"],
    ['{\\}', "error parsing jsonpath {\\}, unrecognized character in action: U+005C '\\'"],
  ];
  it.each(cases)('%s', (template, message) => {
    const error = errorOf(() => parseJsonPath(template));
    expect(error.message).toBe(message);
  });
});

describe('jsonpath execution errors use kubectl words', () => {
  const cases: [template: string, reason: string][] = [
    ["{.items[0].metadata.labels['a b']}", 'unrecognized identifier b'],
    ['{.items[0].spec.n[5]}', 'array index out of bounds: index 5, length 5'],
    ['{.items[0].spec.n[3:1]}', 'starting index 3 is greater than ending index 1'],
    ['{.items[*].spec.n[0]}', 'array index out of bounds: index 0, length 0'],
    ['{.items[1].spec.n[0]}', 'array index out of bounds: index 0, length 0'],
    ['{.items[0].spec.s[*]}', 'string is not array or slice'],
    ['{.items[*].status.conditions[?(@.n>3.5)].type}', 'incompatible types for comparison'],
    ['{.items[*].status.conditions[?(@.n=="3")].type}', 'incompatible types for comparison'],
    ['{end}', 'not in range, nothing to end'],
    ['{foo}', 'unrecognized identifier foo'],
    ['{.items[0].spec.n[1:2:0]}', 'step must be > 0'],
    ['{.items[0].spec.nul[?(@.a)]}', '<nil> is not array or slice and cannot be filtered'],
    [
      '{.items[0].spec[?(@.a)]}',
      'map[big:1e+21 e:map[] f:1.5 i:1234567 l:[] mil:1.0000005e+06 n:[1 2 3 4 5] nul:<nil> s:héllo small:1e-07 t:true] is not array or slice and cannot be filtered',
    ],
    ['{.items[0].spec.f[0]}', 'float64 is not array or slice'],
    ['{.items[*].spec.n[?(@>=2.0)]}', 'incompatible types for comparison'],
    ['{.items[0].status.conditions[?(@.type===Ready)].type}', 'unrecognized identifier Ready'],
    ['{.items[0].status.conditions[?(@.type=!"Ready")].type}', 'unrecognized filter operator =!'],
    ['{.items[1].spec.containers[-3]}', 'array index out of bounds: index -1, length 2'],
    ['{.items[0].spec.n[-10:]}', 'array index out of bounds: index -5, length 5'],
    ['{.items[0].spec.n[1:9]}', 'array index out of bounds: index 8, length 5'],
    ['{range .items[*]}{.metadata.name}{end}{end}', 'not in range, nothing to end'],
    ['{é}', 'unrecognized identifier é'],
  ];
  it.each(cases)('%s', (template, reason) => {
    const error = errorOf(() => run(template));
    const quoted = JSON.stringify(template);
    expect(error.message.split('\n')[0]).toBe(
      `error executing jsonpath ${quoted}: Error executing template: ${reason}. Printing more information for debugging the template:`,
    );
  });
});

describe('jsonpath execution', () => {
  it('prints nothing for a missing key when missing keys are allowed, as kubectl get does', () => {
    expect(run('{.items[*].metadata.nope}')).toBe('');
  });

  it('fails on a missing key when missing keys are not allowed, dumping the template and the object', () => {
    const error = errorOf(() => run('{.x}', { allowMissingKeys: false }));
    const lines = error.message.split('\n');
    expect(lines[0]).toBe(
      'error executing jsonpath "{.x}": Error executing template: x is not found. Printing more information for debugging the template:',
    );
    expect(lines[1]).toBe('\ttemplate was:');
    expect(lines[2]).toBe('\t\t{.x}');
    expect(lines[3]).toBe('\tobject given to jsonpath engine was:');
    expect(lines[4]).toMatch(
      /^\t\tmap\[string\]interface \{\}\{"apiVersion":"v1", "items":\[\]interface \{\}\{map\[string\]interface \{\}\{"apiVersion":"v1"/,
    );
    expect(lines[4]).toContain('"nul":interface {}(nil), "s":"héllo"');
    expect(error.message.endsWith('}\n\n')).toBe(true);
  });

  it('still walks the body of a range over nothing, so a missing key there fails like kubectl', () => {
    const error = errorOf(() => run('{range .items[9:9]}{.metadata.name}{end}', { allowMissingKeys: false }));
    expect(error.message.split('\n')[0]).toContain('Error executing template: metadata is not found.');
  });

  it('prints -o jsonpath-as-json results as one indented JSON array per part', () => {
    expect(run('{.items[*].metadata.name}', { allowMissingKeys: true, outputJson: true })).toBe('[\n    "a",\n    "b"\n]\n');
    expect(run('{.items[0].spec.e}{.items[0].spec.l}{.nothing}', { allowMissingKeys: true, outputJson: true })).toBe(
      '[\n    {}\n]\n[\n    []\n]\n[]\n',
    );
  });

  it('visits map keys in sorted order for wildcards, where Go leaves the order random', () => {
    expect(run('{.items[0].metadata.labels.*}')).toBe('x web <front&end>');
  });

  it('treats undefined properties of objects that were not serialized as missing', () => {
    const template = compileJsonPath('{.a}{.b}');
    expect(executeJsonPath(template, { a: undefined, b: 1 }, { allowMissingKeys: true })).toBe('1');
  });

  it('returns one result list per template part, as client-go FindResults does', () => {
    const results = findJsonPathResults(compileJsonPath('x{.items[*].metadata.name}'), podList(), { allowMissingKeys: true });
    expect(results).toEqual([['x'], ['a', 'b']]);
  });
});

describe('jsonpath flag forms', () => {
  it('takes an -o jsonpath template verbatim, so kubectl prints a template without braces as text', () => {
    expect(run('.metadata.name')).toBe('.metadata.name');
    expect(run("'{.kind}'")).toBe("'List'");
  });

  it('refuses an empty -o jsonpath template', () => {
    expect(errorOf(() => jsonPathFromFlag('')).message).toBe('template format specified but no template given');
  });

  const relaxed: [path: string, expression: string][] = [
    ['metadata.name', '{.metadata.name}'],
    ['.metadata.name', '{.metadata.name}'],
    ['{metadata.name}', '{.metadata.name}'],
    ['{.metadata.name}', '{.metadata.name}'],
    ['.status.conditions[?(@.type=="Ready")].status', '{.status.conditions[?(@.type=="Ready")].status}'],
    ['', ''],
  ];
  it.each(relaxed)('relaxes the path %j to %j for custom-columns, --sort-by and wait', (path, expression) => {
    expect(relaxedJsonPathExpression(path)).toBe(expression);
  });

  it('refuses a path with two actions where kubectl wants one', () => {
    expect(errorOf(() => relaxedJsonPathExpression('{.a}{.b}')).message).toBe(
      "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
    );
  });
});

describe('Go value formatting', () => {
  const values: [value: unknown, text: string][] = [
    [null, '<nil>'],
    ['plain', 'plain'],
    [true, 'true'],
    [42, '42'],
    [1.5, '1.5'],
    [1000000.5, '1.0000005e+06'],
    [123456.5, '123456.5'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1e21, '1e+21'],
    [[1, 'a', null], '[1 a <nil>]'],
    [{ b: { c: [] }, a: 'x' }, 'map[a:x b:map[c:[]]]'],
  ];
  it.each(values)('formats %j the way fmt.Sprint does', (value, text) => {
    expect(formatGoValue(value)).toBe(text);
  });
});
