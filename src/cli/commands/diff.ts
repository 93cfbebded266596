import type { Command } from 'commander';
import { CliError, errorMessage } from '../../util/errors';
import { globals, withSession } from '../context';
import type { CommandEnv } from '../program';
import { KUSTOMIZE_FLAG, fileErrors, loadManifestFiles } from '../manifests';
import { applyManifest, kindForManifest, targetNamespace } from '../apply-object';
import { toYaml } from '../../printers/serialize';
import { unifiedDiff } from '../../printers/unified-diff';
import type { KObject } from '../../model/objects';
import { collect } from './apply';
import { printWarnings } from '../warnings';

/**
 * kubectl diff: a server-side dry-run apply of each object, then `diff -u -N` of the
 * live object against the result. Exit status: 0 no differences, 1 differences,
 * 2 (kubectl's error exit + 1) when something failed.
 */
export function register(program: Command, env: CommandEnv): void {
  program
    .command('diff')
    .description('Diff the live version against a would-be applied version')
    .option('-f, --filename <file>', 'Filename, directory, or URL to files containing the configuration to diff', collect, [])
    .option(...KUSTOMIZE_FLAG)
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively')
    .option('--server-side', 'Accepted for compatibility; kubesim diffs a client-side apply')
    .option('--force-conflicts', 'Accepted for compatibility')
    .addHelpText(
      'after',
      '\nExit status:\n  0 No differences were found.\n  1 Differences were found.\n  >1 kubesim or diff failed with an error.\n\nExamples:\n  # Diff resources included in app.yaml\n  kubesim diff -f app.yaml',
    )
    .action((opts, cmd: Command) => {
      try {
        run(opts, cmd);
      } catch (e) {
        throw asDiffError(e);
      }
    });

  function run(opts: { filename: string[]; recursive?: boolean; kustomize?: string }, cmd: Command): void {
    const g = globals(cmd, env);
    const files = loadManifestFiles(opts.filename, { recursive: opts.recursive, kustomize: opts.kustomize, io: env.io });
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
        for (const file of files) {
          for (const m of file.manifests) {
            try {
              const info = kindForManifest(m);
              const ns = targetNamespace(info, m.object, g.namespace, g.namespaceExplicit);
              const live = s.store.get(info.kind, ns, m.object.metadata?.name);
              // a dry-run apply without fieldValidation: the server's default warns and drops unknown fields
              let merged: KObject;
              try {
                merged = applyManifest(s.api, m, ns, { dryRun: true }).object;
              } finally {
                printWarnings(env, s.store);
              }
              const name = `${info.group ? `${info.group}.` : ''}${info.version}.${info.kind}.${ns ?? ''}.${merged.metadata.name}`;
              const text = unifiedDiff(live ? yaml(live) : '', yaml(merged), {
                from: `/tmp/LIVE-kubesim/${name}`,
                to: `/tmp/MERGED-kubesim/${name}`,
                fromTime: live ? time : '1970-01-01 00:00:00.000000000 +0000',
                toTime: time,
              });
              if (text) {
                changed = true;
                env.out.out(`diff -u -N /tmp/LIVE-kubesim/${name} /tmp/MERGED-kubesim/${name}\n${text}`);
              }
            } catch (e) {
              failed = true;
              env.out.errLine(e instanceof CliError && !e.raw ? `error: ${e.message}` : errorMessage(e));
            }
          }
        }
      },
      { dryRun: true },
    );
    env.exitCode = failed ? 2 : changed ? 1 : 0;
  }
}

function yaml(obj: KObject): string {
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
