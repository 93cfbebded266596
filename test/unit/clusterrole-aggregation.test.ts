import { describe, expect, it } from 'vitest';
import { ObjectStore } from '../../src/store/object-store';
import type { KObject } from '../../src/model/objects';
import { aggregatedRules, clusterRoleAggregationController } from '../../src/controllers/clusterrole-aggregation';
import { Random } from '../../src/util/random';

const role = (name: string, labels: Record<string, string>, rules: unknown[], aggregate?: string): KObject =>
  ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels },
    rules,
    ...(aggregate ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [aggregate]: 'true' } }] } } : {}),
  }) as unknown as KObject;

const read = { apiGroups: [''], resources: ['pods'], verbs: ['get'] };
const write = { apiGroups: [''], resources: ['pods'], verbs: ['create'] };

describe('clusterrole aggregation', () => {
  it('takes the matching roles in name order, each rule once, and not its own', () => {
    const store = new ObjectStore();
    const agg = role('agg', { x: 'true' }, [{ apiGroups: ['stale'], resources: ['x'], verbs: ['get'] }], 'x');
    for (const r of [
      agg,
      role('b', { x: 'true' }, [write, read]),
      role('a', { x: 'true' }, [read]),
      role('c', {}, [{ ...read, verbs: ['list'] }]),
    ])
      store.put(r);
    expect(aggregatedRules(store, agg)).toEqual([read, write]);
  });

  it('writes only when the rules differ (running twice changes nothing)', () => {
    const store = new ObjectStore();
    const agg = role('agg', {}, [], 'x');
    store.put(agg);
    store.put(role('a', { x: 'true' }, [read]));
    const ctx = { store, now: 0, random: Random.fromSeed(1) };
    const first = clusterRoleAggregationController.reconcile!(agg as never, ctx);
    expect(first.map((a) => a.type)).toEqual(['update', 'quiet']);
    const updated = (first[0] as { object: KObject }).object;
    expect(clusterRoleAggregationController.reconcile!(updated as never, ctx).map((a) => a.type)).toEqual(['quiet']);
  });
});
