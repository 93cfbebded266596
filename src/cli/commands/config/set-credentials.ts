import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { CliError } from '../../../util/errors';
import { upsert, type AuthInfoEntry } from '../../../config/kubeconfig';
import { collect, parseBoolFlag, withFlags, type FlagSet } from '../../flag-sets';
import { repeatable } from '../../flags';
import { parsePairs } from '../../generators';
import { goList, openConfig } from './config-file';
import { configRelativePath, readCertificateFile } from './certificates';

const setCredentialsFlags: FlagSet = (c) =>
  c
    .option('--client-certificate <file>', 'Path to client-certificate file for the user entry in kubeconfig')
    .option('--client-key <file>', 'Path to client-key file for the user entry in kubeconfig')
    .option('--token <token>', 'token for the user entry in kubeconfig')
    .option('--username <name>', 'username for the user entry in kubeconfig')
    .option('--password <password>', 'password for the user entry in kubeconfig')
    .option('--auth-provider <name>', 'Auth provider for the user entry in kubeconfig')
    .option('--auth-provider-arg <key=value>', "'key=value' arguments for the auth provider", collect, [])
    .option('--exec-command <command>', 'Command for the exec credential plugin for the user entry in kubeconfig')
    .option('--exec-api-version <version>', 'API version of the exec credential plugin for the user entry in kubeconfig')
    .option('--exec-interactive-mode <mode>', 'InteractiveMode of the exec credentials plugin for the user entry in kubeconfig')
    .option('--exec-provide-cluster-info [bool]', 'ProvideClusterInfo of the exec credentials plugin for the user entry in kubeconfig')
    .option('--exec-arg <arg>', 'New arguments for the exec credential plugin command for the user entry in kubeconfig', collect, [])
    .option('--exec-env <key=value>', "'key=value' environment values for the exec credential plugin", repeatable, [])
    .option('--embed-certs [bool]', 'Embed client cert/key for the user entry in kubeconfig');

interface SetCredentialsFlags {
  clientCertificate?: string;
  clientKey?: string;
  token?: string;
  username?: string;
  password?: string;
  authProvider?: string;
  authProviderArg: string[];
  execCommand?: string;
  execApiVersion?: string;
  execInteractiveMode?: string;
  execProvideClusterInfo?: string;
  execArg: string[];
  execEnv: string[];
  embedCerts?: string;
}

/** What the flags ask for, read (Complete) and checked (Validate) before the file is touched. */
interface CredentialsChange extends SetCredentialsFlags {
  embed: boolean;
  providerArgs: { set: [string, string][]; remove: string[] };
  execEnvPairs?: { set: [string, string][]; remove: string[] };
}

/** Complete: the name and the key=value flags; kubectl shows the help when these are wrong. */
function completeCredentials(args: string[], opts: SetCredentialsFlags): { name: string; change: CredentialsChange } {
  // kubectl v1.32: `error: unexpected args: [...]` (lower-case, unlike set-cluster), after the help (see the caller)
  if (args.length !== 1) throw new CliError(`unexpected args: ${goList(args)}`);
  const change: CredentialsChange = {
    ...opts,
    embed: parseBoolFlag(opts.embedCerts, 'embed-certs'),
    providerArgs: parsePairs(opts.authProviderArg, 'auth-provider-arg', true),
    execEnvPairs: opts.execEnv.length ? parsePairs(opts.execEnv, 'exec-env', true) : undefined,
  };
  return { name: args[0], change };
}

/** Validate: one way of authenticating, files to embed that exist, a known interactive mode. */
function validateCredentials(name: string, opts: CredentialsChange, cwd: string): void {
  if (!name) throw new CliError('you must specify a non-empty user name');
  const methods: string[] = [];
  if (opts.token) methods.push('--token');
  if (opts.username || opts.password) methods.push('--username/--password');
  if (methods.length > 1)
    throw new CliError(`you cannot specify more than one authentication method at the same time: ${methods.join(', ')}`);
  if (opts.embed) {
    const cert = opts.clientCertificate ?? '';
    const key = opts.clientKey ?? '';
    if (!cert && !key) throw new CliError('you must specify a --client-certificate or --client-key to embed');
    for (const [flag, file] of [
      ['client-certificate', cert],
      ['client-key', key],
    ])
      if (file && !fs.existsSync(path.resolve(cwd, file)))
        throw new CliError(`could not stat ${flag} file ${file}: stat ${file}: no such file or directory`);
  }
  if (opts.execInteractiveMode !== undefined && !['IfAvailable', 'Always', 'Never'].includes(opts.execInteractiveMode))
    throw new CliError('invalid interactive mode type, can be only IfAvailable, Never, Always');
}

/** A certificate or key flag: embedded as data with --embed-certs, else the absolute path (and the other form dropped). */
function setFileOrData(
  user: AuthInfoEntry,
  field: 'client-certificate' | 'client-key',
  file: string | undefined,
  embed: boolean,
  paths: { cwd: string; configFile: string },
): void {
  if (file === undefined) return;
  const data = `${field}-data` as const;
  if (embed) {
    user[data] = readCertificateFile(file, paths.cwd);
    delete user[field];
  } else {
    user[field] = configRelativePath(file, paths.cwd, paths.configFile);
    delete user[data];
  }
}

/** set_credentials.go's modifyAuthInfo. */
function modifyAuthInfo(existing: AuthInfoEntry, o: CredentialsChange, paths: { cwd: string; configFile: string }): AuthInfoEntry {
  const user: AuthInfoEntry = structuredClone(existing);
  setFileOrData(user, 'client-certificate', o.clientCertificate, o.embed, paths);
  setFileOrData(user, 'client-key', o.clientKey, o.embed, paths);
  let setToken = false;
  let setBasic = false;
  if (o.token !== undefined) {
    user.token = o.token;
    setToken = o.token.length > 0;
  }
  if (o.username !== undefined) {
    user.username = o.username;
    setBasic = o.username.length > 0;
  }
  if (o.password !== undefined) {
    user.password = o.password;
    setBasic ||= o.password.length > 0;
  }
  // the provider is replaced only when it changes name: its config is kept otherwise
  if (o.authProvider !== undefined && user['auth-provider']?.name !== o.authProvider) user['auth-provider'] = { name: o.authProvider };
  const provider = user['auth-provider'];
  if (provider) {
    const config = { ...provider.config };
    for (const key of o.providerArgs.remove) delete config[key];
    for (const [key, value] of o.providerArgs.set) config[key] = value;
    provider.config = config;
  }
  if (o.execCommand !== undefined) {
    // a new command resets the arguments of the old one
    user.exec = user.exec ? { ...user.exec, command: o.execCommand, args: undefined } : { command: o.execCommand };
  }
  if (user.exec) {
    const exec = user.exec;
    if (o.execApiVersion !== undefined) exec.apiVersion = o.execApiVersion;
    if (o.execArg.length) exec.args = o.execArg;
    if (o.execInteractiveMode !== undefined) exec.interactiveMode = o.execInteractiveMode;
    if (o.execProvideClusterInfo !== undefined)
      exec.provideClusterInfo = parseBoolFlag(o.execProvideClusterInfo, 'exec-provide-cluster-info');
    if (o.execEnvPairs) {
      const env = (exec.env ?? []).filter((e) => !o.execEnvPairs!.remove.includes(e.name));
      for (const [name, value] of o.execEnvPairs.set) {
        const found = env.find((e) => e.name === name);
        if (found) found.value = value;
        else env.push({ name, value });
      }
      exec.env = env;
    }
  }
  // one way of authenticating at a time: setting a token drops basic auth and the reverse
  if (setToken || setBasic) {
    if (!setToken) delete user.token;
    if (!setBasic) {
      delete user.username;
      delete user.password;
    }
  }
  return user;
}

export function register(config: Command, env: CommandEnv): void {
  withFlags(
    config
      .command('set-credentials')
      .description('Set a user entry in kubeconfig')
      .argument('[name...]', 'user name')
      .addHelpText(
        'after',
        '\nExamples:\n  kubesim config set-credentials cluster-admin --token=bearer_token\n  kubesim config set-credentials dev --token="$(kubesim create token dev-sa)"',
      ),
    setCredentialsFlags,
  ).action((args: string[], opts: SetCredentialsFlags, cmd: Command) => {
    let completed: { name: string; change: CredentialsChange };
    try {
      completed = completeCredentials(args, opts);
    } catch (e) {
      env.out.out(cmd.helpInformation());
      throw e;
    }
    const { name, change } = completed;
    validateCredentials(name, change, env.io.cwd);
    const file = openConfig(cmd, env);
    const existing = file.config.users.find((u) => u.name === name)?.user ?? {};
    file.config.users = upsert(file.config.users, {
      name,
      user: modifyAuthInfo(existing, change, { cwd: env.io.cwd, configFile: file.path }),
    });
    file.save();
    env.out.line(`User "${name}" set.`);
  });
}
