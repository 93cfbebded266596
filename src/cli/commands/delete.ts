import { noResourcesFound } from '../../printers/output';
import type { Command } from 'commander';
import { ApiError, CliError, errorMessage, notFound } from '../../util/errors';
import { globals, withSession } from '../context';
import type { CommandEnv } from '../program';
import { parseResourceArgs } from '../resource-args';
import { KUSTOMIZE_FLAG, fileErrors, loadManifestFiles } from '../manifests';
import { kindForManifest, targetNamespace } from '../apply-object';
import { NO_RESOURCES } from '../object-edit';
import { deleteObject, type PropagationPolicy } from '../../api/server';
import { qualifiedName, resourceName, type KindInfo } from '../../api/registry';
import { matches, parseSelector } from '../../api/labels';
import { dryRunSuffix, intFlag, parseDryRun } from '../flags';
import { collect } from './apply';
import type { Session } from '../../engine/session';

export function register(program: Command, env: CommandEnv): void {
  program
    .command('delete')
    .description('Delete resources by file names, stdin, resources and names, or by resources and label selector')
    .argument('[resource...]', 'TYPE NAME... | TYPE/NAME...')
    .option('-f, --filename <file>', 'containing the resource to delete', collect, [])
    .option(...KUSTOMIZE_FLAG)
    .option('-R, --recursive', 'Process the directory used in -f recursively')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--all', 'Delete all resources, in the namespace of the specified resource types')
    .option('-A, --all-namespaces', 'If present, list the requested object(s) across all namespaces')
    .option('--grace-period <seconds>', 'Period of time in seconds given to the resource to terminate gracefully', '-1')
    .option('--force', 'Immediately remove resources from API and bypass graceful deletion')
    .option('--now', 'Resources are signaled for immediate shutdown (same as --grace-period=1)')
    .option(
      '--cascade [strategy]',
      'Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.',
      'background',
    )
    .option('--wait [bool]', 'Wait for resources to be gone before returning', 'true')
    .option('--timeout <duration>', 'The length of time to wait before giving up on a delete')
    .option('--ignore-not-found', 'Treat "resource not found" as a successful delete')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client"', 'none')
    .option('-o, --output <format>', 'Output mode. Use "-o name" for shorter output')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim delete pod web-7d4b9c8f6d-x2k9p\n  kubesim delete -f app.yaml\n  kubesim delete pods -l app=web',
    )
    .action((resources: string[], opts, cmd: Command) => {
      const g = globals(cmd, env);
      const dryRun = parseDryRun(opts.dryRun);
      let grace = intFlag(opts.gracePeriod, 'grace-period');
      if (opts.now) grace = 1;
      if (opts.force && grace < 0) grace = 0;
      if (grace === 0 && !opts.force) grace = 1; // kubectl: --grace-period=0 without --force means 1
      if (opts.force)
        env.out.errLine(
          'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.',
        );
      const propagationPolicy = cascadePolicy(opts.cascade === true ? 'background' : String(opts.cascade), (line) => env.out.errLine(line));
      const targets: { info: KindInfo; namespace?: string; name: string }[] = [];
      const hasFiles = opts.filename.length > 0 || opts.kustomize !== undefined;
      if (hasFiles && resources.length)
        throw new CliError(
          'there is no need to specify a resource type as a separate argument when passing arguments in resource/name form',
        );
      let failed = false;
      const files = hasFiles ? loadManifestFiles(opts.filename, { recursive: opts.recursive, kustomize: opts.kustomize, io: env.io }) : [];
      if (!hasFiles && !resources.length) throw new CliError(NO_RESOURCES);
      const requests = hasFiles ? [] : parseResourceArgs(resources);
      if (!hasFiles && requests.some((r) => !r.names.length) && !opts.all && !opts.selector) {
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
              });
            }
          }
          if (hasFiles && !targets.length && !failed) env.out.errLine('No resources found');
          const selector = opts.selector ? parseSelector(opts.selector) : undefined;
          for (const req of requests) {
            const ns = req.info.namespaced ? g.namespace : undefined;
            if (req.names.length) for (const name of req.names) targets.push({ info: req.info, namespace: ns, name });
            else {
              const found = s.store
                .list(req.info.kind, req.info.namespaced && !opts.allNamespaces ? ns : undefined)
                .filter((o) => !selector || matches(selector, o.metadata.labels));
              for (const o of found) targets.push({ info: req.info, namespace: o.metadata.namespace, name: o.metadata.name });
              if (!found.length) env.out.errLine(noResourcesFound(req.info.namespaced && !opts.allNamespaces ? ns : undefined));
            }
          }
          const deleted: typeof targets = [];
          for (const t of targets) {
            try {
              const exists = s.store.get(t.info.kind, t.namespace, t.name);
              if (!exists) {
                if (opts.ignoreNotFound) continue;
                throw notFound(resourceName(t.info), t.name);
              }
              deleteObject(s.api, t.info.kind, t.namespace, t.name, {
                gracePeriodSeconds: grace >= 0 ? grace : undefined,
                dryRun: dryRun !== 'none',
                propagationPolicy,
              });
              deleted.push(t);
              env.out.line(
                opts.output === 'name'
                  ? qualifiedName(t.info, t.name)
                  : `${t.info.group ? `${t.info.singular}.${t.info.group}` : t.info.singular} "${t.name}" deleted${dryRunSuffix(dryRun)}`,
              );
            } catch (e) {
              failed = true;
              env.out.errLine(e instanceof ApiError ? e.message : `error: ${errorMessage(e)}`);
            }
          }
          if (dryRun === 'none' && opts.wait !== 'false' && opts.wait !== false) waitUntilGone(s, deleted);
        },
        { dryRun: dryRun !== 'none' },
      );
      env.exitCode = failed ? 1 : 0;
    });
}

/** kubectl's --cascade: background (the default), foreground or orphan; the old booleans still work, with a warning. */
function cascadePolicy(value: string, warn: (line: string) => void): PropagationPolicy {
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

/** --wait: jump virtual time until the deleted objects are really gone (Terminating pods finish). */
function waitUntilGone(s: Session, targets: { info: KindInfo; namespace?: string; name: string }[]): void {
  const limit = s.now + 3600_000;
  s.engine.settle();
  while (targets.some((t) => s.store.get(t.info.kind, t.namespace, t.name))) {
    // nothing left to happen (a pod on a dead node stays Terminating): stop rather than jump ahead
    if (s.engine.pendingWakeup() === undefined || !s.engine.step(limit)) break;
  }
}
