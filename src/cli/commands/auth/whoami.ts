import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { globals, withSession } from '../../context';
import { CliError } from '../../../util/errors';
import { renderTable } from '../../../printers/table';
import { toJson, toYaml } from '../../../printers/serialize';
import { CLUSTER_ADMIN } from '../../../auth/authenticate';
import type { UserInfo } from '../../../auth/rbac-authorizer';

/** whoami.go's table: Username, UID, Groups, then each extra key in order. */
function userTable(user: UserInfo): string {
  const rows = [
    ['ATTRIBUTE', 'VALUE'],
    ['Username', user.name],
  ];
  if (user.uid) rows.push(['UID', user.uid]);
  if (user.groups.length) rows.push(['Groups', `[${user.groups.join(' ')}]`]);
  for (const key of Object.keys(user.extra ?? {}).sort()) rows.push([`Extra: ${key}`, `[${user.extra![key].join(' ')}]`]);
  return renderTable(rows);
}

/** The SelfSubjectReview kubectl prints with -o json|yaml. */
function selfSubjectReview(user: UserInfo): Record<string, unknown> {
  return {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'SelfSubjectReview',
    metadata: { creationTimestamp: null },
    status: {
      userInfo: {
        username: user.name,
        ...(user.uid ? { uid: user.uid } : {}),
        groups: user.groups,
        ...(user.extra ? { extra: user.extra } : {}),
      },
    },
  };
}

export function register(auth: Command, env: CommandEnv): void {
  auth
    .command('whoami')
    .description('Experimental: Check self subject attributes')
    .option('-o, --output <format>', 'Output format. One of: (json, yaml).')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim auth whoami\n  kubesim auth whoami --as=system:serviceaccount:dev:foo\n  kubesim auth whoami -o json',
    )
    .action((opts: { output?: string }, cmd: Command) => {
      if (opts.output !== undefined && opts.output !== 'json' && opts.output !== 'yaml')
        throw new CliError(`unable to match a printer suitable for the output format "${opts.output}", allowed formats are: json,yaml`);
      const g = globals(cmd, env);
      const user = withSession(g, (s) => s.requestUser ?? CLUSTER_ADMIN, { readOnly: true });
      if (opts.output === 'json') env.out.out(toJson(selfSubjectReview(user)));
      else if (opts.output === 'yaml') env.out.out(toYaml(selfSubjectReview(user)));
      else env.out.out(userTable(user));
    });
}
