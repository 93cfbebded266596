import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { runEdit, splitResourcesAndChanges } from '../object-edit';
import { CliError } from '../../util/errors';
import { isKind } from '../../model/kinds';
import type { Taint as NodeTaint } from '../../model/k8s';
import { resolveType } from '../resource-args';
import { printFlags, withFlags, writeFlags, writeOptions, type PrintFlags } from '../flag-sets';

interface Taint {
  key: string;
  value?: string;
  effect?: string;
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** `key=value:Effect`, `key:Effect` or `key` (kubectl taint's parseTaint) */
export function parseTaint(text: string): Taint {
  const parts = text.split(':');
  if (parts.length > 2) throw new CliError(`invalid taint spec: ${text}`);
  const effect = parts[1];
  if (effect !== undefined && !EFFECTS.includes(effect)) throw new CliError(`invalid taint effect: ${effect}, unsupported taint effect`);
  const kv = parts[0].split('=');
  if (kv.length > 2 || !kv[0]) throw new CliError(`invalid taint spec: ${text}`);
  return { key: kv[0], value: kv[1] || undefined, effect };
}

/** parseTaints: the taints to add (each with an effect, unique by key and effect) and to remove (`…-`). */
function parseTaints(specs: string[]): { add: Taint[]; remove: Taint[] } {
  const add: Taint[] = [];
  const remove: Taint[] = [];
  for (const spec of specs) {
    if (spec.endsWith('-')) {
      remove.push(parseTaint(spec.slice(0, -1)));
      continue;
    }
    const taint = parseTaint(spec);
    if (!taint.effect) throw new CliError(`invalid taint spec: ${spec}`);
    if (add.some((t) => t.key === taint.key && t.effect === taint.effect))
      // fmt's %v of a corev1.Taint value: its fields in order, TimeAdded a nil pointer
      throw new CliError(`duplicated taints with the same key and effect: {${taint.key} ${taint.value ?? ''} ${taint.effect} <nil>}`);
    add.push(taint);
  }
  return { add, remove };
}

/** Taint.ToString: key=value:effect, without the parts that are empty */
const taintText = (t: Taint) => `${t.key}${t.value ? `=${t.value}` : ''}${t.effect ? `:${t.effect}` : ''}`;

const matchesTaint = (t: NodeTaint, spec: Taint) => t.key === spec.key && (!spec.effect || t.effect === spec.effect);

interface TaintFlags extends PrintFlags {
  overwrite?: boolean;
  selector?: string;
  all?: boolean;
  dryRun?: string;
  validate?: string;
  fieldManager?: string;
}

export function register(program: Command, env: CommandEnv): void {
  withFlags(
    program
      .command('taint')
      .description('Update the taints on one or more nodes')
      .argument('[args...]', 'NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N'),
    printFlags,
    writeFlags('kubectl-taint'),
  )
    .option('--overwrite', 'If true, allow taints to be overwritten, otherwise reject taint updates that overwrite existing taints.')
    .option(
      '-l, --selector <selector>',
      "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.",
    )
    .option('--all', 'Select all nodes in the cluster')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim taint nodes node-1 dedicated=gpu:NoSchedule\n  kubesim taint nodes node-1 dedicated:NoSchedule-\n  kubesim taint nodes node-1 dedicated-',
    )
    .action((args: string[], opts: TaintFlags, cmd: Command) => {
      const { resources, add, remove } = completeTaint(args, opts);
      const overwrite = !!opts.overwrite;
      runEdit(env, cmd, resources, { ...opts, filename: [] }, (obj) => {
        // completeTaint checked the first resource's type; updateTaints refuses any other object (a Go %T: *v1.Pod)
        if (!isKind(obj, 'Node')) throw new CliError(`unexpected type *v1.${obj.kind}, expected Node`);
        const node = obj;
        const old = node.spec?.taints ?? [];
        if (!overwrite) {
          const existing = add.filter((t) => old.some((o) => o.key === t.key && o.effect === t.effect)).map((t) => t.key);
          if (existing.length)
            throw new CliError(
              `node ${node.metadata.name} already has ${existing.join(',')} taint(s) with same effect(s) and --overwrite is false`,
            );
        }
        // reorganizeTaints: the new taints first, then the old ones they do not replace, less the removed
        // (parseTaints refuses a taint to add without an effect)
        let taints: NodeTaint[] = add.map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect! }));
        for (const o of old) if (!taints.some((t) => t.key === o.key && t.effect === o.effect)) taints.push(o);
        const added = taints.length !== old.length;
        let deleted = false;
        for (const spec of remove) {
          const kept = taints.filter((t) => !matchesTaint(t, spec));
          if (kept.length === taints.length) throw new CliError(`taint "${taintText(spec)}" not found`);
          taints = kept;
          deleted = true;
        }
        node.spec = { ...node.spec, taints };
        if (!taints.length) delete node.spec.taints;
        return { changed: true, verb: (added && deleted) || overwrite ? 'modified' : added ? 'tainted' : 'untainted' };
      });
    });
}

/** Complete + Validate (TaintOptions): resources before taints, a node type, no taint both set and removed, names or -l/--all. */
function completeTaint(args: string[], opts: TaintFlags): { resources: string[]; add: Taint[]; remove: Taint[] } {
  writeOptions(opts);
  const { resources, changes } = splitResourcesAndChanges(args, (a) => a.includes(':') || a.includes('=') || a.endsWith('-'), 'taint');
  if (!resources.length) throw new CliError('one or more resources must be specified as <resource> <name>');
  if (!changes.length) throw new CliError('at least one taint update is required');
  const { add, remove } = parseTaints(changes);
  if (resolveType(resources[0].toLowerCase()).kind !== 'Node')
    throw new CliError(`invalid resource type ${resources[0].toLowerCase()}, only node types are supported`);
  const conflicts = remove
    .filter((r) => add.some((a) => a.key === r.key && (!r.effect || a.effect === r.effect)))
    .map((r) => `{"${r.key}":"${r.effect ?? ''}"}`);
  if (conflicts.length)
    throw new CliError(`can not both modify and remove the following taint(s) in the same command: ${conflicts.join(', ')}`);
  if (opts.all && opts.selector) throw new CliError("setting 'all' parameter with a non empty selector is prohibited");
  if (!opts.all && !opts.selector && resources.length < 2)
    throw new CliError("at least one resource name must be specified since 'all' parameter is not set");
  return { resources, add, remove };
}
