import type { FieldError } from '../../util/errors';
import type { Column } from '../registry';
import { orEmpty, type KObject } from '../../model/objects';
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from '../../model/kinds';
import type { RoleRef } from '../../model/k8s';
import { ageColumn, isOneOf, nameColumn, validateMeta } from './common';

type AnyRole = Role | ClusterRole;
type AnyBinding = RoleBinding | ClusterRoleBinding;

/**
 * What the rbac.authorization.k8s.io/v1 kinds share: their validation (pkg/apis/rbac/validation),
 * defaulting (SetDefaults_Subject, SetDefaults_*Binding) and table columns. kubesim stores them and
 * shows them as a cluster would; nothing is authorized by them (see README "Not simulated").
 */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';

const isList = (v: unknown): v is unknown[] => Array.isArray(v) && v.length > 0;

/** ValidatePolicyRule */
export function validateRules(obj: AnyRole, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const rules = obj.rules;
  if (!Array.isArray(rules)) return errs;
  rules.forEach((rule, i) => {
    const path = `rules[${i}]`;
    if (!isList(rule?.verbs)) errs.push({ path: `${path}.verbs`, type: 'Required value', detail: 'verbs must contain at least one value' });
    if (isList(rule?.nonResourceURLs)) {
      const urls = `[]string{${rule.nonResourceURLs.map((u) => JSON.stringify(u)).join(', ')}}`;
      if (namespaced)
        errs.push({
          path: `${path}.nonResourceURLs`,
          type: `Invalid value: ${urls}`,
          detail: 'namespaced rules cannot apply to non-resource URLs',
        });
      if (isList(rule.apiGroups) || isList(rule.resources) || isList(rule.resourceNames)) {
        errs.push({
          path: `${path}.nonResourceURLs`,
          type: `Invalid value: ${urls}`,
          detail: 'rules cannot apply to both regular resources and non-resource URLs',
        });
      }
      return;
    }
    if (!isList(rule?.apiGroups))
      errs.push({ path: `${path}.apiGroups`, type: 'Required value', detail: 'resource rules must supply at least one api group' });
    if (!isList(rule?.resources))
      errs.push({ path: `${path}.resources`, type: 'Required value', detail: 'resource rules must supply at least one resource' });
  });
  return errs;
}

export function validateRole(obj: AnyRole, namespaced: boolean): FieldError[] {
  return [...validateMeta(obj, { pathSegmentName: true }), ...validateRules(obj, namespaced)];
}

/** SetDefaults_RoleBinding/ClusterRoleBinding and SetDefaults_Subject */
export function defaultBinding(obj: AnyBinding): void {
  if (obj.roleRef && typeof obj.roleRef === 'object' && !obj.roleRef.apiGroup) obj.roleRef.apiGroup = RBAC_GROUP;
  for (const s of Array.isArray(obj.subjects) ? obj.subjects : []) {
    if (s && typeof s === 'object' && !s.apiGroup && (s.kind === 'User' || s.kind === 'Group')) s.apiGroup = RBAC_GROUP;
  }
}

/** Go's %#v of an rbac.RoleRef, as "cannot change roleRef" prints it */
const goRoleRef = (r: Partial<RoleRef> | undefined) =>
  `rbac.RoleRef{APIGroup:"${r?.apiGroup ?? ''}", Kind:"${r?.kind ?? ''}", Name:"${r?.name ?? ''}"}`;
const supported = (values: string[]) => `supported values: ${values.map((v) => `"${v}"`).join(', ')}`;

/** ValidateRoleBinding / ValidateClusterRoleBinding (+ the Update check that roleRef never changes) */
export function validateBinding(obj: AnyBinding, old: AnyBinding | undefined, namespaced: boolean): FieldError[] {
  const errs = validateMeta(obj, { pathSegmentName: true });
  const ref = orEmpty(obj.roleRef);
  if (ref.apiGroup !== RBAC_GROUP)
    errs.push({ path: 'roleRef.apiGroup', type: 'Unsupported value', value: ref.apiGroup ?? '', detail: supported([RBAC_GROUP]) });
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!isOneOf(kinds, ref.kind))
    errs.push({ path: 'roleRef.kind', type: 'Unsupported value', value: ref.kind ?? '', detail: supported(kinds) });
  if (!ref.name) errs.push({ path: 'roleRef.name', type: 'Required value' });
  else
    for (const detail of validateMeta({ metadata: { name: ref.name } } as KObject, { pathSegmentName: true }).map((e) => e.detail!))
      errs.push({ path: 'roleRef.name', type: 'Invalid value', value: ref.name, detail });
  (Array.isArray(obj.subjects) ? obj.subjects : []).forEach((s, i) => {
    const path = `subjects[${i}]`;
    if (!s?.name) errs.push({ path: `${path}.name`, type: 'Required value' });
    if (s?.kind === 'ServiceAccount') {
      if (s.name) for (const e of validateMeta({ metadata: { name: s.name } } as KObject)) errs.push({ ...e, path: `${path}.name` });
      if (s.apiGroup) errs.push({ path: `${path}.apiGroup`, type: 'Unsupported value', value: s.apiGroup, detail: supported(['']) });
      if (!namespaced && !s.namespace) errs.push({ path: `${path}.namespace`, type: 'Required value' });
    } else if (s?.kind === 'User' || s?.kind === 'Group') {
      if (s.apiGroup !== RBAC_GROUP)
        errs.push({ path: `${path}.apiGroup`, type: 'Unsupported value', value: s.apiGroup ?? '', detail: supported([RBAC_GROUP]) });
    } else
      errs.push({
        path: `${path}.kind`,
        type: 'Unsupported value',
        value: s?.kind ?? '',
        detail: supported(['ServiceAccount', 'User', 'Group']),
      });
  });
  const before = old?.roleRef;
  if (old && (before?.apiGroup !== ref.apiGroup || before?.kind !== ref.kind || before?.name !== ref.name)) {
    errs.push({ path: 'roleRef', type: `Invalid value: ${goRoleRef(ref)}`, detail: 'cannot change roleRef' });
  }
  return errs;
}

/** Roles print their creation time, not an age (printRole/printClusterRole). */
export const ROLE_COLUMNS: Column[] = [nameColumn, { header: 'CREATED AT', value: (o) => o.metadata.creationTimestamp ?? '' }];

/** rbac.SubjectsStrings: users, groups and service accounts (as namespace/name) */
export function subjectsStrings(obj: AnyBinding): { users: string[]; groups: string[]; serviceAccounts: string[] } {
  const out = { users: [] as string[], groups: [] as string[], serviceAccounts: [] as string[] };
  for (const s of Array.isArray(obj.subjects) ? obj.subjects : []) {
    if (s?.kind === 'User') out.users.push(s.name);
    else if (s?.kind === 'Group') out.groups.push(s.name);
    else if (s?.kind === 'ServiceAccount') out.serviceAccounts.push(`${s.namespace ?? ''}/${s.name}`);
  }
  return out;
}

export const BINDING_COLUMNS: Column<AnyBinding>[] = [
  nameColumn,
  { header: 'ROLE', value: (o) => `${o.roleRef?.kind ?? ''}/${o.roleRef?.name ?? ''}` },
  ageColumn,
  { header: 'USERS', wide: true, value: (o) => subjectsStrings(o).users.join(', ') },
  { header: 'GROUPS', wide: true, value: (o) => subjectsStrings(o).groups.join(', ') },
  { header: 'SERVICEACCOUNTS', wide: true, value: (o) => subjectsStrings(o).serviceAccounts.join(', ') },
];
