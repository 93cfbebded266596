import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { requestableKinds } from '../requestable-kinds';
import { CliError } from '../../util/errors';
import '../../api/kinds/index';

/** `kubectl api-versions`: every group/version the API server serves, sorted (metav1.ExtractGroupVersions, sort.Strings). */
export function register(program: Command, env: CommandEnv): void {
  program
    .command('api-versions')
    .description('Print the supported API versions on the server, in the form of "group/version"')
    .argument('[args...]')
    .addHelpText('after', '\nExamples:\n  kubesim api-versions')
    .action((args: string[]) => {
      if (args.length) throw new CliError(`unexpected arguments: [${args.join(' ')}]\nSee 'kubesim api-versions -h' for help and examples`);
      const versions = new Set<string>();
      for (const k of requestableKinds())
        for (const version of [k.version, ...(k.otherVersions ?? [])]) versions.add(k.group ? `${k.group}/${version}` : version);
      for (const v of [...versions].sort()) env.out.line(v);
    });
}
