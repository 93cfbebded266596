import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError, notFound } from '../../util/errors';
import { updateObject } from '../../api/server';
import { qualifiedName } from '../../api/registry';
import { isQuantity } from '../../api/quantity';
import { getTarget, resolveTargets } from '../object-edit';
import { CUSTOM_METRIC_PREFIX, EXTERNAL_METRIC_PREFIX } from '../../sim/metrics';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:.-]*$/;

interface Change {
  name: string;
  value?: string;
}

/** `NAME=VALUE` sets, `NAME-` removes; values are quantities (`25`, `500m`, `2k`). */
function parseChanges(args: string[]): Change[] {
  return args.map((a) => {
    if (a.endsWith('-') && !a.includes('=')) return { name: a.slice(0, -1) };
    const eq = a.indexOf('=');
    if (eq <= 0) throw new CliError(`invalid metric "${a}": expected NAME=VALUE or NAME-`);
    const name = a.slice(0, eq);
    const value = a.slice(eq + 1);
    if (!METRIC_NAME.test(name)) throw new CliError(`invalid metric name "${name}"`);
    if (!isQuantity(value)) throw new CliError(`invalid value "${value}" for metric "${name}": must be a quantity`);
    return { name, value };
  });
}

function applyChanges(annotations: Record<string, string>, prefix: string, changes: Change[]): Record<string, string> {
  const next = { ...annotations };
  for (const c of changes) {
    if (c.value === undefined) delete next[prefix + c.name];
    else next[prefix + c.name] = c.value;
  }
  return next;
}

/**
 * `kubesim metrics set`: values for the custom and external metrics APIs that HPAs read.
 *   metrics set pod/web-abc requests_per_second=25     (Pods metric, one pod)
 *   metrics set pods -l app=web requests_per_second=25 (Pods metric, every matching pod)
 *   metrics set service/web requests_per_second=300    (Object metric)
 *   metrics set external queue_messages=120            (External metric, in the namespace)
 */
export function register(program: Command, env: CommandEnv): void {
  const metrics = program.command('metrics').description('Set simulated custom and external metric values');
  metrics
    .command('set')
    .description('Set custom metric values on objects, or external metric values')
    .argument('<args...>', 'external NAME=VALUE... | TYPE/NAME NAME=VALUE... | TYPE -l SELECTOR NAME=VALUE...')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .action((args: string[], opts: { selector?: string }, cmd: Command) => {
      const g = globals(cmd, env);
      const isChange = (a: string) => a.includes('=') || (a.endsWith('-') && !a.includes('/'));
      const firstChange = args.findIndex((a, i) => i > 0 && isChange(a));
      if (firstChange < 0) throw new CliError('at least one metric NAME=VALUE is required');
      const resources = args.slice(0, firstChange);
      const changes = parseChanges(args.slice(firstChange));
      withSession(g, (s) => {
        if (resources.length === 1 && resources[0] === 'external') {
          const ns = s.store.get('Namespace', undefined, g.namespace);
          if (!ns) throw notFound('namespaces', g.namespace);
          updateObject(s.api, {
            ...ns,
            metadata: { ...ns.metadata, annotations: applyChanges(ns.metadata.annotations ?? {}, EXTERNAL_METRIC_PREFIX, changes) },
          });
          for (const c of changes)
            env.out.line(c.value === undefined ? `external metric ${c.name} removed` : `external metric ${c.name} set to ${c.value}`);
          return;
        }
        const targets = resolveTargets(s.api, resources, g, { selector: opts.selector });
        if (!targets.length) throw new CliError(`no resources found in ${g.namespace} namespace`);
        for (const t of targets) {
          const obj = getTarget(s.api, t);
          updateObject(s.api, {
            ...obj,
            metadata: { ...obj.metadata, annotations: applyChanges(obj.metadata.annotations ?? {}, CUSTOM_METRIC_PREFIX, changes) },
          });
          env.out.line(`${qualifiedName(t.info, t.name)} metrics updated`);
        }
      });
    });
}
