import { checkRawUri, runRaw } from '../raw';
import { noResourcesFound } from '../../printers/output';
import type { Command } from 'commander';
import { ApiError, CliError, errorMessage, notFound } from '../../util/errors';
import { globals, withSession } from '../context';
import type { CommandEnv } from '../program';
import { parseResourceArgs } from '../resource-args';
import { fileErrors, loadManifestFiles } from '../manifests';
import { matchesFields } from '../../api/field-selector';
import { fieldSelectorFor } from '../resource-builder';
import {
  allNamespacesFlag,
  deleteFlags,
  dryRunFlag,
  fieldSelectorFlag,
  fileNameFlags,
  labelSelectorFlag,
  withFlags,
  type DeleteFlags,
  type FileNameOptions,
  type SelectorFlags,
} from '../flag-sets';
import { kindForManifest, targetNamespace, wrapApplyError } from '../apply-object';
import { NO_RESOURCES } from '../object-edit';
import { printDeprecation } from '../warnings';
import { deleteObject, type PropagationPolicy } from '../../api/server';
import { checkVerb, qualifiedKind, qualifiedName, resourceName, type KindInfo } from '../../api/registry';
import { matches, parseSelector } from '../../api/labels';
import { dryRunSuffix, intFlag, parseDryRun } from '../flags';
import type { Session } from '../../engine/session';

/** delete's flags as commander parses them */
interface DeleteOptions extends FileNameOptions, SelectorFlags, DeleteFlags {
  dryRun?: string;
  ignoreNotFound?: boolean;
  interactive?: boolean;
  output?: string;
  raw?: string;
}

export function register(program: Command, env: CommandEnv): void {
  withFlags(
    program
      .command('delete')
      .description('Delete resources by file names, stdin, resources and names, or by resources and label selector')
      .argument('[resource...]', 'TYPE NAME... | TYPE/NAME...'),
    fileNameFlags('containing the resource to delete.'),
    labelSelectorFlag,
    fieldSelectorFlag,
    allNamespacesFlag,
    deleteFlags({ now: true, wait: true }),
    dryRunFlag,
  )
    .option('--all', 'Delete all resources, in the namespace of the specified resource types')
    .option('--ignore-not-found', 'Treat "resource not found" as a successful delete')
    .option('-i, --interactive', 'If true, delete resource only when user confirms.')
    .option('-o, --output <format>', 'Output mode. Use "-o name" for shorter output')
    .option('--raw <uri>', 'Raw URI to DELETE to the server.  Uses the transport specified by the kubeconfig file.')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim delete pod web-7d4b9c8f6d-x2k9p\n  kubesim delete -f app.yaml\n  kubesim delete pods -l app=web',
    )
    .action((resources: string[], opts: DeleteOptions, cmd: Command) => runDelete(env, cmd, resources, opts));
}

/** delete.go Complete, Validate and Run: the objects named (or selected, or in the files) deleted, then waited for */
function runDelete(env: CommandEnv, cmd: Command, resources: string[], opts: DeleteOptions): void {
  const g = globals(cmd, env);
  if (opts.raw !== undefined) {
    // delete.go: --raw sends the -f file, if one is given, as the DeleteOptions body
    checkRawUri(opts.raw);
    if (opts.filename.length > 1) throw new CliError('--raw can only use a single local file or stdin');
    runRaw('DELETE', opts.raw, g, env, opts.filename[0]);
    return;
  }
  const dryRun = parseDryRun(opts.dryRun);
  if (opts.all && (opts.selector || opts.fieldSelector)) throw new CliError("setting 'all' parameter but found a non empty selector. ");
  let grace = intFlag(opts.gracePeriod, 'grace-period');
  if (opts.now && grace !== -1) throw new CliError('--now and --grace-period cannot be specified together');
  if (opts.now) grace = 1;
  if (opts.force && grace > 0) throw new CliError('--force and --grace-period greater than 0 cannot be specified together');
  if (opts.force && grace < 0) grace = 0;
  if (grace === 0 && !opts.force) grace = 1; // kubectl: --grace-period=0 without --force means 1
  if (opts.force)
    env.out.errLine(
      'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.',
    );
  const propagationPolicy = cascadePolicy(opts.cascade === true ? 'background' : String(opts.cascade), (line) => env.out.errLine(line));
  // source: the file a target came from (-f), which kubectl's errors name
  const targets: { info: KindInfo; namespace?: string; name: string; source?: string }[] = [];
  const hasFiles = opts.filename.length > 0 || opts.kustomize !== undefined;
  if (hasFiles && resources.length)
    throw new CliError('there is no need to specify a resource type as a separate argument when passing arguments in resource/name form');
  let failed = false;
  const files = hasFiles ? loadManifestFiles(opts.filename, { recursive: opts.recursive, kustomize: opts.kustomize, io: env.io }) : [];
  if (!hasFiles && !resources.length) throw new CliError(NO_RESOURCES);
  const requests = hasFiles ? [] : parseResourceArgs(resources);
  if (!hasFiles && requests.some((r) => !r.names.length) && !opts.all && !opts.selector && !opts.fieldSelector) {
    throw new CliError(`resource(s) were provided, but no name was specified`);
  }
  withSession(
    g,
    (s) => {
      for (const file of files) {
        for (const msg of fileErrors(file)) {
          failed = true;
          env.out.errLine(`error: ${msg}`);
        }
        for (const m of file.manifests) {
          const info = kindForManifest(m);
          targets.push({
            info,
            namespace: targetNamespace(info, m.object, g.namespace, g.namespaceExplicit),
            name: m.object.metadata.name,
            source: m.source,
          });
        }
      }
      if (hasFiles && !targets.length && !failed) env.out.errLine('No resources found');
      const selector = opts.selector ? parseSelector(opts.selector) : undefined;
      const fieldsOf = (info: KindInfo) => (opts.fieldSelector ? fieldSelectorFor(info, opts.fieldSelector) : []);
      for (const req of requests) {
        const ns = req.info.namespaced ? g.namespace : undefined;
        if (req.names.length) for (const name of req.names) targets.push({ info: req.info, namespace: ns, name });
        else {
          // (a computed kind's objects are listed by its handler: componentstatuses' list answers, with
          // the deprecation warning, and its delete is refused, without: the DELETE has no route)
          printDeprecation(env, req.info);
          const found = s
            .list(req.info.kind, req.info.namespaced && !opts.allNamespaces ? ns : undefined)
            .filter((o) => (!selector || matches(selector, o.metadata.labels)) && matchesFields(fieldsOf(req.info), o));
          for (const o of found) targets.push({ info: req.info, namespace: o.metadata.namespace, name: o.metadata.name });
          if (!found.length) env.out.errLine(noResourcesFound(req.info.namespaced && !opts.allNamespaces ? ns : undefined));
        }
      }
      const deleted: ((typeof targets)[number] & { uid?: string })[] = [];
      if (opts.interactive && !confirmDeletion(env, targets)) return;
      for (const t of targets) {
        try {
          // kubectl sends the DELETE without reading the object first: a resource without delete answers 405, not NotFound
          checkVerb(t.info, 'delete');
          const exists = s.store.get(t.info.kind, t.namespace, t.name);
          if (!exists) {
            if (opts.ignoreNotFound) continue;
            throw notFound(resourceName(t.info), t.name);
          }
          const gone = deleteObject(s.api, t.info.kind, t.namespace, t.name, {
            gracePeriodSeconds: grace >= 0 ? grace : undefined,
            dryRun: dryRun !== 'none',
            propagationPolicy,
            admit: true,
          });
          deleted.push({ ...t, uid: gone.metadata.uid });
          env.out.line(
            opts.output === 'name'
              ? qualifiedName(t.info, t.name)
              : `${qualifiedKind(t.info)} "${t.name}" ${grace === 0 ? 'force deleted' : 'deleted'}${dryRunSuffix(dryRun)}`,
          );
        } catch (e) {
          failed = true;
          // delete.go deleteResource: cmdutil.AddSourceToErr("deleting", info.Source, err)
          const error = t.source ? wrapApplyError(e, 'deleting', t.source) : e;
          env.out.errLine(error instanceof ApiError ? error.message : `error: ${errorMessage(error)}`);
        }
      }
      if (dryRun === 'none' && opts.wait !== 'false' && opts.wait !== false) {
        // delete.go: the wait's error (IsDeleted until --timeout, a week when 0) after the deletions are made
        for (const t of waitUntilGone(s, deleted)) {
          failed = true;
          env.out.errLine(`error: timed out waiting for the condition on ${t.info.plural}/${t.name}`);
        }
      }
    },
    { dryRun: dryRun !== 'none' },
  );
  env.exitCode = failed ? 1 : 0;
}

/** --interactive: the list of what would go, and a y/n answer read from stdin (anything but y cancels). */
function confirmDeletion(env: CommandEnv, targets: { info: KindInfo; name: string }[]): boolean {
  env.out.line(`You are about to delete the following ${targets.length} resource(s):`);
  for (const t of targets) env.out.line(qualifiedName(t.info, t.name));
  env.out.out('Do you want to continue? (y/n): ');
  const answer = env.io.readStdin().split('\n')[0].trim().toLowerCase();
  if (answer === 'y') return true;
  env.out.line('deletion is cancelled');
  return false;
}

/** kubectl's --cascade: background (the default), foreground or orphan; the old booleans still work, with a warning. */
export function cascadePolicy(value: string, warn: (line: string) => void): PropagationPolicy {
  switch (value) {
    case 'background':
      return 'Background';
    case 'foreground':
      return 'Foreground';
    case 'orphan':
      return 'Orphan';
    case 'true':
    case 'false':
      warn(
        `warning: --cascade=${value} is deprecated (boolean value) and can be replaced with --cascade=${value === 'true' ? 'background' : 'orphan'}.`,
      );
      return value === 'true' ? 'Background' : 'Orphan';
    default:
      throw new CliError(`invalid cascade value (${value}). Must be "background", "foreground", or "orphan".`);
  }
}

/**
 * --wait: jump virtual time until the deleted objects are really gone (Terminating pods finish).
 * Returns those still there when nothing is left to happen (a finalizer no controller removes, a
 * pod on a dead node), which kubectl would wait on until its timeout. Gone is by uid, as
 * kubectl wait's IsDeleted checks it: an object made again under the name (kube-root-ca.crt
 * by its publisher) is a new one (`uid`: the deleted object's, when the caller knows it).
 */
export function waitUntilGone<T extends { info: KindInfo; namespace?: string; name: string; uid?: string }>(s: Session, targets: T[]): T[] {
  const limit = s.now + 3600_000;
  s.engine.settle();
  const left = () =>
    targets.filter((t) => {
      const obj = s.store.get(t.info.kind, t.namespace, t.name);
      // (one made again under the name, kube-root-ca.crt by its publisher, has a new uid and is not being deleted)
      return obj !== undefined && (t.uid === undefined || (obj.metadata.uid === t.uid && !!obj.metadata.deletionTimestamp));
    });
  let still = left();
  // nothing left to happen: stop rather than jump ahead
  while (still.length && s.engine.pendingWakeup() !== undefined && s.engine.step(limit)) still = left();
  return still;
}
