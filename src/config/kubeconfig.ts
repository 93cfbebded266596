import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { onDemand } from '../util/on-demand';

// the YAML parser is loaded only when there is a kubeconfig file to read
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = onDemand('yaml', () => require('yaml') as typeof import('yaml'));
import { CliError } from '../util/errors';
import { toYaml } from '../util/go-yaml-write';

/**
 * kubesim's kubeconfig: `~/.kubesim/config` (or $KUBESIM_CONFIG, or --kubeconfig), in the
 * shape and with the fields of kubectl's (clientcmd/api/v1), so `kubesim config …` reads and
 * writes it as kubectl does. A cluster also names its state file (`state`, kubesim's own
 * field); a context names a cluster, a user and a default namespace; a user's token, when
 * it is one `kubesim create token` issued, says who the user is (src/config/credentials.ts).
 *
 *   apiVersion: v1
 *   clusters:
 *   - cluster: {server: "", state: /home/me/.kubesim/prod-eu.db}
 *     name: prod-eu
 *   contexts:
 *   - context: {cluster: prod-eu, namespace: default, user: ""}
 *     name: prod-eu
 *   current-context: prod-eu
 *   kind: Config
 *   preferences: {}
 *   users: null
 */

/** clientcmd/api/v1 Cluster, with kubesim's `state` */
export interface ClusterEntry {
  server?: string;
  'tls-server-name'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'certificate-authority'?: string;
  /** base64, as the file holds it */
  'certificate-authority-data'?: string;
  'proxy-url'?: string;
  'disable-compression'?: boolean;
  extensions?: unknown[];
  state?: string;
}

export interface ExecEnvVar {
  name: string;
  value: string;
}

/** clientcmd/api/v1 ExecConfig */
export interface ExecConfig {
  command?: string;
  args?: string[];
  env?: ExecEnvVar[];
  apiVersion?: string;
  installHint?: string;
  provideClusterInfo?: boolean;
  interactiveMode?: string;
}

/** clientcmd/api/v1 AuthInfo */
export interface AuthInfoEntry {
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  token?: string;
  tokenFile?: string;
  as?: string;
  'as-uid'?: string;
  'as-groups'?: string[];
  'as-user-extra'?: Record<string, string[]>;
  username?: string;
  password?: string;
  'auth-provider'?: { name: string; config?: Record<string, string> };
  exec?: ExecConfig;
  extensions?: unknown[];
}

/** clientcmd/api/v1 Context */
export interface ContextEntry {
  cluster?: string;
  user?: string;
  namespace?: string;
  extensions?: unknown[];
}

export interface NamedCluster {
  name: string;
  cluster: ClusterEntry;
}
export interface NamedContext {
  name: string;
  context: ContextEntry;
}
export interface NamedAuthInfo {
  name: string;
  user: AuthInfoEntry;
}

export interface KubesimConfig {
  apiVersion: 'v1';
  kind: 'Config';
  preferences: { colors?: boolean; extensions?: unknown[] };
  'current-context'?: string;
  clusters: NamedCluster[];
  users: NamedAuthInfo[];
  contexts: NamedContext[];
}

export type Env = Record<string, string | undefined>;

export function emptyConfig(): KubesimConfig {
  return { apiVersion: 'v1', kind: 'Config', preferences: {}, clusters: [], users: [], contexts: [] };
}

export function configDir(env: Env): string {
  return path.join(env.HOME || os.homedir(), '.kubesim');
}

/** The config file: --kubeconfig (explicit), else $KUBESIM_CONFIG, else ~/.kubesim/config. */
export function configPath(env: Env, explicit?: string, cwd = process.cwd()): string {
  if (explicit) return path.resolve(cwd, explicit);
  return env.KUBESIM_CONFIG ? path.resolve(env.KUBESIM_CONFIG) : path.join(configDir(env), 'config');
}

function namedList<T extends { name: string }>(raw: unknown, key: string): T[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((e): e is Record<string, unknown> => !!e && typeof e === 'object' && typeof (e as { name?: unknown }).name === 'string')
    .map((e) => ({ name: e.name, [key]: e[key] && typeof e[key] === 'object' ? e[key] : {} }) as unknown as T);
}

/** A missing file is an empty config (as kubectl treats a missing kubeconfig). */
export function loadConfig(file: string): KubesimConfig {
  if (!fs.existsSync(file)) return emptyConfig();
  let doc: unknown;
  try {
    doc = yaml().parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CliError(`error loading config file "${file}": ${(e as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return emptyConfig();
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new CliError(`error loading config file "${file}": couldn't get version/kind; json parse error: expected an object`);
  const raw = doc as Record<string, unknown>;
  const preferences = raw.preferences && typeof raw.preferences === 'object' ? (raw.preferences as KubesimConfig['preferences']) : {};
  return {
    ...emptyConfig(),
    preferences,
    'current-context': typeof raw['current-context'] === 'string' && raw['current-context'] ? raw['current-context'] : undefined,
    clusters: namedList<NamedCluster>(raw.clusters, 'cluster'),
    users: namedList<NamedAuthInfo>(raw.users, 'user'),
    contexts: namedList<NamedContext>(raw.contexts, 'context'),
  };
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The config as clientcmd's v1 conversion lays it out (Go struct field order, the named lists
 * sorted by name, an empty list as null, the fields kubectl always writes), for the file
 * and for `config view`.
 */
export function serializableConfig(config: KubesimConfig): Record<string, unknown> {
  const list = <T extends { name: string }>(items: T[], shape: (e: T) => Record<string, unknown>) =>
    items.length ? [...items].sort(byName).map(shape) : null;
  return {
    kind: 'Config',
    apiVersion: 'v1',
    preferences: config.preferences,
    clusters: list(config.clusters, (c) => ({ name: c.name, cluster: clusterFields(c.cluster) })),
    users: list(config.users, (u) => ({ name: u.name, user: authInfoFields(u.user) })),
    contexts: list(config.contexts, (c) => ({
      name: c.name,
      context: {
        cluster: c.context.cluster ?? '',
        user: c.context.user ?? '',
        ...omitEmpty({ namespace: c.context.namespace, extensions: c.context.extensions }),
      },
    })),
    'current-context': config['current-context'] ?? '',
  };
}

/** Go's omitempty: no empty strings, false, empty lists or maps. */
function omitEmpty(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined || v === '' || v === false || v === null) continue;
    if (Array.isArray(v) && !v.length) continue;
    if (typeof v === 'object' && !Array.isArray(v) && !Object.keys(v as object).length) continue;
    out[k] = v;
  }
  return out;
}

function clusterFields(c: ClusterEntry): Record<string, unknown> {
  // server has no omitempty in clientcmd/api/v1
  return {
    server: c.server ?? '',
    ...omitEmpty({
      'tls-server-name': c['tls-server-name'],
      'insecure-skip-tls-verify': c['insecure-skip-tls-verify'],
      'certificate-authority': c['certificate-authority'],
      'certificate-authority-data': c['certificate-authority-data'],
      'proxy-url': c['proxy-url'],
      'disable-compression': c['disable-compression'],
      extensions: c.extensions,
      state: c.state,
    }),
  };
}

function authInfoFields(u: AuthInfoEntry): Record<string, unknown> {
  const exec = u.exec && {
    command: u.exec.command ?? '',
    ...omitEmpty({ args: u.exec.args, env: u.exec.env, apiVersion: u.exec.apiVersion, installHint: u.exec.installHint }),
    // provideClusterInfo has no omitempty
    provideClusterInfo: u.exec.provideClusterInfo ?? false,
    ...omitEmpty({ interactiveMode: u.exec.interactiveMode }),
  };
  return omitEmpty({
    'client-certificate': u['client-certificate'],
    'client-certificate-data': u['client-certificate-data'],
    'client-key': u['client-key'],
    'client-key-data': u['client-key-data'],
    token: u.token,
    tokenFile: u.tokenFile,
    as: u.as,
    'as-uid': u['as-uid'],
    'as-groups': u['as-groups'],
    'as-user-extra': u['as-user-extra'],
    username: u.username,
    password: u.password,
    'auth-provider': u['auth-provider'],
    exec,
    extensions: u.extensions,
  });
}

/** Writes the file as kubectl does (keys sorted, YAML); write-then-rename so a reader never sees half a file. */
export function saveConfig(file: string, config: KubesimConfig): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  // credentials live here: only the owner may read it, as kubectl writes it
  fs.writeFileSync(tmp, toYaml(serializableConfig(config)), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** Adds or replaces the entry named `name` in a named list. */
export function upsert<T extends { name: string }>(list: T[], entry: T): T[] {
  return list.some((e) => e.name === entry.name) ? list.map((e) => (e.name === entry.name ? entry : e)) : [...list, entry];
}

/** The state file a context points at: its cluster's `state`, else `<config dir>/<cluster>.db`. */
export function clusterStatePath(config: KubesimConfig, clusterName: string, file: string): string {
  const state = config.clusters.find((c) => c.name === clusterName)?.cluster.state;
  if (state) return path.resolve(path.dirname(file), state);
  return path.join(path.dirname(file), `${clusterName}.db`);
}

export function contextStatePath(config: KubesimConfig, ctx: NamedContext, file: string): string {
  return clusterStatePath(config, ctx.context.cluster || ctx.name, file);
}

/** Adds (or updates) a cluster and a context of the same name, and makes it current. */
export function addClusterContext(file: string, name: string, statePath: string): void {
  const config = loadConfig(file);
  const cluster = config.clusters.find((c) => c.name === name)?.cluster ?? {};
  config.clusters = upsert(config.clusters, { name, cluster: { ...cluster, state: statePath } });
  const existing = config.contexts.find((c) => c.name === name)?.context;
  config.contexts = upsert(config.contexts, { name, context: { ...existing, cluster: name, namespace: existing?.namespace ?? 'default' } });
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
