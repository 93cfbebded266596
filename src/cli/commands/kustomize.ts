import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { buildKustomization, type LoadRestrictor } from '../../kustomize/build';
import { toYaml } from '../../printers/serialize';
import { CliError } from '../../util/errors';
import type { KObject } from '../../model/objects';

const LOAD_RESTRICTORS: LoadRestrictor[] = ['LoadRestrictionsRootOnly', 'LoadRestrictionsNone'];

/** `kubectl kustomize DIR`: builds the kustomization and prints the objects (or writes them with -o); needs no cluster. */
export function register(program: Command, env: CommandEnv): void {
  program
    .command('kustomize')
    .description('Build a kustomization target from a directory (no cluster needed)')
    .argument('[dir]', 'the kustomization directory', '.')
    .option(
      '--load-restrictor <restrictor>',
      "if set to 'LoadRestrictionsNone', local kustomizations may load files from outside their root. This does, however, break the relocatability of the kustomization.",
      'LoadRestrictionsRootOnly',
    )
    .option('-o, --output <path>', 'If specified, write output to this path.')
    .addHelpText(
      'after',
      '\nExamples:\n  # Print the objects the overlay makes\n  kubesim kustomize overlays/prod\n\n  # Apply them\n  kubesim apply -k overlays/prod',
    )
    .allowExcessArguments(true)
    .action((dir: string, opts: { loadRestrictor: string; output?: string }, cmd: Command) => {
      if (cmd.args.length > 1) throw new CliError('specify one path to kustomization.yaml');
      const restrictor = opts.loadRestrictor as LoadRestrictor;
      if (!LOAD_RESTRICTORS.includes(restrictor))
        throw new CliError(`illegal flag value --load-restrictor ${opts.loadRestrictor}; legal values: [${LOAD_RESTRICTORS.join(' ')}]`);
      const build = buildKustomization(dir, env.io.cwd, restrictor);
      for (const w of build.warnings) env.out.errLine(w);
      if (opts.output === undefined) env.out.out(build.objects.map((o) => toYaml(o)).join('---\n'));
      else writeOutput(path.resolve(env.io.cwd, opts.output), opts.output, build.objects);
    });
}

/**
 * -o: into a directory that exists, one file per object (kustomize's WriteIndividualFiles, named
 * group_version_kind_name.yaml in lower case, with a namespace_ prefix when the objects span
 * several namespaces); otherwise the whole stream into that file.
 */
function writeOutput(full: string, given: string, objects: KObject[]): void {
  if (fs.existsSync(full) && fs.statSync(full).isDirectory()) {
    const namespaces = new Set(objects.map((o) => o.metadata.namespace || 'default'));
    for (const o of objects) {
      const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
      const base = [group, version, o.kind].filter(Boolean).join('_').toLowerCase() + `_${o.metadata.name.toLowerCase()}.yaml`;
      fs.writeFileSync(path.join(full, namespaces.size > 1 ? `${o.metadata.namespace || 'default'}_${base}` : base), toYaml(o));
    }
    return;
  }
  if (!fs.existsSync(path.dirname(full))) throw new CliError(`open ${given}: no such file or directory`);
  fs.writeFileSync(full, objects.map((o) => toYaml(o)).join('---\n'));
}
