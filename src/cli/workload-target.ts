import { CliError, notFound } from '../util/errors';
import { resourceName, type KindInfo } from '../api/registry';
import type { KObject } from '../model/objects';
import type { ObjectStore } from '../store/object-store';
import { resolveType } from './resource-args';
import { matches, parseSelector } from '../api/labels';
import type { Globals } from './context';
import type { IO } from './io';
import { hasFileNames, type FileNameOptions } from './flag-sets';
import { fileTargets, refuseArgsWithFiles } from './resource-builder';

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

/**
 * The workloads a rollout verb acts on: named by arguments (`deployment/web`, `deployment web`),
 * by -f/-k/-R manifests, or by TYPE with -l (kubectl's builder for rollout).
 */
export function workloadTargets(
  args: string[],
  opts: FileNameOptions & { selector?: string },
  store: ObjectStore,
  g: Globals,
  io: IO,
  allowed: string[],
  verb: string,
): { info: KindInfo; obj: KObject }[] {
  const check = (info: KindInfo) => {
    if (!allowed.includes(info.kind))
      throw new CliError(`no implementation for kind ${info.kind}; supported: ${allowed.map((k) => k.toLowerCase()).join(', ')}`);
  };
  if (hasFileNames(opts)) {
    refuseArgsWithFiles(args);
    return fileTargets(opts, opts.selector, io, g).map((t) => {
      check(t.info);
      const obj = store.get(t.info.kind, t.namespace, t.name);
      if (!obj) throw notFound(resourceName(t.info), t.name);
      return { info: t.info, obj };
    });
  }
  if (opts.selector && args.length === 1 && !args[0].includes('/')) {
    const info = resolveType(args[0]);
    check(info);
    const selector = parseSelector(opts.selector);
    const found = store.list(info.kind, info.namespaced ? g.namespace : undefined).filter((o) => matches(selector, o.metadata.labels));
    if (!found.length) throw new CliError(`no objects passed to ${verb}`);
    return found.map((obj) => ({ info, obj }));
  }
  // the rollout verbs' Validate (rollout_status.go, rollout_history.go, …)
  if (!args.length) throw new CliError('required resource not specified');
  return [workloadTarget(args, store, g.namespace, allowed)];
}
