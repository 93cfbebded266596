import type { Command } from 'commander';
import type { CommandEnv } from './program';
import { withSession, type Globals } from './context';
import { createObject } from '../api/server';
import { kindInfoOfObject, kindInfoOrThrow, qualifiedName } from '../api/registry';
import type { KObject, ObjectMeta } from '../model/objects';
import { formatStructured, validateOutputFormat } from '../printers/output';
import { dryRunSuffix } from './flags';
import type { DryRun } from '../api/server';
import {
  printFlags,
  printOptions,
  saveConfigFlag,
  serverWriteOptions,
  withFlags,
  writeFlags,
  writeOptions,
  type PrintOptions,
} from './flag-sets';
import { withLastApplied } from './apply-object';
import { printWarnings } from './warnings';
import { CliError } from '../util/errors';

/**
 * The metadata of a generated object: kubectl prints `creationTimestamp: null` (the Go zero Time of
 * an object that was never stored), which ObjectMeta's string type cannot say.
 */
export function generatedMetadata(name: string, labels?: Record<string, string>): ObjectMeta {
  return { name, ...(labels ? { labels } : {}), creationTimestamp: null } as unknown as ObjectMeta;
}

/** Creates one generated object (or prints it for --dry-run=client -o yaml). */
export function createGenerated(env: CommandEnv, g: Globals, obj: KObject, localOpts: GeneratorFlags, cmd?: Command): void {
  const opts = cmd ? generatorOptions(cmd) : localOpts;
  const write = writeOptions(opts);
  const { dryRun } = write;
  const print = printOptions(opts);
  validateOutputFormat(print.output);
  const info = kindInfoOrThrow(obj.kind);
  if (info.namespaced && g.namespaceExplicit) obj.metadata.namespace = g.namespace;
  // --save-config: the object carries what `kubectl apply` would have stored, so a later apply three-way merges
  if (opts.saveConfig) obj = withLastApplied(obj);
  if (dryRun === 'client') {
    printCreated(env, [obj], print, dryRun);
    return;
  }
  withSession(
    g,
    (s) => {
      const created = createObject(
        s.api,
        { ...obj, metadata: { ...obj.metadata, namespace: info.namespaced ? (obj.metadata.namespace ?? g.namespace) : undefined } },
        serverWriteOptions(write),
      );
      printWarnings(env, s.store);
      printCreated(env, [created], print, dryRun);
    },
    { dryRun: dryRun === 'server' },
  );
}

export function printCreated(env: CommandEnv, objects: KObject[], print: PrintOptions, dryRun: DryRun): void {
  const text = formatStructured(objects, print.output, {
    single: true,
    cwd: env.io.cwd,
    showManagedFields: print.showManagedFields,
    allowMissingTemplateKeys: print.allowMissingTemplateKeys,
  });
  if (text !== undefined) env.out.out(text);
  else
    for (const o of objects)
      env.out.line(`${qualifiedName(kindInfoOfObject(o) ?? kindInfoOrThrow(o.kind), o.metadata.name)} created${dryRunSuffix(dryRun)}`);
}

/** The flags of `create` as they reach a generator (its own, or parsed by the parent `create`) */
export interface GeneratorFlags {
  dryRun?: string;
  output?: string;
  showManagedFields?: string | boolean;
  validate?: string | boolean;
  fieldManager?: string;
  saveConfig?: boolean;
}

/**
 * `create`'s own flags may have taken the values (`create --dry-run=client deployment …`): the
 * generator's explicit values win, then the parent's, then the generator's defaults.
 */
export function generatorOptions(cmd: Command): GeneratorFlags {
  const out: Record<string, unknown> = { ...cmd.opts() };
  const given = new Set(Object.keys(out).filter((key) => cmd.getOptionValueSource(key) === 'cli'));
  // `create secret tls`: the nearest command that was given the flag wins
  for (let parent = cmd.parent; parent; parent = parent.parent) {
    for (const [key, value] of Object.entries(parent.opts())) {
      if (given.has(key) || parent.getOptionValueSource(key) !== 'cli') continue;
      out[key] = value;
      given.add(key);
    }
  }
  return out as GeneratorFlags;
}

/** What every create generator takes: PrintFlags, --dry-run/--validate/--field-manager, --save-config */
export const generatorFlags = (c: Command) => withFlags(c, printFlags, writeFlags('kubectl-create'), saveConfigFlag);

/**
 * The command after `--` of `create deployment|job|cronjob NAME -- COMMAND…`: before the dash there
 * must be exactly one NAME (NameFromCommandArgs counts the arguments up to cobra's ArgsLenAtDash).
 */
export function commandAfterDash(cmd: Command, rest: string[]): string[] {
  let root: Command = cmd;
  while (root.parent) root = root.parent;
  const raw = (root as unknown as { rawArgs?: string[] }).rawArgs ?? [];
  const dash = raw.indexOf('--');
  const afterDash = dash >= 0 ? raw.length - dash - 1 : 0;
  const beforeDash = 1 + rest.length - afterDash;
  if (beforeDash !== 1) {
    const path: string[] = [];
    for (let c: Command | null = cmd; c; c = c.parent) path.unshift(c.name());
    throw new CliError(`exactly one NAME is required, got ${beforeDash}\nSee '${path.join(' ')} -h' for help and examples`);
  }
  return rest;
}
