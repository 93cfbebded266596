import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

/** A CRD whose spec.items is a list of strings, bounded or not, with the rules given. */
const crd = (items: string, rules: string, extra = '') => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
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
              properties:
                items:
                  type: array
${items}
                  x-kubernetes-validations:
${rules}
${extra}`;

const HINT = '(try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)';
const RULE = 'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[items].x-kubernetes-validations[0].rule';

describe('CEL cost limits of x-kubernetes-validations', () => {
  it('an .all() over an unbounded list of unbounded strings is refused; maxItems and maxLength make it pass', async () => {
    const c = await manualCluster();
    c.file('crd.yaml', crd('                  items: {type: string}', `                    - rule: "self.all(x, x.contains('a string'))"`));
    const r = await c.run('apply', '-f', 'crd.yaml');
    expect(r.stderr).toBe(
      `The CustomResourceDefinition "widgets.example.com" is invalid: \n` +
        `* ${RULE}: Forbidden: estimated rule cost exceeds budget by factor of more than 100x ${HINT}\n` +
        `* ${RULE}: Forbidden: contributed to estimated rule & messageExpression cost total exceeding cost limit for entire OpenAPIv3 schema\n` +
        `* spec.versions[0].schema.openAPIV3Schema: Forbidden: x-kubernetes-validations estimated rule & messageExpression cost total for entire OpenAPIv3 schema exceeds budget by factor of more than 100x ${HINT}\n`,
    );
    expect(r.code).toBe(1);
    c.file(
      'ok.yaml',
      crd(
        '                  maxItems: 100\n                  items: {type: string, maxLength: 1000}',
        `                    - rule: "self.all(x, x.contains('a string'))"`,
      ),
    );
    expect((await c.run('apply', '-f', 'ok.yaml')).stdout).toBe(
      'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created\n',
    );
  });

  it('maxItems on the list bounds how often a rule on its items runs; the factor is printed below 100x', async () => {
    const c = await manualCluster();
    // per item: 1 (self) + ceil(4000 x 0.1) x ceil(8 x 0.1) = 401, run up to 30,000 times: 12,030,000, 1.2x the limit
    const items = (max: number) =>
      `                  maxItems: ${max}\n                  items:\n                    type: string\n                    maxLength: 1000\n                    x-kubernetes-validations:\n                      - rule: "self.contains('a string')"`;
    c.file('crd.yaml', crd(items(30000), `                    - rule: "true"`));
    const r = await c.run('apply', '-f', 'crd.yaml');
    const itemRule = 'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[items].items.x-kubernetes-validations[0].rule';
    expect(r.stderr).toBe(
      `The CustomResourceDefinition "widgets.example.com" is invalid: ${itemRule}: Forbidden: estimated rule cost exceeds budget by factor of 1.203000x ${HINT}\n`,
    );
    c.file('ok.yaml', crd(items(20000), `                    - rule: "true"`));
    expect((await c.run('apply', '-f', 'ok.yaml')).code).toBe(0);
  });

  it('at run time, a call over the per-call limit and a resource over the cost budget stop the validation', async () => {
    const c = await manualCluster();
    // a regular expression of 4,005 characters costs ceil(4005 x 0.25) = 1002 per tenth of the string's length
    const pattern = `^[${'a'.repeat(4000)}]*$`;
    const itemsSchema = (rules: string) =>
      `                  maxItems: 240\n                  items:\n                    type: string\n                    maxLength: 100\n                    x-kubernetes-validations:\n${rules}`;
    const perItem = Array.from({ length: 6 }, () => `                      - rule: "self.matches('${pattern}')"`).join('\n');
    c.file(
      'crd.yaml',
      crd(
        itemsSchema(perItem),
        `                    - rule: "self.all(x, x.matches('${pattern}'))"\n                      message: all items are a's`,
      ),
    );
    expect((await c.run('apply', '-f', 'crd.yaml')).code).toBe(0);
    const widget = (n: number) =>
      `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  items:\n${Array.from({ length: n }, () => `    - ${'a'.repeat(100)}`).join('\n')}\n`;
    c.file('small.yaml', widget(3));
    expect((await c.run('apply', '-f', 'small.yaml')).stdout).toBe('widget.example.com/w created\n');
    // 240 items: the list's rule costs 240 x 11,026 > 1,000,000 and is cancelled
    c.file('big.yaml', widget(240));
    expect((await c.run('apply', '-f', 'big.yaml')).stderr).toBe(
      `The Widget "w" is invalid: spec.items: Invalid value: "array": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: all items are a's\n`,
    );
    // without it, six rules per item at 11,023 each use up the 10,000,000 budget at the 152nd item
    c.file('crd.yaml', crd(itemsSchema(perItem), `                    - rule: "true"`));
    expect((await c.run('apply', '-f', 'crd.yaml')).code).toBe(0);
    expect((await c.run('apply', '-f', 'big.yaml')).stderr).toBe(
      `The Widget "w" is invalid: spec.items[151]: Invalid value: "string": validation failed due to running out of cost budget, no further validation rules will be run\n`,
    );
    expect((await c.run('apply', '-f', 'small.yaml')).stdout).toBe('widget.example.com/w unchanged\n');
  });
});
