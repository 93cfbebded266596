import type { PolicyRule as StoredPolicyRule } from '../model/k8s';

/** An rbac/v1 PolicyRule with every list present. */
export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

function policyRule(rule: Partial<PolicyRule>): PolicyRule {
  return {
    verbs: list(rule.verbs),
    apiGroups: list(rule.apiGroups),
    resources: list(rule.resources),
    resourceNames: list(rule.resourceNames),
    nonResourceURLs: list(rule.nonResourceURLs),
  };
}

/** rbac/v1 helpers' BreakdownRule: one rule per group, resource, verb (and resource name); one per URL and verb. */
function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups)
    for (const resource of rule.resources)
      for (const verb of rule.verbs) {
        const names = rule.resourceNames.length ? rule.resourceNames.map((n) => [n]) : [[]];
        for (const resourceNames of names)
          out.push(policyRule({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames }));
      }
  for (const url of rule.nonResourceURLs) for (const verb of rule.verbs) out.push(policyRule({ nonResourceURLs: [url], verbs: [verb] }));
  return out;
}

/** CompactRules: the one-group, one-resource rules (with at most one name) merged, their verbs in the order met. */
function compactRules(rules: PolicyRule[]): PolicyRule[] {
  const compacted: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const rule of rules) {
    const isSimple =
      rule.resourceNames.length <= 1 && !rule.nonResourceURLs.length && rule.apiGroups.length === 1 && rule.resources.length === 1;
    if (!isSimple) {
      compacted.push(rule);
      continue;
    }
    const key = JSON.stringify([rule.apiGroups[0], rule.resources[0], rule.resourceNames]);
    const existing = simple.get(key);
    if (!existing) simple.set(key, { ...rule, verbs: [...rule.verbs] });
    else for (const verb of rule.verbs) if (!existing.verbs.includes(verb)) existing.verbs.push(verb);
  }
  return [...compacted, ...simple.values()];
}

/** The generated PolicyRule.String(), which SortableRuleSlice sorts by. */
function ruleString(r: PolicyRule): string {
  const v = (l: string[]) => `[${l.join(' ')}]`;
  return `&PolicyRule{Verbs:${v(r.verbs)},APIGroups:${v(r.apiGroups)},Resources:${v(r.resources)},ResourceNames:${v(r.resourceNames)},NonResourceURLs:${v(r.nonResourceURLs)},}`;
}

/** describe.CombineResourceGroup: `pods`, `deployments.apps`, `pods/log`, `*.*`. */
export function combineResourceGroup(resources: string[], groups: string[]): string {
  if (!resources.length) return '';
  const [resource, sub] = resources[0].split(/\/(.*)/s);
  return `${resource}${groups.length && groups[0] ? `.${groups[0]}` : ''}${sub !== undefined ? `/${sub}` : ''}`;
}

/**
 * `kubectl auth can-i --list`: the rules of a SelfSubjectRulesReview broken down, compacted and
 * sorted as kubectl prints them; each row Resources, Non-Resource URLs, Resource Names, Verbs.
 */
export function accessRows(rules: readonly StoredPolicyRule[]): string[][] {
  const compact = compactRules(rules.map((r) => policyRule(r)).flatMap(breakdownRule));
  const sorted = compact.map((r) => ({ r, key: ruleString(r) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const v = (l: string[]) => `[${l.join(' ')}]`;
  return sorted.map(({ r }) => [combineResourceGroup(r.resources, r.apiGroups), v(r.nonResourceURLs), v(r.resourceNames), v(r.verbs)]);
}
