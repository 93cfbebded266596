import type { Command } from 'commander';
import { CLI_USER } from '../../api/kinds/certificatesigningrequest';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError } from '../../util/errors';
import { resolveResource } from '../../api/registry';
import { renderTable } from '../../printers/table';
import { authorize, impersonatedUser, type Request, type UserInfo } from '../../auth/rbac-authorizer';
import { repeatable } from '../flags';

/** can_i.go's verbs it knows (others get a warning and are still checked) */
const KNOWN_RESOURCE_VERBS = [
  'get',
  'list',
  'watch',
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
  'use',
  'bind',
  'impersonate',
  '*',
  'approve',
  'sign',
  'escalate',
  'attest',
];
const KNOWN_NON_RESOURCE_VERBS = ['get', 'put', 'post', 'head', 'options', 'delete', 'patch', '*'];

/** kubectl's own user in a kubeadm/kind v1.29+ cluster: bound to cluster-admin through the kubeadm:cluster-admins group */
const ADMIN: UserInfo = CLI_USER;

const impersonation = (c: Command) =>
  c
    .option('--as <user>', 'Username to impersonate for the operation. User could be a regular user or a service account in a namespace.')
    .option(
      '--as-group <group>',
      'Group to impersonate for the operation, this flag can be repeated to specify multiple groups.',
      repeatable,
      [],
    );

const userOf = (opts: { as?: string; asGroup: string[] }): UserInfo => (opts.as ? impersonatedUser(opts.as, opts.asGroup) : ADMIN);

/**
 * `kubectl auth can-i`: a SelfSubjectAccessReview answered by the RBAC authorizer over the
 * cluster's Roles and bindings, as the user --as (and --as-group) names, else the admin.
 */
export function register(program: Command, env: CommandEnv): void {
  const auth = program.command('auth').description('Inspect authorization');
  impersonation(auth.command('can-i'))
    .description('Check whether an action is allowed')
    .argument('[args...]', 'VERB [TYPE | TYPE/NAME | NONRESOURCEURL]')
    .option('-A, --all-namespaces', 'If true, check the specified action in all namespaces.')
    .option('--subresource <name>', 'SubResource such as pod/log or deployment/scale')
    .option('-q, --quiet', 'If true, suppress output and just return the exit code.')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim auth can-i create pods --all-namespaces\n  kubesim auth can-i list pods --as=system:serviceaccount:dev:foo -n prod\n  kubesim auth can-i get pods --subresource=log\n  kubesim auth can-i get /logs/',
    )
    .action((args: string[], opts, cmd: Command) => {
      if (args.length !== 2)
        throw new CliError(
          "you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubesim auth can-i -h' for help and examples.",
        );
      const g = globals(cmd, env);
      const verb = args[0];
      let req: Request;
      if (args[1].startsWith('/')) {
        if (!KNOWN_NON_RESOURCE_VERBS.includes(verb)) env.out.errLine(`Warning: verb '${verb}' is not a known verb`);
        req = { verb, path: args[1] };
      } else {
        if (!KNOWN_RESOURCE_VERBS.includes(verb)) env.out.errLine(`Warning: verb '${verb}' is not a known verb`);
        const slash = args[1].indexOf('/');
        const typeArg = slash >= 0 ? args[1].slice(0, slash) : args[1];
        const name = slash >= 0 ? args[1].slice(slash + 1) : undefined;
        let group = '';
        let resource = typeArg.toLowerCase();
        if (resource !== '*') {
          const info = resolveResource(resource);
          if (info) {
            group = info.group;
            resource = info.plural;
          } else {
            const dot = resource.indexOf('.');
            group = dot >= 0 ? resource.slice(dot + 1) : '';
            resource = dot >= 0 ? resource.slice(0, dot) : resource;
            env.out.errLine(
              group
                ? `Warning: the server doesn't have a resource type '${resource}' in group '${group}'`
                : `Warning: the server doesn't have a resource type '${resource}'`,
            );
          }
        }
        req = {
          verb,
          namespace: opts.allNamespaces ? '' : g.namespace,
          group,
          resource,
          ...(opts.subresource ? { subresource: opts.subresource } : {}),
          ...(name ? { name } : {}),
        };
      }
      const user = userOf(opts);
      const allowed = withSession(g, (s) => authorize(s.store, user, req), { readOnly: true });
      if (!opts.quiet) env.out.line(allowed ? 'yes' : 'no');
      env.exitCode = allowed ? 0 : 1;
    });

  impersonation(auth.command('whoami'))
    .description('Experimental: Check self subject attributes')
    .addHelpText('after', '\nExamples:\n  kubesim auth whoami\n  kubesim auth whoami --as=system:serviceaccount:dev:foo')
    .action((opts) => {
      const user = userOf(opts);
      env.out.out(
        renderTable([
          ['ATTRIBUTE', 'VALUE'],
          ['Username', user.name],
          ['Groups', `[${user.groups.join(' ')}]`],
        ]),
      );
    });
}
