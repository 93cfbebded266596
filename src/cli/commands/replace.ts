import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError, errorMessage } from '../../util/errors';
import { updateObject } from '../../api/server';
import { qualifiedName } from '../../api/registry';
import { KUSTOMIZE_FLAG, fileErrors, loadManifestFiles } from '../manifests';
import { kindForManifest, targetNamespace, wrapApplyError } from '../apply-object';
import { collect } from './apply';

export function register(program: Command, env: CommandEnv): void {
  program
    .command('replace')
    .description('Replace a resource by file name or stdin')
    .option('-f, --filename <file>', 'The files that contain the configurations to replace', collect, [])
    .option(...KUSTOMIZE_FLAG)
    .option('-R, --recursive', 'Process the directory used in -f recursively')
    .addHelpText('after', '\nExamples:\n  kubesim get cm app -o json > app.json   # edit it\n  kubesim replace -f app.json')
    .action((opts, cmd: Command) => {
      const g = globals(cmd, env);
      const files = loadManifestFiles(opts.filename, { recursive: opts.recursive, kustomize: opts.kustomize, io: env.io });
      let failed = false;
      withSession(g, (s) => {
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
              try {
                // a resourceVersion in the manifest makes this an optimistic-concurrency write
                updateObject(s.api, { ...m.object, metadata: { ...m.object.metadata, namespace: ns } });
              } catch (e) {
                throw wrapApplyError(e, 'replacing', m.source);
              }
              env.out.line(`${qualifiedName(info, m.object.metadata.name)} replaced`);
            } catch (e) {
              failed = true;
              env.out.errLine(e instanceof CliError && !e.raw ? `error: ${e.message}` : errorMessage(e));
            }
          }
        }
      });
      env.exitCode = failed ? 1 : 0;
    });
}
