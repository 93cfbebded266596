import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { CliError, notFound } from '../../../util/errors';
import { kindInfoOrThrow, resourceName } from '../../../api/registry';
import type { KObject } from '../../../model/objects';
import type { Container, EnvVar } from '../../../model/k8s';
import { isKind } from '../../../model/kinds';
import { milliValue, parseQuantity } from '../../../api/quantity';
import { globals, withSession, type Globals } from '../../context';
import { parseBoolFlag } from '../../flag-sets';
import { resolveType } from '../../resource-args';
import { ObjectEditError, runEdit } from '../../object-edit';
import { withFlags, type FlagSet } from '../../flag-sets';
import { repeatable } from '../../flags';
import { podSpecOf, runSet, setObjectFlags, splitArgs, type SetObjectOptions } from './pod-template';

type EnvVarSource = NonNullable<EnvVar['valueFrom']>;
type ResourceFieldSelector = NonNullable<EnvVarSource['resourceFieldRef']>;

/** envFlags and setObjectFlags as commander parses them */
interface EnvOptions extends SetObjectOptions {
  containers: string;
  env: string[];
  list?: boolean;
  from?: string;
  keys: string[];
  prefix?: string;
  resolve?: boolean;
  overwrite: string | boolean;
}

const envFlags: FlagSet = (c) =>
  c
    .option('-c, --containers <name>', 'The names of containers in the selected pod templates to change', '*')
    .option('-e, --env <kv>', 'Specify a key-value pair for an environment variable to set into each container.', repeatable, [])
    .option('--list', 'If true, display the environment and any changes in the standard format.')
    .option('--from <resource>', 'The name of a resource from which to inject environment variables')
    .option(
      '--keys <keys>',
      'Comma-separated list of keys to import from specified resource',
      (v: string, p: string[]) => [...p, ...v.split(',')],
      [],
    )
    .option('--prefix <prefix>', 'Prefix to append to variable names')
    .option('--resolve', 'If true, show secret or configmap references when listing variables')
    .option(
      '--overwrite [bool]',
      'If true, allow environment to be overwritten, otherwise reject updates that overwrite existing environment.',
      'true',
    );

/** envutil.GetEnvVarRefString: where a valueFrom variable comes from, as `set env --list` says */
function envVarRefString(from: EnvVarSource): string {
  if (from.configMapKeyRef) return `configmap ${from.configMapKeyRef.name}, key ${from.configMapKeyRef.key}`;
  if (from.secretKeyRef) return `secret ${from.secretKeyRef.name}, key ${from.secretKeyRef.key}`;
  if (from.fieldRef) return `field path ${from.fieldRef.fieldPath}`;
  if (from.resourceFieldRef)
    return `resource field ${from.resourceFieldRef.containerName ? `${from.resourceFieldRef.containerName}/` : ''}${from.resourceFieldRef.resource}`;
  return 'invalid valueFrom';
}

/** envutil.ParseEnv: KEY=VALUE sets (in order), KEY- removes */
function parseEnv(changes: string[]): { env: EnvVar[]; remove: string[] } {
  const env: EnvVar[] = [];
  const remove: string[] = [];
  for (const change of changes) {
    if (change.endsWith('-') && !change.includes('=')) remove.push(change.slice(0, -1));
    else {
      const eq = change.indexOf('=');
      env.push({ name: change.slice(0, eq), value: change.slice(eq + 1) });
    }
  }
  return { env, remove };
}

/** set/helper.go updateEnv: existing variables replaced in place or removed, new ones appended */
function updateEnv(existing: EnvVar[], env: EnvVar[], remove: string[]): EnvVar[] {
  const out: EnvVar[] = [];
  const covered = new Set(remove);
  for (const e of existing) {
    if (covered.has(e.name)) continue;
    const newer = env.find((n) => n.name === e.name);
    if (newer) {
      covered.add(e.name);
      out.push(structuredClone(newer));
    } else out.push(e);
  }
  for (const e of env) {
    if (covered.has(e.name)) continue;
    covered.add(e.name);
    out.push(structuredClone(e));
  }
  return out;
}

/** keyToEnvName: a key becomes an upper-case variable name, any other character an underscore */
function keyToEnvName(key: string, warn: (text: string) => void): string {
  const name = key.replace(/[^a-zA-Z0-9_]/g, '_').toUpperCase();
  if (name !== key) warn(`key ${key} transferred to ${name}`);
  return name;
}

/**
 * --from=configmap/NAME|secret/NAME: a variable for each key of its data (--keys: only those),
 * each a reference to the key. Go walks the data map in random order; kubesim sorts the keys.
 */
function envFromResource(obj: KObject, keys: string[], warn: (text: string) => void): EnvVar[] {
  const ref = isKind(obj, 'Secret') ? 'secretKeyRef' : isKind(obj, 'ConfigMap') ? 'configMapKeyRef' : undefined;
  if (!ref) throw new CliError('unsupported resource specified in --from');
  return Object.keys(dataOf(obj))
    .sort()
    .filter((key) => !keys.length || keys.includes(key))
    .map((key) => ({ name: keyToEnvName(key, warn), valueFrom: { [ref]: { name: obj.metadata.name, key } } }));
}

/** A ConfigMap's or Secret's data (both string maps; other kinds have none) */
function dataOf(obj: KObject): Record<string, string> {
  return isKind(obj, 'Secret') || isKind(obj, 'ConfigMap') ? (obj.data ?? {}) : {};
}

/** env_resolve.go GetEnvVarRefValue: what a valueFrom reference holds (--list --resolve) */
function resolveRef(
  from: EnvVarSource,
  obj: KObject,
  container: Container,
  lookup: (kind: string, name: string) => KObject | undefined,
): string {
  const sel = from.secretKeyRef ?? from.configMapKeyRef;
  if (sel) {
    const secret = !!from.secretKeyRef;
    const source = lookup(secret ? 'Secret' : 'ConfigMap', sel.name ?? '');
    if (!source) throw new Error(`${secret ? 'secrets' : 'configmaps'} "${sel.name}" not found`);
    const data = dataOf(source)[sel.key];
    if (data === undefined) throw new Error(`key ${sel.key} not found in ${secret ? 'secret' : 'config map'} ${sel.name}`);
    return secret ? Buffer.from(String(data), 'base64').toString('utf8') : String(data);
  }
  if (from.fieldRef) return fieldPathValue(obj, from.fieldRef.fieldPath);
  if (from.resourceFieldRef) return resourceFieldValue(from.resourceFieldRef, container);
  throw new Error('invalid valueFrom');
}

/** extractFieldPathAsString, of the object listed (the workload itself) */
function fieldPathValue(obj: KObject, fieldPath: string): string {
  const sub = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(fieldPath);
  if (sub) {
    const map = sub[1] === 'metadata.labels' ? obj.metadata.labels : obj.metadata.annotations;
    return map?.[sub[2]] ?? '';
  }
  const formatMap = (m: Record<string, string> | undefined) =>
    Object.keys(m ?? {})
      .sort()
      .map((k) => `${k}="${m![k]}"\n`)
      .join('');
  switch (fieldPath) {
    case 'metadata.annotations':
      return formatMap(obj.metadata.annotations);
    case 'metadata.labels':
      return formatMap(obj.metadata.labels);
    case 'metadata.name':
      return obj.metadata.name;
    case 'metadata.namespace':
      return obj.metadata.namespace ?? '';
    case 'metadata.uid':
      return obj.metadata.uid ?? '';
  }
  throw new Error(`unsupported fieldPath: ${fieldPath}`);
}

/** extractContainerResourceValue: a container's limit or request, in units of the divisor (rounded up) */
function resourceFieldValue(ref: ResourceFieldSelector, container: Container): string {
  const [kind, resource] = String(ref.resource).split('.');
  if ((kind !== 'limits' && kind !== 'requests') || !['cpu', 'memory', 'ephemeral-storage'].includes(resource))
    throw new Error(`Unsupported container resource : ${ref.resource}`);
  const value = container.resources?.[kind]?.[resource];
  if (resource === 'cpu') {
    const divisor = ref.divisor ? milliValue(ref.divisor) : 1000;
    return String(Math.ceil(milliValue(value ?? 0) / divisor));
  }
  const divisor = ref.divisor ? parseQuantity(ref.divisor) : 1;
  return String(Math.ceil(parseQuantity(value ?? 0) / divisor));
}

export function register(set: Command, env: CommandEnv): void {
  withFlags(
    set
      .command('env')
      .description('Update environment variables on a pod template')
      .argument('[args...]', 'TYPE NAME KEY_1=VAL_1 ... KEY_N=VAL_N | KEY-')
      .addHelpText(
        'after',
        '\nExamples:\n  kubesim set env deployment/web STORAGE_DIR=/local\n  kubesim set env deployment/web STORAGE_DIR-',
      ),
    setObjectFlags,
    envFlags,
  ).action((args: string[], opts: EnvOptions, cmd: Command) => {
    const req = completeSetEnv(args, opts);
    const known = envReferences(globals(cmd, env), opts);
    const variables = variablesToSet(req, opts, known, (text) => env.out.errLine(`Warning: ${text}`));
    if (opts.list) listEnv(env, cmd, req, opts, variables, known);
    else runSetEnv(env, cmd, req, opts, variables);
  });
}

/** What set env's Complete and Validate make of the arguments and flags */
interface EnvRequest {
  resources: string[];
  overwrite: boolean;
  /** KEY=VALUE arguments and -e, in order */
  parsed: EnvVar[];
  /** KEY- arguments */
  remove: string[];
}

/** env.go Complete + Validate */
function completeSetEnv(args: string[], opts: EnvOptions): EnvRequest {
  const { resources, changes } = splitArgs(args, opts, (a) => a.includes('=') || /^[A-Za-z_][A-Za-z0-9_]*-$/.test(a));
  if (!resources.length && !opts.filename.length)
    throw new CliError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
  const overwrite = parseBoolFlag(opts.overwrite, 'overwrite');
  if (opts.keys.length && !opts.from) throw new CliError('when specifying --keys, a configmap or secret must be provided with --from');
  if (opts.from && opts.filename.length && !opts.local)
    throw new CliError('when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well');
  const { env: parsed, remove } = parseEnv([...opts.env, ...changes]);
  return { resources, overwrite, parsed, remove };
}

/**
 * The objects --from names (under `--from`) and what --resolve reads (`Kind/name`): the ConfigMaps
 * and Secrets of the command's namespace. Nothing with --local, which contacts no cluster.
 */
function envReferences(g: Globals, opts: EnvOptions): Map<string, KObject> {
  if (opts.local) return new Map<string, KObject>();
  return withSession(
    g,
    (s) => {
      const found = new Map<string, KObject>();
      for (const kind of ['ConfigMap', 'Secret'])
        for (const o of s.store.list(kind, g.namespace)) found.set(`${kind}/${o.metadata.name}`, o);
      if (opts.from) {
        const [type, name] = String(opts.from).split('/');
        const info = resolveType(type);
        const obj = name ? s.store.get(info.kind, info.namespaced ? g.namespace : undefined, name) : undefined;
        if (!obj) throw notFound(resourceName(info), name ?? '');
        found.set('--from', obj);
      }
      return found;
    },
    { readOnly: true },
  );
}

/** The variables to set: the arguments', then --from's; --prefix names every one */
function variablesToSet(req: EnvRequest, opts: EnvOptions, known: Map<string, KObject>, warn: (text: string) => void): EnvVar[] {
  const fromObj = opts.from ? known.get('--from') : undefined;
  const all = [...req.parsed, ...(fromObj ? envFromResource(fromObj, opts.keys, warn) : [])];
  if (opts.prefix) for (const e of all) e.name = `${opts.prefix}${e.name}`;
  return all;
}

/** --list: each container's environment with the changes applied, in the env file format; nothing written */
function listEnv(env: CommandEnv, cmd: Command, req: EnvRequest, opts: EnvOptions, all: EnvVar[], known: Map<string, KObject>): void {
  if (opts.output) throw new CliError('--list and --output may not be specified together');
  const lookup = (kind: string, name: string) => known.get(`${kind}/${name}`);
  runEdit(env, cmd, req.resources, opts, (obj) => {
    const spec = podSpecOf(obj);
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      if (opts.containers !== '*' && c.name !== opts.containers) continue;
      env.out.line(`# ${obj.kind} ${obj.metadata.name}, container ${c.name}`);
      const resolveErrors = new Map<string, string[]>();
      for (const e of updateEnv(c.env ?? [], all, req.remove)) {
        if (!e.valueFrom) {
          env.out.line(`${e.name}=${e.value ?? ''}`);
          continue;
        }
        if (opts.resolve) {
          try {
            env.out.line(`${e.name}=${resolveRef(e.valueFrom, obj, c, lookup)}`);
            continue;
          } catch (err) {
            const text = (err as Error).message;
            resolveErrors.set(text, [...(resolveErrors.get(text) ?? []), e.name]);
          }
        }
        env.out.line(`# ${e.name} from ${envVarRefString(e.valueFrom)}`);
      }
      const errs = [...resolveErrors].map(([text, vars]) => `error retrieving reference for ${vars.sort().join(', ')}: ${text}`);
      for (const line of errs.sort()) env.out.errLine(line);
    }
    return { changed: false };
  });
}

/** env.go RunEnv: the variables set and removed in each selected container, refused where --overwrite=false forbids */
function runSetEnv(env: CommandEnv, cmd: Command, req: EnvRequest, opts: EnvOptions, all: EnvVar[]): void {
  if (!all.length && !req.remove.length) throw new CliError('at least one environment variable must be provided');
  runSet(
    env,
    cmd,
    req.resources,
    opts,
    (obj, pick) => {
      let changed = false;
      for (const c of pick()) {
        // validateNoOverwrites: a variable with another value is refused unless --overwrite
        if (!req.overwrite)
          for (const e of all) {
            const current = (c.env ?? []).find((x) => x.name === e.name);
            if (current && (current.value ?? '') !== (e.value ?? ''))
              throw new ObjectEditError(
                `${kindInfoOrThrow(obj.kind).plural}/${obj.metadata.name} '${current.name}' already has a value (${current.value ?? ''}), and --overwrite is false`,
              );
          }
        const next = updateEnv(c.env ?? [], all, req.remove);
        if (JSON.stringify(next) === JSON.stringify(c.env ?? [])) continue;
        changed = true;
        if (next.length) c.env = next;
        else delete c.env;
      }
      return changed;
    },
    'env updated',
  );
}
