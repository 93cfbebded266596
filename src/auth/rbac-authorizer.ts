import type { ClusterRoleBinding, RoleBinding } from '../model/kinds';
import type { PolicyRule, Subject } from '../model/k8s';
import type { ReadonlyObjectStore } from '../store/object-store';

/** Who asks: a user name and its groups (as the authenticator or --as/--as-group say). */
export interface UserInfo {
  name: string;
  groups: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

/** What is asked: an API resource in a namespace ("" for cluster-wide or all namespaces), or a URL path. */
export type Request =
  | { verb: string; namespace: string; group: string; resource: string; subresource?: string; name?: string }
  | { verb: string; path: string };

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

/**
 * The user --as=NAME (and --as-group) stands for, as the API server's impersonation filter makes it:
 * a service account name gets its fixed groups unless groups were given; any non-anonymous user is
 * also system:authenticated unless the groups already say authenticated or unauthenticated.
 */
export function impersonatedUser(name: string, groups: string[], uid?: string): UserInfo {
  const out = [...groups];
  if (name.startsWith(SERVICE_ACCOUNT_PREFIX) && !groups.length) {
    const namespace = name.slice(SERVICE_ACCOUNT_PREFIX.length).split(':')[0];
    out.push('system:serviceaccounts', `system:serviceaccounts:${namespace}`);
  }
  if (name !== 'system:anonymous' && !out.includes('system:authenticated') && !out.includes('system:unauthenticated'))
    out.push('system:authenticated');
  return { name, groups: out, ...(uid ? { uid } : {}) };
}

const has = (list: unknown, value: string) => Array.isArray(list) && (list.includes('*') || list.includes(value));

/** rbac/v1 ResourceMatches: `*`, the resource (with /subresource), or `*` followed by `/subresource` */
function resourceMatches(rule: PolicyRule, resource: string, subresource: string | undefined): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return (Array.isArray(rule.resources) ? rule.resources : []).some(
    (r) => r === '*' || r === combined || (!!subresource && r === `*/${subresource}`),
  );
}

/** rbac/v1 NonResourceURLMatches: `*`, the path, or a prefix ending in `*` */
function urlMatches(rule: PolicyRule, path: string): boolean {
  return (Array.isArray(rule.nonResourceURLs) ? rule.nonResourceURLs : []).some(
    (u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))),
  );
}

function ruleAllows(rule: PolicyRule, req: Request): boolean {
  if (!has(rule.verbs, req.verb)) return false;
  if ('path' in req) return urlMatches(rule, req.path);
  if (!has(rule.apiGroups, req.group) || !resourceMatches(rule, req.resource, req.subresource)) return false;
  const names = rule.resourceNames;
  return !Array.isArray(names) || names.length === 0 || (!!req.name && names.includes(req.name));
}

/** rbac appliesToUser: a user by name, a group by membership, a service account by namespace and name */
function subjectMatches(subject: Subject | undefined, user: UserInfo, bindingNamespace: string): boolean {
  if (!subject) return false;
  if (subject.kind === 'User') return subject.name === user.name;
  if (subject.kind === 'Group') return user.groups.includes(subject.name);
  if (subject.kind === 'ServiceAccount') {
    const namespace = subject.namespace || bindingNamespace;
    return !!namespace && user.name === `${SERVICE_ACCOUNT_PREFIX}${namespace}:${subject.name}`;
  }
  return false;
}

function rulesOf(store: ReadonlyObjectStore, binding: RoleBinding | ClusterRoleBinding): PolicyRule[] {
  const ref: Partial<RoleBinding['roleRef']> = binding.roleRef ?? {};
  const role =
    ref.kind === 'Role'
      ? store.get('Role', binding.metadata.namespace, ref.name ?? '')
      : ref.kind === 'ClusterRole'
        ? store.get('ClusterRole', undefined, ref.name ?? '')
        : undefined;
  return role && Array.isArray(role.rules) ? role.rules : [];
}

/**
 * The rules that apply to the user in a namespace ("" for cluster-wide only): those of the roles
 * every ClusterRoleBinding, and every RoleBinding of the namespace, binds the user to (the RBAC
 * rule resolver's VisitRulesFor).
 */
export function rulesFor(store: ReadonlyObjectStore, user: UserInfo, namespace: string): PolicyRule[] {
  const bindings: (RoleBinding | ClusterRoleBinding)[] = [...store.list('ClusterRoleBinding')];
  if (namespace) bindings.push(...store.list('RoleBinding', namespace));
  return bindings
    .filter((b) => (Array.isArray(b.subjects) ? b.subjects : []).some((s) => subjectMatches(s, user, b.metadata.namespace ?? '')))
    .flatMap((b) => rulesOf(store, b));
}

/**
 * The RBAC authorizer (plugin/pkg/auth/authorizer/rbac): allowed when a ClusterRoleBinding, or a
 * RoleBinding in the request's namespace, binds the user to a role with a rule covering the request.
 * system:masters is allowed everything, as the API server's superuser group.
 */
export function authorize(store: ReadonlyObjectStore, user: UserInfo, req: Request): boolean {
  if (user.groups.includes('system:masters')) return true;
  return rulesFor(store, user, 'path' in req ? '' : req.namespace).some((rule) => ruleAllows(rule, req));
}
