import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { CliError } from '../../../util/errors';
import { modifyConfig } from '../../../config/property-path';
import { parseBoolFlag, withFlags, type FlagSet } from '../../flag-sets';
import { goList, helpError, openConfig } from './config-file';

const setFlags: FlagSet = (c) =>
  c.option('--set-raw-bytes [bool]', 'When writing a []byte PROPERTY_VALUE, write the given string directly without base64 decoding.');

export function register(config: Command, env: CommandEnv): void {
  withFlags(
    config
      .command('set')
      .description('Set an individual value in a kubeconfig file')
      .argument('[args...]', 'PROPERTY_NAME PROPERTY_VALUE')
      .addHelpText(
        'after',
        '\nExamples:\n  kubesim config set clusters.my-cluster.server https://1.2.3.4\n  kubesim config set contexts.my-context.cluster my-cluster\n  kubesim config set users.cluster-admin.client-key-data cert_data_here --set-raw-bytes=true',
      ),
    setFlags,
  ).action((args: string[], opts: { setRawBytes?: string }, cmd: Command) => {
    // Complete
    if (args.length !== 2) throw helpError(cmd, env, `Unexpected args: ${goList(args)}`);
    const [property, value] = args;
    const rawBytes = parseBoolFlag(opts.setRawBytes, 'set-raw-bytes');
    // Validate
    if (!value) throw new CliError('you cannot use set to unset a property');
    if (!property) throw new CliError('you must specify a property');
    // Run
    const file = openConfig(cmd, env);
    modifyConfig(file.config, property, value, rawBytes);
    file.save();
    env.out.line(`Property "${property}" set.`);
  });
}
