import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinSchema, BUILTIN_DATA_PATH, BUILTIN_INDEX_PATH, type DefinitionIndex } from '../../src/api/openapi/builtin-schemas';
import { definitionIndex } from '../../tools/openapi-index';
import { definitionCandidates, definitionTypeName, type OpenApiData } from '../../src/api/openapi/schema';
import { allKinds } from '../../src/api/registry';
import '../../src/api/kinds/index';

describe('the imported Kubernetes v1.32 schemas', () => {
  it('name their source: @kubernetes/client-node 1.1.2, OpenAPI v1.32.0', () => {
    const data = JSON.parse(fs.readFileSync(BUILTIN_DATA_PATH, 'utf8')) as OpenApiData;
    expect(data.source).toMatchObject({ package: '@kubernetes/client-node', version: '1.1.2', openapi: 'v1.32.0' });
    expect(fs.existsSync(path.join(path.dirname(BUILTIN_DATA_PATH), 'LICENSE'))).toBe(true);
  });

  it("come with the offsets of each definition in the data's text, as tools/openapi-index.ts computes them", () => {
    const text = fs.readFileSync(BUILTIN_DATA_PATH, 'utf8');
    const data = JSON.parse(text) as OpenApiData;
    const index = JSON.parse(fs.readFileSync(BUILTIN_INDEX_PATH, 'utf8')) as DefinitionIndex;
    expect(index).toEqual(definitionIndex(text));
    expect(index.length).toBe(text.length);
    expect(index.kinds).toEqual(data.kinds);
    expect(Object.keys(index.spans)).toEqual(Object.keys(data.definitions));
    for (const [name, [start, end]] of Object.entries(index.spans))
      expect(JSON.parse(text.slice(start, end))).toEqual(data.definitions[name]);
  });

  it('have a schema for every Kubernetes kind kubesim serves, at each version it serves', () => {
    for (const info of allKinds().filter((k) => !k.group.endsWith('kubesim.io')))
      for (const version of [info.version, ...(info.otherVersions ?? [])])
        expect(builtinSchema(info.group, version, info.kind), `${info.group}/${version} ${info.kind}`).toBeDefined();
    // kubesim's own kinds have theirs (src/api/openapi/kubesim-schemas.ts)
    expect(builtinSchema('autoscaling.kubesim.io', 'v1', 'NodeGroup')).toMatchObject({ root: { $ref: 'KubesimV1NodeGroup' } });
    expect(builtinSchema('sim.kubesim.io', 'v1', 'SimulationProfile')).toMatchObject({ root: { $ref: 'KubesimV1SimulationProfile' } });
    expect(builtinSchema('autoscaling.kubesim.io', 'v2', 'NodeGroup')).toBeUndefined();
    expect(builtinSchema('apps', 'v1beta1', 'Deployment')).toBeUndefined();
  });

  it('resolve a kind to its fields, descriptions, types and required fields', () => {
    const deployment = builtinSchema('apps', 'v1', 'Deployment')!;
    const root = deployment.resolve(deployment.root.$ref!)!;
    expect(root.description).toBe('Deployment enables declarative updates for Pods and ReplicaSets.');
    expect(Object.keys(root.properties!)).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    const spec = deployment.resolve(root.properties!.spec.$ref!)!;
    expect(spec.required).toEqual(['selector', 'template']);
    expect(spec.properties!.replicas).toMatchObject({ type: 'integer', format: 'int32' });
    expect(spec.properties!.replicas.description).toMatch(/^Number of desired pods\./);
    const rolling = deployment.resolve('V1RollingUpdateDeployment')!;
    expect(rolling.properties!.maxSurge).toMatchObject({ $ref: 'IntOrString' });
    const container = deployment.resolve('V1Container')!;
    expect(container.properties!.env).toMatchObject({ type: 'array', items: { $ref: 'V1EnvVar' } });
    expect(deployment.resolve('V1ResourceRequirements')!.properties!.limits).toMatchObject({
      type: 'object',
      additionalProperties: { type: 'string' },
    });
    // the generator's escaped quotes are unescaped
    expect(deployment.resolve('V1Toleration')!.properties!.operator.description).toMatch(/^Operator represents a key's relationship/);
  });

  it('tell a kind shared by two groups apart (core Event, events.k8s.io Event)', () => {
    expect(definitionCandidates('', 'v1', 'Event')).toEqual(['CoreV1Event', 'V1Event']);
    expect(definitionCandidates('events.k8s.io', 'v1', 'Event')[0]).toBe('EventsV1Event');
    const event = builtinSchema('', 'v1', 'Event')!;
    expect(event.root.$ref).toBe('CoreV1Event');
    expect(definitionTypeName('CoreV1EventSeries')).toBe('EventSeries');
    expect(definitionTypeName('V2HorizontalPodAutoscalerSpec')).toBe('HorizontalPodAutoscalerSpec');
    expect(definitionTypeName('V1beta1FlowSchema')).toBe('FlowSchema');
    expect(definitionTypeName('V1APIService')).toBe('APIService');
  });
});
