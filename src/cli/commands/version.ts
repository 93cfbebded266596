import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { KUBELET_VERSION } from '../../api/kinds/node';
import { toJson, toYaml } from '../../printers/serialize';

/** version's flags as commander parses them */
interface VersionOptions {
  client?: boolean;
  output?: string;
}

export function register(program: Command, env: CommandEnv): void {
  program
    .command('version')
    .description('Print the client and (simulated) server version information')
    .option('--client', 'If true, shows client version only (no server required)')
    .option('-o, --output <format>', "One of 'yaml' or 'json'")
    .addHelpText('after', '\nExamples:\n  kubesim version\n  kubesim version -o json')
    .action((opts: VersionOptions) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const pkg = require('../../../package.json') as { version: string };
      const info = {
        clientVersion: {
          gitVersion: `v${pkg.version}`,
          platform: `${process.platform}/${process.arch}`,
          goVersion: `node${process.versions.node}`,
        },
        ...(opts.client ? {} : { serverVersion: { gitVersion: KUBELET_VERSION, platform: 'linux/amd64' } }),
      };
      if (opts.output === 'json') env.out.out(toJson(info));
      else if (opts.output === 'yaml') env.out.out(toYaml(info));
      else {
        env.out.line(`Client Version: v${pkg.version}`);
        if (!opts.client) env.out.line(`Server Version: ${KUBELET_VERSION} (simulated)`);
      }
    });
}
