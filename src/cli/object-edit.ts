import type { Command } from 'commander';
import type { CommandEnv } from './program';
import { CliError, notFound } from '../util/errors';
import { updateObject, type ApiContext } from '../api/server';
import { formatStructured, validateOutputFormat } from '../printers/output';
import { fileErrors, loadManifestFiles } from './manifests';
import { kindForManifest } from './apply-object';
import { checkVerb, computedObject, kindInfo, kindInfoOfObject, qualifiedName, resourceName, servedObject } from '../api/registry';
import { clone, type KObject } from '../model/objects';
import { createMergePatch, deepEqual } from '../api/merge';
import { withRequestShape, type RequestShape } from '../api/request-log';
import { printDeprecation, printWarnings } from './warnings';
import { matches, parseSelector } from '../api/labels';
import { resolveType } from './resource-args';
import { globals, withSession, type Globals } from './context';
import type { Session } from '../engine/session';
import { dryRunSuffix, parseDryRun } from './flags';
import { fileTargets, singleFileImplied, type Target } from './resource-builder';
import {
  allNamespacesFlag,
  fieldManagerFlag,
  fieldSelectorFlag,
  fileNameFlags,
  hasFileNames,
  printFlags,
  printOptions,
  withFlags,
} from './flag-sets';
import { fieldSelectorFor } from './resource-builder';
import { matchesFields } from '../api/field-selector';

/**
 * Splits `label`/`annotate`/`taint`/`set` arguments into resources and KEY=VAL / KEY- changes: the
 * first change ends the resources (cmdutil.GetResourcesAndPairs).
 */
export function splitResourcesAndChanges(
  args: string[],
  isChange: (a: string) => boolean,
  pairType = 'label',
): { resources: string[]; changes: string[] } {
  const resources: string[] = [];
  const changes: string[] = [];
  for (const a of args) {
    if (isChange(a)) changes.push(a);
    else if (changes.length) throw new CliError(`all resources must be specified before ${pairType} changes: ${a}`);
    else resources.push(a);
  }
  return { resources, changes };
}

export type { Target } from './resource-builder';

/** Resolves `TYPE NAME...`, `TYPE/NAME...`, or `TYPE` with -l/--all to concrete objects. */
export function resolveTargets(
  api: ApiContext,
  resources: string[],
  g: Globals,
  opts: { selector?: string; all?: boolean; fieldSelector?: string; allNamespaces?: boolean },
): Target[] {
  if (!resources.length) throw new CliError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
  const targets: Target[] = [];
  if (resources[0].includes('/')) {
    for (const r of resources) {
      const [type, name] = r.split('/');
      const info = resolveType(type);
      targets.push({ info, namespace: info.namespaced ? g.namespace : undefined, name });
    }
  } else {
    const info = resolveType(resources[0]);
    const ns = info.namespaced ? g.namespace : undefined;
    const names = resources.slice(1);
    if (names.length) for (const name of names) targets.push({ info, namespace: ns, name });
    else if (opts.selector || opts.all || opts.fieldSelector) {
      const sel = opts.selector ? parseSelector(opts.selector) : [];
      const fields = opts.fieldSelector ? fieldSelectorFor(info, opts.fieldSelector) : [];
      for (const o of api.store.list(info.kind, opts.allNamespaces ? undefined : ns))
        if (matches(sel, o.metadata.labels) && matchesFields(fields, o))
          targets.push({ info, namespace: o.metadata.namespace, name: o.metadata.name });
    } else throw new CliError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
  }
  return targets;
}

export function getTarget(api: ApiContext, t: Target): KObject {
  // a computed kind's (componentstatuses') GET answers from its handler; its patch is then refused (registry.checkVerb)
  const obj = t.info.computed ? computedObject(t.info, api.now, t.name) : api.store.get(t.info.kind, t.namespace, t.name);
  if (!obj) throw notFound(resourceName(t.info), t.name);
  // another group's view of the storage (events.k8s.io Events) GETs the object in its own form
  return t.info.viewOf ? servedObject(t.info, obj, { now: api.now, store: api.store }) : obj;
}

/**
 * Applies KEY=VALUE / KEY- changes to a string map (labels or annotations) with kubectl's
 * --overwrite rule. Returns whether anything changed.
 */
export function editStringMap(map: Record<string, string>, changes: string[], overwrite: boolean, what: 'label' | 'annotation'): boolean {
  let changed = false;
  for (const c of changes) {
    if (c.endsWith('-') && !c.includes('=')) {
      const key = c.slice(0, -1);
      if (key in map) {
        delete map[key];
        changed = true;
      }
      continue;
    }
    const eq = c.indexOf('=');
    if (eq <= 0) throw new CliError(`invalid ${what} spec: ${c}`);
    const key = c.slice(0, eq);
    const value = c.slice(eq + 1);
    if (key in map && map[key] !== value && !overwrite)
      throw new CliError(`'${key}' already has a value (${map[key]}), and --overwrite is false`);
    if (map[key] !== value) {
      map[key] = value;
      changed = true;
    }
  }
  return changed;
}

/** -f/-k/-R, --local, PrintFlags and --field-manager, which the commands that edit objects in place share with kubectl */
export function addEditFlags(c: Command, flags: { local?: boolean; fieldManager?: string } = {}): Command {
  withFlags(c, fileNameFlags('identifying the resource to update'), printFlags);
  if (flags.fieldManager) fieldManagerFlag(flags.fieldManager)(c);
  if (flags.local !== false) c.option('--local', 'If true, the command will NOT contact the api-server but run locally');
  return c;
}

export interface EditFlags {
  filename?: string[];
  kustomize?: string;
  showManagedFields?: string | boolean;
  recursive?: boolean;
  local?: boolean;
  output?: string;
  selector?: string;
  all?: boolean;
  fieldSelector?: string;
  allNamespaces?: boolean;
  dryRun?: string;
  /** patch --subresource=status: the write goes to the status subresource */
  subresource?: string;
  /** --field-manager (managedFields' manager; unset: the API server's default, `kubectl`) */
  fieldManager?: string;
}

/** What an edit of one object says: `labeled`, `image updated` (nothing when it printed its own report); or a per-object refusal. */
export type Edit = (obj: KObject) => {
  changed: boolean;
  verb?: string;
  /** a new object instead of the edited copy */
  object?: KObject;
  /** the PATCH body sent (the server's refusals quote it) */
  patch?: unknown;
  /** the verb when the server answers with the object as it was (kubectl patch compares its response) */
  unchangedVerb?: string;
};

/** kubectl's refusal when neither arguments nor -f name an object */
export const NO_RESOURCES =
  "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/** What a verb adds around the edits of runEdit when it talks to the cluster */
export interface EditHooks {
  /** a check of all the objects found, before any is edited (scale's --resource-version with one object) */
  found?: (targets: Target[]) => void;
  /** after an object was written (not on a dry run): scale --timeout waits here */
  written?: (s: Session, obj: KObject) => void;
  /** what -o prints of a written object (patch --subresource=scale: the Scale) */
  shown?: (obj: KObject) => KObject;
  /**
   * The PATCH kubectl sends for the edit, for the -v request log (kubesim writes the edited
   * object): its content type, subresource, and body (default: the merge patch from live to edited).
   */
  request?: { contentType: string; subresource?: string; body?: (live: KObject, edited: KObject) => unknown };
  /** false: the result line never says `(dry run)` (patch.go's ToPrinter sets no dry-run strategy on its printer) */
  dryRunSuffix?: false;
}

/** kubectl label/annotate/scale: a JSON merge patch */
export const MERGE_PATCH = 'application/merge-patch+json';
/** kubectl set, taint, rollout: a strategic merge patch (logged with the JSON merge patch's body) */
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';

/** An error for one object that kubectl prints before going on with the next (exit status 1 at the end). */
export class ObjectEditError extends CliError {}

/**
 * The shared body of label, annotate, set and patch: the objects named by arguments (or -l/--all),
 * or by the manifests of -f; each edited on a copy, written back when it changed (unless a dry run),
 * and reported by a line or printed with -o. With --local the manifests themselves are edited and
 * printed and the cluster is not opened.
 */
export function runEdit(env: CommandEnv, cmd: Command, resources: string[], opts: EditFlags, edit: Edit, hooks: EditHooks = {}): void {
  const g = globals(cmd, env);
  const dryRun = parseDryRun(opts.dryRun);
  validateOutputFormat(opts.output);
  const print = printOptions(opts);
  const files = opts.filename ?? [];
  let failed = false;
  const report = (obj: KObject, verb: string | undefined, suffix: string) => {
    if (verb === undefined) return;
    const text = formatStructured([hooks.shown ? hooks.shown(obj) : obj], print.output, {
      single: true,
      cwd: env.io.cwd,
      showManagedFields: print.showManagedFields,
      allowMissingTemplateKeys: print.allowMissingTemplateKeys,
    });
    if (text !== undefined) env.out.out(text);
    else env.out.line(`${qualifiedName(kindInfoOfObject(obj) ?? kindInfo(obj.kind)!, obj.metadata.name)} ${verb}${suffix}`);
  };
  const each = (obj: KObject, write: (edited: KObject, patch: unknown) => KObject, suffix: string, sent?: () => void) => {
    try {
      const copy = clone(obj);
      const { changed, verb, object, patch, unchangedVerb } = edit(copy);
      const edited = object ?? copy;
      // an edit that reports a result sent its PATCH even when it changes nothing (kubesim writes
      // only a change): what refuses the request refuses it then too
      if (!changed && verb !== undefined) sent?.();
      const written = changed ? write(edited, patch) : edited;
      report(written, changed && unchangedVerb && deepEqual(written, obj) ? unchangedVerb : verb, suffix);
    } catch (e) {
      if (!(e instanceof ObjectEditError)) throw e;
      failed = true;
      env.out.errLine(`error: ${e.message}`);
    }
  };
  if (opts.local) {
    for (const file of loadManifestFiles(files, { recursive: opts.recursive, kustomize: opts.kustomize, io: env.io })) {
      for (const m of file.manifests) {
        kindForManifest(m);
        each(m.object, (edited) => edited, '');
      }
      // the documents before a syntax error are printed, then the errors
      for (const msg of fileErrors(file)) {
        failed = true;
        env.out.errLine(`error: ${msg}`);
      }
    }
  } else {
    withSession(
      g,
      (s) => {
        const fileNames = { filename: files, recursive: opts.recursive, kustomize: opts.kustomize };
        const targets: Target[] = hasFileNames(fileNames)
          ? fileTargets(fileNames, opts.selector, env.io, g)
          : resolveTargets(s.api, resources, g, opts);
        hooks.found?.(targets);
        for (const t of targets) {
          const live = getTarget(s.api, t);
          printDeprecation(env, t.info);
          each(
            live,
            // an edit is unconditional, unless it set a resourceVersion itself (a patch carrying
            // metadata.resourceVersion): then the API server's optimistic concurrency check applies
            (edited, patch) => {
              // set and taint send a strategic merge patch, unless the verb says otherwise
              const request = hooks.request ?? { contentType: STRATEGIC_MERGE_PATCH };
              const shape: RequestShape = {
                patch: {
                  contentType: request.contentType,
                  subresource: request.subresource,
                  body: () => (request.body ? request.body(live, edited) : createMergePatch(live, edited)),
                },
              };
              try {
                const written = withRequestShape(shape, () =>
                  updateObject(
                    s.api,
                    edited.metadata.resourceVersion === live.metadata.resourceVersion
                      ? { ...edited, metadata: { ...edited.metadata, resourceVersion: undefined } }
                      : edited,
                    {
                      dryRun: dryRun !== 'none',
                      patch,
                      ...(opts.fieldManager ? { fieldManager: opts.fieldManager } : {}),
                      ...(opts.subresource === 'status' ? { subresource: 'status' as const } : {}),
                      ...(opts.subresource === 'scale' ? { managerSubresource: 'scale' as const } : {}),
                    },
                  ),
                );
                if (dryRun === 'none') hooks.written?.(s, written);
                // (the PATCH's answer is in the group it was sent to: an events.k8s.io Event as that group serves it)
                return t.info.viewOf ? servedObject(t.info, written, { now: s.now, store: s.store }) : written;
              } finally {
                printWarnings(env, s.store);
              }
            },
            hooks.dryRunSuffix === false ? '' : dryRunSuffix(dryRun),
            // (a client-side dry run sends nothing: patch.go applies the patch to what it got)
            () => {
              if (dryRun !== 'client') checkVerb(t.info, 'patch');
            },
          );
        }
      },
      { dryRun: dryRun !== 'none' },
    );
  }
  if (failed) env.exitCode = 1;
}

/** label's and annotate's flags as commander parses them */
interface MetadataMapOptions extends EditFlags {
  filename: string[];
  overwrite?: boolean;
  list?: boolean;
  resourceVersion?: string;
}

/** `label` and `annotate` are the same command over different maps. */
export function registerMetadataMapCommand(
  program: Command,
  env: CommandEnv,
  spec: { verb: 'label' | 'annotate'; field: 'labels' | 'annotations'; description: string; examples: string },
): void {
  // kubectl's own wording differs between the two (pod.yaml vs rsrc.yaml)
  const example = spec.verb === 'label' ? ['pod.yaml', 'pod.json'] : ['rsrc.yaml', 'rsrc.json'];
  const what = spec.field === 'labels' ? 'label' : 'annotation';
  const command = addEditFlags(
    program
      .command(spec.verb)
      .description(spec.description)
      .argument('[args...]', 'TYPE NAME KEY_1=VAL_1 ... KEY_N=VAL_N | TYPE NAME KEY-')
      .option('--overwrite', `allow ${spec.field} to be overwritten`)
      .option('-l, --selector <selector>', 'Selector (label query) to filter on')
      .option('--all', 'Select all resources in the namespace of the specified resource types')
      .option('--dry-run [strategy]', 'Must be "none", "server", or "client"', 'none')
      .option('--list', `If true, display the ${spec.field} for a given resource.`)
      .option(
        '--resource-version <version>',
        `If non-empty, the ${spec.field === 'labels' ? 'labels' : 'annotation'} update will only succeed if this is the current resource-version for the object. Only valid when specifying a single resource.`,
      ),
    { fieldManager: `kubectl-${spec.verb}` },
  );
  withFlags(command, fieldSelectorFlag, allNamespacesFlag)
    .addHelpText('after', `\nExamples:\n${spec.examples}`)
    .action((args: string[], opts: MetadataMapOptions, cmd: Command) => {
      // kubectl's test for a change: KEY=VALUE (not starting with =) or KEY-
      const isChange = (a: string) => (a.includes('=') && a[0] !== '=') || (a.endsWith('-') && a !== '-');
      const { resources, changes } = splitResourcesAndChanges(args, isChange, what);
      // annotate lists its annotations beside -o; label refuses the two together
      if (spec.verb === 'label' && opts.list && opts.output) throw new CliError('--list and --output may not be specified together');
      if (opts.local && resources.length)
        throw new CliError(`can only use local files by -f ${example[0]} or --filename=${example[1]} when --local=true is set`);
      if (opts.local && !opts.filename.length)
        throw new CliError(`one or more files must be specified as -f ${example[0]} or --filename=${example[1]}`);
      if (!resources.length && !opts.filename.length)
        throw new CliError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
      if (!changes.length && !opts.list) throw new CliError(`at least one ${what} update is required`);
      // IntoSingleItemImplied: one TYPE NAME (or TYPE/NAME), or one file
      const one = opts.filename.length
        ? singleFileImplied(opts, env.io.cwd)
        : (resources.length === 2 && !resources[0].includes('/')) || (resources.length === 1 && resources[0].includes('/'));
      const resourceVersion: string | undefined = opts.resourceVersion || undefined;
      if (resourceVersion !== undefined && !one) throw new CliError('--resource-version may only be used with a single resource');
      const onlyRemovals = changes.every((c) => c.endsWith('-') && !c.includes('='));
      runEdit(
        env,
        cmd,
        resources,
        opts,
        (obj) => {
          const map = { ...(obj.metadata[spec.field] ?? {}) };
          const changed = editStringMap(map, changes, !!opts.overwrite, what);
          if (opts.list) {
            // the changes are made on the copy only, and the resulting map listed (sorted: Go's map order is random)
            listMap(env, obj, map, spec.field, one);
            return { changed: false };
          }
          obj.metadata[spec.field] = map;
          if (!Object.keys(map).length) delete obj.metadata[spec.field];
          // the update carries this resourceVersion, so the API server refuses it if the object moved on
          if (resourceVersion !== undefined) obj.metadata.resourceVersion = resourceVersion;
          const verb =
            spec.field === 'labels'
              ? changed
                ? onlyRemovals
                  ? 'unlabeled'
                  : 'labeled'
                : 'not labeled'
              : changed
                ? 'annotated'
                : 'not annotated';
          return { changed, verb };
          // label.go/annotate.go: helper.Patch(…, types.MergePatchType, CreateMergePatch(old, new))
        },
        { request: { contentType: MERGE_PATCH } },
      );
    });
}

/** --list: `k=v` lines, under `Listing labels for Kind.group/name:` when several objects may be listed. */
function listMap(env: CommandEnv, obj: KObject, map: Record<string, string>, field: 'labels' | 'annotations', one: boolean): void {
  const indent = one ? '' : ' ';
  if (!one) {
    const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
    env.out.line(`Listing ${field} for ${obj.kind}.${group}/${obj.metadata.name}:`);
  }
  for (const key of Object.keys(map).sort()) env.out.line(`${indent}${key}=${map[key]}`);
}
