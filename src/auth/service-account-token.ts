import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { KObject } from '../model/objects';
import { isKind } from '../model/kinds';
import type { ReadonlyObjectStore } from '../store/object-store';
import type { UserInfo } from './rbac-authorizer';

/**
 * Service account tokens as a v1.32 API server issues them for a TokenRequest
 * (pkg/serviceaccount/claims.go): a JWT with the claims a cluster puts in it. Simulated: it is
 * signed with HMAC-SHA256 (`alg: HS256`) under a key derived from the cluster itself (the uid
 * of its kube-system namespace), not with an RSA service-account key, so it is only good for
 * this kubesim cluster — where `--token`, or a kubeconfig user holding it, authenticates as
 * the service account.
 */

/** kubeadm's --service-account-issuer and the API server's default audience */
export const TOKEN_ISSUER = 'https://kubernetes.default.svc.cluster.local';
/** TokenRequest's default expirationSeconds */
export const DEFAULT_TOKEN_SECONDS = 3600;
/**
 * The kubelet's projected-token lifetime the API server extends to a year for pod-bound tokens
 * (--service-account-extend-token-expiration, on by default), warning after the asked time.
 */
const WARN_ONLY_BOUND_TOKEN_SECONDS = 3607;
const EXTENDED_TOKEN_SECONDS = 365 * 24 * 60 * 60;
/** pkg/apis/authentication/validation: 10 minutes to 2^32 seconds */
export const MIN_TOKEN_SECONDS = 10 * 60;
export const MAX_TOKEN_SECONDS = 2 ** 32;

export type BoundKind = 'Pod' | 'Secret' | 'Node';

export interface TokenRequestSpec {
  audiences: string[];
  expirationSeconds: number;
  bound?: { kind: BoundKind; object: KObject };
}

interface ObjectRef {
  name: string;
  uid: string;
}

/** The claims, keys sorted as go-jose writes them (it merges the claim sets through a map). */
interface Claims {
  aud: string[];
  exp: number;
  iat: number;
  iss: string;
  jti: string;
  'kubernetes.io': {
    namespace: string;
    node?: ObjectRef;
    pod?: ObjectRef;
    secret?: ObjectRef;
    serviceaccount: ObjectRef;
    warnafter?: number;
  };
  nbf: number;
  sub: string;
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');
const refOf = (obj: KObject): ObjectRef => ({ name: obj.metadata.name, uid: obj.metadata.uid ?? '' });

/** The cluster's signing key, and the key id that names it in the token's header. */
function signingKey(store: ReadonlyObjectStore): { key: Buffer; kid: string } {
  const clusterId = store.get('Namespace', undefined, 'kube-system')?.metadata.uid ?? 'kubesim';
  const key = createHash('sha256').update(`kubesim service-account signing key ${clusterId}`).digest();
  return { key, kid: createHash('sha256').update(key).digest('base64url').slice(0, 43) };
}

function sign(store: ReadonlyObjectStore, header: string, payload: string): string {
  return createHmac('sha256', signingKey(store).key).update(`${header}.${payload}`).digest('base64url');
}

/** A uuid-shaped id that differs for every token a cluster issues (the API server's random jti). */
function tokenId(parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\n')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Issues a token for the service account; `now` in ms of virtual time. Returns the token and the audiences it is for. */
export function issueServiceAccountToken(
  store: ReadonlyObjectStore,
  serviceAccount: KObject,
  spec: TokenRequestSpec,
  now: number,
): { token: string; audiences: string[] } {
  const iat = Math.floor(now / 1000);
  const namespace = serviceAccount.metadata.namespace ?? 'default';
  const audiences = spec.audiences.length ? spec.audiences : [TOKEN_ISSUER];
  const k8s: Claims['kubernetes.io'] = { namespace, serviceaccount: refOf(serviceAccount) };
  if (spec.bound?.kind === 'Pod') {
    const pod = spec.bound.object;
    // v1.32 (ServiceAccountTokenPodNodeInfo) names the node a bound pod runs on
    const nodeName = isKind(pod, 'Pod') ? pod.spec?.nodeName : undefined;
    const node = nodeName ? store.get('Node', undefined, nodeName) : undefined;
    if (node) k8s.node = refOf(node);
    k8s.pod = refOf(pod);
  } else if (spec.bound?.kind === 'Secret') k8s.secret = refOf(spec.bound.object);
  else if (spec.bound?.kind === 'Node') k8s.node = refOf(spec.bound.object);
  let exp = iat + spec.expirationSeconds;
  if (
    spec.bound?.kind === 'Pod' &&
    spec.expirationSeconds === WARN_ONLY_BOUND_TOKEN_SECONDS &&
    audiences.every((a) => a === TOKEN_ISSUER)
  ) {
    k8s.warnafter = exp;
    exp = iat + EXTENDED_TOKEN_SECONDS;
  }
  const claims: Claims = {
    aud: audiences,
    exp,
    iat,
    iss: TOKEN_ISSUER,
    jti: tokenId([serviceAccount.metadata.uid ?? '', String(iat), String(exp), ...audiences, JSON.stringify(k8s)]),
    'kubernetes.io': k8s,
    nbf: iat,
    sub: `system:serviceaccount:${namespace}:${serviceAccount.metadata.name}`,
  };
  const header = base64url(JSON.stringify({ alg: 'HS256', kid: signingKey(store).kid }));
  const payload = base64url(JSON.stringify(claims));
  return { token: `${header}.${payload}.${sign(store, header, payload)}`, audiences };
}

/** The claims of a token this cluster signed, or undefined when it did not sign it. */
function verifiedClaims(store: ReadonlyObjectStore, token: string): Claims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const expected = Buffer.from(sign(store, parts[0], parts[1]));
  const given = Buffer.from(parts[2]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Claims;
  } catch {
    return undefined;
  }
}

/**
 * The API server's service-account token authenticator: the user a token stands for, or undefined
 * (401) when it is not this cluster's, is not for the API server, has expired, or the service
 * account or the object it is bound to is gone (or was recreated).
 */
export function authenticateToken(store: ReadonlyObjectStore, token: string, now: number): UserInfo | undefined {
  const claims = verifiedClaims(store, token);
  if (!claims) return undefined;
  const seconds = now / 1000;
  if (!claims.aud.includes(TOKEN_ISSUER) || seconds >= claims.exp || seconds < claims.nbf) return undefined;
  const k8s = claims['kubernetes.io'];
  const alive = (kind: string, namespace: string | undefined, ref: ObjectRef | undefined) =>
    !ref || store.get(kind, namespace, ref.name)?.metadata.uid === ref.uid;
  if (!k8s.serviceaccount || !alive('ServiceAccount', k8s.namespace, k8s.serviceaccount)) return undefined;
  if (!alive('Pod', k8s.namespace, k8s.pod) || !alive('Secret', k8s.namespace, k8s.secret)) return undefined;
  const extra: Record<string, string[]> = { 'authentication.kubernetes.io/credential-id': [`JTI=${claims.jti}`] };
  if (k8s.node) {
    extra['authentication.kubernetes.io/node-name'] = [k8s.node.name];
    extra['authentication.kubernetes.io/node-uid'] = [k8s.node.uid];
  }
  if (k8s.pod) {
    extra['authentication.kubernetes.io/pod-name'] = [k8s.pod.name];
    extra['authentication.kubernetes.io/pod-uid'] = [k8s.pod.uid];
  }
  return {
    name: claims.sub,
    uid: k8s.serviceaccount.uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${k8s.namespace}`, 'system:authenticated'],
    extra,
  };
}
