import { describe, expect, it } from 'vitest';
import { formatFieldError } from '../../src/util/errors';
import { validateStructuralSchema } from '../../src/api/crd/structural';
import { manualCluster } from '../support/cli';

// A tagged union as Gateway API's Gateway spec.addresses has it: the structural part types each
// field once, and a oneOf only constrains values, its properties untyped.
const ENDPOINT_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: endpoints.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: endpoints, kind: Endpoint}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              address:
                type: object
                properties:
                  kind: {type: string}
                  value: {type: string}
                oneOf:
                - properties:
                    kind: {enum: [Address]}
                    value: {anyOf: [{format: ipv4}, {format: ipv6}]}
                - properties:
                    kind: {not: {enum: [Address]}}
`;

function endpoint(name: string, kind: string, value: string): string {
  return `apiVersion: example.com/v1\nkind: Endpoint\nmetadata:\n  name: ${name}\nspec:\n  address: {kind: ${kind}, value: "${value}"}\n`;
}

describe('a CRD schema whose oneOf/anyOf/not constrain values (Gateway API gateways.gateway.networking.k8s.io)', () => {
  it('is accepted with untyped properties under oneOf, and its value validations apply to the custom resources', async () => {
    const c = await manualCluster();
    c.file('crd.yaml', ENDPOINT_CRD);
    expect(await c.run('apply', '-f', 'crd.yaml')).toEqual({
      code: 0,
      stdout: 'customresourcedefinition.apiextensions.k8s.io/endpoints.example.com created\n',
      stderr: '',
    });
    c.file('ok.yaml', endpoint('ip', 'Address', '10.0.0.1') + '---\n' + endpoint('host', 'Hostname', 'web.example.com'));
    expect((await c.run('apply', '-f', 'ok.yaml')).stdout).toBe('endpoint.example.com/ip created\nendpoint.example.com/host created\n');
    c.file('bad.yaml', endpoint('bad', 'Address', 'web.example.com'));
    const bad = await c.run('apply', '-f', 'bad.yaml');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('The Endpoint "bad" is invalid: ');
    expect(bad.stderr).toContain('must validate one and only one schema (oneOf)');
  });

  it('forbids in a nested value validation what only the structural part may declare', () => {
    const at = 'spec.versions[0].schema.openAPIV3Schema';
    const schema = {
      type: 'object',
      properties: { spec: { type: 'object', properties: { a: { type: 'string' } } } },
      anyOf: [
        {
          properties: {
            spec: { type: 'object', description: 'd', properties: { a: { default: 'x', enum: ['x'] } } },
            metadata: {},
          },
        },
      ],
    };
    // in the server's order: ValidateStructuralWithOptions sorts them by their text
    expect(validateStructuralSchema(schema, at).map(formatFieldError)).toEqual([
      `${at}.anyOf[0].properties[metadata]: Forbidden: must not be specified in a nested context`,
      `${at}.anyOf[0].properties[spec].description: Forbidden: must be empty to be structural`,
      `${at}.anyOf[0].properties[spec].properties[a].default: Forbidden: must be undefined to be structural`,
      `${at}.anyOf[0].properties[spec].type: Forbidden: must be empty to be structural`,
    ]);
  });

  it('skips the anyOf that spells out x-kubernetes-int-or-string, alone or as allOf[0] (Argo CD applicationsets replicas count)', () => {
    const at = 'spec.versions[0].schema.openAPIV3Schema';
    const intOrString = { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true };
    const schema = {
      type: 'object',
      properties: {
        count: intOrString,
        port: { allOf: [{ anyOf: [{ type: 'integer' }, { type: 'string' }] }], 'x-kubernetes-int-or-string': true },
        size: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'number' }] },
        labels: { type: 'object', anyOf: [{ additionalProperties: { maxLength: 3 } }] },
      },
    };
    expect(validateStructuralSchema(schema, at).map(formatFieldError)).toEqual([
      `${at}.properties[labels].anyOf[0].additionalProperties: Forbidden: must be undefined to be structural`,
      `${at}.properties[size].anyOf[0].type: Forbidden: must be empty to be structural`,
      `${at}.properties[size].anyOf[1].type: Forbidden: must be empty to be structural`,
    ]);
  });
});

// Argo CD's Application CRD requires metadata at its root, as kubebuilder writes it.
const TASK_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: tasks.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: tasks, kind: Task}
  versions:
  - name: v1alpha1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        required: [metadata, spec]
        properties:
          metadata:
            type: object
            properties:
              name: {type: string, maxLength: 8}
          spec:
            type: object
            properties:
              project: {type: string}
`;

describe('a custom resource is validated whole, metadata included (Argo CD applications.argoproj.io)', () => {
  it('meets a root required: [metadata, spec], is held to its metadata schema, and still needs spec', async () => {
    const c = await manualCluster();
    c.file('crd.yaml', TASK_CRD);
    expect((await c.run('apply', '-f', 'crd.yaml')).code).toBe(0);
    const task = (name: string, spec: string) => `apiVersion: example.com/v1alpha1\nkind: Task\nmetadata:\n  name: ${name}\n${spec}`;
    c.file('ok.yaml', task('build', 'spec:\n  project: default\n'));
    expect(await c.run('apply', '-f', 'ok.yaml')).toEqual({ code: 0, stdout: 'task.example.com/build created\n', stderr: '' });
    c.file('nospec.yaml', task('lint', ''));
    expect((await c.run('apply', '-f', 'nospec.yaml')).stderr).toBe('The Task "lint" is invalid: spec: Required value\n');
    c.file('long.yaml', task('integration', 'spec: {}\n'));
    expect((await c.run('apply', '-f', 'long.yaml')).stderr).toBe(
      'The Task "integration" is invalid: metadata.name: Too long: may not be more than 8 bytes\n',
    );
  });
});
