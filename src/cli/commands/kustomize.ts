import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { writeOutputFile } from '../report-file';
import type { CommandEnv } from '../program';
import { buildKustomization } from '../../kustomize/build';
import { LOAD_RESTRICTORS, type LoadRestrictor } from '../../kustomize/loader';
import type { PluginOptions } from '../../kustomize/plugin-options';
import { gvk, isClusterScoped } from '../../kustomize/resource';
import type { KObject } from '../../model/objects';
import { toYaml } from '../../printers/serialize';
import { CliError } from '../../util/errors';
import { repeatable } from '../flags';

interface KustomizeOptions {
  loadRestrictor: string;
  output?: string;
  enableAlphaPlugins?: boolean;
  enableHelm?: boolean;
  helmCommand: string;
  helmApiVersions: string[];
  helmKubeVersion: string;
  helmDebug?: boolean;
  network?: boolean;
  networkName: string;
  mount: string[];
  env: string[];
  asCurrentUser?: boolean;
}

/**
 * kustomize's HonorKustomizeFlags: --enable-alpha-plugins allows KRM functions and helm (the
 * flags' helm command still applies); otherwise helm follows --enable-helm.
 */
function pluginOptions(opts: KustomizeOptions, env: CommandEnv): PluginOptions {
  return {
    enableAlphaPlugins: !!opts.enableAlphaPlugins,
    helm: {
      enabled: !!opts.enableAlphaPlugins || !!opts.enableHelm,
      command: opts.helmCommand,
      apiVersions: opts.helmApiVersions,
      kubeVersion: opts.helmKubeVersion,
      debug: !!opts.helmDebug,
    },
    functions: {
      network: !!opts.network,
      networkName: opts.networkName,
      mounts: opts.mount,
      env: opts.env,
      asCurrentUser: !!opts.asCurrentUser,
    },
    // a function's stderr reaches kubectl's stderr as it runs
    programs: { env: env.io.env, stderr: (text) => env.io.err(text) },
  };
}

/** kustomize's name for an object's file under `-o DIR`: group_version_kind_name.yaml, lower case, empty parts left out. */
function objectFileName(obj: KObject): string {
  const { group, version, kind } = gvk(obj);
  return `${[group, version, kind].filter(Boolean).join('_')}_${obj.metadata.name}.yaml`.toLowerCase();
}

/** `-o PATH`: an existing directory gets one file per object, anything else the whole stream (as kustomize's WriteFile, which reports Go's open error). */
function writeOutput(target: string, cwd: string, objects: KObject[]): void {
  const write = (file: string, text: string) => writeOutputFile(file, text, cwd);
  const full = path.resolve(cwd, target);
  if (fs.existsSync(full) && fs.statSync(full).isDirectory()) {
    // WriteIndividualFiles: namespaced objects get a namespace_ prefix when they span several namespaces
    const namespaceOf = (o: KObject) => (isClusterScoped(o.kind) ? undefined : o.metadata.namespace || 'default');
    const namespaces = new Set(objects.map(namespaceOf).filter((ns) => ns !== undefined));
    for (const obj of objects) {
      const ns = namespaceOf(obj);
      const prefix = ns !== undefined && namespaces.size > 1 ? `${ns.toLowerCase()}_` : '';
      write(path.join(target, prefix + objectFileName(obj)), toYaml(obj));
    }
    return;
  }
  write(target, objects.map((o) => toYaml(o)).join('---\n'));
}

/** `kubectl kustomize DIR`: builds the kustomization and prints the objects; needs no cluster. */
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
    .option('--as-current-user', 'use the uid and gid of the command executor to run the function in the container')
    .option('--enable-alpha-plugins', 'enable kustomize plugins')
    .option('--enable-helm', 'Enable use of the Helm chart inflator generator.')
    .option('-e, --env <env>', 'a list of environment variables to be used by functions', repeatable, [])
    .option('--helm-api-versions <version>', 'Kubernetes api versions used by Helm for Capabilities.APIVersions', repeatable, [])
    .option('--helm-command <command>', 'helm command (path to executable)', 'helm')
    .option('--helm-debug', 'Enable debug output from the Helm chart inflator generator.')
    .option('--helm-kube-version <version>', 'Kubernetes version used by Helm for Capabilities.KubeVersion', '')
    .option('--mount <mount>', 'a list of storage options read from the filesystem', repeatable, [])
    .option('--network', 'enable network access for functions that declare it')
    .option('--network-name <name>', 'the docker network to run the container in', 'bridge')
    .addHelpText(
      'after',
      '\nExamples:\n  # Print the objects the overlay makes\n  kubesim kustomize overlays/prod\n\n  # Apply them\n  kubesim apply -k overlays/prod\n\n  # One file per object in out/\n  kubesim kustomize overlays/prod -o out/',
    )
    .allowExcessArguments(true)
    .action((dir: string, opts: KustomizeOptions, cmd: Command) => {
      if (cmd.args.length > 1) throw new CliError('specify one path to kustomization.yaml');
      if (!(LOAD_RESTRICTORS as readonly string[]).includes(opts.loadRestrictor))
        throw new CliError(`illegal flag value --load-restrictor ${opts.loadRestrictor}; legal values: [${LOAD_RESTRICTORS.join(' ')}]`);
      const build = buildKustomization(dir, env.io.cwd, {
        loadRestrictor: opts.loadRestrictor as LoadRestrictor,
        plugins: pluginOptions(opts, env),
      });
      for (const w of build.warnings) env.out.errLine(w);
      if (opts.output !== undefined) writeOutput(opts.output, env.io.cwd, build.objects);
      else env.out.out(build.objects.map((o) => toYaml(o)).join('---\n'));
    });
}
