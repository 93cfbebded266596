import * as crypto from 'node:crypto';
import * as path from 'node:path';
import type { KObject } from '../model/objects';
import { CliError } from '../util/errors';
import type { GeneratorArgs, GeneratorOptions } from './kustomization';
import type { FileLoader } from './loader';
import type { Resource } from './resource';

/** Go's encoding/json: sorted keys, and <, >, & (and U+2028/9) escaped. */
function goJson(value: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  return JSON.stringify(sorted(value)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The suffix kustomize appends to a generated ConfigMap or Secret, and kubectl's --append-hash
 * (kubectl/pkg/util/hash, which kustomize's came from): sha256 of its kind, name, data (and type)
 * as Go encodes them, the first 10 hex digits with 0 1 3 a e swapped for g h k m t so the result
 * never reads as a number. kustomize looks the name up at a path that never matches, so the name
 * it hashes is always empty (and missing data is ""); kubectl hashes the name and an empty map.
 */
export function contentHash(obj: KObject, by: 'kustomize' | 'kubectl' = 'kustomize'): string {
  const kubectl = by === 'kubectl';
  const name = kubectl ? obj.metadata.name : '';
  // read as untyped JSON: kubectl's --append-hash hashes what the user wrote
  const { data: written, type, binaryData, stringData }: Record<string, unknown> = obj;
  const data = written ?? (kubectl ? {} : '');
  const fields: Record<string, unknown> =
    obj.kind === 'Secret' ? { kind: 'Secret', type: type ?? '', name, data } : { kind: 'ConfigMap', name, data };
  if (obj.kind === 'ConfigMap' && binaryData && typeof binaryData === 'object' && (!kubectl || Object.keys(binaryData).length))
    fields.binaryData = binaryData;
  if (!kubectl && obj.kind === 'Secret' && stringData && typeof stringData === 'object') fields.stringData = stringData;
  const hex = crypto.createHash('sha256').update(goJson(fields)).digest('hex');
  return hex.slice(0, 10).replace(/[013ae]/g, (c) => ({ '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' })[c]!);
}

/** A literal source `KEY=VALUE`; quotes around the value are dropped. */
function literal(source: string): [string, string] {
  const eq = source.indexOf('=');
  if (eq <= 0) throw new CliError(`invalid literal source ${source}, expected key=value`);
  let value = source.slice(eq + 1);
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
  return [source.slice(0, eq), value];
}

/** A generator's file, refused as kustomize's KV loader words it (`file sources: [a=b.txt]: reason`). */
function readSource(loader: FileLoader, file: string, sources: string, entry: string): string {
  return loader.read(file, (reason) => `loading KV pairs: ${sources}: [${entry}]: ${reason}`);
}

/** `KEY=VALUE` lines of an env file; blank lines and # comments skipped. */
function envFile(text: string, file: string): [string, string][] {
  const out: [string, string][] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '').trimStart();
    if (!line || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new CliError(`line ${i + 1} of ${file} is not KEY=VALUE: ${JSON.stringify(raw)}`);
    out.push([line.slice(0, eq), line.slice(eq + 1)]);
  });
  return out;
}

/** The data a generator's literals, files and env files make, in the order given. */
function generatorData(loader: FileLoader, args: GeneratorArgs): [string, string][] {
  const data: [string, string][] = [];
  for (const file of [...(args.envs ?? []), ...(args.env ? [args.env] : [])])
    data.push(...envFile(readSource(loader, file, 'env source files', file), file));
  for (const l of args.literals ?? []) data.push(literal(l));
  for (const f of args.files ?? []) {
    const eq = f.indexOf('=');
    const [key, file] = eq > 0 ? [f.slice(0, eq), f.slice(eq + 1)] : [path.basename(f), f];
    data.push([key, readSource(loader, file, 'file sources', f)]);
  }
  return data;
}

/** generatorOptions of the kustomization under a generator's own: the global labels, annotations and flags win. */
function mergedOptions(local: GeneratorOptions | undefined, global: GeneratorOptions | undefined): GeneratorOptions {
  const out: GeneratorOptions = { ...(local ?? {}) };
  if (!global) return out;
  if (global.labels) out.labels = { ...(out.labels ?? {}), ...global.labels };
  if (global.annotations) out.annotations = { ...(out.annotations ?? {}), ...global.annotations };
  if (global.disableNameSuffixHash) out.disableNameSuffixHash = true;
  if (global.immutable) out.immutable = true;
  return out;
}

/** Runs a kustomization's ConfigMap or Secret generators onto the resources accumulated so far. */
export function runGenerators(
  resources: Resource[],
  kind: 'ConfigMap' | 'Secret',
  list: GeneratorArgs[],
  global: GeneratorOptions | undefined,
  loader: FileLoader,
  namespace: string | undefined,
): void {
  const generator = kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator';
  for (const args of list) {
    if (!args.name) throw new CliError(`${generator}: a generator needs a name`);
    const options = mergedOptions(args.options, global);
    const entries = generatorData(loader, args);
    const data: Record<string, string> = {};
    for (const [k, v] of entries) {
      if (k in data && args.behavior !== 'merge')
        throw new CliError(`${generator} ${args.name}: cannot add key ${k}, another key by that name already exists`);
      data[k] = kind === 'Secret' ? Buffer.from(v, 'utf8').toString('base64') : v;
    }
    const ns = args.namespace ?? namespace;
    const existing = resources.find(
      (r) =>
        r.obj.kind === kind &&
        r.names.includes(args.name!) &&
        (args.namespace === undefined || (r.obj.metadata.namespace ?? '') === args.namespace),
    );
    const behavior = args.behavior ?? 'create';
    if (behavior !== 'create') {
      if (!existing)
        throw new CliError(`${generator} ${args.name}: behavior ${behavior} needs an existing ${kind} of that name to ${behavior}`);
      const target: Record<string, unknown> = existing.obj;
      target.data = behavior === 'merge' ? { ...((target.data ?? {}) as object), ...data } : data;
      if (options.labels) existing.obj.metadata.labels = { ...(existing.obj.metadata.labels ?? {}), ...options.labels };
      if (options.annotations) existing.obj.metadata.annotations = { ...(existing.obj.metadata.annotations ?? {}), ...options.annotations };
      if (options.disableNameSuffixHash) existing.needsHash = false;
      continue;
    }
    if (existing)
      throw new CliError(
        `may not add resource with an already registered id: ${kind}.v1.[noGrp]/${args.name}.${existing.obj.metadata.namespace || '[noNs]'}`,
      );
    const metadata: KObject['metadata'] = { name: args.name };
    if (ns) metadata.namespace = ns;
    if (options.labels) metadata.labels = { ...options.labels };
    if (options.annotations) metadata.annotations = { ...options.annotations };
    const obj: KObject = {
      apiVersion: 'v1',
      kind,
      metadata,
      data,
      ...(kind === 'Secret' && { type: args.type ?? 'Opaque' }),
      ...(options.immutable && { immutable: true }),
    };
    resources.push({ obj, names: [args.name], needsHash: !options.disableNameSuffixHash, generated: true });
  }
}
