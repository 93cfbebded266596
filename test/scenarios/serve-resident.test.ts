import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';
import { ApiRouter } from '../../src/serve/router';
import { routerCall } from '../support/api-router';
import { ResidentSession } from '../../src/engine/resident-session';
import { createObject } from '../../src/api/server';

// kubesim serve keeps the cluster loaded between requests and writes through; kubesim commands
// on the same file are noticed (SQLite's data_version) and only then is the file loaded again
async function served() {
  const c = await manualCluster();
  const resident = new ResidentSession(c.state);
  const router = new ApiRouter({ statePath: c.state, sessions: resident });
  const call = (method: string, url: string, body?: unknown, type?: string) => routerCall(router, method, url, { body, type });
  return { ...c, resident, call };
}

const CM = '/api/v1/namespaces/default/configmaps';
const labelPatch = (value: string) => ({ metadata: { labels: { n: value } } });

describe('kubesim serve keeps the cluster loaded', () => {
  it('writes through without loading the file again, and loads it again only after a kubesim command wrote it', async () => {
    const c = await served();
    expect(c.call('POST', CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }).status).toBe(201);
    const loads = c.resident.loads;
    const versions: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = c.call('PATCH', `${CM}/a`, labelPatch(String(i)), 'application/merge-patch+json');
      expect(res.status).toBe(200);
      versions.push(Number(res.json().metadata.resourceVersion));
    }
    expect(c.resident.loads).toBe(loads);
    // each write is in the file as it is answered
    expect((await c.run('get', 'cm', 'a', '-o', 'jsonpath={.metadata.labels.n} {.metadata.resourceVersion}')).stdout).toBe(
      `4 ${versions[4]}`,
    );
    // a command's write is seen by the next request, and resourceVersions go on from it
    expect((await c.run('label', 'cm', 'a', 'cli=yes')).code).toBe(0);
    const got = c.call('GET', `${CM}/a`).json();
    expect(c.resident.loads).toBe(loads + 1);
    expect(got.metadata.labels).toEqual({ n: '4', cli: 'yes' });
    expect(Number(got.metadata.resourceVersion)).toBeGreaterThan(versions[4]);
    const after = c.call('PATCH', `${CM}/a`, labelPatch('5'), 'application/merge-patch+json').json();
    expect(after.metadata.labels).toEqual({ n: '5', cli: 'yes' });
    expect(Number(after.metadata.resourceVersion)).toBeGreaterThan(Number(got.metadata.resourceVersion));
    expect(c.resident.loads).toBe(loads + 1);
    expect((await c.run('get', 'cm', 'a', '-o', 'jsonpath={.metadata.labels}')).stdout).toBe('{"cli":"yes","n":"5"}');
  });

  it('forgets what a dry run or a refused write changed in memory: the file and the answers stay as they were', async () => {
    const c = await served();
    expect(c.call('POST', CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept' } }).status).toBe(201);
    const dry = c.call('POST', `${CM}?dryRun=All`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' } });
    expect(dry.status).toBe(201);
    expect(c.call('GET', `${CM}/dry`).status).toBe(404);
    expect(c.call('PATCH', `${CM}/kept?dryRun=All`, labelPatch('dry'), 'application/merge-patch+json').status).toBe(200);
    expect(c.call('GET', `${CM}/kept`).json().metadata.labels).toBeUndefined();
    // a deployment dry run creates nothing (its ReplicaSet would only exist in the rolled-back memory)
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
      },
    };
    expect(c.call('POST', '/apis/apps/v1/namespaces/default/deployments?dryRun=All', deployment).status).toBe(201);
    expect(c.call('GET', '/apis/apps/v1/namespaces/default/replicasets').json().items).toEqual([]);
    expect(c.call('GET', '/api/v1/namespaces/default/pods').json().items).toEqual([]);
    // refused: already exists, then invalid
    expect(c.call('POST', CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept' } }).status).toBe(409);
    expect(c.call('POST', CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } }).status).toBe(422);
    expect(
      c
        .call('GET', CM)
        .json()
        .items.map((o: { metadata: { name: string } }) => o.metadata.name),
    ).toEqual(['kept', 'kube-root-ca.crt']);
    expect((await c.run('get', 'cm', '-o', 'name')).stdout).toBe('configmap/kept\nconfigmap/kube-root-ca.crt\n');
    // the real one: the controllers' work is written with it
    expect(c.call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment).status).toBe(201);
    expect(c.call('GET', '/api/v1/namespaces/default/pods').json().items).toHaveLength(2);
    expect((await c.run('get', 'pods', '-o', 'name')).stdout.trim().split('\n')).toHaveLength(2);
  });

  it('drops the memory of a request that wrote and then failed (its transaction rolled back)', async () => {
    const c = await served();
    const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });
    expect(() =>
      c.resident.run((s) => {
        createObject(s.api, configMap('half'));
        throw new Error('failed after a write');
      }),
    ).toThrow('failed after a write');
    expect(c.call('GET', `${CM}/half`).status).toBe(404);
    expect(c.resident.run((s) => s.store.get('ConfigMap', 'default', 'half'))).toBeUndefined();
    const dry = c.resident.run((s) => createObject(s.api, configMap('dry')).metadata.name, { dryRun: true });
    expect(dry).toBe('dry');
    expect(c.call('GET', `${CM}/dry`).status).toBe(404);
  });
});
