import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { CliError } from '../../../util/errors';
import { withFlags } from '../../flag-sets';
import { podSpecOf, runSet, setObjectFlags, type SetObjectOptions } from './pod-template';

export function register(set: Command, env: CommandEnv): void {
  withFlags(
    set
      .command('serviceaccount')
      .alias('sa')
      .description('Update the service account of pod template resources')
      .argument('[args...]', 'TYPE NAME SERVICE_ACCOUNT | TYPE/NAME SERVICE_ACCOUNT')
      .addHelpText('after', '\nExamples:\n  kubesim set serviceaccount deployment nginx-deployment serviceaccount1'),
    setObjectFlags,
  ).action((args: string[], opts: SetObjectOptions, cmd: Command) => {
    // Complete + Validate
    if (!args.length) throw new CliError('serviceaccount is required');
    const account = args[args.length - 1];
    const resources = opts.filename.length ? [] : args.slice(0, -1);
    // Run
    runSet(
      env,
      cmd,
      resources,
      opts,
      (obj) => {
        const spec = podSpecOf(obj);
        if (spec.serviceAccountName === account) return false;
        spec.serviceAccountName = account;
        return true;
      },
      'serviceaccount updated',
    );
  });
}
