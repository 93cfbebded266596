import type { Command } from 'commander';
import type { CommandEnv } from './program';
import { CliError, notFound } from '../util/errors';
import { updateObject, type ApiContext } from '../api/server';
import { qualifiedName, resourceName, type KindInfo } from '../api/registry';
import { clone, type KObject } from '../api/types';
import { matches, parseSelector } from '../api/labels';
import { resolveType } from './resource-args';
import { globals, withSession, type Globals } from './context';
import { dryRunSuffix, parseDryRun } from './flags';

/** Splits `label`/`annotate`/`taint` arguments into resources and KEY=VAL / KEY- changes. */
export function splitResourcesAndChanges(args: string[], isChange: (a: string) => boolean): { resources: string[]; changes: string[] } {
  const resources: string[] = [];
  const changes: string[] = [];
  for (const a of args) (resources.length && isChange(a) ? changes : resources).push(a);
  return { resources, changes };
}

export interface Target {
  info: KindInfo;
  namespace?: string;
  name: string;
}

/** Resolves `TYPE NAME...`, `TYPE/NAME...`, or `TYPE` with -l/--all to concrete objects. */
export function resolveTargets(api: ApiContext, resources: string[], g: Globals, opts: { selector?: string; all?: boolean }): Target[] {
  if (!resources.length) throw new CliError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
  const targets: Target[] = [];
  if (resources[0].includes('/')) {
    for (const r of resources) {
      const [type, name] = r.split('/');
      const info = resolveType(type);
      targets.push({ info, namespace: info.namespaced ? g.namespace : undefined, name });
    }
  } else {
    const info = resolveType(resources[0]);
    const ns = info.namespaced ? g.namespace : undefined;
    const names = resources.slice(1);
    if (names.length) for (const name of names) targets.push({ info, namespace: ns, name });
    else if (opts.selector || opts.all) {
      const sel = opts.selector ? parseSelector(opts.selector) : [];
      for (const o of api.store.list(info.kind, ns)) if (matches(sel, o.metadata.labels)) targets.push({ info, namespace: ns, name: o.metadata.name });
    } else throw new CliError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
  }
  return targets;
}

export function getTarget(api: ApiContext, t: Target): KObject {
  const obj = api.store.get(t.info.kind, t.namespace, t.name);
  if (!obj) throw notFound(resourceName(t.info), t.name);
  return obj;
}

/**
 * Applies KEY=VALUE / KEY- changes to a string map (labels or annotations) with kubectl's
 * --overwrite rule. Returns whether anything changed.
 */
export function editStringMap(map: Record<string, string>, changes: string[], overwrite: boolean, what: 'label' | 'annotation'): boolean {
  let changed = false;
  for (const c of changes) {
    if (c.endsWith('-') && !c.includes('=')) {
      const key = c.slice(0, -1);
      if (key in map) {
        delete map[key];
        changed = true;
      }
      continue;
    }
    const eq = c.indexOf('=');
    if (eq <= 0) throw new CliError(`invalid ${what} spec: ${c}`);
    const key = c.slice(0, eq);
    const value = c.slice(eq + 1);
    if (key in map && map[key] !== value && !overwrite) throw new CliError(`'${key}' already has a value (${map[key]}), and --overwrite is false`);
    if (map[key] !== value) {
      map[key] = value;
      changed = true;
    }
  }
  return changed;
}

/** Shared body of `label` and `annotate`. */
export function editMetadataMap(api: ApiContext, targets: Target[], changes: string[], opts: { overwrite?: boolean; dryRun?: boolean }, field: 'labels' | 'annotations'): string[] {
  const lines: string[] = [];
  const what = field === 'labels' ? 'label' : 'annotation';
  if (!changes.length) throw new CliError(`at least one ${what} update is required`);
  const onlyRemovals = changes.every((c) => c.endsWith('-') && !c.includes('='));
  for (const t of targets) {
    const obj = clone(getTarget(api, t));
    const map = { ...(obj.metadata[field] ?? {}) };
    const changed = editStringMap(map, changes, !!opts.overwrite, what);
    obj.metadata[field] = map;
    if (!Object.keys(map).length) delete obj.metadata[field];
    if (changed) updateObject(api, obj, { dryRun: opts.dryRun });
    const verb = field === 'labels' ? (changed ? (onlyRemovals ? 'unlabeled' : 'labeled') : 'not labeled') : changed ? 'annotated' : 'not annotated';
    lines.push(`${qualifiedName(t.info, t.name)} ${verb}`);
  }
  return lines;
}

/** `label` and `annotate` are the same command over different maps. */
export function registerMetadataMapCommand(
  program: Command,
  env: CommandEnv,
  spec: { verb: 'label' | 'annotate'; field: 'labels' | 'annotations'; description: string; examples: string },
): void {
  program
    .command(spec.verb)
    .description(spec.description)
    .argument('<args...>', 'TYPE NAME KEY_1=VAL_1 ... KEY_N=VAL_N | TYPE NAME KEY-')
    .option('--overwrite', `allow ${spec.field} to be overwritten`)
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--all', 'Select all resources in the namespace of the specified resource types')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client"', 'none')
    .addHelpText('after', `\nExamples:\n${spec.examples}`)
    .action((args: string[], opts, cmd) => {
      const g = globals(cmd, env);
      const dryRun = parseDryRun(opts.dryRun);
      const { resources, changes } = splitResourcesAndChanges(args, (a) => a.includes('=') || a.endsWith('-'));
      withSession(
        g,
        (s) => {
          const targets = resolveTargets(s.api, resources, g, opts);
          for (const line of editMetadataMap(s.api, targets, changes, { overwrite: opts.overwrite, dryRun: dryRun !== 'none' }, spec.field)) env.out.line(line + dryRunSuffix(dryRun));
        },
        { dryRun: dryRun !== 'none' },
      );
    });
}
