/**
 * Flags as data, after kubectl's genericclioptions: each set is declared once and added to every
 * verb that shares it (PrintFlags, FileNameFlags, the selector flags, dry-run/validate/field-manager,
 * DeleteFlags). A verb lists the sets it takes; its Complete step reads them back with the
 * matching reader below.
 */
import type { Command } from 'commander';
import { CliError } from '../util/errors';
import { KUSTOMIZE_FLAG } from './manifests';
import { boolFlag, parseDryRun } from './flags';
import { parseDuration } from '../util/duration';
import { outputWithTemplate } from '../printers/output';
import type { DryRun } from '../api/server';
import type { FieldValidation } from '../api/field-validation';
import type { KObject } from '../model/objects';
import { onDemand } from '../util/on-demand';

// the patch code, only for --overrides
// eslint-disable-next-line @typescript-eslint/no-require-imports
const merge = onDemand('api/merge', () => require('../api/merge') as typeof import('../api/merge'));

export type FlagSet = (c: Command) => Command;

/** Adds the sets to a command, in order (help lists flags alphabetically anyway). */
export function withFlags(c: Command, ...sets: FlagSet[]): Command {
  for (const set of sets) set(c);
  return c;
}

/** -f values: repeatable and comma-separated (pflag StringSlice). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').filter((v) => v !== '')];
}

/** A boolean flag kubectl declares with a value (`--show-managed-fields=true`): strconv.ParseBool's words. */
export function parseBoolFlag(value: string | boolean | undefined, flag: string): boolean {
  if (value === undefined || typeof value === 'boolean') return value ?? false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw new CliError(`invalid argument "${value}" for "--${flag}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`);
}

// ---- PrintFlags: -o, the template printers' flags, and what shapes the printed object ----

/**
 * TemplatePrinterFlags: --template and --allow-missing-template-keys beside -o. Before the action
 * runs, --template is folded into -o the way PrintFlags.ToPrinter reads them: alone it means
 * `-o go-template`, with a bare template format it is that format's template.
 */
export const templateFlags: FlagSet = (c) =>
  c
    .option(
      '--template <string>',
      'Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].',
    )
    .option(
      '--allow-missing-template-keys [bool]',
      'If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.',
      (v: string) => boolFlag(v, 'allow-missing-template-keys'),
      true,
    )
    .hook('preAction', (cmd) => {
      const opts = cmd.opts<{ output?: string; template?: string }>();
      const output = outputWithTemplate(opts.output, opts.template);
      if (output !== opts.output) cmd.setOptionValue('output', output);
    });

export const printFlags: FlagSet = (c) =>
  withFlags(
    c
      .option(
        '-o, --output <format>',
        'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, custom-columns, custom-columns-file, wide)',
      )
      .option('--show-managed-fields [bool]', 'If true, keep the managedFields when printing objects in JSON or YAML format.'),
    templateFlags,
  );

/** printFlags as commander parses them */
export interface PrintFlags {
  output?: string;
  showManagedFields?: string | boolean;
  allowMissingTemplateKeys?: boolean;
}

export interface PrintOptions {
  output?: string;
  showManagedFields: boolean;
  allowMissingTemplateKeys: boolean;
}

export function printOptions(opts: PrintFlags): PrintOptions {
  return {
    output: opts.output,
    showManagedFields: parseBoolFlag(opts.showManagedFields, 'show-managed-fields'),
    allowMissingTemplateKeys: opts.allowMissingTemplateKeys ?? true,
  };
}

// ---- FileNameFlags: -f, -k, -R ----

export const fileNameFlags =
  (purpose: string): FlagSet =>
  (c) =>
    c
      .option('-f, --filename <file>', `Filename, directory, or URL to files ${purpose}`, collect, [])
      .option(...KUSTOMIZE_FLAG)
      .option(
        '-R, --recursive',
        'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.',
      );

export interface FileNameOptions {
  filename: string[];
  kustomize?: string;
  recursive?: boolean;
}

export function hasFileNames(o: FileNameOptions): boolean {
  return o.filename.length > 0 || o.kustomize !== undefined;
}

// ---- selector flags ----

export const labelSelectorFlag: FlagSet = (c) =>
  c.option(
    '-l, --selector <selector>',
    "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.",
  );

export const fieldSelectorFlag: FlagSet = (c) =>
  c.option(
    '--field-selector <selector>',
    "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type.",
  );

export const allNamespacesFlag: FlagSet = (c) =>
  c.option(
    '-A, --all-namespaces',
    'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.',
  );

export const allFlag =
  (what: string): FlagSet =>
  (c) =>
    c.option('--all', `Select all resources, in the namespace of the specified resource types${what}`);

/** labelSelectorFlag, fieldSelectorFlag, allNamespacesFlag and allFlag as commander parses them */
export interface SelectorFlags {
  selector?: string;
  fieldSelector?: string;
  allNamespaces?: boolean;
  all?: boolean;
}

/** --chunk-size: kubesim reads its state file in one pass, so the list a user sees is the same for any size */
export const chunkSizeFlag: FlagSet = (c) =>
  c.option('--chunk-size <n>', 'Return large lists in chunks rather than all at once. Pass 0 to disable.', '500');

/** --local: the objects of -f are edited and printed, the cluster is not contacted */
export const localFlag =
  (usage = 'If true, the command will NOT contact the api-server but run locally.'): FlagSet =>
  (c) =>
    c.option('--local', usage);

/** --resource-version: the write succeeds only if the object is still at this version (optimistic concurrency) */
export const resourceVersionFlag =
  (what: string): FlagSet =>
  (c) =>
    c.option(
      '--resource-version <version>',
      `If non-empty, the ${what} update will only succeed if this is the current resource-version for the object. Only valid when specifying a single resource.`,
    );

/** cmdutil.AddPodRunningTimeoutFlag: how long to wait for a pod to run (logs 20s, run/exec/attach 1m0s) */
export const podRunningTimeoutFlag =
  (defaultValue: string): FlagSet =>
  (c) =>
    c.option(
      '--pod-running-timeout <duration>',
      'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running',
      defaultValue,
    );

/** cmdutil.GetPodRunningTimeoutFlag: the duration (ms), which must be higher than zero */
export function podRunningTimeout(value: string): number {
  const ms = parseDuration(value, 'pod-running-timeout');
  if (ms <= 0) throw new CliError('--pod-running-timeout must be higher than zero');
  return ms;
}

// ---- dry-run, validate, field-manager ----

export const dryRunFlag: FlagSet = (c) =>
  c.option(
    '--dry-run [strategy]',
    'Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.',
    'none',
  );

export const validateFlag: FlagSet = (c) =>
  c.option(
    '--validate [mode]',
    'Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will use a schema to validate the input and fail the request if invalid.',
    'strict',
  );

export const fieldManagerFlag =
  (manager: string): FlagSet =>
  (c) =>
    c.option('--field-manager <name>', 'Name of the manager used to track field ownership.', manager);

export const saveConfigFlag: FlagSet = (c) =>
  c.option(
    '--save-config',
    'If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged.',
  );

/** The three a write takes everywhere kubectl has them: --dry-run, --validate, --field-manager. */
export const writeFlags =
  (manager: string): FlagSet =>
  (c) =>
    withFlags(c, dryRunFlag, validateFlag, fieldManagerFlag(manager));

/** writeFlags (and dryRunFlag, validateFlag, fieldManagerFlag alone) as commander parses them */
export interface WriteFlags {
  dryRun?: string | boolean;
  validate?: string | boolean;
  fieldManager?: string;
}

/** --validate's values (cmdutil.GetValidationDirective): the fieldValidation directive kubectl sends. */
export function parseValidate(value: string | boolean | undefined): FieldValidation {
  if (value === undefined || value === true || value === 'true' || value === 'strict') return 'Strict';
  if (value === false || value === 'false' || value === 'ignore') return 'Ignore';
  if (value === 'warn') return 'Warn';
  throw new CliError(`invalid - validate option "${value}"; must be one of: strict (or true), warn, ignore (or false)`);
}

export interface WriteOptions {
  dryRun: DryRun;
  validate: FieldValidation;
  fieldManager: string;
}

/** What a write asks of the server: a dry run or not, and --validate (no server decodes a client-side dry run). */
export function serverWriteOptions(w: WriteOptions): { dryRun: boolean; fieldValidation: FieldValidation | false; fieldManager: string } {
  return { dryRun: w.dryRun !== 'none', fieldValidation: w.dryRun === 'client' ? false : w.validate, fieldManager: w.fieldManager };
}

export function writeOptions(opts: WriteFlags): WriteOptions {
  return { dryRun: parseDryRun(opts.dryRun), validate: parseValidate(opts.validate), fieldManager: opts.fieldManager ?? 'kubectl' };
}

// ---- server-side apply and prune (apply, diff) ----

/** cmdutil.AddServerSideApplyFlags: --server-side and --force-conflicts */
export const serverSideApplyFlags: FlagSet = (c) =>
  c
    .option('--server-side [bool]', 'If true, apply runs in the server instead of the client.')
    .option('--force-conflicts [bool]', 'If true, server-side apply will force the changes against conflicts.');

/** serverSideApplyFlags as commander parses them */
export interface ServerSideApplyFlags {
  serverSide?: string | boolean;
  forceConflicts?: string | boolean;
}

/** --prune-allowlist: the kinds --prune considers instead of the default list */
export const pruneAllowlistFlag: FlagSet = (c) =>
  c.option('--prune-allowlist <gvk>', 'Overwrite the default allowlist with <group/version/kind> for --prune', collect, []);

// ---- DeleteFlags ----

/** DeleteFlags; `now: false` for apply and replace, which kubectl gives all but --now */
export const deleteFlags =
  (flags: { now: boolean; wait: boolean }): FlagSet =>
  (c) => {
    if (flags.now) c.option('--now', 'If true, resources are signaled for immediate shutdown (same as --grace-period=1).');
    return c
      .option(
        '--cascade [strategy]',
        'Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.',
        'background',
      )
      .option(
        '--grace-period <seconds>',
        'Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion).',
        '-1',
      )
      .option(
        '--force',
        'If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation.',
      )
      .option(
        '--timeout <duration>',
        'The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object',
      )
      .option('--wait [bool]', 'If true, wait for resources to be gone before returning. This waits for finalizers.', String(flags.wait));
  };

/** deleteFlags as commander parses them (--now only where the verb has it) */
export interface DeleteFlags {
  now?: boolean;
  cascade: string | boolean;
  gracePeriod: string;
  force?: boolean;
  timeout?: string;
  wait: string | boolean;
}

// ---- OverrideFlags (run, expose): a patch over the generated object ----

export const overrideFlags: FlagSet = (c) =>
  c
    .option(
      '--overrides <json>',
      'An inline JSON override for the generated object. If this is non-empty, it is used to override the generated object. Requires that the object supply a valid apiVersion field.',
    )
    .option('--override-type <type>', 'The method used to override the generated object: json, merge, or strategic.', 'merge');

/** cmdutil.Overrider: --overrides applied to the generated object as a --override-type patch. */
export function applyOverrides(obj: KObject, opts: { overrides?: string; overrideType?: string }): KObject {
  const type = opts.overrideType ?? 'merge';
  if (!['json', 'merge', 'strategic'].includes(type)) throw new CliError(`invalid override type: ${type}`);
  if (!opts.overrides) return obj;
  let patch: unknown;
  try {
    patch = JSON.parse(opts.overrides);
  } catch (e) {
    throw new CliError(`error converting YAML to JSON: ${(e as Error).message}`);
  }
  const patched =
    type === 'json'
      ? merge().jsonPatch(obj, patch)
      : type === 'merge'
        ? merge().jsonMergePatch(obj, patch)
        : merge().strategicMergePatch(obj, patch, obj.kind);
  return patched as KObject;
}

// ---- top's flags (TopNodeOptions, TopPodOptions) ----

/** --no-headers, --sort-by and --use-protocol-buffers, which top node and top pod share */
export const metricsFlags =
  (what: 'nodes' | 'pods'): FlagSet =>
  (c) =>
    c
      .option('--no-headers', `If present, print output without headers${what === 'pods' ? '.' : ''}`)
      .option('--sort-by <field>', `If non-empty, sort ${what} list using specified field. The field can be either 'cpu' or 'memory'.`)
      // kubesim reads usage from its own metrics model: the wire format changes nothing a user sees
      .option('--use-protocol-buffers [bool]', 'Enables using protocol-buffers to access Metrics API.', 'true');

export interface MetricsFlags {
  headers?: boolean;
  sortBy?: string;
  useProtocolBuffers?: string | boolean;
}

export interface MetricsOptions {
  noHeaders: boolean;
  sortBy?: 'cpu' | 'memory';
}

/** TopNodeOptions/TopPodOptions.Validate's --sort-by check */
export function metricsOptions(opts: MetricsFlags): MetricsOptions {
  parseBoolFlag(opts.useProtocolBuffers, 'use-protocol-buffers');
  const sortBy = opts.sortBy || undefined;
  if (sortBy !== undefined && sortBy !== 'cpu' && sortBy !== 'memory') throw new CliError('--sort-by accepts only cpu or memory');
  return { noHeaders: opts.headers === false, sortBy };
}
