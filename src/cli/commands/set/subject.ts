import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { CliError } from '../../../util/errors';
import { parseDryRun, repeatable } from '../../flags';
import { kindInfoOrThrow } from '../../../api/registry';
import type { Subject } from '../../../model/k8s';
import { isKind } from '../../../model/kinds';
import { globals } from '../../context';
import { ObjectEditError, runEdit } from '../../object-edit';
import { withFlags, type FlagSet } from '../../flag-sets';
import { requireResources, setObjectFlags } from './pod-template';

const subjectFlags: FlagSet = (c) =>
  c
    .option('--user <name>', 'Usernames to bind to the role', repeatable, [])
    .option('--group <name>', 'Groups to bind to the role', repeatable, [])
    .option('--serviceaccount <namespace:name>', 'Service accounts to bind to the role', repeatable, []);

interface SubjectFlags {
  user: string[];
  group: string[];
  serviceaccount: string[];
  local?: boolean;
  dryRun?: string;
  all?: boolean;
  selector?: string;
  filename: string[];
}

const sortedUnique = (values: string[]) => [...new Set(values)].sort();

/** The subjects the flags name, users then groups then service accounts, each set sorted (set_subject.go). */
function subjectsFrom(opts: SubjectFlags, namespace: string): Subject[] {
  return [
    ...sortedUnique(opts.user).map((name) => ({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name })),
    ...sortedUnique(opts.group).map((name) => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name })),
    ...sortedUnique(opts.serviceaccount).map((sa) => {
      const [ns, name] = sa.split(':');
      return { kind: 'ServiceAccount', name, namespace: ns || namespace };
    }),
  ];
}

const sameSubject = (a: Subject, b: Subject) =>
  a.kind === b.kind && (a.apiGroup ?? '') === (b.apiGroup ?? '') && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');

/**
 * `kubectl set subject`: adds users, groups and service accounts to RoleBindings and
 * ClusterRoleBindings; a binding that has them all already is left alone and not reported.
 */
export function register(set: Command, env: CommandEnv): void {
  withFlags(
    set
      .command('subject')
      .description('Update the user, group, or service account in a role binding or cluster role binding')
      .argument('[resource...]', '(-f FILENAME | TYPE NAME)')
      .addHelpText(
        'after',
        '\nExamples:\n  kubesim set subject clusterrolebinding admin --user=user1 --user=user2 --group=group1\n  kubesim set subject rolebinding admin --user=user1 --user=user2 --group=group1 --serviceaccount=default:app',
      ),
    setObjectFlags,
    subjectFlags,
  ).action((resources: string[], opts: SubjectFlags, cmd: Command) => {
    // Complete
    if (opts.local && resources.length) requireResources(resources, opts);
    const namespace = globals(cmd, env).namespace;
    // Validate
    if (opts.local && parseDryRun(opts.dryRun) === 'server')
      throw new CliError('cannot specify --local and --dry-run=server - did you mean --dry-run=client?');
    if (opts.all && opts.selector) throw new CliError('cannot set --all and --selector at the same time');
    if (!opts.user.length && !opts.group.length && !opts.serviceaccount.length)
      throw new CliError('you must specify at least one value of user, group or serviceaccount');
    for (const sa of opts.serviceaccount) {
      const tokens = sa.split(':');
      if (tokens.length !== 2 || !tokens[1]) throw new CliError('serviceaccount must be <namespace>:<name>');
    }
    requireResources(resources, opts);
    const subjects = subjectsFrom(opts, namespace);
    // Run
    runEdit(env, cmd, resources, opts, (obj) => {
      if (!isKind(obj, 'RoleBinding') && !isKind(obj, 'ClusterRoleBinding')) {
        // info.ObjectName(): the mapping's resource, which the local builder's mapper names in the singular
        const resource = opts.local ? obj.kind.toLowerCase() : kindInfoOrThrow(obj.kind).plural;
        throw new ObjectEditError(`${resource}/${obj.metadata.name} setting subjects is only supported for RoleBinding/ClusterRoleBinding`);
      }
      if (obj.kind === 'ClusterRoleBinding' && opts.serviceaccount.some((sa) => sa.startsWith(':')))
        throw new CliError('serviceaccount must be <namespace>:<name>, namespace must be specified');
      const existing = obj.subjects ?? [];
      const added = subjects.filter((s) => !existing.some((e) => sameSubject(e, s)));
      if (!added.length) return { changed: false };
      obj.subjects = [...existing, ...added];
      return { changed: true, verb: 'subject updated' };
    });
  });
}
