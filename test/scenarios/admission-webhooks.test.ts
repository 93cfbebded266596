import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

const webhookConfig = (
  kind: string,
  extra = '',
  rules = '[{operations: [CREATE, UPDATE], apiGroups: [""], apiVersions: [v1], resources: [configmaps]}]',
) => `apiVersion: admissionregistration.k8s.io/v1
kind: ${kind}
metadata: {name: guard}
webhooks:
- name: guard.example.com
  clientConfig:
    service: {name: guard, namespace: guard-system, path: /validate}
  rules: ${rules}
  sideEffects: None
  admissionReviewVersions: [v1]
${extra}`;

const webhookServer = `apiVersion: apps/v1
kind: Deployment
metadata: {name: guard, namespace: guard-system}
spec:
  replicas: 1
  selector: {matchLabels: {app: guard}}
  template:
    metadata: {labels: {app: guard}}
    spec:
      containers: [{name: guard, image: example/guard:1.0, ports: [{containerPort: 8443}]}]
---
apiVersion: v1
kind: Service
metadata: {name: guard, namespace: guard-system}
spec:
  selector: {app: guard}
  ports: [{port: 443, targetPort: 8443}]
`;

const FAILED =
  'Error from server (InternalError): error when creating "cm.yaml": Internal error occurred: failed calling webhook "guard.example.com": failed to call webhook: Post "https://guard.guard-system.svc:443/validate?timeout=10s": ';

describe('ValidatingWebhookConfiguration and MutatingWebhookConfiguration', () => {
  it('stores webhooks with the API server defaults and lists WEBHOOKS', async () => {
    const c = await manualCluster();
    c.file('vwc.yaml', webhookConfig('ValidatingWebhookConfiguration'));
    c.file('mwc.yaml', webhookConfig('MutatingWebhookConfiguration'));
    expect((await c.run('apply', '-f', 'vwc.yaml')).stdout).toBe(
      'validatingwebhookconfiguration.admissionregistration.k8s.io/guard created\n',
    );
    await c.run('apply', '-f', 'mwc.yaml');
    const hook = JSON.parse((await c.run('get', 'validatingwebhookconfiguration', 'guard', '-o', 'json')).stdout).webhooks[0];
    expect(hook).toMatchObject({
      failurePolicy: 'Fail',
      matchPolicy: 'Equivalent',
      namespaceSelector: {},
      objectSelector: {},
      timeoutSeconds: 10,
      clientConfig: { service: { port: 443 } },
      rules: [{ scope: '*' }],
    });
    expect(hook.reinvocationPolicy).toBeUndefined();
    expect(
      JSON.parse((await c.run('get', 'mutatingwebhookconfigurations', 'guard', '-o', 'json')).stdout).webhooks[0].reinvocationPolicy,
    ).toBe('Never');
    expect((await c.run('get', 'validatingwebhookconfigurations')).stdout).toBe('NAME    WEBHOOKS   AGE\nguard   1          0s\n');
  });

  it('refuses webhooks without sideEffects or admissionReviewVersions, and bad names', async () => {
    const c = await manualCluster();
    c.file(
      'bad.yaml',
      webhookConfig('ValidatingWebhookConfiguration')
        .replace('  sideEffects: None\n', '')
        .replace('  admissionReviewVersions: [v1]\n', '')
        .replace('guard.example.com', 'guard'),
    );
    const r = await c.run('apply', '-f', 'bad.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'The ValidatingWebhookConfiguration "guard" is invalid: \n* webhooks[0].name: Invalid value: "guard": should be a domain with at least three segments separated by dots\n' +
        '* webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun\n' +
        '* webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1\n',
    );
  });

  it('fails matching writes while the webhook service has no ready endpoint, then admits once it has', async () => {
    const c = await manualCluster();
    await c.run('create', 'namespace', 'guard-system');
    c.file('vwc.yaml', webhookConfig('ValidatingWebhookConfiguration'));
    await c.run('apply', '-f', 'vwc.yaml');
    c.file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: "1"}\n');
    const noService = await c.run('apply', '-f', 'cm.yaml');
    expect([noService.code, noService.stderr]).toEqual([1, `${FAILED}service "guard" not found\n`]);
    c.file('server.yaml', webhookServer);
    await c.run('apply', '-f', 'server.yaml');
    const notReady = await c.run('apply', '-f', 'cm.yaml');
    expect(notReady.stderr).toBe(`${FAILED}no endpoints available for service "guard"\n`);
    expect((await c.run('get', 'configmap', 'settings')).code).toBe(1);
    // a write the rules do not match is not sent
    expect((await c.run('create', 'secret', 'generic', 's', '--from-literal=a=b')).code).toBe(0);
    await c.run('clock', 'advance', '10s');
    expect((await c.run('apply', '-f', 'cm.yaml')).stdout).toBe('configmap/settings created\n');
  });

  it('admits under failurePolicy Ignore, and honours namespaceSelector and objectSelector', async () => {
    const c = await manualCluster();
    c.file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, labels: {guarded: "yes"}}\n');
    c.file('vwc.yaml', webhookConfig('ValidatingWebhookConfiguration', '  failurePolicy: Ignore\n'));
    await c.run('apply', '-f', 'vwc.yaml');
    expect((await c.run('apply', '-f', 'cm.yaml')).code).toBe(0);
    await c.run('delete', 'configmap', 'settings');
    c.file('vwc.yaml', webhookConfig('ValidatingWebhookConfiguration', '  objectSelector: {matchLabels: {guarded: "no"}}\n'));
    await c.run('apply', '-f', 'vwc.yaml');
    expect((await c.run('apply', '-f', 'cm.yaml')).code).toBe(0);
    await c.run('delete', 'configmap', 'settings');
    c.file(
      'vwc.yaml',
      webhookConfig(
        'ValidatingWebhookConfiguration',
        '  namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [default]}]}\n',
      ),
    );
    await c.run('apply', '-f', 'vwc.yaml');
    expect((await c.run('apply', '-f', 'cm.yaml')).code).toBe(0);
    expect((await c.run('apply', '-f', 'cm.yaml', '-n', 'kube-public')).stderr).toContain('service "guard" not found');
  });

  it('sends DELETE requests to webhooks whose rules name DELETE', async () => {
    const c = await manualCluster();
    await c.run('create', 'configmap', 'settings', '--from-literal=a=1');
    c.file(
      'vwc.yaml',
      webhookConfig(
        'ValidatingWebhookConfiguration',
        '',
        '[{operations: [DELETE], apiGroups: [""], apiVersions: [v1], resources: [configmaps]}]',
      ),
    );
    await c.run('apply', '-f', 'vwc.yaml');
    // a CREATE is not what the rule names
    expect((await c.run('create', 'configmap', 'other')).code).toBe(0);
    const r = await c.run('delete', 'configmap', 'settings');
    expect([r.code, r.stderr]).toEqual([
      1,
      'Error from server (InternalError): Internal error occurred: failed calling webhook "guard.example.com": failed to call webhook: Post "https://guard.guard-system.svc:443/validate?timeout=10s": service "guard" not found\n',
    ]);
    expect((await c.run('get', 'configmap', 'settings')).code).toBe(0);
  });

  it("shows a controller's refused pod creations as FailedCreate, as an install-order problem does on a cluster", async () => {
    const c = await manualCluster();
    c.file(
      'mwc.yaml',
      webhookConfig('MutatingWebhookConfiguration', '', '[{operations: [CREATE], apiGroups: [""], apiVersions: [v1], resources: [pods]}]'),
    );
    await c.run('apply', '-f', 'mwc.yaml');
    await c.run('create', 'deployment', 'web', '--image=nginx');
    await c.run('clock', 'advance', '5s');
    expect((await c.run('get', 'pods')).stderr).toBe('No resources found in default namespace.\n');
    expect((await c.run('get', 'events', '--field-selector', 'reason=FailedCreate', '-o', 'jsonpath={.items[0].message}')).stdout).toBe(
      'Error creating: Internal error occurred: failed calling webhook "guard.example.com": failed to call webhook: Post "https://guard.guard-system.svc:443/validate?timeout=10s": service "guard" not found',
    );
  });
});
