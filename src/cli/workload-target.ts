import { CliError, notFound } from '../util/errors';
import { resourceName, type KindInfo } from '../api/registry';
import type { KObject } from '../model/objects';
import { isKindIn, type KindMap, type KindName } from '../model/kinds';
import type { ObjectStore } from '../store/object-store';
import { resolveType } from './resource-args';
import { matches, parseSelector } from '../api/labels';
import type { Globals } from './context';
import type { IO } from './io';
import { hasFileNames, type FileNameOptions } from './flag-sets';
import { fileTargets, refuseArgsWithFiles } from './resource-builder';

/** kubectl's refusal of a kind the verb does not act on. */
function unsupported(kind: string, allowed: readonly KindName[]): CliError {
  return new CliError(`no implementation for kind ${kind}; supported: ${allowed.map((k) => k.toLowerCase()).join(', ')}`);
}

/** Refuses a named type before its objects are looked up (kubectl checks the mapping first). */
function refuseOtherKinds(info: KindInfo, allowed: readonly KindName[]): void {
  if (!(allowed as readonly string[]).includes(info.kind)) throw unsupported(info.kind, allowed);
}

/** An object found for a target, narrowed to the allowed kinds it is one of. */
function asAllowed<K extends KindName>(obj: KObject, allowed: readonly K[]): KindMap[K] {
  if (!isKindIn(obj, allowed)) throw unsupported(obj.kind, allowed);
  return obj;
}

/** `deployment/web` or `deployment web` → the object, for rollout/scale/set. */
export function workloadTarget<K extends KindName>(
  args: string[],
  store: ObjectStore,
  namespace: string,
  allowed: readonly K[],
): { info: KindInfo; obj: KindMap[K] } {
  let type: string;
  let name: string | undefined;
  if (args.length === 1 && args[0].includes('/')) [type, name] = args[0].split('/');
  else [type, name] = args;
  if (!type) throw new CliError('required resource not specified');
  const info = resolveType(type);
  if (!name) throw new CliError(`resource name may not be empty`);
  refuseOtherKinds(info, allowed);
  const obj = store.get(info.kind, namespace, name);
  if (!obj) throw notFound(resourceName(info), name);
  return { info, obj: asAllowed(obj, allowed) };
}

/**
 * The workloads a rollout verb acts on: named by arguments (`deployment/web`, `deployment web`),
 * by -f/-k/-R manifests, or by TYPE with -l (kubectl's builder for rollout).
 */
export function workloadTargets<K extends KindName>(
  args: string[],
  opts: FileNameOptions & { selector?: string },
  store: ObjectStore,
  g: Globals,
  io: IO,
  allowed: readonly K[],
  verb: string,
): { info: KindInfo; obj: KindMap[K] }[] {
  const check = (info: KindInfo) => refuseOtherKinds(info, allowed);
  if (hasFileNames(opts)) {
    refuseArgsWithFiles(args);
    return fileTargets(opts, opts.selector, io, g).map((t) => {
      check(t.info);
      const obj = store.get(t.info.kind, t.namespace, t.name);
      if (!obj) throw notFound(resourceName(t.info), t.name);
      return { info: t.info, obj: asAllowed(obj, allowed) };
    });
  }
  if (opts.selector && args.length === 1 && !args[0].includes('/')) {
    const info = resolveType(args[0]);
    check(info);
    const selector = parseSelector(opts.selector);
    const found = store.list(info.kind, info.namespaced ? g.namespace : undefined).filter((o) => matches(selector, o.metadata.labels));
    if (!found.length) throw new CliError(`no objects passed to ${verb}`);
    return found.map((obj) => ({ info, obj: asAllowed(obj, allowed) }));
  }
  // the rollout verbs' Validate (rollout_status.go, rollout_history.go, …)
  if (!args.length) throw new CliError('required resource not specified');
  return [workloadTarget(args, store, g.namespace, allowed)];
}
