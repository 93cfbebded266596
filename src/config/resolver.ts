import * as path from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../util/errors';
import { configDir, configPath, contextStatePath, loadConfig } from './kubeconfig';

/** Which cluster and namespace the flags and environment name, before contexts apply (the CLI's Globals). */
export interface ClusterTarget {
  statePath: string;
  namespace: string;
  /** -n was given explicitly */
  namespaceExplicit: boolean;
  context?: string;
}

/**
 * Which cluster and namespace a command talks to. Precedence, most specific first:
 * --state, --context, $KUBESIM_STATE, the config's current-context, ~/.kubesim/default.db.
 * A context's namespace is the default for -n. `cluster create|delete NAME` works on
 * `<config dir>/NAME.db`.
 */
export function resolveContext<T extends ClusterTarget>(g: T, cmd: Command, vars: Record<string, string | undefined>): T {
  const opts = cmd.optsWithGlobals() as { state?: string; context?: string };
  const namedCluster = clusterCommandName(cmd);
  if (namedCluster && !opts.state) return { ...g, statePath: path.join(configDir(vars), `${namedCluster}.db`) };
  if (!opts.context && (opts.state || vars.KUBESIM_STATE)) return g;
  const file = configPath(vars);
  const config = loadConfig(file);
  const name = opts.context ?? config['current-context'];
  // no context: the default cluster, under the same home as the config file
  if (!name) return opts.state || vars.KUBESIM_STATE ? g : { ...g, statePath: path.join(configDir(vars), 'default.db') };
  const ctx = config.contexts.find((c) => c.name === name);
  if (!ctx) throw new CliError(`Error in configuration: context was not found for specified context: ${name}`, { raw: true });
  return {
    ...g,
    statePath: opts.state ? g.statePath : contextStatePath(config, ctx, file),
    namespace: g.namespaceExplicit ? g.namespace : ctx.context.namespace || 'default',
    context: name,
  };
}

/** NAME in `kubesim cluster create NAME` / `cluster delete NAME`. */
function clusterCommandName(cmd: Command): string | undefined {
  if (cmd.parent?.name() !== 'cluster' || !['create', 'delete'].includes(cmd.name())) return undefined;
  return cmd.args[0];
}
