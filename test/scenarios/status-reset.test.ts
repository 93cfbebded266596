import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

// pkg/registry/*/strategy.go (v1.32): PrepareForCreate resets status, PrepareForUpdate copies the
// stored status over the one sent; only the status subresource writes it. Nodes keep theirs on create.

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
status:
  replicas: 7
  readyReplicas: 7
  conditions: [{type: Forged, status: "True"}]
`;

const POD = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec: {containers: [{name: c, image: nginx}]}
status: {phase: Succeeded, podIP: 10.9.9.9}
`;

describe('status on writes of the object itself (registry strategies)', () => {
  it('apply and create of a Deployment drop the status sent: status comes from the controller only', async () => {
    const c = await manualCluster();
    c.file('d.yaml', DEPLOY);
    expect((await c.run('apply', '-f', 'd.yaml')).stdout).toBe('deployment.apps/web created\n');
    await c.run('clock', 'advance', '30s');
    const status = '{.status.replicas} {.status.readyReplicas} {.status.conditions[*].type}';
    expect((await c.run('get', 'deploy', 'web', '-o', `jsonpath=${status}`)).stdout).toBe('2 2 Available Progressing');
    // a re-apply with another status changes nothing
    c.file('d.yaml', DEPLOY.replace('readyReplicas: 7', 'readyReplicas: 5'));
    // (kubectl's patch still changes the last-applied annotation: configured)
    expect((await c.run('apply', '-f', 'd.yaml')).stdout).toBe('deployment.apps/web configured\n');
    expect((await c.run('get', 'deploy', 'web', '-o', `jsonpath=${status}`)).stdout).toBe('2 2 Available Progressing');
    // create keeps none of it either
    c.file('d2.yaml', DEPLOY.replace('name: web', 'name: web2'));
    expect((await c.run('create', '-f', 'd2.yaml', '--dry-run=server', '-o', 'jsonpath={.status}')).stdout).toBe('{}');
  });

  it('a Pod created with a status starts Pending; replace of an edited status.phase leaves the phase', async () => {
    const c = await manualCluster();
    c.file('p.yaml', POD);
    expect(
      (await c.run('create', '-f', 'p.yaml', '--dry-run=server', '-o', 'jsonpath={.status.phase} {.status.qosClass} {.status.podIP}'))
        .stdout,
    ).toBe('Pending BestEffort ');
    expect((await c.run('apply', '-f', 'p.yaml')).code).toBe(0);
    await c.run('clock', 'advance', '30s');
    const phase = async () => (await c.run('get', 'pod', 'p', '-o', 'jsonpath={.status.phase} {.status.podIP}')).stdout;
    const before = await phase();
    expect(before).toMatch(/^Running \d+\.\d+\.\d+\.\d+$/);
    const live = (await c.run('get', 'pod', 'p', '-o', 'yaml')).stdout;
    c.file('edited.yaml', live.replace('phase: Running', 'phase: Failed'));
    expect(live).not.toBe(live.replace('phase: Running', 'phase: Failed'));
    expect((await c.run('replace', '-f', 'edited.yaml')).stdout).toBe('pod/p replaced\n');
    expect(await phase()).toBe(before);
    // a merge patch of the object itself ignores status too
    expect((await c.run('patch', 'pod', 'p', '--type=merge', '-p', '{"status":{"phase":"Failed"}}')).stdout).toBe(
      'pod/p patched (no change)\n',
    );
    expect(await phase()).toBe(before);
  });

  it('patch --subresource=status writes the status, and not the spec', async () => {
    const c = await manualCluster();
    expect((await c.run('create', 'namespace', 'team')).code).toBe(0);
    const conditions = '{.status.conditions[*].type}';
    const status = '{"status":{"conditions":[{"type":"Audited","status":"True"}]}}';
    expect((await c.run('patch', 'ns', 'team', '--type=merge', '-p', status)).stdout).toBe('namespace/team patched (no change)\n');
    expect((await c.run('get', 'ns', 'team', '-o', `jsonpath=${conditions}`)).stdout).toBe('');
    const patch = '{"spec":{"finalizers":["x.io/y"]},"status":{"conditions":[{"type":"Audited","status":"True"}]}}';
    expect((await c.run('patch', 'ns', 'team', '--subresource=status', '--type=merge', '-p', patch)).stdout).toBe(
      'namespace/team patched\n',
    );
    // (namespaceStatusStrategy: Spec = oldNamespace.Spec, the kubernetes finalizer PrepareForCreate put there)
    expect((await c.run('get', 'ns', 'team', '-o', `jsonpath=${conditions} {.spec.finalizers}`)).stdout).toBe('Audited ["kubernetes"]');
  });

  it('a Node keeps the status it is created with; a Namespace starts Active whatever it is sent', async () => {
    const c = await manualCluster();
    c.file(
      'n.yaml',
      'apiVersion: v1\nkind: Node\nmetadata: {name: extra}\nstatus:\n  capacity: {cpu: "3", memory: 5Gi, pods: "17"}\n---\n' +
        'apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\nstatus: {phase: Terminating}\n',
    );
    expect((await c.run('apply', '-f', 'n.yaml')).code).toBe(0);
    expect((await c.run('get', 'node', 'extra', '-o', 'jsonpath={.status.capacity.cpu} {.status.capacity.pods}')).stdout).toBe('3 17');
    expect((await c.run('get', 'ns', 'team', '-o', 'jsonpath={.status.phase}')).stdout).toBe('Active');
    // an update of the Node does not write its status
    c.file('n2.yaml', 'apiVersion: v1\nkind: Node\nmetadata: {name: extra}\nstatus:\n  capacity: {cpu: "9", memory: 5Gi, pods: "17"}\n');
    expect((await c.run('apply', '-f', 'n2.yaml')).code).toBe(0);
    expect((await c.run('get', 'node', 'extra', '-o', 'jsonpath={.status.capacity.cpu}')).stdout).toBe('3');
  });

  it('kubectl certificate approve writes the conditions through the approval subresource', async () => {
    const c = await manualCluster();
    const request = Buffer.from('-----BEGIN CERTIFICATE REQUEST-----\nMIIBfake\n-----END CERTIFICATE REQUEST-----\n').toString('base64');
    c.file(
      'csr.yaml',
      `apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata: {name: a}\nspec:\n  request: ${request}\n` +
        '  signerName: kubernetes.io/kube-apiserver-client\n  usages: [client auth]\nstatus: {conditions: [{type: Denied, status: "True"}]}\n',
    );
    expect((await c.run('apply', '-f', 'csr.yaml')).code).toBe(0);
    expect((await c.run('get', 'csr', 'a', '-o', 'jsonpath={.status.conditions}')).stdout).toBe('');
    expect((await c.run('certificate', 'approve', 'a')).code).toBe(0);
    const obj = JSON.parse((await c.run('get', 'csr', 'a', '-o', 'json', '--show-managed-fields')).stdout);
    expect(obj.status.conditions.map((x: { type: string }) => x.type)).toEqual(['Approved']);
    const approval = obj.metadata.managedFields.find((m: { subresource?: string }) => m.subresource === 'approval');
    expect(approval).toMatchObject({ operation: 'Update', subresource: 'approval' });
    expect(Object.keys(approval.fieldsV1)).toEqual(['f:status']);
  });
});
