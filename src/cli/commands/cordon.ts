import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError, notFound } from '../../util/errors';
import { updateObject } from '../../api/server';
import { matches, parseSelector } from '../../api/labels';
import { clone } from '../../model/objects';
import type { Node } from '../../model/kinds';
import { dryRunSuffix, parseDryRun } from '../flags';
import type { DryRun } from '../../api/server';
import type { Session } from '../../engine/session';

/** The nodes a cordon/uncordon/drain names: NODE... or -l SELECTOR (not both). */
export function selectNodes(s: Session, names: string[], selector: string | undefined): Node[] {
  if (names.length && selector) throw new CliError('cannot specify both a node name and a --selector option');
  if (selector !== undefined) {
    const sel = parseSelector(selector);
    return s.store.list('Node').filter((n) => matches(sel, n.metadata.labels));
  }
  return names.map((name) => {
    const node = s.store.get('Node', undefined, name);
    if (!node) throw notFound('nodes', name);
    return node;
  });
}

/** kubectl's cordon helper: sets spec.unschedulable and prints `node/x cordoned|already cordoned|uncordoned|…`. */
export function cordonNodes(s: Session, nodes: Node[], desired: boolean, dryRun: DryRun, out: { line(t: string): void }): void {
  const word = desired ? 'cordoned' : 'uncordoned';
  for (const node of nodes) {
    const current = !!node.spec?.unschedulable;
    if (current === desired) {
      out.line(`node/${node.metadata.name} already ${word}${dryRunSuffix(dryRun)}`);
      continue;
    }
    if (dryRun === 'none') {
      const next = clone(node);
      if (desired) next.spec.unschedulable = true;
      else delete next.spec.unschedulable;
      updateObject(s.api, next);
    }
    out.line(`node/${node.metadata.name} ${word}${dryRunSuffix(dryRun)}`);
  }
}

export function usageError(verb: string): CliError {
  return new CliError(`USAGE: ${verb} NODE [flags]\nSee 'kubesim ${verb} -h' for help and examples`);
}

/** cordon and uncordon share everything but the desired state. */
export function registerCordonVerb(program: Command, env: CommandEnv, verb: 'cordon' | 'uncordon'): void {
  const desired = verb === 'cordon';
  program
    .command(verb)
    .description(desired ? 'Mark node as unschedulable' : 'Mark node as schedulable')
    .argument('[node...]', 'NODE')
    .option('-l, --selector <selector>', "Selector (label query) to filter on, supports '=', '==', and '!='.")
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client"', 'none')
    .addHelpText('after', `\nExamples:\n  kubesim ${verb} node-1`)
    .action((names: string[], opts: { selector?: string; dryRun?: string | boolean }, cmd: Command) => {
      const g = globals(cmd, env);
      const dryRun = parseDryRun(opts.dryRun);
      if (!names.length && opts.selector === undefined) throw usageError(verb);
      withSession(g, (s) => cordonNodes(s, selectNodes(s, names, opts.selector), desired, dryRun, env.out), { dryRun: dryRun !== 'none' });
    });
}

export function register(program: Command, env: CommandEnv): void {
  registerCordonVerb(program, env, 'cordon');
}
