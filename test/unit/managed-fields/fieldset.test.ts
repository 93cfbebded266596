import { describe, it, expect } from 'vitest';
import { FieldSet, pathString } from '../../../src/api/managed-fields/fieldset';
import { compare, createdFieldsV1, toFieldSet } from '../../../src/api/managed-fields/typed';
import { typeRefFor } from '../../../src/api/managed-fields/managed-fields';
import { kindInfoOrThrow } from '../../../src/api/registry';
import '../../../src/api/kinds/index';

const deployment = () => typeRefFor(kindInfoOrThrow('Deployment'));

describe('FieldSet FieldsV1 encoding', () => {
  it('marks a member that has children with "." and sorts keys', () => {
    const s = FieldSet.of([
      ['f:metadata', 'f:labels', 'f:app'],
      ['f:spec', 'f:containers', 'k:{"name":"web"}'],
      ['f:spec', 'f:containers', 'k:{"name":"web"}', 'f:image'],
      ['f:metadata', 'f:finalizers', 'v:"x"'],
    ]);
    expect(s.toFieldsV1()).toEqual({
      'f:metadata': { 'f:finalizers': { 'v:"x"': {} }, 'f:labels': { 'f:app': {} } },
      'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {} } } },
    });
    expect(JSON.stringify(s.toFieldsV1()['f:spec'])).toBe('{"f:containers":{"k:{\\"name\\":\\"web\\"}":{".":{},"f:image":{}}}}');
  });

  it('reads FieldsV1 back into the same set', () => {
    const s = FieldSet.of([['f:a'], ['f:a', 'f:b'], ['f:c', 'k:{"port":80,"protocol":"TCP"}']]);
    expect(FieldSet.fromFieldsV1(s.toFieldsV1()).equals(s)).toBe(true);
    expect(FieldSet.fromFieldsV1({ 'f:a': { 'f:b': {} } }).list()).toEqual([['f:a', 'f:b']]);
  });

  it('prints paths as conflict messages do', () => {
    expect(pathString(['f:spec', 'f:replicas'])).toBe('.spec.replicas');
    expect(pathString(['f:spec', 'f:containers', 'k:{"name":"web"}', 'f:image'])).toBe('.spec.containers[name="web"].image');
    expect(pathString(['f:ports', 'k:{"containerPort":80,"protocol":"TCP"}'])).toBe('.ports[containerPort=80,protocol="TCP"]');
    expect(pathString(['f:metadata', 'f:finalizers', 'v:"a"'])).toBe('.metadata.finalizers[="a"]');
  });
});

describe('field sets of objects through their schema', () => {
  it('keys containers by name and ports by containerPort and the defaulted protocol; selector is atomic', () => {
    const set = toFieldSet(
      {
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: { spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], args: ['a'] }] } },
        },
      },
      deployment(),
    );
    expect(set.toFieldsV1()).toEqual({
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': {
          'f:spec': {
            'f:containers': {
              'k:{"name":"web"}': {
                '.': {},
                'f:args': {},
                'f:image': {},
                'f:name': {},
                'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
              },
            },
          },
        },
      },
    });
  });

  it('map entries are members; struct fields only when empty', () => {
    const set = toFieldSet({ metadata: { labels: { app: 'web' }, annotations: {} } }, deployment());
    expect(set.list()).toEqual([
      ['f:metadata', 'f:annotations'],
      ['f:metadata', 'f:labels', 'f:app'],
    ]);
  });

  it('compares: a map added from nothing is itself added, a changed leaf is modified, a dropped one removed', () => {
    const c = compare(
      { metadata: {}, spec: { replicas: 1, paused: true } },
      { metadata: { labels: { a: 'b' } }, spec: { replicas: 2 } },
      deployment(),
    );
    expect(c.added.list()).toEqual([
      ['f:metadata', 'f:labels'],
      ['f:metadata', 'f:labels', 'f:a'],
    ]);
    expect(c.modified.list()).toEqual([['f:spec', 'f:replicas']]);
    expect(c.removed.list()).toEqual([['f:spec', 'f:paused']]);
  });
});

describe("a create's field set", () => {
  const stripped = [
    ['f:apiVersion'],
    ['f:kind'],
    ['f:status'],
    ...['name', 'namespace', 'uid', 'creationTimestamp', 'resourceVersion', 'generation'].map((f) => ['f:metadata', `f:${f}`]),
  ];
  const objects: [string, Record<string, unknown>][] = [
    [
      'Deployment',
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'default', uid: 'u', labels: { app: 'web' } },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'web' } },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } },
          template: {
            metadata: { creationTimestamp: null, labels: { app: 'web' } },
            spec: {
              containers: [{ name: 'c', image: 'i', resources: {}, ports: [{ containerPort: 80, protocol: 'TCP' }] }],
              securityContext: {},
            },
          },
        },
        status: { replicas: 1 },
      },
    ],
    [
      'Service',
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 's', finalizers: ['a'] },
        spec: { ports: [{ port: 80 }], selector: { app: 'web' } },
      },
    ],
    ['ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', annotations: {} }, data: { a: '1' } }],
  ];
  it.each(objects)('%s: the direct FieldsV1 equals the general comparison against the zero value', (kind, obj) => {
    const ref = typeRefFor(kindInfoOrThrow(kind));
    const c = compare({}, obj, ref);
    const general = c.added.union(c.modified).withoutPrefixes(stripped).toFieldsV1();
    const direct = createdFieldsV1(obj, ref, (names) =>
      names.length === 1
        ? ['apiVersion', 'kind', 'status'].includes(names[0])
        : names.length === 2 &&
          names[0] === 'metadata' &&
          ['name', 'namespace', 'uid', 'creationTimestamp', 'resourceVersion', 'generation'].includes(names[1]),
    );
    expect(JSON.stringify(direct)).toBe(JSON.stringify(general));
    expect(Object.keys(direct).length).toBeGreaterThan(0);
  });
});
