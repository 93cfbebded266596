import type { Command } from 'commander';
import { CliError, errorMessage, notFound } from '../../util/errors';
import { subresourceView, writeThrough } from '../subresource';
import { deepEqual, strategicMergePatch } from '../../api/merge';
import type { Manifest } from '../../api/manifest-parser';
import type { FieldValidation } from '../../api/field-validation';
import { globals, withSession } from '../context';
import type { CommandEnv } from '../program';
import { fileErrors, loadManifestFiles } from '../manifests';
import {
  applyManifest,
  type PatchOptions,
  serverSideApplyManifest,
  SSA_MANAGER,
  kindForManifest,
  objectKey,
  pruneAllowlistKind,
  pruneCandidates,
  targetNamespace,
} from '../apply-object';
import { formatStructured, validateOutputFormat } from '../../printers/output';
import { deleteObject, updateObject, type ApiContext, type PropagationPolicy } from '../../api/server';
import { qualifiedName, resourceName, type KindInfo } from '../../api/registry';
import { parseSelector } from '../../api/labels';
import type { KObject } from '../../model/objects';
import { dryRunSuffix, intFlag } from '../flags';
import { parseDuration } from '../../util/duration';
import { matchesLabelSelector } from '../resource-builder';
import { cascadePolicy } from './delete';
import { klogLine } from '../../api/request-log';
import {
  collect,
  deleteFlags,
  fileNameFlags,
  labelSelectorFlag,
  parseBoolFlag,
  printFlags,
  printOptions,
  pruneAllowlistFlag,
  serverSideApplyFlags,
  withFlags,
  writeFlags,
  serverWriteOptions,
  writeOptions,
  type DeleteFlags,
  type FileNameOptions,
  type FlagSet,
  type PrintFlags,
  type PrintOptions,
  type ServerSideApplyFlags,
  type WriteFlags,
  type WriteOptions,
} from '../flag-sets';
import type { Globals } from '../context';
import { printDeprecation, printWarnings } from '../warnings';
import { isJsonObject } from '../../model/objects';

/** apply's flags as commander parses them */
interface ApplyOptions extends FileNameOptions, PrintFlags, WriteFlags, DeleteFlags, ServerSideApplyFlags {
  selector?: string;
  prune?: boolean;
  all?: boolean;
  pruneAllowlist: string[];
  overwrite: string | boolean;
  openapiPatch: string | boolean;
  subresource?: string;
}

/** What apply's Complete and Validate make of the flags */
interface ApplyPlan {
  serverSide: boolean;
  forceConflicts: boolean;
  write: WriteOptions;
  print: PrintOptions;
  subresource?: string;
  patching: PatchOptions;
  allowlist: KindInfo[];
  prune?: { selector: ReturnType<typeof parseSelector>; propagationPolicy: PropagationPolicy; gracePeriod: number };
}
/** apply's --prune and the --all it needs without -l */
const pruneFlags: FlagSet = (c) =>
  c
    .option(
      '--prune',
      'Automatically delete resource objects, that do not appear in the configs and are created by either apply or create --save-config. Should be used with either -l or --all.',
    )
    .option('--all', 'Select all resources in the namespace of the specified resource types.');

export function register(program: Command, env: CommandEnv): void {
  withFlags(
    program.command('apply').description('Apply a configuration to a resource by file name or stdin'),
    fileNameFlags('that contains the configuration to apply'),
    printFlags,
    labelSelectorFlag,
    writeFlags('kubectl-client-side-apply'),
    deleteFlags({ now: false, wait: false }),
    pruneFlags,
    pruneAllowlistFlag,
    serverSideApplyFlags,
  )
    .option(
      '--overwrite [bool]',
      'Automatically resolve conflicts between the modified and live configuration by using values from the modified configuration',
      'true',
    )
    .option(
      '--openapi-patch [bool]',
      'If true, use openapi to calculate diff when the openapi presents and the resource can be found in the openapi spec. Otherwise, fall back to use baked-in types.',
      'true',
    )
    .option(
      '--subresource <subresource>',
      'If specified, apply will operate on the subresource of the requested object.  Only allowed when using --server-side. This flag is beta and may change in the future.',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  # Apply the configuration in app.yaml\n  kubesim apply -f app.yaml\n\n  # Apply every manifest in a directory, recursively\n  kubesim apply -f manifests/ -R\n\n  # Apply only the objects labelled app=web\n  kubesim apply -f manifests/ -l app=web',
    )
    .action((opts: ApplyOptions, cmd: Command) => runApply(env, globals(cmd, env), opts, completeApply(env, cmd, opts)));
}

/** apply.go Complete and Validate: everything the flags can refuse is refused before any file is read */
function completeApply(env: CommandEnv, cmd: Command, opts: ApplyOptions): ApplyPlan {
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
  const subresource = opts.subresource || undefined;
  // apply.go Validate
  if (subresource && !serverSide) throw new CliError('--subresource can only be specified for --server-side');
  if (opts.all && opts.selector) throw new CliError("setting 'all' parameter but found a non empty selector. ");
  if (opts.pruneAllowlist.length && !opts.prune) throw new CliError('--prune-allowlist must be used with --prune');
  const patching = {
    overwrite: parseBoolFlag(opts.overwrite, 'overwrite'),
    openapiPatch: parseBoolFlag(opts.openapiPatch, 'openapi-patch'),
    warn: (line: string) => env.out.errLine(line),
    // apply.go warningNoLastAppliedConfigAnnotation (printed by kubectl itself, not an API warning;
    // its command's base name), unless a client-side dry run
    missingLastApplied:
      write.dryRun === 'client'
        ? undefined
        : (objectName: string) =>
            env.out.errLine(
              `Warning: resource ${objectName} is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubesim apply. kubesim apply should only be used on resources created declaratively by either kubesim create --save-config or kubesim apply. The missing annotation will be patched automatically.`,
            ),
  };
  const allowlist = opts.pruneAllowlist.map(pruneAllowlistKind);
  const prune = opts.prune ? { selector: parseSelector(opts.selector ?? ''), ...deletion(opts, env) } : undefined;
  return { serverSide, forceConflicts, write, print, subresource, patching, allowlist, prune };
}

/** apply.go Run: each object of the files applied (client-side, server-side or to a subresource), then --prune */
function runApply(env: CommandEnv, g: Globals, opts: ApplyOptions, plan: ApplyPlan): void {
  const { serverSide, forceConflicts, write, print, subresource, patching, allowlist, prune } = plan;
  const { dryRun } = write;
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
          const r = subresource
            ? { ...applySubresource(s.api, m, info, ns, subresource, serverWriteOptions(write)), result: 'serverside-applied' as const }
            : serverSide
              ? {
                  ...serverSideApplyManifest(s.api, m, ns, { ...serverWriteOptions(write), force: forceConflicts }),
                  result: 'serverside-applied',
                }
              : applyClientSide(env, s.api, m, info, ns, serverWriteOptions(write), patching);
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
        // prune.GetRESTMappings: the default allowlist, with klog's warning whenever the namespace is set (always:
        // apply's Complete takes it from the kubeconfig, `default` at least)
        if (!allowlist.length) env.out.errLine(klogLine(s.now, 'prune.go:71', PRUNE_DEPRECATION, 'W'));
        for (const { info, obj } of pruneCandidates(s.store, applied, prune.selector, allowlist, seen)) {
          if (dryRun === 'none')
            deleteObject(s.api, info.kind, obj.metadata.namespace, obj.metadata.name, {
              gracePeriodSeconds: prune.gracePeriod >= 0 ? prune.gracePeriod : undefined,
              propagationPolicy: prune.propagationPolicy,
              admit: true,
            });
          // prune.go: the DELETE with --cascade and --grace-period, then `pruned`; it never waits for the object
          // to go (--wait is not read: one a finalizer holds stays Terminating, and the command exits 0)
          env.out.line(`${qualifiedName(info, obj.metadata.name)} pruned${suffix}`);
        }
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
}

/** apply --server-side --subresource: the manifest's part of the subresource (status, or the replicas) onto the live object */
function applySubresource(
  api: ApiContext,
  m: Manifest,
  info: KindInfo,
  ns: string | undefined,
  subresource: string,
  opts: { dryRun: boolean; fieldValidation?: FieldValidation | false },
): { result: string; object: KObject; line: string } {
  const name = m.object.metadata?.name ?? '';
  const live = api.store.get(info.kind, ns, name);
  if (!live) throw notFound(resourceName(info), name);
  // server-side apply merges the manifest's fields into what the subresource holds
  // the manifest as the user wrote it: read as JSON
  const { spec, status }: { spec?: unknown; status?: unknown } = m.object;
  const replicas = isJsonObject(spec) ? spec.replicas : undefined;
  const patch = { status: status ?? {}, ...(replicas !== undefined ? { spec: { replicas } } : {}) };
  const applied = strategicMergePatch(live, patch, info.kind) as KObject;
  const through = writeThrough(live, applied, subresource);
  const line = qualifiedName(info, name);
  if (deepEqual(through, live)) return { result: 'unchanged', object: subresourceView(live, subresource), line };
  const written = updateObject(api, through, { ...opts, ...(subresource === 'status' ? { subresource: 'status' as const } : {}) });
  return { result: 'configured', object: subresourceView(written, subresource), line };
}

/** kubectl apply's GET of the object (a deprecated version's warning comes with its answer), then its create or patch */
function applyClientSide(
  env: CommandEnv,
  api: ApiContext,
  m: Manifest,
  info: KindInfo,
  ns: string | undefined,
  opts: Parameters<typeof applyManifest>[3],
  patching: PatchOptions,
): ReturnType<typeof applyManifest> {
  printDeprecation(env, info);
  return applyManifest(api, m, ns, opts, patching);
}

const PRUNE_DEPRECATION =
  'Deprecated: kubectl apply will no longer prune non-namespaced resources by default when used with the --namespace flag in a future release. To preserve the current behaviour, list the resources you want to target explicitly in the --prune-allowlist flag.';

/**
 * How --prune deletes: --cascade, --grace-period, --force (kubectl's DeleteFlags on apply). --wait
 * is parsed as kubectl parses it, and like kubectl's pruner nothing reads it.
 */
function deletion(opts: DeleteFlags, env: CommandEnv): { propagationPolicy: PropagationPolicy; gracePeriod: number } {
  let gracePeriod = intFlag(opts.gracePeriod, 'grace-period');
  if (opts.force && gracePeriod < 0) gracePeriod = 0;
  if (gracePeriod === 0 && !opts.force) gracePeriod = 1;
  if (opts.timeout !== undefined) parseDuration(opts.timeout, 'timeout');
  parseBoolFlag(opts.wait, 'wait');
  return {
    propagationPolicy: cascadePolicy(opts.cascade === true ? 'background' : String(opts.cascade), (line) => env.out.errLine(line)),
    gracePeriod,
  };
}

export { collect };
