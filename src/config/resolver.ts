import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../util/errors';
import { configDir, configPath, clusterStatePath, loadConfig, type AuthInfoEntry } from './kubeconfig';

/** Which cluster and namespace the flags and environment name, before contexts apply (the CLI's Globals). */
export interface ClusterTarget {
  statePath: string;
  namespace: string;
  /** -n was given explicitly */
  namespaceExplicit: boolean;
  context?: string;
  /** the kubeconfig user the context (or --user) names, with its credentials */
  user?: { name: string; authInfo: AuthInfoEntry };
  /** the kubeconfig cluster's server URL (what kubectl -v logs requests against) */
  server?: string;
}

/** The flags that pick the config file and what in it applies (clientcmd's ConfigOverrides). */
export interface ConfigSelection {
  state?: string;
  kubeconfig?: string;
  context?: string;
  cluster?: string;
  user?: string;
}

/** The config file the flags name; --kubeconfig must exist, as kubectl's loader requires of an explicit path. */
export function selectedConfigPath(vars: Record<string, string | undefined>, explicit: string | undefined, cwd: string): string {
  const file = configPath(vars, explicit, cwd);
  if (explicit && !fs.existsSync(file)) throw new CliError(`stat ${explicit}: no such file or directory`);
  return file;
}

/**
 * Which cluster and namespace a command talks to. Precedence, most specific first:
 * --state, --cluster, --context, $KUBESIM_STATE, the config's current-context, ~/.kubesim/default.db.
 * A context's namespace is the default for -n; its user (or --user) says who makes the requests.
 * `cluster create|delete NAME` works on `<config dir>/NAME.db`.
 */
export function resolveContext<T extends ClusterTarget>(
  g: T,
  cmd: Command,
  vars: Record<string, string | undefined>,
  cwd = process.cwd(),
): T {
  // the root's options: a verb's own --user or --cluster (create rolebinding, config set-context) is another flag
  let root = cmd;
  while (root.parent) root = root.parent;
  const opts = root.opts<ConfigSelection>();
  const namedCluster = clusterCommandName(cmd);
  if (namedCluster && !opts.state) return { ...g, statePath: path.join(configDir(vars), `${namedCluster}.db`) };
  const picksFromConfig = opts.context || opts.cluster || opts.user || opts.kubeconfig;
  if (!picksFromConfig && (opts.state || vars.KUBESIM_STATE)) return g;
  const file = selectedConfigPath(vars, opts.kubeconfig, cwd);
  const config = loadConfig(file);
  const name = opts.context ?? config['current-context'];
  const ctx = name ? config.contexts.find((c) => c.name === name) : undefined;
  if (name && !ctx) throw new CliError(`Error in configuration: context was not found for specified context: ${name}`, { raw: true });
  const clusterName = opts.cluster ?? (ctx ? ctx.context.cluster || ctx.name : undefined);
  if (opts.cluster && !config.clusters.some((c) => c.name === opts.cluster))
    throw new CliError(`no server found for cluster "${opts.cluster}"`);
  const userName = opts.user ?? ctx?.context.user;
  const authInfo = userName ? config.users.find((u) => u.name === userName) : undefined;
  if (opts.user && !authInfo) throw new CliError(`auth info "${opts.user}" does not exist`);
  // no context and no --cluster: the default cluster, under the same home as the config file
  const fallback = opts.state || vars.KUBESIM_STATE ? g.statePath : path.join(configDir(vars), 'default.db');
  return {
    ...g,
    statePath: opts.state ? g.statePath : clusterName ? clusterStatePath(config, clusterName, file) : fallback,
    namespace: g.namespaceExplicit ? g.namespace : ctx?.context.namespace || 'default',
    context: name,
    user: authInfo && { name: authInfo.name, authInfo: authInfo.user },
    server: clusterName ? config.clusters.find((c) => c.name === clusterName)?.cluster.server : undefined,
  };
}

/** NAME in `kubesim cluster create NAME` / `cluster delete NAME`. */
function clusterCommandName(cmd: Command): string | undefined {
  if (cmd.parent?.name() !== 'cluster' || !['create', 'delete'].includes(cmd.name())) return undefined;
  return cmd.args[0];
}
