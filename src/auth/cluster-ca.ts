import { createECDH, createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import type { ReadonlyObjectStore } from '../store/object-store';

/**
 * The cluster's CA ("CN=kubernetes", as kubeadm makes it): the certificate the root-CA publisher
 * puts in every namespace's kube-root-ca.crt ConfigMap (so pods find it at
 * /var/run/secrets/kubernetes.io/serviceaccount/ca.crt) and the one `kubesim serve` signs its
 * serving and client certificates with.
 *
 * It has to be there synchronously (controllers and cluster creation are synchronous; WebCrypto
 * is not) and the same on every run of the same cluster (determinism), so it is built here with
 * node:crypto's synchronous primitives: an ECDSA P-256 key derived from the cluster's identity
 * (the kube-system namespace's uid, as the service-account token key is), a self-signed X.509 v3
 * certificate DER-encoded by hand, and a deterministic ECDSA signature (the nonce derived from the
 * key and the message, in the spirit of RFC 6979; OpenSSL's is random). Simulated, like the token
 * key: whoever knows the cluster's uid can derive the key, so it protects nothing beyond this
 * kubesim cluster.
 */
export interface ClusterCA {
  /** the certificate, PEM */
  caCert: string;
  /** its private key, PKCS#8 PEM */
  caKey: string;
}

/** P-256's group order */
const N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
/** kubeadm's CA lives 10 years */
const VALIDITY_MS = 10 * 365 * 24 * 3600 * 1000;

const cache = new Map<string, ClusterCA>();

// --- DER -------------------------------------------------------------------------------------

function tlv(tag: number, body: Buffer): Buffer {
  const n = body.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, body]);
}
const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const octets = (b: Buffer) => tlv(0x04, b);
const bits = (b: Buffer, unused = 0) => tlv(0x03, Buffer.concat([Buffer.from([unused]), b]));
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
/** PrintableString, as Go's x509 (and @peculiar/x509, which names the issuer of serve's certificates) encode a CN */
const printable = (s: string) => tlv(0x13, Buffer.from(s, 'ascii'));
const explicit = (n: number, b: Buffer) => tlv(0xa0 | n, b);

function integer(v: bigint): Buffer {
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let b = Buffer.from(hex, 'hex');
  if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const n of rest) {
    const enc = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) enc.unshift((v & 0x7f) | 0x80);
    out.push(...enc);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime before 2050, GeneralizedTime from then on (RFC 5280 4.1.2.5) */
function time(ms: number): Buffer {
  const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString();
  const digits = iso.replace(/[-:T]/g, '').slice(0, 14);
  return digits < '2050' ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${digits}Z`));
}

// --- ECDSA over P-256 ------------------------------------------------------------------------

const toBig = (b: Buffer) => BigInt(`0x${b.toString('hex') || '0'}`);
const to32 = (v: bigint) => Buffer.from(v.toString(16).padStart(64, '0'), 'hex');
/** a scalar in [1, N-1] from a hash */
const scalar = (b: Buffer) => (toBig(b) % (N - 1n)) + 1n;

function modInverse(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [((a % m) + m) % m, m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return ((s0 % m) + m) % m;
}

/** the uncompressed public point 04||x||y of a private scalar (node's ECDH does the point multiplication) */
function publicPoint(d: bigint): Buffer {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(to32(d));
  return ecdh.getPublicKey();
}

/** ECDSA-with-SHA256, DER (SEQUENCE of r, s), with a nonce derived from the key and message */
function sign(d: bigint, message: Buffer): Buffer {
  const digest = createHash('sha256').update(message).digest();
  const e = toBig(digest);
  for (let counter = 0; ; counter++) {
    const k = scalar(createHash('sha256').update(to32(d)).update(digest).update(String(counter)).digest());
    const r = toBig(publicPoint(k).subarray(1, 33)) % N;
    const s = (modInverse(k, N) * (e + r * d)) % N;
    if (r !== 0n && s !== 0n) return seq(integer(r), integer(s));
  }
}

// --- the certificate ----------------------------------------------------------------------------

const ECDSA_WITH_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

/** The CA derived from a cluster identity (a uid) and its creation time (ms). */
export function deriveClusterCA(identity: string, notBefore: number): ClusterCA {
  const d = scalar(createHash('sha256').update(`kubesim cluster CA ${identity}`).digest());
  const point = publicPoint(d);
  const b64u = (b: Buffer) => b.toString('base64url');
  const jwk = { kty: 'EC', crv: 'P-256', x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33)), d: b64u(to32(d)) };
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const name = seq(set(seq(oid('2.5.4.3'), printable('kubernetes'))));
  // kubeadm's CA (pkiutil.NewSelfSignedCACert): KeyUsage digitalSignature|keyEncipherment|certSign, CA, a key id
  const extensions = seq(
    seq(oid('2.5.29.15'), bool(true), octets(bits(Buffer.from([0xa4]), 2))),
    seq(oid('2.5.29.19'), bool(true), octets(seq(bool(true)))),
    seq(oid('2.5.29.14'), octets(octets(createHash('sha1').update(point).digest()))),
  );
  const serial = toBig(createHash('sha256').update(`serial ${identity}`).digest().subarray(0, 8)) | 1n;
  const tbs = seq(
    explicit(0, integer(2n)),
    integer(serial),
    ECDSA_WITH_SHA256,
    name,
    seq(time(notBefore), time(notBefore + VALIDITY_MS)),
    name,
    spki,
    explicit(3, extensions),
  );
  const der = seq(tbs, ECDSA_WITH_SHA256, bits(sign(d, tbs)));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return {
    caCert: `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`,
    caKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/**
 * The CA of the cluster in `store`: derived from its kube-system namespace (uid and creation
 * time), so the same on every run; undefined before that namespace exists.
 */
export function clusterCA(store: ReadonlyObjectStore): ClusterCA | undefined {
  const ns = store.get('Namespace', undefined, 'kube-system');
  if (!ns?.metadata.uid) return undefined;
  const created = Date.parse(ns.metadata.creationTimestamp ?? '') || 0;
  const key = `${ns.metadata.uid}@${created}`;
  let ca = cache.get(key);
  if (!ca) {
    ca = deriveClusterCA(ns.metadata.uid, created);
    cache.set(key, ca);
  }
  return ca;
}
