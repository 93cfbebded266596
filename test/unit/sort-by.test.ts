import { describe, expect, it } from 'vitest';
import { sortByJsonPath } from '../../src/printers/sort-by';
import { errorOf } from '../support/errors';

// Expected orders were captured from kubectl v1.32 (`kubectl get pods --sort-by=… -o name`
// and the default table output) against an API server serving exactly these pods.
interface Pod {
  metadata: { name: string };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

function pod(name: string, spec: Record<string, unknown>, status: Record<string, unknown> = {}): Pod {
  return { metadata: { name }, spec, status };
}

const workloads: Pod[] = [
  pod(
    'a',
    { f: 1.5, containers: [{ name: 'c', resources: { requests: { cpu: '250m', memory: '64Mi' } } }] },
    { phase: 'Running', startTime: '2024-01-01T00:00:05Z' },
  ),
  pod(
    'b-longer-name',
    { containers: [{ name: 'c1', resources: { requests: { cpu: '1', memory: '1Gi' } } }, { name: 'c2' }] },
    { phase: 'Pending', startTime: '2024-01-01T00:00:01Z' },
  ),
  pod(
    'c',
    { containers: [{ name: 'c', resources: { requests: { cpu: '100m', memory: '512Mi' } } }] },
    { phase: 'Running', startTime: '2024-01-01T00:00:03Z' },
  ),
];

const mixed: Pod[] = [
  pod('p1', { replicas: 10, mem: '1Gi', s: '10', letter: 'b' }),
  pod('p2', { replicas: 9, mem: '1024Mi', s: '9', letter: 'a', flag: true }),
  pod('p3', { replicas: 100, mem: '1G', s: 'web-10', letter: 'c' }),
  pod('p4', { mem: '500Mi', s: '+', letter: 'B' }),
  pod('p5', { replicas: 9, s: 'web-9', letter: 'a' }),
];

// 20 pods whose phases tie: kubectl's sort.Sort is not stable, and this is where it puts them
const phases = ['Running', 'Pending', 'Failed'];
const ties: Pod[] = Array.from({ length: 20 }, (_, i) =>
  pod(`pod-${String(i).padStart(2, '0')}`, {}, i % 6 === 5 ? {} : { phase: phases[(i * 7) % 3] }),
);

function names(objects: unknown[]): string[] {
  return (objects as Pod[]).map((o) => o.metadata.name);
}

describe('--sort-by orders objects like kubectl', () => {
  const cases: [description: string, objects: Pod[], field: string, order: string[]][] = [
    ['names lexically', workloads, '.metadata.name', ['a', 'b-longer-name', 'c']],
    ['timestamps lexically', workloads, '.status.startTime', ['b-longer-name', 'c', 'a']],
    ['a path in braces', workloads, '{.status.startTime}', ['b-longer-name', 'c', 'a']],
    ['a path without the leading dot', workloads, 'status.startTime', ['b-longer-name', 'c', 'a']],
    ['CPU quantities by value', workloads, '.spec.containers[0].resources.requests.cpu', ['c', 'a', 'b-longer-name']],
    ['memory quantities by value', workloads, '.spec.containers[0].resources.requests.memory', ['a', 'c', 'b-longer-name']],
    ['the first of several values', workloads, '.spec.containers[*].name', ['a', 'c', 'b-longer-name']],
    ['floats, with objects missing the field first', workloads, '.spec.f', ['c', 'b-longer-name', 'a']],
    ['integers numerically', mixed, '.spec.replicas', ['p4', 'p2', 'p5', 'p1', 'p3']],
    ['equal quantities in different units as ties', mixed, '.spec.mem', ['p5', 'p4', 'p3', 'p1', 'p2']],
    ['numeric strings as quantities and the rest lexically', mixed, '.spec.s', ['p4', 'p2', 'p1', 'p3', 'p5']],
    ['upper case before lower case', mixed, '.spec.letter', ['p4', 'p2', 'p5', 'p1', 'p3']],
    ['objects missing the field first, in reverse order', mixed, '.spec.flag', ['p5', 'p4', 'p3', 'p1', 'p2']],
    [
      'ties where Go sort.Sort leaves them',
      ties,
      '.status.phase',
      [
        'pod-05',
        'pod-11',
        'pod-17',
        'pod-08',
        'pod-02',
        'pod-14',
        'pod-10',
        'pod-16',
        'pod-19',
        'pod-01',
        'pod-07',
        'pod-04',
        'pod-13',
        'pod-12',
        'pod-03',
        'pod-15',
        'pod-00',
        'pod-09',
        'pod-18',
        'pod-06',
      ],
    ],
  ];

  it.each(cases)('sorts %s', (_description, objects, field, order) => {
    expect(names(sortByJsonPath(objects, field))).toEqual(order);
    expect(names(sortByJsonPath(objects, field, { table: true }))).toEqual(order);
  });

  it('leaves the input array alone', () => {
    const input = [...workloads];
    sortByJsonPath(input, '.status.startTime');
    expect(names(input)).toEqual(['a', 'b-longer-name', 'c']);
  });
});

describe('--sort-by with a path no object has', () => {
  it('fails for -o name, json and the other list outputs', () => {
    expect(errorOf(() => sortByJsonPath(workloads, '.zz')).message).toBe(
      `couldn't find any field with path "{.zz}" in the list of objects`,
    );
  });

  it('yields no objects for the table output, where kubectl says "No resources found"', () => {
    expect(sortByJsonPath(workloads, '.zz', { table: true })).toEqual([]);
  });

  it('is not checked for a table of one row, which kubectl does not sort', () => {
    expect(names(sortByJsonPath([workloads[0]], '.zz', { table: true }))).toEqual(['a']);
  });

  it('is not checked for an empty list', () => {
    expect(sortByJsonPath([], '.zz')).toEqual([]);
  });
});

describe('--sort-by errors use kubectl words', () => {
  const cases: [field: string, message: string][] = [
    ['{.a}{.b}', "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'"],
    ['{.items[}', 'unterminated array'],
    [
      '.spec.containers',
      'Field {.spec.containers} in *unstructured.Unstructured is an unsortable type: interface, err: unsortable type: []interface {}',
    ],
  ];
  it.each(cases)('refuses %s', (field, message) => {
    expect(errorOf(() => sortByJsonPath(workloads, field)).message).toBe(message);
  });

  it('names the table in the unsortable-type message of the table output', () => {
    expect(errorOf(() => sortByJsonPath(workloads, '.spec.containers[0].resources', { table: true })).message).toBe(
      'Field {.spec.containers[0].resources} in [][][]reflect.Value is an unsortable type: interface, err: unsortable type: map[string]interface {}',
    );
  });
});
