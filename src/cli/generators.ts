import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError } from '../util/errors';
import type { KObject } from '../api/types';
import { parseToLabelSelector } from '../api/labels';
import { isQuantity } from '../api/quantity';
import { canonicalQuantity } from '../api/quantity-exact';

/** Objects as `kubectl create …`/`kubectl run` generate them (client side, before defaulting). */

/** `nginx:1.27` → `nginx`; `registry.io/team/app@sha256:…` → `app` (kubectl's container name). */
export function containerNameFromImage(image: string): string {
  const base = image.split('/').pop()!.split('@')[0].split(':')[0];
  return base.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '') || 'container';
}

export function parseKeyValues(pairs: string[], what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new CliError(`invalid ${what}: ${p}`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

export function deploymentFor(name: string, images: string[], opts: { replicas?: number; port?: number }): KObject {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { creationTimestamp: null, labels, name } as unknown as KObject['metadata'],
    spec: {
      replicas: opts.replicas ?? 1,
      selector: { matchLabels: labels },
      strategy: {},
      template: {
        metadata: { creationTimestamp: null, labels },
        spec: {
          containers: images.map((image) => ({
            image,
            name: containerNameFromImage(image),
            ...(opts.port ? { ports: [{ containerPort: opts.port }] } : {}),
            resources: {},
          })),
        },
      },
    },
    status: {},
  };
}

/** --from-literal, --from-file (file, key=file, or directory), --from-env-file. */
export function dataFromSources(opts: { fromLiteral?: string[]; fromFile?: string[]; fromEnvFile?: string[] }, cwd: string): Record<string, string> {
  const data: Record<string, string> = {};
  const put = (k: string, v: string) => {
    if (k in data) throw new CliError(`cannot add key ${k}, another key by that name already exists in data: map[${Object.keys(data).sort().map((x) => `${x}:${data[x]}`).join(' ')}]`);
    data[k] = v;
  };
  for (const lit of opts.fromLiteral ?? []) {
    const eq = lit.indexOf('=');
    if (eq <= 0) throw new CliError(`invalid literal source ${lit}, expected key=value`);
    put(lit.slice(0, eq), lit.slice(eq + 1));
  }
  for (const src of opts.fromFile ?? []) {
    const eq = src.indexOf('=');
    const key = eq > 0 ? src.slice(0, eq) : undefined;
    const file = path.resolve(cwd, eq > 0 ? src.slice(eq + 1) : src);
    if (!fs.existsSync(file)) throw new CliError(`error reading ${eq > 0 ? src.slice(eq + 1) : src}: no such file or directory`);
    if (fs.statSync(file).isDirectory()) {
      for (const f of fs.readdirSync(file).sort()) {
        const full = path.join(file, f);
        if (fs.statSync(full).isFile()) put(f, fs.readFileSync(full, 'utf8'));
      }
    } else put(key ?? path.basename(file), fs.readFileSync(file, 'utf8'));
  }
  for (const envFile of opts.fromEnvFile ?? []) {
    const file = path.resolve(cwd, envFile);
    if (!fs.existsSync(file)) throw new CliError(`error reading ${envFile}: no such file or directory`);
    for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      const eq = line.indexOf('=');
      if (eq <= 0) throw new CliError(`invalid env file line "${line}"`);
      put(line.slice(0, eq), line.slice(eq + 1));
    }
  }
  return data;
}

/** `kubectl create poddisruptionbudget` (create_pdb.go): a selector, and one of --min-available/--max-unavailable. */
export function pdbFor(name: string, opts: { selector?: string; minAvailable?: string; maxUnavailable?: string }): KObject {
  if (!opts.selector) throw new CliError('a selector must be specified');
  if (!opts.minAvailable && !opts.maxUnavailable) throw new CliError('one of min-available or max-unavailable must be specified');
  if (opts.minAvailable && opts.maxUnavailable) throw new CliError('min-available and max-unavailable cannot be both specified');
  // a count or a percentage, nothing else (10, 30%; not 10Gb)
  const countOrPercent = /^[0-9]+%?$/;
  if (opts.minAvailable && !countOrPercent.test(opts.minAvailable)) throw new CliError('invalid format specified for min-available');
  if (opts.maxUnavailable && !countOrPercent.test(opts.maxUnavailable)) throw new CliError('invalid format specified for max-unavailable');
  const intOrString = (v: string) => (/^[0-9]+$/.test(v) ? Number(v) : v);
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { creationTimestamp: null, name } as unknown as KObject['metadata'],
    spec: {
      ...(opts.minAvailable ? { minAvailable: intOrString(opts.minAvailable) } : {}),
      ...(opts.maxUnavailable ? { maxUnavailable: intOrString(opts.maxUnavailable) } : {}),
      selector: parseToLabelSelector(opts.selector),
    },
    status: { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 },
  };
}

/** `kubectl create quota` (create_quota.go): --hard resource=quantity pairs (canonical, sorted) and --scopes. */
export function quotaFor(name: string, opts: { hard?: string; scopes?: string }): KObject {
  const hard: Record<string, string> = {};
  for (const pair of (opts.hard ?? '').split(',').filter((p) => p !== '')) {
    const parts = pair.split('=');
    if (parts.length !== 2) throw new CliError(`Invalid argument syntax ${pair}, expected <resource>=<value>`);
    if (!isQuantity(parts[1])) throw new CliError("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    hard[parts[0]] = canonicalQuantity(parts[1]);
  }
  const scopes = (opts.scopes ?? '').split(',').filter((s) => s !== '');
  const spec: Record<string, unknown> = {};
  if (Object.keys(hard).length) spec.hard = Object.fromEntries(Object.keys(hard).sort().map((k) => [k, hard[k]]));
  if (scopes.length) spec.scopes = scopes;
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { creationTimestamp: null, name } as unknown as KObject['metadata'], spec, status: {} };
}

/** `create secret docker-registry`: a .dockerconfigjson for one registry (create_secret_docker.go). */
export function dockerConfigJson(server: string, username: string, password: string, email: string): string {
  const entry: Record<string, string> = { username, password };
  if (email) entry.email = email;
  entry.auth = Buffer.from(`${username}:${password}`).toString('base64');
  return JSON.stringify({ auths: { [server]: entry } });
}

interface PemBlock {
  type: string;
  text: string;
}

function pemBlocks(text: string): PemBlock[] {
  return [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g)].map((m) => ({ type: m[1], text: m[0] }));
}

/** Go's tls.X509KeyPair checks, with its messages: a certificate, a private key, and that they belong together. */
export function checkTlsKeyPair(certPem: string, keyPem: string): void {
  const certBlocks = pemBlocks(certPem);
  const certs = certBlocks.filter((b) => b.type === 'CERTIFICATE');
  if (!certs.length) {
    if (certBlocks.some((b) => b.type.endsWith('PRIVATE KEY'))) throw new CliError('tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched');
    throw new CliError('tls: failed to find any PEM data in certificate input');
  }
  const keyBlocks = pemBlocks(keyPem);
  const key = keyBlocks.find((b) => b.type === 'PRIVATE KEY' || b.type.endsWith(' PRIVATE KEY'));
  if (!key) {
    if (keyBlocks.some((b) => b.type === 'CERTIFICATE')) throw new CliError('tls: found a certificate rather than a key in the PEM for the private key');
    throw new CliError('tls: failed to find any PEM data in key input');
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const crypto = require('node:crypto') as typeof import('node:crypto');
  let cert: import('node:crypto').X509Certificate;
  try {
    cert = new crypto.X509Certificate(certs[0].text);
  } catch {
    throw new CliError('x509: malformed certificate');
  }
  let privateKey: import('node:crypto').KeyObject;
  try {
    privateKey = crypto.createPrivateKey(key.text);
  } catch {
    throw new CliError('tls: failed to parse private key');
  }
  if (!cert.checkPrivateKey(privateKey)) throw new CliError('tls: private key does not match public key');
}

/** A file a generator flag names, read as kubectl reads it (its error when it cannot). */
export function readFlagFile(file: string, cwd: string): Buffer {
  try {
    return fs.readFileSync(path.resolve(cwd, file));
  } catch {
    throw new CliError(`Cannot read file ${file}, open ${file}: no such file or directory`);
  }
}
