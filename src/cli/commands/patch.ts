import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { addEditFlags, MERGE_PATCH, NO_RESOURCES, ObjectEditError, runEdit, STRATEGIC_MERGE_PATCH, type EditFlags } from '../object-edit';
import { kindInfo } from '../../api/registry';
import { CliError } from '../../util/errors';
import type { KObject } from '../../model/objects';
import { jsonMergePatch, jsonPatch, strategicMergePatch, deepEqual } from '../../api/merge';
import YAML from 'yaml';
import { subresourceView, writeThrough } from '../subresource';

/** patch.go's --type → the request's Content-Type (types.PatchType) */
const PATCH_CONTENT_TYPES: Record<string, string> = {
  json: 'application/json-patch+json',
  merge: MERGE_PATCH,
  strategic: STRATEGIC_MERGE_PATCH,
};

/** patch's flags as commander parses them */
interface PatchOptions extends EditFlags {
  filename: string[];
  patch?: string;
  patchFile?: string;
  type: string;
}

export function register(program: Command, env: CommandEnv): void {
  addEditFlags(
    program
      .command('patch')
      .description('Update fields of a resource using strategic merge patch, a JSON merge patch, or a JSON patch')
      .argument('[resource...]', 'TYPE NAME | TYPE/NAME')
      .option('-p, --patch <patch>', 'The patch to be applied to the resource JSON file')
      .option('--patch-file <file>', 'A file containing a patch to be applied to the resource')
      .option(
        '--subresource <subresource>',
        'If specified, patch will operate on the subresource of the requested object. This flag is beta and may change in the future.',
      )
      .option('--type <type>', 'The type of patch being provided; one of [json merge strategic]', 'strategic')
      .option('--dry-run [strategy]', 'Must be "none", "server", or "client"', 'none'),
    { fieldManager: 'kubectl-patch' },
  )
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim patch deployment web -p \'{"spec":{"replicas":5}}\'\n  kubesim patch node node-1 --type merge -p \'{"spec":{"unschedulable":true}}\'\n  kubesim patch pod web-0 --type json -p \'[{"op":"replace","path":"/spec/containers/0/image","value":"nginx:1.27"}]\'\n  kubesim patch -f deploy.yaml --local -p \'{"spec":{"replicas":3}}\' -o yaml',
    )
    .action((resources: string[], opts: PatchOptions, cmd: Command) => {
      // v1.32's patch sends any value to the server (which answers 404 for one it does not serve)
      const subresource: string | undefined = opts.subresource || undefined;
      if (!['json', 'merge', 'strategic'].includes(opts.type))
        throw new CliError(`--type must be one of [json merge strategic], not "${opts.type}"`);
      let text: string | undefined = opts.patch;
      if (opts.patchFile) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const fs = require('node:fs') as typeof import('node:fs');
        try {
          text = fs.readFileSync(opts.patchFile, 'utf8');
        } catch {
          throw new CliError(`unable to read patch file: open ${opts.patchFile}: no such file or directory`);
        }
      }
      if (!text) throw new CliError('must specify --patch or --patch-file containing the contents of the patch');
      let patch: unknown;
      try {
        patch = YAML.parse(text);
      } catch {
        throw new CliError(`unable to parse "${text}": yaml: did not find expected node content`);
      }
      if (opts.local && resources.length) throw new CliError('cannot specify --local and server resources');
      if (!resources.length && !opts.filename.length) {
        throw new CliError(NO_RESOURCES);
      }
      runEdit(
        env,
        cmd,
        resources,
        opts,
        (obj) => {
          if (opts.type === 'strategic' && kindInfo(obj.kind)?.crd)
            // the API server takes only JSON, merge and apply patches for custom resources
            throw new ObjectEditError(
              `application/strategic-merge-patch+json is not supported by ${obj.apiVersion}, Kind=${obj.kind}: the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
            );
          // with --subresource the patch applies to what the subresource serves, and only its part is written back
          const target = subresource ? subresourceView(obj, subresource) : obj;
          const patched = (
            opts.type === 'json'
              ? jsonPatch(target, patch)
              : opts.type === 'merge'
                ? jsonMergePatch(target, patch)
                : strategicMergePatch(target, patch, target.kind)
          ) as KObject;
          const changed = !deepEqual(patched, target);
          const verb = changed ? 'patched' : 'patched (no change)';
          return {
            changed,
            verb,
            object: subresource ? writeThrough(obj, patched, subresource) : patched,
            patch,
            unchangedVerb: 'patched (no change)',
          };
        },
        // -o prints what the subresource returns (a Scale)
        {
          shown: subresource ? (obj) => subresourceView(obj, subresource) : undefined,
          // the request kubectl sends (-v logs it): the patch as given, of its --type, to the subresource
          request: { contentType: PATCH_CONTENT_TYPES[opts.type as string] ?? STRATEGIC_MERGE_PATCH, subresource, body: () => patch },
          // kubectl 1.32: `configmap/web patched` with --dry-run=client or server alike
          dryRunSuffix: false,
        },
      );
    });
}
