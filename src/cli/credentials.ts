import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../util/errors';
import type { Credentials } from '../auth/authenticate';
import type { Globals } from './context';
import type { CommandEnv } from './program';
import { globalFlagsOf } from './global-flags';

/**
 * What the request says about who makes it, as kubectl's client config builds it: the flags
 * (--token, --username/--password, --as/--as-group/--as-uid) over the kubeconfig user of the
 * context (or --user). A user with only a client certificate is the admin (kubesim cannot tell
 * one certificate from another).
 */
export function requestCredentials(g: Globals, cmd: Command, env: CommandEnv): Credentials {
  const flags = globalFlagsOf(cmd);
  const user = g.user?.authInfo ?? {};
  let token = flags.token ?? (flags.username || flags.password ? undefined : user.token);
  if (token === undefined && user.tokenFile && !flags.username) {
    const file = path.resolve(env.io.cwd, user.tokenFile);
    try {
      token = fs.readFileSync(file, 'utf8').trim();
    } catch {
      throw new CliError(`open ${user.tokenFile}: no such file or directory`);
    }
  }
  const basicAuth = !!(flags.username || flags.password || (token === undefined && (user.username || user.password)));
  const as = flags.as ?? user.as;
  const creds: Credentials = { ...(token !== undefined ? { token } : {}), basicAuth };
  if (as) {
    const groups = flags.asGroup.length ? flags.asGroup : (user['as-groups'] ?? []);
    creds.impersonate = { user: as, groups, uid: flags.asUid ?? user['as-uid'] };
  }
  return creds;
}
