import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { CliError } from '../../../util/errors';
import type { Fields } from '../../../model/objects';
import { runEdit } from '../../object-edit';
import { withFlags, type FlagSet } from '../../flag-sets';
import { repeatable } from '../../flags';
import { podSpecOf, runSet, setObjectFlags, splitArgs } from './pod-template';

const envFlags: FlagSet = (c) =>
  c
    .option('-c, --containers <name>', 'The names of containers in the selected pod templates to change', '*')
    .option('-e, --env <kv>', 'Specify a key-value pair for an environment variable to set into each container.', repeatable, [])
    .option('--list', 'If true, display the environment and any changes in the standard format.');

/** envutil.GetEnvVarRefString: where a valueFrom variable comes from, as `set env --list` says */
function envVarRefString(from: Fields): string {
  if (from.configMapKeyRef) return `configmap ${from.configMapKeyRef.name}, key ${from.configMapKeyRef.key}`;
  if (from.secretKeyRef) return `secret ${from.secretKeyRef.name}, key ${from.secretKeyRef.key}`;
  if (from.fieldRef) return `field path ${from.fieldRef.fieldPath}`;
  if (from.resourceFieldRef)
    return `resource field ${from.resourceFieldRef.containerName ? `${from.resourceFieldRef.containerName}/` : ''}${from.resourceFieldRef.resource}`;
  return 'invalid valueFrom';
}

/** KEY=VALUE sets, KEY- removes; returns the container's new list and whether it changed. */
function applyEnvChanges(current: Fields[], changes: string[]): { list: Fields[]; changed: boolean } {
  let list: Fields[] = [...current];
  let changed = false;
  for (const change of changes) {
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
  return { list, changed };
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
  ).action((args: string[], opts, cmd: Command) => {
    // Complete + Validate
    const { resources, changes } = splitArgs(args, opts, (a) => a.includes('=') || /^[A-Za-z_][A-Za-z0-9_]*-$/.test(a));
    if (!resources.length && !opts.filename.length)
      throw new CliError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
    // Run
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
          const result = applyEnvChanges(c.env ?? [], all);
          changed ||= result.changed;
          if (result.list.length) c.env = result.list;
          else delete c.env;
        }
        return changed;
      },
      'env updated',
    );
  });
}
