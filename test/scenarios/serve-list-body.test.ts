import * as path from 'node:path';
import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';
import { deploymentYaml } from '../support/manifests';
import { Session } from '../../src/engine/session';
import { servedObject } from '../../src/api/registry';
import { servedKinds } from '../../src/serve/discovery';
import { ApiRouter, type ApiRequest } from '../../src/serve/router';
import { routerCall } from '../support/api-router';
import { ResidentSession } from '../../src/engine/resident-session';
import { ServedJson, moveTimestampsInJson } from '../../src/serve/served-json';
import { listBody, tableBody } from '../../src/serve/list-body';
import { shiftedNow, shiftTimestamps, table, type IncludeObject } from '../../src/serve/wire';
import type { KObject } from '../../src/model/objects';

// kubesim serve writes a LIST's JSON straight from the stored objects, piece by piece
// (served-json.ts, list-body.ts): the text must be what JSON.stringify made of the moved copies

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
/** offsets of wall from virtual time: none, under a second (not moved), and both ways */
const OFFSETS = [0, 400, 1_765_000_123_456, -86_400_500];

const joined = (pieces: Iterator<string>) => {
  let text = '';
  for (let next = pieces.next(); !next.done; next = pieces.next()) text += next.value;
  return text;
};

describe('kubesim serve: LIST bodies written from the stored objects', () => {
  it('writes any value as JSON.stringify writes its moved copy: escaped quotes, keys, fractions, undefined, shared parts', () => {
    const shared = { lastTransitionTime: '2025-01-01T00:00:03Z', reason: 'x' };
    const tricky = {
      kind: 'Thing',
      metadata: { creationTimestamp: '2025-01-01T00:00:00Z', labels: { '2025-01-01T00:00:00Z': '2025-01-01T00:00:00Z' } },
      spec: {
        quoted: '"2025-01-01T00:00:00Z',
        escaped: 'say \\"2025-01-01T00:00:00Z"',
        slashes: 'a\\\\',
        after: '2025-01-01T00:00:00Z',
        micro: '2025-01-01T00:00:00.123456Z',
        notADate: '2025-13-41T99:00:00Z',
        inText: 'at 2025-01-01T00:00:00Z',
        nested: { deep: { deeper: ['2025-01-01T00:00:00Z', undefined, Number.NaN, null, true, 1.5, { a: undefined }] } },
        gone: undefined,
        conditions: [shared, shared],
      },
      status: { conditions: [shared], keyed: { '"2025-01-01T00:00:00Z': '2025-06-01T12:00:00Z' } },
    };
    const isShared = (v: object) => v === shared || v === tricky.status.conditions;
    const json = new ServedJson();
    for (const offset of OFFSETS) {
      const expected = JSON.stringify(shiftTimestamps(tricky, offset));
      expect(moveTimestampsInJson(JSON.stringify(tricky), offset)).toBe(expected);
      expect(json.text(tricky, offset, { isShared, templateOf: { get: () => undefined } })).toBe(expected);
      // twice: the shared parts' text from the first
      expect(json.text(tricky, offset, { isShared, templateOf: { get: () => undefined } })).toBe(expected);
    }
    expect(JSON.stringify(shiftTimestamps(tricky, 3_600_000))).toContain('"after":"2025-01-01T01:00:00Z"');
  });

  it('lists and tabulates every kind of a cluster as the moved copies were written, in Tables with each includeObject', async () => {
    const c = await manualCluster(['--nodes', '3']);
    const crds = path.resolve(__dirname, '../../fixtures/crds');
    expect((await c.run('apply', '-f', path.join(crds, 'certificate-crd.yaml'))).code).toBe(0);
    c.file(
      'm.yaml',
      `${deploymentYaml({ replicas: 4 })}---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: site}
spec:
  secretName: site-tls
  issuerRef: {name: ca}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: tick}
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: c, image: busybox, command: [sh, -c, "sleep 5"]}]
`,
    );
    const applied = await c.run('apply', '-f', 'm.yaml');
    expect(applied.stderr).toBe('');
    expect((await c.run('clock', 'advance', '3m')).code).toBe(0);
    expect((await c.run('scale', 'deployment/web', '--replicas=6')).code).toBe(0);
    await Session.run({ statePath: c.state }, (s) => {
      const json = new ServedJson();
      let pods = 0;
      for (const info of servedKinds()) {
        if (info.verbs && !info.verbs.includes('list')) continue;
        const objects = s.list(info.kind);
        if (info.kind === 'Pod') pods = objects.length;
        for (const offset of OFFSETS) {
          const ctx = { info, version: info.version, now: s.now, offset, store: s.store, json };
          const moved = objects.map((o) => shiftTimestamps(servedObject(info, o, { now: s.now, store: s.store }), offset) as KObject);
          const head = { kind: `${info.kind}List`, apiVersion: 'v', metadata: { resourceVersion: '7' } };
          expect(joined(listBody(head, objects, ctx)), `${info.kind} at ${offset}`).toBe(JSON.stringify({ ...head, items: moved }));
          for (const include of ['Metadata', 'Object', 'None'] as IncludeObject[]) {
            const opts = { include, resourceVersion: '7', continueToken: 'abc', remaining: 2 };
            const old = table(info, moved, { now: shiftedNow(s.now, offset), store: s.store }, opts);
            expect(joined(tableBody(objects, ctx, opts)), `${info.kind} Table at ${offset}`).toBe(JSON.stringify(old));
          }
        }
      }
      expect(pods).toBe(6 + s.list('Pod').filter((p) => p.metadata.labels?.app !== 'web').length);
      expect(s.list('Certificate')).toHaveLength(1);
      expect(s.list('Job').length).toBeGreaterThan(0);
    });
  });

  it('streams a LIST bigger than a piece through the router as the same text as the whole', async () => {
    const c = await manualCluster(['--nodes', '3']);
    c.file('m.yaml', deploymentYaml({ replicas: 150 }));
    expect((await c.run('apply', '-f', 'm.yaml')).code).toBe(0);
    const call = (router: ApiRouter, url: string, accept = 'application/json') => {
      const req: ApiRequest = { method: 'GET', url, headers: { accept }, identity: { kind: 'admin' } };
      return router.handle(req);
    };
    const resident = new ResidentSession(c.state);
    const streaming = new ApiRouter({ statePath: c.state, sessions: resident, pieces: true, wireOffset: () => 1_765_000_000_000 });
    const whole = new ApiRouter({ statePath: c.state, sessions: resident, wireOffset: () => 1_765_000_000_000 });
    for (const [url, accept] of [
      ['/api/v1/pods', 'application/json'],
      ['/api/v1/namespaces/default/pods?limit=120', 'application/json'],
      ['/api/v1/pods', TABLE],
    ]) {
      const a = call(streaming, url, accept);
      const b = call(whole, url, accept);
      expect(a.pieces, url).toBeDefined();
      expect(a.body).toBe('');
      expect(b.pieces).toBeUndefined();
      expect(a.headers).toEqual(b.headers);
      const pieces: string[] = [];
      for (let next = a.pieces!.next(); !next.done; next = a.pieces!.next()) pieces.push(next.value);
      expect(pieces.join('')).toBe(b.body);
      if (accept === 'application/json' && !url.includes('limit')) expect(pieces.length).toBeGreaterThan(1);
    }
    const list = JSON.parse(call(whole, '/api/v1/namespaces/default/pods?limit=120').body) as { items: unknown[] };
    expect(list.items).toHaveLength(120);
    resident.close();
  });

  it('serves the pages after the first from the snapshot the first was cut from, while it is kept, as etcd serves a continued LIST', async () => {
    const c = await manualCluster();
    const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
    const router = new ApiRouter({ statePath: c.state, sessions: new ResidentSession(c.state) });
    const call = (method: string, url: string, body?: unknown) => routerCall(router, method, url, { body });
    const CMS = '/api/v1/namespaces/default/configmaps';
    for (const name of ['a', 'b', 'c', 'e']) expect(call('POST', CMS, cm(name)).status).toBe(201);
    const names = (body: string) => (JSON.parse(body) as { items: KObject[] }).items.map((o) => o.metadata.name);
    const page1 = JSON.parse(call('GET', `${CMS}?limit=2`).body) as {
      items: KObject[];
      metadata: { continue: string; resourceVersion: string };
    };
    expect(page1.items.map((o) => o.metadata.name)).toEqual(['a', 'b']);
    // written after the first page: c goes, d comes, e changes
    expect(call('DELETE', `${CMS}/c`).status).toBe(200);
    expect(call('POST', CMS, cm('d')).status).toBe(201);
    const patched = routerCall(router, 'PATCH', `${CMS}/e`, { body: { data: { x: '1' } }, type: 'application/merge-patch+json' });
    expect(patched.status).toBe(200);
    const next = `${CMS}?limit=2&continue=${encodeURIComponent(page1.metadata.continue)}`;
    const page2 = JSON.parse(call('GET', next).body) as { items: KObject[]; metadata: { resourceVersion: string } };
    expect(page2.items.map((o) => o.metadata.name)).toEqual(['c', 'e']);
    expect(page2.items[1].data).toBeUndefined();
    expect(page2.metadata.resourceVersion).toBe(page1.metadata.resourceVersion);
    // once other LISTs have pushed the snapshot out, the pages come from the objects as they are
    for (const selector of ['a=1', 'a=2', 'a=3', 'a=4']) expect(call('GET', `${CMS}?labelSelector=${selector}`).status).toBe(200);
    expect(names(call('GET', next).body)).toEqual(['d', 'e']);
  });
});
