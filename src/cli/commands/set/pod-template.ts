import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { CliError } from '../../../util/errors';
import { kindInfoOrThrow, qualifiedName } from '../../../api/registry';
import { isJsonObject, type KObject } from '../../../model/objects';
import type { Container, PodSpec } from '../../../model/k8s';
import { NO_RESOURCES, ObjectEditError, runEdit, splitResourcesAndChanges, type EditFlags } from '../../object-edit';
import {
  allFlag,
  dryRunFlag,
  fieldManagerFlag,
  fileNameFlags,
  labelSelectorFlag,
  localFlag,
  printFlags,
  withFlags,
  type FlagSet,
} from '../../flag-sets';

/**
 * What the `set` verbs share: ResourceBuilderFlags (-f/-k/-R, -l, --all, --local), PrintFlags,
 * --dry-run and --field-manager kubectl-set.
 */
export const setObjectFlags: FlagSet = (c) =>
  withFlags(
    c,
    fileNameFlags('identifying the resource to update'),
    labelSelectorFlag,
    allFlag(''),
    localFlag('If true, set will NOT contact api-server but run locally.'),
    printFlags,
    dryRunFlag,
    fieldManagerFlag('kubectl-set'),
  );

/** setObjectFlags as commander parses them */
export interface SetObjectOptions extends EditFlags {
  filename: string[];
}

/** The kinds with a pod template, and where it is. */
const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  ...Object.fromEntries(
    ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController'].map((k) => [k, ['spec', 'template', 'spec']]),
  ),
};

/** The pod spec inside any workload (or the pod itself); kubectl's refusal for other kinds. */
export function podSpecOf(obj: KObject): PodSpec {
  const path = POD_SPEC_PATHS[obj.kind];
  // walked as JSON: the object may be a manifest of -f --local, not known to have its fields yet
  let spec: unknown = path ? obj : undefined;
  for (const key of path ?? []) spec = isJsonObject(spec) ? spec[key] : undefined;
  if (!isJsonObject(spec)) {
    const version = String(obj.apiVersion ?? '')
      .split('/')
      .pop();
    throw new ObjectEditError(
      `${qualifiedName(kindInfoOrThrow(obj.kind), obj.metadata.name)} the object is not a pod or does not have a pod template: *${version}.${obj.kind}`,
    );
  }
  return spec as unknown as PodSpec;
}

function containersOf(spec: PodSpec, all: boolean): Container[] {
  return [...(spec.containers ?? []), ...(all ? (spec.initContainers ?? []) : [])];
}

type Mutator = (obj: KObject, containers: (name?: string) => Container[]) => boolean;

/** kubectl's refusals when the objects are not named the way the flags need */
export function requireResources(resources: string[], opts: { local?: boolean; filename: string[] }): void {
  if (opts.local && resources.length)
    throw new CliError(
      "you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'",
    );
  if (!resources.length && !opts.filename.length) throw new CliError(NO_RESOURCES);
}

/** With -f every argument is a change; otherwise the resources come first. */
export function splitArgs(
  args: string[],
  opts: { filename: string[] },
  isChange: (a: string) => boolean,
): { resources: string[]; changes: string[] } {
  return opts.filename.length ? { resources: [], changes: args } : splitResourcesAndChanges(args, isChange);
}

/** Shared body of the pod-template `set` verbs: the targets' pod specs edited through runEdit. */
export function runSet(
  env: CommandEnv,
  cmd: Command,
  resources: string[],
  opts: EditFlags & { containers?: string; filename: string[] },
  mutate: Mutator,
  done: string,
): void {
  requireResources(resources, opts);
  runEdit(env, cmd, resources, opts, (obj) => {
    const spec = podSpecOf(obj);
    const pick = (name?: string) => {
      const wanted = name ?? opts.containers ?? '*';
      return containersOf(spec, true).filter((c) => wanted === '*' || c.name === wanted);
    };
    return { changed: mutate(obj, pick), verb: done };
  });
}
