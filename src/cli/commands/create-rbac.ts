import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals } from '../context';
import { CliError } from '../../util/errors';
import { resolveResource } from '../../api/registry';
import type { KObject } from '../../model/objects';
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding, ServiceAccount } from '../../model/kinds';
import type { PolicyRule, Subject } from '../../model/k8s';
import { RBAC_GROUP } from '../../api/kinds/rbac-common';
import { createGenerated, generatedMetadata as meta, generatorFlags, type GeneratorFlags } from '../create-generated';
import { collect } from '../flag-sets';
import { repeatable } from '../flags';

/**
 * `create serviceaccount`, `create role`, `create clusterrole`, `create rolebinding` and
 * `create clusterrolebinding`: kubectl's generators (create_serviceaccount.go, create_role.go,
 * create_clusterrole.go, create_rolebinding.go, create_clusterrolebinding.go).
 */

const VALID_RESOURCE_VERBS = [
  '*',
  'get',
  'delete',
  'list',
  'create',
  'update',
  'patch',
  'watch',
  'proxy',
  'deletecollection',
  'use',
  'bind',
  'escalate',
  'impersonate',
];
const VALID_NON_RESOURCE_VERBS = ['*', 'get', 'post', 'put', 'delete', 'patch', 'head', 'options'];
/** verbs that only mean something on some resources */
const SPECIAL_VERBS: Record<string, Array<[string, string]>> = {
  use: [
    ['policy', 'podsecuritypolicies'],
    ['extensions', 'podsecuritypolicies'],
  ],
  bind: [
    [RBAC_GROUP, 'roles'],
    [RBAC_GROUP, 'clusterroles'],
  ],
  escalate: [
    [RBAC_GROUP, 'roles'],
    [RBAC_GROUP, 'clusterroles'],
  ],
  impersonate: [
    ['', 'users'],
    ['', 'serviceaccounts'],
    ['', 'groups'],
    ['authentication.k8s.io', 'userextras'],
    ['authentication.k8s.io', 'uids'],
  ],
};

interface ResourceOption {
  resource: string;
  group: string;
  subresource?: string;
}

/** `pods`, `deployments.apps`, `pods/log`; a bare `*` stands for everything */
function parseResources(values: string[]): ResourceOption[] {
  const out: ResourceOption[] = [];
  for (const value of values) {
    const slash = value.indexOf('/');
    const main = slash >= 0 ? value.slice(0, slash) : value;
    const dot = main.indexOf('.');
    const r: ResourceOption = {
      resource: dot >= 0 ? main.slice(0, dot) : main,
      group: dot >= 0 ? main.slice(dot + 1) : '',
      ...(slash >= 0 ? { subresource: value.slice(slash + 1) } : {}),
    };
    if (r.resource === '*' && dot < 0 && slash < 0) return [r];
    out.push(r);
  }
  return out;
}

/** verbs without repeats; `*` alone if present */
function uniqueVerbs(verbs: string[]): string[] {
  if (verbs.includes('*')) return ['*'];
  return verbs.filter((v, i) => verbs.indexOf(v) === i);
}

/** The RESTMapper's answer: the resource's plural and group (short and singular names resolve). */
function mapResource(r: ResourceOption): { resource: string; group: string } | undefined {
  const info = resolveResource(r.group ? `${r.resource}.${r.group}` : r.resource);
  return info && (!r.group || info.group === r.group) ? { resource: info.plural, group: info.group } : undefined;
}

/** create_role.go's Validate for the resources: special verbs on the resources they apply to, known resources */
function validateResources(resources: ResourceOption[], verbs: string[]): void {
  for (const r of resources) {
    if (!r.resource) throw new CliError('resource must be specified if apiGroup/subresource specified');
    if (r.resource === '*') return;
    const mapped = mapResource(r);
    const target = mapped ?? { resource: r.resource, group: r.group };
    // a special verb on one of its resources vouches for the resource even when it is unknown
    let unknown = !mapped;
    for (const verb of verbs) {
      const allowed = SPECIAL_VERBS[verb];
      if (!allowed) continue;
      if (!allowed.some(([g, res]) => res === target.resource && g === target.group)) {
        throw new CliError(`can not perform '${verb}' on '${target.resource}' in group '${target.group}'`);
      }
      unknown = false;
    }
    if (unknown) throw new CliError(`the server doesn't have a resource type "${r.resource}"`);
  }
}

/** generateResourcePolicyRules: one rule per API group (groups sorted), resource names on each */
function policyRules(verbs: string[], resources: ResourceOption[], resourceNames: string[], nonResourceURLs: string[]): PolicyRule[] {
  const byGroup = new Map<string, string[]>();
  for (const r of resources) {
    const mapped = mapResource(r) ?? { resource: r.resource, group: r.group };
    const resource = r.subresource ? `${mapped.resource}/${r.subresource}` : mapped.resource;
    const list = byGroup.get(mapped.group) ?? [];
    if (!list.includes(resource)) list.push(resource);
    byGroup.set(mapped.group, list);
  }
  const rules: PolicyRule[] = [...byGroup.keys()]
    .sort()
    .map((group) => ({ apiGroups: [group], resources: byGroup.get(group), verbs, ...(resourceNames.length ? { resourceNames } : {}) }));
  if (nonResourceURLs.length) rules.push({ nonResourceURLs, verbs });
  return rules;
}

function warnNonStandardVerbs(env: CommandEnv, verbs: string[]): void {
  for (const v of verbs) if (!VALID_RESOURCE_VERBS.includes(v)) env.out.errLine(`Warning: '${v}' is not a standard resource verb`);
}

/** `--aggregation-rule=a=b,c=d` */
function parseLabelMap(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of value.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError(`invalid argument "${value}" for "--aggregation-rule" flag: ${pair} must be formatted as key=value`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** `namespace:name` service accounts, users and groups, in kubectl's subject order */
function subjects(opts: BindingFlags): Subject[] {
  const out: Subject[] = [];
  for (const name of opts.user) out.push({ apiGroup: RBAC_GROUP, kind: 'User', name });
  for (const name of opts.group) out.push({ apiGroup: RBAC_GROUP, kind: 'Group', name });
  for (const sa of opts.serviceaccount) {
    const parts = sa.split(':');
    if (parts.length !== 2) throw new CliError('serviceaccount must be <namespace>:<name>');
    out.push({ kind: 'ServiceAccount', name: parts[1], namespace: parts[0] });
  }
  return out;
}

/** ruleFlags as commander parses them */
interface RuleOptions extends GeneratorFlags {
  verb: string[];
  resource: string[];
  resourceName: string[];
}

interface ClusterRoleOptions extends RuleOptions {
  nonResourceUrl: string[];
  aggregationRule?: string;
}

/** bindingFlags as commander parses them */
interface BindingFlags {
  user: string[];
  group: string[];
  serviceaccount: string[];
}

interface BindingOptions extends GeneratorFlags, BindingFlags {
  role?: string;
  clusterrole?: string;
}

const ruleFlags = (c: Command) =>
  generatorFlags(c)
    .option('--verb <verbs>', 'Verb that applies to the resources contained in the rule', collect, [])
    .option('--resource <resources>', 'Resource that the rule applies to', collect, [])
    .option(
      '--resource-name <name>',
      'Resource in the white list that the rule applies to, repeat this flag for multiple items',
      repeatable,
      [],
    );

const bindingFlags = (c: Command) =>
  c
    .option('--user <name>', 'Usernames to bind to the role. The flag can be repeated to add multiple users.', repeatable, [])
    .option('--group <name>', 'Groups to bind to the role. The flag can be repeated to add multiple groups.', repeatable, [])
    .option(
      '--serviceaccount <namespace:name>',
      'Service accounts to bind to the role, in the format <namespace>:<name>. The flag can be repeated to add multiple service accounts.',
      repeatable,
      [],
    );

export function registerRbacCreate(create: Command, env: CommandEnv): void {
  createServiceAccount(create, env);
  createRole(create, env);
  createClusterRole(create, env);
  createRoleBinding(create, env);
  createClusterRoleBinding(create, env);
}

function createServiceAccount(create: Command, env: CommandEnv): void {
  generatorFlags(
    create.command('serviceaccount').alias('sa').description('Create a service account with the specified name').argument('<name>'),
  )
    .addHelpText('after', '\nExamples:\n  kubesim create serviceaccount my-service-account')
    .action((name: string, opts: GeneratorFlags, cmd: Command) => {
      const obj: ServiceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(name) };
      createGenerated(env, globals(cmd, env), obj, opts, cmd);
    });
}

function createRole(create: Command, env: CommandEnv): void {
  ruleFlags(create.command('role').description('Create a role with single rule').argument('<name>'))
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim create role pod-reader --verb=get --verb=list --verb=watch --resource=pods\n  kubesim create role foo --verb=get,list,watch --resource=pods,pods/status',
    )
    .action((name: string, opts: RuleOptions, cmd: Command) => {
      const verbs = uniqueVerbs(opts.verb);
      const resources = parseResources(opts.resource);
      if (!verbs.length) throw new CliError('at least one verb must be specified');
      if (!resources.length) throw new CliError('at least one resource must be specified');
      warnNonStandardVerbs(env, verbs);
      validateResources(resources, verbs);
      const rules = policyRules(verbs, resources, opts.resourceName, []);
      const obj: Role = { apiVersion: `${RBAC_GROUP}/v1`, kind: 'Role', metadata: meta(name), rules };
      createGenerated(env, globals(cmd, env), obj, opts, cmd);
    });
}

function createClusterRole(create: Command, env: CommandEnv): void {
  ruleFlags(create.command('clusterrole').description('Create a cluster role').argument('<name>'))
    .option('--non-resource-url <urls>', 'A partial url that user should have access to.', collect, [])
    .option('--aggregation-rule <selector>', 'An aggregation label selector for combining ClusterRoles.')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim create clusterrole pod-reader --verb=get,list,watch --resource=pods\n  kubesim create clusterrole "foo" --verb=get --non-resource-url=/logs/*\n  kubesim create clusterrole monitoring --aggregation-rule="rbac.example.com/aggregate-to-monitoring=true"',
    )
    .action((name: string, opts: ClusterRoleOptions, cmd: Command) => {
      const verbs = uniqueVerbs(opts.verb);
      const resources = parseResources(opts.resource);
      const urls = opts.nonResourceUrl;
      let obj: KObject;
      if (opts.aggregationRule) {
        if (urls.length || verbs.length || resources.length || opts.resourceName.length) {
          throw new CliError('aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames');
        }
        const matchLabels = parseLabelMap(opts.aggregationRule);
        obj = {
          apiVersion: `${RBAC_GROUP}/v1`,
          kind: 'ClusterRole',
          metadata: meta(name),
          aggregationRule: { clusterRoleSelectors: [{ matchLabels }] },
          // kubectl prints `rules: null` for an aggregated role: its controller fills them in
          rules: null as unknown as PolicyRule[],
        } satisfies ClusterRole;
      } else {
        if (!verbs.length) throw new CliError('at least one verb must be specified');
        if (!resources.length && !urls.length) throw new CliError('one of resource or nonResourceURL must be specified');
        if (resources.length) {
          warnNonStandardVerbs(env, verbs);
          validateResources(resources, verbs);
        }
        if (urls.length) {
          if (opts.resourceName.length) throw new CliError('resource-name is not allowed with non-resource-url');
          for (const v of verbs) if (!VALID_NON_RESOURCE_VERBS.includes(v)) throw new CliError(`invalid verb: '${v}' for nonResourceURL`);
          for (const url of urls) {
            if (url === '*') continue;
            if (!url.startsWith('/')) throw new CliError('nonResourceURL should start with /');
            if (url.slice(0, -1).includes('*')) throw new CliError("nonResourceURL only supports wildcard matches when '*' is at the end");
          }
        }
        obj = {
          apiVersion: `${RBAC_GROUP}/v1`,
          kind: 'ClusterRole',
          metadata: meta(name),
          rules: policyRules(verbs, resources, opts.resourceName, urls),
        } satisfies ClusterRole;
      }
      createGenerated(env, globals(cmd, env), obj, opts, cmd);
    });
}

function createRoleBinding(create: Command, env: CommandEnv): void {
  bindingFlags(
    generatorFlags(
      create.command('rolebinding').description('Create a role binding for a particular role or cluster role').argument('<name>'),
    ),
  )
    .option('--role <name>', 'Role this RoleBinding should reference')
    .option('--clusterrole <name>', 'ClusterRole this RoleBinding should reference')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim create rolebinding admin --clusterrole=admin --user=user1 --user=user2 --group=group1\n  kubesim create rolebinding myapp-view-binding --clusterrole=view --serviceaccount=acme:myapp',
    )
    .action((name: string, opts: BindingOptions, cmd: Command) => {
      if (!!opts.role === !!opts.clusterrole) throw new CliError('exactly one of clusterrole or role must be specified');
      // exactly one is set (checked above)
      const roleRef = { apiGroup: RBAC_GROUP, kind: opts.role ? 'Role' : 'ClusterRole', name: (opts.role ?? opts.clusterrole)! };
      const list = subjects(opts);
      const obj: RoleBinding = {
        apiVersion: `${RBAC_GROUP}/v1`,
        kind: 'RoleBinding',
        metadata: meta(name),
        roleRef,
        ...(list.length ? { subjects: list } : {}),
      };
      createGenerated(env, globals(cmd, env), obj, opts, cmd);
    });
}

function createClusterRoleBinding(create: Command, env: CommandEnv): void {
  bindingFlags(
    generatorFlags(
      create.command('clusterrolebinding').description('Create a cluster role binding for a particular cluster role').argument('<name>'),
    ),
  )
    .option('--clusterrole <name>', 'ClusterRole this ClusterRoleBinding should reference')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim create clusterrolebinding cluster-admin --clusterrole=cluster-admin --user=user1 --user=user2 --group=group1',
    )
    .action((name: string, opts: BindingOptions, cmd: Command) => {
      if (!opts.clusterrole) throw new CliError('required flag(s) "clusterrole" not set');
      const list = subjects(opts);
      const roleRef = { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: opts.clusterrole };
      const obj: ClusterRoleBinding = {
        apiVersion: `${RBAC_GROUP}/v1`,
        kind: 'ClusterRoleBinding',
        metadata: meta(name),
        roleRef,
        ...(list.length ? { subjects: list } : {}),
      };
      createGenerated(env, globals(cmd, env), obj, opts, cmd);
    });
}
