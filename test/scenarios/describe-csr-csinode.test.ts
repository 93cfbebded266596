import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

/**
 * A real PKCS#10 request (openssl req -new -newkey ec -subj "/CN=alice/O=dev/O=ops/C=NL/serialNumber=42"
 * -addext "subjectAltName=DNS:alice.example.com,DNS:a.example.com,IP:10.0.0.1,IP:2001:db8::1,
 * email:alice@example.com,URI:spiffe://cluster.local/ns/dev/sa/alice"), generated for this test.
 */
const ALICE_CSR = `-----BEGIN CERTIFICATE REQUEST-----
MIIBlzCCAT0CAQAwRjEOMAwGA1UEAwwFYWxpY2UxDDAKBgNVBAoMA2RldjEMMAoG
A1UECgwDb3BzMQswCQYDVQQGEwJOTDELMAkGA1UEBRMCNDIwWTATBgcqhkjOPQIB
BggqhkjOPQMBBwNCAASBCO2VCH+lsBwHVTQ/zrIVBQFotjH6UOEWlwDyRyczgQgp
+8LVC3J2VSJe/aJlLBQRfGhljDWGnNZprkeh8p2aoIGUMIGRBgkqhkiG9w0BCQ4x
gYMwgYAwfgYDVR0RBHcwdYIRYWxpY2UuZXhhbXBsZS5jb22CDWEuZXhhbXBsZS5j
b22HBAoAAAGHECABDbgAAAAAAAAAAAAAAAGBEWFsaWNlQGV4YW1wbGUuY29thiZz
cGlmZmU6Ly9jbHVzdGVyLmxvY2FsL25zL2Rldi9zYS9hbGljZTAKBggqhkjOPQQD
AgNIADBFAiBsLVou4HNWv5/j1VFSk5QSlRz9hgQqLsMzveV17sTJ/QIhAJabtebh
wzk8D6w4nJs4FWcUz0cmEmEYI9pkizJuIEqg
-----END CERTIFICATE REQUEST-----
`;

const csr = (name: string, pem: string, extra = '') => `apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata: {name: ${name}${extra}}
spec:
  request: ${Buffer.from(pem).toString('base64')}
  signerName: kubernetes.io/kube-apiserver-client
  expirationSeconds: 86400
  usages: [client auth]
`;

describe('describe of the kinds kubectl has a describer of its own for', () => {
  it('CertificateSigningRequest: describeCertificateSigningRequest reads the subject and SANs out of the PEM request', async () => {
    const c = await manualCluster();
    c.file('alice.yaml', csr('alice', ALICE_CSR, ', labels: {team: dev}'));
    await c.run('create', '-f', 'alice.yaml');
    await c.run('certificate', 'approve', 'alice');
    // printListHelper writes '\t'-indented cells: the tabwriter lines the SANs up with the Events line below them
    expect((await c.run('describe', 'csr', 'alice')).stdout).toBe(`Name:                alice
Labels:              team=dev
Annotations:         <none>
CreationTimestamp:   Wed, 01 Jan 2025 00:00:00 +0000
Requesting User:     kubernetes-admin
Signer:              kubernetes.io/kube-apiserver-client
Requested Duration:  24h
Status:              Approved,Issued
Subject:
  Common Name:    alice
  Serial Number:  42
  Organization:   dev
                  ops
  Country:        NL
Subject Alternative Names:
         DNS Names:        alice.example.com
                           a.example.com
         Email Addresses:  alice@example.com
         URIs:             spiffe://cluster.local/ns/dev/sa/alice
         IP Addresses:     10.0.0.1
                           2001:db8::1
Events:  <none>
`);
  });

  it('a request that does not parse is an error after the others are described', async () => {
    const c = await manualCluster();
    c.file('alice.yaml', csr('alice', ALICE_CSR));
    c.file('bogus.yaml', csr('bogus', '-----BEGIN CERTIFICATE REQUEST-----\nMIIBfake\n-----END CERTIFICATE REQUEST-----\n'));
    await c.run('create', '-f', 'alice.yaml', '-f', 'bogus.yaml');
    const r = await c.run('describe', 'csr');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Name: +alice\n[\s\S]*Events: {2}<none>\n$/);
    expect(r.stderr).toBe('error: Error parsing CSR: asn1: syntax error: data truncated\n');
  });

  it('CSINode: describeCSINode lists the drivers by name', async () => {
    const c = await manualCluster();
    c.file(
      'csinode.yaml',
      'apiVersion: storage.k8s.io/v1\nkind: CSINode\nmetadata: {name: node-1}\nspec:\n  drivers:\n  - {name: ebs.csi.aws.com, nodeID: i-0abc, allocatable: {count: 25}, topologyKeys: [topology.ebs.csi.aws.com/zone, kubernetes.io/os]}\n  - {name: efs.csi.aws.com, nodeID: i-0abc}\n',
    );
    await c.run('apply', '-f', 'csinode.yaml');
    expect((await c.run('describe', 'csinode', 'node-1')).stdout).toBe(`Name:               node-1
Labels:             <none>
Annotations:        <none>
CreationTimestamp:  Wed, 01 Jan 2025 00:00:00 +0000
Spec:
  Drivers:
    ebs.csi.aws.com:
      Node ID:  i-0abc
      Allocatables:
        Count:        25
      Topology Keys:  [topology.ebs.csi.aws.com/zone kubernetes.io/os]
    efs.csi.aws.com:
      Node ID:  i-0abc
Events:         <none>
`);
  });
});
