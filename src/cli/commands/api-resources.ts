import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { apiVersionOf, categoriesOf, verbsOf, type KindInfo } from '../../api/registry';
import { requestableKinds } from '../requestable-kinds';
import { CliError } from '../../util/errors';
import '../../api/kinds/index';
import { renderTable } from '../../printers/table';
import { collect, parseBoolFlag, withFlags, type FlagSet } from '../flag-sets';
import { globals } from '../context';

const apiResourcesFlags: FlagSet = (c) =>
  c
    .option('--api-group <group>', 'Limit to resources in the specified API group.')
    .option(
      '--namespaced [bool]',
      'If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default.',
    )
    .option('--verbs <verbs>', 'Limit to resources that support the specified verbs.', collect, [])
    .option('--categories <categories>', 'Limit to resources that belong to the specified categories.', collect, [])
    .option('--cached', 'Use the cached list of resources if available.')
    .option('-o, --output <format>', 'Output format. One of: (wide, name).')
    .option('--no-headers', "When using the default or custom-column output format, don't print headers (default print headers).")
    .option('--sort-by <field>', "If non-empty, sort list of resources using specified field. The field can be either 'name' or 'kind'.");

interface ApiResourcesFlags {
  apiGroup?: string;
  namespaced?: string;
  verbs: string[];
  categories: string[];
  cached?: boolean;
  output?: string;
  headers: boolean;
  sortBy?: string;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The filters kubectl applies to discovery's resources, each only when its flag was given. */
function matches(k: KindInfo, opts: ApiResourcesFlags): boolean {
  if (opts.apiGroup !== undefined && k.group !== opts.apiGroup) return false;
  if (opts.namespaced !== undefined && k.namespaced !== parseBoolFlag(opts.namespaced, 'namespaced')) return false;
  if (!opts.verbs.every((v) => verbsOf(k).includes(v))) return false;
  return opts.categories.every((c) => categoriesOf(k).includes(c));
}

/**
 * `kubectl api-resources`: discovery's preferred resources, filtered and sorted as apiresources.go
 * does. kubesim's discovery is its kind registry, so --cached lists the same resources.
 */
export function register(program: Command, env: CommandEnv): void {
  withFlags(
    program
      .command('api-resources')
      .description('Print the supported API resources on the server')
      .argument('[args...]')
      .addHelpText(
        'after',
        '\nExamples:\n  kubesim api-resources\n  kubesim api-resources -o wide\n  kubesim api-resources --namespaced=false\n  kubesim api-resources --api-group=rbac.authorization.k8s.io\n  kubesim api-resources --verbs=list,get --categories=all',
      ),
    apiResourcesFlags,
  ).action((args: string[], opts: ApiResourcesFlags, cmd: Command) => {
    // Complete (the established CRDs' resources are served too: globals reads them from the cluster) + Validate
    globals(cmd, env);
    if (args.length) throw new CliError(`unexpected arguments: [${args.join(' ')}]\nSee 'kubesim api-resources -h' for help and examples`);
    const output = opts.output ?? '';
    if (!['', 'wide', 'name'].includes(output)) throw new CliError(`--output ${output} is not available`);
    if (opts.sortBy && opts.sortBy !== 'name' && opts.sortBy !== 'kind') throw new CliError('--sort-by accepts only name or kind');
    // Run: sortableResource orders by API group (the core group first), or the --sort-by field; then by name
    const key = (k: KindInfo) => (opts.sortBy === 'name' ? k.plural : opts.sortBy === 'kind' ? k.kind : k.group);
    const kinds = requestableKinds()
      .filter((k) => matches(k, opts))
      .sort((a, b) => compare(key(a), key(b)) || compare(a.plural, b.plural));
    if (output === 'name') {
      for (const k of kinds) env.out.line(k.group ? `${k.plural}.${k.group}` : k.plural);
      return;
    }
    const wide = output === 'wide';
    const rows = opts.headers ? [['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])]] : [];
    for (const k of kinds)
      rows.push([
        k.plural,
        k.shortNames.join(','),
        apiVersionOf(k),
        String(k.namespaced),
        k.kind,
        ...(wide ? [verbsOf(k).join(','), categoriesOf(k).join(',')] : []),
      ]);
    env.out.out(renderTable(rows));
  });
}
