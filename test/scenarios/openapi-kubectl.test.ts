/**
 * The real kubectl v1.32 against the served OpenAPI documents: a small HTTP server in the test
 * answers discovery from the registry, /openapi/v3 and /openapi/v2 from src/api/openapi/served.ts,
 * and keeps Deployments in a map, so that `kubectl explain`, `kubectl create --validate=strict`
 * and `kubectl apply` run unchanged and the requests they send show what they read in the documents.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/api/kinds/index';
import { allKinds, verbsOf } from '../../src/api/registry';
import type { KObject } from '../../src/model/objects';
import { openApiRoute, openApiV3Root } from '../../src/api/openapi/served';
import { kubesim, tempCluster } from '../support/cli';

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
const hasKubectl = fs.existsSync(KUBECTL);

interface Recorded {
  method: string;
  url: string;
  contentType: string;
  body: string;
}

const requests: Recorded[] = [];
/** the CRDs the server serves (read from a kubesim cluster by the custom resource test) */
let crds: KObject[] = [];
const deployments = new Map<string, Record<string, unknown>>();
let server: http.Server;
let base = '';
let home = '';

function groupVersions(): Map<string, ReturnType<typeof allKinds>> {
  const out = new Map<string, ReturnType<typeof allKinds>>();
  for (const crd of crds) {
    const spec = crd.spec as {
      group: string;
      versions: { name: string }[];
      names: { kind: string; plural: string; singular: string };
      scope: string;
    };
    const info = {
      ...spec.names,
      group: spec.group,
      version: spec.versions[0].name,
      namespaced: spec.scope === 'Namespaced',
      shortNames: [],
      columns: [],
    };
    out.set(`${spec.group}/${info.version}`, [info]);
  }
  for (const info of allKinds().filter((i) => !i.crd))
    for (const v of [info.version, ...(info.otherVersions ?? [])]) {
      const gv = info.group ? `${info.group}/${v}` : v;
      out.set(gv, [...(out.get(gv) ?? []), info]);
    }
  return out;
}

function discovery(url: string): unknown {
  const gvs = groupVersions();
  if (url === '/version') return { major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' };
  if (url === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
  if (url === '/apis') {
    const groups = new Map<string, string[]>();
    for (const gv of gvs.keys()) if (gv.includes('/')) groups.set(gv.split('/')[0], [...(groups.get(gv.split('/')[0]) ?? []), gv]);
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [...groups].map(([name, list]) => ({
        name,
        versions: list.map((gv) => ({ groupVersion: gv, version: gv.split('/')[1] })),
        preferredVersion: { groupVersion: list[0], version: list[0].split('/')[1] },
      })),
    };
  }
  const m = /^\/(?:api|apis)\/(.+)$/.exec(url);
  const infos = m ? gvs.get(m[1]) : undefined;
  if (!m || !infos) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: m[1],
    resources: infos.map((i) => ({
      name: i.plural,
      singularName: i.singular,
      namespaced: i.namespaced,
      kind: i.kind,
      verbs: verbsOf(i),
      shortNames: i.shortNames,
    })),
  };
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

function handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  requests.push({ method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'] ?? '', body });
  const openapi = openApiRoute(crds, {
    path: url.pathname,
    query: url.searchParams,
    accept: req.headers.accept,
    ifNoneMatch: req.headers['if-none-match'],
    now: new Date(0),
  });
  if (openapi) return send(res, openapi.status, openapi.body, openapi.headers);
  const item = /^\/apis\/apps\/v1\/namespaces\/default\/deployments(?:\/([^/]+))?$/.exec(url.pathname);
  if (item) {
    const name = item[1];
    if (req.method === 'GET' && name) {
      const obj = deployments.get(name);
      return obj ? send(res, 200, obj) : send(res, 404, notFound(name));
    }
    if (req.method === 'POST') {
      const obj = JSON.parse(body) as { metadata: { name: string } };
      deployments.set(obj.metadata.name, obj);
      return send(res, 201, obj);
    }
    if (req.method === 'PATCH' && name) return send(res, 200, deployments.get(name));
  }
  const d = req.method === 'GET' ? discovery(url.pathname) : undefined;
  if (d) return send(res, 200, d);
  send(res, 404, {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code: 404,
    reason: 'NotFound',
    message: 'the server could not find the requested resource',
  });
}

function notFound(name: string): unknown {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code: 404,
    reason: 'NotFound',
    message: `deployments.apps "${name}" not found`,
    details: { name, group: 'apps', kind: 'deployments' },
  };
}

function kubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      KUBECTL,
      ['--server', base, '--cache-dir', path.join(home, 'cache'), ...args],
      { env: { HOME: home, KUBECONFIG: path.join(home, 'config'), PATH: process.env.PATH ?? '' } },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const manifest = (containers: string[]) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: containers.map((c) => ({ name: c, image: `${c}:1` })) } },
    },
  });

describe.skipIf(!hasKubectl)('kubectl v1.32 reads the served OpenAPI documents', () => {
  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-openapi-'));
    fs.writeFileSync(path.join(home, 'config'), '');
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => handle(req, body, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('explain finds the kind by its operations and prints the field from the v3 document', async () => {
    const r = await kubectl(['explain', 'deployment.spec.replicas']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: replicas <integer>\n\n\n' +
        'DESCRIPTION:\n    Number of desired pods. This is a pointer to distinguish between explicit\n' +
        '    zero and not specified. Defaults to 1.\n    \n\n',
    );
    expect(requests.some((q) => q.url.startsWith('/openapi/v3/apis/apps/v1?hash='))).toBe(true);
  });

  it.each([
    ['deployment.spec.template.spec.containers.ports'],
    ['pod.spec.volumes.configMap'],
    ['service.spec'],
    ['hpa.spec.metrics', '--api-version=autoscaling/v2'],
    ['clusterrolebinding', '--recursive'],
    // kubesim's own kinds (src/api/openapi/kubesim-schemas.ts)
    ['nodegroup'],
    ['ng.spec.template'],
    ['simulationprofiles.sim.kubesim.io.spec.nodeBoot.seconds'],
    ['simprofile.spec.crashProbabilityPerHour'],
  ])('kubectl explain %s over the served documents prints what kubesim explain prints', async (...args) => {
    const t = tempCluster();
    const ours = await kubesim(t.state, ['explain', ...args]);
    const theirs = await kubectl(['explain', ...args]);
    expect(ours.code).toBe(0);
    expect(theirs.stderr).toBe('');
    expect(theirs.stdout).toBe(ours.stdout);
  });

  it('create --validate=strict leaves validation to the server: the PATCH operation declares fieldValidation', async () => {
    const file = path.join(home, 'web.json');
    fs.writeFileSync(file, manifest(['app']));
    const r = await kubectl(['create', '-f', file, '--validate=strict']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('deployment.apps/web created\n');
    const post = requests.find((q) => q.method === 'POST');
    expect(post?.url).toContain('fieldValidation=Strict');
  });

  it('apply builds a strategic merge patch keyed by container name from the v3 patch metadata', async () => {
    const live = JSON.parse(manifest(['app'])) as { metadata: Record<string, unknown> };
    live.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': manifest(['app']) };
    deployments.set('web', live);
    const file = path.join(home, 'web.json');
    fs.writeFileSync(file, manifest(['app', 'sidecar']));
    const r = await kubectl(['apply', '-f', file, '-v=5']);
    expect(r.code).toBe(0);
    // at -v=5 kubectl says when it falls back from OpenAPI v3 to v2 or to its compiled-in types
    expect(r.stderr).not.toMatch(/OpenAPI V3|openapi|warning/i);
    const patch = requests.filter((q) => q.method === 'PATCH').pop();
    expect(patch?.contentType).toBe('application/strategic-merge-patch+json');
    expect(patch?.url).toContain('fieldValidation=Strict');
    const body = JSON.parse(patch?.body ?? '{}') as { spec: { template: { spec: Record<string, unknown> } } };
    expect(body.spec.template.spec['$setElementOrder/containers']).toEqual([{ name: 'app' }, { name: 'sidecar' }]);
  });

  it('explain of a custom resource over the served documents prints what kubesim explain prints', async () => {
    const t = tempCluster();
    const crdFile = t.file(
      'crd.yaml',
      [
        'apiVersion: apiextensions.k8s.io/v1',
        'kind: CustomResourceDefinition',
        'metadata: {name: crontabs.stable.example.com}',
        'spec:',
        '  group: stable.example.com',
        '  scope: Namespaced',
        '  names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct]}',
        '  versions:',
        '  - name: v1',
        '    served: true',
        '    storage: true',
        '    schema:',
        '      openAPIV3Schema:',
        '        type: object',
        '        description: A periodic job.',
        '        properties:',
        '          spec:',
        '            type: object',
        '            properties:',
        '              cronSpec: {type: string, description: When it runs.}',
        '              replicas: {type: integer}',
        '',
      ].join('\n'),
    );
    expect((await kubesim(t.state, ['apply', '-f', crdFile])).code).toBe(0);
    const got = await kubesim(t.state, ['get', 'crd', 'crontabs.stable.example.com', '-o', 'json']);
    crds = [JSON.parse(got.stdout) as KObject];
    for (const args of [['crontab'], ['crontab.spec'], ['crontab', '--recursive']]) {
      const ours = await kubesim(t.state, ['explain', ...args]);
      const theirs = await kubectl(['explain', ...args]);
      expect(ours.code).toBe(0);
      expect(theirs.stderr).toBe('');
      expect(theirs.stdout).toBe(ours.stdout);
    }
    crds = [];
  });

  it('every built-in resource: kubectl explain --recursive over the served documents prints what kubesim explain prints', async () => {
    const t = tempCluster();
    const differ: string[] = [];
    let compared = 0;
    const served = Object.keys((openApiV3Root([]) as { paths: object }).paths);
    for (const info of allKinds().filter((i) => !i.crd)) {
      for (const version of [info.version, ...(info.otherVersions ?? [])]) {
        const gv = info.group ? `${info.group}/${version}` : version;
        if (!served.includes(info.group ? `apis/${gv}` : `api/${gv}`)) continue;
        const args = ['explain', info.plural, '--recursive', `--api-version=${gv}`];
        const ours = await kubesim(t.state, args);
        const theirs = await kubectl(args);
        compared++;
        if (ours.code !== 0 || theirs.stdout !== ours.stdout) differ.push(`${args[1]} ${version}: ${theirs.stderr || 'differs'}`);
      }
    }
    expect(differ).toEqual([]);
    expect(compared).toBeGreaterThan(45);
  });
});
