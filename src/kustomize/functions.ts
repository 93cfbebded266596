import * as path from 'node:path';
import YAML from 'yaml';
import type { KObject } from '../model/objects';
import { CliError } from '../util/errors';
import { yamlStreamToJson } from '../util/yaml-to-json';
import type { PluginOptions } from './plugin-options';
import { runProgram } from './program';
import { gvk, type Resource } from './resource';

/**
 * KRM function plugins (kustomize v5.5's fnplugin over kyaml's runfn, as kubectl v1.32 embeds
 * them): a `transformers:`/`generators:` config whose `config.kubernetes.io/function` annotation
 * names a container image runs `docker run … IMAGE` with a ResourceList on stdin and reads the
 * ResourceList (or plain stream) it prints. kubectl has no --enable-exec, so an `exec:` function
 * is never run: kustomize's runfn leaves it out (the resources go through unchanged) and a
 * generator of it generates nothing, exactly as kubectl kustomize does.
 */

/** --network, --network-name, --mount, --env/-e and --as-current-user (types.FnPluginLoadingOptions). */
export interface FunctionOptions {
  network: boolean;
  /** accepted as kubectl accepts it; kustomize v5.5 never passes it on: the network is `host` or `none` */
  networkName: string;
  mounts: string[];
  env: string[];
  asCurrentUser: boolean;
}

interface StorageMount {
  type?: string;
  src?: string;
  dst?: string;
  rw?: boolean;
}

/** runtimeutil.FunctionSpec: the annotation's YAML, read strictly. */
export interface FunctionSpec {
  deferFailure?: boolean;
  container?: { image?: string; network?: boolean; mounts?: StorageMount[]; envs?: string[] };
  exec?: { path?: string };
}

const FUNCTION_ANNOTATIONS = ['config.kubernetes.io/function', 'config.k8s.io/function'];
const SPEC_FIELDS: Record<string, string[]> = {
  '': ['deferFailure', 'container', 'exec'],
  container: ['image', 'network', 'mounts', 'envs'],
  exec: ['path'],
  mount: ['type', 'src', 'dst', 'rw'],
};

/** sigs.k8s.io/yaml's UnmarshalStrict: the first unknown field fails. */
function strictFields(value: unknown, kind: string): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  for (const [key, field] of Object.entries(value)) {
    if (!SPEC_FIELDS[kind].includes(key)) return key;
    const nested =
      kind === '' && (key === 'container' || key === 'exec')
        ? strictFields(field, key)
        : kind === 'container' && key === 'mounts' && Array.isArray(field)
          ? field.map((m) => strictFields(m, 'mount')).find((k) => k !== undefined)
          : undefined;
    if (nested !== undefined) return nested;
  }
  return undefined;
}

/** A config's function spec (GetFunctionSpec): the function annotation, metadata.configFn, or the legacy container annotation. */
export function functionSpec(config: KObject): FunctionSpec | undefined {
  const annotations = config.metadata?.annotations ?? {};
  const fail = (reason: string) => new CliError(`loader: failed to get FunctionSpec: ${reason}`);
  const parse = (text: string, source: string): FunctionSpec => {
    const { docs, error } = yamlStreamToJson(text, 'kustomize');
    if (error) throw fail(`${source} unmarshal error: error converting YAML to JSON: ${error}`);
    const unknown = strictFields(docs[0], '');
    if (unknown !== undefined)
      throw fail(`${source} unmarshal error: error unmarshaling JSON: while decoding JSON: json: unknown field "${unknown}"`);
    return (docs[0] ?? {}) as FunctionSpec;
  };
  for (const key of FUNCTION_ANNOTATIONS) if (annotations[key]) return parse(annotations[key], key);
  const configFn = (config.metadata as unknown as Record<string, unknown> | undefined)?.configFn;
  if (configFn !== undefined && configFn !== null) return parse(JSON.stringify(configFn), 'configFn');
  const image = annotations['config.kubernetes.io/container'];
  return image ? { container: { image } } : undefined;
}

/** kustomize refuses a function that mounts anything outside its kustomization's directory (loader.loadPlugin). */
export function checkFunctionMounts(spec: FunctionSpec, id: string): void {
  for (const mount of spec.container?.mounts ?? []) {
    const src = mount.src ?? '';
    if (src.startsWith('/'))
      throw new CliError(
        `plugin ${id} with mount path '${src}' is not permitted; mount paths must be relative to the current kustomization directory`,
      );
    if (normalize(src).startsWith('../'))
      throw new CliError(
        `plugin ${id} with mount path '${src}' is not permitted; mount paths must be under the current kustomization directory`,
      );
  }
}

/** Go's filepath.Clean, enough to see whether a relative path climbs out. */
function normalize(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  return out.join('/') || '.';
}

/** runtimeutil.StringToStorageMount: `type=bind,src=DIR,dst=PATH[,rw=true]` (source/target also read). */
function storageMount(text: string): StorageMount {
  const mount: StorageMount = {};
  for (const option of text.split(',')) {
    const eq = option.indexOf('=');
    if (eq < 0) continue;
    const [key, value] = [option.slice(0, eq), option.slice(eq + 1)];
    if (key === 'type') mount.type = value;
    else if (key === 'src' || key === 'source') mount.src = value;
    else if (key === 'dst' || key === 'target') mount.dst = value;
    else if (key === 'rw' && value === 'true') mount.rw = true;
  }
  return mount;
}

/** runtimeutil.ContainerEnv: KEY=VALUE pairs (kustomize's two defaults first), and names to export from kubectl's environment. */
class ContainerEnv {
  vars = new Map<string, string>([
    ['LOG_TO_STDERR', 'true'],
    ['STRUCTURED_RESULTS', 'true'],
  ]);
  exported: string[] = [];
  constructor(entries: string[] = []) {
    for (const e of entries) this.add(e);
  }
  add(entry: string): void {
    const eq = entry.indexOf('=');
    if (eq < 0) {
      if (!this.exported.includes(entry)) this.exported.push(entry);
    } else this.vars.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  /** docker's -e flags: the pairs by name, then the exported names in order */
  dockerFlags(): string[] {
    const pairs = [...this.vars.keys()].sort().flatMap((k) => ['-e', `${k}=${this.vars.get(k)}`]);
    return [...pairs, ...this.exported.flatMap((k) => ['-e', k])];
  }
}

/** container.Filter.getCommand: the `docker run` kustomize builds for a container function. */
export function dockerArgs(spec: FunctionSpec, options: FunctionOptions, workingDir: string, uidgid: string): string[] {
  const container = spec.container ?? {};
  // the declared envs, then the command line's (--env wins on the same name)
  const env = new ContainerEnv(container.envs ?? []);
  for (const e of options.env) env.add(e);
  const args = ['run', '--rm', '-i', '-a', 'STDIN', '-a', 'STDOUT', '-a', 'STDERR'];
  args.push('--network', container.network ? 'host' : 'none', '--user', uidgid, '--security-opt=no-new-privileges');
  for (const mount of [...(container.mounts ?? []), ...options.mounts.map(storageMount)]) {
    const src = mount.src?.startsWith('/') ? mount.src : path.join(workingDir, mount.src ?? ''); // filepath.Join cleans the path
    args.push('--mount', `type=${mount.type ?? ''},source=${src},target=${mount.dst ?? ''}${mount.rw ? '' : ',readonly'}`);
  }
  return [...args, ...env.dockerFlags(), container.image!];
}

/** Keys in Go's sorted order, deeply (kustomize's resources serialize through JSON maps). */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
    );
  return value;
}

/** An object with annotations added after its own (kyaml appends them); metadata's keys stay sorted. */
function annotated(obj: KObject, extra: [string, string][]): KObject {
  const copy = sorted(obj) as KObject;
  const annotations = { ...(copy.metadata?.annotations ?? {}), ...Object.fromEntries(extra) };
  copy.metadata = sorted({ ...copy.metadata, annotations: {} }) as KObject['metadata'];
  copy.metadata.annotations = annotations;
  return copy;
}

/** The resource id kustomize records on each input (GetResMapWithIDAnnotation): the ResId's YAML. */
function resIdYaml(obj: KObject): string {
  const { group, version, kind } = gvk(obj);
  const id: Record<string, string> = {};
  if (group) id.group = group;
  if (kind) id.kind = kind;
  if (obj.metadata?.name) id.name = obj.metadata.name;
  if (obj.metadata?.namespace) id.namespace = obj.metadata.namespace;
  if (version) id.version = version;
  return YAML.stringify(id);
}

/** kyaml's writer: sequences under their key, strings quoted with ' only when YAML would misread them. */
const kyaml = (value: unknown): string =>
  YAML.stringify(value, { indentSeq: false, singleQuote: true, lineWidth: 0, blockQuote: 'literal', aliasDuplicateObjects: false });

/** The ResourceList a function reads (runtimeutil.FunctionFilter): items annotated with their index and id, and the function's config. */
export function resourceList(items: KObject[], functionConfig: KObject, withResId: boolean): string {
  const annotatedItems = items.map((obj, i) =>
    annotated(obj, [
      ...(withResId ? ([['kustomize.config.k8s.io/id', resIdYaml(obj)]] as [string, string][]) : []),
      ['config.kubernetes.io/index', String(i)],
      ['internal.config.kubernetes.io/index', String(i)],
      ['internal.config.kubernetes.io/annotations-migration-resource-id', String(i)],
      ['internal.config.kubernetes.io/id', String(i + 1)],
      ['config.k8s.io/id', String(i + 1)],
    ]),
  );
  return kyaml({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: annotatedItems, functionConfig });
}

/** The annotations kustomize and kyaml use to track objects through a function: none survives it. */
const TRACKING =
  /^(internal\.config\.kubernetes\.io\/.*|config\.kubernetes\.io\/(index|path|id)|config\.k8s\.io\/(id|path)|kustomize\.config\.k8s\.io\/id)$/;

/** What a function printed: a ResourceList's items or a plain stream of objects, without the tracking annotations. */
function readOutput(stdout: string): KObject[] {
  const { docs, error } = yamlStreamToJson(stdout, 'kustomize');
  if (error) throw new CliError(`MalformedYAMLError: ${error.replace(/^error converting YAML to JSON: /, '')}`);
  const objects = docs.flatMap((doc) => {
    if (!doc || typeof doc !== 'object') return [];
    const d = doc as Record<string, unknown>;
    if (d.kind === 'ResourceList') return Array.isArray(d.items) ? (d.items as KObject[]) : [];
    return [doc as KObject];
  });
  for (const obj of objects) {
    const annotations = obj.metadata?.annotations;
    if (!annotations) continue;
    for (const key of Object.keys(annotations)) if (TRACKING.test(key)) delete annotations[key];
    if (!Object.keys(annotations).length) delete obj.metadata.annotations;
  }
  return objects;
}

/** The function's config with local-config set: kustomize leaves it out of the output. */
function configWithLocal(config: KObject): KObject {
  return annotated(config, [['config.kubernetes.io/local-config', 'true']]);
}

const isLocal = (obj: KObject) => obj.metadata?.annotations?.['config.kubernetes.io/local-config'] === 'true';

/** Runs the function on `items` (FnPlugin.invokePlugin); undefined when kubectl would not run it (an exec function). */
function invoke(
  spec: FunctionSpec,
  config: KObject,
  items: KObject[],
  withResId: boolean,
  root: string,
  plugins: PluginOptions,
): KObject[] | undefined {
  const options = plugins.functions;
  if (!spec.container?.image) return undefined;
  if (spec.container.network && !options.network) throw new Error('network required but not enabled with --network');
  const uidgid = options.asCurrentUser ? `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}` : 'nobody';
  const input = resourceList(items, configWithLocal(config), withResId);
  const run = runProgram('docker', dockerArgs(spec, options, root, uidgid), { env: plugins.programs.env, cwd: root, input });
  if (run.stderr) plugins.programs.stderr(run.stderr);
  const output = readOutput(run.stdout);
  if (run.error !== undefined && !spec.deferFailure) throw new Error(run.error);
  return output;
}

const pluginName = (config: KObject) => `api: ${config.apiVersion}, kind: ${config.kind}, name: ${config.metadata?.name ?? ''}`;
const sameId = (a: KObject, b: KObject) =>
  a.apiVersion === b.apiVersion &&
  a.kind === b.kind &&
  a.metadata.name === b.metadata.name &&
  (a.metadata.namespace ?? '') === (b.metadata.namespace ?? '');

/** FnPlugin.Transform: the resources become the function's output, matched to the old ones by id (utils.UpdateResMapValues). */
export function runFunctionTransformer(
  resources: Resource[],
  config: KObject,
  spec: FunctionSpec,
  root: string,
  plugins: PluginOptions,
): void {
  let output: KObject[] | undefined;
  try {
    output = invoke(
      spec,
      config,
      resources.map((r) => r.obj),
      true,
      root,
      plugins,
    );
  } catch (e) {
    throw new CliError(`couldn't execute function: ${(e as Error).message} `);
  }
  if (output === undefined) return;
  const kept: Resource[] = [];
  for (const obj of output) {
    if (kept.some((r) => sameId(r.obj, obj))) {
      const { group, version, kind } = gvk(obj);
      const id = {
        group: group || undefined,
        version: version || undefined,
        kind,
        name: obj.metadata.name,
        namespace: obj.metadata.namespace,
      };
      throw new CliError(`plugin ${pluginName(config)} generated duplicate resource: ${JSON.stringify(id)}`);
    }
    const old = resources.find((r) => sameId(r.obj, obj));
    if (old) old.obj = obj;
    kept.push(old ?? { obj, names: [obj.metadata.name], needsHash: false, generated: false });
  }
  resources.splice(0, resources.length, ...resources.filter((r) => kept.includes(r)), ...kept.filter((r) => !resources.includes(r)));
}

/** What a generator function made, with kustomize's needs-hash and behavior annotations read off (utils.UpdateResourceOptions). */
export interface Generated {
  obj: KObject;
  needsHash: boolean;
  behavior: string;
}

/** FnPlugin.Generate: the function reads its own config (as the only item) and prints what it generates. */
export function runFunctionGenerator(config: KObject, spec: FunctionSpec, root: string, plugins: PluginOptions): Generated[] {
  let output: KObject[] | undefined;
  try {
    output = invoke(spec, config, [configWithLocal(config)], false, root, plugins);
  } catch (e) {
    throw new CliError(`couldn't execute function: ${(e as Error).message}`);
  }
  return (output ?? [])
    .filter((obj) => !isLocal(obj))
    .map((obj) => {
      const annotations = obj.metadata.annotations ?? {};
      const hash = annotations['kustomize.config.k8s.io/needs-hash'];
      const behavior = annotations['kustomize.config.k8s.io/behavior'] ?? '';
      if (hash !== undefined && !/^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(hash))
        throw new CliError(`the annotation "kustomize.config.k8s.io/needs-hash" contains an invalid value ("${hash}")`);
      delete annotations['kustomize.config.k8s.io/needs-hash'];
      delete annotations['kustomize.config.k8s.io/behavior'];
      if (obj.metadata.annotations && !Object.keys(annotations).length) delete obj.metadata.annotations;
      return { obj, needsHash: hash !== undefined && /^(1|t|T|TRUE|true|True)$/.test(hash), behavior };
    });
}
