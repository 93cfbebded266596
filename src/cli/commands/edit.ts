import * as fs from 'node:fs';
import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { ApiError, CliError, errorMessage } from '../../util/errors';
import { updateObject } from '../../api/server';
import { printDeprecation, printWarnings } from '../warnings';
import { computedObject, qualifiedName, resourceName, servedObject } from '../../api/registry';
import { createMergePatch, deepEqual, threeWayMerge } from '../../api/merge';
import type { KObject } from '../../model/objects';
import { formatStructured } from '../../printers/output';
import { parseManifestText } from '../../api/manifest-parser';
import { getTarget, NO_RESOURCES, resolveTargets } from '../object-edit';
import { withLastApplied } from '../apply-object';
import { createThreeWayMergePatch, goJsonMarshal } from '../../api/three-way-patch';
import { fileTargets, refuseArgsWithFiles } from '../resource-builder';
import { subresourceView, writeThrough } from '../subresource';
import { HEADER, launchEditor, withoutComments } from '../editor';
import {
  fieldManagerFlag,
  fileNameFlags,
  hasFileNames,
  parseValidate,
  printFlags,
  printOptions,
  saveConfigFlag,
  validateFlag,
  withFlags,
  type FileNameOptions,
  type PrintFlags,
} from '../flag-sets';

/** edit's flags as commander parses them */
interface EditOptions extends FileNameOptions, PrintFlags {
  outputPatch?: boolean;
  windowsLineEndings?: boolean;
  subresource?: string;
  validate?: string | boolean;
  fieldManager: string;
  saveConfig?: boolean;
}

export function register(program: Command, env: CommandEnv): void {
  withFlags(
    program
      .command('edit')
      .description('Edit a resource on the server with the editor in KUBE_EDITOR or EDITOR')
      .argument('[resource...]', 'TYPE NAME | TYPE/NAME')
      .option('--output-patch', 'Output the patch if the resource is edited.')
      .option('--windows-line-endings', 'Defaults to the line ending native to your platform.')
      .option(
        '--subresource <subresource>',
        'If specified, edit will operate on the subresource of the requested object. This flag is beta and may change in the future.',
      ),
    // -o is the format the object is edited in (yaml or json) and printed in once edited
    printFlags,
    fileNameFlags('to use to edit the resource'),
    validateFlag,
    fieldManagerFlag('kubectl-edit'),
    saveConfigFlag,
  )
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim edit deployment/web\n  KUBE_EDITOR="sed -i s/replicas: 3/replicas: 5/" kubesim edit deployment web',
    )
    .action((resources: string[], opts: EditOptions, cmd: Command) => runEditCommand(env, cmd, resources, opts));
}

/** edit.go Complete, Validate and Run: each object opened in the editor, and what is saved written back */
function runEditCommand(env: CommandEnv, cmd: Command, resources: string[], opts: EditOptions): void {
  const g = globals(cmd, env);
  const format: string = opts.output ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') throw new CliError(`the flag 'output' must be one of yaml|json`);
  const fieldValidation = parseValidate(opts.validate);
  const print = printOptions(opts);
  const subresource: string | undefined = opts.subresource || undefined;
  const files: FileNameOptions = { filename: opts.filename, kustomize: opts.kustomize, recursive: opts.recursive };
  if (hasFileNames(files)) refuseArgsWithFiles(resources);
  else if (!resources.length) throw new CliError(NO_RESOURCES);
  // read, edit with no lock held (the editor may take minutes), then patch what changed
  const read = withSession(
    g,
    (s) =>
      (hasFileNames(files) ? fileTargets(files, undefined, env.io, g) : resolveTargets(s.api, resources, g, {})).map((t) => {
        // what the editor shows is what the patch is computed from: managedFields only with --show-managed-fields
        const got = getTarget(s.api, t);
        printDeprecation(env, t.info);
        const obj = print.showManagedFields ? got : withoutManagedFields(got);
        // --subresource: the editor gets what GET on the subresource returns (a Scale for scale)
        return { kind: obj.kind, info: t.info, view: subresource ? subresourceView(obj, subresource) : obj };
      }),
    { readOnly: true },
  );
  const originals = read.map((r) => r.view);
  const original = formatStructured(originals, format, {
    single: true,
    showManagedFields: print.showManagedFields,
    allowMissingTemplateKeys: print.allowMissingTemplateKeys,
  })!;
  const launched = launchEditor(env.io, `${originals[0].metadata.name}.${format}`, HEADER + original, !!opts.windowsLineEndings);
  const { file, dir } = launched;
  const edited = withoutComments(launched.edited);
  const kept = () => `A copy of your changes has been stored to "${file}"`;
  if (!edited.trim() || edited === withoutComments(HEADER + original)) {
    fs.rmSync(dir, { recursive: true, force: true });
    env.out.line('Edit cancelled, no changes made.');
    return;
  }
  const parsed = parseManifestText(edited, file);
  if (parsed.fatal || parsed.documentErrors.length) throw new CliError(`${parsed.fatal ?? parsed.documentErrors[0]}\n${kept()}`);
  const changedObjects = parsed.manifests.map((m) => m.object);
  let failed = false;
  // editoptions.go editResults.retryable: a patch the server refused for another reason than Invalid or NotFound
  let retryable = false;
  withSession(g, (s) => {
    for (const [index, before] of originals.entries()) {
      const kind = read[index].kind;
      const after = changedObjects.find(
        (o) =>
          o.kind === before.kind &&
          o.metadata?.name === before.metadata.name &&
          (o.metadata.namespace ?? before.metadata.namespace) === before.metadata.namespace,
      );
      // (the group the object was read through: an events.k8s.io Event is edited and patched in that form)
      const info = read[index].info;
      if (!after) {
        env.out.errLine(`error: At least one of apiVersion, kind and name was changed\n${kept()}`);
        failed = true;
        continue;
      }
      if (deepEqual(after, before)) continue;
      try {
        // (a computed kind's objects are made by its GET: its patch is then refused)
        const found = info.computed
          ? computedObject(info, s.now, before.metadata.name)
          : s.store.get(kind, before.metadata.namespace, before.metadata.name);
        const live = found && info.viewOf ? servedObject(info, found, { now: s.now, store: s.store }) : found;
        if (!live) throw new CliError(`${qualifiedName(info, before.metadata.name)} was deleted while it was being edited`);
        // a two-way patch from what was read to what was saved, onto what is there now
        const current = subresource ? subresourceView(live, subresource) : live;
        const { merged } = threeWayMerge(before, after, current, before.kind);
        // --save-config: the edited object is what a later `apply` three-way merges against
        const edited = opts.saveConfig ? withLastApplied(merged as KObject) : (merged as KObject);
        // a subresource write changes only its part of the object (status, or the replicas)
        const patched = subresource ? writeThrough(live, edited, subresource) : edited;
        let written: KObject;
        try {
          written = updateObject(
            s.api,
            { ...patched, metadata: { ...patched.metadata, resourceVersion: live.metadata.resourceVersion } },
            {
              fieldValidation,
              patch: createMergePatch(before, after),
              fieldManager: opts.fieldManager,
              ...(subresource === 'status' ? { subresource: 'status' as const } : {}),
            },
          );
        } finally {
          printWarnings(env, s.store);
        }
        // the two-way patch from what was read to what was saved (CreateTwoWayMergePatch)
        if (opts.outputPatch) env.out.line(`Patch: ${goJsonMarshal(createThreeWayMergePatch(before, after, before, before.kind))}`);
        const shown = subresource
          ? subresourceView(written, subresource)
          : info.viewOf
            ? servedObject(info, written, { now: s.now, store: s.store })
            : written;
        const printed = opts.output ? formatStructured([shown], opts.output, { single: true, cwd: env.io.cwd, ...print }) : undefined;
        const name = shown.kind === 'Scale' ? `scale.autoscaling/${shown.metadata.name}` : qualifiedName(info, before.metadata.name);
        env.out.out(printed ?? `${name} edited\n`);
      } catch (e) {
        failed = true;
        if (e instanceof ApiError && e.reason === 'MethodNotAllowed') {
          // editResults.addError's default case: `could not be patched: <the server's message>`
          const message = e.message.replace(/^Error from server \([A-Za-z]+\): /, '');
          env.out.errLine(`error: ${resourceName(info)} "${before.metadata.name}" could not be patched: ${message}`);
          retryable = true;
          continue;
        }
        env.out.errLine(`${e instanceof CliError && !e.raw ? `error: ${e.message}` : errorMessage(e)}\n${kept()}`);
      }
    }
  });
  // edit.go: then one line for all of them, naming the program as it was run (os.Args[0])
  if (retryable) env.out.errLine(`You can run \`kubesim replace -f ${file}\` to try this update again.`);
  if (failed) env.exitCode = 1;
  else fs.rmSync(dir, { recursive: true, force: true });
}

function withoutManagedFields(obj: KObject): KObject {
  const { managedFields: _m, ...metadata } = obj.metadata as KObject['metadata'] & { managedFields?: unknown };
  return { ...obj, metadata };
}
