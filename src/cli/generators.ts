import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError } from '../util/errors';
import type { KObject } from '../model/objects';
import { parseToLabelSelector } from '../api/labels';
import { isQuantity } from '../api/quantity';
import { canonicalQuantity } from '../api/quantity-exact';

/** Objects as `kubectl create …`/`kubectl run` generate them (client side, before defaulting). */

/** `nginx:1.27` → `nginx`; `registry.io/team/app@sha256:…` → `app` (kubectl's container name). */
export function containerNameFromImage(image: string): string {
  const base = image.split('/').pop()!.split('@')[0].split(':')[0];
  return (
    base
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .replace(/^-+|-+$/g, '') || 'container'
  );
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

/**
 * cmdutil.ParsePairs: `key=value` pairs, and with supportRemove `key-` for a key to remove; every
 * bad one is named in a single error.
 */
export function parsePairs(pairs: string[], what: string, supportRemove: boolean): { set: [string, string][]; remove: string[] } {
  const set: [string, string][] = [];
  const remove: string[] = [];
  const invalid: string[] = [];
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq > 0) set.push([p.slice(0, eq), p.slice(eq + 1)]);
    else if (supportRemove && p.endsWith('-') && p !== '-') remove.push(p.slice(0, -1));
    else invalid.push(p);
  }
  if (invalid.length) throw new CliError(`invalid ${what} format: ${invalid.join(', ')}`);
  return { set, remove };
}

export function deploymentFor(name: string, images: string[], opts: { replicas?: number; port?: number; command?: string[] }): KObject {
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
            ...(opts.command?.length ? { command: opts.command } : {}),
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

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** validation.hasChDirPrefix */
function chDirErrors(key: string): string[] {
  if (key === '.') return ["must not be '.'"];
  if (key === '..') return ["must not be '..'"];
  return key.startsWith('..') ? ["must not start with '..'"] : [];
}

/** validation.IsConfigMapKey (keys of ConfigMaps and Secrets) */
export function configKeyErrors(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push('must be no more than 253 characters');
  if (!CONFIG_KEY.test(key)) {
    errs.push(
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    );
  }
  return [...errs, ...chDirErrors(key)];
}

/** validation.IsEnvVarName, which keys read from an env file must pass */
function envVarNameErrors(key: string): string[] {
  const errs = ENV_VAR_NAME.test(key)
    ? []
    : [
        "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
      ];
  return [...errs, ...chDirErrors(key)];
}

/** util.ParseFileSource: `path` (key: its base name) or `key=path` */
function parseFileSource(source: string): [string, string] {
  const separators = source.split('=').length - 1;
  if (separators === 0) return [path.posix.basename(source.replace(/\\/g, '/')), source];
  if (separators === 1 && source.startsWith('=')) throw new CliError(`key name for file path ${source.slice(1)} missing`);
  if (separators === 1 && source.endsWith('=')) throw new CliError(`file path for key name ${source.slice(0, -1)} missing`);
  if (separators > 1) throw new CliError("key names or file paths cannot contain '='");
  const [key, file] = source.split('=');
  return [key, file];
}

/** util.ParseLiteralSource: `key=value` (the value may hold more `=`) */
function parseLiteralSource(source: string): [string, string] {
  const eq = source.indexOf('=');
  if (eq <= 0) throw new CliError(`invalid literal source ${source}, expected key=value`);
  return [source.slice(0, eq), source.slice(eq + 1)];
}

/** cmdutil.AddFromEnvFile: KEY=VALUE lines (not trimmed on the right), # comments, a bare KEY takes the environment's value */
function envFileEntries(file: string, shown: string, environment: Record<string, string | undefined>): Array<[string, string]> {
  const bytes = fs.readFileSync(file);
  const out: Array<[string, string]> = [];
  const lines = bytes.toString('latin1').split('\n');
  lines.forEach((_raw, i) => {
    let line = Buffer.from(lines[i], 'latin1');
    if (!isUtf8(line)) throw new CliError(`env file ${shown} contains invalid utf8 bytes at line ${i + 1}: [${[...line].join(' ')}]`);
    if (i === 0 && line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf) line = line.subarray(3);
    const text = line.toString('utf8').replace(/\r$/, '').replace(/^\s+/, '');
    if (!text || text.startsWith('#')) return;
    const eq = text.indexOf('=');
    const key = eq >= 0 ? text.slice(0, eq) : text;
    const errs = envVarNameErrors(key);
    if (errs.length) throw new CliError(`${JSON.stringify(key)} is not a valid key name: ${errs.join(';')}`);
    out.push([key, eq >= 0 ? text.slice(eq + 1) : (environment[key] ?? '')]);
  });
  return out;
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export interface SourceData {
  /** text values (a ConfigMap's data; a Secret's values before base64) */
  data: Record<string, Buffer>;
  /** a ConfigMap's binaryData: files that are not UTF-8 */
  binary: Record<string, Buffer>;
}

/**
 * --from-file (file, key=file or a directory's regular files), --from-literal and --from-env-file, in
 * kubectl's order and with its checks (create_configmap.go, create_secret.go): keys must be config
 * keys, a key may come once, an env file cannot be combined with the others.
 */
export function dataFromSources(
  opts: { fromLiteral?: string[]; fromFile?: string[]; fromEnvFile?: string[] },
  io: { cwd: string; env: Record<string, string | undefined> },
  target: { kind: 'ConfigMap' | 'Secret'; name: string },
): SourceData {
  const files = opts.fromFile ?? [];
  const literals = opts.fromLiteral ?? [];
  const envFiles = opts.fromEnvFile ?? [];
  if (envFiles.length && (files.length || literals.length))
    throw new CliError('from-env-file cannot be combined with from-file or from-literal');
  const out: SourceData = { data: {}, binary: {} };
  const add = (key: string, value: Buffer, fromFile: boolean) => {
    const errs = configKeyErrors(key);
    if (target.kind === 'ConfigMap') {
      if (errs.length) throw new CliError(`${JSON.stringify(key)} is not a valid key name for a ConfigMap: ${errs.join(',')}`);
      if (key in out.data)
        throw new CliError(
          `cannot add key ${JSON.stringify(key)}, another key by that name already exists in Data for ConfigMap ${JSON.stringify(target.name)}`,
        );
      if (key in out.binary)
        throw new CliError(
          `cannot add key ${JSON.stringify(key)}, another key by that name already exists in BinaryData for ConfigMap ${JSON.stringify(target.name)}`,
        );
      if (fromFile && !isUtf8(value)) out.binary[key] = value;
      else out.data[key] = value;
      return;
    }
    if (errs.length) throw new CliError(`${JSON.stringify(key)} is not valid key name for a Secret ${errs.join(';')}`);
    if (key in out.data) throw new CliError(`cannot add key ${key}, another key by that name already exists`);
    out.data[key] = value;
  };
  for (const source of files) {
    const [key, file] = parseFileSource(source);
    const full = path.resolve(io.cwd, file);
    if (!fs.existsSync(full)) throw new CliError(`error reading ${file}: no such file or directory`);
    if (fs.statSync(full).isDirectory()) {
      if (source.includes('=')) throw new CliError('cannot give a key name for a directory path');
      for (const entry of fs.readdirSync(full, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        if (entry.isFile()) add(entry.name, fs.readFileSync(path.join(full, entry.name)), true);
      }
    } else add(key, fs.readFileSync(full), true);
  }
  for (const source of literals) {
    const [key, value] = parseLiteralSource(source);
    add(key, Buffer.from(value), false);
  }
  for (const envFile of envFiles) {
    const full = path.resolve(io.cwd, envFile);
    if (!fs.existsSync(full)) throw new CliError(`error reading ${envFile}: no such file or directory`);
    if (fs.statSync(full).isDirectory()) throw new CliError('env config file cannot be a directory');
    for (const [key, value] of envFileEntries(full, envFile, io.env)) add(key, Buffer.from(value), false);
  }
  return out;
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
    if (!isQuantity(parts[1]))
      throw new CliError("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    hard[parts[0]] = canonicalQuantity(parts[1]);
  }
  const scopes = (opts.scopes ?? '').split(',').filter((s) => s !== '');
  const spec: Record<string, unknown> = {};
  if (Object.keys(hard).length)
    spec.hard = Object.fromEntries(
      Object.keys(hard)
        .sort()
        .map((k) => [k, hard[k]]),
    );
  if (scopes.length) spec.scopes = scopes;
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { creationTimestamp: null, name } as unknown as KObject['metadata'],
    spec,
    status: {},
  };
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
    if (certBlocks.some((b) => b.type.endsWith('PRIVATE KEY')))
      throw new CliError(
        'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched',
      );
    throw new CliError('tls: failed to find any PEM data in certificate input');
  }
  const keyBlocks = pemBlocks(keyPem);
  const key = keyBlocks.find((b) => b.type === 'PRIVATE KEY' || b.type.endsWith(' PRIVATE KEY'));
  if (!key) {
    if (keyBlocks.some((b) => b.type === 'CERTIFICATE'))
      throw new CliError('tls: found a certificate rather than a key in the PEM for the private key');
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

/** generate.ParseLabels: `a=b,c=d` for run/expose --labels and expose --selector, with kubectl's messages. */
export function parseLabelSpec(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of spec.split(',')) {
    const kv = part.split('=');
    if (kv.length !== 2) throw new CliError(`unexpected label spec: ${part}`);
    if (!kv[0]) throw new CliError('unexpected empty label key');
    out[kv[0]] = kv[1];
  }
  return out;
}
