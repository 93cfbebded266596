import { checkRawUri, rawBodyFile, runRaw } from '../raw';
import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError, errorMessage, notFound } from '../../util/errors';
import { createObject, deleteObject, updateObject } from '../../api/server';
import { qualifiedKind, qualifiedName, resourceName } from '../../api/registry';
import type { KObject } from '../../model/objects';
import { fileErrors, loadManifestFiles } from '../manifests';
import { kindForManifest, targetNamespace, withLastApplied, wrapApplyError } from '../apply-object';
import { dryRunSuffix, intFlag } from '../flags';
import { printDeprecation, printWarnings } from '../warnings';
import { formatStructured, validateOutputFormat } from '../../printers/output';
import { cascadePolicy, waitUntilGone } from './delete';
import { parseDuration } from '../../util/duration';
import { subresourceView, writeThrough } from '../subresource';
import {
  deleteFlags,
  fileNameFlags,
  parseBoolFlag,
  printFlags,
  printOptions,
  saveConfigFlag,
  withFlags,
  writeFlags,
  serverWriteOptions,
  writeOptions,
  type DeleteFlags,
  type FileNameOptions,
  type PrintFlags,
  type WriteFlags,
} from '../flag-sets';

/** replace's flags as commander parses them */
interface ReplaceOptions extends FileNameOptions, PrintFlags, WriteFlags, DeleteFlags {
  saveConfig?: boolean;
  subresource?: string;
  raw?: string;
}

export function register(program: Command, env: CommandEnv): void {
  withFlags(
    program.command('replace').description('Replace a resource by file name or stdin'),
    fileNameFlags('that contains the configuration to replace'),
    printFlags,
    writeFlags('kubectl-replace'),
    saveConfigFlag,
    deleteFlags({ now: false, wait: false }),
  )
    .option(
      '--subresource <subresource>',
      'If specified, replace will operate on the subresource of the requested object. This flag is beta and may change in the future.',
    )
    .option('--raw <uri>', 'Raw URI to PUT to the server.  Uses the transport specified by the kubeconfig file.')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim get cm app -o json > app.json   # edit it\n  kubesim replace -f app.json\n\n  # Delete and re-create the objects\n  kubesim replace --force -f app.json',
    )
    .action((opts: ReplaceOptions, cmd: Command) => runReplace(env, cmd, opts));
}

/** replace.go Complete, Validate and Run: each object of the files put in place of the live one (or deleted and created with --force) */
function runReplace(env: CommandEnv, cmd: Command, opts: ReplaceOptions): void {
  const g = globals(cmd, env);
  if (opts.raw !== undefined) {
    checkRawUri(opts.raw);
    runRaw('PUT', opts.raw, g, env, rawBodyFile(opts.filename, opts));
    return;
  }
  const write = writeOptions(opts);
  const { dryRun } = write;
  const print = printOptions(opts);
  validateOutputFormat(print.output);
  let grace = intFlag(opts.gracePeriod, 'grace-period');
  // replace.go Validate: the delete flags only mean something with --force
  if (grace >= 0 && !opts.force) throw new CliError('--grace-period must have --force specified');
  if (opts.timeout !== undefined && parseDuration(opts.timeout, 'timeout') !== 0 && !opts.force)
    throw new CliError('--timeout must have --force specified');
  if (grace === 0 && !opts.force) grace = 1;
  const subresource: string | undefined = opts.subresource || undefined;
  const propagationPolicy = cascadePolicy(opts.cascade === true ? 'background' : String(opts.cascade), (line) => env.out.errLine(line));
  // --wait: forceReplace retries the create until the deleted object is gone, so it waits either way
  parseBoolFlag(opts.wait, 'wait');
  const files = loadManifestFiles(opts.filename, { recursive: opts.recursive, kustomize: opts.kustomize, io: env.io });
  const suffix = dryRunSuffix(dryRun);
  let failed = false;
  withSession(
    g,
    (s) => {
      for (const file of files)
        for (const msg of fileErrors(file)) {
          failed = true;
          env.out.errLine(`error: ${msg}`);
        }
      for (const file of files) {
        for (const m of file.manifests) {
          try {
            const info = kindForManifest(m);
            const ns = targetNamespace(info, m.object, g.namespace, g.namespaceExplicit);
            const desired = { ...m.object, metadata: { ...m.object.metadata, namespace: ns } };
            const object = opts.saveConfig ? withLastApplied(desired) : desired;
            let replaced: KObject;
            try {
              if (opts.force) {
                // --force: delete, wait for it to be gone, create (kubectl's forceReplace)
                const gone = deleteObject(s.api, info.kind, ns, m.object.metadata.name, {
                  gracePeriodSeconds: grace >= 0 ? grace : undefined,
                  propagationPolicy,
                  dryRun: dryRun !== 'none',
                  admit: true,
                });
                env.out.line(`${qualifiedKind(info)} "${m.object.metadata.name}" deleted${suffix}`);
                // replace.go forceReplace polls until the object is gone (--timeout, 5 minutes when 0), then creates
                if (
                  dryRun === 'none' &&
                  waitUntilGone(s, [{ info, namespace: ns, name: m.object.metadata.name, uid: gone.metadata.uid }]).length
                )
                  throw new WaitTimedOut();
                const { resourceVersion: _rv, uid: _uid, ...metadata } = object.metadata;
                replaced = createObject(s.api, { ...object, metadata }, serverWriteOptions(write));
              } else if (subresource) {
                // PUT on the subresource: only its part of the object changes (status, or the replicas)
                const live = s.store.get(info.kind, ns, m.object.metadata.name);
                if (!live) throw notFound(resourceName(info), m.object.metadata.name);
                const through = writeThrough(live, object, subresource);
                if (object.metadata.resourceVersion)
                  through.metadata = { ...through.metadata, resourceVersion: object.metadata.resourceVersion };
                replaced = subresourceView(
                  updateObject(s.api, through, {
                    ...serverWriteOptions(write),
                    ...(subresource === 'status' ? { subresource: 'status' as const } : {}),
                  }),
                  subresource,
                );
              } else {
                // a resourceVersion in the manifest makes this an optimistic-concurrency write; without
                // one, helper.Replace GETs the object for its resourceVersion first (so a deprecated
                // version's warning comes, even when the PUT is refused)
                if (!object.metadata.resourceVersion) printDeprecation(env, info);
                replaced = updateObject(s.api, object, serverWriteOptions(write));
              }
            } catch (e) {
              printWarnings(env, s.store);
              // (the wait's own error, as kubectl returns it: not one about the manifest)
              if (e instanceof WaitTimedOut) throw e;
              throw wrapApplyError(e, 'replacing', m.source);
            }
            printWarnings(env, s.store);
            const text = formatStructured([replaced], print.output, {
              single: true,
              cwd: env.io.cwd,
              showManagedFields: print.showManagedFields,
              allowMissingTemplateKeys: print.allowMissingTemplateKeys,
            });
            const name =
              replaced.kind === 'Scale' ? `scale.autoscaling/${replaced.metadata.name}` : qualifiedName(info, m.object.metadata.name);
            env.out.out(text ?? `${name} replaced${suffix}\n`);
          } catch (e) {
            failed = true;
            env.out.errLine(e instanceof CliError && !e.raw ? `error: ${e.message}` : errorMessage(e));
          }
        }
      }
    },
    { dryRun: dryRun !== 'none' },
  );
  env.exitCode = failed ? 1 : 0;
}

/** --force's wait for the deleted object ran out (wait.ErrWaitTimeout's message). */
class WaitTimedOut extends CliError {
  constructor() {
    super('timed out waiting for the condition');
  }
}
