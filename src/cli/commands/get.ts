import { runRaw } from '../raw';
import type { Command } from 'commander';
import { CliError, notFound } from '../../util/errors';
import { globals, withSession, type Globals } from '../context';
import type { CommandEnv } from '../program';
import { parseResourceArgs, type ResourceRequest } from '../resource-args';
import {
  formatStructured,
  noResourcesFound,
  streamStructured,
  tableRows,
  tableRowsOf,
  validateOutputFormat,
  type OutputOptions,
  type Write,
} from '../../printers/output';
import { eventObject, inListOrder } from '../../api/kinds/event';
import { renderTable } from '../../printers/table';
import { matches, parseSelector, type Selector } from '../../api/labels';
import { matchesFields } from '../../api/field-selector';
import { kindInfoOfObject, resourceName, servedObject, type KindInfo } from '../../api/registry';
import { printDeprecation } from '../warnings';
import { nameColumn, ageColumn } from '../../api/kinds/common';
import { errorMessage } from '../../util/errors';
import type { KObject } from '../../model/objects';
import type { Session } from '../../engine/session';
import { onDemand } from '../../util/on-demand';
import { TABLE_ACCEPT, logRead, requestLogActive, unlogged, withRequestShape, type RequestShape } from '../../api/request-log';

/* eslint-disable @typescript-eslint/no-require-imports */
// only for --sort-by
const sorting = onDemand('printers/sort-by', () => require('../../printers/sort-by') as typeof import('../../printers/sort-by'));
// only for --subresource (it reads custom resources' scale paths through the CRD code)
const subresources = onDemand('cli/subresource', () => require('../subresource') as typeof import('../subresource'));
/* eslint-enable @typescript-eslint/no-require-imports */
import { checkWatchable, parseRequestTimeout, watchResources } from '../get-watch';
import { intFlag } from '../flags';
import { globalFlagsOf } from '../global-flags';
import { fieldSelectorFor, fileTargets, refuseArgsWithFiles, singleFileImplied } from '../resource-builder';
import {
  allNamespacesFlag,
  chunkSizeFlag,
  fieldSelectorFlag,
  fileNameFlags,
  hasFileNames,
  labelSelectorFlag,
  parseBoolFlag,
  printFlags,
  printOptions,
  withFlags,
  type FileNameOptions,
  type PrintOptions,
} from '../flag-sets';

/** get's flags as commander parses them */
interface GetFlags extends FileNameOptions {
  output?: string;
  showManagedFields?: string | boolean;
  selector?: string;
  fieldSelector?: string;
  allNamespaces?: boolean;
  headers?: boolean;
  showLabels?: boolean;
  labelColumns: string[];
  sortBy?: string;
  ignoreNotFound?: boolean;
  watch?: boolean;
  watchOnly?: boolean;
  outputWatchEvents?: boolean;
  showKind?: boolean;
  chunkSize: string;
  serverPrint?: string | boolean;
  subresource?: string;
  raw?: string;
}

/** What `kubesim get` was asked, read from its arguments and flags (Complete). */
interface GetRequest {
  requests: ResourceRequest[];
  print: PrintOptions;
  selector?: Selector;
  fieldSelector?: string;
  allNamespaces: boolean;
  /** one object asked for by name or by a one-object file: printed alone, not as a List */
  single: boolean;
  table: Omit<OutputOptions, 'output'>;
  sortBy?: string;
  showKind: boolean;
  ignoreNotFound: boolean;
  /** --subresource: each named object is read through it (a Scale for scale) */
  subresource?: string;
  watch?: { watchOnly: boolean; outputWatchEvents: boolean; timeoutMs: number };
  /** how kubectl shapes the requests (-v=6..9 logs them) */
  shape: RequestShape;
}

export function register(program: Command, env: CommandEnv): void {
  withFlags(
    program
      .command('get')
      .description('Display one or many resources')
      .argument('[resource...]', 'TYPE[,TYPE] [NAME...] | TYPE/NAME ... | all'),
    printFlags,
    fileNameFlags('identifying the resource to get from a server.'),
    labelSelectorFlag,
    fieldSelectorFlag,
    allNamespacesFlag,
    chunkSizeFlag,
  )
    .option('--no-headers', "Don't print headers")
    .option('--show-labels', 'Show all labels as the last column')
    .option('-L, --label-columns <labels>', 'Labels to show as columns', (v: string, p: string[]) => [...p, ...v.split(',')], [])
    .option('--sort-by <path>', 'Sort list types using this field specification (JSONPath)')
    .option('--ignore-not-found', 'If the requested object does not exist the command will return exit code 0')
    .option('-w, --watch', 'After listing/getting the requested object, watch for changes (in virtual time; see --request-timeout)')
    .option('--watch-only', 'Watch for changes to the requested object(s), without listing/getting first.')
    .option('--output-watch-events', 'Output watch event objects when --watch or --watch-only is used.')
    .option('--show-kind', 'Show the resource type for the requested objects')
    .option(
      '--server-print [bool]',
      "If true, have the server return the appropriate table output; false prints the client's generic NAME and AGE columns.",
      'true',
    )
    .option(
      '--subresource <subresource>',
      'If specified, gets the subresource of the requested object. This flag is beta and may change in the future.',
    )
    .option('--raw <uri>', 'Raw URI to request from the server.  Uses the transport specified by the kubeconfig file.')
    .addHelpText(
      'after',
      "\nExamples:\n  kubesim get pods -o wide\n  kubesim get deploy,svc -l app=web\n  kubesim get -f app.yaml\n  kubesim get pod web-0 -o jsonpath='{.status.podIP}'",
    )
    .action((resources: string[], opts: GetFlags, cmd: Command) => {
      const g = globals(cmd, env);
      if (opts.raw !== undefined) {
        // get.go Complete and Validate: --raw stands alone
        if (resources.length) throw new CliError('arguments may not be passed when --raw is specified');
        if (opts.watch || opts.watchOnly || opts.selector)
          throw new CliError('--raw may not be specified with other flags that filter the server request or alter the output');
        if (opts.output) throw new CliError('--raw and --output are mutually exclusive');
        runRaw('GET', opts.raw, g, env);
        return;
      }
      // the global --request-timeout bounds a watch, in virtual time (0: until nothing more is scheduled)
      const req = completeGet(resources, opts, g, env, globalFlagsOf(cmd).requestTimeout);
      if (req.watch) {
        checkWatchable(req.requests);
        const watched = req.requests[0];
        const watchOpts = {
          namespace: req.allNamespaces ? undefined : (watched.namespace ?? g.namespace),
          selector: req.selector,
          fields: req.fieldSelector ? fieldSelectorFor(watched.info, req.fieldSelector) : [],
          output: req.print.output,
          showManagedFields: req.print.showManagedFields,
          allowMissingTemplateKeys: req.print.allowMissingTemplateKeys,
          noHeaders: !!req.table.noHeaders,
          showLabels: req.table.showLabels,
          labelColumns: req.table.labelColumns,
          allNamespaces: req.allNamespaces,
          ...req.watch,
        };
        // the list (or the watch alone) is the list route's: its answer, even the watch's 405, carries the warning
        printDeprecation(env, watched.info);
        withSession(g, (s) => withRequestShape(req.shape, () => watchResources(s, env.out, watched, watchOpts)));
        return;
      }
      env.exitCode = withSession(g, (s) => withRequestShape(req.shape, () => runGet(s, env, req, g.namespace)), { readOnly: true }) ? 1 : 0;
    });
}

/** Complete + Validate: arguments or -f/-k/-R, and every flag checked before the cluster is read. */
function completeGet(resources: string[], opts: GetFlags, g: Globals, env: CommandEnv, requestTimeout: string): GetRequest {
  const print = printOptions(opts);
  validateOutputFormat(print.output);
  const chunkSize = intFlag(opts.chunkSize, 'chunk-size');
  const serverPrint = parseBoolFlag(opts.serverPrint, 'server-print');
  const files: FileNameOptions = { filename: opts.filename, kustomize: opts.kustomize, recursive: opts.recursive };
  let requests: ResourceRequest[];
  let single: boolean;
  if (!resources.length && !hasFileNames(files) && !opts.watch && !opts.watchOnly) {
    // get.go Complete: a hint on stderr, then cmdutil.UsageErrorf (kubectl v1.32 prints exactly this)
    env.out.errLine(
      'You must specify the type of resource to get. Use "kubesim api-resources" for a complete list of supported resources.\n',
    );
    throw new CliError(
      'Required resource not specified.\nUse "kubesim explain <resource>" for a detailed description of that resource (e.g. kubesim explain pods).\nSee \'kubesim get -h\' for help and examples',
    );
  }
  if (hasFileNames(files)) {
    refuseArgsWithFiles(resources);
    const targets = fileTargets(files, opts.selector, env.io, g);
    requests = [];
    for (const t of targets) {
      const same = requests.find((r) => r.info === t.info && r.namespace === t.namespace);
      if (same) same.names.push(t.name);
      else requests.push({ info: t.info, names: [t.name], namespace: t.namespace });
    }
    single = targets.length === 1 && singleFileImplied(files, env.io.cwd);
  } else {
    requests = parseResourceArgs(resources);
    single = requests.length === 1 && requests[0].names.length === 1;
  }
  const watching = opts.watch || opts.watchOnly;
  const subresource = opts.subresource ? subresources().parseGetSubresource(opts.subresource) : undefined;
  // the builder refuses a subresource for a list (a type with no names, or -l)
  if (subresource && !watching && requests.some((r) => !r.names.length)) throw new CliError(subresources().BULK_SUBRESOURCE);
  return {
    requests,
    print,
    selector: opts.selector ? parseSelector(opts.selector) : undefined,
    fieldSelector: opts.fieldSelector,
    allNamespaces: !!opts.allNamespaces,
    single,
    table: {
      noHeaders: opts.headers === false,
      showLabels: opts.showLabels,
      labelColumns: opts.labelColumns,
      withNamespace: !!opts.allNamespaces,
      genericColumns: !serverPrint,
    },
    sortBy: opts.sortBy,
    showKind: !!opts.showKind,
    ignoreNotFound: !!opts.ignoreNotFound,
    subresource,
    watch: watching
      ? { watchOnly: !!opts.watchOnly, outputWatchEvents: !!opts.outputWatchEvents, timeoutMs: parseRequestTimeout(requestTimeout) }
      : undefined,
    shape: getRequestShape(opts, print, serverPrint, chunkSize, !!watching),
  };
}

/**
 * get.go: a human-readable printer (no -o, or -o wide) with --server-print asks for a Table
 * (transformRequests), with includeObject=Object when sorting; --sort-by lists in one chunk
 * (chunkSize 0: no limit); the builder's list carries -l and --field-selector.
 */
function getRequestShape(opts: GetFlags, print: PrintOptions, serverPrint: boolean, chunkSize: number, watching: boolean): RequestShape {
  const humanReadable = !print.output || print.output === 'wide';
  const table = humanReadable && serverPrint;
  const sort = !!opts.sortBy && !watching;
  const limit = sort ? 0 : chunkSize;
  return {
    accept: table ? TABLE_ACCEPT : undefined,
    listQuery: {
      labelSelector: opts.selector || undefined,
      fieldSelector: opts.fieldSelector || undefined,
      limit: limit > 0 ? String(limit) : undefined,
      includeObject: table && sort ? 'Object' : undefined,
    },
  };
}

/** Run: lists or looks up the objects and prints them; returns whether a named object was missing. */
function runGet(s: Session, env: CommandEnv, req: GetRequest, currentNamespace: string): boolean {
  const namespace = req.allNamespaces ? undefined : currentNamespace;
  // a deprecated version's warning comes with each response (kubectl prints it as it arrives)
  // (kubectl's warning writer prints each text once)
  for (const r of req.requests) printDeprecation(env, r.info);
  const { selector } = req;
  const only = req.requests.length === 1 ? req.requests[0] : undefined;
  if (
    only &&
    !only.names.length &&
    !req.subresource &&
    (!req.print.output || req.print.output === 'wide') &&
    !req.sortBy &&
    !req.showKind
  ) {
    // one kind as a table: each object becomes a row as it is reached, in list order (a
    // 150k-pod cluster keeps ~750k events; a read-only command reads 150k pods from the
    // state file one by one), and only the rows are held
    const kind = only.info.kind;
    const printCtx = { now: s.now, store: s.store, version: only.version };
    // a kind whose table the server orders otherwise (FlowSchemas by precedence) needs all its rows first
    const matching = printedPods(s, only, namespace, req) ?? listed(s, only, namespace, req);
    const ordered = only.info.tableOrder ? only.info.tableOrder([...matching]) : matching;
    const rows = tableRowsOf(only.info, ordered, printCtx, { ...req.table, output: req.print.output });
    if (rows.length > (req.table.noHeaders ? 0 : 1)) env.out.out(renderTable(rows));
    else env.out.errLine(noResourcesFound(kind === 'Event' || only.info.namespaced ? namespace : undefined));
    return false;
  }
  if (req.requests.every((r) => !r.names.length) && !req.subresource && !req.sortBy && !req.single) {
    // lists printed as one List (-o yaml|json|name…): each object is printed as it is read and
    // dropped (150k pods' YAML is ~0.5 GB of text); a read-only session's output goes straight out
    const out = streamedOutput(s, env);
    // (-o name prints a pod's kind and name: those the store has not read come from their rows' columns, no text parsed)
    const byName = req.print.output === 'name';
    const objects = (function* () {
      for (const r of req.requests) yield* (byName && printedPods(s, r, namespace, req)) || listed(s, r, namespace, req);
    })();
    const opts = {
      cwd: env.io.cwd,
      noHeaders: req.table.noHeaders,
      showManagedFields: req.print.showManagedFields,
      allowMissingTemplateKeys: req.print.allowMissingTemplateKeys,
    };
    if (streamStructured(objects, req.print.output, opts, out.write)) {
      out.end();
      return false;
    }
  }
  const table = !req.print.output || req.print.output === 'wide';
  if (req.sortBy && req.requests.every((r) => !r.names.length && !(table && r.info.tableOrder)) && !req.subresource && !req.single) {
    // --sort-by: each object read once for its sort key and dropped, then read again in the
    // sorted order as it is printed (150k pods are not held: their keys and row ids are)
    const results = req.requests.map((r) => {
      const again: (() => KObject)[] = [];
      const keyed = (function* () {
        for (const listedObject of listedRereadable(s, r, namespace, req)) {
          again.push(listedObject.again);
          yield listedObject.obj;
        }
      })();
      const order = sorting().sortOrderByJsonPath(keyed, req.sortBy!, { table });
      return { req: r, objects: new Reread(order.map((i) => again[i])) };
    });
    printResults(s, env, results, req, namespace);
    return false;
  }
  let failed = false;
  const results: { req: ResourceRequest; objects: KObject[] }[] = [];
  for (const r of req.requests) {
    const objects: KObject[] = [];
    const fields = req.fieldSelector ? fieldSelectorFor(r.info, req.fieldSelector) : [];
    const namedIn = r.namespace ?? namespace ?? currentNamespace;
    // events are not in the object store: looked up by name in their list
    // (read unlogged: kubectl GETs each named event, logged below)
    // (and a resource with no storage makes its objects for each request: found in its list too)
    const events =
      (r.info.kind === 'Event' || r.info.computed) && r.names.length
        ? unlogged(() => s.list(r.info.kind, r.info.namespaced ? namedIn : undefined))
        : undefined;
    if (r.names.length) {
      for (const name of r.names) {
        const obj = events
          ? logged(
              events.find((e) => e.metadata.name === name),
              (found) => logRead(r.info.kind, r.info.namespaced ? namedIn : undefined, name, found),
            )
          : s.store.get(r.info.kind, r.info.namespaced ? namedIn : undefined, name);
        if (!obj) {
          const missing = r.info.computed ? r.info.missing?.(name) : undefined;
          if (missing || !req.ignoreNotFound) {
            env.out.errLine((missing ?? notFound(resourceName(r.info), name)).message);
            failed = true;
          }
        } else if (req.subresource) {
          try {
            objects.push(
              subresources().subresourceView(
                servedObject(r.info, obj, { now: s.now, store: s.store, version: r.version }),
                req.subresource,
              ),
            );
          } catch (e) {
            // the server's 404 for a subresource the kind does not serve (ContinueOnError)
            env.out.errLine(errorMessage(e));
            failed = true;
          }
        } else objects.push(obj);
      }
    } else {
      for (const obj of s.list(r.info.kind, r.info.namespaced ? namespace : undefined)) {
        if (selector && !matches(selector, obj.metadata.labels)) continue;
        if (!matchesFields(fields, obj)) continue;
        objects.push(obj);
      }
    }
    const served = req.subresource
      ? objects
      : objects.map((o) => servedObject(r.info, o, { now: s.now, store: s.store, version: r.version }));
    results.push({ req: r, objects: sortObjects(r.info, served, req.sortBy, req.print.output) });
  }
  printResults(s, env, results, req, namespace);
  return failed;
}

/**
 * The objects a list request names, as the server serves them, each read as it is reached (a
 * read-only session reads them from the state file one by one and keeps none), in list order.
 */
function* listed(s: Session, r: ResourceRequest, namespace: string | undefined, req: GetRequest): IterableIterator<KObject> {
  for (const { obj } of listedRereadable(s, r, namespace, req)) yield obj;
}

/** The fields a pod read for a table (pod-print.ts `podPrintPod`) has, for --field-selector */
const PRINTED_POD_FIELDS = new Set(['metadata.name', 'metadata.namespace', 'status.phase', 'spec.nodeName', 'status.podIP']);

/**
 * listed for a pod table: pods the store has not read come as the printer reads them, from
 * their rows' print columns (no pod text parsed); `spec.nodeName=` selects in SQLite.
 * undefined when the pods are read as objects.
 */
function printedPods(s: Session, r: ResourceRequest, namespace: string | undefined, req: GetRequest): Iterable<KObject> | undefined {
  if (r.info.kind !== 'Pod' || r.info.computed) return undefined;
  const fields = req.fieldSelector ? fieldSelectorFor(r.info, req.fieldSelector) : [];
  if (!fields.every((f) => PRINTED_POD_FIELDS.has(f.field))) return undefined;
  // (`spec.nodeName=` selects the unbound pods: NULL in the column)
  const onNode = fields.find((f) => f.field === 'spec.nodeName' && f.op === '=' && f.value !== '');
  const source = s.store.listPrinted('Pod', namespace, onNode?.value);
  if (!source) return undefined;
  const { selector } = req;
  const printCtx = { now: s.now, store: s.store, version: r.version };
  return (function* () {
    for (const pod of source)
      if ((!selector || matches(selector, pod.metadata.labels)) && matchesFields(fields, pod)) yield servedObject(r.info, pod, printCtx);
  })();
}

/** listed, each object with a way to read it (as served) again: an event from its record, a row by its id */
function* listedRereadable(
  s: Session,
  r: ResourceRequest,
  namespace: string | undefined,
  req: GetRequest,
): IterableIterator<{ obj: KObject; again: () => KObject }> {
  const kind = r.info.kind;
  const listedIn = r.info.namespaced ? namespace : undefined;
  const source: Iterable<{ obj: KObject; again: () => KObject }> =
    kind === 'Event' && !s.store.count('Event')
      ? (function* () {
          // events are kept outside the object store: their list request is logged here
          const seen: KObject[] | undefined = requestLogActive() ? [] : undefined;
          for (const e of inListOrder(s.events(namespace === undefined ? {} : { namespace }))) {
            const event = eventObject(e);
            seen?.push(event);
            yield { obj: event, again: () => eventObject(e) };
          }
          if (seen) logRead('Event', namespace, undefined, seen);
        })()
      : r.info.computed || kind === 'Event'
        ? (function* () {
            for (const obj of s.list(kind, listedIn)) yield { obj, again: () => obj };
          })()
        : s.store.listOnceRereadable(kind, listedIn);
  const fields = req.fieldSelector ? fieldSelectorFor(r.info, req.fieldSelector) : [];
  const printCtx = { now: s.now, store: s.store, version: r.version };
  const served = (again: () => KObject) => () => servedObject(r.info, again(), printCtx);
  for (const { obj, again } of source)
    if ((!req.selector || matches(req.selector, obj.metadata.labels)) && matchesFields(fields, obj))
      yield { obj: servedObject(r.info, obj, printCtx), again: served(again) };
}

/** Objects held as a way to read each again, in the order given; read anew each time iterated. */
class Reread implements Iterable<KObject> {
  constructor(readonly again: (() => KObject)[]) {}

  get length(): number {
    return this.again.length;
  }

  *[Symbol.iterator](): IterableIterator<KObject> {
    for (const read of this.again) yield read();
  }
}

/** Output block size: the text of ~20 pods per write, not one write (or one string) per pod. */
const STREAM_BLOCK = 64 * 1024;

/**
 * Where a streamed list goes. A read-only session saves nothing, so its output goes to stdout as
 * it is made (after what the command wrote before: warnings); any other waits for the commit,
 * kept in blocks rather than as one string.
 */
function streamedOutput(s: Session, env: CommandEnv): { write: Write; end: () => void } {
  let pending = '';
  const direct = s.readOnly;
  if (direct) env.out.flushTo(env.io);
  const flush = () => {
    if (!pending) return;
    if (direct) env.io.out(pending);
    else env.out.out(pending);
    pending = '';
  };
  return {
    write: (text) => {
      pending += text;
      if (pending.length >= STREAM_BLOCK) flush();
    },
    end: flush,
  };
}

/** `value`, after telling `log` of it */
function logged<T>(value: T, log: (value: T) => void): T {
  log(value);
  return value;
}

function sortObjects(info: KindInfo, objects: KObject[], sortBy: string | undefined, output: string | undefined): KObject[] {
  const table = !output || output === 'wide';
  // the server's table rows come in its order (KindInfo.tableOrder); --sort-by then sorts them
  const rows = table && info.tableOrder ? info.tableOrder(objects) : objects;
  if (!sortBy) return rows;
  return sorting().sortByJsonPath(rows, sortBy, { table }) as KObject[];
}

function printResults(
  s: Session,
  env: CommandEnv,
  results: { req: ResourceRequest; objects: KObject[] | Reread }[],
  req: GetRequest,
  namespace: string | undefined,
): void {
  const ctx = { now: s.now, store: s.store };
  const all: KObject[] | Reread = results.every((r) => Array.isArray(r.objects))
    ? results.flatMap((r) => r.objects as KObject[])
    : new Reread(results.flatMap((r) => (r.objects instanceof Reread ? r.objects.again : r.objects.map((o) => () => o))));
  // get.go printGeneric: a single item implied (one name) that failed returns its error alone, no empty List
  if (req.single && !all.length) return;
  const opts = {
    cwd: env.io.cwd,
    noHeaders: req.table.noHeaders,
    showManagedFields: req.print.showManagedFields,
    allowMissingTemplateKeys: req.print.allowMissingTemplateKeys,
  };
  if (!req.single) {
    // a List (sorted, or of named objects) is held, but its text is written item by item too
    const out = streamedOutput(s, env);
    if (streamStructured(all, req.print.output, opts, out.write)) {
      out.end();
      return;
    }
  }
  const structured = formatStructured([...all], req.print.output, { ...opts, single: req.single });
  if (structured !== undefined) {
    env.out.out(structured);
    return;
  }
  if (!all.length) {
    if (!results.some((r) => r.req.names.length)) {
      const clusterScoped = results.every((r) => !r.req.info.namespaced);
      env.out.errLine(noResourcesFound(req.allNamespaces || clusterScoped ? undefined : namespace));
    }
    return;
  }
  const withKind = req.showKind || results.length > 1;
  results
    .filter((r) => r.objects.length)
    .forEach((r, i) => {
      if (i > 0) env.out.out('\n');
      const opts = { ...req.table, output: req.print.output, withKind };
      const objects = r.objects;
      env.out.out(
        renderTable(
          objects instanceof Reread
            ? tableRowsOf(kindInfoOfObject(objects.again[0]())!, objects, ctx, opts)
            : objects[0].kind === 'Scale'
              ? tableRowsOf(scaleTable(r.req.info), objects, ctx, opts)
              : tableRows(objects, ctx, opts),
        ),
      );
    });
}

/** autoscaling/v1 Scale, as the --subresource=scale view builds it */
type ScaleObject = KObject<{ replicas?: number }, { replicas?: number }>;

/** The API server's table of a Scale (printersinternal scaleColumnDefinitions: Name, Desired, Available, Age) */
function scaleTable(owner: KindInfo): KindInfo {
  return {
    ...owner,
    columns: [
      nameColumn,
      { header: 'DESIRED', value: (o: ScaleObject) => String(o.spec?.replicas ?? 0) },
      { header: 'AVAILABLE', value: (o: ScaleObject) => String(o.status?.replicas ?? 0) },
      ageColumn,
    ],
  };
}

export function requireName(names: string[], verb: string): string {
  if (!names.length) throw new CliError(`resource name may not be empty`);
  if (names.length > 1) throw new CliError(`${verb} takes a single name`);
  return names[0];
}
