import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { parseDuration, toRFC3339 } from '../../util/duration';
import { CliError } from '../../util/errors';

export function register(program: Command, env: CommandEnv): void {
  const clock = program
    .command('clock')
    .description("Show or move the cluster's virtual clock")
    .addHelpText('after', '\nExamples:\n  kubesim clock\n  kubesim clock advance 90s\n  kubesim clock advance 1h30m')
    .action((_opts, cmd: Command) => {
      withSession(globals(cmd, env), (s) => env.out.line(`${toRFC3339(s.now)} (${s.clockMode} clock)`), { readOnly: true });
    });
  clock
    .command('advance')
    .description('Move virtual time forward, running everything that falls due on the way')
    .argument('<duration>', 'how far: 500ms, 90s, 2m, 1h30m')
    .action((duration: string, _opts, cmd: Command) => {
      const ms = parseDuration(duration, 'duration');
      if (ms < 0) throw new CliError('the clock cannot go backwards');
      withSession(globals(cmd, env), (s) => {
        s.advance(ms);
        env.out.line(toRFC3339(s.now));
      });
    });
}
