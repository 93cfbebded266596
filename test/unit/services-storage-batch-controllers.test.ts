import { describe, it, expect } from 'vitest';
import { ObjectStore } from '../../src/store/object-store';
import { Engine } from '../../src/engine/engine';
import { allControllers } from '../../src/engine/controllers';
import { createObject } from '../../src/api/server';
import { Random } from '../../src/util/random';
import { defaultClusterObjects, DEFAULT_SHAPE } from '../../src/sim/cluster-shape';
import { MANUAL_CLOCK_EPOCH } from '../../src/clock/clock';
import type { KObject } from '../../src/model/objects';
import { findMatchingVolume } from '../../src/controllers/pv-binder';
import { formatIndexes, parseIndexes } from '../../src/controllers/job';
import { routeIngress, resolveName } from '../../src/sim/service-routing';
import type { PersistentVolume, PersistentVolumeClaim } from '../../src/model/kinds';

function cluster() {
  const store = new ObjectStore();
  const random = Random.fromSeed(1);
  const engine = new Engine(store, random, allControllers(), MANUAL_CLOCK_EPOCH);
  const api = () => ({ store, random, now: engine.now });
  for (const o of defaultClusterObjects(DEFAULT_SHAPE, MANUAL_CLOCK_EPOCH)) createObject(api(), o, { trusted: true });
  return { store, engine, create: (o: KObject) => createObject(api(), o) };
}

const objects: KObject[] = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 8080 }] }] },
      },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  },
  {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  },
  {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'tick', namespace: 'default' },
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: {
        spec: {
          template: {
            metadata: { annotations: { 'sim.kubesim.io/run-seconds': '30' } },
            spec: { nodeName: 'node-2', restartPolicy: 'Never', containers: [{ name: 't', image: 'busybox:1.36' }] },
          },
        },
      },
    },
  },
  { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'shop', namespace: 'default' },
    spec: {
      ingressClassName: 'nginx',
      rules: [
        {
          host: 'shop.example.com',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] },
        },
      ],
    },
  },
];

describe('Service, storage and batch controllers', () => {
  it('settle to quiescence at every wake-up: a second pass writes nothing', () => {
    const { store, engine, create } = cluster();
    for (const o of objects) create(o);
    engine.settle();
    for (let i = 0; i < 40 && engine.pendingWakeup() !== undefined; i++) {
      engine.step(engine.now + 3600_000);
      const writes = store.writeCount;
      engine.settle();
      expect(store.writeCount).toBe(writes);
    }
    expect(store.count('Job')).toBeGreaterThan(0);
    expect(store.get('PersistentVolumeClaim', 'default', 'data')!.status?.phase).toBe('Bound');
    expect(store.get('Service', 'default', 'web')!.status?.loadBalancer?.ingress?.[0].ip).toBe('172.18.255.200');
  });

  it('prefers the smallest fitting volume and a volume pre-bound to the claim', () => {
    const claim: PersistentVolumeClaim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'c', namespace: 'default', uid: 'u1' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: '' },
    };
    const pv = (name: string, size: string, extra: Partial<PersistentVolume['spec']> = {}): PersistentVolume => ({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name },
      spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], ...extra },
      status: { phase: 'Available' },
    });
    expect(findMatchingVolume(claim, [pv('big', '5Gi'), pv('fit', '1Gi'), pv('small', '512Mi')])!.metadata.name).toBe('fit');
    expect(
      findMatchingVolume(claim, [pv('fit', '1Gi'), pv('mine', '5Gi', { claimRef: { name: 'c', namespace: 'default' } })])!.metadata.name,
    ).toBe('mine');
    expect(
      findMatchingVolume(claim, [pv('rwx', '1Gi', { accessModes: ['ReadWriteMany'] }), pv('classy', '1Gi', { storageClassName: 'fast' })]),
    ).toBeUndefined();
  });

  it('writes completed indexes as ranges: three or more as a-b, two as a,b (orderedIntervals.String)', () => {
    expect(formatIndexes(new Set([0, 1, 2, 4, 6, 7]))).toBe('0-2,4,6,7');
    expect([...parseIndexes('0-2,4,6-9', 8)]).toEqual([0, 1, 2, 4, 6, 7]);
    expect([...parseIndexes('0-2,4')]).toEqual([0, 1, 2, 4]);
  });

  it('routes the longest Prefix path by path element and prefers an Exact match', () => {
    const store = new ObjectStore();
    store.put({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'nginx' },
      spec: { controller: 'k8s.io/ingress-nginx' },
    });
    const backend = (name: string) => ({ service: { name, port: { number: 80 } } });
    store.put({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'i', namespace: 'default' },
      spec: {
        ingressClassName: 'nginx',
        rules: [
          {
            host: 'a.example.com',
            http: {
              paths: [
                { path: '/', pathType: 'Prefix', backend: backend('root') },
                { path: '/api/', pathType: 'Prefix', backend: backend('api') },
                { path: '/api', pathType: 'Exact', backend: backend('exact') },
              ],
            },
          },
          { host: '*.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('wild') }] } },
        ],
      },
    });
    const to = (host: string, path: string) => routeIngress(store, host, path)?.backend.service?.name;
    expect(to('a.example.com', '/api')).toBe('exact');
    expect(to('a.example.com', '/api/v1')).toBe('api');
    expect(to('a.example.com', '/apix')).toBe('root');
    expect(to('b.example.com', '/x')).toBe('wild');
    expect(to('c.d.example.com', '/x')).toBeUndefined();
    store.put({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'catch-all', namespace: 'default' },
      spec: { ingressClassName: 'nginx', defaultBackend: backend('fallback') },
    });
    expect(to('c.d.example.com', '/x')).toBe('fallback');
    expect(to('a.example.com', '/api/v2')).toBe('api');
    expect(resolveName(store, 'nothing', 'default')).toEqual({ type: 'NXDOMAIN', name: 'nothing' });
  });
});
