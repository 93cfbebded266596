import { describe, expect, it } from 'vitest';
import { createObject, updateObject, type ApiContext } from '../../src/api/server';
import { ObjectStore } from '../../src/store/object-store';
import { Random } from '../../src/util/random';
import { clone, type KObject } from '../../src/model/objects';
import { podFromTemplate } from '../../src/controllers/pod-control';
import { asKind } from '../support/kinds';

// A controller's pods of one template take the first pod's admitted spec (src/api/template-pods.ts)
// while admission would do the same to each; anything admission reads that changes ends it.

function cluster(): { ctx: ApiContext; rs: KObject } {
  const ctx: ApiContext = { store: new ObjectStore(), now: Date.parse('2024-01-01T00:00:00Z'), random: Random.fromSeed(1) };
  createObject(ctx, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as KObject, { trusted: true });
  const rs = createObject(
    ctx,
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '100m' } } }] },
        },
      },
    } as KObject,
    {},
  );
  return { ctx, rs };
}

/** A pod as the ReplicaSet controller creates it: the template's spec object itself. */
function stamp(ctx: ApiContext, rs: KObject): KObject {
  const set = asKind(rs, 'ReplicaSet');
  return createObject(ctx, podFromTemplate(rs, set.spec.template!, { specAsIs: true }), { trusted: true });
}

/** What a create without the memo stores: the same input through the whole chain (the spec copied, so no memo matches). */
function unmemoised(ctx: ApiContext, rs: KObject): KObject {
  const set = asKind(rs, 'ReplicaSet');
  return createObject(ctx, podFromTemplate(rs, clone(set.spec.template!)), { trusted: true });
}

const text = (pod: KObject) => {
  const { name: _n, uid: _u, resourceVersion: _r, ...meta } = pod.metadata;
  return JSON.stringify({ ...pod, metadata: meta });
};

describe('pods of one template', () => {
  it('after the first share its admitted spec and are stored as the chain would store them', () => {
    const { ctx, rs } = cluster();
    const first = stamp(ctx, rs);
    const second = stamp(ctx, rs);
    expect(second.spec).toBe(first.spec);
    expect(second.metadata.labels).toBe(first.metadata.labels);
    // the status is the pod's own object (the kubelet keys its memo on it)
    expect(second.status).not.toBe(first.status);
    expect(second.status).toEqual({ phase: 'Pending', qosClass: 'Burstable' });
    expect(text(second)).toBe(text(unmemoised(ctx, rs)));
    // admitted as the chain admits: the token volume, default tolerations, priority
    expect(JSON.stringify(second.spec)).toContain('kube-api-access-');
    expect(asKind(second, 'Pod').spec.tolerations).toHaveLength(2);
    expect(asKind(second, 'Pod').spec.priority).toBe(0);
  });

  it('runs the chain again once a kind admission reads was written: a LimitRange annotates and defaults the next pods', () => {
    const { ctx, rs } = cluster();
    const first = stamp(ctx, rs);
    createObject(
      ctx,
      {
        apiVersion: 'v1',
        kind: 'LimitRange',
        metadata: { name: 'limits', namespace: 'default' },
        spec: { limits: [{ type: 'Container', default: { memory: '256Mi' } }] },
      } as KObject,
      {},
    );
    const next = stamp(ctx, rs);
    expect(next.spec).not.toBe(first.spec);
    expect(next.metadata.annotations?.['kubernetes.io/limit-ranger']).toContain('memory limit');
    expect(asKind(next, 'Pod').spec.containers[0].resources?.limits).toEqual({ memory: '256Mi' });
    // with a LimitRange each pod goes through the chain: each gets the annotation
    const after = stamp(ctx, rs);
    expect(after.metadata.annotations?.['kubernetes.io/limit-ranger']).toContain('memory limit');
  });

  it('follows the service account: turning its automount off ends the token volume for the next pods', () => {
    const { ctx, rs } = cluster();
    createObject(ctx, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'default' } } as KObject, {});
    expect(JSON.stringify(stamp(ctx, rs).spec)).toContain('kube-api-access-');
    expect(JSON.stringify(stamp(ctx, rs).spec)).toContain('kube-api-access-');
    const account = ctx.store.get('ServiceAccount', 'default', 'default')!;
    updateObject(ctx, { ...account, automountServiceAccountToken: false } as KObject, {});
    expect(JSON.stringify(stamp(ctx, rs).spec)).not.toContain('kube-api-access-');
  });

  it('refuses each pod over a ResourceQuota: a quota keeps every create in the chain', () => {
    const { ctx, rs } = cluster();
    createObject(
      ctx,
      {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: 'q', namespace: 'default' },
        spec: { hard: { 'requests.cpu': '250m' } },
        status: { hard: { 'requests.cpu': '250m' }, used: {} },
      } as KObject,
      {},
    );
    stamp(ctx, rs);
    stamp(ctx, rs);
    expect(() => stamp(ctx, rs)).toThrow(/exceeded quota: q/);
  });
});
