import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { renderTable } from '../../printers/table';
import { eventRows } from '../../printers/events';
import { resolveType } from '../resource-args';
import { CliError } from '../../util/errors';
import { formatStructured, validateOutputFormat } from '../../printers/output';
import { eventObject } from '../../api/kinds/event';

export function register(program: Command, env: CommandEnv): void {
  program
    .command('events')
    .description('List events')
    .option('-A, --all-namespaces', 'If present, list the requested object(s) across all namespaces')
    .option('--for <object>', 'Filter events to only those pertaining to the specified resource (TYPE/NAME)')
    .option('--types <types>', 'Output only events of given types (Normal,Warning)')
    .option('--no-headers', "Don't print headers")
    .option('-o, --output <format>', 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).')
    .addHelpText('after', '\nExamples:\n  kubesim events\n  kubesim events --for pod/web-0\n  kubesim events --types=Warning -A')
    .action((opts, cmd: Command) => {
      const g = globals(cmd, env);
      let filter: { kind?: string; name?: string } = {};
      if (opts.for) {
        const [type, name] = String(opts.for).split('/');
        if (!name) throw new CliError(`--for must be in resource/name form`);
        filter = { kind: resolveType(type).kind, name };
      }
      const types = opts.types ? String(opts.types).split(',') : undefined;
      validateOutputFormat(opts.output);
      withSession(g, (s) => {
        const events = s.events({ ...(opts.allNamespaces ? {} : { namespace: g.namespace }), ...filter }).filter((e) => !types || types.includes(e.type));
        if (opts.output) {
          env.out.out(formatStructured(events.map(eventObject), opts.output, { cwd: env.io.cwd, noHeaders: opts.headers === false }) ?? '');
          return;
        }
        if (!events.length) {
          env.out.errLine(opts.allNamespaces ? 'No events found.' : `No events found in ${g.namespace} namespace.`);
          return;
        }
        env.out.out(renderTable(eventRows(events, s.now, { withNamespace: !!opts.allNamespaces, noHeaders: opts.headers === false })));
      });
    });
}
