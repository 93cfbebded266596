import { describe, expect, it } from 'vitest';
import type { KObject } from '../../src/model/objects';
import { internPodStrings, mapPodParts } from '../../src/store/intern';
import { specFromTemplate, type SpecTemplate } from '../../src/store/object-store';
import { RowShapes, rowShape } from '../../src/store/row-shapes';

// the tables a state file reads: shared values and templates by id
const shared = new Map<number, unknown>([
  [1, { app: 'web' }],
  [2, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'rs-uid', controller: true }]],
  [3, [{ type: 'PodScheduled', status: 'True' }]],
  [4, { waiting: { reason: 'ContainerCreating' } }],
  [5, { app: 'api' }],
]);
const base = { containers: [{ name: 'app', image: 'nginx:1' }], nodeName: 'from-template', restartPolicy: 'Always' };
const other = { containers: [{ name: 'api', image: 'api:2' }] };
const templates = new Map<number, SpecTemplate>([
  [7, { text: JSON.stringify(base), base, keys: Object.keys(base), id: 7 }],
  [8, { text: JSON.stringify(other), base: other, keys: Object.keys(other), id: 8 }],
]);

/** StateFile.rowObject's general read: JSON.parse, then the shared parts, strings and spec. */
function general(text: string): KObject {
  const obj = JSON.parse(text) as KObject;
  if (obj.kind !== 'Pod') return obj;
  mapPodParts(
    obj,
    (v) => {
      const id = (v as { $shared?: unknown }).$shared;
      return typeof id === 'number' && !Array.isArray(v) ? shared.get(id) : v;
    },
    true,
  );
  internPodStrings(obj);
  const ref = obj.spec as { $template?: number; nodeName?: string } | undefined;
  if (ref?.$template !== undefined) obj.spec = specFromTemplate(templates.get(ref.$template)!, ref.nodeName);
  return obj;
}

function row(
  i: number,
  over: { phase?: string; node?: string | null; extra?: Record<string, string>; rs?: boolean; restarts?: number } = {},
): string {
  const ip = `10.244.${i % 7}.${i}`;
  const host = `172.18.0.${i % 3}`;
  const spec: Record<string, unknown> = { $template: over.rs ? 8 : 7 };
  if (over.node !== null) spec.nodeName = over.node ?? `node-${i % 3}`;
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `web-1-abcde-${String(i).padStart(5, '0')}`,
      generateName: over.rs ? 'api-2-xyz-' : 'web-1-abcde-',
      namespace: 'default',
      labels: { $shared: over.rs ? 5 : 1 },
      ownerReferences: { $shared: 2 },
      uid: `0000000${i}-7a18-4ad0-9e12-1e01ea4f6a50`,
      creationTimestamp: '2025-01-01T00:00:00Z',
      resourceVersion: String(1000 + i),
      ...(over.extra ? { annotations: over.extra } : {}),
    },
    spec,
    status: {
      phase: over.phase ?? 'Pending',
      qosClass: 'Burstable',
      conditions: { $shared: 3 },
      startTime: '2025-01-01T00:00:00Z',
      hostIP: host,
      hostIPs: [{ ip: host }],
      podIP: ip,
      podIPs: [{ ip }],
      containerStatuses: [
        {
          name: 'app',
          image: 'nginx:1',
          imageID: '',
          ready: false,
          restartCount: over.restarts ?? 0,
          started: false,
          state: { $shared: 4 },
          lastState: {},
        },
      ],
    },
  });
}

/** Reads as StateFile.rowObject does: by a shape when one serves, else the general way (learnt). */
function reader(): { read(text: string): { obj: KObject; shaped: boolean } } {
  const shapes = new RowShapes();
  return {
    read(text) {
      const hit = shapes.read(text, shared, templates);
      if (hit) {
        // the template's id, for the store's template marks
        expect(hit.templateId).toBe((JSON.parse(text) as { spec: { $template: number } }).spec.$template);
        return { obj: hit.obj, shaped: true };
      }
      const obj = general(text);
      if (obj.kind === 'Pod') shapes.learn(text);
      return { obj, shaped: false };
    },
  };
}

function expectSame(got: KObject, want: KObject): void {
  expect(JSON.stringify(got)).toBe(JSON.stringify(want));
  expect(got).toEqual(want);
  // the shared parts and the template's values are the tables' own, the rest the pod's own
  expect(got.metadata.labels).toBe(want.metadata.labels);
  expect(got.metadata.ownerReferences).toBe(want.metadata.ownerReferences);
  const [gs, ws] = [got.status as Record<string, unknown>, want.status as Record<string, unknown>];
  expect(gs.conditions).toBe(ws.conditions);
  const [gc, wc] = [(gs.containerStatuses as Record<string, unknown>[])[0], (ws.containerStatuses as Record<string, unknown>[])[0]];
  expect(gc.state).toBe(wc.state);
  expect(gc.lastState).not.toBe(wc.lastState);
  expect((got.spec as Record<string, unknown>).containers).toBe((want.spec as Record<string, unknown>).containers);
}

describe('pod rows read by their shape (row-shapes.ts)', () => {
  it('reads the rows of one ReplicaSet as the general read does, keys in the same order', () => {
    const r = reader();
    const first = r.read(row(0));
    expect(first.shaped).toBe(false);
    for (let i = 1; i < 40; i++) {
      const got = r.read(row(i));
      expect(got.shaped).toBe(true);
      expectSame(got.obj, general(row(i)));
      // the template's nodeName is in its place, the pod's value in it
      expect(Object.keys(got.obj.spec as object)).toEqual(['containers', 'nodeName', 'restartPolicy']);
    }
    // a value that was the same so far varies: still read by the shape
    const running = r.read(row(41, { phase: 'Running' }));
    expect(running.shaped).toBe(true);
    expectSame(running.obj, general(row(41, { phase: 'Running' })));
    expectSame(r.read(row(42)).obj, general(row(42)));
    // another structure (no nodeName, an annotation): learnt, then read by its own shape
    for (const over of [{ node: null }, { extra: { a: 'b' } }]) {
      expect(r.read(row(50, over)).shaped).toBe(false);
      const again = r.read(row(51, over));
      expect(again.shaped).toBe(true);
      expectSame(again.obj, general(row(51, over)));
    }
    // the first shape is still kept
    expect(r.read(row(60)).shaped).toBe(true);
    // another ReplicaSet's pods (other shared values and template, other strings): the same
    // shape from the first, its ids and counts taken as values
    for (let i = 70; i < 75; i++)
      for (const over of [{ rs: true }, { rs: true, restarts: i }]) {
        const got = r.read(row(i, over));
        expect(got.shaped).toBe(true);
        expectSame(got.obj, general(row(i, over)));
      }
    expectSame(r.read(row(76)).obj, general(row(76)));
  });

  it('leaves to the general read what it does not read the same way', () => {
    const r = reader();
    r.read(row(0));
    // an escape in a string
    expect(r.read(row(1, { phase: 'Pend"ing' })).shaped).toBe(false);
    // a missing shared value or template: the general read reports it
    const shapes = new RowShapes();
    shapes.learn(row(0));
    expect(shapes.read(row(1), new Map(), templates)).toBeUndefined();
    expect(shapes.read(row(1), shared, new Map())).toBeUndefined();
    expect(shapes.read(row(1), shared, templates)).toBeDefined();
    // texts no shape is made of: not as JSON.stringify writes them, __proto__, a key twice,
    // not a pod, a template reference that is not a number
    expect(rowShape(row(0).replace('"phase":', '"phase": '))).toBeUndefined();
    expect(rowShape(row(0).replace('"generateName":', '"__proto__":'))).toBeUndefined();
    expect(rowShape(row(0).replace('"generateName":', '"name":'))).toBeUndefined();
    expect(rowShape(row(0).replace('"kind":"Pod"', '"kind":"Node"'))).toBeUndefined();
    expect(rowShape(row(0).replace('"$template":7', '"$template":"7"'))).toBeUndefined();
    expect(rowShape(row(0))).toBeDefined();
  });

  it('does not take another kind for a pod', () => {
    const r = reader();
    r.read(row(0));
    const node = row(1).replace('"kind":"Pod"', '"kind":"Nod"');
    expect(r.read(node).shaped).toBe(false);
    expect(r.read(node).obj.spec).toEqual({ $template: 7, nodeName: 'node-1' });
  });
});
