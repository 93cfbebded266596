import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { CliError } from '../../util/errors';
import { kindInfoOrThrow, qualifiedName } from '../../api/registry';
import type { Fields, KObject } from '../../model/objects';
import { isQuantity } from '../../api/quantity';
import { addEditFlags, NO_RESOURCES, ObjectEditError, runEdit, splitResourcesAndChanges, type EditFlags } from '../object-edit';
import { collect } from './apply';

/** The kinds with a pod template, and where it is. */
const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  ...Object.fromEntries(
    ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController'].map((k) => [k, ['spec', 'template', 'spec']]),
  ),
};

/** The pod spec inside any workload (or the pod itself); kubectl's refusal for other kinds. */
function podSpecOf(obj: KObject): Fields {
  const path = POD_SPEC_PATHS[obj.kind];
  let spec: Fields | undefined = path ? obj : undefined;
  for (const key of path ?? []) spec = spec?.[key];
  if (!spec || typeof spec !== 'object') {
    const version = String(obj.apiVersion ?? '')
      .split('/')
      .pop();
    throw new ObjectEditError(
      `${qualifiedName(kindInfoOrThrow(obj.kind), obj.metadata.name)} the object is not a pod or does not have a pod template: *${version}.${obj.kind}`,
    );
  }
  return spec;
}

function containersOf(spec: Fields, all: boolean): Fields[] {
  return [...(spec.containers ?? []), ...(all ? (spec.initContainers ?? []) : [])];
}

type Mutator = (obj: KObject, containers: (name?: string) => Fields[]) => boolean;

/** envutil.GetEnvVarRefString: where a valueFrom variable comes from, as `set env --list` says */
function envVarRefString(from: Fields): string {
  if (from.configMapKeyRef) return `configmap ${from.configMapKeyRef.name}, key ${from.configMapKeyRef.key}`;
  if (from.secretKeyRef) return `secret ${from.secretKeyRef.name}, key ${from.secretKeyRef.key}`;
  if (from.fieldRef) return `field path ${from.fieldRef.fieldPath}`;
  if (from.resourceFieldRef)
    return `resource field ${from.resourceFieldRef.containerName ? `${from.resourceFieldRef.containerName}/` : ''}${from.resourceFieldRef.resource}`;
  return 'invalid valueFrom';
}

/** kubectl's refusals when the objects are not named the way the flags need */
function requireResources(resources: string[], opts: { local?: boolean; filename: string[] }): void {
  if (opts.local && resources.length)
    throw new CliError(
      "you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'",
    );
  if (!resources.length && !opts.filename.length) throw new CliError(NO_RESOURCES);
}

/** With -f every argument is a change; otherwise the resources come first. */
function splitArgs(
  args: string[],
  opts: { filename: string[] },
  isChange: (a: string) => boolean,
): { resources: string[]; changes: string[] } {
  return opts.filename.length ? { resources: [], changes: args } : splitResourcesAndChanges(args, isChange);
}

/** Shared body of the `set` subcommands: the targets' pod specs edited through runEdit. */
function runSet(
  env: CommandEnv,
  cmd: Command,
  resources: string[],
  opts: EditFlags & { containers?: string; filename: string[] },
  mutate: Mutator,
  done: string,
): void {
  requireResources(resources, opts);
  runEdit(env, cmd, resources, opts, (obj) => {
    const spec = podSpecOf(obj);
    const pick = (name?: string) => {
      const wanted = name ?? opts.containers ?? '*';
      return containersOf(spec, true).filter((c) => wanted === '*' || c.name === wanted);
    };
    return { changed: mutate(obj, pick), verb: done };
  });
}

/** the set subcommands' shared flags */
const setFlags = (c: Command) =>
  addEditFlags(
    c
      .option('-l, --selector <selector>', 'Selector (label query) to filter on')
      .option('--all', 'Select all resources in the namespace of the specified resource types')
      .option('--dry-run [strategy]', 'Must be "none", "server", or "client"', 'none'),
    { fieldManager: 'kubectl-set' },
  );

function parseResourceList(text: string | undefined, flag: string): Record<string, string> | undefined {
  if (!text) return undefined;
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const [k, v] = part.split('=');
    if (!k || v === undefined || !isQuantity(v))
      throw new CliError(
        `invalid argument "${text}" for "--${flag}" flag: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
      );
    out[k] = v;
  }
  return out;
}

export function register(program: Command, env: CommandEnv): void {
  const set = program.command('set').description('Set specific features on objects');
  setFlags(set.command('image'))
    .description('Update the image of a pod template')
    .argument('[args...]', 'TYPE NAME CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... | TYPE/NAME ...')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim set image deployment/web nginx=nginx:1.27\n  kubesim set image deployment/web *=nginx:1.27',
    )
    .action((args: string[], opts, cmd: Command) => {
      const { resources, changes } = splitArgs(args, opts, (a) => a.includes('='));
      requireResources(resources, opts);
      if (!changes.length) throw new CliError('at least one image update is required');
      const images = changes.map((c) => c.split('=')) as [string, string][];
      runSet(
        env,
        cmd,
        resources,
        opts,
        (_obj, pick) => {
          let changed = false;
          for (const [name, image] of images) {
            const targets = pick(name);
            if (!targets.length) throw new CliError(`unable to find container named "${name}"`);
            for (const c of targets) {
              if (c.image !== image) changed = true;
              c.image = image;
            }
          }
          return changed;
        },
        'image updated',
      );
    });
  setFlags(set.command('serviceaccount'))
    .alias('sa')
    .description('Update the service account of pod template resources')
    .argument('[args...]', 'TYPE NAME SERVICE_ACCOUNT | TYPE/NAME SERVICE_ACCOUNT')
    .addHelpText('after', '\nExamples:\n  kubesim set serviceaccount deployment nginx-deployment serviceaccount1')
    .action((args: string[], opts, cmd: Command) => {
      if (!args.length) throw new CliError('serviceaccount is required');
      const account = args[args.length - 1];
      const resources = opts.filename.length ? [] : args.slice(0, -1);
      runSet(
        env,
        cmd,
        resources,
        opts,
        (obj) => {
          const spec = podSpecOf(obj);
          if (spec.serviceAccountName === account) return false;
          spec.serviceAccountName = account;
          return true;
        },
        'serviceaccount updated',
      );
    });
  setFlags(set.command('resources'))
    .description('Update resource requests/limits on objects with pod templates')
    .argument('[resource...]', 'TYPE NAME | TYPE/NAME')
    .option(
      '-c, --containers <name>',
      'The names of containers in the selected pod templates to change, all containers are selected by default',
      '*',
    )
    .option('--limits <list>', "The resource requirement limits for this container. For example, 'cpu=200m,memory=512Mi'")
    .option('--requests <list>', "The resource requirement requests for this container. For example, 'cpu=100m,memory=256Mi'")
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim set resources deployment web --limits=cpu=200m,memory=512Mi --requests=cpu=100m,memory=256Mi',
    )
    .action((resources: string[], opts, cmd: Command) => {
      requireResources(resources, opts);
      const limits = parseResourceList(opts.limits, 'limits');
      const requests = parseResourceList(opts.requests, 'requests');
      if (!limits && !requests) throw new CliError('you must specify an update to requests or limits (in the form of --requests/--limits)');
      runSet(
        env,
        cmd,
        resources,
        opts,
        (_obj, pick) => {
          const targets = pick();
          if (!targets.length) throw new CliError(`unable to find container named ${opts.containers}`);
          for (const c of targets) {
            c.resources = { ...(c.resources ?? {}) };
            if (limits) c.resources.limits = { ...(c.resources.limits ?? {}), ...limits };
            if (requests) c.resources.requests = { ...(c.resources.requests ?? {}), ...requests };
          }
          return true;
        },
        'resource requirements updated',
      );
    });
  setFlags(set.command('env'))
    .description('Update environment variables on a pod template')
    .argument('[args...]', 'TYPE NAME KEY_1=VAL_1 ... KEY_N=VAL_N | KEY-')
    .option('-c, --containers <name>', 'The names of containers in the selected pod templates to change', '*')
    .option('-e, --env <kv>', 'Specify a key-value pair for an environment variable to set into each container.', collect, [])
    .addHelpText('after', '\nExamples:\n  kubesim set env deployment/web STORAGE_DIR=/local\n  kubesim set env deployment/web STORAGE_DIR-')
    .option('--list', 'If true, display the environment and any changes in the standard format.')
    .action((args: string[], opts, cmd: Command) => {
      const { resources, changes } = splitArgs(args, opts, (a) => a.includes('=') || /^[A-Za-z_][A-Za-z0-9_]*-$/.test(a));
      if (!resources.length && !opts.filename.length)
        throw new CliError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
      if (opts.list) {
        runEdit(env, cmd, resources, opts, (obj) => {
          for (const c of (podSpecOf(obj).containers ?? []) as Fields[]) {
            if (opts.containers !== '*' && c.name !== opts.containers) continue;
            env.out.line(`# ${obj.kind} ${obj.metadata.name}, container ${c.name}`);
            for (const e of (c.env ?? []) as Fields[])
              env.out.line(e.valueFrom ? `# ${e.name} from ${envVarRefString(e.valueFrom)}` : `${e.name}=${e.value ?? ''}`);
          }
          return { changed: false };
        });
        return;
      }
      const all = [...changes, ...opts.env];
      if (!all.length) throw new CliError('at least one environment variable must be provided');
      runSet(
        env,
        cmd,
        resources,
        opts,
        (_obj, pick) => {
          let changed = false;
          for (const c of pick()) {
            let list: Fields[] = [...(c.env ?? [])];
            for (const change of all) {
              if (change.endsWith('-') && !change.includes('=')) {
                const name = change.slice(0, -1);
                const before = list.length;
                list = list.filter((e) => e.name !== name);
                if (list.length !== before) changed = true;
                continue;
              }
              const eq = change.indexOf('=');
              const name = change.slice(0, eq);
              const value = change.slice(eq + 1);
              const existing = list.find((e) => e.name === name);
              if (existing && existing.value === value) continue;
              if (existing) {
                existing.value = value;
                delete existing.valueFrom;
              } else list.push({ name, value });
              changed = true;
            }
            if (list.length) c.env = list;
            else delete c.env;
          }
          return changed;
        },
        'env updated',
      );
    });
}
