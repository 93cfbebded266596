import * as path from 'node:path';
import type { Command } from 'commander';
import { Session, defaultStatePath, type SessionOptions } from '../engine/session';
import type { CommandEnv } from './program';
import type { ClusterShape } from '../sim/cluster-shape';
import { resolveContext, type ClusterTarget } from '../config/resolver';
import { globalFlagsOf } from './global-flags';
import { requestCredentials } from './credentials';
import type { Credentials } from '../auth/authenticate';

/** Flags every command shares, resolved against the environment. */
export interface Globals extends ClusterTarget {
  /** the state file as the user wrote it (--state or KUBESIM_STATE), for messages */
  stateShown?: string;
  /** who the requests are made as (the credential and impersonation flags over the kubeconfig user) */
  credentials?: Credentials;
}

export type ContextResolver = (globals: Globals, cmd: Command, env: CommandEnv) => Globals;
let contextResolver: ContextResolver | undefined;

/** Multi-cluster contexts plug in here (state file + default namespace per context). */
export function setContextResolver(resolver: ContextResolver): void {
  contextResolver = resolver;
}

export function globals(cmd: Command, env: CommandEnv): Globals {
  const opts = globalFlagsOf(cmd);
  const stateFlag = opts.state ?? env.io.env.KUBESIM_STATE;
  const g: Globals = {
    statePath: stateFlag ? path.resolve(env.io.cwd, stateFlag) : defaultStatePath(),
    stateShown: stateFlag,
    namespace: opts.namespace ?? 'default',
    namespaceExplicit: opts.namespace !== undefined,
    context: opts.context,
  };
  const resolved = contextResolver ? contextResolver(g, cmd, env) : resolveContext(g, cmd, env.io.env, env.io.cwd);
  // custom resource names resolve from here on, before the command opens its session (the
  // CRDs are read from the state file only if a name is not a built-in one)
  Session.customKindsFrom(resolved.statePath);
  return { ...resolved, credentials: requestCredentials(resolved, cmd, env) };
}

/**
 * Runs `fn` against the cluster in one transaction (see Session.run). `readOnly`: `fn` only
 * reads (get, describe…), so it may run without catching up when nothing is due.
 */
export function withSession<T>(
  g: Globals,
  fn: (s: Session) => T,
  flags: { dryRun?: boolean; readOnly?: boolean; shape?: Partial<ClusterShape> } = {},
): T {
  const opts: SessionOptions = { statePath: g.statePath, shape: flags.shape, credentials: g.credentials };
  return Session.run(opts, fn, { dryRun: flags.dryRun, readOnly: flags.readOnly });
}
