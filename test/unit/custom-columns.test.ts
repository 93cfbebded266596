import { describe, expect, it } from 'vitest';
import { parseCustomColumns, parseCustomColumnsFile, renderCustomColumns } from '../../src/printers/custom-columns';
import { CliError } from '../../src/util/errors';

// Expected tables were captured from kubectl v1.32 (`kubectl get pods -o custom-columns=…`
// against an API server serving exactly these three pods).
function pods(): unknown[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'a',
        namespace: 'default',
        labels: { 'app.kubernetes.io/name': 'web', app: 'x', tier: '<front&end>' },
        annotations: { esc: 'x\u001b[31mred\rz' },
      },
      spec: {
        n: [1, 2, 3],
        f: 1.5,
        big: 1e21,
        mil: 1000000.5,
        i: 1234567,
        nul: null,
        s: 'héllo',
        e: {},
        l: [],
        t: true,
        nested: { a: [{ b: null, c: 1.25 }], z: 'q' },
        containers: [{ name: 'c', image: 'busybox:1.36', resources: { requests: { cpu: '250m', memory: '64Mi' } } }],
      },
      status: { phase: 'Running', startTime: '2024-01-01T00:00:05Z', conditions: [{ type: 'Ready', status: 'True' }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'b-longer-name', namespace: 'default', labels: { app: 'y' } },
      spec: {
        n: [],
        containers: [
          { name: 'c1', image: 'nginx', resources: { requests: { cpu: '1', memory: '1Gi' } } },
          { name: 'c2', image: 'redis' },
        ],
      },
      status: { phase: 'Pending', startTime: '2024-01-01T00:00:01Z' },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'c', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '100m', memory: '512Mi' } } }] },
      status: { phase: 'Running', startTime: '2024-01-01T00:00:03Z' },
    },
  ];
}

function errorOf(action: () => unknown): string {
  try {
    action();
  } catch (e) {
    if (e instanceof CliError) return e.message;
    throw e;
  }
  throw new Error('expected a CliError');
}

describe('custom-columns tables match kubectl', () => {
  const cases: [spec: string, table: string][] = [
    [
      'NAME:.metadata.name,IMAGES:.spec.containers[*].image',
      'NAME            IMAGES\na               busybox:1.36\nb-longer-name   nginx,redis\nc               x\n',
    ],
    [
      'NAME:metadata.name,L:{.metadata.labels},APP:{metadata.labels.app},PHASE:.status.phase',
      'NAME            L                                                        APP      PHASE\n' +
        'a               map[app:x app.kubernetes.io/name:web tier:<front&end>]   x        Running\n' +
        'b-longer-name   map[app:y]                                               y        Pending\n' +
        'c               <none>                                                   <none>   Running\n',
    ],
    [
      'F:.spec.f,BIG:.spec.big,MIL:.spec.mil,I:.spec.i,NUL:.spec.nul,S:.spec.s,E:.spec.e,L:.spec.l,T:.spec.t',
      'F        BIG      MIL             I         NUL      S        E        L        T\n' +
        '1.5      1e+21    1.0000005e+06   1234567   <nil>    héllo    map[]    []       true\n' +
        '<none>   <none>   <none>          <none>    <none>   <none>   <none>   <none>   <none>\n' +
        '<none>   <none>   <none>          <none>    <none>   <none>   <none>   <none>   <none>\n',
    ],
    [
      'NESTED:.spec.nested,N:.spec.n,ESC:.metadata.annotations.esc',
      'NESTED                             N         ESC\n' +
        'map[a:[map[b:<nil> c:1.25]] z:q]   [1 2 3]   x^[[31mred\\rz\n' +
        '<none>                             []        <none>\n' +
        '<none>                             <none>    <none>\n',
    ],
    [
      'NAME:.metadata.name,READY:.status.conditions[?(@.type=="Ready")].status,CPU:.spec.containers[*].resources.requests.cpu,MEM:.spec.containers[*].resources.requests.memory',
      'NAME            READY    CPU    MEM\na               True     250m   64Mi\nb-longer-name   <none>   1      1Gi\nc               <none>   100m   512Mi\n',
    ],
    [':.metadata.name', '\na\nb-longer-name\nc\n'],
    ['NAME:', 'NAME\n<none>\n<none>\n<none>\n'],
    ['A:.spec.containers[0].name:x', 'A\n<none>\n<none>\n<none>\n'],
    [
      'VERY_LONG_HEADER_NAME:.metadata.name,X:.status.phase',
      'VERY_LONG_HEADER_NAME   X\na                       Running\nb-longer-name           Pending\nc                       Running\n',
    ],
    ['A:.spec..name', 'A\nc\nc1,c2\nc\n'],
  ];
  it.each(cases)('renders %s', (spec, table) => {
    expect(renderCustomColumns(parseCustomColumns(spec), pods())).toBe(table);
  });

  it('leaves the header out with --no-headers', () => {
    const columns = parseCustomColumns('NAME:.metadata.name,IMAGES:.spec.containers[*].image');
    expect(renderCustomColumns(columns, pods(), { noHeaders: true })).toBe(
      'a               busybox:1.36\nb-longer-name   nginx,redis\nc               x\n',
    );
  });

  it('prints the header alone for an empty list, as kubectl get does', () => {
    expect(renderCustomColumns(parseCustomColumns('NAME:.metadata.name,X:.y'), [])).toBe('NAME   X\n');
  });
});

describe('custom-columns errors use kubectl words', () => {
  const cases: [spec: string, message: string][] = [
    ['NAME', 'unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>'],
    ['NAME:.metadata.name,', 'unexpected custom-columns spec: , expected <header>:<json-path-expr>'],
    ['', 'custom-columns format specified but no custom columns given'],
    ['A:{.a}{.b}', "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'"],
    ['A:.spec.n[', 'unterminated array'],
  ];
  it.each(cases)('refuses %j', (spec, message) => {
    expect(errorOf(() => parseCustomColumns(spec))).toBe(message);
  });

  it('reports a path that fails on an object in the template engine words', () => {
    expect(errorOf(() => renderCustomColumns(parseCustomColumns('A:.spec.n[5]'), pods()))).toBe(
      'array index out of bounds: index 5, length 3',
    );
  });
});

describe('custom-columns files', () => {
  it('read a line of headers and a line of paths, split on any whitespace', () => {
    const columns = parseCustomColumnsFile('NAME\tIMG\r\n{.metadata.name}\t.spec.containers[*].image\r\n');
    expect(renderCustomColumns(columns, pods())).toBe(
      'NAME            IMG\na               busybox:1.36\nb-longer-name   nginx,redis\nc               x\n',
    );
  });

  it('print maps the way Go formats them', () => {
    const columns = parseCustomColumnsFile('NAME   LABELS\n.metadata.name   {.metadata.labels}\n');
    expect(renderCustomColumns(columns, pods())).toBe(
      'NAME            LABELS\na               map[app:x app.kubernetes.io/name:web tier:<front&end>]\nb-longer-name   map[app:y]\nc               <none>\n',
    );
  });

  const broken: [file: string, message: string][] = [
    [
      '',
      'invalid template, missing header line. Expected format is one line of space separated headers, one line of space separated column specs.',
    ],
    [
      'NAME\n',
      'invalid template, missing spec line. Expected format is one line of space separated headers, one line of space separated column specs.',
    ],
    ['A B\n.metadata.name\n', "number of headers (2) and field specifications (1) don't match"],
  ];
  it.each(broken)('refuse the file %j', (file, message) => {
    expect(errorOf(() => parseCustomColumnsFile(file))).toBe(message);
  });
});
