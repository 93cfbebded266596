import { CliError } from '../util/errors';
import { allKinds, resolveResource, type KindInfo } from '../api/registry';
import '../api/kinds/index';

export interface ResourceRequest {
  info: KindInfo;
  /** empty: every object of the kind */
  names: string[];
  /** named by a manifest (-f): the namespace it names, instead of the current one */
  namespace?: string;
}

/**
 * The `all` category in discovery order, as kubectl lists it: core (pods, services), then
 * apps, autoscaling and batch, each group's resources alphabetically.
 */
function allCategory(): KindInfo[] {
  const groupOrder = ['', 'apps', 'autoscaling', 'batch'];
  const rank = (k: KindInfo) => (groupOrder.includes(k.group) ? groupOrder.indexOf(k.group) : groupOrder.length);
  return allKinds()
    .filter((k) => k.inAll)
    .sort((a, b) => rank(a) - rank(b) || (a.plural < b.plural ? -1 : a.plural > b.plural ? 1 : 0));
}

export function resolveType(type: string): KindInfo {
  const info = resolveResource(type);
  if (!info) throw new CliError(`the server doesn't have a resource type "${type}"`);
  return info;
}

/**
 * kubectl's resource builder arguments: `pods`, `pods a b`, `pod/a deploy/b`, `pods,svc`, `all`.
 * Returns the requests in the order given.
 */
export function parseResourceArgs(args: string[]): ResourceRequest[] {
  if (!args.length)
    throw new CliError(
      'You must specify the type of resource to get. Use "kubesim api-resources" for a complete list of supported resources.',
    );
  if (args.some((a) => a.includes('/'))) {
    const out: ResourceRequest[] = [];
    for (const a of args) {
      const slash = a.indexOf('/');
      if (slash < 0)
        throw new CliError(
          `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubesim get resource/<resource_name>' instead of 'kubesim get resource resource/<resource_name>'`,
        );
      const info = resolveType(a.slice(0, slash));
      const name = a.slice(slash + 1);
      if (!name) throw new CliError(`arguments in resource/name form must have a single resource and name`);
      const existing = out.find((r) => r.info === info);
      if (existing) existing.names.push(name);
      else out.push({ info, names: [name] });
    }
    return out;
  }
  const [types, ...names] = args;
  const infos: KindInfo[] = [];
  for (const t of types.split(',').filter(Boolean)) {
    if (t === 'all') infos.push(...allCategory());
    else infos.push(resolveType(t));
  }
  if (names.length && infos.length > 1) throw new CliError(`you may only specify a single resource type`);
  return infos.map((info) => ({ info, names: [...names] }));
}
