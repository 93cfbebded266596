import { describe, it, expect } from 'vitest';
import { allKinds, declareKind, isDeclared, kindInfo, registerKind } from '../../src/api/registry';

describe('kind declarations (api/kinds/index.ts)', () => {
  it('declare every built-in kind a module registers, as the module has it (the set-up loaded them all)', () => {
    expect(
      allKinds()
        .filter((k) => !k.crd && !isDeclared(k))
        .map((k) => k.kind),
    ).toEqual([]);
  });

  it("load a declared kind's module when a field only the module has is read, and refuse a declaration that differs", () => {
    let loads = 0;
    const meta = {
      kind: 'Gadget',
      group: 'example.com',
      version: 'v1',
      plural: 'gadgets',
      singular: 'gadget',
      shortNames: [],
      namespaced: true,
    };
    const declared = declareKind(meta, () => {
      loads++;
      registerKind({ ...meta, columns: [{ header: 'NAME', value: (o) => o.metadata.name }] });
    });
    expect(kindInfo('Gadget')).toBe(declared);
    expect(loads).toBe(0);
    expect(declared.columns.map((c) => c.header)).toEqual(['NAME']);
    expect(declared.validate).toBeUndefined();
    expect(loads).toBe(1);

    const wrong = { ...meta, kind: 'Widget', plural: 'widgets', singular: 'widget' };
    const widget = declareKind(wrong, () => registerKind({ ...wrong, namespaced: false, columns: [] }));
    expect(() => widget.columns).toThrow('kind Widget: declared namespaced true but its module has false');
  });
});
