import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { buildKustomization } from '../../kustomize/build';
import { toYaml } from '../../printers/serialize';
import { CliError } from '../../util/errors';

/** `kubectl kustomize DIR`: builds the kustomization and prints the objects; needs no cluster. */
export function register(program: Command, env: CommandEnv): void {
  program
    .command('kustomize')
    .description('Build a kustomization target from a directory (no cluster needed)')
    .argument('[dir]', 'the kustomization directory', '.')
    .addHelpText(
      'after',
      '\nExamples:\n  # Print the objects the overlay makes\n  kubesim kustomize overlays/prod\n\n  # Apply them\n  kubesim apply -k overlays/prod',
    )
    .allowExcessArguments(true)
    .action((dir: string, _opts: unknown, cmd: Command) => {
      if (cmd.args.length > 1) throw new CliError('specify one path to kustomization.yaml');
      const build = buildKustomization(dir, env.io.cwd);
      for (const w of build.warnings) env.out.errLine(w);
      env.out.out(build.objects.map((o) => toYaml(o)).join('---\n'));
    });
}
