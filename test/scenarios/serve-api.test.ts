import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';
import { deploymentYaml, webReplicaSetWithPdbYaml } from '../support/manifests';
import { ApiRouter } from '../../src/serve/router';
import { routerCall, type RouterCallOptions } from '../support/api-router';
import { Random } from '../../src/util/random';
import { ResidentSession } from '../../src/engine/resident-session';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

async function api() {
  const c = await manualCluster();
  // the cluster kept loaded between requests, as kubesim serve keeps it (the commands run here write the file meanwhile)
  const router = new ApiRouter({ statePath: c.state, sessions: new ResidentSession(c.state) });
  const call = (method: string, url: string, opts: RouterCallOptions = {}) => routerCall(router, method, url, opts);
  return { ...c, call };
}

describe('kubesim serve: the API router', () => {
  it('serves discovery: versions, groups, resource lists with subresources, and aggregated v2 on /api and /apis', async () => {
    const { call } = await api();
    expect(call('GET', '/version').json().gitVersion).toBe('v1.32.0');
    const core = call('GET', '/api/v1').json();
    const names = core.resources.map((r: { name: string }) => r.name);
    expect(names).toEqual(
      expect.arrayContaining(['pods', 'pods/eviction', 'pods/log', 'pods/status', 'pods/binding', 'namespaces', 'services']),
    );
    const pods = core.resources.find((r: { name: string }) => r.name === 'pods');
    expect(pods).toMatchObject({ kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'] });
    const eviction = core.resources.find((r: { name: string }) => r.name === 'pods/eviction');
    expect(eviction).toMatchObject({ group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
    expect(
      call('GET', '/apis/apps/v1')
        .json()
        .resources.map((r: { name: string }) => r.name),
    ).toContain('deployments/scale');
    const groups = call('GET', '/apis').json();
    expect(groups.kind).toBe('APIGroupList');
    expect(groups.groups.map((g: { name: string }) => g.name)).toContain('apps');
    for (const path of ['/api', '/apis']) {
      const agg = call('GET', path, { accept: AGGREGATED });
      expect(agg.headers['Content-Type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
      expect(agg.json().kind).toBe('APIGroupDiscoveryList');
    }
    const agg = call('GET', '/apis', { accept: AGGREGATED }).json();
    const apps = agg.items.find((g: { metadata: { name: string } }) => g.metadata.name === 'apps');
    const deploy = apps.versions[0].resources.find((r: { resource: string }) => r.resource === 'deployments');
    expect(deploy).toMatchObject({ scope: 'Namespaced', singularResource: 'deployment', shortNames: ['deploy'] });
    expect(deploy.subresources.map((s: { subresource: string }) => s.subresource)).toEqual(['scale', 'status']);
    // the OpenAPI documents kubectl validates and explains with (api/openapi/served)
    expect(call('GET', '/openapi/v3').json().paths['apis/apps/v1'].serverRelativeURL).toMatch(
      /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]+$/,
    );
    expect(call('GET', '/openapi/v3/apis/nope/v1').status).toBe(404);
    expect(call('GET', '/apis/nope.example.com/v1').json()).toMatchObject({ kind: 'Status', code: 404, reason: 'NotFound' });
  });

  it('lists with Tables (wide columns at priority 1, PartialObjectMetadata rows), selectors and limit/continue', async () => {
    const c = await api();
    c.file('d.yaml', deploymentYaml({ replicas: 3 }));
    expect((await c.run('apply', '-f', 'd.yaml')).code).toBe(0);
    const t = c.call('GET', '/api/v1/namespaces/default/pods', { accept: TABLE });
    expect(t.headers['Content-Type']).toBe('application/json;as=Table;v=v1;g=meta.k8s.io');
    const body = t.json();
    expect(body.columnDefinitions.map((d: { name: string; priority: number }) => `${d.name}:${d.priority}`)).toEqual([
      'Name:0',
      'READY:0',
      'STATUS:0',
      'RESTARTS:0',
      'AGE:0',
      'IP:1',
      'NODE:1',
      'NOMINATED NODE:1',
      'READINESS GATES:1',
    ]);
    expect(body.rows).toHaveLength(3);
    expect(body.rows[0].object).toMatchObject({
      kind: 'PartialObjectMetadata',
      metadata: { namespace: 'default', labels: { app: 'web' } },
    });
    expect(body.rows[0].object.spec).toBeUndefined();
    expect(c.call('GET', '/api/v1/namespaces/default/pods?includeObject=Object', { accept: TABLE }).json().rows[0].object.kind).toBe('Pod');
    const page1 = c.call('GET', '/api/v1/pods?limit=2').json();
    expect(page1.items).toHaveLength(2);
    expect(page1.metadata.remainingItemCount).toBe(1);
    const page2 = c.call('GET', `/api/v1/pods?limit=2&continue=${encodeURIComponent(page1.metadata.continue)}`).json();
    expect(page2.items).toHaveLength(1);
    expect(page2.metadata.continue).toBeUndefined();
    expect(c.call('GET', '/api/v1/pods?labelSelector=app%3Dother').json().items).toHaveLength(0);
    const named = c.call('GET', '/apis/apps/v1/namespaces/default/deployments?fieldSelector=metadata.name%3Dweb').json();
    expect(named.items.map((d: { metadata: { name: string } }) => d.metadata.name)).toEqual(['web']);
    expect(c.call('GET', '/api/v1/pods?fieldSelector=spec.bogus%3Dx').json()).toMatchObject({ code: 400, reason: 'BadRequest' });
  });

  it('answers errors as Status objects with the API server reason, code and message', async () => {
    const c = await api();
    expect(c.call('GET', '/api/v1/namespaces/default/pods/nope').json()).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      message: 'pods "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'pods' },
      code: 404,
    });
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '1' } };
    expect(c.call('POST', '/api/v1/namespaces/default/configmaps', { body: cm }).status).toBe(201);
    expect(c.call('POST', '/api/v1/namespaces/default/configmaps', { body: cm }).json()).toMatchObject({
      reason: 'AlreadyExists',
      code: 409,
      message: 'configmaps "cfg" already exists',
    });
    const bad = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'bad' },
      spec: {
        replicas: -1,
        selector: { matchLabels: { a: 'b' } },
        template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      },
    };
    const invalid = c.call('POST', '/apis/apps/v1/namespaces/default/deployments', { body: bad }).json();
    // apimachinery NewInvalid: `%s %q is invalid: %v`, the kind qualified by its group, the causes aggregated
    // (kubectl builds its own `The Deployment "bad" is invalid` from the details)
    expect(invalid).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message: 'Deployment.apps "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      details: { name: 'bad', group: 'apps', kind: 'Deployment' },
    });
    const twice = { ...bad, spec: { ...bad.spec, template: { ...bad.spec.template, metadata: { labels: { a: 'c' } } } } };
    expect(c.call('POST', '/apis/apps/v1/namespaces/default/deployments', { body: twice }).json().message).toBe(
      'Deployment.apps "bad" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, ' +
        'spec.template.metadata.labels: Invalid value: map[string]string{"a":"c"}: `selector` does not match template `labels`]',
    );
    const ns = c.call('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'Bad_NS' } } }).json();
    expect(ns.message).toMatch(/^Namespace "Bad_NS" is invalid: metadata\.name: Invalid value: "Bad_NS": a lowercase RFC 1123 label/);
    expect(ns.details).toEqual(expect.objectContaining({ name: 'Bad_NS', kind: 'Namespace' }));
    expect(ns.details.group).toBeUndefined();
    expect(invalid.details.causes[0]).toEqual({
      reason: 'FieldValueInvalid',
      message: 'Invalid value: -1: must be greater than or equal to 0',
      field: 'spec.replicas',
    });
    const stale = { ...cm, metadata: { name: 'cfg', resourceVersion: '1' } };
    expect(c.call('PUT', '/api/v1/namespaces/default/configmaps/cfg', { body: stale }).json()).toMatchObject({
      code: 409,
      reason: 'Conflict',
    });
    expect(c.call('GET', '/api/v1/pods', { identity: { kind: 'anonymous' } }).json()).toMatchObject({ code: 401, reason: 'Unauthorized' });
    expect(c.call('POST', '/api/v1/namespaces/default/configmaps', { body: 'x'.repeat(3 * 1024 * 1024 + 1) }).json()).toMatchObject({
      code: 413,
    });
    expect(c.call('PATCH', '/api/v1/namespaces/default/configmaps/cfg', { body: '{}', type: 'text/plain' }).json()).toMatchObject({
      code: 415,
      reason: 'UnsupportedMediaType',
    });
    expect(
      c
        .call('POST', '/api/v1/namespaces/default/configmaps', {
          // a kind with no protobuf message (a custom resource's): 415 as kube-apiserver answers for custom resources
          body: 'k8s\u0000\n\u0018\n\u000eexample.com/v1\u0012\u0006Widget\u0012\u0000',
          type: 'application/vnd.kubernetes.protobuf',
        })
        .json(),
    ).toMatchObject({ code: 415, reason: 'UnsupportedMediaType' });
    expect(
      c.call('DELETE', '/api/v1/namespaces/default/configmaps/cfg', { body: { preconditions: { uid: 'other' } } }).json(),
    ).toMatchObject({ code: 409 });
  });

  it('binds a pod through core v1 bindings, the older form of pods/binding, listed as create-only', async () => {
    const c = await api();
    const core = c.call('GET', '/api/v1').json();
    expect(core.resources.find((r: { name: string }) => r.name === 'bindings')).toMatchObject({
      kind: 'Binding',
      namespaced: true,
      verbs: ['create'],
    });
    // a pod no scheduler of kubesim's takes stays Pending until someone binds it
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { schedulerName: 'my-scheduler', containers: [{ name: 'c', image: 'nginx' }] },
    };
    expect(c.call('POST', '/api/v1/namespaces/default/pods', { body: pod }).status).toBe(201);
    const binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'p' },
      target: { apiVersion: 'v1', kind: 'Node', name: 'node-2' },
    };
    expect(c.call('POST', '/api/v1/namespaces/default/bindings', { body: binding }).status).toBe(201);
    expect(c.call('GET', '/api/v1/namespaces/default/pods/p').json().spec.nodeName).toBe('node-2');
    expect(c.call('POST', '/api/v1/namespaces/default/bindings', { body: binding }).json()).toMatchObject({
      code: 409,
      message: 'Operation cannot be fulfilled on pods/binding "p": pod p is already assigned to node "node-2"',
    });
    expect(c.call('GET', '/api/v1/namespaces/default/bindings').status).toBe(405);
    expect((await c.run('api-resources', '--api-group=')).stdout.split('\n')[1]).toMatch(/^bindings +v1 +true +Binding$/);
  });

  it('enforces RBAC on impersonated users with the Forbidden text', async () => {
    const c = await api();
    const as = { 'impersonate-user': 'jane' };
    expect(c.call('GET', '/api/v1/namespaces/default/pods', { headers: as }).json()).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message: 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"',
    });
    expect(c.call('GET', '/apis/apps/v1/namespaces/default/deployments/web', { headers: as }).json().message).toBe(
      'deployments.apps "web" is forbidden: User "jane" cannot get resource "deployments" in API group "apps" in the namespace "default"',
    );
    expect((await c.run('create', 'rolebinding', 'jane-view', '--clusterrole=view', '--user=jane')).code).toBe(0);
    expect(c.call('GET', '/api/v1/namespaces/default/pods', { headers: as }).status).toBe(200);
    const review = {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { namespace: 'default', verb: 'create', resource: 'pods' } },
    };
    expect(
      c.call('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { body: review, headers: as }).json().status.allowed,
    ).toBe(false);
    expect(c.call('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { body: review }).json().status.allowed).toBe(true);
  });

  it('writes: patch types, dry run, field validation warnings, scale and status subresources, deletion options', async () => {
    const c = await api();
    c.file('d.yaml', deploymentYaml({ replicas: 2 }));
    await c.run('apply', '-f', 'd.yaml');
    const merge = c.call('PATCH', '/apis/apps/v1/namespaces/default/deployments/web', {
      body: { metadata: { labels: { tier: 'fe' } } },
      type: 'application/merge-patch+json',
    });
    expect(merge.json().metadata.labels).toEqual({ tier: 'fe' });
    const json = c.call('PATCH', '/apis/apps/v1/namespaces/default/deployments/web', {
      body: [{ op: 'replace', path: '/metadata/labels/tier', value: 'be' }],
      type: 'application/json-patch+json',
    });
    expect(json.json().metadata.labels).toEqual({ tier: 'be' });
    const scale = c.call('PATCH', '/apis/apps/v1/namespaces/default/deployments/web/scale', {
      body: { spec: { replicas: 4 } },
      type: 'application/merge-patch+json',
    });
    expect(scale.json()).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 4 } });
    expect((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('4');
    const dry = c.call('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' } },
    });
    expect(dry.status).toBe(201);
    expect((await c.run('get', 'cm', 'dry')).code).toBe(1);
    const warn = c.call('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Warn', {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w' }, bogus: 1 },
    });
    expect(warn.headers.Warning).toEqual(['299 - "unknown field \\"bogus\\""']);
    const strict = c.call('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 's' }, bogus: 1 },
    });
    expect(strict.json()).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(strict.json().message).toContain('unknown field "bogus"');
    const status = c.call('GET', '/apis/apps/v1/namespaces/default/deployments/web/status').json();
    expect(status.kind).toBe('Deployment');
    const del = c.call('DELETE', '/apis/apps/v1/namespaces/default/deployments/web', { body: { propagationPolicy: 'Orphan' } });
    expect(del.status).toBe(200);
    expect((await c.run('get', 'rs', '-o', 'name')).stdout).toMatch(/^replicaset\.apps\/web-/);
    expect(c.call('DELETE', '/api/v1/namespaces/default/configmaps?labelSelector=none%3Dx').json().items).toEqual([]);
  });

  it('evicts through pods/eviction and answers 429 with the PDB message when a budget blocks', async () => {
    const c = await api();
    c.file('rs.yaml', webReplicaSetWithPdbYaml('minAvailable: 3'));
    await c.run('apply', '-f', 'rs.yaml');
    await c.run('clock', 'advance', '30s');
    const pods = c.call('GET', '/api/v1/namespaces/default/pods').json().items as { metadata: { name: string } }[];
    const evict = (name: string) =>
      c.call('POST', `/api/v1/namespaces/default/pods/${name}/eviction`, {
        body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name } },
      });
    const blocked = evict(pods[0].metadata.name).json();
    expect(blocked).toMatchObject({
      code: 429,
      reason: 'TooManyRequests',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
    });
  });

  it('answers a few hundred malformed requests with Status objects and keeps working', async () => {
    const c = await api();
    const random = Random.fromSeed(21);
    const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'BREW'];
    const paths = [
      '/api',
      '/api/v1',
      '/apis/apps/v1',
      '/api/v1/namespaces/default/pods',
      '/apis/apps/v1/namespaces/default/deployments/x',
      '/api/v1/namespaces//pods',
      '/%',
      '/api/v1/pods/../../etc',
      '/apis/a/b/c/d/e/f/g/h',
    ];
    const queries = [
      '',
      '?limit=-1',
      '?continue=%%%',
      '?labelSelector=a%20in%20(',
      '?fieldSelector===',
      '?watch=maybe',
      '?dryRun=Some',
      '?fieldValidation=Loose',
      '?gracePeriodSeconds=-3',
      '?resourceVersion=abc',
    ];
    const types = [
      'application/json',
      'application/yaml',
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
      'application/vnd.kubernetes.protobuf',
      'text/plain',
    ];
    const pick = <T>(list: T[]) => list[random.int(list.length)];
    const bodies = [
      '',
      '{',
      '[]',
      'null',
      '"x"',
      '{"kind":"Pod"}',
      '{"metadata":5}',
      '[{"op":"explode"}]',
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"Not_Valid"}}',
      '\u0000\u0001k8s',
    ];
    for (let i = 0; i < 300; i++) {
      const res = c.call(pick(methods), `${pick(paths)}${pick(queries)}`, { body: pick(bodies), type: pick(types) });
      expect(res.status).toBeGreaterThanOrEqual(200);
      if (res.status >= 400) expect(JSON.parse(res.body)).toMatchObject({ kind: 'Status', status: 'Failure', code: res.status });
    }
    expect(c.call('GET', '/api/v1/namespaces/default/pods').status).toBe(200);
    expect((await c.run('get', 'nodes')).code).toBe(0);
  });
});
