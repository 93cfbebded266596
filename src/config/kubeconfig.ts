import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import YAML from 'yaml';
import { CliError } from '../util/errors';

/**
 * kubesim's kubeconfig: `~/.kubesim/config` (or $KUBESIM_CONFIG), shaped like
 * kubectl's so it reads familiarly. A cluster names its state file, a context names a
 * cluster and a default namespace.
 *
 *   apiVersion: v1
 *   kind: Config
 *   current-context: prod-eu
 *   clusters:
 *   - name: prod-eu
 *     cluster: {state: /home/me/.kubesim/prod-eu.db}
 *   contexts:
 *   - name: prod-eu
 *     context: {cluster: prod-eu, namespace: default}
 */
export interface NamedCluster {
  name: string;
  cluster: { state?: string };
}

export interface NamedContext {
  name: string;
  context: { cluster?: string; namespace?: string };
}

export interface KubesimConfig {
  apiVersion: 'v1';
  kind: 'Config';
  'current-context'?: string;
  clusters: NamedCluster[];
  contexts: NamedContext[];
}

export type Env = Record<string, string | undefined>;

export function configDir(env: Env): string {
  return path.join(env.HOME || os.homedir(), '.kubesim');
}

export function configPath(env: Env): string {
  return env.KUBESIM_CONFIG ? path.resolve(env.KUBESIM_CONFIG) : path.join(configDir(env), 'config');
}

/** A missing file is an empty config (as kubectl treats a missing kubeconfig). */
export function loadConfig(file: string): KubesimConfig {
  const empty: KubesimConfig = { apiVersion: 'v1', kind: 'Config', clusters: [], contexts: [] };
  if (!fs.existsSync(file)) return empty;
  let doc: unknown;
  try {
    doc = YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CliError(`error loading config file "${file}": ${(e as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return empty;
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new CliError(`error loading config file "${file}": couldn't get version/kind; json parse error: expected an object`);
  const raw = doc as Partial<KubesimConfig>;
  return {
    ...empty,
    'current-context': raw['current-context'] || undefined,
    clusters: Array.isArray(raw.clusters)
      ? raw.clusters.filter((c) => c && typeof c.name === 'string').map((c) => ({ name: c.name, cluster: c.cluster ?? {} }))
      : [],
    contexts: Array.isArray(raw.contexts)
      ? raw.contexts.filter((c) => c && typeof c.name === 'string').map((c) => ({ name: c.name, context: c.context ?? {} }))
      : [],
  };
}

export function saveConfig(file: string, config: KubesimConfig): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const out: Record<string, unknown> = { apiVersion: 'v1', kind: 'Config', clusters: config.clusters, contexts: config.contexts };
  if (config['current-context']) out['current-context'] = config['current-context'];
  // write-then-rename: a reader never sees half a file
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, YAML.stringify(out, { indentSeq: false }));
  fs.renameSync(tmp, file);
}

/** The state file a context points at: its cluster's `state`, else `<config dir>/<cluster>.db`. */
export function contextStatePath(config: KubesimConfig, ctx: NamedContext, file: string): string {
  const clusterName = ctx.context.cluster || ctx.name;
  const cluster = config.clusters.find((c) => c.name === clusterName);
  const state = cluster?.cluster.state;
  if (state) return path.resolve(path.dirname(file), state);
  return path.join(path.dirname(file), `${clusterName}.db`);
}

/** Adds (or updates) a cluster and a context of the same name, and makes it current. */
export function addClusterContext(file: string, name: string, statePath: string): void {
  const config = loadConfig(file);
  config.clusters = [...config.clusters.filter((c) => c.name !== name), { name, cluster: { state: statePath } }];
  const existing = config.contexts.find((c) => c.name === name);
  config.contexts = [
    ...config.contexts.filter((c) => c.name !== name),
    { name, context: { cluster: name, namespace: existing?.context.namespace ?? 'default' } },
  ];
  config['current-context'] = name;
  saveConfig(file, config);
}

/** Drops a cluster's context and cluster entries (cluster delete NAME). */
export function removeClusterContext(file: string, name: string): void {
  if (!fs.existsSync(file)) return;
  const config = loadConfig(file);
  config.clusters = config.clusters.filter((c) => c.name !== name);
  config.contexts = config.contexts.filter((c) => c.name !== name);
  if (config['current-context'] === name) delete config['current-context'];
  saveConfig(file, config);
}
