import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError, errorMessage } from '../../util/errors';
import { updateObject } from '../../api/server';
import { printWarnings } from '../warnings';
import { kindInfo, qualifiedName } from '../../api/registry';
import { createMergePatch, deepEqual, threeWayMerge } from '../../api/merge';
import type { KObject } from '../../model/objects';
import { formatStructured } from '../../printers/output';
import { parseManifestText } from '../../api/manifest-parser';
import { getTarget, NO_RESOURCES, resolveTargets } from '../object-edit';
import { withLastApplied } from '../apply-object';
import { createThreeWayMergePatch, goJsonMarshal } from '../../api/three-way-patch';
import { fileTargets, refuseArgsWithFiles } from '../resource-builder';
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
} from '../flag-sets';

/** What kubectl writes above the object (editor.go). */
const HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

/**
 * kubectl's editor choice: KUBE_EDITOR, then EDITOR, else vi; a command with quotes or
 * backslashes goes to the shell, one with spaces is split on them (editor.go defaultEnvEditor).
 */
function editorCommand(env: Record<string, string | undefined>, file: string): { command: string; args: string[]; shown: string } {
  const editor = env.KUBE_EDITOR || env.EDITOR || 'vi';
  if (/["'\\]/.test(editor)) return { command: env.SHELL || '/bin/bash', args: ['-c', `${editor} ${JSON.stringify(file)}`], shown: editor };
  const [command, ...args] = editor.split(' ');
  return { command, args: [...args, file], shown: editor };
}

/** The edited text without kubectl's comment lines (an empty result cancels the edit). */
function withoutComments(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join('\n');
}

export function register(program: Command, env: CommandEnv): void {
  withFlags(
    program
      .command('edit')
      .description('Edit a resource on the server with the editor in KUBE_EDITOR or EDITOR')
      .argument('[resource...]', 'TYPE NAME | TYPE/NAME')
      .option('--output-patch', 'Output the patch if the resource is edited.')
      .option('--windows-line-endings', 'Defaults to the line ending native to your platform.'),
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
    .action((resources: string[], opts, cmd: Command) => {
      const g = globals(cmd, env);
      const format: string = opts.output ?? 'yaml';
      if (format !== 'yaml' && format !== 'json') throw new CliError(`the flag 'output' must be one of yaml|json`);
      const fieldValidation = parseValidate(opts.validate);
      const print = printOptions(opts);
      const files: FileNameOptions = { filename: opts.filename, kustomize: opts.kustomize, recursive: opts.recursive };
      if (hasFileNames(files)) refuseArgsWithFiles(resources);
      else if (!resources.length) throw new CliError(NO_RESOURCES);
      // read, edit with no lock held (the editor may take minutes), then patch what changed
      const originals = withSession(
        g,
        (s) =>
          (hasFileNames(files) ? fileTargets(files, undefined, env.io, g) : resolveTargets(s.api, resources, g, {})).map((t) =>
            // what the editor shows is what the patch is computed from: managedFields only with --show-managed-fields
            print.showManagedFields ? getTarget(s.api, t) : withoutManagedFields(getTarget(s.api, t)),
          ),
        { readOnly: true },
      );
      const original = formatStructured(originals, format, {
        single: true,
        showManagedFields: print.showManagedFields,
        allowMissingTemplateKeys: print.allowMissingTemplateKeys,
      })!;
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-edit-'));
      const file = path.join(dir, `${originals[0].metadata.name}.${format}`);
      // the editor gets CRLF line endings with --windows-line-endings (crlf.NewCRLFWriter)
      const crlf = (text: string) => (opts.windowsLineEndings ? text.replace(/\n/g, '\r\n') : text);
      fs.writeFileSync(file, crlf(HEADER + original));
      const editor = editorCommand(env.io.env, file);
      const run = spawnSync(editor.command, editor.args, { stdio: 'inherit', env: env.io.env as NodeJS.ProcessEnv, cwd: env.io.cwd });
      if (run.error || run.status !== 0) {
        fs.rmSync(dir, { recursive: true, force: true });
        throw new CliError(`there was a problem with the editor "${editor.shown}"`);
      }
      const edited = withoutComments(fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n'));
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
      withSession(g, (s) => {
        for (const before of originals) {
          const after = changedObjects.find(
            (o) =>
              o.kind === before.kind &&
              o.metadata?.name === before.metadata.name &&
              (o.metadata.namespace ?? before.metadata.namespace) === before.metadata.namespace,
          );
          const info = kindInfo(before.kind)!;
          if (!after) {
            env.out.errLine(`error: At least one of apiVersion, kind and name was changed\n${kept()}`);
            failed = true;
            continue;
          }
          if (deepEqual(after, before)) continue;
          try {
            const live = s.store.get(before.kind, before.metadata.namespace, before.metadata.name);
            if (!live) throw new CliError(`${qualifiedName(info, before.metadata.name)} was deleted while it was being edited`);
            // a two-way patch from what was read to what was saved, onto what is there now
            const { merged } = threeWayMerge(before, after, live, before.kind);
            // --save-config: the edited object is what a later `apply` three-way merges against
            const patched = opts.saveConfig ? withLastApplied(merged as KObject) : (merged as KObject);
            let written: KObject;
            try {
              written = updateObject(
                s.api,
                { ...patched, metadata: { ...patched.metadata, resourceVersion: live.metadata.resourceVersion } },
                { fieldValidation, patch: createMergePatch(before, after), fieldManager: opts.fieldManager },
              );
            } finally {
              printWarnings(env, s.store);
            }
            // the two-way patch from what was read to what was saved (CreateTwoWayMergePatch)
            if (opts.outputPatch) env.out.line(`Patch: ${goJsonMarshal(createThreeWayMergePatch(before, after, before, before.kind))}`);
            const printed = opts.output ? formatStructured([written], opts.output, { single: true, cwd: env.io.cwd, ...print }) : undefined;
            env.out.out(printed ?? `${qualifiedName(info, before.metadata.name)} edited\n`);
          } catch (e) {
            env.out.errLine(`${e instanceof CliError && !e.raw ? `error: ${e.message}` : errorMessage(e)}\n${kept()}`);
            failed = true;
          }
        }
      });
      if (failed) env.exitCode = 1;
      else fs.rmSync(dir, { recursive: true, force: true });
    });
}

function withoutManagedFields(obj: KObject): KObject {
  const { managedFields: _m, ...metadata } = obj.metadata as KObject['metadata'] & { managedFields?: unknown };
  return { ...obj, metadata };
}
