import { logRead, requestLogActive, withRequestShape } from '../../api/request-log';
import { noResourcesFound } from '../../printers/output';
import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { parseResourceArgs } from '../resource-args';
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
  withFlags,
  type FileNameOptions,
  type SelectorFlags,
} from '../flag-sets';
import { kindInfoOrThrow, resourceName, servedObject } from '../../api/registry';
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
      intFlag(opts.chunkSize, 'chunk-size');
      const files: FileNameOptions = { filename: opts.filename, kustomize: opts.kustomize, recursive: opts.recursive };
      if (hasFileNames(files)) refuseArgsWithFiles(resources);
      else if (!resources.length)
        throw new CliError(
          'You must specify the type of resource to describe. Use "kubesim api-resources" for a complete list of supported resources.',
        );
      const targets = hasFileNames(files) ? fileTargets(files, opts.selector, env.io, g) : undefined;
      const requests = targets ? [] : parseResourceArgs(resources);
      let failed = false;
      withSession(
        g,
        (s) => {
          const ctx = {
            now: s.now,
            store: s.store,
            events: (o: KObject) => {
              if (opts.showEvents === 'false') return [];
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
          const found: KObject[] = [];
          for (const t of targets ?? []) {
            const obj = s.store.get(t.info.kind, t.namespace, t.name);
            if (obj) found.push(obj);
            else {
              env.out.errLine(notFound(resourceName(t.info), t.name).message);
              failed = true;
            }
          }
          for (const req of requests) {
            const ns = req.info.namespaced && !opts.allNamespaces ? g.namespace : undefined;
            if (req.names.length) {
              for (const name of req.names) {
                const exact =
                  req.info.namespaced && opts.allNamespaces
                    ? s.store.list(req.info.kind).find((o) => o.metadata.name === name)
                    : s.store.get(req.info.kind, ns, name);
                // kubectl describe treats a name as a prefix when there is no exact match (DescribeMatchingResources lists them)
                const matchesPrefix = exact ? [exact] : s.store.list(req.info.kind, ns).filter((o) => o.metadata.name.startsWith(name));
                if (!matchesPrefix.length) {
                  env.out.errLine(notFound(resourceName(req.info), name).message);
                  failed = true;
                }
                found.push(...matchesPrefix);
              }
            } else {
              const sel = opts.selector ? parseSelector(opts.selector) : [];
              const all = withRequestShape({ listQuery: { labelSelector: opts.selector || undefined, limit: '500' } }, () =>
                s.store.list(req.info.kind, ns),
              );
              found.push(...all.filter((o) => matches(sel, o.metadata.labels)));
            }
          }
          // describe.go: any kind, namespaced or not, is "in NAMESPACE" unless -A
          if (!found.length && !failed) env.out.errLine(noResourcesFound(opts.allNamespaces ? undefined : g.namespace));
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
          if (errors.length) {
            env.out.errLine(`error: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}`);
            failed = true;
          }
        },
        { readOnly: true },
      );
      env.exitCode = failed ? 1 : 0;
    });
}
