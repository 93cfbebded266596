import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

/** A Gadget served as v1 (stored) and v1beta1, converted by the CRD's strategy. */
const gadgetCrd = (conversion: string, storage = 'v1') => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: gadgets, singular: gadget, kind: Gadget}
${conversion}
  versions:
  - name: v1
    served: true
    storage: ${storage === 'v1'}
    schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, x-kubernetes-preserve-unknown-fields: true}}}}
  - name: v1beta1
    served: true
    storage: ${storage === 'v1beta1'}
    schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, x-kubernetes-preserve-unknown-fields: true}}}}
`;

const WEBHOOK = `  conversion:
    strategy: Webhook
    webhook:
      conversionReviewVersions: [v1]
      clientConfig:
        service: {name: conv, namespace: default, path: /convert}`;

const converter = `apiVersion: apps/v1
kind: Deployment
metadata: {name: conv}
spec:
  replicas: 1
  selector: {matchLabels: {app: conv}}
  template:
    metadata: {labels: {app: conv}}
    spec:
      containers: [{name: conv, image: example/conv:1.0, ports: [{containerPort: 9443}]}]
---
apiVersion: v1
kind: Service
metadata: {name: conv}
spec:
  selector: {app: conv}
  ports: [{port: 443, targetPort: 9443}]
`;

const gadget = (version: string, name: string) =>
  `apiVersion: example.com/${version}\nkind: Gadget\nmetadata: {name: ${name}}\nspec: {size: 1}\n`;

const POST = 'Post "https://conv.default.svc:443/convert?timeout=30s"';

describe('CustomResourceDefinition conversion', () => {
  it('strategy None: stored in the storage version, read in any served version with only apiVersion changed', async () => {
    const c = await manualCluster();
    c.file('crd.yaml', gadgetCrd(''));
    await c.run('apply', '-f', 'crd.yaml');
    c.file('b.yaml', gadget('v1beta1', 'b'));
    expect((await c.run('apply', '-f', 'b.yaml')).stdout).toBe('gadget.example.com/b created\n');
    expect((await c.run('get', 'gadgets', 'b', '-o', 'jsonpath={.apiVersion}')).stdout).toBe('example.com/v1');
    expect((await c.run('get', 'gadgets.v1beta1.example.com', 'b', '-o', 'jsonpath={.apiVersion}')).stdout).toBe('example.com/v1beta1');
    expect((await c.run('get', 'gadgets.v1beta1.example.com/b', '-o', 'jsonpath={.apiVersion}')).stdout).toBe('example.com/v1beta1');
    // a version that is not served is read as resource.group, as kubectl's ParseResourceArg falls back
    expect((await c.run('get', 'gadgets.v2.example.com', 'b')).stderr).toBe(
      'error: the server doesn\'t have a resource type "gadgets.v2.example.com"\n',
    );
    expect((await c.run('get', 'deployments.v1.apps')).stderr).toBe('No resources found in default namespace.\n');
  });

  it('storedVersions keeps every storage version used; a stored version cannot leave spec.versions', async () => {
    const c = await manualCluster();
    c.file('crd.yaml', gadgetCrd(''));
    await c.run('apply', '-f', 'crd.yaml');
    c.file('crd2.yaml', gadgetCrd('', 'v1beta1'));
    await c.run('apply', '-f', 'crd2.yaml');
    expect((await c.run('get', 'crd', 'gadgets.example.com', '-o', 'jsonpath={.status.storedVersions}')).stdout).toBe('["v1","v1beta1"]');
    c.file('only-beta.yaml', gadgetCrd('', 'v1beta1').replace(/ {2}- name: v1\n[\s\S]*?(?= {2}- name: v1beta1)/, ''));
    expect((await c.run('apply', '-f', 'only-beta.yaml')).stderr).toBe(
      'The CustomResourceDefinition "gadgets.example.com" is invalid: status.storedVersions[0]: Invalid value: "v1": must appear in spec.versions\n',
    );
  });

  it('strategy Webhook: a conversion fails with the API server text while the webhook service cannot be reached', async () => {
    const c = await manualCluster();
    c.file('crd.yaml', gadgetCrd(WEBHOOK));
    expect((await c.run('apply', '-f', 'crd.yaml')).code).toBe(0);
    expect(
      (await c.run('get', 'crd', 'gadgets.example.com', '-o', 'jsonpath={.spec.conversion.webhook.clientConfig.service.port}')).stdout,
    ).toBe('443');
    // the storage version needs no conversion
    c.file('a.yaml', gadget('v1', 'a'));
    expect((await c.run('apply', '-f', 'a.yaml')).stdout).toBe('gadget.example.com/a created\n');
    expect((await c.run('get', 'gadgets')).stdout).toContain('a ');
    c.file('b.yaml', gadget('v1beta1', 'b'));
    const write = await c.run('apply', '-f', 'b.yaml');
    expect([write.code, write.stderr]).toEqual([
      1,
      `Error from server (InternalError): error when creating "b.yaml": Internal error occurred: conversion webhook for example.com/v1beta1, Kind=Gadget failed: ${POST}: service "conv" not found\n`,
    ]);
    const read = await c.run('get', 'gadgets.v1beta1.example.com', 'a');
    expect([read.code, read.stdout, read.stderr]).toEqual([
      1,
      '',
      `Error from server: conversion webhook for example.com/v1, Kind=Gadget failed: ${POST}: service "conv" not found\n`,
    ]);
    // apply reads the live object in the manifest's version first
    c.file('a-beta.yaml', gadget('v1beta1', 'a'));
    expect((await c.run('apply', '-f', 'a-beta.yaml')).stderr).toBe(
      `Error from server: error when retrieving current configuration of:\nResource: "example.com/v1beta1, Resource=gadgets", GroupVersionKind: "example.com/v1beta1, Kind=Gadget"\nName: "a", Namespace: "default"\nfrom server for: "a-beta.yaml": conversion webhook for example.com/v1, Kind=Gadget failed: ${POST}: service "conv" not found\n`,
    );
    c.file('server.yaml', converter);
    await c.run('apply', '-f', 'server.yaml');
    expect((await c.run('get', 'gadgets.v1beta1.example.com', 'a')).stderr).toBe(
      `Error from server: conversion webhook for example.com/v1, Kind=Gadget failed: ${POST}: no endpoints available for service "conv"\n`,
    );
    await c.run('clock', 'advance', '10s');
    // a ready endpoint: the webhook converts (kubesim rewrites apiVersion only)
    expect((await c.run('apply', '-f', 'b.yaml')).stdout).toBe('gadget.example.com/b created\n');
    expect((await c.run('get', 'gadgets.v1beta1.example.com', 'a', '-o', 'jsonpath={.apiVersion}')).stdout).toBe('example.com/v1beta1');
    expect((await c.run('get', 'gadgets', 'b', '-o', 'jsonpath={.apiVersion}')).stdout).toBe('example.com/v1');
  });

  it('the conversion stanza is validated as apiextensions validates it', async () => {
    const c = await manualCluster();
    const refused = async (conversion: string) => (await c.run('apply', '-f', c.file('bad.yaml', gadgetCrd(conversion)))).stderr;
    expect(await refused('  conversion: {strategy: Webhook}')).toBe(
      'The CustomResourceDefinition "gadgets.example.com" is invalid: \n* spec.conversion.webhookClientConfig: Required value: required when strategy is set to Webhook\n* spec.conversion.conversionReviewVersions: Required value\n',
    );
    expect(
      await refused(
        '  conversion: {strategy: Webhook, webhook: {conversionReviewVersions: [v3], clientConfig: {url: "http://conv.example.com/x"}}}',
      ),
    ).toBe(
      `The CustomResourceDefinition "gadgets.example.com" is invalid: \n* spec.conversion.webhookClientConfig.url: Invalid value: "http": 'https' is the only allowed URL scheme\n* spec.conversion.conversionReviewVersions: Invalid value: []string{"v3"}: must include at least one of v1, v1beta1\n`,
    );
    expect(
      await refused('  conversion: {strategy: None, webhook: {conversionReviewVersions: [v1], clientConfig: {url: "https://x"}}}'),
    ).toBe(
      'The CustomResourceDefinition "gadgets.example.com" is invalid: \n* spec.conversion.webhookClientConfig: Forbidden: should not be set when strategy is not set to Webhook\n* spec.conversion.conversionReviewVersions: Forbidden: should not be set when strategy is not set to Webhook\n',
    );
    expect(
      await refused(
        '  conversion: {strategy: Webhook, webhook: {conversionReviewVersions: [v1, v1], clientConfig: {service: {namespace: d}}}}',
      ),
    ).toBe(
      'The CustomResourceDefinition "gadgets.example.com" is invalid: \n* spec.conversion.webhookClientConfig.service.name: Required value: service name is required\n* spec.conversion.conversionReviewVersions[1]: Invalid value: "v1": duplicate version\n',
    );
    expect((await c.run('get', 'crd')).stderr).toBe('No resources found\n');
  });
});
