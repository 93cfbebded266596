import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { CLUSTER_ADMIN } from '../model/cluster-admin';
import type { ClusterCA } from '../auth/cluster-ca';

/**
 * A cluster's certificates for `kubesim serve`, as kubeadm lays them out: the cluster's CA ("kubernetes"),
 * the API server's serving certificate (localhost, the service names, the listen address) and
 * the admin's client certificate (CN kubernetes-admin, O kubeadm:cluster-admins), all signed by
 * the CA. Generated once per cluster and kept in its state file; PEM throughout.
 */
export interface ClusterCertificates {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  /** the IP addresses and DNS names the serving certificate covers */
  serverNames: string[];
  clientCert: string;
  clientKey: string;
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
/** kubeadm's CA lives 10 years, its leaf certificates 1 year; a simulator's may all live 10 */
const VALIDITY_MS = 10 * 365 * 24 * 3600 * 1000;

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** the names kube-apiserver's certificate carries on a kubeadm cluster, and the loopback addresses */
const DEFAULT_NAMES = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
const LOOPBACK = ['127.0.0.1', '::1', '10.96.0.1'];

const isIp = (name: string) => /^[\d.]+$/.test(name) || name.includes(':');

async function pem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function importKey(text: string): Promise<CryptoKey> {
  return webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(text), ALGORITHM, true, ['sign']);
}

function serial(n: number): string {
  return n.toString(16).padStart(16, '0');
}

async function leaf(opts: {
  subject: string;
  issuer: x509.X509Certificate;
  issuerKey: CryptoKey;
  usage: 'server' | 'client';
  names?: string[];
  notBefore: Date;
  serialNumber: string;
}): Promise<{ cert: string; key: string }> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([opts.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
  ];
  if (opts.names?.length)
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        opts.names.map((n) => ({ type: (isIp(n) ? 'ip' : 'dns') as x509.GeneralNameType, value: n })),
      ),
    );
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: opts.serialNumber,
    subject: opts.subject,
    issuer: opts.issuer.subject,
    notBefore: opts.notBefore,
    notAfter: new Date(opts.notBefore.getTime() + VALIDITY_MS),
    publicKey: keys.publicKey,
    signingKey: opts.issuerKey,
    signingAlgorithm: ALGORITHM,
    extensions,
  });
  return { cert: cert.toString('pem'), key: await pem(keys.privateKey) };
}

/** The serving certificate's names for a listen address (always the loopback and service names). */
export function servingNames(address: string): string[] {
  const names = [...LOOPBACK, ...DEFAULT_NAMES];
  if (address && address !== '0.0.0.0' && address !== '::' && !names.includes(address)) names.push(address);
  return names;
}

/**
 * Serving and admin client certificates signed by the cluster's CA (src/auth/cluster-ca.ts, the
 * one pods see in kube-root-ca.crt); `now` is the wall clock (clients check validity against theirs).
 */
export async function generateCertificates(address: string, now: number, clusterCA: ClusterCA): Promise<ClusterCertificates> {
  const notBefore = new Date(now - 60_000);
  const ca = new x509.X509Certificate(clusterCA.caCert);
  const caKeys = { privateKey: await importKey(clusterCA.caKey) };
  const serverNames = servingNames(address);
  const server = await leaf({
    subject: 'CN=kube-apiserver',
    issuer: ca,
    issuerKey: caKeys.privateKey,
    usage: 'server',
    names: serverNames,
    notBefore,
    serialNumber: serial(2),
  });
  const groups = CLUSTER_ADMIN.groups.filter((g) => g !== 'system:authenticated');
  const client = await leaf({
    subject: `${groups.map((g) => `O=${g}`).join(', ')}, CN=${CLUSTER_ADMIN.name}`,
    issuer: ca,
    issuerKey: caKeys.privateKey,
    usage: 'client',
    notBefore,
    serialNumber: serial(3),
  });
  return {
    caCert: clusterCA.caCert,
    caKey: clusterCA.caKey,
    serverCert: server.cert,
    serverKey: server.key,
    serverNames,
    clientCert: client.cert,
    clientKey: client.key,
  };
}

/** A new serving certificate from the stored CA, for a listen address the stored one does not cover. */
export async function reissueServing(certs: ClusterCertificates, address: string, now: number): Promise<ClusterCertificates> {
  const serverNames = servingNames(address);
  const server = await leaf({
    subject: 'CN=kube-apiserver',
    issuer: new x509.X509Certificate(certs.caCert),
    issuerKey: await importKey(certs.caKey),
    usage: 'server',
    names: serverNames,
    notBefore: new Date(now - 60_000),
    serialNumber: serial(Math.floor(now / 1000)),
  });
  return { ...certs, serverCert: server.cert, serverKey: server.key, serverNames };
}

/** Who a verified client certificate names: CN the user, each O a group. */
export function certificateSubject(subject: { CN?: string | string[]; O?: string | string[] }): { name: string; groups: string[] } {
  const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  return { name: list(subject.CN)[0] ?? '', groups: list(subject.O) };
}
