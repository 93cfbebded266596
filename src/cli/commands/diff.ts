import type { Command } from 'commander';
import { CliError, errorMessage } from '../../util/errors';
import { globals, withSession, type Globals } from '../context';
import type { CommandEnv } from '../program';
import { fileErrors, loadManifestFiles } from '../manifests';
import {
  applyManifest,
  SSA_MANAGER,
  kindForManifest,
  objectKey,
  pruneAllowlistKind,
  pruneCandidates,
  targetNamespace,
} from '../apply-object';
import { matchesLabelSelector } from '../resource-builder';
import { parseSelector } from '../../api/labels';
import type { KindInfo } from '../../api/registry';
import {
  fileNameFlags,
  labelSelectorFlag,
  parseBoolFlag,
  pruneAllowlistFlag,
  serverSideApplyFlags,
  withFlags,
  type FileNameOptions,
  type FlagSet,
  type ServerSideApplyFlags,
} from '../flag-sets';
import { intFlag } from '../flags';
import { toYaml } from '../../printers/serialize';
import { unifiedDiff } from '../../printers/unified-diff';
import type { KObject } from '../../model/objects';
import { printWarnings } from '../warnings';
import { applyPatch } from '../../api/server-side-apply';

/** diff's --prune (apply's deletes, diff's shows what would be deleted) */
const pruneFlag: FlagSet = (c) =>
  c.option(
    '--prune',
    'Include resources that would be deleted by pruning. Can be used with -l and default shows all resources would be pruned',
  );

/** diff's own flags: managed fields in the diff, the client-side field manager, --concurrency */
const diffFlags: FlagSet = (c) =>
  c
    .option('--show-managed-fields [bool]', 'If true, include managed fields in the diff.')
    .option('--field-manager <name>', 'Name of the manager used to track field ownership.', 'kubectl-client-side-apply')
    // kubesim diffs in one pass over its state: the objects come out the same for any number
    .option(
      '--concurrency <n>',
      'Number of objects to process in parallel when diffing against the live version. Larger number = faster, but more memory, I/O and CPU over that shorter period of time.',
      '1',
    );

/** diff's flags as commander parses them */
interface DiffFlags extends FileNameOptions, ServerSideApplyFlags {
  selector?: string;
  prune?: boolean;
  pruneAllowlist: string[];
  showManagedFields?: string | boolean;
  concurrency: string;
  fieldManager: string;
}

/** What diff's Complete and Validate make of the flags */
interface DiffRequest {
  files: FileNameOptions;
  selector?: string;
  prune: boolean;
  allowlist: KindInfo[];
  showManagedFields: boolean;
  serverSide: boolean;
  force: boolean;
  fieldManager: string;
}

/**
 * kubectl diff: a server-side dry-run apply of each object, then `diff -u -N` of the
 * live object against the result. Exit status: 0 no differences, 1 differences,
 * 2 (kubectl's error exit + 1) when something failed.
 */
export function register(program: Command, env: CommandEnv): void {
  withFlags(
    program.command('diff').description('Diff the live version against a would-be applied version'),
    fileNameFlags('contains the configuration to diff'),
    labelSelectorFlag,
    pruneFlag,
    pruneAllowlistFlag,
    diffFlags,
    serverSideApplyFlags,
  )
    .addHelpText(
      'after',
      '\nExit status:\n  0 No differences were found.\n  1 Differences were found.\n  >1 kubesim or diff failed with an error.\n\nExamples:\n  # Diff resources included in app.yaml\n  kubesim diff -f app.yaml',
    )
    .action((opts: DiffFlags, cmd: Command) => {
      try {
        runDiff(env, globals(cmd, env), completeDiff(opts, cmd));
      } catch (e) {
        throw asDiffError(e);
      }
    });
}

/** diff.go Complete and Validate: the flags read and checked before any file is */
function completeDiff(opts: DiffFlags, cmd: Command): DiffRequest {
  const showManagedFields = parseBoolFlag(opts.showManagedFields, 'show-managed-fields');
  const serverSide = parseBoolFlag(opts.serverSide, 'server-side');
  const force = parseBoolFlag(opts.forceConflicts, 'force-conflicts');
  if (force && !serverSide) throw new CliError('--force-conflicts only works with --server-side');
  // apply.GetApplyFieldManagerFlag: kubectl for a server-side diff unless --field-manager says otherwise
  const fieldManager = serverSide && cmd.getOptionValueSource('fieldManager') === 'default' ? SSA_MANAGER : opts.fieldManager;
  intFlag(opts.concurrency, 'concurrency');
  return {
    files: { filename: opts.filename, recursive: opts.recursive, kustomize: opts.kustomize },
    selector: opts.selector,
    prune: !!opts.prune,
    allowlist: opts.pruneAllowlist.map(pruneAllowlistKind),
    showManagedFields,
    serverSide,
    force,
    fieldManager,
  };
}

/** diff.go Run: each manifest dry-run applied and diffed against the live object; exit 0, 1 (differences) or 2 */
function runDiff(env: CommandEnv, g: Globals, req: DiffRequest): void {
  const yaml = (obj: KObject) => diffYaml(obj, req.showManagedFields);
  const files = loadManifestFiles(req.files.filename, { recursive: req.files.recursive, kustomize: req.files.kustomize, io: env.io });
  let failed = false;
  let changed = false;
  withSession(
    g,
    (s) => {
      const time = gnuTime(s.now);
      for (const file of files)
        for (const msg of fileErrors(file)) {
          failed = true;
          env.out.errLine(`error: ${msg}`);
        }
      const show = (info: KindInfo, live: KObject | undefined, merged: KObject | undefined): void => {
        const obj = (merged ?? live)!;
        const name = `${info.group ? `${info.group}.` : ''}${info.version}.${info.kind}.${obj.metadata.namespace ?? ''}.${obj.metadata.name}`;
        const text = unifiedDiff(live ? yaml(live) : '', merged ? yaml(merged) : '', {
          from: `/tmp/LIVE-kubesim/${name}`,
          to: `/tmp/MERGED-kubesim/${name}`,
          fromTime: live ? time : EPOCH,
          toTime: merged ? time : EPOCH,
        });
        if (text) {
          changed = true;
          env.out.out(`diff -u -N /tmp/LIVE-kubesim/${name} /tmp/MERGED-kubesim/${name}\n${text}`);
        }
      };
      const visited: KObject[] = [];
      const seen = new Set<string>();
      for (const file of files) {
        for (const m of file.manifests.filter((m) => matchesLabelSelector(m.object, req.selector))) {
          try {
            const info = kindForManifest(m);
            const ns = targetNamespace(info, m.object, g.namespace, g.namespaceExplicit);
            const live = s.store.get(info.kind, ns, m.object.metadata?.name);
            // a dry-run apply without fieldValidation: the server's default warns and drops unknown fields
            let merged: KObject;
            try {
              // --server-side: the merged object is a dry-run apply patch (InfoObject.Merged)
              merged = req.serverSide
                ? applyPatch(
                    s.api,
                    { ...m.object, metadata: { ...m.object.metadata, namespace: ns } },
                    { dryRun: true, fieldManager: req.fieldManager, force: req.force },
                  )
                : applyManifest(s.api, m, ns, { dryRun: true, fieldManager: req.fieldManager }, {}, false).object;
            } finally {
              printWarnings(env, s.store);
            }
            visited.push(merged);
            seen.add(objectKey(info.kind, ns, merged.metadata.name));
            show(info, live, merged);
          } catch (e) {
            failed = true;
            env.out.errLine(e instanceof CliError && !e.raw ? `error: ${e.message}` : errorMessage(e));
          }
        }
      }
      // --prune: what apply --prune would delete, diffed against nothing
      if (req.prune)
        for (const { info, obj } of pruneCandidates(s.store, visited, parseSelector(req.selector ?? ''), req.allowlist, seen))
          show(info, obj, undefined);
    },
    { dryRun: true },
  );
  env.exitCode = failed ? 2 : changed ? 1 : 0;
}

/** A file diff -N reads as missing: GNU diff dates it at the epoch */
const EPOCH = '1970-01-01 00:00:00.000000000 +0000';

/** What each side of the diff holds: the object as YAML, managedFields only with --show-managed-fields */
function diffYaml(obj: KObject, showManagedFields: boolean): string {
  if (showManagedFields) return toYaml(obj);
  const copy = { ...obj, metadata: { ...obj.metadata } } as KObject;
  delete (copy.metadata as unknown as Record<string, unknown>).managedFields;
  return toYaml(copy);
}

/** GNU diff's header time: `2024-05-01 10:00:00.000000000 +0000`. */
function gnuTime(ms: number): string {
  return `${new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.(\d{3})Z$/, '.$1000000 +0000')}`;
}

function asDiffError(e: unknown): CliError {
  // cmdutil.CheckDiffErr: kubectl's error exit code plus one, so 1 keeps meaning "differences"
  if (e instanceof CliError) return new CliError(e.message, { exitCode: e.exitCode + 1, raw: e.raw });
  return new CliError(errorMessage(e), { exitCode: 2 });
}
