import { describe, expect, it } from 'vitest';
import { ObjectStore } from '../../src/store/object-store';
import { gatewayClassController, gatewayController, httpRouteController } from '../../src/controllers/gateway';
import { Random } from '../../src/util/random';
import type { Action } from '../../src/reconcile/actions';
import type { KObject } from '../../src/model/objects';

const meta = (name: string, namespace?: string) => ({ name, ...(namespace ? { namespace } : {}), uid: `uid-${name}`, generation: 1 });

function updated(actions: Action[]): KObject {
  const u = actions.find((a) => a.type === 'update');
  if (!u || u.type !== 'update') throw new Error('expected an update');
  return u.object;
}

describe('kubesim.io/gateway controller', () => {
  const store = new ObjectStore();
  const ctx = { store, now: Date.parse('2025-01-01T00:00:00Z'), random: Random.fromSeed(1) };
  store.put({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GatewayClass',
    metadata: meta('kubesim'),
    spec: { controllerName: 'kubesim.io/gateway' },
  });
  store.put({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GatewayClass',
    metadata: meta('other'),
    spec: { controllerName: 'example.com/gw' },
  });

  it("accepts its own GatewayClasses, leaves others' alone, and a second run changes nothing", () => {
    const cls = updated(gatewayClassController.reconcile!(store.get('GatewayClass', undefined, 'kubesim')!, ctx));
    expect(cls.status).toEqual({
      conditions: [
        {
          type: 'Accepted',
          status: 'True',
          reason: 'Accepted',
          message: 'Valid GatewayClass',
          observedGeneration: 1,
          lastTransitionTime: '2025-01-01T00:00:00Z',
        },
        expect.objectContaining({ type: 'SupportedVersion', status: 'True' }),
      ],
    });
    store.put(cls);
    expect(gatewayClassController.reconcile!(cls, { ...ctx, now: ctx.now + 60_000 })).toEqual([]);
    expect(gatewayClassController.reconcile!(store.get('GatewayClass', undefined, 'other')!, ctx)).toEqual([]);
  });

  it('programs a Gateway once, keeps its address and transition times, and flags an unsupported listener', () => {
    store.put({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: meta('edge', 'default'),
      spec: {
        gatewayClassName: 'kubesim',
        listeners: [
          { name: 'http', protocol: 'HTTP', port: 80 },
          { name: 'tcp', protocol: 'TCP', port: 5432 },
        ],
      },
    });
    const gw = updated(gatewayController.reconcile!(store.get('Gateway', 'default', 'edge')!, ctx)) as KObject<
      unknown,
      {
        addresses: { value: string }[];
        conditions: { type: string; status: string; reason: string }[];
        listeners: { name: string; conditions: { type: string; reason: string }[] }[];
      }
    >;
    expect(gw.status?.addresses).toEqual([{ type: 'IPAddress', value: '172.18.255.200' }]);
    expect(gw.status?.conditions.map((c) => `${c.type}=${c.status}/${c.reason}`)).toEqual([
      'Accepted=True/ListenersNotValid',
      'Programmed=True/Programmed',
    ]);
    expect(gw.status?.listeners[1].conditions.find((c) => c.type === 'Accepted')?.reason).toBe('UnsupportedProtocol');
    store.put(gw);
    expect(gatewayController.reconcile!(gw, { ...ctx, now: ctx.now + 60_000 })).toEqual([]);
  });

  it('writes route parent status for its Gateways only, and a second run changes nothing', () => {
    store.put({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: meta('r', 'default'),
      spec: { parentRefs: [{ name: 'edge' }, { name: 'elsewhere' }], rules: [{ backendRefs: [{ name: 'missing', port: 80 }] }] },
    });
    const route = updated(httpRouteController.reconcile!(store.get('HTTPRoute', 'default', 'r')!, ctx)) as KObject<
      unknown,
      { parents: { parentRef: { name: string }; conditions: { type: string; reason: string }[] }[] }
    >;
    expect(route.status?.parents.map((p) => [p.parentRef.name, ...p.conditions.map((c) => `${c.type}/${c.reason}`)])).toEqual([
      ['edge', 'Accepted/Accepted', 'ResolvedRefs/BackendNotFound'],
    ]);
    store.put(route);
    expect(httpRouteController.reconcile!(route, ctx)).toEqual([]);
  });
});
