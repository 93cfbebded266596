import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { getTarget, resolveTargets, splitResourcesAndChanges } from '../object-edit';
import { CliError } from '../../util/errors';
import { updateObject } from '../../api/server';
import { clone, type KObject } from '../../model/objects';
import { qualifiedName } from '../../api/registry';

interface TaintSpec {
  key: string;
  value?: string;
  effect?: string;
  remove: boolean;
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** `key=value:Effect`, `key:Effect`, `key:Effect-`, `key-` (kubectl's ParseTaints). */
export function parseTaint(text: string): TaintSpec {
  const remove = text.endsWith('-');
  const body = remove ? text.slice(0, -1) : text;
  const [kv, effect] = body.split(':');
  const [key, value] = kv.split('=');
  if (!key) throw new CliError(`invalid taint spec: ${text}`);
  if (!remove && !effect) throw new CliError(`invalid taint spec: ${text}`);
  if (effect && !EFFECTS.includes(effect)) throw new CliError(`invalid taint effect: ${effect}, unsupported taint effect`);
  return { key, value, effect, remove };
}

export function register(program: Command, env: CommandEnv): void {
  program
    .command('taint')
    .description('Update the taints on one or more nodes')
    .argument('<args...>', 'NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... | KEY:EFFECT- | KEY-')
    .option('--overwrite', 'allow taints to be overwritten')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--all', 'Select all nodes in the cluster')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim taint nodes node-1 dedicated=gpu:NoSchedule\n  kubesim taint nodes node-1 dedicated:NoSchedule-\n  kubesim taint nodes node-1 dedicated-',
    )
    .action((args: string[], opts, cmd: Command) => {
      const g = globals(cmd, env);
      const { resources, changes } = splitResourcesAndChanges(args, (a) => a.includes(':') || a.includes('=') || a.endsWith('-'));
      if (!changes.length) throw new CliError('at least one taint update is required');
      const specs = changes.map(parseTaint);
      withSession(g, (s) => {
        for (const t of resolveTargets(s.api, resources, g, opts)) {
          if (t.info.kind !== 'Node') throw new CliError(`invalid resource type ${t.info.plural}, only node types are supported`);
          const node = clone(getTarget(s.api, t));
          let taints: KObject[] = node.spec.taints ?? [];
          let removed = false;
          let added = false;
          for (const spec of specs) {
            if (spec.remove) {
              const before = taints.length;
              taints = taints.filter((x) => !(x.key === spec.key && (!spec.effect || x.effect === spec.effect)));
              if (taints.length === before) throw new CliError(`taint "${spec.key}${spec.effect ? `:${spec.effect}` : ''}" not found`);
              removed = true;
              continue;
            }
            const existing = taints.findIndex((x) => x.key === spec.key && x.effect === spec.effect);
            const taint: KObject = { key: spec.key, effect: spec.effect } as unknown as KObject;
            if (spec.value !== undefined && spec.value !== '') taint.value = spec.value;
            if (existing >= 0) {
              if (!opts.overwrite)
                throw new CliError(`node ${t.name} already has ${spec.key} taint(s) with same effect(s) and --overwrite is false`);
              taints[existing] = taint;
            } else taints.push(taint);
            added = true;
          }
          node.spec.taints = taints;
          if (!taints.length) delete node.spec.taints;
          updateObject(s.api, node);
          env.out.line(`${qualifiedName(t.info, t.name)} ${added && !removed ? 'tainted' : removed && !added ? 'untainted' : 'modified'}`);
        }
      });
    });
}
