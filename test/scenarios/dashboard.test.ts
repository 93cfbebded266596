import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { afterEach, describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';
import { deploymentYaml } from '../support/manifests';
import { ApiServer } from '../../src/serve/listener';
import { deriveClusterCA } from '../../src/auth/cluster-ca';
import { generateCertificates, type ClusterCertificates } from '../../src/serve/tls';
import { wallNow } from '../../src/clock/clock';
import type { ReportModel } from '../../src/model/report';

const servers: ApiServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

let certificates: ClusterCertificates | undefined;
const TOKEN = 'dashboard-token-for-the-test';

async function served() {
  const c = await manualCluster();
  certificates ??= await generateCertificates('127.0.0.1', wallNow(), deriveClusterCA('test-cluster', wallNow()));
  const server = new ApiServer({ statePath: c.state, address: '127.0.0.1', port: 0, speed: 1, certificates, dashboardToken: TOKEN });
  servers.push(server);
  await server.start();
  /** a request as a browser makes it: the cluster's CA trusted, no client certificate */
  const call = (method: string, p: string, headers: Record<string, string> = {}, body?: string) =>
    new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = https.request(`${server.url}${p}`, { method, ca: certificates!.caCert, headers }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  return { ...c, server, call };
}

/** the model a report file embeds */
function embedded(html: string): ReportModel {
  const m = /<script type="application\/json" id="kubesim-report">(.*?)<\/script>/s.exec(html);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]) as ReportModel;
}

describe('kubesim dashboard: the page and its token', () => {
  it('serves the page at / to a browser and its assets under /dashboard/; API clients still get the root paths', async () => {
    const c = await served();
    const page = await c.call('GET', '/', { accept: 'text/html,application/xhtml+xml' });
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<script src="/dashboard/dashboard.js"></script>');
    const script = await c.call('GET', '/dashboard/dashboard.js');
    expect(script.status).toBe(200);
    expect(script.type).toBe('text/javascript; charset=utf-8');
    expect(script.body.length).toBeGreaterThan(10_000);
    expect((await c.call('GET', '/dashboard/dashboard.css')).body).toContain('.uplot');
    // not a browser: the API's answer, which needs credentials
    expect((await c.call('GET', '/', { accept: 'application/json' })).status).toBe(401);
    expect((await c.call('GET', '/', { accept: 'application/json', authorization: `Bearer ${TOKEN}` })).body).toContain('"/api/v1"');
  });

  it('reads the API with the token, refuses it without, and refuses writes with it', async () => {
    const c = await served();
    const anonymous = await c.call('GET', '/api/v1/pods');
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body)).toMatchObject({ kind: 'Status', reason: 'Unauthorized' });
    expect((await c.call('GET', '/api/v1/pods', { authorization: 'Bearer not-the-token' })).status).toBe(401);
    expect((await c.call('GET', '/dashboard/clock')).status).toBe(401);
    const pods = await c.call('GET', '/api/v1/nodes', { authorization: `Bearer ${TOKEN}` });
    expect(pods.status).toBe(200);
    expect(JSON.parse(pods.body).items.map((n: { metadata: { name: string } }) => n.metadata.name)).toEqual(['node-1', 'node-2', 'node-3']);
    const clock = JSON.parse((await c.call('GET', '/dashboard/clock', { authorization: `Bearer ${TOKEN}` })).body);
    expect(clock.now).toBe(Date.parse('2025-01-01T00:00:00Z'));
    expect(typeof clock.offset).toBe('number');
    const write = await c.call(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }),
    );
    expect(write.status).toBe(403);
    expect(JSON.parse(write.body).message).toBe(
      `/api/v1/namespaces/default/configmaps is forbidden: User "kubesim:dashboard" cannot create: the dashboard's token only reads`,
    );
    expect((await c.run('get', 'configmap', 'x')).code).toBe(1);
    // exec over WebSocket is a create on pods/exec: refused before any upgrade
    const exec = await c.call('GET', '/api/v1/namespaces/default/pods/p/exec?command=ls&stdout=true', {
      authorization: `Bearer ${TOKEN}`,
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      'sec-websocket-protocol': 'v5.channel.k8s.io',
    });
    expect(exec.status).toBe(403);
    expect(JSON.parse(exec.body).message).toBe(
      `/api/v1/namespaces/default/pods/p/exec is forbidden: User "kubesim:dashboard" cannot create: the dashboard's token only reads`,
    );
  });

  it("explains a pod's placement at /kubesim/why/NAMESPACE/POD as `kubesim why` does, to whoever may get the pod", async () => {
    const c = await served();
    c.file('web.yaml', deploymentYaml({ replicas: 2, resources: '{requests: {cpu: 500m, memory: 1Gi}}' }));
    expect((await c.run('apply', '-f', 'web.yaml')).code).toBe(0);
    const pod = (await c.run('get', 'pods', '-o', 'name')).stdout.trim().split('\n')[0].replace('pod/', '');
    const auth = { authorization: `Bearer ${TOKEN}` };
    const why = await c.call('GET', `/kubesim/why/default/${pod}`, auth);
    expect(why.status).toBe(200);
    const body = JSON.parse(why.body) as { text: string; source: string; explanation: { selectedNode: string } };
    expect(body.text).toBe((await c.run('why', pod)).stdout);
    expect(body.text).toMatch(new RegExp(`^Pod default/${pod}: scheduled to node-\\d by default-scheduler`));
    expect(body.source).toBe('now');
    expect(body.explanation.selectedNode).toMatch(/^node-\d$/);
    const missing = await c.call('GET', '/kubesim/why/default/nope', auth);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'pods "nope" not found' });
    expect((await c.call('GET', '/kubesim/why/default', auth)).status).toBe(404);
    expect((await c.call('GET', `/kubesim/why/default/${pod}`)).status).toBe(401);
    // RBAC as for a GET of the pod (the admin's token may impersonate)
    const jane = { ...auth, 'impersonate-user': 'jane' };
    expect(JSON.parse((await c.call('GET', `/kubesim/why/default/${pod}`, jane)).body)).toMatchObject({
      code: 403,
      message: `pods "${pod}" is forbidden: User "jane" cannot get resource "pods" in API group "" in the namespace "default"`,
    });
    expect((await c.run('create', 'rolebinding', 'jane-view', '--clusterrole=view', '--user=jane')).code).toBe(0);
    expect((await c.call('GET', `/kubesim/why/default/${pod}`, jane)).status).toBe(200);
  });

  it('kubesim dashboard --help says how the page authenticates', async () => {
    const c = await manualCluster();
    const r = await c.run('dashboard', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('#token=');
    expect(r.stdout).toContain('--speed <n>');
  });
});

describe('kubesim report --html', () => {
  it('writes one self-contained file: the map, the workloads, the events and their charts', async () => {
    const c = await manualCluster();
    c.file('d.yaml', deploymentYaml({ replicas: 3, resources: '{requests: {cpu: 500m, memory: 1Gi}}' }));
    expect((await c.run('apply', '-f', 'd.yaml')).code).toBe(0);
    await c.run('rollout', 'status', 'deployment/web');
    expect((await c.run('set', 'image', 'deployment/web', 'web=nginx:1.28')).code).toBe(0);
    await c.run('rollout', 'status', 'deployment/web');
    await c.run('cordon', 'node-3');
    const r = await c.run('report', '--html', 'out.html');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('Report written to out.html\n');
    const html = fs.readFileSync(path.join(c.dir, 'out.html'), 'utf8');
    // no network: no script, style or image from anywhere but the file itself (data: URLs)
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)="(?!data:)/);
    expect(html).toContain('<link rel="icon" href="data:,">');
    const model = embedded(html);
    expect(model.title).toBe('kubesim report: state');
    expect(model.now).toBeGreaterThan(Date.parse('2025-01-01T00:00:00Z'));
    const snap = model.snapshots[model.snapshots.length - 1];
    expect(snap.nodes.map((n) => `${n.name}:${n.unschedulable}:${n.zone}`)).toEqual([
      'node-1:false:zone-a',
      'node-2:false:zone-b',
      'node-3:true:zone-c',
    ]);
    expect(snap.nodes[0].allocatable).toEqual({ cpu: 4000, memory: 16 * 1024 ** 3, pods: 110 });
    const web = snap.workloads.find((w) => w.name === 'web')!;
    expect(web).toMatchObject({ kind: 'Deployment', desired: 3, updated: 3, images: ['nginx:1.28'] });
    const current = snap.pods.filter((p) => p.owner?.startsWith('ReplicaSet/web-') && p.phase === 'Running');
    expect(current.length).toBe(3);
    expect(current.every((p) => p.revision === web.revision)).toBe(true);
    // requests add up on the nodes the pods run on
    const requested = snap.nodes.reduce((n, node) => n + node.requested.pods, 0);
    expect(requested).toBe(snap.pods.filter((p) => p.node).length);
    expect(snap.nodes.reduce((n, node) => n + node.requested.cpu, 0)).toBe(500 * snap.pods.filter((p) => p.node && p.owner).length);
    const scaled = model.events.filter((e) => e.reason === 'ScalingReplicaSet');
    expect(scaled.length).toBeGreaterThanOrEqual(3);
    expect(scaled[0].message).toMatch(/^Scaled up replica set web-\w+ from 0 to 3$/);
    const chart = model.charts.find((ch) => ch.title === 'Replicas by ReplicaSet')!;
    expect(chart.series.length).toBe(2);
    // the new ReplicaSet ends at 3, the old at 0
    expect(chart.series.map((s) => s.values[s.values.length - 1]).sort()).toEqual([0, 3]);
  });

  it('refuses a missing or non-HTML file name, and an unwritable path, with one line and exit 1', async () => {
    const c = await manualCluster();
    let r = await c.run('report');
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'error: --html FILE is required: the file to write the report to\n' });
    r = await c.run('report', '--html', 'out.txt');
    expect(r).toMatchObject({ code: 1, stderr: 'error: --html: "out.txt" does not end in .html\n' });
    r = await c.run('report', '--html', 'missing/out.html');
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'error: open missing/out.html: no such file or directory\n' });
  });
});
