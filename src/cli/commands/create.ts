import { checkRawUri, rawBodyFile, runRaw } from '../raw';
import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError, errorMessage } from '../../util/errors';
import { createObject } from '../../api/server';
import type { KObject } from '../../model/objects';
import { servedObject } from '../../api/registry';
import { fileErrors, loadManifestFiles } from '../manifests';
import { kindForManifest, targetNamespace, withLastApplied, wrapApplyError } from '../apply-object';
import { matchesLabelSelector } from '../resource-builder';
import {
  fileNameFlags,
  type FileNameOptions,
  type PrintFlags,
  labelSelectorFlag,
  printFlags,
  printOptions,
  saveConfigFlag,
  withFlags,
  writeFlags,
  serverWriteOptions,
  writeOptions,
} from '../flag-sets';
import { formatStructured, validateOutputFormat } from '../../printers/output';
import * as fs from 'node:fs';
import { parseManifestText, type Manifest, type ManifestFile } from '../../api/manifest-parser';
import { HEADER, launchEditor, withoutComments } from '../editor';
import { printWarnings } from '../warnings';
import { registerBatchCreate } from './create-batch';
import { registerRbacCreate } from './create-rbac';
import { registerIngressCreate } from './create-ingress';
import { registerTokenCreate } from './create-token';
import { registerDataCreate } from './create-data';
import { createDeployment, createNamespace, createPodDisruptionBudget, createPriorityClass, createQuota } from './create-simple';
import { registerServiceCreate } from './create-service';
import { printCreated } from '../create-generated';

/**
 * create --edit: every object of the files is opened in the editor (yaml with kubectl's header,
 * or json with -o json) and what is saved is created instead; an unchanged or emptied file
 * creates nothing (editoptions.go).
 */
function editBeforeCreate(env: CommandEnv, files: ManifestFile[], output: string | undefined, crlf: boolean): ManifestFile[] {
  const format = output === 'json' ? 'json' : 'yaml';
  return files.map((file) => {
    const manifests: Manifest[] = [];
    for (const m of file.manifests) {
      const original = (format === 'yaml' ? HEADER : '') + formatStructured([m.object], format, { single: true })!;
      const { edited, file: saved, dir } = launchEditor(env.io, `${m.object.metadata?.name ?? 'edit'}.${format}`, original, crlf);
      if (withoutComments(edited) === withoutComments(original)) {
        fs.rmSync(dir, { recursive: true, force: true });
        env.out.errLine('Edit cancelled, no changes made.');
        continue;
      }
      if (!withoutComments(edited).trim()) {
        fs.rmSync(dir, { recursive: true, force: true });
        env.out.errLine('Edit cancelled, saved file was empty.');
        continue;
      }
      const parsed = parseManifestText(withoutComments(edited), 'edited-file');
      if (parsed.fatal || parsed.documentErrors.length)
        throw new CliError(`${parsed.fatal ?? parsed.documentErrors[0]}\nA copy of your changes has been stored to "${saved}"`);
      fs.rmSync(dir, { recursive: true, force: true });
      manifests.push(...parsed.manifests);
    }
    return { ...file, manifests };
  });
}

/** create's own flags (create -f) as commander parses them */
interface CreateOptions extends FileNameOptions, PrintFlags {
  selector?: string;
  dryRun?: string;
  validate?: string;
  fieldManager: string;
  saveConfig?: boolean;
  edit?: boolean;
  windowsLineEndings?: boolean;
  raw?: string;
}

export function register(program: Command, env: CommandEnv): void {
  const create = withFlags(
    program.command('create').description('Create a resource from a file or from stdin'),
    fileNameFlags('to use to create the resource'),
    printFlags,
    labelSelectorFlag,
    writeFlags('kubectl-create'),
    saveConfigFlag,
  )
    .option('--edit', 'Edit the API resource before creating')
    .option('--windows-line-endings', 'Only relevant if --edit=true. Defaults to the line ending native to your platform.')
    .option('--raw <uri>', 'Raw URI to POST to the server.  Uses the transport specified by the kubeconfig file.')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim create -f pod.yaml\n  kubesim create namespace shop\n  kubesim create deployment web --image=nginx --replicas=3',
    )
    .action((opts: CreateOptions, cmd: Command) => {
      const g = globals(cmd, env);
      if (opts.raw !== undefined) {
        checkRawUri(opts.raw);
        runRaw('POST', opts.raw, g, env, rawBodyFile(opts.filename, opts));
        return;
      }
      const write = writeOptions(opts);
      const { dryRun } = write;
      const print = printOptions(opts);
      validateOutputFormat(print.output);
      const loaded = loadManifestFiles(opts.filename, { recursive: opts.recursive, kustomize: opts.kustomize, io: env.io });
      // --edit: each object goes through the editor first (RunEditOnCreate, EditBeforeCreateMode)
      const files = opts.edit ? editBeforeCreate(env, loaded, print.output, !!opts.windowsLineEndings) : loaded;
      let failed = false;
      withSession(
        g,
        (s) => {
          for (const file of files)
            for (const msg of fileErrors(file)) {
              failed = true;
              env.out.errLine(`error: ${msg}`);
            }
          // (--edit runs the editor's create, which has no such check: a cancelled edit creates nothing)
          if (!files.some((f) => f.manifests.length) && !failed && !opts.edit) throw new CliError('no objects passed to create');
          for (const file of files) {
            // -l: only the objects the selector matches are created (kubectl's builder filters them)
            for (const m of file.manifests.filter((m) => matchesLabelSelector(m.object, opts.selector))) {
              try {
                const info = kindForManifest(m);
                const ns = targetNamespace(info, m.object, g.namespace, g.namespaceExplicit);
                // --save-config: what `kubectl apply` would have stored, so a later apply three-way merges
                const object = opts.saveConfig ? withLastApplied(m.object) : m.object;
                let created: KObject;
                try {
                  created = createObject(s.api, { ...object, metadata: { ...object.metadata, namespace: ns } }, serverWriteOptions(write));
                } catch (e) {
                  printWarnings(env, s.store);
                  throw wrapApplyError(e, 'creating', m.source);
                }
                printWarnings(env, s.store);
                // the answer is in the version the request named (an events.k8s.io/v1 Event, stored as a core one)
                if (info.viewOf) created = servedObject(info, created, { now: s.now, store: s.store });
                printCreated(env, [created], print, dryRun);
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
    });

  // kubectl's help order
  createNamespace(create, env);
  registerDataCreate(create, env);
  createDeployment(create, env);
  createPriorityClass(create, env);
  createPodDisruptionBudget(create, env);
  createQuota(create, env);
  registerBatchCreate(create, env);
  registerRbacCreate(create, env);
  registerIngressCreate(create, env);
  registerTokenCreate(create, env);
  registerServiceCreate(create, env);
}
