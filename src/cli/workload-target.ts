import { CliError, notFound } from '../util/errors';
import { resourceName, type KindInfo } from '../api/registry';
import type { KObject } from '../model/objects';
import type { ObjectStore } from '../store/object-store';
import { resolveType } from './resource-args';

/** `deployment/web` or `deployment web` → the object, for rollout/scale/set. */
export function workloadTarget(args: string[], store: ObjectStore, namespace: string, allowed: string[]): { info: KindInfo; obj: KObject } {
  let type: string;
  let name: string | undefined;
  if (args.length === 1 && args[0].includes('/')) [type, name] = args[0].split('/');
  else [type, name] = args;
  if (!type) throw new CliError('required resource not specified');
  const info = resolveType(type);
  if (!name) throw new CliError(`resource name may not be empty`);
  if (!allowed.includes(info.kind))
    throw new CliError(`no implementation for kind ${info.kind}; supported: ${allowed.map((k) => k.toLowerCase()).join(', ')}`);
  const obj = store.get(info.kind, namespace, name);
  if (!obj) throw notFound(resourceName(info), name);
  return { info, obj };
}
