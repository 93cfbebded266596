import * as https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { afterEach, describe, it, expect, vi } from 'vitest';
import { manualCluster } from '../support/cli';
import { ApiServer } from '../../src/serve/listener';
import { deriveClusterCA } from '../../src/auth/cluster-ca';
import { generateCertificates, type ClusterCertificates } from '../../src/serve/tls';
import { wallNow } from '../../src/clock/clock';
import { decodeProtobufBody } from '../../src/serve/protobuf';

/** A protobuf message's length-delimited fields by number (the last of each). */
function fields(bytes: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let at = 0;
  const varint = () => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++];
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
    }
  };
  while (at < bytes.length) {
    const key = varint();
    if ((key & 7) !== 2) throw new Error(`unexpected wire type ${key & 7}`);
    const length = varint();
    out.set(key >> 3, bytes.subarray(at, at + length));
    at += length;
  }
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- watch events are JSON of any kind
type WatchEvent = { type: string; object: Record<string, any> };

const servers: ApiServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

let certificates: ClusterCertificates | undefined;

async function served(
  intervals: { pollIntervalMs?: number; tickIntervalMs?: number; watchBufferBytes?: number; watchSlowMs?: number; speed?: number } = {},
) {
  const c = await manualCluster();
  certificates ??= await generateCertificates('127.0.0.1', wallNow(), deriveClusterCA('test-cluster', wallNow()));
  const server = new ApiServer({
    statePath: c.state,
    address: '127.0.0.1',
    port: 0,
    speed: 1,
    certificates,
    bookmarkIntervalMs: 100,
    pollIntervalMs: 50,
    ...intervals,
  });
  servers.push(server);
  await server.start();
  const tls = { ca: certificates.caCert, cert: certificates.clientCert, key: certificates.clientKey };
  const watch = (path: string, until: (events: WatchEvent[]) => boolean, headers: Record<string, string> = {}) =>
    new Promise<WatchEvent[]>((resolve, reject) => {
      const events: WatchEvent[] = [];
      const req = https.get(`${server.url}${path}`, { ...tls, headers }, (res) => {
        let buffer = '';
        res.on('data', (d) => {
          buffer += d;
          for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
            events.push(JSON.parse(buffer.slice(0, nl)) as WatchEvent);
            buffer = buffer.slice(nl + 1);
          }
          if (until(events)) {
            req.destroy();
            resolve(events);
          }
        });
        res.on('end', () => resolve(events));
      });
      req.on('error', reject);
    });
  /** one request with the admin's client certificate: the status and the JSON answered */
  const request = (method: string, path: string, body?: unknown) =>
    new Promise<{ status: number; json: WatchEvent['object'] }>((resolve, reject) => {
      const req = https.request(
        `${server.url}${path}`,
        { method, ...tls, headers: body === undefined ? {} : { 'content-type': 'application/json' } },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as WatchEvent['object'] }));
        },
      );
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  return { ...c, server, watch, request, tls };
}

describe('kubesim serve: watches over HTTPS', () => {
  it('starts with the current objects as ADDED, then streams changes made by kubesim commands on the file', async () => {
    const c = await served();
    await c.run('create', 'configmap', 'before');
    const events = c.watch('/api/v1/namespaces/default/configmaps?watch=true', (e) => e.some((x) => x.object.metadata?.name === 'after'));
    await new Promise((r) => setTimeout(r, 200));
    await c.run('create', 'configmap', 'after');
    await c.run('label', 'configmap', 'before', 'x=1');
    const seen = (await events).map((e) => `${e.type} ${e.object.metadata.name}`);
    expect(seen).toContain('ADDED before');
    expect(seen[seen.length - 1]).toBe('ADDED after');
  });

  it('sends bookmarks when asked, Tables when asked, and DELETED when an object leaves a field selector', async () => {
    const c = await served();
    await c.run('create', 'configmap', 'one');
    const list = c.watch('/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true', (e) =>
      e.some((x) => x.type === 'BOOKMARK'),
    );
    const bookmark = (await list).find((e) => e.type === 'BOOKMARK')!;
    expect(bookmark.object).toMatchObject({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { resourceVersion: expect.stringMatching(/^\d+$/) },
    });
    const tables = await c.watch(
      '/api/v1/namespaces/default/configmaps?watch=true&fieldSelector=metadata.name%3Done',
      (e) => e.length >= 1,
      {
        accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
      },
    );
    expect(tables[0]).toMatchObject({ type: 'ADDED', object: { kind: 'Table', apiVersion: 'meta.k8s.io/v1' } });
    expect(tables[0].object.rows[0].cells[0]).toBe('one');
    const rv = JSON.parse((await c.run('get', 'configmap', 'one', '-o', 'json')).stdout).metadata.resourceVersion;
    const leaving = c.watch(`/api/v1/namespaces/default/pods?watch=true&resourceVersion=${rv}&labelSelector=app%3Dweb`, (e) =>
      e.some((x) => x.type === 'DELETED'),
    );
    await new Promise((r) => setTimeout(r, 100));
    await c.run('run', 'web', '--image=nginx', '--labels=app=web');
    // the feed sees the file between polls: let it see the pod before it is relabelled
    await new Promise((r) => setTimeout(r, 400));
    await c.run('label', 'pod', 'web', 'app=other', '--overwrite');
    const types = (await leaving).map((e) => e.type);
    expect(types[0]).toBe('ADDED');
    expect(types[types.length - 1]).toBe('DELETED');
  });

  it("sends DELETED for a write that only removes objects, at a resourceVersion of its own (the server's DELETE, a CLI delete)", async () => {
    const c = await served();
    await c.run('create', 'configmap', 'a');
    await c.run('create', 'configmap', 'b');
    const b = JSON.parse((await c.run('get', 'configmap', 'b', '-o', 'json')).stdout);
    const bRv = Number(b.metadata.resourceVersion);
    const events = c.watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${bRv}`, (e) => e.length >= 2);
    await new Promise((r) => setTimeout(r, 200));
    // a deletion through the API: nothing else is written
    expect((await c.request('DELETE', '/api/v1/namespaces/default/configmaps/a')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    // and one by another process on the file, alone
    expect((await c.run('delete', 'configmap', 'b')).code).toBe(0);
    const seen = await events;
    expect(seen.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['DELETED a', 'DELETED b']);
    const rvs = seen.map((e) => Number(e.object.metadata.resourceVersion));
    expect(rvs[0]).toBeGreaterThan(bRv);
    expect(rvs[1]).toBeGreaterThan(rvs[0]);
    // a list after both is at the second deletion's resourceVersion, and a watch from there sees nothing old again
    const list = await c.request('GET', '/api/v1/namespaces/default/configmaps');
    expect(Number(list.json.metadata.resourceVersion)).toBe(rvs[1]);
    const again = await c.watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rvs[0]}`, (e) => e.length >= 1);
    expect(again.map((e) => `${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion}`)).toEqual([`DELETED b ${rvs[1]}`]);
  });

  it('streams protobuf watches to clients that ask for them: length-delimited WatchEvents holding k8s\\0 objects', async () => {
    const c = await served();
    await c.run('create', 'configmap', 'one', '--from-literal=a=1');
    const frames: { type: string; object: Record<string, unknown> }[] = [];
    const contentType = await new Promise<string>((resolve, reject) => {
      const req = https.get(
        `${c.server.url}/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true&fieldSelector=metadata.name%3Done`,
        {
          ca: certificates!.caCert,
          cert: certificates!.clientCert,
          key: certificates!.clientKey,
          headers: { accept: 'application/vnd.kubernetes.protobuf;stream=watch, application/json' },
        },
        (res) => {
          let buffer = Buffer.alloc(0);
          res.on('data', (d: Buffer) => {
            buffer = Buffer.concat([buffer, d]);
            while (buffer.length >= 4 && buffer.length >= 4 + buffer.readUInt32BE(0)) {
              const event = fields(buffer.subarray(4, 4 + buffer.readUInt32BE(0)));
              buffer = buffer.subarray(4 + buffer.readUInt32BE(0));
              // WatchEvent: type = 1, object = 2 (RawExtension: raw = 1, the object's whole protobuf body)
              const raw = fields(event.get(2)!).get(1)!;
              expect(raw.subarray(0, 4)).toEqual(Buffer.from('k8s\0', 'binary'));
              frames.push({ type: event.get(1)!.toString(), object: decodeProtobufBody(raw) as Record<string, unknown> });
            }
            if (frames.some((f) => f.type === 'BOOKMARK') && frames.some((f) => f.type === 'DELETED')) {
              req.destroy();
              resolve(String(res.headers['content-type']));
            }
          });
        },
      );
      req.on('error', reject);
      setTimeout(() => void c.run('delete', 'configmap', 'one'), 300);
    });
    expect(contentType).toBe('application/vnd.kubernetes.protobuf;stream=watch');
    const events = frames.filter((f) => f.type !== 'BOOKMARK');
    expect(events.map((f) => `${f.type} ${(f.object.metadata as { name: string }).name}`)).toEqual(['ADDED one', 'DELETED one']);
    expect(events[0].object).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1' } });
    expect(frames.find((f) => f.type === 'BOOKMARK')!.object).toMatchObject({
      kind: 'ConfigMap',
      metadata: { resourceVersion: expect.stringMatching(/^\d+$/) },
    });
  });

  it("checkpoints the WAL in a worker thread, not in a request's commit; commands on the file read the server's writes", async () => {
    const c = await served();
    // SQLite's automatic checkpoint is off on the server's connection
    expect(c.server.resident.autoCheckpoint()).toBe(0);
    const created = await c.request('POST', '/api/v1/namespaces/default/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'logged' },
    });
    expect(created.status).toBe(201);
    const done = await c.server.checkpointer!.next();
    expect(done.log).toBeGreaterThan(0);
    expect(done.checkpointed).toBe(done.log);
    expect((await c.run('get', 'configmap', 'logged', '-o', 'name')).stdout.trim()).toBe('configmap/logged');
  });

  it('closes a watch whose client stops reading once its unsent events stay over the bound; a watch that reads goes on', async () => {
    const c = await served({ watchBufferBytes: 256 * 1024, watchSlowMs: 300 });
    const path = '/api/v1/namespaces/default/configmaps?watch=true';
    // the stalled client takes the head, then reads nothing
    const stalled = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = https.get(`${c.server.url}${path}`, c.tls, (res) => {
        res.pause();
        resolve(res);
      });
      req.on('error', reject);
    });
    const reading = c.watch(path, (e) => e.some((x) => x.object.metadata?.name === 'big-19'));
    await vi.waitFor(() => expect(c.server.openWatches).toBe(2));
    // 20 ConfigMaps of 900 kB: more than loopback's socket buffers hold for the stalled client
    for (let i = 0; i < 20; i++) {
      const created = await c.request('POST', '/api/v1/namespaces/default/configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `big-${i}` },
        data: { blob: 'x'.repeat(900_000) },
      });
      expect(created.status).toBe(201);
    }
    const seen = (await reading)
      .filter((e) => e.type === 'ADDED' && e.object.metadata.name.startsWith('big-'))
      .map((e) => e.object.metadata.name);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => `big-${i}`));
    await vi.waitFor(() => expect(c.server.slowWatchesClosed).toBe(1), { timeout: 20_000, interval: 50 });
    // what the stalled client gets when it reads again: the stream cut short, never the last event
    let text = '';
    stalled.setEncoding('utf8');
    stalled.on('data', (d: string) => (text += d));
    stalled.resume();
    await new Promise((resolve) => stalled.once('close', resolve));
    expect(text).not.toContain('"name":"big-19"');
    expect(c.server.slowWatchesClosed).toBe(1);
  }, 60_000);

  it('streams each of two commands written between two polls of the file (the change log), not the last state only', async () => {
    // no poll and no tick while the commands run: only the server's own write below makes it look
    const c = await served({ pollIntervalMs: 3_600_000, tickIntervalMs: 3_600_000 });
    await c.run('create', 'configmap', 'cm');
    const rv = JSON.parse((await c.run('get', 'configmap', 'cm', '-o', 'json')).stdout).metadata.resourceVersion;
    const events = c.watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`, (e) =>
      e.some((x) => x.object.metadata?.name === 'trigger'),
    );
    await new Promise((r) => setTimeout(r, 200));
    await c.run('label', 'configmap', 'cm', 'step=1');
    await c.run('label', 'configmap', 'cm', 'step=2', '--overwrite');
    await c.run('delete', 'configmap', 'cm');
    // a write through the server: it polls the file after its own writes
    const trigger = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'trigger' } });
    await new Promise<void>((resolve, reject) => {
      const req = https.request(
        `${c.server.url}/api/v1/namespaces/default/configmaps`,
        {
          method: 'POST',
          ca: certificates!.caCert,
          cert: certificates!.clientCert,
          key: certificates!.clientKey,
          headers: { 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve());
        },
      );
      req.on('error', reject);
      req.end(trigger);
    });
    const seen = (await events).map((e) => `${e.type} ${e.object.metadata.name} ${e.object.metadata.labels?.step ?? '-'}`);
    expect(seen).toEqual(['MODIFIED cm 1', 'MODIFIED cm 2', 'DELETED cm 2', 'ADDED trigger -']);
    const rvs = (await events).map((e) => Number(e.object.metadata.resourceVersion));
    expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
  });
  it("sends every write of an object, each resourceVersion in order: a Job's pod created, bound, run, completed and deleted", async () => {
    // a tick moves virtual time by minutes: the pod's whole life (and the TTL controller's deletion) falls in one or two of them
    const c = await served({ speed: 2000, tickIntervalMs: 200 });
    const rv = (await c.request('GET', '/api/v1/namespaces/default/pods')).json.metadata.resourceVersion;
    const events = c.watch(`/api/v1/namespaces/default/pods?watch=true&resourceVersion=${rv}&labelSelector=job-name%3Done`, (e) =>
      e.some((x) => x.type === 'DELETED'),
    );
    await new Promise((r) => setTimeout(r, 100));
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'one' },
      spec: {
        ttlSecondsAfterFinished: 0,
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
      },
    };
    expect((await c.request('POST', '/apis/batch/v1/namespaces/default/jobs', job)).status).toBe(201);
    const seen = await events;
    const steps = seen.map((e) => `${e.type} ${e.object.spec.nodeName ? 'bound' : 'unbound'} ${e.object.status?.phase ?? '-'}`);
    // the pod as the Job controller created it, then each of its writes (not the state a poll found)
    expect(steps[0]).toBe('ADDED unbound Pending');
    expect(steps).toContain('MODIFIED bound Pending');
    expect(steps).toContain('MODIFIED bound Running');
    expect(steps).toContain('MODIFIED bound Succeeded');
    expect(steps[steps.length - 1]).toBe('DELETED bound Succeeded');
    const rvs = seen.map((e) => Number(e.object.metadata.resourceVersion));
    expect(new Set(rvs).size).toBe(rvs.length);
    expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
    // as many events as the CLI's own watch shows for the same pod's writes: one per write, each after the last
    expect(steps.filter((x) => x.startsWith('MODIFIED')).length).toBeGreaterThanOrEqual(4);
  });
});
