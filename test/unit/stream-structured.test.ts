import { describe, expect, it } from 'vitest';
import { formatStructured, streamStructured } from '../../src/printers/output';
import type { KObject } from '../../src/model/objects';

/** ConfigMaps whose YAML has the layouts an item's indentation could break: block scalars, blank lines, flow `{}`/`[]`. */
function configMaps(): KObject[] {
  const cm = (name: string, data: Record<string, string>, extra: Record<string, unknown> = {}) =>
    ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name,
        namespace: 'default',
        labels: {},
        managedFields: [{ manager: 'kubectl', operation: 'Update' }],
      },
      data,
      ...extra,
    }) as unknown as KObject;
  return [
    cm('a', { k: 'x\n\ny\n', j: ' lead\nz', blank: '  \n', keep: 'x\n\n', q: "it's", n: '1234', e: '' }),
    cm('b', { t: 'a\tb', nested: '- x' }, { binaryData: {}, immutable: false }),
    // a top-level key the YAML library quotes only outside a sequence
    cm('c', {}, { list: [[], [{ a: 'p\n\nq' }]] }),
    // top-level keys the YAML library quotes only outside a sequence
    cm('d', {}, { '---x': '%y', '...': 'x\n---\n' }),
  ];
}

/** What the stream wrote, and what it had read when it wrote each piece. */
function stream(
  objects: KObject[],
  output: string,
  opts = {},
): { text: string; writes: { text: string; read: number }[]; handled: boolean } {
  let read = 0;
  const source = (function* () {
    for (const o of objects) {
      read++;
      yield o;
    }
  })();
  const writes: { text: string; read: number }[] = [];
  const handled = streamStructured(source, output, opts, (text) => writes.push({ text, read }));
  return { text: writes.map((w) => w.text).join(''), writes, handled };
}

describe('streamStructured (get -o yaml|json|name of a list, item by item)', () => {
  for (const output of ['yaml', 'json', 'name', 'custom-columns=NAME:.metadata.name,DATA:.data', 'jsonpath={.items[*].data}'])
    it(`writes -o ${output} byte for byte as formatStructured writes the whole List`, () => {
      for (const objects of [configMaps(), configMaps().slice(0, 1), []]) {
        const { text, handled } = stream(objects, output);
        expect(handled).toBe(true);
        expect(text).toBe(formatStructured(objects, output));
      }
    });

  it('writes each item once it is read, before the next is read, in order', () => {
    const objects = configMaps();
    for (const output of ['yaml', 'json', 'name']) {
      const { writes } = stream(objects, output);
      const items = writes.filter((w) => w.text.includes('ConfigMap') || w.text.startsWith('configmap/'));
      expect(items.map((w) => w.read)).toEqual([1, 2, 3, 4]);
      expect(items.map((w) => /name: (\w)\n|"name": "(\w)"|configmap\/(\w)/.exec(w.text)!.slice(1).join(''))).toEqual(['a', 'b', 'c', 'd']);
    }
  });

  it('lays the List out as kubectl v1.32 prints it: items between apiVersion and kind, `- ` and two spaces, `,` between JSON items', () => {
    const two = configMaps().slice(1, 3);
    expect(stream(two, 'yaml').text).toBe(
      'apiVersion: v1\nitems:\n' +
        '- apiVersion: v1\n  binaryData: {}\n  data:\n    nested: \'- x\'\n    t: "a\\tb"\n  immutable: false\n  kind: ConfigMap\n  metadata:\n    labels: {}\n    name: b\n    namespace: default\n' +
        '- apiVersion: v1\n  data: {}\n  kind: ConfigMap\n  list:\n  - []\n  - - a: |-\n        p\n\n        q\n  metadata:\n    labels: {}\n    name: c\n    namespace: default\n' +
        'kind: List\nmetadata:\n  resourceVersion: ""\n',
    );
    const json = stream(two, 'json').text;
    expect(json.startsWith('{\n    "apiVersion": "v1",\n    "items": [\n        {\n            "apiVersion": "v1",\n')).toBe(true);
    expect(json).toContain('\n        },\n        {\n            "apiVersion": "v1",\n');
    expect(json.endsWith('\n        }\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n')).toBe(
      true,
    );
  });

  it('prints an empty list as kubectl does, and nothing for -o name', () => {
    expect(stream([], 'yaml').text).toBe('apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n');
    expect(stream([], 'json').text).toBe(
      '{\n    "apiVersion": "v1",\n    "items": [],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n',
    );
    expect(stream([], 'name').text).toBe('');
  });

  it('drops managedFields unless --show-managed-fields', () => {
    expect(stream(configMaps(), 'yaml').text).not.toContain('managedFields');
    expect(stream(configMaps(), 'json', { showManagedFields: true }).text).toContain('"managedFields"');
  });

  it('leaves the table formats to the table printer, writing nothing', () => {
    for (const output of [undefined, 'wide'])
      expect(stream(configMaps(), output as unknown as string)).toEqual({ text: '', writes: [], handled: false });
  });
});
