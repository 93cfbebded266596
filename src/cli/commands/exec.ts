import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError } from '../../util/errors';
import { containerInstance, keepExecWrites } from '../exec-target';
import { onDemand } from '../../util/on-demand';
import { EXEC_WRITES_MAX_BYTES } from '../../sim/exec-writes';

const runtime = onDemand(
  'sim/container-runtime',
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  () => require('../../sim/container-runtime') as typeof import('../../sim/container-runtime'),
);

interface ExecFlags {
  container?: string;
  stdin?: boolean;
  tty?: boolean;
  quiet?: boolean;
  filename?: string;
  podRunningTimeout?: string;
}

/**
 * `kubesim exec POD [-c C] -- CMD ARGS…`: runs a command line in the container's simulated
 * shell, against its files as they are now, printing its output and exiting with its status as
 * kubectl does ("command terminated with exit code N"). What it writes stays for the container
 * instance (later execs and exec probes see it; a restart loses it).
 */
export function register(program: Command, env: CommandEnv): void {
  program
    .command('exec')
    .description('Execute a command in a container (in its simulated shell)')
    .argument('[args...]', 'POD or TYPE/NAME, then -- and the command')
    .option('-c, --container <name>', 'Container name. If omitted, the default-container annotation or the first container in the pod')
    .option('-i, --stdin', 'Pass stdin to the container')
    .option('-t, --tty', 'Stdin is a TTY')
    .option('-q, --quiet', 'Only print output from the remote session')
    .option('-f, --filename <file>', 'to use to exec into the resource')
    .option('--pod-running-timeout <duration>', 'The length of time to wait until at least one pod is running', '1m0s')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim exec web-0 -- cat /etc/hostname\n  kubesim exec deploy/web -c app -- env\n  kubesim exec web-0 -- sh -c "ls /data"',
    )
    .action((args: string[], opts: ExecFlags, cmd: Command) => {
      const g = globals(cmd, env);
      const target = args[0];
      const argv = args.slice(1);
      if (!target) throw new CliError("pod, type/name or --filename must be specified\nSee 'kubesim exec -h' for help and examples");
      if (!argv.length)
        throw new CliError("you must specify at least one command for the container\nSee 'kubesim exec -h' for help and examples");
      const stdin = opts.stdin ? env.io.readStdin() : '';
      const result = withSession(
        g,
        (s) => {
          const instance = containerInstance(s.store, target, g.namespace, opts, (line) => env.out.errLine(line));
          return { ...runtime().execInContainer(instance, argv, s.now, s.store, stdin), instance };
        },
        { readOnly: true },
      );
      if (result.writes) keepExecWrites(g, result.instance, result.writes);
      if (result.stdout) env.out.out(result.stdout);
      if (result.stderr) env.out.err(result.stderr);
      if (result.overLimit)
        env.out.errLine(
          `Warning: kubesim keeps at most ${EXEC_WRITES_MAX_BYTES / 1024 / 1024}MiB of files written by exec per pod; what this command wrote is not kept`,
        );
      if (result.code !== 0) {
        env.out.errLine(`command terminated with exit code ${result.code}`);
        env.exitCode = result.code;
      }
    });
}
