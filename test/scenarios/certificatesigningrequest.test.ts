import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

const request = Buffer.from('-----BEGIN CERTIFICATE REQUEST-----\nMIIBfake\n-----END CERTIFICATE REQUEST-----\n').toString('base64');
const csr = (name: string, signer = 'kubernetes.io/kube-apiserver-client') => `apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata: {name: ${name}}
spec:
  request: ${request}
  signerName: ${signer}
  expirationSeconds: 86400
  usages: [client auth]
`;

describe('CertificateSigningRequest', () => {
  it('is Pending until approved, then the signer issues a (simulated) certificate', async () => {
    const c = await manualCluster();
    c.file('csr.yaml', csr('alice'));
    expect((await c.run('apply', '-f', 'csr.yaml')).stdout).toBe('certificatesigningrequest.certificates.k8s.io/alice created\n');
    expect((await c.run('get', 'csr')).stdout).toBe(
      'NAME    AGE   SIGNERNAME                            REQUESTOR          REQUESTEDDURATION   CONDITION\n' +
        'alice   0s    kubernetes.io/kube-apiserver-client   kubernetes-admin   24h                 Pending\n',
    );
    expect((await c.run('certificate', 'approve', 'alice')).stdout).toBe('certificatesigningrequest.certificates.k8s.io/alice approved\n');
    const obj = JSON.parse((await c.run('get', 'csr', 'alice', '-o', 'json')).stdout);
    expect(obj.status.conditions).toEqual([
      {
        type: 'Approved',
        status: 'True',
        reason: 'KubectlApprove',
        message: 'This CSR was approved by kubectl certificate approve.',
        lastUpdateTime: '2025-01-01T00:00:00Z',
        lastTransitionTime: '2025-01-01T00:00:00Z',
      },
    ]);
    expect(Buffer.from(obj.status.certificate, 'base64').toString()).toMatch(
      /^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/,
    );
    expect((await c.run('get', 'csr', '--no-headers')).stdout).toMatch(/Approved,Issued\n$/);
    // approving again changes nothing, and an approved request cannot be denied
    expect((await c.run('certificate', 'approve', 'alice')).stdout).toBe('certificatesigningrequest.certificates.k8s.io/alice approved\n');
    expect(await c.run('certificate', 'deny', 'alice')).toMatchObject({
      code: 1,
      stderr:
        'The CertificateSigningRequest "alice" is invalid: status.conditions[1].type: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive\n',
    });
  });

  it('a denied or custom-signer request gets no certificate; unknown names are not found', async () => {
    const c = await manualCluster();
    c.file('bob.yaml', csr('bob'));
    c.file('carol.yaml', csr('carol', 'example.com/my-signer'));
    await c.run('apply', '-f', 'bob.yaml', '-f', 'carol.yaml');
    expect((await c.run('certificate', 'deny', 'bob')).stdout).toBe('certificatesigningrequest.certificates.k8s.io/bob denied\n');
    await c.run('certificate', 'approve', 'carol');
    expect(
      (await c.run('get', 'csr', '-o', 'custom-columns=N:.metadata.name,C:.status.conditions[0].type,CERT:.status.certificate')).stdout,
    ).toBe('N       C          CERT\nbob     Denied     <none>\ncarol   Approved   <none>\n');
    expect(await c.run('certificate', 'approve', 'nobody')).toMatchObject({
      code: 1,
      stderr: 'Error from server (NotFound): certificatesigningrequests.certificates.k8s.io "nobody" not found\n',
    });
  });

  it('refuses a request without a signer, usages or a PEM request', async () => {
    const c = await manualCluster();
    c.file(
      'bad.yaml',
      'apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata: {name: bad}\nspec:\n  request: aGVsbG8=\n',
    );
    expect((await c.run('apply', '-f', 'bad.yaml')).stderr).toBe(
      'The CertificateSigningRequest "bad" is invalid: \n* spec.request: Invalid value: []byte{...}: PEM block type must be CERTIFICATE REQUEST\n* spec.signerName: Required value\n* spec.usages: Required value\n',
    );
  });
});

describe('certificate approve|deny -f, -k, -R and -o (certificates.go)', () => {
  it('takes the CSRs from files, prints with -o, and refuses names beside files', async () => {
    const c = await manualCluster();
    c.file('csrs/a.yaml', csr('alice'));
    c.file('csrs/more/b.yaml', csr('bob'));
    c.file('kust/a.yaml', csr('alice'));
    c.file('kust/kustomization.yaml', 'resources: [a.yaml]\n');
    await c.run('apply', '-f', 'csrs/a.yaml');
    await c.run('apply', '-f', 'csrs/more/b.yaml');
    expect(await c.run('certificate', 'approve', '-f', 'csrs', '-R')).toEqual({
      code: 0,
      stdout: 'certificatesigningrequest.certificates.k8s.io/alice approved\ncertificatesigningrequest.certificates.k8s.io/bob approved\n',
      stderr: '',
    });
    expect((await c.run('certificate', 'approve', '-k', 'kust', '-o', 'name')).stdout).toBe(
      'certificatesigningrequest.certificates.k8s.io/alice\n',
    );
    // -o prints the object as it was read, before the decision
    c.file('carol.yaml', csr('carol'));
    await c.run('apply', '-f', 'carol.yaml');
    const printed = await c.run('certificate', 'deny', '-f', 'carol.yaml', '-o', 'jsonpath={.metadata.name}:{.status.conditions[*].type}');
    expect(printed.stdout).toBe('carol:');
    expect((await c.run('get', 'csr', 'carol', '-o', 'jsonpath={.status.conditions[*].type}')).stdout).toBe('Denied');
    expect((await c.run('certificate', 'approve', 'alice', '-f', 'csrs/a.yaml')).stderr).toBe(
      'error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well\n',
    );
    expect(await c.run('certificate', 'approve')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: one or more CSRs must be specified as <name> or -f <filename>\n',
    });
    c.file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    expect((await c.run('certificate', 'approve', '-f', 'cm.yaml')).stderr).toBe(
      'error: can only handle CertificateSigningRequest.certificates.k8s.io objects, got ConfigMap\n',
    );
  });
});
