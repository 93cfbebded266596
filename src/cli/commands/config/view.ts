import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { CliError } from '../../../util/errors';
import { serializableConfig, type KubesimConfig } from '../../../config/kubeconfig';
import { formatStructured, validateOutputFormat } from '../../../printers/output';
import { goJsonEscape, toYaml } from '../../../printers/serialize';
import type { KObject } from '../../../model/objects';
import { parseBoolFlag, printFlags, printOptions, withFlags, type FlagSet, type PrintFlags } from '../../flag-sets';
import { globalFlagsOf } from '../../global-flags';
import { openConfig } from './config-file';

const viewFlags: FlagSet = (c) =>
  c
    .option('--merge [bool]', 'Merge the full hierarchy of kubeconfig files')
    .option('--raw', 'Display raw byte data and sensitive data')
    .option('--flatten', 'Flatten the resulting kubeconfig file into self-contained output (useful for creating portable kubeconfig files)')
    .option('--minify', 'Remove all information not used by current-context from the output');

interface ViewFlags extends PrintFlags {
  merge?: string;
  raw?: boolean;
  flatten?: boolean;
  minify?: boolean;
}

/** clientcmdapi.MinifyConfig: only the current context, its cluster and its user. */
function minify(config: KubesimConfig): void {
  const current = config['current-context'];
  if (!current) throw new CliError('current-context must exist in order to minify');
  const ctx = config.contexts.find((c) => c.name === current);
  if (!ctx) throw new CliError(`cannot locate context ${current}`);
  const { cluster, user } = ctx.context;
  if (cluster && !config.clusters.some((c) => c.name === cluster)) throw new CliError(`cannot locate cluster ${cluster}`);
  if (user && !config.users.some((u) => u.name === user)) throw new CliError(`cannot locate user ${user}`);
  config.contexts = [ctx];
  config.clusters = config.clusters.filter((c) => c.name === cluster);
  config.users = config.users.filter((u) => u.name === user);
}

/** clientcmdapi.FlattenConfig: certificate and key files read into their `-data` fields (paths relative to the config file). */
function flatten(config: KubesimConfig, dir: string): void {
  const embed = (entry: Record<string, unknown>, field: string) => {
    const file = entry[field];
    if (typeof file !== 'string' || !file) return;
    if (entry[`${field}-data`]) throw new CliError('cannot have values for both path and contents');
    const resolved = path.resolve(dir, file);
    try {
      entry[`${field}-data`] = fs.readFileSync(resolved).toString('base64');
    } catch {
      throw new CliError(`open ${resolved}: no such file or directory`);
    }
    delete entry[field];
  };
  for (const u of config.users) {
    embed(u.user as Record<string, unknown>, 'client-certificate');
    embed(u.user as Record<string, unknown>, 'client-key');
  }
  for (const c of config.clusters) embed(c.cluster as Record<string, unknown>, 'certificate-authority');
}

/** clientcmdapi.RedactSecrets and ShortenConfig: secrets REDACTED, embedded data DATA+OMITTED. */
function redact(config: KubesimConfig): void {
  for (const { user } of config.users) {
    if (user.token) user.token = 'REDACTED';
    if (user.password) user.password = 'REDACTED';
    if (user['client-certificate-data']) user['client-certificate-data'] = 'DATA+OMITTED';
    if (user['client-key-data']) user['client-key-data'] = 'DATA+OMITTED';
  }
  for (const { cluster } of config.clusters)
    if (cluster['certificate-authority-data']) cluster['certificate-authority-data'] = 'DATA+OMITTED';
}

export function register(config: Command, env: CommandEnv): void {
  withFlags(
    config
      .command('view')
      .description('Display merged kubeconfig settings or a specified kubeconfig file')
      .argument('[args...]')
      .addHelpText(
        'after',
        '\nExamples:\n  kubesim config view\n  kubesim config view --minify --raw\n  kubesim config view -o jsonpath=\'{.users[?(@.name == "e2e")].user.password}\'',
      ),
    printFlags,
    viewFlags,
  ).action((args: string[], opts: ViewFlags, cmd: Command) => {
    // Complete
    if (args.length) throw new CliError(`unexpected arguments: [${args.join(' ')}]\nSee 'kubesim config view -h' for help and examples`);
    const print = printOptions(opts);
    const output = print.output ?? 'yaml';
    validateOutputFormat(output);
    const explicit = !!globalFlagsOf(cmd).kubeconfig;
    // an explicit --kubeconfig is read alone unless --merge says otherwise
    const merge = opts.merge === undefined ? !explicit : parseBoolFlag(opts.merge, 'merge');
    // Validate
    if (!merge && !explicit) throw new CliError('if merge==false a precise file must be specified');
    // Run
    const file = openConfig(cmd, env);
    const cfg = structuredClone(file.config);
    if (opts.minify) {
      const context = globalFlagsOf(cmd).context;
      if (context) cfg['current-context'] = context;
      minify(cfg);
    }
    if (opts.flatten) flatten(cfg, path.dirname(file.path));
    else if (!opts.raw) redact(cfg);
    const shown = serializableConfig(cfg);
    if (output === 'yaml') env.out.out(toYaml(shown));
    // a typed object: JSON keeps the Go struct's field order
    else if (output === 'json') env.out.out(`${goJsonEscape(JSON.stringify(shown, null, 4))}\n`);
    // the Config has no name: kubectl's name printer says so
    else if (output === 'name') env.out.line('config/<unknown>');
    else
      env.out.out(
        formatStructured([shown as unknown as KObject], output, {
          single: true,
          cwd: env.io.cwd,
          showManagedFields: true,
          allowMissingTemplateKeys: print.allowMissingTemplateKeys,
        }) ?? '',
      );
  });
}
