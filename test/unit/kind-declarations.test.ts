import { describe, it, expect } from 'vitest';
import { allKinds, declareKind, kindInfo, registerKind } from '../../src/api/registry';

describe('kind declarations (api/kinds/index.ts)', () => {
  it("have each built-in kind's module register under the declared name (loading every module)", () => {
    // reading a module field loads the module; a module registering under another name (or none)
    // leaves its declaration pending, and the read throws
    const unregistered = allKinds()
      .filter((k) => !k.crd)
      .filter((k) => {
        try {
          return !Array.isArray(k.columns);
        } catch {
          return true;
        }
      })
      .map((k) => k.kind);
    expect(unregistered).toEqual([]);
  });

  it("load a declared kind's module when a field only the module has is read; its names come from the declaration", () => {
    let loads = 0;
    const meta = {
      kind: 'Gadget',
      group: 'example.com',
      version: 'v1',
      plural: 'gadgets',
      singular: 'gadget',
      shortNames: ['gd'],
      namespaced: true,
    };
    const declared = declareKind(meta, () => {
      loads++;
      registerKind('Gadget', { columns: [{ header: 'NAME', value: (o) => o.metadata.name }] });
    });
    expect(kindInfo('Gadget')).toBe(declared);
    expect(loads).toBe(0);
    expect(declared.columns.map((c) => c.header)).toEqual(['NAME']);
    expect(declared.validate).toBeUndefined();
    expect(loads).toBe(1);
    expect({ plural: declared.plural, shortNames: declared.shortNames, namespaced: declared.namespaced }).toEqual({
      plural: 'gadgets',
      shortNames: ['gd'],
      namespaced: true,
    });
  });

  it('refuse a module that registers a kind nobody declared, or registers one twice, and a module that registers another name', () => {
    expect(() => registerKind('Doohickey', { columns: [] })).toThrow('kind Doohickey is registered but not declared in api/kinds/index.ts');
    declareKind(meta('Sprocket'), () => undefined);
    registerKind('Sprocket', { columns: [] });
    expect(() => registerKind('Sprocket', { columns: [] })).toThrow('kind Sprocket is registered twice');
    const widget = declareKind({ ...meta('Widget'), namespaced: false }, () => {
      registerKind('Gizmo', { columns: [] });
    });
    declareKind(meta('Gizmo'), () => undefined);
    expect(() => widget.columns).toThrow('loading the module of Widget did not register it');
    expect(() => declareKind(meta('Widget'), () => undefined)).toThrow('kind Widget is declared twice');
  });
});

function meta(kind: string) {
  const lower = kind.toLowerCase();
  return { kind, group: 'example.com', version: 'v1', plural: `${lower}s`, singular: lower, shortNames: [], namespaced: true };
}
