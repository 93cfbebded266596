import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { afterEach, describe, it, expect } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { kubesim, tempCluster } from '../support/cli';

/**
 * `kubesim serve` driven by @kubernetes/client-node 1.1.2 (the library whose models our OpenAPI
 * schemas come from): typed list/create/patch/read, a Watch and an informer, with the written
 * kubeconfig loaded as a program would load it. The serve change feed polls the state file, so
 * waits are bounded waits on events, never sleeps.
 */
const bin = path.resolve(__dirname, '../../bin/kubesim');

const running: ChildProcess[] = [];
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanups.splice(0)) f();
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

async function serve() {
  const t = tempCluster('kubesim-client-node-');
  const kubeconfig = path.join(t.dir, 'kubeconfig');
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--kubeconfig', kubeconfig], {
    env: { ...process.env, KUBESIM_STATE: t.state },
  });
  running.push(child);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve();
    });
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  return { ...t, kc, cli: (...args: string[]) => kubesim(t.state, args, { cwd: t.dir }) };
}

/** Resolves when `check` is true after some event; rejects after `ms` (a bound, not a timing assertion). */
function waitFor(what: string, ms: number, subscribe: (poke: () => void) => void, check: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    const poke = () => {
      if (check()) {
        clearTimeout(timer);
        resolve();
      }
    };
    subscribe(poke);
    poke();
  });
}

/** `promise`, or a rejection after `ms` (a bound, not a timing assertion). */
function bounded<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)));
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

const deployment = (name: string): k8s.V1Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: name } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } },
  },
});

describe('kubesim serve driven by @kubernetes/client-node', () => {
  it('lists nodes and pods, creates a Deployment, patches it (JSON, merge, strategic merge) and reads it back', async () => {
    const s = await serve();
    const core = s.kc.makeApiClient(k8s.CoreV1Api);
    const apps = s.kc.makeApiClient(k8s.AppsV1Api);

    const nodes = await core.listNode();
    expect(nodes.items.length).toBeGreaterThan(0);
    expect(nodes.items[0].metadata?.name).toBeTruthy();
    expect(nodes.metadata?.resourceVersion).toMatch(/^\d+$/);

    const created = await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('web') });
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.spec?.strategy?.type).toBe('RollingUpdate');

    const pods = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' });
    expect(pods.items.map((p) => p.metadata?.ownerReferences?.[0]?.kind)).toEqual(['ReplicaSet']);

    // client-node 1.x sends application/json-patch+json unless told otherwise (getPreferredMediaType).
    const jsonPatched = await apps.patchNamespacedDeployment({
      name: 'web',
      namespace: 'default',
      body: [{ op: 'replace', path: '/spec/replicas', value: 2 }],
    });
    expect(jsonPatched.spec?.replicas).toBe(2);

    const merged = await apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'default', body: { metadata: { labels: { tier: 'front' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(merged.metadata?.labels).toEqual({ app: 'web', tier: 'front' });

    // A strategic merge patch merges containers by name; a merge patch would replace the list.
    const strategic = await apps.patchNamespacedDeployment(
      {
        name: 'web',
        namespace: 'default',
        body: { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox:1.36' }] } } } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    expect(strategic.spec?.template.spec?.containers.map((c) => c.name)).toEqual(['sidecar', 'app']);

    const read = await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    expect(read.spec?.replicas).toBe(2);
    expect(read.metadata?.labels?.tier).toBe('front');
    expect(read.spec?.template.spec?.containers.map((c) => c.name)).toEqual(['sidecar', 'app']);
    expect(read.metadata?.generation).toBe(3);

    // An error comes back as an ApiException carrying the API's Status.
    const missing = await apps.readNamespacedDeployment({ name: 'nope', namespace: 'default' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(k8s.ApiException);
    expect((missing as k8s.ApiException<string>).code).toBe(404);
    expect(JSON.parse((missing as k8s.ApiException<string>).body)).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'deployments.apps "nope" not found',
    });
  });

  it('a Watch on pods sees ADDED and MODIFIED events', async () => {
    const s = await serve();
    const core = s.kc.makeApiClient(k8s.CoreV1Api);
    const events: string[] = [];
    let poke = () => {};
    let ended: unknown;
    const watch = new k8s.Watch(s.kc);
    // client-node resolves watch() once the response head arrives: the server must flush it before any event
    const controller = await bounded(
      'the watch response head',
      20_000,
      watch.watch(
        '/api/v1/namespaces/default/pods',
        {},
        (type: string, obj: k8s.V1Pod) => {
          events.push(`${type} ${obj.metadata?.name} ${obj.metadata?.labels?.stage ?? '-'}`);
          poke();
        },
        (err: unknown) => {
          ended = err;
          poke();
        },
      ),
    );
    cleanups.push(() => controller.abort());
    await core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: 'p1' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    });
    await waitFor(
      'ADDED p1',
      20_000,
      (p) => (poke = p),
      () => events.some((e) => e.startsWith('ADDED p1')) || ended !== undefined,
    );
    await core.patchNamespacedPod(
      { name: 'p1', namespace: 'default', body: { metadata: { labels: { stage: 'two' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await waitFor(
      'MODIFIED p1 two',
      20_000,
      (p) => (poke = p),
      () => events.includes('MODIFIED p1 two') || ended !== undefined,
    );
    expect(ended).toBeUndefined();
    expect(events[0]).toBe('ADDED p1 -');
    expect(events).toContain('MODIFIED p1 two');
  });

  it('an informer on pods sees a pod the kubesim CLI creates on the same state file', async () => {
    const s = await serve();
    const core = s.kc.makeApiClient(k8s.CoreV1Api);
    const informer = k8s.makeInformer(s.kc, '/api/v1/namespaces/default/pods', () => core.listNamespacedPod({ namespace: 'default' }));
    const added: string[] = [];
    const errors: unknown[] = [];
    let poke = () => {};
    informer.on(k8s.ADD, (pod: k8s.V1Pod) => {
      added.push(pod.metadata!.name!);
      poke();
    });
    informer.on(k8s.ERROR, (err: unknown) => {
      errors.push(err);
      poke();
    });
    await bounded('the informer to list and start watching', 20_000, informer.start());
    cleanups.push(() => void informer.stop());
    const r = await s.cli('run', 'from-cli', '--image=nginx');
    expect(r.stderr).toBe('');
    await waitFor(
      'the informer to see from-cli',
      20_000,
      (p) => (poke = p),
      () => added.includes('from-cli') || errors.length > 0,
    );
    expect(errors).toEqual([]);
    expect(added).toEqual(['from-cli']);
    // makeInformer's informer is a ListWatch, which is also the object cache
    expect(informer).toBeInstanceOf(k8s.ListWatch);
    expect((informer as k8s.ListWatch<k8s.V1Pod>).list('default').map((p) => p.metadata?.name)).toEqual(['from-cli']);
  });
});
