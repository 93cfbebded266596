import type { Command } from 'commander';
import { CliError, errorMessage } from '../../util/errors';
import { globals, withSession } from '../context';
import type { CommandEnv } from '../program';
import { KUSTOMIZE_FLAG, loadManifestFiles } from '../manifests';
import { applyManifest, kindForManifest, LAST_APPLIED, targetNamespace } from '../apply-object';
import { formatStructured, validateOutputFormat } from '../../printers/output';
import { deleteObject } from '../../api/server';
import { allKinds, qualifiedName } from '../../api/registry';
import { matches, parseSelector } from '../../api/labels';
import type { KObject } from '../../model/objects';
import { dryRunSuffix, parseDryRun, addTemplateFlags } from '../flags';
import { printWarnings } from '../warnings';

export function register(program: Command, env: CommandEnv): void {
  const applyCommand = program
    .command('apply')
    .description('Apply a configuration to a resource by file name or stdin')
    .option('-f, --filename <file>', 'The files that contain the configurations to apply', collect, [])
    .option(...KUSTOMIZE_FLAG)
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client"', 'none')
    .option('-o, --output <format>', 'Output format: json|yaml|name|jsonpath=...')
    .option('--prune', 'Delete objects not in the applied set that match -l and were created by apply')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--validate [mode]', 'Validation mode (strict|warn|ignore)', 'strict')
    .option('--server-side', 'Accepted for compatibility; kubesim applies client-side')
    .option('--force-conflicts', 'Accepted for compatibility')
    .addHelpText(
      'after',
      '\nExamples:\n  # Apply the configuration in app.yaml\n  kubesim apply -f app.yaml\n\n  # Apply every manifest in a directory, recursively\n  kubesim apply -f manifests/ -R',
    )
    .action((opts, cmd: Command) => {
      const g = globals(cmd, env);
      const dryRun = parseDryRun(opts.dryRun);
      validateOutputFormat(opts.output);
      if (opts.prune && !opts.selector)
        throw new CliError(
          'all resources selected for prune without explicitly passing --all. To prune all resources, pass the --all flag. If you did not mean to prune all resources, specify a label selector',
        );
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
          for (const file of files) {
            if (file.fatal) {
              fail(`error: ${file.fatal}`);
              continue;
            }
            for (const msg of file.documentErrors) fail(`error: ${msg}`);
            for (const m of file.manifests) {
              try {
                const info = kindForManifest(m);
                const ns = targetNamespace(info, m.object, g.namespace, g.namespaceExplicit);
                const r = applyManifest(s.api, m, ns, { dryRun: dryRun !== 'none' });
                printWarnings(env, s.store);
                seen.add(`${info.kind}/${ns ?? ''}/${r.object.metadata.name}`);
                applied.push(r.object);
                if (!opts.output) env.out.line(`${r.line} ${r.result}${suffix}`);
              } catch (e) {
                printWarnings(env, s.store);
                fail(e instanceof CliError && !e.raw ? `error: ${e.message}` : errorMessage(e));
              }
            }
          }
          if (opts.prune) {
            const selector = parseSelector(opts.selector);
            const namespaces = new Set(applied.map((o) => o.metadata.namespace).filter(Boolean));
            for (const info of allKinds()) {
              if (info.kind === 'Event') continue;
              for (const obj of s.store.list(info.kind)) {
                if (info.namespaced && !namespaces.has(obj.metadata.namespace)) continue;
                if (!obj.metadata.annotations?.[LAST_APPLIED] || !matches(selector, obj.metadata.labels)) continue;
                if (seen.has(`${info.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`)) continue;
                if (dryRun === 'none') deleteObject(s.api, info.kind, obj.metadata.namespace, obj.metadata.name);
                env.out.line(`${qualifiedName(info, obj.metadata.name)} pruned${suffix}`);
              }
            }
          }
          if (opts.output) {
            const text = formatStructured(applied, opts.output, {
              single: applied.length === 1,
              cwd: env.io.cwd,
              allowMissingTemplateKeys: opts.allowMissingTemplateKeys,
            });
            if (text) env.out.out(text);
          }
        },
        { dryRun: dryRun !== 'none' },
      );
      env.exitCode = failed ? 1 : 0;
    });
  addTemplateFlags(applyCommand);
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').filter((v) => v !== '')];
}
