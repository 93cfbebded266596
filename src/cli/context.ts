import * as path from 'node:path';
import type { Command } from 'commander';
import { Session, defaultStatePath, type SessionOptions } from '../engine/session';
import type { CommandEnv } from './program';
import type { ClusterShape } from '../sim/cluster-shape';
import { resolveContext, type ClusterTarget } from '../config/resolver';
import { globalFlagsOf } from './global-flags';
import { requestCredentials } from './credentials';
import type { Credentials } from '../auth/authenticate';
import { parseVmodule, withRequestLog, type RequestLogOptions } from '../api/request-log';
import { KUBERNETES_VERSION } from '../model/kubernetes-version';

/** Flags every command shares, resolved against the environment. */
export interface Globals extends ClusterTarget {
  /** the state file as the user wrote it (--state or KUBESIM_STATE), for messages */
  stateShown?: string;
  /** who the requests are made as (the credential and impersonation flags over the kubeconfig user) */
  credentials?: Credentials;
  /** -v=6 and up: where and how the API requests are logged */
  requestLog?: Omit<RequestLogOptions, 'now'>;
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
  const verbosity = Number(opts.v);
  const vmodule = parseVmodule(opts.vmodule);
  const requestLog =
    verbosity >= 6 || vmodule.some((m) => m.level >= 6)
      ? {
          verbosity,
          vmodule,
          // client-go's default host when the kubeconfig names none
          server: (opts.server ?? resolved.server) || 'http://localhost:8080',
          userAgent: `kubectl/${KUBERNETES_VERSION} (linux/amd64) kubernetes/kubesim`,
          write: (line: string) => env.out.errLine(line),
        }
      : undefined;
  return { ...resolved, credentials: requestCredentials(resolved, cmd, env), requestLog };
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
  const log = g.requestLog;
  const logged = log ? (s: Session) => withRequestLog(s.store, { ...log, now: () => s.now }, () => fn(s)) : fn;
  return Session.run(opts, logged, { dryRun: flags.dryRun, readOnly: flags.readOnly });
}
