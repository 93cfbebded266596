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
    expect(validateStructuralSchema(schema, at).map(formatFieldError)).toEqual([
      `${at}.anyOf[0].properties[spec].properties[a].default: Forbidden: must be undefined to be structural`,
      `${at}.anyOf[0].properties[spec].type: Forbidden: must be empty to be structural`,
      `${at}.anyOf[0].properties[spec].description: Forbidden: must be empty to be structural`,
      `${at}.anyOf[0].properties[metadata]: Forbidden: must not be specified in a nested context`,
    ]);
  });
});
