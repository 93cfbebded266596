import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import type { IO } from '../io';
import { globals, withSession } from '../context';
import { CliError } from '../../util/errors';
import { parseDocuments } from '../../api/manifest-parser';
import { remember } from '../../reconcile/actions';
import { CONFIG_MEMORY } from '../../scheduler/controller';
import {
  decodeSchedulerConfiguration,
  SchedulerConfigError,
  SCHEDULER_CONFIG_API_VERSION,
  SCHEDULER_CONFIG_KIND,
  withDefaults,
  type KubeSchedulerConfiguration,
} from '../../scheduler/configuration';
import { loadSchedulerConfiguration } from '../../scheduler/profile';
import { toJson, toYaml } from '../../printers/serialize';

/**
 * Reads a KubeSchedulerConfiguration file as kube-scheduler's --config does (one YAML or
 * JSON document, strictly decoded), defaults and validates it, and checks that every profile
 * builds: the configuration stored is one kube-scheduler would start with.
 */
export function readSchedulerConfiguration(file: string, io: IO): KubeSchedulerConfiguration {
  let text: string;
  if (file === '-') text = io.readStdin();
  else {
    const full = path.resolve(io.cwd, file);
    if (!fs.existsSync(full)) throw new CliError(`the path "${file}" does not exist`);
    text = fs.readFileSync(full, 'utf8');
  }
  const { docs, error } = parseDocuments(text);
  if (error) throw new CliError(`invalid scheduler configuration "${file}": ${error}`);
  const doc = docs.find((d) => d !== null && d !== undefined);
  try {
    return loadSchedulerConfiguration(decodeSchedulerConfiguration(doc)).config;
  } catch (e) {
    if (e instanceof SchedulerConfigError) throw new CliError(`invalid scheduler configuration "${file}": ${e.message}`);
    throw e;
  }
}

function profileNames(config: KubeSchedulerConfiguration): string {
  return (config.profiles ?? []).map((p) => p.schedulerName).join(', ');
}

/** `kubesim scheduler config view|apply|reset`: the cluster's kube-scheduler configuration. */
export function register(program: Command, env: CommandEnv): void {
  const scheduler = program.command('scheduler').description("Show or change the simulated kube-scheduler's configuration");
  const config = scheduler
    .command('config')
    .description('KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1): profiles, plugins, weights and plugin args');
  config
    .command('view')
    .description('Print the configuration in effect, with every default filled in (as kube-scheduler --write-config-to)')
    .option('-o, --output <format>', 'Output format. One of: (yaml, json).', 'yaml')
    .action((opts: { output: string }, cmd: Command) => {
      if (opts.output !== 'yaml' && opts.output !== 'json')
        throw new CliError(`unable to match a printer suitable for the output format "${opts.output}", allowed formats are: json,yaml`);
      withSession(
        globals(cmd, env),
        (s) => {
          const stored = s.store.recall<KubeSchedulerConfiguration>(CONFIG_MEMORY.controller, CONFIG_MEMORY.key);
          const shown = stored ?? withDefaults({ apiVersion: SCHEDULER_CONFIG_API_VERSION, kind: SCHEDULER_CONFIG_KIND });
          env.out.out(opts.output === 'json' ? toJson(shown) : toYaml(shown));
        },
        { readOnly: true },
      );
    });
  config
    .command('apply')
    .description('Replace the configuration; pending pods are scheduled by the new profiles at once')
    .requiredOption('-f, --filename <file>', 'KubeSchedulerConfiguration file (- for standard input)')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim scheduler config apply -f scheduler-config.yaml\n  kubesim cluster create --scheduler-config scheduler-config.yaml',
    )
    .action((opts: { filename: string }, cmd: Command) => {
      const parsed = readSchedulerConfiguration(opts.filename, env.io);
      withSession(globals(cmd, env), (s) => {
        s.engine.apply([remember(CONFIG_MEMORY.controller, CONFIG_MEMORY.key, parsed)]);
        env.out.line(`scheduler configuration applied: ${parsed.profiles!.length} profile(s): ${profileNames(parsed)}`);
      });
    });
  config
    .command('reset')
    .description("Go back to kube-scheduler's default configuration (one profile, default-scheduler)")
    .action((_opts, cmd: Command) => {
      withSession(globals(cmd, env), (s) => {
        s.engine.apply([remember(CONFIG_MEMORY.controller, CONFIG_MEMORY.key, null)]);
        env.out.line('scheduler configuration reset to the defaults: 1 profile(s): default-scheduler');
      });
    });
}
