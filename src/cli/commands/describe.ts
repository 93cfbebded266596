import { logRead, requestLogActive, withRequestShape } from '../../api/request-log';
import { noResourcesFound } from '../../printers/output';
import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession, type Globals } from '../context';
import { parseResourceArgs, type ResourceRequest } from '../resource-args';
import type { Session } from '../../engine/session';
import { DescribeError, describeObject } from '../../printers/describe';
import '../../printers/describe/index';
import { matches, parseSelector } from '../../api/labels';
import { CliError, notFound } from '../../util/errors';
import { intFlag } from '../flags';
import { fileTargets, refuseArgsWithFiles } from '../resource-builder';
import {
  allNamespacesFlag,
  chunkSizeFlag,
  fileNameFlags,
  hasFileNames,
  labelSelectorFlag,
  parseBoolFlag,
  withFlags,
  type FileNameOptions,
  type SelectorFlags,
} from '../flag-sets';
import { kindInfoOrThrow, resourceName, servedObject } from '../../api/registry';
import { printDeprecation } from '../warnings';
import type { KObject } from '../../model/objects';
import { eventObject } from '../../api/kinds/event';
import type { Pod } from '../../model/kinds';
import { onDemand } from '../../util/on-demand';

// the scheduler is loaded only to explain a Pending pod
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fitHint = onDemand('scheduler/fit-hint', () => require('../../scheduler/fit-hint') as typeof import('../../scheduler/fit-hint'));

/** describe's flags as commander parses them */
interface DescribeOptions extends FileNameOptions, SelectorFlags {
  chunkSize: string;
  showEvents: string | boolean;
}

/** What `kubesim describe` was asked (DescribeOptions after Complete). */
interface DescribeRequest {
  /** the objects of -f/-k, or undefined when arguments name them */
  targets?: ReturnType<typeof fileTargets>;
  requests: ResourceRequest[];
  selector?: string;
  allNamespaces: boolean;
  showEvents: boolean;
}

export function register(program: Command, env: CommandEnv): void {
  const describe = program
    .command('describe')
    .description('Show details of a specific resource or group of resources')
    .argument('[resource...]', 'TYPE [NAME_PREFIX] | TYPE/NAME');
  withFlags(describe, fileNameFlags('containing the resource to describe'), labelSelectorFlag, allNamespacesFlag, chunkSizeFlag)
    .option('--show-events [bool]', 'If true, display events related to the described object', 'true')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim describe pod web-7d4b9c8f6d-x2k9p\n  kubesim describe deployment web\n  kubesim describe nodes',
    )
    .action((resources: string[], opts: DescribeOptions, cmd: Command) => {
      const g = globals(cmd, env);
      const req = completeDescribe(resources, opts, g, env);
      env.exitCode = withSession(g, (s) => runDescribe(s, env, req, g.namespace), { readOnly: true }) ? 1 : 0;
    });
}

/** Complete (describe.go): the arguments or -f/-k/-R, and the flags, before the cluster is read. */
function completeDescribe(resources: string[], opts: DescribeOptions, g: Globals, env: CommandEnv): DescribeRequest {
  intFlag(opts.chunkSize, 'chunk-size');
  const showEvents = parseBoolFlag(opts.showEvents, 'show-events');
  const files: FileNameOptions = { filename: opts.filename, kustomize: opts.kustomize, recursive: opts.recursive };
  if (hasFileNames(files)) refuseArgsWithFiles(resources);
  else if (!resources.length)
    throw new CliError(
      'You must specify the type of resource to describe. Use "kubesim api-resources" for a complete list of supported resources.',
    );
  const targets = hasFileNames(files) ? fileTargets(files, opts.selector, env.io, g) : undefined;
  return {
    targets,
    requests: targets ? [] : parseResourceArgs(resources),
    selector: opts.selector,
    allNamespaces: !!opts.allNamespaces,
    showEvents,
  };
}

/** The describer's context: the events of an object (unless --show-events=false) and a Pending pod's hint. */
function describeContext(s: Session, showEvents: boolean) {
  return {
    now: s.now,
    store: s.store,
    events: (o: KObject) => {
      if (!showEvents) return [];
      const namespace = o.metadata.namespace ?? 'default';
      const events = s.events({ kind: o.kind, name: o.metadata.name, namespace, uid: o.metadata.uid });
      // describe.go searchEvents: the events whose involvedObject is this one (logged by kubectl -v)
      if (requestLogActive()) {
        const involved = `involvedObject.name=${o.metadata.name},involvedObject.namespace=${namespace}`;
        const fieldSelector = `${involved}${o.metadata.uid ? `,involvedObject.uid=${o.metadata.uid}` : ''}`;
        withRequestShape({ listQuery: { fieldSelector, limit: '500' } }, () =>
          logRead('Event', namespace, undefined, events.map(eventObject)),
        );
      }
      return events;
    },
    schedulingHint: (pod: Pod) => fitHint().fitHint(s.store, pod),
  };
}

/** The objects asked for; `failed` when one of them is not there. */
function findObjects(s: Session, env: CommandEnv, req: DescribeRequest, namespace: string): { found: KObject[]; failed: boolean } {
  const found: KObject[] = [];
  let failed = false;
  for (const t of req.targets ?? []) {
    const obj = s.store.get(t.info.kind, t.namespace, t.name);
    if (obj) found.push(obj);
    else {
      env.out.errLine(notFound(resourceName(t.info), t.name).message);
      failed = true;
    }
  }
  for (const r of req.requests) printDeprecation(env, r.info);
  for (const r of req.requests) {
    const ns = r.info.namespaced && !req.allNamespaces ? namespace : undefined;
    // a resource with no storage (componentstatuses) makes its objects for each request
    const list = (inNamespace: string | undefined) =>
      r.info.computed ? s.list(r.info.kind, inNamespace) : s.store.list(r.info.kind, inNamespace);
    if (!r.names.length) {
      const sel = req.selector ? parseSelector(req.selector) : [];
      const all = withRequestShape({ listQuery: { labelSelector: req.selector || undefined, limit: '500' } }, () => list(ns));
      found.push(...all.filter((o) => matches(sel, o.metadata.labels)));
      continue;
    }
    for (const name of r.names) {
      const exact =
        (r.info.namespaced && req.allNamespaces) || r.info.computed
          ? list(r.info.computed ? ns : undefined).find((o) => o.metadata.name === name)
          : s.store.get(r.info.kind, ns, name);
      // kubectl describe treats a name as a prefix when there is no exact match (DescribeMatchingResources lists them)
      const matchesPrefix = exact ? [exact] : list(ns).filter((o) => o.metadata.name.startsWith(name));
      if (!matchesPrefix.length) {
        env.out.errLine(notFound(resourceName(r.info), name).message);
        failed = true;
      }
      found.push(...matchesPrefix);
    }
  }
  return { found, failed };
}

/** Run: describes what was found; true when something was missing or a describer failed (exit 1). */
function runDescribe(s: Session, env: CommandEnv, req: DescribeRequest, namespace: string): boolean {
  const ctx = describeContext(s, req.showEvents);
  const { found, failed } = findObjects(s, env, req, namespace);
  // describe.go: any kind, namespaced or not, is "in NAMESPACE" unless -A
  if (!found.length && !failed) env.out.errLine(noResourcesFound(req.allNamespaces ? undefined : namespace));
  // a describer's error leaves that object out; the others print, then `error: …` (an aggregate of the distinct ones)
  const described: string[] = [];
  const errors: string[] = [];
  for (const o of found) {
    try {
      described.push(describeObject(servedObject(kindInfoOrThrow(o.kind), o, ctx), ctx));
    } catch (e) {
      if (!(e instanceof DescribeError)) throw e;
      if (!errors.includes(e.message)) errors.push(e.message);
    }
  }
  env.out.out(described.join('\n\n'));
  if (errors.length) env.out.errLine(`error: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}`);
  return failed || errors.length > 0;
}
