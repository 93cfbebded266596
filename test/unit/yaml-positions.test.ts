import { describe, it, expect } from 'vitest';
import { objectLocators } from '../../src/util/yaml-positions';

describe('objectLocators', () => {
  const text = [
    'apiVersion: v1', // 1
    'kind: Service',
    'metadata:',
    '  name: web',
    '  namespace: shop', // 5
    'spec:',
    '  ports:',
    '  - name: http',
    '    port: 80',
    '---', // 10
    '# comments only',
    '---',
    'apiVersion: v1',
    'kind: List',
    'items:', // 15
    '- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}',
    '- apiVersion: v1',
    '  kind: ConfigMap',
    '  metadata: {name: b}',
    '',
  ].join('\n');

  it('gives one locator per object in file order, a List’s items as objects, with kind, name and namespace', () => {
    const locators = objectLocators(text);
    expect(locators.map((l) => [l.kind, l.name, l.namespace])).toEqual([
      ['Service', 'web', 'shop'],
      ['ConfigMap', 'a', undefined],
      ['ConfigMap', 'b', undefined],
    ]);
  });

  it('places a path at its key, a list item at its first field, and a missing field at the deepest one that is there', () => {
    const [svc, a, b] = objectLocators(text);
    expect(svc.locate(['spec', 'ports', 0, 'port'])).toEqual({ line: 9, column: 5 });
    expect(svc.locate(['spec', 'ports', 0])).toEqual({ line: 8, column: 5 });
    expect(svc.locate(['spec', 'ports', 3, 'port'])).toEqual({ line: 7, column: 3 });
    expect(svc.locate(['spec', 'selector'])).toEqual({ line: 6, column: 1 });
    expect(svc.locate([])).toEqual({ line: 1, column: 1 });
    expect(a.locate(['metadata', 'name'])).toEqual({ line: 16, column: 48 });
    expect(b.locate(['metadata'])).toEqual({ line: 19, column: 3 });
  });

  it('reads JSON, and gives nothing for a document it cannot read', () => {
    const [obj] = objectLocators('{\n  "kind": "Pod",\n  "metadata": {"name": "p"}\n}\n');
    expect([obj.kind, obj.name, obj.locate(['metadata', 'name'])]).toEqual(['Pod', 'p', { line: 3, column: 16 }]);
    expect(objectLocators('- just\n- a list\n')).toEqual([]);
  });
});
