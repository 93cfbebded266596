import { describe, expect, it } from 'vitest';
import { ObjectStore } from '../../src/store/object-store';
import { isKind, type ClusterRole } from '../../src/model/kinds';
import type { PolicyRule } from '../../src/model/k8s';
import { aggregatedRules, clusterRoleAggregationController } from '../../src/controllers/clusterrole-aggregation';
import { Random } from '../../src/util/random';

const role = (name: string, labels: Record<string, string>, rules: PolicyRule[], aggregate?: string): ClusterRole => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name, labels },
  rules,
  ...(aggregate ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [aggregate]: 'true' } }] } } : {}),
});

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
    const first = clusterRoleAggregationController.reconcile!(agg, ctx);
    expect(first.map((a) => a.type)).toEqual(['update', 'quiet']);
    const action = first[0];
    if (action.type !== 'update' || !isKind(action.object, 'ClusterRole'))
      throw new Error(`expected a ClusterRole update, got ${action.type}`);
    expect(clusterRoleAggregationController.reconcile!(action.object, ctx).map((a) => a.type)).toEqual(['quiet']);
  });
});
