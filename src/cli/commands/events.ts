import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { renderTable } from '../../printers/table';
import { eventRows } from '../../printers/events';
import { resolveType } from '../resource-args';
import { CliError } from '../../util/errors';
import { formatStructured, validateOutputFormat } from '../../printers/output';
import { eventObject } from '../../api/kinds/event';
import { followVirtualTime, parseRequestTimeout } from '../get-watch';
import { globalFlagsOf } from '../global-flags';
import type { Session } from '../../engine/session';
import type { StoredEvent } from '../../model/objects';
import { chunkSizeFlag, parseBoolFlag, templateFlags, withFlags, type PrintFlags } from '../flag-sets';
import { intFlag } from '../flags';

/** events' flags as commander parses them */
interface EventsOptions extends PrintFlags {
  allNamespaces?: boolean;
  for?: string;
  types?: string;
  headers: boolean;
  watch?: boolean;
  chunkSize: string;
}

export function register(program: Command, env: CommandEnv): void {
  const eventsCommand = program
    .command('events')
    .description('List events')
    .option('-A, --all-namespaces', 'If present, list the requested object(s) across all namespaces')
    .option('--for <object>', 'Filter events to only those pertaining to the specified resource (TYPE/NAME)')
    .option('--types <types>', 'Output only events of given types (Normal,Warning)')
    .option('--no-headers', "Don't print headers")
    .option(
      '-o, --output <format>',
      'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).',
    )
    .option('--show-managed-fields [bool]', 'If true, keep the managedFields when printing objects in JSON or YAML format.')
    .option('-w, --watch', 'After listing the requested events, watch for more events (in virtual time; see --request-timeout)')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim events\n  kubesim events --for pod/web-0\n  kubesim events --types=Warning -A\n  kubesim events -w --request-timeout 5m',
    )
    .action((opts: EventsOptions, cmd: Command) => {
      const g = globals(cmd, env);
      let filter: { kind?: string; name?: string } = {};
      if (opts.for) {
        const [type, name] = String(opts.for).split('/');
        if (!name) throw new CliError(`--for must be in resource/name form`);
        filter = { kind: resolveType(type).kind, name };
      }
      const types = opts.types ? String(opts.types).split(',') : undefined;
      validateOutputFormat(opts.output);
      intFlag(opts.chunkSize, 'chunk-size');
      const showManagedFields = parseBoolFlag(opts.showManagedFields, 'show-managed-fields');
      // the global --request-timeout bounds -w (kubectl events has no flag of its own by that name)
      const timeoutMs = parseRequestTimeout(globalFlagsOf(cmd).requestTimeout);
      withSession(
        g,
        (s) => {
          const list = () =>
            s
              .events({ ...(opts.allNamespaces ? {} : { namespace: g.namespace }), ...filter })
              .filter((e) => !types || types.includes(e.type));
          if (opts.watch) {
            watchEvents(
              s,
              list,
              timeoutMs,
              (events, header) => {
                if (opts.output)
                  env.out.out(
                    formatStructured(events.map(eventObject), opts.output, {
                      cwd: env.io.cwd,
                      noHeaders: !header,
                      allowMissingTemplateKeys: opts.allowMissingTemplateKeys,
                      showManagedFields,
                    }) ?? '',
                  );
                else env.out.out(renderTable(eventRows(events, s.now, { withNamespace: !!opts.allNamespaces, noHeaders: !header })));
              },
              opts.headers !== false,
            );
            return;
          }
          const events = list();
          if (opts.output) {
            env.out.out(
              formatStructured(events.map(eventObject), opts.output, {
                cwd: env.io.cwd,
                noHeaders: opts.headers === false,
                allowMissingTemplateKeys: opts.allowMissingTemplateKeys,
                showManagedFields,
              }) ?? '',
            );
            return;
          }
          if (!events.length) {
            env.out.errLine(opts.allNamespaces ? 'No events found.' : `No events found in ${g.namespace} namespace.`);
            return;
          }
          env.out.out(renderTable(eventRows(events, s.now, { withNamespace: !!opts.allNamespaces, noHeaders: opts.headers === false })));
        },
        { readOnly: !opts.watch },
      );
    });
  withFlags(eventsCommand, templateFlags, chunkSizeFlag);
}

/**
 * kubectl events --watch in virtual time: the events as listed, then each event recorded or
 * seen again (its count moved) as the clock steps from one wake-up to the next; later ones
 * print on their own (as kubectl flushes each), the header only above the first.
 */
function watchEvents(
  s: Session,
  list: () => StoredEvent[],
  timeoutMs: number,
  print: (events: StoredEvent[], header: boolean) => void,
  headers: boolean,
): void {
  s.engine.settle();
  const counts = new Map<string, number>();
  const key = (e: StoredEvent) => `${e.involved.namespace ?? ''}\u0000${e.seq}`;
  let header = headers;
  const show = (events: StoredEvent[]) => {
    if (!events.length) return;
    print(events, header);
    header = false;
  };
  const initial = list();
  for (const e of initial) counts.set(key(e), e.count);
  show(initial);
  followVirtualTime(s, timeoutMs, () => {
    for (const e of list()) {
      if (counts.get(key(e)) === e.count) continue;
      counts.set(key(e), e.count);
      show([e]);
    }
  });
}
