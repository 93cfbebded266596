import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

const FIXTURES = path.resolve(__dirname, '../../fixtures/crds');
const WIDGET_CRD = path.join(FIXTURES, 'widget-crd.yaml');
const WIDGET = path.join(FIXTURES, 'widget.yaml');
const CERTIFICATE_CRD = path.join(FIXTURES, 'certificate-crd.yaml');

async function withWidgets(): Promise<Awaited<ReturnType<typeof manualCluster>>> {
  const c = await manualCluster();
  expect((await c.run('apply', '-f', WIDGET_CRD)).code).toBe(0);
  expect((await c.run('apply', '-f', WIDGET)).code).toBe(0);
  return c;
}

function widget(spec: string, name = 'x'): string {
  return `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
}

describe('CustomResourceDefinition', () => {
  it('is established at once: conditions, accepted names, defaulted listKind and singular', async () => {
    const c = await manualCluster();
    expect((await c.run('apply', '-f', CERTIFICATE_CRD)).stdout).toBe(
      'customresourcedefinition.apiextensions.k8s.io/certificates.cert-manager.io created\n',
    );
    const crd = JSON.parse((await c.run('get', 'crd', 'certificates.cert-manager.io', '-o', 'json')).stdout);
    expect(crd.status.conditions.map((x: { type: string; status: string; reason: string }) => [x.type, x.status, x.reason])).toEqual([
      ['NamesAccepted', 'True', 'NoConflicts'],
      ['Established', 'True', 'InitialNamesAccepted'],
    ]);
    expect(crd.status.acceptedNames).toMatchObject({
      kind: 'Certificate',
      plural: 'certificates',
      listKind: 'CertificateList',
      shortNames: ['cert', 'certs'],
    });
    expect(crd.status.storedVersions).toEqual(['v1']);
    expect(crd.spec.conversion).toEqual({ strategy: 'None' });
    const widgets = await withWidgets();
    const w = JSON.parse((await widgets.run('get', 'crd', 'widgets.example.com', '-o', 'json')).stdout);
    expect(w.spec.names.listKind).toBe('WidgetList');
  });

  it('get crd prints NAME and CREATED AT', async () => {
    const c = await withWidgets();
    expect((await c.run('get', 'crd')).stdout).toBe('NAME                  CREATED AT\nwidgets.example.com   2025-01-01T00:00:00Z\n');
  });

  it('is refused with the API server texts: name, group, storage versions, structural schema', async () => {
    const c = await manualCluster();
    c.file(
      'bad.yaml',
      `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: things.example.com
spec:
  group: example
  scope: Global
  names: {plural: gadgets, kind: Gadget}
  versions:
  - name: v1
    served: true
    storage: false
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            properties:
              tags: {type: array, items: {type: string}, uniqueItems: true}
`,
    );
    const r = await c.run('apply', '-f', 'bad.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The CustomResourceDefinition "things.example.com" is invalid: \n* ');
    expect(r.stderr).toContain('metadata.name: Invalid value: "things.example.com": must be spec.names.plural+"."+spec.group');
    expect(r.stderr).toContain('spec.group: Invalid value: "example": should be a domain with at least one dot');
    expect(r.stderr).toContain('spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"');
    expect(r.stderr).toContain(
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields',
    );
    expect(r.stderr).toContain(
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[tags].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
    );
    expect(r.stderr).toContain(
      'spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{…}: must have exactly one version marked as storage version',
    );
    expect((await c.run('get', 'crd')).stderr).toBe('No resources found\n');
  });

  it('a version without a schema is refused: schemas are required', async () => {
    const c = await manualCluster();
    c.file(
      'noschema.yaml',
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: gadgets.example.com\nspec:\n  group: example.com\n  scope: Cluster\n  names: {plural: gadgets, kind: Gadget}\n  versions:\n  - {name: v1, served: true, storage: true}\n',
    );
    const r = await c.run('apply', '-f', 'noschema.yaml');
    expect(r.stderr).toBe(
      'The CustomResourceDefinition "gadgets.example.com" is invalid: spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required\n',
    );
  });
  it('lists the OpenAPI checks first, then the structural ones sorted by their text as the server sorts them', async () => {
    const c = await manualCluster();
    c.file(
      'unsorted.yaml',
      `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example.com
  scope: Cluster
  names: {plural: gadgets, kind: Gadget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        additionalProperties: {type: string}
        properties:
          zeta:
            type: array
            uniqueItems: true
          alpha: {}
`,
    );
    const at = 'spec.versions[0].schema.openAPIV3Schema';
    expect((await c.run('apply', '-f', 'unsorted.yaml')).stderr).toBe(
      `The CustomResourceDefinition "gadgets.example.com" is invalid: ${[
        `${at}.additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
        `${at}.properties[zeta].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`,
        `${at}.additionalProperties: Forbidden: must not be used at the root`,
        `${at}.properties[alpha].type: Required value: must not be empty for specified object fields`,
        `${at}.properties[zeta].items: Required value: must be specified`,
        `${at}.type: Required value: must not be empty at the root`,
      ]
        .map((e) => `\n* ${e}`)
        .join('')}\n`,
    );
  });
});

describe('custom resources are served as soon as their CRD is established', () => {
  it('a custom resource in the same apply as its CRD fails as kubectl fails; the next apply succeeds', async () => {
    const c = await manualCluster();
    const r = await c.run('apply', '-f', WIDGET_CRD, '-f', WIDGET);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('customresourcedefinition.apiextensions.k8s.io/widgets.example.com created\n');
    expect(r.stderr).toBe(
      `error: resource mapping not found for name: "w" namespace: "" from "${WIDGET}": no matches for kind "Widget" in version "example.com/v1"\nensure CRDs are installed first\n`,
    );
    const again = await c.run('apply', '-f', WIDGET_CRD, '-f', WIDGET);
    expect(again.stdout).toBe(
      'customresourcedefinition.apiextensions.k8s.io/widgets.example.com unchanged\nwidget.example.com/w created\n',
    );
  });

  it('get prints the additionalPrinterColumns (priority > 0 only with -o wide); names, short names and singular resolve', async () => {
    const c = await withWidgets();
    const table = 'NAME   SIZE   COLOR   AGE\nw      3      blue    0s\n';
    for (const type of ['widgets', 'widget', 'wd', 'widgets.example.com', 'Widget']) expect((await c.run('get', type)).stdout).toBe(table);
    expect((await c.run('get', 'wd', '-o', 'wide')).stdout).toBe('NAME   SIZE   COLOR   READY    AGE\nw      3      blue    <none>   0s\n');
    expect((await c.run('get', 'widget/w', '-o', 'name')).stdout).toBe('widget.example.com/w\n');
  });

  it('with no additionalPrinterColumns a CR prints NAME and AGE', async () => {
    const c = await manualCluster();
    c.file(
      'gadget.yaml',
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: gadgets.example.com\nspec:\n  group: example.com\n  scope: Cluster\n  names: {plural: gadgets, kind: Gadget}\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}\n---\napiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\n',
    );
    await c.run('apply', '-f', 'gadget.yaml');
    expect((await c.run('apply', '-f', 'gadget.yaml')).stdout).toContain('gadget.example.com/g created');
    expect((await c.run('get', 'gadgets')).stdout).toBe('NAME   AGE\ng      0s\n');
  });

  it('defaults are applied; -o json shows the stored object', async () => {
    const c = await withWidgets();
    const w = JSON.parse((await c.run('get', 'widget', 'w', '-o', 'json')).stdout);
    expect(w.spec).toEqual({ color: 'blue', minSize: 1, replicas: 1, size: 3 });
    expect(w.metadata.generation).toBe(1);
    expect(w.apiVersion).toBe('example.com/v1');
  });

  // apiextensions' schemaCoercingDecoder: metadata strictly decoded into ObjectMeta, then the
  // pruned paths (pruning.PruneWithOptions, sorted), each as `unknown field "<path>"`
  const TYPOS = widget('  size: 3\n  colour: red\n  tags: [a]\n  extra: {free: form}\n  zzz: {deep: 1}\n', 'typo').replace(
    '  name: typo\n',
    '  name: typo\n  labelz: {a: b}\n',
  );
  const UNKNOWN = 'unknown field "metadata.labelz", unknown field "spec.colour", unknown field "spec.zzz"';

  it('unknown fields are refused by default and with --validate=strict, naming each; nothing is written', async () => {
    const c = await withWidgets();
    c.file('typo.yaml', TYPOS);
    for (const flag of [[], ['--validate=strict']]) {
      expect(await c.run('apply', '-f', 'typo.yaml', ...flag)).toEqual({
        code: 1,
        stdout: '',
        stderr: `Error from server (BadRequest): error when creating "typo.yaml": Widget in version "v1" cannot be handled as a Widget: strict decoding error: ${UNKNOWN}\n`,
      });
    }
    expect((await c.run('get', 'widget', 'typo')).code).toBe(1);
  });

  it('--validate=warn warns for each unknown field and stores the object pruned; ignore prunes silently', async () => {
    const c = await withWidgets();
    c.file('typo.yaml', TYPOS);
    expect(await c.run('apply', '-f', 'typo.yaml', '--validate=warn')).toEqual({
      code: 0,
      stdout: 'widget.example.com/typo created\n',
      stderr: UNKNOWN.split(', ')
        .map((u) => `Warning: ${u}\n`)
        .join(''),
    });
    const w = JSON.parse((await c.run('get', 'widget', 'typo', '-o', 'json')).stdout);
    // x-kubernetes-preserve-unknown-fields keeps `extra` whole
    expect(w.spec).toEqual({ color: 'red', extra: { free: 'form' }, minSize: 1, replicas: 1, size: 3, tags: ['a'] });
    expect(w.metadata.labelz).toBeUndefined();
    c.file('typo2.yaml', TYPOS.replace('name: typo', 'name: typo2'));
    expect(await c.run('create', '-f', 'typo2.yaml', '--validate=ignore')).toEqual({
      code: 0,
      stdout: 'widget.example.com/typo2 created\n',
      stderr: '',
    });
    expect(JSON.parse((await c.run('get', 'widget', 'typo2', '-o', 'json')).stdout).spec.colour).toBeUndefined();
  });

  it('describe prints the generic describer layout', async () => {
    const c = await withWidgets();
    const out = (await c.run('describe', 'wd', 'w')).stdout;
    expect(out).toMatch(
      /^Name: {9}w\nNamespace: {4}default\nLabels: {7}<none>\nAnnotations: {2}<none>\nAPI Version: {2}example.com\/v1\nKind: {9}Widget\nMetadata:\n {2}Creation Timestamp: {2}2025-01-01T00:00:00Z\n {2}Generation: {10}1\n/,
    );
    expect(out).toContain('Spec:\n  Color:     blue\n  Min Size:  1\n  Replicas:  1\n  Size:      3\nEvents:      <none>\n');
  });

  it('api-resources lists the resource with its short names; get all includes it only with the all category', async () => {
    const c = await withWidgets();
    await c.run('apply', '-f', CERTIFICATE_CRD);
    const resources = (await c.run('api-resources')).stdout;
    expect(resources).toMatch(/\nwidgets +wd +example\.com\/v1 +true +Widget\n/);
    expect(resources).toMatch(/\ncertificates +cert,certs +cert-manager\.io\/v1 +true +Certificate\n/);
    c.file(
      'cert.yaml',
      'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n  secretName: web-tls\n  issuerRef: {name: ca}\n',
    );
    await c.run('apply', '-f', 'cert.yaml');
    const all = (await c.run('get', 'all')).stdout;
    expect(all).toContain('widget.example.com/w');
    expect(all).not.toContain('certificate');
  });

  it('label, annotate, merge patch and delete work on a CR; a strategic merge patch is refused', async () => {
    const c = await withWidgets();
    expect((await c.run('label', 'wd', 'w', 'team=a')).stdout).toBe('widget.example.com/w labeled\n');
    expect((await c.run('annotate', 'wd', 'w', 'note=x')).stdout).toBe('widget.example.com/w annotated\n');
    const strategic = await c.run('patch', 'wd', 'w', '-p', '{"spec":{"size":4}}');
    expect(strategic.code).toBe(1);
    expect(strategic.stderr).toBe(
      'error: application/strategic-merge-patch+json is not supported by example.com/v1, Kind=Widget: the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml\n',
    );
    expect((await c.run('patch', 'wd', 'w', '--type=merge', '-p', '{"spec":{"size":4}}')).stdout).toBe('widget.example.com/w patched\n');
    const w = JSON.parse((await c.run('get', 'wd', 'w', '-o', 'json')).stdout);
    expect([w.spec.size, w.metadata.generation, w.metadata.labels.team]).toEqual([4, 2, 'a']);
    expect((await c.run('delete', 'wd', 'w')).stdout).toBe('widget.example.com "w" deleted\n');
    expect((await c.run('get', 'wd', 'w')).stderr).toBe('Error from server (NotFound): widgets.example.com "w" not found\n');
  });

  it('create and replace -f work on a CR and are validated like apply', async () => {
    const c = await manualCluster();
    await c.run('create', '-f', WIDGET_CRD);
    expect((await c.run('create', '-f', WIDGET)).stdout).toBe('widget.example.com/w created\n');
    c.file('w.yaml', widget('  size: 6\n', 'w'));
    expect((await c.run('replace', '-f', 'w.yaml')).stdout).toBe('widget.example.com/w replaced\n');
    expect((await c.run('get', 'wd', 'w', '-o', 'jsonpath={.spec.size} {.spec.color} {.metadata.generation}')).stdout).toBe('6 red 2');
    c.file('shrink.yaml', widget('  size: 5\n', 'w'));
    expect((await c.run('replace', '-f', 'shrink.yaml')).stderr).toBe(
      'The Widget "w" is invalid: spec: Invalid value: "object": size may not shrink\n',
    );
  });

  it('deleting the CRD deletes its resources and stops serving them', async () => {
    const c = await withWidgets();
    expect((await c.run('delete', 'crd', 'widgets.example.com')).code).toBe(0);
    expect((await c.run('get', 'widgets')).stderr).toBe('error: the server doesn\'t have a resource type "widgets"\n');
    await c.run('apply', '-f', WIDGET_CRD);
    expect((await c.run('get', 'widgets')).stderr).toBe('No resources found in default namespace.\n');
  });

  it('a served second version is accepted and stored in the storage version (conversion None)', async () => {
    const c = await withWidgets();
    c.file('beta.yaml', 'apiVersion: example.com/v1beta1\nkind: Widget\nmetadata:\n  name: b\nspec:\n  size: 2\n');
    expect((await c.run('apply', '-f', 'beta.yaml')).stdout).toBe('widget.example.com/b created\n');
    expect((await c.run('get', 'wd', 'b', '-o', 'jsonpath={.apiVersion} {.spec.color}')).stdout).toBe('example.com/v1 red');
    c.file('v2.yaml', 'apiVersion: example.com/v2\nkind: Widget\nmetadata:\n  name: c\nspec:\n  size: 2\n');
    expect((await c.run('apply', '-f', 'v2.yaml')).stderr).toContain('no matches for kind "Widget" in version "example.com/v2"');
  });
});

describe('custom resources are validated against the openAPIV3Schema and CEL rules', () => {
  it('schema errors read as the API server writes them', async () => {
    const c = await withWidgets();
    c.file('bad.yaml', widget('  size: "x"\n  color: pink\n  name: ABCDEFGHIJ\n  tags: [a, a, b, c]\n'));
    const r = await c.run('apply', '-f', 'bad.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'The Widget "x" is invalid: \n* spec.color: Unsupported value: "pink": supported values: "red", "green", "blue"\n* spec.name: Too long: may not be more than 8 bytes\n* spec.name: Invalid value: "ABCDEFGHIJ": spec.name in body should match \'^[a-z]+$\'\n* spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"\n* spec.tags: Too many: 4: must have at most 3 items\n* spec.tags[1]: Duplicate value: "a"\n',
    );
    c.file('big.yaml', widget('  size: 15\n'));
    expect((await c.run('apply', '-f', 'big.yaml')).stderr).toBe(
      'The Widget "x" is invalid: spec.size: Invalid value: 15: spec.size in body should be less than or equal to 10\n',
    );
    c.file('missing.yaml', widget('  color: red\n'));
    expect((await c.run('apply', '-f', 'missing.yaml')).stderr).toBe('The Widget "x" is invalid: spec.size: Required value\n');
    expect((await c.run('get', 'wd', 'x')).code).toBe(1);
  });

  it('x-kubernetes-int-or-string takes both and nothing else', async () => {
    const c = await withWidgets();
    c.file('ok.yaml', widget('  size: 2\n  port: http\n'));
    expect((await c.run('apply', '-f', 'ok.yaml')).code).toBe(0);
    c.file('bad.yaml', widget('  size: 2\n  port: true\n', 'yy'));
    expect((await c.run('apply', '-f', 'bad.yaml')).stderr).toBe(
      'The Widget "yy" is invalid: spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"\n',
    );
  });

  it('CEL rules: message, fieldPath and an oldSelf transition rule checked only on update', async () => {
    const c = await withWidgets();
    const shrink = await c.run('patch', 'wd', 'w', '--type=merge', '-p', '{"spec":{"size":2}}');
    expect(shrink.stderr).toBe('The Widget "w" is invalid: spec: Invalid value: "object": size may not shrink\n');
    const minSize = await c.run('patch', 'wd', 'w', '--type=merge', '-p', '{"spec":{"minSize":5}}');
    expect(minSize.stderr).toBe('The Widget "w" is invalid: spec.minSize: Invalid value: "object": minSize must not exceed size\n');
    // the transition rule does not run on create: a smaller new widget is fine
    c.file('small.yaml', widget('  size: 1\n', 'small'));
    expect((await c.run('apply', '-f', 'small.yaml')).code).toBe(0);
  });
});

describe('status and scale subresources', () => {
  it('status is written only through the status subresource, and spec never through it', async () => {
    const c = await withWidgets();
    await c.run('patch', 'wd', 'w', '--type=merge', '-p', '{"status":{"ready":true}}');
    expect((await c.run('get', 'wd', 'w', '-o', 'jsonpath={.status}')).stdout).toBe('');
    await c.run('patch', 'wd', 'w', '--type=merge', '--subresource=status', '-p', '{"status":{"ready":true},"spec":{"size":9}}');
    expect((await c.run('get', 'wd', 'w', '-o', 'jsonpath={.status.ready} {.spec.size} {.metadata.generation}')).stdout).toBe('true 3 1');
    expect((await c.run('get', 'wd', '-o', 'wide')).stdout).toBe('NAME   SIZE   COLOR   READY   AGE\nw      3      blue    true    0s\n');
  });

  it('kubesim scale writes specReplicasPath of a CR with a scale subresource', async () => {
    const c = await withWidgets();
    expect((await c.run('scale', 'wd', 'w', '--replicas=4')).stdout).toBe('widget.example.com/w scaled\n');
    expect((await c.run('get', 'wd', 'w', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('4');
    await c.run('apply', '-f', CERTIFICATE_CRD);
    c.file(
      'cert.yaml',
      'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n  secretName: web-tls\n  issuerRef: {name: ca}\n',
    );
    await c.run('apply', '-f', 'cert.yaml');
    expect((await c.run('scale', 'cert', 'web', '--replicas=2')).stderr).toBe(
      'Error from server (NotFound): the server could not find the requested resource\n',
    );
  });

  it('scale --timeout waits for the Scale status, which a CR keeps at statusReplicasPath', async () => {
    const c = await manualCluster();
    // the widget CRD with the Scale's status.replicas at .status.observed instead of .status.replicas
    const crd = fs
      .readFileSync(WIDGET_CRD, 'utf8')
      .replace('statusReplicasPath: .status.replicas', 'statusReplicasPath: .status.observed')
      .replace(
        '                selector:\n                  type: string\n',
        '                selector:\n                  type: string\n                observed:\n                  type: integer\n',
      );
    expect(crd).toContain('statusReplicasPath: .status.observed');
    expect(crd).toContain('observed:\n');
    c.file('crd.yaml', crd);
    expect((await c.run('apply', '-f', 'crd.yaml')).code).toBe(0);
    expect((await c.run('apply', '-f', WIDGET)).code).toBe(0);
    // .status.replicas is not what the Scale reports: nothing observed 2 replicas
    await c.run('patch', 'wd', 'w', '--type=merge', '--subresource=status', '-p', '{"status":{"replicas":2}}');
    expect(await c.run('scale', 'wd', 'w', '--replicas=2', '--timeout=5s')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: timed out waiting for "w" to be synced\n',
    });
    await c.run('patch', 'wd', 'w', '--type=merge', '--subresource=status', '-p', '{"status":{"observed":3}}');
    expect(await c.run('scale', 'wd', 'w', '--replicas=3', '--timeout=5s')).toEqual({
      code: 0,
      stdout: 'widget.example.com/w scaled\n',
      stderr: '',
    });
  });
});

describe('HorizontalPodAutoscaler on a custom resource with a scale subresource', () => {
  it('reads the pods through labelSelectorPath and writes specReplicasPath', async () => {
    const c = await withWidgets();
    c.file(
      'pool.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: pool}
spec:
  replicas: 2
  selector: {matchLabels: {app: pool}}
  template:
    metadata:
      labels: {app: pool}
      annotations: {sim.kubesim.io/cpu-millicores: "90"}
    spec:
      containers:
      - {name: c, image: nginx:1.27, resources: {requests: {cpu: 100m}}}
`,
    );
    await c.run('apply', '-f', 'pool.yaml');
    await c.run('patch', 'wd', 'w', '--type=merge', '-p', '{"spec":{"replicas":2}}');
    await c.run('patch', 'wd', 'w', '--type=merge', '--subresource=status', '-p', '{"status":{"replicas":2,"selector":"app=pool"}}');
    expect((await c.run('autoscale', 'widget/w', '--min', '1', '--max', '10', '--cpu-percent', '50')).stdout).toBe(
      'horizontalpodautoscaler.autoscaling/w autoscaled\n',
    );
    await c.run('clock', 'advance', '60s');
    // 2 pods at 90% of their request against a 50% target: ceil(2 × 90 / 50) = 4
    expect((await c.run('get', 'wd', 'w', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('4');
    expect((await c.run('get', 'hpa', 'w', '-o', 'jsonpath={.spec.scaleTargetRef.kind} {.status.desiredReplicas}')).stdout).toBe(
      'Widget 4',
    );
  });
});

describe('a cert-manager shaped Certificate CRD', () => {
  it('prints Ready and Status from a condition filter, Issuer only with -o wide', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', CERTIFICATE_CRD);
    c.file(
      'cert.yaml',
      'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n  secretName: web-tls\n  issuerRef: {name: letsencrypt}\n  dnsNames: [a.example.com]\n',
    );
    expect((await c.run('apply', '-f', 'cert.yaml')).stdout).toBe('certificate.cert-manager.io/web created\n');
    expect((await c.run('get', 'certs')).stdout).toBe('NAME   READY    SECRET    AGE\nweb    <none>   web-tls   0s\n');
    await c.run(
      'patch',
      'certificate',
      'web',
      '--subresource=status',
      '--type=merge',
      '-p',
      '{"status":{"conditions":[{"type":"Ready","status":"True","message":"Certificate is up to date and has not expired"}]}}',
    );
    expect((await c.run('get', 'cert', '-o', 'wide')).stdout).toBe(
      'NAME   READY   SECRET    ISSUER        STATUS                                          AGE\nweb    True    web-tls   letsencrypt   Certificate is up to date and has not expired   0s\n',
    );
    c.file(
      'bad.yaml',
      'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: bad\nspec:\n  secretName: s\n  issuerRef: {}\n  privateKey: {algorithm: DSA}\n',
    );
    expect((await c.run('apply', '-f', 'bad.yaml')).stderr).toBe(
      'The Certificate "bad" is invalid: \n* spec.issuerRef.name: Required value\n* spec.privateKey.algorithm: Unsupported value: "DSA": supported values: "RSA", "ECDSA", "Ed25519"\n',
    );
  });
});
