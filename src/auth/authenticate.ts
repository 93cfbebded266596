import { CLUSTER_ADMIN as ADMIN } from '../model/cluster-admin';
import { ApiError } from '../util/errors';
import type { ReadonlyObjectStore } from '../store/object-store';
import { authorize, impersonatedUser, type UserInfo } from './rbac-authorizer';
import { authenticateToken } from './service-account-token';

/**
 * kubectl's own user in a kubeadm/kind v1.29+ cluster (the client certificate of the admin
 * kubeconfig): bound to cluster-admin through the kubeadm:cluster-admins group.
 */
export const CLUSTER_ADMIN: UserInfo = { name: ADMIN.name, groups: [...ADMIN.groups] };

/** What a request carries to say who makes it: kubectl's credentials and impersonation headers. */
export interface Credentials {
  /** a bearer token (--token, or the kubeconfig user's token or tokenFile) */
  token?: string;
  /** basic auth (--username/--password): the API server has not accepted it since v1.19 */
  basicAuth?: boolean;
  impersonate?: { user: string; groups: string[]; uid?: string };
}

export const UNAUTHORIZED = 'You must be logged in to the server (Unauthorized)';

/**
 * The API server's authentication then impersonation filters: a token must be one this cluster's
 * service-account issuer signed; without one the request is the admin's (the client certificate).
 * Impersonating needs the `impersonate` verb on users (and groups, uids) for the real user.
 */
export function authenticate(store: ReadonlyObjectStore, creds: Credentials, now: number): UserInfo {
  let user = CLUSTER_ADMIN;
  if (creds.token !== undefined) user = authenticateToken(store, creds.token, now) ?? refuse();
  else if (creds.basicAuth) refuse();
  const target = creds.impersonate;
  if (!target) return user;
  // the impersonation filter asks the authorizer for `impersonate` on each thing the request claims
  const check = (resource: string, name: string, group = '', namespace = '') => {
    if (authorize(store, user, { verb: 'impersonate', namespace, group, resource, name })) return;
    const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
    throw new ApiError(
      'Forbidden',
      403,
      `Error from server (Forbidden): ${resource}${group ? `.${group}` : ''} "${name}" is forbidden: User "${user.name}" cannot impersonate resource "${resource}" in API group "${group}" ${scope}`,
    );
  };
  const serviceAccount = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(target.user);
  if (serviceAccount) check('serviceaccounts', serviceAccount[2], '', serviceAccount[1]);
  else check('users', target.user);
  for (const group of target.groups) check('groups', group);
  if (target.uid) check('uids', target.uid, 'authentication.k8s.io');
  return impersonatedUser(target.user, target.groups, target.uid);
}

function refuse(): never {
  throw new ApiError('Unauthorized', 401, `error: ${UNAUTHORIZED}`);
}
