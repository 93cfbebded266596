import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import '../../src/api/kinds/index';
import { listStrategy, retainsKeys } from '../../src/api/merge';
import type { KObject } from '../../src/model/objects';
import { DEFINITION_PACKAGES } from '../../src/api/openapi/definition-names';
import {
  openApiV2Document,
  openApiV3Document,
  openApiV3Response,
  openApiV3Root,
  openApiRoute,
  serializeDocument,
  servedDefinitionName,
  servedOpenApiV3Document,
  servedOpenApiV3Root,
} from '../../src/api/openapi/served';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const v3 = (path: string, crds: KObject[] = []) => openApiV3Document(path, crds) as Json;
const schemas = (path: string, crds: KObject[] = []) => v3(path, crds).components.schemas as Json;

/** Every `$ref` in a value. */
function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refs(v, out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  return out;
}

const crontab = (established = true): KObject =>
  ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'crontabs.stable.example.com', uid: 'u1', resourceVersion: '7' },
    spec: {
      group: 'stable.example.com',
      scope: 'Namespaced',
      names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: {
                    cronSpec: { type: 'string', description: 'when <it> runs & how' },
                    replicas: { type: 'integer' },
                    ports: {
                      type: 'array',
                      'x-kubernetes-list-type': 'map',
                      'x-kubernetes-list-map-keys': ['port'],
                      items: { type: 'object' },
                    },
                  },
                },
              },
            },
          },
        },
        { name: 'v1beta1', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
      ],
    },
    status: { conditions: [{ type: 'Established', status: established ? 'True' : 'False' }] },
  }) as unknown as KObject;

describe('definition names as the API server publishes them', () => {
  it('maps the data’s model names to Go package paths', () => {
    expect(servedDefinitionName('V1Deployment')).toBe('io.k8s.api.apps.v1.Deployment');
    expect(servedDefinitionName('V1PodSpec')).toBe('io.k8s.api.core.v1.PodSpec');
    expect(servedDefinitionName('V1ObjectMeta')).toBe('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    expect(servedDefinitionName('CoreV1Event')).toBe('io.k8s.api.core.v1.Event');
    expect(servedDefinitionName('EventsV1Event')).toBe('io.k8s.api.events.v1.Event');
    expect(servedDefinitionName('V2HorizontalPodAutoscaler')).toBe('io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler');
    expect(servedDefinitionName('V1JSONSchemaProps')).toBe('io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps');
    expect(servedDefinitionName('V1APIService')).toBe('io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService');
    expect(servedDefinitionName('IntOrString')).toBe('io.k8s.apimachinery.pkg.util.intstr.IntOrString');
    expect(servedDefinitionName('VersionInfo')).toBe('io.k8s.apimachinery.pkg.version.Info');
  });

  it('gives every model its own name', () => {
    const models = Object.values(DEFINITION_PACKAGES).flat();
    const names = models.map(servedDefinitionName);
    expect(new Set(names).size).toBe(models.length);
    expect(models.length).toBeGreaterThan(700);
  });
});

describe('/openapi/v3', () => {
  it('lists one document per served group-version under the SHA-512 of its bytes (uppercase hex)', () => {
    const root = openApiV3Root([]) as { paths: Record<string, { serverRelativeURL: string }> };
    expect(Object.keys(root.paths)).toEqual(expect.arrayContaining(['api/v1', 'apis/apps/v1', 'apis/batch/v1', 'apis/autoscaling/v2']));
    const apps = servedOpenApiV3Document('apis/apps/v1', [])!;
    const hash = createHash('sha512').update(apps.body).digest('hex').toUpperCase();
    expect(apps.etag).toBe(hash);
    expect(root.paths['apis/apps/v1'].serverRelativeURL).toBe(`/openapi/v3/apis/apps/v1?hash=${hash}`);
    expect(hash).toMatch(/^[0-9A-F]{128}$/);
  });

  it('is byte-stable: the same bytes on every call, keys sorted as Go encodes maps', () => {
    const a = servedOpenApiV3Document('api/v1', [])!.body;
    const b = servedOpenApiV3Document('/api/v1/', [])!.body;
    expect(b).toBe(a);
    expect(a.startsWith('{"components":{"schemas":{')).toBe(true);
    expect(serializeDocument({ b: 1, a: { d: '<&>', c: [2, 1] } })).toBe('{"a":{"c":[2,1],"d":"\\u003c\\u0026\\u003e"},"b":1}');
  });

  it('has no document for a group-version nothing serves', () => {
    expect(openApiV3Document('apis/nope.example.com/v1', [])).toBeUndefined();
  });

  it('every $ref resolves in its own document', () => {
    for (const path of Object.keys((openApiV3Root([crontab()]) as Json).paths)) {
      const doc = v3(path, [crontab()]);
      for (const ref of refs(doc)) {
        expect(ref.startsWith('#/components/schemas/')).toBe(true);
        expect(doc.components.schemas[ref.slice('#/components/schemas/'.length)], `${path}: ${ref}`).toBeDefined();
      }
    }
  });

  it('marks kinds and their lists with x-kubernetes-group-version-kind', () => {
    const s = schemas('apis/apps/v1');
    expect(s['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', kind: 'Deployment', version: 'v1' },
    ]);
    expect(s['io.k8s.api.apps.v1.DeploymentList']['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', kind: 'DeploymentList', version: 'v1' },
    ]);
    expect(s['io.k8s.api.autoscaling.v1.Scale']['x-kubernetes-group-version-kind']).toEqual([
      { group: 'autoscaling', kind: 'Scale', version: 'v1' },
    ]);
    expect(s['io.k8s.api.apps.v1.DeploymentSpec']['x-kubernetes-group-version-kind']).toBeUndefined();
    expect(s['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions']['x-kubernetes-group-version-kind']).toContainEqual({
      group: 'apps',
      kind: 'DeleteOptions',
      version: 'v1',
    });
  });

  it('declares fieldValidation on the PATCH operation with the kind, accepting strategic merge patches (what kubectl checks)', () => {
    const item = v3('apis/apps/v1').paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    expect(item.patch['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', kind: 'Deployment', version: 'v1' });
    expect(item.patch.operationId).toBe('patchAppsV1NamespacedDeployment');
    expect(item.patch.parameters.map((p: Json) => p.name)).toEqual(['dryRun', 'fieldManager', 'fieldValidation', 'force']);
    expect(item.patch.parameters.every((p: Json) => p.in === 'query')).toBe(true);
    expect(Object.keys(item.patch.requestBody.content)).toEqual([
      'application/apply-patch+yaml',
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
    ]);
    expect(item.put.parameters.map((p: Json) => p.name)).toEqual(['dryRun', 'fieldManager', 'fieldValidation']);
    expect(item.parameters.map((p: Json) => `${p.in}:${p.name}`)).toEqual(['path:name', 'path:namespace', 'query:pretty']);
    const paths = Object.keys(v3('apis/apps/v1').paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/apis/apps/v1/',
        '/apis/apps/v1/deployments',
        '/apis/apps/v1/namespaces/{namespace}/deployments',
        '/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status',
        '/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale',
      ]),
    );
    expect(paths).not.toContain('/apis/apps/v1/namespaces/{namespace}/controllerrevisions/{name}/status');
    const scale = v3('apis/apps/v1').paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
    expect(scale.patch['x-kubernetes-group-version-kind']).toEqual({ group: 'autoscaling', kind: 'Scale', version: 'v1' });
    const nodes = v3('api/v1').paths['/api/v1/nodes/{name}'];
    expect(nodes.get.operationId).toBe('readCoreV1Node');
    expect(nodes.parameters.map((p: Json) => p.name)).toEqual(['name', 'pretty']);
    expect(v3('apis/rbac.authorization.k8s.io/v1').paths['/apis/rbac.authorization.k8s.io/v1/clusterroles'].post.tags).toEqual([
      'rbacAuthorization_v1',
    ]);
  });

  it('serves the core subresources kubesim answers: pods/binding, pods/eviction, pods/log, serviceaccounts/token, namespaces/finalize', () => {
    const doc = v3('api/v1');
    const eviction = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/eviction'];
    expect(eviction.post).toMatchObject({
      operationId: 'createCoreV1NamespacedPodEviction',
      description: 'create eviction of a Pod',
      'x-kubernetes-action': 'post',
      'x-kubernetes-group-version-kind': { group: 'policy', kind: 'Eviction', version: 'v1' },
    });
    expect(eviction.post.requestBody.content['*/*'].schema.$ref).toBe('#/components/schemas/io.k8s.api.policy.v1.Eviction');
    expect(eviction.parameters.map((p: Json) => p.name)).toEqual([
      'dryRun',
      'fieldManager',
      'fieldValidation',
      'name',
      'namespace',
      'pretty',
    ]);
    expect(eviction.parameters.find((p: Json) => p.name === 'name').description).toBe('name of the Eviction');
    expect(doc.components.schemas['io.k8s.api.policy.v1.Eviction']['x-kubernetes-group-version-kind']).toEqual([
      { group: 'policy', kind: 'Eviction', version: 'v1' },
    ]);
    expect(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/binding'].post.operationId).toBe('createCoreV1NamespacedPodBinding');
    const log = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/log'];
    expect(log.get.operationId).toBe('readCoreV1NamespacedPodLog');
    expect(log.get.responses['200'].content['text/plain'].schema).toEqual({ type: 'string' });
    expect(log.parameters.map((p: Json) => p.name)).toContain('tailLines');
    expect(doc.paths['/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token'].post['x-kubernetes-group-version-kind']).toEqual({
      group: 'authentication.k8s.io',
      kind: 'TokenRequest',
      version: 'v1',
    });
    expect(doc.paths['/api/v1/namespaces/{name}/finalize'].put.operationId).toBe('replaceCoreV1NamespaceFinalize');
    expect(doc.paths['/api/v1/namespaces/{namespace}/configmaps/{name}/log']).toBeUndefined();
  });

  it('carries the strategic merge metadata of the Go types (containers, volumes, env, ports)', () => {
    const s = schemas('apis/apps/v1');
    const pod = s['io.k8s.api.core.v1.PodSpec'].properties;
    expect(pod.containers).toMatchObject({
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
      items: { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' },
    });
    expect(pod.volumes['x-kubernetes-patch-strategy']).toBe('merge,retainKeys');
    expect(pod.volumes['x-kubernetes-patch-merge-key']).toBe('name');
    expect(pod.tolerations['x-kubernetes-list-type']).toBe('atomic');
    expect(pod.nodeSelector['x-kubernetes-map-type']).toBe('atomic');
    const container = s['io.k8s.api.core.v1.Container'].properties;
    expect(container.env).toMatchObject({ 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' });
    expect(container.ports).toMatchObject({
      'x-kubernetes-patch-merge-key': 'containerPort',
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
    });
    expect(container.volumeMounts['x-kubernetes-patch-merge-key']).toBe('mountPath');
    expect(s['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy['x-kubernetes-patch-strategy']).toBe('retainKeys');
    expect(s['io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector']['x-kubernetes-map-type']).toBe('atomic');
    expect(s['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties.ownerReferences['x-kubernetes-patch-merge-key']).toBe('uid');
    const svc = schemas('api/v1')['io.k8s.api.core.v1.ServiceSpec'].properties.ports;
    expect(svc['x-kubernetes-list-map-keys']).toEqual(['port', 'protocol']);
    expect(svc['x-kubernetes-patch-merge-key']).toBe('port');
  });

  it('agrees with the merge tables kubesim patches with (api/merge.ts)', () => {
    const s = schemas('apis/apps/v1');
    const key = (def: string, field: string) => s[def].properties[field]['x-kubernetes-patch-merge-key'];
    const podSpec = 'io.k8s.api.core.v1.PodSpec';
    const container = 'io.k8s.api.core.v1.Container';
    const at = (...path: string[]) => listStrategy(['spec', 'template', 'spec', ...path], 'Deployment');
    for (const field of [
      'containers',
      'initContainers',
      'volumes',
      'imagePullSecrets',
      'hostAliases',
      'topologySpreadConstraints',
      'schedulingGates',
    ])
      expect(at(field)).toEqual({ type: 'mergeByKey', mergeKey: key(podSpec, field) });
    for (const field of ['env', 'volumeMounts', 'volumeDevices', 'ports'])
      expect(at('containers', field)).toEqual({ type: 'mergeByKey', mergeKey: key(container, field) });
    expect(at('tolerations')).toEqual({ type: 'replace' });
    expect(s[podSpec].properties.tolerations['x-kubernetes-patch-merge-key']).toBeUndefined();
    expect(retainsKeys(['spec', 'strategy'], 'Deployment')).toBe(
      s['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy['x-kubernetes-patch-strategy'].includes('retainKeys'),
    );
  });

  it('publishes IntOrString as the API server does (oneOf integer or string, format int-or-string)', () => {
    const s = schemas('apis/apps/v1');
    expect(s['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({
      format: 'int-or-string',
      oneOf: [{ type: 'integer' }, { type: 'string' }],
    });
    expect(s['io.k8s.api.apps.v1.RollingUpdateDeployment'].properties.maxSurge.$ref).toBe(
      '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString',
    );
  });
});

describe('custom resources in /openapi/v3', () => {
  it('serves each established CRD’s served versions, named by the reversed group', () => {
    const root = openApiV3Root([crontab()]) as Json;
    expect(root.paths['apis/stable.example.com/v1']).toBeDefined();
    expect(root.paths['apis/stable.example.com/v1beta1']).toBeUndefined();
    expect((openApiV3Root([crontab(false)]) as Json).paths['apis/stable.example.com/v1']).toBeUndefined();
    const doc = v3('apis/stable.example.com/v1', [crontab()]);
    const kind = doc.components.schemas['com.example.stable.v1.CronTab'];
    expect(kind['x-kubernetes-group-version-kind']).toEqual([{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }]);
    expect(kind.properties.metadata.allOf).toEqual([{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);
    expect(kind.properties.spec.properties.ports['x-kubernetes-list-map-keys']).toEqual(['port']);
    expect(doc.components.schemas['com.example.stable.v1.CronTabList']['x-kubernetes-group-version-kind']).toEqual([
      { group: 'stable.example.com', kind: 'CronTabList', version: 'v1' },
    ]);
    const item = doc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}'];
    expect(item.patch.parameters.map((p: Json) => p.name)).toContain('fieldValidation');
    // no strategic merge for custom resources: kubectl apply falls back to a JSON merge patch
    expect(Object.keys(item.patch.requestBody.content)).not.toContain('application/strategic-merge-patch+json');
    expect(doc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}/scale']).toBeDefined();
    expect(doc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}/status']).toBeDefined();
  });

  it('a CRD set leaves the built-in documents as they are', () => {
    expect(servedOpenApiV3Document('apis/apps/v1', [crontab()])!.body).toBe(servedOpenApiV3Document('apis/apps/v1', [])!.body);
  });

  it('a new CRD set gives new documents; the same set the same bytes', () => {
    const a = servedOpenApiV3Root([]).body;
    const b = servedOpenApiV3Root([crontab()]).body;
    expect(b).not.toBe(a);
    expect(servedOpenApiV3Root([crontab()]).body).toBe(b);
    expect(servedOpenApiV3Root([]).body).toBe(a);
  });
});

describe('/openapi/v2', () => {
  it('is one swagger document with #/definitions references that resolve', () => {
    const doc = openApiV2Document([crontab()]) as Json;
    expect(doc.swagger).toBe('2.0');
    for (const ref of refs(doc)) {
      expect(ref.startsWith('#/definitions/')).toBe(true);
      expect(doc.definitions[ref.slice('#/definitions/'.length)], ref).toBeDefined();
    }
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    expect(patch.consumes).toContain('application/strategic-merge-patch+json');
    expect(patch.parameters[0]).toMatchObject({ in: 'body', name: 'body', required: true });
    expect(patch.parameters.find((p: Json) => p.name === 'fieldValidation')).toEqual({
      in: 'query',
      name: 'fieldValidation',
      type: 'string',
      uniqueItems: true,
    });
    expect(doc.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ type: 'string', format: 'int-or-string' });
    expect(doc.definitions['io.k8s.api.core.v1.PodSpec'].properties.containers['x-kubernetes-patch-merge-key']).toBe('name');
    expect(doc.definitions['com.example.stable.v1.CronTab']['x-kubernetes-group-version-kind']).toEqual([
      { group: 'stable.example.com', kind: 'CronTab', version: 'v1' },
    ]);
  });
});

describe('the HTTP answers of kube-openapi handler3', () => {
  const now = new Date(Date.UTC(2026, 11, 6, 3, 4, 5));
  it('the root: JSON with its Etag in quotes', () => {
    const r = openApiV3Response([], undefined, { now })!;
    expect(r.status).toBe(200);
    expect(r.headers.Etag).toBe(`"${servedOpenApiV3Root([]).etag}"`);
    expect(r.headers['Content-Type']).toBe('application/json');
  });

  it('a document at its hash: cacheable for a year', () => {
    const etag = servedOpenApiV3Document('apis/apps/v1', [])!.etag;
    const r = openApiV3Response([], 'apis/apps/v1', { now, hash: etag, accept: 'application/json' })!;
    expect(r.status).toBe(200);
    expect(r.headers).toMatchObject({
      'Cache-Control': 'public, immutable',
      Expires: 'Mon, 06 Dec 2027 03:04:05 UTC',
      Vary: 'Accept',
      Etag: `"${etag}"`,
    });
    expect(r.body).toBe(servedOpenApiV3Document('apis/apps/v1', [])!.body);
  });

  it('a stale hash redirects to the current one; no hash is not cached; protobuf only is 406; unknown is 404', () => {
    const etag = servedOpenApiV3Document('apis/apps/v1', [])!.etag;
    const stale = openApiV3Response([], 'apis/apps/v1', { now, hash: 'ABC' })!;
    expect(stale.status).toBe(301);
    expect(stale.headers.Location).toBe(`/openapi/v3/apis/apps/v1?hash=${etag}`);
    const plain = openApiV3Response([], 'apis/apps/v1', { now })!;
    expect(plain.status).toBe(200);
    expect(plain.headers['Cache-Control']).toBeUndefined();
    expect(
      openApiV3Response([], 'apis/apps/v1', { now, accept: 'application/com.github.proto-openapi.spec.v3.v1.0+protobuf' })!.status,
    ).toBe(406);
    expect(openApiV3Response([], 'apis/apps/v1', { now, accept: '*/*' })!.status).toBe(200);
    expect(openApiV3Response([], 'apis/none/v1', { now })).toBeUndefined();
  });

  it('routes the /openapi paths, answering 304 to an If-None-Match of the current Etag', () => {
    const etag = servedOpenApiV3Document('api/v1', [])!.etag;
    const get = (path: string, extra: { query?: string; ifNoneMatch?: string; accept?: string } = {}) =>
      openApiRoute([], { path, query: new URLSearchParams(extra.query ?? ''), ifNoneMatch: extra.ifNoneMatch, accept: extra.accept, now });
    expect(get('/api/v1/pods')).toBeUndefined();
    expect(get('/openapi/v3')!.body).toBe(servedOpenApiV3Root([]).body);
    expect(get('/openapi/v3/api/v1', { query: `hash=${etag}` })!.headers['Cache-Control']).toBe('public, immutable');
    expect(get('/openapi/v3/api/v1', { query: 'hash=0' })!.status).toBe(301);
    expect(get('/openapi/v3/apis/none/v1')!.status).toBe(404);
    const notModified = get('/openapi/v3/api/v1', { ifNoneMatch: `"${etag}"` })!;
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBe('');
    expect(get('/openapi/v3/api/v1', { ifNoneMatch: '"other"' })!.status).toBe(200);
    expect(get('/openapi/v2', { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' })!.headers['Content-Type']).toBe(
      'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
    );
    expect(get('/openapi/v2', { accept: 'text/html' })!.status).toBe(406);
    expect(JSON.parse(get('/openapi/v2', { accept: 'application/json' })!.body).swagger).toBe('2.0');
  });
});
