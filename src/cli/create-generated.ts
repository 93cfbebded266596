import type { Command } from 'commander';
import type { CommandEnv } from './program';
import { withSession, type Globals } from './context';
import { createObject } from '../api/server';
import { kindInfoOrThrow, qualifiedName } from '../api/registry';
import type { KObject } from '../model/objects';
import { formatStructured, validateOutputFormat } from '../printers/output';
import { addTemplateFlags, dryRunSuffix, parseDryRun, type TemplateFlags } from './flags';
import type { DryRun } from '../api/server';
import { printWarnings } from './warnings';
import { CliError } from '../util/errors';

/** Creates one generated object (or prints it for --dry-run=client -o yaml). */
export function createGenerated(
  env: CommandEnv,
  g: Globals,
  obj: KObject,
  localOpts: { dryRun?: string } & TemplateFlags,
  cmd?: Command,
): void {
  // --dry-run/-o may have been parsed by the parent `create` command
  const opts = {
    ...(cmd?.optsWithGlobals() ?? {}),
    ...Object.fromEntries(Object.entries(localOpts).filter(([, v]) => v !== undefined && v !== 'none')),
  } as { dryRun?: string } & TemplateFlags;
  const dryRun = parseDryRun(opts.dryRun);
  validateOutputFormat(opts.output);
  const info = kindInfoOrThrow(obj.kind);
  if (info.namespaced && g.namespaceExplicit) obj.metadata.namespace = g.namespace;
  if (dryRun === 'client') {
    printCreated(env, [obj], opts, dryRun);
    return;
  }
  withSession(
    g,
    (s) => {
      const created = createObject(
        s.api,
        { ...obj, metadata: { ...obj.metadata, namespace: info.namespaced ? (obj.metadata.namespace ?? g.namespace) : undefined } },
        { dryRun: dryRun === 'server' },
      );
      printWarnings(env, s.store);
      printCreated(env, [created], opts, dryRun);
    },
    { dryRun: dryRun === 'server' },
  );
}

export function printCreated(env: CommandEnv, objects: KObject[], print: TemplateFlags, dryRun: DryRun): void {
  const text = formatStructured(objects, print.output, {
    single: true,
    cwd: env.io.cwd,
    allowMissingTemplateKeys: print.allowMissingTemplateKeys,
  });
  if (text !== undefined) env.out.out(text);
  else for (const o of objects) env.out.line(`${qualifiedName(kindInfoOrThrow(o.kind), o.metadata.name)} created${dryRunSuffix(dryRun)}`);
}

/** --dry-run and -o, which every generator subcommand takes */
export const generatorFlags = (c: Command) =>
  addTemplateFlags(
    c
      .option('--dry-run [strategy]', 'Must be "none", "server", or "client"', 'none')
      .option('-o, --output <format>', 'Output format: json|yaml|name|jsonpath=...'),
  );

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
