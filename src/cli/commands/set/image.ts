import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { CliError } from '../../../util/errors';
import { withFlags } from '../../flag-sets';
import { requireResources, runSet, setObjectFlags, splitArgs, type SetObjectOptions } from './pod-template';

export function register(set: Command, env: CommandEnv): void {
  withFlags(
    set
      .command('image')
      .description('Update the image of a pod template')
      .argument('[args...]', 'TYPE NAME CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... | TYPE/NAME ...')
      .addHelpText(
        'after',
        '\nExamples:\n  kubesim set image deployment/web nginx=nginx:1.27\n  kubesim set image deployment/web *=nginx:1.27',
      ),
    setObjectFlags,
  ).action((args: string[], opts: SetObjectOptions, cmd: Command) => {
    // Complete + Validate
    const { resources, changes } = splitArgs(args, opts, (a) => a.includes('='));
    requireResources(resources, opts);
    if (!changes.length) throw new CliError('at least one image update is required');
    const images = changes.map((c) => c.split('=')) as [string, string][];
    // Run
    runSet(
      env,
      cmd,
      resources,
      opts,
      (_obj, pick) => {
        let changed = false;
        for (const [name, image] of images) {
          const targets = pick(name);
          if (!targets.length) throw new CliError(`unable to find container named "${name}"`);
          for (const c of targets) {
            if (c.image !== image) changed = true;
            c.image = image;
          }
        }
        return changed;
      },
      'image updated',
    );
  });
}
