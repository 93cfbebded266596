import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { CliError, errorMessage } from '../util/errors';
import { toYaml } from '../util/go-yaml-write';
import type { ClusterCertificates } from './tls';

/**
 * The kubeconfig `kubesim serve` writes for real clients (kubectl, client libraries): a cluster
 * with the server URL and the CA, a user with the admin's client certificate, and a context named
 * after the cluster — as `kind get kubeconfig` lays one out.
 */
interface NamedEntry {
  name: string;
  [key: string]: unknown;
}

interface Kubeconfig {
  apiVersion: string;
  kind: string;
  clusters: NamedEntry[];
  users: NamedEntry[];
  contexts: NamedEntry[];
  'current-context'?: string;
  preferences?: Record<string, unknown>;
  [key: string]: unknown;
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

function entries(name: string, server: string, certs: ClusterCertificates, namespace?: string) {
  return {
    cluster: { name, cluster: { server, 'certificate-authority-data': b64(certs.caCert) } },
    user: { name, user: { 'client-certificate-data': b64(certs.clientCert), 'client-key-data': b64(certs.clientKey) } },
    context: { name, context: { cluster: name, user: name, ...(namespace ? { namespace } : {}) } },
  };
}

function upsert(list: NamedEntry[], entry: NamedEntry): NamedEntry[] {
  return [...list.filter((e) => e.name !== entry.name), entry];
}

/** Writes (or, merging, updates) a kubeconfig whose current context is the served cluster. Owner-only permissions: it holds a key. */
export function writeKubeconfig(
  file: string,
  opts: { name: string; server: string; certificates: ClusterCertificates; merge: boolean },
): void {
  const e = entries(opts.name, opts.server, opts.certificates);
  let config: Kubeconfig = { apiVersion: 'v1', kind: 'Config', preferences: {}, clusters: [], users: [], contexts: [] };
  if (opts.merge && fs.existsSync(file)) {
    try {
      const parsed = (YAML.parse(fs.readFileSync(file, 'utf8')) ?? {}) as Partial<Kubeconfig>;
      config = { ...config, ...parsed, clusters: parsed.clusters ?? [], users: parsed.users ?? [], contexts: parsed.contexts ?? [] };
    } catch (err) {
      throw new CliError(`error loading config file "${file}": ${errorMessage(err)}`);
    }
  }
  config.clusters = upsert(config.clusters, e.cluster);
  config.users = upsert(config.users, e.user);
  config.contexts = upsert(config.contexts, e.context);
  config['current-context'] = opts.name;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // written as go-yaml writes it: a name YAML 1.1 reads as another type (a cluster named `y`, `no`, `1.0`) quoted,
    // or kubectl's loader (sigs.k8s.io/yaml) fails: `cannot unmarshal bool into Go struct field NamedCluster.clusters.name`
    fs.writeFileSync(file, toYaml(config), { mode: 0o600 });
    fs.chmodSync(file, 0o600);
  } catch (err) {
    throw new CliError(`cannot write kubeconfig ${file}: ${errorMessage(err)}`);
  }
}
