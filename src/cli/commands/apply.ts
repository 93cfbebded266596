import type { Command } from 'commander';
import { CliError, errorMessage } from '../../util/errors';
import { globals, withSession } from '../context';
import type { CommandEnv } from '../program';
import { fileErrors, loadManifestFiles } from '../manifests';
import {
  applyManifest,
  serverSideApplyManifest,
  SSA_MANAGER,
  kindForManifest,
  objectKey,
  pruneAllowlistKind,
  pruneCandidates,
  targetNamespace,
} from '../apply-object';
import { formatStructured, validateOutputFormat } from '../../printers/output';
import { deleteObject, type PropagationPolicy } from '../../api/server';
import { qualifiedName, type KindInfo } from '../../api/registry';
import { parseSelector } from '../../api/labels';
import type { KObject } from '../../model/objects';
import { dryRunSuffix, intFlag } from '../flags';
import { parseDuration } from '../../util/duration';
import { matchesLabelSelector } from '../resource-builder';
import { cascadePolicy, waitUntilGone } from './delete';
import {
  collect,
  deleteFlags,
  fileNameFlags,
  labelSelectorFlag,
  parseBoolFlag,
  printFlags,
  printOptions,
  withFlags,
  writeFlags,
  serverWriteOptions,
  writeOptions,
} from '../flag-sets';
import { printWarnings } from '../warnings';

export function register(program: Command, env: CommandEnv): void {
  withFlags(
    program.command('apply').description('Apply a configuration to a resource by file name or stdin'),
    fileNameFlags('that contains the configuration to apply'),
    printFlags,
    labelSelectorFlag,
    writeFlags('kubectl-client-side-apply'),
    deleteFlags({ now: false, wait: false }),
  )
    .option(
      '--prune',
      'Automatically delete resource objects, that do not appear in the configs and are created by either apply or create --save-config. Should be used with either -l or --all.',
    )
    .option('--all', 'Select all resources in the namespace of the specified resource types.')
    .option('--prune-allowlist <gvk>', 'Overwrite the default allowlist with <group/version/kind> for --prune', collect, [])
    .option('--server-side [bool]', 'If true, apply runs in the server instead of the client.')
    .option('--force-conflicts [bool]', 'If true, server-side apply will force the changes against conflicts.')
    .addHelpText(
      'after',
      '\nExamples:\n  # Apply the configuration in app.yaml\n  kubesim apply -f app.yaml\n\n  # Apply every manifest in a directory, recursively\n  kubesim apply -f manifests/ -R\n\n  # Apply only the objects labelled app=web\n  kubesim apply -f manifests/ -l app=web',
    )
    .action((opts, cmd: Command) => {
      const g = globals(cmd, env);
      const serverSide = parseBoolFlag(opts.serverSide, 'server-side');
      const forceConflicts = parseBoolFlag(opts.forceConflicts, 'force-conflicts');
      // GetApplyFieldManagerFlag: --field-manager if given, else kubectl for server-side apply
      if (serverSide && cmd.getOptionValueSource('fieldManager') === 'default') opts.fieldManager = SSA_MANAGER;
      const write = writeOptions(opts);
      const { dryRun } = write;
      const print = printOptions(opts);
      if (forceConflicts && !serverSide) throw new CliError('--force-conflicts only works with --server-side');
      if (dryRun === 'client' && serverSide)
        throw new CliError("--dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)");
      validateOutputFormat(print.output);
      if (opts.prune && !opts.selector && !opts.all)
        throw new CliError(
          'all resources selected for prune without explicitly passing --all. To prune all resources, pass the --all flag. If you did not mean to prune all resources, specify a label selector',
        );
      if (opts.all && opts.selector) throw new CliError("setting 'all' parameter but found a non empty selector. ");
      if (opts.pruneAllowlist.length && !opts.prune) throw new CliError('--prune-allowlist must be used with --prune');
      const allowlist = opts.pruneAllowlist.map(pruneAllowlistKind);
      const prune = opts.prune ? { selector: parseSelector(opts.selector ?? ''), ...deletion(opts, env) } : undefined;
      const files = loadManifestFiles(opts.filename, { recursive: opts.recursive, kustomize: opts.kustomize, io: env.io });
      const suffix = dryRunSuffix(dryRun);
      let failed = false;
      const fail = (msg: string) => {
        failed = true;
        env.out.errLine(msg);
      };
      withSession(
        g,
        (s) => {
          const applied: KObject[] = [];
          const seen = new Set<string>();
          // kubectl reports what could not be read before the objects' own errors
          for (const file of files) for (const msg of fileErrors(file)) fail(`error: ${msg}`);
          if (!files.some((f) => f.manifests.length) && !failed) throw new CliError('no objects passed to apply');
          // kubectl's builder maps every object before the first is applied: a custom resource
          // whose CRD comes earlier in the same run is not known yet ("ensure CRDs are installed first")
          const mapped: { m: (typeof files)[number]['manifests'][number]; info: KindInfo }[] = [];
          for (const file of files) {
            // -l: only the objects the selector matches are applied (kubectl's builder filters them)
            for (const m of file.manifests.filter((m) => matchesLabelSelector(m.object, opts.selector))) {
              try {
                mapped.push({ m, info: kindForManifest(m) });
              } catch (e) {
                fail(e instanceof CliError && !e.raw ? `error: ${e.message}` : errorMessage(e));
              }
            }
          }
          for (const { m, info } of mapped) {
            try {
              const ns = targetNamespace(info, m.object, g.namespace, g.namespaceExplicit);
              const r = serverSide
                ? {
                    ...serverSideApplyManifest(s.api, m, ns, { ...serverWriteOptions(write), force: forceConflicts }),
                    result: 'serverside-applied',
                  }
                : applyManifest(s.api, m, ns, serverWriteOptions(write));
              printWarnings(env, s.store);
              seen.add(objectKey(info.kind, ns, r.object.metadata.name));
              applied.push(r.object);
              if (!print.output) env.out.line(`${r.line} ${r.result}${suffix}`);
            } catch (e) {
              printWarnings(env, s.store);
              fail(e instanceof CliError && !e.raw ? `error: ${e.message}` : errorMessage(e));
            }
          }
          if (prune) {
            const pruned: { info: KindInfo; namespace?: string; name: string }[] = [];
            for (const { info, obj } of pruneCandidates(s.store, applied, prune.selector, allowlist, seen)) {
              if (dryRun === 'none')
                deleteObject(s.api, info.kind, obj.metadata.namespace, obj.metadata.name, {
                  gracePeriodSeconds: prune.gracePeriod >= 0 ? prune.gracePeriod : undefined,
                  propagationPolicy: prune.propagationPolicy,
                  admit: true,
                });
              pruned.push({ info, namespace: obj.metadata.namespace, name: obj.metadata.name });
              env.out.line(`${qualifiedName(info, obj.metadata.name)} pruned${suffix}`);
            }
            if (dryRun === 'none' && prune.wait) waitUntilGone(s, pruned);
          }
          if (print.output) {
            const text = formatStructured(applied, print.output, {
              single: applied.length === 1,
              cwd: env.io.cwd,
              showManagedFields: print.showManagedFields,
              allowMissingTemplateKeys: print.allowMissingTemplateKeys,
            });
            if (text) env.out.out(text);
          }
        },
        { dryRun: dryRun !== 'none' },
      );
      env.exitCode = failed ? 1 : 0;
    });
}

/** How --prune deletes: --cascade, --grace-period, --force, --wait (kubectl's DeleteFlags on apply). */
function deletion(
  opts: { cascade: string | boolean; gracePeriod: string; force?: boolean; wait: string | boolean; timeout?: string },
  env: CommandEnv,
): { propagationPolicy: PropagationPolicy; gracePeriod: number; wait: boolean } {
  let gracePeriod = intFlag(opts.gracePeriod, 'grace-period');
  if (opts.force && gracePeriod < 0) gracePeriod = 0;
  if (gracePeriod === 0 && !opts.force) gracePeriod = 1;
  if (opts.timeout !== undefined) parseDuration(opts.timeout, 'timeout');
  return {
    propagationPolicy: cascadePolicy(opts.cascade === true ? 'background' : String(opts.cascade), (line) => env.out.errLine(line)),
    gracePeriod,
    wait: parseBoolFlag(opts.wait, 'wait'),
  };
}

export { collect };
