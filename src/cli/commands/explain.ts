import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { parseBoolFlag } from '../flag-sets';
import { allKinds, resolveResource, type KindInfo } from '../../api/registry';
import { schemaForKind } from '../../api/openapi/sources';
import { customKindSchema } from '../../api/crd/published-schema';
import { renderExplain, type ExplainFormat } from '../../printers/explain';
import { CliError } from '../../util/errors';
import '../../api/kinds/index';

const FORMATS: ExplainFormat[] = ['plaintext', 'plaintext-openapiv2'];

export function register(program: Command, env: CommandEnv): void {
  program
    .command('explain')
    .description('Get documentation for a resource')
    .argument('[type...]')
    .option(
      '--recursive [bool]',
      'When true, print the name of all the fields recursively. Otherwise, print the available fields with their description.',
    )
    .option('--api-version <group/version>', 'Use given api-version (group/version) of the resource.')
    .option(
      '-o, --output <format>',
      'Format in which to render the schema. Valid values are: (plaintext, plaintext-openapiv2).',
      'plaintext',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  # Get the documentation of the resource and its fields\n  kubesim explain pods\n\n  # Get all the fields in the resource\n  kubesim explain pods --recursive\n\n  # Get the explanation for deployment in supported api versions\n  kubesim explain deployments --api-version=apps/v1\n\n  # Get the documentation of a specific field of a resource\n  kubesim explain pods.spec.containers\n\n  # Get the documentation of resources in different format\n  kubesim explain deployment --output=plaintext-openapiv2',
    )
    .action((args: string[], opts: { recursive?: string | boolean; apiVersion?: string; output: string }, cmd: Command) => {
      const recursive = parseBoolFlag(opts.recursive, 'recursive');
      if (!args.length)
        throw new CliError(
          'You must specify the type of resource to explain. Use "kubesim api-resources" for a complete list of supported resources.',
        );
      if (args.length > 1) throw new CliError('We accept only this format: explain RESOURCE');
      const apiVersion = opts.apiVersion ? parseGroupVersion(opts.apiVersion) : undefined;
      const text = withSession(
        globals(cmd, env),
        (s) => {
          // resolved in the session: the custom kinds are served once the state's CRDs are read
          const { info, fieldPath } = splitResourceRequest(args[0]);
          const group = apiVersion?.group ?? info.group;
          const version = apiVersion?.version ?? info.version;
          const schema =
            (group === info.group ? customKindSchema(info, version, opts.output === 'plaintext-openapiv2') : undefined) ??
            schemaForKind(group, version, info.kind, s.store);
          if (opts.output === 'plaintext-openapiv2') {
            // the v2 document is looked up by kind (explain.go renderOpenAPIV2)
            if (!schema) throw new CliError(`couldn't find resource for "${group}/${version}, Kind=${info.kind}"`);
            return renderExplain('plaintext-openapiv2', { schema, fieldPath, recursive });
          }
          // the v3 documents are per group/version, then the template looks the resource up in one
          const gvr = `${group}/${version}, Resource=${info.plural}`;
          if (!servesGroupVersion(group, version)) throw new CliError(`couldn't find resource for "${gvr}"`);
          if (!FORMATS.includes(opts.output as ExplainFormat)) throw new CliError(`unrecognized format: ${opts.output}`);
          if (!schema) throw new CliError(`GVR (${gvr}) not found in OpenAPI schema`);
          return renderExplain('plaintext', { schema, fieldPath, recursive });
        },
        { readOnly: true },
      );
      env.out.out(text);
    });
}

/**
 * `deployments.apps.spec.replicas` → the resource and the field path (explain's
 * SplitAndParseResourceRequestWithMatchingPrefix): the first dotted part names the resource; when
 * the argument starts with the resource's group-qualified name, the group is not a field.
 */
function splitResourceRequest(arg: string): { info: KindInfo; fieldPath: string[] } {
  const parts = arg.replace(/\.$/, '').split('.');
  // the longest group-qualified prefix that names a resource first (events.events.k8s.io is not core's events)
  for (let i = parts.length; i > 1; i--) {
    const prefix = parts.slice(0, i).join('.');
    const qualified = resolveResource(prefix);
    if (qualified?.group && prefix.endsWith(`.${qualified.group}`)) return { info: qualified, fieldPath: parts.slice(i).filter(Boolean) };
  }
  const info = resolveResource(parts[0]);
  if (!info) throw new CliError(`the server doesn't have a resource type "${parts[0]}"`);
  const qualified = info.group ? `${info.plural}.${info.group}` : info.plural;
  const rest = arg.startsWith(qualified) ? arg.slice(qualified.length) : arg.slice(parts[0].length);
  return { info, fieldPath: rest.split('.').filter(Boolean) };
}

/** schema.ParseGroupVersion: `v1` (core), `apps/v1`; more slashes are refused. */
function parseGroupVersion(text: string): { group: string; version: string } {
  const parts = text.split('/');
  if (parts.length === 1) return { group: '', version: text };
  if (parts.length === 2) return { group: parts[0], version: parts[1] };
  throw new CliError(`unexpected GroupVersion string: ${text}`);
}

/** Whether the API server has this group/version at all (it publishes one OpenAPI v3 document per group/version). */
function servesGroupVersion(group: string, version: string): boolean {
  return allKinds().some((k) => k.group === group && (k.version === version || (k.otherVersions ?? []).includes(version)));
}
