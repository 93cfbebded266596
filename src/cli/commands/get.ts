import type { Command } from 'commander';
import { CliError, notFound } from '../../util/errors';
import { globals, withSession } from '../context';
import type { CommandEnv } from '../program';
import { parseResourceArgs, type ResourceRequest } from '../resource-args';
import { formatStructured, noResourcesFound, tableRows, tableRowsOf, validateOutputFormat } from '../../printers/output';
import { eventObject, inListOrder } from '../../api/kinds/event';
import { renderTable } from '../../printers/table';
import { matches, parseSelector, type Selector } from '../../api/labels';
import { matchesFields, parseFieldSelector } from '../../api/field-selector';
import { apiVersionOf, resourceName } from '../../api/registry';
import type { KObject } from '../../model/objects';
import type { Session } from '../../engine/session';
import { sortByJsonPath } from '../../printers/sort-by';
import { checkWatchable, parseRequestTimeout, watchResources } from '../get-watch';
import { addTemplateFlags } from '../flags';

export function register(program: Command, env: CommandEnv): void {
  const get = program
    .command('get')
    .description('Display one or many resources')
    .argument('[resource...]', 'TYPE[,TYPE] [NAME...] | TYPE/NAME ... | all')
    .option(
      '-o, --output <format>',
      'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, custom-columns, custom-columns-file, wide)',
    )
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--field-selector <selector>', 'Selector (field query) to filter on')
    .option('-A, --all-namespaces', 'List the requested object(s) across all namespaces')
    .option('--no-headers', "Don't print headers")
    .option('--show-labels', 'Show all labels as the last column')
    .option('-L, --label-columns <labels>', 'Labels to show as columns', (v: string, p: string[]) => [...p, ...v.split(',')], [])
    .option('--sort-by <path>', 'Sort list types using this field specification (JSONPath)')
    .option('--ignore-not-found', 'If the requested object does not exist the command will return exit code 0')
    .option('-w, --watch', 'After listing/getting the requested object, watch for changes (in virtual time; see --request-timeout)')
    .option('--watch-only', 'Watch for changes to the requested object(s), without listing/getting first.')
    .option('--output-watch-events', 'Output watch event objects when --watch or --watch-only is used.')
    .option('--request-timeout <duration>', 'With --watch: stop after this much virtual time (0: when nothing more is scheduled)', '0')
    .option('--show-kind', 'Show the resource type for the requested objects')
    .addHelpText(
      'after',
      "\nExamples:\n  kubesim get pods -o wide\n  kubesim get deploy,svc -l app=web\n  kubesim get pod web-0 -o jsonpath='{.status.podIP}'",
    )
    .action((resources: string[], opts, cmd: Command) => {
      const g = globals(cmd, env);
      validateOutputFormat(opts.output);
      const requests = parseResourceArgs(resources);
      const selector = opts.selector ? parseSelector(opts.selector) : undefined;
      if (opts.watch || opts.watchOnly) {
        checkWatchable(requests);
        const timeoutMs = parseRequestTimeout(opts.requestTimeout);
        const req = requests[0];
        const fields = opts.fieldSelector ? fieldSelectorFor(req, opts.fieldSelector) : [];
        const watchOpts = {
          namespace: opts.allNamespaces ? undefined : g.namespace,
          selector,
          fields,
          output: opts.output,
          allowMissingTemplateKeys: opts.allowMissingTemplateKeys,
          noHeaders: opts.headers === false,
          showLabels: opts.showLabels,
          labelColumns: opts.labelColumns,
          allNamespaces: !!opts.allNamespaces,
          watchOnly: !!opts.watchOnly,
          outputWatchEvents: !!opts.outputWatchEvents,
          timeoutMs,
        };
        withSession(g, (s) => watchResources(s, env.out, req, watchOpts));
        return;
      }
      let failed = false;
      withSession(
        g,
        (s) => {
          const namespace = opts.allNamespaces ? undefined : g.namespace;
          const only = requests.length === 1 ? requests[0] : undefined;
          if (only && !only.names.length && (!opts.output || opts.output === 'wide') && !opts.sortBy && !opts.showKind) {
            // one kind as a table: each object becomes a row as it is reached, in list order (a
            // 150k-pod cluster keeps ~750k events; a read-only command reads 150k pods from the
            // state file one by one), and only the rows are held
            const kind = only.info.kind;
            const listed = only.info.namespaced ? namespace : undefined;
            const source =
              kind === 'Event'
                ? (function* () {
                    for (const e of inListOrder(s.events(namespace === undefined ? {} : { namespace }))) yield eventObject(e);
                  })()
                : s.store.listOnce(kind, listed);
            const fields = opts.fieldSelector ? fieldSelectorFor(only, opts.fieldSelector) : [];
            const matching = function* (): IterableIterator<KObject> {
              for (const obj of source) if ((!selector || matches(selector, obj.metadata.labels)) && matchesFields(fields, obj)) yield obj;
            };
            const tableOpts = {
              output: opts.output,
              noHeaders: opts.headers === false,
              showLabels: opts.showLabels,
              labelColumns: opts.labelColumns,
              withNamespace: !!opts.allNamespaces,
            };
            const rows = tableRowsOf(only.info, matching(), { now: s.now, store: s.store }, tableOpts);
            if (rows.length > (tableOpts.noHeaders ? 0 : 1)) env.out.out(renderTable(rows));
            else env.out.errLine(noResourcesFound(kind === 'Event' || only.info.namespaced ? namespace : undefined));
            return;
          }
          const results: { req: ResourceRequest; objects: KObject[] }[] = [];
          for (const req of requests) {
            const objects: KObject[] = [];
            const fields = opts.fieldSelector ? fieldSelectorFor(req, opts.fieldSelector) : [];
            // events are not in the object store: looked up by name in their list
            const events = req.info.kind === 'Event' && req.names.length ? s.list('Event', namespace ?? g.namespace) : undefined;
            if (req.names.length) {
              for (const name of req.names) {
                const obj = events
                  ? events.find((e) => e.metadata.name === name)
                  : s.store.get(req.info.kind, req.info.namespaced ? (namespace ?? g.namespace) : undefined, name);
                if (!obj) {
                  if (!opts.ignoreNotFound) {
                    env.out.errLine(notFound(resourceName(req.info), name).message);
                    failed = true;
                  }
                } else objects.push(obj);
              }
            } else {
              for (const obj of s.list(req.info.kind, req.info.namespaced ? namespace : undefined)) {
                if (selector && !matches(selector, obj.metadata.labels)) continue;
                if (!matchesFields(fields, obj)) continue;
                objects.push(obj);
              }
            }
            results.push({ req, objects: sortObjects(objects, opts.sortBy, opts.output) });
          }
          printResults(s, env, results, { ...opts, namespace, selector, single: requests.length === 1 && requests[0].names.length === 1 });
        },
        { readOnly: true },
      );
      env.exitCode = failed ? 1 : 0;
    });
  addTemplateFlags(get);
}

/** --field-selector for one resource type (errors name it as the API server does: `/v1, Resource=pods`). */
function fieldSelectorFor(req: ResourceRequest, text: string) {
  const version = apiVersionOf(req.info);
  return parseFieldSelector(text, req.info.kind, `${version.includes('/') ? version : `/${version}`}, Resource=${req.info.plural}`);
}

function sortObjects(objects: KObject[], sortBy: string | undefined, output: string | undefined): KObject[] {
  if (!sortBy) return objects;
  return sortByJsonPath(objects, sortBy, { table: !output || output === 'wide' }) as KObject[];
}

interface PrintOpts {
  output?: string;
  allowMissingTemplateKeys?: boolean;
  headers?: boolean;
  showLabels?: boolean;
  labelColumns?: string[];
  allNamespaces?: boolean;
  namespace?: string;
  selector?: Selector;
  single: boolean;
  showKind?: boolean;
}

function printResults(s: Session, env: CommandEnv, results: { req: ResourceRequest; objects: KObject[] }[], opts: PrintOpts): void {
  const ctx = { now: s.now, store: s.store };
  const all = results.flatMap((r) => r.objects);
  const structured = formatStructured(all, opts.output, {
    single: opts.single,
    cwd: env.io.cwd,
    noHeaders: opts.headers === false,
    allowMissingTemplateKeys: opts.allowMissingTemplateKeys,
  });
  if (structured !== undefined) {
    env.out.out(structured);
    return;
  }
  if (!all.length) {
    if (!results.some((r) => r.req.names.length)) {
      const clusterScoped = results.every((r) => !r.req.info.namespaced);
      env.out.errLine(noResourcesFound(opts.allNamespaces || clusterScoped ? undefined : opts.namespace));
    }
    return;
  }
  const nonEmpty = results.filter((r) => r.objects.length);
  const withKind = opts.showKind || results.length > 1;
  nonEmpty.forEach((r, i) => {
    if (i > 0) env.out.out('\n');
    const rows = tableRows(r.objects, ctx, {
      output: opts.output,
      noHeaders: opts.headers === false,
      showLabels: opts.showLabels,
      labelColumns: opts.labelColumns,
      withNamespace: !!opts.allNamespaces,
      withKind,
    });
    env.out.out(renderTable(rows));
  });
}

export function requireName(names: string[], verb: string): string {
  if (!names.length) throw new CliError(`resource name may not be empty`);
  if (names.length > 1) throw new CliError(`${verb} takes a single name`);
  return names[0];
}
