import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError, notFound } from '../../util/errors';
import { parseDuration } from '../../util/duration';
import { qualifiedName, resourceName, type KindInfo } from '../../api/registry';
import type { Fields, KObject } from '../../model/objects';
import { matches, parseSelector } from '../../api/labels';
import { waitInVirtualTime } from '../../engine/wait';
import { executeJsonPath, parseJsonPath, relaxedJsonPathExpression } from '../../printers/jsonpath';
import { parseResourceArgs } from '../resource-args';
import { collect } from './apply';

type Condition = (obj: KObject | undefined) => boolean;

/** --for=condition=Ready[=False], --for=delete, --for=create, --for=jsonpath='{…}'=value */
function parseFor(text: string): { condition: Condition; forDelete: boolean } {
  if (text === 'delete') return { condition: (o) => !o, forDelete: true };
  if (text === 'create') return { condition: (o) => !!o, forDelete: false };
  if (text.startsWith('condition=')) {
    const [type, want = 'True'] = text.slice('condition='.length).split('=');
    if (!type) throw new CliError(`unrecognized condition: "${text}"`);
    const wantStatus = want.toLowerCase() === 'true' ? 'True' : want.toLowerCase() === 'false' ? 'False' : want;
    return {
      condition: (o) =>
        !!o && (o.status?.conditions ?? []).some((c: Fields) => c.type.toLowerCase() === type.toLowerCase() && c.status === wantStatus),
      forDelete: false,
    };
  }
  if (text.startsWith('jsonpath=')) {
    const body = text.slice('jsonpath='.length);
    const close = body.lastIndexOf('}');
    const expr = close >= 0 ? body.slice(0, close + 1) : body;
    const rest = close >= 0 ? body.slice(close + 1) : '';
    // kubectl wait accepts `.status.phase` without braces
    const template = parseJsonPath(relaxedJsonPathExpression(expr));
    const value = rest.startsWith('=') ? rest.slice(1) : undefined;
    return {
      condition: (o) => {
        if (!o) return false;
        const out = executeJsonPath(template, JSON.parse(JSON.stringify(o)), { allowMissingKeys: true });
        return value === undefined ? out !== '' : out === value;
      },
      forDelete: false,
    };
  }
  throw new CliError(`unrecognized condition: "${text}"`);
}

export function register(program: Command, env: CommandEnv): void {
  program
    .command('wait')
    .description('Experimental: Wait for a specific condition on one or many resources')
    .argument('[resource...]', 'TYPE NAME | TYPE/NAME')
    .option(
      '--for <condition>',
      "The condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]",
    )
    .option(
      '--timeout <duration>',
      "The length of time to wait before giving up. Zero means check once and don't wait, negative means wait for a week.",
      '30s',
    )
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--all', 'Select all resources in the namespace of the specified resource types')
    .option('-A, --all-namespaces', 'If present, list the requested object(s) across all namespaces')
    .option('-f, --filename <file>', 'identifying the resource', collect, [])
    .addHelpText(
      'after',
      "\nExamples:\n  kubesim wait --for=condition=Available deployment/web\n  kubesim wait --for=condition=Ready pod -l app=web --timeout=60s\n  kubesim wait --for=delete pod/busybox1 --timeout=60s\n  kubesim wait --for=jsonpath='{.status.readyReplicas}'=3 deployment/web",
    )
    .action((resources: string[], opts, cmd: Command) => {
      const g = globals(cmd, env);
      if (!opts.for) throw new CliError('--for must be specified');
      const { condition, forDelete } = parseFor(opts.for);
      let timeout = parseDuration(opts.timeout, 'timeout');
      if (timeout < 0) timeout = 7 * 24 * 3600 * 1000;
      const requests = parseResourceArgs(resources);
      withSession(g, (s) => {
        const targets: { info: KindInfo; namespace?: string; name: string }[] = [];
        for (const req of requests) {
          const ns = req.info.namespaced ? g.namespace : undefined;
          if (req.names.length) for (const name of req.names) targets.push({ info: req.info, namespace: ns, name });
          else {
            const sel = opts.selector ? parseSelector(opts.selector) : [];
            for (const o of s.store.list(req.info.kind, req.info.namespaced && !opts.allNamespaces ? ns : undefined))
              if (matches(sel, o.metadata.labels)) targets.push({ info: req.info, namespace: o.metadata.namespace, name: o.metadata.name });
          }
        }
        if (!targets.length) throw new CliError('no matching resources found');
        const get = (t: (typeof targets)[number]) => s.store.get(t.info.kind, t.namespace, t.name);
        if (!forDelete) {
          for (const t of targets) if (!get(t) && opts.for !== 'create') throw notFound(resourceName(t.info), t.name);
        }
        const pending = new Set(targets);
        const outcome = waitInVirtualTime(
          s.engine,
          () => {
            for (const t of [...pending]) {
              if (condition(get(t))) {
                env.out.line(`${qualifiedName(t.info, t.name)} condition met`);
                pending.delete(t);
              }
            }
            return pending.size === 0;
          },
          timeout === 0 ? 1 : timeout,
        );
        if (outcome !== 'done') {
          const first = [...pending][0];
          env.out.errLine(`error: timed out waiting for the condition on ${first.info.plural}/${first.name}`);
          env.exitCode = 1;
        }
      });
    });
}
