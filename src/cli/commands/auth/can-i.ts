import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { globals, withSession } from '../../context';
import { CliError } from '../../../util/errors';
import { resolveResource } from '../../../api/registry';
import { renderTable } from '../../../printers/table';
import { authorize, rulesFor, type Request } from '../../../auth/rbac-authorizer';
import { CLUSTER_ADMIN } from '../../../auth/authenticate';
import { accessRows } from '../../../auth/rules-review';
import { withFlags, type FlagSet } from '../../flag-sets';
/** Where kubectl's WarningPrinter writes (stderr, as `Warning: …`). */
type EventSink = (warning: string) => void;

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

const canIFlags: FlagSet = (c) =>
  c
    .option('-A, --all-namespaces', 'If true, check the specified action in all namespaces.')
    .option('--subresource <name>', 'SubResource such as pod/log or deployment/scale')
    .option('-q, --quiet', 'If true, suppress output and just return the exit code.')
    .option('--list', 'If true, prints all allowed actions.')
    .option('--no-headers', 'If true, prints allowed actions without headers');

interface CanIFlags {
  allNamespaces?: boolean;
  subresource?: string;
  quiet?: boolean;
  list?: boolean;
  headers: boolean;
}

/** What is asked: a SelfSubjectAccessReview's attributes, or --list's SelfSubjectRulesReview. */
type CanIRequest = { list: true; namespace: string; noHeaders: boolean } | { list: false; request: Request; quiet: boolean };

/** Complete + Validate, with the warnings kubectl prints on the way. */
function completeCanI(args: string[], opts: CanIFlags, namespace: string, warn: EventSink): CanIRequest {
  if (opts.list) {
    if (args.length) throw new CliError('list option must be specified with no arguments');
    if (opts.quiet || opts.allNamespaces || opts.subresource)
      throw new CliError("list option can't be specified with neither quiet, all-namespaces nor subresource options");
    return { list: true, namespace, noHeaders: opts.headers === false };
  }
  if (args.length !== 2)
    throw new CliError(
      "you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubesim auth can-i -h' for help and examples.",
    );
  const [verb, target] = args;
  let request: Request;
  if (target.startsWith('/')) {
    if (opts.subresource) throw new CliError('--subresource can not be used with NonResourceURL');
    if (!KNOWN_NON_RESOURCE_VERBS.includes(verb)) warn(`verb '${verb}' is not a known verb`);
    request = { verb, path: target };
  } else {
    const slash = target.indexOf('/');
    const typeArg = (slash >= 0 ? target.slice(0, slash) : target).toLowerCase();
    const name = slash >= 0 ? target.slice(slash + 1) : undefined;
    let group = '';
    let resource = typeArg;
    let namespaced = true;
    if (resource !== '*') {
      const info = resolveResource(resource);
      if (info) {
        group = info.group;
        resource = info.plural;
        namespaced = info.namespaced;
      } else {
        const dot = resource.indexOf('.');
        group = dot >= 0 ? resource.slice(dot + 1) : '';
        resource = dot >= 0 ? resource.slice(0, dot) : resource;
        warn(
          group
            ? `the server doesn't have a resource type '${resource}' in group '${group}'`
            : `the server doesn't have a resource type '${resource}'`,
        );
      }
    }
    if (!namespaced && !opts.allNamespaces)
      warn(group ? `resource '${resource}' is not namespace scoped in group '${group}'` : `resource '${resource}' is not namespace scoped`);
    if (!KNOWN_RESOURCE_VERBS.includes(verb)) warn(`verb '${verb}' is not a known verb`);
    request = {
      verb,
      namespace: opts.allNamespaces ? '' : namespace,
      group,
      resource,
      ...(opts.subresource ? { subresource: opts.subresource } : {}),
      ...(name ? { name } : {}),
    };
  }
  if (opts.headers === false) throw new CliError('--no-headers cannot be set without --list specified');
  return { list: false, request, quiet: !!opts.quiet };
}

/**
 * `kubectl auth can-i`: a SelfSubjectAccessReview answered by the RBAC authorizer over the
 * cluster's Roles and bindings, for the user the credentials and --as/--as-group name; --list
 * is the SelfSubjectRulesReview of the namespace.
 */
export function register(auth: Command, env: CommandEnv): void {
  withFlags(
    auth
      .command('can-i')
      .description('Check whether an action is allowed')
      .argument('[args...]', 'VERB [TYPE | TYPE/NAME | NONRESOURCEURL]')
      .addHelpText(
        'after',
        '\nExamples:\n  kubesim auth can-i create pods --all-namespaces\n  kubesim auth can-i list pods --as=system:serviceaccount:dev:foo -n prod\n  kubesim auth can-i get pods --subresource=log\n  kubesim auth can-i get /logs/\n  kubesim auth can-i --list --namespace=foo',
      ),
    canIFlags,
  ).action((args: string[], opts: CanIFlags, cmd: Command) => {
    const g = globals(cmd, env);
    const req = completeCanI(args, opts, g.namespace, (w) => env.out.errLine(`Warning: ${w}`));
    withSession(
      g,
      (s) => {
        const user = s.requestUser ?? CLUSTER_ADMIN;
        if (req.list) {
          const rows = accessRows(rulesFor(s.store, user, req.namespace));
          if (!req.noHeaders) rows.unshift(['Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs']);
          env.out.out(renderTable(rows));
          return;
        }
        const allowed = authorize(s.store, user, req.request);
        if (!req.quiet) env.out.line(allowed ? 'yes' : 'no');
        env.exitCode = allowed ? 0 : 1;
      },
      { readOnly: true },
    );
  });
}
