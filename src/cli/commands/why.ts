import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError, notFound } from '../../util/errors';
import { explainPod } from '../../scheduler/explain';
import { renderWhy } from '../../printers/why';
import { toJson, toYaml } from '../../printers/serialize';
import { intFlag } from '../flags';

/** `kubesim why POD|pod/NAME`: why the scheduler put a pod where it is, or nowhere. */
export function register(program: Command, env: CommandEnv): void {
  program
    .command('why')
    .description("Explain a pod's placement: each scheduler plugin's verdict and score per node")
    .argument('<pod>', 'POD or pod/NAME')
    .option('-o, --output <format>', 'Output format. One of: (json, yaml).')
    .option('--top <n>', 'How many of the best-scored nodes to show', '5')
    .addHelpText('after', '\nExamples:\n  kubesim why web-7d9f8c6b5-x2x9k\n  kubesim why pod/web-7d9f8c6b5-x2x9k -o json')
    .action((arg: string, opts: { output?: string; top: string }, cmd: Command) => {
      const top = intFlag(opts.top, 'top');
      if (opts.output && opts.output !== 'json' && opts.output !== 'yaml')
        throw new CliError(`unable to match a printer suitable for the output format "${opts.output}", allowed formats are: json,yaml`);
      let name = arg;
      const slash = arg.indexOf('/');
      if (slash >= 0) {
        const type = arg.slice(0, slash);
        if (type !== 'pod' && type !== 'pods' && type !== 'po') throw new CliError(`why explains pods, not ${type}`);
        name = arg.slice(slash + 1);
      }
      const g = globals(cmd, env);
      const namespace = g.namespace;
      withSession(
        g,
        (s) => {
          const pod = s.store.get('Pod', namespace, name);
          if (!pod) throw notFound('pods', name);
          const x = explainPod(s.store, pod);
          if ('error' in x) throw new CliError(x.error);
          if (opts.output) env.out.out(opts.output === 'json' ? toJson(x) : toYaml(x));
          else env.out.out(renderWhy(`${namespace}/${name}`, x, top));
        },
        { readOnly: true },
      );
    });
}
