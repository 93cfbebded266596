import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { CliError } from '../../../util/errors';
import { configPath, loadConfig, saveConfig, type KubesimConfig } from '../../../config/kubeconfig';
import { globalFlagsOf } from '../../global-flags';

/** The config file a `config` verb reads and writes: --kubeconfig, else $KUBESIM_CONFIG, else ~/.kubesim/config. */
export interface ConfigFile {
  path: string;
  /** --kubeconfig named it (clientcmd's IsExplicitFile) */
  explicit: boolean;
  config: KubesimConfig;
  save(): void;
}

export function openConfig(cmd: Command, env: CommandEnv): ConfigFile {
  const explicit = globalFlagsOf(cmd).kubeconfig;
  // a missing file is an empty config, named or not: the config verbs create it
  const path = configPath(env.io.env, explicit, env.io.cwd);
  const file: ConfigFile = { path, explicit: !!explicit, config: loadConfig(path), save: () => saveConfig(path, file.config) };
  return file;
}

/** kubectl config's helpErrorf: the command's help on stdout, then the error. */
export function helpError(cmd: Command, env: CommandEnv, message: string): CliError {
  env.out.out(cmd.helpInformation());
  return new CliError(message);
}

/** Go's %v of a []string: `[a b]`. */
export function goList(args: string[]): string {
  return `[${args.join(' ')}]`;
}

/** get-clusters, get-users: NAME, then the names (sorted; kubectl's map order is random for clusters). */
export function printNames(env: CommandEnv, entries: { name: string }[]): void {
  env.out.line('NAME');
  for (const name of entries.map((e) => e.name).sort()) env.out.line(name);
}
