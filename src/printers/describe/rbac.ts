import type { Role, RoleBinding } from '../../model/kinds';
import { registerDescriber, DescribeWriter } from '../describe';
import type { PolicyRule } from '../../model/k8s';

/** rbac.BreakdownRule: one rule per group × resource (× resource name), one per non-resource URL. */
function breakdown(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
  for (const group of list(rule.apiGroups)) {
    for (const resource of list(rule.resources)) {
      const names = list(rule.resourceNames);
      if (names.length)
        for (const name of names) out.push({ apiGroups: [group], resources: [resource], verbs: list(rule.verbs), resourceNames: [name] });
      else out.push({ apiGroups: [group], resources: [resource], verbs: list(rule.verbs) });
    }
  }
  for (const url of list(rule.nonResourceURLs)) out.push({ nonResourceURLs: [url], verbs: list(rule.verbs) });
  return out;
}

/** rbac.CompactRules: rules on one group and resource (no names, no URLs) merge their verbs. */
function compact(rules: PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const rule of rules) {
    const isSimple =
      !rule.resourceNames?.length && !rule.nonResourceURLs?.length && rule.apiGroups?.length === 1 && rule.resources?.length === 1;
    if (!isSimple) {
      out.push(rule);
      continue;
    }
    const key = `${rule.apiGroups?.[0]}\u0000${rule.resources?.[0]}`;
    const existing = simple.get(key);
    if (!existing) simple.set(key, { ...rule, verbs: [...rule.verbs] });
    else for (const verb of rule.verbs) if (!existing.verbs.includes(verb)) existing.verbs.push(verb);
  }
  return [...out, ...simple.values()];
}

const goList = (v: unknown): string => `[${Array.isArray(v) ? v.join(' ') : ''}]`;
/** PolicyRule.String(), which SortableRuleSlice orders by (verbs first) */
const ruleString = (r: PolicyRule) =>
  `&PolicyRule{Verbs:${goList(r.verbs)},APIGroups:${goList(r.apiGroups)},Resources:${goList(r.resources)},ResourceNames:${goList(r.resourceNames)},NonResourceURLs:${goList(r.nonResourceURLs)},}`;

/** describe.CombineResourceGroup: `deployments.apps`, `pods/log` */
function combineResourceGroup(resources: string[] | undefined, groups: string[] | undefined): string {
  if (!resources?.length) return '';
  const [resource, sub] = resources[0].split(/\/(.*)/s);
  let out = resource;
  if (groups?.length && groups[0] !== '') out += `.${groups[0]}`;
  if (sub !== undefined) out += `/${sub}`;
  return out;
}

/** kubectl's RoleDescriber / ClusterRoleDescriber (no namespace line, no events). */
export function describeRole(role: Role): string {
  const w = new DescribeWriter();
  w.line(0, 'Name:', role.metadata.name);
  w.map(0, 'Labels', role.metadata.labels);
  w.annotations(0, role.metadata.annotations);
  const rules = compact((Array.isArray(role.rules) ? role.rules : []).flatMap(breakdown));
  // a stable sort by the rule's Go string, as sort.Stable(SortableRuleSlice) does
  const sorted = rules.map((r, i) => ({ r, i, s: ruleString(r) })).sort((a, b) => (a.s < b.s ? -1 : a.s > b.s ? 1 : a.i - b.i));
  w.write(0, 'PolicyRule:\n');
  w.line(1, 'Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs');
  w.line(1, '---------', '-----------------', '--------------', '-----');
  for (const { r } of sorted)
    w.line(1, combineResourceGroup(r.resources, r.apiGroups), goList(r.nonResourceURLs), goList(r.resourceNames), goList(r.verbs));
  return w.toString();
}

/** kubectl's RoleBindingDescriber / ClusterRoleBindingDescriber. */
export function describeBinding(binding: RoleBinding): string {
  const w = new DescribeWriter();
  w.line(0, 'Name:', binding.metadata.name);
  w.map(0, 'Labels', binding.metadata.labels);
  w.annotations(0, binding.metadata.annotations);
  w.write(0, 'Role:\n');
  w.line(1, 'Kind:', binding.roleRef?.kind ?? '');
  w.line(1, 'Name:', binding.roleRef?.name ?? '');
  w.write(0, 'Subjects:\n');
  w.line(1, 'Kind', 'Name', 'Namespace');
  w.line(1, '----', '----', '---------');
  for (const s of Array.isArray(binding.subjects) ? binding.subjects : []) w.line(1, s?.kind ?? '', s?.name ?? '', s?.namespace ?? '');
  return w.toString();
}

registerDescriber('Role', () => describeRole);
registerDescriber('ClusterRole', () => describeRole);
registerDescriber('RoleBinding', () => describeBinding);
registerDescriber('ClusterRoleBinding', () => describeBinding);
