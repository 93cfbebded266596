import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

/** A CRD whose rules use CEL's optional syntax, the format library and optionalOldSelf. */
const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example.com
  names: {kind: Gadget, plural: gadgets}
  scope: Namespaced
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
              x-kubernetes-validations:
                - rule: "self.?limits.?max.orValue(10) >= self.?limits.?min.orValue(0)"
                  message: "max must not be below min"
                - rule: "!format.dns1123Label().validate(self.target).hasValue()"
                  # (concatenating the message with a string would be refused: its size is unknown to the cost estimator)
                  messageExpression: "format.dns1123Label().validate(self.target).value()[0]"
                - rule: "!oldSelf.hasValue() || !has(oldSelf.value().owner) || self.owner == oldSelf.value().owner"
                  optionalOldSelf: true
                  message: "owner is immutable once set"
                - rule: "[?self.?owner, 'x'].size() >= 1"
              properties:
                target: {type: string, maxLength: 63}
                owner: {type: string, maxLength: 63}
                limits:
                  type: object
                  properties:
                    min: {type: integer}
                    max: {type: integer}
`;

const gadget = (spec: string) => `apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\nspec:\n${spec}`;

describe('CEL optionals and the format library in x-kubernetes-validations', () => {
  it('a.?b.orValue(default) reads absent fields as the default', async () => {
    const c = await manualCluster();
    c.file('crd.yaml', CRD);
    expect((await c.run('apply', '-f', 'crd.yaml')).code).toBe(0);
    c.file('g.yaml', gadget('  target: web\n  limits: {min: 3}\n'));
    expect((await c.run('apply', '-f', 'g.yaml')).stdout).toBe('gadget.example.com/g created\n');
    c.file('bad.yaml', gadget('  target: web\n  limits: {min: 30}\n'));
    expect((await c.run('apply', '-f', 'bad.yaml')).stderr).toBe(
      'The Gadget "g" is invalid: spec: Invalid value: "object": max must not be below min\n',
    );
  });

  it('format.dns1123Label().validate gives the API server own message', async () => {
    const c = await manualCluster();
    c.file('crd.yaml', CRD);
    await c.run('apply', '-f', 'crd.yaml');
    c.file('g.yaml', gadget('  target: Web_1\n'));
    expect((await c.run('apply', '-f', 'g.yaml')).stderr).toBe(
      `The Gadget "g" is invalid: spec: Invalid value: "object": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')\n`,
    );
  });

  it('optionalOldSelf runs the rule on create with oldSelf none, and on update with the old value', async () => {
    const c = await manualCluster();
    c.file('crd.yaml', CRD);
    await c.run('apply', '-f', 'crd.yaml');
    c.file('g.yaml', gadget('  target: web\n  owner: ann\n'));
    expect((await c.run('apply', '-f', 'g.yaml')).code).toBe(0);
    const r = await c.run('patch', 'gadget', 'g', '--type=merge', '-p', '{"spec":{"owner":"bob"}}');
    expect(r.stderr).toBe('The Gadget "g" is invalid: spec: Invalid value: "object": owner is immutable once set\n');
    expect(r.code).toBe(1);
  });

  it('optionalOldSelf on a rule that does not read oldSelf is refused with the CRD', async () => {
    const c = await manualCluster();
    c.file(
      'crd.yaml',
      CRD.replace('message: "max must not be below min"', 'message: "max must not be below min"\n                  optionalOldSelf: false'),
    );
    const r = await c.run('apply', '-f', 'crd.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'The CustomResourceDefinition "gadgets.example.com" is invalid: spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].optionalOldSelf: Invalid value: false: may not be set if oldSelf is not used in rule\n',
    );
  });
});
