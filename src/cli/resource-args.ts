import { CliError } from '../util/errors';
import { allKinds, resolveResourceVersion, type KindInfo } from '../api/registry';
import '../api/kinds/index';

export interface ResourceRequest {
  info: KindInfo;
  /** empty: every object of the kind */
  names: string[];
  /** named by a manifest (-f): the namespace it names, instead of the current one */
  namespace?: string;
  /** the version the argument names (`widgets.v1beta1.example.com`); the preferred one when unset */
  version?: string;
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
  return resolveTypeVersion(type).info;
}

/** A resource type and the version it names, if any (`widgets.v1beta1.example.com`). */
export function resolveTypeVersion(type: string): { info: KindInfo; version?: string } {
  const resolved = resolveResourceVersion(type);
  if (!resolved) throw new CliError(`the server doesn't have a resource type "${type}"`);
  return resolved;
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
      const { info, version } = resolveTypeVersion(a.slice(0, slash));
      const name = a.slice(slash + 1);
      if (!name) throw new CliError(`arguments in resource/name form must have a single resource and name`);
      const existing = out.find((r) => r.info === info && r.version === version);
      if (existing) existing.names.push(name);
      else out.push({ info, names: [name], ...(version ? { version } : {}) });
    }
    return out;
  }
  const [types, ...names] = args;
  const infos: { info: KindInfo; version?: string }[] = [];
  for (const t of types.split(',').filter(Boolean)) {
    if (t === 'all') infos.push(...allCategory().map((info) => ({ info })));
    else infos.push(resolveTypeVersion(t));
  }
  if (names.length && infos.length > 1) throw new CliError(`you may only specify a single resource type`);
  return infos.map(({ info, version }) => ({ info, names: [...names], ...(version ? { version } : {}) }));
}
